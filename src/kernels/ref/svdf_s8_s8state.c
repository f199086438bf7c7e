/* SVDF, int8 input/output with int8 weights_time and int8 state
 * (TFLM EvalIntegerSvdfReference<int8_t> semantics). */
#include "svdf_common.h"

void mote_svdf_s8_s8state_ref(const mote_svdf_q_params *p, const int8_t *input,
                              const int8_t *weights_feature,
                              const int8_t *weights_time, const int32_t *bias,
                              int8_t *state, int8_t *output) {
  mote_svdf_q_ref(p, input, weights_feature, weights_time, bias, state, output,
                  0);
}
