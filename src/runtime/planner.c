/*
** planner.c: lifetimes, in-place sharing and greedy placement of every
** activation and op scratch buffer into one region.
**
** Greedy by size (largest first), each buffer at the lowest offset that no
** buffer with an overlapping lifetime occupies -- the strategy of TFLM's
** GreedyMemoryPlanner, plus sharing: reshape-like ops (MOTE_OP_ALIAS) give
** their output the input's bytes, and element-wise ops (MOTE_OP_INPLACE)
** write over an input whose last use they are.
*/
#include "model_internal.h"

#define SZ(e) ((e)->size & MOTE_PLAN_SIZE)

uint32_t mote_plan_root(const mote_plan_entry *p, uint32_t i) {
  while (p[i].size & MOTE_PLAN_ALIAS) i = p[i].link;
  return i;
}

static void use(mote_plan_entry *e, uint32_t op) {
  if (e->first == MOTE_PLAN_NEVER || op < e->first) e->first = (uint16_t)op;
  if (op > e->last) e->last = (uint16_t)op;
}

static mote_status lifetimes(mote_ctx *ctx, mote_plan_entry *p) {
  mote_model *m = ctx->m;
  const fb_buf *b = &ctx->fb;
  uint32_t last_op = m->n_ops ? m->n_ops - 1 : 0;
  fb_vec gin = {m->inputs, m->n_inputs}, gout = {m->outputs, m->n_outputs};
  for (uint32_t k = 0; k < gin.n; k++) {
    int32_t t = fb_vec_i32(b, gin, k);
    if (SZ(&p[t])) {
      use(&p[t], 0);
      p[t].size |= MOTE_PLAN_GRAPH_INPUT;
    }
  }
  for (uint32_t k = 0; k < gout.n; k++) {
    int32_t t = fb_vec_i32(b, gout, k);
    if (SZ(&p[t])) {
      use(&p[t], last_op);
      p[t].size |= MOTE_PLAN_GRAPH_OUTPUT;
    }
  }
  /* Every tensor is written once, by an op before all its readers. */
  for (uint32_t i = 0; i < m->n_ops; i++) {
    mote_node n;
    mote_node_fill(m, i, &n);
    for (uint32_t k = 0; k < n.outputs.n; k++) {
      int32_t t = fb_vec_i32(b, n.outputs, k);
      mote_tensor v;
      mote_view(m, b, (uint32_t)t, NULL, &v);
      if (v.is_const)
        return mote_fail(ctx, &n, MOTE_E_BAD_MODEL, t,
                         "operator output that is not a constant", 0, 1);
      if (p[t].size & MOTE_PLAN_GRAPH_INPUT)
        return mote_fail(ctx, &n, MOTE_E_BAD_MODEL, t,
                         "operator output that is not a graph input", 0, 1);
      if (!SZ(&p[t])) continue; /* variable or empty */
      if (p[t].first != MOTE_PLAN_NEVER && p[t].first < i)
        return mote_fail(ctx, &n, MOTE_E_BAD_MODEL, t,
                         "tensor written once, before it is read", (int64_t)i,
                         p[t].first);
      use(&p[t], i);
    }
    for (uint32_t k = 0; k < n.inputs.n; k++) {
      int32_t t = fb_vec_i32(b, n.inputs, k);
      if (t < 0 || !SZ(&p[t])) continue;
      if (p[t].first == MOTE_PLAN_NEVER)
        return mote_fail(ctx, &n, MOTE_E_BAD_MODEL, t,
                         "input tensor produced by an earlier operator", 0, 0);
      use(&p[t], i);
    }
  }
  /* A convolution reading through a fused PAD (fuse.c) reads the PAD's
   * input, whose memory must last until then. */
  for (uint32_t i = 1; i < m->n_ops; i++) {
    mote_node n;
    mote_fuse_pad fp;
    if (!(mote_fuse_role(ctx, i) & MOTE_FUSE_PAD_IN)) continue;
    mote_node_fill(m, i, &n);
    if (mote_fuse_pad_of(ctx, &n, &fp) && SZ(&p[fp.src])) use(&p[fp.src], i);
  }
  return MOTE_OK;
}

static int group_has_output(const mote_plan_entry *p, uint32_t n,
                            uint32_t root) {
  for (uint32_t i = 0; i < n; i++)
    if ((p[i].size & MOTE_PLAN_GRAPH_OUTPUT) && mote_plan_root(p, i) == root)
      return 1;
  return 0;
}

