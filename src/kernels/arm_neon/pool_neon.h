/*
** pool_neon.h: AArch64 NEON int8 AVERAGE_POOL_2D and MAX_POOL_2D (builds
** with MOTE_HAVE_NEON). Same arguments and bit-exact results as the
** reference kernels of ../ref/pool_ref.h; stateless, any window position
** (windows wholly outside the input give the reference's values too).
*/
#ifndef MOTE_POOL_NEON_H
#define MOTE_POOL_NEON_H

#include "../ref/pool_ref.h"

/* Windows of at most 256 columns and 65536 elements (int16 column sums,
 * exact float32 division), activation bounds within int8. */
int mote_avg_pool_s8_neon_supported(const mote_pool_params *p);
/* AVERAGE_POOL_2D int8: mean rounded half away from zero, clamped. */
void mote_avg_pool_s8_neon(const mote_pool_params *p, const int8_t *in,
                           int8_t *out);

/* Activation bounds within int8. */
int mote_max_pool_s8_neon_supported(const mote_pool_params *p);
/* MAX_POOL_2D int8, clamped. */
void mote_max_pool_s8_neon(const mote_pool_params *p, const int8_t *in,
                           int8_t *out);

#endif
