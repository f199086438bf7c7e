/*
** SVDF: float32, and int8 input/output with int8 weights_feature, int32
** bias and either int16 weights_time + int16 state or int8 weights_time +
** int8 state (TFLM svdf_common.cc). Inputs: input, weights_feature,
** weights_time, bias (optional), activation_state (variable).
*/
#include <math.h>

#include "../kernels/mote_requant.h"
#include "../kernels/ref/rnn_ref.h"
#include "../runtime/op_api.h"
#include "op_util.h"

enum { SVDF_OPT_RANK = 0, SVDF_OPT_ACT = 1 };

typedef struct svdf_data {
  mote_dtype state_type;
  mote_svdf_f32_params f;
  mote_svdf_q_params q;
} svdf_data;

static mote_status fail_dim(mote_ctx *ctx, const mote_node *n,
                            const mote_tensor *t, const char *what,
                            int64_t want, int64_t got) {
  return mote_fail(ctx, n, MOTE_E_BAD_SHAPE, (int32_t)t->index, what, want,
                   got);
}

static mote_status expect_rank(mote_ctx *ctx, const mote_node *n,
                               const mote_tensor *t, uint32_t rank) {
  if (t->ndim != rank) return fail_dim(ctx, n, t, "rank", rank, t->ndim);
  return MOTE_OK;
}

static mote_status prepare(mote_ctx *ctx, mote_node *node) {
  MOTE_TRY(mote_expect_ninputs(ctx, node, 5, 5));
  if (mote_node_noutputs(node) != 1)
    return mote_fail(ctx, node, MOTE_E_BAD_MODEL, -1, "number of outputs", 1,
                     mote_node_noutputs(node));
  if (node->options_type != 0 && node->options_type != TFL_OPT_SVDF)
    return mote_fail(ctx, node, MOTE_E_BAD_OPTIONS, -1,
                     "builtin options type SVDFOptions", TFL_OPT_SVDF,
                     node->options_type);
  const int32_t rank = fb_i32(&ctx->fb, &node->options, SVDF_OPT_RANK, 0);
  int32_t act = (int32_t)fb_u8(&ctx->fb, &node->options, SVDF_OPT_ACT, 0);
  /* TFLite maps unknown activation values to NONE. */
  if (act > TFL_ACT_SIGN_BIT) act = TFL_ACT_NONE;
  if (rank < 1)
    return mote_fail(ctx, node, MOTE_E_BAD_OPTIONS, -1, "rank >= 1", 1, rank);

  mote_tensor in, wf, wt, st, out, bias;
  MOTE_TRY(mote_node_input(ctx, node, 0, &in));
  MOTE_TRY(mote_node_input(ctx, node, 1, &wf));
  MOTE_TRY(mote_node_input(ctx, node, 2, &wt));
  MOTE_TRY(mote_node_input(ctx, node, 4, &st));
  MOTE_TRY(mote_node_output(ctx, node, 0, &out));
  const int has_bias = mote_node_input_index(ctx, node, 3) >= 0;
  if (has_bias) MOTE_TRY(mote_node_input(ctx, node, 3, &bias));

  /* Shapes. */
  MOTE_TRY(expect_rank(ctx, node, &in, 2));
  MOTE_TRY(expect_rank(ctx, node, &wf, 2));
  MOTE_TRY(expect_rank(ctx, node, &wt, 2));
  MOTE_TRY(expect_rank(ctx, node, &st, 2));
  MOTE_TRY(expect_rank(ctx, node, &out, 2));
  const int32_t batch = in.dims[0], input_size = in.dims[1];
  const int32_t num_filters = wf.dims[0], memory_size = wt.dims[1];
  if (num_filters < 1 || num_filters % rank != 0)
    return fail_dim(ctx, node, &wf, "weights_feature rows a multiple of rank",
                    rank, num_filters);
  const int32_t num_units = num_filters / rank;
  if (wf.dims[1] != input_size)
    return fail_dim(ctx, node, &wf, "weights_feature columns == input size",
                    input_size, wf.dims[1]);
  if (wt.dims[0] != num_filters)
    return fail_dim(ctx, node, &wt, "weights_time rows == num_filters",
                    num_filters, wt.dims[0]);
  if (memory_size < 1)
    return fail_dim(ctx, node, &wt, "memory size >= 1", 1, memory_size);
  if (has_bias && (bias.ndim < 1 || bias.count != (size_t)num_units))
    return fail_dim(ctx, node, &bias, "bias elements == num_units", num_units,
                    (int64_t)bias.count);
  if (st.dims[0] != batch)
    return fail_dim(ctx, node, &st, "state dim 0 == batch", batch, st.dims[0]);
  if ((int64_t)st.dims[1] != (int64_t)memory_size * num_filters)
    return fail_dim(ctx, node, &st, "state dim 1 == memory_size*num_filters",
                    (int64_t)memory_size * num_filters, st.dims[1]);
  if (out.dims[0] != batch)
    return fail_dim(ctx, node, &out, "output dim 0 == batch", batch,
                    out.dims[0]);
  if (out.dims[1] != num_units)
    return fail_dim(ctx, node, &out, "output dim 1 == num_units", num_units,
                    out.dims[1]);
  if (!st.is_variable)
    return mote_fail(ctx, node, MOTE_E_BAD_MODEL, (int32_t)st.index,
                     "activation_state is a variable tensor", 1, 0);

  svdf_data d;
  mote_svdf_dims dims = {batch,     input_size, num_filters,
                         num_units, rank,       memory_size};
  d.state_type = st.type;

  if (in.type == MOTE_FLOAT32) {
    MOTE_TRY(mote_expect_type(ctx, node, &wf, MOTE_FLOAT32));
    MOTE_TRY(mote_expect_type(ctx, node, &wt, MOTE_FLOAT32));
    MOTE_TRY(mote_expect_type(ctx, node, &st, MOTE_FLOAT32));
    if (has_bias) MOTE_TRY(mote_expect_type(ctx, node, &bias, MOTE_FLOAT32));
    MOTE_TRY(mote_expect_type(ctx, node, &out, MOTE_FLOAT32));
    d.f.d = dims;
    d.f.activation = act;
  } else if (in.type == MOTE_INT8) {
    if (wf.type != MOTE_INT8)
      return mote_fail(ctx, node, MOTE_E_UNSUPPORTED, (int32_t)wf.index,
                       "int8 weights_feature with int8 input (no hybrid)",
                       MOTE_INT8, wf.type);
    if (wt.type != MOTE_INT16 && wt.type != MOTE_INT8)
      return mote_fail(ctx, node, MOTE_E_UNSUPPORTED, (int32_t)wt.index,
                       "int16 or int8 weights_time", MOTE_INT16, wt.type);
    if (st.type != wt.type)
      return mote_fail(ctx, node, MOTE_E_UNSUPPORTED, (int32_t)st.index,
                       "activation_state type == weights_time type", wt.type,
                       st.type);
    if (has_bias) MOTE_TRY(mote_expect_type(ctx, node, &bias, MOTE_INT32));
    MOTE_TRY(mote_expect_type(ctx, node, &out, MOTE_INT8));
    const mote_tensor *qt[5] = {&in, &wf, &wt, &st, &out};
    for (int i = 0; i < 5; ++i) {
      if (qt[i]->nscale < 1 || !(qt[i]->scale > 0.0f))
        return mote_fail(ctx, node, MOTE_E_BAD_QUANT, (int32_t)qt[i]->index,
                         "positive quantization scale", 1, 0);
    }
    /* TFLM computes both effective scales in float, then widens. */
    const float s1 = in.scale * wf.scale / st.scale;
    const float s2 = st.scale * wt.scale / out.scale;
    if (has_bias) {
      const float bias_want = st.scale * wt.scale;
      if (!(fabs((double)bias.scale - (double)bias_want) < 1e-5))
        return mote_fail(ctx, node, MOTE_E_BAD_QUANT, (int32_t)bias.index,
                         "bias scale == state scale * weights_time scale "
                         "(x1e9)",
                         mote_report_i64((double)bias_want * 1e9),
                         mote_report_i64((double)bias.scale * 1e9));
    }
    int sh1 = 0, sh2 = 0;
    d.q.d = dims;
    mote_quantize_multiplier((double)s1, &d.q.mult1, &sh1);
    mote_quantize_multiplier((double)s2, &d.q.mult2, &sh2);
    d.q.shift1 = sh1;
    d.q.shift2 = sh2;
    d.q.input_zp = in.zero_point;
    d.q.state_zp = st.zero_point;
    d.q.output_zp = out.zero_point;
  } else {
    return mote_fail(ctx, node, MOTE_E_UNSUPPORTED, (int32_t)in.index,
                     "input type float32 or int8", MOTE_FLOAT32, in.type);
  }

  svdf_data *pd = (svdf_data *)mote_persist(ctx, sizeof(svdf_data));
  if (pd == NULL) return MOTE_OK;
  *pd = d;
  node->data = pd;
  return MOTE_OK;
}

