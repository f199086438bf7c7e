/*
** FULLY_CONNECTED: y[b, u] = act(sum_d x[b, d] * w[u, d] + bias[u]).
**
** Inputs: input (any rank, flattened to [count / depth, depth]), weights
** [units, depth], optional bias [units]. Supported as TFLM does:
**  - float32 input/weights/bias;
**  - int8 input/output, int8 weights (per-tensor, or per-channel on dim 0)
**    or packed int4 weights (per-tensor), int32 bias;
**  - int16 input/output (zero point 0), int8 weights (per-tensor or
**    per-channel), int64 bias (int64 accumulator) or int32/no bias (int32
**    accumulator, 32-bit requantization, as TFLM);
**  - hybrid (not in TFLM): float32 input/output, int8 weights, float32
**    bias, TFLite's dynamic per-batch input quantization (fc_hybrid.c).
** weights_format must be DEFAULT (SHUFFLED4x16INT8 is refused).
*/
#include <math.h>
#include <string.h>

#include "../kernels/isa.h"
#include "../kernels/mote_requant.h"
#include "../kernels/ref/fc_ref.h"
#include "op_requant.h"
#if defined(MOTE_HAVE_AVX2)
#include "../kernels/x86_avx2/fc_avx2.h"
#endif
#if defined(MOTE_HAVE_AVX512)
#include "../kernels/x86_avx512/fc_avx512.h"
#endif
#include "../kernels/arm_dsp/arm_dsp.h" /* empty without the DSP extension */
#if defined(MOTE_HAVE_AVX512)
#include "../kernels/x86_avx512/f32_avx512.h"
#endif
#if defined(MOTE_HAVE_NEON)
#include "../kernels/arm_neon/conv_neon.h"
#include "../kernels/arm_neon/f32_neon.h"
#endif
#include "../kernels/arm_mve/arm_mve_kernels.h" /* empty without MVE */

enum { FC_F32 = 0, FC_HYBRID, FC_S8, FC_S8W4, FC_S16, FC_S16_ACC32 };

/*
** Persistent op data: the kernel's parameters and extents (kept rather
** than re-read from the model at eval: FC layers are often tiny, and the
** 12 bytes mostly fill the struct's padding). Per-unit arrays (multipliers
** and shifts, or hybrid float scales) follow in the same allocation, and
** only when the units differ.
*/
typedef struct fc_data {
  union {
    mote_fc_q_params q;
    mote_fc_f32_params f;
    mote_fc_hybrid_params h;
  } p;
  mote_fc_dims n;
  const void *pk; /* weights packed at prepare for `kern`, or NULL */
  uint8_t kind;
  uint8_t isa;  /* MOTE_ISA_* bits allowed (mote_isa_allowed at prepare) */
  uint8_t kern; /* the MOTE_ISA_* kernel fixed at prepare (float32, and
                 * MOTE_ISA_AVX512 for packed VNNI int8/int4), or 0: chosen
                 * at eval (AVX2, DSP or reference) */
#if defined(MOTE_HAVE_ARM_MVE)
  const int32_t *mve_bias; /* MVE kernel chosen: bias + folded offsets */
#endif
} fc_data;

static mote_status(fail)(mote_ctx *ctx, const mote_node *n, mote_status st,
                         const mote_tensor *t, const char *what,
                         int64_t expected, int64_t got) {
  return (mote_fail)(ctx, n, st, t ? (int32_t)t->index : -1, what, expected,
                     got);
}
#define fail(ctx, n, st, t, what, expected, got) \
  fail((ctx), (n), (st), (t), MOTE_TEXT(what), (expected), (got))

/* Output shape TFLite computes: keep_num_dims keeps the input's leading
 * dims, otherwise [batches, units]. */
