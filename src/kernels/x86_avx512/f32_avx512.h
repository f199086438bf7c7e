/*
** f32_avx512.h: AVX-512 float32 CONV_2D, DEPTHWISE_CONV_2D and
** FULLY_CONNECTED (x86-64 builds with MOTE_HAVE_AVX512 only; call only when
** mote_isa_allowed() has MOTE_ISA_AVX512 and the `_supported` check
** accepts, else use the AVX2 or reference kernel).
**
** Not bit-exact with the reference kernels, like the AVX2 float kernels
** (../x86_avx2/avx2_f32.h): sums run in another order with fused
** multiply-adds; each output is within 1e-5 * sum |terms| of the reference
** (tests/kernels/test_kernels_avx512_f32.c).
**
** CONV_2D and FULLY_CONNECTED are GEMMs over weights packed once at prepare
** (mote_f32_avx512_pack) into panels of 32 output channels, [K][32] each,
** the last panel 16 wide when 16 or fewer channels remain, zero-padded to
** a multiple of 16, 64-byte aligned: a micro-kernel keeps up to 8 pixels x
** 32 channels of sums in zmm registers and adds bias and the activation
** clamp before its (masked) stores.
**
** Threading: the conv kernels may be called on a slice of output rows (the
** geometry's out_h is the slice, pad_h shifted by the slice's first row, so
** possibly negative or larger than the filter; the output pointer at the
** slice) with scratch of their own; they keep no state between calls.
*/
#ifndef MOTE_F32_AVX512_H
#define MOTE_F32_AVX512_H

#include <stddef.h>
#include <stdint.h>

#include "../ref/conv_ref.h"
#include "../ref/fc_ref.h"

/* Bytes of persistent memory for `rows` x `k` packed weights (alignment
 * slack included). */
size_t mote_f32_avx512_pack_bytes(int32_t rows, int32_t k);

/*
** Packs row-major weights [rows][k] (CONV_2D filter [OC][FH*FW*C], FC
** weights [units][depth]) into `mem` (mote_f32_avx512_pack_bytes of them,
** any alignment); returns the 64-byte aligned panels to pass to the kernels.
*/
const float *mote_f32_avx512_pack(const float *w, int32_t rows, int32_t k,
                                  void *mem);

/* Rows (pixels, batch rows) of one GEMM block. */
#define MOTE_F32_AVX512_MR 8

/*
** One GEMM block: out[m * out_stride + c] = clamp(dot(x_m, w_c) + bias[c])
** for the rows m < mr (1..MOTE_F32_AVX512_MR) and channels c < rows (all
** panels of `packed`, k = nseg * seg). Row m is given in nseg segments of
** seg floats, segment s at a[s * MOTE_F32_AVX512_MR + m] (a CONV_2D window
** row by row, in place). bias may be NULL.
*/
void mote_f32_avx512_gemm(const float *const *a, int32_t mr, int32_t nseg,
                          int32_t seg, const float *packed, int32_t rows,
                          const float *bias, float lo, float hi, float *out,
                          ptrdiff_t out_stride);

/* CONV_2D: any ungrouped geometry (declines grouped convolutions). */
int mote_conv2d_f32_avx512_supported(const mote_conv_geom *g);

/* Scratch bytes the CONV_2D kernel needs (per call; independent of out_h,
 * so one slice's worth suffices for any row slice). */
size_t mote_conv2d_f32_avx512_scratch(const mote_conv_geom *g);

/*
** CONV_2D with packed filter (mote_f32_avx512_pack of the [OC][FH][FW][C]
** filter, rows OC, k FH*FW*C). scratch: mote_conv2d_f32_avx512_scratch
** bytes, any alignment. bias may be NULL.
*/
void mote_conv2d_f32_avx512(const mote_conv_geom *g,
                            const mote_conv_f32_params *p, const float *input,
                            const float *packed, const float *bias,
                            float *output, void *scratch);

/* DEPTHWISE_CONV_2D: any geometry, any depth multiplier. */
int mote_dwconv2d_f32_avx512_supported(const mote_conv_geom *g);

/* DEPTHWISE_CONV_2D, reference arguments (filter [1][FH][FW][OC] as in the
 * model, no packing, no scratch). bias may be NULL. */
void mote_dwconv2d_f32_avx512(const mote_conv_geom *g,
                              const mote_conv_f32_params *p, const float *input,
                              const float *filter, const float *bias,
                              float *output);

/* FULLY_CONNECTED with packed weights (rows units, k depth), any extents.
 * bias may be NULL. */
void mote_fc_f32_avx512(const mote_fc_dims *n, const mote_fc_f32_params *p,
                        const float *input, const float *packed,
                        const float *bias, float *output);

#endif
