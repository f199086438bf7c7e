/*
** LEAKY_RELU, TFLM semantics: float32 x > 0 ? x : alpha * x; int8 / int16
** rescale x - zero_point by input_scale / output_scale (x >= 0) or by
** input_scale * alpha / output_scale (x < 0, alpha may be negative or
** above 1), both ratios formed in float like TFLM. Options:
** LeakyReluOptions.alpha (absent: 0).
*/
#include "../kernels/ref/activation_ref.h"
#include "activation_common.h"
#include "op_util.h"

typedef struct leaky_relu_data {
  mote_act_head h;
  float alpha;
  mote_leaky_relu_q_params q;
} leaky_relu_data;

static mote_status prepare_q(mote_ctx *ctx, mote_node *node,
                             const mote_tensor *in, const mote_tensor *out,
                             float alpha, mote_leaky_relu_q_params *q) {
  const float alpha_ratio = in->scale * alpha / out->scale;
  const float identity_ratio = in->scale / out->scale;
  MOTE_TRY(mote_act_check_quant(ctx, node, in));
  MOTE_TRY(mote_act_check_quant(ctx, node, out));
  q->input_offset = in->zero_point;
  q->output_offset = out->zero_point;
  MOTE_TRY(mote_act_multiplier(ctx, node, out, (double)identity_ratio,
                               &q->identity_multiplier, &q->identity_shift));
  /* The multiplier of a negative alpha is negative: keep its magnitude and
   * negate the scaled value (TFLM's current reference does the same). */
  MOTE_TRY(mote_act_multiplier(ctx, node, out, (double)alpha_ratio,
                               &q->alpha_multiplier, &q->alpha_shift));
  q->alpha_negative = q->alpha_multiplier < 0;
  if (q->alpha_negative)
    q->alpha_multiplier = (int32_t)(0u - (uint32_t)q->alpha_multiplier);
  return MOTE_OK;
}

static mote_status prepare(mote_ctx *ctx, mote_node *node) {
  mote_tensor in, out;
  leaky_relu_data d;
  MOTE_TRY(mote_act_prepare_unary(
      ctx, node, TFL_OPT_LEAKY_RELU,
      MOTE_TYPE_BIT(MOTE_FLOAT32) | MOTE_TYPE_BIT(MOTE_INT8) |
          MOTE_TYPE_BIT(MOTE_INT16),
      "LEAKY_RELU type float32/int8/int16", &in, &out, &d.h));
  d.alpha = fb_f32(&ctx->fb, &node->options, 0, 0.0f);
  if (in.type != MOTE_FLOAT32)
    MOTE_TRY(prepare_q(ctx, node, &in, &out, d.alpha, &d.q));
  return mote_persist_data(ctx, node, &d, sizeof d);
}

static mote_status eval(mote_ctx *ctx, const mote_node *node) {
  const leaky_relu_data *d = (const leaky_relu_data *)node->data;
  const void *x = mote_in(ctx, node, 0);
  void *y = mote_out(ctx, node, 0);
  switch (d->h.type) {
    case MOTE_FLOAT32:
      mote_leaky_relu_f32_ref(d->alpha, d->h.count, (const float *)x,
                              (float *)y);
      break;
    case MOTE_INT8:
      mote_leaky_relu_s8_ref(&d->q, d->h.count, (const int8_t *)x, (int8_t *)y);
      break;
    case MOTE_INT16:
      mote_leaky_relu_s16_ref(&d->q, d->h.count, (const int16_t *)x,
                              (int16_t *)y);
      break;
    default:
      return mote_fail(ctx, node, MOTE_E_RUNTIME, -1, "prepared type", 0,
                       d->h.type);
  }
  return MOTE_OK;
}

const mote_op_reg mote_op_LEAKY_RELU = {
    TFL_OP_LEAKY_RELU, "LEAKY_RELU", prepare, eval,
    MOTE_OP_INPLACE,   NULL,         NULL};
