/*
** CONV_2D int8 for MVE (see arm_mve_kernels.h for the method and why it
** is bit-exact). Output pixels go in pairs: each pixel's receptive field
** is one int8 row of depth K = FH * FW * C (1x1 windows: the input pixel
** itself, read in place; otherwise gathered into scratch, padding taps set
** to the input zero point). mote_mve_rows_s8 then multiplies the two rows
** by all filter rows: blocks of 2 pixels x 2 channels share their four
** 16-byte loads between four VMLADAVA (16 MACs each); the depth tail is
** one predicated step; four channels' sums are requantized together.
*/
#include "arm_mve_kernels.h"

#if defined(MOTE_HAVE_ARM_MVE)
#include <arm_mve.h>

#include "mve_common.h"

void mote_mve_fold_rows(int32_t rows, int32_t depth, const int8_t *w,
                        const int32_t *bias, int32_t mul, int32_t add,
                        int32_t *bias_eff) {
  int32_t r, k;
  for (r = 0; r < rows; r++, w += depth) {
    int32_t s = 0;
    for (k = 0; k < depth; k += 16)
      s = vaddvaq_p_s8(s, vldrbq_z_s8(w + k, vctp8q((uint32_t)(depth - k))),
                       vctp8q((uint32_t)(depth - k)));
    bias_eff[r] = (int32_t)((uint32_t)(bias ? bias[r] : 0) +
                            (uint32_t)mul * (uint32_t)s + (uint32_t)add);
  }
}

/* Two activation rows x two weight rows: nblk full 16-byte steps, then
 * the tail step under predicate pt when tail is set. */
static inline __attribute__((always_inline)) void dot22(
    const int8_t *x0, const int8_t *x1, const int8_t *w0, const int8_t *w1,
    int32_t nblk, int tail, mve_pred16_t pt, int32_t *r) {
  int32_t a = 0, b = 0, c = 0, d = 0, i;
  for (i = 0; i < nblk; i++) {
    const int8x16_t xa = vldrbq_s8(x0), xb = vldrbq_s8(x1);
    const int8x16_t wa = vldrbq_s8(w0), wb = vldrbq_s8(w1);
    a = vmladavaq_s8(a, xa, wa);
    b = vmladavaq_s8(b, xa, wb);
    c = vmladavaq_s8(c, xb, wa);
    d = vmladavaq_s8(d, xb, wb);
    x0 += 16;
    x1 += 16;
    w0 += 16;
    w1 += 16;
  }
  if (tail) {
    const int8x16_t xa = vldrbq_z_s8(x0, pt), xb = vldrbq_z_s8(x1, pt);
    const int8x16_t wa = vldrbq_z_s8(w0, pt), wb = vldrbq_z_s8(w1, pt);
    a = vmladavaq_s8(a, xa, wa);
    b = vmladavaq_s8(b, xa, wb);
    c = vmladavaq_s8(c, xb, wa);
    d = vmladavaq_s8(d, xb, wb);
  }
  r[0] = a; /* row 0: lanes 0, 1; row 1: lanes 4, 5 of a t[8] */
  r[1] = b;
  r[4] = c;
  r[5] = d;
}

/* One activation row x four weight rows (as dot22). */
static inline __attribute__((always_inline)) void dot14(
    const int8_t *x, const int8_t *w0, const int8_t *w1, const int8_t *w2,
    const int8_t *w3, int32_t nblk, int tail, mve_pred16_t pt, int32_t *r) {
  int32_t a = 0, b = 0, c = 0, d = 0, i;
  for (i = 0; i < nblk; i++) {
    const int8x16_t xv = vldrbq_s8(x);
    a = vmladavaq_s8(a, xv, vldrbq_s8(w0));
    b = vmladavaq_s8(b, xv, vldrbq_s8(w1));
    c = vmladavaq_s8(c, xv, vldrbq_s8(w2));
    d = vmladavaq_s8(d, xv, vldrbq_s8(w3));
    x += 16;
    w0 += 16;
    w1 += 16;
    w2 += 16;
    w3 += 16;
  }
  if (tail) {
    const int8x16_t xv = vldrbq_z_s8(x, pt);
    a = vmladavaq_s8(a, xv, vldrbq_z_s8(w0, pt));
    b = vmladavaq_s8(b, xv, vldrbq_z_s8(w1, pt));
    c = vmladavaq_s8(c, xv, vldrbq_z_s8(w2, pt));
    d = vmladavaq_s8(d, xv, vldrbq_z_s8(w3, pt));
  }
  r[0] = a;
  r[1] = b;
  r[2] = c;
  r[3] = d;
}

