/*
** CONV_2D int8 for the Cortex-M DSP extension. Two output pixels at a time
** are gathered (im2col) into int16 rows that already hold input + input
** offset (padding stays 0), in the lane order __sxtb16 gives the weights:
** each group of 4 columns k..k+3 is stored as k, k+2, k+1, k+3. Then two
** output channels x two pixels accumulate with __smlad on 16-bit pairs.
** The two pixels' rows are interleaved per group of 4 columns (A k,k+2;
** A k+1,k+3; B k,k+2; B k+1,k+3: one pointer walks both); the K % 4 tail
** columns follow in natural order, pixel A's then pixel B's.
** Where depth % 4 == 0, a bias and the folded requantization allow it,
** pixels go 8 at a time instead (mat1p_fast: 1 channel x 8 pixels, the
** rows then hold 8 slots with the same per-group layout, 2 words per
** slot), then one block of 4 if 4 or more are left, the rest 2 at a time.
** The 1x1 fast path is the same gather reduced to one contiguous
** __sxtab16 copy per pixel (reading the int8 input in place instead was
** measured slower: the expansion then repeats for every channel pair).
*/
#include "arm_dsp.h"

#if defined(MOTE_HAVE_ARM_DSP)
#include "dsp_common.h"

/* Pixels per block of the one-channel path (mat1p_fast). */
#define MOTE_DSP_P8 8 /* gathered rows it needs */

int mote_conv2d_s8_dsp_supported(const mote_conv_geom *g) {
  return g->filt_in_c == g->in_c; /* one group */
}

static int32_t depth(const mote_conv_geom *g) {
  return g->filt_h * g->filt_w * g->filt_in_c;
}

size_t mote_conv2d_s8_dsp_scratch(const mote_conv_geom *g) {
  if (!mote_conv2d_s8_dsp_supported(g)) return 0;
  /* Six gathered rows where the 1 x 6 block can run (depth % 4 == 0). */
  const size_t rows = (depth(g) & 3) == 0 ? MOTE_DSP_P8 : 2;
  return rows * (size_t)depth(g) * sizeof(int16_t) +
         (size_t)g->out_c * sizeof(mote_dsp_rqw);
}

/* Where column k of pixel slot s (0..S-1 of S slots) goes (see the file
 * comment). */
static inline int32_t slot_pos(int32_t k, int32_t s, int32_t S, int32_t K,
                               int32_t k4) {
  static const int8_t lane[4] = {0, 2, 1, 3};
  if (k >= k4) return S * k4 + s * (K - k4) + (k - k4);
  return 4 * S * (k >> 2) + 4 * s + lane[k & 3];
}

/* Columns k..k+n-1 of pixel slot s: src[0..n) + off, or zeros (src
 * NULL). Whole aligned groups of 4 (k % 4 == 0, below k4) take one word
 * load and two SXTAB16; the rest go one by one through slot_pos. */
static void put_run(int16_t *cols, int32_t s, int32_t S, int32_t K, int32_t k4,
                    int32_t k, const int8_t *src, int32_t n, int32_t off) {
  const int32_t off2 = mote_dsp_dup16(off);
  int32_t i = 0;
  for (; i < n && (k & 3) && k < k4; i++, k++)
    cols[slot_pos(k, s, S, K, k4)] = (int16_t)(src ? (int32_t)src[i] + off : 0);
  if (k < k4) {
    int32_t *dst = (int32_t *)(void *)cols + 2 * S * (k >> 2) + 2 * s;
    for (; i + 4 <= n && k < k4; i += 4, k += 4, dst += 2 * S) {
      if (src) {
        const int32_t x = mote_dsp_ld32(src + i);
        dst[0] = mote_dsp_even(off2, x);
        dst[1] = mote_dsp_odd(off2, x);
      } else {
        dst[0] = 0;
        dst[1] = 0;
      }
    }
  }
  for (; i < n; i++, k++)
    cols[slot_pos(k, s, S, K, k4)] = (int16_t)(src ? (int32_t)src[i] + off : 0);
}

/* Gather the receptive field of output pixel (oy, ox) of one image into
 * pixel slot s of the interleaved rows. */
