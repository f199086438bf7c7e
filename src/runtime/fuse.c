/*
** fuse.c: operator fusion, decided at init between neighbours in execution
** order (as converters emit them).
**
** PAD into convolution. A PAD / PADV2 (op i-1) whose output only the
** CONV_2D / DEPTHWISE_CONV_2D at op i reads (its input 0; no graph output),
** padding only H and W, by non-negative amounts, with the value that
** stands for the real 0: the convolution reads the PAD's input instead,
** its leading pads added to the convolution's own (top/left: pad_h,
** pad_w of the geometry) and its output size that of the padded input;
** trailing pads need nothing, as rows and columns past the input are
** padding to every kernel. The padded tensor gets no memory, the PAD's
** input lives until the convolution, and the PAD does nothing.
** Bit-exact: a window tap outside the image adds nothing in every kernel
** (int8: the tap is skipped, or read as the input zero point where
** filter * (x - zero point) is 0; int16: 0 with no zero point), which is
** what the padded value contributed: int8 PAD pads with its output zero
** point (TFLM's PadPrepare), the convolution's input zero point, and
** PAD's input and output quantization must be equal (PAD copies the raw
** bytes). float32 pads with +-0.0: a product w * 0.0 added to a sum that
** is never -0.0 (it starts at +0.0 or a bias that is not -0.0) leaves it
** unchanged, for finite w (constant filter checked finite; bias constant
** without -0.0); kernels that gather zeros for taps outside the image add
** the very same terms either way.
**
** Activation into its producer. A RELU / RELU6 (op i; mote_op_reg.clamp
** says it is exactly a clamp) whose input only it reads, the output of the
** CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED or ADD at op i-1, int8 with
** equal input/output quantization or float32: the producer narrows its
** activation clamp to the intersection with the activation's (both hold
** zero, so clamping to the intersection equals clamping twice), the
** activation's output shares the producer's output memory, and the
** activation does nothing.
**
** Every decision reads only the model and the op table
** (mote_op_table.no_fusion: none), so both passes decide alike.
*/
#include <string.h>

#include "model_internal.h"

#if MOTE_FUSION

#define SZ(e) ((e)->size & MOTE_PLAN_SIZE)

/* Readers and writers of each tensor, counted in its plan entry's link
 * (free until placement) while deciding: readers low, writers high. */
#define CNT_READ 1u
#define CNT_WRITE 0x10000u
#define CNT_MAX 0x7FFFu

static void count(mote_plan_entry *e, uint32_t what) {
  uint32_t r = e->link & 0xFFFFu, w = e->link >> 16;
  if (what == CNT_READ && r < CNT_MAX) r++;
  if (what == CNT_WRITE && w < CNT_MAX) w++;
  e->link = r | (w << 16);
}

/* Read once (by one input slot) and written once, not a graph input or
 * output, with memory of its own in the plan. */
static int single_use(const mote_plan_entry *e) {
  return e->link == (CNT_READ | CNT_WRITE) && SZ(e) != 0;
}

uint32_t mote_fuse_role(const mote_ctx *ctx, uint32_t op) {
  if (!ctx->plan || op >= ctx->m->n_ops) return 0;
  return ctx->plan[ctx->m->n_tensors + op].link;
}

static void add_role(mote_ctx *ctx, uint32_t op, uint32_t role) {
  ctx->plan[ctx->m->n_tensors + op].link |= role;
}

static void view(const mote_ctx *ctx, int32_t i, mote_tensor *t) {
  mote_view(ctx->m, &ctx->fb, (uint32_t)i, NULL, t);
}

/* Same per-tensor quantization, bit for bit. */
static int same_quant(const mote_tensor *a, const mote_tensor *b) {
  if (a->nscale > 1 || a->nzero > 1 || a->nscale != b->nscale ||
      a->nzero != b->nzero)
    return 0;
  if (a->nscale && memcmp(a->scales_le, b->scales_le, 4) != 0) return 0;
  if (a->nzero && memcmp(a->zeros_le, b->zeros_le, 8) != 0) return 0;
  return 1;
}

static int64_t read_int(const mote_tensor *t, uint32_t i) {
  if (t->type == MOTE_INT64) {
    int64_t v;
    memcpy(&v, (const uint8_t *)t->data + 8u * i, sizeof v);
    return v;
  }
  int32_t v;
  memcpy(&v, (const uint8_t *)t->data + 4u * i, sizeof v);
  return v;
}

static int32_t in_index(const mote_ctx *ctx, const mote_node *n, uint32_t k) {
  return k < n->inputs.n ? fb_vec_i32(&ctx->fb, n->inputs, k) : -1;
}
static int32_t out_index(const mote_ctx *ctx, const mote_node *n) {
  return n->outputs.n == 1 ? fb_vec_i32(&ctx->fb, n->outputs, 0) : -1;
}

static int is_pad(int32_t code) {
  return code == TFL_OP_PAD || code == TFL_OP_PADV2;
}
static int is_conv(int32_t code) {
  return code == TFL_OP_CONV_2D || code == TFL_OP_DEPTHWISE_CONV_2D;
}

