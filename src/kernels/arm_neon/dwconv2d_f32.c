/*
** DEPTHWISE_CONV_2D float32 with NEON: output channels 4 to a q register,
** the channel block loop outermost so that a block's taps and bias are
** loaded once. The filter is packed at prepare with its channels padded
** to 4 (zeros), so every tap loads a whole vector.
**
** 3x3 filters with depth multiplier 1 and at least 4 channels (any stride,
** dilation, padding) keep the nine taps in registers; window rows outside
** the image are skipped per output row, and only pixels whose window
** crosses the left or right edge test columns; two sums (filter row 1 and
** rows 0 + 2) halve the dependency chain. A channel count that is not a
** multiple of 4 ends with a block overlapping the previous one (it
** rewrites equal values). Any other filter or multiplier walks the taps
** inside the image; output lane l of the block at c0 reads input channel
** (c0 + l) / multiplier: one vector load (multiplier 1), one broadcast
** (the four lanes share a channel) or four lane loads.
**
** Windows start at oy * stride_h - pad_h for any pad_h (row slices,
** f32_neon.h); the sums start at the bias (the reference adds it last).
*/
#include "f32_neon.h"
#include "f32_neon_inl.h"
#include "neon_common.h"

int mote_dwconv2d_f32_neon_supported(const mote_conv_geom *g) {
  return g->depth_multiplier >= 1 && g->in_c > 0 &&
         (int64_t)g->in_c * g->depth_multiplier == g->out_c;
}

static size_t padded_c(const mote_conv_geom *g) {
  return (size_t)((g->out_c + 3) & ~3);
}

size_t mote_dwconv2d_f32_neon_pack_bytes(const mote_conv_geom *g) {
  return (size_t)g->filt_h * (size_t)g->filt_w * padded_c(g) * sizeof(float);
}

const float *mote_dwconv2d_f32_neon_pack(const mote_conv_geom *g,
                                         const float *filter, void *mem) {
  const size_t cp = padded_c(g), oc = (size_t)g->out_c;
  const size_t taps = (size_t)g->filt_h * (size_t)g->filt_w;
  float *w = (float *)mem;
  for (size_t t = 0; t < taps; t++)
    for (size_t c = 0; c < cp; c++)
      w[t * cp + c] = c < oc ? filter[t * oc + c] : 0.0f;
  return w;
}

/* One output vector of a 3x3 block: r[fy] the input rows at the block's
 * first channel (NULL: outside the image), ix0 the window's first column;
 * EDGE: test the columns. */
static inline __attribute__((always_inline)) float32x4_t px3x3(
    const float *const *r, int32_t ix0, int32_t dil, int32_t in_w, size_t C,
    const float32x4_t *f, float32x4_t bv, const int EDGE) {
  float32x4_t s0 = bv, s1 = vdupq_n_f32(0.0f);
  for (int fy = 0; fy < 3; fy++) {
    if (!r[fy]) continue;
    for (int fx = 0; fx < 3; fx++) {
      const int32_t ix = ix0 + fx * dil;
      if (EDGE && (ix < 0 || ix >= in_w)) continue;
      const float32x4_t x = vld1q_f32(r[fy] + (size_t)ix * C);
      if (fy == 1)
        s1 = vfmaq_f32(s1, x, f[3 + fx]);
      else
        s0 = vfmaq_f32(s0, x, f[fy * 3 + fx]);
    }
  }
  return vaddq_f32(s0, s1);
}

/* Output columns [x0, x1) of one row of a 3x3 block. */
static inline __attribute__((always_inline)) void row3x3(
    const float *const *r, float *out, int32_t x0, int32_t x1,
    const mote_conv_geom *g, size_t C, const float32x4_t *f, float32x4_t bv,
    float32x4_t lo, float32x4_t hi, const int EDGE) {
  for (int32_t ox = x0; ox < x1; ox++)
    vst1q_f32(out + (size_t)ox * C,
              mote_f32x4_clamp(px3x3(r, ox * g->stride_w - g->pad_w, g->dil_w,
                                     g->in_w, C, f, bv, EDGE),
                               lo, hi));
}

static void dw3x3(const mote_conv_geom *g, const mote_conv_f32_params *p,
                  const float *input, const float *packed, const float *bias,
                  float *output) {
  const size_t C = (size_t)g->in_c, cp = padded_c(g);
  const float32x4_t lo = vdupq_n_f32(p->act_min), hi = vdupq_n_f32(p->act_max);
  const int32_t sw = g->stride_w, dw = g->dil_w;
  /* Output columns whose window lies inside the image: [x_lo, x_hi). */
  const int32_t num = g->in_w - 1 - 2 * dw + g->pad_w;
  int32_t x_hi = num < 0 ? 0 : num / sw + 1;
  if (x_hi > g->out_w) x_hi = g->out_w;
  int32_t x_lo = g->pad_w <= 0 ? 0 : (g->pad_w + sw - 1) / sw;
  if (x_lo > x_hi) x_lo = x_hi;
  for (size_t c0 = 0; c0 < C; c0 += 4) {
    const size_t c = c0 + 4 <= C ? c0 : C - 4;
    float32x4_t f[9];
    for (size_t t = 0; t < 9; t++) f[t] = vld1q_f32(packed + t * cp + c);
    const float32x4_t bv = bias ? vld1q_f32(bias + c) : vdupq_n_f32(0.0f);
    for (int32_t b = 0; b < g->batches; b++) {
      const float *img =
          input + (size_t)b * (size_t)g->in_h * (size_t)g->in_w * C + c;
      for (int32_t oy = 0; oy < g->out_h; oy++) {
        const int32_t iy0 = oy * g->stride_h - g->pad_h;
        const float *r[3];
        for (int fy = 0; fy < 3; fy++) {
          const int32_t iy = iy0 + fy * g->dil_h;
          r[fy] = iy >= 0 && iy < g->in_h
                      ? img + (size_t)iy * (size_t)g->in_w * C
                      : NULL;
        }
        float *out =
            output +
            ((size_t)b * (size_t)g->out_h + (size_t)oy) * (size_t)g->out_w * C +
            c;
        /* Left edge, interior, right edge. */
        row3x3(r, out, 0, x_lo, g, C, f, bv, lo, hi, 1);
        row3x3(r, out, x_lo, x_hi, g, C, f, bv, lo, hi, 0);
        row3x3(r, out, x_hi, g->out_w, g, C, f, bv, lo, hi, 1);
      }
    }
  }
}

