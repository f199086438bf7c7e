/*
** f32_avx512_inl.h: small inline helpers of the AVX-512 float32 kernels
** (included only by files compiled with the AVX-512 flags).
*/
#ifndef MOTE_F32_AVX512_INL_H
#define MOTE_F32_AVX512_INL_H

#include <immintrin.h>
#include <stdint.h>

/* Lanes [0, n) set, n clamped to [0, 16]. */
static inline __mmask16 mote_f32x16_lanes(int64_t n) {
  return (__mmask16)(n >= 16 ? 0xFFFFu : n <= 0 ? 0u : (1u << n) - 1u);
}

/* The reference activation clamp (min(hi, max(lo, x))), 16 lanes. */
static inline __m512 mote_f32x16_clamp(__m512 x, __m512 lo, __m512 hi) {
  return _mm512_min_ps(hi, _mm512_max_ps(lo, x));
}

#endif
