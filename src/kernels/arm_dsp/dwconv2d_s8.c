/*
** DEPTHWISE_CONV_2D int8 (depth multiplier 1, or one input channel with
** any multiplier) for the Cortex-M DSP
** extension. Per output pixel, four channels at a time: each filter tap
** loads four inputs and four weights as words, splits them into 16-bit
** lanes (input offset added by __sxtab16) and accumulates per channel with
** __smlabb/__smlatt. Only the taps inside the image are visited; a 3x3
** window fully inside the image is unrolled. Channel groups are the outer
** loop along an output row, so each group's requantization is decoded
** once per row.
*/
#include "arm_dsp.h"

#if defined(MOTE_HAVE_ARM_DSP)
#include "dsp_common.h"

int mote_dwconv2d_s8_dsp_supported(const mote_conv_geom *g) {
  return (g->depth_multiplier == 1 && g->out_c == g->in_c) ||
         (g->in_c == 1 && g->out_c == g->depth_multiplier);
}

/* Four channels over nfy x nfx taps: ip/fp point at the first tap. */
static inline __attribute__((always_inline)) void taps4(
    const int8_t *ip, const int8_t *fp, int32_t nfy, int32_t nfx,
    int32_t in_row, int32_t in_col, int32_t f_row, int32_t f_col, int32_t off2,
    int32_t acc[4]) {
  int32_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
  int32_t fy, fx;
  /* Fully unrolled when called with the constants 3, 3. */
#pragma GCC unroll 3
  for (fy = 0; fy < nfy; fy++) {
    const int8_t *i1 = ip + fy * in_row;
    const int8_t *f1 = fp + fy * f_row;
#pragma GCC unroll 3
    for (fx = 0; fx < nfx; fx++) {
      const int32_t x = mote_dsp_ld32(i1 + fx * in_col);
      const int32_t w = mote_dsp_ld32(f1 + fx * f_col);
      const int32_t xe = mote_dsp_even(off2, x), xo = mote_dsp_odd(off2, x);
      const int32_t we = (int32_t)__sxtb16((int8x4_t)w);
      const int32_t wo = mote_dsp_sxtb16_ror8(w);
      a0 = __smlabb((int16x2_t)xe, (int16x2_t)we, a0);
      a2 = __smlatt((int16x2_t)xe, (int16x2_t)we, a2);
      a1 = __smlabb((int16x2_t)xo, (int16x2_t)wo, a1);
      a3 = __smlatt((int16x2_t)xo, (int16x2_t)wo, a3);
    }
  }
  acc[0] = a0;
  acc[1] = a1;
  acc[2] = a2;
  acc[3] = a3;
}

/* As taps4 for a single input channel shared by the four outputs (input
 * channels 1, depth multiplier > 1): one byte, offset, in both lanes. */
static inline __attribute__((always_inline)) void taps4b(
    const int8_t *ip, const int8_t *fp, int32_t nfy, int32_t nfx,
    int32_t in_row, int32_t in_col, int32_t f_row, int32_t f_col, int32_t off,
    int32_t acc[4]) {
  int32_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
  int32_t fy, fx;
  for (fy = 0; fy < nfy; fy++) {
    const int8_t *i1 = ip + fy * in_row;
    const int8_t *f1 = fp + fy * f_row;
    for (fx = 0; fx < nfx; fx++) {
      const int32_t x = mote_dsp_dup16((int32_t)i1[fx * in_col] + off);
      const int32_t w = mote_dsp_ld32(f1 + fx * f_col);
      const int32_t we = (int32_t)__sxtb16((int8x4_t)w);
      const int32_t wo = mote_dsp_sxtb16_ror8(w);
      a0 = __smlabb((int16x2_t)x, (int16x2_t)we, a0);
      a2 = __smlatt((int16x2_t)x, (int16x2_t)we, a2);
      a1 = __smlabb((int16x2_t)x, (int16x2_t)wo, a1);
      a3 = __smlatt((int16x2_t)x, (int16x2_t)wo, a3);
    }
  }
  acc[0] = a0;
  acc[1] = a1;
  acc[2] = a2;
  acc[3] = a3;
}

/* First tap index >= 0 whose position start + dil * t is >= 0, and the
 * end (exclusive) of the taps below `size`. */
static void tap_range(int32_t start, int32_t dil, int32_t n, int32_t size,
                      int32_t *t0, int32_t *t1) {
  int32_t a = 0, b = n;
  if (start < 0) a = (-start + dil - 1) / dil;
  if (start + dil * (n - 1) >= size) {
    b = size - start <= 0 ? 0 : (size - start + dil - 1) / dil;
  }
  if (b < a) b = a;
  *t0 = a;
  *t1 = b;
}

