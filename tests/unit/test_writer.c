/*
** test_writer.c: the .tflite writer (tools/tflite_writer.h, fb_builder.h).
**
** 1. Byte-level layout of what the writer produces, checked by a walker
**    written here from the flatbuffers format rules (independent of the
**    runtime's reader): uoffsets point forward from their own position,
**    tables point at their vtable with an soffset, offsets / vectors are
**    4-aligned, int64 vectors 8-aligned, buffer data 16-aligned, strings
**    NUL-terminated, everything inside the buffer.
** 2. Round trips through mote's loader: shapes, types, quantization
**    (per-tensor, per-channel, quantized_dimension), names, variable
**    tensors, constant data, operator codes, options, optional -1 inputs,
**    intermediates, description, metadata.
** 3. Invalid models the writer can produce on request, refused by mote.
*/
#include <unistd.h>

#include "model_harness.h"
#include "fb_builder.h"
#include "runtime/fb_reader.h"
#include "runtime/verify.h"

/* ------------------------------------------------------------------ */
/* Independent layout walker                                          */
/* ------------------------------------------------------------------ */

typedef struct walk {
  const uint8_t *p;
  size_t len;
  int bad;         /* number of violations */
  int neg_vtables; /* tables whose vtable lies after them (shared) */
  int tables;
} walk;

static uint32_t w_u32(const walk *w, size_t at) {
  if (at + 4 > w->len) return 0;
  return (uint32_t)w->p[at] | (uint32_t)w->p[at + 1] << 8 |
         (uint32_t)w->p[at + 2] << 16 | (uint32_t)w->p[at + 3] << 24;
}
static uint16_t w_u16(const walk *w, size_t at) {
  if (at + 2 > w->len) return 0;
  return (uint16_t)(w->p[at] | w->p[at + 1] << 8);
}

static void w_bad(walk *w, const char *what, size_t at) {
  if (w->bad < 10) printf("  layout: %s at byte %zu\n", what, at);
  w->bad++;
}

/* Follow the uoffset stored at `at`; 0 if invalid. */
static size_t w_follow(walk *w, size_t at) {
  if (at % 4 != 0) w_bad(w, "uoffset not 4-aligned", at);
  uint32_t o = w_u32(w, at);
  if (o == 0 || at + o >= w->len) {
    w_bad(w, "uoffset out of range or not forward", at);
    return 0;
  }
  return at + o;
}

typedef struct wtable {
  size_t pos, vt;
  uint16_t vts, ts;
} wtable;

static int w_table(walk *w, size_t pos, wtable *t) {
  memset(t, 0, sizeof *t);
  if (pos == 0 || pos + 4 > w->len) {
    w_bad(w, "table outside buffer", pos);
    return 0;
  }
  if (pos % 4) w_bad(w, "table not 4-aligned", pos);
  int32_t soff = (int32_t)w_u32(w, pos);
  int64_t vt = (int64_t)pos - soff;
  if (vt < 0 || (uint64_t)vt + 4 > w->len) {
    w_bad(w, "vtable outside buffer", pos);
    return 0;
  }
  if (vt % 2) w_bad(w, "vtable not 2-aligned", (size_t)vt);
  t->pos = pos;
  t->vt = (size_t)vt;
  t->vts = w_u16(w, t->vt);
  t->ts = w_u16(w, t->vt + 2);
  w->tables++;
  if (soff < 0) w->neg_vtables++;
  if (t->vts < 4 || t->vts % 2 || t->vt + t->vts > w->len)
    w_bad(w, "vtable size", t->vt);
  if (t->ts < 4 || pos + t->ts > w->len) w_bad(w, "table size", pos);
  for (size_t f = 4; f < t->vts; f += 2) {
    uint16_t o = w_u16(w, t->vt + f);
    if (o && (o < 4 || o >= t->ts)) w_bad(w, "field outside table", t->vt + f);
  }
  return 1;
}

/* Absolute position of field `id` (0: absent); checks its alignment. */
static size_t w_field(walk *w, const wtable *t, int id, size_t size) {
  size_t slot = 4 + 2 * (size_t)id;
  if (slot + 2 > t->vts) return 0;
  uint16_t o = w_u16(w, t->vt + slot);
  if (!o) return 0;
  if (o + size > t->ts) w_bad(w, "field overruns table", t->pos + o);
  if ((t->pos + o) % size) w_bad(w, "field misaligned", t->pos + o);
  return t->pos + o;
}

/* Vector field: position of element 0, *n its count (0 pos: absent). */
static size_t w_vector(walk *w, const wtable *t, int id, size_t elem,
                       size_t align, uint32_t *n) {
  *n = 0;
  size_t f = w_field(w, t, id, 4);
  if (!f) return 0;
  size_t v = w_follow(w, f);
  if (!v) return 0;
  if (v % 4) w_bad(w, "vector length not 4-aligned", v);
  *n = w_u32(w, v);
  if (v + 4 + (uint64_t)*n * elem > w->len) {
    w_bad(w, "vector outside buffer", v);
    *n = 0;
    return 0;
  }
  if ((v + 4) % align) w_bad(w, "vector data misaligned", v + 4);
  return v + 4;
}

static const char *w_string(walk *w, const wtable *t, int id) {
  uint32_t n;
  size_t s = w_vector(w, t, id, 1, 1, &n);
  if (!s) return NULL;
  if (s + n >= w->len || w->p[s + n] != 0) {
    w_bad(w, "string not NUL-terminated", s);
    return NULL;
  }
  return (const char *)w->p + s;
}

/* Table element i of a vector of tables. */
static int w_vec_table(walk *w, size_t v, uint32_t i, wtable *t) {
  size_t e = w_follow(w, v + 4 * (size_t)i);
  return e ? w_table(w, e, t) : 0;
}

static void w_subtable(walk *w, const wtable *t, int id) {
  size_t f = w_field(w, t, id, 4);
  wtable s;
  if (f) {
    size_t p = w_follow(w, f);
    if (p) w_table(w, p, &s);
  }
}

