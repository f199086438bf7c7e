/* DEPTHWISE_CONV_2D float32 reference kernel (TFLite reference_ops
 * DepthwiseConv order: sum over filter rows and columns, + bias, clamp). */
#include "conv_ref.h"

void mote_dwconv2d_f32_ref(const mote_conv_geom *g,
                           const mote_conv_f32_params *p, const float *input,
                           const float *filter, const float *bias,
                           float *output) {
  const int32_t dm = g->depth_multiplier;
  int32_t b, oy, ox, ic, m, fy, fx;
  for (b = 0; b < g->batches; b++) {
    for (oy = 0; oy < g->out_h; oy++) {
      const int32_t iy0 = oy * g->stride_h - g->pad_h;
      for (ox = 0; ox < g->out_w; ox++) {
        const int32_t ix0 = ox * g->stride_w - g->pad_w;
        float *out = output + ((b * g->out_h + oy) * g->out_w + ox) * g->out_c;
        for (ic = 0; ic < g->in_c; ic++) {
          for (m = 0; m < dm; m++) {
            const int32_t oc = ic * dm + m;
            float total = 0.0f;
            for (fy = 0; fy < g->filt_h; fy++) {
              const int32_t iy = iy0 + g->dil_h * fy;
              if (iy < 0 || iy >= g->in_h) continue;
              for (fx = 0; fx < g->filt_w; fx++) {
                const int32_t ix = ix0 + g->dil_w * fx;
                if (ix < 0 || ix >= g->in_w) continue;
                total +=
                    input[((b * g->in_h + iy) * g->in_w + ix) * g->in_c + ic] *
                    filter[(fy * g->filt_w + fx) * g->out_c + oc];
              }
            }
            float bv = bias ? bias[oc] : 0.0f;
            out[oc] = mote_conv_clamp_f32(total + bv, p->act_min, p->act_max);
          }
        }
      }
    }
  }
}
