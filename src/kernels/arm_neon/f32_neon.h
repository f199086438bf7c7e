/*
** f32_neon.h: AArch64 NEON float32 CONV_2D, DEPTHWISE_CONV_2D and
** FULLY_CONNECTED (builds with MOTE_HAVE_NEON; call when mote_isa_allowed()
** has MOTE_ISA_NEON and the `_supported` check accepts, else use the
** reference kernel).
**
** Not bit-exact with the reference kernels (as the x86 float kernels,
** ../x86_avx2/avx2_f32.h): the reference sums each dot product left to
** right, rounding after every multiply and add, and adds the bias last;
** here the sums start at the bias, run in several parallel lanes or
** accumulators and use fused multiply-adds (FMLA: one rounding). Any
** summation order of n terms is within about n * 2^-24 * sum |terms| of
** the exact sum, so tests/kernels/test_kernels_neon_f32.c bounds each
** output by 1e-5 * sum |terms| (the reference kernel run on absolute
** values); the conformance suite's float rule (1e-4 * max(1, max |golden|))
** is looser still.
**
** CONV_2D and FULLY_CONNECTED are GEMMs over weights packed once at prepare
** (mote_f32_neon_pack) into panels of 8 output channels, [K][8] each (the
** last panel 4 wide when 4 or fewer channels remain, zero-padded): the
** micro-kernel keeps 8 pixels x 8 channels of sums in 16 q registers.
** DEPTHWISE_CONV_2D packs its filter with the channels padded to 4.
**
** Threading: the conv kernels may be called on a slice of output rows (the
** geometry's out_h is the slice, pad_h shifted by the slice's first row,
** possibly negative or beyond the filter; the output pointer at the slice)
** with scratch of their own; they keep no state between calls.
*/
#ifndef MOTE_F32_NEON_H
#define MOTE_F32_NEON_H

#include <stddef.h>
#include <stdint.h>

#include "../ref/conv_ref.h"
#include "../ref/fc_ref.h"

/* Pixels (batch rows) of one GEMM tile. */
#define MOTE_F32_NEON_MR 8

/* Bytes of persistent memory for `rows` x `k` packed GEMM weights. */
size_t mote_f32_neon_pack_bytes(int32_t rows, int32_t k);

/*
** Packs row-major weights [rows][k] (CONV_2D filter [OC][FH*FW*C], FC
** weights [units][depth]) into `mem` (mote_f32_neon_pack_bytes of it, at
** least 4-byte aligned); returns the panels to pass to the kernels.
*/
const float *mote_f32_neon_pack(const float *w, int32_t rows, int32_t k,
                                void *mem);

/*
** One GEMM tile: out[m * out_stride + c] = clamp(bias[c] + dot(x_m, w_c))
** for the rows m < mr (1..MOTE_F32_NEON_MR) and channels c < rows (every
** panel of `packed`, k = nseg * seg). Row m comes in nseg segments of seg
** floats, segment s at a[s * MOTE_F32_NEON_MR + m] (a CONV_2D window row
** by row, read in place). bias may be NULL.
*/
void mote_f32_neon_gemm(const float *const *a, int32_t mr, int32_t nseg,
                        int32_t seg, const float *packed, int32_t rows,
                        const float *bias, float lo, float hi, float *out,
                        ptrdiff_t out_stride);

/* CONV_2D: any ungrouped geometry (declines grouped convolutions). */
int mote_conv2d_f32_neon_supported(const mote_conv_geom *g);

/* Scratch bytes of one CONV_2D call (independent of out_h: one slice's
 * worth serves any row slice). */
size_t mote_conv2d_f32_neon_scratch(const mote_conv_geom *g);

/*
** CONV_2D on the filter packed by mote_f32_neon_pack (rows OC, k
** FH*FW*C). scratch: mote_conv2d_f32_neon_scratch bytes, 4-byte aligned.
** bias may be NULL.
*/
void mote_conv2d_f32_neon(const mote_conv_geom *g,
                          const mote_conv_f32_params *p, const float *input,
                          const float *packed, const float *bias, float *output,
                          void *scratch);

/* DEPTHWISE_CONV_2D: any geometry, any depth multiplier. */
int mote_dwconv2d_f32_neon_supported(const mote_conv_geom *g);

/* Bytes of the packed DEPTHWISE_CONV_2D filter (geometry only). */
size_t mote_dwconv2d_f32_neon_pack_bytes(const mote_conv_geom *g);

/* Packs the model's [1][FH][FW][OC] filter as [FH*FW][OC rounded up to 4]
 * (zeros in the extra lanes) into `mem`; returns it. */
const float *mote_dwconv2d_f32_neon_pack(const mote_conv_geom *g,
                                         const float *filter, void *mem);

/* DEPTHWISE_CONV_2D on the packed filter; no scratch. bias may be NULL. */
void mote_dwconv2d_f32_neon(const mote_conv_geom *g,
                            const mote_conv_f32_params *p, const float *input,
                            const float *packed, const float *bias,
                            float *output);

/* FULLY_CONNECTED on weights packed by mote_f32_neon_pack (rows units, k
 * depth): a GEMV for one batch row, GEMM tiles otherwise. bias may be
 * NULL. */
void mote_fc_f32_neon(const mote_fc_dims *n, const mote_fc_f32_params *p,
                      const float *input, const float *packed,
                      const float *bias, float *output);

#endif
