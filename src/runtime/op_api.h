/*
** op_api.h: the contract between the runtime and one operator.
**
** An operator is a mote_op_reg: a prepare function that validates shapes,
** types, quantization and options and precomputes everything the inner
** loop needs, and an eval function that calls a kernel. Prepare runs twice
** on the same inputs: once "measuring" (mote_persist() returns NULL; only
** sizes are counted) and once for real. It must take the same decisions
** both times. Prepare never sees activation data (only constants).
*/
#ifndef MOTE_OP_API_H
#define MOTE_OP_API_H

#include <stddef.h>
#include <stdint.h>

#include "mote/mote.h"
#include "fb_reader.h"
#include "tflite_schema.h"

typedef struct mote_ctx mote_ctx;

/* One operator of the model (lives in the arena; a stack copy while measuring).
 */
typedef struct mote_node {
  const struct mote_op_reg *reg;
  void *data;    /* op data from mote_persist(), set by prepare */
  void *scratch; /* scratch from mote_request_scratch(), valid in eval */
  uint32_t op_index;
  int32_t builtin_code;
  int32_t version;
  fb_vec inputs; /* int32 tensor indices (-1: optional input absent) */
  fb_vec outputs;
  fb_vec intermediates;
  fb_table options;     /* builtin_options table (pos 0 if absent) */
  uint8_t options_type; /* builtin_options_type (BuiltinOptions union tag) */
} mote_node;

/* What the arena keeps per operator; the rest is re-read from the model
 * (on microcontrollers, where RAM is dear). */
typedef struct mote_node_rt {
  const struct mote_op_reg *reg;
  void *data;
  void *scratch;
#if MOTE_WORKERS
  /* Hosts: the operator's model fields decoded once at init, so an invoke
   * re-reads nothing from the flatbuffer (about 800 instructions an op). */
  mote_node node;
#endif
} mote_node_rt;

typedef mote_status (*mote_prepare_fn)(mote_ctx *ctx, mote_node *node);
typedef mote_status (*mote_eval_fn)(mote_ctx *ctx, const mote_node *node);

/* Output 0 is input 0 reinterpreted (reshape family): may share memory. */
#define MOTE_OP_ALIAS 1u
/* Output 0 may overwrite input 0 in place (same byte size, element-wise). */
#define MOTE_OP_INPLACE 2u

/* The kernel an op chose at prepare, e.g. "avx512" (NULL: the reference
 * kernel). Reads only the op data. */
typedef const char *(*mote_kernel_fn)(const void *op_data);

/* An element-wise clamp: int8 raw values in [lo, hi], float32 values
 * through y = x < flo ? flo : x, then fhi < y ? fhi : y (the kernels'
 * activation clamp, NaN and -0.0 kept). */
typedef struct mote_clamp {
  int32_t lo, hi;
  float flo, fhi;
} mote_clamp;

/*
** An activation that is nothing but a clamp of its input (RELU, RELU6):
** returns 1 and fills *c when the op maps `in` to `out` (same type, shape
** and quantization) exactly as that clamp, every input value alike; 0 when
** it cannot promise so. Operator fusion (fuse.c) then lets the producer of
** `in` apply the clamp instead.
*/
typedef int (*mote_clamp_fn)(const mote_tensor *in, const mote_tensor *out,
                             mote_clamp *c);

typedef struct mote_op_reg {
  int32_t builtin_code; /* TFLite BuiltinOperator */
  const char *name;
  mote_prepare_fn prepare;
  mote_eval_fn eval;
  uint32_t flags;
  mote_kernel_fn kernel; /* NULL: always the reference kernel */
  mote_clamp_fn clamp;   /* NULL: not a fusable activation */
} mote_op_reg;

/*
** Planner record for one buffer (tensor or op scratch), 12 bytes: the
** planner works in the arena, so its records are kept small.
*/
typedef struct mote_plan_entry {
  uint32_t size;  /* MOTE_PLAN_SIZE bits: bytes (0: not planned); flags */
  uint16_t first; /* first op that needs it (MOTE_PLAN_NEVER: unused) */
  uint16_t last;  /* last op that needs it */
  uint32_t link;  /* MOTE_PLAN_ALIAS set: root entry; else offset */
} mote_plan_entry;

