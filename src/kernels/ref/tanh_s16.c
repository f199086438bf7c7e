/* TANH int16 (output 1/32768): tanh(x) = 2 * sigmoid(2x) - 1 on the
 * interpolated sigmoid table. */
#include "activation_ref.h"

void mote_tanh_s16_ref(const mote_sigmoid_s16_params *p, size_t n,
                       const int16_t *in, int16_t *out) {
  int32_t mult = p->input_multiplier;
  int32_t shift = p->input_left_shift;
  int32_t round_add;
  size_t i;
  if (mult == 0) { /* power-of-two input scale (shift 0 or 1) */
    mult = (int32_t)3 << shift;
    shift = 0;
  }
  round_add = shift > 0 ? (int32_t)1 << (shift - 1) : 0;
  for (i = 0; i < n; ++i) {
    int32_t x = (int32_t)(uint32_t)((int64_t)in[i] * mult + round_add);
    uint32_t ax, uh;
    int32_t r;
    x >>= shift;
    ax = x < 0 ? (uint32_t)0 - (uint32_t)x : (uint32_t)x;
    uh = ax >> 8;
    if (uh >= 255) {
      r = (int32_t)0xFFFF << 8;
    } else {
      uint32_t a = mote_sigmoid_table_u16[uh];
      uint32_t b = mote_sigmoid_table_u16[uh + 1];
      r = (int32_t)((a << 8) + (ax & 0xffu) * (b - a));
    }
    r = x >= 0 ? r - (1 << 23) + (1 << 7) : -r + (1 << 23) + (1 << 7) - 1;
    out[i] = (int16_t)(r >> 8);
  }
}