static void gather(const mote_conv_geom *g, const int8_t *img, int32_t oy,
                   int32_t ox, int32_t off, int16_t *cols, int32_t s,
                   int32_t S) {
  const int32_t fc = g->in_c;
  const int32_t iy0 = oy * g->stride_h - g->pad_h;
  const int32_t ix0 = ox * g->stride_w - g->pad_w;
  int32_t fy, fx, c;
  if ((fc & 3) == 0) {
    const int32_t off2 = mote_dsp_dup16(off);
    int32_t *dst = (int32_t *)(void *)cols + 2 * s;
    for (fy = 0; fy < g->filt_h; fy++) {
      const int32_t iy = iy0 + g->dil_h * fy;
      for (fx = 0; fx < g->filt_w; fx++) {
        const int32_t ix = ix0 + g->dil_w * fx;
        if (iy < 0 || iy >= g->in_h || ix < 0 || ix >= g->in_w) {
          for (c = 0; c < fc; c += 4) {
            dst[0] = 0;
            dst[1] = 0;
            dst += 2 * S;
          }
          continue;
        }
        const int8_t *ip = img + (iy * g->in_w + ix) * fc;
        for (c = 0; c < fc; c += 4) {
          const int32_t x = mote_dsp_ld32(ip + c);
          dst[0] = mote_dsp_even(off2, x);
          dst[1] = mote_dsp_odd(off2, x);
          dst += 2 * S;
        }
      }
    }
  } else {
    /* Filter rows as runs of columns: with dilation 1 a row is at most
     * three runs (left padding, input bytes contiguous in memory, right
     * padding), each copied by put_run; else one run per filter tap. */
    const int32_t K = depth(g), k4 = K & ~(int32_t)3;
    const int32_t fw = g->filt_w, L = fw * fc;
    int32_t k = 0;
    for (fy = 0; fy < g->filt_h; fy++, k += L) {
      const int32_t iy = iy0 + g->dil_h * fy;
      if (iy < 0 || iy >= g->in_h) {
        put_run(cols, s, S, K, k4, k, NULL, L, 0);
        continue;
      }
      const int8_t *row = img + iy * g->in_w * fc;
      if (g->dil_w == 1) {
        const int32_t a = ix0 >= 0 ? 0 : (-ix0 < fw ? -ix0 : fw);
        int32_t e = g->in_w - ix0;
        if (e > fw) e = fw;
        if (e < a) e = a;
        put_run(cols, s, S, K, k4, k, NULL, a * fc, 0);
        put_run(cols, s, S, K, k4, k + a * fc, row + (ix0 + a) * fc,
                (e - a) * fc, off);
        put_run(cols, s, S, K, k4, k + e * fc, NULL, (fw - e) * fc, 0);
        continue;
      }
      for (fx = 0; fx < fw; fx++) {
        const int32_t ix = ix0 + g->dil_w * fx;
        const int inside = ix >= 0 && ix < g->in_w;
        put_run(cols, s, S, K, k4, k + fx * fc, inside ? row + ix * fc : NULL,
                fc, off);
      }
    }
  }
}

/*
** One group of 4 columns for 2 channels (weight rows p0, p1) x 2 pixels
** (gathered words at c: A k,k+2; A k+1,k+3; B ...; B ...), every pointer
** post-incremented: 2 LDR + 2 LDRD + 4 SXTB16 + 8 SMLAD for 16 products.
*/
#define MOTE_DSP_G22                     \
  "ldr %[t4], [%[p0]], #4\n\t"           \
  "ldrd %[t0], %[t1], [%[c]], #8\n\t"    \
  "sxtb16 %[t5], %[t4]\n\t"              \
  "sxtb16 %[t4], %[t4], ror #8\n\t"      \
  "smlad %[a0], %[t5], %[t0], %[a0]\n\t" \
  "smlad %[a0], %[t4], %[t1], %[a0]\n\t" \
  "ldrd %[t2], %[t3], [%[c]], #8\n\t"    \
  "smlad %[a1], %[t5], %[t2], %[a1]\n\t" \
  "smlad %[a1], %[t4], %[t3], %[a1]\n\t" \
  "ldr %[t4], [%[p1]], #4\n\t"           \
  "sxtb16 %[t5], %[t4]\n\t"              \
  "sxtb16 %[t4], %[t4], ror #8\n\t"      \
  "smlad %[a2], %[t5], %[t0], %[a2]\n\t" \
  "smlad %[a2], %[t4], %[t1], %[a2]\n\t" \
  "smlad %[a3], %[t5], %[t2], %[a3]\n\t" \
  "smlad %[a3], %[t4], %[t3], %[a3]\n\t"

