/*
** fc_ref.h: reference FULLY_CONNECTED kernels.
**
** Layout: input [batches, depth] (any leading shape flattened), weights
** [units, depth] row-major, bias [units], output [batches, units].
*/
#ifndef MOTE_FC_REF_H
#define MOTE_FC_REF_H

#include <stddef.h>
#include <stdint.h>

#include "../mote_requant.h"

/* Extents. */
typedef struct mote_fc_dims {
  int32_t batches;
  int32_t depth; /* accumulation depth (weights dim 1) */
  int32_t units; /* output depth (weights dim 0) */
} mote_fc_dims;

/* Quantized kernels (int8 / int16 activations). */
typedef struct mote_fc_q_params {
  mote_requant_ch rq;    /* per unit */
  int32_t input_offset;  /* -input zero point (int8 only) */
  int32_t filter_offset; /* -weights zero point (per-tensor only, else 0) */
  int32_t output_offset; /* output zero point (int8 only) */
  int32_t act_min;
  int32_t act_max;
} mote_fc_q_params;

/* int8 x int8 -> int8, int32 accumulator, optional int32 bias. */
void mote_fc_s8_ref(const mote_fc_dims *n, const mote_fc_q_params *p,
                    const int8_t *input, const int8_t *weights,
                    const int32_t *bias, int8_t *output);

/*
** int8 activations with packed int4 weights (two per byte, element 2i in
** the low nibble of byte i, sign-extended), otherwise as mote_fc_s8_ref.
*/
void mote_fc_s8w4_ref(const mote_fc_dims *n, const mote_fc_q_params *p,
                      const int8_t *input, const uint8_t *weights_packed,
                      const int32_t *bias, int8_t *output);

/* int16 x int8 -> int16, int64 accumulator, optional int64 bias. */
void mote_fc_s16_ref(const mote_fc_dims *n, const mote_fc_q_params *p,
                     const int16_t *input, const int8_t *weights,
                     const int64_t *bias, int16_t *output);

/*
** int16 x int8 -> int16 with an int32 accumulator (wrapping) and 32-bit
** requantization, optional int32 bias: what TFLM does for 16x8 fully
** connected layers whose bias is int32 or absent.
*/
void mote_fc_s16_acc32_ref(const mote_fc_dims *n, const mote_fc_q_params *p,
                           const int16_t *input, const int8_t *weights,
                           const int32_t *bias, int16_t *output);

/* float32. */
typedef struct mote_fc_f32_params {
  float act_min;
  float act_max;
} mote_fc_f32_params;

void mote_fc_f32_ref(const mote_fc_dims *n, const mote_fc_f32_params *p,
                     const float *input, const float *weights,
                     const float *bias, float *output);

/* Hybrid: float32 activations, int8 weights, float32 bias. */
typedef struct mote_fc_hybrid_params {
  const float *weight_scale; /* [units], or NULL: weight_scale0 for all */
  float weight_scale0;
  int32_t asymmetric; /* 1: asymmetric per-batch input quant */
  float act_min;
  float act_max;
} mote_fc_hybrid_params;

static inline float mote_fc_weight_scale(const mote_fc_hybrid_params *p,
                                         size_t u) {
  return p->weight_scale ? p->weight_scale[u] : p->weight_scale0;
}

/* scratch: `depth` bytes for one quantized input row. */
void mote_fc_hybrid_ref(const mote_fc_dims *n, const mote_fc_hybrid_params *p,
                        const float *input, const int8_t *weights,
                        const float *bias, float *output, int8_t *scratch);

#endif
