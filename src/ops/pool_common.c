#include "pool_common.h"

#include <math.h>

#include "../kernels/isa.h"
#include "elementwise_common.h"
#include "op_util.h"

/* Pool2DOptions field ids. */
enum {
  POOL_PADDING = 0,
  POOL_STRIDE_W = 1,
  POOL_STRIDE_H = 2,
  POOL_FILTER_W = 3,
  POOL_FILTER_H = 4,
  POOL_ACTIVATION = 5
};

mote_status mote_pool_prepare(mote_ctx *ctx, mote_node *node, int variant) {
  mote_tensor in, out;
  mote_pool_data d, *pd;
  mote_pool_params *p = &d.p;
  const fb_buf *fb = &ctx->fb;
  int32_t padding, act, off;
  MOTE_TRY(mote_expect_ninputs(ctx, node, 1, 1));
  if (mote_node_noutputs(node) != 1)
    return mote_fail(ctx, node, MOTE_E_BAD_MODEL, -1, "number of outputs", 1,
                     mote_node_noutputs(node));
  MOTE_TRY(mote_node_input(ctx, node, 0, &in));
  MOTE_TRY(mote_node_output(ctx, node, 0, &out));
  MOTE_TRY(mote_opv_check(ctx, node, variant, &in));
  MOTE_TRY(mote_expect_type(ctx, node, &out, in.type));
  if (in.type != MOTE_FLOAT32 && in.type != MOTE_INT8 && in.type != MOTE_INT16)
    return mote_fail(ctx, node, MOTE_E_UNSUPPORTED, (int32_t)in.index,
                     "pooling type float32/int8/int16", MOTE_FLOAT32, in.type);
  if (in.ndim != 4)
    return mote_fail(ctx, node, MOTE_E_BAD_SHAPE, (int32_t)in.index,
                     "input rank (NHWC)", 4, in.ndim);
  if (out.ndim != 4)
    return mote_fail(ctx, node, MOTE_E_BAD_SHAPE, (int32_t)out.index,
                     "output rank (NHWC)", 4, out.ndim);

  if (node->options_type != TFL_OPT_POOL2D || node->options.pos == 0)
    return mote_fail(ctx, node, MOTE_E_BAD_OPTIONS, -1,
                     "Pool2DOptions present (options type)", TFL_OPT_POOL2D,
                     node->options_type);
  padding = fb_i8(fb, &node->options, POOL_PADDING, 0);
  p->stride_w = fb_i32(fb, &node->options, POOL_STRIDE_W, 0);
  p->stride_h = fb_i32(fb, &node->options, POOL_STRIDE_H, 0);
  p->filter_w = fb_i32(fb, &node->options, POOL_FILTER_W, 0);
  p->filter_h = fb_i32(fb, &node->options, POOL_FILTER_H, 0);
  act = fb_i8(fb, &node->options, POOL_ACTIVATION, 0);
  if (padding != TFL_PAD_SAME && padding != TFL_PAD_VALID)
    return mote_fail(ctx, node, MOTE_E_BAD_OPTIONS, -1,
                     "padding SAME(0)/VALID(1)", 0, padding);
  if (p->stride_w <= 0 || p->stride_h <= 0)
    return mote_fail(ctx, node, MOTE_E_BAD_OPTIONS, -1, "positive strides", 1,
                     p->stride_w <= 0 ? p->stride_w : p->stride_h);
  if (p->filter_w <= 0 || p->filter_h <= 0)
    return mote_fail(ctx, node, MOTE_E_BAD_OPTIONS, -1, "positive filter size",
                     1, p->filter_w <= 0 ? p->filter_w : p->filter_h);
  if (act < TFL_ACT_NONE || act > TFL_ACT_SIGN_BIT)
    return mote_fail(ctx, node, MOTE_E_BAD_OPTIONS, -1,
                     "fused activation in [0, 5]", 0, act);

  p->batches = in.dims[0];
  p->in_h = in.dims[1];
  p->in_w = in.dims[2];
  p->depth = in.dims[3];
  p->out_h = mote_conv_out_size(padding, p->in_h, p->filter_h, p->stride_h, 1);
  p->out_w = mote_conv_out_size(padding, p->in_w, p->filter_w, p->stride_w, 1);
  if (p->out_h <= 0 || p->out_w <= 0)
    return mote_fail(ctx, node, MOTE_E_BAD_SHAPE, (int32_t)in.index,
                     "input at least as large as the filter (VALID)",
                     p->filter_h, p->in_h);
  if (out.dims[0] != p->batches)
    return mote_fail(ctx, node, MOTE_E_BAD_SHAPE, (int32_t)out.index,
                     "output batches", p->batches, out.dims[0]);
  if (out.dims[1] != p->out_h)
    return mote_fail(ctx, node, MOTE_E_BAD_SHAPE, (int32_t)out.index,
                     "output height", p->out_h, out.dims[1]);
  if (out.dims[2] != p->out_w)
    return mote_fail(ctx, node, MOTE_E_BAD_SHAPE, (int32_t)out.index,
                     "output width", p->out_w, out.dims[2]);
  if (out.dims[3] != p->depth)
    return mote_fail(ctx, node, MOTE_E_BAD_SHAPE, (int32_t)out.index,
                     "output channels", p->depth, out.dims[3]);
  p->pad_h =
      mote_conv_padding(p->stride_h, 1, p->in_h, p->filter_h, p->out_h, &off);
  p->pad_w =
      mote_conv_padding(p->stride_w, 1, p->in_w, p->filter_w, p->out_w, &off);

  p->act_min = 0;
  p->act_max = 0;
  p->fact_min = 0.0f;
  p->fact_max = 0.0f;
  if (in.type == MOTE_FLOAT32) {
    mote_tfl_act_range_f32(act, &p->fact_min, &p->fact_max);
  } else {
    /* TFLM pools never requantize: output must share the input's. */
    if (in.nscale == 0 || out.nscale == 0)
      return mote_fail(ctx, node, MOTE_E_BAD_QUANT, (int32_t)in.index,
                       "quantized input and output", 1, 0);
    if (fabs((double)in.scale - (double)out.scale) > 1.0e-6)
      return mote_fail(ctx, node, MOTE_E_BAD_QUANT, (int32_t)out.index,
                       "output scale = input scale (1e-6)", 0, 1);
    if (in.zero_point != out.zero_point)
      return mote_fail(ctx, node, MOTE_E_BAD_QUANT, (int32_t)out.index,
                       "output zero point = input zero point", in.zero_point,
                       out.zero_point);
    MOTE_TRY(
        mote_act_range_quant(ctx, node, act, &out, &p->act_min, &p->act_max));
  }
  d.type = in.type;
  d.isa = (uint8_t)mote_isa_allowed(ctx->m->ops->isa_mask);
  d.kern = MOTE_ISA_REF; /* each op's prepare picks its int8 kernel */
  pd = (mote_pool_data *)mote_persist(ctx, sizeof *pd);
  if (!pd) return MOTE_OK;
  *pd = d;
  node->data = pd;
  return MOTE_OK;
}

const char *mote_pool_kernel(const void *data) {
  const mote_pool_data *d = (const mote_pool_data *)data;
  return d && (d->type == MOTE_INT8 || d->kern != MOTE_ISA_REF)
             ? mote_isa_name(d->kern)
             : NULL;
}