/*
** acc[0..3] (channel 0 pixel A, channel 0 B, channel 1 A, channel 1 B) +=
** the products of n >= 1 groups of 4 columns; *pw0, *pw1, *pc advance. In
** assembly: the loop needs all 14 allocatable registers (4 sums, 3
** pointers, the count, 6 temporaries), where GCC spilled in C; two groups
** per iteration halve the loop overhead.
*/
static inline __attribute__((always_inline)) void dot2x2(const int8_t **pw0,
                                                         const int8_t **pw1,
                                                         const int32_t **pc,
                                                         int32_t n,
                                                         int32_t acc[4]) {
  const int8_t *p0 = *pw0, *p1 = *pw1;
  const int32_t *c = *pc;
  int32_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
  int32_t t0, t1, t2, t3, t4, t5;
  if (n & 1) {
    __asm__(MOTE_DSP_G22
            : [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3),
              [p0] "+r"(p0), [p1] "+r"(p1), [c] "+r"(c), [t0] "=&r"(t0),
              [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3), [t4] "=&r"(t4),
              [t5] "=&r"(t5)
            :
            : "memory");
  }
  n >>= 1;
  if (n) {
    __asm__("1:\n\t" MOTE_DSP_G22 MOTE_DSP_G22
            "subs %[n], %[n], #1\n\t"
            "bne 1b\n\t"
            : [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3),
              [p0] "+r"(p0), [p1] "+r"(p1), [c] "+r"(c), [n] "+r"(n),
              [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3),
              [t4] "=&r"(t4), [t5] "=&r"(t5)
            :
            : "cc", "memory");
  }
  *pw0 = p0;
  *pw1 = p1;
  *pc = c;
  acc[0] = a0;
  acc[1] = a1;
  acc[2] = a2;
  acc[3] = a3;
}

/*
** mat2 when every channel's requantization is in the folded fast case
** (mote_dsp_rqw_fill_zo): the four sums of a block are requantized inline
** from the channel words, saturated by SSAT when the clamp is the full
** int8 range (full, a constant in each copy), else clamped to [lo, hi].
*/
static inline __attribute__((always_inline)) void mat2_fast(
    const mote_conv_geom *g, const mote_conv_q_params *p, const int8_t *filter,
    const int32_t *bias, const int16_t *cols, const mote_dsp_rqw *rqw,
    int8_t *oa, int8_t *ob, const int full) {
  const int32_t K = depth(g);
  const int32_t k4 = K & ~(int32_t)3;
  const int32_t n = g->out_c;
  const int32_t lo = p->act_min, hi = p->act_max;
  const int32_t *cw = (const int32_t *)(const void *)cols;
  const int16_t *ta = cols + 2 * k4, *tb = ta + (K - k4);
  const int8_t *w0 = filter;
  int32_t oc, k, v;
  if (!ob) ob = oa; /* one pixel: the second slot repeats it */
#define MOTE_DSP_PUT(dst, x)               \
  do {                                     \
    v = (x);                               \
    if (full)                              \
      v = mote_dsp_ssat8(v);               \
    else                                   \
      v = v < lo ? lo : (v > hi ? hi : v); \
    (dst) = (int8_t)v;                     \
  } while (0)
  for (oc = 0; oc + 1 < n; oc += 2) {
    const int8_t *w1 = w0 + K;
    int32_t acc[4];
    acc[0] = acc[1] = bias ? bias[oc] : 0;
    acc[2] = acc[3] = bias ? bias[oc + 1] : 0;
    const int32_t *c = cw;
    if (k4) dot2x2(&w0, &w1, &c, k4 >> 2, acc);
    for (k = 0; k < K - k4; k++) {
      const uint32_t x0 = (uint32_t)ta[k], x1 = (uint32_t)tb[k];
      acc[0] = (int32_t)((uint32_t)acc[0] + (uint32_t)w0[k] * x0);
      acc[1] = (int32_t)((uint32_t)acc[1] + (uint32_t)w0[k] * x1);
      acc[2] = (int32_t)((uint32_t)acc[2] + (uint32_t)w1[k] * x0);
      acc[3] = (int32_t)((uint32_t)acc[3] + (uint32_t)w1[k] * x1);
    }
    const mote_dsp_rqw r0 = rqw[oc], r1 = rqw[oc + 1]; /* see mat1p_fast */
    MOTE_DSP_PUT(oa[oc], mote_dsp_rqw_fast(&r0, acc[0]));
    MOTE_DSP_PUT(ob[oc], mote_dsp_rqw_fast(&r0, acc[1]));
    MOTE_DSP_PUT(oa[oc + 1], mote_dsp_rqw_fast(&r1, acc[2]));
    MOTE_DSP_PUT(ob[oc + 1], mote_dsp_rqw_fast(&r1, acc[3]));
    w0 = filter + (oc + 2) * K;
  }
  if (oc < n) {
    int32_t a0 = bias ? bias[oc] : 0;
    int32_t a1 = a0;
    const int32_t *c = cw;
    const int32_t *cend = cw + k4;
    while (c < cend) {
      const int32_t wa = mote_dsp_ld32(w0);
      const int32_t we = (int32_t)__sxtb16((int8x4_t)wa);
      const int32_t wo = mote_dsp_sxtb16_ror8(wa);
      a0 = __smlad((int16x2_t)we, (int16x2_t)c[0], a0);
      a1 = __smlad((int16x2_t)we, (int16x2_t)c[2], a1);
      a0 = __smlad((int16x2_t)wo, (int16x2_t)c[1], a0);
      a1 = __smlad((int16x2_t)wo, (int16x2_t)c[3], a1);
      w0 += 4;
      c += 4;
    }
    for (k = 0; k < K - k4; k++) {
      a0 = (int32_t)((uint32_t)a0 + (uint32_t)w0[k] * (uint32_t)ta[k]);
      a1 = (int32_t)((uint32_t)a1 + (uint32_t)w0[k] * (uint32_t)tb[k]);
    }
    MOTE_DSP_PUT(oa[oc], mote_dsp_rqw_fast(rqw + oc, a0));
    MOTE_DSP_PUT(ob[oc], mote_dsp_rqw_fast(rqw + oc, a1));
  }
#undef MOTE_DSP_PUT
}

