/*
** tflite_writer.c: TFLite model writer on top of fb_builder. See the
** header for the API; field ids follow tensorflow/lite/schema/schema.fbs.
*/
#include "tflite_writer.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fb_builder.h"

/* Field ids of schema.fbs (kept local: the tools do not include src/). */
enum { M_VERSION = 0, M_OPCODES = 1, M_SUBGRAPHS = 2, M_DESCRIPTION = 3 };
enum { M_BUFFERS = 4, M_METADATA = 6 };
enum { OC_DEPRECATED = 0, OC_CUSTOM = 1, OC_VERSION = 2, OC_BUILTIN = 3 };
enum { SG_TENSORS = 0, SG_INPUTS = 1, SG_OUTPUTS = 2, SG_OPS = 3, SG_NAME = 4 };
enum { T_SHAPE = 0, T_TYPE = 1, T_BUFFER = 2, T_NAME = 3, T_QUANT = 4 };
enum { T_IS_VARIABLE = 5, T_SHAPE_SIGNATURE = 7 };
enum { Q_MIN = 0, Q_MAX = 1, Q_SCALE = 2, Q_ZERO_POINT = 3, Q_DIM = 6 };
enum { OP_OPCODE = 0, OP_INPUTS = 1, OP_OUTPUTS = 2, OP_OPT_TYPE = 3 };
enum { OP_OPTIONS = 4, OP_CUSTOM_OPTIONS = 5, OP_INTERMEDIATES = 8 };
enum { BUF_DATA = 0 };
enum { MD_NAME = 0, MD_BUFFER = 1 };

#define BUILTIN_CUSTOM 32
#define BUFFER_ALIGN 16

typedef struct wbuf {
  uint8_t *data;
  size_t len;
  uint64_t ext_offset, ext_size; /* data outside the flatbuffer */
} wbuf;

typedef struct wtensor {
  int32_t type;
  int32_t *shape;
  uint32_t rank;
  char *name;
  uint32_t buffer;
  int is_variable;
  float *scale;
  uint32_t nscale;
  int64_t *zero_point;
  uint32_t nzero;
  int32_t quantized_dim;
  float *min, *max;
  uint32_t nminmax;
  int32_t *sig;
  int has_sig;
} wtensor;

typedef struct wopcode {
  int32_t code;
  int32_t version;
  char *custom;
} wopcode;

typedef struct wop {
  uint32_t opcode;
  int32_t *in, *out, *inter;
  uint32_t nin, nout, ninter;
  uint8_t opt_type;
  tflw_opt *opts; /* vec members are owned copies */
  uint32_t nopts;
  int no_table;
  uint8_t *custom;
  size_t ncustom;
} wop;

typedef struct wmeta {
  char *name;
  uint32_t buffer;
} wmeta;

struct tflw {
  wbuf *bufs;
  uint32_t nbufs, cbufs;
  wtensor *tensors;
  uint32_t ntensors, ctensors;
  wopcode *opcodes;
  uint32_t nopcodes, copcodes;
  wop *ops;
  uint32_t nops, cops;
  wmeta *meta;
  uint32_t nmeta, cmeta;
  int32_t *inputs, *outputs;
  uint32_t ninputs, noutputs;
  char *description;
  char *sg_name;
  uint32_t version;
  int unchecked;
  int failed;
  char err[200];
};

/* Record the first error; returns -1 for convenience. */
static int fail(tflw *w, const char *fmt, ...) {
  if (!w->failed) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->err, sizeof w->err, fmt, ap);
    va_end(ap);
    w->failed = 1;
  }
  return -1;
}

/* malloc'd copy of n bytes; *ok = 0 on OOM. n == 0 gives NULL. */
static void *dup_mem(const void *p, size_t n, int *ok) {
  if (n == 0 || p == NULL) return NULL;
  void *c = malloc(n);
  if (!c) {
    *ok = 0;
    return NULL;
  }
  memcpy(c, p, n);
  return c;
}

static char *dup_str(const char *s, int *ok) {
  if (!s) return NULL;
  return dup_mem(s, strlen(s) + 1, ok);
}

