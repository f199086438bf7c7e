/*
** conv_common.h: prepare/eval logic shared by CONV_2D and
** DEPTHWISE_CONV_2D (validation, geometry, per-channel multipliers, kernel
** dispatch). Included by conv_2d.c and depthwise_conv_2d.c only.
*/
#ifndef MOTE_CONV_COMMON_H
#define MOTE_CONV_COMMON_H

#include <string.h>

#include "../kernels/isa.h"
#include "../kernels/mote_requant.h"
#include "../kernels/ref/conv_ref.h"
#include "op_requant.h"
#if defined(MOTE_HAVE_AVX2)
#include "../kernels/x86_avx2/conv_avx2.h"
#endif
#if defined(MOTE_HAVE_AVX512)
#include "../kernels/x86_avx512/conv_avx512.h"   /* VNNI GEMM */
#include "../kernels/x86_avx512/dwconv_avx512.h" /* depthwise, in_c > 1 */
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

enum {
  MOTE_CONV_K_F32 = 0,
  MOTE_CONV_K_S8 = 1,
  MOTE_CONV_K_S16 = 2,    /* int16x8, int64 bias */
  MOTE_CONV_K_S16B32 = 3, /* int16x8, int32 bias or none */
  MOTE_CONV_K_HYBRID = 4  /* float32 activations, int8 weights */
};

/*
** What eval keeps in persistent memory: the kernel's parameters only. The
** geometry is re-derived from the model (flash) at every eval, the filter
** type tells int4 from int8, and per-channel arrays follow the struct in
** the same allocation only when the channels differ.
*/
typedef struct mote_conv_data {
  union {
    mote_conv_q_params q;
    mote_conv_f32_params f;
    mote_conv_hybrid_params h;
  } p;
  const void *pk; /* weights packed at prepare for `kern`, or NULL */
  uint8_t kind;
  uint8_t isa;       /* MOTE_ISA_* bits allowed (mote_isa_allowed at prepare) */
  uint8_t kern;      /* MOTE_ISA_* value of the kernel chosen at prepare, or 0:
                        chosen at eval (AVX2, DSP or reference) */
  uint8_t vnni;      /* 1: pk holds VNNI-packed weights (mote_gemm_s8) */
  uint8_t slices;    /* row slices run as parallel tasks (1: no split; <= 64) */
  uint8_t rq_eval;   /* 1: requantization arrays filled at eval at the end of
                        the scratch (MOTE_RQ_SCRATCH) */
  uint8_t chain;     /* row chaining (mote_chain_prev): 1: this op's tasks also
                        run the next op's slices; 2: run by the previous op */
  uint8_t fused_pad; /* 1: reads through the PAD fused into it (fuse.c) */
  uint32_t slot;     /* scratch bytes of one slice */
#if MOTE_WORKERS
  /* Hosts: the geometry (a fused PAD's included) and filter view of
   * prepare, so that eval decodes no tensor from the model (static shapes;
   * about 2k instructions an op, all on the calling thread while workers
   * wait). Not on microcontrollers, where the RAM matters more. */
  uint8_t views; /* 1: g and tfilt are set */
  mote_conv_geom g;
  mote_tensor tfilt;
#endif
#if defined(MOTE_HAVE_ARM_MVE)
  const int32_t *mve_bias; /* MVE kernel chosen: bias + folded offset */
  const int8_t *mve_w;     /* depthwise with one input channel run as CONV_2D:
                              its filter transposed to [out_c][fh][fw] */
#endif
} mote_conv_data;

/* Options, already decoded. */
typedef struct mote_conv_opts {
  int32_t padding, stride_w, stride_h, dil_w, dil_h, act, depth_multiplier;
} mote_conv_opts;

/* The options table decoded: Conv2DOptions (padding, stride_w, stride_h,
 * activation, dilation_w, dilation_h) or, `depthwise`,
 * DepthwiseConv2DOptions (depth_multiplier after the strides). */
static inline void mote_conv_read_opts(const mote_ctx *ctx,
                                       const mote_node *node, int depthwise,
                                       mote_conv_opts *o) {
  const fb_buf *b = &ctx->fb;
  const fb_table *t = &node->options;
  const int dm = depthwise ? 1 : 0;
  o->padding = fb_i8(b, t, 0, 0);
  o->stride_w = fb_i32(b, t, 1, 0);
  o->stride_h = fb_i32(b, t, 2, 0);
  o->depth_multiplier = depthwise ? fb_i32(b, t, 3, 0) : 1;
  o->act = fb_i8(b, t, 3 + dm, 0);
  o->dil_w = fb_i32(b, t, 4 + dm, 1);
  o->dil_h = fb_i32(b, t, 5 + dm, 1);
}

#define MOTE_CONV_ALIGN8(x) (((x) + (size_t)7) & ~(size_t)7)

/*
** Geometry from the tensors and options (prepare validates it; eval
** recomputes it). Output extents are the ones the op computes; prepare
** checks the output tensor has them.
*/
static inline void mote_conv_geometry(const mote_tensor *in,
                                      const mote_tensor *filt,
                                      const mote_conv_opts *o, int depthwise,
                                      mote_conv_geom *g) {
  int32_t off;
  g->batches = in->dims[0];
  g->in_h = in->dims[1];
  g->in_w = in->dims[2];
  g->in_c = in->dims[3];
  g->filt_h = filt->dims[1];
  g->filt_w = filt->dims[2];
  g->stride_h = o->stride_h;
  g->stride_w = o->stride_w;
  g->dil_h = o->dil_h;
  g->dil_w = o->dil_w;
  if (depthwise) {
    g->out_c = filt->dims[3];
    g->filt_in_c = 1;
    g->depth_multiplier = o->depth_multiplier;
  } else {
    g->out_c = filt->dims[0];
    g->filt_in_c = filt->dims[3];
    g->depth_multiplier = 1;
  }
  g->out_h =
      mote_conv_out_size(o->padding, g->in_h, g->filt_h, g->stride_h, g->dil_h);
  g->out_w =
      mote_conv_out_size(o->padding, g->in_w, g->filt_w, g->stride_w, g->dil_w);
  g->pad_h = mote_conv_padding(g->stride_h, g->dil_h, g->in_h, g->filt_h,
                               g->out_h, &off);
  g->pad_w = mote_conv_padding(g->stride_w, g->dil_w, g->in_w, g->filt_w,
                               g->out_w, &off);
}

/*
** A PAD fused into the convolution (fuse.c): `g` was computed for the
** padded input; the kernels read the PAD's input, whose rows and columns
** the PAD's leading pads shift (trailing ones are past its end).
*/
static inline void mote_conv_fuse_geometry(mote_conv_geom *g,
                                           const mote_fuse_pad *fp) {
  g->in_h -= fp->top + fp->bottom;
  g->in_w -= fp->left + fp->right;
  g->pad_h += fp->top;
  g->pad_w += fp->left;
}

/* Work (multiply-accumulates) below which a convolution is not split
 * across workers by default. */
#ifndef MOTE_CONV_SPLIT_MACS
#define MOTE_CONV_SPLIT_MACS MOTE_SPLIT_MACS_DEFAULT
#endif

/* Row slices for the op table's workers (1: run on the calling thread).
 * `weight` scales the multiply-accumulates to the work they stand for. */
