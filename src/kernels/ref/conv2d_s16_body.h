/*
** conv2d_s16_body.h: the one body of the CONV_2D int16x8 reference kernels
** (conv2d_s16.c: int64 bias, 64-bit requantization; conv2d_s16b32.c:
** int32 bias, wrapping 32-bit accumulation, 32-bit requantization), which
** differ only in how the 64-bit sum of filter * input is finished.
**
** A type template, not an ordinary header. The kernel file includes
** conv_ref.h and mote_requant.h, defines
**   MOTE_CONV16_FN: the name of the entry point (prototype in conv_ref.h)
**   MOTE_CONV16_BIAS_T: the bias element type
**   MOTE_CONV16_FINISH(acc, bias, oc): the requantized int32 for channel oc
** and includes this file once. No include guard on purpose; the macros
** are undefined at the end.
*/
#if !defined(MOTE_CONV16_FN) || !defined(MOTE_CONV16_BIAS_T) || \
    !defined(MOTE_CONV16_FINISH)
#error "conv2d_s16_body.h: define the macros listed above first"
#endif

void MOTE_CONV16_FN(const mote_conv_geom *g, const mote_conv_q_params *p,
                    const int16_t *input, const int8_t *filter,
                    const MOTE_CONV16_BIAS_T *bias, int16_t *output) {
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
          int32_t a = MOTE_CONV16_FINISH(acc, bias, oc);
          out[oc] = (int16_t)mote_clamp_i32(a, p->act_min, p->act_max);
        }
      }
    }
  }
}

#undef MOTE_CONV16_FN
#undef MOTE_CONV16_BIAS_T
#undef MOTE_CONV16_FINISH