/* Grow *arr (of `size`-byte elements) so index *n is usable. */
static int grow(tflw *w, void **arr, uint32_t *cap, uint32_t n, size_t size) {
  if (n < *cap) return 0;
  uint32_t nc = *cap ? 2 * *cap : 8;
  void *na = realloc(*arr, (size_t)nc * size);
  if (!na) return fail(w, "out of memory");
  memset((uint8_t *)na + (size_t)*cap * size, 0, (size_t)(nc - *cap) * size);
  *arr = na;
  *cap = nc;
  return 0;
}

tflw *tflw_new(void) {
  tflw *w = calloc(1, sizeof *w);
  if (!w) return NULL;
  w->version = 3;
  if (tflw_buffer(w, NULL, 0) != 0) {
    tflw_free(w);
    return NULL;
  }
  return w;
}

void tflw_free(tflw *w) {
  if (!w) return;
  for (uint32_t i = 0; i < w->nbufs; i++) free(w->bufs[i].data);
  for (uint32_t i = 0; i < w->ntensors; i++) {
    wtensor *t = &w->tensors[i];
    free(t->shape);
    free(t->name);
    free(t->scale);
    free(t->zero_point);
    free(t->min);
    free(t->max);
    free(t->sig);
  }
  for (uint32_t i = 0; i < w->nopcodes; i++) free(w->opcodes[i].custom);
  for (uint32_t i = 0; i < w->nops; i++) {
    wop *o = &w->ops[i];
    free(o->in);
    free(o->out);
    free(o->inter);
    for (uint32_t k = 0; k < o->nopts; k++) free((void *)o->opts[k].vec);
    free(o->opts);
    free(o->custom);
  }
  for (uint32_t i = 0; i < w->nmeta; i++) free(w->meta[i].name);
  free(w->bufs);
  free(w->tensors);
  free(w->opcodes);
  free(w->ops);
  free(w->meta);
  free(w->inputs);
  free(w->outputs);
  free(w->description);
  free(w->sg_name);
  free(w);
}

void tflw_set_unchecked(tflw *w, int on) {
  w->unchecked = on;
}
void tflw_set_version(tflw *w, uint32_t version) {
  w->version = version;
}

int tflw_buffer(tflw *w, const void *data, size_t len) {
  if (w->failed) return -1;
  if (len && !data) return fail(w, "buffer %u: NULL data", w->nbufs);
  if (grow(w, (void **)&w->bufs, &w->cbufs, w->nbufs, sizeof *w->bufs))
    return -1;
  int ok = 1;
  wbuf b = {dup_mem(data, len, &ok), len, 0, 0};
  if (!ok) return fail(w, "out of memory");
  w->bufs[w->nbufs] = b;
  return (int)w->nbufs++;
}

int tflw_external_buffer(tflw *w, uint64_t offset, uint64_t size) {
  int b = tflw_buffer(w, NULL, 0);
  if (b < 0) return -1;
  w->bufs[b].ext_offset = offset;
  w->bufs[b].ext_size = size;
  return b;
}

int tflw_tensor(tflw *w, const tflw_tensor_desc *d) {
  if (w->failed) return -1;
  uint32_t idx = w->ntensors;
  if (d->rank && !d->shape) return fail(w, "tensor %u: NULL shape", idx);
  if ((d->q.nscale && !d->q.scale) || (d->q.nzero && !d->q.zero_point) ||
      (d->q.nminmax && (!d->q.min || !d->q.max)))
    return fail(w, "tensor %u: NULL quantization array", idx);
  if (d->has_shape_signature && d->rank && !d->shape_signature)
    return fail(w, "tensor %u: NULL shape_signature", idx);
  if (grow(w, (void **)&w->tensors, &w->ctensors, idx, sizeof *w->tensors))
    return -1;
  int ok = 1;
  wtensor t;
  memset(&t, 0, sizeof t);
  t.type = d->type;
  t.rank = d->rank;
  t.shape = dup_mem(d->shape, sizeof(int32_t) * d->rank, &ok);
  t.name = dup_str(d->name ? d->name : "", &ok);
  t.buffer = d->buffer;
  t.is_variable = d->is_variable;
  t.nscale = d->q.nscale;
  t.scale = dup_mem(d->q.scale, sizeof(float) * d->q.nscale, &ok);
  t.nzero = d->q.nzero;
  t.zero_point = dup_mem(d->q.zero_point, sizeof(int64_t) * d->q.nzero, &ok);
  t.quantized_dim = d->q.quantized_dim;
  t.nminmax = d->q.nminmax;
  t.min = dup_mem(d->q.min, sizeof(float) * d->q.nminmax, &ok);
  t.max = dup_mem(d->q.max, sizeof(float) * d->q.nminmax, &ok);
  t.has_sig = d->has_shape_signature;
  if (t.has_sig)
    t.sig = dup_mem(d->shape_signature, sizeof(int32_t) * d->rank, &ok);
  w->tensors[idx] = t;
  w->ntensors++; /* even on OOM, so tflw_free releases the copies */
  if (!ok) return fail(w, "out of memory");
  return (int)idx;
}