static inline uint32_t mote_conv_slices(const mote_ctx *ctx,
                                        const mote_conv_geom *g,
                                        int64_t weight) {
  const mote_workers *w = ctx->m->ops->workers;
  if (!MOTE_WORKERS || !w || !w->run || w->count < 2 || g->batches != 1 ||
      g->out_h < 2)
    return 1;
  int64_t macs = (int64_t)g->out_h * g->out_w * g->out_c * g->filt_h *
                 g->filt_w * g->filt_in_c * weight;
  if (macs < (w->min_macs ? (int64_t)w->min_macs : MOTE_CONV_SPLIT_MACS))
    return 1;
  uint32_t n = w->count < 64u ? w->count : 64u;
  return (uint32_t)g->out_h < n ? (uint32_t)g->out_h : n;
}

/*
** Prepare shared by both ops. `depthwise` selects DEPTHWISE_CONV_2D rules
** (filter [1, FH, FW, OC], quantized dimension 3, depth multiplier);
** `variant` (MOTE_OPV_*, a constant) the data types accepted.
*/
MOTE_OP_BODY mote_status mote_conv_prepare(mote_ctx *ctx, mote_node *node,
                                           const mote_conv_opts *o,
                                           int depthwise, int variant) {
  mote_tensor in, filt, out, bias;
  int has_bias;
  MOTE_TRY(mote_expect_ninputs(ctx, node, 2, 3));
  if (mote_node_noutputs(node) != 1)
    return mote_fail(ctx, node, MOTE_E_BAD_MODEL, -1, "number of outputs", 1,
                     mote_node_noutputs(node));
  MOTE_TRY(mote_node_input(ctx, node, 0, &in));
  MOTE_TRY(mote_node_input(ctx, node, 1, &filt));
  MOTE_TRY(mote_node_output(ctx, node, 0, &out));
  has_bias = mote_node_input_index(ctx, node, 2) >= 0;
  if (has_bias) MOTE_TRY(mote_node_input(ctx, node, 2, &bias));

  /* Options. */
  if (o->padding != TFL_PAD_SAME && o->padding != TFL_PAD_VALID)
    return mote_fail(ctx, node, MOTE_E_BAD_OPTIONS, -1,
                     "padding SAME (0) or VALID (1)", 0, o->padding);
  if (o->stride_w <= 0 || o->stride_h <= 0)
    return mote_fail(ctx, node, MOTE_E_BAD_OPTIONS, -1, "strides >= 1", 1,
                     o->stride_w <= 0 ? o->stride_w : o->stride_h);
  if (o->dil_w <= 0 || o->dil_h <= 0)
    return mote_fail(ctx, node, MOTE_E_BAD_OPTIONS, -1, "dilation factors >= 1",
                     1, o->dil_w <= 0 ? o->dil_w : o->dil_h);

  /* Ranks. */
  if (in.ndim != 4)
    return mote_fail(ctx, node, MOTE_E_BAD_SHAPE, (int32_t)in.index,
                     "input rank", 4, in.ndim);
  if (filt.ndim != 4)
    return mote_fail(ctx, node, MOTE_E_BAD_SHAPE, (int32_t)filt.index,
                     "filter rank", 4, filt.ndim);
  if (out.ndim != 4)
    return mote_fail(ctx, node, MOTE_E_BAD_SHAPE, (int32_t)out.index,
                     "output rank", 4, out.ndim);

  /* Types. */
  int32_t kind;
  int filter_s4 = 0;
  if (out.type != in.type)
    return mote_fail(ctx, node, MOTE_E_BAD_TYPE, (int32_t)out.index,
                     "output type equal to the input type", in.type, out.type);
  if (variant == MOTE_OPV_INT8) {
    MOTE_TRY(mote_opv_check(ctx, node, variant, &in));
    MOTE_TRY(mote_opv_check(ctx, node, variant, &filt));
    kind = MOTE_CONV_K_S8;
  } else
    switch (in.type) {
      case MOTE_FLOAT32:
        if (filt.type == MOTE_FLOAT32)
          kind = MOTE_CONV_K_F32;
        else if (filt.type == MOTE_INT8)
          kind = MOTE_CONV_K_HYBRID;
        else
          return mote_fail(ctx, node, MOTE_E_UNSUPPORTED, (int32_t)filt.index,
                           "float32 or int8 (hybrid) filter for float32 input",
                           MOTE_FLOAT32, filt.type);
        break;
      case MOTE_INT8:
        if (filt.type == MOTE_INT4)
          filter_s4 = 1;
        else if (filt.type != MOTE_INT8)
          return mote_fail(ctx, node, MOTE_E_UNSUPPORTED, (int32_t)filt.index,
                           "int8 or int4 filter for int8 input", MOTE_INT8,
                           filt.type);
        kind = MOTE_CONV_K_S8;
        break;
      case MOTE_INT16:
        if (filt.type != MOTE_INT8)
          return mote_fail(ctx, node, MOTE_E_UNSUPPORTED, (int32_t)filt.index,
                           "int8 filter for int16 input", MOTE_INT8, filt.type);
        kind = MOTE_CONV_K_S16;
        break;
      default:
        return mote_fail(ctx, node, MOTE_E_UNSUPPORTED, (int32_t)in.index,
                         "input type float32, int8 or int16", MOTE_INT8,
                         in.type);
    }

  /* Geometry. */
  mote_conv_geom g;
  mote_conv_geometry(&in, &filt, o, depthwise, &g);
  if (g.filt_h <= 0 || g.filt_w <= 0 || filt.dims[0] <= 0 || filt.dims[3] <= 0)
    return mote_fail(ctx, node, MOTE_E_BAD_SHAPE, (int32_t)filt.index,
                     "non-empty filter", 1, 0);
  if (depthwise) {
    if (filt.dims[0] != 1)
      return mote_fail(ctx, node, MOTE_E_BAD_SHAPE, (int32_t)filt.index,
                       "depthwise filter dimension 0", 1, filt.dims[0]);
    if (g.in_c <= 0)
      return mote_fail(ctx, node, MOTE_E_BAD_SHAPE, (int32_t)in.index,
                       "input channels >= 1", 1, g.in_c);
    if ((int64_t)o->depth_multiplier * g.in_c != g.out_c)
      return mote_fail(ctx, node, MOTE_E_BAD_OPTIONS, -1,
                       "depth_multiplier * input channels == filter channels",
                       g.out_c, (int64_t)o->depth_multiplier * g.in_c);
  } else {
    if (g.in_c <= 0 || g.in_c % g.filt_in_c != 0)
      return mote_fail(ctx, node, MOTE_E_BAD_SHAPE, (int32_t)in.index,
                       "input channels a multiple of filter channels",
                       g.filt_in_c, g.in_c);
    int32_t groups = g.in_c / g.filt_in_c;
    if (g.out_c % groups != 0)
      return mote_fail(ctx, node, MOTE_E_BAD_SHAPE, (int32_t)filt.index,
                       "output channels a multiple of the groups", groups,
                       g.out_c);
  }
  {
    /* Window positions must stay inside int32 arithmetic in the kernels. */
    int64_t span_h = (int64_t)g.in_h * g.stride_h +
                     (int64_t)(g.filt_h - 1) * g.dil_h + g.in_h;
    int64_t span_w = (int64_t)g.in_w * g.stride_w +
                     (int64_t)(g.filt_w - 1) * g.dil_w + g.in_w;
    if (span_h > INT32_MAX / 2 || span_w > INT32_MAX / 2)
      return mote_fail(ctx, node, MOTE_E_OVERFLOW, -1,
                       "stride/dilation/filter extent below 2^30",
                       INT32_MAX / 2, span_h > span_w ? span_h : span_w);
  }
  {
    const int32_t want[4] = {g.batches, g.out_h, g.out_w, g.out_c};
    for (uint32_t d = 0; d < 4; d++)
      if (out.dims[d] != want[d])
        return mote_fail(ctx, node, MOTE_E_BAD_SHAPE, (int32_t)out.index,
                         d == 0   ? "output batches"
                         : d == 1 ? "output height"
                         : d == 2 ? "output width"
                                  : "output channels",
                         want[d], out.dims[d]);
  }
  /* Input through a fused PAD: checked as the padded tensor above, read
   * as the PAD's input from here on. */
  mote_fuse_pad fpad = {0, 0, 0, 0, 0};
  const int fused_pad =
      (mote_fuse_role(ctx, node->op_index) & MOTE_FUSE_PAD_IN) &&
      mote_fuse_pad_of(ctx, node, &fpad);
  if (fused_pad) mote_conv_fuse_geometry(&g, &fpad);

  /* Bias. */
  if (has_bias) {
    mote_dtype want;
    if (kind == MOTE_CONV_K_F32 || kind == MOTE_CONV_K_HYBRID)
      want = MOTE_FLOAT32;
    else if (kind == MOTE_CONV_K_S8)
      want = MOTE_INT32;
    else if (bias.type == MOTE_INT32 && !depthwise)
      want = MOTE_INT32; /* TFLM CONV_2D 16x8 also takes int32 bias */
    else
      want = MOTE_INT64;
    MOTE_TRY(mote_expect_type(ctx, node, &bias, want));
    if (bias.count != (size_t)g.out_c)
      return mote_fail(ctx, node, MOTE_E_BAD_SHAPE, (int32_t)bias.index,
                       "bias elements (output channels)", g.out_c,
                       (int64_t)bias.count);
  }
  /* int16 CONV_2D with an int32 bias accumulates in 32 bits (TFLM
   * ConvPerChannel<int32_t>); without bias or with int64 bias in 64 bits
   * (the reference TFLM build behind the conformance vectors does so for a
   * missing bias). DEPTHWISE always uses 64 bits and an int64 bias. */
  if (kind == MOTE_CONV_K_S16 && !depthwise && has_bias &&
      bias.type == MOTE_INT32)
    kind = MOTE_CONV_K_S16B32;

  /* Filter quantization (everything but float). */
  uint32_t nscale = 0;
  if (kind != MOTE_CONV_K_F32) {
    nscale = filt.nscale;
    if (nscale == 0)
      return mote_fail(ctx, node, MOTE_E_BAD_QUANT, (int32_t)filt.index,
                       "quantized filter (scale present)", 1, 0);
    if (nscale != 1 && nscale != (uint32_t)g.out_c)
      return mote_fail(ctx, node, MOTE_E_BAD_QUANT, (int32_t)filt.index,
                       "filter scales: 1 or one per output channel", g.out_c,
                       nscale);
    if (depthwise && kind == MOTE_CONV_K_S8 && filt.nzero != nscale)
      return mote_fail(ctx, node, MOTE_E_BAD_QUANT, (int32_t)filt.index,
                       "as many filter zero points as scales", nscale,
                       filt.nzero);
  }
  int32_t act_min_q = 0, act_max_q = 0;
  float act_min_f = 0.0f, act_max_f = 0.0f;
  if (kind == MOTE_CONV_K_F32 || kind == MOTE_CONV_K_HYBRID) {
    MOTE_TRY(mote_act_range_float(ctx, node, o->act, &act_min_f, &act_max_f));
    mote_fuse_range_f(ctx, node, &act_min_f, &act_max_f);
  } else {
    if (in.nscale == 0)
      return mote_fail(ctx, node, MOTE_E_BAD_QUANT, (int32_t)in.index,
                       "quantized input (scale present)", 1, 0);
    if (out.nscale == 0 || !(out.scale > 0.0f))
      return mote_fail(ctx, node, MOTE_E_BAD_QUANT, (int32_t)out.index,
                       "quantized output with a positive scale", 1, 0);
    MOTE_TRY(
        mote_act_range_quant(ctx, node, o->act, &out, &act_min_q, &act_max_q));
    mote_fuse_range_q(ctx, node, &act_min_q, &act_max_q);
  }

  /* Hybrid: symmetric input quantization when all weight scales agree;
   * the per-channel scales are kept only when they differ. */
  const int quantized = kind == MOTE_CONV_K_S8 || kind == MOTE_CONV_K_S16 ||
                        kind == MOTE_CONV_K_S16B32;
  const uint32_t oc = (uint32_t)g.out_c;
  int arrays = 0;
  if (kind == MOTE_CONV_K_HYBRID) arrays = mote_scales_differ(&filt);
  int32_t asymmetric = kind == MOTE_CONV_K_HYBRID && (depthwise || arrays);

  /* Fixed point: the effective scales must fit the requantizer. */
  if (quantized)
    MOTE_TRY(mote_rq_check(ctx, node, &in, &filt, &out, oc, MOTE_RQ_DOUBLE,
                           kind == MOTE_CONV_K_S16 ? 14 : 30, &arrays));

  /* Worker threads: big enough single-batch convolutions split their
   * output rows into one task per worker, each with its own scratch. */
  /* An int8 depthwise MAC costs about two of a convolution's (a
   * requantization per 9 or so MACs instead of per hundreds). */
  const uint32_t slices =
      mote_conv_slices(ctx, &g, depthwise && kind == MOTE_CONV_K_S8 ? 2 : 1);
  /* Microcontrollers: int8 arrays in scratch, filled at every eval. */
  const int rq_eval =
      MOTE_RQ_SCRATCH && kind == MOTE_CONV_K_S8 && arrays && slices == 1;
  if (rq_eval) arrays = 0;

  /* Persistent memory and scratch (same calls in both passes). */
  size_t extra = 0;
  if (arrays)
    extra = quantized ? mote_requant_ch_bytes(oc) : (size_t)oc * sizeof(float);
  uint8_t *mem = (uint8_t *)mote_persist(ctx, sizeof(mote_conv_data) + extra);
  size_t scratch = 0;
  /* float32 kernel: AVX-512, else AVX2, else the reference. */
  uint8_t kern = kind == MOTE_CONV_K_F32 ? MOTE_ISA_REF : 0;
#if defined(MOTE_HAVE_AVX2)
  if (kind == MOTE_CONV_K_F32 &&
      (mote_isa_allowed(ctx->m->ops->isa_mask) & MOTE_ISA_AVX2) &&
      (depthwise ? mote_dwconv2d_f32_avx2_supported(&g)
                 : mote_conv2d_f32_avx2_supported(&g)))
    kern = MOTE_ISA_AVX2;
#endif
#if defined(MOTE_HAVE_AVX512)
  /* The AVX-512 CONV_2D packs the (constant) filter once, persistent, and
   * gathers im2col tiles in scratch. */
  void *packmem = NULL;
  if (kind == MOTE_CONV_K_F32 &&
      (mote_isa_allowed(ctx->m->ops->isa_mask) & MOTE_ISA_AVX512) &&
      (depthwise ? mote_dwconv2d_f32_avx512_supported(&g)
                 : filt.is_const && mote_conv2d_f32_avx512_supported(&g))) {
    kern = MOTE_ISA_AVX512;
    if (!depthwise) {
      packmem = mote_persist(ctx, mote_f32_avx512_pack_bytes(
                                      g.out_c, g.filt_h * g.filt_w * g.in_c));
      scratch = mote_conv2d_f32_avx512_scratch(&g);
    }
  }
#endif
#if defined(MOTE_HAVE_NEON)
  /* float32 NEON: the (constant) filter packed once, persistent; CONV_2D
   * gathers im2col tiles in scratch. */
  void *neon_f32 = NULL;
  if (kind == MOTE_CONV_K_F32 && filt.is_const &&
      (mote_isa_allowed(ctx->m->ops->isa_mask) & MOTE_ISA_NEON) &&
      (depthwise ? mote_dwconv2d_f32_neon_supported(&g)
                 : mote_conv2d_f32_neon_supported(&g))) {
    kern = MOTE_ISA_NEON;
    neon_f32 = mote_persist(
        ctx, depthwise ? mote_dwconv2d_f32_neon_pack_bytes(&g)
                       : mote_f32_neon_pack_bytes(
                             g.out_c, g.filt_h * g.filt_w * g.in_c));
    if (!depthwise) scratch = mote_conv2d_f32_neon_scratch(&g);
  }
#endif
  if (filter_s4) scratch = filt.count;
#if defined(MOTE_HAVE_ARM_DSP)
  /* im2col rows of the DSP kernel, after the unpacked int4 filter. */
  if (kind == MOTE_CONV_K_S8 && !depthwise && mote_conv2d_s8_dsp_supported(&g))
    scratch = MOTE_CONV_ALIGN8(scratch) + mote_conv2d_s8_dsp_scratch(&g);
  /* Planar rows of the depthwise 3x3 path (0 for other shapes). */
  if (kind == MOTE_CONV_K_S8 && depthwise && mote_dwconv2d_s8_dsp_supported(&g))
    scratch = MOTE_CONV_ALIGN8(scratch) + mote_dwconv2d_s8_dsp_scratch(&g);
#endif
#if defined(MOTE_HAVE_NEON)
  /* NEON int8 kernels (SDOT first: CONV_2D, and DEPTHWISE_CONV_2D of one
   * input channel run as one), chosen here; the pack (bias, requantization
   * vectors, re-laid weights) is built once. */
  uint8_t neon_kern = 0;
  size_t neon_bytes = 0;
  const int neon_gemm = !depthwise || g.in_c == 1;
  if (kind == MOTE_CONV_K_S8 && !filter_s4 && filt.is_const &&
      (!has_bias || bias.is_const) && !rq_eval /* packs rq at prepare */) {
    const uint32_t ok = mote_isa_allowed(ctx->m->ops->isa_mask);
    if (depthwise ? mote_dwconv2d_s8_neon_supported(&g, -in.zero_point)
                  : mote_conv2d_s8_neon_supported(&g, -in.zero_point))
      neon_kern =
          (uint8_t)(neon_gemm && (ok & MOTE_ISA_NEON_DOT) ? MOTE_ISA_NEON_DOT
                    : (ok & MOTE_ISA_NEON)                ? MOTE_ISA_NEON
                                                          : 0);
    if (neon_kern)
      neon_bytes = depthwise ? mote_dwconv2d_s8_neon_pack_bytes(&g)
                             : mote_conv2d_s8_neon_pack_bytes(&g);
    if (neon_kern && neon_gemm)
      scratch = MOTE_CONV_ALIGN8(scratch) + mote_conv2d_s8_neon_scratch(&g);
  }
  void *neon_mem = neon_bytes ? mote_persist(ctx, neon_bytes) : NULL;
#endif
#if defined(MOTE_HAVE_ARM_MVE)
  /* MVE: int8 filter and bias constant (the offset is folded into a bias
   * copy here, once); im2col rows replace the DSP kernel's. */
  /* A depthwise layer with one input channel (a first layer on a gray
   * image) is a CONV_2D whose filter rows are the output channels: it runs
   * as one with the filter transposed once (out_c * fh * fw bytes). */
  const int dw_conv =
      depthwise && g.in_c == 1 && g.out_c > 1 && g.depth_multiplier == g.out_c;
  int mve = kind == MOTE_CONV_K_S8 && !filter_s4 && filt.is_const &&
            (!has_bias || bias.is_const) &&
            (depthwise ? dw_conv || mote_dwconv2d_s8_mve_supported(&g)
                       : mote_conv2d_s8_mve_supported(&g));
  int32_t *mve_bias = NULL;
  int8_t *mve_w = NULL;
  if (mve) {
    mve_bias = (int32_t *)mote_persist(ctx, (size_t)g.out_c * sizeof(int32_t));
    if (dw_conv)
      mve_w = (int8_t *)mote_persist(
          ctx, (size_t)g.out_c * (size_t)g.filt_h * (size_t)g.filt_w);
    scratch = depthwise && !dw_conv ? mote_dwconv2d_s8_mve_scratch(&g)
                                    : mote_conv2d_s8_mve_scratch(&g);
  }
#endif
  if (kind == MOTE_CONV_K_HYBRID)
    scratch = MOTE_CONV_ALIGN8((size_t)g.batches * sizeof(float)) +
              MOTE_CONV_ALIGN8((size_t)g.batches * sizeof(int32_t)) + in.count;
  /* int8 kernels fixed here, where the shape is known; the decisions read
   * no tensor data, so both passes make the same requests. AVX-512: VNNI
   * GEMM with weights packed once (CONV_2D, and DEPTHWISE with one input
   * channel), or the depthwise kernel with its filter widened once. */
  void *pk = NULL;
  int use512 = 0; /* 1: VNNI GEMM, 2: depthwise */
  if (kind == MOTE_CONV_K_S8) {
    const uint32_t isa = mote_isa_allowed(ctx->m->ops->isa_mask);
    (void)isa;
    if (depthwise) {
      kern = MOTE_ISA_REF;
#if defined(MOTE_HAVE_AVX2)
      if ((isa & MOTE_ISA_AVX2) && mote_dwconv2d_s8_avx2_supported(&g))
        kern = MOTE_ISA_AVX2;
#endif
    }
#if defined(MOTE_HAVE_AVX512)
    const int consts = filt.is_const && (!has_bias || bias.is_const);
    if ((isa & MOTE_ISA_AVX512) && consts &&
        (depthwise ? mote_dwconv2d_s8_c1_avx512_supported(&g)
                   : mote_conv2d_s8_avx512_supported(&g))) {
      size_t s512 = mote_conv2d_s8_avx512_scratch_bytes(&g);
      use512 = 1;
      pk = mote_persist(ctx, mote_conv2d_s8_avx512_pack_bytes(&g));
      if (s512 > scratch) scratch = s512; /* covers a fallback's needs too */
    } else if (depthwise && (isa & MOTE_ISA_AVX512) && !filter_s4 &&
               filt.is_const && !rq_eval /* reads rq at prepare */ &&
               mote_dwconv2d_s8_avx512_supported(&g, -in.zero_point)) {
      use512 = 2;
      pk = mote_persist(ctx, mote_dwconv2d_s8_avx512_packed_bytes(&g));
      { /* avx512perf: widened input rows of a band */
        size_t sdw = mote_dwconv2d_s8_avx512_scratch_bytes(&g);
        if (sdw > scratch) scratch = sdw;
      }
    }
#endif
  }
  if (rq_eval) scratch = MOTE_CONV_ALIGN8(scratch) + mote_rq_eval_bytes(oc);
  if (slices > 1) /* each slice's scratch on its own cache lines */
    scratch = (scratch + (size_t)63) & ~(size_t)63;
  else
    scratch = MOTE_CONV_ALIGN8(scratch);
  if (scratch) MOTE_TRY(mote_request_scratch(ctx, node, scratch * slices));
  /* Row chaining: a pointwise CONV_2D (1x1, stride 1, no padding) of the
   * output of the op just before, split into as many row slices, runs
   * slice i right after that op's slice i, in the same task: it reads only
   * the rows that slice wrote, and one hand-off to the workers is saved.
   * Not hybrid: it quantizes its whole input, every row, in every slice. */
  int chain = 0;
  if (slices > 1 && !depthwise &&
      (kind == MOTE_CONV_K_S8 || kind == MOTE_CONV_K_F32) && g.filt_h == 1 &&
      g.filt_w == 1 && g.stride_h == 1 && g.stride_w == 1 && g.pad_h == 0 &&
      g.pad_w == 0 && ctx->split_op1 == node->op_index &&
      ctx->split_slices == slices && ctx->split_variant == variant &&
      ctx->split_out == mote_node_input_index(ctx, node, 0)) {
    mote_chain_prev(ctx, node);
    chain = 2;
  }
  ctx->split_op1 = slices > 1 && !chain ? node->op_index + 1 : 0;
  ctx->split_slices = slices;
  ctx->split_out = mote_node_output_index(ctx, node, 0);
  ctx->split_variant = variant;
  if (chain && !ctx->measuring) {
    mote_conv_data *prev =
        (mote_conv_data *)ctx->m->nodes[node->op_index - 1].data;
    if (prev) prev->chain = 1;
  }
  if (ctx->measuring) return MOTE_OK;
  if (!mem || (use512 && !pk))
    return mote_fail(ctx, node, MOTE_E_ARENA_TOO_SMALL, -1,
                     "persistent memory for the op", 1, 0);

  mote_conv_data *d = (mote_conv_data *)(void *)mem;
  void *arr = mem + sizeof(mote_conv_data);
  memset(d, 0, sizeof *d);
  d->kind = (uint8_t)kind;
  d->isa = (uint8_t)mote_isa_allowed(ctx->m->ops->isa_mask);
  d->slices = (uint8_t)slices;
  d->fused_pad = (uint8_t)fused_pad;
  d->slot = (uint32_t)scratch;
  d->rq_eval = (uint8_t)rq_eval;
  d->chain = (uint8_t)chain;
  d->kern = kern;
#if MOTE_WORKERS
  d->g = g;
  d->tfilt = filt;
  d->views = 1;
#endif
  if (kind == MOTE_CONV_K_F32) {
    d->p.f.act_min = act_min_f;
    d->p.f.act_max = act_max_f;
#if defined(MOTE_HAVE_AVX512)
    if (kern == MOTE_ISA_AVX512 && !depthwise) {
      if (!packmem)
        return mote_fail(ctx, node, MOTE_E_ARENA_TOO_SMALL, -1,
                         "persistent memory for the packed filter", 1, 0);
      d->pk = mote_f32_avx512_pack((const float *)filt.data, g.out_c,
                                   g.filt_h * g.filt_w * g.in_c, packmem);
    }
#endif
#if defined(MOTE_HAVE_NEON)
    if (kern == MOTE_ISA_NEON) {
      if (!neon_f32 || !filt.data)
        return mote_fail(ctx, node, MOTE_E_ARENA_TOO_SMALL, -1,
                         "persistent memory for the packed filter", 1, 0);
      const float *f = (const float *)filt.data;
      d->pk = depthwise
                  ? mote_dwconv2d_f32_neon_pack(&g, f, neon_f32)
                  : mote_f32_neon_pack(f, g.out_c, g.filt_h * g.filt_w * g.in_c,
                                       neon_f32);
    }
#endif
  } else if (kind == MOTE_CONV_K_HYBRID) {
    mote_conv_hybrid_params *h = &d->p.h;
    h->filter_scale0 = mote_tensor_scale(&filt, 0);
    if (arrays) {
      float *fscale = (float *)arr;
      for (uint32_t c = 0; c < oc; c++) fscale[c] = mote_tensor_scale(&filt, c);
      h->filter_scale = fscale;
    }
    h->act_min = act_min_f;
    h->act_max = act_max_f;
    h->asymmetric = asymmetric;
  } else {
    mote_conv_q_params *q = &d->p.q;
    mote_rq_fill(&q->rq, arr, &in, &filt, &out, oc, MOTE_RQ_DOUBLE, arrays);
    q->input_offset = kind == MOTE_CONV_K_S8 ? -in.zero_point : 0;
    q->output_offset = kind == MOTE_CONV_K_S8 ? out.zero_point : 0;
    q->act_min = act_min_q;
    q->act_max = act_max_q;
  }
  /* For reports: the int8 CONV_2D kernel eval will pick when none was
   * fixed above. */
  if (kind == MOTE_CONV_K_S8 && !depthwise) {
    d->kern = MOTE_ISA_REF;
#if defined(MOTE_HAVE_AVX2)
    if ((d->isa & MOTE_ISA_AVX2) && mote_conv2d_s8_avx2_supported(&g))
      d->kern = MOTE_ISA_AVX2;
#endif
  }
#if defined(MOTE_HAVE_ARM_DSP)
  if (kind == MOTE_CONV_K_S8 && (depthwise ? mote_dwconv2d_s8_dsp_supported(&g)
                                           : mote_conv2d_s8_dsp_supported(&g)))
    d->kern = MOTE_KERN_DSP;
#endif
#if defined(MOTE_HAVE_AVX512)
  if (use512 == 1) { /* pack (NULL, e.g. no data: the eval-time kernels) */
    const int32_t io = -in.zero_point;
    const int32_t *b32 = has_bias ? (const int32_t *)bias.data : NULL;
    d->pk = depthwise ? mote_dwconv2d_s8_c1_avx512_pack(pk, &g, filt.data,
                                                        filter_s4, b32, io)
                      : mote_conv2d_s8_avx512_pack(pk, &g, filt.data, filter_s4,
                                                   b32, io);
    if (d->pk && (!has_bias || b32)) {
      d->kern = MOTE_ISA_AVX512;
      d->vnni = 1;
    }
  } else if (use512 == 2 && filt.data) {
    mote_dwconv2d_s8_avx512_pack(&g, &d->p.q, (const int8_t *)filt.data, pk);
    d->pk = pk;
    d->kern = MOTE_ISA_AVX512;
  }
#endif
#if defined(MOTE_HAVE_NEON)
  if (neon_kern && neon_mem && filt.data) {
    d->kern = neon_kern;
    d->pk = depthwise
                ? mote_dwconv2d_s8_neon_pack(
                      &g, &d->p.q, (const int8_t *)filt.data,
                      has_bias ? (const int32_t *)bias.data : NULL, neon_mem)
                : mote_conv2d_s8_neon_pack(
                      &g, &d->p.q, (const int8_t *)filt.data,
                      has_bias ? (const int32_t *)bias.data : NULL, neon_mem);
  }
#endif
#if defined(MOTE_HAVE_ARM_MVE)
  if (mve) {
    if (!mve_bias)
      return mote_fail(ctx, node, MOTE_E_ARENA_TOO_SMALL, -1,
                       "persistent memory for the folded bias", 1, 0);
    const int32_t *b32 = has_bias ? (const int32_t *)bias.data : NULL;
    if (dw_conv) {
      const int8_t *f = (const int8_t *)filt.data;
      const int32_t taps = g.filt_h * g.filt_w;
      int32_t oc, t;
      if (!mve_w)
        return mote_fail(ctx, node, MOTE_E_ARENA_TOO_SMALL, -1,
                         "persistent memory for the transposed filter", 1, 0);
      for (oc = 0; oc < g.out_c; oc++)
        for (t = 0; t < taps; t++) mve_w[oc * taps + t] = f[t * g.out_c + oc];
      mote_conv2d_s8_mve_fold(&g, d->p.q.input_offset, mve_w, b32, mve_bias);
      d->mve_w = mve_w;
    } else if (depthwise)
      mote_dwconv2d_s8_mve_fold(&g, d->p.q.input_offset,
                                (const int8_t *)filt.data, b32, mve_bias);
    else
      mote_conv2d_s8_mve_fold(&g, d->p.q.input_offset,
                              (const int8_t *)filt.data, b32, mve_bias);
    d->mve_bias = mve_bias;
    d->kern = MOTE_KERN_MVE;
  }
#endif
  node->data = d;
  return MOTE_OK;
}

