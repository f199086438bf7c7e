/* QUANTIZE float32 -> int16: round(x / scale) + zero_point, saturated. */
#include <math.h>

#include "activation_ref.h"

/*
** float -> int32 of an already rounded value. The reference converts with a
** plain cast (undefined out of range); saturate instead, NaN -> 0.
*/
static int32_t to_i32_sat(float r) {
  if (r != r) return 0;
  if (r >= 2147483648.0f) return INT32_MAX;
  if (r < -2147483648.0f) return INT32_MIN;
  return (int32_t)r;
}

void mote_quantize_f32_s16_ref(float scale, int32_t zero_point, size_t n,
                               const float *in, int16_t *out) {
  size_t i;
  for (i = 0; i < n; ++i) {
    int64_t v = (int64_t)to_i32_sat(roundf(in[i] / scale)) + zero_point;
    out[i] =
        (int16_t)(v < INT16_MIN ? INT16_MIN : (v > INT16_MAX ? INT16_MAX : v));
  }
}
