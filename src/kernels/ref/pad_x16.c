/* PAD / PADV2 of 16-bit elements (see shape_ref.h; body in pad_body.h). */
#include "shape_ref.h"

#define MOTE_PAD_FN mote_pad_x16_ref
#define MOTE_PAD_T int16_t
#include "pad_body.h"
