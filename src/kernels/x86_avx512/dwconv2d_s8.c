/*
** DEPTHWISE_CONV_2D int8 with AVX-512 (see dwconv_avx512.h).
**
** Method. Output channels are contiguous in filter and output, so 16 of
** them are one vector of int32 accumulators. Per tap, 16 input bytes are
** sign-extended to int32 lanes (vpmovsxbd) and multiplied by the tap's
** weights with vpdpwssd: the packed filter holds each weight as an int32
** lane whose low int16 is w and whose high int16 is 0, so the pair product
** is x * w + sign(x) * 0 = x * w, added to the lane without saturation.
** With depth multiplier m > 1 the input lanes are spread to the output
** channels by vpermd (output channel oc reads input channel oc / m).
**
** Channel counts up to 8 (multiplier 1, stride_w 1) would leave most lanes
** empty, so there the vector spans several output pixels: P = 16 / C
** neighbouring pixels read P * C contiguous input bytes per tap, and the
** weights, multipliers and shifts are repeated P times at prepare.
**
** Input offset. Pixels whose whole window lies inside the image use
** sum w * (x + io) = sum w * x + io * sum w: io * sum w (over all taps) is
** folded in at prepare, so the taps need no add. Border pixels loop over
** their valid taps only and add io to x (|x + io| <= 255 stays exact in
** the low int16). Either way the int32 lanes hold, modulo 2^32, the
** reference's int64 sum wrapped to int32, then plus the bias (also
** wrapping): int32 addition is associative and commutative modulo 2^32.
** Requantization is mote_avx512_requant (bit-exact with mote_mul_by_qm),
** then the output offset, clamp and a saturating (in-range) narrowing.
*/
#include "dwconv_avx512.h"

#include <string.h>

#include "avx512_common.h"

/* Where the parts of the packed filter lie (byte offsets; all multiples
 * of 64 from the start). */
typedef struct dw_layout {
  int32_t ocp;  /* out_c rounded up to 16 */
  int32_t taps; /* filter_h * filter_w */
  int32_t pix;  /* pixels per vector of the small-channel path, 0: none */
  size_t w;     /* int32 [taps][ocp]: weights, low int16 */
  size_t wsum;  /* int32 [ocp]: io * sum of the channel's weights */
  size_t perm;  /* int32 [ocp] (multiplier > 1): vpermd lane of channel */
  size_t rep;   /* pix: int32 [taps][16] weights, [16] wsum, mult, shift */
  size_t pw;    /* pr: int32 [pairs * filter_w][ocp]: weight pairs */
  size_t total;
} dw_layout;

/*
** Pair rows (pr), multiplier 1: the input rows of a band of output rows
** are widened once into scratch as int32 lanes holding two int16 values,
** x + io of input row y (low) and of row y + dil_h (high), zero outside
** the image; channels padded to 16. Filter rows 2p and 2p + 1 then make
** one vpdpwssd per column with the weight pair (w[2p][fx], w[2p+1][fx])
** (0 for the missing row of an odd height): 6 plain loads and vpdpwssd
** per 16 channels of a 3x3 pixel, no border cases, no offset fold (the
** padding is 0 = x + io of the zero point). |x + io| <= 255 and the
** weights fit int16, so the pair products and sums are exact in int32.
*/
static int32_t pr_pairs(const mote_conv_geom *g) {
  return (g->filt_h + 1) / 2;
}
static int64_t pr_prow(const mote_conv_geom *g) {
  const int64_t pw = (int64_t)(g->out_w - 1) * g->stride_w +
                     (int64_t)(g->filt_w - 1) * g->dil_w + 1;
  return pw * (((int64_t)g->in_c + 15) & ~(int64_t)15) * 4;
}
/* Pair rows a band of n output rows spans. */
static int64_t pr_rows(const mote_conv_geom *g, int64_t n) {
  return (n - 1) * g->stride_h + (int64_t)2 * (pr_pairs(g) - 1) * g->dil_h + 1;
}
/* Output rows per band: about 32 KiB of pair rows (slice-independent). */
static int32_t pr_band(const mote_conv_geom *g) {
  const int64_t fix = pr_rows(g, 1), rows = 32768 / pr_prow(g);
  const int64_t n = rows <= fix ? 1 : (rows - fix) / g->stride_h + 1;
  return n > 1024 ? 1024 : (int32_t)n;
}
/* Taken for multiplier 1, stride 1 and 64 channels or more: there it
 * beats the per-tap widening below (kws 25x5x64: 7.5 -> 6.4 us); with
 * fewer channels or stride 2 the widening of unused rows and columns costs
 * more than it saves (MobileNet 48x48x8 .. 24x24x32). */
