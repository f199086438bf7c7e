/*
** FULLY_CONNECTED float32 with AVX2 + FMA: four units at a time are dot
** products with each batch row (avx2_f32.h, which says why the sums differ
** from the reference in the last bits).
*/
#include "avx2_f32.h"
#include "fc_avx2.h"

void mote_fc_f32_avx2(const mote_fc_dims *n, const mote_fc_f32_params *p,
                      const float *input, const float *weights,
                      const float *bias, float *output) {
  const int32_t depth = n->depth, units = n->units;
  for (int32_t b = 0; b < n->batches; b++)
    mote_avx2_rows_f32(input + (ptrdiff_t)b * depth, depth, weights, units,
                       bias, p->act_min, p->act_max,
                       output + (ptrdiff_t)b * units);
}
