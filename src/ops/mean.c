/*
** MEAN over the constant axes (input 1, int32; negative entries count from
** the end, duplicates are ignored), ReducerOptions.keep_dims. Types:
** float32, int8, int16, with TFLM's reference arithmetic:
**  - float32: sums in input order, then divides by the element count;
**  - int8/int16 with input and output sharing scale and zero point: the
**    int32 sum divided by the count, truncated toward zero;
**  - otherwise: (sum - in_zp * count) rescaled by QuantizeMultiplier(
**    in_scale / out_scale) with 1 / count folded into the multiplier
**    (TFLite QuantizedMeanOrSum), plus the output zero point, saturated.
** Scratch: one int32 accumulator per output element (quantized types).
*/
#include "../kernels/mote_requant.h"
#include "../kernels/ref/shape_ref.h"
#include "../runtime/op_api.h"

typedef struct op_data {
  mote_mean_params p;
  mote_dtype type;
} op_data;

static int clz64(uint64_t v) {
  int n = 0;
  if (v == 0) return 64;
  while (!(v & ((uint64_t)1 << 63))) {
    v <<= 1;
    ++n;
  }
  return n;
}

static mote_status prepare(mote_ctx *ctx, mote_node *node) {
  mote_tensor in, ax, out;
  int reduced[MOTE_MAX_DIMS] = {0};
  uint32_t i, o;
  MOTE_TRY(mote_expect_ninputs(ctx, node, 2, 2));
  if (mote_node_noutputs(node) != 1)
    return mote_fail(ctx, node, MOTE_E_BAD_MODEL, -1, "number of outputs", 1,
                     mote_node_noutputs(node));
  if (node->options_type != TFL_OPT_NONE &&
      node->options_type != TFL_OPT_REDUCER)
    return mote_fail(ctx, node, MOTE_E_BAD_OPTIONS, -1,
                     "builtin_options_type ReducerOptions", TFL_OPT_REDUCER,
                     node->options_type);
  const int keep_dims = fb_bool(&ctx->fb, &node->options, 0, 0);
  MOTE_TRY(mote_node_input(ctx, node, 0, &in));
  MOTE_TRY(mote_node_input(ctx, node, 1, &ax));
  MOTE_TRY(mote_node_output(ctx, node, 0, &out));
  if (in.type != MOTE_FLOAT32 && in.type != MOTE_INT8 && in.type != MOTE_INT16)
    return mote_fail(ctx, node, MOTE_E_UNSUPPORTED, (int32_t)in.index,
                     "input type float32, int8 or int16", MOTE_INT8, in.type);
  if (out.type != in.type)
    return mote_fail(ctx, node, MOTE_E_BAD_TYPE, (int32_t)out.index,
                     "output type equal to input type", in.type, out.type);
  if (in.ndim > MOTE_MEAN_DIMS)
    return mote_fail(ctx, node, MOTE_E_UNSUPPORTED, (int32_t)in.index,
                     "input rank at most", MOTE_MEAN_DIMS, in.ndim);
  if (ax.type != MOTE_INT32)
    return mote_fail(ctx, node, MOTE_E_BAD_TYPE, (int32_t)ax.index,
                     "axis tensor type int32", MOTE_INT32, ax.type);
  if (!ax.is_const || ax.data == NULL)
    return mote_fail(ctx, node, MOTE_E_UNSUPPORTED, (int32_t)ax.index,
                     "constant axis tensor", 1, 0);
  for (i = 0; i < ax.count; ++i) {
    int64_t a = mote_shape_read_int(ax.data, 0, i);
    int64_t r = a < 0 ? a + (int64_t)in.ndim : a;
    if (r < 0 || r >= (int64_t)in.ndim)
      return mote_fail(ctx, node, MOTE_E_BAD_OPTIONS, (int32_t)ax.index,
                       "axis within [-rank, rank)", in.ndim, a);
    reduced[r] = 1;
  }

  /* Expected output shape, output strides per input axis, counts. */
  mote_mean_params p;
  const uint32_t lead = MOTE_MEAN_DIMS - in.ndim;
  int64_t num_out = 1, num_reduced = 1;
  uint32_t out_rank = 0;
  int32_t out_stride = 1;
  for (i = 0; i < MOTE_MEAN_DIMS; ++i) {
    p.in_dims[i] = 1;
    p.out_strides[i] = 0;
  }
  for (i = in.ndim; i-- > 0;) {
    p.in_dims[lead + i] = in.dims[i];
    if (reduced[i]) {
      num_reduced *= in.dims[i];
    } else {
      p.out_strides[lead + i] = out_stride;
      out_stride *= in.dims[i];
      num_out *= in.dims[i];
    }
  }
  for (i = 0, o = 0; i < in.ndim; ++i) {
    int32_t want;
    if (reduced[i] && !keep_dims) continue;
    want = reduced[i] ? 1 : in.dims[i];
    if (o >= out.ndim || out.dims[o] != want)
      return mote_fail(ctx, node, MOTE_E_BAD_SHAPE, (int32_t)out.index,
                       "output dimension of the reduced input", want,
                       o < out.ndim ? out.dims[o] : -1);
    ++o;
  }
  out_rank = o;
  /* A full reduction may be written as [1] instead of a scalar. */
  if (out.ndim != out_rank &&
      !(out_rank == 0 && out.ndim == 1 && out.dims[0] == 1))
    return mote_fail(ctx, node, MOTE_E_BAD_SHAPE, (int32_t)out.index,
                     "output rank of the reduced input", out_rank, out.ndim);
  if (num_reduced <= 0 || num_reduced > INT32_MAX)
    return mote_fail(ctx, node, MOTE_E_BAD_SHAPE, (int32_t)in.index,
                     "positive reduced element count", 1, num_reduced);
  p.num_out = (int32_t)num_out;
  p.num_reduced = (int32_t)num_reduced;
  p.same_quant = 0;
  p.in_zp = p.out_zp = p.multiplier = p.shift = 0;

  if (in.type != MOTE_FLOAT32) {
    p.in_zp = in.zero_point;
    p.out_zp = out.zero_point;
    p.same_quant = in.zero_point == out.zero_point && in.scale == out.scale;
    if (!p.same_quant) {
      int32_t qm;
      int shift;
      if (!(in.scale > 0.0f) || !(out.scale > 0.0f))
        return mote_fail(ctx, node, MOTE_E_BAD_QUANT, (int32_t)out.index,
                         "positive input and output scales", 1, 0);
      mote_quantize_multiplier((double)in.scale / (double)out.scale, &qm,
                               &shift);
      /* Fold 1/count into the multiplier (TFLite QuantizedMeanOrSum). */
      int s = 63 - clz64((uint64_t)num_reduced);
      if (s > 32) s = 32;
      if (s > 31 + shift) s = 31 + shift;
      p.multiplier = (int32_t)(((int64_t)qm * ((int64_t)1 << s)) / num_reduced);
      p.shift = shift - s;
    }
    MOTE_TRY(
        mote_request_scratch(ctx, node, (size_t)num_out * sizeof(int32_t)));
  }

  op_data *d = (op_data *)mote_persist(ctx, sizeof *d);
  if (d == NULL) return MOTE_OK;
  d->p = p;
  d->type = in.type;
  node->data = d;
  return MOTE_OK;
}

static mote_status eval(mote_ctx *ctx, const mote_node *node) {
  const op_data *d = (const op_data *)node->data;
  const void *in = mote_in(ctx, node, 0);
  void *out = mote_out(ctx, node, 0);
  switch (d->type) {
    case MOTE_INT8:
      mote_mean_s8_ref(&d->p, (const int8_t *)in, (int32_t *)node->scratch,
                       (int8_t *)out);
      break;
    case MOTE_INT16:
      mote_mean_s16_ref(&d->p, (const int16_t *)in, (int32_t *)node->scratch,
                        (int16_t *)out);
      break;
    default:
      mote_mean_f32_ref(&d->p, (const float *)in, (float *)out);
      break;
  }
  return MOTE_OK;
}

const mote_op_reg mote_op_MEAN = {TFL_OP_MEAN, "MEAN", prepare, eval,
                                  0,           NULL,   NULL};
