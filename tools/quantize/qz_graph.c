/*
** qz_graph.c: read a loaded model's graph for the quantizer (qz_graph.h).
** Options tables are copied field by field with the kinds schema.fbs
** gives them, so the rewritten model keeps every option the source set.
*/
#include "qz_graph.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/fb_reader.h"
#include "runtime/model_internal.h"
#include "runtime/tflite_schema.h"

/* Field kinds of one options table, by field id (schema.fbs). */
typedef struct opt_layout {
  uint8_t tag;
  uint8_t n;
  tflw_opt_kind kind[8];
} opt_layout;

#define B TFLW_K_I8
#define I TFLW_K_I32
#define T TFLW_K_BOOL
#define F TFLW_K_F32
#define V TFLW_K_VEC_I32
static const opt_layout k_layouts[] = {
    {TFL_OPT_CONV2D, 7, {B, I, I, B, I, I, B}},
    {TFL_OPT_DEPTHWISE_CONV2D, 7, {B, I, I, I, B, I, I}},
    {TFL_OPT_POOL2D, 6, {B, I, I, I, I, B}},
    {TFL_OPT_FULLY_CONNECTED, 5, {B, B, T, T, B}},
    {TFL_OPT_SOFTMAX, 1, {F}},
    {TFL_OPT_CONCATENATION, 2, {I, B}},
    {TFL_OPT_ADD, 2, {B, T}},
    {TFL_OPT_RESHAPE, 1, {V}},
    {TFL_OPT_MUL, 1, {B}},
    {TFL_OPT_PAD, 0, {0}},
    {TFL_OPT_TRANSPOSE, 0, {0}},
    {TFL_OPT_REDUCER, 1, {T}},
    {TFL_OPT_SUB, 2, {B, T}},
    {TFL_OPT_SQUEEZE, 1, {V}},
    {TFL_OPT_STRIDED_SLICE, 6, {I, I, I, I, I, T}},
    {TFL_OPT_DEQUANTIZE, 0, {0}},
    {TFL_OPT_PADV2, 0, {0}},
    {TFL_OPT_EXPAND_DIMS, 0, {0}},
    {TFL_OPT_LEAKY_RELU, 1, {F}},
    {TFL_OPT_QUANTIZE, 0, {0}},
    {TFL_OPT_HARD_SWISH, 0, {0}},
};
#undef B
#undef I
#undef T
#undef F
#undef V

static const opt_layout *layout_of(uint8_t tag) {
  for (size_t i = 0; i < sizeof k_layouts / sizeof k_layouts[0]; i++)
    if (k_layouts[i].tag == tag) return &k_layouts[i];
  return NULL;
}

/* Copy the options table of op into o->opts. Returns 0 or -1. */
static int read_options(const fb_buf *b, const fb_table *opt, qz_op *o) {
  const opt_layout *l = layout_of(o->opt_type);
  if (!l) return -1;
  fb_table t = fb_subtable(b, opt, TFL_OP_BUILTIN_OPTIONS);
  if (t.pos == 0) return 0; /* tag without table: all defaults */
  for (int f = 0; f < l->n; f++) {
    if (!fb_field(b, &t, f)) continue;
    tflw_opt *x = &o->opts[o->nopts++];
    memset(x, 0, sizeof *x);
    x->field = f;
    x->kind = l->kind[f];
    switch (x->kind) {
      case TFLW_K_I8:
        x->i = fb_i8(b, &t, f, 0);
        break;
      case TFLW_K_I32:
        x->i = fb_i32(b, &t, f, 0);
        break;
      case TFLW_K_BOOL:
        x->i = fb_bool(b, &t, f, 0);
        break;
      case TFLW_K_F32:
        x->f = fb_f32(b, &t, f, 0.0f);
        break;
      case TFLW_K_VEC_I32: {
        fb_vec v = fb_vector(b, &t, f);
        o->vec = calloc(v.n ? v.n : 1, sizeof(int32_t));
        if (!o->vec) return -1;
        for (uint32_t k = 0; k < v.n; k++) o->vec[k] = fb_vec_i32(b, v, k);
        x->vec = o->vec;
        x->nvec = v.n;
        break;
      }
      default:
        return -1;
    }
  }
  return 0;
}

