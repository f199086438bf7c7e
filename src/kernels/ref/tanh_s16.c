/* TANH int16 (output 1/32768): tanh(x) = 2 * sigmoid(2x) - 1 on the
 * interpolated sigmoid table. */
#include "../mote_fixedpoint_lstm.h"
#include "activation_ref.h"

void mote_tanh_s16_ref(const mote_sigmoid_s16_params *p, size_t n,
                       const int16_t *in, int16_t *out) {
  /* multiplier 0: power-of-two input scale (shift 0 or 1) */
  for (size_t i = 0; i < n; ++i)
    out[i] = mote_tanh_s16(in[i], p->input_multiplier, p->input_left_shift);
}
