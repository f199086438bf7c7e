/*
** qz_search.c: end-to-end tuning on the calibration samples (qz_tune.h):
** the driver and the range search; bias correction is in qz_bcorr.c.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qz_tune.h"

double qz_tune_factor(int k) {
  return pow(2.0, -k / 6.0);
}

int qz_tune_error(qz_tune *t, double *e) {
  return qz_build_error(t->g, t->stats, &t->o, t->cal, &t->ref, e, t->err,
                        t->errlen);
}

/* Range search state: per tensor its base range and group, per group
 * root the factors chosen for both ends. */
typedef struct search {
  qz_tune *t;
  double *base_lo, *base_hi;
  int32_t *root; /* -1: not searched */
  double *f_lo, *f_hi;
} search;

/* Ranges of group r's members from its factors. */
static void apply(search *s, int32_t r) {
  for (uint32_t i = 0; i < s->t->g->ntensors; i++) {
    if (s->root[i] != r) continue;
    s->t->stats[i].mn = s->base_lo[i] * s->f_lo[r];
    s->t->stats[i].mx = s->base_hi[i] * s->f_hi[r];
  }
}

/* Try every factor for one end (hi != 0: upper; sym: both) of group r,
 * keeping the best. Returns 0 or as qz_tune_error. */
static int search_end(search *s, int32_t r, int hi, int sym) {
  qz_tune *t = s->t;
  double *f = hi ? &s->f_hi[r] : &s->f_lo[r];
  double keep = *f;
  int rc = 0;
  for (int k = 0; k < QZ_TUNE_FACTORS; k++) {
    double c = qz_tune_factor(k), e;
    if (c == keep) continue;
    *f = c;
    if (sym) s->f_lo[r] = c;
    apply(s, r);
    if ((rc = qz_tune_error(t, &e)) != 0) break;
    if (e < t->best) {
      t->best = e;
      keep = c;
    } else if (e > 2 * t->best) {
      break; /* clipping this much already doubles the error */
    }
  }
  *f = keep;
  if (sym) s->f_lo[r] = keep;
  apply(s, r);
  return rc;
}

/* Group roots of the searched tensors (activations with an observed
 * range not fixed by their op), in order of first use by the graph. */
static uint32_t find_groups(search *s, const qz_plan *p, int32_t *order) {
  const qz_graph *g = s->t->g;
  uint32_t n = 0;
  for (uint32_t i = 0; i < g->ntensors; i++) {
    int32_t r = (int32_t)i;
    while (p->t[r].group != r) r = p->t[r].group;
    int ok = p->t[i].role == QZ_R_ACT && s->t->stats[i].seen && !p->t[r].fixed;
    s->root[i] = ok ? r : -1;
  }
  for (uint32_t k = 0; k < g->nops; k++) {
    const qz_op *op = &g->ops[k];
    for (uint32_t j = 0; j < op->nin + op->nout; j++) {
      int32_t i = j < op->nin ? op->in[j] : op->out[j - op->nin];
      if (i < 0 || s->root[i] < 0) continue;
      uint32_t q = 0;
      while (q < n && order[q] != s->root[i]) q++;
      if (q == n) order[n++] = s->root[i];
    }
  }
  return n;
}

int qz_tune_ranges(qz_tune *t) {
  const qz_graph *g = t->g;
  uint32_t n = g->ntensors + 1;
  search s = {t,
              calloc(n, sizeof(double)),
              calloc(n, sizeof(double)),
              calloc(n, sizeof(int32_t)),
              calloc(n, sizeof(double)),
              calloc(n, sizeof(double))};
  int32_t *order = calloc(n, sizeof *order);
  qz_plan plan;
  host_model qm;
  int rc = -1;
  if (!s.base_lo || !s.base_hi || !s.root || !s.f_lo || !s.f_hi || !order) {
    snprintf(t->err, t->errlen, "out of memory");
    goto done;
  }
  for (uint32_t i = 0; i < g->ntensors; i++) {
    s.base_lo[i] = t->stats[i].mn;
    s.base_hi[i] = t->stats[i].mx;
    s.f_lo[i] = s.f_hi[i] = 1.0;
  }
  /* The plan gives roles, groups and fixed parameters. */
  rc = qz_build(g, t->stats, &t->o, &plan, &qm, t->err, t->errlen);
  if (rc == 0) t->groups = find_groups(&s, &plan, order);
  host_model_free(&qm);
  qz_plan_free(&plan);
  char step[32];
  for (int sw = 1; rc == 0 && sw <= t->sweeps && t->best > 0; sw++) {
    snprintf(step, sizeof step, "range search %d", sw);
    for (uint32_t q = 0; rc == 0 && q < t->groups; q++) {
      int32_t r = order[q];
      int sym = t->o.act16, has_lo = 0, has_hi = 0;
      for (uint32_t i = 0; i < g->ntensors; i++) {
        if (s.root[i] != r) continue;
        has_lo |= s.base_lo[i] < 0;
        has_hi |= s.base_hi[i] > 0;
      }
      if (sym || has_hi) rc = search_end(&s, r, 1, sym);
      if (rc == 0 && !sym && has_lo) rc = search_end(&s, r, 0, 0);
      if (t->progress)
        t->progress(t->user, step, q + 1, t->groups,
                    qz_sqnr_db(t->sig, t->best));
    }
  }
done:
  free(s.base_lo);
  free(s.base_hi);
  free(s.root);
  free(s.f_lo);
  free(s.f_hi);
  free(order);
  return rc;
}

int qz_tune_run(qz_tune *t, char *err, size_t errlen) {
  const qz_graph *g = t->g;
  t->err = err;
  t->errlen = errlen;
  err[0] = 0;
  /* Base ranges into mn/mx; the histograms are not needed after. */
  const double steps = t->o.act16 ? 65534.0 : 255.0;
  for (uint32_t i = 0; i < g->ntensors; i++) {
    qz_stats *st = &t->stats[i];
    if (!st->seen) continue;
    qz_choose_range(t->o.method, t->o.pct, t->o.act16, steps, st->mn, st->mx,
                    st->h, &st->mn, &st->mx);
    free(st->h);
    st->h = NULL;
  }
  t->o.method = QZ_MINMAX;
  memset(&t->ref, 0, sizeof t->ref);
  int rc = qz_run_outputs(g->hm, t->cal, &t->ref, err, errlen);
  if (rc == 0) {
    t->sig = 0;
    for (size_t i = 0; i < (size_t)t->ref.n * t->ref.per; i++)
      t->sig += (double)t->ref.y[i] * t->ref.y[i];
    rc = qz_tune_error(t, &t->best);
  }
  if (rc == 0) t->base_db = qz_sqnr_db(t->sig, t->best);
  if (rc == 0 && t->bias) rc = qz_tune_bias(t);
  if (rc == 0 && t->sweeps > 0) rc = qz_tune_ranges(t);
  if (rc == 0 && t->bias && t->sweeps > 0) rc = qz_tune_bias(t);
  if (rc == 0) t->best_db = qz_sqnr_db(t->sig, t->best);
  t->corrected = 0;
  for (uint32_t i = 0; i < g->ntensors; i++)
    t->corrected += t->stats[i].bias_adj != NULL;
  qz_outputs_free(&t->ref);
  return rc;
}
