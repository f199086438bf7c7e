/* RELU int8: requantize to the output scale, clamp at the output zero point. */
#include "activation_ref.h"

#include "../mote_requant.h"

void mote_relu_s8_ref(const mote_relu_q_params *p, size_t n, const int8_t *in,
                      int8_t *out) {
  size_t i;
  for (i = 0; i < n; ++i) {
    int32_t v =
        p->output_offset + mote_mul_by_qm((int32_t)in[i] - p->input_offset,
                                          p->multiplier, p->shift);
    out[i] = (int8_t)mote_clamp_i32(v, p->act_min, p->act_max);
  }
}
