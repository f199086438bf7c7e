/*
** MAX_POOL_2D int8 for MVE: sixteen channels per pass, VMAX.S8 over the
** taps of the clipped window (mote_pool_window, as the reference), then
** the activation clamp; the channel tail is predicated. Exact: a maximum
** of int8 values, starting from INT8_MIN like the reference.
*/
#include "arm_mve_kernels.h"

#if defined(MOTE_HAVE_ARM_MVE)
#include <arm_mve.h>

void mote_max_pool_s8_mve(const mote_pool_params *p, const int8_t *in,
                          int8_t *out) {
  const int32_t C = p->depth;
  const int8x16_t lo = vdupq_n_s8((int8_t)p->act_min);
  const int8x16_t hi = vdupq_n_s8((int8_t)p->act_max);
  int32_t b, oy, ox, c, y, x;
  for (b = 0; b < p->batches; b++) {
    const int8_t *img = in + b * p->in_h * p->in_w * C;
    for (oy = 0; oy < p->out_h; oy++) {
      for (ox = 0; ox < p->out_w; ox++, out += C) {
        int32_t y0, y1, x0, x1;
        mote_pool_window(p, oy, ox, &y0, &y1, &x0, &x1);
        for (c = 0; c < C; c += 16) {
          const mve_pred16_t pr = vctp8q((uint32_t)(C - c));
          int8x16_t m = vdupq_n_s8(INT8_MIN);
          for (y = y0; y < y1; y++) {
            const int8_t *ip = img + (y * p->in_w + x0) * C + c;
            for (x = x0; x < x1; x++, ip += C)
              m = vmaxq_s8(m, vldrbq_z_s8(ip, pr));
          }
          m = vminq_s8(vmaxq_s8(m, lo), hi);
          vstrbq_p_s8(out + c, m, pr);
        }
      }
    }
  }
}

#else
/* No MVE: no code here (ISO C wants one declaration). */
typedef int mote_mve_pool_max_s8_unused;
#endif
