/*
** DEPTHWISE_CONV_2D float32 with AVX-512: output channels in zmm lanes, 16
** at a time (the last block masked), the block loop outermost so that a
** block's filter taps and bias are loaded once.
**
** 3x3 filters with depth multiplier 1 (any stride, dilation, padding) keep
** the nine taps in registers; rows of the window outside the image are
** skipped per output row, and only pixels whose window crosses the left or
** right edge test columns. Three partial sums (one per filter row) shorten
** the dependency chain. Any other filter or depth multiplier walks the
** valid taps; a depth multiplier above 1 loads the block's input channels
** once and spreads them over the output lanes with one permute (lane l of
** block c0 reads input channel (c0 + l) / multiplier).
*/
#include <immintrin.h>

#include "f32_avx512.h"
#include "f32_avx512_inl.h"

int mote_dwconv2d_f32_avx512_supported(const mote_conv_geom *g) {
  return g->depth_multiplier >= 1 && g->in_c > 0 &&
         (int64_t)g->in_c * g->depth_multiplier == g->out_c;
}

/* One output pixel of a 3x3 block: r[fy] the input rows (at the block's
 * first channel) or NULL, ix0 the window's first column; EDGE: test the
 * columns. */
static inline __attribute__((always_inline)) __m512 px3x3(
    const float *const *r, int32_t ix0, int32_t step, int32_t in_w, ptrdiff_t C,
    __mmask16 m, const __m512 *f, __m512 bv, const int EDGE) {
  __m512 s[3];
  for (int fy = 0; fy < 3; fy++) {
    s[fy] = fy == 0 ? bv : _mm512_setzero_ps();
    if (!r[fy]) continue;
    for (int fx = 0; fx < 3; fx++) {
      const int32_t ix = ix0 + fx * step;
      if (EDGE && (ix < 0 || ix >= in_w)) continue;
      s[fy] = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, r[fy] + ix * C),
                              f[fy * 3 + fx], s[fy]);
    }
  }
  return _mm512_add_ps(s[0], _mm512_add_ps(s[1], s[2]));
}

static void dw3x3(const mote_conv_geom *g, const mote_conv_f32_params *p,
                  const float *input, const float *filter, const float *bias,
                  float *output) {
  const ptrdiff_t C = g->in_c;
  const __m512 lo = _mm512_set1_ps(p->act_min), hi = _mm512_set1_ps(p->act_max);
  const int32_t sw = g->stride_w, dw = g->dil_w;
  /* Output columns whose window lies inside the image: [x_lo, x_hi). */
  int32_t x_lo = (g->pad_w + sw - 1) / sw;
  int32_t x_hi = g->in_w - 1 - 2 * dw + g->pad_w < 0
                     ? 0
                     : (g->in_w - 1 - 2 * dw + g->pad_w) / sw + 1;
  if (x_hi > g->out_w) x_hi = g->out_w;
  if (x_lo > x_hi) x_lo = x_hi;
  for (int32_t c0 = 0; c0 < g->in_c; c0 += 16) {
    const __mmask16 m = mote_f32x16_lanes(g->in_c - c0);
    __m512 f[9];
    for (int t = 0; t < 9; t++)
      f[t] = _mm512_maskz_loadu_ps(m, filter + t * C + c0);
    const __m512 bv =
        bias ? _mm512_maskz_loadu_ps(m, bias + c0) : _mm512_setzero_ps();
    for (int32_t b = 0; b < g->batches; b++) {
      const float *img = input + (ptrdiff_t)b * g->in_h * g->in_w * C + c0;
      for (int32_t oy = 0; oy < g->out_h; oy++) {
        const int32_t iy0 = oy * g->stride_h - g->pad_h;
        const float *r[3];
        for (int fy = 0; fy < 3; fy++) {
          const int32_t iy = iy0 + fy * g->dil_h;
          r[fy] = iy >= 0 && iy < g->in_h ? img + (ptrdiff_t)iy * g->in_w * C
                                          : NULL;
        }
        float *out =
            output + (((ptrdiff_t)b * g->out_h + oy) * g->out_w) * C + c0;
        int32_t ox = 0;
        for (; ox < x_lo; ox++)
          _mm512_mask_storeu_ps(
              out + ox * C, m,
              mote_f32x16_clamp(
                  px3x3(r, ox * sw - g->pad_w, dw, g->in_w, C, m, f, bv, 1), lo,
                  hi));
        for (; ox < x_hi; ox++)
          _mm512_mask_storeu_ps(
              out + ox * C, m,
              mote_f32x16_clamp(
                  px3x3(r, ox * sw - g->pad_w, dw, g->in_w, C, m, f, bv, 0), lo,
                  hi));
        for (; ox < g->out_w; ox++)
          _mm512_mask_storeu_ps(
              out + ox * C, m,
              mote_f32x16_clamp(
                  px3x3(r, ox * sw - g->pad_w, dw, g->in_w, C, m, f, bv, 1), lo,
                  hi));
      }
    }
  }
}