void mote_dwconv2d_s8_dsp(const mote_conv_geom *g, const mote_conv_q_params *p,
                          const int8_t *input, const int8_t *filter,
                          const int32_t *bias, int8_t *output) {
  const int32_t C = g->out_c, Ci = g->in_c;
  const int bc = Ci == 1 && C > 1; /* one input channel for all outputs */
  const int32_t c4 = C & ~(int32_t)3;
  const int32_t off = p->input_offset, off2 = mote_dsp_dup16(off);
  const int32_t lo = p->act_min, hi = p->act_max, zo = p->output_offset;
  const int32_t in_row = g->dil_h * g->in_w * Ci, in_col = g->dil_w * Ci;
  const int32_t f_row = g->filt_w * C, f_col = C;
  const int is3 = g->filt_h == 3 && g->filt_w == 3;
  int32_t b, oy, ox, c, i;
  for (b = 0; b < g->batches; b++) {
    const int8_t *img = input + b * g->in_h * g->in_w * Ci;
    for (oy = 0; oy < g->out_h; oy++) {
      const int32_t iy0 = oy * g->stride_h - g->pad_h;
      int32_t fy0, fy1;
      tap_range(iy0, g->dil_h, g->filt_h, g->in_h, &fy0, &fy1);
      const int32_t nfy = fy1 - fy0;
      const int8_t *row = img + (iy0 + g->dil_h * fy0) * g->in_w * Ci;
      int8_t *orow = output + (b * g->out_h + oy) * g->out_w * C;
      /* Four channels at a time along the output row: their
       * requantization is decoded once per row. */
      for (c = 0; c < c4; c += 4) {
        mote_dsp_rq rq[4];
        int32_t b4[4] = {0, 0, 0, 0};
        for (i = 0; i < 4; i++) {
          rq[i] = mote_dsp_rq_of(&p->rq, c + i);
          if (bias) b4[i] = bias[c + i];
        }
        for (ox = 0; ox < g->out_w; ox++) {
          const int32_t ix0 = ox * g->stride_w - g->pad_w;
          int32_t fx0, fx1;
          tap_range(ix0, g->dil_w, g->filt_w, g->in_w, &fx0, &fx1);
          const int32_t nfx = fx1 - fx0;
          const int8_t *ip = row + (ix0 + g->dil_w * fx0) * Ci + (bc ? 0 : c);
          const int8_t *fp = filter + (fy0 * g->filt_w + fx0) * C + c;
          int32_t acc[4];
          acc[0] = b4[0];
          acc[1] = b4[1];
          acc[2] = b4[2];
          acc[3] = b4[3];
          if (bc)
            taps4b(ip, fp, nfy, nfx, in_row, in_col, f_row, f_col, off, acc);
          else if (is3 && nfy == 3 && nfx == 3)
            taps4(ip, fp, 3, 3, in_row, in_col, f_row, f_col, off2, acc);
          else
            taps4(ip, fp, nfy, nfx, in_row, in_col, f_row, f_col, off2, acc);
          int8_t *out = orow + ox * C + c;
          out[0] = mote_dsp_rq_apply(&rq[0], acc[0], zo, lo, hi);
          out[1] = mote_dsp_rq_apply(&rq[1], acc[1], zo, lo, hi);
          out[2] = mote_dsp_rq_apply(&rq[2], acc[2], zo, lo, hi);
          out[3] = mote_dsp_rq_apply(&rq[3], acc[3], zo, lo, hi);
        }
      }
      /* Remaining channels one at a time. */
      for (; c < C; c++) {
        const mote_dsp_rq r = mote_dsp_rq_of(&p->rq, c);
        for (ox = 0; ox < g->out_w; ox++) {
          const int32_t ix0 = ox * g->stride_w - g->pad_w;
          int32_t fx0, fx1, fy, fx;
          tap_range(ix0, g->dil_w, g->filt_w, g->in_w, &fx0, &fx1);
          const int8_t *ip = row + (ix0 + g->dil_w * fx0) * Ci + (bc ? 0 : c);
          const int8_t *fp = filter + (fy0 * g->filt_w + fx0) * C + c;
          uint32_t a = bias ? (uint32_t)bias[c] : 0u;
          for (fy = 0; fy < nfy; fy++)
            for (fx = 0; fx < fx1 - fx0; fx++) {
              const int32_t x = ip[fy * in_row + fx * in_col] + off;
              const int32_t w = fp[fy * f_row + fx * f_col];
              a += (uint32_t)(x * w);
            }
          orow[ox * C + c] = mote_dsp_rq_apply(&r, (int32_t)a, zo, lo, hi);
        }
      }
    }
  }
}

#else
/* No DSP extension: no code here (ISO C wants one declaration). */
typedef int mote_dsp_dwconv2d_s8_unused;
#endif