/*
** Walk a whole TFLite model; returns the number of violations. Also checks
** what this writer promises beyond the format: every operator code has
** deprecated_builtin_code == min(builtin_code, 127), version and
** builtin_code present; buffer 0 empty; size a multiple of 16.
*/
static int walk_model(const uint8_t *p, size_t len, int *neg_vtables) {
  walk w = {p, len, 0, 0, 0};
  if (len < 8 || memcmp(p + 4, "TFL3", 4) != 0) {
    w_bad(&w, "identifier TFL3", 4);
    return w.bad;
  }
  wtable m, t, s;
  uint32_t n, k;
  if (!w_table(&w, w_follow(&w, 0), &m)) return w.bad;
  w_field(&w, &m, TFL_MODEL_VERSION, 4);
  w_string(&w, &m, TFL_MODEL_DESCRIPTION);
  size_t v = w_vector(&w, &m, TFL_MODEL_OPERATOR_CODES, 4, 4, &n);
  for (uint32_t i = 0; i < n; i++) {
    if (!w_vec_table(&w, v, i, &t)) continue;
    size_t dep = w_field(&w, &t, TFL_OPCODE_DEPRECATED_BUILTIN, 1);
    size_t ver = w_field(&w, &t, TFL_OPCODE_VERSION, 4);
    size_t bc = w_field(&w, &t, TFL_OPCODE_BUILTIN, 4);
    w_string(&w, &t, TFL_OPCODE_CUSTOM_CODE);
    if (!dep || !ver || !bc) {
      w_bad(&w, "operator code lacks a field", t.pos);
      continue;
    }
    int32_t code = (int32_t)w_u32(&w, bc);
    int8_t d = (int8_t)p[dep];
    if (d != (code < 127 ? code : 127))
      w_bad(&w, "deprecated_builtin_code != min(code,127)", dep);
  }
  size_t sgs = w_vector(&w, &m, TFL_MODEL_SUBGRAPHS, 4, 4, &n);
  for (uint32_t i = 0; i < n; i++) {
    wtable sg;
    if (!w_vec_table(&w, sgs, i, &sg)) continue;
    w_vector(&w, &sg, TFL_SUBGRAPH_INPUTS, 4, 4, &k);
    w_vector(&w, &sg, TFL_SUBGRAPH_OUTPUTS, 4, 4, &k);
    w_string(&w, &sg, TFL_SUBGRAPH_NAME);
    uint32_t nt;
    size_t tv = w_vector(&w, &sg, TFL_SUBGRAPH_TENSORS, 4, 4, &nt);
    for (uint32_t j = 0; j < nt; j++) {
      if (!w_vec_table(&w, tv, j, &t)) continue;
      w_vector(&w, &t, TFL_TENSOR_SHAPE, 4, 4, &k);
      w_field(&w, &t, TFL_TENSOR_TYPE, 1);
      w_field(&w, &t, TFL_TENSOR_BUFFER, 4);
      w_field(&w, &t, TFL_TENSOR_IS_VARIABLE, 1);
      w_string(&w, &t, TFL_TENSOR_NAME);
      w_vector(&w, &t, TFL_TENSOR_SHAPE_SIGNATURE, 4, 4, &k);
      size_t qf = w_field(&w, &t, TFL_TENSOR_QUANTIZATION, 4);
      if (qf && w_table(&w, w_follow(&w, qf), &s)) {
        w_vector(&w, &s, TFL_QUANT_MIN, 4, 4, &k);
        w_vector(&w, &s, TFL_QUANT_MAX, 4, 4, &k);
        w_vector(&w, &s, TFL_QUANT_SCALE, 4, 4, &k);
        w_vector(&w, &s, TFL_QUANT_ZERO_POINT, 8, 8, &k);
        w_field(&w, &s, TFL_QUANT_QUANTIZED_DIMENSION, 4);
      }
    }
    uint32_t no;
    size_t ov = w_vector(&w, &sg, TFL_SUBGRAPH_OPERATORS, 4, 4, &no);
    for (uint32_t j = 0; j < no; j++) {
      if (!w_vec_table(&w, ov, j, &t)) continue;
      w_field(&w, &t, TFL_OP_OPCODE_INDEX, 4);
      w_vector(&w, &t, TFL_OP_INPUTS, 4, 4, &k);
      w_vector(&w, &t, TFL_OP_OUTPUTS, 4, 4, &k);
      w_vector(&w, &t, TFL_OP_INTERMEDIATES, 4, 4, &k);
      w_vector(&w, &t, TFL_OP_CUSTOM_OPTIONS, 1, 1, &k);
      w_field(&w, &t, TFL_OP_BUILTIN_OPTIONS_TYPE, 1);
      w_subtable(&w, &t, TFL_OP_BUILTIN_OPTIONS);
    }
  }
  size_t bv = w_vector(&w, &m, TFL_MODEL_BUFFERS, 4, 4, &n);
  int any_data = 0;
  for (uint32_t i = 0; i < n; i++) {
    if (!w_vec_table(&w, bv, i, &t)) continue;
    size_t d = w_vector(&w, &t, TFL_BUFFER_DATA, 1, 16, &k);
    if (i == 0 && d && k) w_bad(&w, "buffer 0 not empty", d);
    if (d && k) any_data = 1;
  }
  if (any_data && len % 16) w_bad(&w, "size not a multiple of 16", len);
  size_t mv = w_vector(&w, &m, TFL_MODEL_METADATA, 4, 4, &n);
  for (uint32_t i = 0; i < n; i++) {
    if (!w_vec_table(&w, mv, i, &t)) continue;
    w_string(&w, &t, TFL_METADATA_NAME);
    w_field(&w, &t, TFL_METADATA_BUFFER, 4);
  }
  if (neg_vtables) *neg_vtables = w.neg_vtables;
  return w.bad;
}

/* ------------------------------------------------------------------ */
/* Raw flatbuffer builder tests                                       */
/* ------------------------------------------------------------------ */

static void test_builder_basics(void) {
  mh_case = "builder basics";
  fbb b;
  fbb_init(&b);
  int64_t big[3] = {-1, INT64_MIN, INT64_MAX};
  uint8_t blob[5] = {1, 2, 3, 4, 5};
  fbb_ref s = fbb_create_cstring(&b, "hello");
  fbb_ref v64 = fbb_create_vector(&b, big, 3, 8, 0);
  fbb_ref v16 = fbb_create_vector(&b, blob, 5, 1, 16);
  fbb_table_start(&b);
  fbb_add_u8(&b, 0, 7);
  fbb_add_ref(&b, 1, s);
  fbb_add_i64(&b, 2, -5);
  fbb_add_ref(&b, 3, v64);
  fbb_add_i16(&b, 5, -300);
  fbb_add_ref(&b, 6, v16);
  fbb_add_f32(&b, 7, 1.5f);
  fbb_add_f64(&b, 8, -2.25);
  fbb_ref t = fbb_table_end(&b);
  uint8_t *out;
  size_t len;
  MH_CHECK(fbb_finish(&b, t, "ABCD", &out, &len) == 0, "finish");
  fbb_free(&b);
  MH_CHECK(len % 16 == 0, "size %zu multiple of 16", len);
  MH_CHECK(memcmp(out + 4, "ABCD", 4) == 0, "identifier");
  /* read back with the runtime's reader (needs 16-aligned storage) */
  uint8_t *al = aligned_alloc(16, (len + 15) & ~(size_t)15);
  memcpy(al, out, len);
  free(out);
  fb_buf fb = {al, len};
  fb_table root = fb_table_at(&fb, fb_rd_u32(&fb, 0));
  MH_CHECK(fb_u8(&fb, &root, 0, 0) == 7, "u8");
  MH_CHECK(strcmp(fb_string(&fb, &root, 1), "hello") == 0, "string");
  MH_CHECK(fb_i64(&fb, &root, 2, 0) == -5, "i64");
  fb_vec v = fb_vector(&fb, &root, 3);
  MH_CHECK(v.n == 3 && fb_vec_i64(&fb, v, 0) == -1 &&
               fb_vec_i64(&fb, v, 1) == INT64_MIN &&
               fb_vec_i64(&fb, v, 2) == INT64_MAX,
           "int64 vector");
  MH_CHECK(v.pos % 8 == 0, "int64 vector 8-aligned (pos %u)", v.pos);
  MH_CHECK(fb_field(&fb, &root, 4) == 0, "absent field 4");
  MH_CHECK(fb_i32(&fb, &root, 4, 42) == 42, "absent field default");
  MH_CHECK(fb_i16(&fb, &root, 5, 0) == -300, "i16");
  fb_vec d = fb_vector(&fb, &root, 6);
  MH_CHECK(d.n == 5 && d.pos % 16 == 0 && memcmp(al + d.pos, blob, 5) == 0,
           "16-aligned blob (pos %u)", d.pos);
  MH_CHECK(fb_f32(&fb, &root, 7, 0) == 1.5f, "f32");
  uint32_t f8 = fb_field(&fb, &root, 8);
  uint64_t u = fb_rd_u64(&fb, root.pos + f8);
  double dd;
  memcpy(&dd, &u, 8);
  MH_CHECK(f8 && (root.pos + f8) % 8 == 0 && dd == -2.25, "f64 aligned");
  MH_CHECK(fb_field(&fb, &root, 40) == 0, "field beyond vtable");
  free(al);

  /* sticky errors */
  fbb_init(&b);
  fbb_table_start(&b);
  fbb_create_cstring(&b, "nested"); /* not allowed inside a table */
  fbb_table_end(&b);
  MH_CHECK(b.err != 0, "string inside a table is an error");
  fbb_free(&b);
  fbb_init(&b);
  fbb_table_start(&b);
  fbb_add_i32(&b, 1, 1);
  fbb_add_i32(&b, 1, 2);
  fbb_ref r = fbb_table_end(&b);
  MH_CHECK(b.err != 0 && r == 0, "duplicate field is an error");
  MH_CHECK(fbb_finish(&b, r, NULL, &out, &len) == -1, "finish fails");
  fbb_free(&b);
}

