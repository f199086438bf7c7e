/*
** RESHAPE: output 0 is input 0 with another shape (any data type).
**
** The target shape comes from the constant 1-D int32/int64 shape tensor
** (input 1), else from ReshapeOptions.new_shape; at most one entry may be
** -1, and the model's output shape must equal the result. When neither is
** usable (e.g. a shape tensor computed at run time) the model's output
** shape is taken, as TFLM always does. Legacy models use new_shape [0]
** for a scalar.
** The planner may alias output and input (MOTE_OP_ALIAS): eval then has
** nothing to do; otherwise it copies the bytes.
*/
#include <string.h>

#include "../kernels/ref/shape_ref.h"
#include "../runtime/op_api.h"

static mote_status check_shape(mote_ctx *ctx, const mote_node *node,
                               const mote_tensor *in, const mote_tensor *out,
                               const int64_t *shape, uint32_t n) {
  int64_t known = 1;
  int32_t stretch = -1;
  uint32_t i;
  if (n > MOTE_MAX_DIMS)
    return mote_fail(ctx, node, MOTE_E_UNSUPPORTED, (int32_t)out->index,
                     "reshape target rank at most", MOTE_MAX_DIMS, n);
  for (i = 0; i < n; ++i) {
    if (shape[i] == -1) {
      if (stretch >= 0)
        return mote_fail(ctx, node, MOTE_E_BAD_SHAPE, (int32_t)out->index,
                         "at most one -1 in the reshape target; second at", -1,
                         i);
      stretch = (int32_t)i;
    } else if (shape[i] < 0 || shape[i] > INT32_MAX) {
      return mote_fail(ctx, node, MOTE_E_BAD_SHAPE, (int32_t)out->index,
                       "non-negative reshape target dimension", 0, shape[i]);
    } else {
      known *= shape[i];
      if (known > INT32_MAX)
        return mote_fail(ctx, node, MOTE_E_OVERFLOW, (int32_t)out->index,
                         "reshape target element count within int32", INT32_MAX,
                         known);
    }
  }
  int64_t stretched = 0;
  if (stretch >= 0) {
    if (known == 0)
      return mote_fail(ctx, node, MOTE_E_BAD_SHAPE, (int32_t)out->index,
                       "non-zero known dimensions with a -1", 1, 0);
    stretched = (int64_t)in->count / known;
    known *= stretched;
  }
  if (known != (int64_t)in->count)
    return mote_fail(ctx, node, MOTE_E_BAD_SHAPE, (int32_t)out->index,
                     "reshape target element count equal to input's",
                     (int64_t)in->count, known);
  if (out->ndim != n)
    return mote_fail(ctx, node, MOTE_E_BAD_SHAPE, (int32_t)out->index,
                     "output rank equal to reshape target rank", n, out->ndim);
  for (i = 0; i < n; ++i) {
    int64_t want = (int32_t)i == stretch ? stretched : shape[i];
    if (out->dims[i] != want)
      return mote_fail(ctx, node, MOTE_E_BAD_SHAPE, (int32_t)out->index,
                       "output dimension equal to reshape target", want,
                       out->dims[i]);
  }
  return MOTE_OK;
}

static mote_status prepare(mote_ctx *ctx, mote_node *node) {
  mote_tensor in, out;
  int64_t shape[MOTE_MAX_DIMS + 1];
  uint32_t n = 0, i;
  int have = 0;
  MOTE_TRY(mote_expect_ninputs(ctx, node, 1, 2));
  if (mote_node_noutputs(node) != 1)
    return mote_fail(ctx, node, MOTE_E_BAD_MODEL, -1, "number of outputs", 1,
                     mote_node_noutputs(node));
  if (node->options_type != TFL_OPT_NONE &&
      node->options_type != TFL_OPT_RESHAPE)
    return mote_fail(ctx, node, MOTE_E_BAD_OPTIONS, -1,
                     "builtin_options_type ReshapeOptions", TFL_OPT_RESHAPE,
                     node->options_type);
  MOTE_TRY(mote_node_input(ctx, node, 0, &in));
  MOTE_TRY(mote_node_output(ctx, node, 0, &out));
  if (mote_dtype_size(in.type) == 0)
    return mote_fail(ctx, node, MOTE_E_UNSUPPORTED, (int32_t)in.index,
                     "tensor type with a fixed element size", MOTE_INT8,
                     in.type);
  if (out.type != in.type)
    return mote_fail(ctx, node, MOTE_E_BAD_TYPE, (int32_t)out.index,
                     "output type equal to input type", in.type, out.type);
  if (out.bytes != in.bytes)
    return mote_fail(ctx, node, MOTE_E_BAD_SHAPE, (int32_t)out.index,
                     "output element count equal to input's", (int64_t)in.count,
                     (int64_t)out.count);

  /* 1. Constant 1-D shape tensor. */
  if (mote_node_input_index(ctx, node, 1) >= 0) {
    mote_tensor st;
    MOTE_TRY(mote_node_input(ctx, node, 1, &st));
    if ((st.type == MOTE_INT32 || st.type == MOTE_INT64) && st.is_const &&
        st.data != NULL && st.ndim == 1) {
      if (st.count > MOTE_MAX_DIMS)
        return mote_fail(ctx, node, MOTE_E_UNSUPPORTED, (int32_t)st.index,
                         "reshape target rank at most", MOTE_MAX_DIMS,
                         (int64_t)st.count);
      n = (uint32_t)st.count;
      for (i = 0; i < n; ++i)
        shape[i] = mote_shape_read_int(st.data, st.type == MOTE_INT64, i);
      have = 1;
    }
  }
  /* 2. ReshapeOptions.new_shape. */
  if (!have && node->options.pos != 0) {
    fb_vec v = fb_vector(&ctx->fb, &node->options, 0);
    if (v.pos != 0) {
      if (v.n > MOTE_MAX_DIMS)
        return mote_fail(ctx, node, MOTE_E_UNSUPPORTED, (int32_t)out.index,
                         "reshape target rank at most", MOTE_MAX_DIMS, v.n);
      n = v.n;
      for (i = 0; i < n; ++i) shape[i] = fb_vec_i32(&ctx->fb, v, i);
      /* Legacy scalar: [0] with a single input. */
      if (mote_node_ninputs(node) == 1 && n == 1 && shape[0] == 0) n = 0;
      have = 1;
    }
  }
  if (have) MOTE_TRY(check_shape(ctx, node, &in, &out, shape, n));

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

const mote_op_reg mote_op_RESHAPE = {TFL_OP_RESHAPE, "RESHAPE", prepare, eval,
                                     MOTE_OP_ALIAS,  NULL,      NULL};
