/*
** host_io.h: host-side helpers shared by the CLI and the tests: reading
** files into aligned memory and loading a model with an arena of exactly
** the size mote_arena_required() reports.
*/
#ifndef MOTE_HOST_IO_H
#define MOTE_HOST_IO_H

#include <stddef.h>
#include <stdint.h>

#include "mote/mote.h"

/* Read a whole file into 16-byte aligned memory (free with free()).
 * Returns NULL (errno set) on failure. */
uint8_t *host_read_file(const char *path, size_t *len);

/* Write len bytes to path. Returns 0 on success, -1 on failure. */
int host_write_file(const char *path, const void *data, size_t len);

/*
** MOTE_ISA (host tools only; the library reads no environment): unset or
** "auto" lets each op pick the best kernels the CPU runs, "ref" forces the
** reference kernels, "avx2" / "avx512" / "neon" / "neondot" allow that ISA
** and the lower ones of its family (and fail where the build or CPU lacks
** it).
** host_isa_mask() returns 0 and the mask, or -1 for a bad value;
** host_op_table() is every op with that mask (a static table: the model
** keeps the pointer). host_model_load() uses it, so the CLI and every test
** honour MOTE_ISA.
*/
int host_isa_mask(uint32_t *mask);
const mote_op_table *host_op_table(void);

/*
** Models loaded after this call split their heavy ops over `threads`
** threads (a mote_pool the host tools keep; 1: no pool, the default).
** Returns 0, or -1 for 0 / more than 256 threads or if the pool cannot be
** made.
*/
int host_set_threads(uint32_t threads);
/* Without a call, MOTE_THREADS=N in the environment does the same, and
 * MOTE_SPLIT_MACS=K sets the pool's split threshold (mote_workers.min_macs;
 * tests use 1 to split every convolution). */

/*
** Models loaded after host_set_fusion(0) run every operator as written
** (mote_op_table.no_fusion): what calibration needs, which observes every
** intermediate tensor. host_set_fusion(1), the default, turns operator
** fusion back on for models loaded afterwards; MOTE_NO_FUSION=1 in the
** environment keeps it off for all.
*/
void host_set_fusion(int on);

/* A model loaded on the host: bytes, arena and the runtime struct. */
typedef struct host_model {
  uint8_t *fb;
  size_t fb_len;
  uint8_t *arena;
  size_t arena_len;
  mote_model m;
} host_model;

/*
** Load `path`, size the arena with mote_arena_required() (plus `extra`
** bytes) and initialise. On failure returns the status with hm->m.err
** filled (fb may be NULL if the file could not be read: MOTE_E_ARG).
*/
mote_status host_model_load(host_model *hm, const char *path, size_t extra);

/* Same from bytes already in memory (takes ownership of fb). */
mote_status host_model_from_bytes(host_model *hm, uint8_t *fb, size_t len,
                                  size_t extra);

/* Free what host_model_load allocated. */
void host_model_free(host_model *hm);

/* Fill every graph input with the value that dequantizes to zero. */
void host_fill_zero_inputs(host_model *hm);

#endif
