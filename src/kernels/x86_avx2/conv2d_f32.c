/*
** CONV_2D float32 with AVX2 + FMA: per output pixel the receptive field is
** gathered into a float patch laid out like one filter row (zeros where
** the window leaves the image, which add +-0 to the sums; a 1x1 window
** inside the image is the input pixel itself, no copy), then four output
** channels at a time are dot products with their filter rows, two pixels
** at a time so that each weight load serves both (avx2_f32.h, which says
** why the sums differ from the reference in the last bits).
*/
#include <string.h>

#include "avx2_f32.h"
#include "conv_avx2.h"

int mote_conv2d_f32_avx2_supported(const mote_conv_geom *g) {
  return g->filt_in_c == g->in_c &&
         (int64_t)g->filt_h * g->filt_w * g->in_c <= MOTE_AVX2_MAX_K;
}

/* The patch of output pixel (oy, ox): in `buf`, or the input itself. */
static const float *patch_of(const mote_conv_geom *g, const float *img,
                             int32_t oy, int32_t ox, float *buf) {
  const int32_t ic = g->in_c;
  const int32_t iy0 = oy * g->stride_h - g->pad_h;
  const int32_t ix0 = ox * g->stride_w - g->pad_w;
  if (g->filt_h == 1 && g->filt_w == 1 && iy0 >= 0 && iy0 < g->in_h &&
      ix0 >= 0 && ix0 < g->in_w)
    return img + ((ptrdiff_t)iy0 * g->in_w + ix0) * ic;
  float *dst = buf;
  for (int32_t fy = 0; fy < g->filt_h; fy++) {
    const int32_t iy = iy0 + g->dil_h * fy;
    const int row_in = iy >= 0 && iy < g->in_h;
    for (int32_t fx = 0; fx < g->filt_w; fx++, dst += ic) {
      const int32_t ix = ix0 + g->dil_w * fx;
      if (!row_in || ix < 0 || ix >= g->in_w)
        memset(dst, 0, sizeof(float) * (size_t)ic);
      else
        memcpy(dst, img + ((ptrdiff_t)iy * g->in_w + ix) * ic,
               sizeof(float) * (size_t)ic);
    }
  }
  return buf;
}

void mote_conv2d_f32_avx2(const mote_conv_geom *geom,
                          const mote_conv_f32_params *p, const float *input,
                          const float *filter, const float *bias,
                          float *output) {
  const mote_conv_geom g = *geom;
  const int32_t K = g.filt_h * g.filt_w * g.in_c;
  const int32_t pixels = g.out_h * g.out_w;
  const float lo = p->act_min, hi = p->act_max;
  float buf0[MOTE_AVX2_MAX_K] __attribute__((aligned(32)));
  float buf1[MOTE_AVX2_MAX_K] __attribute__((aligned(32)));
  for (int32_t b = 0; b < g.batches; b++) {
    const float *img = input + (ptrdiff_t)b * g.in_h * g.in_w * g.in_c;
    float *out = output + (ptrdiff_t)b * pixels * g.out_c;
    int32_t i = 0;
    for (; i + 2 <= pixels; i += 2) {
      const float *x0 = patch_of(&g, img, i / g.out_w, i % g.out_w, buf0);
      const float *x1 =
          patch_of(&g, img, (i + 1) / g.out_w, (i + 1) % g.out_w, buf1);
      mote_avx2_rows2_f32(x0, x1, K, filter, g.out_c, bias, lo, hi,
                          out + (ptrdiff_t)i * g.out_c,
                          out + (ptrdiff_t)(i + 1) * g.out_c);
    }
    if (i < pixels) {
      const float *x0 = patch_of(&g, img, i / g.out_w, i % g.out_w, buf0);
      mote_avx2_rows_f32(x0, K, filter, g.out_c, bias, lo, hi,
                         out + (ptrdiff_t)i * g.out_c);
    }
  }
}
