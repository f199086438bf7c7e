/* TANH float32. */
#include <math.h>

#include "activation_ref.h"

void mote_tanh_f32_ref(size_t n, const float *in, float *out) {
  size_t i;
  for (i = 0; i < n; ++i) out[i] = tanhf(in[i]);
}
