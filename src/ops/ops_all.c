/* ops_all.c: the table of every operator mote implements. */
#include "mote/mote_ops.h"
#include "../runtime/op_api.h"

static const mote_op_reg *const all_ops[] = {
    &mote_op_ADD,
    &mote_op_AVERAGE_POOL_2D,
    &mote_op_CONCATENATION,
    &mote_op_CONV_2D,
    &mote_op_DEPTHWISE_CONV_2D,
    &mote_op_DEQUANTIZE,
    &mote_op_EXPAND_DIMS,
    &mote_op_FULLY_CONNECTED,
    &mote_op_HARD_SWISH,
    &mote_op_LEAKY_RELU,
    &mote_op_LOGISTIC,
    &mote_op_MAX_POOL_2D,
    &mote_op_MEAN,
    &mote_op_MUL,
    &mote_op_PAD,
    &mote_op_PADV2,
    &mote_op_QUANTIZE,
    &mote_op_RELU,
    &mote_op_RELU6,
    &mote_op_RESHAPE,
    &mote_op_SOFTMAX,
    &mote_op_SQUEEZE,
    &mote_op_STRIDED_SLICE,
    &mote_op_SUB,
    &mote_op_SVDF,
    &mote_op_TANH,
    &mote_op_TRANSPOSE,
    &mote_op_TRANSPOSE_CONV,
    &mote_op_UNIDIRECTIONAL_SEQUENCE_LSTM,
};

static const mote_op_table all_table = {
    all_ops, (uint32_t)(sizeof all_ops / sizeof all_ops[0]), MOTE_ISA_AUTO,
    NULL, 0};

const mote_op_table *mote_ops_all(void) {
  return &all_table;
}
