/*
** avx2_common.h: building blocks of the AVX2 int8 kernels (x86-64 only;
** included only by files compiled with -mavx2 -mfma).
**
** Bit-exactness with the reference kernels rests on two facts:
**  - the reference accumulates in int32 with wrap-around, i.e. modulo 2^32,
**    so any order of the same products gives the same bits; products are
**    formed exactly (int8 values plus zero points fit int16, pairs of their
**    products fit int32: _mm256_madd_epi16 is exact);
**  - requantization is mote_mul_by_qm (mote_requant.h), in 8 lanes below
**    with the same double rounding (proved in the comment, and checked
**    against the scalar helper on random and extreme values by
**    tests/kernels).
*/
#ifndef MOTE_AVX2_COMMON_H
#define MOTE_AVX2_COMMON_H

#include <immintrin.h>
#include <stddef.h>
#include <stdint.h>

#include "../mote_requant.h"

/*
** 8 lanes of mote_mul_by_qm(x, qm, shift), shift in [-31, 30].
** mote_sat_rdhm(a, b) = trunc((a*b + nudge) / 2^31), nudge = 2^30 when
** a*b >= 0 and 1 - 2^30 otherwise. For a*b < 0 the sum is negative and
** truncation equals floor((a*b + 1 - 2^30 + 2^31 - 1) / 2^31), so in both
** cases the result is floor((a*b + 2^30) / 2^31): bits 31..62 of the
** 64-bit sum, which a logical shift gives as well as an arithmetic one.
** The one overflow (a = b = INT32_MIN -> INT32_MAX) is patched with a mask.
*/
static inline __m256i mote_avx2_mul_by_qm(__m256i x, __m256i qm,
                                          __m256i shift) {
  const __m256i zero = _mm256_setzero_si256();
  const __m256i one = _mm256_set1_epi32(1);
  const __m256i imin = _mm256_set1_epi32(INT32_MIN);
  const __m256i nudge = _mm256_set1_epi64x((long long)1 << 30);
  __m256i left = _mm256_max_epi32(shift, zero);
  __m256i right = _mm256_max_epi32(_mm256_sub_epi32(zero, shift), zero);
  __m256i xs = _mm256_sllv_epi32(x, left);
  __m256i pe = _mm256_add_epi64(_mm256_mul_epi32(xs, qm), nudge);
  __m256i po = _mm256_add_epi64(
      _mm256_mul_epi32(_mm256_srli_epi64(xs, 32), _mm256_srli_epi64(qm, 32)),
      nudge);
  pe = _mm256_srli_epi64(pe, 31);
  po = _mm256_slli_epi64(_mm256_srli_epi64(po, 31), 32);
  __m256i r = _mm256_blend_epi32(pe, po, 0xAA);
  __m256i sat = _mm256_and_si256(_mm256_cmpeq_epi32(xs, imin),
                                 _mm256_cmpeq_epi32(qm, imin));
  r = _mm256_xor_si256(r, sat);
  /* mote_rdbpot(r, right): round half away from zero. */
  __m256i mask = _mm256_sub_epi32(_mm256_sllv_epi32(one, right), one);
  __m256i rem = _mm256_and_si256(r, mask);
  __m256i thr =
      _mm256_sub_epi32(_mm256_srai_epi32(mask, 1), _mm256_cmpgt_epi32(zero, r));
  __m256i q = _mm256_srav_epi32(r, right);
  return _mm256_sub_epi32(q, _mm256_cmpgt_epi32(rem, thr));
}

/* Multipliers and shifts of channels c .. c+7. */
static inline __m256i mote_avx2_rq_mult(const mote_requant_ch *rq, int32_t c) {
  return rq->mult
             ? _mm256_loadu_si256((const __m256i *)(const void *)(rq->mult + c))
             : _mm256_set1_epi32(rq->mult0);
}
static inline __m256i mote_avx2_rq_shift(const mote_requant_ch *rq, int32_t c) {
  return rq->shift ? _mm256_cvtepi8_epi32(_mm_loadl_epi64(
                         (const __m128i *)(const void *)(rq->shift + c)))
                   : _mm256_set1_epi32(rq->shift0);
}

/* Requantize 8 accumulators of channels c..c+7, add the output zero point,
 * clamp to [lo, hi] (inside int8) and store 8 int8. */