static int pr_ok(const mote_conv_geom *g) {
  return g->depth_multiplier == 1 && g->in_c >= 64 && g->stride_h == 1 &&
         g->stride_w == 1 && g->out_w >= 1 && pr_prow(g) <= (1 << 20) &&
         pr_rows(g, pr_band(g)) * pr_prow(g) <= (1 << 24);
}

static void dw_layout_of(const mote_conv_geom *g, dw_layout *l) {
  size_t o = 0;
  l->ocp = (g->out_c + 15) & ~15;
  l->taps = g->filt_h * g->filt_w;
  l->pix = g->depth_multiplier == 1 && g->out_c <= 8 && g->stride_w == 1 &&
                   g->filt_h == 3 && g->filt_w == 3
               ? 16 / g->out_c
               : 0;
  l->w = o;
  o += (size_t)l->taps * (size_t)l->ocp * 4u;
  l->wsum = o;
  o += (size_t)l->ocp * 4u;
  l->perm = o;
  if (g->depth_multiplier > 1) o += (size_t)l->ocp * 4u;
  l->rep = o;
  if (l->pix) o += (size_t)(l->taps + 3) * 64u;
  l->pw = o;
  if (pr_ok(g))
    o += (size_t)pr_pairs(g) * (size_t)g->filt_w * (size_t)l->ocp * 4u;
  l->total = o;
}

int mote_dwconv2d_s8_avx512_supported(const mote_conv_geom *g,
                                      int32_t input_offset) {
  const int64_t taps = (int64_t)g->filt_h * g->filt_w;
  return g->in_c > 1 && g->depth_multiplier >= 1 &&
         (int64_t)g->in_c * g->depth_multiplier == g->out_c && taps >= 1 &&
         taps <= MOTE_AVX512_DW_MAX_TAPS && input_offset >= -127 &&
         input_offset <= 128;
}

size_t mote_dwconv2d_s8_avx512_packed_bytes(const mote_conv_geom *g) {
  dw_layout l;
  dw_layout_of(g, &l);
  return l.total;
}

void mote_dwconv2d_s8_avx512_pack(const mote_conv_geom *g,
                                  const mote_conv_q_params *p,
                                  const int8_t *filter, void *packed) {
  dw_layout l;
  dw_layout_of(g, &l);
  uint8_t *base = (uint8_t *)packed;
  int32_t *w = (int32_t *)(void *)(base + l.w);
  int32_t *wsum = (int32_t *)(void *)(base + l.wsum);
  const int32_t oc_n = g->out_c, dm = g->depth_multiplier;
  for (int32_t c = 0; c < l.ocp; c++) {
    int64_t s = 0;
    for (int32_t t = 0; t < l.taps; t++) {
      int32_t v = c < oc_n ? filter[(ptrdiff_t)t * oc_n + c] : 0;
      w[(ptrdiff_t)t * l.ocp + c] = (int32_t)(uint16_t)(int16_t)v;
      s += v;
    }
    wsum[c] = mote_conv_wrap_i32(s * p->input_offset);
  }
  if (dm > 1) {
    int32_t *perm = (int32_t *)(void *)(base + l.perm);
    for (int32_t c = 0; c < l.ocp; c++)
      perm[c] = c < oc_n ? c / dm - (c & ~15) / dm : 0;
  }
  if (pr_ok(g)) {
    int32_t *pw = (int32_t *)(void *)(base + l.pw);
    for (int32_t pr = 0, t = 0; pr < pr_pairs(g); pr++)
      for (int32_t fx = 0; fx < g->filt_w; fx++, t++)
        for (int32_t c = 0; c < l.ocp; c++) {
          const int32_t fy = 2 * pr, k = g->filt_w;
          const int32_t lo =
              c < oc_n ? filter[((ptrdiff_t)fy * k + fx) * oc_n + c] : 0;
          const int32_t hi =
              c < oc_n && fy + 1 < g->filt_h
                  ? filter[((ptrdiff_t)(fy + 1) * k + fx) * oc_n + c]
                  : 0;
          pw[(ptrdiff_t)t * l.ocp + c] =
              (int32_t)((uint32_t)(uint16_t)(int16_t)lo |
                        ((uint32_t)(uint16_t)(int16_t)hi << 16));
        }
  }
  if (l.pix) {
    int32_t *rep = (int32_t *)(void *)(base + l.rep);
    const int32_t lanes = l.pix * oc_n;
    for (int32_t j = 0; j < 16; j++) {
      const int32_t c = j % oc_n, on = j < lanes;
      for (int32_t t = 0; t < l.taps; t++)
        rep[t * 16 + j] = on ? w[(ptrdiff_t)t * l.ocp + c] : 0;
      rep[l.taps * 16 + j] = on ? wsum[c] : 0;
      rep[(l.taps + 1) * 16 + j] = mote_requant_mult(&p->rq, c);
      rep[(l.taps + 2) * 16 + j] = mote_requant_shift(&p->rq, c);
    }
  }
}

