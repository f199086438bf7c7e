/*
** conv2d_s8_body.h: the NEON int8 CONV_2D kernel (GEMM over im2col rows),
** compiled twice: by conv2d_s8.c (SMULL + SADALP) and by conv2d_s8_dot.c
** (-march=armv8.2-a+dotprod: SDOT). MOTE_NEON_CONV names the function.
**
** Each output pixel is one row of k = filt_h * filt_w * in_c bytes: the
** input itself when the window is a contiguous run of it (1x1 and 1xN
** convolutions) and k is a multiple of 16, else an im2col copy in scratch
** with padding filled with the input zero point (x + input_offset = 0, so
** sum w * x + input_offset * sum w, the folded bias, is exact mod 2^32).
** Blocks of 4 rows x 4 channels keep 16 int32x4 accumulators of 16-byte
** partial dot products, summed pairwise at the end into one vector of 4
** channels per row; left-over rows go 1 row x 8 channels.
*/
#include "conv_neon.h"
#include "neon_common.h"

/* acc lanes += the 16 products w * x, in groups (their sum is the dot). */
#if defined(__ARM_FEATURE_DOTPROD)
#define MOTE_NEON_MAC16(acc, w, x) ((acc) = vdotq_s32((acc), (w), (x)))
#else
#define MOTE_NEON_MAC16(acc, w, x)                                   \
  ((acc) = vpadalq_s16(                                              \
       vpadalq_s16((acc), vmull_s8(vget_low_s8(w), vget_low_s8(x))), \
       vmull_high_s8((w), (x))))
#endif

/* Horizontal sums of four accumulators: lane j = sum of a_j's lanes. */
static inline int32x4_t sum4(int32x4_t a0, int32x4_t a1, int32x4_t a2,
                             int32x4_t a3) {
  return vpaddq_s32(vpaddq_s32(a0, a1), vpaddq_s32(a2, a3));
}

/* Channel vectors of one block of 4 output channels. */
typedef struct chan4 {
  int32x4_t bias, mult, lsh, nrsh;
} chan4;

static inline chan4 chan4_load(const mote_neon_pack *pk, int32_t c) {
  chan4 v;
  v.bias = vld1q_s32(pk->bias + c);
  v.mult = vld1q_s32(pk->mult + c);
  v.lsh = vld1q_s32(pk->lsh + c);
  v.nrsh = vld1q_s32(pk->nrsh + c);
  return v;
}

static inline int16x4_t requant4(int32x4_t acc, const chan4 *v,
                                 const mote_neon_out *o) {
  return mote_neon_finish(
      mote_neon_mul_by_qm(vaddq_s32(acc, v->bias), v->mult, v->lsh, v->nrsh),
      o);
}

/* Four rows x four channels: out[r] lane j = dot(x[r], w[j]). */
static inline void gemm_4x4(const int8_t *const x[4], const int8_t *const w[4],
                            int32_t kp, int32x4_t out[4]) {
  int32x4_t a00 = vdupq_n_s32(0), a01 = a00, a02 = a00, a03 = a00;
  int32x4_t a10 = a00, a11 = a00, a12 = a00, a13 = a00;
  int32x4_t a20 = a00, a21 = a00, a22 = a00, a23 = a00;
  int32x4_t a30 = a00, a31 = a00, a32 = a00, a33 = a00;
  for (int32_t k = 0; k < kp; k += 16) {
    const int8x16_t x0 = vld1q_s8(x[0] + k), x1 = vld1q_s8(x[1] + k),
                    x2 = vld1q_s8(x[2] + k), x3 = vld1q_s8(x[3] + k);
    const int8x16_t w0 = vld1q_s8(w[0] + k), w1 = vld1q_s8(w[1] + k),
                    w2 = vld1q_s8(w[2] + k), w3 = vld1q_s8(w[3] + k);
    MOTE_NEON_MAC16(a00, w0, x0);
    MOTE_NEON_MAC16(a01, w1, x0);
    MOTE_NEON_MAC16(a02, w2, x0);
    MOTE_NEON_MAC16(a03, w3, x0);
    MOTE_NEON_MAC16(a10, w0, x1);
    MOTE_NEON_MAC16(a11, w1, x1);
    MOTE_NEON_MAC16(a12, w2, x1);
    MOTE_NEON_MAC16(a13, w3, x1);
    MOTE_NEON_MAC16(a20, w0, x2);
    MOTE_NEON_MAC16(a21, w1, x2);
    MOTE_NEON_MAC16(a22, w2, x2);
    MOTE_NEON_MAC16(a23, w3, x2);
    MOTE_NEON_MAC16(a30, w0, x3);
    MOTE_NEON_MAC16(a31, w1, x3);
    MOTE_NEON_MAC16(a32, w2, x3);
    MOTE_NEON_MAC16(a33, w3, x3);
  }
  out[0] = sum4(a00, a01, a02, a03);
  out[1] = sum4(a10, a11, a12, a13);
  out[2] = sum4(a20, a21, a22, a23);
  out[3] = sum4(a30, a31, a32, a33);
}

