/*
** MAX_POOL_2D int8 with AVX-512: per output pixel, 64 channels at a time
** (masked tail) take vpmaxsb over the window's taps clipped to the image,
** starting from INT8_MIN as the reference does, then the activation clamp.
** max is exact, so the result is bit-identical.
*/
#include "avx512_common.h"
#include "pool_avx512.h"

void mote_max_pool_s8_avx512(const mote_pool_params *params, const int8_t *in,
                             int8_t *out) {
  const mote_pool_params p = *params;
  const int32_t depth = p.depth;
  const __m512i lo = _mm512_set1_epi8((char)p.act_min);
  const __m512i hi = _mm512_set1_epi8((char)p.act_max);
  for (int32_t b = 0; b < p.batches; b++) {
    const int8_t *img = in + (int64_t)b * p.in_h * p.in_w * depth;
    for (int32_t oy = 0; oy < p.out_h; oy++) {
      for (int32_t ox = 0; ox < p.out_w; ox++) {
        int32_t y0, y1, x0, x1;
        mote_pool_window(&p, oy, ox, &y0, &y1, &x0, &x1);
        for (int32_t c = 0; c < depth; c += 64) {
          const int32_t left = depth - c;
          const __mmask64 m =
              left >= 64 ? ~(__mmask64)0 : (((__mmask64)1 << left) - 1);
          __m512i v = _mm512_set1_epi8((char)INT8_MIN);
          for (int32_t y = y0; y < y1; y++)
            for (int32_t x = x0; x < x1; x++)
              v = _mm512_max_epi8(
                  v, _mm512_maskz_loadu_epi8(
                         m, img + ((int64_t)y * p.in_w + x) * depth + c));
          v = _mm512_min_epi8(_mm512_max_epi8(v, lo), hi);
          _mm512_mask_storeu_epi8(out + c, m, v);
        }
        out += depth;
      }
    }
  }
}