/* What the pixel loops share (a local copy: int8 stores may alias any
 * pointer, so fields would be reloaded after each store otherwise). */
typedef struct dw_run {
  const int32_t *w, *wsum, *perm, *bias;
  const ptrdiff_t *off; /* [taps]: input byte offset of each tap */
  mote_requant_ch rq;
  int32_t oc, ocp, dm, taps, io, out_off, lo, hi;
} dw_run;

/* Input lanes of output channels c .. c+15 (m: lanes inside out_c) at one
 * tap position `x` (the pixel's channel 0): sign-extended int32. */
static inline __attribute__((always_inline)) __m512i dw_load(
    const dw_run *r, const int8_t *x, int32_t c, __mmask16 m, __mmask16 mi,
    __m512i idx) {
  if (r->dm == 1) return _mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(m, x + c));
  return _mm512_permutexvar_epi32(
      idx, _mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(mi, x + c / r->dm)));
}

/* Mask of the input lanes block c needs, and its vpermd indices. */
static inline __attribute__((always_inline)) void dw_block_in(const dw_run *r,
                                                              int32_t c,
                                                              __mmask16 *mi,
                                                              __m512i *idx) {
  *mi = 0;
  *idx = _mm512_setzero_si512();
  if (r->dm > 1) {
    const int32_t last = (c + 16 < r->oc ? c + 16 : r->oc) - 1;
    *mi = mote_avx512_mask16(last / r->dm - c / r->dm + 1);
    *idx = _mm512_loadu_si512((const void *)(r->perm + c));
  }
}

/* One pixel whose window lies inside the image: `px` is the input at the
 * window origin. All taps, offset folded into wsum. */
static inline __attribute__((always_inline)) void dw_pixel_inner(
    const dw_run *r, int32_t taps, const int8_t *px, int8_t *out) {
  for (int32_t c = 0; c < r->oc; c += 16) {
    const __mmask16 m = mote_avx512_mask16(r->oc - c);
    __mmask16 mi;
    __m512i idx;
    dw_block_in(r, c, &mi, &idx);
    __m512i acc = _mm512_loadu_si512((const void *)(r->wsum + c));
    if (r->bias)
      acc = _mm512_add_epi32(acc, _mm512_maskz_loadu_epi32(m, r->bias + c));
    const int32_t *w = r->w + c;
    for (int32_t t = 0; t < taps; t++) {
      __m512i x = dw_load(r, px + r->off[t], c, m, mi, idx);
      acc = _mm512_dpwssd_epi32(
          acc, x,
          _mm512_loadu_si512((const void *)(w + (ptrdiff_t)t * r->ocp)));
    }
    mote_avx512_requant_store16(acc, &r->rq, c, m, r->out_off, r->lo, r->hi,
                                out + c);
  }
}

/* One pixel at the border: only the taps [fy0, fy1) x [fx0, fx1) inside
 * the image, with the input offset added to each value. */
static void dw_pixel_border(const dw_run *r, const mote_conv_geom *g,
                            const int8_t *in_b, int32_t iy0, int32_t ix0,
                            int8_t *out) {
  int32_t fy0 = 0, fy1 = g->filt_h, fx0 = 0, fx1 = g->filt_w;
  while (fy0 < fy1 && iy0 + g->dil_h * fy0 < 0) fy0++;
  while (fy1 > fy0 && iy0 + g->dil_h * (fy1 - 1) >= g->in_h) fy1--;
  while (fx0 < fx1 && ix0 + g->dil_w * fx0 < 0) fx0++;
  while (fx1 > fx0 && ix0 + g->dil_w * (fx1 - 1) >= g->in_w) fx1--;
  const __m512i io = _mm512_set1_epi32(r->io);
  const ptrdiff_t rowb = (ptrdiff_t)g->in_w * g->in_c;
  for (int32_t c = 0; c < r->oc; c += 16) {
    const __mmask16 m = mote_avx512_mask16(r->oc - c);
    __mmask16 mi;
    __m512i idx;
    dw_block_in(r, c, &mi, &idx);
    __m512i acc = r->bias ? _mm512_maskz_loadu_epi32(m, r->bias + c)
                          : _mm512_setzero_si512();
    for (int32_t fy = fy0; fy < fy1; fy++) {
      const int8_t *row = in_b + (ptrdiff_t)(iy0 + g->dil_h * fy) * rowb;
      for (int32_t fx = fx0; fx < fx1; fx++) {
        const int8_t *x = row + (ptrdiff_t)(ix0 + g->dil_w * fx) * g->in_c;
        __m512i v = _mm512_add_epi32(dw_load(r, x, c, m, mi, idx), io);
        acc = _mm512_dpwssd_epi32(
            acc, v,
            _mm512_loadu_si512(
                (const void *)(r->w +
                               ((ptrdiff_t)fy * g->filt_w + fx) * r->ocp + c)));
      }
    }
    mote_avx512_requant_store16(acc, &r->rq, c, m, r->out_off, r->lo, r->hi,
                                out + c);
  }
}

