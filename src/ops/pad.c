/*
** PAD (and, through pad_common.h, PADV2): constant padding of a tensor of
** rank <= 5 by the constant paddings tensor ([rank, 2] int32/int64, >= 0).
** Types: int8, int16, int32, float32. The pad value is input 2 when
** present (a one-element tensor of the input type, constant or not; for
** int8 it must share the output's scale and zero point), else 0 for
** float32/int16/int32 and the output zero point for int8 (TFLM's choices).
*/
#include "pad_common.h"
#include "op_util.h"

#include <string.h>

#include "../kernels/ref/shape_ref.h"

typedef struct op_data {
  mote_pad_params p;
  int32_t elem_size;
  int32_t has_value; /* input 2 holds the pad value */
  int32_t value;     /* default pad value (bit pattern for float32) */
} op_data;

mote_status mote_pad_prepare(mote_ctx *ctx, mote_node *node) {
  mote_tensor in, pads, out, cv;
  uint32_t i;
  int has_value;
  MOTE_TRY(mote_expect_ninputs(ctx, node, 2, 3));
  if (mote_node_noutputs(node) != 1)
    return mote_fail(ctx, node, MOTE_E_BAD_MODEL, -1, "number of outputs", 1,
                     mote_node_noutputs(node));
  if (node->options_type != TFL_OPT_NONE && node->options_type != TFL_OPT_PAD &&
      node->options_type != TFL_OPT_PADV2)
    return mote_fail(
        ctx, node, MOTE_E_BAD_OPTIONS, -1,
        "builtin_options_type PadOptions / PadV2Options",
        node->builtin_code == TFL_OP_PADV2 ? TFL_OPT_PADV2 : TFL_OPT_PAD,
        node->options_type);
  MOTE_TRY(mote_node_input(ctx, node, 0, &in));
  MOTE_TRY(mote_node_input(ctx, node, 1, &pads));
  MOTE_TRY(mote_node_output(ctx, node, 0, &out));
  if (in.type != MOTE_INT8 && in.type != MOTE_INT16 && in.type != MOTE_INT32 &&
      in.type != MOTE_FLOAT32)
    return mote_fail(ctx, node, MOTE_E_UNSUPPORTED, (int32_t)in.index,
                     "input type int8, int16, int32 or float32", MOTE_INT8,
                     in.type);
  if (out.type != in.type)
    return mote_fail(ctx, node, MOTE_E_BAD_TYPE, (int32_t)out.index,
                     "output type equal to input type", in.type, out.type);
  if (in.ndim > MOTE_PAD_DIMS)
    return mote_fail(ctx, node, MOTE_E_UNSUPPORTED, (int32_t)in.index,
                     "input rank at most", MOTE_PAD_DIMS, in.ndim);
  if (out.ndim != in.ndim)
    return mote_fail(ctx, node, MOTE_E_BAD_SHAPE, (int32_t)out.index,
                     "output rank equal to input rank", in.ndim, out.ndim);

  has_value = mote_node_input_index(ctx, node, 2) >= 0;
  if (has_value) {
    MOTE_TRY(mote_node_input(ctx, node, 2, &cv));
    if (cv.type != in.type)
      return mote_fail(ctx, node, MOTE_E_BAD_TYPE, (int32_t)cv.index,
                       "constant_values type equal to input type", in.type,
                       cv.type);
    if (cv.count != 1)
      return mote_fail(ctx, node, MOTE_E_BAD_SHAPE, (int32_t)cv.index,
                       "constant_values with one element", 1,
                       (int64_t)cv.count);
    if (in.type == MOTE_INT8) {
      if (cv.zero_point != out.zero_point)
        return mote_fail(ctx, node, MOTE_E_BAD_QUANT, (int32_t)cv.index,
                         "constant_values zero point equal to output's",
                         out.zero_point, cv.zero_point);
      if (cv.scale != out.scale)
        return mote_fail(ctx, node, MOTE_E_BAD_QUANT, (int32_t)cv.index,
                         "constant_values scale equal to output's (x1e9)",
                         mote_report_i64((double)out.scale * 1e9),
                         mote_report_i64((double)cv.scale * 1e9));
    }
  } else if (in.type == MOTE_INT8 &&
             (out.zero_point < INT8_MIN || out.zero_point > INT8_MAX)) {
    return mote_fail(ctx, node, MOTE_E_BAD_QUANT, (int32_t)out.index,
                     "output zero point within int8", 0, out.zero_point);
  }

  if (pads.type != MOTE_INT32 && pads.type != MOTE_INT64)
    return mote_fail(ctx, node, MOTE_E_BAD_TYPE, (int32_t)pads.index,
                     "paddings type int32", MOTE_INT32, pads.type);
  if (!pads.is_const || pads.data == NULL)
    return mote_fail(ctx, node, MOTE_E_UNSUPPORTED, (int32_t)pads.index,
                     "constant paddings tensor", 1, 0);
  if (pads.count != 2u * out.ndim)
    return mote_fail(ctx, node, MOTE_E_BAD_SHAPE, (int32_t)pads.index,
                     "paddings of shape [rank, 2]: element count",
                     2 * (int64_t)out.ndim, (int64_t)pads.count);

  mote_pad_params p;
  const uint32_t lead = MOTE_PAD_DIMS - in.ndim;
  for (i = 0; i < MOTE_PAD_DIMS; ++i) {
    p.in_dims[i] = 1;
    p.left[i] = 0;
    p.right[i] = 0;
  }
  for (i = 0; i < in.ndim; ++i) {
    const int is64 = pads.type == MOTE_INT64;
    int64_t l = mote_shape_read_int(pads.data, is64, 2 * i);
    int64_t r = mote_shape_read_int(pads.data, is64, 2 * i + 1);
    if (l < 0 || r < 0 || l > INT32_MAX || r > INT32_MAX)
      return mote_fail(ctx, node, MOTE_E_BAD_OPTIONS, (int32_t)pads.index,
                       "non-negative paddings", 0, l < 0 ? l : r);
    if ((int64_t)out.dims[i] != (int64_t)in.dims[i] + l + r)
      return mote_fail(ctx, node, MOTE_E_BAD_SHAPE, (int32_t)out.index,
                       "output dimension equal to input + paddings",
                       (int64_t)in.dims[i] + l + r, out.dims[i]);
    p.in_dims[lead + i] = in.dims[i];
    p.left[lead + i] = (int32_t)l;
    p.right[lead + i] = (int32_t)r;
  }

  op_data *d = (op_data *)mote_persist(ctx, sizeof *d);
  if (d == NULL) return MOTE_OK;
  d->p = p;
  d->elem_size = (int32_t)mote_dtype_size(in.type);
  d->has_value = has_value;
  d->value = in.type == MOTE_INT8 ? out.zero_point : 0;
  node->data = d;
  return MOTE_OK;
}

