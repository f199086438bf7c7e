/*
** FULLY_CONNECTED float32 with AVX-512 over weights packed at prepare
** (gemm_f32.c). Several batch rows: the GEMM micro-kernel, 8 rows a tile.
** One row (a GEMV, streaming every weight once): per panel, four k phases
** each with their own accumulators (eight zmm for a 32-wide panel) keep
** the fused multiply-adds independent, added pairwise at the end with the
** bias; the packed panels are read front to back in one stream.
*/
#include <immintrin.h>

#include "f32_avx512.h"
#include "f32_avx512_inl.h"

static inline __m512 sum4(__m512 a, __m512 b, __m512 c, __m512 d) {
  return _mm512_add_ps(_mm512_add_ps(a, b), _mm512_add_ps(c, d));
}

static void gemv(const float *x, int32_t K, const float *w, int32_t units,
                 const float *bias, __m512 lo, __m512 hi, float *out) {
  for (int32_t c0 = 0; c0 < units; c0 += 32) {
    const int32_t n = units - c0;
    const __mmask16 m0 = mote_f32x16_lanes(n), m1 = mote_f32x16_lanes(n - 16);
    const __m512 z = _mm512_setzero_ps();
    __m512 a0 = z, a1 = z, a2 = z, a3 = z;
    int32_t k = 0;
    if (n > 16) {
      __m512 b0 = z, b1 = z, b2 = z, b3 = z;
      for (; k + 4 <= K; k += 4, w += 128) {
        const __m512 x0 = _mm512_set1_ps(x[k]), x1 = _mm512_set1_ps(x[k + 1]);
        const __m512 x2 = _mm512_set1_ps(x[k + 2]),
                     x3 = _mm512_set1_ps(x[k + 3]);
        a0 = _mm512_fmadd_ps(x0, _mm512_load_ps(w), a0);
        b0 = _mm512_fmadd_ps(x0, _mm512_load_ps(w + 16), b0);
        a1 = _mm512_fmadd_ps(x1, _mm512_load_ps(w + 32), a1);
        b1 = _mm512_fmadd_ps(x1, _mm512_load_ps(w + 48), b1);
        a2 = _mm512_fmadd_ps(x2, _mm512_load_ps(w + 64), a2);
        b2 = _mm512_fmadd_ps(x2, _mm512_load_ps(w + 80), b2);
        a3 = _mm512_fmadd_ps(x3, _mm512_load_ps(w + 96), a3);
        b3 = _mm512_fmadd_ps(x3, _mm512_load_ps(w + 112), b3);
      }
      for (; k < K; k++, w += 32) {
        const __m512 x0 = _mm512_set1_ps(x[k]);
        a0 = _mm512_fmadd_ps(x0, _mm512_load_ps(w), a0);
        b0 = _mm512_fmadd_ps(x0, _mm512_load_ps(w + 16), b0);
      }
      __m512 s = sum4(b0, b1, b2, b3);
      if (bias) s = _mm512_add_ps(s, _mm512_maskz_loadu_ps(m1, bias + c0 + 16));
      _mm512_mask_storeu_ps(out + c0 + 16, m1, mote_f32x16_clamp(s, lo, hi));
    } else {
      for (; k + 4 <= K; k += 4, w += 64) {
        a0 = _mm512_fmadd_ps(_mm512_set1_ps(x[k]), _mm512_load_ps(w), a0);
        a1 = _mm512_fmadd_ps(_mm512_set1_ps(x[k + 1]), _mm512_load_ps(w + 16),
                             a1);
        a2 = _mm512_fmadd_ps(_mm512_set1_ps(x[k + 2]), _mm512_load_ps(w + 32),
                             a2);
        a3 = _mm512_fmadd_ps(_mm512_set1_ps(x[k + 3]), _mm512_load_ps(w + 48),
                             a3);
      }
      for (; k < K; k++, w += 16)
        a0 = _mm512_fmadd_ps(_mm512_set1_ps(x[k]), _mm512_load_ps(w), a0);
    }
    __m512 s = sum4(a0, a1, a2, a3);
    if (bias) s = _mm512_add_ps(s, _mm512_maskz_loadu_ps(m0, bias + c0));
    _mm512_mask_storeu_ps(out + c0, m0, mote_f32x16_clamp(s, lo, hi));
  }
}

void mote_fc_f32_avx512(const mote_fc_dims *n, const mote_fc_f32_params *p,
                        const float *input, const float *packed,
                        const float *bias, float *output) {
  const ptrdiff_t depth = n->depth, units = n->units;
  if (n->batches == 1) {
    gemv(input, n->depth, packed, n->units, bias, _mm512_set1_ps(p->act_min),
         _mm512_set1_ps(p->act_max), output);
    return;
  }
  for (int32_t b0 = 0; b0 < n->batches; b0 += MOTE_F32_AVX512_MR) {
    const int32_t mr = n->batches - b0 < MOTE_F32_AVX512_MR
                           ? n->batches - b0
                           : MOTE_F32_AVX512_MR;
    const float *a[MOTE_F32_AVX512_MR];
    for (int32_t m = 0; m < mr; m++) a[m] = input + (b0 + m) * depth;
    mote_f32_avx512_gemm(a, mr, 1, n->depth, packed, n->units, bias, p->act_min,
                         p->act_max, output + b0 * units, units);
  }
}
