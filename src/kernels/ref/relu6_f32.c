/* RELU6 float32. */
#include "activation_ref.h"

void mote_relu6_f32_ref(size_t n, const float *in, float *out) {
  size_t i;
  for (i = 0; i < n; ++i) {
    float v = in[i];
    out[i] = v > 6.0f ? 6.0f : (v < 0.0f ? 0.0f : v);
  }
}
