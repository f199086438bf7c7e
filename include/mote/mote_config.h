/*
** mote_config.h: the one place for compile-time configuration.
** Every option has a default and its combinations are checked here.
*/
#ifndef MOTE_CONFIG_H
#define MOTE_CONFIG_H

/* Largest tensor rank the runtime accepts (TFLite uses at most 6). */
#ifndef MOTE_MAX_DIMS
#define MOTE_MAX_DIMS 6
#endif

/* Alignment of every block mote places in the arena. Power of two, >= 8. */
#ifndef MOTE_ARENA_ALIGN
#define MOTE_ARENA_ALIGN 16
#endif

/* Deepest table nesting the flatbuffer verifier follows. */
#ifndef MOTE_FB_MAX_DEPTH
#define MOTE_FB_MAX_DEPTH 16
#endif

/*
** mote_arena_required() has no arena to work in; it plans on the stack
** with room for this many buffers. Bigger models: call mote_model_init()
** with a generous arena and read mote_model_arena_used().
*/
#ifndef MOTE_MEASURE_MAX_BUFFERS
#define MOTE_MEASURE_MAX_BUFFERS 256
#endif

/*
** MOTE_FUSION: 1 (default): operator fusion at init (src/runtime/fuse.c:
** PAD into a convolution, RELU/RELU6 into its producer; switched off per
** model with mote_op_table.no_fusion). 0 compiles it out, about 2 KB of
** Cortex-M flash, for firmware whose models have no PAD, PADV2, RELU or
** RELU6 op (bench/mcu.sh does so when none of its models has one).
*/
#ifndef MOTE_FUSION
#define MOTE_FUSION 1
#endif

/*
** MOTE_WORKERS: 1 (hosts): ops split across the worker threads of the op
** table (mote_op_table.workers) when it has some. 0, the default on
** Cortex-M and bare-metal RISC-V, where nothing runs threads: the worker
** paths are compiled out (workers are ignored) and their code is saved.
*/
#ifndef MOTE_WORKERS
#if (defined(__ARM_ARCH_PROFILE) && __ARM_ARCH_PROFILE == 'M') || \
    (defined(__riscv) && !defined(__linux__))
#define MOTE_WORKERS 0
#else
#define MOTE_WORKERS 1
#endif
#endif

/*
** Per-channel requantization arrays (int32 multiplier + int8 shift, 5 bytes
** per output channel of CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED
** with per-channel weights). 0: computed once at init and kept in the
** arena's persistent region. 1: recomputed from the model's scales at
** every invoke into the op's scratch, which the planner shares with
** activations: 13.7 KB less RAM on the MLPerf Tiny MobileNets on a
** Cortex-M4, for 5-8% more instructions there and up to 20% on a
** Cortex-M55 (whose kernels are otherwise faster). Same bits either way.
** Default 0 (speed); `bench/mcu.sh --rq-scratch` measures the other.
*/
#ifndef MOTE_RQ_SCRATCH
#define MOTE_RQ_SCRATCH 0
#endif

/*
** MOTE_NO_ERROR_TEXT (define it to build a small firmware): errors keep
** their status, op and tensor indices, numbers and the op's registration
** name, but the runtime and ops carry no text: mote_error.what is NULL,
** mote_status_str()/mote_status_name() return "", mote_builtin_name()
** "UNKNOWN", and mote_error_format() prints the status as a number. Saves
** some 6 KB of flash on Cortex-M.
*/
#ifdef MOTE_NO_ERROR_TEXT
#define MOTE_TEXT(s) ((void)(s), (const char *)0)
#else
#define MOTE_TEXT(s) (s)
#endif

/* Internal invariants only; never for checking input data. */
#ifdef MOTE_DEBUG
#include <assert.h>
#define MOTE_DASSERT(x) assert(x)
#else
#define MOTE_DASSERT(x) ((void)0)
#endif

#if (MOTE_ARENA_ALIGN & (MOTE_ARENA_ALIGN - 1)) != 0 || MOTE_ARENA_ALIGN < 8
#error "MOTE_ARENA_ALIGN must be a power of two >= 8"
#endif
#if MOTE_MAX_DIMS < 4 || MOTE_MAX_DIMS > 8
#error "MOTE_MAX_DIMS must be in [4, 8]"
#endif

#endif
