/*
** transpose_body.h: the one body of the TRANSPOSE reference kernels
** (transpose_x8.c, _x16.c, _x32.c, _x64.c), which differ only in element
** type.
**
** A type template, not an ordinary header. The kernel file includes
** shape_ref.h, defines
**   MOTE_TRANSPOSE_FN: the name of the entry point; its prototype in
**     shape_ref.h comes first, so the compiler checks the definition
**   MOTE_TRANSPOSE_T: the element type
** and includes this file once, which defines that one function. Each
** kernel compiles to exactly the code its own copy did. No include
** guard on purpose; the macros are undefined at the end.
*/
#if !defined(MOTE_TRANSPOSE_FN) || !defined(MOTE_TRANSPOSE_T)
#error "transpose_body.h: define the macros listed above first"
#endif

void MOTE_TRANSPOSE_FN(const mote_transpose_params *p,
                       const MOTE_TRANSPOSE_T *in, MOTE_TRANSPOSE_T *out) {
  const int32_t *d = p->out_dims;
  const int32_t *s = p->in_strides;
  int32_t i0, i1, i2, i3, i4, i5;
  for (i0 = 0; i0 < d[0]; ++i0)
    for (i1 = 0; i1 < d[1]; ++i1)
      for (i2 = 0; i2 < d[2]; ++i2)
        for (i3 = 0; i3 < d[3]; ++i3)
          for (i4 = 0; i4 < d[4]; ++i4) {
            const MOTE_TRANSPOSE_T *src =
                in + (size_t)i0 * (size_t)s[0] + (size_t)i1 * (size_t)s[1] +
                (size_t)i2 * (size_t)s[2] + (size_t)i3 * (size_t)s[3] +
                (size_t)i4 * (size_t)s[4];
            for (i5 = 0; i5 < d[5]; ++i5) {
              *out++ = *src;
              src += s[5];
            }
          }
}

#undef MOTE_TRANSPOSE_FN
#undef MOTE_TRANSPOSE_T
