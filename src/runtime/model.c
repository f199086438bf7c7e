/*
** model.c: verify, index and initialise a model; tensor views; invoke.
**
** Init runs every operator's prepare twice: a measuring pass that counts
** the persistent bytes and plans the activations, then (if the arena is
** large enough) the real pass that fills the arena. Layout:
**
**   [tensor_data table][nodes][variable tensors][op data] [planned region]
**   '------------------ persistent ------------------'   activations+scratch
*/
#include <string.h>

#include "model_internal.h"
#include "verify.h"

#define ALIGN_UP(x) \
  (((x) + (MOTE_ARENA_ALIGN - 1)) & ~(size_t)(MOTE_ARENA_ALIGN - 1))

static fb_buf model_buf(const mote_model *m) {
  fb_buf b;
  b.p = m->fb;
  b.len = m->fb_len;
  return b;
}

static mote_status(fail_at)(mote_model *m, mote_status st, int32_t op,
                            int32_t tensor, const char *what, int64_t expected,
                            int64_t got) {
  m->err.status = st;
  m->err.op_index = op;
  m->err.tensor_index = tensor;
  m->err.what = what;
  m->err.expected = expected;
  m->err.got = got;
  return st;
}
#define fail_at(m, st, op, tensor, what, expected, got) \
  fail_at((m), (st), (op), (tensor), MOTE_TEXT(what), (expected), (got))

fb_table mote_tensor_table(const mote_model *m, uint32_t index) {
  fb_buf b = model_buf(m);
  fb_vec v = {m->tensors, m->n_tensors};
  return fb_vec_table(&b, v, index);
}

static fb_table buffer_table(const mote_model *m, uint32_t index) {
  fb_buf b = model_buf(m);
  fb_vec v = {m->buffers, m->n_buffers};
  return fb_vec_table(&b, v, index);
}

int32_t mote_opcode_builtin(const mote_model *m, uint32_t opcode_index,
                            int32_t *version) {
  fb_buf b = model_buf(m);
  fb_vec v = {m->opcodes, m->n_opcodes};
  fb_table t = fb_vec_table(&b, v, opcode_index);
  int32_t dep = fb_i8(&b, &t, TFL_OPCODE_DEPRECATED_BUILTIN, 0);
  int32_t ext = fb_i32(&b, &t, TFL_OPCODE_BUILTIN, 0);
  if (version) *version = fb_i32(&b, &t, TFL_OPCODE_VERSION, 1);
  return dep > ext ? dep : ext;
}

static fb_table op_table(const mote_model *m, uint32_t i) {
  fb_buf b = model_buf(m);
  fb_vec v = {m->operators, m->n_ops};
  return fb_vec_table(&b, v, i);
}

void mote_node_fill(const mote_model *m, uint32_t i, mote_node *node) {
  fb_buf b = model_buf(m);
  fb_table t = op_table(m, i);
  memset(node, 0, sizeof *node);
  node->op_index = i;
  node->builtin_code = mote_opcode_builtin(
      m, fb_u32(&b, &t, TFL_OP_OPCODE_INDEX, 0), &node->version);
  node->inputs = fb_vector(&b, &t, TFL_OP_INPUTS);
  node->outputs = fb_vector(&b, &t, TFL_OP_OUTPUTS);
  node->intermediates = fb_vector(&b, &t, TFL_OP_INTERMEDIATES);
  node->options = fb_subtable(&b, &t, TFL_OP_BUILTIN_OPTIONS);
  node->options_type = fb_u8(&b, &t, TFL_OP_BUILTIN_OPTIONS_TYPE, 0);
}

/* Constant data of tensor `t` (NULL if it has no buffer data). */
static const uint8_t *const_data(const mote_model *m, const fb_buf *b,
                                 const fb_table *tt, uint32_t *len) {
  uint32_t bi = fb_u32(b, tt, TFL_TENSOR_BUFFER, 0);
  *len = 0;
  if (bi == 0 || bi >= m->n_buffers) return NULL;
  fb_table bt = buffer_table(m, bi);
  fb_vec d = fb_vector(b, &bt, TFL_BUFFER_DATA);
  if (d.pos == 0 || d.n == 0) return NULL;
  *len = d.n;
  return b->p + d.pos;
}

