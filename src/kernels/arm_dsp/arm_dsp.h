/*
** arm_dsp.h: int8 CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED, ADD,
** AVERAGE_POOL_2D and MAX_POOL_2D kernels
** for Cortex-M cores with the DSP extension (Cortex-M4, M33, M55), built on
** the <arm_acle.h> SIMD intrinsics (__sxtb16, __sxtab16, __smlad, ...).
**
** Bit-exact with the reference kernels (kernels/ref/): the same int32
** wrap-around accumulation and the same requantization (mote_requant.h).
** Everything here compiles only when the compiler targets the DSP
** extension (__ARM_FEATURE_DSP); elsewhere the files are empty. The ops
** pick these kernels at compile time and fall back to the reference kernel
** for shapes a *_supported() predicate declines.
*/
#ifndef MOTE_ARM_DSP_H
#define MOTE_ARM_DSP_H

#if defined(__ARM_FEATURE_DSP)
#define MOTE_HAVE_ARM_DSP 1

#include <stddef.h>
#include <stdint.h>

#include "../ref/conv_ref.h"
#include "../ref/elementwise_ref.h"
#include "../ref/fc_ref.h"
#include "../ref/pool_ref.h"

/*
** CONV_2D int8 (one group only). Scratch: two int16 im2col rows and a
** 16-byte requantization word per output channel, returned
** by mote_conv2d_s8_dsp_scratch() (bytes); the caller passes it 4-byte
** aligned.
** Any filter size, stride, dilation and padding.
*/
int mote_conv2d_s8_dsp_supported(const mote_conv_geom *g);
size_t mote_conv2d_s8_dsp_scratch(const mote_conv_geom *g);
void mote_conv2d_s8_dsp(const mote_conv_geom *g, const mote_conv_q_params *p,
                        const int8_t *input, const int8_t *filter,
                        const int32_t *bias, int8_t *output, int16_t *scratch);

/* DEPTHWISE_CONV_2D int8 with depth multiplier 1, or one input channel
 * and any multiplier (any filter, stride, dilation, padding; 3x3 windows
 * inside the image are unrolled). mote_dwconv2d_s8_dsp_scratch(): bytes
 * of scratch (4-byte aligned) that enable the planar 3x3 path (filter 3x3,
 * no dilation, horizontal stride 1 or 2, multiplier 1), 0 for shapes
 * without it; scratch may be NULL (then the general path runs). */
int mote_dwconv2d_s8_dsp_supported(const mote_conv_geom *g);
size_t mote_dwconv2d_s8_dsp_scratch(const mote_conv_geom *g);
void mote_dwconv2d_s8_dsp(const mote_conv_geom *g, const mote_conv_q_params *p,
                          const int8_t *input, const int8_t *filter,
                          const int32_t *bias, int8_t *output,
                          int16_t *scratch);

/* FULLY_CONNECTED int8 x int8 -> int8 (any shape, weight zero point
 * included). Scratch: mote_fc_s8_dsp_scratch() bytes, 4-byte aligned (one
 * input row as int16 lanes). */
size_t mote_fc_s8_dsp_scratch(const mote_fc_dims *n);
void mote_fc_s8_dsp(const mote_fc_dims *n, const mote_fc_q_params *p,
                    const int8_t *input, const int8_t *weights,
                    const int32_t *bias, int8_t *output, int16_t *scratch);

/* ADD int8 (every broadcast the reference walks; left_shift in 0..31).
 * out may alias in1 as in the reference. tables: NULL, or
 * mote_add_s8_dsp_scratch() bytes (4-byte aligned; 0 for short ADDs) for
 * the tabulated input rescales (without them: per element). */
int mote_add_s8_dsp_supported(const mote_addsub_q_params *p,
                              const mote_bcast *bc);
size_t mote_add_s8_dsp_scratch(const mote_bcast *bc);
void mote_add_s8_dsp(const mote_addsub_q_params *p, const mote_bcast *bc,
                     const int8_t *in1, const int8_t *in2, int8_t *out,
                     int32_t *tables);

/* AVERAGE_POOL_2D int8, windows of at most 256 taps (int16 sums). */
int mote_avg_pool_s8_dsp_supported(const mote_pool_params *p);
void mote_avg_pool_s8_dsp(const mote_pool_params *p, const int8_t *in,
                          int8_t *out);

/* MAX_POOL_2D int8, any shape. */
void mote_max_pool_s8_dsp(const mote_pool_params *p, const int8_t *in,
                          int8_t *out);

#endif /* __ARM_FEATURE_DSP */
#endif
