/*
** avx512_common.h: building blocks of the AVX-512 int8 kernels (x86-64
** only; included only by files compiled with the AVX-512 flags of
** CMakeLists.txt: F, BW, VL, DQ, VNNI).
**
** Bit-exactness with the reference kernels rests on the same two facts as
** the AVX2 kernels (../x86_avx2/avx2_common.h): int32 accumulation wraps
** modulo 2^32, so any order of the same exact products gives the same
** bits; and requantization is mote_mul_by_qm (../mote_requant.h), here in
** 16 lanes with the same double rounding (checked against the scalar
** helper by tests/kernels).
**
** VNNI (vpdpbusd) multiplies unsigned by signed bytes. Kernels feed it
** activations as u = x + 128 (x XOR 0x80) and fold the difference into the
** bias at prepare: sum w*(x + io) = sum w*u + (io - 128) * sum w, exact
** modulo 2^32. Window positions outside the image are filled with the
** input zero point (x + io = 0 there), so padding needs no special case.
*/
#ifndef MOTE_AVX512_COMMON_H
#define MOTE_AVX512_COMMON_H

#include <immintrin.h>
#include <stddef.h>
#include <stdint.h>

#include "../mote_requant.h"

/*
** 16 lanes of mote_mul_by_qm(x, qm, shift), shift in [-31, 30]; the
** derivation is the 8-lane one of mote_avx2_mul_by_qm: the saturating
** rounding doubling high multiply is bits 31..62 of a*b + 2^30 (one
** overflow, a = b = INT32_MIN, patched), then a rounding right shift that
** rounds half away from zero.
*/
static inline __m512i mote_avx512_mul_by_qm(__m512i x, __m512i qm,
                                            __m512i shift) {
  const __m512i zero = _mm512_setzero_si512();
  const __m512i one = _mm512_set1_epi32(1);
  const __m512i imin = _mm512_set1_epi32(INT32_MIN);
  const __m512i nudge = _mm512_set1_epi64((long long)1 << 30);
  __m512i left = _mm512_max_epi32(shift, zero);
  __m512i right = _mm512_max_epi32(_mm512_sub_epi32(zero, shift), zero);
  __m512i xs = _mm512_sllv_epi32(x, left);
  __m512i pe = _mm512_add_epi64(_mm512_mul_epi32(xs, qm), nudge);
  __m512i po = _mm512_add_epi64(
      _mm512_mul_epi32(_mm512_srli_epi64(xs, 32), _mm512_srli_epi64(qm, 32)),
      nudge);
  pe = _mm512_srli_epi64(pe, 31);
  po = _mm512_slli_epi64(_mm512_srli_epi64(po, 31), 32);
  __m512i r = _mm512_mask_blend_epi32((__mmask16)0xAAAA, pe, po);
  __mmask16 sat =
      _mm512_cmpeq_epi32_mask(xs, imin) & _mm512_cmpeq_epi32_mask(qm, imin);
  r = _mm512_mask_xor_epi32(r, sat, r, _mm512_set1_epi32(-1));
  /* mote_rdbpot(r, right). */
  __m512i mask = _mm512_sub_epi32(_mm512_sllv_epi32(one, right), one);
  __m512i rem = _mm512_and_si512(r, mask);
  __m512i half = _mm512_srai_epi32(mask, 1);
  __m512i thr =
      _mm512_mask_add_epi32(half, _mm512_cmplt_epi32_mask(r, zero), half, one);
  __m512i q = _mm512_srav_epi32(r, right);
  return _mm512_mask_add_epi32(q, _mm512_cmpgt_epi32_mask(rem, thr), q, one);
}

/* Multipliers and shifts of channels c .. c+15 (lanes outside `m` zero). */
static inline __m512i mote_avx512_rq_mult(const mote_requant_ch *rq, int32_t c,
                                          __mmask16 m) {
  return rq->mult ? _mm512_maskz_loadu_epi32(m, rq->mult + c)
                  : _mm512_set1_epi32(rq->mult0);
}
static inline __m512i mote_avx512_rq_shift(const mote_requant_ch *rq, int32_t c,
                                           __mmask16 m) {
  return rq->shift
             ? _mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(m, rq->shift + c))
             : _mm512_set1_epi32(rq->shift0);
}

/* Requantize with the given multipliers and shifts, add the output zero
 * point and clamp to [lo, hi] (inside int8): 16 int32 results. */