mote_status mote_view(const mote_model *m, const fb_buf *b, uint32_t index,
                      void *const *tensor_data, mote_tensor *t) {
  memset(t, 0, sizeof *t);
  if (index >= m->n_tensors) return MOTE_E_BAD_TENSOR_INDEX;
  fb_table tt = mote_tensor_table(m, index);
  fb_vec shape = fb_vector(b, &tt, TFL_TENSOR_SHAPE);
  t->index = index;
  t->type = (mote_dtype)fb_i8(b, &tt, TFL_TENSOR_TYPE, 0);
  t->ndim = shape.n > MOTE_MAX_DIMS ? MOTE_MAX_DIMS : shape.n;
  size_t count = 1;
  for (uint32_t i = 0; i < t->ndim; i++) {
    t->dims[i] = fb_vec_i32(b, shape, i);
    count *= t->dims[i] > 0 ? (size_t)t->dims[i] : 0u;
  }
  t->count = count;
  /* int4 constants are packed two to a byte (TFLite's layout). */
  t->bytes = t->type == MOTE_INT4 ? (count + 1u) / 2u
                                  : count * mote_dtype_size(t->type);
  t->name = fb_string(b, &tt, TFL_TENSOR_NAME);
  t->is_variable = (uint8_t)fb_bool(b, &tt, TFL_TENSOR_IS_VARIABLE, 0);
  uint32_t clen;
  const uint8_t *cd = const_data(m, b, &tt, &clen);
  if (cd) {
    t->is_const = 1;
    t->data = (void *)(uintptr_t)cd; /* const: never written by mote */
  } else if (tensor_data) {
    t->data = tensor_data[index];
  }
  fb_table q = fb_subtable(b, &tt, TFL_TENSOR_QUANTIZATION);
  if (q.pos) {
    fb_vec sc = fb_vector(b, &q, TFL_QUANT_SCALE);
    fb_vec zp = fb_vector(b, &q, TFL_QUANT_ZERO_POINT);
    t->nscale = sc.n;
    t->nzero = zp.n;
    t->scales_le = sc.n ? b->p + sc.pos : NULL;
    t->zeros_le = zp.n ? b->p + zp.pos : NULL;
    t->quant_dim = fb_i32(b, &q, TFL_QUANT_QUANTIZED_DIMENSION, 0);
    if (t->ndim == 1 && t->quant_dim > 0) t->quant_dim = 0;
    t->scale = mote_tensor_scale(t, 0);
    t->zero_point = mote_tensor_zero_point(t, 0);
  }
  return MOTE_OK;
}

