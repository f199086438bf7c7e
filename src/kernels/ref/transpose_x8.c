/* TRANSPOSE of 8-bit elements (see shape_ref.h). */
#include "shape_ref.h"

void mote_transpose_x8_ref(const mote_transpose_params *p, const int8_t *in,
                           int8_t *out) {
  const int32_t *d = p->out_dims;
  const int32_t *s = p->in_strides;
  int32_t i0, i1, i2, i3, i4, i5;
  for (i0 = 0; i0 < d[0]; ++i0)
    for (i1 = 0; i1 < d[1]; ++i1)
      for (i2 = 0; i2 < d[2]; ++i2)
        for (i3 = 0; i3 < d[3]; ++i3)
          for (i4 = 0; i4 < d[4]; ++i4) {
            const int8_t *src =
                in + (size_t)i0 * (size_t)s[0] + (size_t)i1 * (size_t)s[1] +
                (size_t)i2 * (size_t)s[2] + (size_t)i3 * (size_t)s[3] +
                (size_t)i4 * (size_t)s[4];
            for (i5 = 0; i5 < d[5]; ++i5) {
              *out++ = *src;
              src += s[5];
            }
          }
}
