/* SUB float32 reference kernel. */
#include "elementwise_ref.h"

void mote_sub_f32_ref(const mote_arith_f32_params *p, const mote_bcast *bc,
                      const float *in1, const float *in2, float *out) {
  mote_bcast_it it;
  int32_t n, s1, s2, rows, r, i;
  if (bc->count <= 0) return;
  n = mote_bcast_row_len(bc);
  s1 = bc->stride1[bc->ndim - 1];
  s2 = bc->stride2[bc->ndim - 1];
  rows = bc->count / n;
  mote_bcast_begin(&it);
  for (r = 0; r < rows; r++) {
    const float *a = in1 + it.o1;
    const float *b = in2 + it.o2;
    for (i = 0; i < n; i++) {
      out[i] = mote_act_f32(a[i * s1] - b[i * s2], p->act_min, p->act_max);
    }
    out += n;
    mote_bcast_next_row(bc, &it);
  }
}
