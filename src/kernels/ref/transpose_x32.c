/* TRANSPOSE of 32-bit elements (see shape_ref.h; body in transpose_body.h). */
#include "shape_ref.h"

#define MOTE_TRANSPOSE_FN mote_transpose_x32_ref
#define MOTE_TRANSPOSE_T int32_t
#include "transpose_body.h"
