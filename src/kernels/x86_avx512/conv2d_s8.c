/*
** CONV_2D int8 with AVX-512 VNNI: GEMM (gemm_s8.c) over the output pixels.
**
** Implicit GEMM when every 4-byte depth step of a window is contiguous in
** the input (channels a multiple of 4, or filter rows of a multiple of 4
** bytes without horizontal dilation): the windows of this call are copied
** once into a padded u8 image (x ^ 0x80, the input zero point ^ 0x80
** around it), and the GEMM reads each pixel's steps in place at the
** pixel's corner plus a per-step offset table: no per-pixel copies.
** Otherwise im2col, as follows.
**
** Output pixels are taken in blocks (all batches and rows flattened, so a
** block may span rows and images); the receptive field of each pixel is
** gathered into one u8 row of the scratch block, [filter_h][filter_w][in_c]
** like a filter row, as x ^ 0x80 = x + 128. Taps outside the image hold
** the input zero point (^ 0x80), i.e. x - zero point = 0: the nothing the
** reference adds for them; the bytes from K up to the next multiple of 4
** are zero and meet zero weights. Then the GEMM core multiplies the block
** by the packed weights, requantizes and stores NHWC rows.
**
** Bit-exact for the reasons given in gemm_s8.c: every product is exact,
** the int32 sums wrap like the reference's, the bias folds in the u8
** offset, and requantization is mote_mul_by_qm in 16 lanes.
**
** Few output channels (px_ok: out_c <= 8, no horizontal dilation, stride_w
** * in_c <= 8 bytes, rows of 8 pixels or more) take a third path with the
** output pixels in the lanes instead of the channels (see px_rows).
**
** Window rows start at oy * stride_h - pad_h with no assumption on pad_h,
** so a row slice of a larger output (a shifted pad_h, the output pointer
** moved to the slice) computes exactly its rows.
*/
#include "conv_avx512.h"

#include <string.h>

#include "avx512_common.h"
#include "u8_avx512.h"

static int64_t conv_k(const mote_conv_geom *g) {
  return (int64_t)g->filt_h * g->filt_w * g->filt_in_c;
}

int mote_conv2d_s8_avx512_supported(const mote_conv_geom *g) {
  const int64_t k = conv_k(g);
  return g->filt_in_c == g->in_c && g->in_c > 0 && g->out_c > 0 && k > 0 &&
         k <= MOTE_GEMM_AVX512_MAX_K &&
         mote_gemm_s8_pack_bytes(g->out_c, (int32_t)k) > 0;
}

int mote_dwconv2d_s8_c1_avx512_supported(const mote_conv_geom *g) {
  return g->in_c == 1 && g->filt_in_c == 1 && g->depth_multiplier == g->out_c &&
         mote_conv2d_s8_avx512_supported(g);
}

/*
** Pixels in lanes (px): output channels <= 8. Each input row of a band of
** output rows is copied once into a padded u8 image (x ^ 0x80, the input
** zero point ^ 0x80 around it), rows of prow bytes. A filter row of
** fw * in_c bytes is read as rl4 / 4 steps of 4 bytes (rl4: rounded up
** to 4; the bytes past the window meet zero weights). For 16 neighbouring
** output pixels a step is one vpermb (or vpermt2b) of the bytes at the
** first pixel's window: lane i takes the 4 bytes at i * stride_w * in_c.
** Then each of the 8 channel accumulators (16 pixels each) adds one
** vpdpbusd with that channel's 4 weights broadcast. Requantization per
** channel, then the 8 x 16 results are packed to bytes and permuted to
** NHWC order (pixel-major) for one or two stores.
*/
static int32_t px_rl4(const mote_conv_geom *g) {
  return (g->filt_w * g->in_c + 3) & ~3;
}
static int32_t px_steps(const mote_conv_geom *g) {
  return g->filt_h * (px_rl4(g) / 4);
}
/* Bytes of one padded image row (the windows of out_w pixels). */
static int64_t px_prow(const mote_conv_geom *g) {
  return (int64_t)(g->out_w - 1) * g->stride_w * g->in_c + px_rl4(g);
}
/* Output rows per band: about 16 KiB of image (rows of a slice need no
 * more: only slice-independent extents decide). */
