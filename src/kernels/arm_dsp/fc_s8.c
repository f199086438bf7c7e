/*
** FULLY_CONNECTED int8 for the Cortex-M DSP extension.
**
** Method: each input row is split once per call into scratch as int16
** lanes with the input offset added (per 4 inputs one word of lanes 0, 2
** and one of lanes 1, 3; SXTAB16), so the inner loop loads two ready words
** with one LDRD. Four units share them: per 4 inputs and unit one weight
** word, two SXTB16 and two SMLAD, every value in a register (assembly: the
** loop needs all 14 allocatable registers).
**
** The weight zero point is folded out of the loop: sum_k (x_k + xo) *
** (w_k + wo) = sum_k (x_k + xo) * w_k + wo * sum_k (x_k + xo), the second
** term the same for every unit, computed once per row. The reference
** accumulates in int32 with wrap-around, so equal modulo 2^32 means equal:
** the fold, and any order of the additions, are bit-exact.
**
** Requantization: the fast exact form of dsp_common.h (one SMLAL and a
** shift, output offset folded into the rounding constant), decoded once per
** call when every unit shares it, once per unit otherwise; other
** multipliers and shifts take the general exact path.
*/
#include "arm_dsp.h"

#if defined(MOTE_HAVE_ARM_DSP)
#include "dsp_common.h"

size_t mote_fc_s8_dsp_scratch(const mote_fc_dims *n) {
  return (size_t)n->depth * sizeof(int16_t) + 4u;
}

/*
** One group of 4 inputs for 4 units (weight rows w0..w3; the input words
** at xp: lanes 0, 2 then 1, 3): LDRD, 4 LDR, 8 SXTB16, 8 SMLAD for 16
** products.
*/
#define MOTE_FC_G4(w, a)              \
  "ldr %[wv], [%[" w                  \
  "]], #4\n\t"                        \
  "sxtb16 %[t], %[wv]\n\t"            \
  "smlad %[" a "], %[xe], %[t], %[" a \
  "]\n\t"                             \
  "sxtb16 %[t], %[wv], ror #8\n\t"    \
  "smlad %[" a "], %[xd], %[t], %[" a "]\n\t"
#define MOTE_FC_G                                             \
  "ldrd %[xe], %[xd], [%[xp]], #8\n\t" MOTE_FC_G4("w0", "a0") \
      MOTE_FC_G4("w1", "a1") MOTE_FC_G4("w2", "a2") MOTE_FC_G4("w3", "a3")

/* *pa0..*pa3 += the products of the g >= 1 groups of 4 inputs at xs with
 * the rows at w (stride d); two groups per loop iteration. */
static inline __attribute__((always_inline)) void dot4(
    const int8_t *w, int32_t d, const int32_t *xs, int32_t g, int32_t *pa0,
    int32_t *pa1, int32_t *pa2, int32_t *pa3) {
  const int8_t *w0 = w, *w1 = w + d, *w2 = w1 + d, *w3 = w2 + d;
  const int32_t *xp = xs;
  int32_t pairs = g >> 1;
  int32_t a0 = *pa0, a1 = *pa1, a2 = *pa2, a3 = *pa3;
  int32_t xe, xd, wv, t;
  if (g & 1)
    __asm__(MOTE_FC_G
            : [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3),
              [w0] "+r"(w0), [w1] "+r"(w1), [w2] "+r"(w2), [w3] "+r"(w3),
              [xp] "+r"(xp), [xe] "=&r"(xe), [xd] "=&r"(xd), [wv] "=&r"(wv),
              [t] "=&r"(t)
            :
            : "memory");
  if (pairs)
    __asm__("1:\n\t" MOTE_FC_G MOTE_FC_G
            "subs %[n], %[n], #1\n\t"
            "bne 1b\n\t"
            : [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3),
              [w0] "+r"(w0), [w1] "+r"(w1), [w2] "+r"(w2), [w3] "+r"(w3),
              [xp] "+r"(xp), [xe] "=&r"(xe), [xd] "=&r"(xd), [wv] "=&r"(wv),
              [n] "+r"(pairs), [t] "=&r"(t)
            :
            : "cc", "memory");
  *pa0 = a0;
  *pa1 = a1;
  *pa2 = a2;
  *pa3 = a3;
}

/* One unit's sum over the split row xs (g groups, then the tail of r
 * int16 values xt), weights w, plus acc. */
static int32_t dot1(const int8_t *w, const int32_t *xs, int32_t g,
                    const int16_t *xt, int32_t r, int32_t acc) {
  int32_t j;
  for (j = 0; j < g; j++) {
    const int32_t wv = mote_dsp_ld32(w + 4 * j);
    acc = __smlad((int16x2_t)xs[2 * j], (int16x2_t)__sxtb16((int8x4_t)wv), acc);
    acc = __smlad((int16x2_t)xs[2 * j + 1], (int16x2_t)mote_dsp_sxtb16_ror8(wv),
                  acc);
  }
  for (j = 0; j < r; j++)
    acc = (int32_t)((uint32_t)acc +
                    (uint32_t)((int32_t)xt[j] * (int32_t)w[4 * g + j]));
  return acc;
}

/* t decoded for unit c (fast form with the output offset, or sh = -1). */
static void fc_rqw(mote_dsp_rqw *t, const mote_fc_q_params *p, int32_t c) {
  mote_requant_ch one;
  one.mult = NULL;
  one.shift = NULL;
  one.mult0 = mote_requant_mult(&p->rq, c);
  one.shift0 = mote_requant_shift(&p->rq, c);
  (void)mote_dsp_rqw_fill_zo(t, &one, 1, p->output_offset);
}

