/*
** DEPTHWISE_CONV_2D int8 (depth multiplier 1, or one input channel with
** any multiplier) for the Cortex-M DSP
** extension. Per output pixel, four channels at a time: each filter tap
** loads four inputs and four weights as words, splits them into 16-bit
** lanes (input offset added by __sxtab16) and accumulates per channel with
** __smlabb/__smlatt. Only the taps inside the image are visited; a 3x3
** window fully inside the image is unrolled. Channel groups are the outer
** loop along an output row, so each group's requantization is decoded
** once per row.
**
** 3x3 filters without dilation, horizontal stride 1 or 2 (every
** MobileNet/DS-CNN depthwise layer) take a planar path when the caller
** gives scratch: for four channels at a time, the input rows are widened
** once into int16 planes (one per channel, input offset added, padding
** columns 0, so padded taps add exactly 0 as in the reference), kept in a
** ring of three rows. A plane row then holds neighbouring pixels of one
** channel next to each other, so two taps are one __smlad: with W01 =
** (w0, w1) of a filter row and X the plane row, output x is
** smlad(X[x..x+1], W01) + X[x+2] * w2 (stride 1: X[s*x..]), and two
** outputs share the loads. The int32 sums of a row (same wrap-around
** additions as the reference, in another order: the sum is exact modulo
** 2^32 either way) are then requantized in a loop whose channel constants
** stay in registers.
*/
#include "arm_dsp.h"

#if defined(MOTE_HAVE_ARM_DSP)
#include "dsp_common.h"

int mote_dwconv2d_s8_dsp_supported(const mote_conv_geom *g) {
  return (g->depth_multiplier == 1 && g->out_c == g->in_c) ||
         (g->in_c == 1 && g->out_c == g->depth_multiplier);
}

size_t mote_dwconv2d_s8_dsp_scratch(const mote_conv_geom *g) {
  if (!(g->depth_multiplier == 1 && g->out_c == g->in_c && g->filt_h == 3 &&
        g->filt_w == 3 && g->dil_h == 1 && g->dil_w == 1 &&
        (g->stride_w == 1 || g->stride_w == 2) && g->out_w > 0))
    return 0;
  const size_t ow2 = (size_t)(g->out_w + 1) & ~(size_t)1;
  const size_t wp = g->stride_w == 1 ? ow2 + 2 : 2 * ow2 + 2;
  return 12 * wp * sizeof(int16_t) + ow2 * sizeof(int32_t);
}

/* Four channels over nfy x nfx taps: ip/fp point at the first tap. */
static inline __attribute__((always_inline)) void taps4(
    const int8_t *ip, const int8_t *fp, int32_t nfy, int32_t nfx,
    int32_t in_row, int32_t in_col, int32_t f_row, int32_t f_col, int32_t off2,
    int32_t acc[4]) {
  int32_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
  int32_t fy, fx;
  /* Fully unrolled when called with the constants 3, 3. */
#pragma GCC unroll 3
  for (fy = 0; fy < nfy; fy++) {
    const int8_t *i1 = ip + fy * in_row;
    const int8_t *f1 = fp + fy * f_row;
#pragma GCC unroll 3
    for (fx = 0; fx < nfx; fx++) {
      const int32_t x = mote_dsp_ld32(i1 + fx * in_col);
      const int32_t w = mote_dsp_ld32(f1 + fx * f_col);
      const int32_t xe = mote_dsp_even(off2, x), xo = mote_dsp_odd(off2, x);
      const int32_t we = (int32_t)__sxtb16((int8x4_t)w);
      const int32_t wo = mote_dsp_sxtb16_ror8(w);
      a0 = __smlabb((int16x2_t)xe, (int16x2_t)we, a0);
      a2 = __smlatt((int16x2_t)xe, (int16x2_t)we, a2);
      a1 = __smlabb((int16x2_t)xo, (int16x2_t)wo, a1);
      a3 = __smlatt((int16x2_t)xo, (int16x2_t)wo, a3);
    }
  }
  acc[0] = a0;
  acc[1] = a1;
  acc[2] = a2;
  acc[3] = a3;
}

