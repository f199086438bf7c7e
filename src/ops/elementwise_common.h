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

/* TFLite CalculateActivationRange<float>: RELU / RELU6 / RELU_N1_TO_1
 * clamp, anything else leaves the full float range. */
void mote_tfl_act_range_f32(int32_t act, float *lo, float *hi);

/* Same for int32 outputs. */
void mote_tfl_act_range_i32(int32_t act, int32_t *lo, int32_t *hi);

/* Validate a quantized tensor of an int8/int16 op: positive finite scale,
 * zero point in the range of the type. */
mote_status mote_binary_check_quant(mote_ctx *ctx, const mote_node *node,
                                    const mote_tensor *t);

/* TFLite QuantizeMultiplierSmallerThanOneExp: 0 if `real` is not in
 * (0, 1) or rounds up to 1 (TFLite aborts on those). */
int mote_quantize_multiplier_lt1(double real, int32_t *qm, int32_t *shift);

#endif
