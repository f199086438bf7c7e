/*
** TRANSPOSE_CONV: inputs output_shape (int32 [4]), weights [out_c, f_h,
** f_w, in_c], input [n, h, w, in_c], optional bias [out_c]; output
** [n, out_h, out_w, out_c] (its shape comes from the model and must equal
** output_shape when that is constant; TFLM ignores output_shape).
**
** Types, as TFLM: float32; int8 with per-tensor or per-channel (dim 0)
** int8 weights and int32 bias; int16 (zero point 0) with int8 weights and
** int64 or int16 bias (int64 accumulators). Padding is TFLite's padding
** computed on the output extent (dilation 1); only the leading padding is
** used. Fused activation: TFLM applies it to float32 only and clamps the
** quantized outputs to the type range whatever the option says; mote does
** the same so results stay bit-exact with TFLM.
*/
#include <string.h>

#include "../kernels/mote_requant.h"
#include "../kernels/ref/tconv_ref.h"
#include "op_requant.h"

enum { TC_F32 = 0, TC_S8, TC_S16 };

/*
** Persistent op data: the kernel's parameters only (the geometry is
** re-derived from the model at eval); per-channel multipliers and shifts
** follow in the same allocation only when the channels differ.
*/
typedef struct tconv_data {
  union {
    mote_tconv_q_params q;
    mote_tconv_f32_params f;
  } p;
  uint8_t kind;
  uint8_t bias16; /* int16 bias widened to int64 at eval (16x8) */
} tconv_data;

static mote_status fail(mote_ctx *ctx, const mote_node *n, mote_status st,
                        const mote_tensor *t, const char *what,
                        int64_t expected, int64_t got) {
  return mote_fail(ctx, n, st, t ? (int32_t)t->index : -1, what, expected, got);
}

/* TFLite ComputePaddingHeightWidth for one axis, evaluated on the output
 * extent as the transpose conv kernels do (dilation 1). */
static int32_t tconv_pad(int padding, int32_t stride, int32_t extent,
                         int32_t filter) {
  int64_t out;
  if (padding == TFL_PAD_SAME)
    out = ((int64_t)extent + stride - 1) / stride;
  else
    out = ((int64_t)extent + stride - filter) / stride;
  int64_t total = (out - 1) * stride + filter - extent;
  if (total < 0) total = 0;
  return (int32_t)(total / 2);
}

/* Options prepare validates and eval decodes again. */
typedef struct tconv_opts {
  int padding, act;
  int32_t stride_w, stride_h;
} tconv_opts;

static void read_opts(const mote_ctx *ctx, const mote_node *node,
                      tconv_opts *o) {
  const fb_buf *fb = &ctx->fb;
  const fb_table *opt = &node->options;
  o->padding = (int)fb_i8(fb, opt, 0, TFL_PAD_SAME);
  o->stride_w = fb_i32(fb, opt, 1, 0);
  o->stride_h = fb_i32(fb, opt, 2, 0);
  o->act = (int)fb_i8(fb, opt, 3, TFL_ACT_NONE);
}

/* Geometry from input, weights, output and options (prepare and eval). */
static void tconv_geometry(const mote_tensor *in, const mote_tensor *w,
                           const mote_tensor *out, const tconv_opts *o,
                           mote_tconv_geom *g) {
  g->batches = in->dims[0];
  g->in_h = in->dims[1];
  g->in_w = in->dims[2];
  g->in_c = in->dims[3];
  g->out_h = out->dims[1];
  g->out_w = out->dims[2];
  g->out_c = w->dims[0];
  g->f_h = w->dims[1];
  g->f_w = w->dims[2];
  g->stride_h = o->stride_h;
  g->stride_w = o->stride_w;
  g->pad_h = tconv_pad(o->padding, o->stride_h, g->out_h, g->f_h);
  g->pad_w = tconv_pad(o->padding, o->stride_w, g->out_w, g->f_w);
}

