/*
** dsp_common.h: helpers shared by the DSP-extension kernels (unaligned
** word loads, the two sign-extending byte splits, requantization of one
** accumulator). Included by the kernel files of this folder only.
*/
#ifndef MOTE_DSP_COMMON_H
#define MOTE_DSP_COMMON_H

#include <arm_acle.h>
#include <stdint.h>
#include <string.h>

#include "../mote_requant.h"
#include "../ref/conv_ref.h"

/* 32-bit load from any address (LDR allows unaligned access on v7-M/v8-M
 * mainline; memcpy keeps C aliasing rules). */
static inline int32_t mote_dsp_ld32(const void *p) {
  int32_t v;
  memcpy(&v, p, sizeof v);
  return v;
}

/* Bytes 1 and 3 of x, sign-extended to 16-bit lanes (SXTB16 with ROR #8:
 * GCC 12 has no __ror and does not fold a rotate into SXTB16 itself). */
static inline int32_t mote_dsp_sxtb16_ror8(int32_t x) {
  int32_t r;
  __asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(x));
  return r;
}

/* Bytes 0 and 2 of x, sign-extended, plus the two 16-bit lanes of off2. */
static inline int32_t mote_dsp_even(int32_t off2, int32_t x) {
  return (int32_t)__sxtab16((int16x2_t)off2, (int8x4_t)x);
}

/* Bytes 1 and 3 of x, sign-extended, plus the two 16-bit lanes of off2. */
static inline int32_t mote_dsp_odd(int32_t off2, int32_t x) {
  int32_t r;
  __asm__("sxtab16 %0, %1, %2, ror #8" : "=r"(r) : "r"(off2), "r"(x));
  return r;
}

/* An int16 value in both halves of a word. */
static inline int32_t mote_dsp_dup16(int32_t v) {
  return (int32_t)(((uint32_t)v & 0xFFFFu) * 0x10001u);
}

/*
** The general path of mote_dsp_rq_scale below is mote_mul_by_qm
** (mote_requant.h) in fewer instructions, same results for every input: the
*saturating rounding doubling high multiply
** (a*b + nudge) / 2^31, rounded toward zero with nudge = 2^30 or 1 - 2^30
** by the sign of a*b, equals floor((a*b + 2^30) / 2^31) in both cases (for
** a*b < 0: trunc(t / 2^31) = floor((t + 2^31 - 1) / 2^31) with
** t = a*b + 1 - 2^30); one SMLAL and two shifts. The rounding divide by
** 2^right keeps its 32-bit mask and threshold.
*/

/*
** One channel's requantization, decoded once and applied to several
** accumulators. The common case (multiplier > 0, shift <= -1: every real
** model) is one 64-bit multiply-add and one shift: with P = acc * qm and
** e = -shift, TFLite computes h = floor((P + 2^30) / 2^31) (exact for
** qm > 0: no saturation) and then rounds h / 2^e half away from zero,
** which is floor((h + 2^(e-1) - [h < 0]) / 2^e). Since the added term is
** an integer, floor(floor(X / 2^31) / 2^e) = floor(X / 2^(31+e)) folds both
** steps into floor((P + k) / 2^(31+e)) with k = 2^30 + 2^(30+e) - 2^31 *
** [h < 0]. [h < 0] may be replaced by [acc < 0]: the two differ only for
** P in [-2^30, 0), where both results are 0. |P + k| < 2^63, and the
** shift by 31 + e >= 32 is the high word shifted by e - 1. Other channels
** keep the general arithmetic (comment above).
*/
typedef struct mote_dsp_rq {
  int64_t k;      /* fast: 2^30 + 2^(30+e) */
  int32_t qm, sh; /* fast: sh = e - 1 */
  int32_t left, right, mask, fast;
} mote_dsp_rq;