/*
** mat2_fast for K % 4 == 0 with a bias and an even channel count (every
** 1x1 and most other layers): the walk is pointers only (the second
** weight row ends where the next pair starts, outputs, bias and
** requantization words advance by 2), so little stays live across the
** assembly block beside them.
*/
static inline __attribute__((always_inline)) void mat2_slim(
    const mote_conv_geom *g, const int8_t *filter, const int32_t *bias,
    const int16_t *cols, const mote_dsp_rqw *t, int8_t *pa, int8_t *pb,
    int32_t lo, int32_t hi, const int full) {
  const int32_t K = depth(g), n4 = K >> 2;
  const int32_t *cw = (const int32_t *)(const void *)cols;
  const int8_t *w0 = filter;
  const int8_t *const wend = filter + g->out_c * K;
  int32_t v;
#define MOTE_DSP_PUT(dst, x)               \
  do {                                     \
    v = (x);                               \
    if (full)                              \
      v = mote_dsp_ssat8(v);               \
    else                                   \
      v = v < lo ? lo : (v > hi ? hi : v); \
    (dst) = (int8_t)v;                     \
  } while (0)
  do {
    const int8_t *w1 = w0 + K;
    const int32_t *c = cw;
    int32_t acc[4];
    acc[0] = acc[1] = bias[0];
    acc[2] = acc[3] = bias[1];
    bias += 2;
    dot2x2(&w0, &w1, &c, n4, acc);
    w0 = w1;
    MOTE_DSP_PUT(pa[0], mote_dsp_rqw_fast(t, acc[0]));
    MOTE_DSP_PUT(pb[0], mote_dsp_rqw_fast(t, acc[1]));
    MOTE_DSP_PUT(pa[1], mote_dsp_rqw_fast(t + 1, acc[2]));
    MOTE_DSP_PUT(pb[1], mote_dsp_rqw_fast(t + 1, acc[3]));
    pa += 2;
    pb += 2;
    t += 2;
  } while (w0 < wend);
#undef MOTE_DSP_PUT
}

