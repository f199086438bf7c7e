/*
** qz_rewrite.c: quantization plan and model rewrite (qz_rewrite.h).
*/
#include "qz_rewrite.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/tflite_schema.h"

/* Builtin codes not in tflite_schema.h. */
#define QZ_OP_RELU_N1_TO_1 20

/* How an op is quantized. */
enum {
  K_NONE = 0, /* no integer path: refused */
  K_MAC,      /* CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED */
  K_OWN,      /* output gets its own calibrated range */
  K_TIE,      /* output shares input 0's parameters */
  K_TIE_ALL,  /* output shares every float input's parameters */
  K_FIXED     /* output parameters fixed by the op */
};

typedef struct op_rule {
  int32_t code;
  int kind;
  int in16;        /* has a 16x8 path in mote */
  int32_t version; /* version of the int8 op the converter writes */
} op_rule;

static const op_rule k_rules[] = {
    {TFL_OP_CONV_2D, K_MAC, 1, 3},
    {TFL_OP_DEPTHWISE_CONV_2D, K_MAC, 1, 3},
    {TFL_OP_FULLY_CONNECTED, K_MAC, 1, 4},
    {TFL_OP_ADD, K_OWN, 1, 2},
    {TFL_OP_SUB, K_OWN, 1, 2},
    {TFL_OP_MUL, K_OWN, 1, 2},
    {TFL_OP_RELU, K_OWN, 1, 2},
    {TFL_OP_LEAKY_RELU, K_OWN, 1, 2},
    {TFL_OP_HARD_SWISH, K_OWN, 0, 1},
    {TFL_OP_MEAN, K_OWN, 1, 2},
    {TFL_OP_RELU6, K_TIE, 0, 2},
    {TFL_OP_AVERAGE_POOL_2D, K_TIE, 1, 2},
    {TFL_OP_MAX_POOL_2D, K_TIE, 1, 2},
    {TFL_OP_RESHAPE, K_TIE, 1, 1},
    {TFL_OP_SQUEEZE, K_TIE, 1, 1},
    {TFL_OP_EXPAND_DIMS, K_TIE, 1, 1},
    {TFL_OP_STRIDED_SLICE, K_TIE, 1, 2},
    {TFL_OP_TRANSPOSE, K_TIE, 1, 2},
    {TFL_OP_PAD, K_TIE, 1, 2},
    {TFL_OP_PADV2, K_TIE_ALL, 0, 2},
    {TFL_OP_CONCATENATION, K_TIE_ALL, 1, 2},
    {TFL_OP_SOFTMAX, K_FIXED, 1, 2},
    {TFL_OP_LOGISTIC, K_FIXED, 1, 2},
    {TFL_OP_TANH, K_FIXED, 1, 2},
};

static const op_rule *rule_of(int32_t code) {
  for (size_t i = 0; i < sizeof k_rules / sizeof k_rules[0]; i++)
    if (k_rules[i].code == code) return &k_rules[i];
  return NULL;
}

const char *qz_role_name(int role) {
  static const char *n[] = {"keep", "act", "weight", "bias", "const"};
  return role >= 0 && role <= 4 ? n[role] : "?";
}

static int32_t find(qz_tplan *t, int32_t i) {
  while (t[i].group != i) i = t[i].group = t[t[i].group].group;
  return i;
}

static void unite(qz_tplan *t, int32_t a, int32_t b) {
  if (a < 0 || b < 0) return;
  if (t[a].role != QZ_R_ACT && t[a].role != QZ_R_CONST) return;
  if (t[b].role != QZ_R_ACT && t[b].role != QZ_R_CONST) return;
  a = find(t, a);
  b = find(t, b);
  if (a != b) t[b].group = a;
}

void qz_plan_free(qz_plan *p) {
  if (p->t)
    for (uint32_t i = 0; i < p->ntensors; i++) {
      free(p->t[i].scales);
      free(p->t[i].data);
    }
  free(p->t);
  memset(p, 0, sizeof *p);
}

