/* FULLY_CONNECTED int8 on the NEON CONV_2D kernels (a 1x1 convolution of
 * `batches` pixels), without and with the dot-product extension. */
#include "conv_neon.h"

void mote_fc_s8_neon(const mote_fc_dims *n, const mote_fc_q_params *p,
                     const mote_neon_pack *pk, const int8_t *input,
                     const int8_t *weights, int8_t *output, int8_t *scratch) {
  mote_conv_geom g;
  mote_conv_q_params q;
  mote_fc_neon_as_conv(n, p, &g, &q);
  mote_conv2d_s8_neon(&g, &q, pk, input, weights, output, scratch);
}
