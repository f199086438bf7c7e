/* op_api.c: the services the runtime offers to operators. */
#include <string.h>

#include "model_internal.h"

mote_status(mote_fail)(mote_ctx *ctx, const mote_node *node, mote_status st,
                       int32_t tensor, const char *what, int64_t expected,
                       int64_t got) {
  mote_error *e = &ctx->m->err;
  if (!node) node = ctx->cur;
  e->status = st;
  e->op_index = node ? (int32_t)node->op_index : -1;
#ifdef MOTE_NO_ERROR_TEXT
  e->op_name = node && node->reg ? node->reg->name : NULL;
#else
  e->op_name = node ? mote_builtin_name(node->builtin_code) : NULL;
#endif
  e->tensor_index = tensor;
  e->what = what;
  e->expected = expected;
  e->got = got;
  return st;
}

int32_t mote_node_input_index(const mote_ctx *ctx, const mote_node *n,
                              uint32_t k) {
  return k < n->inputs.n ? fb_vec_i32(&ctx->fb, n->inputs, k) : -1;
}

int32_t mote_node_output_index(const mote_ctx *ctx, const mote_node *n,
                               uint32_t k) {
  return k < n->outputs.n ? fb_vec_i32(&ctx->fb, n->outputs, k) : -1;
}

mote_status mote_tensor_view(mote_ctx *ctx, const mote_node *n, int32_t tensor,
                             mote_tensor *t) {
  if (tensor < 0 || (uint32_t)tensor >= ctx->m->n_tensors)
    return mote_fail(ctx, n, MOTE_E_BAD_TENSOR_INDEX, tensor,
                     "a present tensor", 0, tensor);
  void *const *td = ctx->measuring ? NULL : ctx->m->tensor_data;
  return mote_view(ctx->m, &ctx->fb, (uint32_t)tensor, td, t);
}

mote_status mote_node_input(mote_ctx *ctx, const mote_node *n, uint32_t k,
                            mote_tensor *t) {
  if (k >= n->inputs.n)
    return mote_fail(ctx, n, MOTE_E_BAD_MODEL, -1, "number of inputs above", k,
                     n->inputs.n);
  return mote_tensor_view(ctx, n, mote_node_input_index(ctx, n, k), t);
}

mote_status mote_node_output(mote_ctx *ctx, const mote_node *n, uint32_t k,
                             mote_tensor *t) {
  if (k >= n->outputs.n)
    return mote_fail(ctx, n, MOTE_E_BAD_MODEL, -1, "number of outputs above", k,
                     n->outputs.n);
  return mote_tensor_view(ctx, n, mote_node_output_index(ctx, n, k), t);
}

mote_status mote_expect_type(mote_ctx *ctx, const mote_node *n,
                             const mote_tensor *t, mote_dtype want) {
  if (t->type == want) return MOTE_OK;
  return mote_fail(ctx, n, MOTE_E_BAD_TYPE, (int32_t)t->index,
                   "tensor type (TFLite TensorType)", want, t->type);
}

int mote_same_shape(const mote_tensor *a, const mote_tensor *b) {
  if (a->ndim != b->ndim) return 0;
  for (uint32_t i = 0; i < a->ndim; i++)
    if (a->dims[i] != b->dims[i]) return 0;
  return 1;
}

mote_status mote_expect_same_shape(mote_ctx *ctx, const mote_node *n,
                                   const mote_tensor *a, const mote_tensor *b) {
  if (mote_same_shape(a, b)) return MOTE_OK;
  return mote_fail(ctx, n, MOTE_E_BAD_SHAPE, (int32_t)b->index,
                   "same shape as tensor", a->index, b->index);
}

mote_status mote_expect_ninputs(mote_ctx *ctx, const mote_node *n, uint32_t lo,
                                uint32_t hi) {
  if (n->inputs.n >= lo && n->inputs.n <= hi) return MOTE_OK;
  return mote_fail(ctx, n, MOTE_E_BAD_MODEL, -1, "number of inputs", lo,
                   n->inputs.n);
}