/* Fixed output parameters of SOFTMAX / LOGISTIC / TANH. */
static void fixed_params(int32_t code, int act16, float *s, int32_t *zp) {
  if (act16) {
    *s = 1.0f / 32768;
    *zp = 0;
  } else if (code == TFL_OP_TANH) {
    *s = 1.0f / 128;
    *zp = 0;
  } else {
    *s = 1.0f / 256;
    *zp = -128;
  }
}

/* Roles and checks. Returns 0 or QZ_E_UNSUPPORTED. */
static int assign_roles(const qz_graph *g, const qz_options *o, qz_tplan *t,
                        char *err, size_t errlen) {
  for (uint32_t i = 0; i < g->ntensors; i++) {
    const mote_tensor *v = &g->t[i];
    t[i].group = (int32_t)i;
    t[i].axis = 0;
    if (v->is_variable) {
      snprintf(err, errlen, "tensor %u (%s): state tensors not supported", i,
               v->name);
      return QZ_E_UNSUPPORTED;
    }
    if (v->type == MOTE_FLOAT32)
      t[i].role = v->is_const ? QZ_R_CONST : QZ_R_ACT;
    else if (v->nscale > 0 && !v->is_const) {
      snprintf(err, errlen, "tensor %u (%s): already quantized (%s)", i,
               v->name, mote_dtype_name(v->type));
      return QZ_E_UNSUPPORTED;
    } else
      t[i].role = QZ_R_KEEP;
  }
  for (uint32_t k = 0; k < g->nops; k++) {
    const qz_op *op = &g->ops[k];
    const op_rule *r = rule_of(op->code);
    const char *name = mote_builtin_name(op->code);
    if (!r || op->has_custom || op->opts_unknown) {
      snprintf(err, errlen, "operator %u (%s): no int8 path", k, name);
      return QZ_E_UNSUPPORTED;
    }
    if (o->act16 && !r->in16) {
      snprintf(err, errlen, "operator %u (%s): no 16x8 path", k, name);
      return QZ_E_UNSUPPORTED;
    }
    if (op->nout < 1 || op->out[0] < 0 || t[op->out[0]].role != QZ_R_ACT ||
        op->nin < 1 || op->in[0] < 0 ||
        (t[op->in[0]].role != QZ_R_ACT && t[op->in[0]].role != QZ_R_CONST)) {
      snprintf(err, errlen, "operator %u (%s): not a float32 operator", k,
               name);
      return QZ_E_UNSUPPORTED;
    }
    if (r->kind != K_MAC) continue;
    int32_t w = op->nin > 1 ? op->in[1] : -1;
    int32_t b = op->nin > 2 ? op->in[2] : -1;
    if (w < 0 || t[w].role != QZ_R_CONST) {
      snprintf(err, errlen, "operator %u (%s): weights not a float constant", k,
               name);
      return QZ_E_UNSUPPORTED;
    }
    t[w].role = QZ_R_WEIGHT;
    if (op->code == TFL_OP_CONV_2D)
      t[w].axis = 0;
    else if (op->code == TFL_OP_DEPTHWISE_CONV_2D)
      t[w].axis = 3;
    else
      t[w].axis = o->fc_per_channel ? 0 : -1;
    if (b >= 0) {
      if (t[b].role != QZ_R_CONST) {
        snprintf(err, errlen, "operator %u (%s): bias not a float constant", k,
                 name);
        return QZ_E_UNSUPPORTED;
      }
      t[b].role = QZ_R_BIAS;
    }
  }
  return 0;
}

