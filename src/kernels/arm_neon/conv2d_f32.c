/*
** CONV_2D float32 with NEON: a GEMM over the filter packed at prepare
** (gemm_f32.c). Output pixels go in tiles of 8, crossing output rows (the
** last tile shorter). Each pixel of a tile is given to the micro-kernel as
** one pointer per window row: with dilation_w 1 a window row is FW * C
** consecutive input floats, read in place when the window's columns lie
** inside the image (a row of zeros in scratch stands for window rows above
** or below it); windows crossing the left or right edge, and every window
** when dilation_w > 1 or the filter is taller than MAX_SEG, are gathered
** into scratch (im2col, zeros outside the image). 1x1 stride-1 layers
** whose rows span the input read the image as one flat matrix.
**
** Windows start at oy * stride_h - pad_h for any pad_h (row slices:
** f32_neon.h); only rows [0, out_h) of the output are written.
*/
#include "f32_neon.h"
#include "f32_neon_inl.h"

#define MR MOTE_F32_NEON_MR
#define MAX_SEG 16 /* taller windows are gathered whole */

int mote_conv2d_f32_neon_supported(const mote_conv_geom *g) {
  return g->filt_in_c == g->in_c && g->in_c > 0 && g->out_c > 0;
}

static size_t patch_len(const mote_conv_geom *g) {
  return (size_t)g->filt_h * (size_t)g->filt_w * (size_t)g->in_c;
}

size_t mote_conv2d_f32_neon_scratch(const mote_conv_geom *g) {
  return (MR + 1) * patch_len(g) * sizeof(float);
}

/* The receptive field of the window at (iy0, ix0) as one filter row. */
static void gather(const mote_conv_geom *g, const float *img, int32_t iy0,
                   int32_t ix0, float *dst) {
  const size_t C = (size_t)g->in_c, run = (size_t)g->filt_w * C;
  for (int32_t fy = 0; fy < g->filt_h; fy++, dst += run) {
    const int32_t iy = iy0 + g->dil_h * fy;
    if (iy < 0 || iy >= g->in_h) {
      memset(dst, 0, run * sizeof(float));
      continue;
    }
    const float *row = img + (size_t)iy * (size_t)g->in_w * C;
    for (int32_t fx = 0; fx < g->filt_w; fx++) {
      const int32_t ix = ix0 + g->dil_w * fx;
      float *d = dst + (size_t)fx * C;
      if (ix < 0 || ix >= g->in_w)
        memset(d, 0, C * sizeof(float));
      else
        memcpy(d, row + (size_t)ix * C, C * sizeof(float));
    }
  }
}

/* Segment pointers of the mr pixels from (oy, ox) on: in place where the
 * window's columns are inside the image (rows: segments are window rows),
 * else gathered into slot m of buf. */
static void tile_segments(const mote_conv_geom *g, const float *img, int32_t oy,
                          int32_t ox, int32_t mr, int rows, int32_t nseg,
                          size_t seg, float *buf, const float *zrow,
                          const float **ap) {
  const size_t K = patch_len(g), C = (size_t)g->in_c;
  for (int32_t m = 0; m < mr; m++) {
    const int32_t iy0 = oy * g->stride_h - g->pad_h;
    const int32_t ix0 = ox * g->stride_w - g->pad_w;
    if (rows && ix0 >= 0 && ix0 + g->filt_w <= g->in_w) {
      for (int32_t fy = 0; fy < nseg; fy++) {
        const int32_t iy = iy0 + g->dil_h * fy;
        ap[fy * MR + m] =
            iy >= 0 && iy < g->in_h
                ? img + ((size_t)iy * (size_t)g->in_w + (size_t)ix0) * C
                : zrow;
      }
    } else {
      float *slot = buf + (size_t)m * K;
      gather(g, img, iy0, ix0, slot);
      for (int32_t s = 0; s < nseg; s++)
        ap[s * MR + m] = slot + (size_t)s * seg;
    }
    if (++ox == g->out_w) {
      ox = 0;
      oy++;
    }
  }
}

void mote_conv2d_f32_neon(const mote_conv_geom *g,
                          const mote_conv_f32_params *p, const float *input,
                          const float *packed, const float *bias, float *output,
                          void *scratch) {
  const size_t K = patch_len(g), C = (size_t)g->in_c;
  const int32_t pixels = g->out_h * g->out_w;
  const int rows = g->dil_w == 1 && g->filt_h <= MAX_SEG;
  const int32_t nseg = rows ? g->filt_h : 1;
  const size_t seg = rows ? K / (size_t)g->filt_h : K;
  float *buf = (float *)scratch;
  float *zrow = buf + (size_t)MR * K;
  memset(zrow, 0, seg * sizeof(float));
  /* 1x1, stride 1, output rows as wide as the input's: output pixel q
   * reads input pixel q - pad_h * in_w while that lies in the image. */
  const int flat = g->filt_h == 1 && g->filt_w == 1 && g->stride_h == 1 &&
                   g->stride_w == 1 && g->pad_w == 0 && g->out_w == g->in_w;
  const int64_t flat_lo = (int64_t)g->pad_h * g->out_w;
  const int64_t flat_hi = flat_lo + (int64_t)g->in_h * g->in_w;
  for (int32_t b = 0; b < g->batches; b++) {
    const float *img =
        input + (size_t)b * (size_t)g->in_h * (size_t)g->in_w * C;
    float *out = output + (size_t)b * (size_t)pixels * (size_t)g->out_c;
    for (int32_t q0 = 0; q0 < pixels; q0 += MR) {
      const int32_t mr = pixels - q0 < MR ? pixels - q0 : MR;
      const float *ap[MR * MAX_SEG];
      if (flat && q0 >= flat_lo && q0 + mr <= flat_hi)
        for (int32_t m = 0; m < mr; m++)
          ap[m] = img + (size_t)((int64_t)(q0 + m) - flat_lo) * C;
      else
        tile_segments(g, img, q0 / g->out_w, q0 % g->out_w, mr, rows, nseg, seg,
                      buf, zrow, ap);
      mote_f32_neon_gemm(ap, mr, nseg, (int32_t)seg, packed, g->out_c, bias,
                         p->act_min, p->act_max,
                         out + (size_t)q0 * (size_t)g->out_c, g->out_c);
    }
  }
}
