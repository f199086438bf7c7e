/*
** gemm_avx2.c: the 6x16 AVX2+FMA micro-kernel of the trainer's SGEMM. Only
** this file is compiled with -mavx2 -mfma (and one function carries an
** avx512f target attribute: the 6x32 variant). Also the vectorized Adam
** update (same operations in the same order as optim.c's loop). (see
*CMakeLists.txt); gemm.c
** calls it only when the CPU reports both features.
*/
#include "gemm.h"

#if defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>

const int tr_have_avx2_ukr = 1;

void tr_ukr_avx2(int kc, const float *a, ptrdiff_t rsa, ptrdiff_t csa,
                 const float *b, float *c, int ldc, int mr, int nr, int load_c,
                 const float *bias) {
  /* rows past mr read row 0 again (valid memory); their sums are dropped */
  const float *a0 = a, *a1 = a + (mr > 1 ? rsa : 0);
  const float *a2 = a + (mr > 2 ? 2 * rsa : 0);
  const float *a3 = a + (mr > 3 ? 3 * rsa : 0);
  const float *a4 = a + (mr > 4 ? 4 * rsa : 0);
  const float *a5 = a + (mr > 5 ? 5 * rsa : 0);
  const __m256 z0 = bias ? _mm256_loadu_ps(bias) : _mm256_setzero_ps();
  const __m256 z1 = bias ? _mm256_loadu_ps(bias + 8) : _mm256_setzero_ps();
  __m256 c00 = z0, c01 = z1, c10 = z0, c11 = z1, c20 = z0, c21 = z1;
  __m256 c30 = z0, c31 = z1, c40 = z0, c41 = z1, c50 = z0, c51 = z1;
  for (int p = 0; p < kc; p++) {
    __m256 b0 = _mm256_load_ps(b), b1 = _mm256_load_ps(b + 8);
    __m256 t;
    t = _mm256_broadcast_ss(a0);
    c00 = _mm256_fmadd_ps(t, b0, c00);
    c01 = _mm256_fmadd_ps(t, b1, c01);
    t = _mm256_broadcast_ss(a1);
    c10 = _mm256_fmadd_ps(t, b0, c10);
    c11 = _mm256_fmadd_ps(t, b1, c11);
    t = _mm256_broadcast_ss(a2);
    c20 = _mm256_fmadd_ps(t, b0, c20);
    c21 = _mm256_fmadd_ps(t, b1, c21);
    t = _mm256_broadcast_ss(a3);
    c30 = _mm256_fmadd_ps(t, b0, c30);
    c31 = _mm256_fmadd_ps(t, b1, c31);
    t = _mm256_broadcast_ss(a4);
    c40 = _mm256_fmadd_ps(t, b0, c40);
    c41 = _mm256_fmadd_ps(t, b1, c41);
    t = _mm256_broadcast_ss(a5);
    c50 = _mm256_fmadd_ps(t, b0, c50);
    c51 = _mm256_fmadd_ps(t, b1, c51);
    a0 += csa, a1 += csa, a2 += csa, a3 += csa, a4 += csa, a5 += csa;
    b += TR_NR;
  }
  __m256 acc[TR_MR][2] = {{c00, c01}, {c10, c11}, {c20, c21},
                          {c30, c31}, {c40, c41}, {c50, c51}};
  if (mr == TR_MR && nr == TR_NR) {
    for (int i = 0; i < TR_MR; i++) {
      float *ci = c + (size_t)i * ldc;
      if (load_c) {
        acc[i][0] = _mm256_add_ps(acc[i][0], _mm256_loadu_ps(ci));
        acc[i][1] = _mm256_add_ps(acc[i][1], _mm256_loadu_ps(ci + 8));
      }
      _mm256_storeu_ps(ci, acc[i][0]);
      _mm256_storeu_ps(ci + 8, acc[i][1]);
    }
    return;
  }
  float tile[TR_MR * TR_NR] __attribute__((aligned(32)));
  for (int i = 0; i < TR_MR; i++) {
    _mm256_store_ps(tile + i * TR_NR, acc[i][0]);
    _mm256_store_ps(tile + i * TR_NR + 8, acc[i][1]);
  }
  for (int i = 0; i < mr; i++) {
    float *ci = c + (size_t)i * ldc;
    for (int j = 0; j < nr; j++)
      ci[j] = load_c ? ci[j] + tile[i * TR_NR + j] : tile[i * TR_NR + j];
  }
}

