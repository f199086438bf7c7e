/*
** confusion.c: confusion matrix and classifier evaluation loop
** (confusion.h).
*/
#include "data/confusion.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "data/feed.h"

int confusion_init(confusion *c, uint32_t k) {
  memset(c, 0, sizeof *c);
  if (k == 0 || k > 65536) return -1;
  c->m = calloc((size_t)k * k, sizeof *c->m);
  if (!c->m) return -1;
  c->k = k;
  return 0;
}

int confusion_add(confusion *c, uint32_t truth, uint32_t pred) {
  if (truth >= c->k || pred >= c->k) return -1;
  c->m[(size_t)truth * c->k + pred]++;
  c->total++;
  c->correct += truth == pred;
  return 0;
}

uint64_t confusion_at(const confusion *c, uint32_t t, uint32_t p) {
  return (t < c->k && p < c->k) ? c->m[(size_t)t * c->k + p] : 0;
}

uint64_t confusion_class_total(const confusion *c, uint32_t t) {
  uint64_t s = 0;
  for (uint32_t p = 0; p < c->k && t < c->k; p++)
    s += c->m[(size_t)t * c->k + p];
  return s;
}

double confusion_accuracy(const confusion *c) {
  return c->total ? (double)c->correct / (double)c->total : 0.0;
}

double confusion_class_accuracy(const confusion *c, uint32_t t) {
  uint64_t n = confusion_class_total(c, t);
  return n ? (double)confusion_at(c, t, t) / (double)n : 0.0;
}

void confusion_free(confusion *c) {
  free(c->m);
  memset(c, 0, sizeof *c);
}

size_t argmax_f32(const float *y, size_t n) {
  size_t best = 0;
  for (size_t i = 1; i < n; i++)
    if (y[i] > y[best] || (isnan(y[best]) && !isnan(y[i]))) best = i;
  return best;
}

static double now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static classify_status cfail(classify_status st, char *err, size_t errlen,
                             const char *fmt, ...) {
  if (err && errlen) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
  }
  return st;
}

classify_status classify_eval(mote_model *m, const mote_dataset *ds,
                              uint32_t limit, confusion *cm, double *invoke_us,
                              classify_progress progress, void *user, char *err,
                              size_t errlen) {
  memset(cm, 0, sizeof *cm);
  if (invoke_us) *invoke_us = 0.0;
  mote_tensor in, out;
  if (!ds->labels || ds->n == 0)
    return cfail(CLASSIFY_E_ARG, err, errlen,
                 "data set has no labels (%u samples)", ds->n);
  if (mote_model_input_count(m) != 1 || mote_model_output_count(m) < 1)
    return cfail(CLASSIFY_E_ARG, err, errlen,
                 "model has %u inputs and %u outputs; eval feeds one input "
                 "and reads output 0",
                 mote_model_input_count(m), mote_model_output_count(m));
  if (mote_model_input(m, 0, &in) != MOTE_OK ||
      mote_model_output(m, 0, &out) != MOTE_OK)
    return cfail(CLASSIFY_E_ARG, err, errlen, "model is not initialised");
  size_t len = ds_sample_len(ds), nin = tensor_elems(&in),
         nout = tensor_elems(&out);
  if (nin != len)
    return cfail(CLASSIFY_E_SHAPE, err, errlen,
                 "input has %zu elements, data set sample has %zu", nin, len);
  if (in.type != MOTE_FLOAT32 && in.type != MOTE_INT8 &&
      in.type != MOTE_UINT8 && in.type != MOTE_INT16)
    return cfail(CLASSIFY_E_TYPE, err, errlen,
                 "input type %s cannot be fed (float32, int8, uint8, int16)",
                 mote_dtype_name(in.type));
  if (nout < 2)
    return cfail(CLASSIFY_E_SHAPE, err, errlen,
                 "output 0 has %zu element(s); eval needs one score per "
                 "class",
                 nout);
  uint32_t k = nout > ds->n_classes ? (uint32_t)nout : ds->n_classes;
  float *x = malloc(len * sizeof(float)), *y = malloc(nout * sizeof(float));
  if (!x || !y || confusion_init(cm, k) != 0) {
    free(x);
    free(y);
    return cfail(CLASSIFY_E_NOMEM, err, errlen, "out of memory");
  }
  uint32_t n = (limit == 0 || limit > ds->n) ? ds->n : limit;
  double spent = 0.0;
  classify_status st = CLASSIFY_OK;
  for (uint32_t i = 0; i < n; i++) {
    ds_sample_f32(ds, i, x);
    if (feed_input_f32(&in, x, len) != 0) {
      st = cfail(CLASSIFY_E_TYPE, err, errlen, "cannot feed input");
      break;
    }
    double t0 = now_us();
    mote_status ms = mote_model_invoke(m);
    spent += now_us() - t0;
    if (ms != MOTE_OK) {
      char why[256];
      mote_error_format(&m->err, why, sizeof why);
      st = cfail(CLASSIFY_E_INVOKE, err, errlen, "sample %u: %s", i, why);
      break;
    }
    if (read_output_f32(&out, y, nout) != 0) {
      st = cfail(CLASSIFY_E_TYPE, err, errlen,
                 "output type %s cannot be read as numbers",
                 mote_dtype_name(out.type));
      break;
    }
    confusion_add(cm, ds->labels[i], (uint32_t)argmax_f32(y, nout));
    if (progress && ((i + 1) % 256 == 0 || i + 1 == n))
      progress(user, i + 1, n);
  }
  free(x);
  free(y);
  if (st != CLASSIFY_OK) confusion_free(cm);
  if (invoke_us) *invoke_us = spent;
  return st;
}
