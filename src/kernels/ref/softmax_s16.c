/* SOFTMAX int16 -> int16 (TFLM's table-based kernel, output 1/32768). */
#include "activation_ref.h"

#include "../mote_fixedpoint_math.h"

void mote_softmax_s16_ref(const mote_softmax_s16_params *p, int32_t outer,
                          int32_t depth, const int16_t *in, int16_t *out) {
  int32_t r;
  for (r = 0; r < outer; ++r) {
    const int16_t *x = in + (size_t)r * (size_t)depth;
    int16_t *y = out + (size_t)r * (size_t)depth;
    int32_t maxv = INT16_MIN, sum = 0, c, shifted, right_shift;
    int16_t recip;
    int64_t round_add;
    int headroom_plus_one;
    for (c = 0; c < depth; ++c) maxv = x[c] > maxv ? x[c] : maxv;
    /* exp(x - max) from the table; [-10, 0] spans the int16 range. The
     * values are parked in the output row until the sum is known. */
    for (c = 0; c < depth; ++c) {
      int32_t scaled = mote_mul_by_qm((int32_t)x[c] - maxv, p->input_multiplier,
                                      p->input_left_shift);
      int32_t sym = mote_clamp_i32(scaled + 32767, INT16_MIN, INT16_MAX);
      int16_t e = mote_lut16_lookup((int16_t)sym, p->exp_lut);
      y[c] = e;
      sum = mote_fp_add(sum, e);
    }
    /* 1 / sum: normalise the sum to [1, 2), look up 1/(1+x) on x = sum-1
     * re-centred to the int16 range. */
    headroom_plus_one = mote_clz32((uint32_t)sum);
    if (headroom_plus_one < 1 || headroom_plus_one > 31) {
      /* sum == 0 or wrapped: cannot happen for real data (the row maximum
       * contributes ~1.0); keep the arithmetic defined. */
      headroom_plus_one = headroom_plus_one < 1 ? 1 : 31;
    }
    shifted =
        (int32_t)((((int64_t)sum << (headroom_plus_one - 1)) + (1 << 13)) >>
                  14);
    shifted =
        mote_clamp_i32(shifted - ((1 << 15) + (1 << 16)), INT16_MIN, INT16_MAX);
    recip = mote_lut16_lookup((int16_t)shifted, p->one_over_lut);
    right_shift = 31 - headroom_plus_one;
    round_add = right_shift > 0 ? ((int64_t)1 << (right_shift - 1)) : 0;
    for (c = 0; c < depth; ++c) {
      int32_t v = (int32_t)(((int64_t)y[c] * (int64_t)recip + round_add) >>
                            right_shift);
      y[c] = (int16_t)mote_clamp_i32(v, 0, INT16_MAX);
    }
  }
}
