/*
** ADD int8 for MVE (TFLite's general rescaling, as mote_add_s8_ref):
** four elements per step in 32-bit lanes (VLDRB.S32 widens on load):
** (q + offset) << left_shift, each input rescaled by mote_mve_requant with
** its multiplier (shift <= 0, so no left part: mote_mul_by_qm_lt1), the
** wrapping sum rescaled to the output the same way, then the output zero
** point and the clamp. A broadcast input (innermost stride 0) is one
** value duplicated. Bit-exact: every lane runs the reference's integer
** steps (see mve_common.h for the requantizer).
**
** Fast path (both inputs contiguous, input shifts in [-31, 0], output
** shift in [-31, -1], the usual case: TFLite's input multipliers are at
** most 1/2, the larger one exactly 2^30 with shift 0, the output one far
** below): per four lanes, the offset and left shift are one VMLAS
** (v * 2^left + (offset << left), the same value modulo 2^32 as
** (v + offset) << left); each rescale is VQRDMULH by the scalar
** multiplier, then h + (h >> 31) (the -1 nudge of negative values of
** mve_common.h, unconditional since the right shift is at least 1) and
** VRSHL by the scalar shift; an input shift of 0 leaves VQRDMULH alone
** (one of four loops, chosen per call). Nothing else per lane: no clamps on the
** intermediate sums, constants in three Q registers.
*/
#include "arm_mve_kernels.h"

#if defined(MOTE_HAVE_ARM_MVE)
#include <arm_mve.h>

#include "mve_common.h"

int mote_add_s8_mve_supported(const mote_bcast *bc) {
  const int32_t s1 = bc->stride1[bc->ndim - 1], s2 = bc->stride2[bc->ndim - 1];
  return (s1 == 0 || s1 == 1) && (s2 == 0 || s2 == 1);
}

/* mote_mul_by_qm_lt1's decoding: shifts above 0 count as 0. */
static mote_mve_rq4 rq_lt1(int32_t mult, int32_t shift) {
  return mote_mve_rq4_make(vdupq_n_s32(mult),
                           vdupq_n_s32(shift > 0 ? 0 : shift));
}

/* Four (or k < 4) elements of one input, offset and shifted left. */
static inline int32x4_t load4(const int8_t *a, int32_t s, int32_t k,
                              int32x4_t off, int32x4_t ls) {
  int32x4_t v;
  if (s == 0)
    v = vdupq_n_s32(a[0]);
  else if (k >= 4)
    v = vldrbq_s32(a);
  else
    v = vldrbq_z_s32(a, vctp32q((uint32_t)k));
  return vshlq_s32(vaddq_s32(v, off), ls);
}

/* One rescale of the fast path: shift s in [-31, -1], or 0 when z (then
 * the rounding shift is the identity and the nudge must not apply). */
static inline __attribute__((always_inline)) int32x4_t rs(int32x4_t x,
                                                          int32_t mult,
                                                          int32_t s, int z) {
  const int32x4_t h = vqrdmulhq_n_s32(x, mult);
  if (z) return h;
  return vrshlq_n_s32(vaddq_s32(h, vshrq_n_s32(h, 31)), s);
}

/* n elements of two contiguous inputs (see the fast path above); z1, z2:
 * the input shifts are 0 (constants at each call: four loops). */
