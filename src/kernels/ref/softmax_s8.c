/* SOFTMAX int8 -> int8 (output scale 1/256, zero point -128; body in
 * softmax_s8_body.h). */
#include "activation_ref.h"

#include "../mote_fixedpoint_math.h"

#define MOTE_SOFTMAX_FN mote_softmax_s8_ref
#define MOTE_SOFTMAX_OUT_T int8_t
#define MOTE_SOFTMAX_OUT_MIN INT8_MIN
#define MOTE_SOFTMAX_OUT_MAX INT8_MAX
#define MOTE_SOFTMAX_OUT_BITS 8
#include "softmax_s8_body.h"
