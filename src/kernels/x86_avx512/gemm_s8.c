/*
** int8 GEMM core of the AVX-512 VNNI kernels (see gemm_avx512.h).
**
** Register blocking: a tile of R rows (output pixels or FC batches) by NB
** blocks of 16 output channels keeps R x NB zmm accumulators. Each step of
** 4 depth bytes loads NB weight vectors (16 channels x 4 bytes), broadcasts
** the 4 activation bytes of each row and issues R x NB vpdpbusd. Rows come
** 8 at a time (16 accumulators with NB = 2), the rest as one smaller tile;
** at most 8 channels put two rows in one accumulator (pixel pairs); a
** single row (FC with one batch: a GEMV) takes 4 channel blocks and two
** accumulator sets (even and odd depth steps) to hide vpdpbusd latency.
** Channel counts that are not a multiple of 16 use zero-padded weights and
** masked stores.
**
** Bit-exact: vpdpbusd forms u8 x s8 products exactly and adds them in
** int32 with wrap-around, so the accumulator equals the reference's int32
** sum modulo 2^32 whatever the order; the folded bias (gemm_avx512.h)
** turns sum w * u into sum w * (x - input zero point); zero weights
** contribute nothing; requantization is the 16-lane copy of
** mote_mul_by_qm (avx512_common.h).
*/
#include "gemm_avx512.h"

#include <string.h>

#include "avx512_common.h"
#include "u8_avx512.h"

#define GEMM_MAX_N (1 << 20)

size_t mote_gemm_s8_pack_bytes(int32_t n, int32_t k) {
  if (n <= 0 || k <= 0 || n > GEMM_MAX_N || k > MOTE_GEMM_AVX512_MAX_K)
    return 0;
  const size_t n16 = ((size_t)n + 15u) & ~(size_t)15u;
  const size_t k4 = ((size_t)k + 3u) & ~(size_t)3u;
  /* Header (32 bytes), bias, up to 48 bytes to align the weights to 64. */
  return 32u + n16 * 4u + 48u + n16 * k4;
}

int32_t mote_gemm_s8_weight_at(const void *w, int s4, ptrdiff_t e) {
  if (!s4) return (int32_t)((const int8_t *)w)[e];
  uint32_t b = ((const uint8_t *)w)[e >> 1];
  uint32_t v = (e & 1) ? (b >> 4) : (b & 0xFu);
  return (int32_t)(v ^ 8u) - 8;
}

const mote_gemm_s8_packed *mote_gemm_s8_pack_avx512(
    void *mem, int32_t n, int32_t k, const void *w, int s4, ptrdiff_t sn,
    ptrdiff_t sk, int32_t filter_offset, const int32_t *bias,
    int32_t input_offset) {
  if (!mem || !w || mote_gemm_s8_pack_bytes(n, k) == 0) return NULL;
  const int32_t n16 = (n + 15) & ~15, k4 = (k + 3) & ~3;
  uint8_t *base = (uint8_t *)mem;
  mote_gemm_s8_packed *pk = (mote_gemm_s8_packed *)mem;
  pk->n = n;
  pk->k = k;
  pk->k4 = k4;
  pk->bias_at = 32u;
  {
    uintptr_t end = (uintptr_t)(base + 32 + (size_t)n16 * 4u);
    uintptr_t wa = (end + 63u) & ~(uintptr_t)63u;
    pk->w_at = (uint32_t)(wa - (uintptr_t)base);
  }
  int32_t *b = (int32_t *)(void *)(base + pk->bias_at);
  int8_t *dst = (int8_t *)(base + pk->w_at);
  const uint32_t corr = (uint32_t)input_offset - 128u;
  for (int32_t j = 0; j < n16; j++) {
    uint32_t sum = 0;
    int8_t *col = dst + (size_t)(j / 16) * (size_t)k4 * 16u + (j % 16) * 4;
    for (int32_t i = 0; i < k4; i++) {
      int32_t v = 0;
      if (j < n && i < k) {
        v = mote_gemm_s8_weight_at(w, s4,
                                   (ptrdiff_t)j * sn + (ptrdiff_t)i * sk) +
            filter_offset;
        if (v < -128 || v > 127) return NULL;
      }
      col[(size_t)(i / 4) * 64u + (size_t)(i % 4)] = (int8_t)v;
      sum += (uint32_t)v;
    }
    uint32_t bj = (j < n && bias) ? (uint32_t)bias[j] : 0u;
    b[j] = (int32_t)(bj + corr * sum);
  }
  if (n <= 8) {
    /* Lanes 8..15 repeat lanes 0..7: the pixel-pair tiles use them. */
    for (int32_t i = 0; i < k4 / 4; i++)
      memcpy(dst + i * 64 + 32, dst + i * 64, 32);
    memcpy(b + 8, b, 8 * sizeof(int32_t));
  }
  return pk;
}