/* As taps4 for a single input channel shared by the four outputs (input
 * channels 1, depth multiplier > 1): one byte, offset, in both lanes. */
static inline __attribute__((always_inline)) void taps4b(
    const int8_t *ip, const int8_t *fp, int32_t nfy, int32_t nfx,
    int32_t in_row, int32_t in_col, int32_t f_row, int32_t f_col, int32_t off,
    int32_t acc[4]) {
  int32_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
  int32_t fy, fx;
  for (fy = 0; fy < nfy; fy++) {
    const int8_t *i1 = ip + fy * in_row;
    const int8_t *f1 = fp + fy * f_row;
    for (fx = 0; fx < nfx; fx++) {
      const int32_t x = mote_dsp_dup16((int32_t)i1[fx * in_col] + off);
      const int32_t w = mote_dsp_ld32(f1 + fx * f_col);
      const int32_t we = (int32_t)__sxtb16((int8x4_t)w);
      const int32_t wo = mote_dsp_sxtb16_ror8(w);
      a0 = __smlabb((int16x2_t)x, (int16x2_t)we, a0);
      a2 = __smlatt((int16x2_t)x, (int16x2_t)we, a2);
      a1 = __smlabb((int16x2_t)x, (int16x2_t)wo, a1);
      a3 = __smlatt((int16x2_t)x, (int16x2_t)wo, a3);
    }
  }
  acc[0] = a0;
  acc[1] = a1;
  acc[2] = a2;
  acc[3] = a3;
}

/* First tap index >= 0 whose position start + dil * t is >= 0, and the
 * end (exclusive) of the taps below `size`. */
static void tap_range(int32_t start, int32_t dil, int32_t n, int32_t size,
                      int32_t *t0, int32_t *t1) {
  int32_t a = 0, b = n;
  if (start < 0) a = (-start + dil - 1) / dil;
  if (start + dil * (n - 1) >= size) {
    b = size - start <= 0 ? 0 : (size - start + dil - 1) / dil;
  }
  if (b < a) b = a;
  *t0 = a;
  *t1 = b;
}

/* Low halves of a and b as one word (a's low, b's low): PKHBT. */
static inline int32_t pk_lo(int32_t a, int32_t b) {
  int32_t r;
  __asm__("pkhbt %0, %1, %2, lsl #16" : "=r"(r) : "r"(a), "r"(b));
  return r;
}

/* High halves of a and b as one word (a's high, b's high): PKHTB. */
static inline int32_t pk_hi(int32_t a, int32_t b) {
  int32_t r;
  __asm__("pkhtb %0, %1, %2, asr #16" : "=r"(r) : "r"(b), "r"(a));
  return r;
}

/* 32-bit store to any address (STR allows unaligned access). */
static inline void dw_st32(int16_t *p, int32_t v) {
  memcpy(p, &v, sizeof v);
}

/* Widen input row iy of one image, channels c..c+n-1 (n <= 4), into
 * columns [i0, i1) (the pixels inside the image) of the planes of a ring
 * slot: plane j, column i holds pixel i - pad_w of channel c + j plus the
 * input offset; a row outside the image is zeros. The other columns were
 * zeroed once per call and are never written. */
