/*
** CONCATENATION along ConcatenationOptions.axis (negative counts from the
** end). Types as TFLM: float32, int8, int16, int32, int64, bool. Like TFLM
** no requantization happens: int8 inputs must carry the output's scale and
** zero point, int16 inputs and output a zero point of 0. Fused activation
** must be NONE.
*/
#include "../kernels/ref/shape_ref.h"
#include "../runtime/op_api.h"
#include "op_util.h"

/* Per input: bytes of one block along the axis and its offset in the
 * output block. */
typedef struct concat_input {
  uint32_t block;
  uint32_t offset;
} concat_input;

typedef struct op_data {
  uint32_t outer;     /* product of the dimensions before the axis */
  uint32_t out_block; /* output bytes per outer index */
  uint32_t n;
  concat_input in[1]; /* n entries */
} op_data;

static mote_status prepare(mote_ctx *ctx, mote_node *node) {
  mote_tensor out, in;
  uint32_t i, k;
  const uint32_t n = mote_node_ninputs(node);
  if (n < 1)
    return mote_fail(ctx, node, MOTE_E_BAD_MODEL, -1, "number of inputs", 1, n);
  if (mote_node_noutputs(node) != 1)
    return mote_fail(ctx, node, MOTE_E_BAD_MODEL, -1, "number of outputs", 1,
                     mote_node_noutputs(node));
  if (node->options_type != TFL_OPT_NONE &&
      node->options_type != TFL_OPT_CONCATENATION)
    return mote_fail(ctx, node, MOTE_E_BAD_OPTIONS, -1,
                     "builtin_options_type ConcatenationOptions",
                     TFL_OPT_CONCATENATION, node->options_type);
  int32_t axis = fb_i32(&ctx->fb, &node->options, 0, 0);
  int32_t act = (int32_t)fb_i8(&ctx->fb, &node->options, 1, 0);
  if (act != TFL_ACT_NONE)
    return mote_fail(ctx, node, MOTE_E_UNSUPPORTED, -1,
                     "fused activation NONE (as TFLM)", TFL_ACT_NONE, act);
  MOTE_TRY(mote_node_output(ctx, node, 0, &out));
  switch (out.type) {
    case MOTE_FLOAT32:
    case MOTE_INT8:
    case MOTE_INT16:
    case MOTE_INT32:
    case MOTE_INT64:
    case MOTE_BOOL:
      break;
    default:
      return mote_fail(ctx, node, MOTE_E_UNSUPPORTED, (int32_t)out.index,
                       "type float32, int8, int16, int32, int64 or bool",
                       MOTE_INT8, out.type);
  }
  if (out.type == MOTE_INT16 && out.zero_point != 0)
    return mote_fail(ctx, node, MOTE_E_BAD_QUANT, (int32_t)out.index,
                     "int16 output zero point 0", 0, out.zero_point);
  const int32_t rank = (int32_t)out.ndim;
  const int32_t a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank)
    return mote_fail(ctx, node, MOTE_E_BAD_OPTIONS, (int32_t)out.index,
                     "axis within [-rank, rank)", rank, axis);
  const size_t es = mote_dtype_size(out.type);
  uint64_t outer = 1, inner = 1;
  for (k = 0; k < (uint32_t)a; ++k) outer *= (uint64_t)out.dims[k];
  for (k = (uint32_t)a + 1; k < out.ndim; ++k) inner *= (uint64_t)out.dims[k];
  const uint64_t out_block = (uint64_t)out.dims[a] * inner * es;
  if (out_block > UINT32_MAX || outer > UINT32_MAX)
    return mote_fail(ctx, node, MOTE_E_OVERFLOW, (int32_t)out.index,
                     "output size within uint32", UINT32_MAX,
                     (int64_t)out_block);

  op_data *d = (op_data *)mote_persist(
      ctx, sizeof(op_data) + (n - 1) * sizeof(concat_input));
  int64_t axis_sum = 0;
  for (i = 0; i < n; ++i) {
    MOTE_TRY(mote_node_input(ctx, node, i, &in));
    if (in.type != out.type)
      return mote_fail(ctx, node, MOTE_E_BAD_TYPE, (int32_t)in.index,
                       "input type equal to output type", out.type, in.type);
    if (in.ndim != out.ndim)
      return mote_fail(ctx, node, MOTE_E_BAD_SHAPE, (int32_t)in.index,
                       "input rank equal to output rank", out.ndim, in.ndim);
    for (k = 0; k < in.ndim; ++k)
      if ((int32_t)k != a && in.dims[k] != out.dims[k])
        return mote_fail(ctx, node, MOTE_E_BAD_SHAPE, (int32_t)in.index,
                         "input dimension (off the axis) equal to output's",
                         out.dims[k], in.dims[k]);
    if (out.type == MOTE_INT8) {
      if (in.scale != out.scale)
        return mote_fail(ctx, node, MOTE_E_BAD_QUANT, (int32_t)in.index,
                         "int8 input scale equal to output's (x1e9)",
                         mote_report_i64((double)out.scale * 1e9),
                         mote_report_i64((double)in.scale * 1e9));
      if (in.zero_point != out.zero_point)
        return mote_fail(ctx, node, MOTE_E_BAD_QUANT, (int32_t)in.index,
                         "int8 input zero point equal to output's",
                         out.zero_point, in.zero_point);
    } else if (out.type == MOTE_INT16 && in.zero_point != 0) {
      return mote_fail(ctx, node, MOTE_E_BAD_QUANT, (int32_t)in.index,
                       "int16 input zero point 0", 0, in.zero_point);
    }
    if (d != NULL) {
      d->in[i].block = (uint32_t)((uint64_t)in.dims[a] * inner * es);
      d->in[i].offset = (uint32_t)((uint64_t)axis_sum * inner * es);
    }
    axis_sum += in.dims[a];
  }
  if (axis_sum != out.dims[a])
    return mote_fail(ctx, node, MOTE_E_BAD_SHAPE, (int32_t)out.index,
                     "output axis dimension equal to the inputs' sum", axis_sum,
                     out.dims[a]);
  if (d == NULL) return MOTE_OK;
  d->outer = (uint32_t)outer;
  d->out_block = (uint32_t)out_block;
  d->n = n;
  node->data = d;
  return MOTE_OK;
}

static mote_status eval(mote_ctx *ctx, const mote_node *node) {
  const op_data *d = (const op_data *)node->data;
  uint8_t *out = (uint8_t *)mote_out(ctx, node, 0);
  uint32_t i;
  for (i = 0; i < d->n; ++i)
    mote_concat_copy_ref((const uint8_t *)mote_in(ctx, node, i), out, d->outer,
                         d->in[i].block, d->out_block, d->in[i].offset);
  return MOTE_OK;
}

const mote_op_reg mote_op_CONCATENATION = {
    TFL_OP_CONCATENATION, "CONCATENATION", prepare, eval, 0, NULL, NULL};