static int32_t px_band(const mote_conv_geom *g) {
  const int64_t r = 16384 / ((int64_t)g->stride_h * px_prow(g));
  return r < 1 ? 1 : (r > 256 ? 256 : (int32_t)r);
}
static int64_t px_ext_h(const mote_conv_geom *g) {
  return (int64_t)(g->filt_h - 1) * g->dil_h + 1;
}
static int px_ok(const mote_conv_geom *g) {
  if (g->out_c > 8 || g->dil_w != 1 || g->out_w < 8 ||
      (int64_t)g->stride_w * g->in_c > 8 || g->filt_in_c != g->in_c ||
      conv_k(g) > MOTE_GEMM_AVX512_MAX_K)
    return 0;
  const int64_t rows = (int64_t)(px_band(g) - 1) * g->stride_h + px_ext_h(g);
  return px_prow(g) <= (1 << 20) && rows * px_prow(g) <= (1 << 22);
}
/* Image bytes (band rows, 192 bytes of slack for the last loads). */
static size_t px_img_bytes(const mote_conv_geom *g) {
  const int32_t band = g->out_h < px_band(g) ? g->out_h : px_band(g);
  const int64_t rows = (int64_t)(band - 1) * g->stride_h + px_ext_h(g);
  return ((size_t)(rows * px_prow(g)) + 192u + 63u) & ~(size_t)63u;
}
static size_t px_pack_bytes(const mote_conv_geom *g) {
  return 64u + (size_t)px_steps(g) * 32u;
}

/* Packed block of the px path: the header (k4 = 4 * steps), bias + the
 * offset correction for 8 channels at 32, int32 [steps][8] weight quads
 * at 64. Weight (j, i) (i: depth index in the filter row order) is
 * element j * sn + i * sk of the filter. */
static const mote_gemm_s8_packed *px_pack(void *mem, const mote_conv_geom *g,
                                          const void *w, int s4, ptrdiff_t sn,
                                          ptrdiff_t sk, const int32_t *bias,
                                          int32_t input_offset) {
  if (!mem || !w) return NULL;
  mote_gemm_s8_packed *pk = (mote_gemm_s8_packed *)mem;
  const int32_t rl4 = px_rl4(g), spr = rl4 / 4, steps = px_steps(g);
  const int32_t rowk = g->filt_w * g->in_c;
  pk->n = g->out_c;
  pk->k = (int32_t)conv_k(g);
  pk->k4 = steps * 4;
  pk->bias_at = 32u;
  pk->w_at = 64u;
  int32_t *b = (int32_t *)(void *)((uint8_t *)mem + 32);
  uint8_t *wq = (uint8_t *)mem + 64;
  const uint32_t corr = (uint32_t)input_offset - 128u;
  for (int32_t j = 0; j < 8; j++) {
    uint32_t sum = 0;
    for (int32_t s = 0; s < steps; s++)
      for (int32_t q = 0; q < 4; q++) {
        const int32_t fy = s / spr, r = 4 * (s % spr) + q;
        int32_t v = 0;
        if (j < g->out_c && r < rowk)
          v = mote_gemm_s8_weight_at(
              w, s4, (ptrdiff_t)j * sn + ((ptrdiff_t)fy * rowk + r) * sk);
        wq[((size_t)s * 8u + (size_t)j) * 4u + (size_t)q] = (uint8_t)(int8_t)v;
        sum += (uint32_t)v;
      }
    b[j] = j < g->out_c
               ? (int32_t)((bias ? (uint32_t)bias[j] : 0u) + corr * sum)
               : 0;
  }
  return pk;
}

size_t mote_conv2d_s8_avx512_pack_bytes(const mote_conv_geom *g) {
  const size_t gemm = mote_gemm_s8_pack_bytes(g->out_c, (int32_t)conv_k(g));
  if (!gemm || !px_ok(g)) return gemm;
  return px_pack_bytes(g) > gemm ? px_pack_bytes(g) : gemm;
}

const mote_gemm_s8_packed *mote_conv2d_s8_avx512_pack(
    void *mem, const mote_conv_geom *g, const void *filter, int s4,
    const int32_t *bias, int32_t input_offset) {
  const int32_t k = (int32_t)conv_k(g);
  if (px_ok(g)) return px_pack(mem, g, filter, s4, k, 1, bias, input_offset);
  return mote_gemm_s8_pack_avx512(mem, g->out_c, k, filter, s4, k, 1, 0, bias,
                                  input_offset);
}

