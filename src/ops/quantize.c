/*
** QUANTIZE, TFLM semantics (per-tensor output quantization only):
**   float32 -> int8 / int16: round(x / scale) + zero_point, saturated;
**   requantize (x - in_zp) * in_scale / out_scale + out_zp for
**   int8 -> int8 / uint8 / int16 / int32, uint8 -> int8,
**   int16 -> int8 / int16 / int32, int32 -> int8 / int16.
*/
#include "../kernels/ref/activation_ref.h"
#include "activation_common.h"
#include "op_util.h"

typedef struct quantize_data {
  mote_dtype in_type, out_type;
  size_t count;
  float scale; /* float32 input: output scale */
  int32_t zero_point;
  mote_requant_params rq;
} quantize_data;

/* Input / output pairs TFLM's reference QUANTIZE evaluates. */
static int supported(mote_dtype in, mote_dtype out) {
  switch (in) {
    case MOTE_FLOAT32:
    case MOTE_INT32:
      return out == MOTE_INT8 || out == MOTE_INT16;
    case MOTE_INT16:
      return out == MOTE_INT8 || out == MOTE_INT16 || out == MOTE_INT32;
    case MOTE_INT8:
      return out == MOTE_INT8 || out == MOTE_UINT8 || out == MOTE_INT16 ||
             out == MOTE_INT32;
    case MOTE_UINT8:
      return out == MOTE_INT8;
    default:
      return 0;
  }
}

static mote_status prepare(mote_ctx *ctx, mote_node *node) {
  mote_tensor in, out;
  quantize_data d;
  MOTE_TRY(mote_act_unary_io(ctx, node, &in, &out));
  if (!supported(in.type, out.type))
    return mote_fail(ctx, node, MOTE_E_UNSUPPORTED, (int32_t)out.index,
                     "QUANTIZE type pair; input type", in.type, out.type);
  MOTE_TRY(mote_act_check_quant(ctx, node, &out));
  if (out.nscale != 1)
    return mote_fail(ctx, node, MOTE_E_UNSUPPORTED, (int32_t)out.index,
                     "per-tensor output quantization (scales)", 1, out.nscale);
  d.in_type = in.type;
  d.out_type = out.type;
  d.count = in.count;
  d.scale = out.scale;
  d.zero_point = out.zero_point;
  d.rq.multiplier = d.rq.shift = 0;
  d.rq.input_zero_point = 0;
  d.rq.output_zero_point = out.zero_point;
  d.rq.out_type = (int32_t)out.type;
  if (in.type != MOTE_FLOAT32) {
    MOTE_TRY(mote_act_check_quant(ctx, node, &in));
    MOTE_TRY(mote_act_multiplier(ctx, node, &out,
                                 (double)in.scale / (double)out.scale,
                                 &d.rq.multiplier, &d.rq.shift));
    d.rq.input_zero_point = in.zero_point;
  }
  return mote_persist_data(ctx, node, &d, sizeof d);
}

static mote_status eval(mote_ctx *ctx, const mote_node *node) {
  const quantize_data *d = (const quantize_data *)node->data;
  const void *x = mote_in(ctx, node, 0);
  void *y = mote_out(ctx, node, 0);
  switch (d->in_type) {
    case MOTE_FLOAT32:
      if (d->out_type == MOTE_INT8)
        mote_quantize_f32_s8_ref(d->scale, d->zero_point, d->count,
                                 (const float *)x, (int8_t *)y);
      else
        mote_quantize_f32_s16_ref(d->scale, d->zero_point, d->count,
                                  (const float *)x, (int16_t *)y);
      break;
    case MOTE_INT8:
      mote_quantize_s8_ref(&d->rq, d->count, (const int8_t *)x, y);
      break;
    case MOTE_UINT8:
      mote_quantize_u8_ref(&d->rq, d->count, (const uint8_t *)x, y);
      break;
    case MOTE_INT16:
      mote_quantize_s16_ref(&d->rq, d->count, (const int16_t *)x, y);
      break;
    case MOTE_INT32:
      mote_quantize_s32_ref(&d->rq, d->count, (const int32_t *)x, y);
      break;
    default:
      return mote_fail(ctx, node, MOTE_E_RUNTIME, -1, "prepared type", 0,
                       d->in_type);
  }
  return MOTE_OK;
}

/* Element-wise, reading x[i] before writing y[i]; the planner only shares
 * the buffer when input and output have the same byte size. */
const mote_op_reg mote_op_QUANTIZE = {
    TFL_OP_QUANTIZE, "QUANTIZE", prepare, eval, MOTE_OP_INPLACE, NULL, NULL};
