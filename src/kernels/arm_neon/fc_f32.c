/*
** FULLY_CONNECTED float32 with NEON over weights packed at prepare
** (gemm_f32.c). Several batch rows: the GEMM micro-kernel, 8 rows a tile.
** One row (a GEMV, every weight read once, in one stream): per panel,
** four inputs are loaded at once and each multiplies its panel row by
** element (FMLA by lane) into its own accumulators (one k phase each, so
** the fused multiply-adds are independent), added pairwise at the end and
** to the bias. Sums differ from the reference's in the last bits only
** (f32_neon.h).
*/
#include "f32_neon.h"
#include "f32_neon_inl.h"

/* s[j] += lane J of x times panel row J (NR q registers a row). */
#define ROW(J)                                                                 \
  do {                                                                         \
    a##J = vfmaq_laneq_f32(a##J, vld1q_f32(w + (J)*4 * NR), x, J);             \
    if (NR == 2) b##J = vfmaq_laneq_f32(b##J, vld1q_f32(w + (J)*8 + 4), x, J); \
  } while (0)

/* One panel of n channels (NR == 2: 5..8, NR == 1: 1..4). */
static inline __attribute__((always_inline)) void panel(
    const float *x0, int32_t K, const float *w, const int NR, const float *bias,
    int32_t n, float32x4_t lo, float32x4_t hi, float *out) {
  const float32x4_t z = vdupq_n_f32(0.0f);
  float32x4_t a0 = bias ? mote_f32x4_load_n(bias, n) : z, a1 = z, a2 = z,
              a3 = z;
  float32x4_t b0 = NR == 2 && bias ? mote_f32x4_load_n(bias + 4, n - 4) : z,
              b1 = z, b2 = z, b3 = z;
  int32_t k = 0;
  for (; k + 4 <= K; k += 4, w += 16 * NR) {
    const float32x4_t x = vld1q_f32(x0 + k);
    ROW(0);
    ROW(1);
    ROW(2);
    ROW(3);
  }
  for (; k < K; k++, w += 4 * NR) {
    const float32x4_t x = vld1q_dup_f32(x0 + k);
    a0 = vfmaq_f32(a0, x, vld1q_f32(w));
    if (NR == 2) b0 = vfmaq_f32(b0, x, vld1q_f32(w + 4));
  }
  a0 = vaddq_f32(vaddq_f32(a0, a1), vaddq_f32(a2, a3));
  mote_f32x4_store_n(out, mote_f32x4_clamp(a0, lo, hi), n);
  if (NR == 2) {
    b0 = vaddq_f32(vaddq_f32(b0, b1), vaddq_f32(b2, b3));
    mote_f32x4_store_n(out + 4, mote_f32x4_clamp(b0, lo, hi), n - 4);
  }
}

static void gemv(const float *x, int32_t K, const float *w, int32_t units,
                 const float *bias, float32x4_t lo, float32x4_t hi,
                 float *out) {
  for (int32_t c0 = 0; c0 < units; c0 += 8, w += 8 * (size_t)K) {
    const int32_t n = units - c0;
    const float *bc = bias ? bias + c0 : NULL;
    if (n > 4)
      panel(x, K, w, 2, bc, n, lo, hi, out + c0);
    else
      panel(x, K, w, 1, bc, n, lo, hi, out + c0);
  }
}

void mote_fc_f32_neon(const mote_fc_dims *n, const mote_fc_f32_params *p,
                      const float *input, const float *packed,
                      const float *bias, float *output) {
  const size_t depth = (size_t)n->depth, units = (size_t)n->units;
  if (n->batches == 1) {
    gemv(input, n->depth, packed, n->units, bias, vdupq_n_f32(p->act_min),
         vdupq_n_f32(p->act_max), output);
    return;
  }
  for (int32_t b0 = 0; b0 < n->batches; b0 += MOTE_F32_NEON_MR) {
    const int32_t mr =
        n->batches - b0 < MOTE_F32_NEON_MR ? n->batches - b0 : MOTE_F32_NEON_MR;
    const float *a[MOTE_F32_NEON_MR];
    for (int32_t m = 0; m < mr; m++) a[m] = input + (size_t)(b0 + m) * depth;
    mote_f32_neon_gemm(a, mr, 1, n->depth, packed, n->units, bias, p->act_min,
                       p->act_max, output + (size_t)b0 * units,
                       (ptrdiff_t)units);
  }
}
