/* SVDF, float32 (TFLM EvalFloatSvdfReference semantics). */
#include <math.h>
#include <stddef.h>

#include "rnn_ref.h"

static float svdf_activation(int32_t act, float v) {
  switch (act) {
    case 1: /* RELU */
      return v < 0.0f ? 0.0f : v;
    case 2: /* RELU_N1_TO_1 */
      return v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
    case 3: /* RELU6 */
      return v < 0.0f ? 0.0f : (v > 6.0f ? 6.0f : v);
    case 4: /* TANH */
      return tanhf(v);
    case 5: /* SIGN_BIT */
      return signbit(v) ? 1.0f : 0.0f;
    default:
      return v;
  }
}

void mote_svdf_f32_ref(const mote_svdf_f32_params *p, const float *input,
                       const float *weights_feature, const float *weights_time,
                       const float *bias, float *state, float *output) {
  const int32_t nb = p->d.batch, ni = p->d.input_size;
  const int32_t nf = p->d.num_filters, nu = p->d.num_units;
  const int32_t nr = p->d.rank, nm = p->d.memory_size;
  const size_t total = (size_t)nb * (size_t)nf * (size_t)nm;

  /* Age the memory by one step: the whole buffer moves left by one. */
  for (size_t i = 0; i + 1 < total; ++i) state[i] = state[i + 1];

  for (int32_t b = 0; b < nb; ++b) {
    const float *x = input + (size_t)b * (size_t)ni;
    float *st = state + (size_t)b * (size_t)nf * (size_t)nm;
    /* Newest column: feature projection of this input. */
    for (int32_t f = 0; f < nf; ++f) {
      const float *wf = weights_feature + (size_t)f * (size_t)ni;
      float acc = 0.0f;
      for (int32_t k = 0; k < ni; ++k) acc += wf[k] * x[k];
      st[(size_t)f * (size_t)nm + (size_t)(nm - 1)] = acc;
    }
    /* Time filter per filter, then sum the rank filters of each unit. */
    for (int32_t u = 0; u < nu; ++u) {
      float out = bias != NULL ? bias[u] : 0.0f;
      for (int32_t r = 0; r < nr; ++r) {
        const size_t f = (size_t)u * (size_t)nr + (size_t)r;
        const float *wt = weights_time + f * (size_t)nm;
        const float *sf = st + f * (size_t)nm;
        float acc = 0.0f;
        for (int32_t m = 0; m < nm; ++m) acc += wt[m] * sf[m];
        out += acc;
      }
      output[(size_t)b * (size_t)nu + (size_t)u] =
          svdf_activation(p->activation, out);
    }
  }
}
