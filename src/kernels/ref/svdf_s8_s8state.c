/* SVDF, int8 input/output with int8 weights_time and int8 state
 * (TFLM EvalIntegerSvdfReference<int8_t> semantics). */
#include <stddef.h>

#include "../mote_requant.h"
#include "rnn_ref.h"

void mote_svdf_s8_s8state_ref(const mote_svdf_q_params *p, const int8_t *input,
                              const int8_t *weights_feature,
                              const int8_t *weights_time, const int32_t *bias,
                              int8_t *state, int8_t *output) {
  const int32_t nb = p->d.batch, ni = p->d.input_size;
  const int32_t nf = p->d.num_filters, nu = p->d.num_units;
  const int32_t nr = p->d.rank, nm = p->d.memory_size;
  const size_t total = (size_t)nb * (size_t)nf * (size_t)nm;

  for (size_t i = 0; i + 1 < total; ++i) state[i] = state[i + 1];

  for (int32_t b = 0; b < nb; ++b) {
    const int8_t *x = input + (size_t)b * (size_t)ni;
    int8_t *st = state + (size_t)b * (size_t)nf * (size_t)nm;
    for (int32_t f = 0; f < nf; ++f) {
      const int8_t *wf = weights_feature + (size_t)f * (size_t)ni;
      /* int32 accumulation wrapping like TFLM's on real targets. */
      uint32_t dot = 0;
      for (int32_t k = 0; k < ni; ++k)
        dot += (uint32_t)((int32_t)wf[k] * ((int32_t)x[k] - p->input_zp));
      int32_t acc = mote_mul_by_qm((int32_t)dot, p->mult1, p->shift1);
      acc = mote_clamp_i32(acc, INT8_MIN, INT8_MAX);
      /* TFLM adds the state zero point after the clamp and narrows. */
      st[(size_t)f * (size_t)nm + (size_t)(nm - 1)] =
          (int8_t)(uint8_t)(uint32_t)(acc + p->state_zp);
    }
    for (int32_t u = 0; u < nu; ++u) {
      uint32_t out = bias != NULL ? (uint32_t)bias[u] : 0u;
      for (int32_t r = 0; r < nr; ++r) {
        const size_t f = (size_t)u * (size_t)nr + (size_t)r;
        const int8_t *wt = weights_time + f * (size_t)nm;
        const int8_t *sf = st + f * (size_t)nm;
        uint32_t acc = 0;
        for (int32_t m = 0; m < nm; ++m)
          acc += (uint32_t)((int32_t)wt[m] * ((int32_t)sf[m] - p->state_zp));
        out += acc;
      }
      int32_t y = mote_mul_by_qm((int32_t)out, p->mult2, p->shift2);
      y = mote_clamp_i32(y + p->output_zp, INT8_MIN, INT8_MAX);
      output[(size_t)b * (size_t)nu + (size_t)u] = (int8_t)y;
    }
  }
}