/* Requantization of one block of lanes: the multiplier constants, output
 * zero point and clamp held in registers. */
typedef struct dw_rq {
  mote_avx512_qm m;
  __m512i off, lo, hi;
} dw_rq;

static inline __attribute__((always_inline)) void dw_rq_init(dw_rq *q,
                                                             __m512i mult,
                                                             __m512i shift,
                                                             const dw_run *r) {
  mote_avx512_qm_prep(&q->m, mult, shift);
  q->off = _mm512_set1_epi32(r->out_off);
  q->lo = _mm512_set1_epi32(r->lo);
  q->hi = _mm512_set1_epi32(r->hi);
}

static inline __attribute__((always_inline)) __m512i dw_rq_apply(const dw_rq *q,
                                                                 __m512i acc) {
  return mote_avx512_offset_clamp(mote_avx512_qm_apply(&q->m, acc), q->off,
                                  q->lo, q->hi);
}

/* 16 int8 lanes at p (only the lanes of m unless `full`) as int32. */
static inline __attribute__((always_inline)) __m512i dw_ld(const int8_t *p,
                                                           __mmask16 m,
                                                           int full) {
  return _mm512_cvtepi8_epi32(full ? _mm_loadu_si128((const __m128i *)p)
                                   : _mm_maskz_loadu_epi8(m, p));
}

/*
** 3x3 filter, multiplier 1: one block of lanes over every interior pixel
** of rows [0, out_h) with the nine weight vectors, the accumulator start
** and the requantization in registers. `px0` is the input at the window
** origin of the row's first pixel ox_lo (row-relative), `step` pixels per
** vector (1, or P of the small-channel path), `n` vectors per row. With
** `zp` (step 1 only) the other pixels of the rows too: their taps outside
** the image read 16 copies of the input zero point (x + io = 0, so with
** io * sum w already in `init` they add nothing).
*/
static inline __attribute__((always_inline)) void dw_rows_3x3(
    const mote_conv_geom *g, const int8_t *in_b, int8_t *out_b,
    const int32_t *w, ptrdiff_t wstride, __m512i init, const dw_rq *q,
    __mmask16 m, int full, int32_t ox_lo, int32_t n, int32_t step, int32_t c,
    const int8_t *zp) {
  const __m512i w0 = _mm512_loadu_si512((const void *)w),
                w1 = _mm512_loadu_si512((const void *)(w + wstride)),
                w2 = _mm512_loadu_si512((const void *)(w + 2 * wstride)),
                w3 = _mm512_loadu_si512((const void *)(w + 3 * wstride)),
                w4 = _mm512_loadu_si512((const void *)(w + 4 * wstride)),
                w5 = _mm512_loadu_si512((const void *)(w + 5 * wstride)),
                w6 = _mm512_loadu_si512((const void *)(w + 6 * wstride)),
                w7 = _mm512_loadu_si512((const void *)(w + 7 * wstride)),
                w8 = _mm512_loadu_si512((const void *)(w + 8 * wstride));
  const ptrdiff_t C = g->in_c, cs = (ptrdiff_t)g->dil_w * C;
  const ptrdiff_t rs = (ptrdiff_t)g->dil_h * g->in_w * C;
  const ptrdiff_t pstep = (ptrdiff_t)step * g->stride_w * C;
  const ptrdiff_t ostep = (ptrdiff_t)step * g->out_c;
  const int32_t ext_h = 2 * g->dil_h + 1;
  for (int32_t oy = 0; oy < g->out_h; oy++) {
    const int32_t iy0 = oy * g->stride_h - g->pad_h;
    const int inside = iy0 >= 0 && iy0 <= g->in_h - ext_h;
    if (zp) {
      /* The row's pixels outside [ox_lo, ox_lo + n) (all if !inside). */
      const int32_t b0 = inside ? ox_lo : g->out_w;
      const int32_t b1 = inside ? ox_lo + n : g->out_w;
      for (int32_t ox = 0; ox < g->out_w; ox++) {
        if (ox == b0) ox = b1;
        if (ox >= g->out_w) break;
        const int8_t *tp[9];
        const int32_t ix0 = ox * g->stride_w - g->pad_w;
        for (int32_t fy = 0, t = 0; fy < 3; fy++) {
          const int32_t iy = iy0 + fy * g->dil_h;
          for (int32_t fx = 0; fx < 3; fx++, t++) {
            const int32_t ix = ix0 + fx * g->dil_w;
            tp[t] = iy >= 0 && iy < g->in_h && ix >= 0 && ix < g->in_w
                        ? in_b + ((ptrdiff_t)iy * g->in_w + ix) * C + c
                        : zp;
          }
        }
        __m512i a = _mm512_dpwssd_epi32(init, dw_ld(tp[0], m, full), w0);
        __m512i b = _mm512_dpwssd_epi32(_mm512_setzero_si512(),
                                        dw_ld(tp[1], m, full), w1);
        a = _mm512_dpwssd_epi32(a, dw_ld(tp[2], m, full), w2);
        b = _mm512_dpwssd_epi32(b, dw_ld(tp[3], m, full), w3);
        a = _mm512_dpwssd_epi32(a, dw_ld(tp[4], m, full), w4);
        b = _mm512_dpwssd_epi32(b, dw_ld(tp[5], m, full), w5);
        a = _mm512_dpwssd_epi32(a, dw_ld(tp[6], m, full), w6);
        b = _mm512_dpwssd_epi32(b, dw_ld(tp[7], m, full), w7);
        a = _mm512_dpwssd_epi32(a, dw_ld(tp[8], m, full), w8);
        _mm512_mask_cvtsepi32_storeu_epi8(
            out_b + ((ptrdiff_t)oy * g->out_w + ox) * g->out_c + c, m,
            dw_rq_apply(q, _mm512_add_epi32(a, b)));
      }
    }
    if (!inside) continue;
    const int8_t *p0 =
        in_b +
        ((ptrdiff_t)iy0 * g->in_w + (ptrdiff_t)ox_lo * g->stride_w - g->pad_w) *
            C +
        c;
    int8_t *o = out_b + ((ptrdiff_t)oy * g->out_w + ox_lo) * g->out_c + c;
    for (int32_t i = 0; i < n; i++, p0 += pstep, o += ostep) {
      const int8_t *p1 = p0 + rs, *p2 = p1 + rs;
      __m512i a = _mm512_dpwssd_epi32(init, dw_ld(p0, m, full), w0);
      __m512i b = _mm512_dpwssd_epi32(_mm512_setzero_si512(),
                                      dw_ld(p0 + cs, m, full), w1);
      a = _mm512_dpwssd_epi32(a, dw_ld(p0 + 2 * cs, m, full), w2);
      b = _mm512_dpwssd_epi32(b, dw_ld(p1, m, full), w3);
      a = _mm512_dpwssd_epi32(a, dw_ld(p1 + cs, m, full), w4);
      b = _mm512_dpwssd_epi32(b, dw_ld(p1 + 2 * cs, m, full), w5);
      a = _mm512_dpwssd_epi32(a, dw_ld(p2, m, full), w6);
      b = _mm512_dpwssd_epi32(b, dw_ld(p2 + cs, m, full), w7);
      a = _mm512_dpwssd_epi32(a, dw_ld(p2 + 2 * cs, m, full), w8);
      __m512i v = dw_rq_apply(q, _mm512_add_epi32(a, b));
      if (full)
        _mm_storeu_si128((__m128i *)(void *)o, _mm512_cvtsepi32_epi8(v));
      else
        _mm512_mask_cvtsepi32_storeu_epi8(o, m, v);
    }
  }
}

