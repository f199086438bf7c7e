/* LOGISTIC int8 (output scale 1/256, zero point -128), gemmlowp path. */
#include "activation_ref.h"

#include "../mote_fixedpoint_math.h"

void mote_logistic_s8_ref(const mote_sigmoid_s8_params *p, size_t n,
                          const int8_t *in, int8_t *out) {
  size_t i;
  for (i = 0; i < n; ++i) {
    int32_t x = (int32_t)in[i] - p->input_zero_point;
    int32_t v;
    if (x <= -p->input_range_radius) {
      v = INT8_MIN;
    } else if (x >= p->input_range_radius) {
      v = INT8_MAX;
    } else {
      /* x in Q4.27, logistic in Q0.31, down to 8 fractional bits. */
      int32_t q4 = mote_mul_by_qm(x, p->input_multiplier, p->input_left_shift);
      v = mote_rdbpot(mote_fp_logistic(q4, 4), 31 - 8) + INT8_MIN;
      v = mote_clamp_i32(v, INT8_MIN, INT8_MAX);
    }
    out[i] = (int8_t)v;
  }
}
