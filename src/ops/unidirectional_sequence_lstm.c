/*
** UNIDIRECTIONAL_SEQUENCE_LSTM, as TFLM's current kernel (lstm_eval.h,
** lstm_eval_common.cc): the standard LSTM only (no CIFG, peephole,
** projection or layer normalisation, which TFLM refuses), float32, int8
** activations x int8 weights (int32 bias, int16 cell state) and int16
** activations x int8 weights (int64 bias, int16 cell state).
**
** Inputs (24): 0 input; 1-4 input->{input,forget,cell,output} weights;
** 5-8 recurrent->{...} weights; 9-11 peephole; 12-15 gate biases;
** 16-17 projection weights/bias; 18 output (hidden) state; 19 cell state;
** 20-23 layer-norm coefficients. Intermediates are not used.
*/
#include <math.h>

#include "../kernels/mote_requant.h"
#include "../kernels/ref/rnn_ref.h"
#include "../runtime/op_api.h"

enum {
  LSTM_OPT_ACT = 0,
  LSTM_OPT_CELL_CLIP = 1,
  LSTM_OPT_PROJ_CLIP = 2,
  LSTM_OPT_TIME_MAJOR = 3,
  LSTM_OPT_DIAGONAL_RECURRENT = 5
};

enum {
  LSTM_IN = 0,
  LSTM_W_IN0 = 1,  /* + gate */
  LSTM_W_REC0 = 5, /* + gate */
  LSTM_PEEP0 = 9,
  LSTM_BIAS0 = 12, /* + gate */
  LSTM_PROJ_W = 16,
  LSTM_PROJ_B = 17,
  LSTM_HIDDEN = 18,
  LSTM_CELL = 19,
  LSTM_LN0 = 20
};

typedef struct lstm_data {
  mote_dtype act_type;
  mote_lstm_f32_params f;
  mote_lstm_q_params q;
} lstm_data;

static mote_status fail_shape(mote_ctx *ctx, const mote_node *n,
                              const mote_tensor *t, const char *what,
                              int64_t want, int64_t got) {
  return mote_fail(ctx, n, MOTE_E_BAD_SHAPE, (int32_t)t->index, what, want,
                   got);
}

static mote_status check_2d(mote_ctx *ctx, const mote_node *n,
                            const mote_tensor *t, int32_t d0, int32_t d1) {
  if (t->ndim != 2) return fail_shape(ctx, n, t, "weights rank", 2, t->ndim);
  if (t->dims[0] != d0)
    return fail_shape(ctx, n, t, "weights dim 0 == n_cell", d0, t->dims[0]);
  if (t->dims[1] != d1)
    return fail_shape(ctx, n, t, "weights dim 1", d1, t->dims[1]);
  return MOTE_OK;
}

/* Tensor has a single positive scale (per-tensor quantization). */
static mote_status check_quant(mote_ctx *ctx, const mote_node *n,
                               const mote_tensor *t) {
  if (t->nscale < 1 || !(t->scale > 0.0f))
    return mote_fail(ctx, n, MOTE_E_BAD_QUANT, (int32_t)t->index,
                     "positive quantization scale", 1, 0);
  if (t->nscale > 1)
    return mote_fail(ctx, n, MOTE_E_UNSUPPORTED, (int32_t)t->index,
                     "per-tensor quantization (LSTM per-channel weights)", 1,
                     t->nscale);
  return MOTE_OK;
}

/* TFLite QuantizeMultiplier of a float-valued real multiplier. */
static void qm(double real, int32_t *mult, int32_t *shift) {
  int s = 0;
  mote_quantize_multiplier(real, mult, &s);
  *shift = s;
}

/* TFLite CheckedLog2: rounded log2 computed in float. */
static int32_t log2_rounded(float x) {
  const float l = logf(x) * (1.0f / logf(2.0f));
  return (int32_t)roundf(l);
}