/* First output index >= 0 whose window start o * s - pad is >= 0, and the
 * end of the run whose window (extent e) also ends inside n. */
static void dw_inner_range(int32_t n, int32_t s, int32_t pad, int32_t e,
                           int32_t count, int32_t *lo, int32_t *hi) {
  int32_t a = pad <= 0 ? 0 : (pad + s - 1) / s;
  int32_t last = n - e + pad; /* o * s <= last */
  int32_t b = last < 0 ? 0 : last / s + 1;
  if (a > count) a = count;
  if (b > count) b = count;
  if (b < a) b = a;
  *lo = a;
  *hi = b;
}

size_t mote_dwconv2d_s8_avx512_scratch_bytes(const mote_conv_geom *g) {
  if (!pr_ok(g)) return 0;
  const int32_t band = g->out_h < pr_band(g) ? g->out_h : pr_band(g);
  return (size_t)(pr_rows(g, band) * pr_prow(g));
}

/* Pair row y of a band: rows iy and iy + dil_h of the input, x + io,
 * columns [0, pw), Cp channels each. */
static void pr_build(const mote_conv_geom *g, const int8_t *in_b, int32_t iy,
                     int32_t io, int32_t pw, int32_t cp, int32_t *dst) {
  const int32_t C = g->in_c;
  const int va = iy >= 0 && iy < g->in_h;
  const int vb = iy + g->dil_h >= 0 && iy + g->dil_h < g->in_h;
  int32_t xa = g->pad_w < 0 ? 0 : (g->pad_w < pw ? g->pad_w : pw);
  int32_t xb = g->in_w + g->pad_w < pw ? g->in_w + g->pad_w : pw;
  if (xb < xa || (!va && !vb)) xb = xa;
  memset(dst, 0, (size_t)xa * (size_t)cp * 4u);
  memset(dst + (ptrdiff_t)xb * cp, 0, (size_t)(pw - xb) * (size_t)cp * 4u);
  if (xb == xa) return;
  const __m512i vio = _mm512_set1_epi32(io), z = _mm512_setzero_si512();
  const int8_t *ra = in_b + ((ptrdiff_t)iy * g->in_w + xa - g->pad_w) * C;
  const int8_t *rb = ra + (ptrdiff_t)g->dil_h * g->in_w * C;
  for (int32_t x = xa; x < xb; x++, ra += C, rb += C) {
    int32_t *d = dst + (ptrdiff_t)x * cp;
    for (int32_t c = 0; c < C; c += 16) {
      const __mmask16 m = mote_avx512_mask16(C - c);
      const __m512i a =
          va ? _mm512_add_epi32(
                   _mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(m, ra + c)), vio)
             : z;
      const __m512i b =
          vb ? _mm512_add_epi32(
                   _mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(m, rb + c)), vio)
             : z;
      _mm512_storeu_si512((void *)(d + c),
                          _mm512_mask_blend_epi16((__mmask32)0xAAAAAAAAu, a,
                                                  _mm512_slli_epi32(b, 16)));
    }
  }
}

