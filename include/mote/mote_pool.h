/*
** mote_pool.h: a worker-thread pool for edge devices (POSIX threads).
**
** Separate from the runtime library (libmote stays free of threads and
** links on microcontrollers): hosts link libmote_pool as well. Give the
** pool's workers to the op table before mote_model_init:
**
**   mote_pool *pool = mote_pool_create(2);          // caller + 1 thread
**   mote_op_table table = *mote_ops_all();
**   table.workers = mote_pool_workers(pool);
**   mote_model_init(&m, fb, len, &table, arena, sizeof arena);
**   ...
**   mote_pool_destroy(pool);                        // after the models
**
** Results are bit-identical for every thread count. One pool serves one
** invoke at a time (models sharing a pool must not invoke concurrently).
** Idle workers spin briefly (so consecutive ops hand off in microseconds),
** then sleep on a condition variable.
*/
#ifndef MOTE_POOL_H
#define MOTE_POOL_H

#include <stdint.h>

#include "mote_model.h"

typedef struct mote_pool mote_pool;

/* A pool running tasks on `threads` threads: the caller of run() plus
 * threads - 1 workers (threads >= 1; 1 runs everything on the caller).
 * Returns NULL if threads is 0 or above 256, or on allocation failure. */
mote_pool *mote_pool_create(uint32_t threads);

/* The mote_workers to put in a mote_op_table (valid until destroy). */
const mote_workers *mote_pool_workers(const mote_pool *pool);

/* Stop and join the workers and free the pool (NULL is ignored). No model
 * using it may be invoked afterwards. */
void mote_pool_destroy(mote_pool *pool);

#endif
