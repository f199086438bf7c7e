/*
** add_s8.c: int8 ADD for cores with the DSP extension, bit-exact with
** mote_add_s8_ref (TFLite's general rescaling scheme).
**
** Each input's rescale, (q + offset) << left_shift times its multiplier,
** depends on the int8 value alone, so for long enough ADDs it is tabulated
** once per call (256 int32 per input, in the caller's scratch, indexed by
** the byte as unsigned) with the exact requantizer of dsp_common.h; short ones
*compute
** it per element. The wrapping sum then goes through the output
** requantization, in the folded SMLAL form (output offset included) when
** the multiplier allows it, else the general one, and the clamp. Four
** elements per step with one word load per contiguous input and one word
** store; in place safe (every word is read before its bytes are written).
*/
#include "arm_dsp.h"

#if defined(MOTE_HAVE_ARM_DSP)
#include "dsp_common.h"

/* Elements from which the tables pay for themselves (512 requantizations
 * to build, against two per element). */
#define ADD_TABLE_MIN 256

/* Decoded requantization of one input (TFLite's *SmallerThanOneExp: a
 * positive shift is ignored). */
static mote_dsp_rq in_rq(int32_t mult, int32_t shift) {
  mote_requant_ch c;
  c.mult = NULL;
  c.shift = NULL;
  c.mult0 = mult;
  c.shift0 = shift > 0 ? 0 : shift;
  return mote_dsp_rq_of(&c, 0);
}

/* One input value rescaled as mote_addsub_scale_in. */
static inline int32_t in_scale(const mote_dsp_rq *r, int32_t q, int32_t off,
                               int32_t ls) {
  return mote_dsp_rq_scale(r, (int32_t)((uint32_t)(q + off) << ls));
}

/* The shared state of one call. */
typedef struct add_ctx {
  mote_dsp_rq r1, r2, ro;
  mote_dsp_rqw w; /* output, folded fast form (w.sh >= 0) */
  int32_t off1, off2, ls, zo, lo, hi;
  const int32_t *t1, *t2; /* tables or NULL */
} add_ctx;

/* Output byte of the wrapped sum s. */
static inline int32_t finish(const add_ctx *c, int32_t s) {
  int32_t a;
  if (c->w.sh >= 0)
    a = mote_dsp_rqw_fast(&c->w, s);
  else
    a = (int32_t)((uint32_t)mote_dsp_rq_scale(&c->ro, s) + (uint32_t)c->zo);
  return a < c->lo ? c->lo : (a > c->hi ? c->hi : a);
}

/* Rescaled input values of bytes a, b (signed). */
static inline int32_t x1_of(const add_ctx *c, int32_t a) {
  return c->t1 ? c->t1[(uint8_t)a] : in_scale(&c->r1, a, c->off1, c->ls);
}
static inline int32_t x2_of(const add_ctx *c, int32_t b) {
  return c->t2 ? c->t2[(uint8_t)b] : in_scale(&c->r2, b, c->off2, c->ls);
}

/* Output of byte k of wa and wb through the tables and the folded
 * requantization, saturated to int8, in the low byte (the clamp to
 * [lo, hi] is applied to the packed word). */
static inline uint32_t lane(const int32_t *t1, const int32_t *t2,
                            const mote_dsp_rqw *w, uint32_t wa, uint32_t wb,
                            int k) {
  const int32_t s =
      mote_wrap_add(t1[(wa >> (8 * k)) & 0xFFu], t2[(wb >> (8 * k)) & 0xFFu]);
  return (uint32_t)mote_dsp_ssat8(mote_dsp_rqw_fast(w, s)) & 0xFFu;
}

/* The tabulated, folded case, input 1 contiguous, input 2 contiguous
 * (s2 = 1) or one value (s2 = 0): four elements per step; returns how
 * many it did. */