/* One row x eight channels: lo/hi lane j = dot(x, w[j]) / dot(x, w[4+j]). */
static inline void gemm_1x8(const int8_t *x, const int8_t *const w[8],
                            int32_t kp, int32x4_t *lo, int32x4_t *hi) {
  int32x4_t a0 = vdupq_n_s32(0), a1 = a0, a2 = a0, a3 = a0;
  int32x4_t a4 = a0, a5 = a0, a6 = a0, a7 = a0;
  for (int32_t k = 0; k < kp; k += 16) {
    const int8x16_t xv = vld1q_s8(x + k);
    MOTE_NEON_MAC16(a0, vld1q_s8(w[0] + k), xv);
    MOTE_NEON_MAC16(a1, vld1q_s8(w[1] + k), xv);
    MOTE_NEON_MAC16(a2, vld1q_s8(w[2] + k), xv);
    MOTE_NEON_MAC16(a3, vld1q_s8(w[3] + k), xv);
    MOTE_NEON_MAC16(a4, vld1q_s8(w[4] + k), xv);
    MOTE_NEON_MAC16(a5, vld1q_s8(w[5] + k), xv);
    MOTE_NEON_MAC16(a6, vld1q_s8(w[6] + k), xv);
    MOTE_NEON_MAC16(a7, vld1q_s8(w[7] + k), xv);
  }
  *lo = sum4(a0, a1, a2, a3);
  *hi = sum4(a4, a5, a6, a7);
}

/* Row of output pixel (oy, ox) of image `img`: the input (contiguous
 * window, k % 16 == 0) or an im2col copy in buf. */
static const int8_t *conv_row(const mote_conv_geom *g, const int8_t *img,
                              int32_t oy, int32_t ox, int32_t k, int32_t kp,
                              int8_t zp, int8_t *buf) {
  const int32_t iy0 = oy * g->stride_h - g->pad_h;
  const int32_t ix0 = ox * g->stride_w - g->pad_w;
  const int32_t c = g->in_c, fw = g->filt_w;
  const int32_t run = (fw - 1) * g->dil_w + 1; /* input columns spanned */
  const int contiguous = fw == 1 || g->dil_w == 1;
  const int x_inside = ix0 >= 0 && ix0 + run <= g->in_w;
  if (g->filt_h == 1 && contiguous && k == kp && x_inside && iy0 >= 0 &&
      iy0 < g->in_h)
    return img + ((size_t)iy0 * (size_t)g->in_w + (size_t)ix0) * (size_t)c;
  int8_t *d = buf;
  for (int32_t fy = 0; fy < g->filt_h; fy++, d += fw * c) {
    const int32_t iy = iy0 + fy * g->dil_h;
    if (iy < 0 || iy >= g->in_h) {
      memset(d, zp, (size_t)(fw * c));
      continue;
    }
    const int8_t *src = img + (size_t)iy * (size_t)g->in_w * (size_t)c;
    if (contiguous && x_inside) {
      memcpy(d, src + (size_t)ix0 * (size_t)c, (size_t)(fw * c));
      continue;
    }
    for (int32_t fx = 0; fx < fw; fx++) {
      const int32_t ix = ix0 + fx * g->dil_w;
      if (ix < 0 || ix >= g->in_w)
        memset(d + fx * c, zp, (size_t)c);
      else
        memcpy(d + fx * c, src + (size_t)ix * (size_t)c, (size_t)c);
    }
  }
  if (kp > k) memset(buf + k, 0, (size_t)(kp - k));
  return buf;
}

