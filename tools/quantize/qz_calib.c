/*
** qz_calib.c: calibration passes over sample inputs (qz_calib.h).
*/
#include "qz_calib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/feed.h"

typedef struct obs_ctx {
  qz_stats *stats;
  int pass; /* 1: min/max, 2: histograms */
} obs_ctx;

static void observe_tensor(obs_ctx *c, const mote_model *m, int32_t idx) {
  mote_tensor t;
  if (idx < 0 || mote_model_tensor(m, (uint32_t)idx, &t) != MOTE_OK) return;
  if (t.type != MOTE_FLOAT32 || t.is_const || !t.data) return;
  qz_stats *s = &c->stats[idx];
  const float *x = (const float *)t.data;
  if (c->pass == 1) {
    for (size_t i = 0; i < t.count; i++) {
      double v = x[i];
      if (v != v) continue;
      if (!s->seen || v < s->mn) s->mn = v;
      if (!s->seen || v > s->mx) s->mx = v;
      s->seen = 1;
    }
  } else if (s->h) {
    qz_hist_add(s->h, x, t.count);
  }
}

static int observer(void *user, const mote_model *m, uint32_t op, int after) {
  obs_ctx *c = (obs_ctx *)user;
  int32_t idx[QZ_MAX_IO];
  uint32_t n = mote_model_op_tensors(m, op, after, idx, QZ_MAX_IO);
  if (n > QZ_MAX_IO) n = QZ_MAX_IO;
  /* Before: inputs (graph inputs are seen here); after: outputs. */
  for (uint32_t i = 0; i < n; i++) observe_tensor(c, m, idx[i]);
  return 0;
}

int qz_feed_run(host_model *hm, const float *x, size_t len, char *err,
                size_t errlen) {
  mote_model *m = &hm->m;
  for (uint32_t k = 0; k < mote_model_input_count(m); k++) {
    mote_tensor in;
    mote_model_input(m, k, &in);
    if (k == 0) {
      if (feed_input_f32(&in, x, len) != 0) {
        snprintf(err, errlen, "input 0 has %zu elements, sample has %zu",
                 in.count, len);
        return -1;
      }
    } else {
      memset(in.data, 0, in.bytes);
    }
  }
  return 0;
}

static int run_pass(qz_graph *g, const qz_samples *s, obs_ctx *c,
                    qz_progress progress, void *user, char *err,
                    size_t errlen) {
  mote_model *m = &g->hm->m;
  for (uint32_t i = 0; i < s->n; i++) {
    if (qz_feed_run(g->hm, s->x + (size_t)i * s->len, s->len, err, errlen))
      return -1;
    mote_status st = mote_model_invoke_observed(m, observer, c);
    if (st != MOTE_OK) {
      char msg[160];
      mote_error_format(&m->err, msg, sizeof msg);
      snprintf(err, errlen, "float model failed on sample %u: %s", i, msg);
      return -1;
    }
    if (progress) progress(user, c->pass, i + 1, s->n);
  }
  return 0;
}

int qz_calibrate(qz_graph *g, const qz_samples *s, int histograms,
                 qz_stats *stats, qz_progress progress, void *user, char *err,
                 size_t errlen) {
  obs_ctx c = {stats, 1};
  memset(stats, 0, g->ntensors * sizeof *stats);
  if (!g->hm->m.ops || !g->hm->m.ops->no_fusion) {
    snprintf(err, errlen,
             "calibration observes every tensor: load the float model with "
             "operator fusion off (host_set_fusion(0))");
    return -1;
  }
  if (run_pass(g, s, &c, progress, user, err, errlen)) return -1;
  if (!histograms) return 0;
  for (uint32_t i = 0; i < g->ntensors; i++) {
    if (!stats[i].seen) continue;
    stats[i].h = malloc(sizeof(qz_hist));
    if (!stats[i].h) {
      snprintf(err, errlen, "out of memory");
      return -1;
    }
    qz_hist_init(stats[i].h, stats[i].mn, stats[i].mx);
  }
  c.pass = 2;
  return run_pass(g, s, &c, progress, user, err, errlen);
}

void qz_stats_free(qz_stats *stats, uint32_t n) {
  if (!stats) return;
  for (uint32_t i = 0; i < n; i++) {
    free(stats[i].h);
    free(stats[i].bias_adj);
    stats[i].h = NULL;
    stats[i].bias_adj = NULL;
  }
}
