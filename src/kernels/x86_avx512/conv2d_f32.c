/*
** CONV_2D float32 with AVX-512: a GEMM over the filter packed at prepare
** (gemm_f32.c). Output pixels go in tiles of 8 (crossing output rows, the
** last tile shorter); each tile's receptive fields are gathered into
** scratch rows laid out like one filter row (im2col, zeros where a window
** leaves the image, one copy per in-image run of the window row), then the
** micro-kernel computes the tile's 8 x 32 outputs per panel with bias and
** clamp fused. Windows whose columns lie inside the image (dilation_w 1)
** are not copied: the micro-kernel reads each window row in place (a row
** of zeros in scratch stands for rows outside the image), so only pixels
** at the left and right edges are gathered. Windows start at
** oy * stride_h - pad_h for any pad_h (row slices, f32_avx512.h).
*/
#include <immintrin.h>

#include "f32_avx512.h"
#include "f32_avx512_inl.h"

#define MR MOTE_F32_AVX512_MR
#define MAX_SEG 16 /* taller windows are gathered whole */

int mote_conv2d_f32_avx512_supported(const mote_conv_geom *g) {
  return g->filt_in_c == g->in_c && g->in_c > 0 && g->out_c > 0;
}

static size_t patch_len(const mote_conv_geom *g) {
  return (size_t)g->filt_h * (size_t)g->filt_w * (size_t)g->in_c;
}

size_t mote_conv2d_f32_avx512_scratch(const mote_conv_geom *g) {
  return (MR + 1) * patch_len(g) * sizeof(float) + 64;
}

static void zero_f(float *d, size_t n) {
  const __m512 z = _mm512_setzero_ps();
  for (; n >= 16; n -= 16, d += 16) _mm512_storeu_ps(d, z);
  if (n) _mm512_mask_storeu_ps(d, mote_f32x16_lanes((int64_t)n), z);
}

static void copy_f(float *d, const float *s, size_t n) {
  for (; n >= 16; n -= 16, d += 16, s += 16)
    _mm512_storeu_ps(d, _mm512_loadu_ps(s));
  if (n) {
    const __mmask16 m = mote_f32x16_lanes((int64_t)n);
    _mm512_mask_storeu_ps(d, m, _mm512_maskz_loadu_ps(m, s));
  }
}

/* The receptive field of output pixel (oy, ox) as one filter row. */
static void fill_patch(const mote_conv_geom *g, const float *img, int32_t oy,
                       int32_t ox, float *dst) {
  const size_t ic = (size_t)g->in_c, fw = (size_t)g->filt_w;
  const int32_t iy0 = oy * g->stride_h - g->pad_h;
  const int32_t ix0 = ox * g->stride_w - g->pad_w;
  for (int32_t fy = 0; fy < g->filt_h; fy++, dst += fw * ic) {
    const int32_t iy = iy0 + g->dil_h * fy;
    if (iy < 0 || iy >= g->in_h) {
      zero_f(dst, fw * ic);
      continue;
    }
    const float *row = img + (ptrdiff_t)iy * g->in_w * g->in_c;
    if (g->dil_w == 1) {
      /* Columns fx in [lo, hi) are inside the image: one run. */
      int32_t lo = ix0 < 0 ? -ix0 : 0, hi = g->in_w - ix0;
      if (hi > g->filt_w) hi = g->filt_w;
      if (lo > g->filt_w) lo = g->filt_w;
      if (hi < lo) hi = lo;
      zero_f(dst, (size_t)lo * ic);
      copy_f(dst + (size_t)lo * ic, row + (ptrdiff_t)(ix0 + lo) * g->in_c,
             (size_t)(hi - lo) * ic);
      zero_f(dst + (size_t)hi * ic, (fw - (size_t)hi) * ic);
      continue;
    }
    for (int32_t fx = 0; fx < g->filt_w; fx++) {
      const int32_t ix = ix0 + g->dil_w * fx;
      if (ix < 0 || ix >= g->in_w)
        zero_f(dst + (size_t)fx * ic, ic);
      else
        copy_f(dst + (size_t)fx * ic, row + (ptrdiff_t)ix * g->in_c, ic);
    }
  }
}