/*
** The same micro-kernel on 32 columns with AVX-512F (per element the same
** fused multiply-adds in the same order, so the same bits as tr_ukr_avx2).
** Only this function uses AVX-512 (target attribute); it runs only when
** CPUID reports avx512f.
*/
__attribute__((target("avx512f"))) void tr_ukr_avx512(
    int kc, const float *a, ptrdiff_t rsa, ptrdiff_t csa, const float *b,
    float *c, int ldc, int mr, int nr, int load_c, const float *bias) {
  const float *a0 = a, *a1 = a + (mr > 1 ? rsa : 0);
  const float *a2 = a + (mr > 2 ? 2 * rsa : 0);
  const float *a3 = a + (mr > 3 ? 3 * rsa : 0);
  const float *a4 = a + (mr > 4 ? 4 * rsa : 0);
  const float *a5 = a + (mr > 5 ? 5 * rsa : 0);
  const __m512 z0 = bias ? _mm512_loadu_ps(bias) : _mm512_setzero_ps();
  const __m512 z1 = bias ? _mm512_loadu_ps(bias + 16) : _mm512_setzero_ps();
  __m512 c00 = z0, c01 = z1, c10 = z0, c11 = z1, c20 = z0, c21 = z1;
  __m512 c30 = z0, c31 = z1, c40 = z0, c41 = z1, c50 = z0, c51 = z1;
  for (int p = 0; p < kc; p++) {
    __m512 b0 = _mm512_load_ps(b), b1 = _mm512_load_ps(b + 16);
    __m512 t;
    t = _mm512_set1_ps(*a0);
    c00 = _mm512_fmadd_ps(t, b0, c00);
    c01 = _mm512_fmadd_ps(t, b1, c01);
    t = _mm512_set1_ps(*a1);
    c10 = _mm512_fmadd_ps(t, b0, c10);
    c11 = _mm512_fmadd_ps(t, b1, c11);
    t = _mm512_set1_ps(*a2);
    c20 = _mm512_fmadd_ps(t, b0, c20);
    c21 = _mm512_fmadd_ps(t, b1, c21);
    t = _mm512_set1_ps(*a3);
    c30 = _mm512_fmadd_ps(t, b0, c30);
    c31 = _mm512_fmadd_ps(t, b1, c31);
    t = _mm512_set1_ps(*a4);
    c40 = _mm512_fmadd_ps(t, b0, c40);
    c41 = _mm512_fmadd_ps(t, b1, c41);
    t = _mm512_set1_ps(*a5);
    c50 = _mm512_fmadd_ps(t, b0, c50);
    c51 = _mm512_fmadd_ps(t, b1, c51);
    a0 += csa, a1 += csa, a2 += csa, a3 += csa, a4 += csa, a5 += csa;
    b += 32;
  }
  __m512 acc[TR_MR][2] = {{c00, c01}, {c10, c11}, {c20, c21},
                          {c30, c31}, {c40, c41}, {c50, c51}};
  if (mr == TR_MR && nr == 32) {
    for (int i = 0; i < TR_MR; i++) {
      float *ci = c + (size_t)i * ldc;
      if (load_c) {
        acc[i][0] = _mm512_add_ps(_mm512_loadu_ps(ci), acc[i][0]);
        acc[i][1] = _mm512_add_ps(_mm512_loadu_ps(ci + 16), acc[i][1]);
      }
      _mm512_storeu_ps(ci, acc[i][0]);
      _mm512_storeu_ps(ci + 16, acc[i][1]);
    }
    return;
  }
  float tile[TR_MR * 32] __attribute__((aligned(64)));
  for (int i = 0; i < TR_MR; i++) {
    _mm512_store_ps(tile + i * 32, acc[i][0]);
    _mm512_store_ps(tile + i * 32 + 16, acc[i][1]);
  }
  for (int i = 0; i < mr; i++) {
    float *ci = c + (size_t)i * ldc;
    for (int j = 0; j < nr; j++)
      ci[j] = load_c ? ci[j] + tile[i * 32 + j] : tile[i * 32 + j];
  }
}

void tr_adam_avx2(float *p, const float *g, float *m, float *v, size_t n,
                  float step, float sbc2, float b1, float b2, float eps,
                  float wd) {
  const __m256 vwd = _mm256_set1_ps(wd), v1b1 = _mm256_set1_ps(1.0f - b1);
  const __m256 vb2 = _mm256_set1_ps(b2), v1b2 = _mm256_set1_ps(1.0f - b2);
  const __m256 vs = _mm256_set1_ps(sbc2), ve = _mm256_set1_ps(eps);
  const __m256 vst = _mm256_set1_ps(step);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    __m256 pi = _mm256_loadu_ps(p + i);
    __m256 gi = _mm256_add_ps(_mm256_loadu_ps(g + i), _mm256_mul_ps(vwd, pi));
    __m256 mi = _mm256_loadu_ps(m + i), vi = _mm256_loadu_ps(v + i);
    mi = _mm256_add_ps(mi, _mm256_mul_ps(_mm256_sub_ps(gi, mi), v1b1));
    vi = _mm256_add_ps(_mm256_mul_ps(vi, vb2),
                       _mm256_mul_ps(_mm256_mul_ps(v1b2, gi), gi));
    _mm256_storeu_ps(m + i, mi);
    _mm256_storeu_ps(v + i, vi);
    __m256 den = _mm256_add_ps(_mm256_div_ps(_mm256_sqrt_ps(vi), vs), ve);
    pi = _mm256_sub_ps(pi, _mm256_mul_ps(vst, _mm256_div_ps(mi, den)));
    _mm256_storeu_ps(p + i, pi);
  }
  for (; i < n; i++) {
    float gi = g[i] + wd * p[i];
    float mi = m[i] + (gi - m[i]) * (1.0f - b1);
    float vi = v[i] * b2 + (1.0f - b2) * gi * gi;
    m[i] = mi;
    v[i] = vi;
    p[i] -= step * (mi / (__builtin_sqrtf(vi) / sbc2 + eps));
  }
}

#else

const int tr_have_avx2_ukr = 0;

void tr_ukr_avx2(int kc, const float *a, ptrdiff_t rsa, ptrdiff_t csa,
                 const float *b, float *c, int ldc, int mr, int nr, int load_c,
                 const float *bias) {
  /* rows past mr read row 0 again (valid memory); their sums are dropped */
  const float *a0 = a, *a1 = a + (mr > 1 ? rsa : 0);
  const float *a2 = a + (mr > 2 ? 2 * rsa : 0);
  const float *a3 = a + (mr > 3 ? 3 * rsa : 0);
  const float *a4 = a + (mr > 4 ? 4 * rsa : 0);
  const float *a5 = a + (mr > 5 ? 5 * rsa : 0);
  (void)kc, (void)a, (void)b, (void)c, (void)ldc, (void)mr, (void)nr,
      (void)load_c;
}

#endif
