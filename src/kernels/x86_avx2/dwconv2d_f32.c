/*
** DEPTHWISE_CONV_2D float32 with AVX2 + FMA (depth multiplier 1): per
** output pixel, 32 (then 8) channels at a time accumulate the valid taps in
** the reference's order (rows, then columns), each tap one fused
** multiply-add, then + bias and the clamp; the last C % 8 channels use
** masked loads and stores. Only the fusing (one rounding per tap instead
** of two) separates the result from the reference (avx2_f32.h).
*/
#include "avx2_f32.h"
#include "conv_avx2.h"

int mote_dwconv2d_f32_avx2_supported(const mote_conv_geom *g) {
  return g->depth_multiplier == 1 && g->out_c == g->in_c;
}

/* The valid taps of one output pixel: element offsets into the image and
 * the filter (per channel 0). */
typedef struct taps {
  int32_t n;
  ptrdiff_t in[64], filt[64];
} taps;

void mote_dwconv2d_f32_avx2(const mote_conv_geom *geom,
                            const mote_conv_f32_params *p, const float *input,
                            const float *filter, const float *bias,
                            float *output) {
  const mote_conv_geom g = *geom;
  const int32_t C = g.in_c;
  const int32_t cf = C & ~7, c32 = C & ~31;
  const __m256i tm = mote_avx2_mask8(C - cf);
  const __m256 lo = _mm256_set1_ps(p->act_min), hi = _mm256_set1_ps(p->act_max);
  const int few = g.filt_h * g.filt_w <= 64;
  taps t;
  for (int32_t b = 0; b < g.batches; b++) {
    const float *img = input + (ptrdiff_t)b * g.in_h * g.in_w * C;
    for (int32_t oy = 0; oy < g.out_h; oy++) {
      const int32_t iy0 = oy * g.stride_h - g.pad_h;
      for (int32_t ox = 0; ox < g.out_w; ox++) {
        const int32_t ix0 = ox * g.stride_w - g.pad_w;
        float *out =
            output + (((ptrdiff_t)b * g.out_h + oy) * g.out_w + ox) * C;
        int32_t c = 0;
        if (few) {
          /* Offsets of the valid taps once per pixel; 32 channels a step. */
          t.n = 0;
          for (int32_t fy = 0; fy < g.filt_h; fy++) {
            const int32_t iy = iy0 + g.dil_h * fy;
            if (iy < 0 || iy >= g.in_h) continue;
            for (int32_t fx = 0; fx < g.filt_w; fx++) {
              const int32_t ix = ix0 + g.dil_w * fx;
              if (ix < 0 || ix >= g.in_w) continue;
              t.in[t.n] = ((ptrdiff_t)iy * g.in_w + ix) * C;
              t.filt[t.n] = ((ptrdiff_t)fy * g.filt_w + fx) * C;
              t.n++;
            }
          }
          for (; c < c32; c += 32) {
            __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
            for (int32_t k = 0; k < t.n; k++) {
              const float *ip = img + t.in[k] + c, *fp = filter + t.filt[k] + c;
              a0 =
                  _mm256_fmadd_ps(_mm256_loadu_ps(ip), _mm256_loadu_ps(fp), a0);
              a1 = _mm256_fmadd_ps(_mm256_loadu_ps(ip + 8),
                                   _mm256_loadu_ps(fp + 8), a1);
              a2 = _mm256_fmadd_ps(_mm256_loadu_ps(ip + 16),
                                   _mm256_loadu_ps(fp + 16), a2);
              a3 = _mm256_fmadd_ps(_mm256_loadu_ps(ip + 24),
                                   _mm256_loadu_ps(fp + 24), a3);
            }
            if (bias) {
              a0 = _mm256_add_ps(a0, _mm256_loadu_ps(bias + c));
              a1 = _mm256_add_ps(a1, _mm256_loadu_ps(bias + c + 8));
              a2 = _mm256_add_ps(a2, _mm256_loadu_ps(bias + c + 16));
              a3 = _mm256_add_ps(a3, _mm256_loadu_ps(bias + c + 24));
            }
            _mm256_storeu_ps(out + c, mote_avx2_clamp_f32(a0, lo, hi));
            _mm256_storeu_ps(out + c + 8, mote_avx2_clamp_f32(a1, lo, hi));
            _mm256_storeu_ps(out + c + 16, mote_avx2_clamp_f32(a2, lo, hi));
            _mm256_storeu_ps(out + c + 24, mote_avx2_clamp_f32(a3, lo, hi));
          }
        }
        for (; c < C; c += 8) {
          const __m256i m = c < cf ? _mm256_set1_epi32(-1) : tm;
          __m256 acc = _mm256_setzero_ps();
          for (int32_t fy = 0; fy < g.filt_h; fy++) {
            const int32_t iy = iy0 + g.dil_h * fy;
            if (iy < 0 || iy >= g.in_h) continue;
            for (int32_t fx = 0; fx < g.filt_w; fx++) {
              const int32_t ix = ix0 + g.dil_w * fx;
              if (ix < 0 || ix >= g.in_w) continue;
              const float *ip = img + ((ptrdiff_t)iy * g.in_w + ix) * C + c;
              const float *fp =
                  filter + ((ptrdiff_t)fy * g.filt_w + fx) * C + c;
              acc = _mm256_fmadd_ps(_mm256_maskload_ps(ip, m),
                                    _mm256_maskload_ps(fp, m), acc);
            }
          }
          if (bias) acc = _mm256_add_ps(acc, _mm256_maskload_ps(bias + c, m));
          _mm256_maskstore_ps(out + c, m, mote_avx2_clamp_f32(acc, lo, hi));
        }
      }
    }
  }
}
