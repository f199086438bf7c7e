/* MEAN, int8_t (see shape_ref.h): TFLM reference integer arithmetic. */
#include "shape_ref.h"
#include "../mote_requant.h"

void mote_mean_s8_ref(const mote_mean_params *p, const int8_t *in, int32_t *acc,
                      int8_t *out) {
  int32_t i;
  for (i = 0; i < p->num_out; ++i) acc[i] = 0;
  mote_mean_walk_(p, in, 0, acc);
  if (p->same_quant) {
    for (i = 0; i < p->num_out; ++i) out[i] = (int8_t)(acc[i] / p->num_reduced);
    return;
  }
  for (i = 0; i < p->num_out; ++i) {
    /* TFLite computes the shifted sum in 64 bits, then keeps 32. */
    int32_t shifted =
        (int32_t)(uint32_t)((uint64_t)(int64_t)acc[i] -
                            (uint64_t)((int64_t)p->in_zp * p->num_reduced));
    int32_t v =
        mote_mul_by_qm(shifted, p->multiplier, (int)p->shift) + p->out_zp;
    out[i] = (int8_t)mote_clamp_i32(v, INT8_MIN, INT8_MAX);
  }
}