void mote_gemm_s8_to_u8(uint8_t *dst, const int8_t *src, int32_t n) {
  mote_avx512_flip_u8(dst, src, n);
}

/* Per-call constants of up to 4 channel blocks. */
typedef struct gemm_cols {
  __m512i bias[4], mult[4], shift[4];
  __mmask16 m[4];
} gemm_cols;

static inline __m512i bcast4(const uint8_t *p) {
  int32_t v;
  memcpy(&v, p, 4);
  return _mm512_set1_epi32(v);
}

/* Requantize and store one accumulator of block j. */
static inline void store16(__m512i acc, const gemm_cols *c, int j,
                           const mote_gemm_s8_out *o, int8_t *out) {
  __m512i v = mote_avx512_requant(acc, c->mult[j], c->shift[j], o->offset,
                                  o->act_min, o->act_max);
  _mm512_mask_cvtsepi32_storeu_epi8(out, c->m[j], v);
}

/* R rows x NB channel blocks (R <= 8, NB <= 2). */
static inline __attribute__((always_inline)) void tile(
    const int R, const int NB, const int32_t *koff, const uint8_t *a,
    ptrdiff_t as, const int8_t *w, ptrdiff_t wb, int32_t k4, const gemm_cols *c,
    const mote_gemm_s8_out *o, int8_t *out, ptrdiff_t os) {
  __m512i acc[8][2];
  for (int r = 0; r < R; r++)
    for (int j = 0; j < NB; j++) acc[r][j] = c->bias[j];
  for (int32_t k = 0; k < k4; k += 4) {
    __m512i wv[2];
    for (int j = 0; j < NB; j++)
      wv[j] = _mm512_load_si512(w + j * wb + (ptrdiff_t)k * 16);
    for (int r = 0; r < R; r++) {
      __m512i av = bcast4(a + r * as + (koff ? koff[k / 4] : k));
      for (int j = 0; j < NB; j++)
        acc[r][j] = _mm512_dpbusd_epi32(acc[r][j], av, wv[j]);
    }
  }
  for (int r = 0; r < R; r++)
    for (int j = 0; j < NB; j++)
      store16(acc[r][j], c, j, o, out + r * os + j * 16);
}

/* One row x NB channel blocks (NB <= 4), two accumulator sets. */
static inline __attribute__((always_inline)) void gemv(
    const int NB, const uint8_t *a, const int8_t *w, ptrdiff_t wb, int32_t k4,
    const gemm_cols *c, const mote_gemm_s8_out *o, int8_t *out) {
  __m512i acc[4], acc2[4];
  for (int j = 0; j < NB; j++) {
    acc[j] = c->bias[j];
    acc2[j] = _mm512_setzero_si512();
  }
  int32_t k = 0;
  for (; k + 8 <= k4; k += 8) {
    __m512i a0 = bcast4(a + k), a1 = bcast4(a + k + 4);
    for (int j = 0; j < NB; j++) {
      const int8_t *wj = w + j * wb + (ptrdiff_t)k * 16;
      acc[j] = _mm512_dpbusd_epi32(acc[j], a0, _mm512_load_si512(wj));
      acc2[j] = _mm512_dpbusd_epi32(acc2[j], a1, _mm512_load_si512(wj + 64));
    }
  }
  if (k < k4) {
    __m512i a0 = bcast4(a + k);
    for (int j = 0; j < NB; j++)
      acc[j] = _mm512_dpbusd_epi32(
          acc[j], a0, _mm512_load_si512(w + j * wb + (ptrdiff_t)k * 16));
  }
  for (int j = 0; j < NB; j++)
    store16(_mm512_add_epi32(acc[j], acc2[j]), c, j, o, out + j * 16);
}

