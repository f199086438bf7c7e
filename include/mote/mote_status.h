/*
** mote_status.h: every status a mote call can return.
**
** The enum and mote_status_str() come from one X-macro list so that the
** name, the code and the human text never drift apart.
*/
#ifndef MOTE_STATUS_H
#define MOTE_STATUS_H

/* X(name, text) */
#define MOTE_STATUS_MAP(X)                                                    \
  X(OK, "ok")                                                                 \
  X(E_ARG, "invalid argument")                                                \
  X(E_TRUNCATED, "model bytes truncated")                                     \
  X(E_BAD_IDENTIFIER, "not a TFLite flatbuffer (identifier is not TFL3)")     \
  X(E_BAD_OFFSET, "flatbuffer offset out of range")                           \
  X(E_BAD_VTABLE, "flatbuffer vtable corrupt")                                \
  X(E_BAD_ALIGNMENT, "flatbuffer data misaligned")                            \
  X(E_BAD_VECTOR, "flatbuffer vector length out of range")                    \
  X(E_BAD_STRING, "flatbuffer string not terminated")                         \
  X(E_TOO_DEEP, "flatbuffer nesting too deep")                                \
  X(E_OVERFLOW, "size computation overflows")                                 \
  X(E_BAD_MODEL, "model structure invalid")                                   \
  X(E_BAD_TENSOR_INDEX, "tensor index out of range")                          \
  X(E_BAD_BUFFER, "constant buffer does not match its tensor")                \
  X(E_EXTERNAL_BUFFER, "buffers stored outside the flatbuffer not supported") \
  X(E_BAD_SHAPE, "tensor shape invalid for this op")                          \
  X(E_BAD_TYPE, "tensor type invalid for this op")                            \
  X(E_BAD_QUANT, "quantization parameters invalid")                           \
  X(E_BAD_OPTIONS, "operator options invalid")                                \
  X(E_UNSUPPORTED, "operator or type not supported")                          \
  X(E_ARENA_TOO_SMALL, "arena too small")                                     \
  X(E_NOT_READY, "model not initialised")                                     \
  X(E_INDEX, "input/output index out of range")                               \
  X(E_RUNTIME, "runtime failure during invoke")

typedef enum mote_status {
#define MOTE_STATUS_ENUM_(name, text) MOTE_##name,
  MOTE_STATUS_MAP(MOTE_STATUS_ENUM_)
#undef MOTE_STATUS_ENUM_
      MOTE_STATUS_COUNT_
} mote_status;

/*
** mote_status_str: a short English text for a status code ("arena too
** small"). Never NULL; unknown codes give "unknown status".
*/
const char *mote_status_str(mote_status s);

/*
** mote_status_name: the enum name without prefix ("E_ARENA_TOO_SMALL").
*/
const char *mote_status_name(mote_status s);

#endif
