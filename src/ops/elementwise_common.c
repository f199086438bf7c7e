#include "elementwise_common.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include "op_util.h"

mote_status mote_binary_prepare(mote_ctx *ctx, const mote_node *node,
                                int opt_tag, mote_binary_io *io) {
  int32_t dims[MOTE_MAX_DIMS];
  uint32_t n = 0, i;
  int r;
  MOTE_TRY(mote_expect_ninputs(ctx, node, 2, 2));
  if (mote_node_noutputs(node) != 1)
    return mote_fail(ctx, node, MOTE_E_BAD_MODEL, -1, "number of outputs", 1,
                     mote_node_noutputs(node));
  MOTE_TRY(mote_node_input(ctx, node, 0, &io->in1));
  MOTE_TRY(mote_node_input(ctx, node, 1, &io->in2));
  MOTE_TRY(mote_node_output(ctx, node, 0, &io->out));
  MOTE_TRY(mote_expect_type(ctx, node, &io->in2, io->in1.type));
  MOTE_TRY(mote_expect_type(ctx, node, &io->out, io->in1.type));

  if (node->options_type != 0 && node->options_type != opt_tag)
    return mote_fail(ctx, node, MOTE_E_BAD_OPTIONS, -1, "builtin options type",
                     opt_tag, node->options_type);
  io->activation = fb_i8(&ctx->fb, &node->options, 0, 0);
  if (io->activation < TFL_ACT_NONE || io->activation > TFL_ACT_SIGN_BIT)
    return mote_fail(ctx, node, MOTE_E_BAD_OPTIONS, -1,
                     "fused activation in [0, 5]", 0, io->activation);

  r = mote_bcast_init(&io->bc, io->in1.dims, io->in1.ndim, io->in2.dims,
                      io->in2.ndim, dims, &n);
  if (r == MOTE_BCAST_INCOMPATIBLE)
    return mote_fail(ctx, node, MOTE_E_BAD_SHAPE, (int32_t)io->in2.index,
                     "input shapes broadcastable to each other (rank)",
                     io->in1.ndim, io->in2.ndim);
  if (r == MOTE_BCAST_TOO_MANY_DIMS)
    return mote_fail(ctx, node, MOTE_E_UNSUPPORTED, (int32_t)io->in1.index,
                     "broadcast rank at most", MOTE_BCAST_MAX_DIMS, n);
  if (io->out.ndim != n)
    return mote_fail(ctx, node, MOTE_E_BAD_SHAPE, (int32_t)io->out.index,
                     "output rank = broadcast rank", n, io->out.ndim);
  for (i = 0; i < n; i++)
    if (io->out.dims[i] != dims[i])
      return mote_fail(ctx, node, MOTE_E_BAD_SHAPE, (int32_t)io->out.index,
                       "output extent = broadcast extent", dims[i],
                       io->out.dims[i]);
  return MOTE_OK;
}

void mote_tfl_act_range_f32(int32_t act, float *lo, float *hi) {
  *lo = -FLT_MAX;
  *hi = FLT_MAX;
  if (act == TFL_ACT_RELU) {
    *lo = 0.0f;
  } else if (act == TFL_ACT_RELU6) {
    *lo = 0.0f;
    *hi = 6.0f;
  } else if (act == TFL_ACT_RELU_N1_TO_1) {
    *lo = -1.0f;
    *hi = 1.0f;
  }
}

void mote_tfl_act_range_i32(int32_t act, int32_t *lo, int32_t *hi) {
  *lo = INT32_MIN;
  *hi = INT32_MAX;
  if (act == TFL_ACT_RELU) {
    *lo = 0;
  } else if (act == TFL_ACT_RELU6) {
    *lo = 0;
    *hi = 6;
  } else if (act == TFL_ACT_RELU_N1_TO_1) {
    *lo = -1;
    *hi = 1;
  }
}

mote_status mote_binary_check_quant(mote_ctx *ctx, const mote_node *node,
                                    const mote_tensor *t) {
  int32_t lo = t->type == MOTE_INT16 ? INT16_MIN : INT8_MIN;
  int32_t hi = t->type == MOTE_INT16 ? INT16_MAX : INT8_MAX;
  if (t->nscale == 0 || !(t->scale > 0.0f) || !isfinite(t->scale))
    return mote_fail(ctx, node, MOTE_E_BAD_QUANT, (int32_t)t->index,
                     "positive finite per-tensor scale", 1, t->nscale);
  if (t->zero_point < lo || t->zero_point > hi)
    return mote_fail(ctx, node, MOTE_E_BAD_QUANT, (int32_t)t->index,
                     "zero point within the type's range", lo, t->zero_point);
  return MOTE_OK;
}

int mote_quantize_multiplier_lt1(double real, int32_t *qm, int32_t *shift) {
  int s = 0;
  if (!(real > 0.0 && real < 1.0)) return 0;
  mote_quantize_multiplier(real, qm, &s);
  if (s > 0) return 0;
  *shift = s;
  return 1;
}

mote_status mote_binary_prepare_op(mote_ctx *ctx, const mote_node *node,
                                   int opt_tag, const char *type_what,
                                   mote_binary_io *io, mote_binary_data *d) {
  MOTE_TRY(mote_binary_prepare(ctx, node, opt_tag, io));
  d->bc = io->bc;
  d->type = io->out.type;
  switch (io->out.type) {
    case MOTE_FLOAT32:
      mote_tfl_act_range_f32(io->activation, &d->f32.act_min, &d->f32.act_max);
      break;
    case MOTE_INT32:
      mote_tfl_act_range_i32(io->activation, &d->i32.act_min, &d->i32.act_max);
      break;
    case MOTE_INT8:
    case MOTE_INT16:
      break;
    default:
      return mote_fail(ctx, node, MOTE_E_UNSUPPORTED, (int32_t)io->out.index,
                       type_what, MOTE_FLOAT32, io->out.type);
  }
  return MOTE_OK;
}

