/* UNIDIRECTIONAL_SEQUENCE_LSTM, int16 activations, int8 weights, int64 bias,
 * int16 cell state (TFLM EvalLstm<int16_t, int8_t, int16_t, int64_t>). */
#include <stddef.h>
#include <string.h>

#include "../mote_fixedpoint_lstm.h"
#include "rnn_ref.h"

/* One FC output row to Q3.12 int16 (TFLite integer FullyConnected). */
static int16_t fc_row_s16(const int8_t *w, int32_t w_off, const int16_t *x,
                          int32_t x_off, int32_t n, const int64_t *bias,
                          int32_t qm, int32_t shift) {
  int64_t acc = 0;
  for (int32_t k = 0; k < n; ++k)
    acc += ((int32_t)w[k] + w_off) * ((int32_t)x[k] + x_off);
  if (bias != NULL) acc += *bias;
  int32_t out = mote_mul_by_qm64(acc, qm, (int)shift);
  return (int16_t)mote_clamp_i32(out, INT16_MIN, INT16_MAX);
}

void mote_lstm_s16_ref(const mote_lstm_q_params *p,
                       const mote_lstm_s16_weights *w, const int16_t *input,
                       int16_t *hidden, int16_t *cell, int16_t *output,
                       int16_t *scratch) {
  const int32_t ni = p->d.n_input, nc = p->d.n_cell, nt = p->d.time;
  const int32_t rows = p->d.time_major ? p->d.batch : 1;
  const int32_t seqs = p->d.time_major ? 1 : p->d.batch;
  const size_t step = (size_t)rows * (size_t)nc;
  int16_t *gate[4];
  for (int k = 0; k < 4; ++k) gate[k] = scratch + (size_t)k * step;

  for (int32_t s = 0; s < seqs; ++s) {
    int16_t *h = hidden + (size_t)s * (size_t)nc;
    int16_t *c = cell + (size_t)s * (size_t)nc;
    for (int32_t t = 0; t < nt; ++t) {
      const size_t pos = (size_t)s * (size_t)nt + (size_t)t;
      const int16_t *x = input + pos * (size_t)rows * (size_t)ni;
      int16_t *y = output + pos * step;
      for (int k = 0; k < 4; ++k) {
        for (int32_t b = 0; b < rows; ++b) {
          const int16_t *xb = x + (size_t)b * (size_t)ni;
          const int16_t *hb = h + (size_t)b * (size_t)nc;
          for (int32_t j = 0; j < nc; ++j) {
            int16_t a = fc_row_s16(w->w_in[k] + (size_t)j * (size_t)ni,
                                   -p->w_in_zp[k], xb, -p->input_zp, ni,
                                   w->bias[k] != NULL ? w->bias[k] + j : NULL,
                                   p->in_mult[k], p->in_shift[k]);
            int16_t r = fc_row_s16(w->w_rec[k] + (size_t)j * (size_t)nc,
                                   -p->w_rec_zp[k], hb, -p->hidden_zp, nc, NULL,
                                   p->rec_mult[k], p->rec_shift[k]);
            int16_t v = mote_add_sat_s16(a, r);
            if (k != MOTE_LSTM_GATE_CELL)
              v = mote_logistic_s16(v, 0, 0);
            else if (p->d.cell_act == MOTE_LSTM_CELL_ACT_TANH)
              v = mote_tanh_s16(v, 0, 0);
            gate[k][(size_t)b * (size_t)nc + (size_t)j] = v;
          }
        }
      }
      for (size_t e = 0; e < step; ++e) {
        int16_t cv = (int16_t)mote_mul_requant_s16(
            gate[MOTE_LSTM_GATE_FORGET][e], c[e], p->fc_mult, (int)p->fc_shift,
            0, INT16_MIN, INT16_MAX);
        int16_t iv = (int16_t)mote_mul_requant_s16(
            gate[MOTE_LSTM_GATE_INPUT][e], gate[MOTE_LSTM_GATE_CELL][e],
            p->ic_mult, (int)p->ic_shift, 0, INT16_MIN, INT16_MAX);
        cv = mote_add_sat_s16(cv, iv);
        if (p->use_cell_clip) {
          int16_t lo = (int16_t)-p->cell_clip;
          cv = cv < p->cell_clip ? cv : p->cell_clip;
          cv = cv < lo ? lo : cv;
        }
        c[e] = cv;
        int16_t tv = mote_tanh_s16(cv, p->tanh_mult, p->tanh_shift);
        h[e] = (int16_t)mote_mul_requant_s16(
            tv, gate[MOTE_LSTM_GATE_OUTPUT][e], p->hid_mult, (int)p->hid_shift,
            p->hidden_zp, INT16_MIN, INT16_MAX);
      }
      memcpy(y, h, step * sizeof(int16_t));
    }
  }
}