static int32_t add_row4(const add_ctx *c, const int8_t *a, const int8_t *b,
                        int32_t s2, int8_t *out, int32_t n) {
  const int32_t *t1 = c->t1, *t2 = c->t2;
  const mote_dsp_rqw w = c->w;
  const uint32_t lo4 = (uint32_t)(uint8_t)c->lo * 0x01010101u;
  const uint32_t hi4 = (uint32_t)(uint8_t)c->hi * 0x01010101u;
  const uint32_t bc = (uint32_t)(uint8_t)b[0] * 0x01010101u;
  int32_t i;
  for (i = 0; i + 4 <= n; i += 4) {
    const uint32_t wa = (uint32_t)mote_dsp_ld32(a + i);
    const uint32_t wb = s2 ? (uint32_t)mote_dsp_ld32(b + i) : bc;
    uint32_t o = lane(t1, t2, &w, wa, wb, 0);
    o |= lane(t1, t2, &w, wa, wb, 1) << 8;
    o |= lane(t1, t2, &w, wa, wb, 2) << 16;
    o |= lane(t1, t2, &w, wa, wb, 3) << 24;
    o = mote_dsp_min4(mote_dsp_max4(o, lo4), hi4);
    memcpy(out + i, &o, sizeof o);
  }
  return i;
}

/* One row of n elements, input steps s1, s2 (0: broadcast). */
static void add_row(const add_ctx *c, const int8_t *a, int32_t s1,
                    const int8_t *b, int32_t s2, int8_t *out, int32_t n) {
  int32_t i = 0;
  if (c->t1 && c->w.sh >= 0 && s1 == 1 && (s2 == 1 || s2 == 0))
    i = add_row4(c, a, b, s2, out, n);
  for (; i < n; i++)
    out[i] = (int8_t)finish(
        c, mote_wrap_add(x1_of(c, a[i * s1]), x2_of(c, b[i * s2])));
}

size_t mote_add_s8_dsp_scratch(const mote_bcast *bc) {
  return bc->count >= ADD_TABLE_MIN ? 512 * sizeof(int32_t) : 0;
}

int mote_add_s8_dsp_supported(const mote_addsub_q_params *p,
                              const mote_bcast *bc) {
  (void)bc; /* every descriptor the reference walks */
  return p->left_shift >= 0 && p->left_shift <= 31;
}

void mote_add_s8_dsp(const mote_addsub_q_params *p, const mote_bcast *bc,
                     const int8_t *in1, const int8_t *in2, int8_t *out,
                     int32_t *tables) {
  add_ctx c;
  mote_requant_ch oc;
  mote_bcast_it it;
  int32_t n, s1, s2, rows, r, swap;
  if (bc->count <= 0) return;
  n = mote_bcast_row_len(bc);
  s1 = bc->stride1[bc->ndim - 1];
  s2 = bc->stride2[bc->ndim - 1];
  /* Input 1 broadcast along the rows, input 2 not: swap the roles (the
   * sum is symmetric once both are rescaled), so that "a" below is the
   * contiguous one. */
  swap = s1 == 0 && s2 == 1;
  c.r1 = in_rq(swap ? p->in2_mult : p->in1_mult,
               swap ? p->in2_shift : p->in1_shift);
  c.r2 = in_rq(swap ? p->in1_mult : p->in2_mult,
               swap ? p->in1_shift : p->in2_shift);
  c.off1 = swap ? p->in2_offset : p->in1_offset;
  c.off2 = swap ? p->in1_offset : p->in2_offset;
  c.ro = in_rq(p->out_mult, p->out_shift);
  oc.mult = NULL;
  oc.shift = NULL;
  oc.mult0 = p->out_mult;
  oc.shift0 = p->out_shift > 0 ? 0 : p->out_shift;
  mote_dsp_rqw_fill_zo(&c.w, &oc, 1, p->out_offset);
  c.ls = p->left_shift;
  c.zo = p->out_offset;
  c.lo = p->act_min;
  c.hi = p->act_max;
  c.t1 = NULL;
  c.t2 = NULL;
  if (tables && bc->count >= ADD_TABLE_MIN) {
    int32_t u;
    for (u = 0; u < 256; u++) {
      const int32_t q = (int32_t)(int8_t)(uint8_t)u;
      tables[u] = in_scale(&c.r1, q, c.off1, c.ls);
      tables[256 + u] = in_scale(&c.r2, q, c.off2, c.ls);
    }
    c.t1 = tables;
    c.t2 = tables + 256;
  }
  rows = bc->count / n;
  mote_bcast_begin(&it);
  for (r = 0; r < rows; r++) {
    if (swap)
      add_row(&c, in2 + it.o2, s2, in1 + it.o1, s1, out, n);
    else
      add_row(&c, in1 + it.o1, s1, in2 + it.o2, s2, out, n);
    out += n;
    mote_bcast_next_row(bc, &it);
  }
}

#else
/* No DSP extension: no code here (ISO C wants one declaration). */
typedef int mote_dsp_add_s8_unused;
#endif /* MOTE_HAVE_ARM_DSP */