/* Activation ranges, shared groups, fixed parameters, scales. */
static void plan_activations(const qz_graph *g, const qz_stats *stats,
                             const qz_options *o, qz_tplan *t) {
  const double steps = o->act16 ? 65534.0 : 255.0;
  for (uint32_t i = 0; i < g->ntensors; i++) {
    const mote_tensor *v = &g->t[i];
    if (t[i].role == QZ_R_ACT) {
      const qz_stats *s = &stats[i];
      if (!s->seen) {
        t[i].lo = 0;
        t[i].hi = 1;
      } else {
        qz_choose_range(o->method, o->pct, o->act16, steps, s->mn, s->mx, s->h,
                        &t[i].lo, &t[i].hi);
      }
    } else if (t[i].role == QZ_R_CONST) {
      const float *x = (const float *)v->data;
      double mn = 0, mx = 0;
      for (size_t k = 0; k < v->count; k++) {
        float f;
        memcpy(&f, x + k, sizeof f);
        if (f < mn) mn = f;
        if (f > mx) mx = f;
      }
      t[i].lo = mn;
      t[i].hi = mx;
    }
  }
  for (uint32_t k = 0; k < g->nops; k++) {
    const qz_op *op = &g->ops[k];
    const op_rule *r = rule_of(op->code);
    if (r->kind == K_TIE) unite(t, op->out[0], op->in[0]);
    if (r->kind == K_TIE_ALL)
      for (uint32_t j = 0; j < op->nin; j++) unite(t, op->out[0], op->in[j]);
    if (r->kind == K_FIXED) t[op->out[0]].fixed = (int)op->code + 1;
  }
  /* Group ranges: union of members; a fixed member decides. */
  for (uint32_t i = 0; i < g->ntensors; i++) {
    if (t[i].role != QZ_R_ACT && t[i].role != QZ_R_CONST) continue;
    int32_t root = find(t, (int32_t)i);
    if ((int32_t)i == root) continue;
    if (t[i].lo < t[root].lo) t[root].lo = t[i].lo;
    if (t[i].hi > t[root].hi) t[root].hi = t[i].hi;
    if (t[i].fixed && !t[root].fixed) t[root].fixed = t[i].fixed;
  }
  for (uint32_t i = 0; i < g->ntensors; i++) {
    if (t[i].role != QZ_R_ACT && t[i].role != QZ_R_CONST) continue;
    qz_tplan *p = &t[find(t, (int32_t)i)];
    if (p->fixed) {
      fixed_params(p->fixed - 1, o->act16, &t[i].scale, &t[i].zp);
    } else if (o->act16) {
      t[i].scale = qz_sym_scale(p->lo, p->hi, 32767);
      t[i].zp = 0;
    } else {
      qz_asym_params(p->lo, p->hi, -128, 127, &t[i].scale, &t[i].zp);
    }
    t[i].type = o->act16 ? MOTE_INT16 : MOTE_INT8;
  }
  for (uint32_t i = 0; i < g->ntensors; i++) {
    if (t[i].role != QZ_R_ACT && t[i].role != QZ_R_CONST) continue;
    t[i].lo = (o->act16 ? -32768 - t[i].zp : -128 - t[i].zp) * t[i].scale;
    t[i].hi = (o->act16 ? 32767 - t[i].zp : 127 - t[i].zp) * t[i].scale;
  }
}