static inline mote_dsp_rq mote_dsp_rq_of(const mote_requant_ch *rq, int32_t c) {
  mote_dsp_rq r;
  const int shift = mote_requant_shift(rq, c);
  r.qm = mote_requant_mult(rq, c);
  r.left = shift > 0 ? (shift > 31 ? 31 : shift) : 0;
  r.right = shift > 0 ? 0 : (shift < -31 ? 31 : -shift);
  r.mask = (int32_t)((1u << r.right) - 1u);
  r.fast = r.qm > 0 && r.right >= 1;
  r.sh = r.right >= 1 ? r.right - 1 : 0;
  r.k = (1LL << 30) + ((int64_t)(1 << r.sh) << 31); /* 2^(30+e) */
  return r;
}

/* Requantize acc with r (no offset, no clamp). */
static inline int32_t mote_dsp_rq_scale(const mote_dsp_rq *r, int32_t acc) {
  if (r->fast) {
    const int64_t k = r->k - (acc < 0 ? (1LL << 31) : 0);
    return (int32_t)((k + (int64_t)acc * r->qm) >> 32) >> r->sh;
  }
  const int32_t xs = (int32_t)((uint32_t)acc << r->left);
  int32_t h = (int32_t)(((int64_t)xs * r->qm + (1LL << 30)) >> 31);
  if (xs == INT32_MIN && r->qm == INT32_MIN) h = INT32_MAX;
  const int32_t thr = (r->mask >> 1) + (int32_t)((uint32_t)h >> 31);
  return (h >> r->right) + ((h & r->mask) > thr ? 1 : 0);
}

/* Requantize acc with r, add the output offset, clamp to [lo, hi]. */
static inline int8_t mote_dsp_rq_apply(const mote_dsp_rq *r, int32_t acc,
                                       int32_t out_off, int32_t lo,
                                       int32_t hi) {
  int32_t a = mote_dsp_rq_scale(r, acc);
  a = (int32_t)((uint32_t)a + (uint32_t)out_off);
  return (int8_t)(a < lo ? lo : (a > hi ? hi : a));
}

/* A channel's requantization in 4 words, for kernels that decode every
 * channel once per call into scratch: sh >= 0 marks the fast case
 * (k = klo + 2^32 * khi), sh = -1 the general one (decoded again when
 * used: no real model gets there). */
typedef struct mote_dsp_rqw {
  int32_t qm, sh;
  uint32_t klo;
  int32_t khi;
} mote_dsp_rqw;

/* Fill t[0..n) for channels 0..n-1 of rq. */
static inline void mote_dsp_rqw_fill(mote_dsp_rqw *t, const mote_requant_ch *rq,
                                     int32_t n) {
  int32_t c;
  for (c = 0; c < n; c++) {
    const mote_dsp_rq r = mote_dsp_rq_of(rq, c);
    t[c].qm = r.qm;
    t[c].sh = r.fast ? r.sh : -1;
    t[c].klo = (uint32_t)(uint64_t)r.k;
    t[c].khi = (int32_t)(r.k >> 32);
  }
}

/* mote_dsp_rq_apply for channel c with its word form t. */
static inline int8_t mote_dsp_rqw_apply(const mote_dsp_rqw *t,
                                        const mote_requant_ch *rq, int32_t c,
                                        int32_t acc, int32_t out_off,
                                        int32_t lo, int32_t hi) {
  int32_t a;
  if (t->sh >= 0) {
    const int64_t k = (int64_t)(((uint64_t)(uint32_t)t->khi << 32) | t->klo) -
                      (acc < 0 ? (1LL << 31) : 0);
    a = (int32_t)((k + (int64_t)acc * t->qm) >> 32) >> t->sh;
  } else {
    const mote_dsp_rq r = mote_dsp_rq_of(rq, c);
    a = mote_dsp_rq_scale(&r, acc);
  }
  a = (int32_t)((uint32_t)a + (uint32_t)out_off);
  return (int8_t)(a < lo ? lo : (a > hi ? hi : a));
}