/* Semantic checks of one tensor: rank, dims, sizes, buffer, quantization. */
static mote_status check_tensor(mote_model *m, const fb_buf *b, uint32_t i) {
  fb_table tt = mote_tensor_table(m, i);
  int32_t ti = (int32_t)i;
  fb_vec shape = fb_vector(b, &tt, TFL_TENSOR_SHAPE);
  if (shape.n > MOTE_MAX_DIMS)
    return fail_at(m, MOTE_E_UNSUPPORTED, -1, ti, "tensor rank at most",
                   MOTE_MAX_DIMS, shape.n);
  int32_t type = fb_i8(b, &tt, TFL_TENSOR_TYPE, 0);
  size_t esize = mote_dtype_size((mote_dtype)type);
  if (type < 0 || type > MOTE_INT4)
    return fail_at(m, MOTE_E_BAD_TYPE, -1, ti, "known tensor type", 0, type);
  uint64_t count = 1, nonzero = 1;
  for (uint32_t d = 0; d < shape.n; d++) {
    int32_t v = fb_vec_i32(b, shape, d);
    if (v < 0)
      return fail_at(m, MOTE_E_BAD_SHAPE, -1, ti,
                     "non-negative dimension (shape, not shape_signature)", 0,
                     v);
    /* Zero-sized dims do not excuse the others: ops multiply subsets. */
    count *= (uint64_t)v;
    nonzero *= (uint64_t)(v > 0 ? v : 1);
    if (nonzero > (uint64_t)INT32_MAX)
      return fail_at(m, MOTE_E_OVERFLOW, -1, ti,
                     "product of non-zero dimensions below 2^31", INT32_MAX,
                     (int64_t)nonzero);
  }
  if (fb_subtable(b, &tt, TFL_TENSOR_SPARSITY).pos)
    return fail_at(m, MOTE_E_UNSUPPORTED, -1, ti, "dense tensor (no sparsity)",
                   0, 1);
  uint32_t bi = fb_u32(b, &tt, TFL_TENSOR_BUFFER, 0);
  if (bi >= m->n_buffers && !(bi == 0 && m->n_buffers == 0))
    return fail_at(m, MOTE_E_BAD_BUFFER, -1, ti, "buffer index below",
                   m->n_buffers, bi);
  if (bi != 0) {
    fb_table bt = buffer_table(m, bi);
    uint64_t off = fb_u64(b, &bt, TFL_BUFFER_OFFSET, 0);
    uint64_t sz = fb_u64(b, &bt, TFL_BUFFER_SIZE, 0);
    if (off > 1 || sz > 0)
      return fail_at(m, MOTE_E_EXTERNAL_BUFFER, -1, ti,
                     "buffer data inside the flatbuffer", 0, (int64_t)off);
    uint32_t clen;
    const uint8_t *cd = const_data(m, b, &tt, &clen);
    if (cd) {
      uint64_t want = type == MOTE_INT4 ? (count + 1u) / 2u : count * esize;
      if (esize == 0 && type != MOTE_INT4)
        return fail_at(m, MOTE_E_UNSUPPORTED, -1, ti,
                       "constant of a fixed-size type", 0, type);
      if ((uint64_t)clen != want)
        return fail_at(m, MOTE_E_BAD_BUFFER, -1, ti, "constant buffer bytes",
                       (int64_t)want, clen);
      if (esize == 0) esize = 1;
      size_t align = esize > 8 ? 8 : esize;
      if (((uintptr_t)cd) % align != 0)
        return fail_at(m, MOTE_E_BAD_ALIGNMENT, -1, ti,
                       "constant data aligned to its element size",
                       (int64_t)align, (int64_t)(((uintptr_t)cd) % align));
    }
  }
  fb_table q = fb_subtable(b, &tt, TFL_TENSOR_QUANTIZATION);
  if (q.pos) {
    fb_vec sc = fb_vector(b, &q, TFL_QUANT_SCALE);
    fb_vec zp = fb_vector(b, &q, TFL_QUANT_ZERO_POINT);
    int32_t qd = fb_i32(b, &q, TFL_QUANT_QUANTIZED_DIMENSION, 0);
    if (fb_u8(b, &q, TFL_QUANT_DETAILS_TYPE, 0) != 0)
      return fail_at(m, MOTE_E_UNSUPPORTED, -1, ti,
                     "no custom quantization details", 0, 1);
    if (zp.n != 0 && sc.n != 0 && zp.n != sc.n)
      return fail_at(m, MOTE_E_BAD_QUANT, -1, ti,
                     "as many zero points as scales", sc.n, zp.n);
    /* Converters leave the filter's quantized_dimension on rank-1 biases
     * (person_detect): there the only dimension is the channel one. */
    if (sc.n > 1 && shape.n == 1 && qd > 0) qd = 0;
    if (sc.n > 1) {
      if (qd < 0 || (uint32_t)qd >= shape.n)
        return fail_at(m, MOTE_E_BAD_QUANT, -1, ti,
                       "quantized_dimension inside the rank", shape.n, qd);
      if ((int64_t)sc.n != fb_vec_i32(b, shape, (uint32_t)qd))
        return fail_at(m, MOTE_E_BAD_QUANT, -1, ti,
                       "one scale per channel of quantized_dimension",
                       fb_vec_i32(b, shape, (uint32_t)qd), sc.n);
    }
    int64_t zlo = INT32_MIN, zhi = INT32_MAX;
    if (type == MOTE_INT8) zlo = INT8_MIN, zhi = INT8_MAX;
    if (type == MOTE_UINT8) zlo = 0, zhi = UINT8_MAX;
    if (type == MOTE_INT16) zlo = INT16_MIN, zhi = INT16_MAX;
    if (type == MOTE_INT4) zlo = -8, zhi = 7;
    for (uint32_t c = 0; c < zp.n; c++) {
      int64_t z = fb_vec_i64(b, zp, c);
      if (z < zlo || z > zhi)
        return fail_at(m, MOTE_E_BAD_QUANT, -1, ti,
                       "zero point inside the tensor type's range", zhi, z);
    }
    for (uint32_t c = 0; c < sc.n; c++) {
      float s = fb_vec_f32(b, sc, c);
      if (!(s >= 0.0f) || s > 3.0e38f)
        return fail_at(m, MOTE_E_BAD_QUANT, -1, ti, "finite non-negative scale",
                       0, c);
    }
  }
  return MOTE_OK;
}

static mote_status check_index_vec(mote_model *m, const fb_buf *b, fb_vec v,
                                   int32_t op, int allow_absent) {
  for (uint32_t k = 0; k < v.n; k++) {
    int32_t ti = fb_vec_i32(b, v, k);
    if (ti == -1 && allow_absent) continue;
    if (ti < 0 || (uint32_t)ti >= m->n_tensors)
      return fail_at(m, MOTE_E_BAD_TENSOR_INDEX, op, ti, "tensor index below",
                     m->n_tensors, ti);
  }
  return MOTE_OK;
}

