/*
** mote_requant.h: the one home of fixed-point requantization arithmetic.
**
** Every kernel of every ISA rescales through these helpers, so that
** bit-exactness with the TFLite reference kernels (double rounding:
** saturating rounding doubling high multiply, then rounding divide by a
** power of two) is decided in one place.
*/
#ifndef MOTE_REQUANT_H
#define MOTE_REQUANT_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

static inline int32_t mote_sat_rdhm(int32_t a, int32_t b) {
  if (a == b && a == INT32_MIN) return INT32_MAX;
  int64_t ab = (int64_t)a * (int64_t)b;
  int64_t nudge = ab >= 0 ? (1LL << 30) : (1 - (1LL << 30));
  return (int32_t)((ab + nudge) / (1LL << 31));
}

/* Round-half-away-from-zero division by 2^exponent, exponent in [0, 31]. */
static inline int32_t mote_rdbpot(int32_t x, int exponent) {
  int32_t mask = (int32_t)((1LL << exponent) - 1);
  int32_t remainder = x & mask;
  int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/* x * multiplier * 2^shift (shift > 0: left), TFLite double rounding. */
static inline int32_t mote_mul_by_qm(int32_t x, int32_t qm, int shift) {
  /* TFLite's shifts lie in [-31, 30]; clamp so that a corrupt model can
   * never shift by 32 or more (undefined behaviour). */
  int left = shift > 0 ? (shift > 31 ? 31 : shift) : 0;
  int right = shift > 0 ? 0 : (shift < -31 ? 31 : -shift);
  /* TFLite multiplies in int32 and relies on wrap-around; do it unsigned. */
  int32_t xs = (int32_t)((uint32_t)x << left);
  return mote_rdbpot(mote_sat_rdhm(xs, qm), right);
}

/* 64-bit accumulator variant (16x8 kernels): 16-bit reduced multiplier. */
static inline int32_t mote_mul_by_qm64(int64_t x, int32_t qm, int shift) {
  int32_t reduced = qm < 0x7FFF0000 ? ((qm + (1 << 15)) >> 16) : 0x7FFF;
  if (shift > 14) shift = 14; /* TFLite: shift in [-31, 7]; stay defined */
  if (shift < -31) shift = -31;
  int total_shift = 15 - shift;
  /* TFLite assumes |x| < 2^47 (true for every real model); corrupt biases
   * may not respect it, so clamp rather than overflow. */
  const int64_t lim = (int64_t)1 << 47;
  if (x >= lim) x = lim - 1;
  if (x < -lim) x = -lim;
  int64_t r = x * (int64_t)reduced + ((int64_t)1 << (total_shift - 1));
  return (int32_t)(r >> total_shift);
}

/* TFLite MultiplyByQuantizedMultiplierSmallerThanOneExp. */
static inline int32_t mote_mul_by_qm_lt1(int32_t x, int32_t qm, int shift) {
  int right = shift >= 0 ? 0 : (shift < -31 ? 31 : -shift);
  return mote_rdbpot(mote_sat_rdhm(x, qm), right);
}

/* TFLite MultiplyByQuantizedMultiplierGreaterThanOne. */
static inline int32_t mote_mul_by_qm_gt1(int32_t x, int32_t qm, int shift) {
  int left = shift < 0 ? 0 : (shift > 31 ? 31 : shift);
  return mote_sat_rdhm((int32_t)((uint32_t)x << left), qm);
}

/*
** Split a real multiplier into a Q0.31 fixed-point value and a power-of-two
** exponent exactly as TFLite's QuantizeMultiplier (frexp, round half away
** from zero, renormalise 2^31, flush exponents below -31 to zero).
*/
static inline void mote_quantize_multiplier(double real, int32_t *qm,
                                            int *shift) {
  if (real == 0.0) {
    *qm = 0;
    *shift = 0;
    return;
  }
  int e = 0;
  double q = frexp(real, &e);
  int64_t q_fixed = (int64_t)round(q * (double)(1LL << 31));
  if (q_fixed == (1LL << 31)) {
    q_fixed /= 2;
    ++e;
  }
  if (e < -31) {
    e = 0;
    q_fixed = 0;
  }
  *qm = (int32_t)q_fixed;
  *shift = e;
}

/*
** Per-channel requantization parameters, compact: per-channel layers keep
** one int32 multiplier and one int8 shift per channel (TFLite shifts lie
** in [-31, 30]); layers whose channels all share one multiplier and shift
** (per-tensor weights) keep no arrays at all, just mult0/shift0.
*/
typedef struct mote_requant_ch {
  const int32_t *mult; /* [channels], or NULL: every channel uses mult0 */
  const int8_t *shift; /* [channels], or NULL: every channel uses shift0 */
  int32_t mult0;
  int32_t shift0;
} mote_requant_ch;

/* Multiplier and shift of channel c. */
static inline int32_t mote_requant_mult(const mote_requant_ch *r, int32_t c) {
  return r->mult ? r->mult[c] : r->mult0;
}
static inline int mote_requant_shift(const mote_requant_ch *r, int32_t c) {
  return r->shift ? (int)r->shift[c] : (int)r->shift0;
}

/* Bytes of the arrays for `channels` channels (mult then shift). */
static inline size_t mote_requant_ch_bytes(uint32_t channels) {
  return (size_t)channels * (sizeof(int32_t) + sizeof(int8_t));
}

/*
** round(r) (half away from zero) clamped to [lo, hi], for float inputs that
** may be out of range, infinite or NaN (NaN gives 0 clamped): the plain
** (int32_t)roundf(r) of TFLite is undefined behaviour there.
*/
static inline int32_t mote_round_sat_f32(float r, int32_t lo, int32_t hi) {
  int32_t z = 0 < lo ? lo : (0 > hi ? hi : 0);
  if (r != r) return z;
  float v = roundf(r);
  if (v <= (float)lo) return lo;
  if (v >= (float)hi) return hi;
  return (int32_t)v;
}

static inline int32_t mote_clamp_i32(int32_t v, int32_t lo, int32_t hi) {
  return v < lo ? lo : (v > hi ? hi : v);
}

#endif
