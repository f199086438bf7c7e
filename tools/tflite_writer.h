/*
** tflite_writer.h: write TFLite flatbuffer models (schema version 3).
**
** Host-only (C11, allocates). Used by the tests, the quantizer and the
** trainer to produce .tflite files that mote, TFLite and TFLM all accept.
** The writer records buffers, tensors, operators and graph I/O in any
** order, copies everything it is given, and serialises the model in
** tflw_finish():
**
**   tflw *w = tflw_new();
**   int32_t shape[] = {1, 4};
**   int in = tflw_tensor_q(w, MOTE_INT8, shape, 2, "x", 0.5f, -3);
**   int out = tflw_tensor_q(w, MOTE_INT8, shape, 2, "y", 0.5f, -3);
**   tflw_op(w, 19, 1, &in, 1, &out, 1, 0, NULL, 0);       (RELU)
**   tflw_io(w, &in, 1, &out, 1);
**   uint8_t *fb; size_t len;
**   if (tflw_finish(w, &fb, &len) != 0) puts(tflw_error(w));
**   tflw_free(w);  ...  free(fb);
**
** What the file holds: version 3, identifier "TFL3", one subgraph,
** buffer 0 an empty sentinel (tensors without constant data use it),
** buffer data 16-byte aligned, operator codes deduplicated with both
** deprecated_builtin_code = min(code, 127) and builtin_code set, optional
** description and metadata entries (e.g. "min_runtime_version").
**
** Indices returned by the writer (buffers, tensors, operators) are those
** of the file. Errors are sticky: a failing call returns -1, later calls
** do nothing and tflw_finish() fails; tflw_error() says what went wrong.
*/
#ifndef MOTE_TFLITE_WRITER_H
#define MOTE_TFLITE_WRITER_H

#include <stddef.h>
#include <stdint.h>

typedef struct tflw tflw;

/* Quantization of a tensor. nscale == nzero == nminmax == 0: none. */
typedef struct tflw_quant {
  const float *scale; /* [nscale] (1: per-tensor, >1: per-channel) */
  uint32_t nscale;
  const int64_t *zero_point; /* [nzero], stored as int64 like the schema */
  uint32_t nzero;
  int32_t quantized_dim;  /* axis of per-channel quantization */
  const float *min, *max; /* optional [nminmax] calibration ranges */
  uint32_t nminmax;
} tflw_quant;

/* Everything about one tensor. Zero-initialise, then set what you need. */
typedef struct tflw_tensor_desc {
  int32_t type;         /* TFLite TensorType (= mote_dtype: MOTE_INT8...) */
  const int32_t *shape; /* [rank]; may be NULL when rank is 0 (scalar) */
  uint32_t rank;
  const char *name; /* NULL: "" */
  uint32_t buffer;  /* buffer index; 0: no constant data */
  int is_variable;  /* state tensor (LSTM/SVDF state) */
  tflw_quant q;
  const int32_t *shape_signature; /* optional [rank], -1 for dynamic dims */
  int has_shape_signature;
} tflw_tensor_desc;

/* Kind of value of one builtin-options field. */
typedef enum tflw_opt_kind {
  TFLW_K_BOOL,
  TFLW_K_I8,
  TFLW_K_U8,
  TFLW_K_I16,
  TFLW_K_U16,
  TFLW_K_I32,
  TFLW_K_U32,
  TFLW_K_I64,
  TFLW_K_F32,
  TFLW_K_VEC_I32 /* vector of int32 (new_shape, squeeze_dims...) */
} tflw_opt_kind;

/*
** One field of a builtin options table: the field id from schema.fbs
** (see src/runtime/tflite_schema.h), its kind and its value (`i` for
** integer kinds and bool, `f` for float, `vec`/`nvec` for vectors).
*/
typedef struct tflw_opt {
  int field;
  tflw_opt_kind kind;
  int64_t i;
  double f;
  const int32_t *vec;
  uint32_t nvec;
} tflw_opt;

/* Initialisers: (tflw_opt[]){TFLW_I32(1, 2), TFLW_F32(0, 0.5)}. */
#define TFLW_BOOL(id, v) \
  { (id), TFLW_K_BOOL, (int64_t)(v), 0.0, NULL, 0 }
#define TFLW_I8(id, v) \
  { (id), TFLW_K_I8, (int64_t)(v), 0.0, NULL, 0 }
#define TFLW_U8(id, v) \
  { (id), TFLW_K_U8, (int64_t)(v), 0.0, NULL, 0 }
