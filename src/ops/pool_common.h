/* pool_common.h: prepare of AVERAGE_POOL_2D and MAX_POOL_2D. */
#ifndef MOTE_POOL_COMMON_H
#define MOTE_POOL_COMMON_H

#include "../kernels/ref/pool_ref.h"
#include "op_util.h"

typedef struct mote_pool_data {
  mote_pool_params p;
  mote_dtype type;
  uint8_t isa;  /* MOTE_ISA_* bits allowed (mote_isa_allowed at prepare) */
  uint8_t kern; /* MOTE_ISA_* value of the kernel (each op's prepare) */
} mote_pool_data;

/* Validate the node (TFLM PoolingPrepare rules) and persist the params;
 * `variant` MOTE_OPV_INT8 refuses every type but int8. */
mote_status mote_pool_prepare(mote_ctx *ctx, mote_node *node, int variant);

/* The kernel the op chose (mote_op_reg.kernel): int8 only has optimised
 * ones. */
const char *mote_pool_kernel(const void *data);

#endif