static __attribute__((noinline)) void plane_row(
    const mote_conv_geom *g, const int8_t *img, int32_t iy, int32_t c,
    int32_t n, int32_t off, int16_t *slot, int32_t wp, int32_t i0, int32_t i1) {
  const int32_t C = g->in_c;
  int32_t i, j;
  int16_t *p0 = slot, *p1 = slot + wp, *p2 = slot + 2 * wp, *p3 = slot + 3 * wp;
  if (iy < 0 || iy >= g->in_h) {
    for (i = i0; i < i1; i++) {
      p0[i] = 0;
      p1[i] = 0;
      p2[i] = 0;
      p3[i] = 0;
    }
    return;
  }
  const int8_t *ip = img + (iy * g->in_w + i0 - g->pad_w) * C + c;
  if (n == 4) {
    const int32_t off2 = mote_dsp_dup16(off);
    /* Two pixels at a time: their four lane words repacked by PKHBT /
     * PKHTB into one word per plane (the two columns side by side). */
    for (i = i0; i + 2 <= i1; i += 2, ip += 2 * C) {
      const int32_t x = mote_dsp_ld32(ip), y = mote_dsp_ld32(ip + C);
      const int32_t ex = mote_dsp_even(off2, x), ox = mote_dsp_odd(off2, x);
      const int32_t ey = mote_dsp_even(off2, y), oy = mote_dsp_odd(off2, y);
      dw_st32(p0 + i, pk_lo(ex, ey));
      dw_st32(p2 + i, pk_hi(ex, ey));
      dw_st32(p1 + i, pk_lo(ox, oy));
      dw_st32(p3 + i, pk_hi(ox, oy));
    }
    for (; i < i1; i++, ip += C) {
      const int32_t x = mote_dsp_ld32(ip);
      const int32_t e = mote_dsp_even(off2, x), o = mote_dsp_odd(off2, x);
      p0[i] = (int16_t)e;
      p2[i] = (int16_t)(e >> 16);
      p1[i] = (int16_t)o;
      p3[i] = (int16_t)(o >> 16);
    }
  } else {
    for (j = 0; j < n; j++) {
      int16_t *pl = slot + j * wp;
      const int8_t *q = ip + j;
      for (i = i0; i < i1; i++, q += C) pl[i] = (int16_t)((int32_t)*q + off);
    }
  }
}

/* One channel of a group: the filter as 16-bit pairs (w[0] = (w00, w01),
 * w[1] = (w10, w11), w[2] = (w20, w21), w[3] = (w02, w12), w[4] = w22),
 * the bias and the requantization with the output offset folded in
 * (mote_dsp_rqw_fill_zo; t.sh = -1: general case). */
typedef struct dw_ch {
  int32_t w[5], bias;
  mote_dsp_rqw t;
} dw_ch;

static void dw_ch_of(dw_ch *d, const int8_t *fp, int32_t C, const int32_t *bias,
                     const mote_conv_q_params *p, int32_t c) {
  mote_requant_ch one;
  d->w[0] = (int32_t)(uint16_t)fp[0] | ((int32_t)fp[C] << 16);
  d->w[1] = (int32_t)(uint16_t)fp[3 * C] | ((int32_t)fp[4 * C] << 16);
  d->w[2] = (int32_t)(uint16_t)fp[6 * C] | ((int32_t)fp[7 * C] << 16);
  d->w[3] = (int32_t)(uint16_t)fp[2 * C] | ((int32_t)fp[5 * C] << 16);
  d->w[4] = fp[8 * C];
  d->bias = bias ? bias[c] : 0;
  one.mult = NULL;
  one.shift = NULL;
  one.mult0 = mote_requant_mult(&p->rq, c);
  one.shift0 = mote_requant_shift(&p->rq, c);
  (void)mote_dsp_rqw_fill_zo(&d->t, &one, 1, p->output_offset);
}

/* The int32 sums of one output row of one channel: planes r0..r2 (the
 * three input rows, 4-byte aligned), outputs in pairs (ow2 even; a last
 * odd one reads padding columns). */