/* Requantized sums t[0..3] (+ bias b) of channels c..c+3 to o. */
static inline __attribute__((always_inline)) void put4(
    int8_t *o, const int32_t *t, int32x4_t b, int32_t add, int32x4_t m,
    int32x4_t rt, int32_t zo, int32_t lo, int32_t hi) {
  vstrbq_s32(
      o, mote_mve_requant_r(vaddq_s32(vldrwq_s32(t), vaddq_n_s32(b, add)), m,
                            rt, zo, lo, hi));
}

void mote_mve_rows_s8(const int8_t *x0, const int8_t *x1, int32_t add0,
                      int32_t add1, const int8_t *w, int32_t depth, int32_t n,
                      const int32_t *bias_eff, const mote_requant_ch *rq,
                      int32_t zo, int32_t lo, int32_t hi, int8_t *o0,
                      int8_t *o1) {
  /* Everything the loops need in locals: the int8 stores below may alias
   * any memory, locals they cannot. */
  const int32_t *const mult = rq->mult;
  const int8_t *const shift = rq->shift;
  const int32_t nblk = depth >> 4;
  const int tail = (depth & 15) != 0;
  const mve_pred16_t pt = vctp8q((uint32_t)(depth & 15));
  int32_t c = 0;
  int32_t t[8];
  const int simple = mult && shift && mote_mve_shifts_simple(rq, n);
  if (simple) {
    /* Per-channel, shifts in [-31, 0]: the common case, fewest
     * instructions per group of four channels. */
    const int32_t full = n & ~(int32_t)3;
    const int8_t *wc = w;
    for (; c < full; c += 4, wc += 4 * depth) {
      const int32x4_t m = vldrwq_s32(mult + c);
      const int32x4_t rt = vldrbq_s32(shift + c);
      const int32x4_t b = vldrwq_s32(bias_eff + c);
      if (x1) {
        dot22(x0, x1, wc, wc + depth, nblk, tail, pt, t);
        dot22(x0, x1, wc + 2 * depth, wc + 3 * depth, nblk, tail, pt, t + 2);
        put4(o0 + c, t, b, add0, m, rt, zo, lo, hi);
        put4(o1 + c, t + 4, b, add1, m, rt, zo, lo, hi);
      } else {
        dot14(x0, wc, wc + depth, wc + 2 * depth, wc + 3 * depth, nblk, tail,
              pt, t);
        put4(o0 + c, t, b, add0, m, rt, zo, lo, hi);
      }
    }
  }
  {
    const mote_mve_out o = mote_mve_out_of(zo, lo, hi);
    const mote_mve_rq4 r0 =
        mote_mve_rq4_make(vdupq_n_s32(rq->mult0), vdupq_n_s32(rq->shift0));
    const int32_t full = n & ~(int32_t)3;
    for (; c < n; c += 4) {
      const int32_t left = n - c; /* rows past n repeat row c */
      const int8_t *w0 = w + c * depth;
      const int8_t *w1 = left > 1 ? w0 + depth : w0;
      const int8_t *w2 = left > 2 ? w0 + 2 * depth : w0;
      const int8_t *w3 = left > 3 ? w0 + 3 * depth : w0;
      const mve_pred16_t p = vctp32q((uint32_t)(left < 4 ? left : 4));
      mote_mve_rq4 r;
      int32x4_t b;
      if (x1) {
        dot22(x0, x1, w0, w1, nblk, tail, pt, t);
        dot22(x0, x1, w2, w3, nblk, tail, pt, t + 2);
      } else {
        dot14(x0, w0, w1, w2, w3, nblk, tail, pt, t);
      }
      if (c < full) {
        r = (mult || shift) ? mote_mve_rq4_of(rq, c) : r0;
        b = vldrwq_s32(bias_eff + c);
      } else {
        r = mote_mve_rq4_tail(rq, c, left);
        b = vldrwq_z_s32(bias_eff + c, p);
      }
      vstrbq_p_s32(o0 + c,
                   mote_mve_requant(
                       vaddq_s32(vldrwq_s32(t), vaddq_n_s32(b, add0)), &r, &o),
                   p);
      if (x1)
        vstrbq_p_s32(
            o1 + c,
            mote_mve_requant(vaddq_s32(vldrwq_s32(t + 4), vaddq_n_s32(b, add1)),
                             &r, &o),
            p);
    }
  }
}

int mote_conv2d_s8_mve_supported(const mote_conv_geom *g) {
  return g->filt_in_c == g->in_c; /* one group */
}

static int32_t depth_of(const mote_conv_geom *g) {
  return g->filt_h * g->filt_w * g->filt_in_c;
}

/* 1x1 windows without padding read the input in place (a row slice of
 * the output may have a negative leading pad). */
