/* STRIDED_SLICE of 32-bit elements (see shape_ref.h; body in
 * strided_slice_body.h). */
#include "shape_ref.h"

#define MOTE_SSLICE_FN mote_strided_slice_x32_ref
#define MOTE_SSLICE_T int32_t
#include "strided_slice_body.h"
