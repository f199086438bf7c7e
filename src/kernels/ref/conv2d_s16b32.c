/* CONV_2D int16x8 reference kernel with int32 bias (TFLite
 * reference_integer_ops ConvPerChannel<int32_t>, which TFLM picks for an
 * int32 bias): int32 (wrapping) accumulation of
 * filter * input, int32 bias, 32-bit double-rounding requantization, no
 * offsets, clamp. */
#include "conv_ref.h"

#include "../mote_requant.h"

static int32_t finish_b32(int64_t acc, const int32_t *bias, int32_t oc,
                          const mote_conv_q_params *p) {
  int32_t a = mote_conv_wrap_i32(acc);
  if (bias) a = mote_conv_wrap_i32((int64_t)a + bias[oc]);
  return mote_mul_by_qm(a, mote_requant_mult(&p->rq, oc),
                        mote_requant_shift(&p->rq, oc));
}

#define MOTE_CONV16_FN mote_conv2d_s16b32_ref
#define MOTE_CONV16_BIAS_T int32_t
#define MOTE_CONV16_FINISH(acc, bias, oc) finish_b32(acc, bias, oc, p)
#include "conv2d_s16_body.h"
