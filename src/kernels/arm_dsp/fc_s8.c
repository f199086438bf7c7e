/*
** FULLY_CONNECTED int8 for the Cortex-M DSP extension: two units at a
** time share one split of each input word into 16-bit lanes (input offset
** added by __sxtab16); weights are split the same way with the weight
** offset; __smlad accumulates two products per instruction.
*/
#include "arm_dsp.h"

#if defined(MOTE_HAVE_ARM_DSP)
#include "dsp_common.h"

/* Dot product of x (depth d) with one weight row, plus acc. */
static int32_t dot1(const int8_t *x, const int8_t *w, int32_t d, int32_t xo2,
                    int32_t wo2, int32_t xoff, int32_t woff, int32_t acc) {
  int32_t k;
  for (k = 0; k + 4 <= d; k += 4) {
    const int32_t xv = mote_dsp_ld32(x + k), wv = mote_dsp_ld32(w + k);
    acc = __smlad((int16x2_t)mote_dsp_even(xo2, xv),
                  (int16x2_t)mote_dsp_even(wo2, wv), acc);
    acc = __smlad((int16x2_t)mote_dsp_odd(xo2, xv),
                  (int16x2_t)mote_dsp_odd(wo2, wv), acc);
  }
  for (; k < d; k++)
    acc = (int32_t)((uint32_t)acc + (uint32_t)(((int32_t)x[k] + xoff) *
                                               ((int32_t)w[k] + woff)));
  return acc;
}

void mote_fc_s8_dsp(const mote_fc_dims *n, const mote_fc_q_params *p,
                    const int8_t *input, const int8_t *weights,
                    const int32_t *bias, int8_t *output) {
  const int32_t d = n->depth, units = n->units;
  const int32_t xoff = p->input_offset, woff = p->filter_offset;
  const int32_t xo2 = mote_dsp_dup16(xoff), wo2 = mote_dsp_dup16(woff);
  const int32_t lo = p->act_min, hi = p->act_max, zo = p->output_offset;
  int32_t b, u, k;
  for (b = 0; b < n->batches; b++) {
    const int8_t *x = input + b * d;
    int8_t *y = output + b * units;
    /* Two units at a time: every value stays in a register (four
     * spilled), so each input word's split serves two weight words. */
    for (u = 0; u + 2 <= units; u += 2) {
      const int8_t *w0 = weights + u * d;
      const int8_t *w1 = w0 + d;
      int32_t a0 = bias ? bias[u] : 0, a1 = bias ? bias[u + 1] : 0;
      for (k = 0; k + 4 <= d; k += 4) {
        const int32_t xv = mote_dsp_ld32(x + k);
        const int32_t xe = mote_dsp_even(xo2, xv), xd = mote_dsp_odd(xo2, xv);
        int32_t wv = mote_dsp_ld32(w0 + k);
        a0 = __smlad((int16x2_t)xe, (int16x2_t)mote_dsp_even(wo2, wv), a0);
        a0 = __smlad((int16x2_t)xd, (int16x2_t)mote_dsp_odd(wo2, wv), a0);
        wv = mote_dsp_ld32(w1 + k);
        a1 = __smlad((int16x2_t)xe, (int16x2_t)mote_dsp_even(wo2, wv), a1);
        a1 = __smlad((int16x2_t)xd, (int16x2_t)mote_dsp_odd(wo2, wv), a1);
      }
      if (k < d) {
        a0 = dot1(x + k, w0 + k, d - k, xo2, wo2, xoff, woff, a0);
        a1 = dot1(x + k, w1 + k, d - k, xo2, wo2, xoff, woff, a1);
      }
      y[u] = mote_dsp_requant(a0, &p->rq, u, zo, lo, hi);
      y[u + 1] = mote_dsp_requant(a1, &p->rq, u + 1, zo, lo, hi);
    }
    for (; u < units; u++) {
      int32_t a =
          dot1(x, weights + u * d, d, xo2, wo2, xoff, woff, bias ? bias[u] : 0);
      y[u] = mote_dsp_requant(a, &p->rq, u, zo, lo, hi);
    }
  }
}

#else
/* No DSP extension: no code here (ISO C wants one declaration). */
typedef int mote_dsp_fc_s8_unused;
#endif