/* Shared vtables: identical tables point at one vtable. */
static void test_builder_vtable_sharing(void) {
  mh_case = "vtable sharing";
  for (int dedup = 0; dedup <= 1; dedup++) {
    fbb b;
    fbb_init(&b);
    fbb_set_vtable_dedup(&b, dedup);
    fbb_ref t[4];
    for (int i = 0; i < 4; i++) {
      fbb_table_start(&b);
      fbb_add_i32(&b, 0, i);
      fbb_add_u8(&b, 2, (uint8_t)i);
      t[i] = fbb_table_end(&b);
    }
    fbb_ref v = fbb_create_ref_vector(&b, t, 4);
    fbb_table_start(&b);
    fbb_add_ref(&b, 0, v);
    fbb_ref root = fbb_table_end(&b);
    uint8_t *out;
    size_t len;
    MH_CHECK(fbb_finish(&b, root, NULL, &out, &len) == 0, "finish");
    fbb_free(&b);
    fb_buf fb = {out, len};
    fb_table rt = fb_table_at(&fb, fb_rd_u32(&fb, 0));
    fb_vec tv = fb_vector(&fb, &rt, 0);
    MH_CHECK(tv.n == 4, "4 tables");
    uint32_t vts[4];
    for (uint32_t i = 0; i < 4; i++) {
      fb_table e = fb_vec_table(&fb, tv, i);
      vts[i] = e.vt;
      MH_CHECK(fb_i32(&fb, &e, 0, -1) == (int32_t)i &&
                   fb_u8(&fb, &e, 2, 99) == i && fb_field(&fb, &e, 1) == 0,
               "table %u fields", i);
    }
    int shared = vts[0] == vts[1] && vts[1] == vts[2] && vts[2] == vts[3];
    MH_CHECK(shared == dedup, "vtables shared iff dedup (%d)", dedup);
    free(out);
  }
}

/* ------------------------------------------------------------------ */
/* Model round trips through mote                                     */
/* ------------------------------------------------------------------ */

/* Model root helpers on top of the runtime's reader. */
static fb_table root_of(const fb_buf *b) {
  return fb_table_at(b, fb_rd_u32(b, 0));
}
static fb_table op_at(const fb_buf *b, uint32_t i) {
  fb_table r = root_of(b);
  fb_table sg = fb_vec_table(b, fb_vector(b, &r, TFL_MODEL_SUBGRAPHS), 0);
  return fb_vec_table(b, fb_vector(b, &sg, TFL_SUBGRAPH_OPERATORS), i);
}

static int feq(float a, float b) {
  return memcmp(&a, &b, 4) == 0;
}