static mote_status prepare(mote_ctx *ctx, mote_node *node) {
  MOTE_TRY(mote_expect_ninputs(ctx, node, 24, 24));
  if (mote_node_noutputs(node) != 1)
    return mote_fail(ctx, node, MOTE_E_BAD_MODEL, -1, "number of outputs", 1,
                     mote_node_noutputs(node));
  if (node->options_type != 0 &&
      node->options_type != TFL_OPT_UNIDIRECTIONAL_SEQUENCE_LSTM)
    return mote_fail(ctx, node, MOTE_E_BAD_OPTIONS, -1,
                     "builtin options type UnidirectionalSequenceLSTMOptions",
                     TFL_OPT_UNIDIRECTIONAL_SEQUENCE_LSTM, node->options_type);
  const int32_t act =
      (int32_t)fb_u8(&ctx->fb, &node->options, LSTM_OPT_ACT, TFL_ACT_NONE);
  const float cell_clip =
      fb_f32(&ctx->fb, &node->options, LSTM_OPT_CELL_CLIP, 0.0f);
  const int time_major =
      fb_bool(&ctx->fb, &node->options, LSTM_OPT_TIME_MAJOR, 0);

  /* Variants TFLM's micro LSTM does not implement. */
  if (fb_bool(&ctx->fb, &node->options, LSTM_OPT_DIAGONAL_RECURRENT, 0))
    return mote_fail(ctx, node, MOTE_E_UNSUPPORTED, -1,
                     "full recurrent weights (diagonal_recurrent_tensors not "
                     "supported)",
                     0, 1);
  if (mote_node_input_index(ctx, node, LSTM_W_IN0) < 0 ||
      mote_node_input_index(ctx, node, LSTM_W_REC0) < 0)
    return mote_fail(ctx, node, MOTE_E_UNSUPPORTED, -1,
                     "input gate weights (CIFG LSTM not supported)", 1, 0);
  for (uint32_t k = LSTM_PEEP0; k < LSTM_PEEP0 + 3; ++k)
    if (mote_node_input_index(ctx, node, k) >= 0)
      return mote_fail(
          ctx, node, MOTE_E_UNSUPPORTED, mote_node_input_index(ctx, node, k),
          "no peephole weights (peephole LSTM not supported)", 0, 1);
  for (uint32_t k = LSTM_PROJ_W; k <= LSTM_PROJ_B; ++k)
    if (mote_node_input_index(ctx, node, k) >= 0)
      return mote_fail(ctx, node, MOTE_E_UNSUPPORTED,
                       mote_node_input_index(ctx, node, k),
                       "no projection (projection LSTM not supported)", 0, 1);
  for (uint32_t k = LSTM_LN0; k < LSTM_LN0 + 4; ++k)
    if (mote_node_input_index(ctx, node, k) >= 0)
      return mote_fail(ctx, node, MOTE_E_UNSUPPORTED,
                       mote_node_input_index(ctx, node, k),
                       "no layer-norm coefficients (layer-norm LSTM not "
                       "supported)",
                       0, 1);

  mote_tensor in, hid, cell, out, w_in[4], w_rec[4], bias[4];
  MOTE_TRY(mote_node_input(ctx, node, LSTM_IN, &in));
  MOTE_TRY(mote_node_input(ctx, node, LSTM_HIDDEN, &hid));
  MOTE_TRY(mote_node_input(ctx, node, LSTM_CELL, &cell));
  MOTE_TRY(mote_node_output(ctx, node, 0, &out));
  for (uint32_t g = 0; g < 4; ++g) {
    MOTE_TRY(mote_node_input(ctx, node, LSTM_W_IN0 + g, &w_in[g]));
    MOTE_TRY(mote_node_input(ctx, node, LSTM_W_REC0 + g, &w_rec[g]));
    MOTE_TRY(mote_node_input(ctx, node, LSTM_BIAS0 + g, &bias[g]));
  }
  if (!hid.is_variable)
    return mote_fail(ctx, node, MOTE_E_BAD_MODEL, (int32_t)hid.index,
                     "output state is a variable tensor", 1, 0);
  if (!cell.is_variable)
    return mote_fail(ctx, node, MOTE_E_BAD_MODEL, (int32_t)cell.index,
                     "cell state is a variable tensor", 1, 0);

  /* Types: the hidden state feeds back as input; output type = input's. */
  if (hid.type != in.type)
    return mote_fail(ctx, node, MOTE_E_BAD_TYPE, (int32_t)hid.index,
                     "output state type == input type", in.type, hid.type);
  if (out.type != in.type)
    return mote_fail(ctx, node, MOTE_E_BAD_TYPE, (int32_t)out.index,
                     "output type == input type", in.type, out.type);
  for (int g = 0; g < 4; ++g) {
    if (w_in[g].type != w_in[1].type)
      return mote_fail(ctx, node, MOTE_E_BAD_TYPE, (int32_t)w_in[g].index,
                       "all gate weights of one type", w_in[1].type,
                       w_in[g].type);
    if (w_rec[g].type != w_in[1].type)
      return mote_fail(ctx, node, MOTE_E_BAD_TYPE, (int32_t)w_rec[g].index,
                       "all gate weights of one type", w_in[1].type,
                       w_rec[g].type);
    if (bias[g].type != bias[1].type)
      return mote_fail(ctx, node, MOTE_E_BAD_TYPE, (int32_t)bias[g].index,
                       "all gate biases of one type", bias[1].type,
                       bias[g].type);
  }
  mote_dtype want_w, want_b, want_cell;
  switch (in.type) {
    case MOTE_FLOAT32:
      want_w = MOTE_FLOAT32;
      want_b = MOTE_FLOAT32;
      want_cell = MOTE_FLOAT32;
      break;
    case MOTE_INT8:
      want_w = MOTE_INT8;
      want_b = MOTE_INT32;
      want_cell = MOTE_INT16;
      break;
    case MOTE_INT16:
      want_w = MOTE_INT8;
      want_b = MOTE_INT64;
      want_cell = MOTE_INT16;
      break;
    default:
      return mote_fail(ctx, node, MOTE_E_UNSUPPORTED, (int32_t)in.index,
                       "input type float32, int8 or int16", MOTE_FLOAT32,
                       in.type);
  }
  if (w_in[0].type != want_w)
    return mote_fail(ctx, node, MOTE_E_UNSUPPORTED, (int32_t)w_in[0].index,
                     in.type == MOTE_FLOAT32
                         ? "float32 weights with float32 input (no hybrid)"
                         : "int8 weights with int8/int16 input",
                     want_w, w_in[0].type);
  if (cell.type != want_cell)
    return mote_fail(ctx, node, MOTE_E_UNSUPPORTED, (int32_t)cell.index,
                     in.type == MOTE_FLOAT32
                         ? "float32 cell state with float32 input"
                         : "int16 cell state with int8/int16 input",
                     want_cell, cell.type);
  if (bias[0].type != want_b)
    return mote_fail(ctx, node, MOTE_E_BAD_TYPE, (int32_t)bias[0].index,
                     in.type == MOTE_INT16  ? "int64 bias with int16 input"
                     : in.type == MOTE_INT8 ? "int32 bias with int8 input"
                                            : "float32 bias",
                     want_b, bias[0].type);

  /* Shapes. */
  if (in.ndim != 3) return fail_shape(ctx, node, &in, "input rank", 3, in.ndim);
  if (hid.ndim < 2)
    return fail_shape(ctx, node, &hid, "output state rank >= 2", 2, hid.ndim);
  mote_lstm_dims dims;
  dims.time_major = time_major ? 1 : 0;
  dims.batch = time_major ? in.dims[1] : in.dims[0];
  dims.time = time_major ? in.dims[0] : in.dims[1];
  dims.n_input = in.dims[2];
  dims.n_cell = hid.dims[1];
  dims.cell_act =
      act == TFL_ACT_TANH ? MOTE_LSTM_CELL_ACT_TANH : MOTE_LSTM_CELL_ACT_NONE;
  for (int g = 0; g < 4; ++g) {
    MOTE_TRY(check_2d(ctx, node, &w_in[g], dims.n_cell, dims.n_input));
    MOTE_TRY(check_2d(ctx, node, &w_rec[g], dims.n_cell, dims.n_cell));
    if (bias[g].ndim != 1 || bias[g].dims[0] != dims.n_cell)
      return fail_shape(ctx, node, &bias[g], "bias shape [n_cell]", dims.n_cell,
                        bias[g].ndim == 1 ? bias[g].dims[0] : -1);
  }
  const int64_t state_n = (int64_t)dims.batch * dims.n_cell;
  if ((int64_t)hid.count != state_n)
    return fail_shape(ctx, node, &hid, "output state elements == batch*n_cell",
                      state_n, (int64_t)hid.count);
  if ((int64_t)cell.count != state_n)
    return fail_shape(ctx, node, &cell, "cell state elements == batch*n_cell",
                      state_n, (int64_t)cell.count);
  if (out.ndim != 3)
    return fail_shape(ctx, node, &out, "output rank", 3, out.ndim);
  if (out.dims[0] != in.dims[0] || out.dims[1] != in.dims[1])
    return fail_shape(ctx, node, &out, "output dims 0,1 == input dims 0,1",
                      in.dims[out.dims[0] != in.dims[0] ? 0 : 1],
                      out.dims[out.dims[0] != in.dims[0] ? 0 : 1]);
  if (out.dims[2] != dims.n_cell)
    return fail_shape(ctx, node, &out, "output dim 2 == n_cell", dims.n_cell,
                      out.dims[2]);
  if (!(cell_clip >= 0.0f))
    return mote_fail(ctx, node, MOTE_E_BAD_OPTIONS, -1, "cell_clip >= 0", 0,
                     (int64_t)cell_clip);

  lstm_data d;
  d.act_type = in.type;
  size_t elem;
  if (in.type == MOTE_FLOAT32) {
    d.f.d = dims;
    d.f.cell_clip = cell_clip;
    elem = sizeof(float);
  } else {
    mote_lstm_q_params *q = &d.q;
    MOTE_TRY(check_quant(ctx, node, &in));
    MOTE_TRY(check_quant(ctx, node, &hid));
    MOTE_TRY(check_quant(ctx, node, &cell));
    q->d = dims;
    q->input_zp = in.zero_point;
    q->hidden_zp = hid.zero_point;
    /* Gate FC outputs are Q3.12 (scale 2^-12), zero point 0. */
    const double gate_scale = 0.000244140625;
    for (int g = 0; g < 4; ++g) {
      MOTE_TRY(check_quant(ctx, node, &w_in[g]));
      MOTE_TRY(check_quant(ctx, node, &w_rec[g]));
      q->w_in_zp[g] = w_in[g].zero_point;
      q->w_rec_zp[g] = w_rec[g].zero_point;
      /* TFLite GetQuantizedConvolutionMultipler: float product of the
       * scales, widened, divided in double. */
      const float in_prod = in.scale * w_in[g].scale;
      const float rec_prod = hid.scale * w_rec[g].scale;
      qm((double)in_prod / gate_scale, &q->in_mult[g], &q->in_shift[g]);
      qm((double)rec_prod / gate_scale, &q->rec_mult[g], &q->rec_shift[g]);
    }
    /* Gate outputs are Q0.15 (2^-15). */
    const double s15 = 0.000030517578125;
    const double cs = (double)cell.scale;
    qm(s15 * cs / cs, &q->fc_mult, &q->fc_shift);
    qm(s15 * s15 / cs, &q->ic_mult, &q->ic_shift);
    qm(s15 * s15 / (double)hid.scale, &q->hid_mult, &q->hid_shift);
    /* Tanh of the cell state: its power-of-two scale to Q3.12 * 3/4. */
    const int32_t power = log2_rounded(cell.scale);
    int32_t shift = 15 + power - 3;
    if (shift < 0) {
      q->tanh_mult = 3;
      q->tanh_shift = -shift;
    } else {
      q->tanh_mult = 0;
      q->tanh_shift = shift;
    }
    q->use_cell_clip = cell_clip > 0.0f;
    double cq = (double)cell_clip / cs;
    cq = cq < -32768.0 ? -32768.0 : cq;
    cq = cq > 32767.0 ? 32767.0 : cq;
    q->cell_clip = (int16_t)cq;
    elem = sizeof(int16_t);
  }

  const size_t rows = (size_t)dims.batch;
  MOTE_TRY(
      mote_request_scratch(ctx, node, 4u * rows * (size_t)dims.n_cell * elem));
  lstm_data *pd = (lstm_data *)mote_persist(ctx, sizeof(lstm_data));
  if (pd == NULL) return MOTE_OK;
  *pd = d;
  node->data = pd;
  return MOTE_OK;
}

