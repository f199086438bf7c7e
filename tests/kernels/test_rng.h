/*
** test_rng.h: the seeded generator of the kernel tests: a 64-bit LCG
** (static state: one translation unit each) and uniform integers. A test
** may define MOTE_TEST_SEED before including it for a sequence of its own.
*/
#ifndef MOTE_TEST_RNG_H
#define MOTE_TEST_RNG_H

#include <stdint.h>

#ifndef MOTE_TEST_SEED
#define MOTE_TEST_SEED 0x6d6f7465u /* "mote" */
#endif

static uint64_t rng = MOTE_TEST_SEED;

static uint32_t next(void) {
  rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
  return (uint32_t)(rng >> 32);
}
/* Uniform in [lo, hi]. */
static int32_t uni(int32_t lo, int32_t hi) {
  return lo + (int32_t)(next() % (uint32_t)(hi - lo + 1));
}

#endif
