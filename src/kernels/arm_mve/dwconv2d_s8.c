/*
** DEPTHWISE_CONV_2D int8 (depth multiplier 1) for MVE. Eight channels per
** pass: each tap loads eight inputs and eight weights widened to int16
** lanes (VLDRB.S16), VMULLB/VMULLT multiply the even and the odd lanes
** into int32 (products of int8 values are exact) and two VADDs
** accumulate: 6 instructions per 8 multiply-accumulates. Even and odd
** channels are requantized as two four-lane vectors (parameters gathered
** once per output row and channel group) and stored by scatter.
** Windows fully inside the image start from bias_eff (the input offset
** times the sum of the channel's taps, folded at prepare) and multiply the
** raw inputs; windows that cross the border visit only the taps inside and
** add the input offset to each input (int16, exact), starting from the
** model's bias: both give the reference's int32 sum modulo 2^32.
*/
#include "arm_mve_kernels.h"

#if defined(MOTE_HAVE_ARM_MVE)
#include <arm_mve.h>

#include "mve_common.h"

int mote_dwconv2d_s8_mve_supported(const mote_conv_geom *g) {
  return g->depth_multiplier == 1 && g->out_c == g->in_c;
}

void mote_dwconv2d_s8_mve_fold(const mote_conv_geom *g, int32_t input_offset,
                               const int8_t *filter, const int32_t *bias,
                               int32_t *bias_eff) {
  const int32_t C = g->out_c, taps = g->filt_h * g->filt_w;
  int32_t c, t;
  for (c = 0; c < C; c++) {
    uint32_t s = 0;
    for (t = 0; t < taps; t++) s += (uint32_t)(int32_t)filter[t * C + c];
    bias_eff[c] =
        (int32_t)((uint32_t)(bias ? bias[c] : 0) + s * (uint32_t)input_offset);
  }
}

/* First tap index t >= 0 with start + dil * t >= 0, and the end
 * (exclusive) of the taps below `size`. */
static void tap_range(int32_t start, int32_t dil, int32_t n, int32_t size,
                      int32_t *t0, int32_t *t1) {
  int32_t a = 0, b = n;
  if (dil == 1) {
    a = start < 0 ? -start : 0;
    b = size - start < n ? size - start : n;
    *t0 = a;
    *t1 = b < a ? a : b;
    return;
  }
  if (start < 0) a = (-start + dil - 1) / dil;
  if (start + dil * (n - 1) >= size)
    b = size - start <= 0 ? 0 : (size - start + dil - 1) / dil;
  if (b < a) b = a;
  *t0 = a;
  *t1 = b;
}

/* Even and odd lanes of eight channels. */
typedef struct acc8 {
  int32x4_t e, o;
} acc8;

/* nfy x nfx taps of eight channels; add_off: add the input offset (a
 * window crossing the border); full: all eight channels present, else p
 * says which. */
static inline __attribute__((always_inline)) acc8 taps8(
    acc8 a, const int8_t *ip, const int8_t *fp, int32_t nfy, int32_t nfx,
    int32_t in_row, int32_t in_col, int32_t f_row, int32_t f_col, int16x8_t off,
    int add_off, int full, mve_pred16_t p) {
  int32_t fy, fx;
#pragma GCC unroll 1
  for (fy = 0; fy < nfy; fy++) {
#pragma GCC unroll 3
    for (fx = 0; fx < nfx; fx++) {
      const int8_t *xp = ip + fy * in_row + fx * in_col;
      const int8_t *wp = fp + fy * f_row + fx * f_col;
      int16x8_t x = full ? vldrbq_s16(xp) : vldrbq_z_s16(xp, p);
      const int16x8_t w = full ? vldrbq_s16(wp) : vldrbq_z_s16(wp, p);
      if (add_off) x = vaddq_s16(x, off);
      a.e = vaddq_s32(a.e, vmullbq_int_s16(x, w));
      a.o = vaddq_s32(a.o, vmulltq_int_s16(x, w));
    }
  }
  return a;
}

/* Gather lanes of an int32 array at c + offs (NULL: zeros). */
static inline int32x4_t gather32(const int32_t *a, int32_t c, uint32x4_t offs,
                                 mve_pred16_t p) {
  if (!a) return vdupq_n_s32(0);
  return vldrwq_gather_shifted_offset_z_s32(a + c, offs, p);
}

