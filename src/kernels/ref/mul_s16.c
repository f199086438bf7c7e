/* MUL int16_t reference kernel (product of offset inputs, one rescale). */
#include "elementwise_ref.h"

void mote_mul_s16_ref(const mote_mul_q_params *p, const mote_bcast *bc,
                      const int16_t *in1, const int16_t *in2, int16_t *out) {
  mote_bcast_it it;
  int32_t n, s1, s2, rows, r, i;
  if (bc->count <= 0) return;
  n = mote_bcast_row_len(bc);
  s1 = bc->stride1[bc->ndim - 1];
  s2 = bc->stride2[bc->ndim - 1];
  rows = bc->count / n;
  mote_bcast_begin(&it);
  for (r = 0; r < rows; r++) {
    const int16_t *a = in1 + it.o1;
    const int16_t *b = in2 + it.o2;
    for (i = 0; i < n; i++) {
      int32_t v =
          mote_wrap_mul(a[i * s1] + p->in1_offset, b[i * s2] + p->in2_offset);
      int32_t o = mote_wrap_add(mote_mul_by_qm(v, p->out_mult, p->out_shift),
                                p->out_offset);
      out[i] = (int16_t)mote_clamp_i32(o, p->act_min, p->act_max);
    }
    out += n;
    mote_bcast_next_row(bc, &it);
  }
}
