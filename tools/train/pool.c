/*
** pool.c: persistent worker threads with a generation counter (spin, then
** sleep on a condition variable) and a sense-reversing spin barrier that
** yields the CPU while waiting (the machine may be shared).
*/
#include "pool.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>

#define SPIN_BEFORE_YIELD 2000
#define SPIN_BEFORE_SLEEP 200000

struct tr_pool {
  int n;
  pthread_t *th;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  atomic_int gen;
  atomic_int done;
  atomic_int stop;
  void (*fn)(void *, int);
  void *arg;
  atomic_int bar_count;
  atomic_int bar_sense;
  int *local_sense;
};

typedef struct {
  tr_pool *p;
  int tid;
} worker_arg;

static void *worker(void *a) {
  worker_arg wa = *(worker_arg *)a;
  free(a);
  tr_pool *p = wa.p;
  int seen = 0;
  for (;;) {
    long spins = 0;
    while (atomic_load(&p->gen) == seen) {
      if (++spins < SPIN_BEFORE_SLEEP) {
        if (spins % SPIN_BEFORE_YIELD == 0) sched_yield();
        continue;
      }
      pthread_mutex_lock(&p->mu);
      while (atomic_load(&p->gen) == seen) pthread_cond_wait(&p->cv, &p->mu);
      pthread_mutex_unlock(&p->mu);
    }
    seen = atomic_load(&p->gen);
    if (atomic_load(&p->stop)) return NULL;
    p->fn(p->arg, wa.tid);
    atomic_fetch_add(&p->done, 1);
  }
}

tr_pool *tr_pool_new(int n) {
  tr_pool *p = calloc(1, sizeof *p);
  if (!p) return NULL;
  p->n = n < 1 ? 1 : n;
  p->th = calloc((size_t)p->n, sizeof(pthread_t));
  p->local_sense = calloc((size_t)p->n, sizeof(int));
  if (!p->th || !p->local_sense) {
    free(p->th);
    free(p->local_sense);
    free(p);
    return NULL;
  }
  pthread_mutex_init(&p->mu, NULL);
  pthread_cond_init(&p->cv, NULL);
  for (int i = 1; i < p->n; i++) {
    worker_arg *wa = malloc(sizeof *wa);
    if (wa) {
      wa->p = p;
      wa->tid = i;
    }
    if (!wa || pthread_create(&p->th[i], NULL, worker, wa) != 0) {
      free(wa);
      p->n = i; /* run with the threads we got */
      break;
    }
  }
  return p;
}

void tr_pool_free(tr_pool *p) {
  if (!p) return;
  atomic_store(&p->stop, 1);
  pthread_mutex_lock(&p->mu);
  atomic_fetch_add(&p->gen, 1);
  pthread_cond_broadcast(&p->cv);
  pthread_mutex_unlock(&p->mu);
  for (int i = 1; i < p->n; i++) pthread_join(p->th[i], NULL);
  pthread_mutex_destroy(&p->mu);
  pthread_cond_destroy(&p->cv);
  free(p->th);
  free(p->local_sense);
  free(p);
}

void tr_pool_run(tr_pool *p, void (*fn)(void *, int), void *arg) {
  p->fn = fn;
  p->arg = arg;
  atomic_store(&p->done, 0);
  if (p->n > 1) {
    pthread_mutex_lock(&p->mu);
    atomic_fetch_add(&p->gen, 1);
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
  }
  fn(arg, 0);
  long spins = 0;
  while (atomic_load(&p->done) < p->n - 1)
    if (++spins % SPIN_BEFORE_YIELD == 0) sched_yield();
}

void tr_pool_barrier(tr_pool *p, int tid) {
  if (p->n <= 1) return;
  int s = !p->local_sense[tid];
  p->local_sense[tid] = s;
  if (atomic_fetch_add(&p->bar_count, 1) == p->n - 1) {
    atomic_store(&p->bar_count, 0);
    atomic_store(&p->bar_sense, s);
  } else {
    long spins = 0;
    while (atomic_load(&p->bar_sense) != s)
      if (++spins % SPIN_BEFORE_YIELD == 0) sched_yield();
  }
}

int tr_pool_size(const tr_pool *p) {
  return p->n;
}
