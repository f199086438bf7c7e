/*
** STRIDED_SLICE with constant begin/end/strides (int32/int64, one entry
** per input dimension), begin_mask, end_mask and shrink_axis_mask, rank
** up to 5. Index resolution follows TFLM (negative indices count from the
** end, then clamping to [0, dim] for positive strides and [-1, dim - 1]
** for negative ones; masked ends take the whole range). As in TFLM,
** ellipsis_mask and new_axis_mask are not supported (refused here) and the
** `offset` option is ignored. A shrunk axis takes the single element at its
** begin index, which must lie inside the dimension.
** Types: int8, int16, int32, float32, bool (TFLM's set).
*/
#include "../kernels/ref/shape_ref.h"
#include "../runtime/op_api.h"

typedef struct op_data {
  mote_sslice_params p;
  int32_t elem_size;
} op_data;

static int32_t clamp(int64_t v, int64_t lo, int64_t hi) {
  return (int32_t)(v < lo ? lo : (v > hi ? hi : v));
}

static mote_status read_index_tensor(mote_ctx *ctx, mote_node *node, uint32_t k,
                                     uint32_t rank, int64_t *vals) {
  mote_tensor t;
  uint32_t i;
  MOTE_TRY(mote_node_input(ctx, node, k, &t));
  if (t.type != MOTE_INT32 && t.type != MOTE_INT64)
    return mote_fail(ctx, node, MOTE_E_BAD_TYPE, (int32_t)t.index,
                     "begin/end/strides type int32", MOTE_INT32, t.type);
  if (!t.is_const || t.data == NULL)
    return mote_fail(ctx, node, MOTE_E_UNSUPPORTED, (int32_t)t.index,
                     "constant begin/end/strides tensor", 1, 0);
  if (t.ndim != 1 || t.count != rank)
    return mote_fail(ctx, node, MOTE_E_BAD_SHAPE, (int32_t)t.index,
                     "begin/end/strides with one entry per input dimension",
                     rank, (int64_t)t.count);
  for (i = 0; i < rank; ++i)
    vals[i] = mote_shape_read_int(t.data, t.type == MOTE_INT64, i);
  return MOTE_OK;
}

