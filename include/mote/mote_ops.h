/*
** mote_ops.h: one registration per operator, to build an op table that
** links only what a model needs (unused ops are dropped by --gc-sections):
**
**   static const struct mote_op_reg *const my_ops[] = {
**       &mote_op_CONV_2D, &mote_op_SOFTMAX};
**   static const mote_op_table my_table = {my_ops, 2, MOTE_ISA_AUTO, NULL, 0};
*/
#ifndef MOTE_OPS_H
#define MOTE_OPS_H

struct mote_op_reg;

extern const struct mote_op_reg mote_op_ADD;
extern const struct mote_op_reg mote_op_AVERAGE_POOL_2D;
extern const struct mote_op_reg mote_op_CONCATENATION;
extern const struct mote_op_reg mote_op_CONV_2D;
extern const struct mote_op_reg mote_op_DEPTHWISE_CONV_2D;
extern const struct mote_op_reg mote_op_DEQUANTIZE;
extern const struct mote_op_reg mote_op_EXPAND_DIMS;
extern const struct mote_op_reg mote_op_FULLY_CONNECTED;
extern const struct mote_op_reg mote_op_HARD_SWISH;
extern const struct mote_op_reg mote_op_LEAKY_RELU;
extern const struct mote_op_reg mote_op_LOGISTIC;
extern const struct mote_op_reg mote_op_MAX_POOL_2D;
extern const struct mote_op_reg mote_op_MEAN;
extern const struct mote_op_reg mote_op_MUL;
extern const struct mote_op_reg mote_op_PAD;
extern const struct mote_op_reg mote_op_PADV2;
extern const struct mote_op_reg mote_op_QUANTIZE;
extern const struct mote_op_reg mote_op_RELU;
extern const struct mote_op_reg mote_op_RELU6;
extern const struct mote_op_reg mote_op_RESHAPE;
extern const struct mote_op_reg mote_op_SOFTMAX;
extern const struct mote_op_reg mote_op_SQUEEZE;
extern const struct mote_op_reg mote_op_STRIDED_SLICE;
extern const struct mote_op_reg mote_op_SUB;
extern const struct mote_op_reg mote_op_SVDF;
extern const struct mote_op_reg mote_op_TANH;
extern const struct mote_op_reg mote_op_TRANSPOSE;
extern const struct mote_op_reg mote_op_TRANSPOSE_CONV;
extern const struct mote_op_reg mote_op_UNIDIRECTIONAL_SEQUENCE_LSTM;

/*
** int8-only registrations (TFLM's Register_*_INT8): the same operator for
** int8 activations with int8 weights only. Any other type is refused at
** init with MOTE_E_UNSUPPORTED naming the op and the tensor, and none of
** the float32, int16, hybrid or int4 code is linked. For int8 firmware;
** a table names one registration per operator.
*/
extern const struct mote_op_reg mote_op_ADD_INT8;
extern const struct mote_op_reg mote_op_AVERAGE_POOL_2D_INT8;
extern const struct mote_op_reg mote_op_CONV_2D_INT8;
extern const struct mote_op_reg mote_op_DEPTHWISE_CONV_2D_INT8;
extern const struct mote_op_reg mote_op_FULLY_CONNECTED_INT8;
extern const struct mote_op_reg mote_op_SOFTMAX_INT8;

#endif
