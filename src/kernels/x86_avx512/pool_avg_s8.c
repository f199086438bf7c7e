/*
** AVERAGE_POOL_2D int8 with AVX-512: per output pixel, 16 channels at a
** time (masked tail) are summed in int32 over the window's taps clipped to
** the image, then divided as the reference does: (acc +- count/2) / count
** truncated, i.e. sign(acc) * floor((|acc| + count/2) / count).
**
** The division is a float division, exact here (the argument of
** ../x86_avx2/pool_avg_s8.c): with at most 65536 taps, n = |acc| + count/2
** < 2^24 and count are exact floats, and if n / count is not an integer it
** lies at least 1/count below the next one, while rounding moves it up by
** at most (n / count) * 2^-24 < 1/count; so truncating the rounded
** quotient gives floor(n / count). An empty window (count 0) gives 0.
*/
#include "avx512_common.h"
#include "pool_avx512.h"

int mote_avg_pool_s8_avx512_supported(const mote_pool_params *p) {
  return (int64_t)p->filter_h * p->filter_w <= 65536;
}

void mote_avg_pool_s8_avx512(const mote_pool_params *params, const int8_t *in,
                             int8_t *out) {
  const mote_pool_params p = *params;
  const int32_t depth = p.depth;
  const __m512i lo = _mm512_set1_epi32(p.act_min);
  const __m512i hi = _mm512_set1_epi32(p.act_max);
  const __m512i zero = _mm512_setzero_si512();
  for (int32_t b = 0; b < p.batches; b++) {
    const int8_t *img = in + (int64_t)b * p.in_h * p.in_w * depth;
    for (int32_t oy = 0; oy < p.out_h; oy++) {
      for (int32_t ox = 0; ox < p.out_w; ox++) {
        int32_t y0, y1, x0, x1;
        mote_pool_window(&p, oy, ox, &y0, &y1, &x0, &x1);
        const int32_t count = (y1 - y0) * (x1 - x0);
        const __m512i half = _mm512_set1_epi32(count / 2);
        const __m512 cnt = _mm512_set1_ps((float)(count > 0 ? count : 1));
        for (int32_t c = 0; c < depth; c += 16) {
          const __mmask16 m = mote_avx512_mask16(depth - c);
          __m512i acc = zero;
          for (int32_t y = y0; y < y1; y++)
            for (int32_t x = x0; x < x1; x++)
              acc = _mm512_add_epi32(
                  acc, _mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(
                           m, img + ((int64_t)y * p.in_w + x) * depth + c)));
          __m512i n = _mm512_add_epi32(_mm512_abs_epi32(acc), half);
          __m512i q =
              _mm512_cvttps_epi32(_mm512_div_ps(_mm512_cvtepi32_ps(n), cnt));
          q = _mm512_mask_sub_epi32(q, _mm512_cmplt_epi32_mask(acc, zero), zero,
                                    q);
          q = _mm512_min_epi32(_mm512_max_epi32(q, lo), hi);
          _mm512_mask_cvtsepi32_storeu_epi8(out + c, m, q);
        }
        out += depth;
      }
    }
  }
}