/*
** Model A: FULLY_CONNECTED int8 (per-channel weights, bias) -> RESHAPE
** (new_shape option + shape tensor), plus tensors used by no operator
** that carry every other tensor feature, read back through mote.
*/
static void test_roundtrip_tensors(void) {
  mh_case = "roundtrip tensors";
  tflw *w = tflw_new();
  int32_t xs[] = {3, 5}, ws[] = {4, 5}, bs[] = {4}, ys[] = {3, 4}, rs[] = {12};
  int x = tflw_tensor_q(w, MOTE_INT8, xs, 2, "input_x", 0.05f, -128);
  float wsc[4] = {0.01f, 0.02f, 0.005f, 0.04f};
  int8_t wdat[20];
  for (int i = 0; i < 20; i++) wdat[i] = (int8_t)(i * 13 - 127);
  int wt = mh_const_pc(w, MOTE_INT8, ws, 2, wsc, 4, 0, wdat, sizeof wdat);
  float bsc[4];
  for (int i = 0; i < 4; i++) bsc[i] = 0.05f * wsc[i];
  int32_t bdat[4] = {INT32_MIN, -1, 0, INT32_MAX};
  int bias = mh_const_pc(w, MOTE_INT32, bs, 1, bsc, 4, 0, bdat, sizeof bdat);
  int y = tflw_tensor_q(w, MOTE_INT8, ys, 2, "fc_out", 0.1f, 127);
  int32_t shape_data[1] = {12};
  int32_t one = 1;
  int shp = mh_const(w, MOTE_INT32, &one, 1, 0, 0, shape_data, 4);
  int r = tflw_tensor_q(w, MOTE_INT8, rs, 1, "out", 0.1f, 127);
  int32_t in0[] = {x, wt, bias}, out0[] = {y};
  tflw_op(w, TFL_OP_FULLY_CONNECTED, 4, in0, 3, out0, 1,
          TFL_OPT_FULLY_CONNECTED,
          (tflw_opt[]){TFLW_I8(0, TFL_ACT_NONE), TFLW_BOOL(2, 0)}, 2);
  int32_t in1[] = {y, shp}, out1[] = {r};
  tflw_op(w, TFL_OP_RESHAPE, 1, in1, 2, out1, 1, TFL_OPT_RESHAPE,
          (tflw_opt[]){TFLW_VEC(0, rs, 1)}, 1);

  /* unused tensors with every other feature */
  tflw_tensor_desc d;
  memset(&d, 0, sizeof d);
  d.type = MOTE_FLOAT32;
  d.name = "scalar";
  int scalar = tflw_tensor(w, &d); /* rank 0 */
  int32_t s6[] = {1, 2, 1, 3, 1, 2};
  d.type = MOTE_INT16;
  d.shape = s6;
  d.rank = 6;
  d.name = "state";
  d.is_variable = 1;
  float sc16 = 1.0f / 32768;
  int64_t z16 = 0;
  d.q.scale = &sc16;
  d.q.nscale = 1;
  d.q.zero_point = &z16;
  d.q.nzero = 1;
  int state = tflw_tensor(w, &d);
  int32_t s4[] = {2, 3, 1, 3};
  float pc[3] = {0.5f, 0.25f, 0.125f};
  int64_t zpc[3] = {-128, 0, 127};
  float qmin[3] = {-1, -2, -3}, qmax[3] = {1, 2, 3};
  int32_t sig[4] = {-1, 3, 1, 3};
  memset(&d, 0, sizeof d);
  d.type = MOTE_INT8;
  d.shape = s4;
  d.rank = 4;
  d.name = "per_channel_dim3";
  d.q.scale = pc;
  d.q.nscale = 3;
  d.q.zero_point = zpc;
  d.q.nzero = 3;
  d.q.quantized_dim = 3;
  d.q.min = qmin;
  d.q.max = qmax;
  d.q.nminmax = 3;
  d.shape_signature = sig;
  d.has_shape_signature = 1;
  int pcd = tflw_tensor(w, &d);
  int64_t i64data[2] = {INT64_MIN, 0x0102030405060708LL};
  int32_t two = 2;
  memset(&d, 0, sizeof d);
  d.type = MOTE_INT64;
  d.shape = &two;
  d.rank = 1;
  d.name = "i64const";
  int c64 = tflw_const_tensor(w, &d, i64data, sizeof i64data);

  tflw_io(w, (int32_t[]){x}, 1, (int32_t[]){r}, 1);
  tflw_description(w, "writer round trip");
  tflw_subgraph_name(w, "main");
  int mrv = tflw_min_runtime_version(w, "1.14.0");
  MH_CHECK(tflw_tensor_count(w) == 10, "tensor count %u", tflw_tensor_count(w));
  MH_CHECK(tflw_opcode_count(w) == 2 && tflw_op_count(w) == 2, "op counts");
  size_t len;
  uint8_t *fb = mh_finish(w, &len);
  int neg = 0;
  MH_CHECK(walk_model(fb, len, &neg) == 0, "layout of model A");

  mh_run run;
  mote_status st = mh_load(&run, fb, len);
  MH_CHECK(st == MOTE_OK, "model A loads: %s", mote_status_name(st));
  if (st != MOTE_OK) {
    mh_print_err(&run);
    /* views still work when only an operator's prepare refused */
    if (!run.m.fb) {
      mh_free(&run);
      return;
    }
  }
  mote_model *m = &run.m;
  mote_tensor t;
  MH_CHECK(mote_model_tensor(m, (uint32_t)x, &t) == MOTE_OK, "view x");
  MH_CHECK(t.type == MOTE_INT8 && t.ndim == 2 && t.dims[0] == 3 &&
               t.dims[1] == 5 && t.count == 15 && t.bytes == 15,
           "x shape/type");
  MH_CHECK(strcmp(t.name, "input_x") == 0, "x name '%s'", t.name);
  MH_CHECK(t.nscale == 1 && t.nzero == 1 && feq(t.scale, 0.05f) &&
               t.zero_point == -128 && !t.is_const && !t.is_variable,
           "x quant");
  MH_CHECK(mote_model_tensor(m, (uint32_t)wt, &t) == MOTE_OK, "view w");
  MH_CHECK(t.is_const && t.data && memcmp(t.data, wdat, 20) == 0,
           "weights data");
  MH_CHECK(((uintptr_t)t.data) % 16 == 0, "weights 16-aligned in memory");
  MH_CHECK(t.nscale == 4 && t.nzero == 4 && t.quant_dim == 0, "w quant");
  int sc_ok = 1;
  for (uint32_t c = 0; c < 4; c++)
    sc_ok &= feq(mote_tensor_scale(&t, c), wsc[c]) &&
             mote_tensor_zero_point(&t, c) == 0;
  MH_CHECK(sc_ok, "weight scales per channel");
  MH_CHECK(mote_model_tensor(m, (uint32_t)bias, &t) == MOTE_OK &&
               t.type == MOTE_INT32 && t.is_const &&
               memcmp(t.data, bdat, 16) == 0 && t.nscale == 4,
           "bias");
  MH_CHECK(mote_model_tensor(m, (uint32_t)y, &t) == MOTE_OK &&
               t.zero_point == 127 && feq(t.scale, 0.1f) &&
               strcmp(t.name, "fc_out") == 0,
           "fc out");
  MH_CHECK(mote_model_tensor(m, (uint32_t)shp, &t) == MOTE_OK && t.is_const &&
               t.nscale == 0 && *(int32_t *)t.data == 12,
           "shape const");
  MH_CHECK(mote_model_tensor(m, (uint32_t)scalar, &t) == MOTE_OK &&
               t.ndim == 0 && t.count == 1 && t.type == MOTE_FLOAT32 &&
               t.nscale == 0,
           "scalar tensor");
  MH_CHECK(mote_model_tensor(m, (uint32_t)state, &t) == MOTE_OK &&
               t.ndim == 6 && t.dims[3] == 3 && t.count == 12 &&
               t.type == MOTE_INT16 && t.is_variable &&
               feq(t.scale, 1.0f / 32768) && strcmp(t.name, "state") == 0,
           "variable rank-6 tensor");
  MH_CHECK(mote_model_tensor(m, (uint32_t)pcd, &t) == MOTE_OK &&
               t.quant_dim == 3 && t.nscale == 3 && t.nzero == 3 &&
               mote_tensor_zero_point(&t, 0) == -128 &&
               mote_tensor_zero_point(&t, 2) == 127 &&
               feq(mote_tensor_scale(&t, 1), 0.25f),
           "per-channel dim 3");
  MH_CHECK(mote_model_tensor(m, (uint32_t)c64, &t) == MOTE_OK &&
               t.type == MOTE_INT64 && t.is_const && t.bytes == 16 &&
               memcmp(t.data, i64data, 16) == 0 && ((uintptr_t)t.data) % 8 == 0,
           "int64 constant");
  MH_CHECK(mote_model_tensor(m, 10, &t) == MOTE_E_INDEX, "index 10 refused");

  /* raw fields through the runtime's reader */
  fb_buf b = {fb, len};
  fb_table root = root_of(&b);
  MH_CHECK(fb_u32(&b, &root, TFL_MODEL_VERSION, 0) == 3, "version 3");
  MH_CHECK(strcmp(fb_string(&b, &root, TFL_MODEL_DESCRIPTION),
                  "writer round trip") == 0,
           "description");
  fb_table sg = fb_vec_table(&b, fb_vector(&b, &root, TFL_MODEL_SUBGRAPHS), 0);
  MH_CHECK(strcmp(fb_string(&b, &sg, TFL_SUBGRAPH_NAME), "main") == 0,
           "subgraph name");
  fb_vec md = fb_vector(&b, &root, TFL_MODEL_METADATA);
  fb_table m0 = fb_vec_table(&b, md, 0);
  MH_CHECK(md.n == 1 &&
               strcmp(fb_string(&b, &m0, TFL_METADATA_NAME),
                      "min_runtime_version") == 0 &&
               fb_u32(&b, &m0, TFL_METADATA_BUFFER, 0) == (uint32_t)mrv,
           "metadata entry");
  fb_vec bufs = fb_vector(&b, &root, TFL_MODEL_BUFFERS);
  fb_table mb = fb_vec_table(&b, bufs, (uint32_t)mrv);
  fb_vec mbd = fb_vector(&b, &mb, TFL_BUFFER_DATA);
  MH_CHECK(mbd.n == 16 && strcmp((const char *)fb + mbd.pos, "1.14.0") == 0,
           "min_runtime_version buffer");
  fb_table b0 = fb_vec_table(&b, bufs, 0);
  MH_CHECK(fb_vector(&b, &b0, TFL_BUFFER_DATA).n == 0, "buffer 0 empty");
  fb_table o1 = op_at(&b, 1);
  fb_table ro = fb_subtable(&b, &o1, TFL_OP_BUILTIN_OPTIONS);
  fb_vec ns = fb_vector(&b, &ro, 0);
  MH_CHECK(fb_u8(&b, &o1, TFL_OP_BUILTIN_OPTIONS_TYPE, 0) == TFL_OPT_RESHAPE &&
               ns.n == 1 && fb_vec_i32(&b, ns, 0) == 12,
           "reshape new_shape");
  MH_CHECK(m->n_ops == 2 &&
               strcmp(mote_model_op_name(m, 0), "FULLY_CONNECTED") == 0 &&
               strcmp(mote_model_op_name(m, 1), "RESHAPE") == 0,
           "op names");
  mh_free(&run);
}

