/* QUANTIZE from uint8: requantize (x - in_zp) * in_scale / out_scale + out_zp,
 * saturated to the output type. */
#include "activation_ref.h"

#include "../mote_requant.h"

/* One element; the reference does this in wrapping int32 arithmetic. */
static int32_t requant(const mote_requant_params *p, int32_t x) {
  int32_t d = (int32_t)((uint32_t)x - (uint32_t)p->input_zero_point);
  int32_t v = mote_mul_by_qm(d, p->multiplier, p->shift);
  return (int32_t)((uint32_t)v + (uint32_t)p->output_zero_point);
}

void mote_quantize_u8_ref(const mote_requant_params *p, size_t n,
                          const uint8_t *in, void *out) {
  size_t i;
  switch (p->out_type) {
    case MOTE_QK_INT8: {
      int8_t *o = (int8_t *)out;
      for (i = 0; i < n; ++i)
        o[i] = (int8_t)mote_clamp_i32(requant(p, in[i]), INT8_MIN, INT8_MAX);
      break;
    }
    case MOTE_QK_UINT8: {
      uint8_t *o = (uint8_t *)out;
      for (i = 0; i < n; ++i)
        o[i] = (uint8_t)mote_clamp_i32(requant(p, in[i]), 0, UINT8_MAX);
      break;
    }
    case MOTE_QK_INT16: {
      int16_t *o = (int16_t *)out;
      for (i = 0; i < n; ++i)
        o[i] = (int16_t)mote_clamp_i32(requant(p, in[i]), INT16_MIN, INT16_MAX);
      break;
    }
    default: { /* MOTE_QK_INT32 */
      int32_t *o = (int32_t *)out;
      for (i = 0; i < n; ++i) o[i] = requant(p, in[i]);
      break;
    }
  }
}