/* Requantization of the channels c + offs (p: lanes present). */
static inline mote_mve_rq4 rq_gather(const mote_requant_ch *rq, int32_t c,
                                     uint32x4_t offs, mve_pred16_t p) {
  const int32x4_t m =
      rq->mult ? vldrwq_gather_shifted_offset_z_s32(rq->mult + c, offs, p)
               : vdupq_n_s32(rq->mult0);
  const int32x4_t s = rq->shift
                          ? vldrbq_gather_offset_z_s32(rq->shift + c, offs, p)
                          : vdupq_n_s32(rq->shift0);
  return mote_mve_rq4_make(m, s);
}

/* Output pixels per chunk of a row: their sums wait in a stack buffer of
 * DW_CHUNK * 8 int32 between the two phases. */
#define DW_CHUNK 16

/* What one output row needs. */
typedef struct dw_row {
  const mote_conv_geom *g;
  const int8_t *row, *filter;
  int8_t *orow;
  int32_t fy0, nfy, in_row, in_col, f_row, f_col;
  int16x8_t off;
} dw_row;

/* Sums of a window crossing the image border: the taps inside only, the
 * input offset added to each input, from the model's bias (b0: its even
 * and odd lanes). */
static __attribute__((noinline)) void border_px(const dw_row *r, const acc8 *b0,
                                                int32_t c, int32_t ox, int full,
                                                int32_t *t) {
  const mote_conv_geom *g = r->g;
  const int32_t C = g->out_c;
  const int32_t ix0 = ox * g->stride_w - g->pad_w;
  const mve_pred16_t p16 = vctp16q((uint32_t)(C - c));
  int32_t fx0, fx1;
  acc8 a;
  tap_range(ix0, g->dil_w, g->filt_w, g->in_w, &fx0, &fx1);
  const int8_t *ip = r->row + (ix0 + g->dil_w * fx0) * C + c;
  const int8_t *fp = r->filter + (r->fy0 * g->filt_w + fx0) * C + c;
  a = *b0;
  if (full)
    a = taps8(a, ip, fp, r->nfy, fx1 - fx0, r->in_row, r->in_col, r->f_row,
              r->f_col, r->off, 1, 1, p16);
  else
    a = taps8(a, ip, fp, r->nfy, fx1 - fx0, r->in_row, r->in_col, r->f_row,
              r->f_col, r->off, 1, 0, p16);
  vstrwq_s32(t, a.e);
  vstrwq_s32(t + 4, a.o);
}

/* Phase 1: the sums of channels c..c+7 (full) or c..C-1 for output pixels
 * ox0..ox0+n-1 of one row, into t (8 per pixel: even lanes, odd lanes). */
static inline __attribute__((always_inline)) void sums(
    const dw_row *r, const int32_t *bias, const int32_t *bias_eff, int32_t c,
    int32_t ox0, int32_t n, int32_t *t, int full) {
  const mote_conv_geom *g = r->g;
  const int32_t C = g->out_c, span = (g->filt_w - 1) * g->dil_w;
  const int is3 = g->filt_h == 3 && g->filt_w == 3;
  const int rows_in = r->nfy == g->filt_h;
  const mve_pred16_t p16 = vctp16q((uint32_t)(C - c));
  const uint32x4_t ev = vidupq_n_u32(0, 2), od = vidupq_n_u32(1, 2);
  const mve_pred16_t pe = vctp32q((uint32_t)((C - c + 1) >> 1));
  const mve_pred16_t po = vctp32q((uint32_t)((C - c) >> 1));
  acc8 b0, b1;
  int32_t i;
  b0.e = gather32(bias, c, ev, pe);
  b0.o = gather32(bias, c, od, po);
  b1.e = gather32(bias_eff, c, ev, pe);
  b1.o = gather32(bias_eff, c, od, po);
  for (i = 0; i < n; i++, t += 8) {
    const int32_t ix0 = (ox0 + i) * g->stride_w - g->pad_w;
    if (!rows_in || ix0 < 0 || ix0 + span >= g->in_w) {
      border_px(r, &b0, c, ox0 + i, full, t);
      continue;
    }
    const int8_t *ip = r->row + ix0 * C + c;
    const int8_t *fp = r->filter + c;
    acc8 a;
    if (is3)
      a = taps8(b1, ip, fp, 3, 3, r->in_row, r->in_col, r->f_row, r->f_col,
                r->off, 0, full, p16);
    else
      a = taps8(b1, ip, fp, g->filt_h, g->filt_w, r->in_row, r->in_col,
                r->f_row, r->f_col, r->off, 0, full, p16);
    vstrwq_s32(t, a.e);
    vstrwq_s32(t + 4, a.o);
  }
}