/* Fill t[0..n) for channels 0..n-1 of rq with the output offset zo folded
 * into the fast case's rounding constant: floor((P + k) / 2^(32+sh)) + zo
 * = floor((P + k + zo * 2^(32+sh)) / 2^(32+sh)) exactly (an integer added
 * inside the floor), and the 64-bit sum cannot overflow while sh <= 22
 * (|P| < 2^62, k < 2^61, |zo * 2^54| <= 2^61). Channels beyond that, or
 * not in the fast case, get sh = -1 (general path, zo not folded).
 * Returns 1 when every channel is in the folded fast case. */
static inline int mote_dsp_rqw_fill_zo(mote_dsp_rqw *t,
                                       const mote_requant_ch *rq, int32_t n,
                                       int32_t zo) {
  int32_t c;
  int all = 1;
  for (c = 0; c < n; c++) {
    const mote_dsp_rq r = mote_dsp_rq_of(rq, c);
    int64_t k = 0;
    t[c].qm = r.qm;
    t[c].sh = r.fast && r.sh <= 22 ? r.sh : -1;
    if (t[c].sh >= 0)
      k = r.k + (int64_t)zo * ((int64_t)1 << (32 + t[c].sh));
    else
      all = 0;
    t[c].klo = (uint32_t)(uint64_t)k;
    t[c].khi = (int32_t)(k >> 32);
  }
  return all;
}

/* The folded fast case of t (sh >= 0): requantized acc plus the output
 * offset, before the clamp. (klo, khi) - 2^31 [acc < 0] + acc * qm in one
 * ADDS/ADC (the sign word shifted) and one SMLAL, high word >> sh. */
static inline int32_t mote_dsp_rqw_fast(const mote_dsp_rqw *t, int32_t acc) {
  int32_t l, h, sg;
  __asm__(
      "asr %[sg], %[a], #31\n\t"
      "adds %[l], %[klo], %[sg], lsl #31\n\t"
      "adc %[h], %[khi], %[sg]\n\t"
      "smlal %[l], %[h], %[a], %[qm]\n\t"
      : [l] "=&r"(l), [h] "=&r"(h), [sg] "=&r"(sg)
      : [a] "r"(acc), [klo] "r"(t->klo), [khi] "r"(t->khi), [qm] "r"(t->qm)
      : "cc");
  return h >> t->sh;
}

/* v saturated to int8 (SSAT). */
static inline int32_t mote_dsp_ssat8(int32_t v) {
  __asm__("ssat %0, #8, %1" : "=r"(v) : "r"(v));
  return v;
}

/* Per byte: a where x >= y (signed), else b. SSUB8 sets a GE flag per byte
 * where x >= y (exact signed difference), SEL picks by them (one asm: the
 * flags must survive between the two). */
static inline uint32_t mote_dsp_sel_ge(uint32_t x, uint32_t y, uint32_t a,
                                       uint32_t b) {
  uint32_t r;
  __asm__("ssub8 %0, %1, %2\n\tsel %0, %3, %4"
          : "=&r"(r)
          : "r"(x), "r"(y), "r"(a), "r"(b)
          : "cc");
  return r;
}

/* Bytewise signed max and min of x and y. */
static inline uint32_t mote_dsp_max4(uint32_t x, uint32_t y) {
  return mote_dsp_sel_ge(x, y, x, y);
}
static inline uint32_t mote_dsp_min4(uint32_t x, uint32_t y) {
  return mote_dsp_sel_ge(x, y, y, x);
}

/* Requantization, output offset and clamp of one accumulator (bias
 * already in it), as the reference kernels do it. */
static inline int8_t mote_dsp_requant(int32_t acc, const mote_requant_ch *rq,
                                      int32_t c, int32_t out_off, int32_t lo,
                                      int32_t hi) {
  const mote_dsp_rq r = mote_dsp_rq_of(rq, c);
  return mote_dsp_rq_apply(&r, acc, out_off, lo, hi);
}

#endif
