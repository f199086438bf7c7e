/* model_internal.h: what model.c, planner.c and op_api.c share. */
#ifndef MOTE_MODEL_INTERNAL_H
#define MOTE_MODEL_INTERNAL_H

#include "op_api.h"

/* Tensor table of the model's subgraph. */
fb_table mote_tensor_table(const mote_model *m, uint32_t index);

/* Fill a view of tensor `index` (data: constants, or m->tensor_data). */
mote_status mote_view(const mote_model *m, const fb_buf *b, uint32_t index,
                      void *const *tensor_data, mote_tensor *t);

/* Builtin code and version of an operator code entry. */
int32_t mote_opcode_builtin(const mote_model *m, uint32_t opcode_index,
                            int32_t *version);

/* Fill node (everything but reg/data/scratch) for operator i. */
void mote_node_fill(const mote_model *m, uint32_t i, mote_node *node);

/* The registration of builtin `code` in `ops` (NULL if none). */
const mote_op_reg *mote_find_op(const mote_op_table *ops, int32_t code);

/*
** Operator fusion (fuse.c): with the plan's tensor sizes set and before any
** prepare, decide which neighbours fuse, record their roles (MOTE_FUSE_*)
** in plan[n_tensors + op].link and take the memory of each padded tensor a
** convolution now reads through. Nothing without fusion (no_fusion).
*/
#if MOTE_FUSION
void mote_fuse_decide(mote_ctx *ctx);
#else
static inline void mote_fuse_decide(mote_ctx *ctx) {
  (void)ctx;
}
#endif

/* Entry whose memory entry i shares (i itself if none). */
uint32_t mote_plan_root(const mote_plan_entry *p, uint32_t i);

/*
** Plan the arena: lifetimes of every non-constant tensor and of every op
** scratch in `plan` ([n_tensors + n_ops], scratch sizes already filled),
** in-place sharing, and greedy placement. *total gets the planned bytes.
*/
mote_status mote_plan(mote_ctx *ctx, mote_plan_entry *plan, size_t *total);

#endif
