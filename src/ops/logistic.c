/*
** LOGISTIC, TFLM semantics:
**   float32: 1 / (1 + exp(-x)) with TFLM's cut-offs;
**   int8: output zero point -128 (scale taken as 1/256), gemmlowp
**   fixed-point logistic on the input rescaled to Q4.27;
**   int16: zero points 0, output scale 2^-15, interpolated sigmoid table;
**   the input scale 2^-12 is exact, any other scale goes through a 15-bit
**   multiplier.
*/
#include "../kernels/ref/activation_ref.h"
#include "activation_common.h"
#include "op_util.h"

typedef struct logistic_data {
  mote_act_head h;
  mote_sigmoid_s8_params s8;
  mote_sigmoid_s16_params s16;
} logistic_data;

static mote_status prepare(mote_ctx *ctx, mote_node *node) {
  mote_tensor in, out;
  logistic_data d;
  MOTE_TRY(mote_act_prepare_unary(
      ctx, node, 0,
      MOTE_TYPE_BIT(MOTE_FLOAT32) | MOTE_TYPE_BIT(MOTE_INT8) |
          MOTE_TYPE_BIT(MOTE_INT16),
      "LOGISTIC type float32/int8/int16", &in, &out, &d.h));
  if (in.type != MOTE_FLOAT32) {
    MOTE_TRY(mote_act_check_quant(ctx, node, &in));
    MOTE_TRY(mote_act_check_quant(ctx, node, &out));
  }
  if (in.type == MOTE_INT8) {
    MOTE_TRY(mote_act_expect_zero_point(ctx, node, &out, -128));
    mote_sigmoid_prepare_s8(&in, &d.s8);
  } else if (in.type == MOTE_INT16) {
    MOTE_TRY(mote_sigmoid_prepare_s16(ctx, node, &in, &out, 0, &d.s16));
  }
  return mote_persist_data(ctx, node, &d, sizeof d);
}

static mote_status eval(mote_ctx *ctx, const mote_node *node) {
  const logistic_data *d = (const logistic_data *)node->data;
  const void *x = mote_in(ctx, node, 0);
  void *y = mote_out(ctx, node, 0);
  switch (d->h.type) {
    case MOTE_FLOAT32:
      mote_logistic_f32_ref(d->h.count, (const float *)x, (float *)y);
      break;
    case MOTE_INT8:
      mote_logistic_s8_ref(&d->s8, d->h.count, (const int8_t *)x, (int8_t *)y);
      break;
    case MOTE_INT16:
      mote_logistic_s16_ref(&d->s16, d->h.count, (const int16_t *)x,
                            (int16_t *)y);
      break;
    default:
      return mote_fail(ctx, node, MOTE_E_RUNTIME, -1, "prepared type", 0,
                       d->h.type);
  }
  return MOTE_OK;
}

const mote_op_reg mote_op_LOGISTIC = {
    TFL_OP_LOGISTIC, "LOGISTIC", prepare, eval, MOTE_OP_INPLACE, NULL, NULL};