/* Pixels of one band, one block of 16 channels: T3 the 3x3 filter with
 * its 6 weight pairs in registers, else any filter (toff: byte offsets of
 * the n pair taps). */
static inline __attribute__((always_inline)) void pr_block(
    const int T3, const mote_conv_geom *g, const uint8_t *pr, ptrdiff_t prow,
    int32_t nb, const int32_t *w, ptrdiff_t wstride, const ptrdiff_t *toff,
    int32_t n, __m512i init, const dw_rq *q, __mmask16 m, int8_t *out) {
  const ptrdiff_t cs = (ptrdiff_t)g->stride_w * (wstride * 4);
  __m512i w0 = init, w1 = init, w2 = init, w3 = init, w4 = init, w5 = init;
  if (T3) {
    w0 = _mm512_loadu_si512((const void *)w);
    w1 = _mm512_loadu_si512((const void *)(w + wstride));
    w2 = _mm512_loadu_si512((const void *)(w + 2 * wstride));
    w3 = _mm512_loadu_si512((const void *)(w + 3 * wstride));
    w4 = _mm512_loadu_si512((const void *)(w + 4 * wstride));
    w5 = _mm512_loadu_si512((const void *)(w + 5 * wstride));
  }
  for (int32_t i = 0; i < nb; i++) {
    const uint8_t *p = pr + (ptrdiff_t)i * g->stride_h * prow;
    int8_t *o = out + (ptrdiff_t)i * g->out_w * g->out_c;
    for (int32_t ox = 0; ox < g->out_w; ox++, p += cs, o += g->out_c) {
      __m512i acc = init;
      if (T3) {
        __m512i b = _mm512_dpwssd_epi32(
            _mm512_setzero_si512(),
            _mm512_loadu_si512((const void *)(p + toff[1])), w1);
        acc = _mm512_dpwssd_epi32(
            acc, _mm512_loadu_si512((const void *)(p + toff[0])), w0);
        acc = _mm512_dpwssd_epi32(
            acc, _mm512_loadu_si512((const void *)(p + toff[2])), w2);
        b = _mm512_dpwssd_epi32(
            b, _mm512_loadu_si512((const void *)(p + toff[3])), w3);
        acc = _mm512_dpwssd_epi32(
            acc, _mm512_loadu_si512((const void *)(p + toff[4])), w4);
        b = _mm512_dpwssd_epi32(
            b, _mm512_loadu_si512((const void *)(p + toff[5])), w5);
        acc = _mm512_add_epi32(acc, b);
      } else {
        for (int32_t t = 0; t < n; t++)
          acc = _mm512_dpwssd_epi32(
              acc, _mm512_loadu_si512((const void *)(p + toff[t])),
              _mm512_loadu_si512((const void *)(w + t * wstride)));
      }
      _mm512_mask_cvtsepi32_storeu_epi8(o, m, dw_rq_apply(q, acc));
    }
  }
}

