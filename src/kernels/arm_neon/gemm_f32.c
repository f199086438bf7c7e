/*
** The float32 GEMM under the NEON CONV_2D and FULLY_CONNECTED kernels
** (f32_neon.h): weight packing and the register-blocked micro-kernel.
**
** Panel p holds, for each k, the 8 weights of channels 8p..8p+7 (two q
** registers); a last group of 4 or fewer channels gets a 4-wide panel,
** zero-padded. The micro-kernel keeps 8 pixel rows x 8 channels of sums in
** 16 q registers, started at the bias. Per 4 k it loads 4 consecutive
** inputs of each row (8 q registers) and the 4 panel rows (8 q
** registers) and issues 64 FMLA by element (vfmaq_laneq_f32), so loads are
** a fifth of the instructions; the k % 4 tail broadcasts one input per
** row. Tiles of fewer rows repeat row 0 in the missing ones (computed,
** never stored), so one instance of the kernel serves every tile.
*/
#include "f32_neon.h"
#include "f32_neon_inl.h"

#define MR MOTE_F32_NEON_MR

size_t mote_f32_neon_pack_bytes(int32_t rows, int32_t k) {
  return (size_t)((rows + 3) & ~3) * (size_t)k * sizeof(float);
}

const float *mote_f32_neon_pack(const float *w, int32_t rows, int32_t k,
                                void *mem) {
  float *d = (float *)mem;
  for (int32_t c0 = 0; c0 < rows; c0 += 8) {
    const int32_t width = rows - c0 > 4 ? 8 : 4;
    for (int32_t kk = 0; kk < k; kk++)
      for (int32_t j = 0; j < width; j++)
        *d++ =
            c0 + j < rows ? w[(size_t)(c0 + j) * (size_t)k + (size_t)kk] : 0.0f;
  }
  return (const float *)mem;
}

/* The micro-kernel's rows are named variables (s0_m, s1_m, x_m, p_m for m
 * < 8), not arrays, so that all of them stay in registers. */
#define ROWS(F, J) \
  F(0, J) F(1, J) F(2, J) F(3, J) F(4, J) F(5, J) F(6, J) F(7, J)

#define INIT(m, J)                                 \
  float32x4_t s0_##m = b0, s1_##m = b1, x_##m = z; \
  const float *p_##m = NULL;
#define SEG(m, J) p_##m = a[s * MR + (m < mr ? m : 0)];
#define LOAD4(m, J) x_##m = vld1q_f32(p_##m + k);
#define FMA_LANE(m, J)                             \
  s0_##m = vfmaq_laneq_f32(s0_##m, w0_, x_##m, J); \
  if (NR == 2) s1_##m = vfmaq_laneq_f32(s1_##m, w1_, x_##m, J);
#define FMA_DUP(m, J)                     \
  x_##m = vld1q_dup_f32(p_##m + k);       \
  s0_##m = vfmaq_f32(s0_##m, x_##m, w0_); \
  if (NR == 2) s1_##m = vfmaq_f32(s1_##m, x_##m, w1_);
#define STORE(m, J)                                                        \
  if (m < mr) {                                                            \
    float *o_ = out + m * out_stride;                                      \
    mote_f32x4_store_n(o_, mote_f32x4_clamp(s0_##m, lo, hi), n);           \
    if (NR == 2)                                                           \
      mote_f32x4_store_n(o_ + 4, mote_f32x4_clamp(s1_##m, lo, hi), n - 4); \
  }

/* Panel row J (w + J * 4 * NR) times lane J of each row's inputs. */
#define STEP(J)                                                       \
  do {                                                                \
    const float32x4_t w0_ = vld1q_f32(w + (J)*4 * NR);                \
    const float32x4_t w1_ = NR == 2 ? vld1q_f32(w + (J)*8 + 4) : w0_; \
    ROWS(FMA_LANE, J)                                                 \
  } while (0)

/* One tile: rows m < mr, the n channels (NR == 2: 5..8, NR == 1: 1..4) of
 * panel w. */
static inline __attribute__((always_inline)) void tile(
    const float *const *a, int32_t mr, int32_t nseg, int32_t seg,
    const float *w, const int NR, const float *bias, int32_t n, float32x4_t lo,
    float32x4_t hi, float *out, ptrdiff_t out_stride) {
  const float32x4_t z = vdupq_n_f32(0.0f);
  const float32x4_t b0 = bias ? mote_f32x4_load_n(bias, n) : z;
  const float32x4_t b1 =
      NR == 2 && bias ? mote_f32x4_load_n(bias + 4, n - 4) : z;
  ROWS(INIT, 0)
  for (int32_t s = 0; s < nseg; s++) {
    ROWS(SEG, 0)
    int32_t k = 0;
    for (; k + 4 <= seg; k += 4, w += 16 * NR) {
      ROWS(LOAD4, 0)
      STEP(0);
      STEP(1);
      STEP(2);
      STEP(3);
    }
    for (; k < seg; k++, w += 4 * NR) {
      const float32x4_t w0_ = vld1q_f32(w);
      const float32x4_t w1_ = NR == 2 ? vld1q_f32(w + 4) : w0_;
      ROWS(FMA_DUP, 0)
    }
  }
  ROWS(STORE, 0)
}

void mote_f32_neon_gemm(const float *const *a, int32_t mr, int32_t nseg,
                        int32_t seg, const float *packed, int32_t rows,
                        const float *bias, float lo, float hi, float *out,
                        ptrdiff_t out_stride) {
  const float32x4_t vlo = vdupq_n_f32(lo), vhi = vdupq_n_f32(hi);
  const size_t k = (size_t)nseg * (size_t)seg;
  const float *w = packed;
  for (int32_t c0 = 0; c0 < rows; c0 += 8, w += 8 * k) {
    const int32_t n = rows - c0;
    const float *bc = bias ? bias + c0 : NULL;
    if (n > 4)
      tile(a, mr, nseg, seg, w, 2, bc, n, vlo, vhi, out + c0, out_stride);
    else
      tile(a, mr, nseg, seg, w, 1, bc, n, vlo, vhi, out + c0, out_stride);
  }
}
