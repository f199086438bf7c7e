/*
** AVERAGE_POOL_2D and MAX_POOL_2D int8, NEON: 16 channels at a time (the
** last block overlapping the previous one when the depth is not a multiple
** of 16; depths below 16 lane by lane). Averages sum each window row into
** int16 lanes (at most 256 columns: |sum| <= 32768), flushed into int32,
** then divide in float32, which is exact here: |sum +- count/2| < 2^24
** cannot round across an integer, and the conversion truncates toward
** zero like C's division.
*/
#include "neon_common.h"
#include "pool_neon.h"

static int act_int8(const mote_pool_params *p) {
  return p->act_min >= -128 && p->act_max <= 127 && p->act_min <= p->act_max;
}

int mote_avg_pool_s8_neon_supported(const mote_pool_params *p) {
  return act_int8(p) && p->filter_w <= 256 &&
         (int64_t)p->filter_h * p->filter_w <= 65536;
}

int mote_max_pool_s8_neon_supported(const mote_pool_params *p) {
  return act_int8(p);
}

/* Window of output (oy, ox): first input element and extents. */
typedef struct pool_win {
  const int8_t *base;
  int32_t rows, cols, count;
} pool_win;

static pool_win window(const mote_pool_params *p, const int8_t *img, int32_t oy,
                       int32_t ox) {
  int32_t y0, y1, x0, x1;
  pool_win w;
  mote_pool_window(p, oy, ox, &y0, &y1, &x0, &x1);
  w.rows = y1 > y0 ? y1 - y0 : 0;
  w.cols = x1 > x0 ? x1 - x0 : 0;
  w.count = (y1 - y0) * (x1 - x0);
  w.base = img + ((size_t)(y0 > 0 ? y0 : 0) * (size_t)p->in_w +
                  (size_t)(x0 > 0 ? x0 : 0)) *
                     (size_t)p->depth;
  return w;
}

/* Mean of int32 lanes (count > 0), rounded as the reference. */
static inline int32x4_t mean4(int32x4_t s, int32x4_t half, float32x4_t cnt) {
  const uint32x4_t pos = vcgtq_s32(s, vdupq_n_s32(0));
  const int32x4_t a = vbslq_s32(pos, vaddq_s32(s, half), vsubq_s32(s, half));
  return vcvtq_s32_f32(vdivq_f32(vcvtq_f32_s32(a), cnt));
}

static void avg_pixel(const mote_pool_params *p, const pool_win *w,
                      int8_t *out) {
  const int32_t C = p->depth;
  const size_t row = (size_t)p->in_w * (size_t)C;
  if (C < 16 || w->count <= 0) {
    for (int32_t c = 0; c < C; c++) {
      int32_t acc = 0;
      for (int32_t y = 0; y < w->rows; y++)
        for (int32_t x = 0; x < w->cols; x++)
          acc += w->base[(size_t)y * row + (size_t)x * (size_t)C + (size_t)c];
      if (w->count > 0)
        acc = acc > 0 ? (acc + w->count / 2) / w->count
                      : (acc - w->count / 2) / w->count;
      out[c] = (int8_t)mote_clamp_i32(acc, p->act_min, p->act_max);
    }
    return;
  }
  const int32x4_t half = vdupq_n_s32(w->count / 2);
  const float32x4_t cnt = vdupq_n_f32((float)w->count);
  const int8x16_t lo = vdupq_n_s8((int8_t)p->act_min),
                  hi = vdupq_n_s8((int8_t)p->act_max);
  for (int32_t c0 = 0; c0 < C; c0 += 16) {
    const int32_t c = c0 + 16 <= C ? c0 : C - 16;
    int32x4_t s0 = vdupq_n_s32(0), s1 = s0, s2 = s0, s3 = s0;
    for (int32_t y = 0; y < w->rows; y++) {
      const int8_t *x = w->base + (size_t)y * row + c;
      int16x8_t a = vdupq_n_s16(0), b = a;
      for (int32_t i = 0; i < w->cols; i++, x += C) {
        const int8x16_t v = vld1q_s8(x);
        a = vaddw_s8(a, vget_low_s8(v));
        b = vaddw_high_s8(b, v);
      }
      s0 = vaddw_s16(s0, vget_low_s16(a));
      s1 = vaddw_high_s16(s1, a);
      s2 = vaddw_s16(s2, vget_low_s16(b));
      s3 = vaddw_high_s16(s3, b);
    }
    const int16x8_t m01 = vcombine_s16(vmovn_s32(mean4(s0, half, cnt)),
                                       vmovn_s32(mean4(s1, half, cnt)));
    const int16x8_t m23 = vcombine_s16(vmovn_s32(mean4(s2, half, cnt)),
                                       vmovn_s32(mean4(s3, half, cnt)));
    int8x16_t m = vcombine_s8(vmovn_s16(m01), vmovn_s16(m23));
    vst1q_s8(out + c, vminq_s8(vmaxq_s8(m, lo), hi));
  }
}

static void max_pixel(const mote_pool_params *p, const pool_win *w,
                      int8_t *out) {
  const int32_t C = p->depth;
  const size_t row = (size_t)p->in_w * (size_t)C;
  if (C < 16) {
    for (int32_t c = 0; c < C; c++) {
      int32_t m = INT8_MIN;
      for (int32_t y = 0; y < w->rows; y++)
        for (int32_t x = 0; x < w->cols; x++) {
          const int32_t v =
              w->base[(size_t)y * row + (size_t)x * (size_t)C + (size_t)c];
          if (v > m) m = v;
        }
      out[c] = (int8_t)mote_clamp_i32(m, p->act_min, p->act_max);
    }
    return;
  }
  const int8x16_t lo = vdupq_n_s8((int8_t)p->act_min),
                  hi = vdupq_n_s8((int8_t)p->act_max);
  for (int32_t c0 = 0; c0 < C; c0 += 16) {
    const int32_t c = c0 + 16 <= C ? c0 : C - 16;
    int8x16_t m = vdupq_n_s8(INT8_MIN);
    for (int32_t y = 0; y < w->rows; y++) {
      const int8_t *x = w->base + (size_t)y * row + c;
      for (int32_t i = 0; i < w->cols; i++, x += C)
        m = vmaxq_s8(m, vld1q_s8(x));
    }
    vst1q_s8(out + c, vminq_s8(vmaxq_s8(m, lo), hi));
  }
}

/* Both pools: every output pixel through `pixel`. */
static void pool(const mote_pool_params *p, const int8_t *in, int8_t *out,
                 void (*pixel)(const mote_pool_params *, const pool_win *,
                               int8_t *)) {
  const size_t img = (size_t)p->in_h * (size_t)p->in_w * (size_t)p->depth;
  for (int32_t b = 0; b < p->batches; b++)
    for (int32_t oy = 0; oy < p->out_h; oy++)
      for (int32_t ox = 0; ox < p->out_w; ox++, out += p->depth) {
        const pool_win w = window(p, in + (size_t)b * img, oy, ox);
        pixel(p, &w, out);
      }
}

void mote_avg_pool_s8_neon(const mote_pool_params *p, const int8_t *in,
                           int8_t *out) {
  pool(p, in, out, avg_pixel);
}

void mote_max_pool_s8_neon(const mote_pool_params *p, const int8_t *in,
                           int8_t *out) {
  pool(p, in, out, max_pixel);
}
