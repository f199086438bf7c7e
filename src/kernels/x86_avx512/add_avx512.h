/*
** add_avx512.h: AVX-512 int8 and float32 ADD (x86-64 builds with
** MOTE_HAVE_AVX512 only). Same arguments and bit-exact results as
** mote_add_s8_ref / mote_add_f32_ref; call only when the CPU has AVX-512
** and the `_supported` check accepts the broadcast.
*/
#ifndef MOTE_ADD_AVX512_H
#define MOTE_ADD_AVX512_H

#include "../ref/elementwise_ref.h"

/* Rows whose innermost steps are 0 or 1 in both inputs: same shapes (one
 * flat row), scalar and channel broadcasts; anything else is declined. */
int mote_add_s8_avx512_supported(const mote_bcast *bc);

/* out = in1 + in2 (TFLite int8 ADD); `out` may alias an input of the
 * output's shape. */
void mote_add_s8_avx512(const mote_addsub_q_params *p, const mote_bcast *bc,
                        const int8_t *in1, const int8_t *in2, int8_t *out);

/* out = clamp(in1 + in2) (TFLite float ADD), for the broadcasts
 * mote_add_s8_avx512_supported accepts; `out` may alias as above. */
void mote_add_f32_avx512(const mote_arith_f32_params *p, const mote_bcast *bc,
                         const float *in1, const float *in2, float *out);

#endif
