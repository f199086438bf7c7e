/*
** conv_avx2.h: AVX2 int8 CONV_2D and DEPTHWISE_CONV_2D (x86-64 builds with
** MOTE_HAVE_AVX2 only). Same arguments and bit-exact results as the
** reference kernels of ../ref/conv_ref.h; call only when the CPU has AVX2
** (mote_isa_select) and the `_supported` check accepts the geometry,
** otherwise use the reference kernel.
*/
#ifndef MOTE_CONV_AVX2_H
#define MOTE_CONV_AVX2_H

#include "../ref/conv_ref.h"

/* Longest dot product (filter_h * filter_w * channels, or FC depth) the
 * kernels take: the int16 patch lives on the stack (8 KiB + 32 bytes). */
#ifndef MOTE_AVX2_MAX_K
#define MOTE_AVX2_MAX_K 4096
/*
** float32 with FMA: not bit-exact (see conv2d_f32.c); within 1e-5 of the
** reference relative to the sum of the magnitudes of the terms.
** CONV_2D: ungrouped, filter_h * filter_w * channels <= 4096 (the patch
** lives on the stack, 16 KiB). DEPTHWISE_CONV_2D: depth multiplier 1.
*/
int mote_conv2d_f32_avx2_supported(const mote_conv_geom *g);
void mote_conv2d_f32_avx2(const mote_conv_geom *g,
                          const mote_conv_f32_params *p, const float *input,
                          const float *filter, const float *bias,
                          float *output);
int mote_dwconv2d_f32_avx2_supported(const mote_conv_geom *g);
void mote_dwconv2d_f32_avx2(const mote_conv_geom *g,
                            const mote_conv_f32_params *p, const float *input,
                            const float *filter, const float *bias,
                            float *output);

#endif

/* Ungrouped convolutions whose filter_h * filter_w * channels <= 4096. */
int mote_conv2d_s8_avx2_supported(const mote_conv_geom *g);
void mote_conv2d_s8_avx2(const mote_conv_geom *g, const mote_conv_q_params *p,
                         const int8_t *input, const int8_t *filter,
                         const int32_t *bias, int8_t *output);

/* Depth multiplier 1 or a multiple of 8. */
int mote_dwconv2d_s8_avx2_supported(const mote_conv_geom *g);
void mote_dwconv2d_s8_avx2(const mote_conv_geom *g, const mote_conv_q_params *p,
                           const int8_t *input, const int8_t *filter,
                           const int32_t *bias, int8_t *output);

/*
** float32 with FMA: not bit-exact (see conv2d_f32.c); within 1e-5 of the
** reference relative to the sum of the magnitudes of the terms.
** CONV_2D: ungrouped, filter_h * filter_w * channels <= 4096 (the patch
** lives on the stack, 16 KiB). DEPTHWISE_CONV_2D: depth multiplier 1.
*/
int mote_conv2d_f32_avx2_supported(const mote_conv_geom *g);
void mote_conv2d_f32_avx2(const mote_conv_geom *g,
                          const mote_conv_f32_params *p, const float *input,
                          const float *filter, const float *bias,
                          float *output);
int mote_dwconv2d_f32_avx2_supported(const mote_conv_geom *g);
void mote_dwconv2d_f32_avx2(const mote_conv_geom *g,
                            const mote_conv_f32_params *p, const float *input,
                            const float *filter, const float *bias,
                            float *output);

#endif