mote_status mote_pad_eval(mote_ctx *ctx, const mote_node *node) {
  const op_data *d = (const op_data *)node->data;
  const void *in = mote_in(ctx, node, 0);
  const void *cv = d->has_value ? mote_in(ctx, node, 2) : NULL;
  void *out = mote_out(ctx, node, 0);
  switch (d->elem_size) {
    case 1: {
      int8_t v = (int8_t)d->value;
      if (cv) memcpy(&v, cv, sizeof v);
      mote_pad_x8_ref(&d->p, (const int8_t *)in, v, (int8_t *)out);
      break;
    }
    case 2: {
      int16_t v = (int16_t)d->value;
      if (cv) memcpy(&v, cv, sizeof v);
      mote_pad_x16_ref(&d->p, (const int16_t *)in, v, (int16_t *)out);
      break;
    }
    default: {
      /* float32 and int32 move as 32-bit patterns; 0 is +0.0f. */
      int32_t v = d->value;
      if (cv) memcpy(&v, cv, sizeof v);
      mote_pad_x32_ref(&d->p, (const int32_t *)in, v, (int32_t *)out);
      break;
    }
  }
  return MOTE_OK;
}

const mote_op_reg mote_op_PAD = {
    TFL_OP_PAD, "PAD", mote_pad_prepare, mote_pad_eval, 0, NULL, NULL};
