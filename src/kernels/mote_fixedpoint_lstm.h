/*
** mote_fixedpoint_lstm.h: int16 fixed-point helpers of the integer LSTM
** (TFLM lstm_eval): the LUT-based sigmoid / tanh of TFLite's int16
** LOGISTIC / TANH reference kernels (which use them too), element-wise int16 x
*int16
** requantized product, saturating int16 add.
**
** The LUT holds sigmoid(i / 24) in unsigned Q0.16 for i in [0, 255]; the
** int16 kernels interpolate linearly between entries and use
** tanh(x) = 2 * sigmoid(2x) - 1 for tanh.
*/
#ifndef MOTE_FIXEDPOINT_LSTM_H
#define MOTE_FIXEDPOINT_LSTM_H

#include <stdint.h>

#include "mote_requant.h"

/*
** sigmoid(i / 24) in unsigned Q0.16, i = 0..255: the TFLite reference table
** (defined once, in ref/logistic_s16.c).
*/
extern const uint16_t mote_sigmoid_table_u16[256];

/*
** Rescale an int16 activation input the way TFLite's int16 LOGISTIC/TANH
** kernels do: multiplier == 0 means "power-of-two input scale": the value is
** multiplied by 3 << left_shift; otherwise multiplied by `multiplier` and
** rounded right by `left_shift` (which is then a right shift, despite the
** name, exactly as in TFLite).
*/
static inline int32_t mote_lut_rescale_s16(int16_t x, int32_t multiplier,
                                           int32_t shift) {
  if (multiplier == 0) {
    multiplier = (int32_t)(3u << (uint32_t)shift);
    shift = 0;
  }
  int64_t round = shift > 0 ? ((int64_t)1 << (shift - 1)) : 0;
  /* TFLite computes this in int32; wrap like it would instead of UB. */
  int32_t prod = (int32_t)(uint32_t)((int64_t)x * multiplier + round);
  return prod >> shift;
}

/* Q?.? (after rescale, Q3.12 * 3 / 4 scaled) -> sigmoid in Q0.15. */
static inline int16_t mote_sigmoid_s16_lut(int32_t v) {
  uint32_t a = v < 0 ? (uint32_t)0 - (uint32_t)v : (uint32_t)v;
  uint32_t hi = a >> 9;
  uint32_t r;
  if (hi >= 255u) {
    r = 0x7FFFu << 10;
  } else {
    uint32_t lo_v = mote_sigmoid_table_u16[hi];
    uint32_t hi_v = mote_sigmoid_table_u16[hi + 1u];
    r = (lo_v << 9) + (a & 0x1FFu) * (hi_v - lo_v);
  }
  if (v >= 0)
    r = r + (1u << 9);
  else
    r = (1u << 25) - r + (1u << 9) - 1u;
  return (int16_t)(r >> 10);
}

/* As TFLite reference_integer_ops::Logistic for int16. */
static inline int16_t mote_logistic_s16(int16_t x, int32_t multiplier,
                                        int32_t shift) {
  return mote_sigmoid_s16_lut(mote_lut_rescale_s16(x, multiplier, shift));
}

static inline int16_t mote_tanh_s16_lut(int32_t v) {
  uint32_t a = v < 0 ? (uint32_t)0 - (uint32_t)v : (uint32_t)v;
  uint32_t hi = a >> 8;
  int32_t r;
  if (hi >= 255u) {
    r = (int32_t)(0xFFFFu << 8);
  } else {
    uint32_t lo_v = mote_sigmoid_table_u16[hi];
    uint32_t hi_v = mote_sigmoid_table_u16[hi + 1u];
    r = (int32_t)((lo_v << 8) + (a & 0xFFu) * (hi_v - lo_v));
  }
  if (v >= 0)
    r = r - (1 << 23) + (1 << 7);
  else
    r = -r + (1 << 23) + (1 << 7) - 1;
  return (int16_t)(r >> 8);
}

/* As TFLite reference_integer_ops::Tanh for int16. */
static inline int16_t mote_tanh_s16(int16_t x, int32_t multiplier,
                                    int32_t shift) {
  return mote_tanh_s16_lut(mote_lut_rescale_s16(x, multiplier, shift));
}

/* Saturating int16 addition. */
static inline int16_t mote_add_sat_s16(int16_t a, int16_t b) {
  int32_t s = (int32_t)a + (int32_t)b;
  return (int16_t)mote_clamp_i32(s, INT16_MIN, INT16_MAX);
}

/*
** Element-wise product of two symmetric int16 values requantized to an
** output with zero point `zp` and clamp [lo, hi] (TFLite MulElementwise).
*/
static inline int32_t mote_mul_requant_s16(int16_t a, int16_t b, int32_t qm,
                                           int shift, int32_t zp, int32_t lo,
                                           int32_t hi) {
  int32_t p = (int32_t)a * (int32_t)b;
  return mote_clamp_i32(zp + mote_mul_by_qm(p, qm, shift), lo, hi);
}

#endif
