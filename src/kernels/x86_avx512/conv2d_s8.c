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

size_t mote_conv2d_s8_avx512_pack_bytes(const mote_conv_geom *g) {
  return mote_gemm_s8_pack_bytes(g->out_c, (int32_t)conv_k(g));
}

const mote_gemm_s8_packed *mote_conv2d_s8_avx512_pack(
    void *mem, const mote_conv_geom *g, const void *filter, int s4,
    const int32_t *bias, int32_t input_offset) {
  const int32_t k = (int32_t)conv_k(g);
  return mote_gemm_s8_pack_avx512(mem, g->out_c, k, filter, s4, k, 1, 0, bias,
                                  input_offset);
}

const mote_gemm_s8_packed *mote_dwconv2d_s8_c1_avx512_pack(
    void *mem, const mote_conv_geom *g, const void *filter, int s4,
    const int32_t *bias, int32_t input_offset) {
  /* Filter [1, FH, FW, M]: weight (channel j, tap i) at i * M + j. */
  const int32_t k = g->filt_h * g->filt_w;
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

void mote_conv2d_s8_avx512(const mote_conv_geom *geom,
                           const mote_conv_q_params *params,
                           const mote_gemm_s8_packed *pk, const int8_t *input,
                           int8_t *output, uint8_t *scratch) {
  /* Local copies: int8 stores may alias anything reached by a pointer. */
  const mote_conv_geom g_ = *geom;
  const mote_conv_q_params p_ = *params;
  const mote_conv_geom *g = &g_;
  const mote_conv_q_params *p = &p_;
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
