/*
** The float32 GEMM under the AVX-512 CONV_2D and FULLY_CONNECTED kernels
** (f32_avx512.h): weight packing and the register-blocked micro-kernel.
**
** Panel p of 32 channels holds, for each k, the 32 weights of channels
** 32p..32p+31 (two zmm, 128 bytes); a last group of 16 or fewer channels
** gets a 16-wide panel. Per k the micro-kernel loads the panel row once and
** broadcasts one input value per pixel row into a fused multiply-add with
** each half: mr x 2 accumulators (mr <= 8: 16 zmm) that start at the bias,
** so bias and clamp cost nothing per k. Each mr has its own instance (the
** loops over rows are unrolled by the compiler), so short tiles waste no
** work.
*/
#include <immintrin.h>
#include <string.h>

#include "f32_avx512.h"
#include "f32_avx512_inl.h"

/* Floats in the packed panels (channels rounded up to 16). */
static size_t packed_floats(int32_t rows, int32_t k) {
  return (size_t)((rows + 15) & ~15) * (size_t)k;
}

size_t mote_f32_avx512_pack_bytes(int32_t rows, int32_t k) {
  return packed_floats(rows, k) * sizeof(float) + 64;
}

static float *align64(void *mem) {
  return (float *)(void *)(((uintptr_t)mem + 63) & ~(uintptr_t)63);
}

const float *mote_f32_avx512_pack(const float *w, int32_t rows, int32_t k,
                                  void *mem) {
  float *dst = align64(mem);
  float *d = dst;
  for (int32_t c0 = 0; c0 < rows; c0 += 32) {
    const int32_t width = rows - c0 > 16 ? 32 : 16;
    for (int32_t kk = 0; kk < k; kk++)
      for (int32_t j = 0; j < width; j++)
        *d++ =
            c0 + j < rows ? w[(size_t)(c0 + j) * (size_t)k + (size_t)kk] : 0.0f;
  }
  return dst;
}

/* One tile: rows m < MRT, channels [c0, c0 + 16 * NR) of panel w; nseg
 * segments of seg values per row. */
static inline __attribute__((always_inline)) void tile(
    const float *const *a, const int32_t MRT, const int32_t NR, int32_t nseg,
    int32_t seg, const float *w, const float *bias, int32_t n, __m512 lo,
    __m512 hi, float *out, ptrdiff_t out_stride) {
  const __mmask16 m0 = mote_f32x16_lanes(n), m1 = mote_f32x16_lanes(n - 16);
  const float *ap[MOTE_F32_AVX512_MR];
  __m512 acc[MOTE_F32_AVX512_MR][2];
  __m512 b0 = bias ? _mm512_maskz_loadu_ps(m0, bias) : _mm512_setzero_ps();
  __m512 b1 = bias && NR == 2 ? _mm512_maskz_loadu_ps(m1, bias + 16)
                              : _mm512_setzero_ps();
  for (int32_t m = 0; m < MRT; m++) {
    acc[m][0] = b0;
    acc[m][1] = b1;
  }
  for (int32_t s = 0; s < nseg; s++) {
    for (int32_t m = 0; m < MRT; m++) ap[m] = a[s * MOTE_F32_AVX512_MR + m];
    for (int32_t kk = 0; kk < seg; kk++) {
      const __m512 w0 = _mm512_load_ps(w);
      const __m512 w1 = NR == 2 ? _mm512_load_ps(w + 16) : w0;
      w += 16 * NR;
      for (int32_t m = 0; m < MRT; m++) {
        const __m512 x = _mm512_set1_ps(ap[m][kk]);
        acc[m][0] = _mm512_fmadd_ps(x, w0, acc[m][0]);
        if (NR == 2) acc[m][1] = _mm512_fmadd_ps(x, w1, acc[m][1]);
      }
    }
  }
  for (int32_t m = 0; m < MRT; m++) {
    float *o = out + m * out_stride;
    _mm512_mask_storeu_ps(o, m0, mote_f32x16_clamp(acc[m][0], lo, hi));
    if (NR == 2)
      _mm512_mask_storeu_ps(o + 16, m1, mote_f32x16_clamp(acc[m][1], lo, hi));
  }
}

#define TILE_CASES(NR)                                                  \
  switch (mr) {                                                         \
    case 1:                                                             \
      tile(a, 1, NR, nseg, seg, w, bias, n, vlo, vhi, out, out_stride); \
      break;                                                            \
    case 2:                                                             \
      tile(a, 2, NR, nseg, seg, w, bias, n, vlo, vhi, out, out_stride); \
      break;                                                            \
    case 3:                                                             \
      tile(a, 3, NR, nseg, seg, w, bias, n, vlo, vhi, out, out_stride); \
      break;                                                            \
    case 4:                                                             \
      tile(a, 4, NR, nseg, seg, w, bias, n, vlo, vhi, out, out_stride); \
      break;                                                            \
    case 5:                                                             \
      tile(a, 5, NR, nseg, seg, w, bias, n, vlo, vhi, out, out_stride); \
      break;                                                            \
    case 6:                                                             \
      tile(a, 6, NR, nseg, seg, w, bias, n, vlo, vhi, out, out_stride); \
      break;                                                            \
    case 7:                                                             \
      tile(a, 7, NR, nseg, seg, w, bias, n, vlo, vhi, out, out_stride); \
      break;                                                            \
    default:                                                            \
      tile(a, 8, NR, nseg, seg, w, bias, n, vlo, vhi, out, out_stride); \
      break;                                                            \
  }

static void tile32(const float *const *a, int32_t mr, int32_t nseg, int32_t seg,
                   const float *w, const float *bias, int32_t n, __m512 vlo,
                   __m512 vhi, float *out, ptrdiff_t out_stride) {
  TILE_CASES(2)
}

static void tile16(const float *const *a, int32_t mr, int32_t nseg, int32_t seg,
                   const float *w, const float *bias, int32_t n, __m512 vlo,
                   __m512 vhi, float *out, ptrdiff_t out_stride) {
  TILE_CASES(1)
}

void mote_f32_avx512_gemm(const float *const *a, int32_t mr, int32_t nseg,
                          int32_t seg, const float *packed, int32_t rows,
                          const float *bias, float lo, float hi, float *out,
                          ptrdiff_t out_stride) {
  const __m512 vlo = _mm512_set1_ps(lo), vhi = _mm512_set1_ps(hi);
  const float *w = packed;
  const size_t k = (size_t)nseg * (size_t)seg;
  for (int32_t c0 = 0; c0 < rows; c0 += 32) {
    const int32_t n = rows - c0;
    const float *bc = bias ? bias + c0 : NULL;
    if (n > 16) {
      tile32(a, mr, nseg, seg, w, bc, n, vlo, vhi, out + c0, out_stride);
      w += (size_t)32 * k;
    } else {
      tile16(a, mr, nseg, seg, w, bc, n, vlo, vhi, out + c0, out_stride);
    }
  }
}
