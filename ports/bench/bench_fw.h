/* What ports/bench/CMakeLists.txt generates per model for bench_fw.c: the
** model, one case's inputs and golden outputs, and an op table listing only
** the ops the model uses. */
#ifndef MOTE_BENCH_FW_H
#define MOTE_BENCH_FW_H

#include <stdint.h>

#include "mote/mote.h"

typedef struct {
  const uint8_t *begin;
  const uint8_t *end;
} bench_blob;

extern const bench_blob bench_model_blob;
extern const char bench_model_name[];
extern const bench_blob bench_in[], bench_out[];
extern const uint32_t bench_in_count, bench_out_count;
extern const mote_op_table bench_ops;

#endif
