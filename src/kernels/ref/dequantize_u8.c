/* DEQUANTIZE uint8 -> float32: (float)(scale * (x - zero_point)) in double. */
#include "activation_ref.h"

void mote_dequantize_u8_ref(double scale, int32_t zero_point, size_t n,
                            const uint8_t *in, float *out) {
  size_t i;
  for (i = 0; i < n; ++i)
    out[i] = (float)(scale * (double)((int32_t)in[i] - zero_point));
}
