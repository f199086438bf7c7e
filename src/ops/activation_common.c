/* activation_common.c: see activation_common.h. */
#include "activation_common.h"

#include <math.h>

#include "../kernels/mote_requant.h"

mote_status mote_act_unary_io(mote_ctx *ctx, const mote_node *node,
                              mote_tensor *in, mote_tensor *out) {
  if (mote_node_ninputs(node) != 1)
    return mote_fail(ctx, node, MOTE_E_BAD_MODEL, -1, "number of inputs", 1,
                     mote_node_ninputs(node));
  if (mote_node_noutputs(node) != 1)
    return mote_fail(ctx, node, MOTE_E_BAD_MODEL, -1, "number of outputs", 1,
                     mote_node_noutputs(node));
  MOTE_TRY(mote_node_input(ctx, node, 0, in));
  MOTE_TRY(mote_node_output(ctx, node, 0, out));
  return mote_expect_same_shape(ctx, node, in, out);
}

mote_status mote_act_same_type(mote_ctx *ctx, const mote_node *node,
                               const mote_tensor *in, const mote_tensor *out) {
  if (in->type == out->type) return MOTE_OK;
  return mote_fail(ctx, node, MOTE_E_BAD_TYPE, (int32_t)out->index,
                   "output type equal to the input type", in->type, out->type);
}

mote_status mote_act_prepare_unary(mote_ctx *ctx, const mote_node *node,
                                   int opt_tag, uint32_t types,
                                   const char *type_what, mote_tensor *in,
                                   mote_tensor *out, mote_act_head *h) {
  MOTE_TRY(mote_act_unary_io(ctx, node, in, out));
  if (opt_tag != 0) MOTE_TRY(mote_act_expect_options(ctx, node, opt_tag));
  MOTE_TRY(mote_act_same_type(ctx, node, in, out));
  if ((unsigned)in->type >= 32u || !(types & MOTE_TYPE_BIT(in->type)))
    return mote_fail(ctx, node, MOTE_E_UNSUPPORTED, (int32_t)in->index,
                     type_what, MOTE_FLOAT32, in->type);
  h->type = in->type;
  h->count = in->count;
  return MOTE_OK;
}

mote_status mote_act_check_quant(mote_ctx *ctx, const mote_node *node,
                                 const mote_tensor *t) {
  int32_t lo = INT32_MIN, hi = INT32_MAX;
  if (t->nscale == 0 || !(t->scale > 0.0f) || !isfinite(t->scale))
    return mote_fail(ctx, node, MOTE_E_BAD_QUANT, (int32_t)t->index,
                     "positive finite scale", 1, t->nscale);
  switch (t->type) {
    case MOTE_INT8:
      lo = INT8_MIN;
      hi = INT8_MAX;
      break;
    case MOTE_UINT8:
      lo = 0;
      hi = UINT8_MAX;
      break;
    case MOTE_INT16:
      lo = INT16_MIN;
      hi = INT16_MAX;
      break;
    default:
      break;
  }
  if (t->zero_point < lo || t->zero_point > hi)
    return mote_fail(ctx, node, MOTE_E_BAD_QUANT, (int32_t)t->index,
                     "zero point within the type's range", lo, t->zero_point);
  return MOTE_OK;
}

mote_status mote_act_expect_zero_point(mote_ctx *ctx, const mote_node *node,
                                       const mote_tensor *t, int32_t want) {
  if (t->zero_point == want) return MOTE_OK;
  return mote_fail(ctx, node, MOTE_E_BAD_QUANT, (int32_t)t->index, "zero point",
                   want, t->zero_point);
}

mote_status mote_act_multiplier(mote_ctx *ctx, const mote_node *node,
                                const mote_tensor *t, double real, int32_t *qm,
                                int32_t *shift) {
  int s = 0;
  mote_quantize_multiplier(real, qm, &s);
  if (s > 31)
    return mote_fail(ctx, node, MOTE_E_UNSUPPORTED, (int32_t)t->index,
                     "rescale multiplier exponent at most", 31, s);
  *shift = s;
  return MOTE_OK;
}

