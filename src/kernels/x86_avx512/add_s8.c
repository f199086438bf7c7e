/*
** ADD int8 with AVX-512, 16 elements at a time (masked tail): each input
** is offset, shifted left by left_shift and scaled by its multiplier, the
** two are summed (wrapping) and scaled to the output, all with the
** prepared 16-lane requantizer of avx512_common.h, which equals
** mote_mul_by_qm and so mote_mul_by_qm_lt1 for the shifts <= 0 ADD uses.
** An input whose innermost step is 0 is scaled once per row (scalar). Each
** vector is loaded before the same positions are stored, so `out` may
** alias an input of the output's shape, as for the reference.
*/
#include "add_avx512.h"

#include "avx512_common.h"

int mote_add_s8_avx512_supported(const mote_bcast *bc) {
  const int32_t s1 = bc->stride1[bc->ndim - 1], s2 = bc->stride2[bc->ndim - 1];
  return (s1 == 0 || s1 == 1) && (s2 == 0 || s2 == 1);
}

/* One input's 16 lanes at p: (q + offset) << left_shift, scaled. */
static inline __m512i scale16(const int8_t *p, __mmask16 m, __m512i off,
                              __m128i ls, const mote_avx512_qm *q) {
  __m512i v = _mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(m, p));
  return mote_avx512_qm_apply(q,
                              _mm512_sll_epi32(_mm512_add_epi32(v, off), ls));
}

void mote_add_s8_avx512(const mote_addsub_q_params *params,
                        const mote_bcast *bc, const int8_t *in1,
                        const int8_t *in2, int8_t *out) {
  const mote_addsub_q_params p = *params;
  mote_bcast_it it;
  if (bc->count <= 0) return;
  const int32_t n = mote_bcast_row_len(bc);
  const int32_t s1 = bc->stride1[bc->ndim - 1], s2 = bc->stride2[bc->ndim - 1];
  const int32_t rows = bc->count / n;
  const __m512i off1 = _mm512_set1_epi32(p.in1_offset);
  const __m512i off2 = _mm512_set1_epi32(p.in2_offset);
  const __m128i ls = _mm_cvtsi32_si128(p.left_shift);
  mote_avx512_qm q1, q2, qo;
  mote_avx512_qm_prep(&q1, _mm512_set1_epi32(p.in1_mult),
                      _mm512_set1_epi32(p.in1_shift));
  mote_avx512_qm_prep(&q2, _mm512_set1_epi32(p.in2_mult),
                      _mm512_set1_epi32(p.in2_shift));
  mote_avx512_qm_prep(&qo, _mm512_set1_epi32(p.out_mult),
                      _mm512_set1_epi32(p.out_shift));
  const __m512i oo = _mm512_set1_epi32(p.out_offset);
  const __m512i lo = _mm512_set1_epi32(p.act_min);
  const __m512i hi = _mm512_set1_epi32(p.act_max);
  mote_bcast_begin(&it);
  for (int32_t r = 0; r < rows; r++) {
    const int8_t *a = in1 + it.o1;
    const int8_t *b = in2 + it.o2;
    /* A broadcast input: its one value, scaled once. */
    const __m512i v1c = _mm512_set1_epi32(mote_addsub_scale_in(
        a[0], p.in1_offset, p.left_shift, p.in1_mult, p.in1_shift));
    const __m512i v2c = _mm512_set1_epi32(mote_addsub_scale_in(
        b[0], p.in2_offset, p.left_shift, p.in2_mult, p.in2_shift));
    for (int32_t i = 0; i < n; i += 16) {
      const __mmask16 m = mote_avx512_mask16(n - i);
      __m512i x1 = s1 ? scale16(a + i, m, off1, ls, &q1) : v1c;
      __m512i x2 = s2 ? scale16(b + i, m, off2, ls, &q2) : v2c;
      __m512i v = mote_avx512_qm_apply(&qo, _mm512_add_epi32(x1, x2));
      _mm512_mask_cvtsepi32_storeu_epi8(
          out + i, m, mote_avx512_offset_clamp(v, oo, lo, hi));
    }
    out += n;
    mote_bcast_next_row(bc, &it);
  }
}