/*
** One group of 4 columns for 1 channel (weight row p) x 8 pixels (their
** gathered words at c, 2 per pixel: k,k+2 then k+1,k+3): 1 LDR + 2 SXTB16
** + 8 LDRD + 16 SMLAD for 32 products: 27 instructions, against 32 for
** two groups of the 2 x 2 block (4 LDR + 8 SXTB16 + 4 LDRD + 16 SMLAD):
** a sign-extended weight word feeds 16 SMLADs instead of 4, paid for by
** loading each pixel word pair once per channel instead of per pair.
** Same products as the reference, summed in int32
** (SMLAD wraps like the uint32 sums there), so the sums are bit-exact.
*/
#define MOTE_DSP_G16                     \
  "ldr %[w1], [%[p]], #4\n\t"            \
  "sxtb16 %[w0], %[w1]\n\t"              \
  "sxtb16 %[w1], %[w1], ror #8\n\t"      \
  "ldrd %[x0], %[x1], [%[c]], #8\n\t"    \
  "smlad %[a0], %[w0], %[x0], %[a0]\n\t" \
  "smlad %[a0], %[w1], %[x1], %[a0]\n\t" \
  "ldrd %[x0], %[x1], [%[c]], #8\n\t"    \
  "smlad %[a1], %[w0], %[x0], %[a1]\n\t" \
  "smlad %[a1], %[w1], %[x1], %[a1]\n\t" \
  "ldrd %[x0], %[x1], [%[c]], #8\n\t"    \
  "smlad %[a2], %[w0], %[x0], %[a2]\n\t" \
  "smlad %[a2], %[w1], %[x1], %[a2]\n\t" \
  "ldrd %[x0], %[x1], [%[c]], #8\n\t"    \
  "smlad %[a3], %[w0], %[x0], %[a3]\n\t" \
  "smlad %[a3], %[w1], %[x1], %[a3]\n\t" \
  "ldrd %[x0], %[x1], [%[c]], #8\n\t"    \
  "smlad %[a4], %[w0], %[x0], %[a4]\n\t" \
  "smlad %[a4], %[w1], %[x1], %[a4]\n\t" \
  "ldrd %[x0], %[x1], [%[c]], #8\n\t"    \
  "smlad %[a5], %[w0], %[x0], %[a5]\n\t" \
  "smlad %[a5], %[w1], %[x1], %[a5]\n\t" \
  "ldrd %[x0], %[x1], [%[c]], #8\n\t"    \
  "smlad %[a6], %[w0], %[x0], %[a6]\n\t" \
  "smlad %[a6], %[w1], %[x1], %[a6]\n\t" \
  "ldrd %[x0], %[x1], [%[c]], #8\n\t"    \
  "smlad %[a7], %[w0], %[x0], %[a7]\n\t" \
  "smlad %[a7], %[w1], %[x1], %[a7]\n\t"

/* The same for 4 pixels (the tail of the 8-pixel blocks). */
#define MOTE_DSP_G14                     \
  "ldr %[w1], [%[p]], #4\n\t"            \
  "sxtb16 %[w0], %[w1]\n\t"              \
  "sxtb16 %[w1], %[w1], ror #8\n\t"      \
  "ldrd %[x0], %[x1], [%[c]], #8\n\t"    \
  "smlad %[a0], %[w0], %[x0], %[a0]\n\t" \
  "smlad %[a0], %[w1], %[x1], %[a0]\n\t" \
  "ldrd %[x0], %[x1], [%[c]], #8\n\t"    \
  "smlad %[a1], %[w0], %[x0], %[a1]\n\t" \
  "smlad %[a1], %[w1], %[x1], %[a1]\n\t" \
  "ldrd %[x0], %[x1], [%[c]], #8\n\t"    \
  "smlad %[a2], %[w0], %[x0], %[a2]\n\t" \
  "smlad %[a2], %[w1], %[x1], %[a2]\n\t" \
  "ldrd %[x0], %[x1], [%[c]], #8\n\t"    \
  "smlad %[a3], %[w0], %[x0], %[a3]\n\t" \
  "smlad %[a3], %[w1], %[x1], %[a3]\n\t"