/*
** The kernel call for one geometry: the whole output, or a slice of its
** rows (out_h smaller, pad_h shifted, out pointing at the slice's first
** row). node->scratch is this call's scratch.
*/
MOTE_OP_BODY mote_status mote_conv_run(mote_ctx *ctx, const mote_node *node,
                                       const mote_conv_data *d,
                                       const mote_conv_geom g, int depthwise,
                                       const void *in, const void *filt,
                                       const void *bias, void *out,
                                       const mote_tensor tfilt, int variant) {
  switch (variant == MOTE_OPV_INT8 ? MOTE_CONV_K_S8 : d->kind) {
    case MOTE_CONV_K_F32:
#if defined(MOTE_HAVE_AVX512)
      if (d->kern == MOTE_ISA_AVX512) {
        if (depthwise)
          mote_dwconv2d_f32_avx512(&g, &d->p.f, (const float *)in,
                                   (const float *)filt, (const float *)bias,
                                   (float *)out);
        else
          mote_conv2d_f32_avx512(&g, &d->p.f, (const float *)in,
                                 (const float *)d->pk, (const float *)bias,
                                 (float *)out, node->scratch);
        return MOTE_OK;
      }
#endif
#if defined(MOTE_HAVE_NEON)
      if (d->kern == MOTE_ISA_NEON) {
        if (depthwise)
          mote_dwconv2d_f32_neon(&g, &d->p.f, (const float *)in,
                                 (const float *)d->pk, (const float *)bias,
                                 (float *)out);
        else
          mote_conv2d_f32_neon(&g, &d->p.f, (const float *)in,
                               (const float *)d->pk, (const float *)bias,
                               (float *)out, node->scratch);
        return MOTE_OK;
      }
#endif
#if defined(MOTE_HAVE_AVX2)
      if (d->kern == MOTE_ISA_AVX2) {
        if (depthwise && mote_dwconv2d_f32_avx2_supported(&g)) {
          mote_dwconv2d_f32_avx2(&g, &d->p.f, (const float *)in,
                                 (const float *)filt, (const float *)bias,
                                 (float *)out);
          return MOTE_OK;
        }
        if (!depthwise && mote_conv2d_f32_avx2_supported(&g)) {
          mote_conv2d_f32_avx2(&g, &d->p.f, (const float *)in,
                               (const float *)filt, (const float *)bias,
                               (float *)out);
          return MOTE_OK;
        }
      }
#endif
      if (depthwise)
        mote_dwconv2d_f32_ref(&g, &d->p.f, (const float *)in,
                              (const float *)filt, (const float *)bias,
                              (float *)out);
      else
        mote_conv2d_f32_ref(&g, &d->p.f, (const float *)in, (const float *)filt,
                            (const float *)bias, (float *)out);
      return MOTE_OK;
    case MOTE_CONV_K_S8: {
#if defined(MOTE_HAVE_AVX512)
      if (d->vnni) { /* weights packed at prepare */
        mote_conv2d_s8_avx512(&g, &d->p.q, (const mote_gemm_s8_packed *)d->pk,
                              (const int8_t *)in, (int8_t *)out,
                              (uint8_t *)node->scratch);
        return MOTE_OK;
      }
#endif
      const int8_t *w = (const int8_t *)filt;
      if (variant != MOTE_OPV_INT8 && tfilt.type == MOTE_INT4) {
        int8_t *un = (int8_t *)node->scratch;
        mote_conv2d_unpack_s4_ref((const uint8_t *)filt, (int32_t)tfilt.count,
                                  un);
        w = un;
      }
#if defined(MOTE_HAVE_AVX512) /* dw512 */
      if (depthwise && d->kern == MOTE_ISA_AVX512) {
        mote_dwconv2d_s8_avx512(&g, &d->p.q, d->pk, (const int8_t *)in,
                                (const int32_t *)bias, (int8_t *)out,
                                node->scratch);
        return MOTE_OK;
      }
#endif
#if defined(MOTE_HAVE_NEON)
      if (d->kern == MOTE_ISA_NEON_DOT)
        mote_conv2d_s8_neon_dot(&g, &d->p.q, (const mote_neon_pack *)d->pk,
                                (const int8_t *)in, w, (int8_t *)out,
                                (int8_t *)node->scratch);
      else if (d->kern == MOTE_ISA_NEON && depthwise && g.in_c != 1)
        mote_dwconv2d_s8_neon(&g, &d->p.q, (const mote_neon_pack *)d->pk,
                              (const int8_t *)in, (int8_t *)out);
      else if (d->kern == MOTE_ISA_NEON)
        mote_conv2d_s8_neon(&g, &d->p.q, (const mote_neon_pack *)d->pk,
                            (const int8_t *)in, w, (int8_t *)out,
                            (int8_t *)node->scratch);
      if (d->kern == MOTE_ISA_NEON || d->kern == MOTE_ISA_NEON_DOT)
        return MOTE_OK;
#endif
#if defined(MOTE_HAVE_AVX2)
      if ((d->isa & MOTE_ISA_AVX2)) {
        if (depthwise && mote_dwconv2d_s8_avx2_supported(&g)) {
          mote_dwconv2d_s8_avx2(&g, &d->p.q, (const int8_t *)in, w,
                                (const int32_t *)bias, (int8_t *)out);
          return MOTE_OK;
        }
        if (!depthwise && mote_conv2d_s8_avx2_supported(&g)) {
          mote_conv2d_s8_avx2(&g, &d->p.q, (const int8_t *)in, w,
                              (const int32_t *)bias, (int8_t *)out);
          return MOTE_OK;
        }
      }
#endif
#if defined(MOTE_HAVE_ARM_MVE)
      if (d->mve_bias) { /* chosen at prepare */
        if (d->mve_w)    /* geometry g reads as a CONV_2D with in_c = 1 */
          mote_conv2d_s8_mve(&g, &d->p.q, (const int8_t *)in, d->mve_w,
                             d->mve_bias, (int8_t *)out,
                             (int8_t *)node->scratch);
        else if (depthwise)
          mote_dwconv2d_s8_mve(&g, &d->p.q, (const int8_t *)in, w, d->mve_bias,
                               (int8_t *)out, (int8_t *)node->scratch);
        else
          mote_conv2d_s8_mve(&g, &d->p.q, (const int8_t *)in, w, d->mve_bias,
                             (int8_t *)out, (int8_t *)node->scratch);
        return MOTE_OK;
      }
#endif
#if defined(MOTE_HAVE_ARM_DSP)
      if (depthwise && mote_dwconv2d_s8_dsp_supported(&g)) {
        size_t skip =
            tfilt.type == MOTE_INT4 ? MOTE_CONV_ALIGN8(tfilt.count) : 0;
        int16_t *rows =
            node->scratch && mote_dwconv2d_s8_dsp_scratch(&g)
                ? (int16_t *)(void *)((uint8_t *)node->scratch + skip)
                : NULL;
        mote_dwconv2d_s8_dsp(&g, &d->p.q, (const int8_t *)in, w,
                             (const int32_t *)bias, (int8_t *)out, rows);
        return MOTE_OK;
      }
      if (!depthwise && mote_conv2d_s8_dsp_supported(&g)) {
        size_t skip = variant != MOTE_OPV_INT8 && tfilt.type == MOTE_INT4
                          ? MOTE_CONV_ALIGN8(tfilt.count)
                          : 0;
        int16_t *cols =
            node->scratch ? (int16_t *)(void *)((uint8_t *)node->scratch + skip)
                          : NULL; /* 1x1 fast path: no scratch */
        mote_conv2d_s8_dsp(&g, &d->p.q, (const int8_t *)in, w,
                           (const int32_t *)bias, (int8_t *)out, cols);
        return MOTE_OK;
      }
#endif
      if (depthwise)
        mote_dwconv2d_s8_ref(&g, &d->p.q, (const int8_t *)in, w,
                             (const int32_t *)bias, (int8_t *)out);
      else
        mote_conv2d_s8_ref(&g, &d->p.q, (const int8_t *)in, w,
                           (const int32_t *)bias, (int8_t *)out);
      return MOTE_OK;
    }
    case MOTE_CONV_K_S16:
      if (depthwise)
        mote_dwconv2d_s16_ref(&g, &d->p.q, (const int16_t *)in,
                              (const int8_t *)filt, (const int64_t *)bias,
                              (int16_t *)out);
      else
        mote_conv2d_s16_ref(&g, &d->p.q, (const int16_t *)in,
                            (const int8_t *)filt, (const int64_t *)bias,
                            (int16_t *)out);
      return MOTE_OK;
    case MOTE_CONV_K_S16B32:
      mote_conv2d_s16b32_ref(&g, &d->p.q, (const int16_t *)in,
                             (const int8_t *)filt, (const int32_t *)bias,
                             (int16_t *)out);
      return MOTE_OK;
    case MOTE_CONV_K_HYBRID: {
      uint8_t *s = (uint8_t *)node->scratch;
      const size_t nb = (size_t)g.batches;
      float *bscale = (float *)(void *)s;
      int32_t *boff =
          (int32_t *)(void *)(s + MOTE_CONV_ALIGN8(nb * sizeof(float)));
      int8_t *q = (int8_t *)(s + MOTE_CONV_ALIGN8(nb * sizeof(float)) +
                             MOTE_CONV_ALIGN8(nb * sizeof(int32_t)));
      if (depthwise)
        mote_dwconv2d_hybrid_ref(&g, &d->p.h, (const float *)in,
                                 (const int8_t *)filt, (const float *)bias,
                                 (float *)out, q, bscale, boff);
      else
        mote_conv2d_hybrid_ref(&g, &d->p.h, (const float *)in,
                               (const int8_t *)filt, (const float *)bias,
                               (float *)out, q, bscale, boff);
      return MOTE_OK;
    }
    default:
      return mote_fail(ctx, node, MOTE_E_RUNTIME, -1, "known conv kernel", 0,
                       d->kind);
  }
}

