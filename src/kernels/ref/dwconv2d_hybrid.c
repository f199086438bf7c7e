/*
** DEPTHWISE_CONV_2D hybrid reference kernel: float32 input and output, int8
** weights, optional float32 bias. TFLM refuses such models; mote follows
** TFLite's (non-micro) EvalHybridPerChannel for depthwise convolution:
**
**  1. Each batch of the input is quantized asymmetrically to int8
**     (TFLite AsymmetricQuantizeFloats): [min(x,0), max(x,0)] onto
**     [-128, 127], s_b = (max - min) / 255, zero point z_b nudged from the
**     end with the smaller error, q = clamp(round(z_b + x / s_b)).
**     (p->asymmetric == 0 selects symmetric quantization instead, as in
**     conv2d_hybrid.c; the operator always asks for asymmetric.)
**  2. acc = sum of w * (q - z_b) over the window in int32 (padding
**     contributes 0, i.e. real 0).
**  3. out = (float)acc * (filter_scale[oc] * s_b) + bias[oc] in float, then
**     the fused-activation clamp.
*/
#include "conv_ref.h"

void mote_dwconv2d_hybrid_ref(const mote_conv_geom *g,
                              const mote_conv_hybrid_params *p,
                              const float *input, const int8_t *filter,
                              const float *bias, float *output, int8_t *q_input,
                              float *batch_scale, int32_t *batch_offset) {
  const int32_t dm = g->depth_multiplier;
  const int32_t in_size = g->in_h * g->in_w * g->in_c;
  int32_t b, oy, ox, ic, m, fy, fx;
  for (b = 0; b < g->batches; b++) {
    const float *x = input + b * in_size;
    int8_t *q = q_input + b * in_size;
    if (p->asymmetric) {
      batch_scale[b] = mote_conv_quantize_asym(x, in_size, q, &batch_offset[b]);
    } else {
      batch_scale[b] = mote_conv_quantize_sym(x, in_size, q);
      batch_offset[b] = 0;
    }
  }
  for (b = 0; b < g->batches; b++) {
    const int32_t zp = batch_offset[b];
    for (oy = 0; oy < g->out_h; oy++) {
      const int32_t iy0 = oy * g->stride_h - g->pad_h;
      for (ox = 0; ox < g->out_w; ox++) {
        const int32_t ix0 = ox * g->stride_w - g->pad_w;
        float *out = output + ((b * g->out_h + oy) * g->out_w + ox) * g->out_c;
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
                    q_input[((b * g->in_h + iy) * g->in_w + ix) * g->in_c + ic];
                int32_t fv = filter[(fy * g->filt_w + fx) * g->out_c + oc];
                acc += fv * (iv - zp);
              }
            }
            const float scale = mote_conv_filter_scale(p, oc) * batch_scale[b];
            float v = (float)mote_conv_wrap_i32(acc) * scale;
            if (bias) v += bias[oc];
            out[oc] = mote_conv_clamp_f32(v, p->act_min, p->act_max);
          }
        }
      }
    }
  }
}
