/* DEPTHWISE_CONV_2D int8 reference kernel (TFLite reference_integer_ops
 * DepthwiseConvPerChannel semantics: output channel ic * multiplier + m
 * reads input channel ic; int32 accumulation of filter * (input - zero
 * point), int32 bias, per-channel requantization, output zero point). */
#include "conv_ref.h"

#include "../mote_requant.h"

void mote_dwconv2d_s8_ref(const mote_conv_geom *g, const mote_conv_q_params *p,
                          const int8_t *input, const int8_t *filter,
                          const int32_t *bias, int8_t *output) {
  const int32_t dm = g->depth_multiplier;
  int32_t b, oy, ox, ic, m, fy, fx;
  for (b = 0; b < g->batches; b++) {
    for (oy = 0; oy < g->out_h; oy++) {
      const int32_t iy0 = oy * g->stride_h - g->pad_h;
      for (ox = 0; ox < g->out_w; ox++) {
        const int32_t ix0 = ox * g->stride_w - g->pad_w;
        int8_t *out = output + ((b * g->out_h + oy) * g->out_w + ox) * g->out_c;
        for (ic = 0; ic < g->in_c; ic++) {
          for (m = 0; m < dm; m++) {
            const int32_t oc = ic * dm + m;
            int64_t acc = 0;
            for (fy = 0; fy < g->filt_h; fy++) {
              const int32_t iy = iy0 + g->dil_h * fy;
              if (iy < 0 || iy >= g->in_h) continue;
              for (fx = 0; fx < g->filt_w; fx++) {
                const int32_t ix = ix0 + g->dil_w * fx;
                if (ix < 0 || ix >= g->in_w) continue;
                int32_t iv =
                    input[((b * g->in_h + iy) * g->in_w + ix) * g->in_c + ic];
                int32_t fv = filter[(fy * g->filt_w + fx) * g->out_c + oc];
                acc += fv * (iv + p->input_offset);
              }
            }
            int32_t a = mote_conv_wrap_i32(acc);
            if (bias) a = mote_conv_wrap_i32((int64_t)a + bias[oc]);
            a = mote_mul_by_qm(a, mote_requant_mult(&p->rq, oc),
                               mote_requant_shift(&p->rq, oc));
            a = mote_conv_wrap_i32((int64_t)a + p->output_offset);
            out[oc] = (int8_t)mote_clamp_i32(a, p->act_min, p->act_max);
          }
        }
      }
    }
  }
}