/*
** Every output channel of P = 8 or 4 gathered pixels (P slots, K % 4 ==
** 0, a bias, every channel in the folded fast requantization). For P = 8
** the loop holds 8 sums, 2 pointers and 4 temporaries: all 14 allocatable
** registers, so the end of the pixel words is compared from the stack
** (loaded into a temporary that is free at the end of an iteration); four
** groups per iteration cut that overhead (n4 % 4 groups go first: one
** block of 1, one of 2). Output pixel s of the block
** is at out + s * out_c.
*/
static inline __attribute__((always_inline)) void mat1p_fast(
    const mote_conv_geom *g, const int8_t *filter, const int32_t *bias,
    const int16_t *cols, const mote_dsp_rqw *t, int8_t *out, int32_t lo,
    int32_t hi, const int full, const int P) {
  const int32_t K = depth(g), n4 = K >> 2, nc = g->out_c;
  const int32_t *cw = (const int32_t *)(const void *)cols;
  const int8_t *p = filter;
  int32_t oc, v;
  for (oc = 0; oc < nc; oc++, t++) {
    const int32_t *c = cw;
    const int32_t *cend = cw + (P / 2) * K; /* 2 words x P slots per 4 k */
    int32_t a0 = bias[oc], a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
    int32_t a6 = a0, a7 = a0;
    int32_t w0, w1, x0, x1;
    if (P == 8) {
      if (n4 & 1) {
        __asm__(MOTE_DSP_G16
                : [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3),
                  [a4] "+r"(a4), [a5] "+r"(a5), [a6] "+r"(a6), [a7] "+r"(a7),
                  [p] "+r"(p), [c] "+r"(c), [w0] "=&r"(w0), [w1] "=&r"(w1),
                  [x0] "=&r"(x0), [x1] "=&r"(x1)
                :
                : "memory");
      }
      if (n4 & 2) {
        __asm__(MOTE_DSP_G16 MOTE_DSP_G16
                : [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3),
                  [a4] "+r"(a4), [a5] "+r"(a5), [a6] "+r"(a6), [a7] "+r"(a7),
                  [p] "+r"(p), [c] "+r"(c), [w0] "=&r"(w0), [w1] "=&r"(w1),
                  [x0] "=&r"(x0), [x1] "=&r"(x1)
                :
                : "memory");
      }
      if (n4 >> 2) {
        __asm__("1:\n\t" MOTE_DSP_G16 MOTE_DSP_G16 MOTE_DSP_G16 MOTE_DSP_G16
                "ldr %[x0], %[e]\n\t"
                "cmp %[c], %[x0]\n\t"
                "bne 1b\n\t"
                : [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3),
                  [a4] "+r"(a4), [a5] "+r"(a5), [a6] "+r"(a6), [a7] "+r"(a7),
                  [p] "+r"(p), [c] "+r"(c), [w0] "=&r"(w0), [w1] "=&r"(w1),
                  [x0] "=&r"(x0), [x1] "=&r"(x1)
                : [e] "m"(cend)
                : "cc", "memory");
      }
    } else {
      if (n4 & 1) {
        __asm__(MOTE_DSP_G14
                : [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3),
                  [p] "+r"(p), [c] "+r"(c), [w0] "=&r"(w0), [w1] "=&r"(w1),
                  [x0] "=&r"(x0), [x1] "=&r"(x1)
                :
                : "memory");
      }
      if (n4 >> 1) {
        __asm__("1:\n\t" MOTE_DSP_G14 MOTE_DSP_G14
                "cmp %[c], %[e]\n\t"
                "bne 1b\n\t"
                : [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3),
                  [p] "+r"(p), [c] "+r"(c), [w0] "=&r"(w0), [w1] "=&r"(w1),
                  [x0] "=&r"(x0), [x1] "=&r"(x1)
                : [e] "r"(cend)
                : "cc", "memory");
      }
    }
#define MOTE_DSP_PUT(dst, x)               \
  do {                                     \
    v = mote_dsp_rqw_fast(&r, x);          \
    if (full)                              \
      v = mote_dsp_ssat8(v);               \
    else                                   \
      v = v < lo ? lo : (v > hi ? hi : v); \
    (dst) = (int8_t)v;                     \
  } while (0)
    /* The channel's words in registers: the byte stores below could
     * alias the table, and would make GCC load them again each time. */
    const mote_dsp_rqw r = *t;
    int8_t *o = out + oc;
    MOTE_DSP_PUT(o[0], a0);
    MOTE_DSP_PUT(o[nc], a1);
    MOTE_DSP_PUT(o[2 * nc], a2);
    MOTE_DSP_PUT(o[3 * nc], a3);
    if (P == 8) {
      MOTE_DSP_PUT(o[4 * nc], a4);
      MOTE_DSP_PUT(o[5 * nc], a5);
      MOTE_DSP_PUT(o[6 * nc], a6);
      MOTE_DSP_PUT(o[7 * nc], a7);
    }
#undef MOTE_DSP_PUT
  }
}

/* The four instances of mat1p_fast. */
static void mat8_full(const mote_conv_geom *g, const int8_t *filter,
                      const int32_t *bias, const int16_t *cols,
                      const mote_dsp_rqw *t, int8_t *out) {
  mat1p_fast(g, filter, bias, cols, t, out, -128, 127, 1, 8);
}
static void mat8_clamp(const mote_conv_geom *g, const int8_t *filter,
                       const int32_t *bias, const int16_t *cols,
                       const mote_dsp_rqw *t, int8_t *out, int32_t lo,
                       int32_t hi) {
  mat1p_fast(g, filter, bias, cols, t, out, lo, hi, 0, 8);
}
static void mat4_full(const mote_conv_geom *g, const int8_t *filter,
                      const int32_t *bias, const int16_t *cols,
                      const mote_dsp_rqw *t, int8_t *out) {
  mat1p_fast(g, filter, bias, cols, t, out, -128, 127, 1, 4);
}
static void mat4_clamp(const mote_conv_geom *g, const int8_t *filter,
                       const int32_t *bias, const int16_t *cols,
                       const mote_dsp_rqw *t, int8_t *out, int32_t lo,
                       int32_t hi) {
  mat1p_fast(g, filter, bias, cols, t, out, lo, hi, 0, 4);
}