/* Options of every scalar kind, intermediates, -1 inputs, opcode dedup. */
static void test_roundtrip_ops(void) {
  mh_case = "roundtrip ops";
  tflw *w = tflw_new();
  int32_t s[] = {2, 3};
  int a = mh_t(w, MOTE_FLOAT32, s, 2, 0, 0);
  int bb = mh_t(w, MOTE_FLOAT32, s, 2, 0, 0);
  int c = mh_t(w, MOTE_FLOAT32, s, 2, 0, 0);
  int dd = mh_t(w, MOTE_FLOAT32, s, 2, 0, 0);
  int32_t vec[] = {-1, 0, 7};
  tflw_opt opts[] = {TFLW_BOOL(0, 1),
                     TFLW_I8(1, -7),
                     TFLW_U8(2, 250),
                     TFLW_I16(3, -1234),
                     TFLW_I32(4, -70000),
                     TFLW_U32(5, 4000000000u),
                     TFLW_I64(6, -5000000000LL),
                     TFLW_F32(7, 0.375),
                     TFLW_VEC(8, vec, 3),
                     TFLW_VEC(10, NULL, 0)};
  tflw_op_desc od;
  memset(&od, 0, sizeof od);
  od.builtin_code = TFL_OP_ADD;
  od.version = 2;
  od.inputs = (int32_t[]){a, -1, bb};
  od.ninputs = 3;
  od.outputs = (int32_t[]){c};
  od.noutputs = 1;
  od.intermediates = (int32_t[]){dd, a};
  od.nintermediates = 2;
  od.options_type = TFL_OPT_ADD;
  od.opts = opts;
  od.nopts = 10;
  MH_CHECK(tflw_op_ex(w, &od) == 0, "op 0");
  /* same code and version: opcode reused; other version: new opcode */
  MH_CHECK(tflw_op(w, TFL_OP_ADD, 2, (int32_t[]){c, c}, 2, (int32_t[]){dd}, 1,
                   0, NULL, 0) == 1,
           "op 1");
  MH_CHECK(tflw_op(w, TFL_OP_ADD, 1, (int32_t[]){c, c}, 2, (int32_t[]){dd}, 1,
                   0, NULL, 0) == 2,
           "op 2");
  MH_CHECK(tflw_op(w, 150, 1, (int32_t[]){a}, 1, (int32_t[]){dd}, 1, 0, NULL,
                   0) == 3,
           "op 3 (GELU)");
  memset(&od, 0, sizeof od);
  od.builtin_code = TFL_OP_CUSTOM;
  od.custom_code = "MyOp";
  od.inputs = (int32_t[]){a};
  od.ninputs = 1;
  od.outputs = (int32_t[]){dd};
  od.noutputs = 1;
  od.custom_options = (const uint8_t *)"\x01\x02\x03";
  od.ncustom_options = 3;
  MH_CHECK(tflw_op_ex(w, &od) == 4, "op 4 (custom)");
  /* options type with no table */
  memset(&od, 0, sizeof od);
  od.builtin_code = TFL_OP_SOFTMAX;
  od.inputs = (int32_t[]){a};
  od.ninputs = 1;
  od.outputs = (int32_t[]){dd};
  od.noutputs = 1;
  od.options_type = TFL_OPT_SOFTMAX;
  od.no_options_table = 1;
  MH_CHECK(tflw_op_ex(w, &od) == 5, "op 5");
  MH_CHECK(tflw_opcode_count(w) == 5, "5 opcodes (got %u)",
           tflw_opcode_count(w));
  tflw_io(w, (int32_t[]){a, bb}, 2, (int32_t[]){dd}, 1);
  size_t len;
  uint8_t *fb = mh_finish(w, &len);
  MH_CHECK(walk_model(fb, len, NULL) == 0, "layout");
  fb_buf b = {fb, len};
  fb_table o0 = op_at(&b, 0);
  fb_vec in = fb_vector(&b, &o0, TFL_OP_INPUTS);
  MH_CHECK(in.n == 3 && fb_vec_i32(&b, in, 0) == a &&
               fb_vec_i32(&b, in, 1) == -1 && fb_vec_i32(&b, in, 2) == bb,
           "inputs with -1");
  fb_vec im = fb_vector(&b, &o0, TFL_OP_INTERMEDIATES);
  MH_CHECK(
      im.n == 2 && fb_vec_i32(&b, im, 0) == dd && fb_vec_i32(&b, im, 1) == a,
      "intermediates");
  fb_table op = fb_subtable(&b, &o0, TFL_OP_BUILTIN_OPTIONS);
  MH_CHECK(op.pos != 0, "options table present");
  MH_CHECK(fb_bool(&b, &op, 0, 0) == 1, "bool");
  MH_CHECK(fb_i8(&b, &op, 1, 0) == -7, "i8");
  MH_CHECK(fb_u8(&b, &op, 2, 0) == 250, "u8");
  MH_CHECK(fb_i16(&b, &op, 3, 0) == -1234, "i16");
  MH_CHECK(fb_i32(&b, &op, 4, 0) == -70000, "i32");
  MH_CHECK(fb_u32(&b, &op, 5, 0) == 4000000000u, "u32");
  MH_CHECK(fb_i64(&b, &op, 6, 0) == -5000000000LL, "i64");
  MH_CHECK(fb_f32(&b, &op, 7, 0) == 0.375f, "f32");
  fb_vec v = fb_vector(&b, &op, 8);
  MH_CHECK(v.n == 3 && fb_vec_i32(&b, v, 0) == -1 && fb_vec_i32(&b, v, 2) == 7,
           "vec");
  MH_CHECK(fb_field(&b, &op, 9) == 0, "field 9 absent");
  fb_vec ev = fb_vector(&b, &op, 10);
  MH_CHECK(fb_field(&b, &op, 10) != 0 && ev.n == 0, "empty vector present");
  /* opcodes */
  fb_table root = root_of(&b);
  fb_vec oc = fb_vector(&b, &root, TFL_MODEL_OPERATOR_CODES);
  MH_CHECK(oc.n == 5, "opcodes");
  int32_t want_code[] = {TFL_OP_ADD, TFL_OP_ADD, 150, TFL_OP_CUSTOM,
                         TFL_OP_SOFTMAX};
  int32_t want_ver[] = {2, 1, 1, 1, 1};
  for (uint32_t i = 0; i < oc.n && i < 5; i++) {
    fb_table t = fb_vec_table(&b, oc, i);
    int32_t dep = fb_i8(&b, &t, TFL_OPCODE_DEPRECATED_BUILTIN, -99);
    int32_t code = fb_i32(&b, &t, TFL_OPCODE_BUILTIN, -99);
    MH_CHECK(code == want_code[i] && dep == (code < 127 ? code : 127) &&
                 fb_i32(&b, &t, TFL_OPCODE_VERSION, 0) == want_ver[i],
             "opcode %u: dep %d code %d", i, dep, code);
  }
  fb_table t3 = fb_vec_table(&b, oc, 3);
  MH_CHECK(strcmp(fb_string(&b, &t3, TFL_OPCODE_CUSTOM_CODE), "MyOp") == 0,
           "custom code");
  fb_table o4 = op_at(&b, 4);
  fb_vec co = fb_vector(&b, &o4, TFL_OP_CUSTOM_OPTIONS);
  MH_CHECK(co.n == 3 && fb[co.pos] == 1 && fb[co.pos + 2] == 3,
           "custom options");
  MH_CHECK(fb_u32(&b, &o4, TFL_OP_OPCODE_INDEX, 99) == 3, "opcode index");
  fb_table o5 = op_at(&b, 5);
  MH_CHECK(fb_u8(&b, &o5, TFL_OP_BUILTIN_OPTIONS_TYPE, 0) == TFL_OPT_SOFTMAX &&
               fb_subtable(&b, &o5, TFL_OP_BUILTIN_OPTIONS).pos == 0,
           "options tag without table");
  fb_table o1 = op_at(&b, 1);
  MH_CHECK(fb_field(&b, &o1, TFL_OP_BUILTIN_OPTIONS_TYPE) == 0 &&
               fb_subtable(&b, &o1, TFL_OP_BUILTIN_OPTIONS).pos == 0,
           "no options");
  /* mote verifies the layout and names the unsupported GELU/custom op */
  mh_run r;
  mote_status st = mh_load(&r, fb, len);
  MH_CHECK(st == MOTE_E_UNSUPPORTED || st == MOTE_E_BAD_OPTIONS ||
               st == MOTE_E_BAD_SHAPE || st == MOTE_E_BAD_MODEL,
           "verifier passes, later check refuses: %s", mote_status_name(st));
  mh_free(&r);
}

