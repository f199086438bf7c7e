/*
** mote_model.h: load a TFLite model in place and run it in one arena.
**
** Lifetimes: the model bytes and the arena must outlive the mote_model that
** uses them. mote never copies the model bytes, never allocates and keeps
** no global state: everything lives in the caller's mote_model and arena.
*/
#ifndef MOTE_MODEL_H
#define MOTE_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "mote_status.h"
#include "mote_tensor.h"

struct mote_op_reg;

/*
** Kernel instruction sets (bits of mote_op_table.isa_mask). The reference
** kernels are always available; the others only where mote was built with
** them (x86-64 and AArch64 hosts) and the CPU has them (CPUID / the ID
** registers, checked at init). A kernel of a higher ISA is preferred; an op
** without one for a shape uses the next lower ISA allowed, down to the
** reference kernel.
*/
#define MOTE_ISA_AUTO 0u   /* isa_mask 0: the best the CPU runs */
#define MOTE_ISA_REF 1u    /* portable reference kernels */
#define MOTE_ISA_AVX2 2u   /* x86-64 AVX2 + FMA kernels */
#define MOTE_ISA_AVX512 4u /* x86-64 AVX-512 F/BW/VL/DQ + VNNI kernels */
#define MOTE_ISA_NEON 8u   /* AArch64 Advanced SIMD kernels */
#define MOTE_ISA_NEON_DOT                            \
  16u /* AArch64 NEON with the dot-product extension \
       */

/*
** The set of operators an application links (TFLM's op resolver), and the
** kernel instruction sets the ops may use: isa_mask 0 (MOTE_ISA_AUTO) lets
** each op pick the best variant the CPU supports at init; otherwise only the
** MOTE_ISA_* bits set are allowed (MOTE_ISA_REF alone: reference kernels
** only). Whatever the choice, every variant is bit-exact with the reference
** kernels; a variant that declines a shape falls back to them.
*/
/*
** Worker threads for edge devices (optional). The runtime never creates
** threads: an application that wants heavy ops (CONV_2D, DEPTHWISE_CONV_2D)
** split across cores passes a mote_workers whose run() executes
** task(arg, i) for every i in [0, n) -- in any order, on any threads -- and
** returns when all are done. mote_pool (mote/mote_pool.h, a separate
** pthreads library for hosts) provides one. Results are bit-identical for
** every worker count: each output element is computed the same way, only
** by another thread.
*/
typedef void (*mote_task_fn)(void *arg, uint32_t index);
typedef struct mote_workers {
  uint32_t count; /* parallel tasks an op splits into (1: no split) */
  void (*run)(void *pool, mote_task_fn task, void *arg, uint32_t n);
  void *pool; /* passed to run() */
  /* Ops with fewer multiply-accumulates run on the calling thread
   * (0: 20,000; an int8 depthwise MAC counts twice). */
  uint32_t min_macs;
} mote_workers;

typedef struct mote_op_table {
  const struct mote_op_reg *const *ops;
  uint32_t count;
  uint32_t isa_mask;
  /* NULL (the default of a zero-initialised field): every op runs on the
   * calling thread. Otherwise heavy ops split into workers->count tasks
   * with scratch for each (the arena grows accordingly); the workers must
   * outlive every model initialised with this table. */
  const mote_workers *workers;
  /* 0 (the default of a zero-initialised field): operator fusion on. At
   * init a PAD (or PADV2 padding with zero) of H and W read only by the
   * CONV_2D / DEPTHWISE_CONV_2D right after it is folded into that
   * convolution's padding (the padded tensor gets no memory), and a RELU /
   * RELU6 right after the CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED or
   * ADD whose output only it reads (same quantization) into that op's
   * activation clamp; both bit-exact. The fused-away op does nothing and
   * mote_model_op_kernel() names it "fused"; the padded tensor has no data
   * and the activation's input holds its output (observers see that).
   * Non-zero: every op runs as written (for comparisons, calibration). */
  uint32_t no_fusion;
} mote_op_table;

/* The MOTE_ISA_* bits this build and this CPU can run (always has
 * MOTE_ISA_REF). */
