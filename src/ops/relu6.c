/*
** RELU6, TFLM semantics: float32 clamp to [0, 6]; int8 / int16 clamp the raw
** values to [input zero point, 6.0 quantized with the input scale]. Like
** TFLM, the output quantization is not used (a model whose output scale
** differs from the input's gets the input-scale values).
*/
#include <math.h>

#include "../kernels/ref/activation_ref.h"
#include "activation_common.h"
#include "op_util.h"

typedef struct relu6_data {
  mote_act_head h;
  int32_t lo, hi;
} relu6_data;

static mote_status prepare(mote_ctx *ctx, mote_node *node) {
  mote_tensor in, out;
  relu6_data d;
  MOTE_TRY(mote_act_prepare_unary(
      ctx, node, 0,
      MOTE_TYPE_BIT(MOTE_FLOAT32) | MOTE_TYPE_BIT(MOTE_INT8) |
          MOTE_TYPE_BIT(MOTE_INT16),
      "RELU6 type float32/int8/int16", &in, &out, &d.h));
  d.lo = d.hi = 0;
  if (in.type != MOTE_FLOAT32) {
    const double tmin = in.type == MOTE_INT8 ? INT8_MIN : INT16_MIN;
    const double tmax = in.type == MOTE_INT8 ? INT8_MAX : INT16_MAX;
    double six;
    MOTE_TRY(mote_act_check_quant(ctx, node, &in));
    /* TFLM FloatToQuantizedType: round(6.0f / scale) + zero_point. */
    six = round((double)(6.0f / in.scale)) + (double)in.zero_point;
    six = six < tmin ? tmin : (six > tmax ? tmax : six);
    d.lo = in.zero_point;
    d.hi = (int32_t)six;
  }
  return mote_persist_data(ctx, node, &d, sizeof d);
}

static mote_status eval(mote_ctx *ctx, const mote_node *node) {
  const relu6_data *d = (const relu6_data *)node->data;
  const void *x = mote_in(ctx, node, 0);
  void *y = mote_out(ctx, node, 0);
  switch (d->h.type) {
    case MOTE_FLOAT32:
      mote_relu6_f32_ref(d->h.count, (const float *)x, (float *)y);
      break;
    case MOTE_INT8:
      mote_relu6_s8_ref(d->lo, d->hi, d->h.count, (const int8_t *)x,
                        (int8_t *)y);
      break;
    case MOTE_INT16:
      mote_relu6_s16_ref(d->lo, d->hi, d->h.count, (const int16_t *)x,
                         (int16_t *)y);
      break;
    default:
      return mote_fail(ctx, node, MOTE_E_RUNTIME, -1, "prepared type", 0,
                       d->h.type);
  }
  return MOTE_OK;
}

const mote_op_reg mote_op_RELU6 = {TFL_OP_RELU6, "RELU6",         prepare,
                                   eval,         MOTE_OP_INPLACE, NULL};