const mote_op_reg *mote_find_op(const mote_op_table *ops, int32_t code) {
  for (uint32_t i = 0; i < ops->count; i++)
    if (ops->ops[i] && ops->ops[i]->builtin_code == code) return ops->ops[i];
  return NULL;
}

/* Verify bytes, index subgraph 0, check every tensor and operator. */
static mote_status load(mote_model *m, const uint8_t *fb, size_t len,
                        const mote_op_table *ops) {
  memset(m, 0, sizeof *m);
  m->err.op_index = -1;
  m->err.tensor_index = -1;
  if (!fb) return fail_at(m, MOTE_E_ARG, -1, -1, "model bytes", 1, 0);
  m->fb = fb;
  m->fb_len = len;
  if (!ops)
    return fail_at(m, MOTE_E_ARG, -1, -1,
                   "an op table (mote_ops_all() for every op)", 1, 0);
  m->ops = ops;
  fb_table root;
  mote_status st = mote_fb_verify(fb, len, &m->err, &root);
  if (st != MOTE_OK) return st;
  fb_buf b = model_buf(m);
  fb_vec sgs = fb_vector(&b, &root, TFL_MODEL_SUBGRAPHS);
  if (sgs.n == 0)
    return fail_at(m, MOTE_E_BAD_MODEL, -1, -1, "at least one subgraph", 1, 0);
  uint32_t version = fb_u32(&b, &root, TFL_MODEL_VERSION, 0);
  if (version != 3)
    return fail_at(m, MOTE_E_UNSUPPORTED, -1, -1, "schema version", 3, version);
  fb_table sg = fb_vec_table(&b, sgs, 0);
  fb_vec v;
  v = fb_vector(&b, &sg, TFL_SUBGRAPH_TENSORS);
  m->tensors = v.pos;
  m->n_tensors = v.n;
  v = fb_vector(&b, &sg, TFL_SUBGRAPH_OPERATORS);
  m->operators = v.pos;
  m->n_ops = v.n;
  v = fb_vector(&b, &sg, TFL_SUBGRAPH_INPUTS);
  m->inputs = v.pos;
  m->n_inputs = v.n;
  v = fb_vector(&b, &sg, TFL_SUBGRAPH_OUTPUTS);
  m->outputs = v.pos;
  m->n_outputs = v.n;
  v = fb_vector(&b, &root, TFL_MODEL_BUFFERS);
  m->buffers = v.pos;
  m->n_buffers = v.n;
  v = fb_vector(&b, &root, TFL_MODEL_OPERATOR_CODES);
  m->opcodes = v.pos;
  m->n_opcodes = v.n;
  m->subgraph = sg.pos;
  if (m->n_ops > MOTE_MAX_OPS)
    return fail_at(m, MOTE_E_UNSUPPORTED, -1, -1, "operators at most",
                   MOTE_MAX_OPS, m->n_ops);
  if (m->n_tensors > (uint32_t)INT32_MAX / 64)
    return fail_at(m, MOTE_E_OVERFLOW, -1, -1, "fewer tensors", 0,
                   m->n_tensors);
  for (uint32_t i = 0; i < m->n_tensors; i++)
    if ((st = check_tensor(m, &b, i)) != MOTE_OK) return st;
  fb_vec gin = {m->inputs, m->n_inputs}, gout = {m->outputs, m->n_outputs};
  if ((st = check_index_vec(m, &b, gin, -1, 0)) != MOTE_OK) return st;
  if ((st = check_index_vec(m, &b, gout, -1, 0)) != MOTE_OK) return st;
  for (uint32_t i = 0; i < m->n_ops; i++) {
    fb_table t = op_table(m, i);
    int32_t oi = (int32_t)i;
    uint32_t oc = fb_u32(&b, &t, TFL_OP_OPCODE_INDEX, 0);
    if (oc >= m->n_opcodes)
      return fail_at(m, MOTE_E_BAD_MODEL, oi, -1, "opcode index below",
                     m->n_opcodes, oc);
    mote_node node;
    mote_node_fill(m, i, &node);
    if ((st = check_index_vec(m, &b, node.inputs, oi, 1)) != MOTE_OK ||
        (st = check_index_vec(m, &b, node.outputs, oi, 0)) != MOTE_OK ||
        (st = check_index_vec(m, &b, node.intermediates, oi, 1)) != MOTE_OK)
      return st;
    m->err.op_name = mote_builtin_name(node.builtin_code);
    if (!mote_find_op(m->ops, node.builtin_code)) {
      if (node.builtin_code == TFL_OP_CUSTOM) {
        fb_vec codes = {m->opcodes, m->n_opcodes};
        fb_table ct = fb_vec_table(&b, codes, oc);
        m->err.op_name = fb_string(&b, &ct, TFL_OPCODE_CUSTOM_CODE);
      }
      return fail_at(m, MOTE_E_UNSUPPORTED, oi, -1,
                     "an operator this build of mote implements", 0,
                     node.builtin_code);
    }
    m->err.op_name = NULL;
  }
  return MOTE_OK;
}