int tflw_tensor_q(tflw *w, int32_t type, const int32_t *shape, uint32_t rank,
                  const char *name, float scale, int32_t zero_point) {
  tflw_tensor_desc d;
  memset(&d, 0, sizeof d);
  int64_t zp = zero_point;
  d.type = type;
  d.shape = shape;
  d.rank = rank;
  d.name = name;
  if (scale != 0.0f) {
    d.q.scale = &scale;
    d.q.nscale = 1;
    d.q.zero_point = &zp;
    d.q.nzero = 1;
  }
  return tflw_tensor(w, &d);
}

int tflw_const_tensor(tflw *w, const tflw_tensor_desc *d, const void *data,
                      size_t len) {
  int b = tflw_buffer(w, data, len);
  if (b < 0) return -1;
  tflw_tensor_desc c = *d;
  c.buffer = (uint32_t)b;
  return tflw_tensor(w, &c);
}

/* Index of the operator code (code, version, custom), created if new. */
static int opcode_index(tflw *w, int32_t code, int32_t version,
                        const char *custom) {
  for (uint32_t i = 0; i < w->nopcodes; i++) {
    const wopcode *o = &w->opcodes[i];
    int same_custom = (!o->custom && !custom) ||
                      (o->custom && custom && strcmp(o->custom, custom) == 0);
    if (o->code == code && o->version == version && same_custom) return (int)i;
  }
  if (grow(w, (void **)&w->opcodes, &w->copcodes, w->nopcodes,
           sizeof *w->opcodes))
    return -1;
  int ok = 1;
  wopcode o = {code, version, dup_str(custom, &ok)};
  if (!ok) return fail(w, "out of memory");
  w->opcodes[w->nopcodes] = o;
  return (int)w->nopcodes++;
}

int tflw_op_ex(tflw *w, const tflw_op_desc *d) {
  if (w->failed) return -1;
  uint32_t idx = w->nops;
  if ((d->ninputs && !d->inputs) || (d->noutputs && !d->outputs) ||
      (d->nintermediates && !d->intermediates) || (d->nopts && !d->opts) ||
      (d->ncustom_options && !d->custom_options))
    return fail(w, "operator %u: NULL array", idx);
  int32_t version = d->version ? d->version : 1;
  int oc = opcode_index(w, d->builtin_code, version, d->custom_code);
  if (oc < 0) return -1;
  if (grow(w, (void **)&w->ops, &w->cops, idx, sizeof *w->ops)) return -1;
  int ok = 1;
  wop o;
  memset(&o, 0, sizeof o);
  o.opcode = (uint32_t)oc;
  o.nin = d->ninputs;
  o.in = dup_mem(d->inputs, sizeof(int32_t) * d->ninputs, &ok);
  o.nout = d->noutputs;
  o.out = dup_mem(d->outputs, sizeof(int32_t) * d->noutputs, &ok);
  o.ninter = d->nintermediates;
  o.inter = dup_mem(d->intermediates, sizeof(int32_t) * d->nintermediates, &ok);
  o.opt_type = d->options_type;
  o.no_table = d->no_options_table;
  o.ncustom = d->ncustom_options;
  o.custom = dup_mem(d->custom_options, d->ncustom_options, &ok);
  if (d->nopts) {
    o.opts = calloc(d->nopts, sizeof *o.opts);
    if (!o.opts) ok = 0;
  }
  if (o.opts) {
    o.nopts = d->nopts;
    for (uint32_t k = 0; k < d->nopts; k++) {
      o.opts[k] = d->opts[k];
      o.opts[k].vec = NULL;
      if (d->opts[k].kind == TFLW_K_VEC_I32) {
        if (d->opts[k].nvec && !d->opts[k].vec) ok = 0;
        o.opts[k].vec =
            dup_mem(d->opts[k].vec, sizeof(int32_t) * d->opts[k].nvec, &ok);
      }
    }
  }
  w->ops[idx] = o;
  w->nops++; /* even on failure, so tflw_free releases the copies */
  if (!ok) return fail(w, "operator %u: out of memory or NULL vector", idx);
  for (uint32_t k = 0; k < o.nopts; k++) {
    if (o.opts[k].field < 0 || o.opts[k].field >= FBB_MAX_FIELDS ||
        (unsigned)o.opts[k].kind > (unsigned)TFLW_K_VEC_I32)
      return fail(w, "operator %u: bad option field %d", idx, o.opts[k].field);
  }
  return (int)idx;
}