int qz_graph_read(qz_graph *g, host_model *hm, char *err, size_t errlen) {
  mote_model *m = &hm->m;
  memset(g, 0, sizeof *g);
  g->hm = hm;
  g->ntensors = m->n_tensors;
  g->nops = m->n_ops;
  g->nin = mote_model_input_count(m);
  g->nout = mote_model_output_count(m);
  g->t = calloc(g->ntensors + 1, sizeof *g->t);
  g->ops = calloc(g->nops + 1, sizeof *g->ops);
  g->in = calloc(g->nin + 1, sizeof *g->in);
  g->out = calloc(g->nout + 1, sizeof *g->out);
  if (!g->t || !g->ops || !g->in || !g->out) {
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  for (uint32_t i = 0; i < g->ntensors; i++) mote_model_tensor(m, i, &g->t[i]);
  for (uint32_t i = 0; i < g->nin; i++) {
    mote_tensor v;
    mote_model_input(m, i, &v);
    g->in[i] = (int32_t)v.index;
  }
  for (uint32_t i = 0; i < g->nout; i++) {
    mote_tensor v;
    mote_model_output(m, i, &v);
    g->out[i] = (int32_t)v.index;
  }
  fb_buf b = {m->fb, m->fb_len};
  fb_vec ops = {m->operators, m->n_ops};
  for (uint32_t i = 0; i < g->nops; i++) {
    qz_op *o = &g->ops[i];
    fb_table t = fb_vec_table(&b, ops, i);
    uint32_t oc = fb_u32(&b, &t, TFL_OP_OPCODE_INDEX, 0);
    o->code = mote_opcode_builtin(m, oc, &o->version);
    o->nin = mote_model_op_tensors(m, i, 0, o->in, QZ_MAX_IO);
    o->nout = mote_model_op_tensors(m, i, 1, o->out, QZ_MAX_IO);
    if (o->nin > QZ_MAX_IO || o->nout > QZ_MAX_IO) {
      snprintf(err, errlen, "operator %u (%s): too many tensors", i,
               mote_builtin_name(o->code));
      return -1;
    }
    o->opt_type = fb_u8(&b, &t, TFL_OP_BUILTIN_OPTIONS_TYPE, 0);
    o->has_custom = fb_vector(&b, &t, TFL_OP_CUSTOM_OPTIONS).n > 0;
    if (o->opt_type != 0 && layout_of(o->opt_type) == NULL) {
      o->opts_unknown = 1; /* the quantizer refuses such ops */
    } else if (o->opt_type != 0 && read_options(&b, &t, o) != 0) {
      snprintf(err, errlen, "operator %u (%s): options not readable", i,
               mote_builtin_name(o->code));
      return -1;
    }
  }
  return 0;
}

void qz_graph_free(qz_graph *g) {
  if (g->ops)
    for (uint32_t i = 0; i < g->nops; i++) free(g->ops[i].vec);
  free(g->t);
  free(g->ops);
  free(g->in);
  free(g->out);
  memset(g, 0, sizeof *g);
}

int64_t qz_opt_i(const qz_op *op, int field, int64_t def) {
  for (uint32_t i = 0; i < op->nopts; i++)
    if (op->opts[i].field == field) return op->opts[i].i;
  return def;
}

float *qz_const_f32(const mote_tensor *t) {
  if (t->type != MOTE_FLOAT32 || !t->is_const || !t->data) return NULL;
  float *f = malloc(t->count ? t->count * sizeof(float) : sizeof(float));
  if (f) memcpy(f, t->data, t->count * sizeof(float));
  return f;
}