/* State tensors start as TFLM resets them: int8 at its zero point (the
 * real value 0), every other type all-zero bytes. */
static void reset_variable(const mote_model *m, const fb_buf *b, uint32_t i,
                           void *data) {
  mote_tensor t;
  mote_view(m, b, i, NULL, &t);
  int fill = t.type == MOTE_INT8 ? (int)(uint8_t)(int8_t)t.zero_point : 0;
  memset(data, fill, t.bytes);
}

/* Bump allocation in the persistent region (counts only while measuring). */
void *mote_persist(mote_ctx *ctx, size_t bytes) {
  size_t at = ctx->persist_used;
  ctx->persist_used = ALIGN_UP(at + bytes);
  if (ctx->measuring || bytes == 0) return NULL;
  return ctx->persist_base + at;
}

mote_status mote_request_scratch(mote_ctx *ctx, mote_node *node, size_t bytes) {
  if (bytes > (size_t)MOTE_PLAN_SIZE - MOTE_ARENA_ALIGN)
    return mote_fail(ctx, node, MOTE_E_OVERFLOW, -1, "scratch below 256 MiB",
                     MOTE_PLAN_SIZE, (int64_t)bytes);
  mote_plan_entry *e = &ctx->plan[ctx->m->n_tensors + node->op_index];
  e->size = (uint32_t)ALIGN_UP(bytes);
  e->first = e->last = (uint16_t)node->op_index;
  return MOTE_OK;
}

void mote_chain_prev(mote_ctx *ctx, const mote_node *node) {
  const uint32_t op = node->op_index, nt = ctx->m->n_tensors;
  if (op == 0) return;
  mote_node prev;
  mote_node_fill(ctx->m, op - 1, &prev);
  /* The previous op's activations (its planned inputs) and scratch live
   * on through this op; the planner extends lifetimes from here. */
  for (uint32_t k = 0; k < prev.inputs.n; k++) {
    int32_t t = fb_vec_i32(&ctx->fb, prev.inputs, k);
    if (t < 0 || (uint32_t)t >= nt) continue;
    mote_plan_entry *e = &ctx->plan[t];
    if (!(e->size & MOTE_PLAN_SIZE)) continue;
    if (e->first == MOTE_PLAN_NEVER || op < e->first) e->first = (uint16_t)op;
    if (op > e->last) e->last = (uint16_t)op;
  }
  mote_plan_entry *s = &ctx->plan[nt + op - 1];
  if (s->size & MOTE_PLAN_SIZE) s->last = (uint16_t)op;
  /* A convolution reading through a fused PAD reads the PAD's input. */
  mote_fuse_pad fp;
  if ((mote_fuse_role(ctx, op - 1) & MOTE_FUSE_PAD_IN) &&
      mote_fuse_pad_of(ctx, &prev, &fp)) {
    mote_plan_entry *e = &ctx->plan[fp.src];
    if (e->size & MOTE_PLAN_SIZE) {
      if (e->first == MOTE_PLAN_NEVER || op < e->first) e->first = (uint16_t)op;
      if (op > e->last) e->last = (uint16_t)op;
    }
  }
}

/* The node of op i for eval: the copy kept at init (hosts) or decoded
 * again from the model, with the arena's reg, data and scratch. */
static void node_for_eval(const mote_model *m, uint32_t i, mote_node *node) {
#if MOTE_WORKERS
  *node = m->nodes[i].node;
#else
  mote_node_fill(m, i, node);
#endif
  node->reg = m->nodes[i].reg;
  node->data = m->nodes[i].data;
  node->scratch = m->nodes[i].scratch;
}

void mote_node_at(const mote_ctx *ctx, uint32_t op, mote_node *node) {
  node_for_eval(ctx->m, op, node);
}

/* What a fused-away op runs: nothing (fuse.c). */
static mote_status fused_eval(mote_ctx *ctx, const mote_node *node) {
  (void)ctx;
  (void)node;
  return MOTE_OK;
}
static const char *fused_kernel(const void *data) {
  (void)data;
  return "fused";
}
static const mote_op_reg fused_reg = {-1, "fused",      NULL, fused_eval,
                                      0u, fused_kernel, NULL};