/* Requantization of unit c's sum a: the folded fast form when t.sh >= 0
 * (t decoded for c), else the general exact path. */
static inline __attribute__((always_inline)) int8_t fc_rq(
    mote_dsp_rqw t, const mote_fc_q_params *p, int32_t c, int32_t a, int32_t lo,
    int32_t hi) {
  if (t.sh >= 0) {
    const int32_t v = mote_dsp_rqw_fast(&t, a);
    return (int8_t)(v < lo ? lo : (v > hi ? hi : v));
  }
  return mote_dsp_requant(a, &p->rq, c, p->output_offset, lo, hi);
}

/* Units u..u+3 of one row (split at xs, tail xt), sums started at cst
 * plus the bias, requantized into y[u..u+3]. */
static inline __attribute__((always_inline)) void block4(
    const mote_fc_q_params *p, const int8_t *w, int32_t d, const int32_t *xs,
    const int16_t *xt, const int32_t *bias, int32_t cst, int32_t u,
    const mote_dsp_rqw *tu, int8_t *y) {
  const int32_t g = d >> 2, r = d & 3;
  const int32_t lo = p->act_min, hi = p->act_max;
  int32_t a0 = cst, a1 = cst, a2 = cst, a3 = cst;
  if (bias) {
    a0 = (int32_t)((uint32_t)a0 + (uint32_t)bias[u]);
    a1 = (int32_t)((uint32_t)a1 + (uint32_t)bias[u + 1]);
    a2 = (int32_t)((uint32_t)a2 + (uint32_t)bias[u + 2]);
    a3 = (int32_t)((uint32_t)a3 + (uint32_t)bias[u + 3]);
  }
  if (g) dot4(w, d, xs, g, &a0, &a1, &a2, &a3);
  if (r) {
    const int8_t *wt = w + 4 * g;
    a0 = dot1(wt, xs, 0, xt, r, a0);
    a1 = dot1(wt + d, xs, 0, xt, r, a1);
    a2 = dot1(wt + 2 * d, xs, 0, xt, r, a2);
    a3 = dot1(wt + 3 * d, xs, 0, xt, r, a3);
  }
  if (tu) { /* every unit shares *tu */
    const mote_dsp_rqw t = *tu;
    y[u] = fc_rq(t, p, u, a0, lo, hi);
    y[u + 1] = fc_rq(t, p, u + 1, a1, lo, hi);
    y[u + 2] = fc_rq(t, p, u + 2, a2, lo, hi);
    y[u + 3] = fc_rq(t, p, u + 3, a3, lo, hi);
  } else {
    mote_dsp_rqw t;
    fc_rqw(&t, p, u);
    y[u] = fc_rq(t, p, u, a0, lo, hi);
    fc_rqw(&t, p, u + 1);
    y[u + 1] = fc_rq(t, p, u + 1, a1, lo, hi);
    fc_rqw(&t, p, u + 2);
    y[u + 2] = fc_rq(t, p, u + 2, a2, lo, hi);
    fc_rqw(&t, p, u + 3);
    y[u + 3] = fc_rq(t, p, u + 3, a3, lo, hi);
  }
}

void mote_fc_s8_dsp(const mote_fc_dims *n, const mote_fc_q_params *p,
                    const int8_t *input, const int8_t *weights,
                    const int32_t *bias, int8_t *output, int16_t *scratch) {
  const int32_t d = n->depth, units = n->units;
  const int32_t g = d >> 2, r = d & 3;
  const int32_t xo2 = mote_dsp_dup16(p->input_offset);
  const int uniform = !p->rq.mult && !p->rq.shift;
  int32_t *xs = (int32_t *)(void *)scratch;
  const int16_t *xt = scratch + 4 * g;
  mote_dsp_rqw t0;
  int32_t b, u, j;
  fc_rqw(&t0, p, 0);
  for (b = 0; b < n->batches; b++) {
    const int8_t *x = input + b * d;
    int8_t *y = output + b * units;
    uint32_t sx = 0; /* sum of x + xo, modulo 2^32 */
    int32_t cst;
    for (j = 0; j < g; j++) {
      const int32_t xv = mote_dsp_ld32(x + 4 * j);
      xs[2 * j] = mote_dsp_even(xo2, xv);
      xs[2 * j + 1] = mote_dsp_odd(xo2, xv);
    }
    for (j = 0; j < r; j++)
      scratch[4 * g + j] = (int16_t)(x[4 * g + j] + p->input_offset);
    if (p->filter_offset) {
      for (j = 0; j < 2 * g; j++)
        sx = (uint32_t)__smlad((int16x2_t)xs[j], (int16x2_t)0x00010001,
                               (int32_t)sx);
      for (j = 0; j < r; j++) sx += (uint32_t)(int32_t)xt[j];
    }
    cst = (int32_t)(sx * (uint32_t)p->filter_offset);
    for (u = 0; u + 4 <= units; u += 4)
      block4(p, weights + u * d, d, xs, xt, bias, cst, u, uniform ? &t0 : NULL,
             y);
    for (; u < units; u++) {
      mote_dsp_rqw t = t0;
      int32_t a = (int32_t)((uint32_t)(bias ? bias[u] : 0) + (uint32_t)cst);
      a = dot1(weights + u * d, xs, g, xt, r, a);
      if (!uniform) fc_rqw(&t, p, u);
      y[u] = fc_rq(t, p, u, a, p->act_min, p->act_max);
    }
  }
}

#else
/* No DSP extension: no code here (ISO C wants one declaration). */
typedef int mote_dsp_fc_s8_unused;
#endif
