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

/*
** Registration variants of one operator. MOTE_OPV_ALL: every data type the
** op implements (mote_op_CONV_2D...). MOTE_OPV_INT8: int8 activations with
** int8 weights only (mote_op_CONV_2D_INT8...), so that a firmware whose op
** table names only those links no float32, int16, hybrid or int4 code. An
** op body takes the variant as a compile-time constant and is expanded
** once per registration (MOTE_OP_BODY), so the unused branches fold away.
*/
enum { MOTE_OPV_ALL = 0, MOTE_OPV_INT8 = 1 };

/* Work (multiply-accumulates, or their equivalent for element-wise ops)
 * below which an op is not split across the op table's workers by default
 * (mote_workers.min_macs 0): a task hand-off costs about a microsecond. */
#ifndef MOTE_SPLIT_MACS_DEFAULT
#define MOTE_SPLIT_MACS_DEFAULT 20000
#endif

#if defined(__GNUC__)
#define MOTE_OP_BODY static inline __attribute__((always_inline))
#else
#define MOTE_OP_BODY static inline
#endif

/*
** The four callbacks of an op with both registration variants, from its
** MOTE_OP_BODY prepare_v / eval_v: prepare and eval (MOTE_OPV_ALL),
** prepare_int8 and eval_int8 (MOTE_OPV_INT8).
*/
#define MOTE_OP_VARIANT_FNS(prepare_v, eval_v)                         \
  static mote_status prepare(mote_ctx *ctx, mote_node *node) {         \
    return prepare_v(ctx, node, MOTE_OPV_ALL);                         \
  }                                                                    \
  static mote_status eval(mote_ctx *ctx, const mote_node *node) {      \
    return eval_v(ctx, node, MOTE_OPV_ALL);                            \
  }                                                                    \
  static mote_status prepare_int8(mote_ctx *ctx, mote_node *node) {    \
    return prepare_v(ctx, node, MOTE_OPV_INT8);                        \
  }                                                                    \
  static mote_status eval_int8(mote_ctx *ctx, const mote_node *node) { \
    return eval_v(ctx, node, MOTE_OPV_INT8);                           \
  }

/* Refuse tensor t in an int8-only registration (MOTE_OPV_INT8): fails with
 * MOTE_E_UNSUPPORTED naming the op, the tensor and its type. */
mote_status mote_int8_only(mote_ctx *ctx, const mote_node *n,
                           const mote_tensor *t);

/* MOTE_OPV_INT8 check of a tensor: MOTE_OK if the variant takes every type
 * or t is int8, else mote_int8_only(). */
static inline mote_status mote_opv_check(mote_ctx *ctx, const mote_node *n,
                                         int variant, const mote_tensor *t) {
  if (variant != MOTE_OPV_INT8 || t->type == MOTE_INT8) return MOTE_OK;
  return mote_int8_only(ctx, n, t);
}

#endif