/*
** At most 8 channels: P pairs of rows in one accumulator each, lanes 0..7
** row 2i and lanes 8..15 row 2i+1 (the packer repeated the weights and
** bias of channels 0..7 in lanes 8..15), halving the vpdpbusd count.
*/
static inline __attribute__((always_inline)) void tile_pairs(
    const int P, const int32_t *koff, const uint8_t *a, ptrdiff_t as,
    const int8_t *w, int32_t k4, const gemm_cols *c, const mote_gemm_s8_out *o,
    int8_t *out, ptrdiff_t os, __mmask16 m) {
  __m512i acc[8];
  for (int i = 0; i < P; i++) acc[i] = c->bias[0];
  for (int32_t k = 0; k < k4; k += 4) {
    const __m512i wv = _mm512_load_si512(w + (ptrdiff_t)k * 16);
    const ptrdiff_t ko = koff ? koff[k / 4] : k;
    for (int i = 0; i < P; i++) {
      int32_t x0, x1;
      memcpy(&x0, a + 2 * i * as + ko, 4);
      memcpy(&x1, a + (2 * i + 1) * as + ko, 4);
      const __m512i av =
          _mm512_inserti64x4(_mm512_set1_epi32(x0), _mm256_set1_epi32(x1), 1);
      acc[i] = _mm512_dpbusd_epi32(acc[i], av, wv);
    }
  }
  const __m512i mult = _mm512_shuffle_i64x2(c->mult[0], c->mult[0], 0x44);
  const __m512i shift = _mm512_shuffle_i64x2(c->shift[0], c->shift[0], 0x44);
  for (int i = 0; i < P; i++) {
    __m512i v = mote_avx512_requant(acc[i], mult, shift, o->offset, o->act_min,
                                    o->act_max);
    _mm512_mask_cvtsepi32_storeu_epi8(out + 2 * i * os, m, v);
    _mm512_mask_cvtsepi32_storeu_epi8(out + (2 * i + 1) * os, m,
                                      _mm512_shuffle_i64x2(v, v, 0xEE));
  }
}

#define GEMM_PAIRS(P)                                                         \
  static void pairs_##P(const int32_t *koff, const uint8_t *a, ptrdiff_t as,  \
                        const int8_t *w, int32_t k4, const gemm_cols *c,      \
                        const mote_gemm_s8_out *o, int8_t *out, ptrdiff_t os, \
                        __mmask16 m) {                                        \
    if (koff)                                                                 \
      tile_pairs(P, koff, a, as, w, k4, c, o, out, os, m);                    \
    else                                                                      \
      tile_pairs(P, NULL, a, as, w, k4, c, o, out, os, m);                    \
  }
GEMM_PAIRS(1)
GEMM_PAIRS(2)
GEMM_PAIRS(3)
GEMM_PAIRS(4)
GEMM_PAIRS(5)
GEMM_PAIRS(6)
GEMM_PAIRS(7)
GEMM_PAIRS(8)

typedef void (*pairs_fn)(const int32_t *, const uint8_t *, ptrdiff_t,
                         const int8_t *, int32_t, const gemm_cols *,
                         const mote_gemm_s8_out *, int8_t *, ptrdiff_t,
                         __mmask16);

#define GEMM_TILE(R, NB)                                                       \
  static void tile_##R##_##NB(                                                 \
      const int32_t *koff, const uint8_t *a, ptrdiff_t as, const int8_t *w,    \
      ptrdiff_t wb, int32_t k4, const gemm_cols *c, const mote_gemm_s8_out *o, \
      int8_t *out, ptrdiff_t os) {                                             \
    if (koff)                                                                  \
      tile(R, NB, koff, a, as, w, wb, k4, c, o, out, os);                      \
    else                                                                       \
      tile(R, NB, NULL, a, as, w, wb, k4, c, o, out, os);                      \
  }
GEMM_TILE(1, 1)
GEMM_TILE(2, 1)
GEMM_TILE(3, 1)
GEMM_TILE(4, 1)
GEMM_TILE(5, 1)
GEMM_TILE(6, 1)
GEMM_TILE(7, 1)
GEMM_TILE(8, 1)
GEMM_TILE(1, 2)
GEMM_TILE(2, 2)
GEMM_TILE(3, 2)
GEMM_TILE(4, 2)
GEMM_TILE(5, 2)
GEMM_TILE(6, 2)
GEMM_TILE(7, 2)
GEMM_TILE(8, 2)

