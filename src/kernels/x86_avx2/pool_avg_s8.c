/*
** AVERAGE_POOL_2D int8 with AVX2: per output pixel, 16 (then 8) channels at
** a time are summed in int32 over the window's taps clipped to the image,
** then divided as the reference does: (acc +- count/2) / count truncated,
** i.e. sign(acc) * floor((|acc| + count/2) / count).
**
** The division is a float division, exact here: with at most 65536 taps,
** n = |acc| + count/2 < 2^24 and count < 2^24 are exact floats, and if
** n / count is not an integer it lies at least 1/count below the next one,
** while rounding moves it up by at most (n / count) * 2^-24 < 1/count; so
** truncating the rounded quotient gives floor(n / count). An empty window
** (count 0) gives 0, as in the reference.
*/
#include <immintrin.h>

#include "pool_avx2.h"

int mote_avg_pool_s8_avx2_supported(const mote_pool_params *p) {
  return (int64_t)p->filter_h * p->filter_w <= 65536;
}

static inline __m256i avg8(__m256i acc, __m256i half, __m256 cnt, __m256i lo,
                           __m256i hi) {
  __m256i n = _mm256_add_epi32(_mm256_abs_epi32(acc), half);
  __m256i q = _mm256_cvttps_epi32(_mm256_div_ps(_mm256_cvtepi32_ps(n), cnt));
  q = _mm256_sign_epi32(q, acc);
  return _mm256_min_epi32(_mm256_max_epi32(q, lo), hi);
}

void mote_avg_pool_s8_avx2(const mote_pool_params *params, const int8_t *in,
                           int8_t *out) {
  const mote_pool_params p = *params;
  const int32_t depth = p.depth;
  const __m256i lo = _mm256_set1_epi32(p.act_min);
  const __m256i hi = _mm256_set1_epi32(p.act_max);
  for (int32_t b = 0; b < p.batches; b++) {
    const int8_t *img = in + (int64_t)b * p.in_h * p.in_w * depth;
    for (int32_t oy = 0; oy < p.out_h; oy++) {
      for (int32_t ox = 0; ox < p.out_w; ox++) {
        int32_t y0, y1, x0, x1, c = 0;
        mote_pool_window(&p, oy, ox, &y0, &y1, &x0, &x1);
        const int32_t count = (y1 - y0) * (x1 - x0);
        const __m256i half = _mm256_set1_epi32(count / 2);
        const __m256 cnt = _mm256_set1_ps((float)(count > 0 ? count : 1));
        for (; c + 16 <= depth; c += 16) {
          __m256i a0 = _mm256_setzero_si256(), a1 = a0;
          for (int32_t y = y0; y < y1; y++)
            for (int32_t x = x0; x < x1; x++) {
              __m128i v = _mm_loadu_si128(
                  (const __m128i *)(const void *)(img +
                                                  ((int64_t)y * p.in_w + x) *
                                                      depth +
                                                  c));
              a0 = _mm256_add_epi32(a0, _mm256_cvtepi8_epi32(v));
              a1 = _mm256_add_epi32(a1,
                                    _mm256_cvtepi8_epi32(_mm_srli_si128(v, 8)));
            }
          __m256i r0 = avg8(a0, half, cnt, lo, hi);
          __m256i r1 = avg8(a1, half, cnt, lo, hi);
          __m256i p16 = _mm256_packs_epi32(r0, r1); /* lanes 0-3,8-11,4-7,.. */
          __m128i p8 = _mm_packs_epi16(_mm256_castsi256_si128(p16),
                                       _mm256_extracti128_si256(p16, 1));
          /* p8 = r0[0..3] r1[0..3] r0[4..7] r1[4..7]: restore the order. */
          p8 = _mm_shuffle_epi32(p8, _MM_SHUFFLE(3, 1, 2, 0));
          _mm_storeu_si128((__m128i *)(void *)(out + c), p8);
        }
        if (c + 8 <= depth) {
          __m256i a0 = _mm256_setzero_si256();
          for (int32_t y = y0; y < y1; y++)
            for (int32_t x = x0; x < x1; x++)
              a0 = _mm256_add_epi32(
                  a0,
                  _mm256_cvtepi8_epi32(_mm_loadl_epi64((
                      const __m128i *)(const void *)(img +
                                                     ((int64_t)y * p.in_w + x) *
                                                         depth +
                                                     c))));
          __m256i r0 = avg8(a0, half, cnt, lo, hi);
          __m128i p16 = _mm_packs_epi32(_mm256_castsi256_si128(r0),
                                        _mm256_extracti128_si256(r0, 1));
          _mm_storel_epi64((__m128i *)(void *)(out + c),
                           _mm_packs_epi16(p16, p16));
          c += 8;
        }
        for (; c < depth; c++) {
          int32_t acc = 0;
          for (int32_t y = y0; y < y1; y++)
            for (int32_t x = x0; x < x1; x++)
              acc += img[((int64_t)y * p.in_w + x) * depth + c];
          if (count > 0)
            acc =
                acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
          if (acc < p.act_min) acc = p.act_min;
          if (acc > p.act_max) acc = p.act_max;
          out[c] = (int8_t)acc;
        }
        out += depth;
      }
    }
  }
}