static mote_status eval(mote_ctx *ctx, const mote_node *node) {
  const lstm_data *d = (const lstm_data *)node->data;
  const void *in = mote_in(ctx, node, LSTM_IN);
  void *hid = mote_in(ctx, node, LSTM_HIDDEN);
  void *cell = mote_in(ctx, node, LSTM_CELL);
  void *out = mote_out(ctx, node, 0);
  switch (d->act_type) {
    case MOTE_FLOAT32: {
      mote_lstm_f32_weights w;
      for (uint32_t g = 0; g < 4; ++g) {
        w.w_in[g] = (const float *)mote_in(ctx, node, LSTM_W_IN0 + g);
        w.w_rec[g] = (const float *)mote_in(ctx, node, LSTM_W_REC0 + g);
        w.bias[g] = (const float *)mote_in(ctx, node, LSTM_BIAS0 + g);
      }
      mote_lstm_f32_ref(&d->f, &w, (const float *)in, (float *)hid,
                        (float *)cell, (float *)out, (float *)node->scratch);
      return MOTE_OK;
    }
    case MOTE_INT8: {
      mote_lstm_s8_weights w;
      for (uint32_t g = 0; g < 4; ++g) {
        w.w_in[g] = (const int8_t *)mote_in(ctx, node, LSTM_W_IN0 + g);
        w.w_rec[g] = (const int8_t *)mote_in(ctx, node, LSTM_W_REC0 + g);
        w.bias[g] = (const int32_t *)mote_in(ctx, node, LSTM_BIAS0 + g);
      }
      mote_lstm_s8_ref(&d->q, &w, (const int8_t *)in, (int8_t *)hid,
                       (int16_t *)cell, (int8_t *)out,
                       (int16_t *)node->scratch);
      return MOTE_OK;
    }
    case MOTE_INT16: {
      mote_lstm_s16_weights w;
      for (uint32_t g = 0; g < 4; ++g) {
        w.w_in[g] = (const int8_t *)mote_in(ctx, node, LSTM_W_IN0 + g);
        w.w_rec[g] = (const int8_t *)mote_in(ctx, node, LSTM_W_REC0 + g);
        w.bias[g] = (const int64_t *)mote_in(ctx, node, LSTM_BIAS0 + g);
      }
      mote_lstm_s16_ref(&d->q, &w, (const int16_t *)in, (int16_t *)hid,
                        (int16_t *)cell, (int16_t *)out,
                        (int16_t *)node->scratch);
      return MOTE_OK;
    }
    default:
      return MOTE_E_RUNTIME;
  }
}

const mote_op_reg mote_op_UNIDIRECTIONAL_SEQUENCE_LSTM = {
    TFL_OP_UNIDIRECTIONAL_SEQUENCE_LSTM,
    "UNIDIRECTIONAL_SEQUENCE_LSTM",
    prepare,
    eval,
    0,
    NULL,
    NULL};