static inline void mote_avx2_requant_store8(__m256i acc,
                                            const mote_requant_ch *rq,
                                            int32_t c, int32_t out_off,
                                            int32_t lo, int32_t hi,
                                            int8_t *out) {
  __m256i v = mote_avx2_mul_by_qm(acc, mote_avx2_rq_mult(rq, c),
                                  mote_avx2_rq_shift(rq, c));
  v = _mm256_add_epi32(v, _mm256_set1_epi32(out_off));
  v = _mm256_min_epi32(_mm256_max_epi32(v, _mm256_set1_epi32(lo)),
                       _mm256_set1_epi32(hi));
  __m128i p16 = _mm_packs_epi32(_mm256_castsi256_si128(v),
                                _mm256_extracti128_si256(v, 1));
  _mm_storel_epi64((__m128i *)(void *)out, _mm_packs_epi16(p16, p16));
}

/* The scalar tail of the same: one channel, as the reference does it. */
static inline int8_t mote_avx2_requant1(uint32_t acc, const mote_requant_ch *rq,
                                        int32_t c, int32_t out_off, int32_t lo,
                                        int32_t hi) {
  int32_t v = mote_mul_by_qm((int32_t)acc, mote_requant_mult(rq, c),
                             mote_requant_shift(rq, c));
  v = (int32_t)((uint32_t)v + (uint32_t)out_off);
  return (int8_t)mote_clamp_i32(v, lo, hi);
}

/* int8 -> int16 plus offset, n elements; returns the wrapped sum. */
static inline uint32_t mote_avx2_widen(int16_t *dst, const int8_t *src,
                                       int32_t n, int32_t off) {
  const __m256i o = _mm256_set1_epi16((short)off);
  __m256i s = _mm256_setzero_si256();
  int32_t i = 0;
  uint32_t sum = 0;
  for (; i + 16 <= n; i += 16) {
    __m256i v = _mm256_add_epi16(_mm256_cvtepi8_epi16(_mm_loadu_si128(
                                     (const __m128i *)(const void *)(src + i))),
                                 o);
    _mm256_storeu_si256((__m256i *)(void *)(dst + i), v);
    s = _mm256_add_epi32(s, _mm256_madd_epi16(v, _mm256_set1_epi16(1)));
  }
  for (; i < n; i++) {
    const int32_t v = src[i] + off;
    dst[i] = (int16_t)v;
    sum += (uint32_t)v;
  }
  __m128i h =
      _mm_add_epi32(_mm256_castsi256_si128(s), _mm256_extracti128_si256(s, 1));
  h = _mm_hadd_epi32(h, h);
  h = _mm_hadd_epi32(h, h);
  return sum + (uint32_t)_mm_cvtsi128_si32(h);
}

static inline void mote_avx2_zero16(int16_t *dst, int32_t n) {
  for (int32_t i = 0; i < n; i++) dst[i] = 0;
}

/* Scalar tail of a dot product, wrapping. */
static inline uint32_t mote_avx2_tail(const int16_t *x, const int8_t *w,
                                      int32_t from, int32_t to) {
  uint32_t acc = 0;
  for (int32_t k = from; k < to; k++)
    acc += (uint32_t)((int32_t)x[k] * (int32_t)w[k]);
  return acc;
}

#define MOTE_AVX2_ROW(j)                                 \
  a##j = _mm256_add_epi32(                               \
      a##j, _mm256_madd_epi16(                           \
                x, _mm256_cvtepi8_epi16(_mm_loadu_si128( \
                       (const __m128i *)(const void *)(w + (j)*kk + k)))))

#define MOTE_AVX2_ROW8(j)                              \
  a##j = _mm256_add_epi32(                             \
      a##j, _mm256_zextsi128_si256(_mm_madd_epi16(     \
                x8, _mm_cvtepi8_epi16(_mm_loadl_epi64( \
                        (const __m128i *)(const void *)(w + (j)*kk + k8))))))

