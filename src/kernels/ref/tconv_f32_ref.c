/* TRANSPOSE_CONV float32 reference kernel. */
#include <stddef.h>

#include "tconv_ref.h"

void mote_tconv_f32_ref(const mote_tconv_params *p, const float *input,
                        const float *weights, const float *bias,
                        float *output) {
  const size_t oc_n = (size_t)p->out_c, ic_n = (size_t)p->in_c;
  const size_t out_px = (size_t)p->out_h * (size_t)p->out_w;
  const size_t total = (size_t)p->batches * out_px * oc_n;
  for (size_t i = 0; i < total; i++) output[i] = 0.0f;
  /* Same summation order as TFLite: input pixel, in channel, tap, out
   * channel, so that float rounding matches closely. */
  for (int32_t b = 0; b < p->batches; b++) {
    float *out_b = output + (size_t)b * out_px * oc_n;
    for (int32_t iy = 0; iy < p->in_h; iy++) {
      for (int32_t ix = 0; ix < p->in_w; ix++) {
        const float *x = input + (((size_t)b * (size_t)p->in_h + (size_t)iy) *
                                      (size_t)p->in_w +
                                  (size_t)ix) *
                                     ic_n;
        int32_t oy0 = iy * p->stride_h - p->pad_h;
        int32_t ox0 = ix * p->stride_w - p->pad_w;
        for (size_t ic = 0; ic < ic_n; ic++) {
          float xv = x[ic];
          for (int32_t fy = 0; fy < p->f_h; fy++) {
            int32_t oy = oy0 + fy;
            if (oy < 0 || oy >= p->out_h) continue;
            for (int32_t fx = 0; fx < p->f_w; fx++) {
              int32_t ox = ox0 + fx;
              if (ox < 0 || ox >= p->out_w) continue;
              float *o =
                  out_b + ((size_t)oy * (size_t)p->out_w + (size_t)ox) * oc_n;
              for (size_t oc = 0; oc < oc_n; oc++) {
                float wv = weights[((oc * (size_t)p->f_h + (size_t)fy) *
                                        (size_t)p->f_w +
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
    v = v < p->f_act_min ? p->f_act_min : v;
    v = v > p->f_act_max ? p->f_act_max : v;
    output[i] = v;
  }
}
