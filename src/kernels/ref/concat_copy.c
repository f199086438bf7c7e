/* CONCATENATION: copy one input's blocks into the output (shape_ref.h). */
#include "shape_ref.h"

void mote_concat_copy_ref(const uint8_t *in, uint8_t *out, size_t outer,
                          size_t in_block, size_t out_block, size_t offset) {
  size_t i;
  if (in_block == 0) return;
  out += offset;
  for (i = 0; i < outer; ++i) {
    memcpy(out, in, in_block);
    in += in_block;
    out += out_block;
  }
}
