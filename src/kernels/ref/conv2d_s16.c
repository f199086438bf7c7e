/* CONV_2D int16x8 reference kernel with int64 bias (TFLite
 * reference_integer_ops ConvPerChannel<int64_t>): 64-bit accumulation of
 * filter * input (input zero point assumed 0, not applied), int64 bias,
 * 64-bit requantization with the 16-bit reduced multiplier, no output
 * offset, clamp. */
#include "conv_ref.h"

#include "../mote_requant.h"

void mote_conv2d_s16_ref(const mote_conv_geom *g, const mote_conv_q_params *p,
                         const int16_t *input, const int8_t *filter,
                         const int64_t *bias, int16_t *output) {
  const int32_t groups = g->in_c / g->filt_in_c;
  const int32_t per_group = g->out_c / groups;
  const int32_t fc = g->filt_in_c;
  int32_t b, oy, ox, oc, fy, fx, c;
  for (b = 0; b < g->batches; b++) {
    for (oy = 0; oy < g->out_h; oy++) {
      const int32_t iy0 = oy * g->stride_h - g->pad_h;
      for (ox = 0; ox < g->out_w; ox++) {
        const int32_t ix0 = ox * g->stride_w - g->pad_w;
        int16_t *out =
            output + ((b * g->out_h + oy) * g->out_w + ox) * g->out_c;
        for (oc = 0; oc < g->out_c; oc++) {
          const int32_t group = oc / per_group;
          int64_t acc = 0;
          for (fy = 0; fy < g->filt_h; fy++) {
            const int32_t iy = iy0 + g->dil_h * fy;
            if (iy < 0 || iy >= g->in_h) continue;
            for (fx = 0; fx < g->filt_w; fx++) {
              const int32_t ix = ix0 + g->dil_w * fx;
              if (ix < 0 || ix >= g->in_w) continue;
              const int16_t *ip =
                  input + ((b * g->in_h + iy) * g->in_w + ix) * g->in_c +
                  group * fc;
              const int8_t *fp =
                  filter + ((oc * g->filt_h + fy) * g->filt_w + fx) * fc;
              for (c = 0; c < fc; c++) acc += (int32_t)fp[c] * (int32_t)ip[c];
            }
          }
          if (bias) acc += bias[oc];
          int32_t a = mote_mul_by_qm64(acc, mote_requant_mult(&p->rq, oc),
                                       mote_requant_shift(&p->rq, oc));
          out[oc] = (int16_t)mote_clamp_i32(a, p->act_min, p->act_max);
        }
      }
    }
  }
}
