/* LEAKY_RELU int16: identity and alpha multipliers on either side of zero
 * (body in leaky_relu_body.h). */
#include "activation_ref.h"

#include "../mote_requant.h"

#define MOTE_LEAKY_RELU_FN mote_leaky_relu_s16_ref
#define MOTE_LEAKY_RELU_T int16_t
#define MOTE_LEAKY_RELU_MIN INT16_MIN
#define MOTE_LEAKY_RELU_MAX INT16_MAX
#include "leaky_relu_body.h"