int tflw_op(tflw *w, int32_t builtin_code, int32_t version, const int32_t *in,
            uint32_t nin, const int32_t *out, uint32_t nout, uint8_t opt_type,
            const tflw_opt *opts, uint32_t nopts) {
  tflw_op_desc d;
  memset(&d, 0, sizeof d);
  d.builtin_code = builtin_code;
  d.version = version;
  d.inputs = in;
  d.ninputs = nin;
  d.outputs = out;
  d.noutputs = nout;
  d.options_type = opt_type;
  d.opts = opts;
  d.nopts = nopts;
  return tflw_op_ex(w, &d);
}

int tflw_io(tflw *w, const int32_t *in, uint32_t nin, const int32_t *out,
            uint32_t nout) {
  if (w->failed) return -1;
  if ((nin && !in) || (nout && !out)) return fail(w, "tflw_io: NULL array");
  int ok = 1;
  int32_t *ci = dup_mem(in, sizeof(int32_t) * nin, &ok);
  int32_t *co = dup_mem(out, sizeof(int32_t) * nout, &ok);
  if (!ok) {
    free(ci);
    free(co);
    return fail(w, "out of memory");
  }
  free(w->inputs);
  free(w->outputs);
  w->inputs = ci;
  w->ninputs = nin;
  w->outputs = co;
  w->noutputs = nout;
  return 0;
}

/* Replace *dst with a copy of s. */
static int set_str(tflw *w, char **dst, const char *s) {
  if (w->failed) return -1;
  int ok = 1;
  char *c = dup_str(s, &ok);
  if (!ok) return fail(w, "out of memory");
  free(*dst);
  *dst = c;
  return 0;
}

int tflw_description(tflw *w, const char *text) {
  return set_str(w, &w->description, text);
}

int tflw_subgraph_name(tflw *w, const char *name) {
  return set_str(w, &w->sg_name, name);
}

int tflw_metadata(tflw *w, const char *name, const void *data, size_t len) {
  if (w->failed) return -1;
  if (!name) return fail(w, "metadata: NULL name");
  int b = tflw_buffer(w, data, len);
  if (b < 0) return -1;
  if (grow(w, (void **)&w->meta, &w->cmeta, w->nmeta, sizeof *w->meta))
    return -1;
  int ok = 1;
  wmeta m = {dup_str(name, &ok), (uint32_t)b};
  if (!ok) return fail(w, "out of memory");
  w->meta[w->nmeta++] = m;
  return b;
}

int tflw_min_runtime_version(tflw *w, const char *version) {
  char v[16];
  memset(v, 0, sizeof v);
  size_t n = version ? strlen(version) : 0;
  if (n > sizeof v) return fail(w, "min_runtime_version longer than 16");
  if (n) memcpy(v, version, n);
  return tflw_metadata(w, "min_runtime_version", v, sizeof v);
}

uint32_t tflw_buffer_count(const tflw *w) {
  return w->nbufs;
}
uint32_t tflw_tensor_count(const tflw *w) {
  return w->ntensors;
}
uint32_t tflw_op_count(const tflw *w) {
  return w->nops;
}
uint32_t tflw_opcode_count(const tflw *w) {
  return w->nopcodes;
}

