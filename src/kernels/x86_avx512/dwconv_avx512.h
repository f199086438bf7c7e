/*
** dwconv_avx512.h: AVX-512 int8 DEPTHWISE_CONV_2D (x86-64 builds with
** MOTE_HAVE_AVX512 only). Bit-exact with mote_dwconv2d_s8_ref. The filter
** is re-laid out once, at prepare, into persistent memory (_pack); eval
** reads only that copy. Call only when the CPU has AVX-512 (mote_isa_*)
** and `_supported` accepts the geometry and offsets.
**
** Threading: the kernel keeps no state between calls and needs no scratch;
** it may be called on a slice of output rows (out_h a part of the height,
** pad_h shifted, possibly negative or beyond the filter, output pointer
** offset to the slice) with the packed filter of the whole layer.
*/
#ifndef MOTE_DWCONV_AVX512_H
#define MOTE_DWCONV_AVX512_H

#include <stddef.h>

#include "../ref/conv_ref.h"

/* Most filter taps (filter_h * filter_w) the kernel takes: the tap offsets
 * of one call live on the stack (4 bytes each). */
#define MOTE_AVX512_DW_MAX_TAPS 256

/* Geometry and input offset the kernel takes: input channels > 1 (one
 * input channel belongs to the GEMM kernels), any depth multiplier,
 * stride, dilation and padding, at most MOTE_AVX512_DW_MAX_TAPS taps, and
 * an input offset in [-127, 128] (a zero point inside int8). */
int mote_dwconv2d_s8_avx512_supported(const mote_conv_geom *g,
                                      int32_t input_offset);

/* Bytes of persistent memory the packed filter of `g` takes (depends only
 * on the channels, filter size, depth multiplier and stride_w). */
size_t mote_dwconv2d_s8_avx512_packed_bytes(const mote_conv_geom *g);

/* Re-lay `filter` ([1, FH, FW, OC] int8) out into `packed`
 * (mote_dwconv2d_s8_avx512_packed_bytes(g) bytes, any alignment), with the
 * input offset and requantization of `p` folded in where they are
 * constant. Run once at prepare; p->rq's arrays must stay valid. */
void mote_dwconv2d_s8_avx512_pack(const mote_conv_geom *g,
                                  const mote_conv_q_params *p,
                                  const int8_t *filter, void *packed);

/* The convolution (bias may be NULL); `packed` from _pack with the same
 * channels, filter, depth multiplier, stride_w and params. */
void mote_dwconv2d_s8_avx512(const mote_conv_geom *g,
                             const mote_conv_q_params *p, const void *packed,
                             const int8_t *input, const int32_t *bias,
                             int8_t *output);

#endif
