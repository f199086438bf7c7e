/*
** activation_ref.h: reference kernels of the activation family (SOFTMAX,
** LOGISTIC, TANH, RELU, RELU6, LEAKY_RELU, HARD_SWISH) and of QUANTIZE /
** DEQUANTIZE. Pure functions: plain pointers and a params struct filled at
** prepare time; no allocation, no I/O. Element-wise kernels read element i
** before writing element i, so output may alias input when both have the
** same element size.
*/
#ifndef MOTE_ACTIVATION_REF_H
#define MOTE_ACTIVATION_REF_H

#include <stddef.h>
#include <stdint.h>

/* ---- SOFTMAX (over the last dimension: `outer` rows of `depth`) ---- */

typedef struct mote_softmax_q_params {
  int32_t input_multiplier; /* beta * input_scale, Q5.26 rescale */
  int32_t input_left_shift;
  int32_t diff_min; /* differences below this give exp() == 0 */
} mote_softmax_q_params;

void mote_softmax_s8_ref(const mote_softmax_q_params *p, int32_t outer,
                         int32_t depth, const int8_t *in, int8_t *out);
void mote_softmax_s8_s16_ref(const mote_softmax_q_params *p, int32_t outer,
                             int32_t depth, const int8_t *in, int16_t *out);

typedef struct mote_softmax_s16_params {
  int32_t input_multiplier; /* maps input differences to [-65535, 0] */
  int32_t input_left_shift;
  const int16_t *exp_lut;      /* 513 entries: exp(x), x in [-10, 0] */
  const int16_t *one_over_lut; /* 513 entries: 1/(1+x), x in [0, 1] */
} mote_softmax_s16_params;

void mote_softmax_s16_ref(const mote_softmax_s16_params *p, int32_t outer,
                          int32_t depth, const int16_t *in, int16_t *out);

void mote_softmax_f32_ref(float beta, int32_t outer, int32_t depth,
                          const float *in, float *out);

/* Entries of the int16 softmax tables. */
#define MOTE_SOFTMAX_LUT_SIZE 513

/* ---- LOGISTIC / TANH ---- */

typedef struct mote_sigmoid_s8_params {
  int32_t input_zero_point;
  int32_t input_range_radius; /* |x - zp| >= radius saturates */
  int32_t input_multiplier;   /* input to Q4.27 */
  int32_t input_left_shift;
} mote_sigmoid_s8_params;

typedef struct mote_sigmoid_s16_params {
  int32_t input_multiplier; /* 0: power-of-two input scale */
  int32_t input_left_shift;
} mote_sigmoid_s16_params;

void mote_logistic_s8_ref(const mote_sigmoid_s8_params *p, size_t n,
                          const int8_t *in, int8_t *out);
void mote_logistic_s16_ref(const mote_sigmoid_s16_params *p, size_t n,
                           const int16_t *in, int16_t *out);
void mote_logistic_f32_ref(size_t n, const float *in, float *out);

void mote_tanh_s8_ref(const mote_sigmoid_s8_params *p, size_t n,
                      const int8_t *in, int8_t *out);
void mote_tanh_s16_ref(const mote_sigmoid_s16_params *p, size_t n,
                       const int16_t *in, int16_t *out);
void mote_tanh_f32_ref(size_t n, const float *in, float *out);

/* ---- RELU (requantizing), RELU6 (clamp), LEAKY_RELU ---- */

typedef struct mote_relu_q_params {
  int32_t input_offset;  /* input zero point */
  int32_t output_offset; /* output zero point */
  int32_t multiplier;    /* input_scale / output_scale */
  int32_t shift;
  int32_t act_min;
  int32_t act_max;
} mote_relu_q_params;

void mote_relu_s8_ref(const mote_relu_q_params *p, size_t n, const int8_t *in,
                      int8_t *out);
void mote_relu_s16_ref(const mote_relu_q_params *p, size_t n, const int16_t *in,
                       int16_t *out);