/* One task of a split convolution: output rows [lo, hi) of slice `i`,
 * with the slice's own scratch. */
typedef struct mote_conv_task {
  mote_ctx *ctx;
  const mote_node *node;
  const mote_conv_data *d;
  mote_conv_geom g;
  int depthwise;
  const void *in, *filt, *bias;
  uint8_t *out;
  size_t row_bytes; /* bytes of one output row */
  mote_tensor tfilt;
  mote_status st[64];
} mote_conv_task;

MOTE_OP_BODY void mote_conv_task_body(void *arg, uint32_t i, int variant) {
  mote_conv_task *t = (mote_conv_task *)arg;
  const int32_t n = t->d->slices, h = t->g.out_h;
  const int32_t lo = (int32_t)(((int64_t)h * (int32_t)i) / n);
  const int32_t hi = (int32_t)(((int64_t)h * ((int32_t)i + 1)) / n);
  mote_conv_geom g = t->g;
  mote_node sub = *t->node;
  g.out_h = hi - lo;
  g.pad_h = t->g.pad_h - lo * t->g.stride_h;
  if (sub.scratch)
    sub.scratch = (uint8_t *)sub.scratch + (size_t)i * t->d->slot;
  t->st[i] = g.out_h > 0 ? mote_conv_run(t->ctx, &sub, t->d, g, t->depthwise,
                                         t->in, t->filt, t->bias,
                                         t->out + (size_t)lo * t->row_bytes,
                                         t->tfilt, variant)
                         : MOTE_OK;
}
/* The task of each variant (the workers' callback). */
static inline void mote_conv_task_all(void *arg, uint32_t i) {
  mote_conv_task_body(arg, i, MOTE_OPV_ALL);
}
static inline void mote_conv_task_int8(void *arg, uint32_t i) {
  mote_conv_task_body(arg, i, MOTE_OPV_INT8);
}

