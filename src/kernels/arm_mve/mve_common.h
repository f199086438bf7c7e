/*
** mve_common.h: four-lane requantization shared by the MVE kernels of
** this folder (included by them only).
**
** mote_mve_requant equals mote_mul_by_qm (mote_requant.h) lane for lane:
**  - left shift: VSHL by a lane value in [0, 31] is the same wrapping
**    (uint32_t)x << left;
**  - VQRDMULH computes sat((2ab + 2^31) >> 32) = floor((ab + 2^30) / 2^31),
**    saturated only for a = b = INT32_MIN: that is mote_sat_rdhm (whose
**    nudge 2^30 or 1 - 2^30 followed by truncation is the same floor);
**  - mote_rdbpot rounds half away from zero; VRSHL by -e (e >= 1) computes
**    floor((h + 2^(e-1)) / 2^e), half up. For h < 0 the exact result is
**    floor((h - 1 + 2^(e-1)) / 2^e), so h is first lowered by one when it
**    is negative and e >= 1: ((h & right) >> 31) is -1 exactly then,
**    because right = -e has its sign bit set iff e >= 1. h - 1 cannot wrap:
**    VQRDMULH never returns INT32_MIN (|a * b| < 2^62 unless a = b =
**    INT32_MIN, which saturates up).
** Shifts are clamped to [-31, 31] like mote_mul_by_qm.
*/
#ifndef MOTE_MVE_COMMON_H
#define MOTE_MVE_COMMON_H

#include <arm_mve.h>
#include <stdint.h>

#include "../mote_requant.h"

/* One group of four channels' requantization, decoded. */
typedef struct mote_mve_rq4 {
  int32x4_t mult;  /* Q0.31 multipliers */
  int32x4_t left;  /* left shifts, [0, 31] */
  int32x4_t right; /* minus the right shifts, [-31, 0] */
} mote_mve_rq4;

/* Decode lanes from multipliers m and shifts s (any int32 values). */
static inline mote_mve_rq4 mote_mve_rq4_make(int32x4_t m, int32x4_t s) {
  mote_mve_rq4 r;
  r.mult = m;
  r.left = vminq_s32(vmaxq_s32(s, vdupq_n_s32(0)), vdupq_n_s32(31));
  r.right = vmaxq_s32(vminq_s32(s, vdupq_n_s32(0)), vdupq_n_s32(-31));
  return r;
}

/* Channels c..c+3 (all four must exist). */
static inline mote_mve_rq4 mote_mve_rq4_of(const mote_requant_ch *rq,
                                           int32_t c) {
  const int32x4_t m =
      rq->mult ? vldrwq_s32(rq->mult + c) : vdupq_n_s32(rq->mult0);
  const int32x4_t s =
      rq->shift ? vldrbq_s32(rq->shift + c) : vdupq_n_s32(rq->shift0);
  return mote_mve_rq4_make(m, s);
}

/* Channels c..c+k-1, k in 1..4 (lanes past k read nothing, hold 0). */
static inline mote_mve_rq4 mote_mve_rq4_tail(const mote_requant_ch *rq,
                                             int32_t c, int32_t k) {
  const mve_pred16_t pr = vctp32q((uint32_t)k);
  const int32x4_t m =
      rq->mult ? vldrwq_z_s32(rq->mult + c, pr) : vdupq_n_s32(rq->mult0);
  const int32x4_t s =
      rq->shift ? vldrbq_z_s32(rq->shift + c, pr) : vdupq_n_s32(rq->shift0);
  return mote_mve_rq4_make(m, s);
}

/* Output offset and activation clamp, broadcast once per kernel call. */
typedef struct mote_mve_out {
  int32x4_t zo, lo, hi;
} mote_mve_out;

static inline mote_mve_out mote_mve_out_of(int32_t zo, int32_t lo, int32_t hi) {
  mote_mve_out o;
  o.zo = vdupq_n_s32(zo);
  o.lo = vdupq_n_s32(lo);
  o.hi = vdupq_n_s32(hi);
  return o;
}

/* mote_mul_by_qm on four lanes, + output offset (wrapping), clamp. */
static inline int32x4_t mote_mve_requant(int32x4_t acc, const mote_mve_rq4 *r,
                                         const mote_mve_out *o) {
  int32x4_t h = vqrdmulhq_s32(vshlq_s32(acc, r->left), r->mult);
  h = vaddq_s32(h, vshrq_n_s32(vandq_s32(h, r->right), 31));
  h = vaddq_s32(vrshlq_s32(h, r->right), o->zo);
  return vminq_s32(vmaxq_s32(h, o->lo), o->hi);
}

/*
** The same when every shift lies in [-31, 0] (mote_mve_shifts_simple):
** no left shift, `right` the shift itself; lo/hi/zo as scalars.
*/
static inline int32x4_t mote_mve_requant_r(int32x4_t acc, int32x4_t mult,
                                           int32x4_t right, int32_t zo,
                                           int32_t lo, int32_t hi) {
  int32x4_t h = vqrdmulhq_s32(acc, mult);
  h = vaddq_s32(h, vshrq_n_s32(vandq_s32(h, right), 31));
  h = vaddq_n_s32(vrshlq_s32(h, right), zo);
  return vminq_s32(vmaxq_s32(h, vdupq_n_s32(lo)), vdupq_n_s32(hi));
}

/* 1 if every shift of the `n` channels lies in [-31, 0]. */
static inline int mote_mve_shifts_simple(const mote_requant_ch *rq, int32_t n) {
  int32_t c, lo = 0, hi = -31;
  if (!rq->shift) return rq->shift0 <= 0 && rq->shift0 >= -31;
  for (c = 0; c < n; c += 16) {
    const mve_pred16_t p = vctp8q((uint32_t)(n - c));
    const int8x16_t v = vldrbq_z_s8(rq->shift + c, p);
    lo = vminvq_p_s8((int8_t)lo, v, p);
    hi = vmaxvq_p_s8((int8_t)hi, v, p);
  }
  return lo >= -31 && hi <= 0;
}

#endif
