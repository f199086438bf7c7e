/* The 8-lane requantizer of the AVX2 kernels against mote_mul_by_qm
 * (built with -mavx2; called only after CPUID said AVX2). */
#include <stdint.h>
#include <stdio.h>

#include "kernels/x86_avx2/avx2_common.h"

int avx2_requant_check(uint64_t *state, long iterations);

static uint32_t next(uint64_t *s) {
  *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
  return (uint32_t)(*s >> 32);
}

static int32_t pick_x(uint64_t *s) {
  static const int32_t edge[] = {
      0,       1,          -1,    INT32_MIN, INT32_MAX, INT32_MIN + 1,
      1 << 30, -(1 << 30), 12345, -12345};
  uint32_t r = next(s);
  switch (r % 4u) {
    case 0:
      return edge[next(s) % 10u];
    case 1:
      return (int32_t)(next(s) % 200001u) - 100000;
    default:
      return (int32_t)next(s);
  }
}

static int32_t pick_qm(uint64_t *s) {
  uint32_t r = next(s);
  switch (r % 8u) {
    case 0:
      return INT32_MIN;
    case 1:
      return INT32_MAX;
    case 2:
      return 0;
    case 3:
      return (int32_t)next(s);
    default:
      return (int32_t)((1u << 30) + next(s) % (1u << 30));
  }
}

int avx2_requant_check(uint64_t *state, long iterations) {
  int32_t x[8], qm[8], sh[8], got[8];
  for (long it = 0; it < iterations; it++) {
    for (int j = 0; j < 8; j++) {
      x[j] = pick_x(state);
      qm[j] = pick_qm(state);
      sh[j] = (int32_t)(next(state) % 62u) - 31; /* [-31, 30] */
    }
    __m256i r = mote_avx2_mul_by_qm(
        _mm256_loadu_si256((const __m256i *)(const void *)x),
        _mm256_loadu_si256((const __m256i *)(const void *)qm),
        _mm256_loadu_si256((const __m256i *)(const void *)sh));
    _mm256_storeu_si256((__m256i *)(void *)got, r);
    for (int j = 0; j < 8; j++) {
      int32_t want = mote_mul_by_qm(x[j], qm[j], (int)sh[j]);
      if (got[j] != want) {
        fprintf(stderr, "requant: x=%d qm=%d shift=%d: avx2 %d, reference %d\n",
                (int)x[j], (int)qm[j], (int)sh[j], (int)got[j], (int)want);
        return 1;
      }
    }
  }
  return 0;
}
