/* Unpack densely packed signed int4 weights (two per byte, low nibble
 * first, as TFLite UnpackDenseInt4IntoInt8) into one int8 per value. */
#include "conv_ref.h"

void mote_conv2d_unpack_s4_ref(const uint8_t *packed, int32_t count,
                               int8_t *out) {
  int32_t i;
  for (i = 0; i < count; i++) {
    uint32_t byte = packed[i / 2];
    uint32_t nib = (i % 2 == 0) ? (byte & 0xFu) : (byte >> 4);
    out[i] = (int8_t)(nib >= 8u ? (int32_t)nib - 16 : (int32_t)nib);
  }
}