void mote_relu_f32_ref(size_t n, const float *in, float *out);

/* Plain clamp of the raw values to [lo, hi] (TFLM's quantized RELU6). */
void mote_relu6_s8_ref(int32_t lo, int32_t hi, size_t n, const int8_t *in,
                       int8_t *out);
void mote_relu6_s16_ref(int32_t lo, int32_t hi, size_t n, const int16_t *in,
                        int16_t *out);
void mote_relu6_f32_ref(size_t n, const float *in, float *out);

typedef struct mote_leaky_relu_q_params {
  int32_t input_offset;
  int32_t output_offset;
  int32_t identity_multiplier; /* input_scale / output_scale */
  int32_t identity_shift;
  int32_t alpha_multiplier; /* input_scale * alpha / output_scale, >= 0 */
  int32_t alpha_shift;
  int32_t alpha_negative; /* 1: alpha < 0, negate the scaled value */
} mote_leaky_relu_q_params;

void mote_leaky_relu_s8_ref(const mote_leaky_relu_q_params *p, size_t n,
                            const int8_t *in, int8_t *out);
void mote_leaky_relu_s16_ref(const mote_leaky_relu_q_params *p, size_t n,
                             const int16_t *in, int16_t *out);
void mote_leaky_relu_f32_ref(float alpha, size_t n, const float *in,
                             float *out);

/* ---- HARD_SWISH ---- */

typedef struct mote_hard_swish_s8_params {
  int32_t input_zero_point;
  int32_t output_zero_point;
  int16_t output_multiplier;  /* Q15, hires input scale / output scale */
  int16_t reluish_multiplier; /* Q15, hires input scale / (3/32768) */
  int32_t output_exponent;    /* <= 0 */
  int32_t reluish_exponent;
} mote_hard_swish_s8_params;

void mote_hard_swish_s8_ref(const mote_hard_swish_s8_params *p, size_t n,
                            const int8_t *in, int8_t *out);
void mote_hard_swish_f32_ref(size_t n, const float *in, float *out);

/* ---- QUANTIZE / DEQUANTIZE ---- */

/* Element types of the requantizing kernels (TFLite TensorType values). */
#define MOTE_QK_INT8 9
#define MOTE_QK_UINT8 3
#define MOTE_QK_INT16 7
#define MOTE_QK_INT32 2

typedef struct mote_requant_params {
  int32_t multiplier; /* input_scale / output_scale */
  int32_t shift;
  int32_t input_zero_point;
  int32_t output_zero_point;
  int32_t out_type; /* MOTE_QK_* */
} mote_requant_params;

/* Requantize from int8 / uint8 / int16 / int32 to p->out_type. */
void mote_quantize_s8_ref(const mote_requant_params *p, size_t n,
                          const int8_t *in, void *out);
void mote_quantize_u8_ref(const mote_requant_params *p, size_t n,
                          const uint8_t *in, void *out);
void mote_quantize_s16_ref(const mote_requant_params *p, size_t n,
                           const int16_t *in, void *out);
void mote_quantize_s32_ref(const mote_requant_params *p, size_t n,
                           const int32_t *in, void *out);

/* float32 -> int8 / int16: round(x / scale) + zero_point, saturated. */
void mote_quantize_f32_s8_ref(float scale, int32_t zero_point, size_t n,
                              const float *in, int8_t *out);
void mote_quantize_f32_s16_ref(float scale, int32_t zero_point, size_t n,
                               const float *in, int16_t *out);

/* (float)(scale * (x - zero_point)), scale as double. */
void mote_dequantize_s8_ref(double scale, int32_t zero_point, size_t n,
                            const int8_t *in, float *out);
void mote_dequantize_u8_ref(double scale, int32_t zero_point, size_t n,
                            const uint8_t *in, float *out);
void mote_dequantize_s16_ref(double scale, int32_t zero_point, size_t n,
                             const int16_t *in, float *out);

#endif
