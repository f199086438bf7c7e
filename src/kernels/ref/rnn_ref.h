/*
** rnn_ref.h: reference kernels of the recurrent operators SVDF and
** UNIDIRECTIONAL_SEQUENCE_LSTM (semantics of the TFLM reference kernels).
*/
#ifndef MOTE_RNN_REF_H
#define MOTE_RNN_REF_H

#include <stdint.h>

/* ---------------------------------------------------------------- SVDF */

/*
** Shapes: input [batch, input_size], weights_feature [num_filters,
** input_size], weights_time [num_filters, memory_size], bias [num_units]
** (optional), state [batch, num_filters, memory_size] (updated in place),
** output [batch, num_units], num_filters = num_units * rank.
*/
typedef struct mote_svdf_dims {
  int32_t batch;
  int32_t input_size;
  int32_t num_filters;
  int32_t num_units;
  int32_t rank;
  int32_t memory_size;
} mote_svdf_dims;

/* Fused activation values: TFL_ACT_* of the schema (NONE..SIGN_BIT). */
typedef struct mote_svdf_f32_params {
  mote_svdf_dims d;
  int32_t activation;
} mote_svdf_f32_params;

void mote_svdf_f32_ref(const mote_svdf_f32_params *p, const float *input,
                       const float *weights_feature, const float *weights_time,
                       const float *bias, float *state, float *output);

/*
** Integer SVDF: int8 input/output, int8 weights_feature, int32 bias.
** feature: state = clamp(mul_by_qm(dot, mult1, shift1)) + state_zp
** time/out: out = clamp(mul_by_qm(bias + sum dots, mult2, shift2) + out_zp).
** No fused activation (TFLM's integer SVDF ignores it).
*/
typedef struct mote_svdf_q_params {
  mote_svdf_dims d;
  int32_t input_zp;
  int32_t state_zp;
  int32_t output_zp;
  int32_t mult1;
  int32_t shift1;
  int32_t mult2;
  int32_t shift2;
} mote_svdf_q_params;

/* int16 weights_time and int16 state. */
void mote_svdf_s8_ref(const mote_svdf_q_params *p, const int8_t *input,
                      const int8_t *weights_feature,
                      const int16_t *weights_time, const int32_t *bias,
                      int16_t *state, int8_t *output);

/* int8 weights_time and int8 state. */
void mote_svdf_s8_s8state_ref(const mote_svdf_q_params *p, const int8_t *input,
                              const int8_t *weights_feature,
                              const int8_t *weights_time, const int32_t *bias,
                              int8_t *state, int8_t *output);

/* -------------------------------------------------------------- LSTM */

/* Gate order of every per-gate array below. */
enum {
  MOTE_LSTM_GATE_INPUT = 0,
  MOTE_LSTM_GATE_FORGET = 1,
  MOTE_LSTM_GATE_CELL = 2,
  MOTE_LSTM_GATE_OUTPUT = 3
};

/* Non-linearity of the cell gate (TFLM: TANH, or none at all otherwise). */
enum { MOTE_LSTM_CELL_ACT_NONE = 0, MOTE_LSTM_CELL_ACT_TANH = 1 };

/*
** Sizes. time_major: input [time, batch, n_input], output [time, batch,
** n_cell]; else [batch, time, ...]. States: [batch, n_cell].
*/
typedef struct mote_lstm_dims {
  int32_t batch;
  int32_t time;
  int32_t n_input;
  int32_t n_cell;
  int32_t time_major;
  int32_t cell_act; /* MOTE_LSTM_CELL_ACT_* */
} mote_lstm_dims;

/* Constant operands, indexed by MOTE_LSTM_GATE_*. */
typedef struct mote_lstm_f32_weights {
  const float *w_in[4];  /* [n_cell, n_input] */
  const float *w_rec[4]; /* [n_cell, n_cell] */
  const float *bias[4];  /* [n_cell] */
} mote_lstm_f32_weights;

typedef struct mote_lstm_f32_params {
  mote_lstm_dims d;
  float cell_clip; /* > 0: clip the cell state to [-clip, clip] */
} mote_lstm_f32_params;

/* scratch: 4 * (time_major ? batch : 1) * n_cell floats. */
void mote_lstm_f32_ref(const mote_lstm_f32_params *p,
                       const mote_lstm_f32_weights *w, const float *input,
                       float *hidden, float *cell, float *output,
                       float *scratch);

/* Integer LSTM: int8 weights, int16 cell state, gates in Q3.12 / Q0.15. */
typedef struct mote_lstm_q_params {
  mote_lstm_dims d;
  int32_t input_zp;  /* zero point of the input */
  int32_t hidden_zp; /* zero point of the hidden (output) state */
  /* Per gate: weight zero points and FC requantization to Q3.12. */
  int32_t w_in_zp[4];
  int32_t w_rec_zp[4];
  int32_t in_mult[4];
  int32_t in_shift[4];
  int32_t rec_mult[4];
  int32_t rec_shift[4];
  /* forget gate x cell -> cell */
  int32_t fc_mult;
  int32_t fc_shift;
  /* input gate x cell gate -> cell */
  int32_t ic_mult;
  int32_t ic_shift;
  /* tanh(cell) x output gate -> hidden */
  int32_t hid_mult;
  int32_t hid_shift;
  /* int16 tanh input rescale of the cell state (TFLite Tanh args). */
  int32_t tanh_mult;
  int32_t tanh_shift;
  int32_t use_cell_clip;
  int16_t cell_clip; /* quantized, used when use_cell_clip */
} mote_lstm_q_params;

typedef struct mote_lstm_s8_weights {
  const int8_t *w_in[4];
  const int8_t *w_rec[4];
  const int32_t *bias[4]; /* may be NULL */
} mote_lstm_s8_weights;

typedef struct mote_lstm_s16_weights {
  const int8_t *w_in[4];
  const int8_t *w_rec[4];
  const int64_t *bias[4]; /* may be NULL */
} mote_lstm_s16_weights;

/* int8 input/hidden/output. scratch: 4 * (time_major ? batch : 1) * n_cell
 * int16. */
void mote_lstm_s8_ref(const mote_lstm_q_params *p,
                      const mote_lstm_s8_weights *w, const int8_t *input,
                      int8_t *hidden, int16_t *cell, int8_t *output,
                      int16_t *scratch);

/* int16 input/hidden/output (16x8). Same scratch as mote_lstm_s8_ref. */
void mote_lstm_s16_ref(const mote_lstm_q_params *p,
                       const mote_lstm_s16_weights *w, const int16_t *input,
                       int16_t *hidden, int16_t *cell, int16_t *output,
                       int16_t *scratch);

#endif
