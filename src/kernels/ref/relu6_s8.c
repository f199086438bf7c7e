/* RELU6 int8: TFLM clamps the raw values to [zero point, quantized 6.0]
 * of the input scale (no requantization). */
#include "activation_ref.h"

void mote_relu6_s8_ref(int32_t lo, int32_t hi, size_t n, const int8_t *in,
                       int8_t *out) {
  size_t i;
  for (i = 0; i < n; ++i) {
    int32_t v = in[i];
    out[i] = (int8_t)(v > hi ? hi : (v < lo ? lo : v));
  }
}