static mote_status check_out_shape(mote_ctx *ctx, const mote_node *n,
                                   const mote_tensor *in,
                                   const mote_tensor *out, int keep,
                                   int32_t batches, int32_t units,
                                   int32_t depth) {
  if (keep) {
    if (in->dims[in->ndim - 1] != depth)
      return fail(ctx, n, MOTE_E_BAD_SHAPE, in,
                  "input last dim equal to weights depth (keep_num_dims)",
                  depth, in->dims[in->ndim - 1]);
    if (out->ndim != in->ndim)
      return fail(ctx, n, MOTE_E_BAD_SHAPE, out,
                  "output rank equal to input rank (keep_num_dims)", in->ndim,
                  out->ndim);
    for (uint32_t i = 0; i + 1 < in->ndim; i++)
      if (out->dims[i] != in->dims[i])
        return fail(ctx, n, MOTE_E_BAD_SHAPE, out,
                    "output dim equal to input dim (keep_num_dims)",
                    in->dims[i], out->dims[i]);
    if (out->dims[out->ndim - 1] != units)
      return fail(ctx, n, MOTE_E_BAD_SHAPE, out,
                  "output last dim equal to weights units", units,
                  out->dims[out->ndim - 1]);
    return MOTE_OK;
  }
  if (out->ndim != 2)
    return fail(ctx, n, MOTE_E_BAD_SHAPE, out, "output rank 2", 2, out->ndim);
  if (out->dims[0] != batches)
    return fail(ctx, n, MOTE_E_BAD_SHAPE, out,
                "output dim 0 equal to input size / depth", batches,
                out->dims[0]);
  if (out->dims[1] != units)
    return fail(ctx, n, MOTE_E_BAD_SHAPE, out,
                "output dim 1 equal to weights units", units, out->dims[1]);
  return MOTE_OK;
}

/* Choose the kernel from the types (TFLM's rules) the variant takes. */
MOTE_OP_BODY mote_status pick_kind(mote_ctx *ctx, const mote_node *n,
                                   const mote_tensor *in, const mote_tensor *w,
                                   const mote_tensor *bias,
                                   const mote_tensor *out, int32_t *kind,
                                   int variant) {
  if (in->type != out->type)
    return fail(ctx, n, MOTE_E_BAD_TYPE, out, "output type equal to input",
                in->type, out->type);
  mote_dtype want_bias;
  if (variant == MOTE_OPV_INT8) {
    MOTE_TRY(mote_opv_check(ctx, n, variant, in));
    MOTE_TRY(mote_opv_check(ctx, n, variant, w));
    *kind = FC_S8;
    want_bias = MOTE_INT32;
  } else
    switch (in->type) {
      case MOTE_FLOAT32:
        if (w->type == MOTE_FLOAT32)
          *kind = FC_F32;
        else if (w->type == MOTE_INT8)
          *kind = FC_HYBRID;
        else
          return fail(ctx, n, MOTE_E_UNSUPPORTED, w,
                      "float32 or int8 weights for float32 input", MOTE_FLOAT32,
                      w->type);
        want_bias = MOTE_FLOAT32;
        break;
      case MOTE_INT8:
        if (w->type == MOTE_INT8)
          *kind = FC_S8;
        else if (w->type == MOTE_INT4)
          *kind = FC_S8W4;
        else
          return fail(ctx, n, MOTE_E_UNSUPPORTED, w,
                      "int8 or int4 weights for int8 input", MOTE_INT8,
                      w->type);
        want_bias = MOTE_INT32;
        break;
      case MOTE_INT16:
        if (w->type != MOTE_INT8)
          return fail(ctx, n, MOTE_E_UNSUPPORTED, w,
                      "int8 weights for int16 input", MOTE_INT8, w->type);
        if (bias && bias->type == MOTE_INT64) {
          *kind = FC_S16;
          want_bias = MOTE_INT64;
        } else {
          *kind = FC_S16_ACC32;
          want_bias = MOTE_INT32;
        }
        break;
      default:
        return fail(ctx, n, MOTE_E_UNSUPPORTED, in,
                    "input type float32, int8 or int16", MOTE_INT8, in->type);
    }
  if (bias && bias->type != want_bias)
    return fail(ctx, n, MOTE_E_BAD_TYPE, bias, "bias type for this input",
                want_bias, bias->type);
  return MOTE_OK;
}