const mote_gemm_s8_packed *mote_dwconv2d_s8_c1_avx512_pack(
    void *mem, const mote_conv_geom *g, const void *filter, int s4,
    const int32_t *bias, int32_t input_offset) {
  /* Filter [1, FH, FW, M]: weight (channel j, tap i) at i * M + j. */
  const int32_t k = g->filt_h * g->filt_w;
  if (px_ok(g))
    return px_pack(mem, g, filter, s4, 1, g->out_c, bias, input_offset);
  return mote_gemm_s8_pack_avx512(mem, g->out_c, k, filter, s4, 1, g->out_c, 0,
                                  bias, input_offset);
}

/* Pixels per im2col block: about 24 KiB of rows, 8 to 128 of them, and no
 * more than the output has. */
static int32_t block_rows(const mote_conv_geom *g, int32_t k4) {
  const int64_t pix = (int64_t)g->batches * g->out_h * g->out_w;
  int32_t mb = (24576 / k4) & ~7;
  if (mb < 8) mb = 8;
  if (mb > 128) mb = 128;
  if (pix < mb) mb = pix < 1 ? 1 : (int32_t)pix;
  return mb;
}

/* Bytes of the padded u8 image of the implicit GEMM (0: im2col instead):
 * taken when every 4-byte depth step is contiguous in it (channels a
 * multiple of 4, or filter rows of a multiple of 4 bytes without
 * horizontal dilation) and it stays below 16 MiB. */
static size_t implicit_bytes(const mote_conv_geom *g) {
  if (!(g->in_c % 4 == 0 || (g->dil_w == 1 && (g->filt_w * g->in_c) % 4 == 0)))
    return 0;
  const int64_t ph = (int64_t)(g->out_h - 1) * g->stride_h +
                     (int64_t)(g->filt_h - 1) * g->dil_h + 1;
  const int64_t pw = (int64_t)(g->out_w - 1) * g->stride_w +
                     (int64_t)(g->filt_w - 1) * g->dil_w + 1;
  const int64_t bytes = ph * pw * g->in_c;
  if (g->out_h < 1 || g->out_w < 1 || bytes > ((int64_t)1 << 24)) return 0;
  return ((size_t)bytes + 15u) & ~(size_t)15u;
}

size_t mote_conv2d_s8_avx512_scratch_bytes(const mote_conv_geom *g) {
  if (px_ok(g))
    return px_img_bytes(g) + (((size_t)px_steps(g) * 4u + 63u) & ~(size_t)63u);
  const int32_t k4 = (int32_t)((conv_k(g) + 3) & ~3);
  const size_t img = implicit_bytes(g);
  if (img) return img + (size_t)(k4 / 4) * sizeof(int32_t);
  return (size_t)block_rows(g, k4) * (size_t)k4;
}