const char *tflw_error(const tflw *w) {
  return w->failed ? w->err : "";
}

/* ---- option lists ---- */

static tflw_opt opt_int(int field, tflw_opt_kind kind, int64_t v) {
  tflw_opt o;
  memset(&o, 0, sizeof o);
  o.field = field;
  o.kind = kind;
  o.i = v;
  return o;
}

uint32_t tflw_opts_conv2d(tflw_opt *o, int padding, int stride_w, int stride_h,
                          int act, int dilation_w, int dilation_h) {
  o[0] = opt_int(0, TFLW_K_I8, padding);
  o[1] = opt_int(1, TFLW_K_I32, stride_w);
  o[2] = opt_int(2, TFLW_K_I32, stride_h);
  o[3] = opt_int(3, TFLW_K_I8, act);
  o[4] = opt_int(4, TFLW_K_I32, dilation_w);
  o[5] = opt_int(5, TFLW_K_I32, dilation_h);
  return 6;
}

uint32_t tflw_opts_dwconv2d(tflw_opt *o, int padding, int stride_w,
                            int stride_h, int depth_multiplier, int act,
                            int dilation_w, int dilation_h) {
  o[0] = opt_int(0, TFLW_K_I8, padding);
  o[1] = opt_int(1, TFLW_K_I32, stride_w);
  o[2] = opt_int(2, TFLW_K_I32, stride_h);
  o[3] = opt_int(3, TFLW_K_I32, depth_multiplier);
  o[4] = opt_int(4, TFLW_K_I8, act);
  o[5] = opt_int(5, TFLW_K_I32, dilation_w);
  o[6] = opt_int(6, TFLW_K_I32, dilation_h);
  return 7;
}

uint32_t tflw_opts_pool2d(tflw_opt *o, int padding, int stride_w, int stride_h,
                          int filter_w, int filter_h, int act) {
  o[0] = opt_int(0, TFLW_K_I8, padding);
  o[1] = opt_int(1, TFLW_K_I32, stride_w);
  o[2] = opt_int(2, TFLW_K_I32, stride_h);
  o[3] = opt_int(3, TFLW_K_I32, filter_w);
  o[4] = opt_int(4, TFLW_K_I32, filter_h);
  o[5] = opt_int(5, TFLW_K_I8, act);
  return 6;
}

uint32_t tflw_opts_fc(tflw_opt *o, int act, int keep_num_dims) {
  o[0] = opt_int(0, TFLW_K_I8, act);
  o[1] = opt_int(1, TFLW_K_I8, 0); /* weights_format DEFAULT */
  o[2] = opt_int(2, TFLW_K_BOOL, keep_num_dims != 0);
  return 3;
}

uint32_t tflw_opts_softmax(tflw_opt *o, float beta) {
  o[0] = opt_int(0, TFLW_K_F32, 0);
  o[0].f = (double)beta;
  return 1;
}

uint32_t tflw_opts_concat(tflw_opt *o, int axis, int act) {
  o[0] = opt_int(0, TFLW_K_I32, axis);
  o[1] = opt_int(1, TFLW_K_I8, act);
  return 2;
}

uint32_t tflw_opts_act(tflw_opt *o, int act) {
  o[0] = opt_int(0, TFLW_K_I8, act);
  return 1;
}

uint32_t tflw_opts_reshape(tflw_opt *o, const int32_t *shape, uint32_t n) {
  o[0] = opt_int(0, TFLW_K_VEC_I32, 0);
  o[0].vec = shape;
  o[0].nvec = n;
  return 1;
}

uint32_t tflw_opts_reducer(tflw_opt *o, int keep_dims) {
  o[0] = opt_int(0, TFLW_K_BOOL, keep_dims != 0);
  return 1;
}

uint32_t tflw_opts_strided_slice(tflw_opt *o, int begin_mask, int end_mask,
                                 int ellipsis_mask, int new_axis_mask,
                                 int shrink_axis_mask) {
  o[0] = opt_int(0, TFLW_K_I32, begin_mask);
  o[1] = opt_int(1, TFLW_K_I32, end_mask);
  o[2] = opt_int(2, TFLW_K_I32, ellipsis_mask);
  o[3] = opt_int(3, TFLW_K_I32, new_axis_mask);
  o[4] = opt_int(4, TFLW_K_I32, shrink_axis_mask);
  return 5;
}

