/* TRANSPOSE of 16-bit elements (see shape_ref.h; body in transpose_body.h). */
#include "shape_ref.h"

#define MOTE_TRANSPOSE_FN mote_transpose_x16_ref
#define MOTE_TRANSPOSE_T int16_t
#include "transpose_body.h"