static mote_status prepare(mote_ctx *ctx, mote_node *node) {
  MOTE_TRY(mote_expect_ninputs(ctx, node, 3, 4));
  if (mote_node_noutputs(node) != 1)
    return fail(ctx, node, MOTE_E_BAD_MODEL, NULL, "one output", 1,
                mote_node_noutputs(node));
  if (node->options_type != TFL_OPT_NONE &&
      node->options_type != TFL_OPT_TRANSPOSE_CONV)
    return fail(ctx, node, MOTE_E_BAD_OPTIONS, NULL, "TransposeConvOptions",
                TFL_OPT_TRANSPOSE_CONV, node->options_type);
  tconv_opts o;
  read_opts(ctx, node, &o);
  const int padding = o.padding, act = o.act;
  const int32_t stride_w = o.stride_w, stride_h = o.stride_h;
  if (padding != TFL_PAD_SAME && padding != TFL_PAD_VALID)
    return fail(ctx, node, MOTE_E_BAD_OPTIONS, NULL, "padding SAME or VALID",
                TFL_PAD_SAME, padding);
  if (stride_w <= 0 || stride_h <= 0)
    return fail(ctx, node, MOTE_E_BAD_OPTIONS, NULL, "positive strides", 1,
                stride_w <= 0 ? stride_w : stride_h);

  mote_tensor shape, w, in, bias, out;
  MOTE_TRY(mote_node_input(ctx, node, 0, &shape));
  MOTE_TRY(mote_node_input(ctx, node, 1, &w));
  MOTE_TRY(mote_node_input(ctx, node, 2, &in));
  int has_bias = mote_node_input_index(ctx, node, 3) >= 0;
  if (has_bias) MOTE_TRY(mote_node_input(ctx, node, 3, &bias));
  MOTE_TRY(mote_node_output(ctx, node, 0, &out));
  /* Keep every position the kernel computes (iy * stride + fy) in int32. */
  if (in.ndim == 4 && w.ndim == 4 &&
      ((int64_t)in.dims[1] * stride_h + w.dims[1] > INT32_MAX / 2 ||
       (int64_t)in.dims[2] * stride_w + w.dims[2] > INT32_MAX / 2))
    return fail(ctx, node, MOTE_E_OVERFLOW, &in,
                "input extent * stride + filter below 2^30", INT32_MAX / 2,
                (int64_t)in.dims[1] * stride_h);

  /* Types. */
  if (in.type != out.type)
    return fail(ctx, node, MOTE_E_BAD_TYPE, &out, "output type equal to input",
                in.type, out.type);
  int32_t kind;
  int bias16 = 0;
  switch (in.type) {
    case MOTE_FLOAT32:
      if (w.type != MOTE_FLOAT32)
        return fail(ctx, node, MOTE_E_UNSUPPORTED, &w,
                    "float32 weights (hybrid transpose conv unsupported)",
                    MOTE_FLOAT32, w.type);
      if (has_bias && bias.type != MOTE_FLOAT32)
        return fail(ctx, node, MOTE_E_BAD_TYPE, &bias, "float32 bias",
                    MOTE_FLOAT32, bias.type);
      kind = TC_F32;
      break;
    case MOTE_INT8:
      if (w.type != MOTE_INT8)
        return fail(ctx, node, MOTE_E_UNSUPPORTED, &w, "int8 weights",
                    MOTE_INT8, w.type);
      if (has_bias && bias.type != MOTE_INT32)
        return fail(ctx, node, MOTE_E_BAD_TYPE, &bias, "int32 bias", MOTE_INT32,
                    bias.type);
      kind = TC_S8;
      break;
    case MOTE_INT16:
      if (w.type != MOTE_INT8)
        return fail(ctx, node, MOTE_E_UNSUPPORTED, &w,
                    "int8 weights for int16 input", MOTE_INT8, w.type);
      if (has_bias && bias.type != MOTE_INT64 && bias.type != MOTE_INT16)
        return fail(ctx, node, MOTE_E_UNSUPPORTED, &bias,
                    "int64 or int16 bias for int16 input", MOTE_INT64,
                    bias.type);
      bias16 = has_bias && bias.type == MOTE_INT16;
      kind = TC_S16;
      break;
    default:
      return fail(ctx, node, MOTE_E_UNSUPPORTED, &in,
                  "input type float32, int8 or int16", MOTE_INT8, in.type);
  }

  /* Shapes. */
  if (in.ndim != 4)
    return fail(ctx, node, MOTE_E_BAD_SHAPE, &in, "input rank 4", 4, in.ndim);
  if (w.ndim != 4)
    return fail(ctx, node, MOTE_E_BAD_SHAPE, &w, "weights rank 4", 4, w.ndim);
  if (out.ndim != 4)
    return fail(ctx, node, MOTE_E_BAD_SHAPE, &out, "output rank 4", 4,
                out.ndim);
  for (uint32_t i = 0; i < 4; i++)
    if (w.dims[i] <= 0)
      return fail(ctx, node, MOTE_E_BAD_SHAPE, &w, "positive weights dims", 1,
                  w.dims[i]);
  if (out.dims[0] != in.dims[0])
    return fail(ctx, node, MOTE_E_BAD_SHAPE, &out,
                "output batch equal to input batch", in.dims[0], out.dims[0]);
  if (w.dims[3] != in.dims[3])
    return fail(ctx, node, MOTE_E_BAD_SHAPE, &w,
                "weights dim 3 equal to input channels", in.dims[3], w.dims[3]);
  if (out.dims[3] != w.dims[0])
    return fail(ctx, node, MOTE_E_BAD_SHAPE, &out,
                "output channels equal to weights dim 0", w.dims[0],
                out.dims[3]);
  if (shape.type != MOTE_INT32)
    return fail(ctx, node, MOTE_E_BAD_TYPE, &shape, "int32 output_shape",
                MOTE_INT32, shape.type);
  if (shape.count != 4)
    return fail(ctx, node, MOTE_E_BAD_SHAPE, &shape,
                "output_shape with 4 elements", 4, (int64_t)shape.count);
  if (shape.is_const && shape.data) {
    const uint8_t *s = (const uint8_t *)shape.data;
    for (uint32_t i = 0; i < 4; i++) {
      int32_t v = (int32_t)((uint32_t)s[4 * i] | ((uint32_t)s[4 * i + 1] << 8) |
                            ((uint32_t)s[4 * i + 2] << 16) |
                            ((uint32_t)s[4 * i + 3] << 24));
      if (v != out.dims[i])
        return fail(ctx, node, MOTE_E_BAD_SHAPE, &out,
                    "output dims equal to output_shape", v, out.dims[i]);
    }
  }
  int32_t out_c = w.dims[0];
  if (has_bias && bias.count != (size_t)out_c)
    return fail(ctx, node, MOTE_E_BAD_SHAPE, &bias,
                "bias size equal to output channels", out_c,
                (int64_t)bias.count);

  /* Quantization and activation. */
  int32_t act_min = 0, act_max = 0;
  float f_min = 0.0f, f_max = 0.0f;
  if (kind == TC_F32) {
    MOTE_TRY(mote_act_range_float(ctx, node, act, &f_min, &f_max));
  } else {
    if (act != TFL_ACT_NONE && act != TFL_ACT_RELU &&
        act != TFL_ACT_RELU_N1_TO_1 && act != TFL_ACT_RELU6)
      return fail(ctx, node, MOTE_E_UNSUPPORTED, NULL,
                  "fused activation NONE/RELU/RELU6/RELU_N1_TO_1", 0, act);
    if (in.nscale < 1 || !(in.scale > 0.0f))
      return fail(ctx, node, MOTE_E_BAD_QUANT, &in,
                  "quantized input with positive scale", 1, in.nscale);
    if (out.nscale < 1 || !(out.scale > 0.0f))
      return fail(ctx, node, MOTE_E_BAD_QUANT, &out,
                  "quantized output with positive scale", 1, out.nscale);
    if (w.nscale != 1 && w.nscale != (uint32_t)out_c)
      return fail(ctx, node, MOTE_E_BAD_QUANT, &w,
                  "one weights scale, or one per output channel", out_c,
                  w.nscale);
    if (w.nzero != w.nscale)
      return fail(ctx, node, MOTE_E_BAD_QUANT, &w,
                  "as many weights zero points as scales", w.nscale, w.nzero);
    if (w.nscale > 1 && w.quant_dim != 0)
      return fail(ctx, node, MOTE_E_BAD_QUANT, &w,
                  "weights quantized on dimension 0", 0, w.quant_dim);
    if (kind == TC_S16 && (in.zero_point != 0 || out.zero_point != 0))
      return fail(ctx, node, MOTE_E_BAD_QUANT, in.zero_point != 0 ? &in : &out,
                  "int16 zero point 0", 0,
                  in.zero_point != 0 ? in.zero_point : out.zero_point);
    /* TFLM computes the quantized range with no activation. */
    MOTE_TRY(mote_act_range_quant(ctx, node, TFL_ACT_NONE, &out, &act_min,
                                  &act_max));
  }

  /* Requantization: per-channel arrays only when the channels differ. */
  int arrays = 0;
  if (kind != TC_F32)
    MOTE_TRY(mote_rq_check(ctx, node, &in, &w, &out, (uint32_t)out_c,
                           MOTE_RQ_DOUBLE, kind == TC_S16 ? 14 : 30, &arrays));

  /* Memory. */
  size_t acc_bytes = 0, scratch = 0;
  if (kind == TC_S8) acc_bytes = out.count * sizeof(int32_t);
  if (kind == TC_S16) acc_bytes = out.count * sizeof(int64_t);
  scratch = acc_bytes + (bias16 ? (size_t)out_c * sizeof(int64_t) : 0u);
  size_t arr = arrays ? mote_requant_ch_bytes((uint32_t)out_c) : 0u;
  uint8_t *mem = (uint8_t *)mote_persist(ctx, sizeof(tconv_data) + arr);
  if (scratch) MOTE_TRY(mote_request_scratch(ctx, node, scratch));
  if (!mem) return MOTE_OK;

  tconv_data *d = (tconv_data *)(void *)mem;
  memset(d, 0, sizeof *d);
  d->kind = (uint8_t)kind;
  d->bias16 = (uint8_t)bias16;
  if (kind == TC_F32) {
    d->p.f.act_min = f_min;
    d->p.f.act_max = f_max;
  } else {
    mote_tconv_q_params *q = &d->p.q;
    mote_rq_fill(&q->rq, mem + sizeof(tconv_data), &in, &w, &out,
                 (uint32_t)out_c, MOTE_RQ_DOUBLE, arrays);
    q->input_offset = kind == TC_S8 ? -in.zero_point : 0;
    q->output_offset = kind == TC_S8 ? out.zero_point : 0;
    q->act_min = act_min;
    q->act_max = act_max;
  }
  node->data = d;
  return MOTE_OK;
}

