/* SOFTMAX int8 -> int8 (output scale 1/256, zero point -128). */
#include "activation_ref.h"

#include "../mote_fixedpoint_math.h"

void mote_softmax_s8_ref(const mote_softmax_q_params *p, int32_t outer,
                         int32_t depth, const int8_t *in, int8_t *out) {
  /* Differences are Q5.26 going into exp(); the sum of exps is Q12.19. */
  int32_t r;
  for (r = 0; r < outer; ++r) {
    const int8_t *x = in + (size_t)r * (size_t)depth;
    int8_t *y = out + (size_t)r * (size_t)depth;
    int32_t maxv = INT8_MIN, sum = 0, scale, c;
    int bits_over_unit, exponent;
    for (c = 0; c < depth; ++c) maxv = x[c] > maxv ? x[c] : maxv;
    for (c = 0; c < depth; ++c) {
      int32_t diff = (int32_t)x[c] - maxv;
      if (diff >= p->diff_min) {
        int32_t scaled =
            mote_mul_by_qm_gt1(diff, p->input_multiplier, p->input_left_shift);
        sum = mote_fp_add(sum,
                          mote_fp_rescale(mote_fp_exp_neg(scaled, 5), 0, 12));
      }
    }
    scale = mote_fp_reciprocal(sum, 12, &bits_over_unit);
    exponent = bits_over_unit + 31 - 8;
    /* Only a wrapped (overflowed) sum gets here; TFLM aborts then. */
    if (exponent > 31) exponent = 31;
    for (c = 0; c < depth; ++c) {
      int32_t diff = (int32_t)x[c] - maxv;
      int32_t v = INT8_MIN;
      if (diff >= p->diff_min) {
        int32_t scaled =
            mote_mul_by_qm_gt1(diff, p->input_multiplier, p->input_left_shift);
        int32_t e = mote_fp_exp_neg(scaled, 5);
        v = mote_rdbpot(mote_sat_rdhm(scale, e), exponent) + INT8_MIN;
        v = mote_clamp_i32(v, INT8_MIN, INT8_MAX);
      }
      y[c] = (int8_t)v;
    }
  }
}
