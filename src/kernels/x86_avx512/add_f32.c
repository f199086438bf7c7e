/*
** ADD float32 with AVX-512, 16 elements at a time (masked tail), over the
** rows of the broadcast descriptor; an input whose innermost step is 0 is
** one value broadcast to the lanes. max(lo, x) then min(hi, y) select like
** mote_act_f32 (lo when x < lo, else x, NaN included), so the results are
** bit-identical to mote_add_f32_ref. Each vector is loaded before the same
** positions are stored, so `out` may alias an input of the output's shape.
*/
#include "add_avx512.h"

#include <immintrin.h>

#include "avx512_common.h"

void mote_add_f32_avx512(const mote_arith_f32_params *p, const mote_bcast *bc,
                         const float *in1, const float *in2, float *out) {
  mote_bcast_it it;
  if (bc->count <= 0) return;
  const int32_t n = mote_bcast_row_len(bc);
  const int32_t s1 = bc->stride1[bc->ndim - 1], s2 = bc->stride2[bc->ndim - 1];
  const int32_t rows = bc->count / n;
  const __m512 lo = _mm512_set1_ps(p->act_min), hi = _mm512_set1_ps(p->act_max);
  mote_bcast_begin(&it);
  for (int32_t r = 0; r < rows; r++) {
    const float *a = in1 + it.o1;
    const float *b = in2 + it.o2;
    const __m512 ac = _mm512_set1_ps(a[0]), bcv = _mm512_set1_ps(b[0]);
    int32_t i = 0;
    for (; i + 16 <= n; i += 16) {
      __m512 x = _mm512_add_ps(s1 ? _mm512_loadu_ps(a + i) : ac,
                               s2 ? _mm512_loadu_ps(b + i) : bcv);
      _mm512_storeu_ps(out + i, _mm512_min_ps(hi, _mm512_max_ps(lo, x)));
    }
    if (i < n) {
      const __mmask16 m = mote_avx512_mask16(n - i);
      __m512 x = _mm512_add_ps(s1 ? _mm512_maskz_loadu_ps(m, a + i) : ac,
                               s2 ? _mm512_maskz_loadu_ps(m, b + i) : bcv);
      _mm512_mask_storeu_ps(out + i, m,
                            _mm512_min_ps(hi, _mm512_max_ps(lo, x)));
    }
    out += n;
    mote_bcast_next_row(bc, &it);
  }
}
