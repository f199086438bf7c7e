/*
** pool.c: the mote_pool worker pool (see mote/mote_pool.h). C11 atomics
** and POSIX threads; host builds only.
**
** A job is (task, arg, n). run() first moves `claim` to an odd
** generation (job being written: nobody may claim), writes the job, then
** publishes it as the next even generation with index 0. The caller and
** the workers claim task indices by compare-and-swap on `claim`, which
** only succeeds for the generation they saw and an index below n; the
** caller returns once `done` reaches n. A worker late from the previous
** job therefore cannot claim anything once the odd generation is stored,
** and a job's fields are only rewritten after every claimed index of the
** previous job has completed.
*/
#include "mote/mote_pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#define SPIN_ROUNDS 20000 /* pause loops before a worker sleeps */

struct mote_pool {
  mote_workers w;
  uint32_t threads;
  pthread_t *th;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  atomic_ullong claim; /* generation << 32 | next task index */
  atomic_int stop;
  atomic_uint sleepers;
  mote_task_fn _Atomic task;
  void *_Atomic arg;
  atomic_uint n;
  atomic_uint done;
};

static inline void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__) || defined(__arm__)
  __asm__ volatile("yield");
#endif
}

/* Claim and run task indices of generation `gen` until none is left. */
static void drain(mote_pool *p, unsigned gen) {
  unsigned long long c = atomic_load_explicit(&p->claim, memory_order_acquire);
  for (;;) {
    if ((unsigned)(c >> 32) != gen) return;
    unsigned i = (unsigned)c;
    if (i >= atomic_load_explicit(&p->n, memory_order_acquire)) return;
    if (!atomic_compare_exchange_weak_explicit(
            &p->claim, &c, c + 1u, memory_order_acq_rel, memory_order_acquire))
      continue; /* c now holds the current value */
    mote_task_fn f = atomic_load_explicit(&p->task, memory_order_acquire);
    void *a = atomic_load_explicit(&p->arg, memory_order_acquire);
    f(a, i);
    atomic_fetch_add_explicit(&p->done, 1u, memory_order_release);
    c = atomic_load_explicit(&p->claim, memory_order_acquire);
  }
}

static unsigned gen_of(mote_pool *p) {
  return (unsigned)(atomic_load(&p->claim) >> 32);
}

/* A published job that this worker has not run yet (even generation). */
static int fresh(unsigned g, unsigned seen) {
  return g != seen && (g & 1u) == 0;
}

static void *worker(void *arg) {
  mote_pool *p = (mote_pool *)arg;
  unsigned seen = gen_of(p);
  for (;;) {
    unsigned g = seen;
    for (int s = 0; s < SPIN_ROUNDS; s++) {
      g = gen_of(p);
      if (fresh(g, seen) ||
          atomic_load_explicit(&p->stop, memory_order_acquire))
        break;
      cpu_relax();
    }
    if (!fresh(g, seen) &&
        !atomic_load_explicit(&p->stop, memory_order_acquire)) {
      pthread_mutex_lock(&p->mu);
      atomic_fetch_add(&p->sleepers, 1u);
      while (!fresh(g = gen_of(p), seen) && !atomic_load(&p->stop))
        pthread_cond_wait(&p->cv, &p->mu);
      atomic_fetch_sub(&p->sleepers, 1u);
      pthread_mutex_unlock(&p->mu);
    }
    if (atomic_load_explicit(&p->stop, memory_order_acquire)) return NULL;
    seen = g;
    drain(p, g);
  }
}

static void pool_run(void *pool, mote_task_fn task, void *arg, uint32_t n) {
  mote_pool *p = (mote_pool *)pool;
  if (n == 0) return;
  if (p->threads < 2 || n == 1) {
    for (uint32_t i = 0; i < n; i++) task(arg, i);
    return;
  }
  /* Close the previous generation: a late worker can no longer claim. */
  const unsigned gen = gen_of(p) + 2u, busy = gen - 1u;
  atomic_store(&p->claim, (unsigned long long)busy << 32);
  atomic_store_explicit(&p->task, task, memory_order_relaxed);
  atomic_store_explicit(&p->arg, arg, memory_order_relaxed);
  atomic_store_explicit(&p->n, n, memory_order_relaxed);
  atomic_store_explicit(&p->done, 0u, memory_order_relaxed);
  /* Publish the job. A worker going to sleep counts itself in `sleepers`
   * and then re-reads the generation under the mutex (both sequentially
   * consistent, as are this store and load), so either it sees the new
   * job or this sees it sleeping and wakes it under the mutex: no wake-up
   * is lost, and spinning workers cost no lock here. */
  atomic_store(&p->claim, (unsigned long long)gen << 32);
  if (atomic_load(&p->sleepers) > 0) {
    pthread_mutex_lock(&p->mu);
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
  }
  drain(p, gen);
  while (atomic_load_explicit(&p->done, memory_order_acquire) < n) cpu_relax();
}

mote_pool *mote_pool_create(uint32_t threads) {
  if (threads == 0 || threads > 256) return NULL;
  mote_pool *p = (mote_pool *)calloc(1, sizeof *p);
  if (!p) return NULL;
  p->threads = threads;
  p->w.count = threads;
  p->w.run = pool_run;
  p->w.pool = p;
  p->w.min_macs = 0;
  atomic_init(&p->claim, 0ull);
  atomic_init(&p->stop, 0);
  atomic_init(&p->sleepers, 0u);
  atomic_init(&p->n, 0u);
  atomic_init(&p->done, 0u);
  if (pthread_mutex_init(&p->mu, NULL) != 0) {
    free(p);
    return NULL;
  }
  if (pthread_cond_init(&p->cv, NULL) != 0) {
    pthread_mutex_destroy(&p->mu);
    free(p);
    return NULL;
  }
  if (threads > 1) {
    p->th = (pthread_t *)calloc(threads - 1, sizeof(pthread_t));
    if (!p->th) {
      mote_pool_destroy(p);
      return NULL;
    }
    for (uint32_t i = 0; i + 1 < threads; i++) {
      if (pthread_create(&p->th[i], NULL, worker, p) != 0) {
        p->threads = i + 1; /* join the ones started */
        mote_pool_destroy(p);
        return NULL;
      }
    }
  }
  return p;
}

const mote_workers *mote_pool_workers(const mote_pool *pool) {
  return pool ? &pool->w : NULL;
}

void mote_pool_destroy(mote_pool *p) {
  if (!p) return;
  pthread_mutex_lock(&p->mu);
  atomic_store(&p->stop, 1);
  pthread_cond_broadcast(&p->cv);
  pthread_mutex_unlock(&p->mu);
  if (p->th)
    for (uint32_t i = 0; i + 1 < p->threads; i++) pthread_join(p->th[i], NULL);
  free(p->th);
  pthread_cond_destroy(&p->cv);
  pthread_mutex_destroy(&p->mu);
  free(p);
}
