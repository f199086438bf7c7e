/*
** conv_neon.h: AArch64 NEON int8 CONV_2D, DEPTHWISE_CONV_2D and
** FULLY_CONNECTED (builds with MOTE_HAVE_NEON; the `_dot` variants need
** MOTE_HAVE_NEON_DOT and a CPU with the dot-product extension). Bit-exact
** with the reference kernels of ../ref/conv_ref.h and ../ref/fc_ref.h.
**
** Each layer is packed once at prepare (mote_*_neon_pack) into persistent
** memory: per-channel requantization vectors, the bias with the input
** offset folded in, and the weights when they need a new layout. Kernels
** keep no state: the threading contract of the conv kernels is that a
** geometry may describe a slice of output rows (out_h rows, pad_h shifted,
** possibly negative or beyond the filter; output pointing at the slice)
** with a scratch of its own.
*/
#ifndef MOTE_CONV_NEON_H
#define MOTE_CONV_NEON_H

#include <stddef.h>
#include <stdint.h>

#include "../ref/conv_ref.h"
#include "../ref/fc_ref.h"

/* What prepare precomputes for one layer (lives in the persistent arena,
 * read-only during eval). Channel arrays hold `cp` entries (out_c rounded
 * up to 8; the extra lanes are copies that are never stored). */
typedef struct mote_neon_pack {
  const int8_t *w8;    /* GEMM: [out_c][kp] zero-padded; NULL: the model's */
  const int16_t *w16;  /* depthwise: [filt_h * filt_w][cp] widened */
  const int32_t *bias; /* GEMM: bias + input_offset * row sum; dw: bias */
  const int32_t *mult; /* requantization multiplier */
  const int32_t *lsh;  /* left shift (>= 0) */
  const int32_t *nrsh; /* minus the right shift (<= 0) */
  int32_t k;           /* dot product length filt_h * filt_w * in_c */
  int32_t kp;          /* k rounded up to 16 */
  int32_t cp;          /* out_c rounded up to 8 */
} mote_neon_pack;

/*
** CONV_2D int8 accepted by the NEON kernels: ungrouped (filt_in_c ==
** in_c; depth_multiplier is not read), the input zero
** point an int8 value (`input_offset` = minus it; padding is filled with
** the zero point so that it contributes nothing).
*/
int mote_conv2d_s8_neon_supported(const mote_conv_geom *g,
                                  int32_t input_offset);

/* Persistent bytes of the CONV_2D pack (same value in both prepare
 * passes: it depends on the geometry only). */
size_t mote_conv2d_s8_neon_pack_bytes(const mote_conv_geom *g);

/* Fill the CONV_2D pack in `mem` (mote_conv2d_s8_neon_pack_bytes bytes,
 * 8-byte aligned) from the model's constant filter and bias (may be
 * NULL); returns the pack, which lives at the start of `mem`. */
const mote_neon_pack *mote_conv2d_s8_neon_pack(const mote_conv_geom *g,
                                               const mote_conv_q_params *p,
                                               const int8_t *filter,
                                               const int32_t *bias, void *mem);

/* Scratch bytes of one call (four im2col rows of kp bytes). */
size_t mote_conv2d_s8_neon_scratch(const mote_conv_geom *g);

/* CONV_2D int8 with SMULL/SADALP dot products (any AArch64). `filter` is
 * the model's filter (read when the pack keeps no copy). */
void mote_conv2d_s8_neon(const mote_conv_geom *g, const mote_conv_q_params *p,
                         const mote_neon_pack *pk, const int8_t *input,
                         const int8_t *filter, int8_t *output, int8_t *scratch);

/* Same with SDOT (dot-product extension). */
void mote_conv2d_s8_neon_dot(const mote_conv_geom *g,
                             const mote_conv_q_params *p,
                             const mote_neon_pack *pk, const int8_t *input,
                             const int8_t *filter, int8_t *output,
                             int8_t *scratch);

/*
** DEPTHWISE_CONV_2D int8 accepted by the NEON kernels: depth multiplier 1
** (mote_dwconv2d_s8_neon), or one input channel and any multiplier, which
** is a CONV_2D of filter_h * filter_w weights per output channel: packed
** as one (transposed) by mote_dwconv2d_s8_neon_pack, to be run with
** mote_conv2d_s8_neon(_dot) and its scratch.
*/
int mote_dwconv2d_s8_neon_supported(const mote_conv_geom *g,
                                    int32_t input_offset);

/* Persistent bytes of the DEPTHWISE_CONV_2D pack (geometry only). */
size_t mote_dwconv2d_s8_neon_pack_bytes(const mote_conv_geom *g);

/* Fill the DEPTHWISE_CONV_2D pack (int16 filter [taps][cp], bias and
 * requantization vectors; one input channel: the CONV_2D pack) in `mem`;
 * returns it. */
const mote_neon_pack *mote_dwconv2d_s8_neon_pack(const mote_conv_geom *g,
                                                 const mote_conv_q_params *p,
                                                 const int8_t *filter,
                                                 const int32_t *bias,
                                                 void *mem);

/* DEPTHWISE_CONV_2D int8, more than one input channel (SMLAL on int16
 * lanes; no scratch). */
void mote_dwconv2d_s8_neon(const mote_conv_geom *g, const mote_conv_q_params *p,
                           const mote_neon_pack *pk, const int8_t *input,
                           int8_t *output);

/* FULLY_CONNECTED as the 1x1 convolution of `batches` pixels of `depth`
 * channels: the geometry and parameters the CONV_2D functions take. */
static inline void mote_fc_neon_as_conv(const mote_fc_dims *n,
                                        const mote_fc_q_params *p,
                                        mote_conv_geom *g,
                                        mote_conv_q_params *q) {
  g->batches = 1;
  g->in_h = g->out_h = 1;
  g->in_w = g->out_w = n->batches;
  g->in_c = g->filt_in_c = n->depth;
  g->out_c = n->units;
  g->filt_h = g->filt_w = 1;
  g->stride_h = g->stride_w = g->dil_h = g->dil_w = 1;
  g->pad_h = g->pad_w = 0;
  g->depth_multiplier = 1;
  if (q) {
    q->rq = p->rq;
    q->input_offset = p->input_offset;
    q->output_offset = p->output_offset;
    q->act_min = p->act_min;
    q->act_max = p->act_max;
  }
}

/* FULLY_CONNECTED int8 accepted by the NEON kernels: weights zero point 0,
 * input zero point an int8 value. Pack, scratch: the CONV_2D functions on
 * mote_fc_neon_as_conv's geometry. */
int mote_fc_s8_neon_supported(int32_t input_offset, int32_t filter_offset);

/* FULLY_CONNECTED int8 (SMULL/SADALP), `scratch` as the CONV_2D kernel. */
void mote_fc_s8_neon(const mote_fc_dims *n, const mote_fc_q_params *p,
                     const mote_neon_pack *pk, const int8_t *input,
                     const int8_t *weights, int8_t *output, int8_t *scratch);

/* Same with SDOT. */
void mote_fc_s8_neon_dot(const mote_fc_dims *n, const mote_fc_q_params *p,
                         const mote_neon_pack *pk, const int8_t *input,
                         const int8_t *weights, int8_t *output,
                         int8_t *scratch);

#endif
