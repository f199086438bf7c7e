/*
** op_util.h: prepare-time helpers shared by operators: activation ranges,
** padding, quantized multipliers of per-channel ops.
*/
#ifndef MOTE_OP_UTIL_H
#define MOTE_OP_UTIL_H

#include "../runtime/op_api.h"

/* Output clamp for a fused activation on a quantized output (TFLite
 * CalculateActivationRangeQuantized). Fails on TANH/SIGN_BIT etc. */
mote_status mote_act_range_quant(mote_ctx *ctx, const mote_node *n, int act,
                                 const mote_tensor *out, int32_t *act_min,
                                 int32_t *act_max);

/* Float clamp for a fused activation (TFLite CalculateActivationRange). */
mote_status mote_act_range_float(mote_ctx *ctx, const mote_node *n, int act,
                                 float *act_min, float *act_max);

/* TFLite ComputeOutSize: output extent for padding SAME/VALID (0: bad). */
int32_t mote_conv_out_size(int padding, int32_t in, int32_t filter,
                           int32_t stride, int32_t dilation);

/* TFLite ComputePaddingWithOffset: leading padding; *offset gets the odd
 * remainder (extra trailing padding). */
int32_t mote_conv_padding(int32_t stride, int32_t dilation, int32_t in,
                          int32_t filter, int32_t out, int32_t *offset);

/* A real number as an int64 for error reports (e.g. scale * 1e9): NaN
 * gives 0 and out-of-range values saturate, never undefined behaviour. */
int64_t mote_report_i64(double v);

/* Product of dims [from, to) of t (1 for an empty range). */
int32_t mote_dims_prod(const mote_tensor *t, uint32_t from, uint32_t to);

/*
** Keep an op's prepared data: in the real pass copy `bytes` of `d` into
** the persistent region and hang it on node->data; in the measuring pass
** (mote_persist returns NULL) only count the bytes.
*/
mote_status mote_persist_data(mote_ctx *ctx, mote_node *node, const void *d,
                              size_t bytes);

#endif