/* Ready-made option lists: field ids and values as the schema has them. */
static void test_option_helpers(void) {
  mh_case = "option helpers";
  tflw *w = tflw_new();
  int32_t s4[] = {1, 6, 6, 2}, s3[] = {1, 3, 3, 2};
  int x = mh_t(w, MOTE_FLOAT32, s4, 4, 0, 0);
  int y = mh_t(w, MOTE_FLOAT32, s3, 4, 0, 0);
  tflw_opt o[8];
  uint32_t n = tflw_opts_pool2d(o, TFL_PAD_SAME, 2, 2, 3, 3, TFL_ACT_RELU6);
  tflw_op(w, TFL_OP_MAX_POOL_2D, 1, &x, 1, &y, 1, TFL_OPT_POOL2D, o, n);
  tflw_io(w, &x, 1, &y, 1);
  size_t len;
  uint8_t *fb = mh_finish(w, &len);
  mh_run r;
  MH_CHECK(mh_load(&r, fb, len) == MOTE_OK, "pool via helper loads");
  fb_buf b = {fb, len};
  fb_table o0 = op_at(&b, 0);
  fb_table op = fb_subtable(&b, &o0, TFL_OP_BUILTIN_OPTIONS);
  MH_CHECK(fb_i8(&b, &op, 0, -1) == TFL_PAD_SAME &&
               fb_i32(&b, &op, 1, 0) == 2 && fb_i32(&b, &op, 2, 0) == 2 &&
               fb_i32(&b, &op, 3, 0) == 3 && fb_i32(&b, &op, 4, 0) == 3 &&
               fb_i8(&b, &op, 5, 0) == TFL_ACT_RELU6,
           "pool2d fields");
  mh_free(&r);

  w = tflw_new();
  x = mh_t(w, MOTE_FLOAT32, s4, 4, 0, 0);
  int32_t shp[] = {3, -1};
  tflw_opt all[8][8];
  uint32_t cnt[10];
  cnt[0] = tflw_opts_conv2d(all[0], TFL_PAD_VALID, 2, 3, TFL_ACT_RELU, 4, 5);
  cnt[1] =
      tflw_opts_dwconv2d(all[1], TFL_PAD_SAME, 1, 2, 3, TFL_ACT_RELU6, 2, 1);
  cnt[2] = tflw_opts_fc(all[2], TFL_ACT_RELU, 1);
  cnt[3] = tflw_opts_softmax(all[3], 0.25f);
  cnt[4] = tflw_opts_concat(all[4], -2, TFL_ACT_RELU_N1_TO_1);
  cnt[5] = tflw_opts_act(all[5], TFL_ACT_RELU6);
  cnt[6] = tflw_opts_reshape(all[6], shp, 2);
  cnt[7] = tflw_opts_reducer(all[7], 1);
  tflw_opt ss[5];
  uint32_t nss = tflw_opts_strided_slice(ss, 1, 2, 0, 0, 4);
  for (int k = 0; k < 8; k++)
    tflw_op(w, TFL_OP_RELU, 1, &x, 1, &x, 1, 1, all[k], cnt[k]);
  tflw_op(w, TFL_OP_RELU, 1, &x, 1, &x, 1, 1, ss, nss);
  tflw_io(w, &x, 1, &x, 1);
  fb = mh_finish(w, &len); /* not a runnable graph: fields only */
  MH_CHECK(walk_model(fb, len, NULL) == 0, "layout");
  b.p = fb;
  b.len = len;
  fb_table t[9];
  for (uint32_t k = 0; k < 9; k++) {
    fb_table ok = op_at(&b, k);
    t[k] = fb_subtable(&b, &ok, TFL_OP_BUILTIN_OPTIONS);
  }
  MH_CHECK(cnt[0] == 6 && fb_i8(&b, &t[0], 0, -1) == TFL_PAD_VALID &&
               fb_i32(&b, &t[0], 1, 0) == 2 && fb_i32(&b, &t[0], 2, 0) == 3 &&
               fb_i8(&b, &t[0], 3, 0) == TFL_ACT_RELU &&
               fb_i32(&b, &t[0], 4, 0) == 4 && fb_i32(&b, &t[0], 5, 0) == 5,
           "conv2d fields");
  MH_CHECK(cnt[1] == 7 && fb_i8(&b, &t[1], 0, -1) == TFL_PAD_SAME &&
               fb_i32(&b, &t[1], 1, 0) == 1 && fb_i32(&b, &t[1], 2, 0) == 2 &&
               fb_i32(&b, &t[1], 3, 0) == 3 &&
               fb_i8(&b, &t[1], 4, 0) == TFL_ACT_RELU6 &&
               fb_i32(&b, &t[1], 5, 0) == 2 && fb_i32(&b, &t[1], 6, 0) == 1,
           "dwconv2d fields");
  MH_CHECK(fb_i8(&b, &t[2], 0, 0) == TFL_ACT_RELU &&
               fb_i8(&b, &t[2], 1, -1) == 0 && fb_bool(&b, &t[2], 2, 0) == 1,
           "fc fields");
  MH_CHECK(fb_f32(&b, &t[3], 0, 0) == 0.25f, "softmax beta");
  MH_CHECK(fb_i32(&b, &t[4], 0, 0) == -2 &&
               fb_i8(&b, &t[4], 1, 0) == TFL_ACT_RELU_N1_TO_1,
           "concat fields");
  MH_CHECK(fb_i8(&b, &t[5], 0, 0) == TFL_ACT_RELU6, "act field");
  fb_vec v = fb_vector(&b, &t[6], 0);
  MH_CHECK(v.n == 2 && fb_vec_i32(&b, v, 0) == 3 && fb_vec_i32(&b, v, 1) == -1,
           "reshape new_shape");
  MH_CHECK(fb_bool(&b, &t[7], 0, 0) == 1, "reducer keep_dims");
  MH_CHECK(fb_i32(&b, &t[8], 0, 0) == 1 && fb_i32(&b, &t[8], 1, 0) == 2 &&
               fb_i32(&b, &t[8], 4, 0) == 4 && fb_i32(&b, &t[8], 2, -1) == 0,
           "strided slice masks");
  free(fb);
}

