/* LEAKY_RELU int8: identity and alpha multipliers on either side of zero. */
#include "activation_ref.h"

#include "../mote_requant.h"

void mote_leaky_relu_s8_ref(const mote_leaky_relu_q_params *p, size_t n,
                            const int8_t *in, int8_t *out) {
  const int32_t lo = INT8_MIN, hi = INT8_MAX;
  size_t i;
  for (i = 0; i < n; ++i) {
    int32_t x = (int32_t)in[i] - p->input_offset;
    int32_t v = p->output_offset;
    if (x >= 0) {
      v += mote_mul_by_qm(x, p->identity_multiplier, p->identity_shift);
    } else {
      int32_t a = mote_mul_by_qm(x, p->alpha_multiplier, p->alpha_shift);
      v += p->alpha_negative ? -a : a;
    }
    out[i] = (int8_t)mote_clamp_i32(v, lo, hi);
  }
}
