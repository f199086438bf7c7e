/* TRANSPOSE_CONV int8 reference kernel (per-channel requantization). */
#include <stddef.h>

#include "../mote_requant.h"
#include "tconv_ref.h"

void mote_tconv_s8_ref(const mote_tconv_geom *g, const mote_tconv_q_params *p,
                       const int8_t *input, const int8_t *weights,
                       const int32_t *bias, int8_t *output, int32_t *scratch) {
  const size_t oc_n = (size_t)g->out_c, ic_n = (size_t)g->in_c;
  const size_t out_px = (size_t)g->out_h * (size_t)g->out_w;
  const size_t total = (size_t)g->batches * out_px * oc_n;
  for (size_t i = 0; i < total; i++) scratch[i] = 0;
  for (int32_t b = 0; b < g->batches; b++) {
    int32_t *acc_b = scratch + (size_t)b * out_px * oc_n;
    for (int32_t iy = 0; iy < g->in_h; iy++) {
      for (int32_t ix = 0; ix < g->in_w; ix++) {
        const int8_t *x = input + (((size_t)b * (size_t)g->in_h + (size_t)iy) *
                                       (size_t)g->in_w +
                                   (size_t)ix) *
                                      ic_n;
        int32_t oy0 = iy * g->stride_h - g->pad_h;
        int32_t ox0 = ix * g->stride_w - g->pad_w;
        for (int32_t fy = 0; fy < g->f_h; fy++) {
          int32_t oy = oy0 + fy;
          if (oy < 0 || oy >= g->out_h) continue;
          for (int32_t fx = 0; fx < g->f_w; fx++) {
            int32_t ox = ox0 + fx;
            if (ox < 0 || ox >= g->out_w) continue;
            int32_t *acc =
                acc_b + ((size_t)oy * (size_t)g->out_w + (size_t)ox) * oc_n;
            for (size_t oc = 0; oc < oc_n; oc++) {
              const int8_t *w = weights + ((oc * (size_t)g->f_h + (size_t)fy) *
                                               (size_t)g->f_w +
                                           (size_t)fx) *
                                              ic_n;
              uint32_t a = (uint32_t)acc[oc];
              for (size_t ic = 0; ic < ic_n; ic++)
                a += (uint32_t)(((int32_t)x[ic] + p->input_offset) *
                                (int32_t)w[ic]);
              acc[oc] = (int32_t)a;
            }
          }
        }
      }
    }
  }
  for (size_t i = 0; i < total; i++) {
    size_t oc = i % oc_n;
    uint32_t a = (uint32_t)scratch[i];
    if (bias) a += (uint32_t)bias[oc];
    int32_t v =
        mote_mul_by_qm((int32_t)a, mote_requant_mult(&p->rq, (int32_t)oc),
                       mote_requant_shift(&p->rq, (int32_t)oc));
    v = (int32_t)((uint32_t)v + (uint32_t)p->output_offset);
    output[i] = (int8_t)mote_clamp_i32(v, p->act_min, p->act_max);
  }
}