static inline __m512i mote_avx512_requant(__m512i acc, __m512i mult,
                                          __m512i shift, int32_t out_off,
                                          int32_t lo, int32_t hi) {
  __m512i v = mote_avx512_mul_by_qm(acc, mult, shift);
  v = _mm512_add_epi32(v, _mm512_set1_epi32(out_off));
  return _mm512_min_epi32(_mm512_max_epi32(v, _mm512_set1_epi32(lo)),
                          _mm512_set1_epi32(hi));
}

/* Requantize the accumulators of channels c .. c+15 and store the int8
 * results of the lanes in `m` to out[0..15]. */
static inline void mote_avx512_requant_store16(__m512i acc,
                                               const mote_requant_ch *rq,
                                               int32_t c, __mmask16 m,
                                               int32_t out_off, int32_t lo,
                                               int32_t hi, int8_t *out) {
  __m512i v =
      mote_avx512_requant(acc, mote_avx512_rq_mult(rq, c, m),
                          mote_avx512_rq_shift(rq, c, m), out_off, lo, hi);
  _mm512_mask_cvtsepi32_storeu_epi8(out, m, v);
}

/* Mask of the first n (0..16) lanes. */
static inline __mmask16 mote_avx512_mask16(int32_t n) {
  return (__mmask16)(n >= 16 ? 0xFFFFu : (1u << n) - 1u);
}

/*
** mote_avx512_mul_by_qm with its per-lane constants prepared once (for
** loops that requantize many vectors with the same multipliers and
** shifts): mote_avx512_qm_apply(q, x) equals mote_avx512_mul_by_qm(x,
** mult, shift) lane for lane, in fewer instructions per vector.
*/
typedef struct mote_avx512_qm {
  __m512i qm, qm_odd, left, right, rmask, half;
  __mmask16 qm_min; /* lanes whose multiplier is INT32_MIN */
} mote_avx512_qm;

/* Prepare the constants of multipliers `mult` and shifts `shift`. */
static inline void mote_avx512_qm_prep(mote_avx512_qm *q, __m512i mult,
                                       __m512i shift) {
  const __m512i zero = _mm512_setzero_si512(), one = _mm512_set1_epi32(1);
  q->qm = mult;
  q->qm_odd = _mm512_srli_epi64(mult, 32);
  q->left = _mm512_max_epi32(shift, zero);
  q->right = _mm512_max_epi32(_mm512_sub_epi32(zero, shift), zero);
  q->rmask = _mm512_sub_epi32(_mm512_sllv_epi32(one, q->right), one);
  q->half = _mm512_srai_epi32(q->rmask, 1);
  q->qm_min = _mm512_cmpeq_epi32_mask(mult, _mm512_set1_epi32(INT32_MIN));
}

/* 16 lanes of mote_mul_by_qm(x, mult, shift) with prepared constants. */
static inline __m512i mote_avx512_qm_apply(const mote_avx512_qm *q, __m512i x) {
  const __m512i nudge = _mm512_set1_epi64((long long)1 << 30);
  const __m512i zero = _mm512_setzero_si512(), one = _mm512_set1_epi32(1);
  __m512i xs = _mm512_sllv_epi32(x, q->left);
  __m512i pe = _mm512_add_epi64(_mm512_mul_epi32(xs, q->qm), nudge);
  __m512i po = _mm512_add_epi64(
      _mm512_mul_epi32(_mm512_srli_epi64(xs, 32), q->qm_odd), nudge);
  /* Bits 31..62 of each product: the low dword of pe >> 31, the high
   * dword of po << 1. */
  __m512i v = _mm512_mask_blend_epi32(
      (__mmask16)0xAAAA, _mm512_srli_epi64(pe, 31), _mm512_slli_epi64(po, 1));
  __mmask16 sat =
      _mm512_mask_cmpeq_epi32_mask(q->qm_min, xs, _mm512_set1_epi32(INT32_MIN));
  v = _mm512_mask_xor_epi32(v, sat, v, _mm512_set1_epi32(-1));
  /* mote_rdbpot(v, right). */
  __m512i rem = _mm512_and_si512(v, q->rmask);
  __m512i thr = _mm512_mask_add_epi32(q->half, _mm512_cmplt_epi32_mask(v, zero),
                                      q->half, one);
  __m512i d = _mm512_srav_epi32(v, q->right);
  return _mm512_mask_add_epi32(d, _mm512_cmpgt_epi32_mask(rem, thr), d, one);
}

/* Add the output zero point and clamp to [lo, hi] (vectors of each). */
static inline __m512i mote_avx512_offset_clamp(__m512i v, __m512i off,
                                               __m512i lo, __m512i hi) {
  return _mm512_min_epi32(_mm512_max_epi32(_mm512_add_epi32(v, off), lo), hi);
}

#endif
