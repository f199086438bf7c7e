/* MAX_POOL_2D float32 reference kernel. */
#include <float.h>

#include "pool_ref.h"

void mote_max_pool_f32_ref(const mote_pool_params *p, const float *in,
                           float *out) {
  int32_t b, oy, ox, c, y, x;
  for (b = 0; b < p->batches; b++) {
    const float *img = in + (int64_t)b * p->in_h * p->in_w * p->depth;
    for (oy = 0; oy < p->out_h; oy++) {
      for (ox = 0; ox < p->out_w; ox++) {
        int32_t y0, y1, x0, x1;
        mote_pool_window(p, oy, ox, &y0, &y1, &x0, &x1);
        for (c = 0; c < p->depth; c++) {
          float m = -FLT_MAX, r;
          for (y = y0; y < y1; y++)
            for (x = x0; x < x1; x++) {
              float v = img[((int64_t)y * p->in_w + x) * p->depth + c];
              if (m < v) m = v;
            }
          r = m < p->fact_min ? p->fact_min : m;
          *out++ = p->fact_max < r ? p->fact_max : r;
        }
      }
    }
  }
}
