/*
** ADD: element-wise sum with numpy broadcasting (rank <= 6), TFLM
** semantics: int8 / int16 rescale both inputs to twice the larger input
** scale with 20 / 15 bits of headroom, then to the output scale (int16
** always takes this general path: TFLM ignores pot_scale_int16); int32 is a
** plain sum without clamp (TFLM ignores the fused activation there); float
** clamps to the fused activation.
*/
#include "../kernels/ref/elementwise_ref.h"
#include "elementwise_common.h"
#include "op_util.h"

typedef struct add_data {
  mote_bcast bc;
  mote_dtype type;
  mote_addsub_q_params q;
  mote_arith_i32_params i32;
  mote_arith_f32_params f32;
} add_data;

static mote_status prepare_quant(mote_ctx *ctx, mote_node *node,
                                 const mote_binary_io *io,
                                 mote_addsub_q_params *q) {
  float s1 = io->in1.scale, s2 = io->in2.scale, so = io->out.scale;
  double twice_max, r1, r2, ro;
  MOTE_TRY(mote_binary_check_quant(ctx, node, &io->in1));
  MOTE_TRY(mote_binary_check_quant(ctx, node, &io->in2));
  MOTE_TRY(mote_binary_check_quant(ctx, node, &io->out));
  q->in1_offset = -io->in1.zero_point;
  q->in2_offset = -io->in2.zero_point;
  q->out_offset = io->out.zero_point;
  q->left_shift = io->out.type == MOTE_INT16 ? 15 : 20;
  twice_max = 2.0 * (double)(s1 < s2 ? s2 : s1);
  r1 = (double)s1 / twice_max;
  r2 = (double)s2 / twice_max;
  ro = twice_max / ((double)(1L << q->left_shift) * (double)so);
  if (!mote_quantize_multiplier_lt1(r1, &q->in1_mult, &q->in1_shift) ||
      !mote_quantize_multiplier_lt1(r2, &q->in2_mult, &q->in2_shift))
    return mote_fail(ctx, node, MOTE_E_BAD_QUANT, (int32_t)io->in1.index,
                     "input scale ratio below 1", 1, 0);
  if (!mote_quantize_multiplier_lt1(ro, &q->out_mult, &q->out_shift))
    return mote_fail(ctx, node, MOTE_E_UNSUPPORTED, (int32_t)io->out.index,
                     "2*max(input scale) / (2^left_shift * output scale) < 1",
                     1, 0);
  return mote_act_range_quant(ctx, node, io->activation, &io->out, &q->act_min,
                              &q->act_max);
}

static mote_status prepare(mote_ctx *ctx, mote_node *node) {
  mote_binary_io io;
  add_data d, *pd;
  MOTE_TRY(mote_binary_prepare(ctx, node, TFL_OPT_ADD, &io));
  d.bc = io.bc;
  d.type = io.out.type;
  switch (io.out.type) {
    case MOTE_FLOAT32:
      mote_tfl_act_range_f32(io.activation, &d.f32.act_min, &d.f32.act_max);
      break;
    case MOTE_INT32:
      if ((io.in1.nscale > 0 && io.in1.nzero > 0) ||
          (io.in2.nscale > 0 && io.in2.nzero > 0))
        return mote_fail(ctx, node, MOTE_E_UNSUPPORTED, (int32_t)io.in1.index,
                         "int32 ADD inputs without quantization", 0,
                         io.in1.nscale > 0 ? io.in1.nscale : io.in2.nscale);
      d.i32.act_min = INT32_MIN; /* TFLM applies no activation to int32 */
      d.i32.act_max = INT32_MAX;
      break;
    case MOTE_INT8:
    case MOTE_INT16:
      MOTE_TRY(prepare_quant(ctx, node, &io, &d.q));
      break;
    default:
      return mote_fail(ctx, node, MOTE_E_UNSUPPORTED, (int32_t)io.out.index,
                       "ADD type float32/int32/int8/int16", MOTE_FLOAT32,
                       io.out.type);
  }
  pd = (add_data *)mote_persist(ctx, sizeof *pd);
  if (!pd) return MOTE_OK;
  *pd = d;
  node->data = pd;
  return MOTE_OK;
}

static mote_status eval(mote_ctx *ctx, const mote_node *node) {
  const add_data *d = (const add_data *)node->data;
  const void *a = mote_in(ctx, node, 0), *b = mote_in(ctx, node, 1);
  void *o = mote_out(ctx, node, 0);
  switch (d->type) {
    case MOTE_FLOAT32:
      mote_add_f32_ref(&d->f32, &d->bc, (const float *)a, (const float *)b,
                       (float *)o);
      break;
    case MOTE_INT32:
      mote_add_s32_ref(&d->i32, &d->bc, (const int32_t *)a, (const int32_t *)b,
                       (int32_t *)o);
      break;
    case MOTE_INT8:
      mote_add_s8_ref(&d->q, &d->bc, (const int8_t *)a, (const int8_t *)b,
                      (int8_t *)o);
      break;
    case MOTE_INT16:
      mote_add_s16_ref(&d->q, &d->bc, (const int16_t *)a, (const int16_t *)b,
                       (int16_t *)o);
      break;
    default:
      return mote_fail(ctx, node, MOTE_E_RUNTIME, -1, "prepared type", 0,
                       d->type);
  }
  return MOTE_OK;
}

const mote_op_reg mote_op_ADD = {TFL_OP_ADD, "ADD", prepare, eval,
                                 MOTE_OP_INPLACE};
