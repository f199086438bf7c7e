/*
** AVERAGE_POOL_2D (NHWC, float32 / int8 / int16): the mean of the input
** values under each window (padding excluded), integer means rounded half
** away from zero, then the fused activation.
*/
#include "../kernels/ref/pool_ref.h"
#include "op_util.h"
#include "pool_common.h"
#if defined(MOTE_HAVE_NEON)
#include "../kernels/arm_neon/pool_neon.h"
#endif
#include "../kernels/arm_dsp/arm_dsp.h" /* empty without the DSP extension */
#include "../kernels/arm_mve/arm_mve_kernels.h" /* empty without MVE */
#include "../kernels/isa.h"
#if defined(MOTE_HAVE_AVX2)
#include "../kernels/x86_avx2/pool_avx2.h"
#endif
#if defined(MOTE_HAVE_AVX512)
#include "../kernels/x86_avx512/pool_avx512.h"
#endif

/* Common prepare, then the int8 kernel for this shape (d->kern). */
MOTE_OP_BODY mote_status prepare_v(mote_ctx *ctx, mote_node *node,
                                   int variant) {
  MOTE_TRY(mote_pool_prepare(ctx, node, variant));
  mote_pool_data *d = (mote_pool_data *)node->data;
  if (ctx->measuring || !d) return MOTE_OK;
  d->kern = MOTE_ISA_REF;
#if defined(MOTE_HAVE_NEON)
  if ((d->isa & MOTE_ISA_NEON) && d->type == MOTE_INT8 &&
      mote_avg_pool_s8_neon_supported(&d->p))
    d->kern = MOTE_ISA_NEON;
#endif
#if defined(MOTE_HAVE_AVX2)
  if ((d->isa & MOTE_ISA_AVX2) && d->type == MOTE_INT8 &&
      mote_avg_pool_s8_avx2_supported(&d->p))
    d->kern = MOTE_ISA_AVX2;
#endif
#if defined(MOTE_HAVE_AVX512)
  if ((d->isa & MOTE_ISA_AVX512) &&
      (d->type == MOTE_FLOAT32 ||
       (d->type == MOTE_INT8 && mote_avg_pool_s8_avx512_supported(&d->p))))
    d->kern = MOTE_ISA_AVX512;
#endif
#if defined(MOTE_HAVE_ARM_DSP)
  /* DSP int8, where the MVE kernel (precedence, chosen at eval) declines. */
  if (d->type == MOTE_INT8 && mote_avg_pool_s8_dsp_supported(&d->p)
#if defined(MOTE_HAVE_ARM_MVE)
      && !mote_avg_pool_s8_mve_supported(&d->p)
#endif
  )
    d->kern = MOTE_KERN_DSP;
#endif
  return MOTE_OK;
}

MOTE_OP_BODY mote_status eval_v(mote_ctx *ctx, const mote_node *node,
                                int variant) {
  const mote_pool_data *d = (const mote_pool_data *)node->data;
  const void *in = mote_in(ctx, node, 0);
  void *out = mote_out(ctx, node, 0);
  switch (variant == MOTE_OPV_INT8 ? MOTE_INT8 : d->type) {
    case MOTE_FLOAT32:
#if defined(MOTE_HAVE_AVX512)
      if (d->kern == MOTE_ISA_AVX512) {
        mote_avg_pool_f32_avx512(&d->p, (const float *)in, (float *)out);
        break;
      }
#endif
      mote_avg_pool_f32_ref(&d->p, (const float *)in, (float *)out);
      break;
    case MOTE_INT8:
#if defined(MOTE_HAVE_AVX512)
      if (d->kern == MOTE_ISA_AVX512) {
        mote_avg_pool_s8_avx512(&d->p, (const int8_t *)in, (int8_t *)out);
        break;
      }
#endif
#if defined(MOTE_HAVE_NEON)
      if (d->kern == MOTE_ISA_NEON) {
        mote_avg_pool_s8_neon(&d->p, (const int8_t *)in, (int8_t *)out);
        break;
      }
#endif
#if defined(MOTE_HAVE_AVX2)
      if (d->kern == MOTE_ISA_AVX2) {
        mote_avg_pool_s8_avx2(&d->p, (const int8_t *)in, (int8_t *)out);
        break;
      }
#endif
#if defined(MOTE_HAVE_ARM_MVE)
      if (mote_avg_pool_s8_mve_supported(&d->p)) {
        mote_avg_pool_s8_mve(&d->p, (const int8_t *)in, (int8_t *)out);
        break;
      }
#endif
#if defined(MOTE_HAVE_ARM_DSP)
      if (d->kern == MOTE_KERN_DSP) {
        mote_avg_pool_s8_dsp(&d->p, (const int8_t *)in, (int8_t *)out);
        break;
      }
#endif
      mote_avg_pool_s8_ref(&d->p, (const int8_t *)in, (int8_t *)out);
      break;
    case MOTE_INT16:
      mote_avg_pool_s16_ref(&d->p, (const int16_t *)in, (int16_t *)out);
      break;
    default:
      return mote_fail(ctx, node, MOTE_E_RUNTIME, -1, "prepared type", 0,
                       d->type);
  }
  return MOTE_OK;
}

MOTE_OP_VARIANT_FNS(prepare_v, eval_v)

const mote_op_reg mote_op_AVERAGE_POOL_2D = {TFL_OP_AVERAGE_POOL_2D,
                                             "AVERAGE_POOL_2D",
                                             prepare,
                                             eval,
                                             0,
                                             mote_pool_kernel,
                                             NULL};

/* int8 only (MOTE_OPV_INT8). */
const mote_op_reg mote_op_AVERAGE_POOL_2D_INT8 = {TFL_OP_AVERAGE_POOL_2D,
                                                  "AVERAGE_POOL_2D",
                                                  prepare_int8,
                                                  eval_int8,
                                                  0,
                                                  mote_pool_kernel,
                                                  NULL};