/* The kernel chosen at prepare, for reports (mote_op_reg.kernel). */
static inline const char *mote_conv_kernel(const void *data) {
  const mote_conv_data *d = (const mote_conv_data *)data;
  return d && (d->kind == MOTE_CONV_K_F32 || d->kind == MOTE_CONV_K_S8)
             ? mote_isa_name(d->kern)
             : NULL;
}

/* A split convolution's task record (statuses cleared). */
static inline void mote_conv_task_init(mote_conv_task *t, mote_ctx *ctx,
                                       const mote_node *node,
                                       const mote_conv_geom *g, int depthwise,
                                       const void *in, const void *filt,
                                       const void *bias, void *out,
                                       const mote_tensor *tfilt) {
  const mote_conv_data *d = (const mote_conv_data *)node->data;
  t->ctx = ctx;
  t->node = node;
  t->d = d;
  t->g = *g;
  t->depthwise = depthwise;
  t->in = in;
  t->filt = filt;
  t->bias = bias;
  t->out = (uint8_t *)out;
  t->row_bytes =
      (size_t)g->out_w * (size_t)g->out_c *
      (d->kind == MOTE_CONV_K_S8                                     ? 1u
       : d->kind == MOTE_CONV_K_F32 || d->kind == MOTE_CONV_K_HYBRID ? 4u
                                                                     : 2u);
  t->tfilt = *tfilt;
  memset(t->st, 0, sizeof t->st);
}