int mote_fuse_pad_of(const mote_ctx *ctx, const mote_node *node,
                     mote_fuse_pad *fp) {
  mote_node p;
  mote_tensor pads;
  if (node->op_index == 0) return 0;
  mote_node_fill(ctx->m, node->op_index - 1, &p);
  const int32_t pi = in_index(ctx, &p, 1);
  if (!is_pad(p.builtin_code) || pi < 0) return 0;
  view(ctx, pi, &pads);
  if (!pads.data || pads.count != 8) return 0;
  fp->src = in_index(ctx, &p, 0);
  fp->top = (int32_t)read_int(&pads, 2);
  fp->bottom = (int32_t)read_int(&pads, 3);
  fp->left = (int32_t)read_int(&pads, 4);
  fp->right = (int32_t)read_int(&pads, 5);
  return fp->src >= 0;
}

/* No infinity or NaN among the floats of t. */
static int all_finite(const mote_tensor *t) {
  for (size_t i = 0; i < t->count; i++) {
    uint32_t u;
    memcpy(&u, (const uint8_t *)t->data + 4u * i, sizeof u);
    if ((u & 0x7F800000u) == 0x7F800000u) return 0;
  }
  return 1;
}

/* No -0.0 among the floats of t. */
static int no_minus_zero(const mote_tensor *t) {
  for (size_t i = 0; i < t->count; i++) {
    uint32_t u;
    memcpy(&u, (const uint8_t *)t->data + 4u * i, sizeof u);
    if (u == 0x80000000u) return 0;
  }
  return 1;
}

/* Can the PAD `p` fold into the convolution `c` right after it? */
static int pad_fusable(const mote_ctx *ctx, const mote_node *p,
                       const mote_node *c) {
  const mote_plan_entry *plan = ctx->plan;
  if (!is_pad(p->builtin_code) || !is_conv(c->builtin_code)) return 0;
  if (p->inputs.n < 2 || p->inputs.n > 3 || c->inputs.n < 2) return 0;
  const int32_t t = out_index(ctx, p), s = in_index(ctx, p, 0);
  const int32_t pi = in_index(ctx, p, 1), ci = in_index(ctx, p, 2);
  if (t < 0 || s < 0 || pi < 0 || s == t || in_index(ctx, c, 0) != t ||
      !single_use(&plan[t]))
    return 0;
  mote_tensor vs, vt, vp;
  view(ctx, s, &vs);
  view(ctx, t, &vt);
  view(ctx, pi, &vp);
  if (vs.type != vt.type || vs.ndim != 4 || vt.ndim != 4 ||
      !same_quant(&vs, &vt))
    return 0;
  if (vs.type != MOTE_INT8 && vs.type != MOTE_INT16 && vs.type != MOTE_FLOAT32)
    return 0;
  /* Paddings: constant [4, 2], only H and W, non-negative, and the output
   * the padded input. */
  if (!vp.is_const || !vp.data || vp.count != 8 ||
      (vp.type != MOTE_INT32 && vp.type != MOTE_INT64))
    return 0;
  for (uint32_t d = 0; d < 4; d++) {
    const int64_t l = read_int(&vp, 2 * d), r = read_int(&vp, 2 * d + 1);
    if (l < 0 || r < 0 || ((d == 0 || d == 3) && (l | r) != 0) ||
        (int64_t)vt.dims[d] != (int64_t)vs.dims[d] + l + r || vs.dims[d] <= 0)
      return 0;
  }
  /* The pad value: the real 0 of the type. */
  if (ci >= 0) {
    mote_tensor vc;
    view(ctx, ci, &vc);
    if (!vc.is_const || !vc.data || vc.count != 1 || vc.type != vs.type)
      return 0;
    if (vs.type == MOTE_INT8 &&
        (int32_t)((const int8_t *)vc.data)[0] != vt.zero_point)
      return 0;
    if (vs.type == MOTE_INT16 && ((const int16_t *)vc.data)[0] != 0) return 0;
    if (vs.type == MOTE_FLOAT32) {
      float v;
      memcpy(&v, vc.data, sizeof v);
      if (v != 0.0f) return 0;
    }
  }
  /* The convolution: integer (int8 / int4 or int8 filter), or float32 with
   * a constant finite filter and a constant bias without -0.0 (not the
   * hybrid kernels, which quantize the whole input). */
  mote_tensor vf;
  const int32_t fi = in_index(ctx, c, 1);
  if (fi < 0) return 0;
  view(ctx, fi, &vf);
  if (vs.type == MOTE_INT8) return vf.type == MOTE_INT8 || vf.type == MOTE_INT4;
  if (vs.type == MOTE_INT16) return vf.type == MOTE_INT8;
  if (vf.type != MOTE_FLOAT32 || !vf.is_const || !vf.data || !all_finite(&vf))
    return 0;
  const int32_t bi = in_index(ctx, c, 2);
  if (bi >= 0) {
    mote_tensor vb;
    view(ctx, bi, &vb);
    if (vb.type != MOTE_FLOAT32 || !vb.is_const || !vb.data ||
        !no_minus_zero(&vb))
      return 0;
  }
  return 1;
}

