/*
** TRANSPOSE: permute the dimensions by the constant perm tensor (input 1,
** int32/int64, a permutation of [0, rank)). Any 1/2/4/8-byte element
** type; rank up to MOTE_MAX_DIMS (TFLM: 5).
*/
#include "../kernels/ref/shape_ref.h"
#include "../runtime/op_api.h"

typedef struct op_data {
  mote_transpose_params p;
  size_t elem_size;
} op_data;

static mote_status prepare(mote_ctx *ctx, mote_node *node) {
  mote_tensor in, pt, out;
  int32_t in_strides[MOTE_TRANSPOSE_DIMS];
  int seen[MOTE_TRANSPOSE_DIMS] = {0};
  uint32_t i;
  MOTE_TRY(mote_expect_ninputs(ctx, node, 2, 2));
  if (mote_node_noutputs(node) != 1)
    return mote_fail(ctx, node, MOTE_E_BAD_MODEL, -1, "number of outputs", 1,
                     mote_node_noutputs(node));
  MOTE_TRY(mote_node_input(ctx, node, 0, &in));
  MOTE_TRY(mote_node_input(ctx, node, 1, &pt));
  MOTE_TRY(mote_node_output(ctx, node, 0, &out));
  size_t es = mote_dtype_size(in.type);
  if (es != 1 && es != 2 && es != 4 && es != 8)
    return mote_fail(ctx, node, MOTE_E_UNSUPPORTED, (int32_t)in.index,
                     "element type of 1, 2, 4 or 8 bytes", MOTE_INT8, in.type);
  if (out.type != in.type)
    return mote_fail(ctx, node, MOTE_E_BAD_TYPE, (int32_t)out.index,
                     "output type equal to input type", in.type, out.type);
  if (in.ndim > MOTE_TRANSPOSE_DIMS)
    return mote_fail(ctx, node, MOTE_E_UNSUPPORTED, (int32_t)in.index,
                     "input rank at most", MOTE_TRANSPOSE_DIMS, in.ndim);
  if (pt.type != MOTE_INT32 && pt.type != MOTE_INT64)
    return mote_fail(ctx, node, MOTE_E_BAD_TYPE, (int32_t)pt.index,
                     "perm tensor type int32", MOTE_INT32, pt.type);
  if (!pt.is_const || pt.data == NULL)
    return mote_fail(ctx, node, MOTE_E_UNSUPPORTED, (int32_t)pt.index,
                     "constant perm tensor", 1, 0);
  if (pt.ndim != 1 || pt.count != in.ndim)
    return mote_fail(ctx, node, MOTE_E_BAD_SHAPE, (int32_t)pt.index,
                     "perm of one entry per input dimension", in.ndim,
                     (int64_t)pt.count);
  if (out.ndim != in.ndim)
    return mote_fail(ctx, node, MOTE_E_BAD_SHAPE, (int32_t)out.index,
                     "output rank equal to input rank", in.ndim, out.ndim);
  /* Input strides in elements. */
  {
    int32_t s = 1;
    for (i = in.ndim; i-- > 0;) {
      in_strides[i] = s;
      s *= in.dims[i];
    }
  }

  mote_transpose_params pr;
  const uint32_t lead = MOTE_TRANSPOSE_DIMS - in.ndim;
  for (i = 0; i < lead; ++i) {
    pr.out_dims[i] = 1;
    pr.in_strides[i] = 0;
  }
  for (i = 0; i < in.ndim; ++i) {
    int64_t p = mote_shape_read_int(pt.data, pt.type == MOTE_INT64, i);
    if (p < 0 || p >= (int64_t)in.ndim || seen[p])
      return mote_fail(ctx, node, MOTE_E_BAD_OPTIONS, (int32_t)pt.index,
                       "perm entries a permutation of [0, rank)", in.ndim, p);
    seen[p] = 1;
    if (out.dims[i] != in.dims[p])
      return mote_fail(ctx, node, MOTE_E_BAD_SHAPE, (int32_t)out.index,
                       "output dimension equal to permuted input's", in.dims[p],
                       out.dims[i]);
    pr.out_dims[lead + i] = in.dims[p];
    pr.in_strides[lead + i] = in_strides[p];
  }

  op_data *d = (op_data *)mote_persist(ctx, sizeof *d);
  if (d == NULL) return MOTE_OK;
  d->p = pr;
  d->elem_size = es;
  node->data = d;
  return MOTE_OK;
}

static mote_status eval(mote_ctx *ctx, const mote_node *node) {
  const op_data *d = (const op_data *)node->data;
  const mote_transpose_params *p = &d->p;
  const void *in = mote_in(ctx, node, 0);
  void *out = mote_out(ctx, node, 0);
  switch (d->elem_size) {
    case 1:
      mote_transpose_x8_ref(p, (const int8_t *)in, (int8_t *)out);
      break;
    case 2:
      mote_transpose_x16_ref(p, (const int16_t *)in, (int16_t *)out);
      break;
    case 4:
      mote_transpose_x32_ref(p, (const int32_t *)in, (int32_t *)out);
      break;
    default:
      mote_transpose_x64_ref(p, (const int64_t *)in, (int64_t *)out);
      break;
  }
  return MOTE_OK;
}

const mote_op_reg mote_op_TRANSPOSE = {
    TFL_OP_TRANSPOSE, "TRANSPOSE", prepare, eval, 0, NULL, NULL};