mote_status mote_binary_check_quant_io(mote_ctx *ctx, const mote_node *node,
                                       const mote_binary_io *io) {
  MOTE_TRY(mote_binary_check_quant(ctx, node, &io->in1));
  MOTE_TRY(mote_binary_check_quant(ctx, node, &io->in2));
  return mote_binary_check_quant(ctx, node, &io->out);
}

mote_status mote_addsub_prepare_quant(mote_ctx *ctx, const mote_node *node,
                                      const mote_binary_io *io,
                                      mote_addsub_ratios_fn ratios,
                                      mote_addsub_q_params *q) {
  double r[3];
  MOTE_TRY(mote_binary_check_quant_io(ctx, node, io));
  q->in1_offset = -io->in1.zero_point;
  q->in2_offset = -io->in2.zero_point;
  q->out_offset = io->out.zero_point;
  q->left_shift = io->out.type == MOTE_INT16 ? 15 : 20;
  ratios(io->in1.scale, io->in2.scale, io->out.scale, q->left_shift, r);
  if (!mote_quantize_multiplier_lt1(r[0], &q->in1_mult, &q->in1_shift) ||
      !mote_quantize_multiplier_lt1(r[1], &q->in2_mult, &q->in2_shift))
    return mote_fail(ctx, node, MOTE_E_BAD_QUANT, (int32_t)io->in1.index,
                     "input scale ratio below 1", 1, 0);
  if (!mote_quantize_multiplier_lt1(r[2], &q->out_mult, &q->out_shift))
    return mote_fail(ctx, node, MOTE_E_UNSUPPORTED, (int32_t)io->out.index,
                     "2*max(input scale) / (2^left_shift * output scale) < 1",
                     1, 0);
  return mote_act_range_quant(ctx, node, io->activation, &io->out, &q->act_min,
                              &q->act_max);
}

mote_status mote_addsub_eval(mote_ctx *ctx, const mote_node *node,
                             const mote_binary_data *d,
                             const mote_addsub_q_params *q,
                             const mote_addsub_kernels *k) {
  const void *a = mote_in(ctx, node, 0), *b = mote_in(ctx, node, 1);
  void *o = mote_out(ctx, node, 0);
  switch (d->type) {
    case MOTE_FLOAT32:
      k->f32(&d->f32, &d->bc, (const float *)a, (const float *)b, (float *)o);
      break;
    case MOTE_INT32:
      k->s32(&d->i32, &d->bc, (const int32_t *)a, (const int32_t *)b,
             (int32_t *)o);
      break;
    case MOTE_INT8:
      k->s8(q, &d->bc, (const int8_t *)a, (const int8_t *)b, (int8_t *)o);
      break;
    case MOTE_INT16:
      k->s16(q, &d->bc, (const int16_t *)a, (const int16_t *)b, (int16_t *)o);
      break;
    default:
      return mote_fail(ctx, node, MOTE_E_RUNTIME, -1, "prepared type", 0,
                       d->type);
  }
  return MOTE_OK;
}

/* One task of mote_eltwise_split: its range of `chunk` elements. */
typedef struct elt_task {
  mote_elt_range_fn fn;
  const void *op;
  const uint8_t *a, *b;
  uint8_t *o;
  size_t elem_bytes;
  int32_t count, chunk;
} elt_task;

static void elt_run(void *arg, uint32_t i) {
  const elt_task *t = (const elt_task *)arg;
  const int64_t lo = (int64_t)i * t->chunk;
  if (lo >= t->count) return;
  const int32_t n =
      (int32_t)(t->count - lo < t->chunk ? t->count - lo : t->chunk);
  const size_t at = (size_t)lo * t->elem_bytes;
  mote_bcast r;
  memset(&r, 0, sizeof r);
  r.ndim = 1;
  r.count = r.shape[0] = n;
  r.stride1[0] = r.stride2[0] = 1;
  t->fn(t->op, &r, t->a + at, t->b + at, t->o + at);
}

int mote_eltwise_split(const mote_ctx *ctx, const mote_bcast *bc,
                       size_t elem_bytes, uint32_t cost, mote_elt_range_fn fn,
                       const void *op, const void *a, const void *b, void *o) {
  const mote_workers *w = ctx->m->ops->workers;
  if (!MOTE_WORKERS || !w || !w->run || w->count < 2 || bc->ndim != 1 ||
      bc->stride1[0] != 1 || bc->stride2[0] != 1)
    return 0;
  const int64_t work = (int64_t)bc->count * cost;
  if (work < (w->min_macs ? (int64_t)w->min_macs : MOTE_SPLIT_MACS_DEFAULT))
    return 0;
  const uint32_t n = w->count < 64u ? w->count : 64u;
  int32_t chunk = (int32_t)(((int64_t)bc->count + n - 1) / n);
  chunk = (chunk + 63) & ~63;
  const uint32_t tasks = (uint32_t)((bc->count + chunk - 1) / chunk);
  if (tasks < 2) return 0;
  elt_task t = {
      fn,           op,         (const uint8_t *)a, (const uint8_t *)b,
      (uint8_t *)o, elem_bytes, bc->count,          chunk};
  w->run(w->pool, elt_run, &t, tasks);
  return 1;
}
