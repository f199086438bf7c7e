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

#include <stdint.h>

#include "mve_common.h"

/* Requantization and folded bias of one block of eight channels, even
 * and odd lanes (the offsets below are the assembly's). */
typedef struct dw_blk {
  int32x4_t be, bo; /* 0, 16 */
  mote_mve_rq4 re;  /* mult 32, left 48, right 64 */
  mote_mve_rq4 ro;  /* mult 80, left 96, right 112 */
} dw_blk;

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
  return 16u + (size_t)(g->out_c + 7) / 8u * sizeof(dw_blk) +
         (size_t)packed_bytes(g) +
         (size_t)((g->filt_h - 1) * g->dil_h + 1) * (size_t)ring_w(g) *
             (size_t)g->out_c;
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

/* One 3x3 tap row: x at R, R + col, R + 2 col against the packed weights
 * at wp + O0, O1, O2 (eight channels each) into the even and odd sums;
 * R ends at R + step (the next pixel). */
#define DW_TAP(OFF)                 \
  "vldrb.s16 q1, [%[wp], #" OFF     \
  "]\n\t"                           \
  "vmullb.s16 q2, q0, q1\n\t"       \
  "vadd.i32 %q[ae], %q[ae], q2\n\t" \
  "vmullt.s16 q2, q0, q1\n\t"       \
  "vadd.i32 %q[ao], %q[ao], q2\n\t"
#define DW_ROW(R, O0, O1, O2)                                            \
  "vldrb.s16 q0, [%[" R                                                  \
  "]]\n\t" DW_TAP(O0) "add %[" R "], %[" R                               \
                      "], %[col]\n\t"                                    \
                      "vldrb.s16 q0, [%[" R                              \
                      "]]\n\t" DW_TAP(O1) "add %[" R "], %[" R           \
                                          "], %[col]\n\t"                \
                                          "vldrb.s16 q0, [%[" R          \
                                          "]]\n\t" DW_TAP(O2) "add %[" R \
                                                              "], %[" R  \
                                                              "], %[step]\n\t"
/* Requantize the even (A) or odd (A = ao) sums with the table at tb + M
 * (multipliers) and tb + R (right shifts), + output offset. */
#define DW_RQ(A, M, R)            \
  "vldrw.32 q0, [%[tb], #" M      \
  "]\n\t"                         \
  "vqrdmulh.s32 %q[" A "], %q[" A \
  "], q0\n\t"                     \
  "vldrw.32 q0, [%[tb], #" R      \
  "]\n\t"                         \
  "vand q1, %q[" A                \
  "], q0\n\t"                     \
  "vshr.s32 q1, q1, #31\n\t"      \
  "vadd.i32 %q[" A "], %q[" A     \
  "], q1\n\t"                     \
  "vrshl.s32 %q[" A "], %q[" A    \
  "], q0\n\t"                     \
  "vadd.i32 %q[" A "], %q[" A "], %[zo]\n\t"

/* One output pixel of eight channels, 3x3 filter, every shift in
 * [-31, 0]: sums from the block's folded bias (tb, a dw_blk), the nine
 * taps (rows *r0..*r2, advanced by one pixel; packed weights wp: tap t at
 * wp + 8 t), requantized, narrowed with saturation, clamped to [lo, hi]
 * and stored at out. The widening loads and the narrowing store take low
 * base registers only ("l"). */
static inline __attribute__((always_inline)) void px3x3(
    const dw_blk *tb, const int8_t **r0, const int8_t **r1, const int8_t **r2,
    const int8_t *wp, int32_t col, int32_t step, int8_t *out, int32_t zo,
    int16x8_t lo, int16x8_t hi) {
  const int8_t *x0 = *r0, *x1 = *r1, *x2 = *r2;
  int32x4_t e, o;
  __asm__ volatile(
      "vldrw.32 %q[ae], [%[tb]]\n\t"
      "vldrw.32 %q[ao], [%[tb], #16]\n\t"
      DW_ROW("x0", "0", "8", "16") DW_ROW("x1", "24", "32", "40")
      DW_ROW("x2", "48", "56", "64")
      DW_RQ("ae", "32", "64") DW_RQ("ao", "80", "112")
      "vqmovnb.s32 q1, %q[ae]\n\t"
      "vqmovnt.s32 q1, %q[ao]\n\t"
      "vmax.s16 q1, q1, %q[lo]\n\t"
      "vmin.s16 q1, q1, %q[hi]\n\t"
      "vstrb.16 q1, [%[out]]"
      : [ae] "=&w"(e), [ao] "=&w"(o), [x0] "+l"(x0), [x1] "+l"(x1),
        [x2] "+l"(x2)
      : [tb] "r"(tb), [wp] "l"(wp), [col] "r"(col), [step] "r"(step),
        [out] "l"(out), [zo] "r"(zo), [lo] "w"(lo), [hi] "w"(hi)
      : "q0", "q1", "q2", "memory");
  *r0 = x0;
  *r1 = x1;
  *r2 = x2;
}

