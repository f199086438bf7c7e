/*
** qz_eval.c: output comparison of a quantized model against the float
** model (qz_eval.h).
*/
#include "qz_eval.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/feed.h"
#include "qz_math.h"

int qz_run_outputs(host_model *hm, const qz_samples *s, qz_outputs *o,
                   char *err, size_t errlen) {
  mote_model *m = &hm->m;
  memset(o, 0, sizeof *o);
  uint32_t nout = mote_model_output_count(m);
  for (uint32_t k = 0; k < nout; k++) {
    mote_tensor t;
    mote_model_output(m, k, &t);
    if (k == 0) o->out0 = t.count;
    o->per += t.count;
  }
  o->n = s->n;
  o->y = malloc((o->per * s->n + 1) * sizeof(float));
  if (!o->y) {
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  for (uint32_t i = 0; i < s->n; i++) {
    if (qz_feed_run(hm, s->x + (size_t)i * s->len, s->len, err, errlen))
      return -1;
    if (mote_model_invoke(m) != MOTE_OK) {
      char msg[160];
      mote_error_format(&m->err, msg, sizeof msg);
      snprintf(err, errlen, "invoke failed on sample %u: %s", i, msg);
      return -1;
    }
    float *y = o->y + (size_t)i * o->per;
    for (uint32_t k = 0; k < nout; k++) {
      mote_tensor t;
      mote_model_output(m, k, &t);
      if (read_output_f32(&t, y, t.count) != 0) {
        snprintf(err, errlen, "output %u: type %s not readable", k,
                 mote_dtype_name(t.type));
        return -1;
      }
      y += t.count;
    }
  }
  return 0;
}

static size_t argmax(const float *y, size_t n) {
  size_t b = 0;
  for (size_t i = 1; i < n; i++)
    if (y[i] > y[b]) b = i;
  return b;
}

int qz_score_outputs(const qz_outputs *ref, const qz_outputs *got, qz_score *sc,
                     char *err, size_t errlen) {
  memset(sc, 0, sizeof *sc);
  if (ref->n != got->n || ref->per != got->per) {
    snprintf(err, errlen, "outputs differ in shape (%zu vs %zu values)",
             ref->per, got->per);
    return -1;
  }
  for (uint32_t i = 0; i < ref->n; i++) {
    const float *a = ref->y + (size_t)i * ref->per;
    const float *b = got->y + (size_t)i * got->per;
    for (size_t k = 0; k < ref->per; k++) {
      double d = (double)a[k] - (double)b[k];
      sc->sig += (double)a[k] * a[k];
      sc->err += d * d;
    }
    if (ref->out0 > 1) {
      sc->n++;
      sc->agree += argmax(a, ref->out0) == argmax(b, got->out0);
    }
  }
  sc->sqnr_db = qz_sqnr_db(sc->sig, sc->err);
  return 0;
}

int qz_build(const qz_graph *g, const qz_stats *stats, const qz_options *o,
             qz_plan *plan, host_model *qm, char *err, size_t errlen) {
  uint8_t *qb = NULL;
  size_t qlen = 0;
  memset(qm, 0, sizeof *qm);
  int rc = qz_quantize_graph(g, stats, o, plan, &qb, &qlen, err, errlen);
  if (rc != 0) {
    free(qb);
    return rc;
  }
  if (host_model_from_bytes(qm, qb, qlen, 0) != MOTE_OK) {
    mote_error_format(&qm->m.err, err, errlen);
    host_model_free(qm);
    return -1;
  }
  return 0;
}

int qz_build_error(const qz_graph *g, const qz_stats *stats,
                   const qz_options *o, const qz_samples *s,
                   const qz_outputs *ref, double *e, char *err, size_t errlen) {
  qz_plan plan;
  host_model qm;
  qz_outputs got = {0, 0, 0, NULL};
  qz_score sc;
  int rc = qz_build(g, stats, o, &plan, &qm, err, errlen);
  if (rc == 0)
    rc = qz_run_outputs(&qm, s, &got, err, errlen) ||
                 qz_score_outputs(ref, &got, &sc, err, errlen)
             ? -1
             : 0;
  if (rc == 0) *e = sc.err;
  qz_outputs_free(&got);
  host_model_free(&qm);
  qz_plan_free(&plan);
  return rc;
}

void qz_outputs_free(qz_outputs *o) {
  free(o->y);
  memset(o, 0, sizeof *o);
}
