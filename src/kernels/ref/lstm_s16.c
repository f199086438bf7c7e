/* UNIDIRECTIONAL_SEQUENCE_LSTM, int16 activations, int8 weights, int64 bias,
 * int16 cell state (TFLM EvalLstm<int16_t, int8_t, int16_t, int64_t>). */
#include <stddef.h>
#include <string.h>

#include "lstm_common.h"

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
  mote_lstm_loop l;
  mote_lstm_loop_init(&l, p, scratch);
  for (int32_t s = 0; s < l.seqs; ++s) {
    int16_t *h = hidden + (size_t)s * (size_t)l.nc;
    int16_t *c = cell + (size_t)s * (size_t)l.nc;
    for (int32_t t = 0; t < l.nt; ++t) {
      const size_t pos = (size_t)s * (size_t)l.nt + (size_t)t;
      const int16_t *x = input + pos * (size_t)l.rows * (size_t)l.ni;
      for (int k = 0; k < 4; ++k) {
        for (int32_t b = 0; b < l.rows; ++b) {
          const int16_t *xb = x + (size_t)b * (size_t)l.ni;
          const int16_t *hb = h + (size_t)b * (size_t)l.nc;
          for (int32_t j = 0; j < l.nc; ++j) {
            int16_t a = fc_row_s16(w->w_in[k] + (size_t)j * (size_t)l.ni,
                                   -p->w_in_zp[k], xb, -p->input_zp, l.ni,
                                   w->bias[k] != NULL ? w->bias[k] + j : NULL,
                                   p->in_mult[k], p->in_shift[k]);
            int16_t r = fc_row_s16(w->w_rec[k] + (size_t)j * (size_t)l.nc,
                                   -p->w_rec_zp[k], hb, -p->hidden_zp, l.nc,
                                   NULL, p->rec_mult[k], p->rec_shift[k]);
            l.gate[k][(size_t)b * (size_t)l.nc + (size_t)j] =
                mote_lstm_gate(p, k, a, r);
          }
        }
      }
      mote_lstm_cell_step(p, &l, c, INT16_MIN, INT16_MAX);
      for (size_t e = 0; e < l.step; ++e)
        h[e] = (int16_t)l.gate[MOTE_LSTM_GATE_OUTPUT][e];
      memcpy(output + pos * l.step, h, l.step * sizeof(int16_t));
    }
  }
}
