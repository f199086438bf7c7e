/* SUB int16_t reference kernel (TFLite general rescaling scheme). */
#include "elementwise_ref.h"

void mote_sub_s16_ref(const mote_addsub_q_params *p, const mote_bcast *bc,
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
      int32_t x1 = mote_addsub_scale_in(a[i * s1], p->in1_offset, p->left_shift,
                                        p->in1_mult, p->in1_shift);
      int32_t x2 = mote_addsub_scale_in(b[i * s2], p->in2_offset, p->left_shift,
                                        p->in2_mult, p->in2_shift);
      out[i] = (int16_t)mote_addsub_finish(mote_wrap_sub(x1, x2), p);
    }
    out += n;
    mote_bcast_next_row(bc, &it);
  }
}
