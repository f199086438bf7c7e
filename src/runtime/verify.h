/* verify.h: structural verification of TFLite flatbuffer bytes. */
#ifndef MOTE_VERIFY_H
#define MOTE_VERIFY_H

#include "fb_reader.h"
#include "mote/mote.h"

#define MOTE_VTRY(expr)               \
  do {                                \
    mote_status vst_ = (expr);        \
    if (vst_ != MOTE_OK) return vst_; \
  } while (0)

/*
** Verify every table, vtable, offset, vector, string and alignment of a
** TFLite model. On success *root is the Model table. On failure err (if
** not NULL) gets status, fb_offset and what.
*/
mote_status mote_fb_verify(const uint8_t *fb, size_t len, mote_error *err,
                           fb_table *root);

#endif