void MOTE_NEON_CONV(const mote_conv_geom *g, const mote_conv_q_params *p,
                    const mote_neon_pack *pk, const int8_t *input,
                    const int8_t *filter, int8_t *output, int8_t *scratch) {
  const int32_t oc = g->out_c, k = pk->k, kp = pk->kp;
  const int8_t *w = pk->w8 ? pk->w8 : filter;
  const int8_t zp = (int8_t)(-p->input_offset);
  const mote_neon_out o =
      mote_neon_out_init(p->output_offset, p->act_min, p->act_max);
  const int32_t npix = g->out_h * g->out_w;
  const size_t img_bytes = (size_t)g->in_h * (size_t)g->in_w * (size_t)g->in_c;
  for (int32_t b = 0; b < g->batches; b++) {
    const int8_t *img = input + (size_t)b * img_bytes;
    int8_t *out_b = output + (size_t)b * (size_t)npix * (size_t)oc;
    int32_t oy = 0, ox = 0;
    for (int32_t i = 0; i < npix; i += 4) {
      const int32_t nr = npix - i < 4 ? npix - i : 4;
      const int8_t *x[4];
      for (int32_t r = 0; r < nr; r++) {
        x[r] = conv_row(g, img, oy, ox, k, kp, zp, scratch + r * kp);
        if (++ox == g->out_w) {
          ox = 0;
          oy++;
        }
      }
      int8_t *dst = out_b + (size_t)i * (size_t)oc;
      if (nr == 4) {
        for (int32_t c = 0; c < oc; c += 4) {
          const int32_t n = oc - c < 4 ? oc - c : 4;
          const int8_t *wr[4];
          int32x4_t acc[4];
          for (int32_t j = 0; j < 4; j++)
            wr[j] = w + (size_t)(c + (j < n ? j : n - 1)) * (size_t)kp;
          gemm_4x4(x, wr, kp, acc);
          const chan4 v = chan4_load(pk, c);
          const int16x4_t q01h0 = requant4(acc[0], &v, &o),
                          q01h1 = requant4(acc[1], &v, &o),
                          q23h0 = requant4(acc[2], &v, &o),
                          q23h1 = requant4(acc[3], &v, &o);
          const int8x8_t q01 = vmovn_s16(vcombine_s16(q01h0, q01h1));
          const int8x8_t q23 = vmovn_s16(vcombine_s16(q23h0, q23h1));
          if (n == 4) {
            int32_t t;
            t = vget_lane_s32(vreinterpret_s32_s8(q01), 0);
            memcpy(dst + c, &t, 4);
            t = vget_lane_s32(vreinterpret_s32_s8(q01), 1);
            memcpy(dst + oc + c, &t, 4);
            t = vget_lane_s32(vreinterpret_s32_s8(q23), 0);
            memcpy(dst + 2 * oc + c, &t, 4);
            t = vget_lane_s32(vreinterpret_s32_s8(q23), 1);
            memcpy(dst + 3 * oc + c, &t, 4);
          } else {
            int8_t t[16];
            vst1_s8(t, q01);
            vst1_s8(t + 8, q23);
            for (int32_t r = 0; r < 4; r++)
              memcpy(dst + r * oc + c, t + 4 * r, (size_t)n);
          }
        }
        continue;
      }
      for (int32_t r = 0; r < nr; r++, dst += oc) {
        for (int32_t c = 0; c < oc; c += 8) {
          const int32_t n = oc - c < 8 ? oc - c : 8;
          const int8_t *wr[8];
          int32x4_t lo, hi;
          for (int32_t j = 0; j < 8; j++)
            wr[j] = w + (size_t)(c + (j < n ? j : n - 1)) * (size_t)kp;
          gemm_1x8(x[r], wr, kp, &lo, &hi);
          const chan4 v0 = chan4_load(pk, c), v1 = chan4_load(pk, c + 4);
          const int8x8_t q = vmovn_s16(
              vcombine_s16(requant4(lo, &v0, &o), requant4(hi, &v1, &o)));
          mote_neon_store_n(dst + c, q, n);
        }
      }
    }
  }
}
