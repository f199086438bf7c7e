/*
** AVERAGE_POOL_2D int8 for MVE: eight channels per pass summed in int16
** lanes (VLDRB.S16 + VADD: exact while the window holds at most 256 taps,
** |sum| <= 128 * 256 = 2^15; larger windows go to the reference). The
** mean rounds half away from zero as the reference, sign(s) * floor((|s| +
** n/2) / n), the division by the tap count n (1..256; an empty window
** sums to 0 and divides by 1) done as a multiply: with M = ceil(2^31 / n),
** floor(v * M / 2^31) = floor(v / n) for every v < 2^17 because the error
** v * (M * n - 2^31) / (n * 2^31) stays below 1 / n (Granlund and
** Montgomery); VMULH.U32 of 2v and M gives it. Even and odd lanes widen to
** int32 (VMOVLB/VMOVLT) and narrow back in place (VMOVNB/VMOVNT).
*/
#include "arm_mve_kernels.h"

#if defined(MOTE_HAVE_ARM_MVE)
#include <arm_mve.h>

int mote_avg_pool_s8_mve_supported(const mote_pool_params *p) {
  return p->filter_h > 0 && p->filter_w > 0 &&
         (int64_t)p->filter_h * p->filter_w <= 256;
}

/* Rounded mean of four int32 sums: sign(s) * floor((|s| + half) / n). */
static inline int32x4_t mean4(int32x4_t s, uint32x4_t m, int32x4_t half,
                              int32x4_t lo, int32x4_t hi) {
  const uint32x4_t v = vreinterpretq_u32_s32(vaddq_s32(vabsq_s32(s), half));
  const int32x4_t q = vreinterpretq_s32_u32(vmulhq_u32(vaddq_u32(v, v), m));
  const int32x4_t r = vpselq_s32(vnegq_s32(q), q, vcmpltq_n_s32(s, 0));
  return vminq_s32(vmaxq_s32(r, lo), hi);
}

void mote_avg_pool_s8_mve(const mote_pool_params *p, const int8_t *in,
                          int8_t *out) {
  const int32_t C = p->depth;
  const int32x4_t lo = vdupq_n_s32(p->act_min), hi = vdupq_n_s32(p->act_max);
  int32_t b, oy, ox, c, y, x;
  for (b = 0; b < p->batches; b++) {
    const int8_t *img = in + b * p->in_h * p->in_w * C;
    for (oy = 0; oy < p->out_h; oy++) {
      for (ox = 0; ox < p->out_w; ox++, out += C) {
        int32_t y0, y1, x0, x1;
        mote_pool_window(p, oy, ox, &y0, &y1, &x0, &x1);
        int32_t n = (y1 - y0) * (x1 - x0);
        if (n <= 0) n = 1; /* empty window: the sum 0 stays 0 */
        const uint32x4_t m = vdupq_n_u32(
            (uint32_t)((0x80000000u + (uint32_t)n - 1u) / (uint32_t)n));
        const int32x4_t half = vdupq_n_s32(n / 2);
        for (c = 0; c < C; c += 8) {
          const mve_pred16_t pr = vctp16q((uint32_t)(C - c));
          int16x8_t s = vdupq_n_s16(0);
          for (y = y0; y < y1; y++) {
            const int8_t *ip = img + (y * p->in_w + x0) * C + c;
            for (x = x0; x < x1; x++, ip += C)
              s = vaddq_s16(s, vldrbq_z_s16(ip, pr));
          }
          int16x8_t r = vdupq_n_s16(0);
          r = vmovnbq_s32(r, mean4(vmovlbq_s16(s), m, half, lo, hi));
          r = vmovntq_s32(r, mean4(vmovltq_s16(s), m, half, lo, hi));
          vstrbq_p_s16(out + c, r, pr);
        }
      }
    }
  }
}

#else
/* No MVE: no code here (ISO C wants one declaration). */
typedef int mote_mve_pool_avg_s8_unused;
#endif
