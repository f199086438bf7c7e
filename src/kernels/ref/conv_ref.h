/*
** conv_ref.h: reference kernels of CONV_2D and DEPTHWISE_CONV_2D.
**
** Layouts are TFLite's: input [N, H, W, C], output [N, OH, OW, OC],
** CONV_2D filter [OC, FH, FW, FC] (FC = C / groups), DEPTHWISE_CONV_2D
** filter [1, FH, FW, OC] with OC = C * depth_multiplier. Padding outside
** the image contributes nothing (it stands for the real value 0).
*/
#ifndef MOTE_CONV_REF_H
#define MOTE_CONV_REF_H

#include <math.h>
#include <stdint.h>

#include "../mote_requant.h"

/* Geometry shared by every conv kernel (re-derived from the model at
 * every eval on microcontrollers, where it then costs no arena memory;
 * hosts keep prepare's copy). */
typedef struct mote_conv_geom {
  int32_t batches;
  int32_t in_h, in_w, in_c;
  int32_t filt_h, filt_w;
  int32_t filt_in_c; /* CONV_2D: input channels per group; depthwise: 1 */
  int32_t out_h, out_w, out_c;
  int32_t stride_h, stride_w;
  int32_t dil_h, dil_w;
  int32_t pad_h, pad_w;     /* leading padding */
  int32_t depth_multiplier; /* depthwise only */
} mote_conv_geom;

/* Fixed-point kernels (int8 and int16x8). */
typedef struct mote_conv_q_params {
  mote_requant_ch rq;    /* per output channel */
  int32_t input_offset;  /* minus the input zero point (int8 only) */
  int32_t output_offset; /* output zero point (int8 only) */
  int32_t act_min, act_max;
} mote_conv_q_params;

typedef struct mote_conv_f32_params {
  float act_min, act_max;
} mote_conv_f32_params;

/*
** Hybrid kernels: float input/output, int8 weights. The input is quantized
** per batch at run time (see conv2d_hybrid.c for the arithmetic).
*/
typedef struct mote_conv_hybrid_params {
  const float *filter_scale; /* [out_c], or NULL: filter_scale0 for all */
  float filter_scale0;
  float act_min, act_max;
  int32_t asymmetric; /* 0: symmetric input quantization */
} mote_conv_hybrid_params;

static inline float mote_conv_filter_scale(const mote_conv_hybrid_params *p,
                                           int32_t c) {
  return p->filter_scale ? p->filter_scale[c] : p->filter_scale0;
}

/* CONV_2D. bias may be NULL. */
void mote_conv2d_s8_ref(const mote_conv_geom *g, const mote_conv_q_params *p,
                        const int8_t *input, const int8_t *filter,
                        const int32_t *bias, int8_t *output);
/* int16 activations, int64 bias or none (64-bit accumulator, 16-bit
 * multiplier). */
void mote_conv2d_s16_ref(const mote_conv_geom *g, const mote_conv_q_params *p,
                         const int16_t *input, const int8_t *filter,
                         const int64_t *bias, int16_t *output);
/* int16 activations, int32 bias (32-bit accumulator). */
void mote_conv2d_s16b32_ref(const mote_conv_geom *g,
                            const mote_conv_q_params *p, const int16_t *input,
                            const int8_t *filter, const int32_t *bias,
                            int16_t *output);
void mote_conv2d_f32_ref(const mote_conv_geom *g, const mote_conv_f32_params *p,
                         const float *input, const float *filter,
                         const float *bias, float *output);
/*
** Scratch: q_input [batches * in_h * in_w * in_c], batch_scale and
** batch_offset [batches].
*/
void mote_conv2d_hybrid_ref(const mote_conv_geom *g,
                            const mote_conv_hybrid_params *p,
                            const float *input, const int8_t *filter,
                            const float *bias, float *output, int8_t *q_input,
                            float *batch_scale, int32_t *batch_offset);

/* DEPTHWISE_CONV_2D. bias may be NULL. */
void mote_dwconv2d_s8_ref(const mote_conv_geom *g, const mote_conv_q_params *p,
                          const int8_t *input, const int8_t *filter,
                          const int32_t *bias, int8_t *output);