static mote_status prepare(mote_ctx *ctx, mote_node *node) {
  mote_tensor in, out;
  int64_t begin[MOTE_SSLICE_DIMS], end[MOTE_SSLICE_DIMS];
  int64_t strides[MOTE_SSLICE_DIMS];
  uint32_t i, o;
  MOTE_TRY(mote_expect_ninputs(ctx, node, 4, 4));
  if (mote_node_noutputs(node) != 1)
    return mote_fail(ctx, node, MOTE_E_BAD_MODEL, -1, "number of outputs", 1,
                     mote_node_noutputs(node));
  if (node->options_type != TFL_OPT_NONE &&
      node->options_type != TFL_OPT_STRIDED_SLICE)
    return mote_fail(ctx, node, MOTE_E_BAD_OPTIONS, -1,
                     "builtin_options_type StridedSliceOptions",
                     TFL_OPT_STRIDED_SLICE, node->options_type);
  const int32_t begin_mask = fb_i32(&ctx->fb, &node->options, 0, 0);
  const int32_t end_mask = fb_i32(&ctx->fb, &node->options, 1, 0);
  const int32_t ellipsis_mask = fb_i32(&ctx->fb, &node->options, 2, 0);
  const int32_t new_axis_mask = fb_i32(&ctx->fb, &node->options, 3, 0);
  const int32_t shrink_mask = fb_i32(&ctx->fb, &node->options, 4, 0);
  if (ellipsis_mask != 0)
    return mote_fail(ctx, node, MOTE_E_UNSUPPORTED, -1,
                     "ellipsis_mask 0 (as TFLM)", 0, ellipsis_mask);
  if (new_axis_mask != 0)
    return mote_fail(ctx, node, MOTE_E_UNSUPPORTED, -1,
                     "new_axis_mask 0 (as TFLM)", 0, new_axis_mask);
  MOTE_TRY(mote_node_input(ctx, node, 0, &in));
  MOTE_TRY(mote_node_output(ctx, node, 0, &out));
  switch (in.type) {
    case MOTE_INT8:
    case MOTE_INT16:
    case MOTE_INT32:
    case MOTE_FLOAT32:
    case MOTE_BOOL:
      break;
    default:
      return mote_fail(ctx, node, MOTE_E_UNSUPPORTED, (int32_t)in.index,
                       "input type int8, int16, int32, float32 or bool",
                       MOTE_INT8, in.type);
  }
  if (out.type != in.type)
    return mote_fail(ctx, node, MOTE_E_BAD_TYPE, (int32_t)out.index,
                     "output type equal to input type", in.type, out.type);
  const uint32_t rank = in.ndim;
  if (rank > MOTE_SSLICE_DIMS)
    return mote_fail(ctx, node, MOTE_E_UNSUPPORTED, (int32_t)in.index,
                     "input rank at most", MOTE_SSLICE_DIMS, rank);
  MOTE_TRY(read_index_tensor(ctx, node, 1, rank, begin));
  MOTE_TRY(read_index_tensor(ctx, node, 2, rank, end));
  MOTE_TRY(read_index_tensor(ctx, node, 3, rank, strides));

  mote_sslice_params p;
  const uint32_t lead = MOTE_SSLICE_DIMS - rank;
  int32_t s = 1;
  for (i = MOTE_SSLICE_DIMS; i-- > 0;) {
    p.in_strides[i] = s;
    if (i >= lead) s *= in.dims[i - lead];
  }
  for (i = 0; i < lead; ++i) {
    p.start[i] = 0;
    p.stride[i] = 1;
    p.count[i] = 1;
  }
  for (i = 0, o = 0; i < rank; ++i) {
    const int64_t dim = in.dims[i];
    const int64_t st = strides[i];
    const int shrink = (shrink_mask >> i) & 1;
    int64_t b = begin[i], e = end[i], count;
    if (st == 0 || st < INT32_MIN || st > INT32_MAX)
      return mote_fail(ctx, node, MOTE_E_BAD_OPTIONS, -1,
                       "non-zero int32 stride", 1, st);
    if (b < 0) b += dim;
    b = st > 0 ? clamp(b, 0, dim) : clamp(b, -1, dim - 1);
    if ((begin_mask >> i) & 1) b = st > 0 ? 0 : dim - 1;
    if (shrink) {
      if (b < 0 || b >= dim)
        return mote_fail(ctx, node, MOTE_E_BAD_OPTIONS, -1,
                         "shrunk axis begin index inside the dimension", dim,
                         begin[i]);
      count = 1;
    } else {
      if (e < 0) e += dim;
      e = st > 0 ? clamp(e, 0, dim) : clamp(e, -1, dim - 1);
      if ((end_mask >> i) & 1) e = st > 0 ? dim : -1;
      /* ceil((e - b) / st), floored at 0 */
      count = st > 0 ? (e - b + st - 1) / st : (b - e + (-st) - 1) / (-st);
      if (count < 0) count = 0;
      if (o >= out.ndim || out.dims[o] != count)
        return mote_fail(ctx, node, MOTE_E_BAD_SHAPE, (int32_t)out.index,
                         "output dimension equal to the slice length", count,
                         o < out.ndim ? out.dims[o] : -1);
      ++o;
    }
    p.start[lead + i] = (int32_t)b;
    p.stride[lead + i] = (int32_t)st;
    p.count[lead + i] = (int32_t)count;
  }
  if (o != out.ndim)
    return mote_fail(ctx, node, MOTE_E_BAD_SHAPE, (int32_t)out.index,
                     "output rank equal to the non-shrunk axes", o, out.ndim);

  op_data *d = (op_data *)mote_persist(ctx, sizeof *d);
  if (d == NULL) return MOTE_OK;
  d->p = p;
  d->elem_size = (int32_t)mote_dtype_size(in.type);
  node->data = d;
  return MOTE_OK;
}

static mote_status eval(mote_ctx *ctx, const mote_node *node) {
  const op_data *d = (const op_data *)node->data;
  const void *in = mote_in(ctx, node, 0);
  void *out = mote_out(ctx, node, 0);
  switch (d->elem_size) {
    case 1:
      mote_strided_slice_x8_ref(&d->p, (const int8_t *)in, (int8_t *)out);
      break;
    case 2:
      mote_strided_slice_x16_ref(&d->p, (const int16_t *)in, (int16_t *)out);
      break;
    default:
      mote_strided_slice_x32_ref(&d->p, (const int32_t *)in, (int32_t *)out);
      break;
  }
  return MOTE_OK;
}

const mote_op_reg mote_op_STRIDED_SLICE = {
    TFL_OP_STRIDED_SLICE, "STRIDED_SLICE", prepare, eval, 0, NULL, NULL};
