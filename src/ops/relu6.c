/*
** RELU6, TFLM semantics: float32 clamp to [0, 6]; int8 / int16 clamp the raw
** values to [input zero point, 6.0 quantized with the input scale]. Like
** TFLM, the output quantization is not used (a model whose output scale
** differs from the input's gets the input-scale values).
*/
#include <math.h>

#include "../kernels/ref/activation_ref.h"
#include "activation_common.h"
#include "op_util.h"

typedef struct relu6_data {
  mote_act_head h;
  int32_t lo, hi;
} relu6_data;

/* The clamp bounds: the input zero point and 6.0 quantized with the input
 * scale (TFLM FloatToQuantizedType: round(6.0f / scale) + zero_point),
 * saturated to the type. */
static void bounds_q(const mote_tensor *in, int32_t *lo, int32_t *hi) {
  const double tmin = in->type == MOTE_INT8 ? INT8_MIN : INT16_MIN;
  const double tmax = in->type == MOTE_INT8 ? INT8_MAX : INT16_MAX;
  double six = round((double)(6.0f / in->scale)) + (double)in->zero_point;
  six = six < tmin ? tmin : (six > tmax ? tmax : six);
  *lo = in->zero_point;
  *hi = (int32_t)six;
}

static void apply_s8(const void *p, size_t n, const int8_t *x, int8_t *y) {
  const int32_t *b = (const int32_t *)p;
  mote_relu6_s8_ref(b[0], b[1], n, x, y);
}

/*
** Operator fusion: float32 RELU6, x > 6 ? 6 : (x < 0 ? 0 : x), is the
** clamp to [0, 6] for every x (NaN and -0.0 pass through both); int8 RELU6
** clamps the raw values, its kernel checked on all 256 inputs.
*/
static int clamp_of(const mote_tensor *in, const mote_tensor *out,
                    mote_clamp *c) {
  int32_t b[2];
  if (in->type == MOTE_FLOAT32 && out->type == MOTE_FLOAT32) {
    c->lo = c->hi = 0;
    c->flo = 0.0f;
    c->fhi = 6.0f;
    return 1;
  }
  if (in->type != MOTE_INT8 || out->type != MOTE_INT8 || in->nscale == 0 ||
      !(in->scale > 0.0f) || !isfinite(in->scale))
    return 0;
  bounds_q(in, &b[0], &b[1]);
  return mote_act_clamp_s8(apply_s8, b, b[0], b[1], c);
}

static mote_status prepare(mote_ctx *ctx, mote_node *node) {
  mote_tensor in, out;
  relu6_data d;
  MOTE_TRY(mote_act_prepare_unary(
      ctx, node, 0,
      MOTE_TYPE_BIT(MOTE_FLOAT32) | MOTE_TYPE_BIT(MOTE_INT8) |
          MOTE_TYPE_BIT(MOTE_INT16),
      "RELU6 type float32/int8/int16", &in, &out, &d.h));
  d.lo = d.hi = 0;
  if (in.type != MOTE_FLOAT32) {
    MOTE_TRY(mote_act_check_quant(ctx, node, &in));
    bounds_q(&in, &d.lo, &d.hi);
  }
  return mote_persist_data(ctx, node, &d, sizeof d);
}

static mote_status eval(mote_ctx *ctx, const mote_node *node) {
  const relu6_data *d = (const relu6_data *)node->data;
  const void *x = mote_in(ctx, node, 0);
  void *y = mote_out(ctx, node, 0);
  switch (d->h.type) {
    case MOTE_FLOAT32:
      mote_relu6_f32_ref(d->h.count, (const float *)x, (float *)y);
      break;
    case MOTE_INT8:
      mote_relu6_s8_ref(d->lo, d->hi, d->h.count, (const int8_t *)x,
                        (int8_t *)y);
      break;
    case MOTE_INT16:
      mote_relu6_s16_ref(d->lo, d->hi, d->h.count, (const int16_t *)x,
                         (int16_t *)y);
      break;
    default:
      return mote_fail(ctx, node, MOTE_E_RUNTIME, -1, "prepared type", 0,
                       d->h.type);
  }
  return MOTE_OK;
}

const mote_op_reg mote_op_RELU6 = {TFL_OP_RELU6,    "RELU6", prepare, eval,
                                   MOTE_OP_INPLACE, NULL,    clamp_of};
