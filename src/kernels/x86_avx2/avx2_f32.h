/*
** avx2_f32.h: building blocks of the AVX2+FMA float32 kernels (x86-64 only;
** included only by files compiled with -mavx2 -mfma).
**
** Float results are not bit-exact with the reference kernels, by design:
** the reference sums each dot product left to right, rounding after every
** multiply and every add; here eight (or more) partial sums run in
** parallel lanes, are added pairwise at the end, and each multiply-add is
** one fused operation (vfmadd: a single rounding). Floating-point addition
** is not associative, so the order changes the last bits. Any summation
** order of n terms is within about n * 2^-24 * sum |terms| of the exact
** sum (and typically sqrt(n) * 2^-24 * sum |terms|), so tests/kernels
** bounds the difference by 1e-5 * sum |terms| (the reference kernel run on
** absolute values); the conformance suite's float rule is looser still
** (1e-4 * max(1, max |golden|)).
*/
#ifndef MOTE_AVX2_F32_H
#define MOTE_AVX2_F32_H

#include <immintrin.h>
#include <stddef.h>
#include <stdint.h>

/* Lanes [0, n) set, n in [0, 8]. */
static inline __m256i mote_avx2_mask8(int32_t n) {
  static const int32_t m[16] = {-1, -1, -1, -1, -1, -1, -1, -1,
                                0,  0,  0,  0,  0,  0,  0,  0};
  return _mm256_loadu_si256((const __m256i *)(const void *)(m + 8 - n));
}

/* The reference clamp (x < lo ? lo : x, then hi < y ? hi : y), 8 lanes. */
static inline __m256 mote_avx2_clamp_f32(__m256 x, __m256 lo, __m256 hi) {
  return _mm256_min_ps(hi, _mm256_max_ps(lo, x));
}

static inline float mote_avx2_hsum_f32(__m256 a) {
  __m128 h = _mm_add_ps(_mm256_castps256_ps128(a), _mm256_extractf128_ps(a, 1));
  h = _mm_add_ps(h, _mm_movehl_ps(h, h));
  h = _mm_add_ss(h, _mm_movehdup_ps(h));
  return _mm_cvtss_f32(h);
}

/*
** out[r] = clamp(dot(x, w + r*K) + bias[r]) for r < rows: four rows at a
** time share each load of x; the last K % 8 elements are masked loads
** (nothing is read past a row's end).
*/
static inline void mote_avx2_rows_f32(const float *x, int32_t K, const float *w,
                                      int32_t rows, const float *bias, float lo,
                                      float hi, float *out) {
  const ptrdiff_t kk = K;
  const int32_t kf = K & ~7;
  const __m256i tm = mote_avx2_mask8(K - kf);
  const __m128 vlo = _mm_set1_ps(lo), vhi = _mm_set1_ps(hi);
  int32_t r = 0;
  for (; r + 4 <= rows; r += 4) {
    const float *w0 = w + r * kk, *w1 = w0 + kk, *w2 = w1 + kk, *w3 = w2 + kk;
    __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
    int32_t k = 0;
    for (; k < kf; k += 8) {
      __m256 xv = _mm256_loadu_ps(x + k);
      a0 = _mm256_fmadd_ps(xv, _mm256_loadu_ps(w0 + k), a0);
      a1 = _mm256_fmadd_ps(xv, _mm256_loadu_ps(w1 + k), a1);
      a2 = _mm256_fmadd_ps(xv, _mm256_loadu_ps(w2 + k), a2);
      a3 = _mm256_fmadd_ps(xv, _mm256_loadu_ps(w3 + k), a3);
    }
    if (k < K) {
      __m256 xv = _mm256_maskload_ps(x + k, tm);
      a0 = _mm256_fmadd_ps(xv, _mm256_maskload_ps(w0 + k, tm), a0);
      a1 = _mm256_fmadd_ps(xv, _mm256_maskload_ps(w1 + k, tm), a1);
      a2 = _mm256_fmadd_ps(xv, _mm256_maskload_ps(w2 + k, tm), a2);
      a3 = _mm256_fmadd_ps(xv, _mm256_maskload_ps(w3 + k, tm), a3);
    }
    /* Lane j of s = total of row r + j. */
    __m256 h = _mm256_hadd_ps(_mm256_hadd_ps(a0, a1), _mm256_hadd_ps(a2, a3));
    __m128 s =
        _mm_add_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
    if (bias) s = _mm_add_ps(s, _mm_loadu_ps(bias + r));
    s = _mm_min_ps(vhi, _mm_max_ps(vlo, s));
    _mm_storeu_ps(out + r, s);
  }
  for (; r < rows; r++) {
    const float *w0 = w + r * kk;
    __m256 a0 = _mm256_setzero_ps();
    int32_t k = 0;
    for (; k < kf; k += 8)
      a0 = _mm256_fmadd_ps(_mm256_loadu_ps(x + k), _mm256_loadu_ps(w0 + k), a0);
    if (k < K)
      a0 = _mm256_fmadd_ps(_mm256_maskload_ps(x + k, tm),
                           _mm256_maskload_ps(w0 + k, tm), a0);
    float v = mote_avx2_hsum_f32(a0) + (bias ? bias[r] : 0.0f);
    v = v < lo ? lo : v;
    out[r] = hi < v ? hi : v;
  }
}

