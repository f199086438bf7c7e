/*
** EXPAND_DIMS: insert a size-1 dimension at the constant axis (input 1,
** one int32/int64 element; negative counts from the end of the output).
** A byte copy, or nothing when the planner aliased output and input.
*/
#include <string.h>

#include "../kernels/ref/shape_ref.h"
#include "../runtime/op_api.h"

static mote_status prepare(mote_ctx *ctx, mote_node *node) {
  mote_tensor in, ax, out;
  uint32_t i;
  MOTE_TRY(mote_expect_ninputs(ctx, node, 2, 2));
  if (mote_node_noutputs(node) != 1)
    return mote_fail(ctx, node, MOTE_E_BAD_MODEL, -1, "number of outputs", 1,
                     mote_node_noutputs(node));
  MOTE_TRY(mote_node_input(ctx, node, 0, &in));
  MOTE_TRY(mote_node_input(ctx, node, 1, &ax));
  MOTE_TRY(mote_node_output(ctx, node, 0, &out));
  if (mote_dtype_size(in.type) == 0)
    return mote_fail(ctx, node, MOTE_E_UNSUPPORTED, (int32_t)in.index,
                     "tensor type with a fixed element size", MOTE_INT8,
                     in.type);
  if (out.type != in.type)
    return mote_fail(ctx, node, MOTE_E_BAD_TYPE, (int32_t)out.index,
                     "output type equal to input type", in.type, out.type);
  if (ax.type != MOTE_INT32 && ax.type != MOTE_INT64)
    return mote_fail(ctx, node, MOTE_E_BAD_TYPE, (int32_t)ax.index,
                     "axis tensor type int32", MOTE_INT32, ax.type);
  if (!ax.is_const || ax.data == NULL)
    return mote_fail(ctx, node, MOTE_E_UNSUPPORTED, (int32_t)ax.index,
                     "constant axis tensor", 1, 0);
  if (ax.ndim > 1 || ax.count != 1)
    return mote_fail(ctx, node, MOTE_E_BAD_SHAPE, (int32_t)ax.index,
                     "axis tensor with one element", 1, (int64_t)ax.count);
  int64_t a = mote_shape_read_int(ax.data, ax.type == MOTE_INT64, 0);
  int64_t r = a < 0 ? a + (int64_t)in.ndim + 1 : a;
  if (r < 0 || r > (int64_t)in.ndim)
    return mote_fail(ctx, node, MOTE_E_BAD_OPTIONS, (int32_t)ax.index,
                     "axis within [-rank-1, rank]", in.ndim, a);
  if (out.ndim != in.ndim + 1)
    return mote_fail(ctx, node, MOTE_E_BAD_SHAPE, (int32_t)out.index,
                     "output rank equal to input rank + 1", in.ndim + 1,
                     out.ndim);
  for (i = 0; i < out.ndim; ++i) {
    int32_t want = (int64_t)i < r    ? in.dims[i]
                   : (int64_t)i == r ? 1
                                     : in.dims[i - 1];
    if (out.dims[i] != want)
      return mote_fail(ctx, node, MOTE_E_BAD_SHAPE, (int32_t)out.index,
                       "output dimension of the expanded input", want,
                       out.dims[i]);
  }

  size_t *bytes = (size_t *)mote_persist(ctx, sizeof *bytes);
  if (bytes == NULL) return MOTE_OK;
  *bytes = in.bytes;
  node->data = bytes;
  return MOTE_OK;
}

static mote_status eval(mote_ctx *ctx, const mote_node *node) {
  const void *src = mote_in(ctx, node, 0);
  void *dst = mote_out(ctx, node, 0);
  if (src != dst) memmove(dst, src, *(const size_t *)node->data);
  return MOTE_OK;
}

const mote_op_reg mote_op_EXPAND_DIMS = {
    TFL_OP_EXPAND_DIMS, "EXPAND_DIMS", prepare, eval,
    MOTE_OP_ALIAS,      NULL,          NULL};
