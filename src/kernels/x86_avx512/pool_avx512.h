/*
** pool_avx512.h: AVX-512 int8 AVERAGE_POOL_2D and MAX_POOL_2D, and float32
** AVERAGE_POOL_2D (x86-64 builds with MOTE_HAVE_AVX512 only), vectorised
** over channels with masked tails. Same arguments and bit-exact results as the
*reference kernels of
** ../ref/pool_ref.h; call only when the CPU has AVX-512 and the
** `_supported` check accepts the params.
*/
#ifndef MOTE_POOL_AVX512_H
#define MOTE_POOL_AVX512_H

#include "../ref/pool_ref.h"

/* Windows of at most 65536 taps (the sums stay below 2^24, where a float
 * division is exact: see pool_avg_s8.c). */
int mote_avg_pool_s8_avx512_supported(const mote_pool_params *p);

/* Mean of each window (padding excluded), rounded half away from zero,
 * then the activation clamp. */
void mote_avg_pool_s8_avx512(const mote_pool_params *p, const int8_t *in,
                             int8_t *out);

/* float32 mean of each window (padding excluded), then the clamp; any
 * geometry; bit-identical to mote_avg_pool_f32_ref. */
void mote_avg_pool_f32_avx512(const mote_pool_params *p, const float *in,
                              float *out);

/* Largest value of each window (padding excluded), then the activation
 * clamp. Any geometry. */
void mote_max_pool_s8_avx512(const mote_pool_params *p, const int8_t *in,
                             int8_t *out);

#endif
