/* QUANTIZE from int8: requantize (x - in_zp) * in_scale / out_scale + out_zp,
 * saturated to the output type (body in quantize_body.h). */
#include "activation_ref.h"

#include "../mote_requant.h"

#define MOTE_QUANTIZE_FN mote_quantize_s8_ref
#define MOTE_QUANTIZE_IN_T int8_t
#include "quantize_body.h"
