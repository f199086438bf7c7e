/*
** quantize_body.h: the one body of the integer QUANTIZE (requantize)
** reference kernels (quantize_s8.c, _s16.c, _s32.c, _u8.c), which differ
** only in the input element type.
**
** A type template, not an ordinary header. The kernel file includes
** activation_ref.h and ../mote_requant.h, defines
**   MOTE_QUANTIZE_FN: the name of the entry point; its prototype in
**     activation_ref.h comes first, so the compiler checks the definition
**   MOTE_QUANTIZE_IN_T: the input element type
** and includes this file once, which defines that one function. Each
** kernel compiles to exactly the code its own copy did. No include
** guard on purpose; the macros are undefined at the end.
*/
#if !defined(MOTE_QUANTIZE_FN) || !defined(MOTE_QUANTIZE_IN_T)
#error "quantize_body.h: define the macros listed above first"
#endif

/* One element; the reference does this in wrapping int32 arithmetic. */
static int32_t mote_quantize_one(const mote_requant_params *p, int32_t x) {
  int32_t d = (int32_t)((uint32_t)x - (uint32_t)p->input_zero_point);
  int32_t v = mote_mul_by_qm(d, p->multiplier, p->shift);
  return (int32_t)((uint32_t)v + (uint32_t)p->output_zero_point);
}

void MOTE_QUANTIZE_FN(const mote_requant_params *p, size_t n,
                      const MOTE_QUANTIZE_IN_T *in, void *out) {
  size_t i;
  switch (p->out_type) {
    case MOTE_QK_INT8: {
      int8_t *o = (int8_t *)out;
      for (i = 0; i < n; ++i)
        o[i] = (int8_t)mote_clamp_i32(mote_quantize_one(p, in[i]), INT8_MIN,
                                      INT8_MAX);
      break;
    }
    case MOTE_QK_UINT8: {
      uint8_t *o = (uint8_t *)out;
      for (i = 0; i < n; ++i)
        o[i] =
            (uint8_t)mote_clamp_i32(mote_quantize_one(p, in[i]), 0, UINT8_MAX);
      break;
    }
    case MOTE_QK_INT16: {
      int16_t *o = (int16_t *)out;
      for (i = 0; i < n; ++i)
        o[i] = (int16_t)mote_clamp_i32(mote_quantize_one(p, in[i]), INT16_MIN,
                                       INT16_MAX);
      break;
    }
    default: { /* MOTE_QK_INT32 */
      int32_t *o = (int32_t *)out;
      for (i = 0; i < n; ++i) o[i] = mote_quantize_one(p, in[i]);
      break;
    }
  }
}

#undef MOTE_QUANTIZE_FN
#undef MOTE_QUANTIZE_IN_T