/* ---- validation before serialising ---- */

static int check_list(tflw *w, const char *what, uint32_t owner,
                      const int32_t *v, uint32_t n, int allow_absent) {
  for (uint32_t i = 0; i < n; i++) {
    if (v[i] == -1 && allow_absent) continue;
    if (v[i] < 0 || (uint32_t)v[i] >= w->ntensors)
      return fail(w, "%s %u: tensor index %d out of range (%u tensors)", what,
                  owner, v[i], w->ntensors);
  }
  return 0;
}

static int validate(tflw *w) {
  if (w->unchecked) return 0;
  for (uint32_t i = 0; i < w->ntensors; i++) {
    const wtensor *t = &w->tensors[i];
    if (t->buffer >= w->nbufs)
      return fail(w, "tensor %u: buffer %u out of range (%u buffers)", i,
                  t->buffer, w->nbufs);
  }
  for (uint32_t i = 0; i < w->nops; i++) {
    const wop *o = &w->ops[i];
    if (check_list(w, "operator inputs", i, o->in, o->nin, 1) ||
        check_list(w, "operator outputs", i, o->out, o->nout, 0) ||
        check_list(w, "operator intermediates", i, o->inter, o->ninter, 0))
      return -1;
  }
  if (check_list(w, "graph inputs", 0, w->inputs, w->ninputs, 0) ||
      check_list(w, "graph outputs", 0, w->outputs, w->noutputs, 0))
    return -1;
  return 0;
}

/* ---- serialisation ---- */

static fbb_ref i32_vector(fbb *b, const int32_t *v, uint32_t n) {
  return fbb_create_vector(b, v, n, 4, 0);
}

static fbb_ref write_quant(fbb *b, const wtensor *t) {
  fbb_ref mn = 0, mx = 0, sc = 0, zp = 0;
  if (t->nminmax) {
    mn = fbb_create_vector(b, t->min, t->nminmax, 4, 0);
    mx = fbb_create_vector(b, t->max, t->nminmax, 4, 0);
  }
  if (t->nscale) sc = fbb_create_vector(b, t->scale, t->nscale, 4, 0);
  if (t->nzero) zp = fbb_create_vector(b, t->zero_point, t->nzero, 8, 0);
  fbb_table_start(b);
  fbb_add_ref(b, Q_MIN, mn);
  fbb_add_ref(b, Q_MAX, mx);
  fbb_add_ref(b, Q_SCALE, sc);
  fbb_add_ref(b, Q_ZERO_POINT, zp);
  fbb_add_i32(b, Q_DIM, t->quantized_dim);
  return fbb_table_end(b);
}

static fbb_ref write_tensor(fbb *b, const wtensor *t) {
  fbb_ref shape = i32_vector(b, t->shape, t->rank);
  fbb_ref name = fbb_create_cstring(b, t->name);
  fbb_ref sig = t->has_sig ? i32_vector(b, t->sig, t->rank) : 0;
  fbb_ref q = (t->nscale || t->nzero || t->nminmax) ? write_quant(b, t) : 0;
  fbb_table_start(b);
  fbb_add_ref(b, T_SHAPE, shape);
  fbb_add_i8(b, T_TYPE, (int8_t)t->type);
  fbb_add_u32(b, T_BUFFER, t->buffer);
  fbb_add_ref(b, T_NAME, name);
  fbb_add_ref(b, T_QUANT, q);
  if (t->is_variable) fbb_add_bool(b, T_IS_VARIABLE, 1);
  fbb_add_ref(b, T_SHAPE_SIGNATURE, sig);
  return fbb_table_end(b);
}

