/*
** fc_avx2.h: AVX2 int8 FULLY_CONNECTED (x86-64 builds with MOTE_HAVE_AVX2
** only). Same arguments and bit-exact results as mote_fc_s8_ref; call only
** when the CPU has AVX2 and the `_supported` check accepts the extents.
*/
#ifndef MOTE_FC_AVX2_H
#define MOTE_FC_AVX2_H

#include "../ref/fc_ref.h"

/* Longest dot product (filter_h * filter_w * channels, or FC depth) the
 * kernels take: the int16 patch lives on the stack (8 KiB + 32 bytes). */
#ifndef MOTE_AVX2_MAX_K
#define MOTE_AVX2_MAX_K 4096
/* float32 with FMA, any depth: not bit-exact (see fc_f32.c); within 1e-5
 * of the reference relative to the sum of the magnitudes of the terms. */
void mote_fc_f32_avx2(const mote_fc_dims *n, const mote_fc_f32_params *p,
                      const float *input, const float *weights,
                      const float *bias, float *output);

#endif

/* depth <= 4096 (per-tensor weight zero points included). */
int mote_fc_s8_avx2_supported(const mote_fc_dims *n);
void mote_fc_s8_avx2(const mote_fc_dims *n, const mote_fc_q_params *p,
                     const int8_t *input, const int8_t *weights,
                     const int32_t *bias, int8_t *output);

/* float32 with FMA, any depth: not bit-exact (see fc_f32.c); within 1e-5
 * of the reference relative to the sum of the magnitudes of the terms. */
void mote_fc_f32_avx2(const mote_fc_dims *n, const mote_fc_f32_params *p,
                      const float *input, const float *weights,
                      const float *bias, float *output);

#endif
