/*
** pool.h: a tiny persistent thread pool for the trainer (internal): run
** one job on every thread (the caller is thread 0) and a spinning barrier
** for the job's phases.
*/
#ifndef MOTE_TRAIN_POOL_H
#define MOTE_TRAIN_POOL_H

typedef struct tr_pool tr_pool;

/* A pool of n threads in all (n-1 workers plus the caller); NULL on
 * failure. */
tr_pool *tr_pool_new(int n);

/* Stop and join the workers, free the pool (NULL is fine). */
void tr_pool_free(tr_pool *p);

/* Run fn(arg, tid) on every thread tid 0..n-1 (0 on the caller) and
 * return when all are done. */
void tr_pool_run(tr_pool *p, void (*fn)(void *arg, int tid), void *arg);

/* Wait until every thread of the running job reaches the barrier. */
void tr_pool_barrier(tr_pool *p, int tid);

/* Number of threads. */
int tr_pool_size(const tr_pool *p);

#endif