void mote_dwconv2d_s16_ref(const mote_conv_geom *g, const mote_conv_q_params *p,
                           const int16_t *input, const int8_t *filter,
                           const int64_t *bias, int16_t *output);
void mote_dwconv2d_f32_ref(const mote_conv_geom *g,
                           const mote_conv_f32_params *p, const float *input,
                           const float *filter, const float *bias,
                           float *output);
void mote_dwconv2d_hybrid_ref(const mote_conv_geom *g,
                              const mote_conv_hybrid_params *p,
                              const float *input, const int8_t *filter,
                              const float *bias, float *output, int8_t *q_input,
                              float *batch_scale, int32_t *batch_offset);

/* Unpack `count` packed signed 4-bit values (low nibble first) to int8. */
void mote_conv2d_unpack_s4_ref(const uint8_t *packed, int32_t count,
                               int8_t *out);

/* ---- small helpers shared by the kernels above ---- */

/* Two's-complement wrap of a 64-bit sum to 32 bits (TFLite accumulates in
 * int32 and relies on wrap-around). */
static inline int32_t mote_conv_wrap_i32(int64_t v) {
  return (int32_t)(uint32_t)(uint64_t)v;
}

/* TFLite ActivationFunctionWithMinMax. */
static inline float mote_conv_clamp_f32(float x, float lo, float hi) {
  float y = x < lo ? lo : x;
  return hi < y ? hi : y;
}

/*
** Symmetric quantization of n floats to [-127, 127] (TFLite
** SymmetricQuantizeFloats): scale = max|x| / 127, q = round(x * 127/max|x|).
** All-zero input: q = 0, scale = 1.
*/
static inline float mote_conv_quantize_sym(const float *x, int32_t n,
                                           int8_t *q) {
  float lo = 0.0f, hi = 0.0f;
  int32_t i;
  if (n > 0) lo = hi = x[0];
  for (i = 1; i < n; i++) {
    if (x[i] < lo) lo = x[i];
    if (hi < x[i]) hi = x[i];
  }
  float range = fabsf(lo) > fabsf(hi) ? fabsf(lo) : fabsf(hi);
  if (range == 0.0f) {
    for (i = 0; i < n; i++) q[i] = 0;
    return 1.0f;
  }
  float inv = 127.0f / range;
  for (i = 0; i < n; i++) {
    q[i] = (int8_t)mote_round_sat_f32(x[i] * inv, -127, 127);
  }
  return range / 127.0f;
}

/*
** Asymmetric quantization of n floats to [-128, 127] (TFLite
** AsymmetricQuantizeFloats): the range [min(x,0), max(x,0)] maps onto 255
** steps; the zero point comes from whichever end has the smaller error,
** nudged into [-128, 127]. Returns the scale (0 when the range is empty)
** and stores the zero point in *zp.
*/
static inline float mote_conv_quantize_asym(const float *x, int32_t n,
                                            int8_t *q, int32_t *zp) {
  float rmin = 0.0f, rmax = 0.0f, scale_f = 0.0f;
  int32_t offset = 0, i;
  for (i = 0; i < n; i++) {
    if (x[i] < rmin) rmin = x[i];
    if (rmax < x[i]) rmax = x[i];
  }
  if (rmin != rmax) {
    const double qmin = -128.0, qmax = 127.0;
    double scale = (double)(rmax - rmin) / (qmax - qmin);
    double zp_from_min = qmin - (double)rmin / scale;
    double zp_from_max = qmax - (double)rmax / scale;
    double err_min = fabs(qmin) + fabs((double)rmin / scale);
    double err_max = fabs(qmax) + fabs((double)rmax / scale);
    double zpd = err_min < err_max ? zp_from_min : zp_from_max;
    if (zpd != zpd)
      offset = 0; /* NaN input: TFLite is undefined here */
    else if (zpd < qmin)
      offset = -128;
    else if (zpd > qmax)
      offset = 127;
    else
      offset = (int32_t)round(zpd);
    scale_f = (float)scale;
  }
  float inv = scale_f == 0.0f ? 0.0f : (float)(1.0 / (double)scale_f);
  for (i = 0; i < n; i++) {
    q[i] = (int8_t)mote_round_sat_f32((float)offset + x[i] * inv, -128, 127);
  }
  *zp = offset;
  return scale_f;
}

#endif
