/*
** MAX_POOL_2D (NHWC, float32 / int8 / int16): the largest input value
** under each window (padding excluded), then the fused activation.
*/
#include "../kernels/ref/pool_ref.h"
#include "pool_common.h"
#include "../kernels/arm_mve/arm_mve_kernels.h" /* empty without MVE */
#if defined(MOTE_HAVE_AVX2)
#include "../kernels/isa.h"
#include "../kernels/x86_avx2/pool_avx2.h"
#endif

static mote_status eval(mote_ctx *ctx, const mote_node *node) {
  const mote_pool_data *d = (const mote_pool_data *)node->data;
  const void *in = mote_in(ctx, node, 0);
  void *out = mote_out(ctx, node, 0);
  switch (d->type) {
    case MOTE_FLOAT32:
      mote_max_pool_f32_ref(&d->p, (const float *)in, (float *)out);
      break;
    case MOTE_INT8:
#if defined(MOTE_HAVE_AVX2)
      if ((d->isa & MOTE_ISA_AVX2)) {
        mote_max_pool_s8_avx2(&d->p, (const int8_t *)in, (int8_t *)out);
        break;
      }
#endif
#if defined(MOTE_HAVE_ARM_MVE)
      mote_max_pool_s8_mve(&d->p, (const int8_t *)in, (int8_t *)out);
      break;
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
    TFL_OP_MAX_POOL_2D, "MAX_POOL_2D", mote_pool_prepare, eval, 0, NULL};
