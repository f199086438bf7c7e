/*
** AVERAGE_POOL_2D float32 with AVX-512, 16 channels a vector (masked
** tail). Each lane adds its window's values in the reference's order (rows,
** then columns, from 0.0f), divides by the same float count and clamps
** with max(lo, x) then min(hi, y), which select like the reference's
** comparisons (NaN included): bit-identical to mote_avg_pool_f32_ref.
*/
#include <immintrin.h>

#include "avx512_common.h"
#include "pool_avx512.h"

void mote_avg_pool_f32_avx512(const mote_pool_params *p, const float *in,
                              float *out) {
  const __m512 lo = _mm512_set1_ps(p->fact_min);
  const __m512 hi = _mm512_set1_ps(p->fact_max);
  const int32_t depth = p->depth;
  for (int32_t b = 0; b < p->batches; b++) {
    const float *img = in + (int64_t)b * p->in_h * p->in_w * depth;
    for (int32_t oy = 0; oy < p->out_h; oy++) {
      for (int32_t ox = 0; ox < p->out_w; ox++) {
        int32_t y0, y1, x0, x1;
        mote_pool_window(p, oy, ox, &y0, &y1, &x0, &x1);
        const float count = (float)((y1 - y0) * (x1 - x0));
        const __m512 vc = _mm512_set1_ps(count);
        for (int32_t c = 0; c < depth; c += 16) {
          const __mmask16 m = mote_avx512_mask16(depth - c);
          __m512 t = _mm512_setzero_ps();
          for (int32_t y = y0; y < y1; y++)
            for (int32_t x = x0; x < x1; x++)
              t = _mm512_add_ps(
                  t, _mm512_maskz_loadu_ps(
                         m, img + ((int64_t)y * p->in_w + x) * depth + c));
          const __m512 avg =
              count > 0.0f ? _mm512_div_ps(t, vc) : _mm512_setzero_ps();
          _mm512_mask_storeu_ps(out + c, m,
                                _mm512_min_ps(hi, _mm512_max_ps(lo, avg)));
        }
        out += depth;
      }
    }
  }
}
