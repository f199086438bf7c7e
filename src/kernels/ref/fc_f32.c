/* FULLY_CONNECTED float32 reference kernel. */
#include "fc_ref.h"

#include <stddef.h>

void mote_fc_f32_ref(const mote_fc_dims *n, const mote_fc_f32_params *p,
                     const float *input, const float *weights,
                     const float *bias, float *output) {
  const size_t depth = (size_t)n->depth;
  const size_t units = (size_t)n->units;
  for (size_t b = 0; b < (size_t)n->batches; b++) {
    const float *x = input + b * depth;
    float *y = output + b * units;
    for (size_t u = 0; u < units; u++) {
      const float *w = weights + u * depth;
      float total = 0.0f;
      for (size_t d = 0; d < depth; d++) total += x[d] * w[d];
      float v = total + (bias ? bias[u] : 0.0f);
      v = v < p->act_min ? p->act_min : v;
      v = v > p->act_max ? p->act_max : v;
      y[u] = v;
    }
  }
}