/* Quantized constant bytes of weights, biases and other constants. */
static int plan_constants(const qz_graph *g, const qz_stats *stats,
                          const qz_options *o, qz_tplan *t) {
  for (uint32_t k = 0; k < g->nops; k++) {
    const qz_op *op = &g->ops[k];
    if (rule_of(op->code)->kind != K_MAC) continue;
    int32_t w = op->in[1], b = op->nin > 2 ? op->in[2] : -1;
    const mote_tensor *wv = &g->t[w];
    if (!t[w].data) {
      float *f = qz_const_f32(wv);
      uint32_t nch = t[w].axis >= 0 ? (uint32_t)wv->dims[t[w].axis] : 1;
      t[w].data = malloc(wv->count ? wv->count : 1);
      t[w].scales = malloc(nch * sizeof(float));
      if (!f || !t[w].data || !t[w].scales) {
        free(f);
        return -1;
      }
      t[w].nscales = qz_weights(f, wv->dims, wv->ndim, t[w].axis,
                                (int8_t *)t[w].data, t[w].scales);
      free(f);
      t[w].bytes = wv->count;
      t[w].type = MOTE_INT8;
      t[w].scale = t[w].scales[0];
      if (t[w].axis < 0) t[w].axis = 0;
    }
    if (b >= 0 && !t[b].data) {
      const mote_tensor *bv = &g->t[b];
      float *f = qz_const_f32(bv);
      int wide = o->act16;
      uint32_t nb = t[w].nscales > 1 ? (uint32_t)bv->count : 1;
      t[b].data = malloc(bv->count ? bv->count * (wide ? 8 : 4) : 8);
      t[b].scales = malloc(nb * sizeof(float));
      if (!f || !t[b].data || !t[b].scales) {
        free(f);
        return -1;
      }
      if (t[w].nscales > 1 && t[w].nscales != bv->count) {
        free(f);
        return -1;
      }
      if (stats[b].bias_adj)
        for (size_t i = 0; i < bv->count; i++) f[i] -= stats[b].bias_adj[i];
      qz_bias(f, bv->count, t[op->in[0]].scale, t[w].scales, t[w].nscales, wide,
              t[b].data, t[b].scales);
      free(f);
      t[b].nscales = nb;
      t[b].bytes = bv->count * (wide ? 8 : 4);
      t[b].type = wide ? MOTE_INT64 : MOTE_INT32;
      t[b].scale = t[b].scales[0];
      t[b].axis = 0;
    }
  }
  for (uint32_t i = 0; i < g->ntensors; i++) {
    if (t[i].role != QZ_R_CONST) continue;
    const mote_tensor *v = &g->t[i];
    size_t es = o->act16 ? 2 : 1;
    t[i].data = malloc(v->count ? v->count * es : 2);
    if (!t[i].data) return -1;
    for (size_t k = 0; k < v->count; k++) {
      float f;
      memcpy(&f, (const float *)v->data + k, sizeof f);
      if (o->act16)
        ((int16_t *)t[i].data)[k] =
            (int16_t)qz_quantize(f, t[i].scale, 0, -32768, 32767);
      else
        ((int8_t *)t[i].data)[k] =
            (int8_t)qz_quantize(f, t[i].scale, t[i].zp, -128, 127);
    }
    t[i].bytes = v->count * es;
  }
  return 0;
}

/* Add tensor i of g to the writer with its plan; returns the new index. */
static int write_tensor(tflw *w, const qz_graph *g, const qz_tplan *p,
                        uint32_t i, int as_float, const char *name) {
  const mote_tensor *v = &g->t[i];
  tflw_tensor_desc d;
  memset(&d, 0, sizeof d);
  d.shape = v->dims;
  d.rank = v->ndim;
  d.name = name ? name : v->name;
  int64_t zps[1] = {p->zp};
  int64_t *zpv = NULL;
  if (as_float || p->role == QZ_R_KEEP) {
    d.type = as_float ? MOTE_FLOAT32 : (int32_t)v->type;
    if (!as_float && v->is_const)
      return tflw_const_tensor(w, &d, v->data, v->bytes);
    return tflw_tensor(w, &d);
  }
  d.type = p->type;
  uint32_t n = p->nscales ? p->nscales : 1;
  if (n > 1) {
    zpv = calloc(n, sizeof *zpv);
    if (!zpv) return -1;
  }
  d.q.scale = p->nscales ? p->scales : &p->scale;
  d.q.nscale = n;
  d.q.zero_point = zpv ? zpv : zps;
  d.q.nzero = n;
  d.q.quantized_dim = p->nscales > 1 ? p->axis : 0;
  int r = p->data ? tflw_const_tensor(w, &d, p->data, p->bytes)
                  : tflw_tensor(w, &d);
  free(zpv);
  return r;
}

/*
** Float twins of the n graph inputs (output 0: each fed to its quantized
** tensor by a QUANTIZE op) or outputs (output 1: each read from it by a
** DEQUANTIZE op); ids[k] becomes the float tensor of list[k].
*/
static void float_io(tflw *w, const qz_graph *g, qz_plan *plan,
                     const int32_t *remap, const int32_t *list, uint32_t n,
                     int output, int32_t *ids) {
  char name[256];
  for (uint32_t k = 0; k < n; k++) {
    uint32_t i = (uint32_t)list[k];
    snprintf(name, sizeof name, "%s_float", g->t[i].name);
    ids[k] = write_tensor(w, g, &plan->t[i], i, 1, name);
    int32_t q = remap[i];
    if (output)
      tflw_op(w, TFL_OP_DEQUANTIZE, 2, &q, 1, &ids[k], 1, 0, NULL, 0);
    else
      tflw_op(w, TFL_OP_QUANTIZE, 1, &ids[k], 1, &q, 1, 0, NULL, 0);
    plan->added_ops++;
  }
}

