/*
** ADD: element-wise sum with numpy broadcasting (rank <= 6), TFLM
** semantics: int8 / int16 rescale both inputs to twice the larger input
** scale with 20 / 15 bits of headroom, then to the output scale (int16
** always takes this general path: TFLM ignores pot_scale_int16); int32 is a
** plain sum without clamp (TFLM ignores the fused activation there); float
** clamps to the fused activation.
*/
#include <string.h>

#include "../kernels/isa.h"
#include "../kernels/ref/elementwise_ref.h"
#include "elementwise_common.h"
#include "op_util.h"
#if defined(MOTE_HAVE_AVX2)
#include "../kernels/x86_avx2/add_avx2.h"
#endif
#if defined(MOTE_HAVE_AVX512)
#include "../kernels/x86_avx512/add_avx512.h"
#endif
#if defined(MOTE_HAVE_NEON)
#include "../kernels/arm_neon/add_neon.h"
#endif
#include "../kernels/arm_dsp/arm_dsp.h" /* empty without the DSP extension */
#include "../kernels/arm_mve/arm_mve_kernels.h" /* empty without MVE */

typedef struct add_data {
  mote_binary_data b;
  mote_addsub_q_params q;
  uint8_t isa;  /* MOTE_ISA_* bits allowed (mote_isa_allowed at prepare) */
  uint8_t kern; /* MOTE_ISA_* value of the int8 kernel chosen at prepare */
} add_data;

/* Multipliers in double precision (TFLM's ADD). */
static void ratios(float s1, float s2, float so, int32_t left_shift,
                   double r[3]) {
  double twice_max = 2.0 * (double)(s1 < s2 ? s2 : s1);
  r[0] = (double)s1 / twice_max;
  r[1] = (double)s2 / twice_max;
  r[2] = twice_max / ((double)(1L << left_shift) * (double)so);
}

MOTE_OP_BODY mote_status prepare_v(mote_ctx *ctx, mote_node *node,
                                   int variant) {
  mote_binary_io io;
  add_data d;
  memset(&d, 0, sizeof d);
  MOTE_TRY(mote_binary_prepare_op(
      ctx, node, TFL_OPT_ADD, "ADD type float32/int32/int8/int16", &io, &d.b));
  MOTE_TRY(mote_opv_check(ctx, node, variant, &io.in1));
  MOTE_TRY(mote_opv_check(ctx, node, variant, &io.in2));
  MOTE_TRY(mote_opv_check(ctx, node, variant, &io.out));
  if (variant != MOTE_OPV_INT8 && io.out.type == MOTE_INT32) {
    if ((io.in1.nscale > 0 && io.in1.nzero > 0) ||
        (io.in2.nscale > 0 && io.in2.nzero > 0))
      return mote_fail(ctx, node, MOTE_E_UNSUPPORTED, (int32_t)io.in1.index,
                       "int32 ADD inputs without quantization", 0,
                       io.in1.nscale > 0 ? io.in1.nscale : io.in2.nscale);
    d.b.i32.act_min = INT32_MIN; /* TFLM applies no activation to int32 */
    d.b.i32.act_max = INT32_MAX;
  } else if (io.out.type != MOTE_FLOAT32) {
    MOTE_TRY(mote_addsub_prepare_quant(ctx, node, &io, ratios, &d.q));
  }
  /* A RELU / RELU6 fused into this ADD (fuse.c) narrows the clamp. */
  if (d.b.type == MOTE_FLOAT32)
    mote_fuse_range_f(ctx, node, &d.b.f32.act_min, &d.b.f32.act_max);
  else if (d.b.type == MOTE_INT8)
    mote_fuse_range_q(ctx, node, &d.q.act_min, &d.q.act_max);
  d.isa = (uint8_t)mote_isa_allowed(ctx->m->ops->isa_mask);
  d.kern = MOTE_ISA_REF;
  const int s8 = d.b.type == MOTE_INT8, f32 = d.b.type == MOTE_FLOAT32;
  (void)s8;
  (void)f32;
#if defined(MOTE_HAVE_AVX2)
  if (s8 && (d.isa & MOTE_ISA_AVX2) && mote_add_s8_avx2_supported(&d.b.bc))
    d.kern = MOTE_ISA_AVX2;
#endif
#if defined(MOTE_HAVE_AVX512)
  if ((s8 || f32) && (d.isa & MOTE_ISA_AVX512) &&
      mote_add_s8_avx512_supported(&d.b.bc))
    d.kern = MOTE_ISA_AVX512;
#endif
#if defined(MOTE_HAVE_NEON)
  if ((d.isa & MOTE_ISA_NEON) && d.b.type == MOTE_INT8 &&
      mote_add_s8_neon_supported(&d.q, &d.b.bc))
    d.kern = MOTE_ISA_NEON;
#endif
#if defined(MOTE_HAVE_ARM_DSP)
  /* DSP int8, where the MVE kernel (precedence, chosen at eval) declines. */
  if (d.b.type == MOTE_INT8 && mote_add_s8_dsp_supported(&d.q, &d.b.bc)
#if defined(MOTE_HAVE_ARM_MVE)
      && !mote_add_s8_mve_supported(&d.b.bc)
#endif
  ) {
    const size_t tb = mote_add_s8_dsp_scratch(&d.b.bc);
    d.kern = MOTE_KERN_DSP;
    if (tb) MOTE_TRY(mote_request_scratch(ctx, node, tb));
  }
#endif
  return mote_persist_data(ctx, node, &d, sizeof d);
}