static inline __attribute__((always_inline)) void row_sums(
    const int16_t *r0, const int16_t *r1, const int16_t *r2, const dw_ch *d,
    int32_t s, int32_t ow2, int32_t *acc) {
  const int32_t w00 = d->w[0], w10 = d->w[1], w20 = d->w[2], w2a = d->w[3],
                w2b = d->w[4], acc0 = d->bias;
  int32_t x;
  if (s == 1) {
    for (x = 0; x < ow2; x += 2) {
      int32_t a0 = acc0, a1 = acc0, a, b, m;
      a = mote_dsp_ld32(r0 + x);
      b = mote_dsp_ld32(r0 + x + 2);
      m = mote_dsp_ld32(r0 + x + 1);
      a0 = __smlad((int16x2_t)a, (int16x2_t)w00, a0);
      a0 = __smlabb((int16x2_t)b, (int16x2_t)w2a, a0);
      a1 = __smlad((int16x2_t)m, (int16x2_t)w00, a1);
      a1 = __smlatb((int16x2_t)b, (int16x2_t)w2a, a1);
      a = mote_dsp_ld32(r1 + x);
      b = mote_dsp_ld32(r1 + x + 2);
      m = mote_dsp_ld32(r1 + x + 1);
      a0 = __smlad((int16x2_t)a, (int16x2_t)w10, a0);
      a0 = __smlabt((int16x2_t)b, (int16x2_t)w2a, a0);
      a1 = __smlad((int16x2_t)m, (int16x2_t)w10, a1);
      a1 = __smlatt((int16x2_t)b, (int16x2_t)w2a, a1);
      a = mote_dsp_ld32(r2 + x);
      b = mote_dsp_ld32(r2 + x + 2);
      m = mote_dsp_ld32(r2 + x + 1);
      a0 = __smlad((int16x2_t)a, (int16x2_t)w20, a0);
      a0 = __smlabb((int16x2_t)b, (int16x2_t)w2b, a0);
      a1 = __smlad((int16x2_t)m, (int16x2_t)w20, a1);
      a1 = __smlatb((int16x2_t)b, (int16x2_t)w2b, a1);
      acc[x] = a0;
      acc[x + 1] = a1;
    }
  } else {
    for (x = 0; x < ow2; x += 2) {
      int32_t a0 = acc0, a1 = acc0, a, b, m;
      const int32_t k = 2 * x;
      a = mote_dsp_ld32(r0 + k);
      b = mote_dsp_ld32(r0 + k + 2);
      m = mote_dsp_ld32(r0 + k + 4);
      a0 = __smlad((int16x2_t)a, (int16x2_t)w00, a0);
      a0 = __smlabb((int16x2_t)b, (int16x2_t)w2a, a0);
      a1 = __smlad((int16x2_t)b, (int16x2_t)w00, a1);
      a1 = __smlabb((int16x2_t)m, (int16x2_t)w2a, a1);
      a = mote_dsp_ld32(r1 + k);
      b = mote_dsp_ld32(r1 + k + 2);
      m = mote_dsp_ld32(r1 + k + 4);
      a0 = __smlad((int16x2_t)a, (int16x2_t)w10, a0);
      a0 = __smlabt((int16x2_t)b, (int16x2_t)w2a, a0);
      a1 = __smlad((int16x2_t)b, (int16x2_t)w10, a1);
      a1 = __smlabt((int16x2_t)m, (int16x2_t)w2a, a1);
      a = mote_dsp_ld32(r2 + k);
      b = mote_dsp_ld32(r2 + k + 2);
      m = mote_dsp_ld32(r2 + k + 4);
      a0 = __smlad((int16x2_t)a, (int16x2_t)w20, a0);
      a0 = __smlabb((int16x2_t)b, (int16x2_t)w2b, a0);
      a1 = __smlad((int16x2_t)b, (int16x2_t)w20, a1);
      a1 = __smlabb((int16x2_t)m, (int16x2_t)w2b, a1);
      acc[x] = a0;
      acc[x + 1] = a1;
    }
  }
}

/* Requantize n >= 1 sums into out (stride C) with channel c's
 * constants. */
static inline __attribute__((always_inline)) void row_out(
    const dw_ch *d, const mote_conv_q_params *p, int32_t c, const int32_t *acc,
    int32_t n, int8_t *out, int32_t C, int32_t lo, int32_t hi) {
  const int32_t *end = acc + n;
  if (d->t.sh < 0) {
    do {
      *out = mote_dsp_requant(*acc++, &p->rq, c, p->output_offset, lo, hi);
      out += C;
    } while (acc < end);
  } else if (lo == -128 && hi == 127) {
    do {
      *out = (int8_t)mote_dsp_ssat8(mote_dsp_rqw_fast(&d->t, *acc++));
      out += C;
    } while (acc < end);
  } else {
    do {
      const int32_t v = mote_dsp_rqw_fast(&d->t, *acc++);
      *out = (int8_t)(v < lo ? lo : (v > hi ? hi : v));
      out += C;
    } while (acc < end);
  }
}

