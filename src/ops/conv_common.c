/*
** conv_common.c: the out-of-line prepare and eval of CONV_2D and
** DEPTHWISE_CONV_2D, one per registration variant (conv_common.h has the
** bodies). `depthwise` is a run-time argument here, so a firmware with both
** ops links one copy of each.
*/
#include "conv_common.h"

mote_status mote_conv_prepare_all(mote_ctx *ctx, mote_node *node,
                                  const mote_conv_opts *o, int depthwise) {
  return mote_conv_prepare(ctx, node, o, depthwise, MOTE_OPV_ALL);
}

mote_status mote_conv_prepare_int8(mote_ctx *ctx, mote_node *node,
                                   const mote_conv_opts *o, int depthwise) {
  return mote_conv_prepare(ctx, node, o, depthwise, MOTE_OPV_INT8);
}

mote_status mote_conv_eval_all(mote_ctx *ctx, const mote_node *node,
                               const mote_conv_opts *o, int depthwise) {
  return mote_conv_eval(ctx, node, o, depthwise, MOTE_OPV_ALL);
}

mote_status mote_conv_eval_int8(mote_ctx *ctx, const mote_node *node,
                                const mote_conv_opts *o, int depthwise) {
  return mote_conv_eval(ctx, node, o, depthwise, MOTE_OPV_INT8);
}
