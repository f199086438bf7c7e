/*
** MUL: element-wise product with numpy broadcasting (rank <= 6), TFLM
** semantics: int8 / int16 multiply the offset inputs in int32 and rescale
** once by in1_scale * in2_scale / out_scale (int16 needs zero points 0);
** int32 and float clamp to the fused activation.
*/
#include "../kernels/ref/elementwise_ref.h"
#include "elementwise_common.h"
#include "op_util.h"

typedef struct mul_data {
  mote_binary_data b;
  mote_mul_q_params q;
} mul_data;

static mote_status prepare_quant(mote_ctx *ctx, mote_node *node,
                                 const mote_binary_io *io,
                                 mote_mul_q_params *q) {
  double real;
  int shift = 0;
  MOTE_TRY(mote_binary_check_quant_io(ctx, node, io));
  if (io->out.type == MOTE_INT16) {
    const mote_tensor *t[3];
    int k;
    t[0] = &io->in1;
    t[1] = &io->in2;
    t[2] = &io->out;
    for (k = 0; k < 3; k++)
      if (t[k]->zero_point != 0)
        return mote_fail(ctx, node, MOTE_E_BAD_QUANT, (int32_t)t[k]->index,
                         "int16 MUL zero point", 0, t[k]->zero_point);
  }
  MOTE_TRY(mote_act_range_quant(ctx, node, io->activation, &io->out,
                                &q->act_min, &q->act_max));
  real = (double)io->in1.scale * (double)io->in2.scale / (double)io->out.scale;
  mote_quantize_multiplier(real, &q->out_mult, &shift);
  if (shift > 31)
    return mote_fail(ctx, node, MOTE_E_UNSUPPORTED, (int32_t)io->out.index,
                     "in1_scale*in2_scale/out_scale exponent at most", 31,
                     shift);
  q->out_shift = shift;
  q->in1_offset = -io->in1.zero_point;
  q->in2_offset = -io->in2.zero_point;
  q->out_offset = io->out.zero_point;
  return MOTE_OK;
}

static mote_status prepare(mote_ctx *ctx, mote_node *node) {
  mote_binary_io io;
  mul_data d;
  MOTE_TRY(mote_binary_prepare_op(
      ctx, node, TFL_OPT_MUL, "MUL type float32/int32/int8/int16", &io, &d.b));
  if (io.out.type == MOTE_INT8 || io.out.type == MOTE_INT16)
    MOTE_TRY(prepare_quant(ctx, node, &io, &d.q));
  return mote_persist_data(ctx, node, &d, sizeof d);
}

static mote_status eval(mote_ctx *ctx, const mote_node *node) {
  const mul_data *d = (const mul_data *)node->data;
  const void *a = mote_in(ctx, node, 0), *b = mote_in(ctx, node, 1);
  void *o = mote_out(ctx, node, 0);
  switch (d->b.type) {
    case MOTE_FLOAT32:
      mote_mul_f32_ref(&d->b.f32, &d->b.bc, (const float *)a, (const float *)b,
                       (float *)o);
      break;
    case MOTE_INT32:
      mote_mul_s32_ref(&d->b.i32, &d->b.bc, (const int32_t *)a,
                       (const int32_t *)b, (int32_t *)o);
      break;
    case MOTE_INT8:
      mote_mul_s8_ref(&d->q, &d->b.bc, (const int8_t *)a, (const int8_t *)b,
                      (int8_t *)o);
      break;
    case MOTE_INT16:
      mote_mul_s16_ref(&d->q, &d->b.bc, (const int16_t *)a, (const int16_t *)b,
                       (int16_t *)o);
      break;
    default:
      return mote_fail(ctx, node, MOTE_E_RUNTIME, -1, "prepared type", 0,
                       d->b.type);
  }
  return MOTE_OK;
}

const mote_op_reg mote_op_MUL = {TFL_OP_MUL,      "MUL", prepare, eval,
                                 MOTE_OP_INPLACE, NULL,  NULL};
