/*
** FULLY_CONNECTED int8 for MVE: batch rows go in pairs through
** mote_mve_rows_s8 (conv2d_s8.c), the block CONV_2D uses for its pixel
** rows. The input offset xo is folded at prepare (with the weight offset
** wo: sum (x + xo)(w + wo) = sum x w + xo sum w + depth xo wo + wo sum x);
** the last term depends on the input and is added per row at run time,
** only when the weights have a zero point (never for TFLite int8 models).
*/
#include "arm_mve_kernels.h"

#if defined(MOTE_HAVE_ARM_MVE)
#include <arm_mve.h>

#include "mve_common.h"

void mote_fc_s8_mve_fold(const mote_fc_dims *n, const mote_fc_q_params *p,
                         const int8_t *weights, const int32_t *bias,
                         int32_t *bias_eff) {
  const uint32_t xo = (uint32_t)p->input_offset;
  const uint32_t c = (uint32_t)n->depth * xo * (uint32_t)p->filter_offset;
  mote_mve_fold_rows(n->units, n->depth, weights, bias, p->input_offset,
                     (int32_t)c, bias_eff);
}

/* wo * sum of the row x (wrapping): the input-dependent term. */
static int32_t row_term(const int8_t *x, int32_t depth, int32_t wo) {
  int32_t s = 0, k;
  if (wo == 0) return 0;
  for (k = 0; k < depth; k += 16) {
    const mve_pred16_t pr = vctp8q((uint32_t)(depth - k));
    s = vaddvaq_p_s8(s, vldrbq_z_s8(x + k, pr), pr);
  }
  return (int32_t)((uint32_t)s * (uint32_t)wo);
}

void mote_fc_s8_mve(const mote_fc_dims *n, const mote_fc_q_params *p,
                    const int8_t *input, const int8_t *weights,
                    const int32_t *bias_eff, int8_t *output) {
  const int32_t d = n->depth, u = n->units, wo = p->filter_offset;
  int32_t b;
  for (b = 0; b < n->batches; b += 2) {
    const int8_t *x0 = input + b * d;
    const int8_t *x1 = b + 1 < n->batches ? x0 + d : NULL;
    mote_mve_rows_s8(x0, x1, row_term(x0, d, wo), x1 ? row_term(x1, d, wo) : 0,
                     weights, d, u, bias_eff, &p->rq, p->output_offset,
                     p->act_min, p->act_max, output + b * u,
                     output + (b + 1) * u);
  }
}

#else
/* No MVE: no code here (ISO C wants one declaration). */
typedef int mote_mve_fc_s8_unused;
#endif