/* FC without bias (-1) runs; float, checked against a plain computation. */
static void test_roundtrip_optional_input(void) {
  mh_case = "optional -1 input";
  tflw *w = tflw_new();
  int32_t xs[] = {2, 3}, ws[] = {2, 3}, ys[] = {2, 2};
  float wd[6] = {1, 2, 3, -1, 0.5f, 0.25f};
  int x = mh_t(w, MOTE_FLOAT32, xs, 2, 0, 0);
  int wt = mh_const(w, MOTE_FLOAT32, ws, 2, 0, 0, wd, sizeof wd);
  int y = mh_t(w, MOTE_FLOAT32, ys, 2, 0, 0);
  tflw_op(w, TFL_OP_FULLY_CONNECTED, 1, (int32_t[]){x, wt, -1}, 3,
          (int32_t[]){y}, 1, TFL_OPT_FULLY_CONNECTED, NULL, 0);
  tflw_io(w, &x, 1, &y, 1);
  float xin[6] = {1, -2, 3, 0.5f, 4, -1};
  const void *ins[] = {xin};
  mh_run r;
  if (mh_run_model(&r, w, ins)) {
    double want[4];
    for (int bi = 0; bi < 2; bi++)
      for (int o = 0; o < 2; o++) {
        double acc = 0;
        for (int k = 0; k < 3; k++) acc += xin[bi * 3 + k] * wd[o * 3 + k];
        want[bi * 2 + o] = acc;
      }
    mote_tensor t = mh_out(&r, 0);
    mh_expect_floats("fc", t.data, want, 4, 1e-6);
    mote_tensor bt;
    MH_CHECK(mote_model_tensor(&r.m, 1, &bt) == MOTE_OK && bt.is_const,
             "weights const");
  }
  mh_free(&r);
}

/* Many random models: the layout rules hold whatever the mix. */
static void test_layout_fuzz(void) {
  mh_case = "layout fuzz";
  int bad = 0, neg_total = 0;
  for (int it = 0; it < 200; it++) {
    tflw *w = tflw_new();
    int nt = 1 + mh_randi(0, 12);
    for (int i = 0; i < nt; i++) {
      tflw_tensor_desc d;
      memset(&d, 0, sizeof d);
      int32_t shape[6];
      d.rank = (uint32_t)mh_randi(0, 6);
      for (uint32_t k = 0; k < d.rank; k++) shape[k] = mh_randi(1, 4);
      d.shape = shape;
      d.type = mh_randi(0, 1) ? MOTE_INT8 : MOTE_INT16;
      char name[32];
      snprintf(name, sizeof name, "t%d_%.*s", i, mh_randi(0, 9), "abcdefghi");
      d.name = name;
      float sc[4] = {0.1f, 0.2f, 0.3f, 0.4f};
      int64_t zp[4] = {1, -2, 3, -4};
      int nq = mh_randi(0, 2);
      if (nq) {
        d.q.scale = sc;
        d.q.zero_point = zp;
        d.q.nscale = d.q.nzero = (uint32_t)mh_randi(1, 4);
      }
      d.is_variable = mh_randi(0, 3) == 0;
      if (mh_randi(0, 2) == 0) {
        size_t n = (size_t)mh_randi(1, 37);
        uint8_t data[37];
        for (size_t k = 0; k < n; k++) data[k] = (uint8_t)mh_rand();
        tflw_const_tensor(w, &d, data, n);
      } else {
        tflw_tensor(w, &d);
      }
    }
    int no = mh_randi(0, 5);
    for (int i = 0; i < no; i++) {
      int32_t in[3] = {mh_randi(-1, nt - 1), mh_randi(0, nt - 1), -1};
      int32_t out[1] = {mh_randi(0, nt - 1)};
      int32_t vec[5] = {1, 2, 3, 4, 5};
      tflw_opt o[3] = {TFLW_I8(mh_randi(0, 3), 1),
                       TFLW_F32(mh_randi(4, 6), 0.5),
                       TFLW_VEC(mh_randi(7, 9), vec, (uint32_t)mh_randi(0, 5))};
      tflw_op(w, mh_randi(0, 160), mh_randi(1, 3), in, 3, out, 1,
              (uint8_t)mh_randi(0, 10), o, (uint32_t)mh_randi(0, 3));
    }
    if (mh_randi(0, 1)) tflw_description(w, "fuzz");
    if (mh_randi(0, 1)) tflw_min_runtime_version(w, "2.3.0");
    tflw_io(w, (int32_t[]){0}, 1, (int32_t[]){nt - 1}, 1);
    uint8_t *fb;
    size_t len;
    if (tflw_finish(w, &fb, &len) != 0) {
      printf("  finish failed: %s\n", tflw_error(w));
      bad++;
      tflw_free(w);
      continue;
    }
    tflw_free(w);
    int neg = 0;
    bad += walk_model(fb, len, &neg) != 0;
    neg_total += neg;
    /* mote's own verifier accepts the bytes */
    mote_error err;
    fb_table vroot;
    memset(&err, 0, sizeof err);
    mote_status st = mote_fb_verify(fb, len, &err, &vroot);
    if (st != MOTE_OK) {
      printf("  mote verifier refused: %s at %u\n", mote_status_name(st),
             err.fb_offset);
      bad++;
    }
    free(fb);
  }
  MH_CHECK(bad == 0, "%d of 200 random models violate the layout", bad);
  MH_CHECK(neg_total > 0, "some vtables are shared (after their table)");
}