/* The u8 receptive field of output pixel (oy, ox) of image in_b. */
static inline void gather(const mote_conv_geom *g, const int8_t *in_b,
                          int32_t oy, int32_t ox, __m512i padv, uint8_t *dst) {
  const int32_t c = g->in_c, fw = g->filt_w, fh = g->filt_h, rowlen = fw * c;
  const int32_t iy0 = oy * g->stride_h - g->pad_h;
  const int32_t ix0 = ox * g->stride_w - g->pad_w;
  const ptrdiff_t in_row = (ptrdiff_t)g->in_w * c;
  if (g->dil_w == 1 && ix0 >= 0 && ix0 + fw <= g->in_w && iy0 >= 0 &&
      iy0 + (fh - 1) * g->dil_h < g->in_h) {
    /* Window inside the image: one contiguous run per filter row. */
    const int8_t *src = in_b + iy0 * in_row + (ptrdiff_t)ix0 * c;
    const ptrdiff_t step = in_row * g->dil_h;
    if (rowlen == 8) {
      for (int32_t fy = 0; fy < fh; fy++) {
        uint64_t v;
        memcpy(&v, src + fy * step, 8);
        v ^= 0x8080808080808080ULL;
        memcpy(dst + fy * 8, &v, 8);
      }
    } else {
      for (int32_t fy = 0; fy < fh; fy++)
        mote_avx512_flip_u8(dst + fy * rowlen, src + fy * step, rowlen);
    }
    return;
  }
  int32_t lo = 0, hi = fw;
  if (g->dil_w == 1) {
    /* Valid taps of a filter row form one run, contiguous in the input. */
    lo = ix0 < 0 ? (-ix0 < fw ? -ix0 : fw) : 0;
    hi = g->in_w - ix0 < fw ? g->in_w - ix0 : fw;
    if (hi < lo) hi = lo;
  }
  for (int32_t fy = 0; fy < fh; fy++) {
    uint8_t *row = dst + fy * rowlen;
    const int32_t iy = iy0 + g->dil_h * fy;
    if (iy < 0 || iy >= g->in_h) {
      mote_avx512_fill_u8(row, padv, rowlen);
      continue;
    }
    const int8_t *in_r = in_b + (ptrdiff_t)iy * in_row;
    if (g->dil_w == 1) {
      if (lo > 0) mote_avx512_fill_u8(row, padv, lo * c);
      mote_avx512_flip_u8(row + lo * c, in_r + (ptrdiff_t)(ix0 + lo) * c,
                          (hi - lo) * c);
      if (hi < fw) mote_avx512_fill_u8(row + hi * c, padv, (fw - hi) * c);
    } else {
      for (int32_t fx = 0; fx < fw; fx++) {
        const int32_t ix = ix0 + g->dil_w * fx;
        if (ix < 0 || ix >= g->in_w)
          mote_avx512_fill_u8(row + fx * c, padv, c);
        else
          mote_avx512_flip_u8(row + fx * c, in_r + (ptrdiff_t)ix * c, c);
      }
    }
  }
}

/* What px_row reads (a local copy: int8 stores may alias). */
typedef struct px_run {
  const int32_t *koff, *wq, *bias;
  mote_avx512_qm q[8];
  __m512i off, lo, hi, idx, tr;
  int32_t steps, ps, out_w;
} px_run;

/*
** The 16 lanes of one step: lane i the 4 bytes at p + i * ps, by word
** permutes (vpermw/vpermt2w): lanes starting on an even byte from p,
** those on an odd byte (odd ps) from p + 1. TWO: two 64-byte sources
** (ps > 4); ODD: ps odd.
*/
static inline __attribute__((always_inline)) __m512i px_lanes(
    const int TWO, const int ODD, const px_run *r, const uint8_t *p) {
  __m512i x = TWO ? _mm512_permutex2var_epi16(_mm512_loadu_si512(p), r->idx,
                                              _mm512_loadu_si512(p + 64))
                  : _mm512_permutexvar_epi16(r->idx, _mm512_loadu_si512(p));
  if (ODD) {
    const __m512i y =
        TWO ? _mm512_permutex2var_epi16(_mm512_loadu_si512(p + 1), r->idx,
                                        _mm512_loadu_si512(p + 65))
            : _mm512_permutexvar_epi16(r->idx, _mm512_loadu_si512(p + 1));
    x = _mm512_mask_blend_epi32((__mmask16)0xAAAA, x, y);
  }
  return x;
}

