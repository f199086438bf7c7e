/*
** DEQUANTIZE, TFLM semantics: int8 / uint8 / int16 -> float32,
** (float)(scale * (x - zero_point)) with the scale in double; per-tensor
** (the first scale / zero point of the input).
*/
#include "../kernels/ref/activation_ref.h"
#include "activation_common.h"
#include "op_util.h"

typedef struct dequantize_data {
  mote_dtype in_type;
  size_t count;
  double scale;
  int32_t zero_point;
} dequantize_data;

static mote_status prepare(mote_ctx *ctx, mote_node *node) {
  mote_tensor in, out;
  dequantize_data d;
  MOTE_TRY(mote_act_unary_io(ctx, node, &in, &out));
  if (in.type != MOTE_INT8 && in.type != MOTE_UINT8 && in.type != MOTE_INT16)
    return mote_fail(ctx, node, MOTE_E_UNSUPPORTED, (int32_t)in.index,
                     "DEQUANTIZE input int8/uint8/int16", MOTE_INT8, in.type);
  if (out.type != MOTE_FLOAT32)
    return mote_fail(ctx, node, MOTE_E_UNSUPPORTED, (int32_t)out.index,
                     "DEQUANTIZE output float32", MOTE_FLOAT32, out.type);
  MOTE_TRY(mote_act_check_quant(ctx, node, &in));
  d.in_type = in.type;
  d.count = in.count;
  d.scale = (double)in.scale;
  d.zero_point = in.zero_point;
  return mote_persist_data(ctx, node, &d, sizeof d);
}

static mote_status eval(mote_ctx *ctx, const mote_node *node) {
  const dequantize_data *d = (const dequantize_data *)node->data;
  const void *x = mote_in(ctx, node, 0);
  float *y = (float *)mote_out(ctx, node, 0);
  switch (d->in_type) {
    case MOTE_INT8:
      mote_dequantize_s8_ref(d->scale, d->zero_point, d->count,
                             (const int8_t *)x, y);
      break;
    case MOTE_UINT8:
      mote_dequantize_u8_ref(d->scale, d->zero_point, d->count,
                             (const uint8_t *)x, y);
      break;
    case MOTE_INT16:
      mote_dequantize_s16_ref(d->scale, d->zero_point, d->count,
                              (const int16_t *)x, y);
      break;
    default:
      return mote_fail(ctx, node, MOTE_E_RUNTIME, -1, "prepared type", 0,
                       d->in_type);
  }
  return MOTE_OK;
}

const mote_op_reg mote_op_DEQUANTIZE = {
    TFL_OP_DEQUANTIZE, "DEQUANTIZE", prepare, eval, 0, NULL, NULL};
