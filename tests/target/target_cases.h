/* What the build embeds into a conformance firmware: one model, and per
** case its input and expected output tensors (raw little-endian bytes). The
** definitions are generated per model by target_tests.cmake. */
#ifndef MOTE_TARGET_CASES_H
#define MOTE_TARGET_CASES_H

#include <stdint.h>

typedef struct {
  const uint8_t *begin;
  const uint8_t *end;
} mote_target_blob;

typedef struct {
  const char *name;
  const mote_target_blob *inputs;
  uint32_t input_count;
  const mote_target_blob *outputs;
  uint32_t output_count;
} mote_target_case;

typedef struct {
  const char *name;
  mote_target_blob model;
  const mote_target_case *cases;
  uint32_t case_count;
} mote_target_model;

extern const mote_target_model mote_target;

#endif