/* Two chained convolutions (row chaining): slice i of the first, then
 * slice i of the second, in one task. */
typedef struct mote_conv_pair {
  mote_conv_task a, b;
  void (*task)(void *, uint32_t);
} mote_conv_pair;

static inline void mote_conv_pair_task(void *arg, uint32_t i) {
  mote_conv_pair *p = (mote_conv_pair *)arg;
  p->task(&p->a, i);
  p->task(&p->b, i);
}

/* Geometry and filter view of an eval: prepare's copies (hosts), else
 * decoded again from the model (o: the options, NULL to read them). */
static inline mote_status mote_conv_views(mote_ctx *ctx, const mote_node *node,
                                          const mote_conv_opts *o,
                                          int depthwise, mote_conv_geom *g,
                                          mote_tensor *tfilt) {
#if MOTE_WORKERS
  const mote_conv_data *d = (const mote_conv_data *)node->data;
  if (d && d->views) {
    *g = d->g;
    *tfilt = d->tfilt;
    return MOTE_OK;
  }
#endif
  mote_tensor tin;
  mote_conv_opts ro;
  if (!o) {
    mote_conv_read_opts(ctx, node, depthwise, &ro);
    o = &ro;
  }
  MOTE_TRY(mote_node_input(ctx, node, 0, &tin));
  MOTE_TRY(mote_node_input(ctx, node, 1, tfilt));
  mote_conv_geometry(&tin, tfilt, o, depthwise, g);
  return MOTE_OK;
}

