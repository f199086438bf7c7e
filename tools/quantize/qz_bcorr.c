/*
** qz_bcorr.c: empirical bias correction of FULLY_CONNECTED layers
** (qz_tune.h).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/feed.h"
#include "qz_tune.h"
#include "runtime/tflite_schema.h"

/* Copies input 0 of operator `op` (dequantized) and stops the invoke. */
typedef struct tap {
  uint32_t op;
  float *x;
  size_t n;
  int got;
} tap;

static int tap_obs(void *user, const mote_model *m, uint32_t op, int after) {
  tap *t = (tap *)user;
  if (op != t->op || after) return 0;
  int32_t idx[QZ_MAX_IO];
  mote_tensor v;
  if (mote_model_op_tensors(m, op, 0, idx, QZ_MAX_IO) < 1 || idx[0] < 0 ||
      mote_model_tensor(m, (uint32_t)idx[0], &v) != MOTE_OK)
    return 1;
  t->got = v.count == t->n && read_output_f32(&v, t->x, t->n) == 0;
  return 1;
}

/* Input 0 of op t->op for sample i, run in hm. Returns 0 or -1 with err. */
static int op_input(host_model *hm, const qz_samples *s, uint32_t i, tap *t,
                    char *err, size_t errlen) {
  if (qz_feed_run(hm, s->x + (size_t)i * s->len, s->len, err, errlen))
    return -1;
  t->got = 0;
  if (mote_model_invoke_observed(&hm->m, tap_obs, t) != MOTE_OK || !t->got) {
    snprintf(err, errlen, "bias correction: input of operator %u not read",
             t->op);
    return -1;
  }
  return 0;
}

/* Mean pre-activation error of FC op k (weights [n, kk]) over the
 * samples into d[n], the model quantized with the current stats. */
static int op_error(qz_tune *t, const qz_options *o, uint32_t k, double *d) {
  const qz_graph *g = t->g;
  const qz_op *op = &g->ops[k];
  int32_t w = op->in[1];
  const mote_tensor *wv = &g->t[w], *xv = &g->t[op->in[0]];
  size_t n = g->t[op->in[2]].count, kk = wv->count / n;
  size_t rows = xv->count / kk;
  qz_plan plan;
  host_model qm;
  float *wf = qz_const_f32(wv);
  float *wq = malloc(wv->count * sizeof *wq);
  float *xf = malloc(xv->count * sizeof *xf);
  float *xq = malloc(xv->count * sizeof *xq);
  int rc = qz_build(g, t->stats, o, &plan, &qm, t->err, t->errlen);
  if (rc == 0 && (!wf || !wq || !xf || !xq)) {
    snprintf(t->err, t->errlen, "out of memory");
    rc = -1;
  }
  if (rc == 0) {
    const qz_tplan *pw = &plan.t[w];
    for (size_t i = 0; i < wv->count; i++)
      wq[i] = (float)((const int8_t *)pw->data)[i] *
              pw->scales[pw->nscales > 1 ? i / kk : 0];
  }
  memset(d, 0, n * sizeof *d);
  tap tf = {k, xf, xv->count, 0}, tq = {k, xq, xv->count, 0};
  for (uint32_t i = 0; rc == 0 && i < t->cal->n; i++) {
    if (op_input(g->hm, t->cal, i, &tf, t->err, t->errlen) ||
        op_input(&qm, t->cal, i, &tq, t->err, t->errlen)) {
      rc = -1;
      break;
    }
    for (size_t r = 0; r < rows; r++) {
      const float *a = xq + r * kk, *x = xf + r * kk;
      for (size_t c = 0; c < n; c++) {
        const float *u = wq + c * kk, *v = wf + c * kk;
        double s = 0;
        for (size_t j = 0; j < kk; j++)
          s += (double)u[j] * a[j] - (double)v[j] * x[j];
        d[c] += s;
      }
    }
  }
  for (size_t c = 0; c < n; c++) d[c] /= (double)rows * t->cal->n;
  host_model_free(&qm);
  qz_plan_free(&plan);
  free(wf);
  free(wq);
  free(xf);
  free(xq);
  return rc;
}

/* FC op k with float weights [n, kk] and a float bias of n, its input a
 * multiple of kk: the bias tensor, else -1. */
static int32_t fc_bias(const qz_graph *g, uint32_t k) {
  const qz_op *op = &g->ops[k];
  if (op->code != TFL_OP_FULLY_CONNECTED || op->nin < 3 || op->in[1] < 0 ||
      op->in[2] < 0)
    return -1;
  const mote_tensor *w = &g->t[op->in[1]], *b = &g->t[op->in[2]];
  if (b->type != MOTE_FLOAT32 || !b->is_const || w->type != MOTE_FLOAT32 ||
      b->count == 0 || w->count % b->count ||
      g->t[op->in[0]].count % (w->count / b->count))
    return -1;
  return op->in[2];
}

int qz_tune_bias(qz_tune *t) {
  const qz_graph *g = t->g;
  qz_options oi = t->o;
  oi.io_float = 0; /* operator k of the quantized model is g's op k */
  uint32_t total = 0, done = 0;
  for (uint32_t k = 0; k < g->nops; k++) total += fc_bias(g, k) >= 0;
  /* The corrections before this step, by bias tensor (kept = 1). */
  float **old = calloc(g->ntensors + 1, sizeof *old);
  char *kept = calloc(g->ntensors + 1, 1);
  double *d = NULL;
  int rc = old && kept ? 0 : -1;
  for (uint32_t k = 0; rc == 0 && k < g->nops; k++) {
    int32_t b = fc_bias(g, k);
    if (b < 0 || kept[b]) continue;
    size_t n = g->t[b].count;
    float *adj = malloc(n * sizeof *adj);
    free(d);
    d = malloc(n * sizeof *d);
    if (!adj || !d) {
      free(adj);
      rc = -1;
      break;
    }
    /* The op's inputs, and so d, do not depend on its own correction. */
    if ((rc = op_error(t, &oi, k, d)) != 0) {
      free(adj);
      break;
    }
    for (size_t c = 0; c < n; c++) adj[c] = (float)d[c];
    old[b] = t->stats[b].bias_adj;
    kept[b] = 1;
    t->stats[b].bias_adj = adj;
    if (t->progress && ++done < total)
      t->progress(t->user, "bias correction", done, total,
                  qz_sqnr_db(t->sig, t->best));
  }
  if (rc == -1 && !t->err[0]) snprintf(t->err, t->errlen, "out of memory");
  /* Kept only if the outputs come closer to the float model's. */
  double e = 0;
  if (rc == 0) rc = qz_tune_error(t, &e);
  int better = rc == 0 && e < t->best;
  if (better) t->best = e;
  if (t->progress && rc == 0 && total > 0)
    t->progress(t->user, "bias correction", total, total,
                qz_sqnr_db(t->sig, t->best));
  for (uint32_t i = 0; kept && i < g->ntensors; i++) {
    if (!kept[i]) continue;
    if (better) {
      free(old[i]);
    } else {
      free(t->stats[i].bias_adj);
      t->stats[i].bias_adj = old[i];
    }
  }
  free(old);
  free(kept);
  free(d);
  return rc;
}