/*
** The same for two patches at once (two output pixels): each weight load
** serves both, eight accumulators. Rows past the last multiple of 4 go
** through mote_avx2_rows_f32 for each pixel.
*/
static inline void mote_avx2_rows2_f32(const float *x, const float *y,
                                       int32_t K, const float *w, int32_t rows,
                                       const float *bias, float lo, float hi,
                                       float *outx, float *outy) {
  const ptrdiff_t kk = K;
  const int32_t kf = K & ~7;
  const __m256i tm = mote_avx2_mask8(K - kf);
  const __m128 vlo = _mm_set1_ps(lo), vhi = _mm_set1_ps(hi);
  int32_t r = 0;
  for (; r + 4 <= rows; r += 4) {
    const float *w0 = w + r * kk, *w1 = w0 + kk, *w2 = w1 + kk, *w3 = w2 + kk;
    __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
    __m256 b0 = a0, b1 = a0, b2 = a0, b3 = a0;
    int32_t k = 0;
    for (; k < kf; k += 8) {
      const __m256 xv = _mm256_loadu_ps(x + k), yv = _mm256_loadu_ps(y + k);
      __m256 wv = _mm256_loadu_ps(w0 + k);
      a0 = _mm256_fmadd_ps(xv, wv, a0);
      b0 = _mm256_fmadd_ps(yv, wv, b0);
      wv = _mm256_loadu_ps(w1 + k);
      a1 = _mm256_fmadd_ps(xv, wv, a1);
      b1 = _mm256_fmadd_ps(yv, wv, b1);
      wv = _mm256_loadu_ps(w2 + k);
      a2 = _mm256_fmadd_ps(xv, wv, a2);
      b2 = _mm256_fmadd_ps(yv, wv, b2);
      wv = _mm256_loadu_ps(w3 + k);
      a3 = _mm256_fmadd_ps(xv, wv, a3);
      b3 = _mm256_fmadd_ps(yv, wv, b3);
    }
    if (k < K) {
      const __m256 xv = _mm256_maskload_ps(x + k, tm);
      const __m256 yv = _mm256_maskload_ps(y + k, tm);
      __m256 wv = _mm256_maskload_ps(w0 + k, tm);
      a0 = _mm256_fmadd_ps(xv, wv, a0);
      b0 = _mm256_fmadd_ps(yv, wv, b0);
      wv = _mm256_maskload_ps(w1 + k, tm);
      a1 = _mm256_fmadd_ps(xv, wv, a1);
      b1 = _mm256_fmadd_ps(yv, wv, b1);
      wv = _mm256_maskload_ps(w2 + k, tm);
      a2 = _mm256_fmadd_ps(xv, wv, a2);
      b2 = _mm256_fmadd_ps(yv, wv, b2);
      wv = _mm256_maskload_ps(w3 + k, tm);
      a3 = _mm256_fmadd_ps(xv, wv, a3);
      b3 = _mm256_fmadd_ps(yv, wv, b3);
    }
    __m256 h = _mm256_hadd_ps(_mm256_hadd_ps(a0, a1), _mm256_hadd_ps(a2, a3));
    __m256 g = _mm256_hadd_ps(_mm256_hadd_ps(b0, b1), _mm256_hadd_ps(b2, b3));
    __m128 s =
        _mm_add_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
    __m128 t =
        _mm_add_ps(_mm256_castps256_ps128(g), _mm256_extractf128_ps(g, 1));
    if (bias) {
      const __m128 bv = _mm_loadu_ps(bias + r);
      s = _mm_add_ps(s, bv);
      t = _mm_add_ps(t, bv);
    }
    _mm_storeu_ps(outx + r, _mm_min_ps(vhi, _mm_max_ps(vlo, s)));
    _mm_storeu_ps(outy + r, _mm_min_ps(vhi, _mm_max_ps(vlo, t)));
  }
  if (r < rows) {
    const float *bt = bias ? bias + r : NULL;
    mote_avx2_rows_f32(x, K, w + r * kk, rows - r, bt, lo, hi, outx + r);
    mote_avx2_rows_f32(y, K, w + r * kk, rows - r, bt, lo, hi, outy + r);
  }
}

#endif