#define MOTE_PLAN_SIZE 0x0FFFFFFFu
#define MOTE_PLAN_GRAPH_INPUT 0x10000000u
#define MOTE_PLAN_GRAPH_OUTPUT 0x20000000u
#define MOTE_PLAN_PLACED 0x40000000u
#define MOTE_PLAN_ALIAS 0x80000000u
#define MOTE_PLAN_NEVER 0xFFFFu
#define MOTE_MAX_OPS 0xFFFEu

struct mote_ctx {
  mote_model *m;
  fb_buf fb;
  int measuring;         /* 1: count sizes only */
  uint8_t *persist_base; /* real pass: start of the persistent region */
  size_t persist_used;   /* bytes of the persistent region handed out */
  mote_plan_entry *plan; /* [n_tensors + n_ops] */
  const mote_node *cur;  /* node being prepared / evaluated */
  /* Prepare: the last op that split its output rows across the workers
   * (op index + 1, 0: none), its slice count, output tensor and op
   * variant; the next op may chain its row slices to it
   * (mote_chain_prev). */
  uint32_t split_op1, split_slices;
  int32_t split_out, split_variant;
};

/*
** Row chaining (worker threads). Op `node` (being prepared) runs its row
** slices in the same tasks as the previous op (op_index - 1), slice i of
** both on one thread, one after the other: the previous op's eval runs
** both and this op's eval does nothing. Legal when slice i of this op
** reads only rows the previous op's slice i wrote (a pointwise
** convolution of its output). This keeps the previous op's inputs and
** scratch allocated through this op, as a thread may still read them
** while another already writes this op's output and scratch. Call in
** both passes, after this op's mote_request_scratch.
*/
void mote_chain_prev(mote_ctx *ctx, const mote_node *node);

/* The node of op `op` as eval sees it (reg, data, scratch set): for an op
 * whose eval also runs the next op (row chaining). */
void mote_node_at(const mote_ctx *ctx, uint32_t op, mote_node *node);

/*
** Operator fusion (fuse.c), decided at init from the model and the op table
** alone, so both passes decide alike. Roles of op i, kept in
** plan[n_tensors + i].link while preparing and planning:
*/
#define MOTE_FUSE_AWAY 1u    /* fused into a neighbour: eval does nothing */
#define MOTE_FUSE_PAD_IN 2u  /* convolution reading through the PAD at i-1 */
#define MOTE_FUSE_ACT_OUT 4u /* clamps its output for the activation at i+1 */

/* The roles of op `op` (0 outside init or without fusion). */
#if MOTE_FUSION
uint32_t mote_fuse_role(const mote_ctx *ctx, uint32_t op);
#else
static inline uint32_t mote_fuse_role(const mote_ctx *ctx, uint32_t op) {
  (void)ctx;
  (void)op;
  return 0;
}
#endif

/* A PAD fused into the convolution after it: the tensor the convolution
 * reads instead (the PAD's input) and the H and W pads. */
typedef struct mote_fuse_pad {
  int32_t src;
  int32_t top, bottom, left, right;
} mote_fuse_pad;

/*
** For a CONV_2D / DEPTHWISE_CONV_2D whose input comes from a PAD fused into
** it (role MOTE_FUSE_PAD_IN at prepare; the op's own record at eval): the
** PAD's input and pads, read from the model. Returns 0 (*fp untouched) if op
** node->op_index - 1 is not such a PAD.
*/
#if MOTE_FUSION
int mote_fuse_pad_of(const mote_ctx *ctx, const mote_node *node,
                     mote_fuse_pad *fp);
#else
static inline int mote_fuse_pad_of(const mote_ctx *ctx, const mote_node *node,
                                   mote_fuse_pad *fp) {
  (void)ctx;
  (void)node;
  (void)fp;
  return 0;
}
#endif

/*
** For an op with role MOTE_FUSE_ACT_OUT: the clamp of the activation fused
** into it. Returns 0 (*c untouched) for any other op. Call at prepare.
*/
#if MOTE_FUSION
int mote_fused_clamp(const mote_ctx *ctx, const mote_node *node, mote_clamp *c);
#else
static inline int mote_fused_clamp(const mote_ctx *ctx, const mote_node *node,
                                   mote_clamp *c) {
  (void)ctx;
  (void)node;
  (void)c;
  return 0;
}
#endif

