/*
** dwconv_avx512.h: AVX-512 int8 DEPTHWISE_CONV_2D (x86-64 builds with
** MOTE_HAVE_AVX512 only). Bit-exact with mote_dwconv2d_s8_ref. The filter
** is re-laid out once, at prepare, into persistent memory (_pack); eval
** reads only that copy. Call only when the CPU has AVX-512 (mote_isa_*)
** and `_supported` accepts the geometry and offsets.
**
** Threading: the kernel keeps no state between calls (scratch: per call);
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
 * on the channels, filter, dilation, depth multiplier, strides and out_w:
 * never on out_h or pad_h, so row slices share it). */
size_t mote_dwconv2d_s8_avx512_packed_bytes(const mote_conv_geom *g);

/* Re-lay `filter` ([1, FH, FW, OC] int8) out into `packed`
 * (mote_dwconv2d_s8_avx512_packed_bytes(g) bytes, any alignment), with the
 * input offset and requantization of `p` folded in where they are
 * constant. Run once at prepare; p->rq's arrays must stay valid. */
void mote_dwconv2d_s8_avx512_pack(const mote_conv_geom *g,
                                  const mote_conv_q_params *p,
                                  const int8_t *filter, void *packed);

/* Scratch bytes the kernel takes for geometry g (0: none; a slice of g
 * needs no more): multiplier 1 widens the rows of a band once there. */
size_t mote_dwconv2d_s8_avx512_scratch_bytes(const mote_conv_geom *g);

/* The convolution (bias may be NULL); `packed` from _pack with the same
 * channels, filter, depth multiplier, stride_w, out_w and params; scratch:
 * mote_dwconv2d_s8_avx512_scratch_bytes(g) bytes, 64-byte aligned for
 * speed (NULL: the kernel without scratch). */
void mote_dwconv2d_s8_avx512(const mote_conv_geom *g,
                             const mote_conv_q_params *p, const void *packed,
                             const int8_t *input, const int32_t *bias,
                             int8_t *output, void *scratch);

#endif
