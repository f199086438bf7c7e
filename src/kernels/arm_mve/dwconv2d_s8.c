/*
** DEPTHWISE_CONV_2D int8 (depth multiplier 1) for MVE.
**
** Padding: the input rows a window needs are copied once into a ring of
** (filt_h - 1) * dil_h + 1 rows in the scratch, each widened on the left
** and right by the padding columns, and rows outside the image are whole
** rows of padding. The padding value is the input zero point z = -offset:
** a padded tap then adds z * w, and the folded bias (bias + offset * the
** sum of all taps, mote_dwconv2d_s8_mve_fold) holds -z * w for it, so
** every window, border or not, is bias_eff + the sum of raw input times
** weight over all its taps: the reference's int32 sum modulo 2^32 (z
** must fit int8, as TFLite requires). No window needs bounds checks.
**
** Sums: eight channels per pass; each tap loads eight inputs and eight
** weights widened to int16 (VLDRB.S16), VMULLB/VMULLT multiply the even
** and the odd lanes into int32 (exact) and two VADDs accumulate: 6
** instructions per 8 multiply-accumulates, the accumulators starting from
** bias_eff (even and odd lanes gathered once per row and channel block).
**
** Requantization: the exact four-lane requantizer of mve_common.h on the
** even and the odd lanes, then VQMOVNB/VQMOVNT narrow them, saturating,
** into one int16x8 vector in channel order, clamped there (the clamp
** bounds lie in int16, so saturating first changes nothing) and stored by
** one VSTRB.16.
*/
#include "arm_mve_kernels.h"

#if defined(MOTE_HAVE_ARM_MVE)
#include <arm_mve.h>

#include "mve_common.h"

/* Filter rows at most (the row pointers live on the stack). */
#define DW_MAX_FH 16

int mote_dwconv2d_s8_mve_supported(const mote_conv_geom *g) {
  return g->depth_multiplier == 1 && g->out_c == g->in_c &&
         g->filt_h <= DW_MAX_FH;
}

/* Padded width of a ring row, in pixels. */
static int32_t ring_w(const mote_conv_geom *g) {
  return (g->out_w - 1) * g->stride_w + (g->filt_w - 1) * g->dil_w + 1;
}

/* Bytes of the 3x3 filter packed by blocks of eight channels (tap t of
 * block j at 72 j + 8 t; full blocks only), 0 for other filters. */
static int32_t packed_bytes(const mote_conv_geom *g) {
  return g->filt_h == 3 && g->filt_w == 3 ? g->out_c / 8 * 72 : 0;
}

