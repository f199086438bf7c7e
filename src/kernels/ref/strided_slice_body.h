/*
** strided_slice_body.h: the one body of the STRIDED_SLICE reference kernels
** (strided_slice_x8.c, _x16.c, _x32.c), which differ only in element type.
**
** A type template, not an ordinary header. The kernel file includes
** shape_ref.h, defines
**   MOTE_SSLICE_FN: the name of the entry point; its prototype in
**     shape_ref.h comes first, so the compiler checks the definition
**   MOTE_SSLICE_T: the element type
** and includes this file once, which defines that one function. Each
** kernel compiles to exactly the code its own copy did. No include
** guard on purpose; the macros are undefined at the end.
*/
#if !defined(MOTE_SSLICE_FN) || !defined(MOTE_SSLICE_T)
#error "strided_slice_body.h: define the macros listed above first"
#endif

void MOTE_SSLICE_FN(const mote_sslice_params *p, const MOTE_SSLICE_T *in,
                    MOTE_SSLICE_T *out) {
  const int32_t *c = p->count;
  int32_t i0, i1, i2, i3, i4;
  int64_t step[MOTE_SSLICE_DIMS], base[MOTE_SSLICE_DIMS];
  for (i0 = 0; i0 < MOTE_SSLICE_DIMS; ++i0) {
    step[i0] = (int64_t)p->stride[i0] * p->in_strides[i0];
    base[i0] = (int64_t)p->start[i0] * p->in_strides[i0];
  }
  for (i0 = 0; i0 < c[0]; ++i0) {
    const ptrdiff_t o0 = (ptrdiff_t)(base[0] + i0 * step[0]);
    for (i1 = 0; i1 < c[1]; ++i1) {
      const ptrdiff_t o1 = o0 + (ptrdiff_t)(base[1] + i1 * step[1]);
      for (i2 = 0; i2 < c[2]; ++i2) {
        const ptrdiff_t o2 = o1 + (ptrdiff_t)(base[2] + i2 * step[2]);
        for (i3 = 0; i3 < c[3]; ++i3) {
          const ptrdiff_t o3 = o2 + (ptrdiff_t)(base[3] + i3 * step[3]);
          const MOTE_SSLICE_T *src = in + o3 + (ptrdiff_t)base[4];
          for (i4 = 0; i4 < c[4]; ++i4) {
            *out++ = *src;
            src += (ptrdiff_t)step[4];
          }
        }
      }
    }
  }
}

#undef MOTE_SSLICE_FN
#undef MOTE_SSLICE_T
