/* RELU float32. */
#include "activation_ref.h"

void mote_relu_f32_ref(size_t n, const float *in, float *out) {
  size_t i;
  for (i = 0; i < n; ++i) out[i] = in[i] < 0.0f ? 0.0f : in[i];
}
