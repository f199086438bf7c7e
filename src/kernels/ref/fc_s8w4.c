/* FULLY_CONNECTED int8 activations x packed int4 weights -> int8. */
#include "fc_ref.h"

#include <stddef.h>

#include "../mote_requant.h"

/* Element i of a dense int4 array: low nibble first, sign-extended. */
static int32_t int4_at(const uint8_t *packed, size_t i) {
  uint32_t byte = packed[i >> 1];
  uint32_t nib = (i & 1u) ? (byte >> 4) : (byte & 0x0Fu);
  return (int32_t)nib - (nib >= 8u ? 16 : 0);
}

void mote_fc_s8w4_ref(const mote_fc_dims *n, const mote_fc_q_params *p,
                      const int8_t *input, const uint8_t *weights_packed,
                      const int32_t *bias, int8_t *output) {
  const size_t depth = (size_t)n->depth;
  const size_t units = (size_t)n->units;
  for (size_t b = 0; b < (size_t)n->batches; b++) {
    const int8_t *x = input + b * depth;
    int8_t *y = output + b * units;
    for (size_t u = 0; u < units; u++) {
      const size_t row = u * depth;
      uint32_t acc = 0;
      for (size_t d = 0; d < depth; d++) {
        int32_t xv = (int32_t)x[d] + p->input_offset;
        int32_t wv = int4_at(weights_packed, row + d) + p->filter_offset;
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
