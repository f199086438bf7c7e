#include "op_util.h"

#include "op_requant.h"

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

/* Bits of a positive normal float as mantissa (2^23..2^24-1) and the
 * exponent of its last bit; 0 for zero, subnormal, infinite or NaN. */
static uint32_t float_mant(float f, int32_t *e) {
  uint32_t u;
  memcpy(&u, &f, sizeof u);
  const uint32_t be = (u >> 23) & 0xFFu;
  if ((u >> 31) != 0u || be == 0u || be == 0xFFu) return 0u;
  *e = (int32_t)be - 150;
  return (u & 0x7FFFFFu) | 0x800000u;
}

/*
** mote_rq_scales(in, ws, out, MOTE_RQ_DOUBLE) without floating point, for
** positive normal scales (else the double path): the quotient of the
** exact 48-bit product by the divisor's mantissa to 55+ bits by long
** division in 8-bit digits (one 32-bit division each), rounded to 53 bits
** to nearest even as the double division does, then half away from zero
** to 31 bits as mote_quantize_multiplier does. The same bits, a tenth of
** the soft-double cost on a Cortex-M4.
*/
void mote_rq_scales_int(float in_scale, float ws, float out_scale, int32_t *qm,
                        int *shift) {
  int32_t ea = 0, ew = 0, eo = 0;
  const uint32_t ma = float_mant(in_scale, &ea), mw = float_mant(ws, &ew);
  const uint32_t mo = float_mant(out_scale, &eo);
  if (!ma || !mw || !mo) {
    mote_rq_scales(in_scale, ws, out_scale, MOTE_RQ_DOUBLE, qm, shift);
    return;
  }
  const uint64_t p = (uint64_t)ma * mw; /* exact, < 2^48 */
  uint64_t n = 0;                       /* floor(p * 2^32 / mo), < 2^57 */
  uint32_t r = 0;
  for (int i = 9; i >= 0; i--) {
    r = (r << 8) | (i >= 4 ? (uint32_t)(p >> (8 * (i - 4))) & 0xFFu : 0u);
    const uint32_t d = r / mo;
    r -= d * mo;
    n = (n << 8) | d;
  }
  int k = 0; /* bits beyond 53 (n has 55 to 57 bits) */
  while ((n >> (53 + k)) != 0u) k++;
  const uint64_t half = (uint64_t)1 << (k - 1), low = n & ((half << 1) - 1u);
  uint64_t m = n >> k;
  if (low > half || (low == half && (r != 0u || (m & 1u))))
    m++; /* to nearest even, r: sticky bits */
  int32_t e = 53 + k - 32 + ea + ew - eo;
  if ((m >> 53) != 0u) {
    m >>= 1;
    e++;
  }
  int64_t q = (int64_t)((m + ((uint64_t)1 << 21)) >> 22);
  if (q == ((int64_t)1 << 31)) {
    q /= 2;
    e++;
  }
  if (e < -31) {
    e = 0;
    q = 0;
  }
  *qm = (int32_t)q;
  *shift = (int)e;
}

#if defined(__GNUC__)
__attribute__((noinline))
#endif
mote_status
mote_rq_fill_eval(mote_ctx *ctx, const mote_node *node, uint32_t w_input,
                  uint32_t channels, int how, mote_requant_ch *r, void *mem) {
  mote_tensor t; /* one view at a time: a small frame */
  MOTE_TRY(mote_node_output(ctx, node, 0, &t));
  const float out_scale = t.scale;
  MOTE_TRY(mote_node_input(ctx, node, 0, &t));
  const float in_scale = t.scale;
  MOTE_TRY(mote_node_input(ctx, node, w_input, &t));
  if (!mem || t.nscale < channels)
    return mote_fail(ctx, node, MOTE_E_RUNTIME, -1,
                     "scratch and scales for the requantization arrays", 1, 0);
  int32_t *mult = (int32_t *)mem;
  int8_t *shift = (int8_t *)(void *)(mult + channels);
  for (uint32_t c = 0; c < channels; c++) {
    int32_t qm;
    int sh;
    const float ws = mote_tensor_scale(&t, c);
    if (how == MOTE_RQ_DOUBLE)
      mote_rq_scales_int(in_scale, ws, out_scale, &qm, &sh);
    else
      mote_rq_scales(in_scale, ws, out_scale, how, &qm, &sh);
    mult[c] = qm;
    shift[c] = (int8_t)sh;
  }
  r->mult = mult;
  r->shift = shift;
  return MOTE_OK;
}
