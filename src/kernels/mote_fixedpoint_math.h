/*
** mote_fixedpoint_math.h: fixed-point transcendental helpers (exp, 1/(1+x),
** tanh, logistic) on Q-format int32 values, and the 513-entry int16 table
** lookup with linear interpolation.
**
** The arithmetic follows gemmlowp's fixed-point conventions bit for bit
** (a Qm value is an int32 with m integer bits and 31-m fractional bits),
** because the TFLite reference kernels are defined in those terms:
**   - products use the saturating rounding doubling high multiply
**     (mote_sat_rdhm), the Q formats of the operands add up;
**   - plain additions/subtractions wrap (done in uint32 here so that the
**     behaviour is defined in C);
**   - changing the Q format is a saturating left shift (fewer integer bits)
**     or a rounding right shift (more integer bits).
** Every function is static inline and pure.
*/
#ifndef MOTE_FIXEDPOINT_MATH_H
#define MOTE_FIXEDPOINT_MATH_H

#include <stdint.h>

#include "mote_requant.h"

/* Wrapping int32 add / subtract / negate. */
static inline int32_t mote_fp_add(int32_t a, int32_t b) {
  return (int32_t)((uint32_t)a + (uint32_t)b);
}
static inline int32_t mote_fp_sub(int32_t a, int32_t b) {
  return (int32_t)((uint32_t)a - (uint32_t)b);
}
static inline int32_t mote_fp_neg(int32_t a) {
  return (int32_t)(0u - (uint32_t)a);
}

/* (a + b) / 2 rounded half away from zero (VRHADD-like). */
static inline int32_t mote_fp_rounding_half_sum(int32_t a, int32_t b) {
  int64_t sum = (int64_t)a + (int64_t)b;
  int64_t sign = sum >= 0 ? 1 : -1;
  return (int32_t)((sum + sign) / 2);
}

/*
** x * 2^exponent: saturating for exponent > 0, rounding to nearest for
** exponent < 0. |exponent| <= 31.
*/
static inline int32_t mote_fp_mul_pot(int32_t x, int exponent) {
  if (exponent > 0) {
    int32_t threshold = (int32_t)((1u << (31 - exponent)) - 1u);
    if (x > threshold) return INT32_MAX;
    if (x < -threshold) return INT32_MIN;
    return (int32_t)((uint32_t)x << exponent);
  }
  if (exponent < 0) return mote_rdbpot(x, -exponent);
  return x;
}

/* Change a value from Q`src_bits` to Q`dst_bits` integer bits. */
static inline int32_t mote_fp_rescale(int32_t x, int src_bits, int dst_bits) {
  return mote_fp_mul_pot(x, src_bits - dst_bits);
}

/* Count of leading zero bits of a uint32 (32 for 0). */
static inline int mote_clz32(uint32_t x) {
  int n = 0;
  if (x == 0) return 32;
  while (!(x & 0x80000000u)) {
    x <<= 1;
    ++n;
  }
  return n;
}

/* exp(a) for a in [-1/4, 0), a and result in Q0. */
static inline int32_t mote_fp_exp_quarter(int32_t a) {
  const int32_t exp_minus_eighth = 1895147668; /* exp(-1/8) */
  const int32_t third = 715827883;             /* 1/3 */
  /* Taylor series around -1/8: x = a + 1/8. */
  int32_t x = mote_fp_add(a, (int32_t)1 << 28);
  int32_t x2 = mote_sat_rdhm(x, x);
  int32_t x3 = mote_sat_rdhm(x2, x);
  int32_t x4 = mote_sat_rdhm(x2, x2);
  int32_t x4_4 = mote_fp_mul_pot(x4, -2);
  int32_t poly = mote_fp_mul_pot(
      mote_fp_add(mote_sat_rdhm(mote_fp_add(x4_4, x3), third), x2), -1);
  return mote_fp_add(exp_minus_eighth,
                     mote_sat_rdhm(exp_minus_eighth, mote_fp_add(x, poly)));
}

/*
** exp(a) for a <= 0; a in Q`int_bits` (0 <= int_bits <= 30), result Q0
** (exp(0) gives the largest Q0 value).
*/
static inline int32_t mote_fp_exp_neg(int32_t a, int int_bits) {
  /* exp(-2^k) in Q0 for k = -2 .. 4 */
  static const int32_t k_exp_pot[7] = {
      1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242};
  const int frac_bits = 31 - int_bits;
  const int32_t quarter = (int32_t)1 << (frac_bits - 2);
  int32_t mod_quarter = mote_fp_sub(a & (quarter - 1), quarter);
  int32_t result =
      mote_fp_exp_quarter(mote_fp_rescale(mod_quarter, int_bits, 0));
  int32_t remainder = mote_fp_sub(mod_quarter, a);
  int k;
  for (k = -2; k <= 4; ++k) {
    if (int_bits > k) {
      int32_t bit = (int32_t)1 << (frac_bits + k);
      if (remainder & bit) result = mote_sat_rdhm(result, k_exp_pot[k + 2]);
    }
  }
  if (int_bits > 5) {
    int32_t clamp = -((int32_t)1 << (36 - int_bits)); /* -32.0 */
    if (a < clamp) result = 0;
  }
  if (a == 0) result = INT32_MAX;
  return result;
}

