/* HARD_SWISH float32: x * min(6, max(0, x + 3)) / 6. */
#include "activation_ref.h"

void mote_hard_swish_f32_ref(size_t n, const float *in, float *out) {
  size_t i;
  for (i = 0; i < n; ++i) {
    float x = in[i];
    float r = x + 3.0f;
    r = r > 0.0f ? r : 0.0f;
    r = r < 6.0f ? r : 6.0f;
    out[i] = x * r / 6.0f;
  }
}