static fbb_ref write_options(fbb *b, const wop *o) {
  fbb_ref vecs[FBB_MAX_FIELDS];
  for (uint32_t k = 0; k < o->nopts; k++) {
    const tflw_opt *p = &o->opts[k];
    vecs[p->field] = 0;
    if (p->kind == TFLW_K_VEC_I32)
      vecs[p->field] = i32_vector(b, p->vec, p->nvec);
  }
  fbb_table_start(b);
  for (uint32_t k = 0; k < o->nopts; k++) {
    const tflw_opt *p = &o->opts[k];
    switch (p->kind) {
      case TFLW_K_BOOL:
        fbb_add_bool(b, p->field, p->i != 0);
        break;
      case TFLW_K_I8:
        fbb_add_i8(b, p->field, (int8_t)p->i);
        break;
      case TFLW_K_U8:
        fbb_add_u8(b, p->field, (uint8_t)p->i);
        break;
      case TFLW_K_I16:
        fbb_add_i16(b, p->field, (int16_t)p->i);
        break;
      case TFLW_K_U16:
        fbb_add_u16(b, p->field, (uint16_t)p->i);
        break;
      case TFLW_K_I32:
        fbb_add_i32(b, p->field, (int32_t)p->i);
        break;
      case TFLW_K_U32:
        fbb_add_u32(b, p->field, (uint32_t)p->i);
        break;
      case TFLW_K_I64:
        fbb_add_i64(b, p->field, p->i);
        break;
      case TFLW_K_F32:
        fbb_add_f32(b, p->field, (float)p->f);
        break;
      case TFLW_K_VEC_I32:
        /* an empty vector is still written: new_shape [] means a scalar */
        fbb_add_ref(b, p->field, vecs[p->field]);
        break;
    }
  }
  return fbb_table_end(b);
}

static fbb_ref write_op(fbb *b, const wop *o) {
  fbb_ref in = i32_vector(b, o->in, o->nin);
  fbb_ref out = i32_vector(b, o->out, o->nout);
  fbb_ref inter = o->ninter ? i32_vector(b, o->inter, o->ninter) : 0;
  fbb_ref custom =
      o->ncustom ? fbb_create_vector(b, o->custom, o->ncustom, 1, 0) : 0;
  fbb_ref opts = 0;
  if ((o->opt_type || o->nopts) && !o->no_table) opts = write_options(b, o);
  fbb_table_start(b);
  fbb_add_u32(b, OP_OPCODE, o->opcode);
  fbb_add_ref(b, OP_INPUTS, in);
  fbb_add_ref(b, OP_OUTPUTS, out);
  if (o->opt_type) fbb_add_u8(b, OP_OPT_TYPE, o->opt_type);
  fbb_add_ref(b, OP_OPTIONS, opts);
  fbb_add_ref(b, OP_CUSTOM_OPTIONS, custom);
  fbb_add_ref(b, OP_INTERMEDIATES, inter);
  return fbb_table_end(b);
}

static fbb_ref write_opcode(fbb *b, const wopcode *o) {
  fbb_ref custom = o->custom ? fbb_create_cstring(b, o->custom) : 0;
  int32_t dep = o->code < 127 ? o->code : 127;
  fbb_table_start(b);
  fbb_add_i8(b, OC_DEPRECATED, (int8_t)dep);
  fbb_add_ref(b, OC_CUSTOM, custom);
  fbb_add_i32(b, OC_VERSION, o->version);
  fbb_add_i32(b, OC_BUILTIN, o->code);
  return fbb_table_end(b);
}

static fbb_ref ref_vector(fbb *b, const fbb_ref *refs, uint32_t n) {
  return fbb_create_ref_vector(b, refs, n);
}

