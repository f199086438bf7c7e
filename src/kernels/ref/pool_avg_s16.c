/* AVERAGE_POOL_2D int16_t reference kernel. */
#include "pool_ref.h"

void mote_avg_pool_s16_ref(const mote_pool_params *p, const int16_t *in,
                           int16_t *out) {
  int32_t b, oy, ox, c, y, x;
  for (b = 0; b < p->batches; b++) {
    const int16_t *img = in + (int64_t)b * p->in_h * p->in_w * p->depth;
    for (oy = 0; oy < p->out_h; oy++) {
      for (ox = 0; ox < p->out_w; ox++) {
        int32_t y0, y1, x0, x1, count;
        mote_pool_window(p, oy, ox, &y0, &y1, &x0, &x1);
        count = (y1 - y0) * (x1 - x0);
        for (c = 0; c < p->depth; c++) {
          int32_t acc = 0;
          for (y = y0; y < y1; y++)
            for (x = x0; x < x1; x++)
              acc =
                  (int32_t)((uint32_t)acc +
                            (uint32_t)
                                img[((int64_t)y * p->in_w + x) * p->depth + c]);
          if (count > 0)
            acc =
                acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
          if (acc < p->act_min) acc = p->act_min;
          if (acc > p->act_max) acc = p->act_max;
          *out++ = (int16_t)acc;
        }
      }
    }
  }
}
