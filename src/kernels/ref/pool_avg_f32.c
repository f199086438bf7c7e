/* AVERAGE_POOL_2D float32 reference kernel. */
#include "pool_ref.h"

void mote_avg_pool_f32_ref(const mote_pool_params *p, const float *in,
                           float *out) {
  int32_t b, oy, ox, c, y, x;
  for (b = 0; b < p->batches; b++) {
    const float *img = in + (int64_t)b * p->in_h * p->in_w * p->depth;
    for (oy = 0; oy < p->out_h; oy++) {
      for (ox = 0; ox < p->out_w; ox++) {
        int32_t y0, y1, x0, x1;
        float count;
        mote_pool_window(p, oy, ox, &y0, &y1, &x0, &x1);
        count = (float)((y1 - y0) * (x1 - x0));
        for (c = 0; c < p->depth; c++) {
          float total = 0.0f, avg, r;
          for (y = y0; y < y1; y++)
            for (x = x0; x < x1; x++)
              total += img[((int64_t)y * p->in_w + x) * p->depth + c];
          avg = count > 0.0f ? total / count : 0.0f;
          /* Clamp exactly as TFLite: max with the floor, then min. */
          r = avg < p->fact_min ? p->fact_min : avg;
          *out++ = p->fact_max < r ? p->fact_max : r;
        }
      }
    }
  }
}
