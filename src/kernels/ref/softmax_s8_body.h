/*
** softmax_s8_body.h: the one body of the int8-input SOFTMAX reference
** kernels (softmax_s8.c: int8 out, softmax_s8_s16.c: int16 out), which
** differ only in the output type.
**
** A type template, not an ordinary header. The kernel file includes
** activation_ref.h and ../mote_fixedpoint_math.h, defines
**   MOTE_SOFTMAX_FN: the name of the entry point; its prototype in
**     activation_ref.h comes first, so the compiler checks the definition
**   MOTE_SOFTMAX_OUT_T: the output element type
**   MOTE_SOFTMAX_OUT_MIN: its minimum, also the output zero point
**   MOTE_SOFTMAX_OUT_MAX: its maximum
**   MOTE_SOFTMAX_OUT_BITS: its width: the output scale is 2^-bits
** and includes this file once, which defines that one function. Each
** kernel compiles to exactly the code its own copy did. No include
** guard on purpose; the macros are undefined at the end.
*/
#if !defined(MOTE_SOFTMAX_FN) || !defined(MOTE_SOFTMAX_OUT_T) ||        \
    !defined(MOTE_SOFTMAX_OUT_MIN) || !defined(MOTE_SOFTMAX_OUT_MAX) || \
    !defined(MOTE_SOFTMAX_OUT_BITS)
#error "softmax_s8_body.h: define the macros listed above first"
#endif

void MOTE_SOFTMAX_FN(const mote_softmax_q_params *p, int32_t outer,
                     int32_t depth, const int8_t *in, MOTE_SOFTMAX_OUT_T *out) {
  /* Differences are Q5.26 going into exp(); the sum of exps is Q12.19. */
  int32_t r;
  for (r = 0; r < outer; ++r) {
    const int8_t *x = in + (size_t)r * (size_t)depth;
    MOTE_SOFTMAX_OUT_T *y = out + (size_t)r * (size_t)depth;
    int32_t maxv = INT8_MIN, sum = 0, scale, c;
    int bits_over_unit, exponent;
    for (c = 0; c < depth; ++c) maxv = x[c] > maxv ? x[c] : maxv;
    for (c = 0; c < depth; ++c) {
      int32_t diff = (int32_t)x[c] - maxv;
      if (diff >= p->diff_min) {
        int32_t scaled =
            mote_mul_by_qm_gt1(diff, p->input_multiplier, p->input_left_shift);
        sum = mote_fp_add(sum,
                          mote_fp_rescale(mote_fp_exp_neg(scaled, 5), 0, 12));
      }
    }
    scale = mote_fp_reciprocal(sum, 12, &bits_over_unit);
    exponent = bits_over_unit + 31 - MOTE_SOFTMAX_OUT_BITS;
    /* Only a wrapped (overflowed) sum gets here; TFLM aborts then. */
    if (exponent > 31) exponent = 31;
    for (c = 0; c < depth; ++c) {
      int32_t diff = (int32_t)x[c] - maxv;
      int32_t v = MOTE_SOFTMAX_OUT_MIN;
      if (diff >= p->diff_min) {
        int32_t scaled =
            mote_mul_by_qm_gt1(diff, p->input_multiplier, p->input_left_shift);
        int32_t e = mote_fp_exp_neg(scaled, 5);
        v = mote_rdbpot(mote_sat_rdhm(scale, e), exponent) +
            MOTE_SOFTMAX_OUT_MIN;
        v = mote_clamp_i32(v, MOTE_SOFTMAX_OUT_MIN, MOTE_SOFTMAX_OUT_MAX);
      }
      y[c] = (MOTE_SOFTMAX_OUT_T)v;
    }
  }
}

#undef MOTE_SOFTMAX_FN
#undef MOTE_SOFTMAX_OUT_T
#undef MOTE_SOFTMAX_OUT_MIN
#undef MOTE_SOFTMAX_OUT_MAX
#undef MOTE_SOFTMAX_OUT_BITS
