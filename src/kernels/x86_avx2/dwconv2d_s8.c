/*
** DEPTHWISE_CONV_2D int8 with AVX2, depth multiplier 1 or a multiple of 8
** (others are declined: reference kernel). Output channels are contiguous
** in filter and output, and with multiplier 1 in the input too (with a
** multiple of 8, eight output channels share one input channel, which is
** broadcast), so eight channels at a time accumulate over the valid taps:
** (x + input_offset) * w is exact in int16 (|x + io| <= 255, |w| <= 128),
** then widened to int32 and summed (wrapping, as the reference's int32
** accumulator). Requantization: mote_avx2_requant_store8 (bit-exact with
** mote_mul_by_qm); channels past the last multiple of 8 are done one by
** one as the reference does.
*/
#include "conv_avx2.h"

#include "avx2_common.h"

int mote_dwconv2d_s8_avx2_supported(const mote_conv_geom *g) {
  const int32_t dm = g->depth_multiplier;
  return (dm == 1 || (dm > 0 && dm % 8 == 0)) &&
         (int64_t)g->in_c * dm == g->out_c;
}

void mote_dwconv2d_s8_avx2(const mote_conv_geom *geom,
                           const mote_conv_q_params *params,
                           const int8_t *input, const int8_t *filter,
                           const int32_t *bias, int8_t *output) {
  /* Local copies: int8 stores may alias anything reached by a pointer, so
   * the compiler would reload every field after each store otherwise. */
  const mote_conv_geom g_ = *geom;
  const mote_conv_q_params p_ = *params;
  const mote_conv_geom *g = &g_;
  const mote_conv_q_params *p = &p_;
  const int32_t C = g->in_c, OC = g->out_c, fw = g->filt_w, fh = g->filt_h;
  const int32_t dm = g->depth_multiplier;
  const int32_t c8 = dm == 1 ? C & ~7 : OC; /* dm % 8 == 0: no tail */
  const __m128i io = _mm_set1_epi16((short)p->input_offset);
  for (int32_t b = 0; b < g->batches; b++) {
    const int8_t *in_b = input + (ptrdiff_t)b * g->in_h * g->in_w * C;
    for (int32_t oy = 0; oy < g->out_h; oy++) {
      const int32_t iy0 = oy * g->stride_h - g->pad_h;
      /* Valid filter rows: 0 <= iy0 + dil_h * fy < in_h. */
      int32_t fy_lo = 0, fy_hi = fh;
      while (fy_lo < fh && iy0 + g->dil_h * fy_lo < 0) fy_lo++;
      while (fy_hi > fy_lo && iy0 + g->dil_h * (fy_hi - 1) >= g->in_h) fy_hi--;
      for (int32_t ox = 0; ox < g->out_w; ox++) {
        const int32_t ix0 = ox * g->stride_w - g->pad_w;
        int32_t fx_lo = 0, fx_hi = fw;
        while (fx_lo < fw && ix0 + g->dil_w * fx_lo < 0) fx_lo++;
        while (fx_hi > fx_lo && ix0 + g->dil_w * (fx_hi - 1) >= g->in_w)
          fx_hi--;
        int8_t *out =
            output + (((ptrdiff_t)b * g->out_h + oy) * g->out_w + ox) * OC;
        int32_t c = 0;
        for (; c < c8; c += 8) {
          __m256i acc = bias ? _mm256_loadu_si256(
                                   (const __m256i *)(const void *)(bias + c))
                             : _mm256_setzero_si256();
          for (int32_t fy = fy_lo; fy < fy_hi; fy++) {
            const int32_t iy = iy0 + g->dil_h * fy;
            const int8_t *in_row =
                in_b + (ptrdiff_t)iy * g->in_w * C + (dm == 1 ? c : c / dm);
            const int8_t *f_row = filter + (ptrdiff_t)fy * fw * OC + c;
            for (int32_t fx = fx_lo; fx < fx_hi; fx++) {
              const int32_t ix = ix0 + g->dil_w * fx;
              const int8_t *xp = in_row + (ptrdiff_t)ix * C;
              __m128i xv = _mm_add_epi16(
                  dm == 1 ? _mm_cvtepi8_epi16(_mm_loadl_epi64(
                                (const __m128i *)(const void *)xp))
                          : _mm_set1_epi16((short)*xp),
                  io);
              __m128i wv = _mm_cvtepi8_epi16(_mm_loadl_epi64(
                  (const __m128i *)(const void *)(f_row + (ptrdiff_t)fx * OC)));
              acc = _mm256_add_epi32(
                  acc, _mm256_cvtepi16_epi32(_mm_mullo_epi16(xv, wv)));
            }
          }
          mote_avx2_requant_store8(acc, &p->rq, c, p->output_offset, p->act_min,
                                   p->act_max, out + c);
        }
        for (; c < C; c++) {
          uint32_t acc = bias ? (uint32_t)bias[c] : 0u;
          for (int32_t fy = fy_lo; fy < fy_hi; fy++) {
            const int32_t iy = iy0 + g->dil_h * fy;
            for (int32_t fx = fx_lo; fx < fx_hi; fx++) {
              const int32_t ix = ix0 + g->dil_w * fx;
              int32_t xv = in_b[((ptrdiff_t)iy * g->in_w + ix) * C + c] +
                           p->input_offset;
              int32_t wv = filter[((ptrdiff_t)fy * fw + fx) * C + c];
              acc += (uint32_t)(xv * wv);
            }
          }
          out[c] = mote_avx2_requant1(acc, &p->rq, c, p->output_offset,
                                      p->act_min, p->act_max);
        }
      }
    }
  }
}
