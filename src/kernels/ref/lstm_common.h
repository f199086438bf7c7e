/*
** lstm_common.h: the gate and cell arithmetic shared by the integer LSTM
** reference kernels (lstm_s8.c, lstm_s16.c; TFLM lstm_eval). The two
** differ only in the activation type and in how their fully connected rows
** accumulate; everything from the Q3.12 gate pre-activations on is here.
*/
#ifndef MOTE_LSTM_COMMON_H
#define MOTE_LSTM_COMMON_H

#include <stddef.h>

#include "../mote_fixedpoint_lstm.h"
#include "rnn_ref.h"

/* Loop bounds of one invocation and the four int16 gate buffers. */
typedef struct mote_lstm_loop {
  int32_t ni, nc, nt;
  int32_t rows; /* batch rows per time step (time major: the batch) */
  int32_t seqs; /* independent sequences (batch major: the batch) */
  size_t step;  /* rows * nc: gate / cell / hidden elements of a step */
  int16_t *gate[4];
} mote_lstm_loop;

/* Bounds from p; gates from scratch (4 * step int16). */
static inline void mote_lstm_loop_init(mote_lstm_loop *l,
                                       const mote_lstm_q_params *p,
                                       int16_t *scratch) {
  l->ni = p->d.n_input;
  l->nc = p->d.n_cell;
  l->nt = p->d.time;
  l->rows = p->d.time_major ? p->d.batch : 1;
  l->seqs = p->d.time_major ? 1 : p->d.batch;
  l->step = (size_t)l->rows * (size_t)l->nc;
  for (int k = 0; k < 4; ++k) l->gate[k] = scratch + (size_t)k * l->step;
}

/*
** Gate k from its input and recurrent FC rows (Q3.12): saturating sum,
** then sigmoid (the cell gate: tanh, or nothing) to Q0.15.
*/
static inline int16_t mote_lstm_gate(const mote_lstm_q_params *p, int k,
                                     int16_t a, int16_t r) {
  int16_t v = mote_add_sat_s16(a, r);
  if (k != MOTE_LSTM_GATE_CELL)
    v = mote_logistic_s16(v, 0, 0);
  else if (p->d.cell_act == MOTE_LSTM_CELL_ACT_TANH)
    v = mote_tanh_s16(v, 0, 0);
  return v;
}

/*
** The cell update of one time step over l->step elements: c = f * c + i * g
** (saturating, clipped if asked), then the new hidden value o * tanh(c)
** requantized to the hidden zero point and clamped to [lo, hi] (the hidden
** type's range). The hidden values go over the output gate, its last use;
** the caller narrows them into its hidden state.
*/
static inline void mote_lstm_cell_step(const mote_lstm_q_params *p,
                                       const mote_lstm_loop *l, int16_t *c,
                                       int32_t lo, int32_t hi) {
  int16_t *const *gate = l->gate;
  for (size_t e = 0; e < l->step; ++e) {
    int16_t cv = (int16_t)mote_mul_requant_s16(
        gate[MOTE_LSTM_GATE_FORGET][e], c[e], p->fc_mult, (int)p->fc_shift, 0,
        INT16_MIN, INT16_MAX);
    int16_t iv = (int16_t)mote_mul_requant_s16(
        gate[MOTE_LSTM_GATE_INPUT][e], gate[MOTE_LSTM_GATE_CELL][e], p->ic_mult,
        (int)p->ic_shift, 0, INT16_MIN, INT16_MAX);
    cv = mote_add_sat_s16(cv, iv);
    if (p->use_cell_clip) {
      int16_t clo = (int16_t)-p->cell_clip;
      cv = cv < p->cell_clip ? cv : p->cell_clip;
      cv = cv < clo ? clo : cv;
    }
    c[e] = cv;
    int16_t tv = mote_tanh_s16(cv, p->tanh_mult, p->tanh_shift);
    gate[MOTE_LSTM_GATE_OUTPUT][e] = (int16_t)mote_mul_requant_s16(
        tv, gate[MOTE_LSTM_GATE_OUTPUT][e], p->hid_mult, (int)p->hid_shift,
        p->hidden_zp, lo, hi);
  }
}

#endif