static mote_status eval(mote_ctx *ctx, const mote_node *node) {
  const tconv_data *d = (const tconv_data *)node->data;
  const void *w = mote_in(ctx, node, 1);
  const void *in = mote_in(ctx, node, 2);
  const void *bias = mote_in(ctx, node, 3);
  void *out = mote_out(ctx, node, 0);
  mote_tensor tw, tin, tout;
  tconv_opts o;
  mote_tconv_geom g;
  MOTE_TRY(mote_node_input(ctx, node, 1, &tw));
  MOTE_TRY(mote_node_input(ctx, node, 2, &tin));
  MOTE_TRY(mote_node_output(ctx, node, 0, &tout));
  read_opts(ctx, node, &o);
  tconv_geometry(&tin, &tw, &tout, &o, &g);
  switch (d->kind) {
    case TC_F32:
      mote_tconv_f32_ref(&g, &d->p.f, (const float *)in, (const float *)w,
                         (const float *)bias, (float *)out);
      break;
    case TC_S8:
      mote_tconv_s8_ref(&g, &d->p.q, (const int8_t *)in, (const int8_t *)w,
                        (const int32_t *)bias, (int8_t *)out,
                        (int32_t *)node->scratch);
      break;
    case TC_S16: {
      const int64_t *b64 = (const int64_t *)bias;
      if (d->bias16 && bias) {
        int64_t *wide = (int64_t *)(void *)((uint8_t *)node->scratch +
                                            tout.count * sizeof(int64_t));
        const int16_t *b16 = (const int16_t *)bias;
        for (int32_t c = 0; c < g.out_c; c++) wide[c] = b16[c];
        b64 = wide;
      }
      mote_tconv_s16_ref(&g, &d->p.q, (const int16_t *)in, (const int8_t *)w,
                         b64, (int16_t *)out, (int64_t *)node->scratch);
      break;
    }
    default:
      return MOTE_E_RUNTIME;
  }
  return MOTE_OK;
}

const mote_op_reg mote_op_TRANSPOSE_CONV = {
    TFL_OP_TRANSPOSE_CONV, "TRANSPOSE_CONV", prepare, eval, 0, NULL, NULL};
