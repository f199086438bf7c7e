/*
** tt.h: tiny check macros and helpers shared by the trainer tests.
*/
#ifndef MOTE_TESTS_TRAIN_TT_H
#define MOTE_TESTS_TRAIN_TT_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static int tt_failed, tt_passed;

#define TT_CHECK(cond, ...)                       \
  do {                                            \
    if (cond) {                                   \
      tt_passed++;                                \
    } else {                                      \
      tt_failed++;                                \
      printf("FAIL %s:%d: ", __FILE__, __LINE__); \
      printf(__VA_ARGS__);                        \
      printf("\n");                               \
    }                                             \
  } while (0)

/* Print the tally; the exit status of main. */
static inline int tt_done(const char *name) {
  printf("%s: %d passed, %d failed\n", name, tt_passed, tt_failed);
  return tt_failed ? 1 : 0;
}

/* Deterministic uniform floats in [lo, hi). */
static inline float tt_rand(uint64_t *s, float lo, float hi) {
  *s = *s * 6364136223846793005ull + 1442695040888963407ull;
  return lo + (hi - lo) * (float)((*s >> 40) & 0xFFFFFF) / 16777216.0f;
}

#endif