#define TFLW_I16(id, v) \
  { (id), TFLW_K_I16, (int64_t)(v), 0.0, NULL, 0 }
#define TFLW_I32(id, v) \
  { (id), TFLW_K_I32, (int64_t)(v), 0.0, NULL, 0 }
#define TFLW_U32(id, v) \
  { (id), TFLW_K_U32, (int64_t)(v), 0.0, NULL, 0 }
#define TFLW_I64(id, v) \
  { (id), TFLW_K_I64, (int64_t)(v), 0.0, NULL, 0 }
#define TFLW_F32(id, v) \
  { (id), TFLW_K_F32, 0, (double)(v), NULL, 0 }
#define TFLW_VEC(id, p, n) \
  { (id), TFLW_K_VEC_I32, 0, 0.0, (p), (uint32_t)(n) }

/*
** Ready-made option lists for common operators: they fill `o` with the
** right field ids and kinds (from schema.fbs) and return the number of
** fields, to pass with the matching BuiltinOptions tag (in parentheses)
** to tflw_op. `padding` is 0 SAME / 1 VALID, `act` the fused activation
** (0 NONE, 1 RELU, 2 RELU_N1_TO_1, 3 RELU6).
*/
/* Conv2DOptions (1): o[6]. */
uint32_t tflw_opts_conv2d(tflw_opt *o, int padding, int stride_w, int stride_h,
                          int act, int dilation_w, int dilation_h);
/* DepthwiseConv2DOptions (2): o[7]. */
uint32_t tflw_opts_dwconv2d(tflw_opt *o, int padding, int stride_w,
                            int stride_h, int depth_multiplier, int act,
                            int dilation_w, int dilation_h);
/* Pool2DOptions (5): o[6]. */
uint32_t tflw_opts_pool2d(tflw_opt *o, int padding, int stride_w, int stride_h,
                          int filter_w, int filter_h, int act);
/* FullyConnectedOptions (8): o[3]. */
uint32_t tflw_opts_fc(tflw_opt *o, int act, int keep_num_dims);
/* SoftmaxOptions (9): o[1]. */
uint32_t tflw_opts_softmax(tflw_opt *o, float beta);
/* ConcatenationOptions (10): o[2]. */
uint32_t tflw_opts_concat(tflw_opt *o, int axis, int act);
/* AddOptions (11), MulOptions (21), SubOptions (28): o[1]. */
uint32_t tflw_opts_act(tflw_opt *o, int act);
/* ReshapeOptions (17): o[1]; `shape` must outlive the tflw_op call. */
uint32_t tflw_opts_reshape(tflw_opt *o, const int32_t *shape, uint32_t n);
/* ReducerOptions (27): o[1]. */
uint32_t tflw_opts_reducer(tflw_opt *o, int keep_dims);
/* StridedSliceOptions (32): o[5]. */
uint32_t tflw_opts_strided_slice(tflw_opt *o, int begin_mask, int end_mask,
                                 int ellipsis_mask, int new_axis_mask,
                                 int shrink_axis_mask);

/* Everything about one operator. Zero-initialise, then set what you need. */
typedef struct tflw_op_desc {
  int32_t builtin_code;    /* TFLite BuiltinOperator (32: CUSTOM) */
  int32_t version;         /* operator version; 0 is written as 1 */
  const char *custom_code; /* for CUSTOM ops, else NULL */
  const int32_t *inputs;   /* tensor indices, -1: optional input absent */
  uint32_t ninputs;
  const int32_t *outputs;
  uint32_t noutputs;
  const int32_t *intermediates; /* e.g. LSTM intermediates */
  uint32_t nintermediates;
  uint8_t options_type; /* BuiltinOptions union tag, 0: none */
  const tflw_opt *opts; /* fields of the options table */
  uint32_t nopts;
  int no_options_table;          /* 1: write the tag but no table (tests) */
  const uint8_t *custom_options; /* raw custom options bytes */
  size_t ncustom_options;
} tflw_op_desc;

/* tflw_new: an empty model with buffer 0 already present. NULL if OOM. */
tflw *tflw_new(void);

/* tflw_free: release the writer (not the bytes tflw_finish handed out). */
void tflw_free(tflw *w);

/*
** tflw_set_unchecked: 1 makes tflw_finish skip its index checks (tensor
** indices of operators and graph I/O, buffer indices of tensors) so tests
** can build invalid models; 0 (default) checks them.
*/
void tflw_set_unchecked(tflw *w, int on);

/* tflw_set_version: the model's schema version (default 3; for tests). */
void tflw_set_version(tflw *w, uint32_t version);

