/*
** tflite_schema.h: field ids and enum values of the TFLite schema
** (schema.fbs, version 3) that mote reads. Field id n of a table lives at
** vtable slot n; a union field takes two ids (type, then value).
*/
#ifndef MOTE_TFLITE_SCHEMA_H
#define MOTE_TFLITE_SCHEMA_H

/* table Model */
enum {
  TFL_MODEL_VERSION = 0,
  TFL_MODEL_OPERATOR_CODES = 1,
  TFL_MODEL_SUBGRAPHS = 2,
  TFL_MODEL_DESCRIPTION = 3,
  TFL_MODEL_BUFFERS = 4,
  TFL_MODEL_METADATA_BUFFER = 5,
  TFL_MODEL_METADATA = 6,
  TFL_MODEL_SIGNATURE_DEFS = 7
};
/* table OperatorCode */
enum {
  TFL_OPCODE_DEPRECATED_BUILTIN = 0,
  TFL_OPCODE_CUSTOM_CODE = 1,
  TFL_OPCODE_VERSION = 2,
  TFL_OPCODE_BUILTIN = 3
};
/* table SubGraph */
enum {
  TFL_SUBGRAPH_TENSORS = 0,
  TFL_SUBGRAPH_INPUTS = 1,
  TFL_SUBGRAPH_OUTPUTS = 2,
  TFL_SUBGRAPH_OPERATORS = 3,
  TFL_SUBGRAPH_NAME = 4
};
/* table Tensor */
enum {
  TFL_TENSOR_SHAPE = 0,
  TFL_TENSOR_TYPE = 1,
  TFL_TENSOR_BUFFER = 2,
  TFL_TENSOR_NAME = 3,
  TFL_TENSOR_QUANTIZATION = 4,
  TFL_TENSOR_IS_VARIABLE = 5,
  TFL_TENSOR_SPARSITY = 6,
  TFL_TENSOR_SHAPE_SIGNATURE = 7,
  TFL_TENSOR_HAS_RANK = 8
};
/* table QuantizationParameters */
enum {
  TFL_QUANT_MIN = 0,
  TFL_QUANT_MAX = 1,
  TFL_QUANT_SCALE = 2,
  TFL_QUANT_ZERO_POINT = 3,
  TFL_QUANT_DETAILS_TYPE = 4,
  TFL_QUANT_DETAILS = 5,
  TFL_QUANT_QUANTIZED_DIMENSION = 6
};
/* table Operator */
enum {
  TFL_OP_OPCODE_INDEX = 0,
  TFL_OP_INPUTS = 1,
  TFL_OP_OUTPUTS = 2,
  TFL_OP_BUILTIN_OPTIONS_TYPE = 3,
  TFL_OP_BUILTIN_OPTIONS = 4,
  TFL_OP_CUSTOM_OPTIONS = 5,
  TFL_OP_CUSTOM_OPTIONS_FORMAT = 6,
  TFL_OP_MUTATING_VARIABLE_INPUTS = 7,
  TFL_OP_INTERMEDIATES = 8
};
/* table Buffer */
enum { TFL_BUFFER_DATA = 0, TFL_BUFFER_OFFSET = 1, TFL_BUFFER_SIZE = 2 };
/* table Metadata / SignatureDef / TensorMap */
enum { TFL_METADATA_NAME = 0, TFL_METADATA_BUFFER = 1 };
enum {
  TFL_SIGDEF_INPUTS = 0,
  TFL_SIGDEF_OUTPUTS = 1,
  TFL_SIGDEF_KEY = 2,
  TFL_SIGDEF_SUBGRAPH_INDEX = 4
};
enum { TFL_TENSORMAP_NAME = 0, TFL_TENSORMAP_TENSOR_INDEX = 1 };

/* enum Padding, ActivationFunctionType */
enum { TFL_PAD_SAME = 0, TFL_PAD_VALID = 1 };
enum {
  TFL_ACT_NONE = 0,
  TFL_ACT_RELU = 1,
  TFL_ACT_RELU_N1_TO_1 = 2,
  TFL_ACT_RELU6 = 3,
  TFL_ACT_TANH = 4,
  TFL_ACT_SIGN_BIT = 5
};