/* The next op, a pointwise CONV_2D chained to this one: its task record. */
static inline mote_status mote_conv_chain_next(mote_ctx *ctx,
                                               const mote_node *node,
                                               mote_node *nb,
                                               mote_conv_task *tb) {
  mote_tensor tfilt;
  mote_conv_geom g;
  mote_node_at(ctx, node->op_index + 1, nb);
  MOTE_TRY(mote_conv_views(ctx, nb, NULL, 0, &g, &tfilt));
  const void *in = mote_in(ctx, nb, 0), *filt = mote_in(ctx, nb, 1);
  void *out = mote_out(ctx, nb, 0);
  if (!nb->data || !in || !filt || !out)
    return mote_fail(ctx, nb, MOTE_E_RUNTIME, -1, "tensor data present", 1, 0);
  mote_conv_task_init(tb, ctx, nb, &g, 0, in, filt, mote_in(ctx, nb, 2), out,
                      &tfilt);
  return MOTE_OK;
}

/* The worker path of mote_conv_eval, out of line: its task records (a
 * status per slice) stay off the stack of the single-thread path. The
 * caller picks the variant's task, so an int8-only firmware links only it.
 * With row chaining (d->chain 1) the tasks run the next op's slices too. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static mote_status
mote_conv_split(mote_ctx *ctx, const mote_node *node, const mote_conv_geom *g,
                int depthwise, const void *in, const void *filt,
                const void *bias, void *out, const mote_tensor *tfilt,
                void (*task)(void *, uint32_t)) {
  const mote_conv_data *d = (const mote_conv_data *)node->data;
  const mote_workers *w = ctx->m->ops->workers;
  mote_conv_pair p;
  mote_node nb;
  mote_conv_task_init(&p.a, ctx, node, g, depthwise, in, filt, bias, out,
                      tfilt);
  if (d->chain == 1) {
    MOTE_TRY(mote_conv_chain_next(ctx, node, &nb, &p.b));
    p.task = task;
    w->run(w->pool, mote_conv_pair_task, &p, d->slices);
  } else {
    w->run(w->pool, task, &p.a, d->slices);
  }
  for (uint32_t i = 0; i < d->slices; i++) {
    if (p.a.st[i] != MOTE_OK) return p.a.st[i];
    if (d->chain == 1 && p.b.st[i] != MOTE_OK) return p.b.st[i];
  }
  return MOTE_OK;
}

/* Eval shared by both ops (o: the options, decoded again). */
MOTE_OP_BODY mote_status mote_conv_eval(mote_ctx *ctx, const mote_node *node,
                                        const mote_conv_opts *o, int depthwise,
                                        int variant) {
  const mote_conv_data *d = (const mote_conv_data *)node->data;
  if (d && d->chain == 2) return MOTE_OK; /* run by the previous op */
  const void *in = mote_in(ctx, node, 0);
  mote_fuse_pad fpad = {0, 0, 0, 0, 0};
  if (d && d->fused_pad) {
    if (!mote_fuse_pad_of(ctx, node, &fpad))
      return mote_fail(ctx, node, MOTE_E_RUNTIME, -1, "the fused PAD", 1, 0);
    in = ctx->m->tensor_data[fpad.src];
  }
  const void *filt = mote_in(ctx, node, 1);
  const void *bias = mote_in(ctx, node, 2);
  void *out = mote_out(ctx, node, 0);
  mote_tensor tfilt;
  if (!d || !in || !filt || !out)
    return mote_fail(ctx, node, MOTE_E_RUNTIME, -1, "tensor data present", 1,
                     0);
  mote_conv_geom g;
  int cached = 0; /* prepare's geometry, a fused PAD's already applied */
#if MOTE_WORKERS
  cached = d->views;
#endif
  MOTE_TRY(mote_conv_views(ctx, node, o, depthwise, &g, &tfilt));
  if (d->fused_pad && !cached) mote_conv_fuse_geometry(&g, &fpad);
  if (d->rq_eval) { /* MOTE_RQ_SCRATCH: arrays at the scratch's end */
    const uint32_t oc = (uint32_t)g.out_c;
    uint8_t *arr = (uint8_t *)node->scratch + d->slot - mote_rq_eval_bytes(oc);
    mote_conv_data *dm = (mote_conv_data *)node->data;
    MOTE_TRY(mote_rq_fill_eval(ctx, node, 1, oc, MOTE_RQ_DOUBLE, &dm->p.q.rq,
                               node->scratch ? arr : NULL));
  }
  const mote_workers *w = ctx->m->ops->workers;
  if (!MOTE_WORKERS || d->slices < 2 || !w || g.batches != 1)
    return mote_conv_run(ctx, node, d, g, depthwise, in, filt, bias, out, tfilt,
                         variant);
  return mote_conv_split(
      ctx, node, &g, depthwise, in, filt, bias, out, &tfilt,
      variant == MOTE_OPV_INT8 ? mote_conv_task_int8 : mote_conv_task_all);
}

/*
** The two variants' prepare and eval (conv_common.c), shared by CONV_2D
** (depthwise 0) and DEPTHWISE_CONV_2D (1): one copy of each in a firmware.
** Eval takes o NULL: the options are read only where needed.
*/
mote_status mote_conv_prepare_all(mote_ctx *ctx, mote_node *node,
                                  const mote_conv_opts *o, int depthwise);
mote_status mote_conv_prepare_int8(mote_ctx *ctx, mote_node *node,
                                   const mote_conv_opts *o, int depthwise);
mote_status mote_conv_eval_all(mote_ctx *ctx, const mote_node *node,
                               const mote_conv_opts *o, int depthwise);
mote_status mote_conv_eval_int8(mote_ctx *ctx, const mote_node *node,
                                const mote_conv_opts *o, int depthwise);

#endif
