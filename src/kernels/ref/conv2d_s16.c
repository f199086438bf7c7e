/* CONV_2D int16x8 reference kernel with int64 bias (TFLite
 * reference_integer_ops ConvPerChannel<int64_t>): 64-bit accumulation of
 * filter * input (input zero point assumed 0, not applied), int64 bias,
 * 64-bit requantization with the 16-bit reduced multiplier, no output
 * offset, clamp. */
#include "conv_ref.h"

#include "../mote_requant.h"

static int32_t finish_b64(int64_t acc, const int64_t *bias, int32_t oc,
                          const mote_conv_q_params *p) {
  if (bias) acc += bias[oc];
  return mote_mul_by_qm64(acc, mote_requant_mult(&p->rq, oc),
                          mote_requant_shift(&p->rq, oc));
}

#define MOTE_CONV16_FN mote_conv2d_s16_ref
#define MOTE_CONV16_BIAS_T int64_t
#define MOTE_CONV16_FINISH(acc, bias, oc) finish_b64(acc, bias, oc, p)
#include "conv2d_s16_body.h"
