/*
** tt.h: helpers shared by the trainer tests (the checks are CHECK of
** common/check.h).
*/
#ifndef MOTE_TESTS_TRAIN_TT_H
#define MOTE_TESTS_TRAIN_TT_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/check.h"
#include "data/dataset.h"

/* Print the tally; the exit status of main. */
static inline int tt_done(const char *name) {
  printf("%s: %d passed, %d failed\n", name, check_passed, check_failed);
  return check_failed ? 1 : 0;
}

/* Deterministic uniform floats in [lo, hi). */
static inline float tt_rand(uint64_t *s, float lo, float hi) {
  *s = *s * 6364136223846793005ull + 1442695040888963407ull;
  return lo + (hi - lo) * (float)((*s >> 40) & 0xFFFFFF) / 16777216.0f;
}

/*
** n samples 8x8x1 in 3 classes whose label is the brightest third of the
** image: sample i has label (i * label_step) % 3, noise from seed.
*/
static inline void tt_bright_set(mote_dataset *ds, uint32_t n, uint64_t seed,
                                 uint32_t label_step) {
  memset(ds, 0, sizeof *ds);
  ds->n = n;
  ds->h = ds->w = 8;
  ds->c = 1;
  ds->n_classes = 3;
  ds->f32 = malloc(sizeof(float) * 64 * ds->n);
  ds->labels = malloc(ds->n);
  uint64_t s = seed;
  for (uint32_t i = 0; i < ds->n; i++) {
    int y = (int)((i * label_step) % 3);
    for (int p = 0; p < 64; p++) {
      float v = tt_rand(&s, 0, 0.5f);
      if ((p % 8) / 3 == y) v += 0.5f;
      ds->f32[i * 64 + p] = v;
    }
    ds->labels[i] = (uint8_t)y;
  }
}

#endif
