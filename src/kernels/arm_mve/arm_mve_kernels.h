/*
** arm_mve_kernels.h: int8 kernels for Cortex-M cores with the M-profile
** Vector Extension (MVE, "Helium": the Cortex-M55 here), built on the
** <arm_mve.h> intrinsics: CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED,
** ADD, AVERAGE_POOL_2D and MAX_POOL_2D.
**
** Method. Dot products run on raw int8 data: VMLADAVA.S8 adds 16 int8 x
** int8 products to a 32-bit scalar in one instruction, and the input
** offset is moved out of the inner loop by the identity
**   sum_k w[k] * (x[k] + off) = sum_k w[k] * x[k] + off * sum_k w[k],
** whose second term is folded once, at prepare, into a copy of the bias
** (`bias_eff`, persistent arena memory: 4 bytes per output channel).
** Padding taps of an im2col row hold the input zero point (-off), so they
** contribute w * (zp + off) = 0 exactly as the reference skips them.
** Requantization runs on four 32-bit lanes (mote_mve_requant in
** mve_common.h): VSHL (left shift, wrapping), VQRDMULH (exactly
** mote_sat_rdhm), then a rounding right shift made half-away-from-zero.
**
** Why bit-exact. The reference accumulates in int32 with wrap-around and
** adds the bias with wrap-around: every step above is the same sum modulo
** 2^32 (products of int8 values are exact, VMLADAVA and VADD wrap), so
** the accumulator is the same 32-bit value; the requantization is proven
** lane for lane equal to mote_mul_by_qm in mve_common.h.
**
** Everything here compiles only when the compiler targets MVE
** (__ARM_FEATURE_MVE); elsewhere the files are empty. The ops pick these
** kernels at compile time (preferred over the DSP-extension kernels) and
** fall back for shapes a *_supported() predicate declines.
*/
#ifndef MOTE_ARM_MVE_KERNELS_H
#define MOTE_ARM_MVE_KERNELS_H

#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 1)
#define MOTE_HAVE_ARM_MVE 1

#include <stddef.h>
#include <stdint.h>

#include "../ref/conv_ref.h"
#include "../ref/elementwise_ref.h"
#include "../ref/fc_ref.h"
#include "../ref/pool_ref.h"

/*
** Prepare-time fold shared by CONV_2D and FULLY_CONNECTED: for each of
** `rows` weight rows of `depth` int8 values,
**   bias_eff[r] = bias[r] (0 if bias is NULL) + mul * sum_k w[r][k] + add
** in wrapping int32 arithmetic.
*/
void mote_mve_fold_rows(int32_t rows, int32_t depth, const int8_t *w,
                        const int32_t *bias, int32_t mul, int32_t add,
                        int32_t *bias_eff);

/*
** One or two activation rows (x1 NULL: one) times `n` weight rows of
** `depth` int8 values (w: [n][depth]), requantized per output channel:
**   o_r[c] = clamp(requant(bias_eff[c] + add_r + sum_k x_r[k] w[c][k])
**                  + zo, lo, hi).
** The inner block of CONV_2D and FULLY_CONNECTED.
*/
void mote_mve_rows_s8(const int8_t *x0, const int8_t *x1, int32_t add0,
                      int32_t add1, const int8_t *w, int32_t depth, int32_t n,
                      const int32_t *bias_eff, const mote_requant_ch *rq,
                      int32_t zo, int32_t lo, int32_t hi, int8_t *o0,
                      int8_t *o1);

/*
** CONV_2D int8, one group only (filt_in_c == in_c). bias_eff from
** mote_conv2d_s8_mve_fold (at prepare). Scratch: two int8 im2col rows,
** mote_conv2d_s8_mve_scratch() bytes (0 for 1x1 stride-any windows, which
** read the input in place), any alignment.
*/
int mote_conv2d_s8_mve_supported(const mote_conv_geom *g);
size_t mote_conv2d_s8_mve_scratch(const mote_conv_geom *g);
/* bias_eff[oc] = bias[oc] + input_offset * sum(filter[oc]) (prepare). */
void mote_conv2d_s8_mve_fold(const mote_conv_geom *g, int32_t input_offset,
                             const int8_t *filter, const int32_t *bias,
                             int32_t *bias_eff);
/* The kernel: output = CONV_2D(input, filter) with bias folded. */
void mote_conv2d_s8_mve(const mote_conv_geom *g, const mote_conv_q_params *p,
                        const int8_t *input, const int8_t *filter,
                        const int32_t *bias_eff, int8_t *output,
                        int8_t *scratch);

/*
** DEPTHWISE_CONV_2D int8 with depth multiplier 1 (out_c == in_c), filters
** up to 16 rows, any width, stride, dilation and padding; the input zero
** point must fit int8 (TFLite's). bias_eff from mote_dwconv2d_s8_mve_fold
** (at prepare); scratch of mote_dwconv2d_s8_mve_scratch() bytes (a ring of
** padded input rows).
*/
int mote_dwconv2d_s8_mve_supported(const mote_conv_geom *g);
/* bias_eff[c] = bias[c] + input_offset * sum over the taps of filter[.][c]
 * (prepare). */
void mote_dwconv2d_s8_mve_fold(const mote_conv_geom *g, int32_t input_offset,
                               const int8_t *filter, const int32_t *bias,
                               int32_t *bias_eff);
/* Scratch bytes of mote_dwconv2d_s8_mve for geometry g. */
size_t mote_dwconv2d_s8_mve_scratch(const mote_conv_geom *g);
/* The kernel. */
void mote_dwconv2d_s8_mve(const mote_conv_geom *g, const mote_conv_q_params *p,
                          const int8_t *input, const int8_t *filter,
                          const int32_t *bias_eff, int8_t *output,
                          int8_t *scratch);

/*
** FULLY_CONNECTED int8 x int8 -> int8, any shape and weight zero point.
** bias_eff from mote_fc_s8_mve_fold (at prepare).
*/
/* bias_eff[u] = bias[u] + xo * sum(w[u]) + depth * xo * wo (prepare). */
void mote_fc_s8_mve_fold(const mote_fc_dims *n, const mote_fc_q_params *p,
                         const int8_t *weights, const int32_t *bias,
                         int32_t *bias_eff);
/* The kernel. */
void mote_fc_s8_mve(const mote_fc_dims *n, const mote_fc_q_params *p,
                    const int8_t *input, const int8_t *weights,
                    const int32_t *bias_eff, int8_t *output);

/*
** ADD int8 (TFLite's general rescaling), 16 elements per pass. Any
** broadcast descriptor: rows of the innermost dimension, each input either
** contiguous (stride 1) or one value repeated (stride 0); other shapes
** are declined.
*/
int mote_add_s8_mve_supported(const mote_bcast *bc);
/* The kernel (out may alias in1, as the reference). */
void mote_add_s8_mve(const mote_addsub_q_params *p, const mote_bcast *bc,
                     const int8_t *in1, const int8_t *in2, int8_t *out);

/* AVERAGE_POOL_2D int8, 8 channels per pass, windows of at most 256
 * taps (the int16 sums stay exact). */
int mote_avg_pool_s8_mve_supported(const mote_pool_params *p);
/* The kernel. */
void mote_avg_pool_s8_mve(const mote_pool_params *p, const int8_t *in,
                          int8_t *out);
/* MAX_POOL_2D int8, 16 channels per pass, any shape. */
void mote_max_pool_s8_mve(const mote_pool_params *p, const int8_t *in,
                          int8_t *out);

#endif /* __ARM_FEATURE_MVE */
#endif