/* Does tensor `ti` need arena memory of its own (not const)? */
static size_t tensor_bytes(const mote_model *m, const fb_buf *b, uint32_t ti,
                           int *is_var, int *is_const) {
  mote_tensor t;
  mote_view(m, b, ti, NULL, &t);
  *is_var = t.is_variable;
  *is_const = t.is_const;
  return t.bytes;
}

/* One pass over all operators (measuring or real). */
static mote_status run_pass(mote_model *m, mote_ctx *ctx, uint8_t *arena,
                            size_t *persist_total, size_t *plan_total) {
  fb_buf b = model_buf(m);
  uint32_t nt = m->n_tensors, no = m->n_ops;
  ctx->m = m;
  ctx->fb = b;
  ctx->persist_base = arena;
  ctx->persist_used = 0;
  void **tdata = (void **)mote_persist(ctx, sizeof(void *) * nt);
  mote_node_rt *nodes =
      (mote_node_rt *)mote_persist(ctx, sizeof(mote_node_rt) * no);
  if (!ctx->measuring) {
    m->tensor_data = tdata;
    m->nodes = nodes;
    if (tdata) memset(tdata, 0, sizeof(void *) * nt);
  }
  /* Plan entries: tensors then one scratch slot per op. */
  for (uint32_t i = 0; i < nt + no; i++) {
    ctx->plan[i].size = 0;
    ctx->plan[i].first = MOTE_PLAN_NEVER;
    ctx->plan[i].last = 0;
    ctx->plan[i].link = 0;
  }
  /* Constants and variable tensors get their memory before prepare. */
  for (uint32_t i = 0; i < nt; i++) {
    int is_var, is_const;
    size_t bytes = tensor_bytes(m, &b, i, &is_var, &is_const);
    if (is_const) {
      if (tdata) {
        mote_tensor t;
        mote_view(m, &b, i, NULL, &t);
        tdata[i] = t.data;
      }
    } else if (is_var) {
      void *p = mote_persist(ctx, bytes);
      if (tdata) {
        tdata[i] = p;
        if (p) reset_variable(m, &b, i, p);
      }
    } else {
      if (bytes > (size_t)MOTE_PLAN_SIZE - MOTE_ARENA_ALIGN)
        return mote_fail(ctx, NULL, MOTE_E_OVERFLOW, (int32_t)i,
                         "activation tensor below 256 MiB", MOTE_PLAN_SIZE,
                         (int64_t)bytes);
      ctx->plan[i].size = (uint32_t)ALIGN_UP(bytes);
    }
  }
  mote_fuse_decide(ctx);
  for (uint32_t i = 0; i < no; i++) {
    mote_node tmp;
    mote_node *node = &tmp;
    mote_node_fill(m, i, node);
    node->reg = mote_find_op(m->ops, node->builtin_code);
    ctx->cur = node;
    /* A fused-away op is checked as usual but keeps nothing: its prepare
     * runs as if measuring, its bytes and scratch handed back. */
    const int away = (mote_fuse_role(ctx, i) & MOTE_FUSE_AWAY) != 0;
    const int measuring = ctx->measuring;
    const size_t used = ctx->persist_used;
    if (away) ctx->measuring = 1;
    mote_status st = node->reg->prepare(ctx, node);
    ctx->measuring = measuring;
    if (st != MOTE_OK) {
      if (m->err.status == MOTE_OK)
        mote_fail(ctx, node, st, -1, "prepare failed", 0, 0);
      return st;
    }
    if (away) {
      mote_plan_entry *s = &ctx->plan[nt + i];
      ctx->persist_used = used;
      s->size = 0;
      s->first = MOTE_PLAN_NEVER;
      s->last = 0;
      node->reg = &fused_reg;
      node->data = NULL;
    }
    if (nodes) {
#if MOTE_WORKERS
      nodes[i].node = *node;
#endif
      nodes[i].reg = node->reg;
      nodes[i].data = node->data;
      nodes[i].scratch = NULL;
    }
  }
  ctx->cur = NULL;
  *persist_total = ctx->persist_used;
  return mote_plan(ctx, ctx->plan, plan_total);
}

static mote_status measure(mote_model *m, mote_plan_entry *plan,
                           size_t *persist, size_t *planned) {
  mote_ctx ctx;
  memset(&ctx, 0, sizeof ctx);
  ctx.measuring = 1;
  ctx.plan = plan;
  return run_pass(m, &ctx, NULL, persist, planned);
}

static size_t plan_entries_bytes(const mote_model *m) {
  return ((size_t)m->n_tensors + m->n_ops) * sizeof(mote_plan_entry);
}