/* The pr path (see pr_ok): band by band of output rows. */
static void pr_run(const mote_conv_geom *g, const mote_conv_q_params *p,
                   const dw_layout *l, const uint8_t *base, const int8_t *input,
                   const int32_t *bias, int8_t *output, uint8_t *scratch) {
  const int32_t cp = l->ocp, np = pr_pairs(g), n = np * g->filt_w;
  const ptrdiff_t prow = (ptrdiff_t)pr_prow(g);
  const int32_t pw = (int32_t)(prow / (cp * 4)), band = pr_band(g);
  const int t3 = g->filt_h == 3 && g->filt_w == 3;
  const int32_t *wp = (const int32_t *)(const void *)(base + l->pw);
  ptrdiff_t toff[2 * MOTE_AVX512_DW_MAX_TAPS];
  for (int32_t pr = 0, t = 0; pr < np; pr++)
    for (int32_t fx = 0; fx < g->filt_w; fx++, t++)
      toff[t] = (ptrdiff_t)2 * pr * g->dil_h * prow +
                (ptrdiff_t)fx * g->dil_w * cp * 4;
  dw_run r; /* for dw_rq_init: the output offset and clamp */
  memset(&r, 0, sizeof r);
  r.out_off = p->output_offset;
  r.lo = p->act_min;
  r.hi = p->act_max;
  const ptrdiff_t in_img = (ptrdiff_t)g->in_h * g->in_w * g->in_c;
  const ptrdiff_t out_row = (ptrdiff_t)g->out_w * g->out_c;
  for (int32_t b = 0; b < g->batches; b++) {
    const int8_t *in_b = input + b * in_img;
    int8_t *out_b = output + (ptrdiff_t)b * g->out_h * out_row;
    for (int32_t oy0 = 0; oy0 < g->out_h; oy0 += band) {
      const int32_t nb = g->out_h - oy0 < band ? g->out_h - oy0 : band;
      const int32_t rows = (int32_t)pr_rows(g, nb);
      for (int32_t y = 0; y < rows; y++) {
        int used = 0; /* some output row of the band reads pair row y */
        for (int32_t pr = 0; pr < np && !used; pr++) {
          const int32_t d = y - 2 * pr * g->dil_h;
          used = d >= 0 && d % g->stride_h == 0 && d / g->stride_h < nb;
        }
        if (used)
          pr_build(g, in_b, oy0 * g->stride_h - g->pad_h + y, p->input_offset,
                   pw, cp, (int32_t *)(void *)(scratch + (ptrdiff_t)y * prow));
      }
      int8_t *o = out_b + (ptrdiff_t)oy0 * out_row;
      for (int32_t c = 0; c < g->out_c; c += 16) {
        const __mmask16 m = mote_avx512_mask16(g->out_c - c);
        const __m512i init = bias ? _mm512_maskz_loadu_epi32(m, bias + c)
                                  : _mm512_setzero_si512();
        dw_rq q;
        dw_rq_init(&q, mote_avx512_rq_mult(&p->rq, c, m),
                   mote_avx512_rq_shift(&p->rq, c, m), &r);
        const uint8_t *src = scratch + (ptrdiff_t)c * 4;
        if (t3)
          pr_block(1, g, src, prow, nb, wp + c, cp, toff, n, init, &q, m,
                   o + c);
        else
          pr_block(0, g, src, prow, nb, wp + c, cp, toff, n, init, &q, m,
                   o + c);
      }
    }
  }
}

