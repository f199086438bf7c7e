/*
** leaky_relu_body.h: the one body of the quantized LEAKY_RELU reference
** kernels (leaky_relu_s8.c, leaky_relu_s16.c), which differ only in
** element type.
**
** A type template, not an ordinary header. The kernel file includes
** activation_ref.h and ../mote_requant.h, defines
**   MOTE_LEAKY_RELU_FN: its entry point's name (declared in activation_ref.h,
*so the
**     compiler checks this definition against that prototype)
**   MOTE_LEAKY_RELU_T: the element type
**   MOTE_LEAKY_RELU_MIN: its minimum
**   MOTE_LEAKY_RELU_MAX: its maximum
** and includes this file once, which defines that one function. Each
** kernel compiles to exactly the code its own copy did. No include
** guard on purpose; the macros are undefined at the end.
*/
#if !defined(MOTE_LEAKY_RELU_FN) || !defined(MOTE_LEAKY_RELU_T) || \
    !defined(MOTE_LEAKY_RELU_MIN) || !defined(MOTE_LEAKY_RELU_MAX)
#error "leaky_relu_body.h: define the macros listed above first"
#endif

void MOTE_LEAKY_RELU_FN(const mote_leaky_relu_q_params *p, size_t n,
                        const MOTE_LEAKY_RELU_T *in, MOTE_LEAKY_RELU_T *out) {
  const int32_t lo = MOTE_LEAKY_RELU_MIN, hi = MOTE_LEAKY_RELU_MAX;
  size_t i;
  for (i = 0; i < n; ++i) {
    int32_t x = (int32_t)in[i] - p->input_offset;
    int32_t v = p->output_offset;
    if (x >= 0) {
      v += mote_mul_by_qm(x, p->identity_multiplier, p->identity_shift);
    } else {
      int32_t a = mote_mul_by_qm(x, p->alpha_multiplier, p->alpha_shift);
      v += p->alpha_negative ? -a : a;
    }
    out[i] = (MOTE_LEAKY_RELU_T)mote_clamp_i32(v, lo, hi);
  }
}

#undef MOTE_LEAKY_RELU_FN
#undef MOTE_LEAKY_RELU_T
#undef MOTE_LEAKY_RELU_MIN
#undef MOTE_LEAKY_RELU_MAX