size_t mote_dwconv2d_s8_mve_scratch(const mote_conv_geom *g) {
  if (g->out_w <= 0 || g->out_h <= 0) return 0;
  return (size_t)packed_bytes(g) + (size_t)((g->filt_h - 1) * g->dil_h + 1) *
                                       (size_t)ring_w(g) * (size_t)g->out_c;
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

/* n bytes of src to dst. */
static void copy_bytes(int8_t *dst, const int8_t *src, int32_t n) {
  int32_t i;
  for (i = 0; i < n; i += 16) {
    const mve_pred16_t p = vctp8q((uint32_t)(n - i));
    vstrbq_p_s8(dst + i, vldrbq_z_s8(src + i, p), p);
  }
}

/* n bytes of value v at dst. */
static void fill_bytes(int8_t *dst, int8x16_t v, int32_t n) {
  int32_t i;
  for (i = 0; i < n; i += 16)
    vstrbq_p_s8(dst + i, v, vctp8q((uint32_t)(n - i)));
}

/* What one call needs. */
typedef struct dw_call {
  const mote_conv_geom *g;
  const int8_t *img; /* this batch's image */
  int8_t *ring;      /* ring rows of rw * C bytes */
  int32_t rw, rows;  /* ring width (pixels) and row count */
  int8x16_t zp;      /* input zero point */
} dw_call;

/* Ring row of input row iy (any int32): padding or the image's row. */
static int8_t *ring_row(const dw_call *k, int32_t iy) {
  int32_t s = iy % k->rows;
  if (s < 0) s += k->rows;
  return k->ring + s * k->rw * k->g->out_c;
}

static void fill_row(const dw_call *k, int32_t iy) {
  const mote_conv_geom *g = k->g;
  const int32_t C = g->out_c, xa = -g->pad_w;
  int8_t *d = ring_row(k, iy);
  int32_t nl, nm, x0, x1;
  if (iy < 0 || iy >= g->in_h) {
    fill_bytes(d, k->zp, k->rw * C);
    return;
  }
  nl = xa < 0 ? -xa : 0;
  if (nl > k->rw) nl = k->rw;
  x0 = xa < 0 ? 0 : xa;
  x1 = xa + k->rw < g->in_w ? xa + k->rw : g->in_w;
  nm = x1 > x0 ? x1 - x0 : 0;
  fill_bytes(d, k->zp, nl * C);
  copy_bytes(d + nl * C, k->img + (iy * g->in_w + x0) * C, nm * C);
  fill_bytes(d + (nl + nm) * C, k->zp, (k->rw - nl - nm) * C);
}

/* One 3x3 tap row: x at xp, xp + col, xp + 2 col against eight packed
 * weights at wp + 8 t (t = 0..2), into the even and odd sums. */
#define DW_TAP(OFF)                 \
  "vldrb.s16 q1, [%[wp], #" OFF     \
  "]\n\t"                           \
  "vmullb.s16 q2, q0, q1\n\t"       \
  "vadd.i32 %q[ae], %q[ae], q2\n\t" \
  "vmullt.s16 q2, q0, q1\n\t"       \
  "vadd.i32 %q[ao], %q[ao], q2\n\t"
#define DW_ROW(R, O0, O1, O2) \
  "vldrb.s16 q0, [%[" R "]]\n\t"           \
  DW_TAP(O0)                               \
  "add %[t], %[" R "], %[col]\n\t"         \
  "vldrb.s16 q0, [%[t]]\n\t"               \
  DW_TAP(O1)                               \
  "add %[t], %[t], %[col]\n\t"             \
  "vldrb.s16 q0, [%[t]]\n\t"               \
  DW_TAP(O2)

/* The nine taps of a 3x3 window (rows r0..r2, packed weights wp: tap t's
 * eight channels at wp + 8 t) added to *ae (even channels) and *ao. The
 * widening loads take low base registers only ("l"). */
static inline __attribute__((always_inline)) void taps3x3(
    int32x4_t *ae, int32x4_t *ao, const int8_t *r0, const int8_t *r1,
    const int8_t *r2, const int8_t *wp, int32_t col) {
  int32x4_t e = *ae, o = *ao;
  const int8_t *t;
  __asm__ volatile(
      DW_ROW("r0", "0", "8", "16") DW_ROW("r1", "24", "32", "40")
          DW_ROW("r2", "48", "56", "64")
      : [ae] "+w"(e), [ao] "+w"(o), [t] "=&l"(t)
      : [r0] "l"(r0), [r1] "l"(r1), [r2] "l"(r2), [wp] "l"(wp), [col] "r"(col)
      : "q0", "q1", "q2", "memory");
  *ae = e;
  *ao = o;
}

/* Requantization and folded bias of one block of eight channels, even
 * and odd lanes. */
typedef struct dw_blk {
  int32x4_t be, bo;
  mote_mve_rq4 re, ro;
} dw_blk;

/* One output row of one channel block: rows[fy] points at the block's
 * first channel in the ring row of filter row fy; out at the output
 * pixel 0. full: eight channels (else p says which); simple: every shift
 * in [-31, 0]; is3: 3x3 filter. */
static inline __attribute__((always_inline)) void row_block(
    const mote_conv_geom *g, const int8_t *const *rows, const int8_t *fp,
    const int8_t *wpk, int8_t *out, const dw_blk *k, int32_t zo, int16x8_t lo,
    int16x8_t hi, mve_pred16_t p, int full, int simple, int is3) {
  const int32_t C = g->out_c, kh0 = is3 ? 3 : g->filt_h,
                kw = is3 ? 3 : g->filt_w, col = g->dil_w * C,
                px = g->stride_w * C;
  int32_t i, fy, fx;
  for (i = 0; i < g->out_w; i++, out += C) {
    int32x4_t ae = k->be, ao = k->bo;
    int32_t kh = kh0;
    const int8_t *wp = fp;
    if (is3) {
      taps3x3(&ae, &ao, rows[0] + i * px, rows[1] + i * px, rows[2] + i * px,
              wpk, col);
      kh = 0;
    }
#pragma GCC unroll 3
    for (fy = 0; fy < kh; fy++) {
      const int8_t *xp = rows[fy] + i * px;
#pragma GCC unroll 3
      for (fx = 0; fx < kw; fx++, xp += col, wp += C) {
        const int16x8_t x = full ? vldrbq_s16(xp) : vldrbq_z_s16(xp, p);
        const int16x8_t w = full ? vldrbq_s16(wp) : vldrbq_z_s16(wp, p);
        ae = vaddq_s32(ae, vmullbq_int_s16(x, w));
        ao = vaddq_s32(ao, vmulltq_int_s16(x, w));
      }
    }
    if (!simple) {
      ae = vshlq_s32(ae, k->re.left);
      ao = vshlq_s32(ao, k->ro.left);
    }
    ae = vqrdmulhq_s32(ae, k->re.mult);
    ao = vqrdmulhq_s32(ao, k->ro.mult);
    ae = vaddq_s32(ae, vshrq_n_s32(vandq_s32(ae, k->re.right), 31));
    ao = vaddq_s32(ao, vshrq_n_s32(vandq_s32(ao, k->ro.right), 31));
    ae = vaddq_n_s32(vrshlq_s32(ae, k->re.right), zo);
    ao = vaddq_n_s32(vrshlq_s32(ao, k->ro.right), zo);
    int16x8_t v = vqmovnbq_s32(vdupq_n_s16(0), ae);
    v = vqmovntq_s32(v, ao);
    v = vminq_s16(vmaxq_s16(v, lo), hi);
    if (full)
      vstrbq_s16(out, v);
    else
      vstrbq_p_s16(out, v, p);
  }
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

/* GCC's first scheduling pass hoists every load of the unrolled taps
 * ahead of the multiplies and then spills: MVE has eight vector
 * registers. */
__attribute__((optimize("no-schedule-insns"))) void mote_dwconv2d_s8_mve(
    const mote_conv_geom *g, const mote_conv_q_params *p, const int8_t *input,
    const int8_t *filter, const int32_t *bias_eff, int8_t *output,
    int8_t *scratch) {
  const int32_t C = g->out_c, span_h = (g->filt_h - 1) * g->dil_h;
  const int simple = mote_mve_shifts_simple(&p->rq, C);
  const int is3 = g->filt_h == 3 && g->filt_w == 3;
  const int16x8_t lo = vdupq_n_s16((int16_t)p->act_min),
                  hi = vdupq_n_s16((int16_t)p->act_max);
  const uint32x4_t ev = vidupq_n_u32(0, 2), od = vidupq_n_u32(1, 2);
  const int8_t *rows[DW_MAX_FH];
  dw_call k;
  dw_blk blk;
  int32_t b, oy, c, fy;
  if (g->out_w <= 0 || g->out_h <= 0) return;
  k.g = g;
  k.ring = scratch + packed_bytes(g);
  if (is3)
    for (c = 0; c + 8 <= C; c += 8)
      for (fy = 0; fy < 9; fy++)
        vstrbq_s16(scratch + c * 9 + fy * 8, vldrbq_s16(filter + fy * C + c));
  k.rw = ring_w(g);
  k.rows = span_h + 1;
  k.zp = vdupq_n_s8((int8_t)-p->input_offset);
  for (b = 0; b < g->batches; b++) {
    int32_t next = 0, started = 0;
    k.img = input + b * g->in_h * g->in_w * C;
    for (oy = 0; oy < g->out_h; oy++) {
      const int32_t iy0 = oy * g->stride_h - g->pad_h;
      int32_t iy = started && next > iy0 ? next : iy0;
      int8_t *orow = output + (b * g->out_h + oy) * g->out_w * C;
      for (; iy <= iy0 + span_h; iy++) fill_row(&k, iy);
      next = iy;
      started = 1;
      for (fy = 0; fy < g->filt_h; fy++)
        rows[fy] = ring_row(&k, iy0 + fy * g->dil_h);
      for (c = 0; c < C; c += 8) {
        const mve_pred16_t p16 = vctp16q((uint32_t)(C - c));
        const mve_pred16_t pe = vctp32q((uint32_t)((C - c + 1) >> 1));
        const mve_pred16_t po = vctp32q((uint32_t)((C - c) >> 1));
        const int8_t *bp[DW_MAX_FH];
        blk.be = gather32(bias_eff, c, ev, pe);
        blk.bo = gather32(bias_eff, c, od, po);
        blk.re = rq_gather(&p->rq, c, ev, pe);
        blk.ro = rq_gather(&p->rq, c, od, po);
        for (fy = 0; fy < g->filt_h; fy++) bp[fy] = rows[fy] + c;
        if (C - c >= 8 && simple) {
          if (is3)
            row_block(g, bp, filter + c, scratch + c * 9, orow + c, &blk,
                      p->output_offset, lo, hi, p16, 1, 1, 1);
          else
            row_block(g, bp, filter + c, scratch + c * 9, orow + c, &blk,
                      p->output_offset, lo, hi, p16, 1, 1, 0);
        } else {
          row_block(g, bp, filter + c, scratch + c * 9, orow + c, &blk,
                    p->output_offset, lo, hi, p16, 0, 0, 0);
        }
      }
    }
  }
}

#else
/* No MVE: no code here (ISO C wants one declaration). */
typedef int mote_mve_dwconv2d_s8_unused;
#endif
