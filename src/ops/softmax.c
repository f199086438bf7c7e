/*
** SOFTMAX over the last dimension, TFLM semantics:
**   float32 -> float32: exp((x - max) * beta) / sum in float;
**   int8 -> int8 (output 1/256, zero point -128) and int8 -> int16 (output
**   1/65536, zero point -32768): gemmlowp fixed-point exp on Q5.26
**   differences, reciprocal of the Q12.19 sum;
**   int16 -> int16 (output 1/32768, zero point 0): exp and 1/(1+x) tables of
**   513 entries built here, at prepare, exactly as TFLM builds them.
** Options: SoftmaxOptions.beta (absent: 0).
*/
#include <math.h>

#include "../kernels/mote_requant.h"
#include "../kernels/ref/activation_ref.h"
#include "activation_common.h"
#include "op_util.h"

typedef struct softmax_data {
  mote_dtype in_type, out_type;
  int32_t outer, depth;
  float beta;
  mote_softmax_q_params q;
  mote_softmax_s16_params s16;
} softmax_data;

static float lut_exp(float x) {
  return expf(x);
}
static float lut_one_over_one_plus(float x) {
  return 1.0f / (1.0f + x);
}

/*
** Table of f over [in_min, in_max] with 512 segments and an end point, on
** an int16 output covering [-1, 1] (TFLM gen_lut<float, int16_t, int16_t>):
** each entry is nudged so that the interpolation error at the middle of the
** segment is split evenly. All arithmetic in float like the reference.
*/
static void gen_lut16(float (*f)(float), float in_min, float in_max,
                      int16_t *lut) {
  const int steps = 512;
  const float step = (in_max - in_min) / (float)steps;
  const float half_step = step / 2.0f;
  const float out_inv = 65536.0f / 2.0f; /* int16 span / (1 - (-1)) */
  float v;
  int i;
  for (i = 0; i < steps; i++) {
    const float val = f(in_min + (float)i * step);
    const float val_mid = f(in_min + (float)i * step + half_step);
    const float val_next = f(in_min + (float)(i + 1) * step);
    const float sample = roundf(val * out_inv);
    const float mid_interp =
        roundf((val_next * out_inv + roundf(val * out_inv)) / 2.0f);
    const float mid_val = roundf(val_mid * out_inv);
    const float bias = roundf((mid_interp - mid_val) / 2.0f);
    v = sample - bias;
    v = v > -32768.0f ? v : -32768.0f;
    v = v < 32767.0f ? v : 32767.0f;
    lut[i] = (int16_t)v;
  }
  v = roundf(f(in_max) * out_inv);
  v = v > -32768.0f ? v : -32768.0f;
  v = v < 32767.0f ? v : 32767.0f;
  lut[steps] = (int16_t)v;
}

/* TF_LITE_ENSURE_NEAR on the output scale. */
static mote_status expect_scale_near(mote_ctx *ctx, const mote_node *node,
                                     const mote_tensor *t, float want) {
  float eps = 0.001f * want;
  float d = t->scale > want ? t->scale - want : want - t->scale;
  if (!(d > eps)) return MOTE_OK;
  return mote_fail(ctx, node, MOTE_E_BAD_QUANT, (int32_t)t->index,
                   "output scale (units of 1e-12, within 0.1%)",
                   mote_report_i64((double)want * 1e12),
                   mote_report_i64((double)t->scale * 1e12));
}

static mote_status prepare_s8(mote_ctx *ctx, mote_node *node,
                              const mote_tensor *in, softmax_data *d) {
  /* beta * input_scale on Q5.26, capped, as a multiplier > 1. */
  double real = (double)d->beta * (double)in->scale * (double)(1 << 26);
  int32_t qm, shift;
  if (real > 2147483647.0) real = 2147483647.0;
  if (!(real > 1.0))
    return mote_fail(ctx, node, MOTE_E_UNSUPPORTED, (int32_t)in->index,
                     "beta * input_scale * 2^26 above 1 (TFLM aborts)", 1, 0);
  MOTE_TRY(mote_act_multiplier(ctx, node, in, real, &qm, &shift));
  d->q.input_multiplier = qm;
  d->q.input_left_shift = shift;
  d->q.diff_min = -mote_input_radius(5, (int)shift);
  return MOTE_OK;
}

