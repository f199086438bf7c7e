/*
** pad_body.h: the one body of the PAD / PADV2 reference kernels
** (pad_x8.c, pad_x16.c, pad_x32.c), which differ only in element type.
**
** A type template, not an ordinary header. The kernel file includes
** shape_ref.h, defines
**   MOTE_PAD_FN: the name of the entry point; its prototype in
**     shape_ref.h comes first, so the compiler checks the definition
**   MOTE_PAD_T: the element type
** and includes this file once, which defines that one function. Each
** kernel compiles to exactly the code its own copy did. No include
** guard on purpose; the macros are undefined at the end.
*/
#if !defined(MOTE_PAD_FN) || !defined(MOTE_PAD_T)
#error "pad_body.h: define the macros listed above first"
#endif

static void mote_pad_fill(MOTE_PAD_T *out, size_t n, MOTE_PAD_T v) {
  size_t i;
  for (i = 0; i < n; ++i) out[i] = v;
}

void MOTE_PAD_FN(const mote_pad_params *p, const MOTE_PAD_T *in,
                 MOTE_PAD_T pad_value, MOTE_PAD_T *out) {
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
            mote_pad_fill(out, row, pad_value);
          } else {
            mote_pad_fill(out, left, pad_value);
            memcpy(out + left, in, inner * sizeof *in);
            in += inner;
            mote_pad_fill(out + left + inner, right, pad_value);
          }
          out += row;
        }
      }
    }
  }
}

#undef MOTE_PAD_FN
#undef MOTE_PAD_T