void mote_dwconv2d_s8_avx512(const mote_conv_geom *geom,
                             const mote_conv_q_params *params,
                             const void *packed, const int8_t *input,
                             const int32_t *bias, int8_t *output,
                             void *scratch) {
  const mote_conv_geom g = *geom;
  if (scratch && pr_ok(&g)) {
    dw_layout pl;
    dw_layout_of(&g, &pl);
    pr_run(&g, params, &pl, (const uint8_t *)packed, input, bias, output,
           (uint8_t *)scratch);
    return;
  }
  dw_layout l;
  dw_layout_of(&g, &l);
  const uint8_t *base = (const uint8_t *)packed;
  ptrdiff_t off[MOTE_AVX512_DW_MAX_TAPS];
  dw_run r;
  r.w = (const int32_t *)(const void *)(base + l.w);
  r.wsum = (const int32_t *)(const void *)(base + l.wsum);
  r.perm = (const int32_t *)(const void *)(base + l.perm);
  r.bias = bias;
  r.off = off;
  r.rq = params->rq;
  r.oc = g.out_c;
  r.ocp = l.ocp;
  r.dm = g.depth_multiplier;
  r.taps = l.taps;
  r.io = params->input_offset;
  r.out_off = params->output_offset;
  r.lo = params->act_min;
  r.hi = params->act_max;
  for (int32_t fy = 0, t = 0; fy < g.filt_h; fy++)
    for (int32_t fx = 0; fx < g.filt_w; fx++, t++)
      off[t] =
          ((ptrdiff_t)fy * g.dil_h * g.in_w + (ptrdiff_t)fx * g.dil_w) * g.in_c;
  const int32_t ext_h = (g.filt_h - 1) * g.dil_h + 1;
  const int32_t ext_w = (g.filt_w - 1) * g.dil_w + 1;
  int32_t ox_lo, ox_hi;
  dw_inner_range(g.in_w, g.stride_w, g.pad_w, ext_w, g.out_w, &ox_lo, &ox_hi);

  /* Small-channel path: repeated weights and requantization, and the
   * bias + io * sum w of each lane. */
  const int32_t *rep = (const int32_t *)(const void *)(base + l.rep);
  const __mmask16 mp = mote_avx512_mask16(l.pix * g.out_c);
  __m512i p_init = _mm512_setzero_si512(), p_mult = p_init, p_shift = p_init;
  if (l.pix) {
    int32_t b16[16];
    for (int32_t j = 0; j < 16; j++)
      b16[j] = bias && j < l.pix * g.out_c ? bias[j % g.out_c] : 0;
    p_init =
        _mm512_add_epi32(_mm512_loadu_si512((const void *)b16),
                         _mm512_loadu_si512((const void *)(rep + l.taps * 16)));
    p_mult = _mm512_loadu_si512((const void *)(rep + (l.taps + 1) * 16));
    p_shift = _mm512_loadu_si512((const void *)(rep + (l.taps + 2) * 16));
  }

  const ptrdiff_t in_img = (ptrdiff_t)g.in_h * g.in_w * g.in_c;
  const ptrdiff_t out_row = (ptrdiff_t)g.out_w * g.out_c;
  const ptrdiff_t out_img = (ptrdiff_t)g.out_h * out_row;
  /* 3x3, multiplier 1: interior pixels [ox_lo, fast_hi) of interior rows
   * go block by block with everything in registers (dw_rows_3x3). */
  const int fast = g.depth_multiplier == 1 && g.filt_h == 3 && g.filt_w == 3;
  const int32_t pstep = l.pix ? l.pix : 1;
  const int32_t nvec = fast ? (ox_hi - ox_lo) / pstep : 0;
  const int32_t fast_hi = ox_lo + nvec * pstep;
  /* Without the small-channel path every pixel of a 3x3 layer goes
   * through dw_rows_3x3. */
  const int all = fast && !l.pix;
  int8_t zp16[16];
  memset(zp16, (int)(int8_t)(-r.io), sizeof zp16);
  for (int32_t b = 0; b < g.batches; b++) {
    const int8_t *in_b = input + (ptrdiff_t)b * in_img;
    int8_t *out_b = output + (ptrdiff_t)b * out_img;
    if (nvec > 0 && l.pix) {
      dw_rq q;
      dw_rq_init(&q, p_mult, p_shift, &r);
      if (mp == 0xFFFF)
        dw_rows_3x3(&g, in_b, out_b, rep, 16, p_init, &q, mp, 1, ox_lo, nvec,
                    pstep, 0, NULL);
      else
        dw_rows_3x3(&g, in_b, out_b, rep, 16, p_init, &q, mp, 0, ox_lo, nvec,
                    pstep, 0, NULL);
    } else if (all) {
      for (int32_t c = 0; c < g.out_c; c += 16) {
        const __mmask16 m = mote_avx512_mask16(g.out_c - c);
        __m512i init = _mm512_loadu_si512((const void *)(r.wsum + c));
        if (bias)
          init = _mm512_add_epi32(init, _mm512_maskz_loadu_epi32(m, bias + c));
        dw_rq q;
        dw_rq_init(&q, mote_avx512_rq_mult(&r.rq, c, m),
                   mote_avx512_rq_shift(&r.rq, c, m), &r);
        if (m == 0xFFFF)
          dw_rows_3x3(&g, in_b, out_b, r.w + c, l.ocp, init, &q, m, 1, ox_lo,
                      nvec, 1, c, zp16);
        else
          dw_rows_3x3(&g, in_b, out_b, r.w + c, l.ocp, init, &q, m, 0, ox_lo,
                      nvec, 1, c, zp16);
      }
      continue; /* every pixel done */
    }
    for (int32_t oy = 0; oy < g.out_h; oy++) {
      const int32_t iy0 = oy * g.stride_h - g.pad_h;
      int8_t *out = out_b + (ptrdiff_t)oy * out_row;
      const int inside = iy0 >= 0 && iy0 <= g.in_h - ext_h;
      const int32_t lo = inside ? ox_lo : g.out_w;
      const int32_t hi = inside ? ox_hi : g.out_w;
      const int8_t *in_row =
          inside ? in_b + (ptrdiff_t)iy0 * g.in_w * g.in_c : in_b;
      int32_t ox = 0;
      for (; ox < lo; ox++)
        dw_pixel_border(&r, &g, in_b, iy0, ox * g.stride_w - g.pad_w,
                        out + (ptrdiff_t)ox * g.out_c);
      if (inside && nvec > 0) ox = fast_hi; /* done above */
      for (; ox < hi; ox++) {
        const int8_t *px =
            in_row + (ptrdiff_t)(ox * g.stride_w - g.pad_w) * g.in_c;
        dw_pixel_inner(&r, l.taps, px, out + (ptrdiff_t)ox * g.out_c);
      }
      for (; ox < g.out_w; ox++)
        dw_pixel_border(&r, &g, in_b, iy0, ox * g.stride_w - g.pad_w,
                        out + (ptrdiff_t)ox * g.out_c);
    }
  }
}