/* Narrow an op's int8 / float32 activation range [*lo, *hi] to the clamp of
 * an activation fused into it (no change without one). Both ranges hold
 * zero, so the result is their intersection and clamping to it equals
 * clamping to one, then the other. */
static inline void mote_fuse_range_q(const mote_ctx *ctx, const mote_node *n,
                                     int32_t *lo, int32_t *hi) {
  mote_clamp c;
  if (!mote_fused_clamp(ctx, n, &c)) return;
  if (c.lo > *lo) *lo = c.lo;
  if (c.hi < *hi) *hi = c.hi;
}
static inline void mote_fuse_range_f(const mote_ctx *ctx, const mote_node *n,
                                     float *lo, float *hi) {
  mote_clamp c;
  if (!mote_fused_clamp(ctx, n, &c)) return;
  if (c.flo > *lo) *lo = c.flo;
  if (c.fhi < *hi) *hi = c.fhi;
}

/* Fail with detail: records status, op, tensor and text in m->err. */
mote_status mote_fail(mote_ctx *ctx, const mote_node *node, mote_status st,
                      int32_t tensor, const char *what, int64_t expected,
                      int64_t got);
/* (The text goes through MOTE_TEXT: none under MOTE_NO_ERROR_TEXT.) */
#define mote_fail(ctx, node, st, tensor, what, expected, got) \
  mote_fail((ctx), (node), (st), (tensor), MOTE_TEXT(what), (expected), (got))

/* Number of inputs / outputs of the node. */
static inline uint32_t mote_node_ninputs(const mote_node *n) {
  return n->inputs.n;
}
static inline uint32_t mote_node_noutputs(const mote_node *n) {
  return n->outputs.n;
}

/* Tensor index of input / output k (-1 if absent or k out of range). */
int32_t mote_node_input_index(const mote_ctx *ctx, const mote_node *n,
                              uint32_t k);
int32_t mote_node_output_index(const mote_ctx *ctx, const mote_node *n,
                               uint32_t k);

/*
** View of input / output / any tensor. Fails (with detail) if the index is
** absent or out of range. During prepare `data` is non-NULL only for
** constant tensors and variable tensors of the real pass.
*/
mote_status mote_node_input(mote_ctx *ctx, const mote_node *n, uint32_t k,
                            mote_tensor *t);
mote_status mote_node_output(mote_ctx *ctx, const mote_node *n, uint32_t k,
                             mote_tensor *t);
mote_status mote_tensor_view(mote_ctx *ctx, const mote_node *n, int32_t tensor,
                             mote_tensor *t);

/* Eval-time data pointers of input / output k (NULL if absent). */
static inline void *mote_in(const mote_ctx *ctx, const mote_node *n,
                            uint32_t k) {
  int32_t i = mote_node_input_index(ctx, n, k);
  return i < 0 ? NULL : ctx->m->tensor_data[i];
}
static inline void *mote_out(const mote_ctx *ctx, const mote_node *n,
                             uint32_t k) {
  int32_t i = mote_node_output_index(ctx, n, k);
  return i < 0 ? NULL : ctx->m->tensor_data[i];
}

/*
** Persistent op memory, MOTE_ARENA_ALIGN aligned. Returns NULL while
** measuring: prepare then returns MOTE_OK without filling anything.
*/
void *mote_persist(mote_ctx *ctx, size_t bytes);

/* Ask for `bytes` of scratch valid during this node's eval (node->scratch). */
mote_status mote_request_scratch(mote_ctx *ctx, mote_node *node, size_t bytes);

/* Common checks. */
mote_status mote_expect_type(mote_ctx *ctx, const mote_node *n,
                             const mote_tensor *t, mote_dtype want);
mote_status mote_expect_same_shape(mote_ctx *ctx, const mote_node *n,
                                   const mote_tensor *a, const mote_tensor *b);
mote_status mote_expect_ninputs(mote_ctx *ctx, const mote_node *n, uint32_t lo,
                                uint32_t hi);
int mote_same_shape(const mote_tensor *a, const mote_tensor *b);

#define MOTE_TRY(expr)              \
  do {                              \
    mote_status st_ = (expr);       \
    if (st_ != MOTE_OK) return st_; \
  } while (0)

#endif