/* Phase 2: requantize the n pixels' sums of channels c..c+7 (or the
 * tail) and store them. */
static void store(const dw_row *r, const mote_conv_q_params *p, int simple,
                  int32_t c, int32_t ox0, int32_t n, const int32_t *t) {
  const int32_t C = r->g->out_c;
  const uint32x4_t ev = vidupq_n_u32(0, 2), od = vidupq_n_u32(1, 2);
  const mve_pred16_t pe = vctp32q((uint32_t)((C - c + 1) >> 1));
  const mve_pred16_t po = vctp32q((uint32_t)((C - c) >> 1));
  const mote_mve_rq4 re = rq_gather(&p->rq, c, ev, pe);
  const mote_mve_rq4 ro = rq_gather(&p->rq, c, od, po);
  const int32_t zo = p->output_offset, lo = p->act_min, hi = p->act_max;
  int8_t *out = r->orow + ox0 * C + c;
  int32_t i;
  if (simple && C - c >= 8) {
    for (i = 0; i < n; i++, t += 8, out += C) {
      vstrbq_scatter_offset_s32(
          out, ev,
          mote_mve_requant_r(vldrwq_s32(t), re.mult, re.right, zo, lo, hi));
      vstrbq_scatter_offset_s32(
          out, od,
          mote_mve_requant_r(vldrwq_s32(t + 4), ro.mult, ro.right, zo, lo, hi));
    }
    return;
  }
  {
    const mote_mve_out o = mote_mve_out_of(zo, lo, hi);
    for (i = 0; i < n; i++, t += 8, out += C) {
      vstrbq_scatter_offset_p_s32(out, ev,
                                  mote_mve_requant(vldrwq_s32(t), &re, &o), pe);
      vstrbq_scatter_offset_p_s32(
          out, od, mote_mve_requant(vldrwq_s32(t + 4), &ro, &o), po);
    }
  }
}

/* GCC's first scheduling pass hoists every load of the unrolled taps
 * ahead of the multiplies and then spills: MVE has eight vector
 * registers. */
__attribute__((optimize("no-schedule-insns"))) void mote_dwconv2d_s8_mve(
    const mote_conv_geom *g, const mote_conv_q_params *p, const int8_t *input,
    const int8_t *filter, const int32_t *bias, const int32_t *bias_eff,
    int8_t *output) {
  const int32_t C = g->out_c;
  const int simple = mote_mve_shifts_simple(&p->rq, C);
  int32_t t[DW_CHUNK * 8];
  dw_row r;
  int32_t b, oy, c, ox;
  r.g = g;
  r.filter = filter;
  r.in_row = g->dil_h * g->in_w * C;
  r.in_col = g->dil_w * C;
  r.f_row = g->filt_w * C;
  r.f_col = C;
  r.off = vdupq_n_s16((int16_t)p->input_offset);
  for (b = 0; b < g->batches; b++) {
    const int8_t *img = input + b * g->in_h * g->in_w * C;
    for (oy = 0; oy < g->out_h; oy++) {
      const int32_t iy0 = oy * g->stride_h - g->pad_h;
      int32_t fy1;
      tap_range(iy0, g->dil_h, g->filt_h, g->in_h, &r.fy0, &fy1);
      r.nfy = fy1 - r.fy0;
      r.row = img + (iy0 + g->dil_h * r.fy0) * g->in_w * C;
      r.orow = output + (b * g->out_h + oy) * g->out_w * C;
      for (c = 0; c < C; c += 8) {
        for (ox = 0; ox < g->out_w; ox += DW_CHUNK) {
          const int32_t n = g->out_w - ox < DW_CHUNK ? g->out_w - ox : DW_CHUNK;
          if (C - c >= 8)
            sums(&r, bias, bias_eff, c, ox, n, t, 1);
          else
            sums(&r, bias, bias_eff, c, ox, n, t, 0);
          store(&r, p, simple, c, ox, n, t);
        }
      }
    }
  }
}

#else
/* No MVE: no code here (ISO C wants one declaration). */
typedef int mote_mve_dwconv2d_s8_unused;
#endif
