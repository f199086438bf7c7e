/* LEAKY_RELU float32 (alpha may be > 1 or < 0). */
#include "activation_ref.h"

void mote_leaky_relu_f32_ref(float alpha, size_t n, const float *in,
                             float *out) {
  size_t i;
  for (i = 0; i < n; ++i) out[i] = in[i] > 0.0f ? in[i] : in[i] * alpha;
}
