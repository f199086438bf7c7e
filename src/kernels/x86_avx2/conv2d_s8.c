/*
** CONV_2D int8 with AVX2. For each output pixel the receptive field is
** gathered once into an int16 patch [filter_h][filter_w][channels] holding
** input + input_offset (0 where the window leaves the image: padding stands
** for the real value 0, exactly what the reference skips), the layout of
** one filter row; then eight output channels at a time are dot products of
** the patch with their filter rows (avx2_common.h). 1x1 convolutions are
** the same with a patch of one pixel. Grouped convolutions and patches
** longer than MOTE_AVX2_MAX_K are declined (reference kernel).
*/
#include "conv_avx2.h"

#include "avx2_common.h"

int mote_conv2d_s8_avx2_supported(const mote_conv_geom *g) {
  int64_t k = (int64_t)g->filt_h * g->filt_w * g->filt_in_c;
  return g->filt_in_c == g->in_c && k > 0 && k <= MOTE_AVX2_MAX_K;
}

void mote_conv2d_s8_avx2(const mote_conv_geom *geom,
                         const mote_conv_q_params *params, const int8_t *input,
                         const int8_t *filter, const int32_t *bias,
                         int8_t *output) {
  /* Local copies: int8 stores may alias anything reached by a pointer. */
  const mote_conv_geom g_ = *geom;
  const mote_conv_q_params p_ = *params;
  const mote_conv_geom *g = &g_;
  const mote_conv_q_params *p = &p_;
  int16_t patch[MOTE_AVX2_MAX_K + 16] __attribute__((aligned(32)));
  const int32_t c = g->in_c, fw = g->filt_w;
  const int32_t K = g->filt_h * fw * c;
  const int32_t io = p->input_offset;
  mote_avx2_zero16(patch + K, ((K + 15) & ~15) - K);
  for (int32_t b = 0; b < g->batches; b++) {
    const int8_t *in_b = input + (ptrdiff_t)b * g->in_h * g->in_w * c;
    for (int32_t oy = 0; oy < g->out_h; oy++) {
      const int32_t iy0 = oy * g->stride_h - g->pad_h;
      for (int32_t ox = 0; ox < g->out_w; ox++) {
        const int32_t ix0 = ox * g->stride_w - g->pad_w;
        /* Gather the patch, one filter row (fy) at a time. */
        for (int32_t fy = 0; fy < g->filt_h; fy++) {
          int16_t *row = patch + fy * fw * c;
          const int32_t iy = iy0 + g->dil_h * fy;
          if (iy < 0 || iy >= g->in_h) {
            mote_avx2_zero16(row, fw * c);
            continue;
          }
          const int8_t *in_row = in_b + (ptrdiff_t)iy * g->in_w * c;
          if (g->dil_w == 1) {
            /* Valid taps form one run, contiguous in the input. */
            int32_t lo = ix0 < 0 ? (-ix0 < fw ? -ix0 : fw) : 0;
            int32_t hi = g->in_w - ix0 < fw ? g->in_w - ix0 : fw;
            if (hi < lo) hi = lo;
            mote_avx2_zero16(row, lo * c);
            mote_avx2_widen(row + lo * c, in_row + (ptrdiff_t)(ix0 + lo) * c,
                            (hi - lo) * c, io);
            mote_avx2_zero16(row + hi * c, (fw - hi) * c);
          } else {
            for (int32_t fx = 0; fx < fw; fx++) {
              const int32_t ix = ix0 + g->dil_w * fx;
              if (ix < 0 || ix >= g->in_w)
                mote_avx2_zero16(row + fx * c, c);
              else
                mote_avx2_widen(row + fx * c, in_row + (ptrdiff_t)ix * c, c,
                                io);
            }
          }
        }
        int8_t *out =
            output +
            (((ptrdiff_t)b * g->out_h + oy) * g->out_w + ox) * g->out_c;
        mote_avx2_rows_s8(patch, K, filter, g->out_c, bias, 0u, &p->rq,
                          p->output_offset, p->act_min, p->act_max, out);
      }
    }
  }
}