/*
** One output row of N (1..8) channels: 16 pixels at a time from the
** image row at `src` (the window of pixel 0).
*/
static inline __attribute__((always_inline)) void px_row(
    const int N, const int TWO, const int ODD, const px_run *r,
    const uint8_t *src, int8_t *out) {
  for (int32_t ox = 0; ox < r->out_w; ox += 16) {
    const uint8_t *a = src + (ptrdiff_t)ox * r->ps;
    __m512i acc[8];
    for (int j = 0; j < N; j++) acc[j] = _mm512_set1_epi32(r->bias[j]);
    const int32_t *w = r->wq;
    for (int32_t s = 0; s < r->steps; s++, w += 8) {
      const __m512i x = px_lanes(TWO, ODD, r, a + r->koff[s]);
      for (int j = 0; j < N; j++) {
        acc[j] = _mm512_dpbusd_epi32(acc[j], x, _mm512_set1_epi32(w[j]));
        __asm__("" : "+v"(acc[j])); /* keeps GCC from copying each step */
      }
    }
    for (int j = 0; j < N; j++)
      acc[j] = mote_avx512_offset_clamp(mote_avx512_qm_apply(&r->q[j], acc[j]),
                                        r->off, r->lo, r->hi);
    for (int j = N; j < 8; j++) acc[j] = _mm512_setzero_si512();
    /* Bytes, per 128-bit lane L (pixels 4L + q): z0 [channel 0..3][q],
     * z1 [channel 4..7][q]; vpshufb makes them [q][channel]. */
    const __m512i z0 = _mm512_shuffle_epi8(
        _mm512_packs_epi16(_mm512_packs_epi32(acc[0], acc[1]),
                           _mm512_packs_epi32(acc[2], acc[3])),
        r->tr);
    const int32_t np = r->out_w - ox < 16 ? r->out_w - ox : 16;
    int8_t *o = out + (ptrdiff_t)ox * N;
    if (N == 4) { /* z0 is [pixel][4 channels] already */
      _mm512_mask_storeu_epi8(o, mote_avx512_mask64(np * 4), z0);
      continue;
    }
    const __m512i z1 =
        N > 4 ? _mm512_shuffle_epi8(
                    _mm512_packs_epi16(_mm512_packs_epi32(acc[4], acc[5]),
                                       _mm512_packs_epi32(acc[6], acc[7])),
                    r->tr)
              : _mm512_setzero_si512();
    /* Pixels 4L, 4L+1 (lo) and 4L+2, 4L+3 (hi) of lane L, 8 bytes each. */
    const __m512i lo = _mm512_unpacklo_epi32(z0, z1);
    const __m512i hi = _mm512_unpackhi_epi32(z0, z1);
    const __m512i v0 = _mm512_permutex2var_epi64(
        lo, _mm512_set_epi64(11, 10, 3, 2, 9, 8, 1, 0), hi);
    const __m512i v1 = _mm512_permutex2var_epi64(
        lo, _mm512_set_epi64(15, 14, 7, 6, 13, 12, 5, 4), hi);
    if (N == 8) {
      const int32_t bytes = np * 8;
      _mm512_mask_storeu_epi8(o, mote_avx512_mask64(bytes < 64 ? bytes : 64),
                              v0);
      if (bytes > 64)
        _mm512_mask_storeu_epi8(o + 64, mote_avx512_mask64(bytes - 64), v1);
    } else {
      int8_t t[128];
      _mm512_storeu_si512(t, v0);
      _mm512_storeu_si512(t + 64, v1);
      for (int32_t i = 0; i < np; i++)
        memcpy(o + (ptrdiff_t)i * N, t + 8 * i, (size_t)N);
    }
  }
}

#define PX_ROW(N)                                                            \
  static void px_row_##N(const px_run *r, const uint8_t *src, int8_t *out) { \
    if (r->ps > 4) {                                                         \
      if (r->ps & 1)                                                         \
        px_row(N, 1, 1, r, src, out);                                        \
      else                                                                   \
        px_row(N, 1, 0, r, src, out);                                        \
    } else if (r->ps & 1) {                                                  \
      px_row(N, 0, 1, r, src, out);                                          \
    } else {                                                                 \
      px_row(N, 0, 0, r, src, out);                                          \
    }                                                                        \
  }
PX_ROW(1)
PX_ROW(2)
PX_ROW(3)
PX_ROW(4)
PX_ROW(5)
PX_ROW(6)
PX_ROW(7)
PX_ROW(8)

typedef void (*px_row_fn)(const px_run *, const uint8_t *, int8_t *);