static int in_place(const mote_conv_geom *g) {
  return g->filt_h == 1 && g->filt_w == 1 && g->pad_h <= 0 && g->pad_w <= 0;
}

size_t mote_conv2d_s8_mve_scratch(const mote_conv_geom *g) {
  if (!mote_conv2d_s8_mve_supported(g) || in_place(g)) return 0;
  return (size_t)2 * (size_t)depth_of(g);
}

void mote_conv2d_s8_mve_fold(const mote_conv_geom *g, int32_t input_offset,
                             const int8_t *filter, const int32_t *bias,
                             int32_t *bias_eff) {
  mote_mve_fold_rows(g->out_c, depth_of(g), filter, bias, input_offset, 0,
                     bias_eff);
}

/* n bytes from src to dst (predicated tail). */
static inline void copy_bytes(int8_t *dst, const int8_t *src, int32_t n) {
  for (; n >= 16; n -= 16, src += 16, dst += 16) vstrbq_s8(dst, vldrbq_s8(src));
  if (n > 0) {
    const mve_pred16_t p = vctp8q((uint32_t)n);
    vstrbq_p_s8(dst, vldrbq_z_s8(src, p), p);
  }
}

/* n copies of the byte in v. */
static inline void fill_bytes(int8_t *dst, int8x16_t v, int32_t n) {
  for (; n >= 16; n -= 16, dst += 16) vstrbq_s8(dst, v);
  if (n > 0) vstrbq_p_s8(dst, v, vctp8q((uint32_t)n));
}

/* The receptive field of output pixel (oy, ox) of one image into row. */
static void gather(const mote_conv_geom *g, const int8_t *img, int32_t oy,
                   int32_t ox, int8x16_t zp, int8_t *row) {
  const int32_t C = g->in_c, run = g->filt_w * C;
  const int32_t iy0 = oy * g->stride_h - g->pad_h;
  const int32_t ix0 = ox * g->stride_w - g->pad_w;
  const int whole = g->dil_w == 1 && ix0 >= 0 && ix0 + g->filt_w <= g->in_w;
  int32_t fy, fx;
  for (fy = 0; fy < g->filt_h; fy++, row += run) {
    const int32_t iy = iy0 + g->dil_h * fy;
    if (iy < 0 || iy >= g->in_h) {
      fill_bytes(row, zp, run);
      continue;
    }
    const int8_t *src = img + (iy * g->in_w + ix0) * C;
    if (whole) {
      copy_bytes(row, src, run);
      continue;
    }
    for (fx = 0; fx < g->filt_w; fx++) {
      const int32_t ix = ix0 + g->dil_w * fx;
      if (ix < 0 || ix >= g->in_w)
        fill_bytes(row + fx * C, zp, C);
      else
        copy_bytes(row + fx * C, src + g->dil_w * fx * C, C);
    }
  }
}

/* Input pixel of output pixel i (in place) or its gathered row. */
static const int8_t *row_of(const mote_conv_geom *g, const int8_t *input,
                            int32_t i, int8x16_t zp, int8_t *buf) {
  const int32_t per_img = g->out_h * g->out_w;
  const int32_t b = i / per_img, r = i - b * per_img;
  const int32_t oy = r / g->out_w, ox = r - oy * g->out_w;
  const int8_t *img = input + b * g->in_h * g->in_w * g->in_c;
  if (in_place(g))
    return img + ((oy * g->stride_h - g->pad_h) * g->in_w + ox * g->stride_w -
                  g->pad_w) *
                     g->in_c;
  gather(g, img, oy, ox, zp, buf);
  return buf;
}

void mote_conv2d_s8_mve(const mote_conv_geom *g, const mote_conv_q_params *p,
                        const int8_t *input, const int8_t *filter,
                        const int32_t *bias_eff, int8_t *output,
                        int8_t *scratch) {
  const int32_t total = g->batches * g->out_h * g->out_w;
  const int32_t K = depth_of(g), n = g->out_c;
  const int8x16_t zp = vdupq_n_s8((int8_t)-p->input_offset);
  int32_t i;
  for (i = 0; i < total; i += 2) {
    const int8_t *x0 = row_of(g, input, i, zp, scratch);
    const int8_t *x1 =
        i + 1 < total ? row_of(g, input, i + 1, zp, scratch + K) : NULL;
    mote_mve_rows_s8(x0, x1, 0, 0, filter, K, n, bias_eff, &p->rq,
                     p->output_offset, p->act_min, p->act_max, output + i * n,
                     output + (i + 1) * n);
  }
}

#else
/* No MVE: no code here (ISO C wants one declaration). */
typedef int mote_mve_conv2d_s8_unused;
#endif
