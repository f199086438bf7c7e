/* FULLY_CONNECTED int16 x int8 -> int16, int64 accumulator. */
#include "fc_ref.h"

#include <stddef.h>

#include "../mote_requant.h"

void mote_fc_s16_ref(const mote_fc_dims *n, const mote_fc_q_params *p,
                     const int16_t *input, const int8_t *weights,
                     const int64_t *bias, int16_t *output) {
  const size_t depth = (size_t)n->depth;
  const size_t units = (size_t)n->units;
  for (size_t b = 0; b < (size_t)n->batches; b++) {
    const int16_t *x = input + b * depth;
    int16_t *y = output + b * units;
    for (size_t u = 0; u < units; u++) {
      const int8_t *w = weights + u * depth;
      int64_t acc = 0;
      for (size_t d = 0; d < depth; d++) {
        int32_t wv = (int32_t)w[d] + p->filter_offset;
        acc += (int64_t)x[d] * wv;
      }
      if (bias) acc += bias[u];
      int32_t v = mote_mul_by_qm64(acc, mote_requant_mult(&p->rq, (int32_t)u),
                                   mote_requant_shift(&p->rq, (int32_t)u));
      y[u] = (int16_t)mote_clamp_i32(v, p->act_min, p->act_max);
    }
  }
}
