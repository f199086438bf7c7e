/*
** pool_ref.h: reference kernels of AVERAGE_POOL_2D and MAX_POOL_2D
** (NHWC). Windows are clipped to the input: padded positions never count,
** so an average divides by the number of real inputs under the window.
*/
#ifndef MOTE_POOL_REF_H
#define MOTE_POOL_REF_H

#include <stdint.h>

typedef struct mote_pool_params {
  int32_t batches, depth;
  int32_t in_h, in_w;
  int32_t out_h, out_w;
  int32_t stride_h, stride_w;
  int32_t filter_h, filter_w;
  int32_t pad_h, pad_w;     /* leading padding */
  int32_t act_min, act_max; /* quantized kernels */
  float fact_min, fact_max; /* float kernels */
} mote_pool_params;

/* Clip the window of output (oy, ox) to the input: [y0,y1) x [x0,x1). */
static inline void mote_pool_window(const mote_pool_params *p, int32_t oy,
                                    int32_t ox, int32_t *y0, int32_t *y1,
                                    int32_t *x0, int32_t *x1) {
  int32_t iy = oy * p->stride_h - p->pad_h;
  int32_t ix = ox * p->stride_w - p->pad_w;
  int32_t fy0 = iy < 0 ? -iy : 0, fx0 = ix < 0 ? -ix : 0;
  int32_t fy1 = p->in_h - iy, fx1 = p->in_w - ix;
  if (fy1 > p->filter_h) fy1 = p->filter_h;
  if (fx1 > p->filter_w) fx1 = p->filter_w;
  *y0 = iy + fy0;
  *y1 = iy + fy1;
  *x0 = ix + fx0;
  *x1 = ix + fx1;
}

/* Average: integer kernels round the mean half away from zero. */
void mote_avg_pool_s8_ref(const mote_pool_params *p, const int8_t *in,
                          int8_t *out);
void mote_avg_pool_s16_ref(const mote_pool_params *p, const int16_t *in,
                           int16_t *out);
void mote_avg_pool_f32_ref(const mote_pool_params *p, const float *in,
                           float *out);

void mote_max_pool_s8_ref(const mote_pool_params *p, const int8_t *in,
                          int8_t *out);
void mote_max_pool_s16_ref(const mote_pool_params *p, const int16_t *in,
                           int16_t *out);
void mote_max_pool_f32_ref(const mote_pool_params *p, const float *in,
                           float *out);

#endif
