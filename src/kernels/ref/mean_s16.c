/* MEAN, int16_t (see shape_ref.h): TFLM reference integer arithmetic. */
#include "shape_ref.h"
#include "../mote_requant.h"

void mote_mean_s16_ref(const mote_mean_params *p, const int16_t *in,
                       int32_t *acc, int16_t *out) {
  int32_t i;
  for (i = 0; i < p->num_out; ++i) acc[i] = 0;
  mote_mean_walk_(p, in, 1, acc);
  if (p->same_quant) {
    for (i = 0; i < p->num_out; ++i)
      out[i] = (int16_t)(acc[i] / p->num_reduced);
    return;
  }
  for (i = 0; i < p->num_out; ++i) {
    /* TFLite computes the shifted sum in 64 bits, then keeps 32. */
    int32_t shifted =
        (int32_t)(uint32_t)((uint64_t)(int64_t)acc[i] -
                            (uint64_t)((int64_t)p->in_zp * p->num_reduced));
    int32_t v =
        mote_mul_by_qm(shifted, p->multiplier, (int)p->shift) + p->out_zp;
    out[i] = (int16_t)mote_clamp_i32(v, INT16_MIN, INT16_MAX);
  }
}