static inline __attribute__((always_inline)) void add_fast(
    const mote_addsub_q_params *p, const int8_t *a, const int8_t *b,
    int8_t *out, int32_t n, int z1, int z2) {
  const int32_t scale = (int32_t)((uint32_t)1 << p->left_shift);
  const int32x4_t sc = vdupq_n_s32(scale);
  const int32_t o1 = (int32_t)((uint32_t)p->in1_offset * (uint32_t)scale);
  const int32_t o2 = (int32_t)((uint32_t)p->in2_offset * (uint32_t)scale);
  const int32_t m1 = p->in1_mult, m2 = p->in2_mult, mo = p->out_mult;
  const int32_t e1 = p->in1_shift, e2 = p->in2_shift, eo = p->out_shift;
  const int32_t zo = p->out_offset;
  const int32x4_t lo = vdupq_n_s32(p->act_min), hi = vdupq_n_s32(p->act_max);
  int32_t i;
  /* Whole groups of four unpredicated, pointers stepped; then the tail. */
  for (i = n >> 2; i > 0; i--, a += 4, b += 4, out += 4) {
    const int32x4_t x1 = rs(vmlasq_n_s32(vldrbq_s32(a), sc, o1), m1, e1, z1);
    const int32x4_t x2 = rs(vmlasq_n_s32(vldrbq_s32(b), sc, o2), m2, e2, z2);
    const int32x4_t y = vaddq_n_s32(rs(vaddq_s32(x1, x2), mo, eo, 0), zo);
    vstrbq_s32(out, vminq_s32(vmaxq_s32(y, lo), hi));
  }
  if (n & 3) {
    const mve_pred16_t pr = vctp32q((uint32_t)(n & 3));
    const int32x4_t x1 =
        rs(vmlasq_n_s32(vldrbq_z_s32(a, pr), sc, o1), m1, e1, z1);
    const int32x4_t x2 =
        rs(vmlasq_n_s32(vldrbq_z_s32(b, pr), sc, o2), m2, e2, z2);
    const int32x4_t y = vaddq_n_s32(rs(vaddq_s32(x1, x2), mo, eo, 0), zo);
    vstrbq_p_s32(out, vminq_s32(vmaxq_s32(y, lo), hi), pr);
  }
}

static void add_rows_fast(const mote_addsub_q_params *p, const int8_t *a,
                          const int8_t *b, int8_t *out, int32_t n) {
  if (p->in1_shift == 0) {
    if (p->in2_shift == 0)
      add_fast(p, a, b, out, n, 1, 1);
    else
      add_fast(p, a, b, out, n, 1, 0);
  } else if (p->in2_shift == 0) {
    add_fast(p, a, b, out, n, 0, 1);
  } else {
    add_fast(p, a, b, out, n, 0, 0);
  }
}

void mote_add_s8_mve(const mote_addsub_q_params *p, const mote_bcast *bc,
                     const int8_t *in1, const int8_t *in2, int8_t *out) {
  mote_bcast_it it;
  const mote_mve_rq4 r1 = rq_lt1(p->in1_mult, p->in1_shift);
  const mote_mve_rq4 r2 = rq_lt1(p->in2_mult, p->in2_shift);
  const mote_mve_rq4 ro = rq_lt1(p->out_mult, p->out_shift);
  const mote_mve_out raw = mote_mve_out_of(0, INT32_MIN, INT32_MAX);
  const mote_mve_out o = mote_mve_out_of(p->out_offset, p->act_min, p->act_max);
  const int32x4_t off1 = vdupq_n_s32(p->in1_offset);
  const int32x4_t off2 = vdupq_n_s32(p->in2_offset);
  const int32x4_t ls = vdupq_n_s32(p->left_shift);
  int32_t n, s1, s2, rows, r, i;
  if (bc->count <= 0) return;
  n = mote_bcast_row_len(bc);
  s1 = bc->stride1[bc->ndim - 1];
  s2 = bc->stride2[bc->ndim - 1];
  rows = bc->count / n;
  mote_bcast_begin(&it);
  if (s1 == 1 && s2 == 1 && p->in1_shift <= 0 && p->in1_shift >= -31 &&
      p->in2_shift <= 0 && p->in2_shift >= -31 && p->out_shift <= -1 &&
      p->out_shift >= -31 && p->left_shift >= 0 && p->left_shift <= 31) {
    for (r = 0; r < rows; r++, out += n) {
      add_rows_fast(p, in1 + it.o1, in2 + it.o2, out, n);
      mote_bcast_next_row(bc, &it);
    }
    return;
  }
  for (r = 0; r < rows; r++) {
    const int8_t *a = in1 + it.o1;
    const int8_t *b = in2 + it.o2;
    for (i = 0; i < n; i += 4) {
      const int32_t k = n - i;
      const int32x4_t x1 =
          mote_mve_requant(load4(a + i * s1, s1, k, off1, ls), &r1, &raw);
      const int32x4_t x2 =
          mote_mve_requant(load4(b + i * s2, s2, k, off2, ls), &r2, &raw);
      const int32x4_t y = mote_mve_requant(vaddq_s32(x1, x2), &ro, &o);
      if (k >= 4)
        vstrbq_s32(out + i, y);
      else
        vstrbq_p_s32(out + i, y, vctp32q((uint32_t)k));
    }
    out += n;
    mote_bcast_next_row(bc, &it);
  }
}

#else
/* No MVE: no code here (ISO C wants one declaration). */
typedef int mote_mve_add_s8_unused;
#endif
