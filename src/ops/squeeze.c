/*
** SQUEEZE: drop size-1 dimensions (all of them, or those listed in
** SqueezeOptions.squeeze_dims, negative counting from the end). Any data
** type; a byte copy, or nothing when the planner aliased output and input.
*/
#include <string.h>

#include "../runtime/op_api.h"

static mote_status prepare(mote_ctx *ctx, mote_node *node) {
  mote_tensor in, out;
  int squeeze[MOTE_MAX_DIMS] = {0};
  uint32_t i, o;
  MOTE_TRY(mote_expect_ninputs(ctx, node, 1, 1));
  if (mote_node_noutputs(node) != 1)
    return mote_fail(ctx, node, MOTE_E_BAD_MODEL, -1, "number of outputs", 1,
                     mote_node_noutputs(node));
  if (node->options_type != TFL_OPT_NONE &&
      node->options_type != TFL_OPT_SQUEEZE)
    return mote_fail(ctx, node, MOTE_E_BAD_OPTIONS, -1,
                     "builtin_options_type SqueezeOptions", TFL_OPT_SQUEEZE,
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

  fb_vec v = fb_vector(&ctx->fb, &node->options, 0);
  if (v.n == 0) {
    for (i = 0; i < in.ndim; ++i) squeeze[i] = in.dims[i] == 1;
  } else {
    for (i = 0; i < v.n; ++i) {
      int32_t a = fb_vec_i32(&ctx->fb, v, i);
      int32_t r = a < 0 ? a + (int32_t)in.ndim : a;
      if (r < 0 || r >= (int32_t)in.ndim)
        return mote_fail(ctx, node, MOTE_E_BAD_OPTIONS, (int32_t)in.index,
                         "squeeze_dims entry within input rank", in.ndim, a);
      if (in.dims[r] != 1)
        return mote_fail(ctx, node, MOTE_E_BAD_OPTIONS, (int32_t)in.index,
                         "squeezed input dimension of size 1", 1, in.dims[r]);
      squeeze[r] = 1;
    }
  }
  for (i = 0, o = 0; i < in.ndim; ++i) {
    if (squeeze[i]) continue;
    if (o >= out.ndim || out.dims[o] != in.dims[i])
      return mote_fail(ctx, node, MOTE_E_BAD_SHAPE, (int32_t)out.index,
                       "output dimension equal to the squeezed input's",
                       in.dims[i], o < out.ndim ? out.dims[o] : -1);
    ++o;
  }
  if (o != out.ndim)
    return mote_fail(ctx, node, MOTE_E_BAD_SHAPE, (int32_t)out.index,
                     "output rank equal to the squeezed input rank", o,
                     out.ndim);

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

const mote_op_reg mote_op_SQUEEZE = {TFL_OP_SQUEEZE, "SQUEEZE", prepare, eval,
                                     MOTE_OP_ALIAS,  NULL,      NULL};
