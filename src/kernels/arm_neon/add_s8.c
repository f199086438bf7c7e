/*
** ADD int8, NEON: 8 elements at a time through TFLite's rescaling (offset,
** left shift, each input to the common scale, sum, output scale, offset,
** clamp) with the 4-lane requantizer; the tail of a row lane by lane with
** the scalar helpers (in place is allowed, so no overlapping tail).
*/
#include "add_neon.h"
#include "neon_common.h"

int mote_add_s8_neon_supported(const mote_addsub_q_params *p,
                               const mote_bcast *bc) {
  const int32_t s1 = bc->stride1[bc->ndim - 1], s2 = bc->stride2[bc->ndim - 1];
  return (s1 == 0 || s1 == 1) && (s2 == 0 || s2 == 1) && p->left_shift >= 0 &&
         p->left_shift < 32;
}

/* Per-input constants: offset and the scaling to the common scale. */
typedef struct add_in {
  int16x8_t off;
  int32x4_t lsh, mult, zero, nrsh;
} add_in;

static add_in add_in_init(int32_t off, int32_t left_shift, int32_t mult,
                          int32_t shift) {
  add_in a;
  int32_t l, r;
  /* mote_mul_by_qm_lt1: right shift only (a positive shift is ignored). */
  mote_neon_split_shift(shift > 0 ? 0 : shift, &l, &r);
  a.off = vdupq_n_s16((int16_t)off);
  a.lsh = vdupq_n_s32(left_shift);
  a.mult = vdupq_n_s32(mult);
  a.zero = vdupq_n_s32(0);
  a.nrsh = vdupq_n_s32(r);
  return a;
}

/* Eight inputs scaled to the common scale (lo, hi lanes). */
static inline void add_scale(const add_in *a, int8x8_t x, int32x4_t *lo,
                             int32x4_t *hi) {
  const int16x8_t v = vaddw_s8(a->off, x);
  *lo = mote_neon_mul_by_qm(vshlq_s32(vmovl_s16(vget_low_s16(v)), a->lsh),
                            a->mult, a->zero, a->nrsh);
  *hi = mote_neon_mul_by_qm(vshlq_s32(vmovl_high_s16(v), a->lsh), a->mult,
                            a->zero, a->nrsh);
}

void mote_add_s8_neon(const mote_addsub_q_params *p, const mote_bcast *bc,
                      const int8_t *in1, const int8_t *in2, int8_t *out) {
  if (bc->count <= 0) return;
  const int32_t n = mote_bcast_row_len(bc), rows = bc->count / n;
  const int32_t s1 = bc->stride1[bc->ndim - 1], s2 = bc->stride2[bc->ndim - 1];
  const add_in a1 = add_in_init(p->in1_offset, p->left_shift, p->in1_mult,
                                p->in1_shift),
               a2 = add_in_init(p->in2_offset, p->left_shift, p->in2_mult,
                                p->in2_shift);
  int32_t ol, orr;
  mote_neon_split_shift(p->out_shift > 0 ? 0 : p->out_shift, &ol, &orr);
  const int32x4_t om = vdupq_n_s32(p->out_mult), oz = vdupq_n_s32(0),
                  onr = vdupq_n_s32(orr);
  const mote_neon_out o =
      mote_neon_out_init(p->out_offset, p->act_min, p->act_max);
  mote_bcast_it it;
  mote_bcast_begin(&it);
  for (int32_t r = 0; r < rows; r++, out += n) {
    const int8_t *a = in1 + it.o1, *b = in2 + it.o2;
    int32_t i = 0;
    for (; i + 8 <= n; i += 8) {
      const int8x8_t xa = s1 ? vld1_s8(a + i) : vld1_dup_s8(a);
      const int8x8_t xb = s2 ? vld1_s8(b + i) : vld1_dup_s8(b);
      int32x4_t l1, h1, l2, h2;
      add_scale(&a1, xa, &l1, &h1);
      add_scale(&a2, xb, &l2, &h2);
      const int32x4_t lo = mote_neon_mul_by_qm(vaddq_s32(l1, l2), om, oz, onr);
      const int32x4_t hi = mote_neon_mul_by_qm(vaddq_s32(h1, h2), om, oz, onr);
      vst1_s8(out + i, vmovn_s16(vcombine_s16(mote_neon_finish(lo, &o),
                                              mote_neon_finish(hi, &o))));
    }
    for (; i < n; i++) {
      const int32_t x1 = mote_addsub_scale_in(
          a[i * s1], p->in1_offset, p->left_shift, p->in1_mult, p->in1_shift);
      const int32_t x2 = mote_addsub_scale_in(
          b[i * s2], p->in2_offset, p->left_shift, p->in2_mult, p->in2_shift);
      out[i] = (int8_t)mote_addsub_finish(mote_wrap_add(x1, x2), p);
    }
    mote_bcast_next_row(bc, &it);
  }
}
