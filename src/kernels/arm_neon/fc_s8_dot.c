/* FULLY_CONNECTED int8 on the SDOT CONV_2D kernel (see fc_s8.c); compiled
 * with -march=armv8.2-a+dotprod. */
#include "conv_neon.h"

void mote_fc_s8_neon_dot(const mote_fc_dims *n, const mote_fc_q_params *p,
                         const mote_neon_pack *pk, const int8_t *input,
                         const int8_t *weights, int8_t *output,
                         int8_t *scratch) {
  mote_conv_geom g;
  mote_conv_q_params q;
  mote_fc_neon_as_conv(n, p, &g, &q);
  mote_conv2d_s8_neon_dot(&g, &q, pk, input, weights, output, scratch);
}