/*
** tflw_buffer: add a constant buffer holding a copy of `len` bytes of
** `data` (len 0: an empty buffer). Returns its index (>= 1) or -1.
*/
int tflw_buffer(tflw *w, const void *data, size_t len);

/*
** tflw_external_buffer: add a buffer whose data lives outside the
** flatbuffer (Buffer.offset/size, used by >2 GiB models). Returns its
** index or -1.
*/
int tflw_external_buffer(tflw *w, uint64_t offset, uint64_t size);

/*
** tflw_tensor: add a tensor described by `d` (everything is copied).
** Returns its index, or -1 for NULL arrays with non-zero counts or OOM.
** Quantization counts are written as given (mismatched nscale/nzero make
** an invalid model, useful in tests); the buffer index is checked by
** tflw_finish.
*/
int tflw_tensor(tflw *w, const tflw_tensor_desc *d);

/*
** tflw_tensor_q: add a tensor without constant data, per-tensor quantized
** with `scale`/`zero_point` when scale != 0, unquantized when scale == 0.
** Returns its index or -1.
*/
int tflw_tensor_q(tflw *w, int32_t type, const int32_t *shape, uint32_t rank,
                  const char *name, float scale, int32_t zero_point);

/*
** tflw_const_tensor: add a buffer with `len` bytes of `data` and a tensor
** `d` that uses it (d->buffer is ignored). Returns the tensor index or -1.
*/
int tflw_const_tensor(tflw *w, const tflw_tensor_desc *d, const void *data,
                      size_t len);

/*
** tflw_op: add an operator with builtin code `builtin_code` (its operator
** code entry is created or reused), `version`, inputs (-1: absent optional
** input), outputs, and a builtin options table of type `opt_type` made of
** `nopts` fields (`opt_type` 0 and nopts 0: no options). Operators run in
** the order they are added. Tensor indices are checked by tflw_finish, so
** tensors may be added after the operators that use them. Returns the
** operator index or -1 (NULL arrays, bad option field id, OOM).
*/
int tflw_op(tflw *w, int32_t builtin_code, int32_t version, const int32_t *in,
            uint32_t nin, const int32_t *out, uint32_t nout, uint8_t opt_type,
            const tflw_opt *opts, uint32_t nopts);

/* tflw_op_ex: tflw_op with every operator field (see tflw_op_desc). */
int tflw_op_ex(tflw *w, const tflw_op_desc *d);

/*
** tflw_io: set the subgraph's input and output tensor lists (replacing any
** earlier ones). Returns 0 or -1.
*/
int tflw_io(tflw *w, const int32_t *in, uint32_t nin, const int32_t *out,
            uint32_t nout);

/* tflw_description: set the model description string. Returns 0 or -1. */
int tflw_description(tflw *w, const char *text);

/* tflw_subgraph_name: set the subgraph's name. Returns 0 or -1. */
int tflw_subgraph_name(tflw *w, const char *name);

/*
** tflw_metadata: add a metadata entry `name` whose value is a new buffer
** with `len` bytes of `data`. Returns the buffer index or -1.
*/
int tflw_metadata(tflw *w, const char *name, const void *data, size_t len);

/*
** tflw_min_runtime_version: add the "min_runtime_version" metadata entry
** the TFLite converter writes: `version` ("1.14.0") NUL-padded to 16
** bytes. Returns the buffer index or -1.
*/
int tflw_min_runtime_version(tflw *w, const char *version);

/* Number of buffers / tensors / operators / operator codes recorded. */
uint32_t tflw_buffer_count(const tflw *w);
uint32_t tflw_tensor_count(const tflw *w);
uint32_t tflw_op_count(const tflw *w);
uint32_t tflw_opcode_count(const tflw *w);

/*
** tflw_finish: check every index (unless unchecked) and serialise the
** model. On success *out holds the bytes in memory aligned to 16 (free
** with free()) and *len their count (a multiple of 16 when any buffer has
** data); returns 0. Returns -1 with *out NULL on any earlier or current
** error (see tflw_error). The writer stays valid and may be finished
** again.
*/
int tflw_finish(tflw *w, uint8_t **out, size_t *len);

/* tflw_error: text of the first error, "" if none. Never NULL. */
const char *tflw_error(const tflw *w);

/*
** tflw_save: write `len` bytes to file `path`. Returns 0 or -1 (errno
** tells why).
*/
int tflw_save(const char *path, const uint8_t *bytes, size_t len);

#endif
