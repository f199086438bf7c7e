/*
** test_pool_threads.c: the mote_pool worker pool runs every task index of
** every job exactly once, for pools of 1..8 threads, job sizes 1..70,
** back-to-back jobs (workers spinning) and jobs after the workers have
** gone to sleep (the wake-up path), and shuts down cleanly.
*/
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* nanosleep */
#endif
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "mote/mote_pool.h"

#define MAXN 70

typedef struct job {
  atomic_int hits[MAXN];
} job;

static void task(void *arg, uint32_t i) {
  job *j = (job *)arg;
  atomic_fetch_add(&j->hits[i], 1);
}

static int run_jobs(const mote_workers *w, int jobs, uint64_t *rng,
                    int sleep_between) {
  static job j;
  for (int r = 0; r < jobs; r++) {
    *rng = *rng * 6364136223846793005ull + 1442695040888963407ull;
    uint32_t n = 1u + (uint32_t)((*rng >> 33) % MAXN);
    for (int i = 0; i < MAXN; i++) atomic_store(&j.hits[i], 0);
    if (sleep_between) {
      struct timespec ts = {0, 3000000}; /* 3 ms: workers fall asleep */
      nanosleep(&ts, NULL);
    }
    w->run(w->pool, task, &j, n);
    for (uint32_t i = 0; i < MAXN; i++) {
      int want = i < n ? 1 : 0, got = atomic_load(&j.hits[i]);
      if (got != want) {
        fprintf(stderr, "job %d (n=%u): task %u ran %d times\n", r, n, i, got);
        return 1;
      }
    }
  }
  return 0;
}

int main(void) {
  int fails = 0, checks = 0;
  uint64_t rng = 42;
  if (mote_pool_create(0) != NULL || mote_pool_create(257) != NULL) {
    fprintf(stderr, "bad thread counts accepted\n");
    fails++;
  }
  checks++;
  const uint32_t sizes[] = {1, 2, 3, 8};
  for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
    mote_pool *p = mote_pool_create(sizes[s]);
    const mote_workers *w = mote_pool_workers(p);
    checks++;
    if (!p || !w || w->count != sizes[s] || !w->run) {
      fprintf(stderr, "pool of %u: not created\n", sizes[s]);
      fails++;
      continue;
    }
    checks += 2;
    fails += run_jobs(w, 20000, &rng, 0);
    fails += run_jobs(w, 10, &rng, 1);
    mote_pool_destroy(p);
  }
  mote_pool_destroy(NULL);
  printf("%d passed, %d failed\n", checks - fails, fails);
  return fails ? 1 : 0;
}
