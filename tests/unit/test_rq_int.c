/*
** test_rq_int.c: the integer QuantizeMultiplier (mote_rq_scales_int, used
** on microcontrollers to rebuild per-channel multipliers at eval without
** soft double) gives the same multiplier and shift as the double path
** (mote_rq_scales with MOTE_RQ_DOUBLE) on 2,000,000 random scale triples:
** realistic scales, every finite positive exponent, ties, subnormals (the
** scales mote_rq_check lets through: positive and finite).
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ops/op_requant.h"

static uint64_t rng = 0x7271696e74ull; /* "rqint" */

static uint32_t next(void) {
  rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
  return (uint32_t)(rng >> 32);
}

static float any_float(void) {
  static const float edge[] = {0.0f,     1e-45f, 1.1754942e-38f,
                               1.0f,     0.5f,   3.0517578e-05f,
                               INFINITY, NAN,    65504.0f};
  uint32_t k = next() % 8u;
  if (k == 0) return edge[next() % 9u];
  if (k == 1) { /* any bit pattern */
    uint32_t u = next();
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
  }
  /* realistic: mantissa random, exponent around 2^-12 .. 2^2 */
  return ldexpf(1.0f + (float)(next() % 8388608u) / 8388608.0f,
                -(int)(next() % 15u) - 1);
}

int main(void) {
  long fails = 0, n = 2000000;
  for (long i = 0; i < n; i++) {
    float a = any_float(), w = any_float(), o = any_float();
    /* The effective scale a * w / o must be one mote_rq_check accepts
     * (finite, below 2^30); others never reach either path. */
    const double eff = (double)a * (double)w / (double)o;
    if (!(eff > 0.0 && eff < 1073741824.0)) {
      i--;
      continue;
    }
    int32_t q1 = 0, q2 = 0;
    int s1 = 0, s2 = 0;
    mote_rq_scales(a, w, o, MOTE_RQ_DOUBLE, &q1, &s1);
    mote_rq_scales_int(a, w, o, &q2, &s2);
    if (q1 != q2 || s1 != s2) {
      if (fails < 5)
        fprintf(stderr, "scales %a %a %a: double %d/%d, integer %d/%d\n",
                (double)a, (double)w, (double)o, (int)q1, s1, (int)q2, s2);
      fails++;
    }
  }
  printf("%ld passed, %ld failed\n", n - fails, fails);
  return fails ? 1 : 0;
}
