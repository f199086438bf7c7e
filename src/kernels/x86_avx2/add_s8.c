/*
** ADD int8 with AVX2, eight elements at a time: each input is offset,
** shifted left by left_shift (20) and scaled by its multiplier, the two
** are summed (wrapping) and scaled to the output, all with the 8-lane
** mote_avx2_mul_by_qm, which equals mote_mul_by_qm_lt1 for the shifts <= 0
** ADD uses (avx2_common.h). An input whose innermost step is 0 is scaled
** once per row. Elements are loaded before the same positions are stored,
** so `out` may alias an input of the output's shape, as for the reference.
*/
#include "add_avx2.h"

#include "avx2_common.h"

int mote_add_s8_avx2_supported(const mote_bcast *bc) {
  const int32_t s1 = bc->stride1[bc->ndim - 1], s2 = bc->stride2[bc->ndim - 1];
  return (s1 == 0 || s1 == 1) && (s2 == 0 || s2 == 1);
}

static inline __m256i scale8(__m256i q, __m256i off, __m128i ls, __m256i m,
                             __m256i s) {
  __m256i v = _mm256_sll_epi32(_mm256_add_epi32(q, off), ls);
  return mote_avx2_mul_by_qm(v, m, s);
}

static inline __m256i load8(const int8_t *p) {
  return _mm256_cvtepi8_epi32(
      _mm_loadl_epi64((const __m128i *)(const void *)p));
}

void mote_add_s8_avx2(const mote_addsub_q_params *params, const mote_bcast *bc,
                      const int8_t *in1, const int8_t *in2, int8_t *out) {
  const mote_addsub_q_params p = *params;
  mote_bcast_it it;
  if (bc->count <= 0) return;
  const int32_t n = mote_bcast_row_len(bc);
  const int32_t s1 = bc->stride1[bc->ndim - 1], s2 = bc->stride2[bc->ndim - 1];
  const int32_t rows = bc->count / n;
  const __m256i off1 = _mm256_set1_epi32(p.in1_offset);
  const __m256i off2 = _mm256_set1_epi32(p.in2_offset);
  const __m128i ls = _mm_cvtsi32_si128(p.left_shift);
  const __m256i m1 = _mm256_set1_epi32(p.in1_mult);
  const __m256i sh1 = _mm256_set1_epi32(p.in1_shift);
  const __m256i m2 = _mm256_set1_epi32(p.in2_mult);
  const __m256i sh2 = _mm256_set1_epi32(p.in2_shift);
  const __m256i mo = _mm256_set1_epi32(p.out_mult);
  const __m256i sho = _mm256_set1_epi32(p.out_shift);
  const __m256i oo = _mm256_set1_epi32(p.out_offset);
  const __m256i lo = _mm256_set1_epi32(p.act_min);
  const __m256i hi = _mm256_set1_epi32(p.act_max);
  mote_bcast_begin(&it);
  for (int32_t r = 0; r < rows; r++) {
    const int8_t *a = in1 + it.o1;
    const int8_t *b = in2 + it.o2;
    /* A broadcast input: its one value, scaled once. */
    const int32_t c1 = mote_addsub_scale_in(a[0], p.in1_offset, p.left_shift,
                                            p.in1_mult, p.in1_shift);
    const int32_t c2 = mote_addsub_scale_in(b[0], p.in2_offset, p.left_shift,
                                            p.in2_mult, p.in2_shift);
    const __m256i v1c = _mm256_set1_epi32(c1), v2c = _mm256_set1_epi32(c2);
    int32_t i = 0;
    for (; i + 8 <= n; i += 8) {
      __m256i x1 = s1 ? scale8(load8(a + i), off1, ls, m1, sh1) : v1c;
      __m256i x2 = s2 ? scale8(load8(b + i), off2, ls, m2, sh2) : v2c;
      __m256i v = mote_avx2_mul_by_qm(_mm256_add_epi32(x1, x2), mo, sho);
      v = _mm256_add_epi32(v, oo);
      v = _mm256_min_epi32(_mm256_max_epi32(v, lo), hi);
      __m128i p16 = _mm_packs_epi32(_mm256_castsi256_si128(v),
                                    _mm256_extracti128_si256(v, 1));
      _mm_storel_epi64((__m128i *)(void *)(out + i), _mm_packs_epi16(p16, p16));
    }
    for (; i < n; i++) {
      int32_t x1 = s1 ? mote_addsub_scale_in(a[i], p.in1_offset, p.left_shift,
                                             p.in1_mult, p.in1_shift)
                      : c1;
      int32_t x2 = s2 ? mote_addsub_scale_in(b[i], p.in2_offset, p.left_shift,
                                             p.in2_mult, p.in2_shift)
                      : c2;
      out[i] = (int8_t)mote_addsub_finish(mote_wrap_add(x1, x2), &p);
    }
    out += n;
    mote_bcast_next_row(bc, &it);
  }
}
