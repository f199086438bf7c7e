/*
** mote_tensor.h: data types and the tensor view handed to applications
** and to op implementations.
*/
#ifndef MOTE_TENSOR_H
#define MOTE_TENSOR_H

#include <stddef.h>
#include <stdint.h>

#include "mote_config.h"

/* Values are those of the TFLite schema's TensorType. */
typedef enum mote_dtype {
  MOTE_FLOAT32 = 0,
  MOTE_FLOAT16 = 1,
  MOTE_INT32 = 2,
  MOTE_UINT8 = 3,
  MOTE_INT64 = 4,
  MOTE_STRING = 5,
  MOTE_BOOL = 6,
  MOTE_INT16 = 7,
  MOTE_COMPLEX64 = 8,
  MOTE_INT8 = 9,
  MOTE_FLOAT64 = 10,
  MOTE_COMPLEX128 = 11,
  MOTE_UINT64 = 12,
  MOTE_RESOURCE = 13,
  MOTE_VARIANT = 14,
  MOTE_UINT32 = 15,
  MOTE_UINT16 = 16,
  MOTE_INT4 = 17
} mote_dtype;

/*
** A view of one tensor. Filled by mote_model_input()/output() and, inside
** the runtime, by the op context. Nothing here is owned by the view:
** `data` points into the arena (activations) or into the model bytes
** (constants), and the quantization arrays point into the model bytes.
*/
typedef struct mote_tensor {
  mote_dtype type;
  uint32_t index; /* tensor index in the subgraph */
  uint32_t ndim;  /* rank */
  int32_t dims[MOTE_MAX_DIMS];
  size_t count;             /* number of elements */
  size_t bytes;             /* count * element size */
  void *data;               /* NULL while the runtime is only measuring */
  float scale;              /* per-tensor scale (channel 0); 0 if none */
  int32_t zero_point;       /* per-tensor zero point (channel 0) */
  uint32_t nscale;          /* number of scales (0: not quantized) */
  uint32_t nzero;           /* number of zero points */
  int32_t quant_dim;        /* quantized_dimension for per-channel */
  const uint8_t *scales_le; /* nscale little-endian float32, unaligned */
  const uint8_t *zeros_le;  /* nzero little-endian int64, unaligned */
  uint8_t is_const;         /* backed by a constant buffer */
  uint8_t is_variable;      /* state tensor, persists across invokes */
  const char *name;         /* NUL-terminated, may be "" */
} mote_tensor;

/* Size in bytes of one element of `t`, 0 for types without a fixed size. */
size_t mote_dtype_size(mote_dtype t);

/* Lower-case TFLite name of a type ("int8", "float32"); never NULL. */
const char *mote_dtype_name(mote_dtype t);

/* Scale of quantization channel `c` (c < t->nscale), read from the model. */
float mote_tensor_scale(const mote_tensor *t, uint32_t c);

/* Zero point of channel `c` (c < t->nzero), saturated to int32. */
int32_t mote_tensor_zero_point(const mote_tensor *t, uint32_t c);

#endif
