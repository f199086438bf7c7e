/*
** MAX_POOL_2D int8 with AVX2: per output pixel, 16 (then 8) channels at a
** time take vpmaxsb over the window's taps clipped to the image, starting
** from INT8_MIN as the reference does, then the activation clamp; the last
** channels are scalar. max is exact, so the result is bit-identical.
*/
#include <immintrin.h>

#include "pool_avx2.h"

void mote_max_pool_s8_avx2(const mote_pool_params *params, const int8_t *in,
                           int8_t *out) {
  const mote_pool_params p = *params;
  const int32_t depth = p.depth;
  const __m128i lo = _mm_set1_epi8((char)p.act_min);
  const __m128i hi = _mm_set1_epi8((char)p.act_max);
  for (int32_t b = 0; b < p.batches; b++) {
    const int8_t *img = in + (int64_t)b * p.in_h * p.in_w * depth;
    for (int32_t oy = 0; oy < p.out_h; oy++) {
      for (int32_t ox = 0; ox < p.out_w; ox++) {
        int32_t y0, y1, x0, x1, c = 0;
        mote_pool_window(&p, oy, ox, &y0, &y1, &x0, &x1);
        for (; c + 16 <= depth; c += 16) {
          __m128i m = _mm_set1_epi8((char)INT8_MIN);
          for (int32_t y = y0; y < y1; y++)
            for (int32_t x = x0; x < x1; x++)
              m = _mm_max_epi8(
                  m,
                  _mm_loadu_si128((
                      const __m128i *)(const void *)(img +
                                                     ((int64_t)y * p.in_w + x) *
                                                         depth +
                                                     c)));
          m = _mm_min_epi8(_mm_max_epi8(m, lo), hi);
          _mm_storeu_si128((__m128i *)(void *)(out + c), m);
        }
        if (c + 8 <= depth) {
          __m128i m = _mm_set1_epi8((char)INT8_MIN);
          for (int32_t y = y0; y < y1; y++)
            for (int32_t x = x0; x < x1; x++)
              m = _mm_max_epi8(
                  m,
                  _mm_loadl_epi64((
                      const __m128i *)(const void *)(img +
                                                     ((int64_t)y * p.in_w + x) *
                                                         depth +
                                                     c)));
          m = _mm_min_epi8(_mm_max_epi8(m, lo), hi);
          _mm_storel_epi64((__m128i *)(void *)(out + c), m);
          c += 8;
        }
        for (; c < depth; c++) {
          int32_t m = INT8_MIN;
          for (int32_t y = y0; y < y1; y++)
            for (int32_t x = x0; x < x1; x++) {
              int32_t v = img[((int64_t)y * p.in_w + x) * depth + c];
              if (v > m) m = v;
            }
          if (m < p.act_min) m = p.act_min;
          if (m > p.act_max) m = p.act_max;
          out[c] = (int8_t)m;
        }
        out += depth;
      }
    }
  }
}
