/* TRANSPOSE_CONV float32 reference kernel. */
#include <stddef.h>

#include "tconv_ref.h"

void mote_tconv_f32_ref(const mote_tconv_geom *g,
                        const mote_tconv_f32_params *p, const float *input,
                        const float *weights, const float *bias,
                        float *output) {
  const size_t oc_n = (size_t)g->out_c, ic_n = (size_t)g->in_c;
  const size_t out_px = (size_t)g->out_h * (size_t)g->out_w;
  const size_t total = (size_t)g->batches * out_px * oc_n;
  for (size_t i = 0; i < total; i++) output[i] = 0.0f;
  /* Same summation order as TFLite: input pixel, in channel, tap, out
   * channel, so that float rounding matches closely. */
  for (int32_t b = 0; b < g->batches; b++) {
    float *out_b = output + (size_t)b * out_px * oc_n;
    for (int32_t iy = 0; iy < g->in_h; iy++) {
      for (int32_t ix = 0; ix < g->in_w; ix++) {
        const float *x = input + (((size_t)b * (size_t)g->in_h + (size_t)iy) *
                                      (size_t)g->in_w +
                                  (size_t)ix) *
                                     ic_n;
        int32_t oy0 = iy * g->stride_h - g->pad_h;
        int32_t ox0 = ix * g->stride_w - g->pad_w;
        for (size_t ic = 0; ic < ic_n; ic++) {
          float xv = x[ic];
          for (int32_t fy = 0; fy < g->f_h; fy++) {
            int32_t oy = oy0 + fy;
            if (oy < 0 || oy >= g->out_h) continue;
            for (int32_t fx = 0; fx < g->f_w; fx++) {
              int32_t ox = ox0 + fx;
              if (ox < 0 || ox >= g->out_w) continue;
              float *o =
                  out_b + ((size_t)oy * (size_t)g->out_w + (size_t)ox) * oc_n;
              for (size_t oc = 0; oc < oc_n; oc++) {
                float wv = weights[((oc * (size_t)g->f_h + (size_t)fy) *
                                        (size_t)g->f_w +
                                    (size_t)fx) *
                                       ic_n +
                                   ic];
                o[oc] += xv * wv;
              }
            }
          }
        }
      }
    }
  }
  for (size_t i = 0; i < total; i++) {
    float v = output[i];
    if (bias) v += bias[i % oc_n];
    v = v < p->act_min ? p->act_min : v;
    v = v > p->act_max ? p->act_max : v;
    output[i] = v;
  }
}
