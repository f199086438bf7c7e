/* PAD / PADV2 of 16-bit elements (see shape_ref.h). */
#include "shape_ref.h"

static void fill(int16_t *out, size_t n, int16_t v) {
  size_t i;
  for (i = 0; i < n; ++i) out[i] = v;
}

void mote_pad_x16_ref(const mote_pad_params *p, const int16_t *in,
                      int16_t pad_value, int16_t *out) {
  int32_t od[MOTE_PAD_DIMS];
  int32_t k, i0, i1, i2, i3;
  for (k = 0; k < MOTE_PAD_DIMS; ++k)
    od[k] = p->left[k] + p->in_dims[k] + p->right[k];
  const size_t row = (size_t)od[4];
  const size_t left = (size_t)p->left[4], inner = (size_t)p->in_dims[4];
  const size_t right = (size_t)p->right[4];
  for (i0 = 0; i0 < od[0]; ++i0) {
    const int pad0 = i0 < p->left[0] || i0 >= p->left[0] + p->in_dims[0];
    for (i1 = 0; i1 < od[1]; ++i1) {
      const int pad1 =
          pad0 || i1 < p->left[1] || i1 >= p->left[1] + p->in_dims[1];
      for (i2 = 0; i2 < od[2]; ++i2) {
        const int pad2 =
            pad1 || i2 < p->left[2] || i2 >= p->left[2] + p->in_dims[2];
        for (i3 = 0; i3 < od[3]; ++i3) {
          if (pad2 || i3 < p->left[3] || i3 >= p->left[3] + p->in_dims[3]) {
            fill(out, row, pad_value);
          } else {
            fill(out, left, pad_value);
            memcpy(out + left, in, inner * sizeof *in);
            in += inner;
            fill(out + left + inner, right, pad_value);
          }
          out += row;
        }
      }
    }
  }
}
