/*
** add_neon.h: AArch64 NEON int8 ADD (builds with MOTE_HAVE_NEON). Same
** arguments and bit-exact results as mote_add_s8_ref.
*/
#ifndef MOTE_ADD_NEON_H
#define MOTE_ADD_NEON_H

#include "../ref/elementwise_ref.h"

/* Rows whose innermost steps are 0 or 1 in both inputs (same shapes,
 * scalar and channel broadcasts) and a left shift below 32. */
int mote_add_s8_neon_supported(const mote_addsub_q_params *p,
                               const mote_bcast *bc);

/* ADD int8; `out` may be `in1` or `in2` (in place). */
void mote_add_s8_neon(const mote_addsub_q_params *p, const mote_bcast *bc,
                      const int8_t *in1, const int8_t *in2, int8_t *out);

#endif