static size_t required_bytes(const mote_model *m, size_t persist,
                             size_t planned) {
  size_t work = ALIGN_UP(plan_entries_bytes(m));
  return persist + (planned > work ? planned : work);
}

mote_status mote_arena_required_ops(const uint8_t *fb, size_t fb_len,
                                    const mote_op_table *ops, size_t *out,
                                    mote_error *err) {
  mote_model m;
  mote_plan_entry plan[MOTE_MEASURE_MAX_BUFFERS];
  mote_status st = load(&m, fb, fb_len, ops);
  if (st == MOTE_OK && (size_t)m.n_tensors + m.n_ops > MOTE_MEASURE_MAX_BUFFERS)
    st = fail_at(&m, MOTE_E_UNSUPPORTED, -1, -1,
                 "tensors+ops within MOTE_MEASURE_MAX_BUFFERS (use init)",
                 MOTE_MEASURE_MAX_BUFFERS, (int64_t)m.n_tensors + m.n_ops);
  size_t persist = 0, planned = 0;
  if (st == MOTE_OK) st = measure(&m, plan, &persist, &planned);
  if (st == MOTE_OK && out) *out = required_bytes(&m, persist, planned);
  if (err) *err = m.err;
  return st;
}

mote_status mote_model_init_ops(mote_model *m, const uint8_t *fb, size_t fb_len,
                                const mote_op_table *ops, uint8_t *arena,
                                size_t arena_len) {
  if (!m) return MOTE_E_ARG;
  mote_status st = load(m, fb, fb_len, ops);
  if (st != MOTE_OK) return st;
  if (arena_len && (!arena || ((uintptr_t)arena % MOTE_ARENA_ALIGN) != 0))
    return fail_at(m, MOTE_E_ARG, -1, -1, "arena aligned to MOTE_ARENA_ALIGN",
                   MOTE_ARENA_ALIGN,
                   arena ? (int64_t)((uintptr_t)arena % MOTE_ARENA_ALIGN) : 0);
  /* Plan entries live at the end of the arena while initialising. An
   * arena too small even for them cannot hold the model: measure on the
   * stack (mote_arena_required) only to say how many bytes are needed. */
  size_t work = plan_entries_bytes(m);
  if (arena_len < work) {
    size_t need = 0;
    mote_error e;
    st = mote_arena_required_ops(fb, fb_len, ops, &need, &e);
    if (st != MOTE_OK) {
      m->err = e;
      return st;
    }
    return fail_at(m, MOTE_E_ARENA_TOO_SMALL, -1, -1, "arena bytes",
                   (int64_t)need, (int64_t)arena_len);
  }
  mote_plan_entry *plan =
      (mote_plan_entry *)(void *)(arena + ((arena_len - work) &
                                           ~(size_t)(MOTE_ARENA_ALIGN - 1)));
  size_t persist = 0, planned = 0;
  if ((st = measure(m, plan, &persist, &planned)) != MOTE_OK) return st;
  size_t need = required_bytes(m, persist, planned);
  if (arena_len < need)
    return fail_at(m, MOTE_E_ARENA_TOO_SMALL, -1, -1, "arena bytes",
                   (int64_t)need, (int64_t)arena_len);
  mote_ctx ctx;
  memset(&ctx, 0, sizeof ctx);
  ctx.plan = plan;
  size_t persist2 = 0, planned2 = 0;
  st = run_pass(m, &ctx, arena, &persist2, &planned2);
  if (st != MOTE_OK) return st;
  if (persist2 != persist || planned2 != planned)
    return fail_at(
        m, MOTE_E_RUNTIME, -1, -1, "same arena plan in measuring and real pass",
        (int64_t)(persist + planned), (int64_t)(persist2 + planned2));
  /* Hand out planned memory: tensors (via their root) and op scratch. */
  uint8_t *base = arena + persist;
  for (uint32_t i = 0; i < m->n_tensors + m->n_ops; i++) {
    const mote_plan_entry *e = &plan[i];
    const mote_plan_entry *r = &plan[mote_plan_root(plan, i)];
    void *p = ((r->size & MOTE_PLAN_PLACED) && (e->size & MOTE_PLAN_SIZE))
                  ? base + r->link
                  : NULL;
    if (i < m->n_tensors) {
      if (e->size & MOTE_PLAN_SIZE) m->tensor_data[i] = p;
    } else {
      m->nodes[i - m->n_tensors].scratch = p;
    }
  }
  m->arena = arena;
  m->arena_len = arena_len;
  m->persist_bytes = persist;
  m->plan_bytes = planned;
  m->arena_used = persist + planned;
  m->arena_needed = need;
  m->ready = 1;
  return MOTE_OK;
}

