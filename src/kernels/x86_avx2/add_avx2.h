/*
** add_avx2.h: AVX2 int8 ADD (x86-64 builds with MOTE_HAVE_AVX2 only). Same
** arguments and bit-exact results as mote_add_s8_ref; call only when the
** CPU has AVX2 and the `_supported` check accepts the broadcast.
*/
#ifndef MOTE_ADD_AVX2_H
#define MOTE_ADD_AVX2_H

#include "../ref/elementwise_ref.h"

/* Rows whose innermost steps are 0 or 1 in both inputs: same shapes (one
 * flat row), scalar and channel broadcasts; anything else is declined. */
int mote_add_s8_avx2_supported(const mote_bcast *bc);
void mote_add_s8_avx2(const mote_addsub_q_params *p, const mote_bcast *bc,
                      const int8_t *in1, const int8_t *in2, int8_t *out);

#endif