/* One output row of one channel block: rows[fy] points at the block's
 * first channel in the ring row of filter row fy; out at the output
 * pixel 0. full: eight channels (else p says which); simple: every shift
 * in [-31, 0]. */
static inline __attribute__((always_inline)) void row_block(
    const mote_conv_geom *g, const int8_t *const *rows, const int8_t *fp,
    int8_t *out, const dw_blk *k, int32_t zo, int16x8_t lo, int16x8_t hi,
    mve_pred16_t p, int full, int simple) {
  const int32_t C = g->out_c, kh = g->filt_h, kw = g->filt_w,
                col = g->dil_w * C, px = g->stride_w * C;
  int32_t i, fy, fx;
  for (i = 0; i < g->out_w; i++, out += C) {
    int32x4_t ae = k->be, ao = k->bo;
    const int8_t *wp = fp;
    for (fy = 0; fy < kh; fy++) {
      const int8_t *xp = rows[fy] + i * px;
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

/* One output row of one full block, 3x3 filter, simple shifts: rows as
 * row_block's, wp the block's packed weights, tb its table entry. */
static void row3x3(const mote_conv_geom *g, const int8_t *const *rows,
                   const int8_t *wp, int8_t *out, const dw_blk *tb, int32_t zo,
                   int16x8_t lo, int16x8_t hi) {
  const int32_t C = g->out_c, col = g->dil_w * C,
                step = g->stride_w * C - 2 * col;
  const int8_t *x0 = rows[0], *x1 = rows[1], *x2 = rows[2];
  int32_t i;
  for (i = 0; i < g->out_w; i++, out += C)
    px3x3(tb, &x0, &x1, &x2, wp, col, step, out, zo, lo, hi);
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

/* The kernel: the block table, the packed 3x3 filter, then output rows
 * (ring rows filled as the windows first need them) by blocks of eight
 * channels. */
void mote_dwconv2d_s8_mve(const mote_conv_geom *g, const mote_conv_q_params *p,
                          const int8_t *input, const int8_t *filter,
                          const int32_t *bias_eff, int8_t *output,
                          int8_t *scratch) {
  const int32_t C = g->out_c, span_h = (g->filt_h - 1) * g->dil_h;
  const int simple = mote_mve_shifts_simple(&p->rq, C);
  const int is3 = g->filt_h == 3 && g->filt_w == 3;
  const int16x8_t lo = vdupq_n_s16((int16_t)p->act_min),
                  hi = vdupq_n_s16((int16_t)p->act_max);
  const uint32x4_t ev = vidupq_n_u32(0, 2), od = vidupq_n_u32(1, 2);
  dw_blk *tbl = (dw_blk *)(((uintptr_t)scratch + 15u) & ~(uintptr_t)15u);
  int8_t *pk = (int8_t *)(tbl + (C + 7) / 8);
  const int8_t *rows[DW_MAX_FH], *bp[DW_MAX_FH];
  dw_call k;
  int32_t b, oy, c, fy;
  if (g->out_w <= 0 || g->out_h <= 0) return;
  for (c = 0; c < C; c += 8) {
    const mve_pred16_t pe = vctp32q((uint32_t)((C - c + 1) >> 1));
    const mve_pred16_t po = vctp32q((uint32_t)((C - c) >> 1));
    dw_blk *t = tbl + c / 8;
    t->be = gather32(bias_eff, c, ev, pe);
    t->bo = gather32(bias_eff, c, od, po);
    t->re = rq_gather(&p->rq, c, ev, pe);
    t->ro = rq_gather(&p->rq, c, od, po);
  }
  if (is3)
    for (c = 0; c + 8 <= C; c += 8)
      for (fy = 0; fy < 9; fy++)
        vstrbq_s16(pk + c * 9 + fy * 8, vldrbq_s16(filter + fy * C + c));
  k.g = g;
  k.ring = pk + packed_bytes(g);
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
        for (fy = 0; fy < g->filt_h; fy++) bp[fy] = rows[fy] + c;
        if (C - c >= 8 && simple && is3)
          row3x3(g, bp, pk + c * 9, orow + c, tbl + c / 8, p->output_offset, lo,
                 hi);
        else if (C - c >= 8 && simple)
          row_block(g, bp, filter + c, orow + c, tbl + c / 8, p->output_offset,
                    lo, hi, vctp16q(8), 1, 1);
        else
          row_block(g, bp, filter + c, orow + c, tbl + c / 8, p->output_offset,
                    lo, hi, vctp16q((uint32_t)(C - c)), 0, 0);
      }
    }
  }
}

#else
/* No MVE: no code here (ISO C wants one declaration). */
typedef int mote_mve_dwconv2d_s8_unused;
#endif
