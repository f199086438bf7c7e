/* CONV_2D int8, NEON without the dot-product extension (SMULL/SADALP). */
#define MOTE_NEON_CONV mote_conv2d_s8_neon
#include "conv2d_s8_body.h"
