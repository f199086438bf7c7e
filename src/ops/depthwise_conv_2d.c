/*
** DEPTHWISE_CONV_2D: int8 (per-channel on dimension 3 or per-tensor int8/int4
** weights, int32 bias), int16x8 (int8 weights, int64 bias), float32, and
** hybrid float32 activations with int8 weights (TFLM refuses those; see
** kernels/ref/dwconv2d_hybrid.c). Shared logic: conv_common.h.
*/
#include "conv_common.h"

/* Options (decoded in prepare; eval reads them only without a cache). */
static void read_opts(const mote_ctx *ctx, const mote_node *node,
                      mote_conv_opts *o) {
  mote_conv_read_opts(ctx, node, 1, o);
}

/* Options type check and decoding (both variants). */
static mote_status prepare_opts(mote_ctx *ctx, const mote_node *node,
                                mote_conv_opts *o) {
  if (node->options_type != TFL_OPT_NONE &&
      node->options_type != TFL_OPT_DEPTHWISE_CONV2D)
    return mote_fail(ctx, node, MOTE_E_BAD_OPTIONS, -1,
                     "builtin_options_type DepthwiseConv2DOptions",
                     TFL_OPT_DEPTHWISE_CONV2D, node->options_type);
  read_opts(ctx, node, o);
  return MOTE_OK;
}

static mote_status prepare(mote_ctx *ctx, mote_node *node) {
  mote_conv_opts o;
  MOTE_TRY(prepare_opts(ctx, node, &o));
  return mote_conv_prepare_all(ctx, node, &o, 1);
}

static mote_status eval(mote_ctx *ctx, const mote_node *node) {
  return mote_conv_eval_all(ctx, node, NULL, 1); /* options read if needed */
}

static mote_status prepare_int8(mote_ctx *ctx, mote_node *node) {
  mote_conv_opts o;
  MOTE_TRY(prepare_opts(ctx, node, &o));
  return mote_conv_prepare_int8(ctx, node, &o, 1);
}

static mote_status eval_int8(mote_ctx *ctx, const mote_node *node) {
  return mote_conv_eval_int8(ctx, node, NULL, 1); /* options read if needed */
}

const mote_op_reg mote_op_DEPTHWISE_CONV_2D = {TFL_OP_DEPTHWISE_CONV_2D,
                                               "DEPTHWISE_CONV_2D",
                                               prepare,
                                               eval,
                                               0,
                                               mote_conv_kernel,
                                               NULL};

/* int8 activations and weights only (MOTE_OPV_INT8). */
const mote_op_reg mote_op_DEPTHWISE_CONV_2D_INT8 = {TFL_OP_DEPTHWISE_CONV_2D,
                                                    "DEPTHWISE_CONV_2D",
                                                    prepare_int8,
                                                    eval_int8,
                                                    0,
                                                    mote_conv_kernel,
                                                    NULL};