/* Segment pointers of the tile's mr pixels from (oy, ox) on, row by row:
 * in place where the window's columns are inside the image, else gathered
 * into slot m of buf. */
static void tile_segments(const mote_conv_geom *g, const float *img, int32_t oy,
                          int32_t ox, int32_t mr, int rows, int32_t nseg,
                          int32_t seg, float *buf, const float *zrow,
                          const float **ap) {
  const size_t K = patch_len(g);
  const ptrdiff_t C = g->in_c;
  for (int32_t m = 0; m < mr; m++) {
    const int32_t iy0 = oy * g->stride_h - g->pad_h;
    const int32_t ix0 = ox * g->stride_w - g->pad_w;
    if (rows && ix0 >= 0 && ix0 + g->filt_w <= g->in_w) {
      for (int32_t fy = 0; fy < nseg; fy++) {
        const int32_t iy = iy0 + g->dil_h * fy;
        ap[fy * MR + m] = iy >= 0 && iy < g->in_h
                              ? img + ((ptrdiff_t)iy * g->in_w + ix0) * C
                              : zrow;
      }
    } else {
      float *slot = buf + (size_t)m * K;
      fill_patch(g, img, oy, ox, slot);
      for (int32_t s = 0; s < nseg; s++)
        ap[s * MR + m] = slot + (size_t)s * (size_t)seg;
    }
    if (++ox == g->out_w) {
      ox = 0;
      oy++;
    }
  }
}

void mote_conv2d_f32_avx512(const mote_conv_geom *g,
                            const mote_conv_f32_params *p, const float *input,
                            const float *packed, const float *bias,
                            float *output, void *scratch) {
  const size_t K = patch_len(g);
  const ptrdiff_t C = g->in_c;
  const int32_t pixels = g->out_h * g->out_w;
  /* Segments per window: one per window row when its columns are
   * contiguous in the input (dilation_w 1), else the whole gathered patch. */
  const int rows = g->dil_w == 1 && g->filt_h <= MAX_SEG;
  const int32_t nseg = rows ? g->filt_h : 1;
  const int32_t seg = (int32_t)(rows ? K / (size_t)g->filt_h : K);
  float *buf = (float *)(void *)(((uintptr_t)scratch + 63) & ~(uintptr_t)63);
  float *zrow = buf + (size_t)MR * K; /* seg zeros for rows off the image */
  zero_f(zrow, (size_t)seg);
  /* 1x1, stride 1, rows as wide as the input: output pixel p reads input
   * pixel p - pad_h * in_w, in place, while its row is in the image. */
  const int flat = g->filt_h == 1 && g->filt_w == 1 && g->stride_h == 1 &&
                   g->stride_w == 1 && g->pad_w == 0 && g->out_w == g->in_w;
  const int32_t flat_lo = g->pad_h * g->out_w;
  const int32_t flat_hi = (g->pad_h + g->in_h) * g->out_w;
  for (int32_t b = 0; b < g->batches; b++) {
    const float *img = input + (ptrdiff_t)b * g->in_h * g->in_w * C;
    float *out = output + (ptrdiff_t)b * pixels * g->out_c;
    for (int32_t p0 = 0; p0 < pixels; p0 += MR) {
      const int32_t mr = pixels - p0 < MR ? pixels - p0 : MR;
      const float *ap[MR * MAX_SEG];
      if (flat && p0 >= flat_lo && p0 + mr <= flat_hi)
        for (int32_t m = 0; m < mr; m++)
          ap[m] = img + (ptrdiff_t)(p0 + m - flat_lo) * C;
      else
        tile_segments(g, img, p0 / g->out_w, p0 % g->out_w, mr, rows, nseg, seg,
                      buf, zrow, ap);
      mote_f32_avx512_gemm(ap, mr, nseg, seg, packed, g->out_c, bias,
                           p->act_min, p->act_max,
                           out + (ptrdiff_t)p0 * g->out_c, g->out_c);
    }
  }
}
