/*
** tconv_ref.h: reference TRANSPOSE_CONV kernels.
**
** Layout: input [batches, in_h, in_w, in_c], weights [out_c, f_h, f_w,
** in_c], bias [out_c], output [batches, out_h, out_w, out_c]. Every input
** pixel is scattered through the filter onto the output grid at
** (in_y * stride_h - pad_h + fy, in_x * stride_w - pad_w + fx); taps that
** land outside the output are dropped.
*/
#ifndef MOTE_TCONV_REF_H
#define MOTE_TCONV_REF_H

#include <stdint.h>

#include "../mote_requant.h"

/* Geometry (re-derived from the model at every eval). */
typedef struct mote_tconv_geom {
  int32_t batches;
  int32_t in_h, in_w, in_c;
  int32_t out_h, out_w, out_c;
  int32_t f_h, f_w;
  int32_t stride_h, stride_w;
  int32_t pad_h, pad_w; /* leading padding (TFLite padding values) */
} mote_tconv_geom;

/* Quantized kernels. */
typedef struct mote_tconv_q_params {
  mote_requant_ch rq;    /* per output channel */
  int32_t input_offset;  /* -input zero point (int8) */
  int32_t output_offset; /* output zero point (int8) */
  int32_t act_min, act_max;
} mote_tconv_q_params;

typedef struct mote_tconv_f32_params {
  float act_min, act_max;
} mote_tconv_f32_params;

/* int8; scratch: out count int32 accumulators; optional int32 bias. */
void mote_tconv_s8_ref(const mote_tconv_geom *g, const mote_tconv_q_params *p,
                       const int8_t *input, const int8_t *weights,
                       const int32_t *bias, int8_t *output, int32_t *scratch);

/* int16 x int8; scratch: out count int64 accumulators; int64 bias. */
void mote_tconv_s16_ref(const mote_tconv_geom *g, const mote_tconv_q_params *p,
                        const int16_t *input, const int8_t *weights,
                        const int64_t *bias, int16_t *output, int64_t *scratch);

/* float32 (accumulates in the output). */
void mote_tconv_f32_ref(const mote_tconv_geom *g,
                        const mote_tconv_f32_params *p, const float *input,
                        const float *weights, const float *bias, float *output);

#endif
