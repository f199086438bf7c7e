/*
** elementwise_common.h: prepare-time checks shared by ADD, SUB and MUL
** (and the TFLite activation ranges of the plain int32 / float paths).
*/
#ifndef MOTE_ELEMENTWISE_COMMON_H
#define MOTE_ELEMENTWISE_COMMON_H

#include "../kernels/ref/elementwise_ref.h"
#include "../runtime/op_api.h"

/* The two inputs and the output of a binary element-wise op. */
typedef struct mote_binary_io {
  mote_tensor in1, in2, out;
  mote_bcast bc;
  int32_t activation; /* fused activation from the options (0: none) */
} mote_binary_io;

/*
** Check 2 inputs / 1 output, equal types, broadcast-compatible input shapes
** whose broadcast shape is the output's, and read the fused activation
** (options table of tag `opt_tag`, activation at field 0, absent: NONE).
*/
mote_status mote_binary_prepare(mote_ctx *ctx, const mote_node *node,
                                int opt_tag, mote_binary_io *io);

/* Prepared data every ADD / SUB / MUL keeps (the op adds its quantized
 * parameters after it). */
typedef struct mote_binary_data {
  mote_bcast bc;
  mote_dtype type;
  mote_arith_i32_params i32;
  mote_arith_f32_params f32;
} mote_binary_data;

/*
** The part of ADD / SUB / MUL prepare every op shares: mote_binary_prepare,
** the broadcast and type into *d, the float32 and int32 clamps of the fused
** activation (an op that differs for int32 overwrites d->i32), and refusal
** of any type but float32 / int32 / int8 / int16 (`type_what` names the
** expectation in the error).
*/
mote_status mote_binary_prepare_op(mote_ctx *ctx, const mote_node *node,
                                   int opt_tag, const char *type_what,
                                   mote_binary_io *io, mote_binary_data *d);

/* TFLite CalculateActivationRange<float>: RELU / RELU6 / RELU_N1_TO_1
 * clamp, anything else leaves the full float range. */
void mote_tfl_act_range_f32(int32_t act, float *lo, float *hi);

/* Same for int32 outputs. */
void mote_tfl_act_range_i32(int32_t act, int32_t *lo, int32_t *hi);

/* Validate a quantized tensor of an int8/int16 op: positive finite scale,
 * zero point in the range of the type. */
mote_status mote_binary_check_quant(mote_ctx *ctx, const mote_node *node,
                                    const mote_tensor *t);

/* mote_binary_check_quant on both inputs and the output. */
mote_status mote_binary_check_quant_io(mote_ctx *ctx, const mote_node *node,
                                       const mote_binary_io *io);

/*
** Real multipliers of quantized ADD / SUB for scales s1, s2 (inputs) and so
** (output): r[0], r[1] take the inputs to twice the larger input scale,
** r[2] from there (with left_shift bits of headroom) to the output. Each op
** computes them in its own precision, as TFLM does.
*/
typedef void (*mote_addsub_ratios_fn)(float s1, float s2, float so,
                                      int32_t left_shift, double r[3]);

/*
** Quantized ADD / SUB (int8 / int16): tensor checks, offsets, 20 / 15 bits
** of headroom, the three multipliers from `ratios`, the activation clamp.
*/
mote_status mote_addsub_prepare_quant(mote_ctx *ctx, const mote_node *node,
                                      const mote_binary_io *io,
                                      mote_addsub_ratios_fn ratios,
                                      mote_addsub_q_params *q);

/* The kernels of ADD or SUB (same signatures), one per type. */
typedef struct mote_addsub_kernels {
  void (*f32)(const mote_arith_f32_params *p, const mote_bcast *bc,
              const float *a, const float *b, float *out);
  void (*s32)(const mote_arith_i32_params *p, const mote_bcast *bc,
              const int32_t *a, const int32_t *b, int32_t *out);
  void (*s8)(const mote_addsub_q_params *p, const mote_bcast *bc,
             const int8_t *a, const int8_t *b, int8_t *out);
  void (*s16)(const mote_addsub_q_params *p, const mote_bcast *bc,
              const int16_t *a, const int16_t *b, int16_t *out);
} mote_addsub_kernels;

/* Eval of ADD / SUB: the kernel of the prepared type. */
mote_status mote_addsub_eval(mote_ctx *ctx, const mote_node *node,
                             const mote_binary_data *d,
                             const mote_addsub_q_params *q,
                             const mote_addsub_kernels *k);

/*
** Worker threads for element-wise ops. A range of a same-shape op's flat
** elements: `bc` describes it as one row, a / b / o point at its first
** element, `op` is the op's prepared data.
*/
typedef void (*mote_elt_range_fn)(const void *op, const mote_bcast *bc,
                                  const void *a, const void *b, void *o);

/*
** Run `fn` over the op's elements split into the op table's worker tasks
** (ranges of a multiple of 64 elements, so no two tasks write one cache
** line) when the model has workers, both inputs have the output's shape
** (a one-row `bc`) and count * cost reaches the workers' split threshold
** (cost: multiply-accumulate equivalents of one element). Returns 1 once
** done, 0 without running anything otherwise (the caller runs the op).
*/
int mote_eltwise_split(const mote_ctx *ctx, const mote_bcast *bc,
                       size_t elem_bytes, uint32_t cost, mote_elt_range_fn fn,
                       const void *op, const void *a, const void *b, void *o);

/* TFLite QuantizeMultiplierSmallerThanOneExp: 0 if `real` is not in
 * (0, 1) or rounds up to 1 (TFLite aborts on those). */
int mote_quantize_multiplier_lt1(double real, int32_t *qm, int32_t *shift);

#endif
