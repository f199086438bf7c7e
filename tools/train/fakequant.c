/*
** fakequant.c: quantization-aware training pieces: int8 fake quantization
** of weights (symmetric, per output channel for conv/dw, per tensor for
** fc) and of layer outputs (asymmetric int8 on EMA min/max ranges).
*/
#include <float.h>
#include <math.h>
#include <string.h>

#include "train_internal.h"

#define QAT_EMA 0.01f

static inline size_t out_len(const tr_layer *L) {
  return (size_t)L->out_h * L->out_w * L->out_c;
}

static void qparams(float mn, float mx, float *scale, float *zp) {
  if (mn > 0) mn = 0;
  if (mx < 0) mx = 0;
  float s = (mx - mn) / 255.0f;
  if (s <= 0) s = 1e-8f;
  *scale = s;
  *zp = nearbyintf(-128.0f - mn / s);
}

void tr_quant_weights(tr_net *net, tr_ws *ws) {
  for (int l = 0; l < net->n_layers; l++) {
    const tr_layer *L = &net->layers[l];
    float *q = ws->aux[l].qw;
    if (!q) continue;
    /* per output channel for conv/dw, per tensor for fc */
    int nch = L->kind == TR_FC ? 1 : L->out_c;
    size_t per = L->kind == TR_DW ? 1 : L->nw / (size_t)nch;
    size_t stride = L->kind == TR_DW ? (size_t)L->out_c : 1;
    for (int ch = 0; ch < nch; ch++) {
      size_t cnt = L->kind == TR_DW ? L->nw / (size_t)L->out_c : per;
      float mx = 0;
      for (size_t i = 0; i < cnt; i++) {
        size_t j = L->kind == TR_DW ? i * stride + ch : ch * per + i;
        float a = fabsf(L->w[j]);
        if (a > mx) mx = a;
      }
      float s = mx > 0 ? mx / 127.0f : 1.0f;
      for (size_t i = 0; i < cnt; i++) {
        size_t j = L->kind == TR_DW ? i * stride + ch : ch * per + i;
        float v = nearbyintf(L->w[j] / s);
        if (v > 127) v = 127;
        if (v < -127) v = -127;
        q[j] = v * s;
      }
    }
  }
}

void tr_qact_minmax(const tr_ctx *x, int l, int c, int lo, int hi) {
  const tr_layer *L = &x->net->layers[l];
  double *p = x->ws->aux[l].part + (size_t)c * 2;
  const float *y = x->ws->act[l + 1];
  float mn = FLT_MAX, mx = -FLT_MAX;
  for (size_t i = (size_t)lo * out_len(L); i < (size_t)hi * out_len(L); i++) {
    if (y[i] < mn) mn = y[i];
    if (y[i] > mx) mx = y[i];
  }
  p[0] = mn;
  p[1] = mx;
}

void tr_qact_reduce(const tr_ctx *x, int l) {
  tr_layer *L = &x->net->layers[l];
  tr_laux *A = &x->ws->aux[l];
  double mn = DBL_MAX, mx = -DBL_MAX;
  for (int c = 0; c < TR_CHUNKS; c++) {
    int lo, hi;
    tr_slice(x->n, c, &lo, &hi);
    if (lo == hi) continue;
    if (A->part[2 * c] < mn) mn = A->part[2 * c];
    if (A->part[2 * c + 1] > mx) mx = A->part[2 * c + 1];
  }
  if (!L->act_init) {
    L->act_min = (float)mn;
    L->act_max = (float)mx;
    L->act_init = 1;
  } else {
    L->act_min += QAT_EMA * ((float)mn - L->act_min);
    L->act_max += QAT_EMA * ((float)mx - L->act_max);
  }
}

void tr_qact_apply(const tr_ctx *x, int l, int lo, int hi) {
  const tr_layer *L = &x->net->layers[l];
  if (!L->act_init) return;
  float s, zp;
  qparams(L->act_min, L->act_max, &s, &zp);
  float *y = x->ws->act[l + 1];
  for (size_t i = (size_t)lo * out_len(L); i < (size_t)hi * out_len(L); i++) {
    float q = nearbyintf(y[i] / s) + zp;
    if (q < -128) q = -128;
    if (q > 127) q = 127;
    y[i] = (q - zp) * s;
  }
}
