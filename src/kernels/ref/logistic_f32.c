/* LOGISTIC float32, with TFLM's cut-offs. */
#include <math.h>

#include "activation_ref.h"

void mote_logistic_f32_ref(size_t n, const float *in, float *out) {
  const float upper = 16.619047164916992188f;
  const float lower = -9.0f;
  size_t i;
  for (i = 0; i < n; ++i) {
    float x = in[i];
    float r;
    if (x > upper) {
      r = 1.0f;
    } else if (x < lower) {
      r = expf(x);
    } else {
      r = 1.0f / (1.0f + expf(-x));
    }
    out[i] = r;
  }
}
