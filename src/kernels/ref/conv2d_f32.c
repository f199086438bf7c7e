/* CONV_2D float32 reference kernel (TFLite reference_ops::Conv order:
 * sum over filter rows, columns, channels, then + bias, then clamp). */
#include "conv_ref.h"

void mote_conv2d_f32_ref(const mote_conv_geom *g, const mote_conv_f32_params *p,
                         const float *input, const float *filter,
                         const float *bias, float *output) {
  const int32_t groups = g->in_c / g->filt_in_c;
  const int32_t per_group = g->out_c / groups;
  const int32_t fc = g->filt_in_c;
  int32_t b, oy, ox, oc, fy, fx, c;
  for (b = 0; b < g->batches; b++) {
    for (oy = 0; oy < g->out_h; oy++) {
      const int32_t iy0 = oy * g->stride_h - g->pad_h;
      for (ox = 0; ox < g->out_w; ox++) {
        const int32_t ix0 = ox * g->stride_w - g->pad_w;
        float *out = output + ((b * g->out_h + oy) * g->out_w + ox) * g->out_c;
        for (oc = 0; oc < g->out_c; oc++) {
          const int32_t group = oc / per_group;
          float total = 0.0f;
          for (fy = 0; fy < g->filt_h; fy++) {
            const int32_t iy = iy0 + g->dil_h * fy;
            if (iy < 0 || iy >= g->in_h) continue;
            for (fx = 0; fx < g->filt_w; fx++) {
              const int32_t ix = ix0 + g->dil_w * fx;
              if (ix < 0 || ix >= g->in_w) continue;
              const float *ip = input +
                                ((b * g->in_h + iy) * g->in_w + ix) * g->in_c +
                                group * fc;
              const float *fp =
                  filter + ((oc * g->filt_h + fy) * g->filt_w + fx) * fc;
              for (c = 0; c < fc; c++) total += ip[c] * fp[c];
            }
          }
          float bv = bias ? bias[oc] : 0.0f;
          out[oc] = mote_conv_clamp_f32(total + bv, p->act_min, p->act_max);
        }
      }
    }
  }
}
