/* CONV_2D int8, NEON with the dot-product extension (SDOT); this file is
 * compiled with -march=armv8.2-a+dotprod. */
#if !defined(__ARM_FEATURE_DOTPROD)
#error "conv2d_s8_dot.c needs -march=armv8.2-a+dotprod"
#endif
#define MOTE_NEON_CONV mote_conv2d_s8_neon_dot
#include "conv2d_s8_body.h"
