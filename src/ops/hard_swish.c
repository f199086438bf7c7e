/*
** HARD_SWISH, TFLM semantics: float32 x * relu6(x + 3) / 6; int8 in 16-bit
** fixed point on a "hires" input scale (input_scale / 128) with a Q15
** output multiplier (its exponent must be <= 0, as TFLM requires) and a
** Q15 multiplier mapping [-3, 3] to [-1, 1]. TFLM has no int16 kernel.
*/
#include "../kernels/mote_requant.h"
#include "../kernels/ref/activation_ref.h"
#include "activation_common.h"
#include "op_util.h"

typedef struct hard_swish_data {
  mote_act_head h;
  mote_hard_swish_s8_params q;
} hard_swish_data;

/* Round a Q31 multiplier to Q15 (TFLM DownScaleInt32ToInt16Multiplier). */
static int16_t to_q15(int32_t m) {
  if (m >= INT32_MAX - (1 << 15)) return INT16_MAX;
  return (int16_t)((m + (1 << 15)) >> 16);
}

static mote_status prepare_s8(mote_ctx *ctx, mote_node *node,
                              const mote_tensor *in, const mote_tensor *out,
                              mote_hard_swish_s8_params *q) {
  /* Ratios in float like TFLM, split in double. */
  const float hires_scale = (1.0f / 128.0f) * in->scale;
  const float reluish_scale = 3.0f / 32768.0f;
  int32_t m = 0;
  int e = 0;
  MOTE_TRY(mote_act_check_quant(ctx, node, in));
  MOTE_TRY(mote_act_check_quant(ctx, node, out));
  q->input_zero_point = in->zero_point;
  q->output_zero_point = out->zero_point;
  mote_quantize_multiplier((double)(hires_scale / out->scale), &m, &e);
  if (e > 0)
    return mote_fail(ctx, node, MOTE_E_UNSUPPORTED, (int32_t)out->index,
                     "input_scale / 128 / output_scale exponent at most", 0, e);
  q->output_multiplier = to_q15(m);
  q->output_exponent = e;
  mote_quantize_multiplier((double)(hires_scale / reluish_scale), &m, &e);
  q->reluish_multiplier = to_q15(m);
  q->reluish_exponent = e;
  return MOTE_OK;
}

static mote_status prepare(mote_ctx *ctx, mote_node *node) {
  mote_tensor in, out;
  hard_swish_data d;
  MOTE_TRY(mote_act_prepare_unary(
      ctx, node, 0, MOTE_TYPE_BIT(MOTE_FLOAT32) | MOTE_TYPE_BIT(MOTE_INT8),
      "HARD_SWISH type float32/int8", &in, &out, &d.h));
  if (in.type == MOTE_INT8) MOTE_TRY(prepare_s8(ctx, node, &in, &out, &d.q));
  return mote_persist_data(ctx, node, &d, sizeof d);
}

static mote_status eval(mote_ctx *ctx, const mote_node *node) {
  const hard_swish_data *d = (const hard_swish_data *)node->data;
  const void *x = mote_in(ctx, node, 0);
  void *y = mote_out(ctx, node, 0);
  switch (d->h.type) {
    case MOTE_FLOAT32:
      mote_hard_swish_f32_ref(d->h.count, (const float *)x, (float *)y);
      break;
    case MOTE_INT8:
      mote_hard_swish_s8_ref(&d->q, d->h.count, (const int8_t *)x, (int8_t *)y);
      break;
    default:
      return mote_fail(ctx, node, MOTE_E_RUNTIME, -1, "prepared type", 0,
                       d->h.type);
  }
  return MOTE_OK;
}

const mote_op_reg mote_op_HARD_SWISH = {
    TFL_OP_HARD_SWISH, "HARD_SWISH", prepare, eval,
    MOTE_OP_INPLACE,   NULL,         NULL};