int mote_act_clamp_s8(mote_s8_apply_fn apply, const void *p, int32_t lo,
                      int32_t hi, mote_clamp *c) {
  int8_t buf[32];
  if (lo > hi) return 0;
  for (int32_t x0 = INT8_MIN; x0 <= INT8_MAX; x0 += 32) {
    for (int32_t i = 0; i < 32; i++) buf[i] = (int8_t)(x0 + i);
    apply(p, 32, buf, buf);
    for (int32_t i = 0; i < 32; i++) {
      const int32_t x = x0 + i, want = x < lo ? lo : (x > hi ? hi : x);
      if (buf[i] != want) return 0;
    }
  }
  c->lo = lo;
  c->hi = hi;
  c->flo = 0.0f;
  c->fhi = 0.0f;
  return 1;
}

mote_status mote_act_expect_options(mote_ctx *ctx, const mote_node *node,
                                    int tag) {
  if (node->options_type == 0 || node->options_type == tag) return MOTE_OK;
  return mote_fail(ctx, node, MOTE_E_BAD_OPTIONS, -1, "builtin_options type",
                   tag, node->options_type);
}

int mote_checked_log2(float x, int32_t *out_log2) {
  const float lg = logf(x) * (1.0f / logf(2.0f));
  const float rounded = roundf(lg);
  const float frac = lg - rounded;
  *out_log2 = (int32_t)rounded;
  return fabsf(frac) < 1e-3f;
}

int32_t mote_input_radius(int int_bits, int left_shift) {
  double max_rescaled = (double)((1 << int_bits) - 1) *
                        ldexp(1.0, 31 - int_bits) / ldexp(1.0, left_shift);
  double f = floor(max_rescaled);
  return f >= 2147483647.0 ? INT32_MAX : (int32_t)f;
}

void mote_sigmoid_prepare_s8(const mote_tensor *in, mote_sigmoid_s8_params *p) {
  const double real = (double)in->scale * (double)(1 << 27);
  int e = 0;
  double q = frexp(real, &e);
  p->input_zero_point = in->zero_point;
  p->input_multiplier = (int32_t)round(q * 2147483648.0);
  p->input_left_shift = e;
  p->input_range_radius = mote_input_radius(4, e);
}

mote_status mote_sigmoid_prepare_s16(mote_ctx *ctx, const mote_node *node,
                                     const mote_tensor *in,
                                     const mote_tensor *out, int max_pot_shift,
                                     mote_sigmoid_s16_params *p) {
  int32_t lg = 0;
  int pot;
  MOTE_TRY(mote_act_expect_zero_point(ctx, node, in, 0));
  MOTE_TRY(mote_act_expect_zero_point(ctx, node, out, 0));
  pot = mote_checked_log2(in->scale, &lg);
  p->input_left_shift = 12 + lg;
  pot = pot && p->input_left_shift >= 0 && p->input_left_shift <= max_pot_shift;
  if (pot) {
    p->input_multiplier = 0;
  } else {
    /* Scale the input to 1/(3*4096): +-2^17 then stands for +-10.7. */
    double m = (double)in->scale * 4096.0 * 3.0;
    int32_t shift = 0;
    while (m <= 32767.0 / 2.0 && shift <= 30) {
      shift++;
      m *= 2.0;
    }
    if (!(m <= 2147483647.0))
      return mote_fail(ctx, node, MOTE_E_UNSUPPORTED, (int32_t)in->index,
                       "int16 input scale * 12288 below 2^31", 0, 0);
    p->input_multiplier = (int32_t)m;
    p->input_left_shift = shift;
  }
  if (!mote_checked_log2(out->scale, &lg) || lg != -15)
    return mote_fail(ctx, node, MOTE_E_BAD_QUANT, (int32_t)out->index,
                     "int16 output scale 2^-15 (log2)", -15, lg);
  return MOTE_OK;
}