typedef void (*tile_fn)(const int32_t *, const uint8_t *, ptrdiff_t,
                        const int8_t *, ptrdiff_t, int32_t, const gemm_cols *,
                        const mote_gemm_s8_out *, int8_t *, ptrdiff_t);

void mote_gemm_s8_avx512(const mote_gemm_s8_packed *pk, const uint8_t *a,
                         int32_t rows, ptrdiff_t a_stride, const int32_t *koff,
                         const mote_gemm_s8_out *o, int8_t *out,
                         ptrdiff_t out_stride) {
  static const tile_fn tiles[2][8] = {{tile_1_1, tile_2_1, tile_3_1, tile_4_1,
                                       tile_5_1, tile_6_1, tile_7_1, tile_8_1},
                                      {tile_1_2, tile_2_2, tile_3_2, tile_4_2,
                                       tile_5_2, tile_6_2, tile_7_2, tile_8_2}};
  const mote_gemm_s8_out oc = *o;
  const int32_t n = pk->n, k4 = pk->k4;
  const int32_t nblk = (n + 15) / 16;
  const ptrdiff_t wb = (ptrdiff_t)k4 * 16;
  const int32_t *bias =
      (const int32_t *)(const void *)((const uint8_t *)pk + pk->bias_at);
  const int8_t *w = (const int8_t *)pk + pk->w_at;
  const int gemv1 = rows == 1 && !koff;
  const int nbmax = gemv1 ? 4 : 2;
  gemm_cols c;
  for (int32_t cb = 0; cb < nblk;) {
    const int nb = nblk - cb < nbmax ? (int)(nblk - cb) : nbmax;
    for (int j = 0; j < nb; j++) {
      const int32_t ch = (cb + j) * 16;
      c.m[j] = mote_avx512_mask16(n - ch);
      c.bias[j] = _mm512_loadu_si512(bias + ch);
      c.mult[j] = mote_avx512_rq_mult(oc.rq, ch, c.m[j]);
      c.shift[j] = mote_avx512_rq_shift(oc.rq, ch, c.m[j]);
    }
    const int8_t *wc = w + (ptrdiff_t)cb * wb;
    int8_t *oc0 = out + (ptrdiff_t)cb * 16;
    if (n <= 8 && rows >= 2) {
      static const pairs_fn pairs[8] = {pairs_1, pairs_2, pairs_3, pairs_4,
                                        pairs_5, pairs_6, pairs_7, pairs_8};
      int32_t r = 0;
      for (; r + 16 <= rows; r += 16)
        pairs[7](koff, a + (ptrdiff_t)r * a_stride, a_stride, wc, k4, &c, &oc,
                 oc0 + (ptrdiff_t)r * out_stride, out_stride, c.m[0]);
      if (r + 2 <= rows) {
        const int np = (rows - r) / 2;
        pairs[np - 1](koff, a + (ptrdiff_t)r * a_stride, a_stride, wc, k4, &c,
                      &oc, oc0 + (ptrdiff_t)r * out_stride, out_stride, c.m[0]);
        r += 2 * np;
      }
      if (r < rows)
        tiles[0][0](koff, a + (ptrdiff_t)r * a_stride, a_stride, wc, wb, k4, &c,
                    &oc, oc0 + (ptrdiff_t)r * out_stride, out_stride);
    } else if (gemv1) {
      switch (nb) {
        case 1:
          gemv(1, a, wc, wb, k4, &c, &oc, oc0);
          break;
        case 2:
          gemv(2, a, wc, wb, k4, &c, &oc, oc0);
          break;
        case 3:
          gemv(3, a, wc, wb, k4, &c, &oc, oc0);
          break;
        default:
          gemv(4, a, wc, wb, k4, &c, &oc, oc0);
      }
    } else {
      int32_t r = 0;
      for (; r + 8 <= rows; r += 8)
        tiles[nb - 1][7](koff, a + (ptrdiff_t)r * a_stride, a_stride, wc, wb,
                         k4, &c, &oc, oc0 + (ptrdiff_t)r * out_stride,
                         out_stride);
      if (r < rows)
        tiles[nb - 1][rows - r - 1](
            koff, a + (ptrdiff_t)r * a_stride, a_stride, wc, wb, k4, &c, &oc,
            oc0 + (ptrdiff_t)r * out_stride, out_stride);
    }
    cb += nb;
  }
}
