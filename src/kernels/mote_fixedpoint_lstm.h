/*
** mote_fixedpoint_lstm.h: int16 fixed-point helpers of the integer LSTM
** (TFLM lstm_eval): the LUT-based sigmoid / tanh of TFLite's int16
** LOGISTIC / TANH reference kernels, element-wise int16 x int16
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

static const uint16_t mote_sigmoid_lut_q16[256] = {
    32768, 33451, 34133, 34813, 35493, 36169, 36843, 37513, 38180, 38841, 39498,
    40149, 40794, 41432, 42064, 42688, 43304, 43912, 44511, 45102, 45683, 46255,
    46817, 47369, 47911, 48443, 48964, 49475, 49975, 50464, 50942, 51409, 51865,
    52311, 52745, 53169, 53581, 53983, 54374, 54755, 55125, 55485, 55834, 56174,
    56503, 56823, 57133, 57433, 57724, 58007, 58280, 58544, 58800, 59048, 59288,
    59519, 59743, 59959, 60168, 60370, 60565, 60753, 60935, 61110, 61279, 61441,
    61599, 61750, 61896, 62036, 62172, 62302, 62428, 62549, 62666, 62778, 62886,
    62990, 63090, 63186, 63279, 63368, 63454, 63536, 63615, 63691, 63765, 63835,
    63903, 63968, 64030, 64090, 64148, 64204, 64257, 64308, 64357, 64405, 64450,
    64494, 64536, 64576, 64614, 64652, 64687, 64721, 64754, 64786, 64816, 64845,
    64873, 64900, 64926, 64950, 64974, 64997, 65019, 65039, 65060, 65079, 65097,
    65115, 65132, 65149, 65164, 65179, 65194, 65208, 65221, 65234, 65246, 65258,
    65269, 65280, 65291, 65301, 65310, 65319, 65328, 65337, 65345, 65352, 65360,
    65367, 65374, 65381, 65387, 65393, 65399, 65404, 65410, 65415, 65420, 65425,
    65429, 65433, 65438, 65442, 65445, 65449, 65453, 65456, 65459, 65462, 65465,
    65468, 65471, 65474, 65476, 65479, 65481, 65483, 65485, 65488, 65489, 65491,
    65493, 65495, 65497, 65498, 65500, 65501, 65503, 65504, 65505, 65507, 65508,
    65509, 65510, 65511, 65512, 65513, 65514, 65515, 65516, 65517, 65517, 65518,
    65519, 65520, 65520, 65521, 65522, 65522, 65523, 65523, 65524, 65524, 65525,
    65525, 65526, 65526, 65526, 65527, 65527, 65528, 65528, 65528, 65529, 65529,
    65529, 65529, 65530, 65530, 65530, 65530, 65531, 65531, 65531, 65531, 65531,
    65532, 65532, 65532, 65532, 65532, 65532, 65533, 65533, 65533, 65533, 65533,
    65533, 65533, 65533, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534,
    65534, 65534, 65535};

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
    uint32_t lo_v = mote_sigmoid_lut_q16[hi];
    uint32_t hi_v = mote_sigmoid_lut_q16[hi + 1u];
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
    uint32_t lo_v = mote_sigmoid_lut_q16[hi];
    uint32_t hi_v = mote_sigmoid_lut_q16[hi + 1u];
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
