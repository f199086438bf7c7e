/*
** feed.c: float <-> tensor-view conversion for the host tools (feed.h).
*/
#include "data/feed.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

size_t tensor_elems(const mote_tensor *t) {
  if (t->count) return t->count;
  size_t n = 1;
  for (uint32_t d = 0; d < t->ndim && d < MOTE_MAX_DIMS; d++)
    n *= t->dims[d] > 0 ? (size_t)t->dims[d] : 0;
  return n;
}

/* round_half_away(x / scale) + zp saturated to [lo, hi]. */
static int32_t quantize_one(float x, float scale, int32_t zp, int32_t lo,
                            int32_t hi) {
  float v = x / scale;
  if (isnan(v)) return zp < lo ? lo : zp > hi ? hi : zp;
  double r = (double)roundf(v) + (double)zp;
  if (r < (double)lo) return lo;
  if (r > (double)hi) return hi;
  return (int32_t)r;
}

int feed_input_f32(mote_tensor *t, const float *x, size_t n) {
  if (!t || !t->data || n != tensor_elems(t)) return -1;
  float scale = (t->scale > 0.0f && isfinite(t->scale)) ? t->scale : 1.0f;
  int32_t zp = t->zero_point;
  switch (t->type) {
    case MOTE_FLOAT32:
      memcpy(t->data, x, n * sizeof(float));
      return 0;
    case MOTE_INT8: {
      int8_t *q = t->data;
      for (size_t i = 0; i < n; i++)
        q[i] = (int8_t)quantize_one(x[i], scale, zp, INT8_MIN, INT8_MAX);
      return 0;
    }
    case MOTE_UINT8: {
      uint8_t *q = t->data;
      for (size_t i = 0; i < n; i++)
        q[i] = (uint8_t)quantize_one(x[i], scale, zp, 0, UINT8_MAX);
      return 0;
    }
    case MOTE_INT16: {
      int16_t *q = t->data;
      for (size_t i = 0; i < n; i++)
        q[i] = (int16_t)quantize_one(x[i], scale, zp, INT16_MIN, INT16_MAX);
      return 0;
    }
    default:
      return -1;
  }
}

int read_output_f32(const mote_tensor *t, float *y, size_t n) {
  if (!t || !t->data || n != tensor_elems(t)) return -1;
  if (t->type == MOTE_FLOAT32) {
    memcpy(y, t->data, n * sizeof(float));
    return 0;
  }
  int quant = t->scale != 0.0f;
  double scale = quant ? (double)t->scale : 1.0;
  double zp = quant ? (double)t->zero_point : 0.0;
  for (size_t i = 0; i < n; i++) {
    double v;
    int raw = tensor_raw_value(t, i, &v);
    if (raw < 0) return -1;
    y[i] = raw ? (float)v : (float)((v - zp) * scale);
  }
  return 0;
}

int tensor_raw_value(const mote_tensor *t, size_t i, double *v) {
  switch (t->type) {
    case MOTE_FLOAT32:
      *v = ((const float *)t->data)[i];
      return 1;
    case MOTE_BOOL:
      *v = ((const uint8_t *)t->data)[i] != 0;
      return 1;
    case MOTE_INT8:
      *v = ((const int8_t *)t->data)[i];
      return 0;
    case MOTE_UINT8:
      *v = ((const uint8_t *)t->data)[i];
      return 0;
    case MOTE_INT16:
      *v = ((const int16_t *)t->data)[i];
      return 0;
    case MOTE_INT32:
      *v = ((const int32_t *)t->data)[i];
      return 0;
    case MOTE_INT64:
      *v = (double)((const int64_t *)t->data)[i];
      return 0;
    default:
      return -1;
  }
}