/* The writer checks indices unless asked not to; mote refuses bad ones. */
static void test_invalid_models(void) {
  mh_case = "invalid models";
  int32_t s[] = {4};
  /* checked: out-of-range tensor index is caught at finish */
  tflw *w = tflw_new();
  int a = mh_t(w, MOTE_INT8, s, 1, 0.1f, 0);
  tflw_op(w, TFL_OP_RELU, 1, (int32_t[]){a}, 1, (int32_t[]){5}, 1, 0, NULL, 0);
  tflw_io(w, &a, 1, (int32_t[]){5}, 1);
  uint8_t *fb;
  size_t len;
  MH_CHECK(tflw_finish(w, &fb, &len) == -1 && strlen(tflw_error(w)) > 0,
           "checked writer refuses index 5: '%s'", tflw_error(w));
  tflw_free(w);

  /* unchecked: mote refuses the same model */
  w = tflw_new();
  tflw_set_unchecked(w, 1);
  a = mh_t(w, MOTE_INT8, s, 1, 0.1f, 0);
  int bt = mh_t(w, MOTE_INT8, s, 1, 0.1f, 0);
  tflw_op(w, TFL_OP_RELU, 1, (int32_t[]){a}, 1, (int32_t[]){5}, 1, 0, NULL, 0);
  tflw_io(w, &a, 1, &bt, 1);
  mh_expect_load_fail(w, MOTE_E_BAD_TENSOR_INDEX, NULL);

  /* a tensor naming a buffer that does not exist */
  w = tflw_new();
  tflw_set_unchecked(w, 1);
  tflw_tensor_desc d;
  memset(&d, 0, sizeof d);
  d.type = MOTE_INT8;
  d.shape = s;
  d.rank = 1;
  d.buffer = 9;
  a = tflw_tensor(w, &d);
  bt = mh_t(w, MOTE_INT8, s, 1, 0, 0);
  tflw_op(w, TFL_OP_RELU, 1, &a, 1, &bt, 1, 0, NULL, 0);
  tflw_io(w, &a, 1, &bt, 1);
  mh_expect_load_fail(w, MOTE_E_BAD_BUFFER, NULL);

  /* constant buffer of the wrong size */
  w = tflw_new();
  int8_t three[3] = {1, 2, 3};
  a = mh_const(w, MOTE_INT8, s, 1, 0.1f, 0, three, 3);
  bt = mh_t(w, MOTE_INT8, s, 1, 0.1f, 0);
  tflw_op(w, TFL_OP_RELU, 1, &a, 1, &bt, 1, 0, NULL, 0);
  tflw_io(w, NULL, 0, &bt, 1);
  mh_expect_load_fail(w, MOTE_E_BAD_BUFFER, NULL);

  /* schema version 2 */
  w = tflw_new();
  tflw_set_version(w, 2);
  a = mh_t(w, MOTE_INT8, s, 1, 0.1f, 0);
  bt = mh_t(w, MOTE_INT8, s, 1, 0.1f, 0);
  tflw_op(w, TFL_OP_RELU, 1, &a, 1, &bt, 1, 0, NULL, 0);
  tflw_io(w, &a, 1, &bt, 1);
  mh_expect_load_fail(w, MOTE_E_UNSUPPORTED, NULL);

  /* per-channel scales that disagree with the channel count */
  w = tflw_new();
  float sc3[3] = {1, 2, 3};
  int8_t four[4] = {0};
  a = mh_const_pc(w, MOTE_INT8, s, 1, sc3, 3, 0, four, 4);
  bt = mh_t(w, MOTE_INT8, s, 1, 0.1f, 0);
  tflw_op(w, TFL_OP_RELU, 1, &a, 1, &bt, 1, 0, NULL, 0);
  tflw_io(w, NULL, 0, &bt, 1);
  mh_expect_load_fail(w, MOTE_E_BAD_QUANT, NULL);

  /* bytes truncated anywhere: never accepted, never a crash */
  w = tflw_new();
  a = mh_t(w, MOTE_INT8, s, 1, 0.1f, 0);
  bt = mh_t(w, MOTE_INT8, s, 1, 0.1f, 0);
  tflw_op(w, TFL_OP_RELU, 1, &a, 1, &bt, 1, 0, NULL, 0);
  tflw_io(w, &a, 1, &bt, 1);
  fb = mh_finish(w, &len);
  int accepted = 0;
  for (size_t cut = 0; cut < len; cut++) {
    uint8_t *p = aligned_alloc(16, (len + 15) & ~(size_t)15);
    memcpy(p, fb, cut);
    size_t need;
    if (mote_arena_required(p, cut, NULL, &need, NULL) == MOTE_OK) accepted++;
    free(p);
  }
  MH_CHECK(accepted == 0, "%d truncations accepted", accepted);
  free(fb);
}

/* tflw API edge cases. */
static void test_api(void) {
  mh_case = "api";
  tflw *w = tflw_new();
  MH_CHECK(tflw_buffer_count(w) == 1, "buffer 0 exists");
  MH_CHECK(tflw_buffer(w, NULL, 0) == 1, "empty buffer 1");
  MH_CHECK(tflw_buffer(w, NULL, 4) == -1, "NULL data refused");
  MH_CHECK(strlen(tflw_error(w)) > 0, "error text");
  MH_CHECK(tflw_buffer(w, "x", 1) == -1, "sticky");
  uint8_t *fb;
  size_t len;
  MH_CHECK(tflw_finish(w, &fb, &len) == -1 && fb == NULL && len == 0,
           "finish fails after error");
  tflw_free(w);
  tflw_free(NULL);

  /* min_runtime_version too long */
  w = tflw_new();
  MH_CHECK(tflw_min_runtime_version(w, "12345678901234567") == -1,
           "version > 16 chars refused");
  tflw_free(w);

  /* finish twice gives the same bytes; output is 16-aligned */
  w = tflw_new();
  int32_t s[] = {2};
  int a = mh_t(w, MOTE_FLOAT32, s, 1, 0, 0);
  tflw_io(w, &a, 1, &a, 1);
  uint8_t *f2;
  size_t l2;
  MH_CHECK(tflw_finish(w, &fb, &len) == 0 && tflw_finish(w, &f2, &l2) == 0 &&
               len == l2 && memcmp(fb, f2, len) == 0,
           "finish is repeatable");
  MH_CHECK(((uintptr_t)fb) % 16 == 0, "output 16-aligned");
  MH_CHECK(walk_model(fb, len, NULL) == 0, "layout of a model without ops");
  char path[] = "/tmp/mote_test_writer_XXXXXX";
  int fd = mkstemp(path);
  if (fd >= 0) {
    close(fd);
    MH_CHECK(tflw_save(path, fb, len) == 0, "save");
    FILE *f = fopen(path, "rb");
    uint8_t back[4096];
    size_t got = f ? fread(back, 1, sizeof back, f) : 0;
    if (f) fclose(f);
    MH_CHECK(got == len && memcmp(back, fb, len) == 0, "saved bytes");
    remove(path);
  }
  MH_CHECK(tflw_save("/nonexistent-dir/x.tflite", fb, len) == -1,
           "save to a bad path fails");
  free(fb);
  free(f2);
  tflw_free(w);
}

int main(void) {
  test_builder_basics();
  test_builder_vtable_sharing();
  test_api();
  test_roundtrip_tensors();
  test_roundtrip_ops();
  test_roundtrip_optional_input();
  test_option_helpers();
  test_layout_fuzz();
  test_invalid_models();
  return mh_report();
}
