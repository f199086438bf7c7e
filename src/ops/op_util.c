#include "op_util.h"

#include <math.h>
#include <string.h>

static int32_t quantize_real(float f, const mote_tensor *out) {
  /* TFLite: zero_point + (int32)round(f / scale). The clamp only matters
   * for scales no real model has (the cast would be undefined). */
  float q = roundf(f / out->scale);
  if (q != q) q = 0.0f;
  if (q > 1073741824.0f) q = 1073741824.0f;
  if (q < -1073741824.0f) q = -1073741824.0f;
  return out->zero_point + (int32_t)q;
}

mote_status mote_act_range_quant(mote_ctx *ctx, const mote_node *n, int act,
                                 const mote_tensor *out, int32_t *act_min,
                                 int32_t *act_max) {
  int32_t qmin, qmax;
  switch (out->type) {
    case MOTE_INT8:
      qmin = INT8_MIN;
      qmax = INT8_MAX;
      break;
    case MOTE_INT16:
      qmin = INT16_MIN;
      qmax = INT16_MAX;
      break;
    case MOTE_UINT8:
      qmin = 0;
      qmax = UINT8_MAX;
      break;
    case MOTE_INT32:
      qmin = INT32_MIN;
      qmax = INT32_MAX;
      break;
    default:
      return mote_fail(ctx, n, MOTE_E_BAD_TYPE, (int32_t)out->index,
                       "quantized output type", MOTE_INT8, out->type);
  }
  if (act != TFL_ACT_NONE && !(out->scale > 0.0f))
    return mote_fail(ctx, n, MOTE_E_BAD_QUANT, (int32_t)out->index,
                     "positive output scale for fused activation", 1, 0);
  int32_t lo = qmin, hi = qmax;
  switch (act) {
    case TFL_ACT_NONE:
      break;
    case TFL_ACT_RELU: {
      int32_t z = quantize_real(0.0f, out);
      lo = z > qmin ? z : qmin;
      break;
    }
    case TFL_ACT_RELU6: {
      int32_t z = quantize_real(0.0f, out), s = quantize_real(6.0f, out);
      lo = z > qmin ? z : qmin;
      hi = s < qmax ? s : qmax;
      break;
    }
    case TFL_ACT_RELU_N1_TO_1: {
      int32_t a = quantize_real(-1.0f, out), b = quantize_real(1.0f, out);
      lo = a > qmin ? a : qmin;
      hi = b < qmax ? b : qmax;
      break;
    }
    default:
      return mote_fail(ctx, n, MOTE_E_UNSUPPORTED, (int32_t)out->index,
                       "fused activation NONE/RELU/RELU6/RELU_N1_TO_1", 0, act);
  }
  *act_min = lo;
  *act_max = hi;
  return MOTE_OK;
}

mote_status mote_act_range_float(mote_ctx *ctx, const mote_node *n, int act,
                                 float *act_min, float *act_max) {
  switch (act) {
    case TFL_ACT_NONE:
      *act_min = -INFINITY;
      *act_max = INFINITY;
      return MOTE_OK;
    case TFL_ACT_RELU:
      *act_min = 0.0f;
      *act_max = INFINITY;
      return MOTE_OK;
    case TFL_ACT_RELU6:
      *act_min = 0.0f;
      *act_max = 6.0f;
      return MOTE_OK;
    case TFL_ACT_RELU_N1_TO_1:
      *act_min = -1.0f;
      *act_max = 1.0f;
      return MOTE_OK;
    default:
      return mote_fail(ctx, n, MOTE_E_UNSUPPORTED, -1,
                       "fused activation NONE/RELU/RELU6/RELU_N1_TO_1", 0, act);
  }
}

int32_t mote_conv_out_size(int padding, int32_t in, int32_t filter,
                           int32_t stride, int32_t dilation) {
  if (stride <= 0 || dilation <= 0 || filter <= 0 || in <= 0) return 0;
  int64_t eff = (int64_t)(filter - 1) * dilation + 1;
  int64_t o;
  if (padding == TFL_PAD_SAME)
    o = ((int64_t)in + stride - 1) / stride;
  else if (padding == TFL_PAD_VALID)
    o = ((int64_t)in + stride - eff) / stride;
  else
    return 0;
  return o > 0 && o <= INT32_MAX ? (int32_t)o : 0;
}

int32_t mote_conv_padding(int32_t stride, int32_t dilation, int32_t in,
                          int32_t filter, int32_t out, int32_t *offset) {
  int64_t eff = (int64_t)(filter - 1) * dilation + 1;
  int64_t total = ((int64_t)out - 1) * stride + eff - in;
  if (total < 0) total = 0;
  *offset = (int32_t)(total % 2);
  return (int32_t)(total / 2);
}

int32_t mote_dims_prod(const mote_tensor *t, uint32_t from, uint32_t to) {
  int64_t p = 1;
  for (uint32_t i = from; i < to && i < t->ndim; i++) p *= t->dims[i];
  return (int32_t)p;
}

int64_t mote_report_i64(double v) {
  if (v != v) return 0;
  if (v >= 9.0e18) return INT64_MAX;
  if (v <= -9.0e18) return INT64_MIN;
  return (int64_t)v;
}

mote_status mote_persist_data(mote_ctx *ctx, mote_node *node, const void *d,
                              size_t bytes) {
  void *p = mote_persist(ctx, bytes);
  if (!p) return MOTE_OK;
  memcpy(p, d, bytes);
  node->data = p;
  return MOTE_OK;
}

mote_status mote_int8_only(mote_ctx *ctx, const mote_node *n,
                           const mote_tensor *t) {
  return mote_fail(ctx, n, MOTE_E_UNSUPPORTED, (int32_t)t->index,
                   "int8 tensor (int8-only registration of the op)", MOTE_INT8,
                   t->type);
}
