/* names.c: TFLite builtin operator names and error formatting. */
#include <string.h>

#include "mote/mote.h"

#ifndef MOTE_NO_ERROR_TEXT
static const char *const builtin_names[] = {
    "ADD",
    "AVERAGE_POOL_2D",
    "CONCATENATION",
    "CONV_2D",
    "DEPTHWISE_CONV_2D",
    "DEPTH_TO_SPACE",
    "DEQUANTIZE",
    "EMBEDDING_LOOKUP",
    "FLOOR",
    "FULLY_CONNECTED",
    "HASHTABLE_LOOKUP",
    "L2_NORMALIZATION",
    "L2_POOL_2D",
    "LOCAL_RESPONSE_NORMALIZATION",
    "LOGISTIC",
    "LSH_PROJECTION",
    "LSTM",
    "MAX_POOL_2D",
    "MUL",
    "RELU",
    "RELU_N1_TO_1",
    "RELU6",
    "RESHAPE",
    "RESIZE_BILINEAR",
    "RNN",
    "SOFTMAX",
    "SPACE_TO_DEPTH",
    "SVDF",
    "TANH",
    "CONCAT_EMBEDDINGS",
    "SKIP_GRAM",
    "CALL",
    "CUSTOM",
    "EMBEDDING_LOOKUP_SPARSE",
    "PAD",
    "UNIDIRECTIONAL_SEQUENCE_RNN",
    "GATHER",
    "BATCH_TO_SPACE_ND",
    "SPACE_TO_BATCH_ND",
    "TRANSPOSE",
    "MEAN",
    "SUB",
    "DIV",
    "SQUEEZE",
    "UNIDIRECTIONAL_SEQUENCE_LSTM",
    "STRIDED_SLICE",
    "BIDIRECTIONAL_SEQUENCE_RNN",
    "EXP",
    "TOPK_V2",
    "SPLIT",
    "LOG_SOFTMAX",
    "DELEGATE",
    "BIDIRECTIONAL_SEQUENCE_LSTM",
    "CAST",
    "PRELU",
    "MAXIMUM",
    "ARG_MAX",
    "MINIMUM",
    "LESS",
    "NEG",
    "PADV2",
    "GREATER",
    "GREATER_EQUAL",
    "LESS_EQUAL",
    "SELECT",
    "SLICE",
    "SIN",
    "TRANSPOSE_CONV",
    "SPARSE_TO_DENSE",
    "TILE",
    "EXPAND_DIMS",
    "EQUAL",
    "NOT_EQUAL",
    "LOG",
    "SUM",
    "SQRT",
    "RSQRT",
    "SHAPE",
    "POW",
    "ARG_MIN",
    "FAKE_QUANT",
    "REDUCE_PROD",
    "REDUCE_MAX",
    "PACK",
    "LOGICAL_OR",
    "ONE_HOT",
    "LOGICAL_AND",
    "LOGICAL_NOT",
    "UNPACK",
    "REDUCE_MIN",
    "FLOOR_DIV",
    "REDUCE_ANY",
    "SQUARE",
    "ZEROS_LIKE",
    "FILL",
    "FLOOR_MOD",
    "RANGE",
    "RESIZE_NEAREST_NEIGHBOR",
    "LEAKY_RELU",
    "SQUARED_DIFFERENCE",
    "MIRROR_PAD",
    "ABS",
    "SPLIT_V",
    "UNIQUE",
    "CEIL",
    "REVERSE_V2",
    "ADD_N",
    "GATHER_ND",
    "COS",
    "WHERE",
    "RANK",
    "ELU",
    "REVERSE_SEQUENCE",
    "MATRIX_DIAG",
    "QUANTIZE",
    "MATRIX_SET_DIAG",
    "ROUND",
    "HARD_SWISH",
    "IF",
    "WHILE",
    "NON_MAX_SUPPRESSION_V4",
    "NON_MAX_SUPPRESSION_V5",
    "SCATTER_ND",
    "SELECT_V2",
    "DENSIFY",
    "SEGMENT_SUM",
    "BATCH_MATMUL",
    "PLACEHOLDER_FOR_GREATER_OP_CODES",
    "CUMSUM",
    "CALL_ONCE",
    "BROADCAST_TO",
    "RFFT2D",
    "CONV_3D",
    "IMAG",
    "REAL",
    "COMPLEX_ABS",
    "HASHTABLE",
    "HASHTABLE_FIND",
    "HASHTABLE_IMPORT",
    "HASHTABLE_SIZE",
    "REDUCE_ALL",
    "CONV_3D_TRANSPOSE",
    "VAR_HANDLE",
    "READ_VARIABLE",
    "ASSIGN_VARIABLE",
    "BROADCAST_ARGS",
    "RANDOM_STANDARD_NORMAL",
    "BUCKETIZE",
    "RANDOM_UNIFORM",
    "MULTINOMIAL",
    "GELU",
    "DYNAMIC_UPDATE_SLICE",
    "RELU_0_TO_1",
    "UNSORTED_SEGMENT_PROD",
    "UNSORTED_SEGMENT_MAX",
    "UNSORTED_SEGMENT_SUM",
    "ATAN2",
    "UNSORTED_SEGMENT_MIN",
    "SIGN",
    "BITCAST",
    "BITWISE_XOR",
    "RIGHT_SHIFT",
};

