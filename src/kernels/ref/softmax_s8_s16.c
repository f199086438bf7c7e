/* SOFTMAX int8 -> int16 (output scale 1/65536, zero point -32768; body in
 * softmax_s8_body.h). */
#include "activation_ref.h"

#include "../mote_fixedpoint_math.h"

#define MOTE_SOFTMAX_FN mote_softmax_s8_s16_ref
#define MOTE_SOFTMAX_OUT_T int16_t
#define MOTE_SOFTMAX_OUT_MIN INT16_MIN
#define MOTE_SOFTMAX_OUT_MAX INT16_MAX
#define MOTE_SOFTMAX_OUT_BITS 16
#include "softmax_s8_body.h"
