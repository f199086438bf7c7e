/*
** pool_avg_s8.c: int8 AVERAGE_POOL_2D for cores with the DSP extension,
** bit-exact with mote_avg_pool_s8_ref for windows of at most 256 taps.
**
** Four channels per word: SXTAB16 adds bytes 0 and 2 (and, rotated, 1 and
** 3) sign-extended into two 16-bit lanes; 256 taps of int8 stay inside
** int16 (|sum| <= 32768, and -32768 is the only extreme reached), so the
** sums are the reference's exactly. The mean is then the reference's
** expression on each sum (round half away from zero, C division), and the
** clamp. Channel tails are scalar.
*/
#include "arm_dsp.h"

#if defined(MOTE_HAVE_ARM_DSP)
#include "dsp_common.h"

int mote_avg_pool_s8_dsp_supported(const mote_pool_params *p) {
  return (int64_t)p->filter_h * p->filter_w <= 256;
}

/* The reference's rounded mean of acc over count (> 0) taps, clamped. */
static inline int32_t mean(int32_t acc, int32_t count, int32_t lo, int32_t hi) {
  acc = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
  return acc < lo ? lo : (acc > hi ? hi : acc);
}

void mote_avg_pool_s8_dsp(const mote_pool_params *p, const int8_t *in,
                          int8_t *out) {
  const int32_t depth = p->depth, lo = p->act_min, hi = p->act_max;
  int32_t b, oy, ox, c, y, x;
  for (b = 0; b < p->batches; b++) {
    const int8_t *img = in + (int32_t)b * p->in_h * p->in_w * depth;
    for (oy = 0; oy < p->out_h; oy++) {
      for (ox = 0; ox < p->out_w; ox++) {
        int32_t y0, y1, x0, x1, count;
        mote_pool_window(p, oy, ox, &y0, &y1, &x0, &x1);
        count = (y1 - y0) * (x1 - x0);
        if (count <= 0) { /* the reference clamps a zero sum */
          const int32_t z = 0 < lo ? lo : (0 > hi ? hi : 0);
          for (c = 0; c < depth; c++) *out++ = (int8_t)z;
          continue;
        }
        for (c = 0; c + 4 <= depth; c += 4) {
          int32_t ev = 0, od = 0; /* lanes: channels c, c+2 / c+1, c+3 */
          for (y = y0; y < y1; y++) {
            const int8_t *row = img + (y * p->in_w + x0) * depth + c;
            for (x = x0; x < x1; x++, row += depth) {
              const int32_t w = mote_dsp_ld32(row);
              ev = mote_dsp_even(ev, w);
              od = mote_dsp_odd(od, w);
            }
          }
          out[0] = (int8_t)mean((int16_t)ev, count, lo, hi);
          out[1] = (int8_t)mean((int16_t)od, count, lo, hi);
          out[2] = (int8_t)mean(ev >> 16, count, lo, hi);
          out[3] = (int8_t)mean(od >> 16, count, lo, hi);
          out += 4;
        }
        for (; c < depth; c++) {
          int32_t acc = 0;
          for (y = y0; y < y1; y++)
            for (x = x0; x < x1; x++) acc += img[(y * p->in_w + x) * depth + c];
          *out++ = (int8_t)mean(acc, count, lo, hi);
        }
      }
    }
  }
}

#else
/* No DSP extension: no code here (ISO C wants one declaration). */
typedef int mote_dsp_pool_avg_s8_unused;
#endif /* MOTE_HAVE_ARM_DSP */
