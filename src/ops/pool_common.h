/* pool_common.h: prepare of AVERAGE_POOL_2D and MAX_POOL_2D. */
#ifndef MOTE_POOL_COMMON_H
#define MOTE_POOL_COMMON_H

#include "../kernels/ref/pool_ref.h"
#include "../runtime/op_api.h"

typedef struct mote_pool_data {
  mote_pool_params p;
  mote_dtype type;
  uint8_t isa; /* MOTE_ISA_* bits allowed (mote_isa_allowed at prepare) */
#if defined(MOTE_HAVE_NEON)
  uint8_t kern; /* MOTE_ISA_NEON: the NEON kernel (chosen at prepare) */
#endif
} mote_pool_data;

/* Validate the node (TFLM PoolingPrepare rules) and persist the params. */
mote_status mote_pool_prepare(mote_ctx *ctx, mote_node *node);

#endif