/* The planar 3x3 path (file comment); scratch as
 * mote_dwconv2d_s8_dsp_scratch. */
static void dw3x3_planar(const mote_conv_geom *g, const mote_conv_q_params *p,
                         const int8_t *input, const int8_t *filter,
                         const int32_t *bias, int8_t *output,
                         int16_t *scratch) {
  const int32_t C = g->out_c, s = g->stride_w;
  const int32_t ow2 = (g->out_w + 1) & ~(int32_t)1;
  const int32_t wp = s == 1 ? ow2 + 2 : 2 * ow2 + 2;
  const int32_t lo = p->act_min, hi = p->act_max;
  int32_t *acc = (int32_t *)(void *)(scratch + 12 * wp);
  /* Columns inside the image: [i0, i1); the others stay 0. */
  const int32_t i0 = g->pad_w < 0 ? 0 : (g->pad_w > wp ? wp : g->pad_w);
  int32_t i1 = g->pad_w + g->in_w;
  int32_t b, c, oy, j, fy;
  if (i1 > wp) i1 = wp;
  if (i1 < i0) i1 = i0;
  memset(scratch, 0, (size_t)(12 * wp) * sizeof(int16_t));
  for (b = 0; b < g->batches; b++) {
    const int8_t *img = input + b * g->in_h * g->in_w * C;
    int8_t *oimg = output + b * g->out_h * g->out_w * C;
    for (c = 0; c < C; c += 4) {
      const int32_t n = C - c < 4 ? C - c : 4;
      int32_t tag[3] = {INT32_MIN, INT32_MIN, INT32_MIN};
      dw_ch ch[4];
      for (j = 0; j < n; j++)
        dw_ch_of(&ch[j], filter + c + j, C, bias, p, c + j);
      for (oy = 0; oy < g->out_h; oy++) {
        const int32_t iy0 = oy * g->stride_h - g->pad_h;
        const int16_t *rows[3];
        for (fy = 0; fy < 3; fy++) {
          const int32_t iy = iy0 + fy;
          /* The slot holding row iy, else the oldest (smallest tag):
           * rows only increase, so it is never one of rows iy0..iy-1. */
          int32_t sl = tag[0] == iy   ? 0
                       : tag[1] == iy ? 1
                       : tag[2] == iy ? 2
                                      : -1;
          if (sl < 0) {
            sl = tag[1] < tag[0] ? 1 : 0;
            if (tag[2] < tag[sl]) sl = 2;
          }
          int16_t *slot = scratch + sl * 4 * wp;
          if (tag[sl] != iy) {
            plane_row(g, img, iy, c, n, p->input_offset, slot, wp, i0, i1);
            tag[sl] = iy;
          }
          rows[fy] = slot;
        }
        int8_t *orow = oimg + oy * g->out_w * C + c;
        for (j = 0; j < n; j++) {
          row_sums(rows[0] + j * wp, rows[1] + j * wp, rows[2] + j * wp, &ch[j],
                   s, ow2, acc);
          row_out(&ch[j], p, c + j, acc, g->out_w, orow + j, C, lo, hi);
        }
      }
    }
  }
}

