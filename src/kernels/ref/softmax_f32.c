/* SOFTMAX float32: exp((x - max) * beta) / sum, in float like TFLM. */
#include <float.h>
#include <math.h>

#include "activation_ref.h"

void mote_softmax_f32_ref(float beta, int32_t outer, int32_t depth,
                          const float *in, float *out) {
  int32_t r;
  for (r = 0; r < outer; ++r) {
    const float *x = in + (size_t)r * (size_t)depth;
    float *y = out + (size_t)r * (size_t)depth;
    float maxv = -FLT_MAX, sum = 0.0f;
    int32_t c;
    for (c = 0; c < depth; ++c) maxv = x[c] > maxv ? x[c] : maxv;
    for (c = 0; c < depth; ++c) {
      float e = expf((x[c] - maxv) * beta);
      y[c] = e;
      sum += e;
    }
    for (c = 0; c < depth; ++c) y[c] = y[c] / sum;
  }
}
