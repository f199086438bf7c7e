/*
** activation_common.h: prepare-time helpers shared by the activation ops
** (SOFTMAX, LOGISTIC, TANH, RELU, RELU6, LEAKY_RELU, HARD_SWISH) and by
** QUANTIZE / DEQUANTIZE.
*/
#ifndef MOTE_ACTIVATION_COMMON_H
#define MOTE_ACTIVATION_COMMON_H

#include "../kernels/ref/activation_ref.h"
#include "../runtime/op_api.h"

/*
** One input and one output of the same shape (the output shape stored in
** the model must equal the input's). Fills *in and *out.
*/
mote_status mote_act_unary_io(mote_ctx *ctx, const mote_node *node,
                              mote_tensor *in, mote_tensor *out);

/* Prepared data of an element-wise activation starts with this. */
typedef struct mote_act_head {
  mote_dtype type; /* of the input and the output */
  size_t count;    /* elements */
} mote_act_head;

/* Bit of a type in the `types` set of mote_act_prepare_unary. */
#define MOTE_TYPE_BIT(t) (1u << (unsigned)(t))

/*
** Prepare head of an element-wise activation: mote_act_unary_io, the
** options table (mote_act_expect_options, unless `opt_tag` is 0), output
** type equal to the input type, and that type in `types` (a set of
** MOTE_TYPE_BIT; otherwise MOTE_E_UNSUPPORTED, `type_what` naming the
** expectation). Fills *in, *out and *h.
*/
mote_status mote_act_prepare_unary(mote_ctx *ctx, const mote_node *node,
                                   int opt_tag, uint32_t types,
                                   const char *type_what, mote_tensor *in,
                                   mote_tensor *out, mote_act_head *h);

/*
** Operator fusion (mote_op_reg.clamp) of an int8 element-wise op: runs
** `apply(p, n, x, y)` (the op's own kernel, y may alias x) on every int8
** value and returns 1 if each result is x clamped to [lo, hi] (then *c
** holds the clamp), 0 otherwise: equality checked on all 256 inputs.
*/
typedef void (*mote_s8_apply_fn)(const void *p, size_t n, const int8_t *x,
                                 int8_t *y);
int mote_act_clamp_s8(mote_s8_apply_fn apply, const void *p, int32_t lo,
                      int32_t hi, mote_clamp *c);

/* Output type must be the input type. */
mote_status mote_act_same_type(mote_ctx *ctx, const mote_node *node,
                               const mote_tensor *in, const mote_tensor *out);

/*
** A quantized int8 / uint8 / int16 / int32 tensor: at least one scale,
** positive and finite, zero point inside the type's range (int32: any).
*/
mote_status mote_act_check_quant(mote_ctx *ctx, const mote_node *node,
                                 const mote_tensor *t);

/* Zero point must be `want`. */
mote_status mote_act_expect_zero_point(mote_ctx *ctx, const mote_node *node,
                                       const mote_tensor *t, int32_t want);

/*
** TFLite QuantizeMultiplier for a rescale the kernels apply with
** mote_mul_by_qm: refuses (MOTE_E_UNSUPPORTED) a left shift above 31,
** which no model with sane scales produces.
*/
mote_status mote_act_multiplier(mote_ctx *ctx, const mote_node *node,
                                const mote_tensor *t, double real, int32_t *qm,
                                int32_t *shift);

/*
** Options table check: `node->options_type` must be 0 (absent) or `tag`.
*/
mote_status mote_act_expect_options(mote_ctx *ctx, const mote_node *node,
                                    int tag);

/*
** TFLite CheckedLog2: *out_log2 = round(log2(x)) (float arithmetic); returns 1
** if x is a power of two within 1e-3 in the exponent.
*/
int mote_checked_log2(float x, int32_t *out_log2);

/*
** TFLite CalculateInputRadius: largest |input difference| whose rescale by
** 2^left_shift stays in range, floor((2^int_bits - 1) * 2^(31 - int_bits)
** / 2^left_shift).
*/
int32_t mote_input_radius(int int_bits, int left_shift);

/*
** int8 LOGISTIC / TANH input rescale (TFLM): input_scale * 2^27 split by
** frexp into a Q0.31 multiplier and a shift (the input goes to Q4.27), and
** the radius beyond which the output saturates.
*/
void mote_sigmoid_prepare_s8(const mote_tensor *in, mote_sigmoid_s8_params *p);

/*
** int16 LOGISTIC / TANH (TFLM): zero points 0, output scale 2^-15; a
** power-of-two input scale whose shift 12 + log2(scale) is within
** [0, max_pot_shift] takes the exact path (multiplier 0), any other scale a
** 15-bit multiplier onto the 1/(3*4096) table scale.
*/
mote_status mote_sigmoid_prepare_s16(mote_ctx *ctx, const mote_node *node,
                                     const mote_tensor *in,
                                     const mote_tensor *out, int max_pot_shift,
                                     mote_sigmoid_s16_params *p);

#endif
