/* The 16-lane requantizer of the AVX-512 kernels against mote_mul_by_qm
 * (built with the AVX-512 flags; called only after CPUID said AVX-512). */
#include <stdint.h>
#include <stdio.h>

#include "kernels/x86_avx512/avx512_common.h"

int avx512_requant_check(uint64_t *state, long iterations);

static uint32_t next(uint64_t *s) {
  *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
  return (uint32_t)(*s >> 32);
}

static int32_t pick(uint64_t *s, int qm) {
  static const int32_t edge[] = {0,         1,          -1,
                                 INT32_MIN, INT32_MAX,  INT32_MIN + 1,
                                 1 << 30,   -(1 << 30), 12345};
  uint32_t r = next(s) % 4u;
  if (r == 0) return edge[next(s) % 9u];
  if (r == 1 && !qm) return (int32_t)(next(s) % 200001u) - 100000;
  if (r == 1) return (int32_t)((1u << 30) + next(s) % (1u << 30));
  return (int32_t)next(s);
}

int avx512_requant_check(uint64_t *state, long iterations) {
  int32_t x[16], qm[16], sh[16], got[16];
  for (long it = 0; it < iterations; it++) {
    for (int j = 0; j < 16; j++) {
      x[j] = pick(state, 0);
      qm[j] = pick(state, 1);
      sh[j] = (int32_t)(next(state) % 62u) - 31; /* [-31, 30] */
    }
    __m512i r = mote_avx512_mul_by_qm(
        _mm512_loadu_si512(x), _mm512_loadu_si512(qm), _mm512_loadu_si512(sh));
    _mm512_storeu_si512(got, r);
    /* The prepared form (mote_avx512_qm_prep/apply) must agree. */
    mote_avx512_qm q;
    mote_avx512_qm_prep(&q, _mm512_loadu_si512(qm), _mm512_loadu_si512(sh));
    if (_mm512_cmpneq_epi32_mask(
            mote_avx512_qm_apply(&q, _mm512_loadu_si512(x)), r)) {
      fprintf(stderr, "requant: prepared and plain 16-lane forms differ\n");
      return 1;
    }
    for (int j = 0; j < 16; j++) {
      int32_t want = mote_mul_by_qm(x[j], qm[j], (int)sh[j]);
      if (got[j] != want) {
        fprintf(stderr,
                "requant: x=%d qm=%d shift=%d: avx512 %d, reference %d\n",
                (int)x[j], (int)qm[j], (int)sh[j], (int)got[j], (int)want);
        return 1;
      }
    }
  }
  return 0;
}
