/*
** teacher.c: caching a teacher model's logits over a data set with mote's
** runtime, and the soft-target provider of distillation (see teacher.h).
*/
#include "compress/teacher.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/feed.h"

int cz_teacher_run(mote_model *m, const mote_dataset *ds, cz_teacher *t,
                   uint32_t *correct, char *err, size_t errlen) {
  memset(t, 0, sizeof *t);
  if (correct) *correct = 0;
  mote_tensor in, out;
  if (mote_model_input(m, 0, &in) != MOTE_OK ||
      mote_model_output(m, 0, &out) != MOTE_OK) {
    snprintf(err, errlen, "teacher has no input or output");
    return -1;
  }
  size_t len = ds_sample_len(ds), n_in = tensor_elems(&in);
  size_t k = tensor_elems(&out);
  if (n_in != len) {
    snprintf(err, errlen,
             "teacher input has %zu values, the data set's samples %zu", n_in,
             len);
    return -1;
  }
  if (k < 2) {
    snprintf(err, errlen, "teacher output has %zu values: not a classifier", k);
    return -1;
  }
  uint32_t nops = mote_model_op_count(m);
  const char *last = nops ? mote_model_op_name(m, nops - 1) : NULL;
  t->softmax = last && strcmp(last, "SOFTMAX") == 0;
  float floor_p = 1e-30f; /* float softmax: only an underflow is 0 */
  if (out.type != MOTE_FLOAT32 && out.scale > 0.0f) floor_p = out.scale * 0.5f;
  float *x = malloc(len * sizeof *x);
  t->logits = malloc((size_t)ds->n * k * sizeof *t->logits);
  if (!x || !t->logits) {
    free(x);
    cz_teacher_free(t);
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  t->n = ds->n;
  t->k = (uint32_t)k;
  for (uint32_t i = 0; i < ds->n; i++) {
    float *row = t->logits + (size_t)i * k;
    ds_sample_f32(ds, i, x);
    /* Views may move between invokes: fetch them every time. */
    mote_model_input(m, 0, &in);
    if (feed_input_f32(&in, x, len) != 0) {
      snprintf(err, errlen, "teacher input type is not supported");
      goto fail;
    }
    if (mote_model_invoke(m) != MOTE_OK) {
      char buf[256];
      mote_error_format(&m->err, buf, sizeof buf);
      snprintf(err, errlen, "teacher invoke failed: %s", buf);
      goto fail;
    }
    mote_model_output(m, 0, &out);
    if (read_output_f32(&out, row, k) != 0) {
      snprintf(err, errlen, "teacher output type is not supported");
      goto fail;
    }
    uint32_t best = 0;
    for (uint32_t c = 1; c < k; c++)
      if (row[c] > row[best]) best = c;
    if (correct && ds->labels && ds->labels[i] == best) (*correct)++;
    if (t->softmax)
      for (size_t c = 0; c < k; c++)
        row[c] = logf(row[c] > floor_p ? row[c] : floor_p);
  }
  free(x);
  return 0;
fail:
  free(x);
  cz_teacher_free(t);
  return -1;
}

int cz_teacher_soft(void *user, const uint32_t *idx, uint32_t n,
                    float *logits) {
  const cz_teacher *t = user;
  for (uint32_t j = 0; j < n; j++) {
    if (idx[j] >= t->n) return -1;
    memcpy(logits + (size_t)j * t->k, t->logits + (size_t)idx[j] * t->k,
           t->k * sizeof *logits);
  }
  return 0;
}

void cz_teacher_free(cz_teacher *t) {
  free(t->logits);
  memset(t, 0, sizeof *t);
}