void mote_dwconv2d_s8_dsp(const mote_conv_geom *g, const mote_conv_q_params *p,
                          const int8_t *input, const int8_t *filter,
                          const int32_t *bias, int8_t *output,
                          int16_t *scratch) {
  if (scratch && mote_dwconv2d_s8_dsp_scratch(g)) {
    dw3x3_planar(g, p, input, filter, bias, output, scratch);
    return;
  }
  const int32_t C = g->out_c, Ci = g->in_c;
  const int bc = Ci == 1 && C > 1; /* one input channel for all outputs */
  const int32_t c4 = C & ~(int32_t)3;
  const int32_t off = p->input_offset, off2 = mote_dsp_dup16(off);
  const int32_t lo = p->act_min, hi = p->act_max, zo = p->output_offset;
  const int32_t in_row = g->dil_h * g->in_w * Ci, in_col = g->dil_w * Ci;
  const int32_t f_row = g->filt_w * C, f_col = C;
  const int is3 = g->filt_h == 3 && g->filt_w == 3;
  int32_t b, oy, ox, c, i;
  for (b = 0; b < g->batches; b++) {
    const int8_t *img = input + b * g->in_h * g->in_w * Ci;
    for (oy = 0; oy < g->out_h; oy++) {
      const int32_t iy0 = oy * g->stride_h - g->pad_h;
      int32_t fy0, fy1;
      tap_range(iy0, g->dil_h, g->filt_h, g->in_h, &fy0, &fy1);
      const int32_t nfy = fy1 - fy0;
      const int8_t *row = img + (iy0 + g->dil_h * fy0) * g->in_w * Ci;
      int8_t *orow = output + (b * g->out_h + oy) * g->out_w * C;
      /* Four channels at a time along the output row: their
       * requantization is decoded once per row. */
      for (c = 0; c < c4; c += 4) {
        mote_dsp_rq rq[4];
        int32_t b4[4] = {0, 0, 0, 0};
        for (i = 0; i < 4; i++) {
          rq[i] = mote_dsp_rq_of(&p->rq, c + i);
          if (bias) b4[i] = bias[c + i];
        }
        for (ox = 0; ox < g->out_w; ox++) {
          const int32_t ix0 = ox * g->stride_w - g->pad_w;
          int32_t fx0, fx1;
          tap_range(ix0, g->dil_w, g->filt_w, g->in_w, &fx0, &fx1);
          const int32_t nfx = fx1 - fx0;
          const int8_t *ip = row + (ix0 + g->dil_w * fx0) * Ci + (bc ? 0 : c);
          const int8_t *fp = filter + (fy0 * g->filt_w + fx0) * C + c;
          int32_t acc[4];
          acc[0] = b4[0];
          acc[1] = b4[1];
          acc[2] = b4[2];
          acc[3] = b4[3];
          if (bc)
            taps4b(ip, fp, nfy, nfx, in_row, in_col, f_row, f_col, off, acc);
          else if (is3 && nfy == 3 && nfx == 3)
            taps4(ip, fp, 3, 3, in_row, in_col, f_row, f_col, off2, acc);
          else
            taps4(ip, fp, nfy, nfx, in_row, in_col, f_row, f_col, off2, acc);
          int8_t *out = orow + ox * C + c;
          out[0] = mote_dsp_rq_apply(&rq[0], acc[0], zo, lo, hi);
          out[1] = mote_dsp_rq_apply(&rq[1], acc[1], zo, lo, hi);
          out[2] = mote_dsp_rq_apply(&rq[2], acc[2], zo, lo, hi);
          out[3] = mote_dsp_rq_apply(&rq[3], acc[3], zo, lo, hi);
        }
      }
      /* Remaining channels one at a time. */
      for (; c < C; c++) {
        const mote_dsp_rq r = mote_dsp_rq_of(&p->rq, c);
        for (ox = 0; ox < g->out_w; ox++) {
          const int32_t ix0 = ox * g->stride_w - g->pad_w;
          int32_t fx0, fx1, fy, fx;
          tap_range(ix0, g->dil_w, g->filt_w, g->in_w, &fx0, &fx1);
          const int8_t *ip = row + (ix0 + g->dil_w * fx0) * Ci + (bc ? 0 : c);
          const int8_t *fp = filter + (fy0 * g->filt_w + fx0) * C + c;
          uint32_t a = bias ? (uint32_t)bias[c] : 0u;
          for (fy = 0; fy < nfy; fy++)
            for (fx = 0; fx < fx1 - fx0; fx++) {
              const int32_t x = ip[fy * in_row + fx * in_col] + off;
              const int32_t w = fp[fy * f_row + fx * f_col];
              a += (uint32_t)(x * w);
            }
          orow[ox * C + c] = mote_dsp_rq_apply(&r, (int32_t)a, zo, lo, hi);
        }
      }
    }
  }
}

#else
/* No DSP extension: no code here (ISO C wants one declaration). */
typedef int mote_dsp_dwconv2d_s8_unused;
#endif