static mote_status eval(mote_ctx *ctx, const mote_node *node) {
  const svdf_data *d = (const svdf_data *)node->data;
  const void *in = mote_in(ctx, node, 0);
  const void *wf = mote_in(ctx, node, 1);
  const void *wt = mote_in(ctx, node, 2);
  const void *bias = mote_in(ctx, node, 3);
  void *st = mote_in(ctx, node, 4);
  void *out = mote_out(ctx, node, 0);
  switch (d->state_type) {
    case MOTE_FLOAT32:
      mote_svdf_f32_ref(&d->f, (const float *)in, (const float *)wf,
                        (const float *)wt, (const float *)bias, (float *)st,
                        (float *)out);
      return MOTE_OK;
    case MOTE_INT16:
      mote_svdf_s8_ref(&d->q, (const int8_t *)in, (const int8_t *)wf,
                       (const int16_t *)wt, (const int32_t *)bias,
                       (int16_t *)st, (int8_t *)out);
      return MOTE_OK;
    case MOTE_INT8:
      mote_svdf_s8_s8state_ref(&d->q, (const int8_t *)in, (const int8_t *)wf,
                               (const int8_t *)wt, (const int32_t *)bias,
                               (int8_t *)st, (int8_t *)out);
      return MOTE_OK;
    default:
      return MOTE_E_RUNTIME;
  }
}

const mote_op_reg mote_op_SVDF = {TFL_OP_SVDF, "SVDF", prepare, eval,
                                  0,           NULL,   NULL};
