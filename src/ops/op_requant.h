/*
** op_requant.h: prepare-time set-up of the compact per-channel
** requantization (mote_requant_ch, kernels/mote_requant.h) shared by
** CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED and TRANSPOSE_CONV.
**
** Each channel's real multiplier in_scale * w_scale[c] / out_scale is
** split as TFLite's QuantizeMultiplier does. When every channel ends with
** the same multiplier and shift (always for per-tensor weights) the op
** keeps no arrays: the kernels read mult0/shift0 for every channel, which
** gives the very same bits.
*/
#ifndef MOTE_OP_REQUANT_H
#define MOTE_OP_REQUANT_H

#include "../kernels/mote_requant.h"
#include "op_util.h"

/* How the real multiplier is formed from the float scales. */
enum {
  MOTE_RQ_DOUBLE = 0,       /* (double)in * (double)w / (double)out */
  MOTE_RQ_FLOAT_PRODUCT = 1 /* (double)(in * w) / (double)out, in float */
};

/* Multiplier and shift of one channel from its three scales. */
static inline void mote_rq_scales(float in_scale, float ws, float out_scale,
                                  int how, int32_t *qm, int *shift) {
  /* The choice is made on the float operands, so both float->double
   * conversions run on every path: GCC 12 at -Os otherwise predicates
   * them inside an IT block, which binutils rejects for MVE targets
   * ("vcvtne" reads as the MVE VCVTN). (in * ws) * 1.0 is exact. */
  const int fp = how == MOTE_RQ_FLOAT_PRODUCT;
  const float a = fp ? in_scale * ws : in_scale, b = fp ? 1.0f : ws;
  const double real = (double)a * (double)b / (double)out_scale;
  mote_quantize_multiplier(real, qm, shift);
}

static inline void mote_rq_channel(const mote_tensor *in, const mote_tensor *w,
                                   const mote_tensor *out, uint32_t c, int how,
                                   int32_t *qm, int *shift) {
  float ws = mote_tensor_scale(w, w->nscale > 1 ? c : 0u);
  mote_rq_scales(in->scale, ws, out->scale, how, qm, shift);
}

/*
** Both passes: quantize the multiplier of each of `channels` channels,
** refuse a shift above max_shift (30 for the 32-bit requantizer, 14 for
** the 64-bit one), and set *arrays to 1 when the channels differ (the op
** then needs mote_requant_ch_bytes(channels) bytes for the arrays).
*/
static inline mote_status mote_rq_check(mote_ctx *ctx, const mote_node *node,
                                        const mote_tensor *in,
                                        const mote_tensor *w,
                                        const mote_tensor *out,
                                        uint32_t channels, int how,
                                        int max_shift, int *arrays) {
  int32_t qm0 = 0;
  int sh0 = 0;
  *arrays = 0;
  for (uint32_t c = 0; c < channels; c++) {
    int32_t qm;
    int sh;
    if (c > 0 && w->nscale <= 1) break; /* one scale: one multiplier */
    mote_rq_channel(in, w, out, c, how, &qm, &sh);
    if (sh > max_shift)
      return mote_fail(ctx, node, MOTE_E_BAD_QUANT, (int32_t)out->index,
                       "effective output scale below 2^shift", max_shift, sh);
    if (c == 0) {
      qm0 = qm;
      sh0 = sh;
    } else if (qm != qm0 || sh != sh0) {
      *arrays = 1;
    }
  }
  return MOTE_OK;
}

/*
** Real pass, after mote_rq_check gave `arrays`: fill r; `mem` holds
** mote_requant_ch_bytes(channels) bytes when arrays is 1 (multipliers
** first, 4-byte aligned, then the shifts).
*/
static inline void mote_rq_fill(mote_requant_ch *r, void *mem,
                                const mote_tensor *in, const mote_tensor *w,
                                const mote_tensor *out, uint32_t channels,
                                int how, int arrays) {
  int32_t qm;
  int sh;
  mote_rq_channel(in, w, out, 0, how, &qm, &sh);
  r->mult0 = qm;
  r->shift0 = sh;
  r->mult = NULL;
  r->shift = NULL;
  if (!arrays) return;
  int32_t *mult = (int32_t *)mem;
  int8_t *shift = (int8_t *)(void *)(mult + channels);
  for (uint32_t c = 0; c < channels; c++) {
    mote_rq_channel(in, w, out, c, how, &qm, &sh);
    mult[c] = qm;
    shift[c] = (int8_t)sh; /* in [-31, max_shift] */
  }
  r->mult = mult;
  r->shift = shift;
}

/*
** MOTE_RQ_SCRATCH: the arrays live in the op's scratch, `mote_rq_eval_bytes`
** at its end, and are filled at every eval by mote_rq_fill_eval (op_util.c)
** from input 0, the weights (input w_input) and output 0, with the same
** arithmetic as mote_rq_fill. Used only where nothing else reads the arrays
** at prepare and the op's scratch is not split between workers.
*/
static inline size_t mote_rq_eval_bytes(uint32_t channels) {
  return (mote_requant_ch_bytes(channels) + (size_t)7) & ~(size_t)7;
}

/* mote_rq_scales(..., MOTE_RQ_DOUBLE) in integer arithmetic: same bits. */
void mote_rq_scales_int(float in_scale, float ws, float out_scale, int32_t *qm,
                        int *shift);

/* Eval (MOTE_RQ_SCRATCH): fill the arrays in mem and point r at them. */
mote_status mote_rq_fill_eval(mote_ctx *ctx, const mote_node *node,
                              uint32_t w_input, uint32_t channels, int how,
                              mote_requant_ch *r, void *mem);

/* Do the per-channel float scales of w differ (else one float will do)? */
static inline int mote_scales_differ(const mote_tensor *w) {
  float s0 = mote_tensor_scale(w, 0);
  for (uint32_t c = 1; c < w->nscale; c++)
    if (mote_tensor_scale(w, c) != s0) return 1;
  return 0;
}

#endif