/* Newton-Raphson for 1/(1+a) style divisions; returns x in Q2. */
static inline int32_t mote_fp_nr_recip_q2(int32_t half_denominator) {
  const int32_t c48_17 = 1515870810;      /* 48/17 in Q2 */
  const int32_t c_neg32_17 = -1010580540; /* -32/17 in Q2 */
  const int32_t one_q2 = (int32_t)1 << 29;
  int32_t x = mote_fp_add(c48_17, mote_sat_rdhm(half_denominator, c_neg32_17));
  int i;
  for (i = 0; i < 3; ++i) {
    int32_t hd_x = mote_sat_rdhm(half_denominator, x);
    int32_t one_minus = mote_fp_sub(one_q2, hd_x);
    /* x * one_minus is Q4; back to Q2. */
    x = mote_fp_add(x, mote_fp_rescale(mote_sat_rdhm(x, one_minus), 4, 2));
  }
  return x;
}

/* 1 / (1 + a) for a in [0, 1), Q0 in and out. */
static inline int32_t mote_fp_one_over_one_plus_x(int32_t a) {
  int32_t half_den = mote_fp_rounding_half_sum(a, INT32_MAX);
  int32_t x = mote_fp_nr_recip_q2(half_den);
  /* x / 2 exactly (now Q1), then Q1 -> Q0. */
  return mote_fp_rescale(x, 1, 0);
}

/* (1 - a) / (1 + a) for a in [0, 1), Q0 in and out. */
static inline int32_t mote_fp_one_minus_x_over_one_plus_x(int32_t a) {
  int32_t half_den = mote_fp_rounding_half_sum(a, INT32_MAX);
  int32_t x = mote_fp_nr_recip_q2(half_den);
  return mote_fp_rescale(mote_fp_sub(x, (int32_t)1 << 29), 2, 0);
}

/* tanh(a), a in Q`int_bits` (<= 29), result Q0. */
static inline int32_t mote_fp_tanh(int32_t a, int int_bits) {
  int negative = a < 0;
  int32_t n = negative ? a : mote_fp_neg(a); /* n <= 0 */
  /* -tanh(n) = (1 - exp(2n)) / (1 + exp(2n)); 2n is n in Q(int_bits+1). */
  int32_t t =
      mote_fp_one_minus_x_over_one_plus_x(mote_fp_exp_neg(n, int_bits + 1));
  if (a == 0) return 0;
  return negative ? mote_fp_neg(t) : t;
}

/* logistic(a) = 1 / (1 + exp(-a)), a in Q`int_bits`, result Q0. */
static inline int32_t mote_fp_logistic(int32_t a, int int_bits) {
  int positive = a > 0;
  int32_t abs_a = positive ? a : mote_fp_neg(a);
  int32_t if_pos = mote_fp_one_over_one_plus_x(
      mote_fp_exp_neg(mote_fp_neg(abs_a), int_bits));
  if (a == 0) return (int32_t)1 << 30;
  return positive ? if_pos : mote_fp_sub(INT32_MAX, if_pos);
}

/*
** Reciprocal of a positive Q`int_digits` value x (the softmax sum): with
** x = (1 + f) * 2^bits_over_unit, f in [0, 1), returns 1/(1 + f) in Q0 and
** sets *bits_over_unit, so 1/x = result * 2^-bits_over_unit.
*/
static inline int32_t mote_fp_reciprocal(int32_t x, int int_digits,
                                         int *bits_over_unit) {
  int headroom_plus_one = mote_clz32((uint32_t)x);
  int32_t shifted_minus_one;
  *bits_over_unit = int_digits - headroom_plus_one;
  shifted_minus_one =
      (int32_t)(((uint32_t)x << headroom_plus_one) - ((uint32_t)1 << 31));
  return mote_fp_one_over_one_plus_x(shifted_minus_one);
}

/*
** Look up an int16 function table of 513 entries (512 segments over the
** int16 input range plus one end point) with linear interpolation on the
** low 7 bits of the input.
*/
static inline int16_t mote_lut16_lookup(int16_t value, const int16_t *lut) {
  int index = 256 + (value >> 7);
  int32_t offset = value & 0x7f;
  int16_t base = lut[index];
  int16_t slope = (int16_t)(lut[index + 1] - lut[index]);
  int32_t delta = ((int32_t)slope * offset + 64) >> 7;
  return (int16_t)(base + delta);
}

#endif