/*
** Eight dot products: lane j = sum_{k<K} x[k] * w[j*K + k] (wrapping).
** x holds zeros from K up to vec_k; 16-wide loads cover [0, vec_k), a
** multiple of 16, which the caller keeps inside the weights buffer; then
** one 8-wide step if at least 8 remain, and a scalar tail for the rest.
*/
static inline __m256i mote_avx2_dot8(const int16_t *xp, const int8_t *w,
                                     int32_t K, int32_t vec_k) {
  __m256i a0 = _mm256_setzero_si256(), a1 = a0, a2 = a0, a3 = a0, a4 = a0,
          a5 = a0, a6 = a0, a7 = a0;
  const ptrdiff_t kk = K;
  for (int32_t k = 0; k < vec_k; k += 16) {
    __m256i x = _mm256_loadu_si256((const __m256i *)(const void *)(xp + k));
    MOTE_AVX2_ROW(0);
    MOTE_AVX2_ROW(1);
    MOTE_AVX2_ROW(2);
    MOTE_AVX2_ROW(3);
    MOTE_AVX2_ROW(4);
    MOTE_AVX2_ROW(5);
    MOTE_AVX2_ROW(6);
    MOTE_AVX2_ROW(7);
  }
  int32_t k8 = vec_k;
  if (K - k8 >= 8) {
    /* One 8-wide step inside the rows (the last rows' tails, K % 16 >= 8). */
    const __m128i x8 =
        _mm_loadu_si128((const __m128i *)(const void *)(xp + k8));
    MOTE_AVX2_ROW8(0);
    MOTE_AVX2_ROW8(1);
    MOTE_AVX2_ROW8(2);
    MOTE_AVX2_ROW8(3);
    MOTE_AVX2_ROW8(4);
    MOTE_AVX2_ROW8(5);
    MOTE_AVX2_ROW8(6);
    MOTE_AVX2_ROW8(7);
    k8 += 8;
  }
  __m256i s01 = _mm256_hadd_epi32(a0, a1), s23 = _mm256_hadd_epi32(a2, a3);
  __m256i s45 = _mm256_hadd_epi32(a4, a5), s67 = _mm256_hadd_epi32(a6, a7);
  __m256i t0 = _mm256_hadd_epi32(s01, s23), t1 = _mm256_hadd_epi32(s45, s67);
  __m256i s = _mm256_add_epi32(_mm256_permute2x128_si256(t0, t1, 0x20),
                               _mm256_permute2x128_si256(t0, t1, 0x31));
  if (k8 < K) {
    int32_t t[8];
    for (int j = 0; j < 8; j++)
      t[j] = (int32_t)mote_avx2_tail(xp, w + j * kk, k8, K);
    s = _mm256_add_epi32(s,
                         _mm256_loadu_si256((const __m256i *)(const void *)t));
  }
  return s;
}

/* One dot product, as mote_avx2_dot8 for a single row. */
static inline uint32_t mote_avx2_dot1(const int16_t *x, const int8_t *w,
                                      int32_t K, int32_t vec_k) {
  __m256i a = _mm256_setzero_si256();
  for (int32_t k = 0; k < vec_k; k += 16) {
    __m256i xv = _mm256_loadu_si256((const __m256i *)(const void *)(x + k));
    a = _mm256_add_epi32(
        a, _mm256_madd_epi16(xv, _mm256_cvtepi8_epi16(_mm_loadu_si128(
                                     (const __m128i *)(const void *)(w + k)))));
  }
  __m128i h =
      _mm_add_epi32(_mm256_castsi256_si128(a), _mm256_extracti128_si256(a, 1));
  int32_t k8 = vec_k;
  if (K - k8 >= 8) {
    h = _mm_add_epi32(
        h,
        _mm_madd_epi16(_mm_loadu_si128((const __m128i *)(const void *)(x + k8)),
                       _mm_cvtepi8_epi16(_mm_loadl_epi64(
                           (const __m128i *)(const void *)(w + k8)))));
    k8 += 8;
  }
  h = _mm_hadd_epi32(h, h);
  h = _mm_hadd_epi32(h, h);
  uint32_t acc = (uint32_t)_mm_cvtsi128_si32(h);
  if (k8 < K) acc += mote_avx2_tail(x, w, k8, K);
  return acc;
}

/*
** All rows of a weights matrix [rows, K] against one int16 patch x (zeros
** in [K, Kp), Kp = K rounded up to 16): out[r] = requant(dot + bias[r] +
** extra), the reference kernels' int8 epilogue.
*/
static inline void mote_avx2_rows_s8(const int16_t *x, int32_t K,
                                     const int8_t *w, int32_t rows,
                                     const int32_t *bias, uint32_t extra,
                                     const mote_requant_ch *rq, int32_t out_off,
                                     int32_t lo, int32_t hi, int8_t *out) {
  const int64_t total = (int64_t)rows * K;
  const int32_t kp = (K + 15) & ~15, kf = K & ~15;
  const ptrdiff_t kk = K;
  int32_t r = 0;
  for (; r + 8 <= rows; r += 8) {
    int32_t vk = (int64_t)(r + 7) * K + kp <= total ? kp : kf;
    __m256i acc = mote_avx2_dot8(x, w + r * kk, K, vk);
    if (bias)
      acc = _mm256_add_epi32(
          acc, _mm256_loadu_si256((const __m256i *)(const void *)(bias + r)));
    acc = _mm256_add_epi32(acc, _mm256_set1_epi32((int32_t)extra));
    mote_avx2_requant_store8(acc, rq, r, out_off, lo, hi, out + r);
  }
  for (; r < rows; r++) {
    int32_t vk = (int64_t)r * K + kp <= total ? kp : kf;
    uint32_t acc = mote_avx2_dot1(x, w + r * kk, K, vk);
    if (bias) acc += (uint32_t)bias[r];
    acc += extra;
    out[r] = mote_avx2_requant1(acc, rq, r, out_off, lo, hi);
  }
}

#endif