/* The input vector of one tap: MODE 0 four consecutive channels, 1 one
 * channel broadcast, 2 the four lane offsets of off. */
static inline __attribute__((always_inline)) float32x4_t dw_load(
    const float *px, const int32_t *off, const int MODE) {
  if (MODE == 0) return vld1q_f32(px + off[0]);
  if (MODE == 1) return vld1q_dup_f32(px + off[0]);
  float32x4_t x = vld1q_dup_f32(px + off[0]);
  x = vld1q_lane_f32(px + off[1], x, 1);
  x = vld1q_lane_f32(px + off[2], x, 2);
  return vld1q_lane_f32(px + off[3], x, 3);
}

/* One block of n (1..4) output channels over one image: wp the packed
 * taps at the block, out the image's output at the block. */
static inline __attribute__((always_inline)) void dw_block(
    const mote_conv_geom *g, const float *img, const float *wp,
    const int32_t *off, float32x4_t bv, float32x4_t lo, float32x4_t hi,
    int32_t n, float *out, const int MODE) {
  const size_t C = (size_t)g->in_c, OC = (size_t)g->out_c, cp = padded_c(g);
  const size_t row = (size_t)g->in_w * C;
  for (int32_t oy = 0; oy < g->out_h; oy++) {
    const int32_t iy0 = oy * g->stride_h - g->pad_h;
    int32_t fy0, fy1;
    mote_neon_taps(iy0, g->dil_h, g->filt_h, g->in_h, &fy0, &fy1);
    for (int32_t ox = 0; ox < g->out_w; ox++) {
      const int32_t ix0 = ox * g->stride_w - g->pad_w;
      int32_t fx0, fx1;
      mote_neon_taps(ix0, g->dil_w, g->filt_w, g->in_w, &fx0, &fx1);
      float32x4_t acc = bv;
      for (int32_t fy = fy0; fy < fy1; fy++) {
        const float *xr = img + (size_t)(iy0 + fy * g->dil_h) * row;
        const float *wr = wp + (size_t)fy * (size_t)g->filt_w * cp;
        for (int32_t fx = fx0; fx < fx1; fx++)
          acc = vfmaq_f32(
              acc, dw_load(xr + (size_t)(ix0 + fx * g->dil_w) * C, off, MODE),
              vld1q_f32(wr + (size_t)fx * cp));
      }
      mote_f32x4_store_n(
          out + ((size_t)oy * (size_t)g->out_w + (size_t)ox) * OC,
          mote_f32x4_clamp(acc, lo, hi), n);
    }
  }
}

static void dw_general(const mote_conv_geom *g, const mote_conv_f32_params *p,
                       const float *input, const float *packed,
                       const float *bias, float *output) {
  const size_t C = (size_t)g->in_c, OC = (size_t)g->out_c;
  const int32_t dm = g->depth_multiplier;
  const float32x4_t lo = vdupq_n_f32(p->act_min), hi = vdupq_n_f32(p->act_max);
  const size_t img_in = (size_t)g->in_h * (size_t)g->in_w * C;
  const size_t img_out = (size_t)g->out_h * (size_t)g->out_w * OC;
  for (int32_t c0 = 0; c0 < g->out_c; c0 += 4) {
    const int32_t n = g->out_c - c0 < 4 ? g->out_c - c0 : 4;
    int32_t off[4];
    for (int32_t l = 0; l < 4; l++) off[l] = (c0 + (l < n ? l : n - 1)) / dm;
    const int mode = dm == 1 && n == 4 ? 0 : off[0] == off[3] ? 1 : 2;
    const float32x4_t bv =
        bias ? mote_f32x4_load_n(bias + c0, n) : vdupq_n_f32(0.0f);
    for (int32_t b = 0; b < g->batches; b++) {
      const float *img = input + (size_t)b * img_in;
      float *out = output + (size_t)b * img_out + (size_t)c0;
      if (mode == 0)
        dw_block(g, img, packed + c0, off, bv, lo, hi, n, out, 0);
      else if (mode == 1)
        dw_block(g, img, packed + c0, off, bv, lo, hi, n, out, 1);
      else
        dw_block(g, img, packed + c0, off, bv, lo, hi, n, out, 2);
    }
  }
}

void mote_dwconv2d_f32_neon(const mote_conv_geom *g,
                            const mote_conv_f32_params *p, const float *input,
                            const float *packed, const float *bias,
                            float *output) {
  if (g->depth_multiplier == 1 && g->filt_h == 3 && g->filt_w == 3 &&
      g->in_c >= 4)
    dw3x3(g, p, input, packed, bias, output);
  else
    dw_general(g, p, input, packed, bias, output);
}