mote_status mote_model_invoke(mote_model *m) {
  return mote_model_invoke_observed(m, NULL, NULL);
}

mote_status mote_model_invoke_observed(mote_model *m, mote_op_observer obs,
                                       void *user) {
  if (!m || !m->ready) return MOTE_E_NOT_READY;
  mote_ctx ctx;
  memset(&ctx, 0, sizeof ctx);
  ctx.m = m;
  ctx.fb = model_buf(m);
  for (uint32_t i = 0; i < m->n_ops; i++) {
    mote_node node;
    node_for_eval(m, i, &node);
    ctx.cur = &node;
    if (obs && obs(user, m, i, 0) != 0) return MOTE_OK;
    mote_status st = node.reg->eval(&ctx, &node);
    if (st != MOTE_OK) {
      m->err.status = st;
      m->err.op_index = (int32_t)i;
      m->err.op_name = node.reg->name;
      if (!m->err.what) m->err.what = MOTE_TEXT("operator evaluation");
      return st;
    }
    if (obs && obs(user, m, i, 1) != 0) return MOTE_OK;
  }
  return MOTE_OK;
}

uint32_t mote_model_op_tensors(const mote_model *m, uint32_t op, int outputs,
                               int32_t *idx, uint32_t max) {
  if (!m || !m->ready || op >= m->n_ops) return 0;
  mote_node node;
  mote_node_fill(m, op, &node);
  fb_buf b = model_buf(m);
  fb_vec v = outputs ? node.outputs : node.inputs;
  for (uint32_t k = 0; k < v.n && k < max; k++) idx[k] = fb_vec_i32(&b, v, k);
  return v.n;
}

mote_status mote_model_reset_state(mote_model *m) {
  if (!m || !m->ready) return MOTE_E_NOT_READY;
  fb_buf b = model_buf(m);
  for (uint32_t i = 0; i < m->n_tensors; i++) {
    mote_tensor t;
    mote_view(m, &b, i, m->tensor_data, &t);
    if (t.is_variable && !t.is_const && t.data)
      reset_variable(m, &b, i, t.data);
  }
  return MOTE_OK;
}

uint32_t mote_model_input_count(const mote_model *m) {
  return m && m->ready ? m->n_inputs : 0;
}
uint32_t mote_model_output_count(const mote_model *m) {
  return m && m->ready ? m->n_outputs : 0;
}

static mote_status io_view(const mote_model *m, uint32_t pos, uint32_t n,
                           uint32_t index, mote_tensor *out) {
  if (!m || !m->ready) return MOTE_E_NOT_READY;
  if (index >= n) return MOTE_E_INDEX;
  fb_buf b = model_buf(m);
  fb_vec v = {pos, n};
  return mote_view(m, &b, (uint32_t)fb_vec_i32(&b, v, index), m->tensor_data,
                   out);
}

mote_status mote_model_input(const mote_model *m, uint32_t index,
                             mote_tensor *out) {
  return io_view(m, m ? m->inputs : 0, m ? m->n_inputs : 0, index, out);
}
mote_status mote_model_output(const mote_model *m, uint32_t index,
                              mote_tensor *out) {
  return io_view(m, m ? m->outputs : 0, m ? m->n_outputs : 0, index, out);
}

mote_status mote_model_tensor(const mote_model *m, uint32_t index,
                              mote_tensor *out) {
  if (!m || !m->fb) return MOTE_E_NOT_READY;
  if (index >= m->n_tensors) return MOTE_E_INDEX;
  fb_buf b = model_buf(m);
  return mote_view(m, &b, index, m->ready ? m->tensor_data : NULL, out);
}

size_t mote_model_arena_used(const mote_model *m) {
  return m ? m->arena_used : 0;
}

size_t mote_model_arena_needed(const mote_model *m) {
  return m ? m->arena_needed : 0;
}

uint32_t mote_model_op_count(const mote_model *m) {
  return m ? m->n_ops : 0;
}

const char *mote_model_op_name(const mote_model *m, uint32_t i) {
  if (!m || !m->fb || i >= m->n_ops) return NULL;
  mote_node node;
  mote_node_fill(m, i, &node);
  return mote_builtin_name(node.builtin_code);
}

const char *mote_model_op_kernel(const mote_model *m, uint32_t i) {
  if (!m || !m->ready || !m->nodes || i >= m->n_ops) return NULL;
  const mote_node_rt *n = &m->nodes[i];
  const char *k = NULL;
  if (n->reg && n->reg->kernel) k = n->reg->kernel(n->data);
  return k ? k : "ref";
}