static int serialise(tflw *w, fbb *b, fbb_ref *root) {
  uint32_t most = w->nbufs;
  if (w->ntensors > most) most = w->ntensors;
  if (w->nops > most) most = w->nops;
  if (w->nopcodes > most) most = w->nopcodes;
  if (w->nmeta > most) most = w->nmeta;
  fbb_ref *refs = malloc(sizeof *refs * (most ? most : 1));
  if (!refs) return fail(w, "out of memory");

  /* Buffers first: their data ends up at the end of the file. */
  for (uint32_t i = 0; i < w->nbufs; i++)
    refs[i] = w->bufs[i].len
                  ? fbb_create_vector(b, w->bufs[i].data, w->bufs[i].len, 1,
                                      BUFFER_ALIGN)
                  : 0;
  for (uint32_t i = 0; i < w->nbufs; i++) {
    fbb_ref data = refs[i];
    fbb_table_start(b);
    fbb_add_ref(b, BUF_DATA, data);
    if (w->bufs[i].ext_offset) fbb_add_u64(b, 1, w->bufs[i].ext_offset);
    if (w->bufs[i].ext_size) fbb_add_u64(b, 2, w->bufs[i].ext_size);
    refs[i] = fbb_table_end(b);
  }
  fbb_ref buffers = ref_vector(b, refs, w->nbufs);

  for (uint32_t i = 0; i < w->nmeta; i++) {
    fbb_ref name = fbb_create_cstring(b, w->meta[i].name);
    fbb_table_start(b);
    fbb_add_ref(b, MD_NAME, name);
    fbb_add_u32(b, MD_BUFFER, w->meta[i].buffer);
    refs[i] = fbb_table_end(b);
  }
  fbb_ref metadata = w->nmeta ? ref_vector(b, refs, w->nmeta) : 0;

  for (uint32_t i = 0; i < w->ntensors; i++)
    refs[i] = write_tensor(b, &w->tensors[i]);
  fbb_ref tensors = ref_vector(b, refs, w->ntensors);
  for (uint32_t i = 0; i < w->nops; i++) refs[i] = write_op(b, &w->ops[i]);
  fbb_ref ops = ref_vector(b, refs, w->nops);
  fbb_ref gin = i32_vector(b, w->inputs, w->ninputs);
  fbb_ref gout = i32_vector(b, w->outputs, w->noutputs);
  fbb_ref sg_name = w->sg_name ? fbb_create_cstring(b, w->sg_name) : 0;
  fbb_table_start(b);
  fbb_add_ref(b, SG_TENSORS, tensors);
  fbb_add_ref(b, SG_INPUTS, gin);
  fbb_add_ref(b, SG_OUTPUTS, gout);
  fbb_add_ref(b, SG_OPS, ops);
  fbb_add_ref(b, SG_NAME, sg_name);
  fbb_ref sg = fbb_table_end(b);
  fbb_ref subgraphs = ref_vector(b, &sg, 1);

  for (uint32_t i = 0; i < w->nopcodes; i++)
    refs[i] = write_opcode(b, &w->opcodes[i]);
  fbb_ref opcodes = ref_vector(b, refs, w->nopcodes);
  fbb_ref desc = w->description ? fbb_create_cstring(b, w->description) : 0;

  fbb_table_start(b);
  fbb_add_u32(b, M_VERSION, w->version);
  fbb_add_ref(b, M_OPCODES, opcodes);
  fbb_add_ref(b, M_SUBGRAPHS, subgraphs);
  fbb_add_ref(b, M_DESCRIPTION, desc);
  fbb_add_ref(b, M_BUFFERS, buffers);
  fbb_add_ref(b, M_METADATA, metadata);
  *root = fbb_table_end(b);
  free(refs);
  if (b->err) return fail(w, "flatbuffer builder failed (out of memory?)");
  return 0;
}

int tflw_finish(tflw *w, uint8_t **out, size_t *len) {
  *out = NULL;
  *len = 0;
  if (w->failed || validate(w)) return -1;
  fbb b;
  fbb_init(&b);
  fbb_ref root = 0;
  uint8_t *bytes = NULL;
  size_t n = 0;
  int rc = serialise(w, &b, &root);
  if (rc == 0 && fbb_finish(&b, root, "TFL3", &bytes, &n) != 0)
    rc = fail(w, "flatbuffer builder failed (out of memory?)");
  fbb_free(&b);
  if (rc) return -1;
  /* hand out 16-byte aligned memory so buffer data is aligned in memory */
  size_t padded = (n + BUFFER_ALIGN - 1) & ~(size_t)(BUFFER_ALIGN - 1);
  uint8_t *aligned = aligned_alloc(BUFFER_ALIGN, padded);
  if (!aligned) {
    free(bytes);
    return fail(w, "out of memory");
  }
  memcpy(aligned, bytes, n);
  memset(aligned + n, 0, padded - n);
  free(bytes);
  *out = aligned;
  *len = n;
  return 0;
}

int tflw_save(const char *path, const uint8_t *bytes, size_t len) {
  FILE *f = fopen(path, "wb");
  if (!f) return -1;
  size_t wr = fwrite(bytes, 1, len, f);
  int rc = fclose(f);
  return (wr == len && rc == 0) ? 0 : -1;
}
