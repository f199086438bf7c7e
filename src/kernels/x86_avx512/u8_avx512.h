/*
** u8_avx512.h: byte fills and the int8 -> u8 (x ^ 0x80) copy that feed
** the VNNI kernels their unsigned operand (see avx512_common.h). Included
** only by files compiled with the AVX-512 flags.
*/
#ifndef MOTE_U8_AVX512_H
#define MOTE_U8_AVX512_H

#include <immintrin.h>
#include <stdint.h>
#include <string.h>

/* Mask of the first n (1..64) bytes. */
static inline __mmask64 mote_avx512_mask64(int32_t n) {
  return (__mmask64)(~0ULL >> (64 - n));
}

/* Short runs (under 16 bytes) go through general registers: masked
 * vector loads and stores cost more there. b8: 8 copies of the byte. */
static inline void mote_u8_fill_short(uint8_t *d, uint64_t b8, int32_t n) {
  int32_t i = 0;
  for (; i + 8 <= n; i += 8) memcpy(d + i, &b8, 8);
  if (i + 4 <= n) {
    uint32_t b4 = (uint32_t)b8;
    memcpy(d + i, &b4, 4);
    i += 4;
  }
  for (; i < n; i++) d[i] = (uint8_t)b8;
}

static inline void mote_u8_flip_short(uint8_t *d, const int8_t *s, int32_t n) {
  int32_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t v;
    memcpy(&v, s + i, 8);
    v ^= 0x8080808080808080ULL;
    memcpy(d + i, &v, 8);
  }
  if (i + 4 <= n) {
    uint32_t v;
    memcpy(&v, s + i, 4);
    v ^= 0x80808080u;
    memcpy(d + i, &v, 4);
    i += 4;
  }
  for (; i < n; i++) d[i] = (uint8_t)((uint8_t)s[i] ^ 0x80u);
}

/* n bytes of value v (64 copies of one byte) at d. */
static inline void mote_avx512_fill_u8(uint8_t *d, __m512i v, int32_t n) {
  if (n < 16) {
    mote_u8_fill_short(
        d, (uint64_t)_mm_cvtsi128_si64(_mm512_castsi512_si128(v)), n);
    return;
  }
  int32_t i = 0;
  for (; i + 64 <= n; i += 64) _mm512_storeu_si512(d + i, v);
  if (i < n) _mm512_mask_storeu_epi8(d + i, mote_avx512_mask64(n - i), v);
}

/* d[0..n) = s[0..n) ^ 0x80: int8 x as the u8 x + 128. */
static inline void mote_avx512_flip_u8(uint8_t *d, const int8_t *s, int32_t n) {
  if (n < 16) {
    mote_u8_flip_short(d, s, n);
    return;
  }
  const __m512i flip = _mm512_set1_epi8((char)0x80);
  int32_t i = 0;
  for (; i + 64 <= n; i += 64)
    _mm512_storeu_si512(d + i,
                        _mm512_xor_si512(_mm512_loadu_si512(s + i), flip));
  if (i < n) {
    const __mmask64 m = mote_avx512_mask64(n - i);
    _mm512_mask_storeu_epi8(
        d + i, m, _mm512_xor_si512(_mm512_maskz_loadu_epi8(m, s + i), flip));
  }
}

#endif
