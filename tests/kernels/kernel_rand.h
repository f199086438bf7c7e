/*
** kernel_rand.h: seeded random inputs shared by the kernel tests
** (test_kernels_avx2.c, test_kernels_avx512.c): a 64-bit LCG, int8 fills,
** requantization parameters (per-tensor or per-channel, realistic or any
** shift in [-31, 30]), activation ranges and biases (sometimes huge, to
** exercise int32 wrap-around). One translation unit each: static state.
*/
#ifndef MOTE_TEST_KERNEL_RAND_H
#define MOTE_TEST_KERNEL_RAND_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/mote_requant.h"

#include "test_rng.h"

static void fill_s8(int8_t *p, size_t n) {
  for (size_t i = 0; i < n; i++) p[i] = (int8_t)uni(-128, 127);
}

/* Requantization parameters for `ch` channels: per-tensor or per-channel,
 * realistic (multiplier in [2^30, 2^31), shift [-12, 1]) or anything the
 * requantizer accepts (shift [-31, 30]). */
typedef struct rq_store {
  int32_t *mult;
  int8_t *shift;
} rq_store;

static void make_rq(mote_requant_ch *rq, rq_store *st, int32_t ch) {
  int wild = uni(0, 4) == 0;
  memset(rq, 0, sizeof *rq);
  st->mult = malloc(sizeof(int32_t) * (size_t)ch);
  st->shift = malloc((size_t)ch);
  for (int32_t c = 0; c < ch; c++) {
    st->mult[c] = (int32_t)((1u << 30) + next() % (1u << 30));
    st->shift[c] = (int8_t)(wild ? uni(-31, 30) : uni(-12, 1));
  }
  rq->mult0 = st->mult[0];
  rq->shift0 = st->shift[0];
  if (uni(0, 1)) rq->mult = st->mult;
  if (uni(0, 1)) rq->shift = st->shift;
}

static void act_range(int32_t *lo, int32_t *hi) {
  switch (uni(0, 3)) {
    case 0:
      *lo = -128;
      *hi = 127;
      return;
    case 1:
      *lo = uni(-128, 0); /* relu-like */
      *hi = 127;
      return;
    default:
      *lo = uni(-128, 0);
      *hi = uni(*lo, 127);
  }
}

static int32_t *make_bias(int32_t n) {
  if (uni(0, 5) == 0) return NULL;
  int32_t *b = malloc(sizeof(int32_t) * (size_t)n);
  int huge = uni(0, 6) == 0;
  for (int32_t i = 0; i < n; i++)
    b[i] = huge ? (int32_t)next() : uni(-40000, 40000);
  return b;
}

#endif