MOTE_OP_BODY mote_status prepare_v(mote_ctx *ctx, mote_node *node,
                                   int variant) {
  mote_tensor in, out;
  softmax_data d, *pd;
  int16_t *luts = NULL;
  MOTE_TRY(mote_act_unary_io(ctx, node, &in, &out));
  MOTE_TRY(mote_act_expect_options(ctx, node, TFL_OPT_SOFTMAX));
  if (in.ndim < 1)
    return mote_fail(ctx, node, MOTE_E_BAD_SHAPE, (int32_t)in.index,
                     "input rank at least", 1, in.ndim);
  d.in_type = in.type;
  d.out_type = out.type;
  d.depth = in.dims[in.ndim - 1];
  d.outer = mote_dims_prod(&in, 0, in.ndim - 1);
  d.beta = fb_f32(&ctx->fb, &node->options, 0, 0.0f);
  d.q.input_multiplier = d.q.input_left_shift = d.q.diff_min = 0;
  d.s16.input_multiplier = d.s16.input_left_shift = 0;
  d.s16.exp_lut = d.s16.one_over_lut = NULL;
  MOTE_TRY(mote_opv_check(ctx, node, variant, &in));
  MOTE_TRY(mote_opv_check(ctx, node, variant, &out));

  switch (variant == MOTE_OPV_INT8 ? MOTE_INT8 : in.type) {
    case MOTE_FLOAT32:
      MOTE_TRY(mote_act_same_type(ctx, node, &in, &out));
      break;
    case MOTE_INT8:
      MOTE_TRY(mote_act_check_quant(ctx, node, &in));
      if (variant == MOTE_OPV_INT8 || out.type == MOTE_INT8) {
        MOTE_TRY(mote_act_check_quant(ctx, node, &out));
        MOTE_TRY(mote_act_expect_zero_point(ctx, node, &out, -128));
        if (out.scale != 1.0f / 256)
          return mote_fail(ctx, node, MOTE_E_BAD_QUANT, (int32_t)out.index,
                           "int8 output scale 1/256 exactly", 1, 0);
      } else if (out.type == MOTE_INT16) {
        MOTE_TRY(mote_act_check_quant(ctx, node, &out));
        MOTE_TRY(mote_act_expect_zero_point(ctx, node, &out, -32768));
        MOTE_TRY(expect_scale_near(ctx, node, &out, 1.0f / 65536));
      } else {
        return mote_fail(ctx, node, MOTE_E_UNSUPPORTED, (int32_t)out.index,
                         "int8 SOFTMAX output int8 or int16", MOTE_INT8,
                         out.type);
      }
      MOTE_TRY(prepare_s8(ctx, node, &in, &d));
      break;
    case MOTE_INT16: {
      int shift = 0;
      double real;
      if (out.type != MOTE_INT16)
        return mote_fail(ctx, node, MOTE_E_UNSUPPORTED, (int32_t)out.index,
                         "int16 SOFTMAX output int16", MOTE_INT16, out.type);
      MOTE_TRY(mote_act_check_quant(ctx, node, &in));
      MOTE_TRY(mote_act_check_quant(ctx, node, &out));
      MOTE_TRY(mote_act_expect_zero_point(ctx, node, &out, 0));
      MOTE_TRY(expect_scale_near(ctx, node, &out, 1.0f / 32768));
      /* Input differences rescaled so that [-65535, 0] is [-10, 0]. */
      real = (double)in.scale * (double)d.beta / (10.0 / 65535.0);
      mote_quantize_multiplier(real, &d.s16.input_multiplier, &shift);
      if (shift > 31)
        return mote_fail(ctx, node, MOTE_E_UNSUPPORTED, (int32_t)in.index,
                         "input_scale*beta rescale exponent at most", 31,
                         shift);
      d.s16.input_left_shift = shift;
      luts = (int16_t *)mote_persist(
          ctx, 2 * MOTE_SOFTMAX_LUT_SIZE * sizeof(int16_t));
      break;
    }
    default:
      return mote_fail(ctx, node, MOTE_E_UNSUPPORTED, (int32_t)in.index,
                       "SOFTMAX input float32/int8/int16", MOTE_FLOAT32,
                       in.type);
  }

  pd = (softmax_data *)mote_persist(ctx, sizeof *pd);
  if (!pd) return MOTE_OK; /* measuring */
  if (luts) {
    gen_lut16(lut_exp, -10.0f, 0.0f, luts);
    gen_lut16(lut_one_over_one_plus, 0.0f, 1.0f, luts + MOTE_SOFTMAX_LUT_SIZE);
    d.s16.exp_lut = luts;
    d.s16.one_over_lut = luts + MOTE_SOFTMAX_LUT_SIZE;
  }
  *pd = d;
  node->data = pd;
  return MOTE_OK;
}

MOTE_OP_BODY mote_status eval_v(mote_ctx *ctx, const mote_node *node,
                                int variant) {
  const softmax_data *d = (const softmax_data *)node->data;
  const void *x = mote_in(ctx, node, 0);
  void *y = mote_out(ctx, node, 0);
  switch (variant == MOTE_OPV_INT8 ? MOTE_INT8 : d->in_type) {
    case MOTE_FLOAT32:
      mote_softmax_f32_ref(d->beta, d->outer, d->depth, (const float *)x,
                           (float *)y);
      break;
    case MOTE_INT8:
      if (variant == MOTE_OPV_INT8 || d->out_type == MOTE_INT8)
        mote_softmax_s8_ref(&d->q, d->outer, d->depth, (const int8_t *)x,
                            (int8_t *)y);
      else
        mote_softmax_s8_s16_ref(&d->q, d->outer, d->depth, (const int8_t *)x,
                                (int16_t *)y);
      break;
    case MOTE_INT16:
      mote_softmax_s16_ref(&d->s16, d->outer, d->depth, (const int16_t *)x,
                           (int16_t *)y);
      break;
    default:
      return mote_fail(ctx, node, MOTE_E_RUNTIME, -1, "prepared type", 0,
                       d->in_type);
  }
  return MOTE_OK;
}

MOTE_OP_VARIANT_FNS(prepare_v, eval_v)

/* Rows are processed element by element reading x[c] before writing y[c]:
 * in place is safe when input and output have the same size. */
const mote_op_reg mote_op_SOFTMAX = {TFL_OP_SOFTMAX,  "SOFTMAX", prepare, eval,
                                     MOTE_OP_INPLACE, NULL,      NULL};

/* int8 input and output only (MOTE_OPV_INT8). */
const mote_op_reg mote_op_SOFTMAX_INT8 = {
    TFL_OP_SOFTMAX,  "SOFTMAX", prepare_int8, eval_int8,
    MOTE_OP_INPLACE, NULL,      NULL};