/* The two instances of mat2_fast. */
static void mat2_full(const mote_conv_geom *g, const mote_conv_q_params *p,
                      const int8_t *filter, const int32_t *bias,
                      const int16_t *cols, const mote_dsp_rqw *rqw, int8_t *oa,
                      int8_t *ob) {
  if (bias && (depth(g) & 3) == 0 && (g->out_c & 1) == 0)
    mat2_slim(g, filter, bias, cols, rqw, oa, ob ? ob : oa, p->act_min,
              p->act_max, 1);
  else
    mat2_fast(g, p, filter, bias, cols, rqw, oa, ob, 1);
}
static void mat2_clamp(const mote_conv_geom *g, const mote_conv_q_params *p,
                       const int8_t *filter, const int32_t *bias,
                       const int16_t *cols, const mote_dsp_rqw *rqw, int8_t *oa,
                       int8_t *ob) {
  mat2_fast(g, p, filter, bias, cols, rqw, oa, ob, 0);
}

/* All output channels of the two gathered pixels (ob NULL: only the
 * first). */
static void mat2(const mote_conv_geom *g, const mote_conv_q_params *p,
                 const int8_t *filter, const int32_t *bias, const int16_t *cols,
                 const mote_dsp_rqw *rqw, int8_t *oa, int8_t *ob) {
  const int32_t K = depth(g);
  const int32_t k4 = K & ~(int32_t)3;
  const int32_t n = g->out_c;
  const int32_t lo = p->act_min, hi = p->act_max, zo = p->output_offset;
  const int32_t *cw = (const int32_t *)(const void *)cols;
  const int32_t *cend = cw + k4; /* 4 words per 4 columns */
  const int16_t *ta = cols + 2 * k4, *tb = ta + (K - k4);
  int32_t oc, k;
  for (oc = 0; oc + 1 < n; oc += 2) {
    const int8_t *w0 = filter + oc * K;
    const int8_t *w1 = w0 + K;
    int32_t a0 = bias ? bias[oc] : 0, a2 = bias ? bias[oc + 1] : 0;
    int32_t a1 = a0, a3 = a2;
    const int32_t *c = cw;
    if (k4) {
      int32_t acc[4];
      acc[0] = a0;
      acc[1] = a1;
      acc[2] = a2;
      acc[3] = a3;
      dot2x2(&w0, &w1, &c, k4 >> 2, acc);
      a0 = acc[0];
      a1 = acc[1];
      a2 = acc[2];
      a3 = acc[3];
    }
    for (k = 0; k < K - k4; k++) {
      const uint32_t x0 = (uint32_t)ta[k], x1 = (uint32_t)tb[k];
      a0 = (int32_t)((uint32_t)a0 + (uint32_t)w0[k] * x0);
      a1 = (int32_t)((uint32_t)a1 + (uint32_t)w0[k] * x1);
      a2 = (int32_t)((uint32_t)a2 + (uint32_t)w1[k] * x0);
      a3 = (int32_t)((uint32_t)a3 + (uint32_t)w1[k] * x1);
    }
    oa[oc] = mote_dsp_rqw_apply(rqw + oc, &p->rq, oc, a0, zo, lo, hi);
    oa[oc + 1] =
        mote_dsp_rqw_apply(rqw + oc + 1, &p->rq, oc + 1, a2, zo, lo, hi);
    if (ob) {
      ob[oc] = mote_dsp_rqw_apply(rqw + oc, &p->rq, oc, a1, zo, lo, hi);
      ob[oc + 1] =
          mote_dsp_rqw_apply(rqw + oc + 1, &p->rq, oc + 1, a3, zo, lo, hi);
    }
  }
  if (oc < n) {
    const int8_t *w0 = filter + oc * K;
    int32_t a0 = bias ? bias[oc] : 0;
    int32_t a1 = a0;
    const int32_t *c = cw;
    while (c < cend) {
      const int32_t wa = mote_dsp_ld32(w0);
      const int32_t we = (int32_t)__sxtb16((int8x4_t)wa);
      const int32_t wo = mote_dsp_sxtb16_ror8(wa);
      a0 = __smlad((int16x2_t)we, (int16x2_t)c[0], a0);
      a1 = __smlad((int16x2_t)we, (int16x2_t)c[2], a1);
      a0 = __smlad((int16x2_t)wo, (int16x2_t)c[1], a0);
      a1 = __smlad((int16x2_t)wo, (int16x2_t)c[3], a1);
      w0 += 4;
      c += 4;
    }
    for (k = 0; k < K - k4; k++) {
      a0 = (int32_t)((uint32_t)a0 + (uint32_t)w0[k] * (uint32_t)ta[k]);
      a1 = (int32_t)((uint32_t)a1 + (uint32_t)w0[k] * (uint32_t)tb[k]);
    }
    oa[oc] = mote_dsp_rqw_apply(rqw + oc, &p->rq, oc, a0, zo, lo, hi);
    if (ob) ob[oc] = mote_dsp_rqw_apply(rqw + oc, &p->rq, oc, a1, zo, lo, hi);
  }
}

