/*
** FULLY_CONNECTED int8 with AVX2: each batch row becomes an int16 vector
** x + input_offset (on the stack), then eight units at a time are dot
** products against it (avx2_common.h). A per-tensor weight zero point is
** folded in exactly: sum (x+io)(w+fo) = sum (x+io) w + fo * sum (x+io),
** all modulo 2^32 like the reference's wrapping int32 accumulator.
*/
#include "fc_avx2.h"

#include "avx2_common.h"

int mote_fc_s8_avx2_supported(const mote_fc_dims *n) {
  return n->depth > 0 && n->depth <= MOTE_AVX2_MAX_K;
}

void mote_fc_s8_avx2(const mote_fc_dims *dims, const mote_fc_q_params *params,
                     const int8_t *input, const int8_t *weights,
                     const int32_t *bias, int8_t *output) {
  /* Local copies: int8 stores may alias anything reached by a pointer. */
  const mote_fc_dims n_ = *dims;
  const mote_fc_q_params p_ = *params;
  const mote_fc_dims *n = &n_;
  const mote_fc_q_params *p = &p_;
  int16_t x[MOTE_AVX2_MAX_K + 16] __attribute__((aligned(32)));
  const int32_t depth = n->depth, units = n->units;
  const int32_t kp = (depth + 15) & ~15;
  mote_avx2_zero16(x + depth, kp - depth);
  for (int32_t b = 0; b < n->batches; b++) {
    uint32_t sum = mote_avx2_widen(x, input + (ptrdiff_t)b * depth, depth,
                                   p->input_offset);
    uint32_t extra = (uint32_t)p->filter_offset * sum;
    mote_avx2_rows_s8(x, depth, weights, units, bias, extra, &p->rq,
                      p->output_offset, p->act_min, p->act_max,
                      output + (ptrdiff_t)b * units);
  }
}