/* The px path (see px_ok): band by band of output rows. */
static void conv_px(const mote_conv_geom *g, const mote_conv_q_params *p,
                    const mote_gemm_s8_packed *pk, const int8_t *input,
                    int8_t *output, uint8_t *scratch) {
  static const px_row_fn rows_fn[8] = {px_row_1, px_row_2, px_row_3, px_row_4,
                                       px_row_5, px_row_6, px_row_7, px_row_8};
  const int32_t C = g->in_c, N = g->out_c, spr = px_rl4(g) / 4;
  const int32_t prow = (int32_t)px_prow(g), band = px_band(g);
  const int32_t ext_h = (int32_t)px_ext_h(g);
  const size_t img = px_img_bytes(g);
  int32_t *koff = (int32_t *)(void *)(scratch + img);
  px_run r;
  r.steps = px_steps(g);
  r.ps = g->stride_w * C;
  r.out_w = g->out_w;
  r.koff = koff;
  r.bias = (const int32_t *)(const void *)((const uint8_t *)pk + pk->bias_at);
  r.wq = (const int32_t *)(const void *)((const uint8_t *)pk + pk->w_at);
  for (int32_t s = 0; s < r.steps; s++)
    koff[s] = (s / spr) * g->dil_h * prow + 4 * (s % spr);
  for (int32_t j = 0; j < 8; j++) {
    const int32_t c = j < N ? j : 0;
    mote_avx512_qm_prep(&r.q[j],
                        _mm512_set1_epi32(mote_requant_mult(&p->rq, c)),
                        _mm512_set1_epi32(mote_requant_shift(&p->rq, c)));
  }
  r.off = _mm512_set1_epi32(p->output_offset);
  r.lo = _mm512_set1_epi32(p->act_min);
  r.hi = _mm512_set1_epi32(p->act_max);
  {
    /* Word indices of each lane's two words; vpshufb transposing the 4x4
     * bytes [channel][pixel] of each 128-bit lane. */
    int16_t ie[32]; /* odd start st: words (st - 1) / 2 + 0, 1 of p + 1 */
    uint8_t tr[64];
    for (int32_t i = 0; i < 32; i++)
      ie[i] = (int16_t)((((i / 2) * r.ps) & ~1) / 2 + (i & 1));
    for (int32_t i = 0; i < 64; i++)
      tr[i] = (uint8_t)((i / 16) * 16 + (i % 4) * 4 + (i % 16) / 4);
    r.idx = _mm512_loadu_si512(ie);
    r.tr = _mm512_loadu_si512(tr);
  }
  const px_row_fn row_fn = rows_fn[N - 1];
  const __m512i padv =
      _mm512_set1_epi8((char)mote_gemm_s8_pad_u8(p->input_offset));
  /* Whole pixels of an image row inside the input: [xa, xb). */
  const int32_t npx = prow / C;
  int32_t xa = g->pad_w < 0 ? 0 : (g->pad_w < npx ? g->pad_w : npx);
  int32_t xb = g->in_w + g->pad_w < npx ? g->in_w + g->pad_w : npx;
  if (xb < xa) xb = xa;
  const ptrdiff_t in_img = (ptrdiff_t)g->in_h * g->in_w * C;
  const ptrdiff_t out_row = (ptrdiff_t)g->out_w * N;
  for (int32_t b = 0; b < g->batches; b++) {
    const int8_t *in_b = input + b * in_img;
    int8_t *out_b = output + (ptrdiff_t)b * g->out_h * out_row;
    for (int32_t oy0 = 0; oy0 < g->out_h; oy0 += band) {
      const int32_t nb = g->out_h - oy0 < band ? g->out_h - oy0 : band;
      const int32_t rows = (nb - 1) * g->stride_h + ext_h;
      for (int32_t y = 0; y < rows; y++) {
        uint8_t *row = scratch + (ptrdiff_t)y * prow;
        const int32_t iy = oy0 * g->stride_h - g->pad_h + y;
        mote_avx512_fill_u8(row, padv, prow);
        if (iy >= 0 && iy < g->in_h && xb > xa)
          mote_avx512_flip_u8(
              row + xa * C,
              in_b + ((ptrdiff_t)iy * g->in_w + xa - g->pad_w) * C,
              (xb - xa) * C);
      }
      mote_avx512_fill_u8(scratch + (ptrdiff_t)rows * prow, padv, 192);
      for (int32_t i = 0; i < nb; i++)
        row_fn(&r, scratch + (ptrdiff_t)i * g->stride_h * prow,
               out_b + (ptrdiff_t)(oy0 + i) * out_row);
    }
  }
}