void mote_conv2d_s8_dsp(const mote_conv_geom *g, const mote_conv_q_params *p,
                        const int8_t *input, const int8_t *filter,
                        const int32_t *bias, int8_t *output, int16_t *scratch) {
  const int32_t per_img = g->out_h * g->out_w;
  const int32_t total = g->batches * per_img;
  const int32_t img_len = g->in_h * g->in_w * g->in_c;
  /* The requantization table follows the gathered rows (6 of them where
   * depth % 4 == 0, see mote_conv2d_s8_dsp_scratch). */
  const size_t rows = (depth(g) & 3) == 0 ? MOTE_DSP_P8 : 2;
  mote_dsp_rqw *rqw =
      (mote_dsp_rqw *)(void *)(scratch + rows * (size_t)depth(g));
  int32_t i;
  /* Every channel in the folded fast case (all real models): the inline
   * requantization; else the general one per channel. */
  const int fast =
      mote_dsp_rqw_fill_zo(rqw, &p->rq, g->out_c, p->output_offset);
  const int full = p->act_min == -128 && p->act_max == 127;
  if (!fast) mote_dsp_rqw_fill(rqw, &p->rq, g->out_c);
  i = 0;
  if (fast && bias && (depth(g) & 3) == 0) {
    /* Blocks of 8 pixels (the rows then hold 8 slots), one of 4, the rest
     * 2 at a time below. */
    for (; i + 8 <= total; i += 8) {
      int32_t s;
      for (s = 0; s < 8; s++) {
        const int32_t b = (i + s) / per_img, r = i + s - b * per_img;
        gather(g, input + b * img_len, r / g->out_w, r % g->out_w,
               p->input_offset, scratch, s, 8);
      }
      if (full)
        mat8_full(g, filter, bias, scratch, rqw, output + i * g->out_c);
      else
        mat8_clamp(g, filter, bias, scratch, rqw, output + i * g->out_c,
                   p->act_min, p->act_max);
    }
    if (i + 4 <= total) {
      int32_t s;
      for (s = 0; s < 4; s++) {
        const int32_t b = (i + s) / per_img, r = i + s - b * per_img;
        gather(g, input + b * img_len, r / g->out_w, r % g->out_w,
               p->input_offset, scratch, s, 4);
      }
      if (full)
        mat4_full(g, filter, bias, scratch, rqw, output + i * g->out_c);
      else
        mat4_clamp(g, filter, bias, scratch, rqw, output + i * g->out_c,
                   p->act_min, p->act_max);
      i += 4;
    }
  }
  for (; i < total; i += 2) {
    const int32_t j = i + 1 < total ? i + 1 : i; /* last odd pixel: twice */
    const int32_t b0 = i / per_img, r0 = i - b0 * per_img;
    const int32_t b1 = j / per_img, r1 = j - b1 * per_img;
    gather(g, input + b0 * img_len, r0 / g->out_w, r0 % g->out_w,
           p->input_offset, scratch, 0, 2);
    gather(g, input + b1 * img_len, r1 / g->out_w, r1 % g->out_w,
           p->input_offset, scratch, 1, 2);
    int8_t *oa = output + i * g->out_c,
           *ob = j != i ? output + j * g->out_c : NULL;
    if (!fast)
      mat2(g, p, filter, bias, scratch, rqw, oa, ob);
    else if (full)
      mat2_full(g, p, filter, bias, scratch, rqw, oa, ob);
    else
      mat2_clamp(g, p, filter, bias, scratch, rqw, oa, ob);
  }
}

#else
/* No DSP extension: no code here (ISO C wants one declaration). */
typedef int mote_dsp_conv2d_s8_unused;
#endif
