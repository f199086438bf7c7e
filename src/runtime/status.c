/* status.c: texts of status codes, data type names and sizes. */
#include <string.h>

#include "mote/mote.h"

const char *mote_status_str(mote_status s) {
#ifdef MOTE_NO_ERROR_TEXT
  (void)s;
  return "";
#else
  switch (s) {
#define MOTE_STATUS_TEXT_(name, text) \
  case MOTE_##name:                   \
    return text;
    MOTE_STATUS_MAP(MOTE_STATUS_TEXT_)
#undef MOTE_STATUS_TEXT_
    default:
      return "unknown status";
  }
#endif
}

const char *mote_status_name(mote_status s) {
#ifdef MOTE_NO_ERROR_TEXT
  (void)s;
  return "";
#else
  switch (s) {
#define MOTE_STATUS_NAME_(name, text) \
  case MOTE_##name:                   \
    return #name;
    MOTE_STATUS_MAP(MOTE_STATUS_NAME_)
#undef MOTE_STATUS_NAME_
    default:
      return "UNKNOWN";
  }
#endif
}

size_t mote_dtype_size(mote_dtype t) {
  switch (t) {
    case MOTE_FLOAT32:
    case MOTE_INT32:
    case MOTE_UINT32:
      return 4;
    case MOTE_FLOAT16:
    case MOTE_INT16:
    case MOTE_UINT16:
      return 2;
    case MOTE_UINT8:
    case MOTE_INT8:
    case MOTE_BOOL:
      return 1;
    case MOTE_INT64:
    case MOTE_FLOAT64:
    case MOTE_UINT64:
    case MOTE_COMPLEX64:
      return 8;
    case MOTE_COMPLEX128:
      return 16;
    default:
      return 0;
  }
}

const char *mote_dtype_name(mote_dtype t) {
  static const char *const names[] = {
      "float32", "float16",  "int32",     "uint8",  "int64",   "string",
      "bool",    "int16",    "complex64", "int8",   "float64", "complex128",
      "uint64",  "resource", "variant",   "uint32", "uint16",  "int4"};
  unsigned i = (unsigned)t;
  return i < sizeof names / sizeof names[0] ? names[i] : "unknown";
}

float mote_tensor_scale(const mote_tensor *t, uint32_t c) {
  if (!t->scales_le || c >= t->nscale) return 0.0f;
  const uint8_t *p = t->scales_le + 4u * c;
  uint32_t u = (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
               ((uint32_t)p[3] << 24);
  float f;
  memcpy(&f, &u, sizeof f);
  return f;
}

int32_t mote_tensor_zero_point(const mote_tensor *t, uint32_t c) {
  if (!t->zeros_le || c >= t->nzero) return 0;
  const uint8_t *p = t->zeros_le + 8u * c;
  uint64_t u = 0;
  for (int i = 7; i >= 0; i--) u = (u << 8) | p[i];
  int64_t v = (int64_t)u;
  if (v > INT32_MAX) return INT32_MAX;
  if (v < INT32_MIN) return INT32_MIN;
  return (int32_t)v;
}
