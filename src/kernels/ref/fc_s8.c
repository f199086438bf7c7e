/* FULLY_CONNECTED int8 x int8 -> int8 reference kernel. */
#include "fc_ref.h"

#include <stddef.h>

#include "../mote_requant.h"

void mote_fc_s8_ref(const mote_fc_dims *n, const mote_fc_q_params *p,
                    const int8_t *input, const int8_t *weights,
                    const int32_t *bias, int8_t *output) {
  const size_t depth = (size_t)n->depth;
  const size_t units = (size_t)n->units;
  for (size_t b = 0; b < (size_t)n->batches; b++) {
    const int8_t *x = input + b * depth;
    int8_t *y = output + b * units;
    for (size_t u = 0; u < units; u++) {
      const int8_t *w = weights + u * depth;
      /* int32 accumulation with wrap-around, as TFLite (no UB here). */
      uint32_t acc = 0;
      for (size_t d = 0; d < depth; d++) {
        int32_t xv = (int32_t)x[d] + p->input_offset;
        int32_t wv = (int32_t)w[d] + p->filter_offset;
        acc += (uint32_t)(xv * wv);
      }
      if (bias) acc += (uint32_t)bias[u];
      int32_t v =
          mote_mul_by_qm((int32_t)acc, mote_requant_mult(&p->rq, (int32_t)u),
                         mote_requant_shift(&p->rq, (int32_t)u));
      v = (int32_t)((uint32_t)v + (uint32_t)p->output_offset);
      y[u] = (int8_t)mote_clamp_i32(v, p->act_min, p->act_max);
    }
  }
}