#endif

const char *mote_builtin_name(int32_t code) {
#ifdef MOTE_NO_ERROR_TEXT
  (void)code;
  return "UNKNOWN";
#else
  if (code < 0 ||
      (size_t)code >= sizeof builtin_names / sizeof builtin_names[0])
    return "UNKNOWN";
  return builtin_names[code];
#endif
}

/* Append s to buf[*at..len) (always NUL-terminated). */
static void put(char *buf, size_t len, size_t *at, const char *s) {
  while (*s && *at + 1 < len) buf[(*at)++] = *s++;
  if (len) buf[*at < len ? *at : len - 1] = 0;
}

static void put_int(char *buf, size_t len, size_t *at, int64_t v) {
  char tmp[24];
  int i = 0;
  uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
  do {
    tmp[i++] = (char)('0' + (int)(u % 10u));
    u /= 10u;
  } while (u && i < 22);
  if (v < 0) tmp[i++] = '-';
  char out[24];
  for (int k = 0; k < i; k++) out[k] = tmp[i - 1 - k];
  out[i] = 0;
  put(buf, len, at, out);
}

size_t mote_error_format(const mote_error *e, char *buf, size_t len) {
  size_t at = 0;
  if (!buf || !len) return 0;
  buf[0] = 0;
#ifdef MOTE_NO_ERROR_TEXT
  put(buf, len, &at, "status ");
  put_int(buf, len, &at, (int64_t)e->status);
#else
  put(buf, len, &at, mote_status_name(e->status));
  put(buf, len, &at, ": ");
  put(buf, len, &at, mote_status_str(e->status));
#endif
  if (e->op_index >= 0 || e->op_name) {
    put(buf, len, &at, "; op ");
    if (e->op_index >= 0) put_int(buf, len, &at, e->op_index);
    if (e->op_name) {
      put(buf, len, &at, " (");
      put(buf, len, &at, e->op_name);
      put(buf, len, &at, ")");
    }
  }
  if (e->tensor_index >= 0) {
    put(buf, len, &at, "; tensor ");
    put_int(buf, len, &at, e->tensor_index);
  }
  if (e->fb_offset) {
    put(buf, len, &at, "; at byte ");
    put_int(buf, len, &at, e->fb_offset);
  }
#ifdef MOTE_NO_ERROR_TEXT
  if (e->expected || e->got) {
    put(buf, len, &at, "; expected ");
    put_int(buf, len, &at, e->expected);
    put(buf, len, &at, ", got ");
    put_int(buf, len, &at, e->got);
  }
#endif
  if (e->what) {
    put(buf, len, &at, "; expected ");
    put(buf, len, &at, e->what);
    if (e->expected || e->got) {
      put(buf, len, &at, " (expected ");
      put_int(buf, len, &at, e->expected);
      put(buf, len, &at, ", got ");
      put_int(buf, len, &at, e->got);
      put(buf, len, &at, ")");
    }
  }
  return at;
}
