/* MEAN, float32 (see shape_ref.h): sums in input order, then divides. */
#include "shape_ref.h"

void mote_mean_f32_ref(const mote_mean_params *p, const float *in, float *out) {
  const int32_t *d = p->in_dims;
  const int32_t *s = p->out_strides;
  size_t k = 0;
  int32_t i, i0, i1, i2, i3, i4, i5;
  for (i = 0; i < p->num_out; ++i) out[i] = 0.0f;
  for (i0 = 0; i0 < d[0]; ++i0)
    for (i1 = 0; i1 < d[1]; ++i1)
      for (i2 = 0; i2 < d[2]; ++i2)
        for (i3 = 0; i3 < d[3]; ++i3)
          for (i4 = 0; i4 < d[4]; ++i4) {
            int32_t o =
                i0 * s[0] + i1 * s[1] + i2 * s[2] + i3 * s[3] + i4 * s[4];
            for (i5 = 0; i5 < d[5]; ++i5, ++k) out[o + i5 * s[5]] += in[k];
          }
  for (i = 0; i < p->num_out; ++i) out[i] = out[i] / (float)p->num_reduced;
}
