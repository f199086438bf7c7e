/*
** SUB: element-wise difference with numpy broadcasting (rank <= 6), TFLM
** semantics: int8 / int16 as ADD (general rescaling, 20 / 15 bits of
** headroom, pot_scale_int16 ignored) except that TFLM derives the
** multipliers in float, not double; int32 and float clamp to the fused
** activation.
*/
#include "../kernels/ref/elementwise_ref.h"
#include "elementwise_common.h"
#include "op_util.h"

typedef struct sub_data {
  mote_binary_data b;
  mote_addsub_q_params q;
} sub_data;

/* Single precision on purpose: each step rounds to float as in TFLM. */
static void ratios(float s1, float s2, float so, int32_t left_shift,
                   double r[3]) {
  float twice_max = 2.0f * (s1 < s2 ? s2 : s1);
  float shifted_out = (float)(1L << left_shift) * so;
  r[0] = (double)(float)(s1 / twice_max);
  r[1] = (double)(float)(s2 / twice_max);
  r[2] = (double)(float)(twice_max / shifted_out);
}

static mote_status prepare(mote_ctx *ctx, mote_node *node) {
  mote_binary_io io;
  sub_data d;
  MOTE_TRY(mote_binary_prepare_op(
      ctx, node, TFL_OPT_SUB, "SUB type float32/int32/int8/int16", &io, &d.b));
  if (io.out.type == MOTE_INT32) {
    if ((io.in1.nscale > 0 && io.in1.nzero > 0) ||
        (io.in2.nscale > 0 && io.in2.nzero > 0) ||
        (io.out.nscale > 0 && io.out.nzero > 0))
      return mote_fail(ctx, node, MOTE_E_UNSUPPORTED, (int32_t)io.out.index,
                       "int32 SUB tensors without quantization", 0, 1);
  } else if (io.out.type != MOTE_FLOAT32) {
    MOTE_TRY(mote_addsub_prepare_quant(ctx, node, &io, ratios, &d.q));
  }
  return mote_persist_data(ctx, node, &d, sizeof d);
}

static const mote_addsub_kernels kernels = {mote_sub_f32_ref, mote_sub_s32_ref,
                                            mote_sub_s8_ref, mote_sub_s16_ref};

static mote_status eval(mote_ctx *ctx, const mote_node *node) {
  const sub_data *d = (const sub_data *)node->data;
  return mote_addsub_eval(ctx, node, &d->b, &d->q, &kernels);
}

const mote_op_reg mote_op_SUB = {TFL_OP_SUB,      "SUB", prepare, eval,
                                 MOTE_OP_INPLACE, NULL,  NULL};
