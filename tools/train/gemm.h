/*
** gemm.h: single-precision matrix multiply for the trainer (internal).
** BLIS-style blocking (B packed into panels, A read in place) around a
** micro-kernel picked at run time (gemm_avx2.c): 6x32 AVX-512F when the
** CPU has it, else 6x16 AVX2+FMA (the same bits), else a portable 6x16 C
** one. The order of every sum depends only on the shapes, so results are
** reproducible.
*/
#ifndef MOTE_TRAIN_GEMM_H
#define MOTE_TRAIN_GEMM_H

#include <stddef.h>

/* Micro-tile and block sizes. */
#define TR_MR 6
#define TR_NR 16
#define TR_MC 120
#define TR_KC 384
#define TR_NC 1024

/* Floats of scratch one tr_gemm call needs (a packed B block). */
#define TR_GEMM_SCRATCH ((size_t)TR_KC * TR_NC + TR_NC + 128)

/*
** C (M x N, row stride ldc) = op(A) * op(B) (+ C when accumulate; + bias[j]
** on every row when bias is not NULL, then accumulate must be 0), with
** op(A) M x K: ta 0 reads A[i*lda+p], ta 1 reads A[p*lda+i]; op(B) K x N:
** tb 0 reads B[p*ldb+j], tb 1 reads B[j*ldb+p]. `scratch` holds
** TR_GEMM_SCRATCH floats (one per thread).
*/
void tr_gemm(int ta, int tb, int M, int N, int K, const float *A, int lda,
             const float *B, int ldb, float *C, int ldc, int accumulate,
             float *scratch);
void tr_gemm_bias(int ta, int tb, int M, int N, int K, const float *A, int lda,
                  const float *B, int ldb, float *C, int ldc, const float *bias,
                  float *scratch);

/*
** Micro-kernel: C[mr x nr] (=|+=) A (mr x kc, element (i,p) at
** a[i*rsa + p*csa], unpacked) * Bp (kc x NR packed panel), the sums
** starting from bias[0..NR) (padded) when bias is not NULL.
*/
typedef void (*tr_ukr_fn)(int kc, const float *a, ptrdiff_t rsa, ptrdiff_t csa,
                          const float *b, float *c, int ldc, int mr, int nr,
                          int load_c, const float *bias);

/* AVX2+FMA micro-kernel (gemm_avx2.c); tr_have_avx2_ukr says whether the
 * build has it (else it is a stub never selected). */
extern const int tr_have_avx2_ukr;
void tr_ukr_avx2(int kc, const float *a, ptrdiff_t rsa, ptrdiff_t csa,
                 const float *b, float *c, int ldc, int mr, int nr, int load_c,
                 const float *bias);
/* Same on 6x32 tiles with AVX-512F (NR 32; same results bit for bit). */
void tr_ukr_avx512(int kc, const float *a, ptrdiff_t rsa, ptrdiff_t csa,
                   const float *b, float *c, int ldc, int mr, int nr,
                   int load_c, const float *bias);

/* Adam update of n values with AVX2 (see tr_optim_step). */
void tr_adam_avx2(float *p, const float *g, float *m, float *v, size_t n,
                  float step, float sbc2, float b1, float b2, float eps,
                  float wd);

/* 1 if tr_gemm uses the AVX2 (or AVX-512) kernels on this CPU. The
 * environment variable MOTE_TRAIN_ISA=ref forces the portable kernel,
 * =avx2 rules out AVX-512. */
int tr_gemm_uses_avx2(void);

/* Name of the kernel in use: "avx512", "avx2+fma" or "portable". */
const char *tr_gemm_kernel_name(void);

#endif