static void dw_general(const mote_conv_geom *g, const mote_conv_f32_params *p,
                       const float *input, const float *filter,
                       const float *bias, float *output) {
  const ptrdiff_t C = g->in_c, OC = g->out_c;
  const int32_t dm = g->depth_multiplier;
  const __m512 lo = _mm512_set1_ps(p->act_min), hi = _mm512_set1_ps(p->act_max);
  for (int32_t c0 = 0; c0 < g->out_c; c0 += 16) {
    const int32_t n = g->out_c - c0 < 16 ? g->out_c - c0 : 16;
    const __mmask16 m = mote_f32x16_lanes(n);
    const int32_t ic0 = c0 / dm;
    const __mmask16 im = mote_f32x16_lanes((c0 + n - 1) / dm - ic0 + 1);
    int32_t idx[16];
    for (int32_t l = 0; l < 16; l++) idx[l] = l < n ? (c0 + l) / dm - ic0 : 0;
    const __m512i vidx = _mm512_loadu_si512((const void *)idx);
    const __m512 bv =
        bias ? _mm512_maskz_loadu_ps(m, bias + c0) : _mm512_setzero_ps();
    for (int32_t b = 0; b < g->batches; b++) {
      const float *img = input + (ptrdiff_t)b * g->in_h * g->in_w * C + ic0;
      for (int32_t oy = 0; oy < g->out_h; oy++) {
        const int32_t iy0 = oy * g->stride_h - g->pad_h;
        float *out =
            output + (((ptrdiff_t)b * g->out_h + oy) * g->out_w) * OC + c0;
        for (int32_t ox = 0; ox < g->out_w; ox++) {
          const int32_t ix0 = ox * g->stride_w - g->pad_w;
          __m512 acc = bv;
          for (int32_t fy = 0; fy < g->filt_h; fy++) {
            const int32_t iy = iy0 + g->dil_h * fy;
            if (iy < 0 || iy >= g->in_h) continue;
            const float *row = img + (ptrdiff_t)iy * g->in_w * C;
            const float *frow = filter + (ptrdiff_t)fy * g->filt_w * OC + c0;
            for (int32_t fx = 0; fx < g->filt_w; fx++) {
              const int32_t ix = ix0 + g->dil_w * fx;
              if (ix < 0 || ix >= g->in_w) continue;
              __m512 x = _mm512_maskz_loadu_ps(im, row + ix * C);
              if (dm > 1) x = _mm512_permutexvar_ps(vidx, x);
              acc = _mm512_fmadd_ps(x, _mm512_maskz_loadu_ps(m, frow + fx * OC),
                                    acc);
            }
          }
          _mm512_mask_storeu_ps(out + ox * OC, m,
                                mote_f32x16_clamp(acc, lo, hi));
        }
      }
    }
  }
}

void mote_dwconv2d_f32_avx512(const mote_conv_geom *g,
                              const mote_conv_f32_params *p, const float *input,
                              const float *filter, const float *bias,
                              float *output) {
  if (g->depth_multiplier == 1 && g->filt_h == 3 && g->filt_w == 3)
    dw3x3(g, p, input, filter, bias, output);
  else
    dw_general(g, p, input, filter, bias, output);
}
