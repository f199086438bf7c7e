/*
** pool_max_s8.c: int8 MAX_POOL_2D for cores with the DSP extension,
** bit-exact with mote_max_pool_s8_ref (any shape).
**
** Four channels per word: SSUB8 sets a GE flag per byte where the first
** operand is the larger or equal one (signed, exact difference), SEL then
** picks those bytes from it; so one SSUB8 + SEL is a 4-lane signed max (and,
** with the operands swapped, min, for the clamp). Channel tails are scalar.
*/
#include "arm_dsp.h"

#if defined(MOTE_HAVE_ARM_DSP)
#include "dsp_common.h"

void mote_max_pool_s8_dsp(const mote_pool_params *p, const int8_t *in,
                          int8_t *out) {
  const int32_t depth = p->depth;
  const uint32_t lo4 = (uint32_t)(uint8_t)p->act_min * 0x01010101u;
  const uint32_t hi4 = (uint32_t)(uint8_t)p->act_max * 0x01010101u;
  int32_t b, oy, ox, c, y, x;
  for (b = 0; b < p->batches; b++) {
    const int8_t *img = in + (int32_t)b * p->in_h * p->in_w * depth;
    for (oy = 0; oy < p->out_h; oy++) {
      for (ox = 0; ox < p->out_w; ox++) {
        int32_t y0, y1, x0, x1;
        mote_pool_window(p, oy, ox, &y0, &y1, &x0, &x1);
        for (c = 0; c + 4 <= depth; c += 4) {
          uint32_t m = 0x80808080u; /* INT8_MIN in every lane */
          for (y = y0; y < y1; y++) {
            const int8_t *row = img + (y * p->in_w + x0) * depth + c;
            for (x = x0; x < x1; x++, row += depth)
              m = mote_dsp_max4((uint32_t)mote_dsp_ld32(row), m);
          }
          m = mote_dsp_max4(m, lo4);
          m = mote_dsp_min4(m, hi4);
          memcpy(out, &m, sizeof m);
          out += 4;
        }
        for (; c < depth; c++) {
          int32_t v = INT8_MIN;
          for (y = y0; y < y1; y++)
            for (x = x0; x < x1; x++) {
              const int32_t t = img[(y * p->in_w + x) * depth + c];
              if (t > v) v = t;
            }
          if (v < p->act_min) v = p->act_min;
          if (v > p->act_max) v = p->act_max;
          *out++ = (int8_t)v;
        }
      }
    }
  }
}

#else
/* No DSP extension: no code here (ISO C wants one declaration). */
typedef int mote_dsp_pool_max_s8_unused;
#endif /* MOTE_HAVE_ARM_DSP */