/* The kernel chosen at prepare (int8 and float32 have optimised ones). */
static const char *kernel(const void *data) {
  const add_data *d = (const add_data *)data;
  return d && (d->b.type == MOTE_INT8 || d->b.type == MOTE_FLOAT32)
             ? mote_isa_name(d->kern)
             : NULL;
}

/* int8 over `bc` with the host kernel chosen at prepare (AVX-512, NEON,
 * AVX2) or the reference. */
static void add_s8(const add_data *d, const mote_bcast *bc, const int8_t *a,
                   const int8_t *b, int8_t *o) {
#if defined(MOTE_HAVE_AVX512)
  if (d->kern == MOTE_ISA_AVX512) {
    mote_add_s8_avx512(&d->q, bc, a, b, o);
    return;
  }
#endif
#if defined(MOTE_HAVE_NEON)
  if (d->kern == MOTE_ISA_NEON) {
    mote_add_s8_neon(&d->q, bc, a, b, o);
    return;
  }
#endif
#if defined(MOTE_HAVE_AVX2)
  if (d->kern == MOTE_ISA_AVX2) {
    mote_add_s8_avx2(&d->q, bc, a, b, o);
    return;
  }
#endif
  mote_add_s8_ref(&d->q, bc, a, b, o);
}

/* Any type over `bc` (a mote_elt_range_fn: the whole op or one worker's
 * range of it). */
static void add_range(const void *op, const mote_bcast *bc, const void *a,
                      const void *b, void *o) {
  const add_data *d = (const add_data *)op;
  switch (d->b.type) {
    case MOTE_INT8:
      add_s8(d, bc, (const int8_t *)a, (const int8_t *)b, (int8_t *)o);
      break;
    case MOTE_FLOAT32:
#if defined(MOTE_HAVE_AVX512)
      if (d->kern == MOTE_ISA_AVX512) {
        mote_add_f32_avx512(&d->b.f32, bc, (const float *)a, (const float *)b,
                            (float *)o);
        break;
      }
#endif
      mote_add_f32_ref(&d->b.f32, bc, (const float *)a, (const float *)b,
                       (float *)o);
      break;
    case MOTE_INT32:
      mote_add_s32_ref(&d->b.i32, bc, (const int32_t *)a, (const int32_t *)b,
                       (int32_t *)o);
      break;
    default: /* MOTE_INT16 (prepare accepts no other type) */
      mote_add_s16_ref(&d->q, bc, (const int16_t *)a, (const int16_t *)b,
                       (int16_t *)o);
      break;
  }
}

MOTE_OP_BODY mote_status eval_v(mote_ctx *ctx, const mote_node *node,
                                int variant) {
  const add_data *d = (const add_data *)node->data;
  const void *a = mote_in(ctx, node, 0), *b = mote_in(ctx, node, 1);
  void *o = mote_out(ctx, node, 0);
#if defined(MOTE_HAVE_ARM_MVE)
  if (d->b.type == MOTE_INT8 && mote_add_s8_mve_supported(&d->b.bc)) {
    mote_add_s8_mve(&d->q, &d->b.bc, (const int8_t *)a, (const int8_t *)b,
                    (int8_t *)o);
    return MOTE_OK;
  }
#endif
#if defined(MOTE_HAVE_ARM_DSP)
  if (d->kern == MOTE_KERN_DSP) {
    mote_add_s8_dsp(&d->q, &d->b.bc, (const int8_t *)a, (const int8_t *)b,
                    (int8_t *)o, (int32_t *)node->scratch);
    return MOTE_OK;
  }
#endif
  if (variant == MOTE_OPV_INT8) {
    add_s8(d, &d->b.bc, (const int8_t *)a, (const int8_t *)b, (int8_t *)o);
    return MOTE_OK;
  }
  /* Worker threads: same-shape ADDs split into ranges; a quantized
   * element costs about 16 multiply-accumulates (three requantizations). */
  const int quant = d->b.type == MOTE_INT8 || d->b.type == MOTE_INT16;
  const size_t eb = d->b.type == MOTE_INT8    ? 1u
                    : d->b.type == MOTE_INT16 ? 2u
                                              : 4u;
  if (!mote_eltwise_split(ctx, &d->b.bc, eb, quant ? 16u : 2u, add_range, d, a,
                          b, o))
    add_range(d, &d->b.bc, a, b, o);
  return MOTE_OK;
}

MOTE_OP_VARIANT_FNS(prepare_v, eval_v)

const mote_op_reg mote_op_ADD = {TFL_OP_ADD,      "ADD",  prepare, eval,
                                 MOTE_OP_INPLACE, kernel, NULL};

/* int8 inputs and output only (MOTE_OPV_INT8). */
const mote_op_reg mote_op_ADD_INT8 = {
    TFL_OP_ADD, "ADD", prepare_int8, eval_int8, MOTE_OP_INPLACE, kernel, NULL};
