/*
** DEPTHWISE_CONV_2D int8, NEON (depth multiplier 1). Blocks of 8 channels:
** the input widened to int16 with the input offset added (SADDW; within
** [-255, 255]) times the int16 filter packed at prepare, accumulated into
** int32 with SMLAL over the taps inside the image (taps outside are
** skipped, as the reference does). The last block overlaps the previous
** one when the channel count is not a multiple of 8; fewer than 8
** channels are done lane by lane. 3x3 windows wholly inside the image have
** an unrolled loop.
*/
#include "conv_neon.h"
#include "neon_common.h"

/* acc += (x + off) * w on 8 lanes. */
#define MOTE_DW_TAP(lo, hi, xp, wp)                             \
  do {                                                          \
    const int16x8_t x16_ = vaddw_s8(voff, vld1_s8(xp));         \
    const int16x8_t w16_ = vld1q_s16(wp);                       \
    lo = vmlal_s16(lo, vget_low_s16(x16_), vget_low_s16(w16_)); \
    hi = vmlal_high_s16(hi, x16_, w16_);                        \
  } while (0)

/* One output pixel: channels [0, C) from the taps [fy0, fy1) x [fx0, fx1)
 * of the window at (iy0, ix0). */
static void dw_pixel(const mote_conv_geom *g, const mote_conv_q_params *p,
                     const mote_neon_pack *pk, const mote_neon_out *o,
                     const int8_t *img, int32_t iy0, int32_t ix0, int32_t fy0,
                     int32_t fy1, int32_t fx0, int32_t fx1, int8_t *out) {
  const int32_t C = g->in_c, cp = pk->cp, fw = g->filt_w;
  const int16x8_t voff = vdupq_n_s16((int16_t)p->input_offset);
  const size_t row = (size_t)g->in_w * (size_t)C;
  if (C < 8) {
    for (int32_t c = 0; c < C; c++) {
      uint32_t acc = (uint32_t)pk->bias[c];
      for (int32_t fy = fy0; fy < fy1; fy++)
        for (int32_t fx = fx0; fx < fx1; fx++) {
          const int32_t iy = iy0 + fy * g->dil_h, ix = ix0 + fx * g->dil_w;
          const int32_t xv =
              img[(size_t)iy * row + (size_t)ix * (size_t)C + (size_t)c] +
              p->input_offset;
          acc += (uint32_t)(xv * pk->w16[(fy * fw + fx) * cp + c]);
        }
      int32_t v = mote_mul_by_qm((int32_t)acc, mote_requant_mult(&p->rq, c),
                                 mote_requant_shift(&p->rq, c));
      v = (int32_t)((uint32_t)v + (uint32_t)p->output_offset);
      out[c] = (int8_t)mote_clamp_i32(v, p->act_min, p->act_max);
    }
    return;
  }
  const int full3 =
      fw == 3 && g->filt_h == 3 && fy0 == 0 && fy1 == 3 && fx0 == 0 && fx1 == 3;
  for (int32_t c0 = 0; c0 < C; c0 += 8) {
    const int32_t c = c0 + 8 <= C ? c0 : C - 8;
    int32x4_t lo = vld1q_s32(pk->bias + c), hi = vld1q_s32(pk->bias + c + 4);
    if (full3) {
      const int8_t *x = img + (size_t)iy0 * row + (size_t)ix0 * (size_t)C + c;
      const size_t dx = (size_t)g->dil_w * (size_t)C,
                   dy = (size_t)g->dil_h * row;
      const int16_t *wp = pk->w16 + c;
      for (int32_t fy = 0; fy < 3; fy++, x += dy, wp += 3 * cp) {
        MOTE_DW_TAP(lo, hi, x, wp);
        MOTE_DW_TAP(lo, hi, x + dx, wp + cp);
        MOTE_DW_TAP(lo, hi, x + 2 * dx, wp + 2 * cp);
      }
    } else {
      for (int32_t fy = fy0; fy < fy1; fy++) {
        const int8_t *xr = img + (size_t)(iy0 + fy * g->dil_h) * row + c;
        const int16_t *wr = pk->w16 + fy * fw * cp + c;
        for (int32_t fx = fx0; fx < fx1; fx++)
          MOTE_DW_TAP(lo, hi, xr + (size_t)(ix0 + fx * g->dil_w) * (size_t)C,
                      wr + fx * cp);
      }
    }
    lo = mote_neon_mul_by_qm(lo, vld1q_s32(pk->mult + c),
                             vld1q_s32(pk->lsh + c), vld1q_s32(pk->nrsh + c));
    hi = mote_neon_mul_by_qm(hi, vld1q_s32(pk->mult + c + 4),
                             vld1q_s32(pk->lsh + c + 4),
                             vld1q_s32(pk->nrsh + c + 4));
    vst1_s8(out + c, vmovn_s16(vcombine_s16(mote_neon_finish(lo, o),
                                            mote_neon_finish(hi, o))));
  }
}

void mote_dwconv2d_s8_neon(const mote_conv_geom *g, const mote_conv_q_params *p,
                           const mote_neon_pack *pk, const int8_t *input,
                           int8_t *output) {
  const mote_neon_out o =
      mote_neon_out_init(p->output_offset, p->act_min, p->act_max);
  const size_t img_bytes = (size_t)g->in_h * (size_t)g->in_w * (size_t)g->in_c;
  for (int32_t b = 0; b < g->batches; b++) {
    const int8_t *img = input + (size_t)b * img_bytes;
    for (int32_t oy = 0; oy < g->out_h; oy++) {
      const int32_t iy0 = oy * g->stride_h - g->pad_h;
      int32_t fy0, fy1;
      mote_neon_taps(iy0, g->dil_h, g->filt_h, g->in_h, &fy0, &fy1);
      int8_t *out = output + (((size_t)b * (size_t)g->out_h + (size_t)oy) *
                              (size_t)g->out_w * (size_t)g->out_c);
      for (int32_t ox = 0; ox < g->out_w; ox++, out += g->out_c) {
        const int32_t ix0 = ox * g->stride_w - g->pad_w;
        int32_t fx0, fx1;
        mote_neon_taps(ix0, g->dil_w, g->filt_w, g->in_w, &fx0, &fx1);
        dw_pixel(g, p, pk, &o, img, iy0, ix0, fy0, fy1, fx0, fx1, out);
      }
    }
  }
}
