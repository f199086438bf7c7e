/*
** RELU, TFLM semantics: float32 max(x, 0); int8 / int16 requantize from the
** input to the output scale and clamp below at the output zero point
** (int16: zero points 0).
*/
#include <math.h>

#include "../kernels/mote_requant.h"
#include "../kernels/ref/activation_ref.h"
#include "activation_common.h"
#include "op_util.h"

typedef struct relu_data {
  mote_act_head h;
  mote_relu_q_params q;
} relu_data;

/* Offsets and clamp of the quantized RELU (the multiplier apart). */
static void range_q(const mote_tensor *in, const mote_tensor *out,
                    mote_relu_q_params *q) {
  int32_t tmin = in->type == MOTE_INT8 ? INT8_MIN : INT16_MIN;
  int32_t tmax = in->type == MOTE_INT8 ? INT8_MAX : INT16_MAX;
  int32_t zero_q;
  q->input_offset = in->zero_point;
  q->output_offset = out->zero_point;
  /* 0.0 on the output scale (TFLM: zero_point + roundf(0 / scale)). */
  zero_q = out->zero_point + (int32_t)roundf(0.0f / out->scale);
  q->act_min = zero_q > tmin ? zero_q : tmin;
  q->act_max = tmax;
}

static mote_status prepare_q(mote_ctx *ctx, mote_node *node,
                             const mote_tensor *in, const mote_tensor *out,
                             mote_relu_q_params *q) {
  MOTE_TRY(mote_act_check_quant(ctx, node, in));
  MOTE_TRY(mote_act_check_quant(ctx, node, out));
  if (in->type == MOTE_INT16) {
    MOTE_TRY(mote_act_expect_zero_point(ctx, node, in, 0));
    MOTE_TRY(mote_act_expect_zero_point(ctx, node, out, 0));
  }
  MOTE_TRY(mote_act_multiplier(ctx, node, out,
                               (double)in->scale / (double)out->scale,
                               &q->multiplier, &q->shift));
  range_q(in, out, q);
  return MOTE_OK;
}

static void apply_s8(const void *p, size_t n, const int8_t *x, int8_t *y) {
  mote_relu_s8_ref((const mote_relu_q_params *)p, n, x, y);
}

/*
** Operator fusion: float32 RELU, x < 0 ? 0 : x, is the clamp to [0, +inf]
** for every x (NaN and -0.0 pass through both). int8 RELU requantizes
** from the input to the output scale, then clamps at the output zero
** point: with the parameters prepare computes, its kernel is run on all
** 256 inputs and accepted only if it is that clamp alone (equal scales
** give the multiplier 2^30 with shift 1, the identity).
*/
static int clamp_of(const mote_tensor *in, const mote_tensor *out,
                    mote_clamp *c) {
  mote_relu_q_params q;
  int s = 0;
  if (in->type == MOTE_FLOAT32 && out->type == MOTE_FLOAT32) {
    c->lo = c->hi = 0;
    c->flo = 0.0f;
    c->fhi = INFINITY;
    return 1;
  }
  if (in->type != MOTE_INT8 || out->type != MOTE_INT8 || in->nscale == 0 ||
      out->nscale == 0 || !(in->scale > 0.0f) || !(out->scale > 0.0f) ||
      !isfinite(in->scale) || !isfinite(out->scale))
    return 0;
  mote_quantize_multiplier((double)in->scale / (double)out->scale,
                           &q.multiplier, &s);
  if (s > 31) return 0;
  q.shift = s;
  range_q(in, out, &q);
  return mote_act_clamp_s8(apply_s8, &q, q.act_min, q.act_max, c);
}

static mote_status prepare(mote_ctx *ctx, mote_node *node) {
  mote_tensor in, out;
  relu_data d;
  MOTE_TRY(mote_act_prepare_unary(
      ctx, node, 0,
      MOTE_TYPE_BIT(MOTE_FLOAT32) | MOTE_TYPE_BIT(MOTE_INT8) |
          MOTE_TYPE_BIT(MOTE_INT16),
      "RELU type float32/int8/int16", &in, &out, &d.h));
  if (in.type != MOTE_FLOAT32) MOTE_TRY(prepare_q(ctx, node, &in, &out, &d.q));
  return mote_persist_data(ctx, node, &d, sizeof d);
}

static mote_status eval(mote_ctx *ctx, const mote_node *node) {
  const relu_data *d = (const relu_data *)node->data;
  const void *x = mote_in(ctx, node, 0);
  void *y = mote_out(ctx, node, 0);
  switch (d->h.type) {
    case MOTE_FLOAT32:
      mote_relu_f32_ref(d->h.count, (const float *)x, (float *)y);
      break;
    case MOTE_INT8:
      mote_relu_s8_ref(&d->q, d->h.count, (const int8_t *)x, (int8_t *)y);
      break;
    case MOTE_INT16:
      mote_relu_s16_ref(&d->q, d->h.count, (const int16_t *)x, (int16_t *)y);
      break;
    default:
      return mote_fail(ctx, node, MOTE_E_RUNTIME, -1, "prepared type", 0,
                       d->h.type);
  }
  return MOTE_OK;
}

const mote_op_reg mote_op_RELU = {TFL_OP_RELU,     "RELU", prepare, eval,
                                  MOTE_OP_INPLACE, NULL,   clamp_of};