uint32_t mote_isa_available(void);

/* What went wrong, as precisely as the runtime knows. */
typedef struct mote_error {
  mote_status status;
  int32_t op_index;     /* operator index, -1 if none */
  int32_t tensor_index; /* tensor index, -1 if none */
  const char *op_name;  /* TFLite builtin name of the op, NULL if none */
  const char *what;     /* static text: what was expected */
  int64_t expected;     /* numbers that go with `what` (e.g. bytes needed) */
  int64_t got;
  uint32_t fb_offset; /* byte offset of a flatbuffer fault, 0 if none */
} mote_error;

struct mote_node_rt;

/*
** A loaded model. Complete type so it can live in static memory; the
** fields are private. Zero-initialise or pass to mote_model_init().
*/
typedef struct mote_model {
  const uint8_t *fb;
  size_t fb_len;
  const mote_op_table *ops;
  uint8_t *arena;
  size_t arena_len;
  size_t arena_used;
  size_t arena_needed; /* what mote_arena_required() would say */
  uint32_t subgraph;   /* fb position of subgraph 0 */
  uint32_t tensors;    /* fb position of the tensors vector */
  uint32_t operators;  /* fb position of the operators vector */
  uint32_t buffers;    /* fb position of the model's buffers vector */
  uint32_t opcodes;    /* fb position of the operator_codes vector */
  uint32_t inputs;     /* fb position of the subgraph inputs vector */
  uint32_t outputs;    /* fb position of the subgraph outputs vector */
  uint32_t n_tensors, n_ops, n_inputs, n_outputs, n_buffers, n_opcodes;
  void **tensor_data;         /* [n_tensors] in the arena */
  struct mote_node_rt *nodes; /* [n_ops] in the arena */
  size_t persist_bytes;       /* tables, state and op data */
  size_t plan_bytes;          /* activations and scratch */
  int ready;
  mote_error err;
} mote_model;

/* The table with every operator mote implements. */
const mote_op_table *mote_ops_all(void);

/*
** mote_arena_required_ops: verify the model and compute the exact arena size
** mote_model_init() needs for it with op table `ops`
** (required: MOTE_E_ARG if NULL).
** Returns the same statuses as mote_model_init() except
** MOTE_E_ARENA_TOO_SMALL; on success *out holds the byte count. If `err`
** is not NULL it receives the error detail.
*/
mote_status mote_arena_required_ops(const uint8_t *fb, size_t fb_len,
                                    const mote_op_table *ops, size_t *out,
                                    mote_error *err);

/*
** mote_model_init_ops: verify `fb` (every offset, vtable, vector, string,
** alignment and size product), check every operator against `ops`
** (required: MOTE_E_ARG if NULL), plan all activations, state and scratch
** into `arena` and prepare every operator. On MOTE_E_ARENA_TOO_SMALL,
*m->err.expected holds
** the bytes needed. On any failure m->err names the cause (op, tensor).
** The arena must be aligned to MOTE_ARENA_ALIGN bytes (else MOTE_E_ARG).
** Returns MOTE_OK or one of the verification, MOTE_E_UNSUPPORTED,
** MOTE_E_BAD_* or MOTE_E_ARENA_TOO_SMALL statuses.
*/
mote_status mote_model_init_ops(mote_model *m, const uint8_t *fb, size_t fb_len,
                                const mote_op_table *ops, uint8_t *arena,
                                size_t arena_len);

/*
** mote_arena_required / mote_model_init: the *_ops calls with `ops` NULL
** meaning every op (mote_ops_all()). They are inline so that a caller that
** passes its own table never references mote_ops_all(): with optimisation
** on, the linker then drops every op the table does not name.
*/
static inline mote_status mote_arena_required(const uint8_t *fb, size_t fb_len,
                                              const mote_op_table *ops,
                                              size_t *out, mote_error *err) {
  return mote_arena_required_ops(fb, fb_len, ops ? ops : mote_ops_all(), out,
                                 err);
}
static inline mote_status mote_model_init(mote_model *m, const uint8_t *fb,
                                          size_t fb_len,
                                          const mote_op_table *ops,
                                          uint8_t *arena, size_t arena_len) {
  return mote_model_init_ops(m, fb, fb_len, ops ? ops : mote_ops_all(), arena,
                             arena_len);
}

