/* UNIDIRECTIONAL_SEQUENCE_LSTM, float32 (TFLM EvalLstm<float...>). */
#include <float.h>
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "rnn_ref.h"

/* TFLite ActivationFunctionWithMinMax(x, lowest, max): NaN passes. */
static float clamp_finite(float x) {
  float y = x < -FLT_MAX ? -FLT_MAX : x;
  return FLT_MAX < y ? FLT_MAX : y;
}

/* TFLite reference_ops::Logistic (float). */
static float logistic_f32(float v) {
  if (v > 16.619047164916992188f) return 1.0f;
  if (v < -9.0f) return expf(v);
  return 1.0f / (1.0f + expf(-v));
}

static float dot_f32(const float *w, const float *x, int32_t n) {
  float acc = 0.0f;
  for (int32_t k = 0; k < n; ++k) acc += x[k] * w[k];
  return acc;
}

void mote_lstm_f32_ref(const mote_lstm_f32_params *p,
                       const mote_lstm_f32_weights *w, const float *input,
                       float *hidden, float *cell, float *output,
                       float *scratch) {
  const int32_t ni = p->d.n_input, nc = p->d.n_cell, nt = p->d.time;
  const int32_t rows = p->d.time_major ? p->d.batch : 1;
  const int32_t seqs = p->d.time_major ? 1 : p->d.batch;
  const size_t step = (size_t)rows * (size_t)nc;
  float *gate[4];
  for (int k = 0; k < 4; ++k) gate[k] = scratch + (size_t)k * step;

  for (int32_t s = 0; s < seqs; ++s) {
    float *h = hidden + (size_t)s * (size_t)nc;
    float *c = cell + (size_t)s * (size_t)nc;
    for (int32_t t = 0; t < nt; ++t) {
      const size_t pos = (size_t)s * (size_t)nt + (size_t)t;
      const float *x = input + pos * (size_t)rows * (size_t)ni;
      float *y = output + pos * step;
      /* All four gates from the input and the previous hidden state. */
      for (int k = 0; k < 4; ++k) {
        for (int32_t b = 0; b < rows; ++b) {
          const float *xb = x + (size_t)b * (size_t)ni;
          const float *hb = h + (size_t)b * (size_t)nc;
          for (int32_t j = 0; j < nc; ++j) {
            float a = dot_f32(w->w_in[k] + (size_t)j * (size_t)ni, xb, ni);
            a = clamp_finite(a + (w->bias[k] != NULL ? w->bias[k][j] : 0.0f));
            float r = dot_f32(w->w_rec[k] + (size_t)j * (size_t)nc, hb, nc);
            r = clamp_finite(r + 0.0f);
            float v = a + r;
            if (k != MOTE_LSTM_GATE_CELL)
              v = logistic_f32(v);
            else if (p->d.cell_act == MOTE_LSTM_CELL_ACT_TANH)
              v = tanhf(v);
            gate[k][(size_t)b * (size_t)nc + (size_t)j] = v;
          }
        }
      }
      /* Cell state, then hidden state, element by element. */
      for (size_t e = 0; e < step; ++e) {
        float cv = clamp_finite(gate[MOTE_LSTM_GATE_FORGET][e] * c[e]);
        float iv = clamp_finite(gate[MOTE_LSTM_GATE_INPUT][e] *
                                gate[MOTE_LSTM_GATE_CELL][e]);
        cv = cv + iv;
        if (p->cell_clip > 0.0f) {
          float lo = -p->cell_clip;
          cv = cv < p->cell_clip ? cv : p->cell_clip;
          cv = cv < lo ? lo : cv;
        }
        c[e] = cv;
        h[e] = clamp_finite(tanhf(cv) * gate[MOTE_LSTM_GATE_OUTPUT][e]);
      }
      memcpy(y, h, step * sizeof(float));
    }
  }
}