/* Merge output 0 into input 0's buffer where the op allows and it is safe. */
static void share(mote_ctx *ctx, mote_plan_entry *p) {
  mote_model *m = ctx->m;
  const fb_buf *b = &ctx->fb;
  for (uint32_t i = 0; i < m->n_ops; i++) {
    mote_node n;
    mote_node_fill(m, i, &n);
    const mote_op_reg *reg = NULL;
    for (uint32_t r = 0; r < m->ops->count; r++)
      if (m->ops->ops[r] && m->ops->ops[r]->builtin_code == n.builtin_code)
        reg = m->ops->ops[r];
    uint32_t flags = reg ? reg->flags : 0u;
    /* A fused-away activation (fuse.c) writes nothing: its output is its
     * input's memory, which its producer already clamped. */
    if (i > 0 && (mote_fuse_role(ctx, i - 1) & MOTE_FUSE_ACT_OUT))
      flags = MOTE_OP_ALIAS;
    if (!(flags & (MOTE_OP_ALIAS | MOTE_OP_INPLACE))) continue;
    if (n.inputs.n < 1 || n.outputs.n < 1) continue;
    int32_t in = fb_vec_i32(b, n.inputs, 0), out = fb_vec_i32(b, n.outputs, 0);
    if (in < 0 || in == out || !SZ(&p[in]) || SZ(&p[in]) != SZ(&p[out]))
      continue;
    if (p[out].size & MOTE_PLAN_ALIAS) continue;
    uint32_t ri = mote_plan_root(p, (uint32_t)in);
    if (flags & MOTE_OP_INPLACE) {
      if (p[ri].last != i) continue; /* input still needed later */
      if (group_has_output(p, m->n_tensors, ri)) continue;
      /* Input 0 must not be read again by this op through another slot. */
      int dup = 0;
      for (uint32_t k = 1; k < n.inputs.n; k++) {
        int32_t t = fb_vec_i32(b, n.inputs, k);
        if (t >= 0 && SZ(&p[t]) && mote_plan_root(p, (uint32_t)t) == ri)
          dup = 1;
      }
      if (dup) continue;
    }
    p[out].size |= MOTE_PLAN_ALIAS;
    p[out].link = ri;
    if (p[out].first < p[ri].first) p[ri].first = p[out].first;
    if (p[out].last > p[ri].last) p[ri].last = p[out].last;
  }
}

static int overlaps(const mote_plan_entry *a, const mote_plan_entry *b) {
  return a->first <= b->last && b->first <= a->last;
}

static int placeable(const mote_plan_entry *e) {
  return !(e->size & (MOTE_PLAN_ALIAS | MOTE_PLAN_PLACED)) && SZ(e) &&
         e->first != MOTE_PLAN_NEVER;
}

/* Order of placement: the planner tries each and keeps the smallest. */
enum { ORDER_SIZE = 0, ORDER_FIRST_USE = 1, ORDER_COUNT = 2 };

/* Does entry a come before entry b in placement order `mode`? */
static int before(const mote_plan_entry *a, const mote_plan_entry *b,
                  int mode) {
  if (mode == ORDER_FIRST_USE && a->first != b->first)
    return a->first < b->first;
  if (SZ(a) != SZ(b)) return SZ(a) > SZ(b);
  return a->first < b->first;
}

/*
** Place every root buffer, in order `mode`, at the lowest offset that no
** placed buffer with an overlapping lifetime occupies. Returns the end of
** the plan (UINT64_MAX on overflow).
*/
static uint64_t place_all(mote_plan_entry *p, uint32_t n, int mode) {
  uint64_t end = 0;
  for (uint32_t i = 0; i < n; i++)
    if (!(p[i].size & MOTE_PLAN_ALIAS)) {
      p[i].size &= ~MOTE_PLAN_PLACED;
      p[i].link = 0;
    }
  for (;;) {
    int32_t best = -1;
    for (uint32_t i = 0; i < n; i++)
      if (placeable(&p[i]) && (best < 0 || before(&p[i], &p[best], mode)))
        best = (int32_t)i;
    if (best < 0) break;
    mote_plan_entry *e = &p[best];
    /* Candidates: 0 and the end of every overlapping placed buffer. */
    uint64_t chosen = UINT64_MAX;
    for (uint32_t c = 0; c <= n; c++) {
      uint64_t cand = 0;
      if (c < n) {
        const mote_plan_entry *o = &p[c];
        if (!(o->size & MOTE_PLAN_PLACED) || !overlaps(o, e)) continue;
        cand = (uint64_t)o->link + SZ(o);
      }
      if (cand >= chosen) continue;
      int ok = 1;
      for (uint32_t j = 0; j < n && ok; j++) {
        const mote_plan_entry *o = &p[j];
        if (!(o->size & MOTE_PLAN_PLACED) || !overlaps(o, e)) continue;
        if (cand < (uint64_t)o->link + SZ(o) &&
            (uint64_t)o->link < cand + SZ(e))
          ok = 0;
      }
      if (ok) chosen = cand;
    }
    if (chosen + SZ(e) > (uint64_t)UINT32_MAX) return UINT64_MAX;
    e->link = (uint32_t)chosen;
    e->size |= MOTE_PLAN_PLACED;
    if (chosen + SZ(e) > end) end = chosen + SZ(e);
  }
  return end;
}

mote_status mote_plan(mote_ctx *ctx, mote_plan_entry *p, size_t *total) {
  mote_model *m = ctx->m;
  uint32_t n = m->n_tensors + m->n_ops;
  mote_status st = lifetimes(ctx, p);
  if (st != MOTE_OK) return st;
  share(ctx, p);
  /* Largest-first (TFLM's greedy) suits wide graphs; first-use order
   * suits chains (MobileNets), where largest-first fragments. */
  int best_mode = 0;
  uint64_t best_end = UINT64_MAX;
  for (int mode = 0; mode < ORDER_COUNT; mode++) {
    uint64_t end = place_all(p, n, mode);
    if (end < best_end) {
      best_end = end;
      best_mode = mode;
    }
  }
  if (best_end == UINT64_MAX)
    return mote_fail(ctx, NULL, MOTE_E_OVERFLOW, -1, "plan below 4 GiB", 0, 0);
  if (best_mode != ORDER_COUNT - 1) place_all(p, n, best_mode);
  *total = (size_t)best_end;
  return MOTE_OK;
}
