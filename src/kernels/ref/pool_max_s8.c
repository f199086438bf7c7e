/* MAX_POOL_2D int8_t reference kernel. */
#include "pool_ref.h"

void mote_max_pool_s8_ref(const mote_pool_params *p, const int8_t *in,
                          int8_t *out) {
  int32_t b, oy, ox, c, y, x;
  for (b = 0; b < p->batches; b++) {
    const int8_t *img = in + (int64_t)b * p->in_h * p->in_w * p->depth;
    for (oy = 0; oy < p->out_h; oy++) {
      for (ox = 0; ox < p->out_w; ox++) {
        int32_t y0, y1, x0, x1;
        mote_pool_window(p, oy, ox, &y0, &y1, &x0, &x1);
        for (c = 0; c < p->depth; c++) {
          int32_t m = INT8_MIN;
          for (y = y0; y < y1; y++)
            for (x = x0; x < x1; x++) {
              int32_t v = img[((int64_t)y * p->in_w + x) * p->depth + c];
              if (v > m) m = v;
            }
          if (m < p->act_min) m = p->act_min;
          if (m > p->act_max) m = p->act_max;
          *out++ = (int8_t)m;
        }
      }
    }
  }
}