void mote_conv2d_s8_avx512(const mote_conv_geom *geom,
                           const mote_conv_q_params *params,
                           const mote_gemm_s8_packed *pk, const int8_t *input,
                           int8_t *output, uint8_t *scratch) {
  /* Local copies: int8 stores may alias anything reached by a pointer. */
  const mote_conv_geom g_ = *geom;
  const mote_conv_q_params p_ = *params;
  const mote_conv_geom *g = &g_;
  const mote_conv_q_params *p = &p_;
  if (px_ok(g)) {
    conv_px(g, p, pk, input, output, scratch);
    return;
  }
  const int32_t K = g->filt_h * g->filt_w * g->in_c, k4 = pk->k4;
  const int32_t mb = block_rows(g, k4);
  const int64_t pix = (int64_t)g->batches * g->out_h * g->out_w;
  const ptrdiff_t in_img = (ptrdiff_t)g->in_h * g->in_w * g->in_c;
  const __m512i padv =
      _mm512_set1_epi8((char)mote_gemm_s8_pad_u8(p->input_offset));
  mote_gemm_s8_out o;
  o.rq = &p->rq;
  o.offset = p->output_offset;
  o.act_min = p->act_min;
  o.act_max = p->act_max;
  const size_t img = implicit_bytes(g);
  if (img) {
    /* Implicit GEMM: the padded u8 image of every window of this call,
     * then each output row reads its windows in place through koff. */
    const int32_t c = g->in_c, fw = g->filt_w;
    const int32_t ph =
        (g->out_h - 1) * g->stride_h + (g->filt_h - 1) * g->dil_h + 1;
    const int32_t pw = (g->out_w - 1) * g->stride_w + (fw - 1) * g->dil_w + 1;
    const ptrdiff_t prow = (ptrdiff_t)pw * c;
    int32_t *koff = (int32_t *)(void *)(scratch + img);
    for (int32_t s = 0; s < k4 / 4; s++) {
      const int32_t k = 4 * s, fy = k / (fw * c), rem = k % (fw * c);
      koff[s] = (int32_t)(fy * g->dil_h * prow +
                          (ptrdiff_t)(rem / c) * g->dil_w * c + rem % c);
    }
    /* Columns of the padded image inside the input: [xa, xb). */
    int32_t xa = g->pad_w < 0 ? 0 : (g->pad_w < pw ? g->pad_w : pw);
    int32_t xb = g->in_w + g->pad_w < pw ? g->in_w + g->pad_w : pw;
    if (xb < xa) xb = xa;
    const int uniform =
        (ptrdiff_t)g->stride_h * pw == (ptrdiff_t)g->out_w * g->stride_w;
    for (int32_t b = 0; b < g->batches; b++) {
      const int8_t *in_b = input + b * in_img;
      for (int32_t y = 0; y < ph; y++) {
        uint8_t *row = scratch + y * prow;
        const int32_t iy = y - g->pad_h;
        if (iy < 0 || iy >= g->in_h) {
          mote_avx512_fill_u8(row, padv, (int32_t)prow);
          continue;
        }
        mote_avx512_fill_u8(row, padv, xa * c);
        mote_avx512_flip_u8(
            row + xa * c, in_b + ((ptrdiff_t)iy * g->in_w + xa - g->pad_w) * c,
            (xb - xa) * c);
        mote_avx512_fill_u8(row + xb * c, padv, (pw - xb) * c);
      }
      int8_t *out_b = output + (ptrdiff_t)b * g->out_h * g->out_w * g->out_c;
      if (uniform) {
        mote_gemm_s8_avx512(pk, scratch, g->out_h * g->out_w,
                            (ptrdiff_t)g->stride_w * c, koff, &o, out_b,
                            g->out_c);
        continue;
      }
      for (int32_t oy = 0; oy < g->out_h; oy++)
        mote_gemm_s8_avx512(pk, scratch + (ptrdiff_t)oy * g->stride_h * prow,
                            g->out_w, (ptrdiff_t)g->stride_w * c, koff, &o,
                            out_b + (ptrdiff_t)oy * g->out_w * g->out_c,
                            g->out_c);
    }
    return;
  }
  int32_t b = 0, oy = 0, ox = 0;
  for (int64_t p0 = 0; p0 < pix; p0 += mb) {
    const int32_t rows = pix - p0 < mb ? (int32_t)(pix - p0) : mb;
    for (int32_t r = 0; r < rows; r++) {
      uint8_t *dst = scratch + (ptrdiff_t)r * k4;
      gather(g, input + b * in_img, oy, ox, padv, dst);
      if (K < k4) memset(dst + K, 0, (size_t)(k4 - K));
      if (++ox == g->out_w) {
        ox = 0;
        if (++oy == g->out_h) {
          oy = 0;
          b++;
        }
      }
    }
    mote_gemm_s8_avx512(pk, scratch, rows, k4, NULL, &o,
                        output + (ptrdiff_t)p0 * g->out_c, g->out_c);
  }
}
