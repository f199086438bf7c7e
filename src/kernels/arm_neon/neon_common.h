/*
** neon_common.h: helpers shared by the AArch64 NEON kernels (included by
** the .c files of src/kernels/arm_neon only): the 4-lane requantizer, exact as
** mote_mul_by_qm, and the int8 output stage.
*/
#ifndef MOTE_NEON_COMMON_H
#define MOTE_NEON_COMMON_H

#include <arm_neon.h>
#include <stdint.h>
#include <string.h>

#include "../mote_requant.h"

/*
** x * mult * 2^shift per lane as mote_mul_by_qm, with the shift split at
** prepare into lsh = left shift (>= 0) and nrsh = minus the right shift
** (<= 0) (mote_neon_split_shift). SQRDMULH is exactly TFLite's saturating
** rounding doubling high multiply; SRSHL rounds half up, so negative
** values are first made one lower (saturating: INT32_MIN stays, and its
** quotient is exact) to round half away from zero as mote_rdbpot.
*/
static inline int32x4_t mote_neon_mul_by_qm(int32x4_t x, int32x4_t mult,
                                            int32x4_t lsh, int32x4_t nrsh) {
  x = vshlq_s32(x, lsh); /* wraps like TFLite's int32 shift */
  x = vqrdmulhq_s32(x, mult);
  x = vqaddq_s32(x, vshrq_n_s32(vandq_s32(x, nrsh), 31));
  return vrshlq_s32(x, nrsh);
}

/* The shift of mote_mul_by_qm (clamped as there) as left shift and minus
 * the right shift. */
static inline void mote_neon_split_shift(int shift, int32_t *lsh,
                                         int32_t *nrsh) {
  *lsh = shift > 0 ? (shift > 31 ? 31 : shift) : 0;
  *nrsh = shift > 0 ? 0 : (shift < -31 ? -31 : shift);
}

/* Output stage: offset (wrapping), clamp, narrowing to int8 lanes. */
typedef struct mote_neon_out {
  int32x4_t offset, lo, hi;
} mote_neon_out;

static inline mote_neon_out mote_neon_out_init(int32_t offset, int32_t lo,
                                               int32_t hi) {
  mote_neon_out o;
  o.offset = vdupq_n_s32(offset);
  o.lo = vdupq_n_s32(lo);
  o.hi = vdupq_n_s32(hi);
  return o;
}

static inline int16x4_t mote_neon_finish(int32x4_t v, const mote_neon_out *o) {
  v = vaddq_s32(v, o->offset);
  v = vminq_s32(vmaxq_s32(v, o->lo), o->hi);
  return vmovn_s32(v);
}

/* Store the first n (1..8) int8 lanes of v. */
static inline void mote_neon_store_n(int8_t *dst, int8x8_t v, int32_t n) {
  int8_t tmp[8];
  if (n == 8) {
    vst1_s8(dst, v);
    return;
  }
  vst1_s8(tmp, v);
  memcpy(dst, tmp, (size_t)n);
}

/* First and one-past-last filter taps f in [0, n) whose input position
 * start + dil * f lies in [0, size) (empty: *lo >= *hi). */
static inline void mote_neon_taps(int32_t start, int32_t dil, int32_t n,
                                  int32_t size, int32_t *lo, int32_t *hi) {
  int32_t a = start >= 0 ? 0 : (-start + dil - 1) / dil;
  int32_t b = size - start <= 0 ? 0 : (size - start + dil - 1) / dil;
  *lo = a;
  *hi = b < n ? b : n;
}

#endif
