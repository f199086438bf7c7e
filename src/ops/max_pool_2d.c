/*
** MAX_POOL_2D (NHWC, float32 / int8 / int16): the largest input value
** under each window (padding excluded), then the fused activation.
*/
#include "../kernels/ref/pool_ref.h"
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
static mote_status prepare(mote_ctx *ctx, mote_node *node) {
  MOTE_TRY(mote_pool_prepare(ctx, node, MOTE_OPV_ALL));
  mote_pool_data *d = (mote_pool_data *)node->data;
  if (ctx->measuring || !d) return MOTE_OK;
  d->kern = MOTE_ISA_REF;
#if defined(MOTE_HAVE_NEON)
  if ((d->isa & MOTE_ISA_NEON) && d->type == MOTE_INT8 &&
      mote_max_pool_s8_neon_supported(&d->p))
    d->kern = MOTE_ISA_NEON;
#endif
#if defined(MOTE_HAVE_AVX2)
  if ((d->isa & MOTE_ISA_AVX2) && d->type == MOTE_INT8) d->kern = MOTE_ISA_AVX2;
#endif
#if defined(MOTE_HAVE_AVX512)
  if ((d->isa & MOTE_ISA_AVX512) && d->type == MOTE_INT8)
    d->kern = MOTE_ISA_AVX512;
#endif
#if defined(MOTE_HAVE_ARM_DSP) && !defined(MOTE_HAVE_ARM_MVE)
  /* DSP int8 (the MVE kernel takes every shape where it is built). */
  if (d->type == MOTE_INT8) d->kern = MOTE_KERN_DSP;
#endif
  return MOTE_OK;
}

static mote_status eval(mote_ctx *ctx, const mote_node *node) {
  const mote_pool_data *d = (const mote_pool_data *)node->data;
  const void *in = mote_in(ctx, node, 0);
  void *out = mote_out(ctx, node, 0);
  switch (d->type) {
    case MOTE_FLOAT32:
      mote_max_pool_f32_ref(&d->p, (const float *)in, (float *)out);
      break;
    case MOTE_INT8:
#if defined(MOTE_HAVE_AVX512)
      if (d->kern == MOTE_ISA_AVX512) {
        mote_max_pool_s8_avx512(&d->p, (const int8_t *)in, (int8_t *)out);
        break;
      }
#endif
#if defined(MOTE_HAVE_NEON)
      if (d->kern == MOTE_ISA_NEON) {
        mote_max_pool_s8_neon(&d->p, (const int8_t *)in, (int8_t *)out);
        break;
      }
#endif
#if defined(MOTE_HAVE_AVX2)
      if (d->kern == MOTE_ISA_AVX2) {
        mote_max_pool_s8_avx2(&d->p, (const int8_t *)in, (int8_t *)out);
        break;
      }
#endif
#if defined(MOTE_HAVE_ARM_MVE)
      mote_max_pool_s8_mve(&d->p, (const int8_t *)in, (int8_t *)out);
      break;
#endif
#if defined(MOTE_HAVE_ARM_DSP) && !defined(MOTE_HAVE_ARM_MVE)
      if (d->kern == MOTE_KERN_DSP) {
        mote_max_pool_s8_dsp(&d->p, (const int8_t *)in, (int8_t *)out);
        break;
      }
#endif
      mote_max_pool_s8_ref(&d->p, (const int8_t *)in, (int8_t *)out);
      break;
    case MOTE_INT16:
      mote_max_pool_s16_ref(&d->p, (const int16_t *)in, (int16_t *)out);
      break;
    default:
      return mote_fail(ctx, node, MOTE_E_RUNTIME, -1, "prepared type", 0,
                       d->type);
  }
  return MOTE_OK;
}

const mote_op_reg mote_op_MAX_POOL_2D = {
    TFL_OP_MAX_POOL_2D, "MAX_POOL_2D", prepare, eval, 0,
    mote_pool_kernel,   NULL};
