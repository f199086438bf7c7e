/*
** gemm.c: blocked SGEMM for the trainer (B packed) with a portable 6x16
** micro-kernel and run-time selection of the AVX2+FMA one (gemm_avx2.c).
*/
#include "gemm.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Portable micro-kernel: same tile and summation order per element as the
 * AVX2 one (k ascending), without fused multiply-add. */
static void ukr_ref(int kc, const float *a, ptrdiff_t rsa, ptrdiff_t csa,
                    const float *b, float *c, int ldc, int mr, int nr,
                    int load_c, const float *bias) {
  float acc[TR_MR][TR_NR];
  for (int i = 0; i < TR_MR; i++)
    for (int j = 0; j < TR_NR; j++) acc[i][j] = bias ? bias[j] : 0.0f;
  for (int p = 0; p < kc; p++) {
    for (int i = 0; i < mr; i++) {
      float ai = a[i * rsa + p * csa];
      for (int j = 0; j < TR_NR; j++) acc[i][j] += ai * b[j];
    }
    b += TR_NR;
  }
  for (int i = 0; i < mr; i++) {
    float *ci = c + (size_t)i * ldc;
    for (int j = 0; j < nr; j++) ci[j] = load_c ? ci[j] + acc[i][j] : acc[i][j];
  }
}

static tr_ukr_fn g_ukr;
static int g_nr, g_kind; /* panel width; 0 portable, 1 avx2, 2 avx512 */

static tr_ukr_fn pick_ukr(int *nr) {
  if (g_ukr) {
    *nr = g_nr;
    return g_ukr;
  }
  tr_ukr_fn f = ukr_ref;
  int w = TR_NR, kind = 0;
#if defined(__x86_64__) || defined(__i386__)
  const char *isa = getenv("MOTE_TRAIN_ISA");
  int want_ref = isa && strcmp(isa, "ref") == 0;
  int no512 = isa && strcmp(isa, "avx2") == 0;
  __builtin_cpu_init();
  if (!want_ref && tr_have_avx2_ukr && __builtin_cpu_supports("avx2") &&
      __builtin_cpu_supports("fma")) {
    f = tr_ukr_avx2;
    kind = 1;
    if (!no512 && __builtin_cpu_supports("avx512f")) {
      f = tr_ukr_avx512;
      w = 32;
      kind = 2;
    }
  }
#endif
  /* the same values from every thread: a benign race */
  g_nr = w;
  g_kind = kind;
  g_ukr = f;
  *nr = w;
  return f;
}

int tr_gemm_uses_avx2(void) {
  int nr;
  pick_ukr(&nr);
  return g_kind > 0;
}

const char *tr_gemm_kernel_name(void) {
  int nr;
  pick_ukr(&nr);
  return g_kind == 2 ? "avx512" : g_kind == 1 ? "avx2+fma" : "portable";
}

/* Pack op(B)[p0..p0+kc, j0..j0+nc] as w-column panels, zero padded. */
static void pack_b(int tb, const float *B, int ldb, int p0, int kc, int j0,
                   int nc, int w, float *dst) {
  for (int jr = 0; jr < nc; jr += w) {
    int nr = nc - jr < w ? nc - jr : w;
    if (!tb) {
      for (int p = 0; p < kc; p++) {
        const float *src = B + (size_t)(p0 + p) * ldb + j0 + jr;
        int j = 0;
        for (; j < nr; j++) dst[j] = src[j];
        for (; j < w; j++) dst[j] = 0.0f;
        dst += w;
      }
    } else {
      for (int p = 0; p < kc; p++) {
        const float *src = B + (size_t)(j0 + jr) * ldb + p0 + p;
        int j = 0;
        for (; j < nr; j++) dst[j] = src[(size_t)j * ldb];
        for (; j < w; j++) dst[j] = 0.0f;
        dst += w;
      }
    }
  }
}

static void gemm(int ta, int tb, int M, int N, int K, const float *A, int lda,
                 const float *B, int ldb, float *C, int ldc, int accumulate,
                 const float *bias, float *scratch) {
  if (M <= 0 || N <= 0) return;
  int w;
  tr_ukr_fn ukr = pick_ukr(&w);
  /* 64-byte aligned pack buffer inside the scratch block, then the
   * zero-padded bias of the current column block */
  float *pb = (float *)(((uintptr_t)scratch + 63) & ~(uintptr_t)63);
  float *pbias = pb + (size_t)TR_KC * TR_NC;
  const ptrdiff_t rsa = ta ? 1 : lda, csa = ta ? lda : 1;
  if (K <= 0) {
    for (int i = 0; i < M; i++)
      for (int j = 0; j < N; j++)
        C[(size_t)i * ldc + j] =
            (accumulate ? C[(size_t)i * ldc + j] : 0.0f) + (bias ? bias[j] : 0);
    return;
  }
  for (int jc = 0; jc < N; jc += TR_NC) {
    int nc = N - jc < TR_NC ? N - jc : TR_NC;
    if (bias) {
      int j = 0;
      for (; j < nc; j++) pbias[j] = bias[jc + j];
      for (; j < nc + w; j++) pbias[j] = 0.0f;
    }
    for (int pc = 0; pc < K; pc += TR_KC) {
      int kc = K - pc < TR_KC ? K - pc : TR_KC;
      int load_c = accumulate || pc > 0;
      pack_b(tb, B, ldb, pc, kc, jc, nc, w, pb);
      for (int ic = 0; ic < M; ic += TR_MC) {
        int mc = M - ic < TR_MC ? M - ic : TR_MC;
        for (int jr = 0; jr < nc; jr += w) {
          int nr = nc - jr < w ? nc - jr : w;
          const float *bp = pb + (size_t)jr * kc;
          const float *bb = bias && pc == 0 ? pbias + jr : NULL;
          for (int ir = 0; ir < mc; ir += TR_MR) {
            int mr = mc - ir < TR_MR ? mc - ir : TR_MR;
            ukr(kc, A + (ic + ir) * rsa + pc * csa, rsa, csa, bp,
                C + (size_t)(ic + ir) * ldc + jc + jr, ldc, mr, nr, load_c, bb);
          }
        }
      }
    }
  }
}

void tr_gemm(int ta, int tb, int M, int N, int K, const float *A, int lda,
             const float *B, int ldb, float *C, int ldc, int accumulate,
             float *scratch) {
  gemm(ta, tb, M, N, K, A, lda, B, ldb, C, ldc, accumulate, NULL, scratch);
}

void tr_gemm_bias(int ta, int tb, int M, int N, int K, const float *A, int lda,
                  const float *B, int ldb, float *C, int ldc, const float *bias,
                  float *scratch) {
  gemm(ta, tb, M, N, K, A, lda, B, ldb, C, ldc, 0, bias, scratch);
}