/*
** mote_model_invoke: run every operator once. Inputs must have been
** written through mote_model_input() views. Returns MOTE_OK,
** MOTE_E_NOT_READY or MOTE_E_RUNTIME (with m->err naming the op).
*/
mote_status mote_model_invoke(mote_model *m);

/*
** mote_op_observer: called by mote_model_invoke_observed() before
** (after == 0) and after (after == 1) operator `op` runs. While it runs,
** the op's input views (before) or output views (after) from
** mote_model_tensor() hold live data. Return 0 to go on, non-zero to stop
** the invoke early (it then returns MOTE_OK). For calibration, per-op
** profiling and debugging; the plain invoke has no such call. With
** operator fusion (mote_op_table.no_fusion 0) a fused PAD's output has no
** data and a fused activation's input already holds its output.
*/
typedef int (*mote_op_observer)(void *user, const mote_model *m, uint32_t op,
                                int after);

/* mote_model_invoke with `obs` called around every operator. */
mote_status mote_model_invoke_observed(mote_model *m, mote_op_observer obs,
                                       void *user);

/*
** Tensor indices of operator `op`'s inputs (outputs != 0: outputs) into
** idx (at most max; -1 marks an absent optional input). Returns the
** count (may exceed max), 0 if op is out of range.
*/
uint32_t mote_model_op_tensors(const mote_model *m, uint32_t op, int outputs,
                               int32_t *idx, uint32_t max);

/*
** mote_model_reset_state: zero every variable (state) tensor, as after
** init. Returns MOTE_OK or MOTE_E_NOT_READY.
*/
mote_status mote_model_reset_state(mote_model *m);

/* Number of graph inputs / outputs (0 if not initialised). */
uint32_t mote_model_input_count(const mote_model *m);
uint32_t mote_model_output_count(const mote_model *m);

/*
** mote_model_input / mote_model_output: a view of graph input/output
** `index`; `out->data` points into the arena. Returns MOTE_OK,
** MOTE_E_NOT_READY or MOTE_E_INDEX.
*/
mote_status mote_model_input(const mote_model *m, uint32_t index,
                             mote_tensor *out);
mote_status mote_model_output(const mote_model *m, uint32_t index,
                              mote_tensor *out);

/*
** mote_model_tensor: a view of any tensor of the subgraph (data is NULL
** for activations whose memory is shared and not live, and for a padded
** tensor fused away). MOTE_E_INDEX if out of range.
*/
mote_status mote_model_tensor(const mote_model *m, uint32_t index,
                              mote_tensor *out);

/* Bytes of the arena the model actually uses. */
size_t mote_model_arena_used(const mote_model *m);

/*
** Smallest arena mote_model_init() accepts for this model (equal to what
** mote_arena_required() reports); useful after init with a generous arena
** when the model is too big for mote_arena_required's stack planner.
*/
size_t mote_model_arena_needed(const mote_model *m);

/* Number of operators and the TFLite name of operator `i` (NULL if bad). */
uint32_t mote_model_op_count(const mote_model *m);
const char *mote_model_op_name(const mote_model *m, uint32_t i);

/*
** The kernel operator `i` chose at init: "ref" (the portable reference
** kernel), or the optimised variant's name ("avx2", "avx512", "neon",
** "neondot", "dsp", ...). NULL if the model is not ready or i is bad.
*/
const char *mote_model_op_kernel(const mote_model *m, uint32_t i);

/*
** mote_error_format: write a one-line description of `e` into buf
** (NUL-terminated, truncated to len). Returns the length written.
*/
size_t mote_error_format(const mote_error *e, char *buf, size_t len);

/* TFLite name of builtin operator `code` ("CONV_2D"); "UNKNOWN" if none. */
const char *mote_builtin_name(int32_t code);

#endif
