/*
** conv_avx512.h: AVX-512 VNNI int8 CONV_2D (x86-64 builds with
** MOTE_HAVE_AVX512 only; plain C declarations, the ops include it without
** the AVX-512 flags). Bit-exact with mote_conv2d_s8_ref; call only when
** the CPU has AVX-512 F/BW/VL/DQ/VNNI (mote_isa_allowed) and
** mote_conv2d_s8_avx512_supported accepts the geometry.
**
** The weights are packed once at prepare (gemm_avx512.h), so eval takes
** the packed block instead of the filter and bias. A DEPTHWISE_CONV_2D
** with one input channel is the CONV_2D with out_c = depth_multiplier and
** the filter [1, FH, FW, M] read transposed: pack it with
** mote_dwconv2d_s8_c1_avx512_pack and run the same kernel.
*/
#ifndef MOTE_CONV_AVX512_H
#define MOTE_CONV_AVX512_H

#include "../ref/conv_ref.h"
#include "gemm_avx512.h"

/* Ungrouped convolutions (filt_in_c == in_c) of depth filter_h * filter_w
 * * in_c <= MOTE_GEMM_AVX512_MAX_K; any stride, dilation, padding
 * (including a negative or oversized pad_h: row slices), batch. */
int mote_conv2d_s8_avx512_supported(const mote_conv_geom *g);

/* DEPTHWISE_CONV_2D geometries this kernel takes: one input channel (the
 * geometry then is a CONV_2D one with out_c = depth_multiplier). */
int mote_dwconv2d_s8_c1_avx512_supported(const mote_conv_geom *g);

/* Persistent bytes of the packed weights of g (CONV_2D or depthwise). */
size_t mote_conv2d_s8_avx512_pack_bytes(const mote_conv_geom *g);

/*
** Pack the CONV_2D filter [out_c, FH, FW, in_c] (int8, or packed int4
** with s4) and bias (may be NULL) into mem; input_offset is minus the
** input zero point. NULL if the arguments are out of range.
*/
const mote_gemm_s8_packed *mote_conv2d_s8_avx512_pack(
    void *mem, const mote_conv_geom *g, const void *filter, int s4,
    const int32_t *bias, int32_t input_offset);

/* Same for a DEPTHWISE_CONV_2D filter [1, FH, FW, M] with in_c == 1. */
const mote_gemm_s8_packed *mote_dwconv2d_s8_c1_avx512_pack(
    void *mem, const mote_conv_geom *g, const void *filter, int s4,
    const int32_t *bias, int32_t input_offset);

/* Scratch bytes (the u8 im2col block) for geometry g; a geometry with
 * fewer output rows (a slice of g) needs no more. */
size_t mote_conv2d_s8_avx512_scratch_bytes(const mote_conv_geom *g);

/*
** The convolution with packed weights `pk` (from the pack functions
** above, for the same filter extents and input offset as p). Writes
** output rows [0, g->out_h) of every batch only: window rows start at
** oy * stride_h - pad_h, any pad_h. scratch:
** mote_conv2d_s8_avx512_scratch_bytes(g) bytes, 16-byte aligned.
*/
void mote_conv2d_s8_avx512(const mote_conv_geom *g, const mote_conv_q_params *p,
                           const mote_gemm_s8_packed *pk, const int8_t *input,
                           int8_t *output, uint8_t *scratch);

#endif