/* enum BuiltinOperator (the ones mote implements or names) */
enum {
  TFL_OP_ADD = 0,
  TFL_OP_AVERAGE_POOL_2D = 1,
  TFL_OP_CONCATENATION = 2,
  TFL_OP_CONV_2D = 3,
  TFL_OP_DEPTHWISE_CONV_2D = 4,
  TFL_OP_DEQUANTIZE = 6,
  TFL_OP_FULLY_CONNECTED = 9,
  TFL_OP_LOGISTIC = 14,
  TFL_OP_MAX_POOL_2D = 17,
  TFL_OP_MUL = 18,
  TFL_OP_RELU = 19,
  TFL_OP_RELU6 = 21,
  TFL_OP_RESHAPE = 22,
  TFL_OP_SOFTMAX = 25,
  TFL_OP_SVDF = 27,
  TFL_OP_TANH = 28,
  TFL_OP_CUSTOM = 32,
  TFL_OP_PAD = 34,
  TFL_OP_TRANSPOSE = 39,
  TFL_OP_MEAN = 40,
  TFL_OP_SUB = 41,
  TFL_OP_SQUEEZE = 43,
  TFL_OP_UNIDIRECTIONAL_SEQUENCE_LSTM = 44,
  TFL_OP_STRIDED_SLICE = 45,
  TFL_OP_PADV2 = 60,
  TFL_OP_TRANSPOSE_CONV = 67,
  TFL_OP_EXPAND_DIMS = 70,
  TFL_OP_LEAKY_RELU = 98,
  TFL_OP_QUANTIZE = 114,
  TFL_OP_HARD_SWISH = 117,
  TFL_OP_PLACEHOLDER_FOR_GREATER_OP_CODES = 127
};

/* union BuiltinOptions: type tags */
enum {
  TFL_OPT_NONE = 0,
  TFL_OPT_CONV2D = 1,
  TFL_OPT_DEPTHWISE_CONV2D = 2,
  TFL_OPT_POOL2D = 5,
  TFL_OPT_SVDF = 6,
  TFL_OPT_FULLY_CONNECTED = 8,
  TFL_OPT_SOFTMAX = 9,
  TFL_OPT_CONCATENATION = 10,
  TFL_OPT_ADD = 11,
  TFL_OPT_RESHAPE = 17,
  TFL_OPT_MUL = 21,
  TFL_OPT_PAD = 22,
  TFL_OPT_TRANSPOSE = 26,
  TFL_OPT_REDUCER = 27,
  TFL_OPT_SUB = 28,
  TFL_OPT_SQUEEZE = 30,
  TFL_OPT_STRIDED_SLICE = 32,
  TFL_OPT_DEQUANTIZE = 38,
  TFL_OPT_PADV2 = 43,
  TFL_OPT_TRANSPOSE_CONV = 49,
  TFL_OPT_EXPAND_DIMS = 52,
  TFL_OPT_UNIDIRECTIONAL_SEQUENCE_LSTM = 71,
  TFL_OPT_LEAKY_RELU = 75,
  TFL_OPT_QUANTIZE = 89,
  TFL_OPT_HARD_SWISH = 91
};

/*
** Options tables (field ids), from schema.fbs:
** Conv2DOptions: padding 0, stride_w 1, stride_h 2, fused_activation 3,
**   dilation_w 4 (=1), dilation_h 5 (=1), quantized_bias_type 6
** DepthwiseConv2DOptions: padding 0, stride_w 1, stride_h 2,
**   depth_multiplier 3, fused_activation 4, dilation_w 5 (=1), dilation_h 6
** Pool2DOptions: padding 0, stride_w 1, stride_h 2, filter_width 3,
**   filter_height 4, fused_activation 5
** SVDFOptions: rank 0, fused_activation 1, asymmetric_quantize_inputs 2
** FullyConnectedOptions: fused_activation 0, weights_format 1,
**   keep_num_dims 2, asymmetric_quantize_inputs 3, quantized_bias_type 4
** SoftmaxOptions: beta 0 (float)
** ConcatenationOptions: axis 0, fused_activation 1
** AddOptions / SubOptions: fused_activation 0, pot_scale_int16 1 (=true)
** MulOptions: fused_activation 0
** ReshapeOptions: new_shape 0 ([int])
** ReducerOptions: keep_dims 0
** SqueezeOptions: squeeze_dims 0 ([int])
** StridedSliceOptions: begin_mask 0, end_mask 1, ellipsis_mask 2,
**   new_axis_mask 3, shrink_axis_mask 4, offset 5
** TransposeConvOptions: padding 0, stride_w 1, stride_h 2,
**   fused_activation 3, quantized_bias_type 4
** UnidirectionalSequenceLSTMOptions: fused_activation 0, cell_clip 1,
**   proj_clip 2, time_major 3, asymmetric_quantize_inputs 4,
**   diagonal_recurrent_tensors 5
** LeakyReluOptions: alpha 0 (float)
*/

#endif