static int is_producer(int32_t code) {
  return code == TFL_OP_CONV_2D || code == TFL_OP_DEPTHWISE_CONV_2D ||
         code == TFL_OP_FULLY_CONNECTED || code == TFL_OP_ADD;
}

/* The clamp of activation `a` on tensors t -> o, if it is one. */
static int act_clamp(const mote_ctx *ctx, const mote_node *a, int32_t t,
                     int32_t o, mote_clamp *c) {
  const mote_op_reg *reg = mote_find_op(ctx->m->ops, a->builtin_code);
  mote_tensor vt, vo;
  if (!reg || !reg->clamp) return 0;
  view(ctx, t, &vt);
  view(ctx, o, &vo);
  if (vt.type != vo.type || !mote_same_shape(&vt, &vo)) return 0;
  if (vt.type == MOTE_INT8) {
    if (!same_quant(&vt, &vo) || vt.nscale != 1) return 0;
  } else if (vt.type != MOTE_FLOAT32) {
    return 0;
  }
  return reg->clamp(&vt, &vo, c);
}

/* Can the activation `a` fold into its producer `p` right before it? */
static int act_fusable(const mote_ctx *ctx, const mote_node *p,
                       const mote_node *a) {
  const mote_plan_entry *plan = ctx->plan;
  mote_clamp c;
  if (!is_producer(p->builtin_code) || a->inputs.n != 1) return 0;
  const int32_t t = out_index(ctx, p), o = out_index(ctx, a);
  if (t < 0 || o < 0 || t == o || in_index(ctx, a, 0) != t ||
      !single_use(&plan[t]) || SZ(&plan[o]) != SZ(&plan[t]))
    return 0;
  return act_clamp(ctx, a, t, o, &c);
}

int mote_fused_clamp(const mote_ctx *ctx, const mote_node *node,
                     mote_clamp *c) {
  mote_node a;
  if (!(mote_fuse_role(ctx, node->op_index) & MOTE_FUSE_ACT_OUT)) return 0;
  mote_node_fill(ctx->m, node->op_index + 1, &a);
  return act_clamp(ctx, &a, in_index(ctx, &a, 0), out_index(ctx, &a), c);
}

void mote_fuse_decide(mote_ctx *ctx) {
  mote_model *m = ctx->m;
  mote_plan_entry *plan = ctx->plan;
  const fb_buf *b = &ctx->fb;
  const uint32_t nt = m->n_tensors, no = m->n_ops;
  if (m->ops->no_fusion || no < 2) return;
  for (uint32_t i = 0; i < nt; i++) plan[i].link = 0;
  for (uint32_t i = 0; i < no; i++) {
    mote_node n;
    mote_node_fill(m, i, &n);
    for (uint32_t k = 0; k < n.inputs.n; k++) {
      int32_t t = fb_vec_i32(b, n.inputs, k);
      if (t >= 0) count(&plan[t], CNT_READ);
    }
    for (uint32_t k = 0; k < n.outputs.n; k++)
      count(&plan[fb_vec_i32(b, n.outputs, k)], CNT_WRITE);
  }
  /* Graph inputs and outputs count twice as readers: never single use. */
  fb_vec gin = {m->inputs, m->n_inputs}, gout = {m->outputs, m->n_outputs};
  for (uint32_t k = 0; k < gin.n; k++) {
    count(&plan[fb_vec_i32(b, gin, k)], CNT_READ);
    count(&plan[fb_vec_i32(b, gin, k)], CNT_READ);
  }
  for (uint32_t k = 0; k < gout.n; k++) {
    count(&plan[fb_vec_i32(b, gout, k)], CNT_READ);
    count(&plan[fb_vec_i32(b, gout, k)], CNT_READ);
  }
  mote_node prev, cur;
  mote_node_fill(m, 0, &prev);
  for (uint32_t i = 1; i < no; i++, prev = cur) {
    mote_node_fill(m, i, &cur);
    if (pad_fusable(ctx, &prev, &cur)) {
      /* Decided before the padded tensor loses its memory (single_use). */
      plan[out_index(ctx, &prev)].size &= ~MOTE_PLAN_SIZE;
      add_role(ctx, i - 1, MOTE_FUSE_AWAY);
      add_role(ctx, i, MOTE_FUSE_PAD_IN);
    } else if (act_fusable(ctx, &prev, &cur)) {
      add_role(ctx, i - 1, MOTE_FUSE_ACT_OUT);
      add_role(ctx, i, MOTE_FUSE_AWAY);
    }
  }
  for (uint32_t i = 0; i < nt; i++) plan[i].link = 0;
}

#else
/* MOTE_FUSION 0: compiled out (inline stubs in op_api.h). */
typedef int mote_fuse_compiled_out;
#endif
