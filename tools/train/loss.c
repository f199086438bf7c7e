/*
** loss.c: softmax cross-entropy of the logits, with the Hinton
** distillation term when soft targets are given, and its gradient.
*/
#include <float.h>
#include <math.h>
#include <string.h>

#include "train_internal.h"

void tr_loss(const tr_ctx *x, int c) {
  tr_ws *ws = x->ws;
  const int K = x->net->n_classes, L = x->net->n_layers;
  int lo, hi;
  tr_slice(x->n, c, &lo, &hi);
  double loss = 0;
  long correct = 0;
  const float inv_n = 1.0f / (float)x->n;
  const int distill = x->alpha > 0 && ws->soft;
  for (int r = lo; r < hi; r++) {
    const float *z = ws->act[L] + (size_t)r * K;
    float *g = tr_grad(ws, L, lo, r);
    int best = 0;
    float mx = z[0];
    for (int k = 1; k < K; k++)
      if (z[k] > mx) mx = z[k], best = k;
    ws->pred[r] = best;
    if (!ws->labels) continue;
    int y = ws->labels[r];
    correct += best == y;
    double se = 0;
    for (int k = 0; k < K; k++) se += exp((double)z[k] - mx);
    double lse = mx + log(se);
    double ce = lse - z[y];
    if (!x->train) {
      loss += ce;
      continue;
    }
    float w_hard = distill ? 1.0f - x->alpha : 1.0f;
    for (int k = 0; k < K; k++) {
      float p = (float)exp((double)z[k] - lse);
      g[k] = w_hard * (p - (k == y ? 1.0f : 0.0f)) * inv_n;
    }
    if (!distill) {
      loss += ce;
      continue;
    }
    /* Hinton: alpha*T^2*KL(pt||ps), gradient alpha*T*(ps - pt) */
    const float *t = ws->soft + (size_t)r * K;
    const double T = x->T;
    double ms = -DBL_MAX, mt = -DBL_MAX;
    for (int k = 0; k < K; k++) {
      if (z[k] / T > ms) ms = z[k] / T;
      if (t[k] / T > mt) mt = t[k] / T;
    }
    double ss = 0, st = 0;
    for (int k = 0; k < K; k++) {
      ss += exp(z[k] / T - ms);
      st += exp(t[k] / T - mt);
    }
    double kl = 0;
    for (int k = 0; k < K; k++) {
      double lps = z[k] / T - ms - log(ss), lpt = t[k] / T - mt - log(st);
      double pt = exp(lpt);
      kl += pt * (lpt - lps);
      g[k] += (float)(x->alpha * T * (exp(lps) - pt)) * inv_n;
    }
    loss += (1.0 - x->alpha) * ce + x->alpha * T * T * kl;
  }
  ws->loss[c] = loss;
  ws->correct[c] = correct;
}