MOTE_OP_BODY mote_status prepare_v(mote_ctx *ctx, mote_node *node,
                                   int variant) {
  MOTE_TRY(mote_expect_ninputs(ctx, node, 2, 3));
  if (mote_node_noutputs(node) != 1)
    return fail(ctx, node, MOTE_E_BAD_MODEL, NULL, "one output", 1,
                mote_node_noutputs(node));
  if (node->options_type != TFL_OPT_NONE &&
      node->options_type != TFL_OPT_FULLY_CONNECTED)
    return fail(ctx, node, MOTE_E_BAD_OPTIONS, NULL, "FullyConnectedOptions",
                TFL_OPT_FULLY_CONNECTED, node->options_type);
  const fb_buf *fb = &ctx->fb;
  const fb_table *opt = &node->options;
  int act = (int)fb_i8(fb, opt, 0, 0);
  int weights_format = (int)fb_i8(fb, opt, 1, 0);
  int keep = fb_bool(fb, opt, 2, 0);
  int asym = fb_bool(fb, opt, 3, 0);

  mote_tensor in, w, bias, out;
  MOTE_TRY(mote_node_input(ctx, node, 0, &in));
  MOTE_TRY(mote_node_input(ctx, node, 1, &w));
  int has_bias = mote_node_input_index(ctx, node, 2) >= 0;
  if (has_bias) MOTE_TRY(mote_node_input(ctx, node, 2, &bias));
  MOTE_TRY(mote_node_output(ctx, node, 0, &out));

  int32_t kind = FC_F32;
  MOTE_TRY(pick_kind(ctx, node, &in, &w, has_bias ? &bias : NULL, &out, &kind,
                     variant));
  if (weights_format != 0)
    return fail(ctx, node, MOTE_E_UNSUPPORTED, &w,
                "weights_format DEFAULT (shuffled weights unsupported)", 0,
                weights_format);

  /* Shapes. */
  if (w.ndim != 2)
    return fail(ctx, node, MOTE_E_BAD_SHAPE, &w, "weights rank 2", 2, w.ndim);
  int32_t units = w.dims[0], depth = w.dims[1];
  if (units <= 0 || depth <= 0)
    return fail(ctx, node, MOTE_E_BAD_SHAPE, &w, "positive weights dims", 1,
                units <= 0 ? units : depth);
  if (in.ndim < 1)
    return fail(ctx, node, MOTE_E_BAD_SHAPE, &in, "input rank >= 1", 1,
                in.ndim);
  if (in.count % (size_t)depth != 0)
    return fail(ctx, node, MOTE_E_BAD_SHAPE, &in,
                "input size a multiple of the weights depth", depth,
                (int64_t)in.count);
  size_t nb = in.count / (size_t)depth;
  if (nb > (size_t)INT32_MAX)
    return fail(ctx, node, MOTE_E_BAD_SHAPE, &in, "batch count < 2^31",
                INT32_MAX, (int64_t)nb);
  int32_t batches = (int32_t)nb;
  MOTE_TRY(check_out_shape(ctx, node, &in, &out, keep, batches, units, depth));
  if (has_bias && bias.count != (size_t)units)
    return fail(ctx, node, MOTE_E_BAD_SHAPE, &bias,
                "bias size equal to weights units", units, (int64_t)bias.count);

  /* Quantization checks (decisions identical in both passes). */
  int quantized = kind != FC_F32 && kind != FC_HYBRID;
  int per_channel = 0;
  int32_t act_min = 0, act_max = 0;
  float f_min = 0.0f, f_max = 0.0f;
  if (quantized) {
    if (in.nscale < 1 || !(in.scale > 0.0f))
      return fail(ctx, node, MOTE_E_BAD_QUANT, &in,
                  "quantized input with positive scale", 1, in.nscale);
    if (out.nscale < 1 || !(out.scale > 0.0f))
      return fail(ctx, node, MOTE_E_BAD_QUANT, &out,
                  "quantized output with positive scale", 1, out.nscale);
    if (w.nscale < 1)
      return fail(ctx, node, MOTE_E_BAD_QUANT, &w, "quantized weights", 1, 0);
    per_channel = w.nscale > 1;
    if (per_channel) {
      if (kind == FC_S8W4)
        return fail(ctx, node, MOTE_E_UNSUPPORTED, &w,
                    "per-tensor int4 weights (per-channel unsupported)", 1,
                    w.nscale);
      if (w.quant_dim != 0)
        return fail(ctx, node, MOTE_E_BAD_QUANT, &w,
                    "weights quantized on dimension 0", 0, w.quant_dim);
      if (w.nscale != (uint32_t)units)
        return fail(ctx, node, MOTE_E_BAD_QUANT, &w,
                    "one weights scale per unit", units, w.nscale);
    } else if (has_bias) {
      /* TFLite GetQuantizedConvolutionMultipler: bias scale ~= in * w. */
      double ips = (double)in.scale * (double)w.scale;
      double bs = bias.nscale ? (double)bias.scale : 0.0;
      if (fabs(ips - bs) / (double)out.scale > 0.02)
        return fail(ctx, node, MOTE_E_BAD_QUANT, &bias,
                    "bias scale equal to input scale * weights scale", 0, 0);
    }
    if (in.type == MOTE_INT16 && (in.zero_point != 0 || out.zero_point != 0))
      return fail(ctx, node, MOTE_E_BAD_QUANT, in.zero_point != 0 ? &in : &out,
                  "int16 zero point 0", 0,
                  in.zero_point != 0 ? in.zero_point : out.zero_point);
    MOTE_TRY(mote_act_range_quant(ctx, node, act, &out, &act_min, &act_max));
    mote_fuse_range_q(ctx, node, &act_min, &act_max);
  } else {
    MOTE_TRY(mote_act_range_float(ctx, node, act, &f_min, &f_max));
    mote_fuse_range_f(ctx, node, &f_min, &f_max);
    if (kind == FC_HYBRID &&
        (w.nscale < 1 || (w.nscale != 1 && w.nscale != (uint32_t)units) ||
         (w.nscale > 1 && w.quant_dim != 0)))
      return fail(ctx, node, MOTE_E_BAD_QUANT, &w,
                  "hybrid weights scale per tensor or per unit (dim 0)", 1,
                  w.nscale);
  }
  if (kind == FC_S8W4 && w.data && w.bytes && w.bytes < (w.count + 1u) / 2u)
    return fail(ctx, node, MOTE_E_BAD_BUFFER, &w, "packed int4 weights bytes",
                (int64_t)((w.count + 1u) / 2u), (int64_t)w.bytes);

  /* Requantization: per-unit arrays only when the units differ. */
  int arrays = 0;
  const int how = per_channel ? MOTE_RQ_DOUBLE : MOTE_RQ_FLOAT_PRODUCT;
  if (quantized)
    MOTE_TRY(mote_rq_check(ctx, node, &in, &w, &out, (uint32_t)units, how,
                           kind == FC_S16 ? 14 : 30, &arrays));
  if (kind == FC_HYBRID) arrays = mote_scales_differ(&w);

  /* Memory: op data, per-unit arrays, scratch. */
  size_t arr = 0;
  if (arrays)
    arr = quantized ? mote_requant_ch_bytes((uint32_t)units)
                    : sizeof(float) * (size_t)units;
  uint8_t *mem = (uint8_t *)mote_persist(ctx, sizeof(fc_data) + arr);
  uint8_t kern = MOTE_ISA_REF;
#if defined(MOTE_HAVE_AVX2)
  if (kind == FC_F32 &&
      (mote_isa_allowed(ctx->m->ops->isa_mask) & MOTE_ISA_AVX2))
    kern = MOTE_ISA_AVX2;
#endif
#if defined(MOTE_HAVE_AVX512)
  /* float32 on AVX-512: the (constant) weights packed once, persistent. */
  void *packmem = NULL;
  if (kind == FC_F32 && w.is_const &&
      (mote_isa_allowed(ctx->m->ops->isa_mask) & MOTE_ISA_AVX512)) {
    kern = MOTE_ISA_AVX512;
    packmem = mote_persist(ctx, mote_f32_avx512_pack_bytes(units, depth));
  }
#endif
#if defined(MOTE_HAVE_NEON)
  /* float32 on NEON: the (constant) weights packed once, persistent. */
  void *neon_f32 = NULL;
  if (kind == FC_F32 && w.is_const &&
      (mote_isa_allowed(ctx->m->ops->isa_mask) & MOTE_ISA_NEON)) {
    kern = MOTE_ISA_NEON;
    neon_f32 = mote_persist(ctx, mote_f32_neon_pack_bytes(units, depth));
  }
#endif
#if defined(MOTE_HAVE_ARM_MVE)
  /* MVE: constant int8 weights and bias; offsets folded into a bias copy
   * once, here. */
  int32_t *mve_bias = NULL;
  const int mve = kind == FC_S8 && w.is_const && (!has_bias || bias.is_const);
  if (mve)
    mve_bias = (int32_t *)mote_persist(ctx, (size_t)units * sizeof(int32_t));
#endif
  if (kind == FC_HYBRID)
    MOTE_TRY(mote_request_scratch(ctx, node, (size_t)depth));
#if defined(MOTE_HAVE_ARM_DSP)
    /* DSP int8 (where MVE does not take it): one input row as int16 lanes. */
#if defined(MOTE_HAVE_ARM_MVE)
  if (kind == FC_S8 && !mve) {
#else
  if (kind == FC_S8) {
#endif
    const mote_fc_dims nd = {batches, depth, units};
    MOTE_TRY(mote_request_scratch(ctx, node, mote_fc_s8_dsp_scratch(&nd)));
  }
#endif
#if defined(MOTE_HAVE_AVX512)
  /* ---- AVX-512 VNNI int8 (int8 or int4 weights): constant weights packed
   * once (persistent), u8 input rows in scratch; the same requests in both
   * passes (the decision reads no tensor data). ---- */
  mote_fc_dims n512 = {batches, depth, units};
  uint8_t *pk512 = NULL;
  const int use512 =
      (kind == FC_S8 || kind == FC_S8W4) && w.is_const &&
      (!has_bias || bias.is_const) &&
      (mote_isa_allowed(ctx->m->ops->isa_mask) & MOTE_ISA_AVX512) &&
      mote_fc_s8_avx512_pack_bytes(&n512) > 0;
  if (use512) {
    pk512 = (uint8_t *)mote_persist(ctx, mote_fc_s8_avx512_pack_bytes(&n512));
    MOTE_TRY(mote_request_scratch(ctx, node,
                                  mote_fc_s8_avx512_scratch_bytes(&n512)));
  }
#endif
#if defined(MOTE_HAVE_NEON)
  /* NEON int8 kernel (SDOT first) on the CONV_2D code, chosen here; its
   * pack (bias, requantization vectors, padded weights) is built once. */
  uint8_t neon_kern = 0;
  mote_conv_geom neon_g;
  void *neon_mem = NULL;
  {
    const mote_fc_dims nd = {batches, depth, units};
    mote_fc_neon_as_conv(&nd, NULL, &neon_g, NULL);
  }
  if (kind == FC_S8 && w.is_const && (!has_bias || bias.is_const) &&
      mote_fc_s8_neon_supported(-in.zero_point,
                                per_channel ? 0 : -w.zero_point)) {
    const uint32_t ok = mote_isa_allowed(ctx->m->ops->isa_mask);
    neon_kern = (uint8_t)((ok & MOTE_ISA_NEON_DOT) ? MOTE_ISA_NEON_DOT
                          : (ok & MOTE_ISA_NEON)   ? MOTE_ISA_NEON
                                                   : 0);
  }
  if (neon_kern) {
    neon_mem = mote_persist(ctx, mote_conv2d_s8_neon_pack_bytes(&neon_g));
    MOTE_TRY(
        mote_request_scratch(ctx, node, mote_conv2d_s8_neon_scratch(&neon_g)));
  }
#endif
  if (!mem) return MOTE_OK;

  fc_data *d = (fc_data *)(void *)mem;
  void *tail = mem + sizeof(fc_data);
  memset(d, 0, sizeof *d);
  d->kind = (uint8_t)kind;
  d->isa = (uint8_t)mote_isa_allowed(ctx->m->ops->isa_mask);
  d->n.batches = batches;
  d->n.depth = depth;
  d->n.units = units;
  node->data = d;
  if (kind == FC_F32) {
    d->p.f.act_min = f_min;
    d->p.f.act_max = f_max;
    d->kern = kern;
#if defined(MOTE_HAVE_AVX512)
    if (kern == MOTE_ISA_AVX512) {
      if (!packmem)
        return fail(ctx, node, MOTE_E_ARENA_TOO_SMALL, &w,
                    "persistent memory for the packed weights", 1, 0);
      d->pk =
          mote_f32_avx512_pack((const float *)w.data, units, depth, packmem);
    }
#endif
#if defined(MOTE_HAVE_NEON)
    if (kern == MOTE_ISA_NEON) {
      if (!neon_f32 || !w.data)
        return fail(ctx, node, MOTE_E_ARENA_TOO_SMALL, &w,
                    "persistent memory for the packed weights", 1, 0);
      d->pk = mote_f32_neon_pack((const float *)w.data, units, depth, neon_f32);
    }
#endif
    return MOTE_OK;
  }
  if (kind == FC_HYBRID) {
    mote_fc_hybrid_params *h = &d->p.h;
    h->weight_scale0 = mote_tensor_scale(&w, 0);
    if (arrays) {
      float *scales = (float *)tail;
      for (int32_t u = 0; u < units; u++)
        scales[u] = mote_tensor_scale(&w, (uint32_t)u);
      h->weight_scale = scales;
    }
    h->asymmetric = asym ? 1 : 0;
    h->act_min = f_min;
    h->act_max = f_max;
    return MOTE_OK;
  }
  mote_fc_q_params *q = &d->p.q;
  mote_rq_fill(&q->rq, tail, &in, &w, &out, (uint32_t)units, how, arrays);
  q->input_offset = in.type == MOTE_INT8 ? -in.zero_point : 0;
  q->filter_offset = per_channel ? 0 : -w.zero_point;
  q->output_offset = out.type == MOTE_INT8 ? out.zero_point : 0;
  q->act_min = act_min;
  q->act_max = act_max;
  /* For reports: the kernel eval will pick when none was fixed above. */
  if (kind == FC_S8) d->kern = MOTE_ISA_REF;
#if defined(MOTE_HAVE_AVX2)
  if (kind == FC_S8 && (d->isa & MOTE_ISA_AVX2) &&
      mote_fc_s8_avx2_supported(&d->n))
    d->kern = MOTE_ISA_AVX2;
#endif
#if defined(MOTE_HAVE_ARM_DSP)
  if (kind == FC_S8) d->kern = MOTE_KERN_DSP;
#endif
#if defined(MOTE_HAVE_AVX512)
  if (use512) { /* NULL (weights + zero point outside int8): eval-time kernels
                 */
    const int32_t *b32 = has_bias ? (const int32_t *)bias.data : NULL;
    d->pk =
        mote_fc_s8_avx512_pack(pk512, &n512, q, w.data, kind == FC_S8W4, b32);
    if (d->pk && (!has_bias || b32)) d->kern = MOTE_ISA_AVX512;
  }
#endif
#if defined(MOTE_HAVE_NEON)
  if (neon_kern && neon_mem && w.data) {
    mote_conv_q_params cq;
    mote_fc_neon_as_conv(&d->n, q, &neon_g, &cq);
    d->kern = neon_kern;
    d->pk = mote_conv2d_s8_neon_pack(
        &neon_g, &cq, (const int8_t *)w.data,
        has_bias ? (const int32_t *)bias.data : NULL, neon_mem);
  }
#endif
#if defined(MOTE_HAVE_ARM_MVE)
  if (mve && mve_bias) {
    mote_fc_s8_mve_fold(&d->n, q, (const int8_t *)w.data,
                        has_bias ? (const int32_t *)bias.data : NULL, mve_bias);
    d->mve_bias = mve_bias;
    d->kern = MOTE_KERN_MVE;
  }
#endif
  return MOTE_OK;
}

MOTE_OP_BODY mote_status eval_v(mote_ctx *ctx, const mote_node *node,
                                int variant) {
  const fc_data *d = (const fc_data *)node->data;
  const void *in = mote_in(ctx, node, 0);
  const void *w = mote_in(ctx, node, 1);
  const void *bias = mote_in(ctx, node, 2);
  void *out = mote_out(ctx, node, 0);
  const mote_fc_dims *n = &d->n;
  switch (variant == MOTE_OPV_INT8 ? FC_S8 : d->kind) {
    case FC_F32:
#if defined(MOTE_HAVE_AVX512)
      if (d->kern == MOTE_ISA_AVX512) {
        mote_fc_f32_avx512(n, &d->p.f, (const float *)in, (const float *)d->pk,
                           (const float *)bias, (float *)out);
        break;
      }
#endif
#if defined(MOTE_HAVE_NEON)
      if (d->kern == MOTE_ISA_NEON) {
        mote_fc_f32_neon(n, &d->p.f, (const float *)in, (const float *)d->pk,
                         (const float *)bias, (float *)out);
        break;
      }
#endif
#if defined(MOTE_HAVE_AVX2)
      if (d->kern == MOTE_ISA_AVX2) {
        mote_fc_f32_avx2(n, &d->p.f, (const float *)in, (const float *)w,
                         (const float *)bias, (float *)out);
        break;
      }
#endif
      mote_fc_f32_ref(n, &d->p.f, (const float *)in, (const float *)w,
                      (const float *)bias, (float *)out);
      break;
    case FC_HYBRID:
      mote_fc_hybrid_ref(n, &d->p.h, (const float *)in, (const int8_t *)w,
                         (const float *)bias, (float *)out,
                         (int8_t *)node->scratch);
      break;
    case FC_S8:
    case FC_S8W4:
#if defined(MOTE_HAVE_AVX512)
      if (d->kern == MOTE_ISA_AVX512) { /* weights packed at prepare */
        mote_fc_s8_avx512(n, &d->p.q, (const mote_gemm_s8_packed *)d->pk,
                          (const int8_t *)in, (int8_t *)out,
                          (uint8_t *)node->scratch);
        break;
      }
#endif
      if (variant != MOTE_OPV_INT8 && d->kind == FC_S8W4) {
        mote_fc_s8w4_ref(n, &d->p.q, (const int8_t *)in, (const uint8_t *)w,
                         (const int32_t *)bias, (int8_t *)out);
        break;
      }
#if defined(MOTE_HAVE_NEON)
      if (d->kern == MOTE_ISA_NEON_DOT) {
        mote_fc_s8_neon_dot(n, &d->p.q, (const mote_neon_pack *)d->pk,
                            (const int8_t *)in, (const int8_t *)w,
                            (int8_t *)out, (int8_t *)node->scratch);
        break;
      }
      if (d->kern == MOTE_ISA_NEON) {
        mote_fc_s8_neon(n, &d->p.q, (const mote_neon_pack *)d->pk,
                        (const int8_t *)in, (const int8_t *)w, (int8_t *)out,
                        (int8_t *)node->scratch);
        break;
      }
#endif
#if defined(MOTE_HAVE_AVX2)
      if ((d->isa & MOTE_ISA_AVX2) && mote_fc_s8_avx2_supported(n)) {
        mote_fc_s8_avx2(n, &d->p.q, (const int8_t *)in, (const int8_t *)w,
                        (const int32_t *)bias, (int8_t *)out);
        break;
      }
#endif
#if defined(MOTE_HAVE_ARM_MVE)
      if (d->mve_bias) { /* chosen at prepare */
        mote_fc_s8_mve(n, &d->p.q, (const int8_t *)in, (const int8_t *)w,
                       d->mve_bias, (int8_t *)out);
        break;
      }
#endif
#if defined(MOTE_HAVE_ARM_DSP)
      if (node->scratch) {
        mote_fc_s8_dsp(n, &d->p.q, (const int8_t *)in, (const int8_t *)w,
                       (const int32_t *)bias, (int8_t *)out,
                       (int16_t *)node->scratch);
        break;
      }
#endif
      mote_fc_s8_ref(n, &d->p.q, (const int8_t *)in, (const int8_t *)w,
                     (const int32_t *)bias, (int8_t *)out);
      break;
    case FC_S16:
      mote_fc_s16_ref(n, &d->p.q, (const int16_t *)in, (const int8_t *)w,
                      (const int64_t *)bias, (int16_t *)out);
      break;
    case FC_S16_ACC32:
      mote_fc_s16_acc32_ref(n, &d->p.q, (const int16_t *)in, (const int8_t *)w,
                            (const int32_t *)bias, (int16_t *)out);
      break;
    default:
      return MOTE_E_RUNTIME;
  }
  return MOTE_OK;
}

/* The kernel chosen at prepare, for reports (mote_model_op_kernel). */
static const char *kernel(const void *data) {
  const fc_data *d = (const fc_data *)data;
  return d && (d->kind == FC_F32 || d->kind == FC_S8 || d->kind == FC_S8W4)
             ? mote_isa_name(d->kern)
             : NULL;
}

MOTE_OP_VARIANT_FNS(prepare_v, eval_v)

const mote_op_reg mote_op_FULLY_CONNECTED = {
    TFL_OP_FULLY_CONNECTED, "FULLY_CONNECTED", prepare, eval, 0, kernel, NULL};

/* int8 activations and weights only (MOTE_OPV_INT8). */
const mote_op_reg mote_op_FULLY_CONNECTED_INT8 = {TFL_OP_FULLY_CONNECTED,
                                                  "FULLY_CONNECTED",
                                                  prepare_int8,
                                                  eval_int8,
                                                  0,
                                                  kernel,
                                                  NULL};