static int write_model(const qz_graph *g, const qz_options *o, qz_plan *plan,
                       uint8_t **out, size_t *len, char *err, size_t errlen) {
  qz_tplan *t = plan->t;
  tflw *w = tflw_new();
  int32_t *remap = calloc(g->ntensors + 1, sizeof *remap);
  int32_t *gin = calloc(g->nin + 1, sizeof *gin);
  int32_t *gout = calloc(g->nout + 1, sizeof *gout);
  int rc = -1;
  if (!w || !remap || !gin || !gout) goto done;
  for (uint32_t i = 0; i < g->ntensors; i++)
    remap[i] = write_tensor(w, g, &t[i], i, 0, NULL);
  for (uint32_t k = 0; k < g->nin; k++) gin[k] = remap[g->in[k]];
  for (uint32_t k = 0; k < g->nout; k++) gout[k] = remap[g->out[k]];
  if (o->io_float) float_io(w, g, plan, remap, g->in, g->nin, 0, gin);
  for (uint32_t k = 0; k < g->nops; k++) {
    const qz_op *op = &g->ops[k];
    const op_rule *r = rule_of(op->code);
    int32_t in[QZ_MAX_IO], ou[QZ_MAX_IO];
    for (uint32_t j = 0; j < op->nin; j++)
      in[j] = op->in[j] < 0 ? -1 : remap[op->in[j]];
    for (uint32_t j = 0; j < op->nout; j++) ou[j] = remap[op->out[j]];
    int32_t ver = op->version > r->version ? op->version : r->version;
    if (o->act16 && (r->kind == K_MAC || op->code == TFL_OP_ADD)) ver++;
    tflw_op(w, op->code, ver, in, op->nin, ou, op->nout, op->opt_type, op->opts,
            op->nopts);
    plan->ops_quantized++;
  }
  if (o->io_float) float_io(w, g, plan, remap, g->out, g->nout, 1, gout);
  tflw_io(w, gin, g->nin, gout, g->nout);
  tflw_description(w, "mote quantize");
  tflw_min_runtime_version(w, "1.14.0");
  if (tflw_finish(w, out, len) != 0) {
    snprintf(err, errlen, "writer: %s", tflw_error(w));
    goto done;
  }
  rc = 0;
done:
  if (rc && !err[0]) snprintf(err, errlen, "out of memory");
  tflw_free(w);
  free(remap);
  free(gin);
  free(gout);
  return rc;
}

int qz_quantize_graph(const qz_graph *g, const qz_stats *stats,
                      const qz_options *o, qz_plan *plan, uint8_t **out,
                      size_t *len, char *err, size_t errlen) {
  memset(plan, 0, sizeof *plan);
  *out = NULL;
  err[0] = 0;
  plan->ntensors = g->ntensors;
  plan->t = calloc(g->ntensors + 1, sizeof *plan->t);
  if (!plan->t) {
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  int rc = assign_roles(g, o, plan->t, err, errlen);
  if (rc) return rc;
  for (uint32_t k = 0; k < g->nin; k++)
    if (g->t[g->in[k]].type != MOTE_FLOAT32) {
      snprintf(err, errlen, "input %u is %s, not float32", k,
               mote_dtype_name(g->t[g->in[k]].type));
      return QZ_E_UNSUPPORTED;
    }
  plan_activations(g, stats, o, plan->t);
  if (plan_constants(g, stats, o, plan->t)) {
    snprintf(err, errlen, "weights or bias could not be quantized");
    return -1;
  }
  return write_model(g, o, plan, out, len, err, errlen);
}
