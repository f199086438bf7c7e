/*
** test_int8_ops.c: the int8-only op registrations (mote_op_*_INT8).
**
** usage: test_int8_ops SHARED_DIR
**
** 1. Golden cases of int8 models (CONV_2D, DEPTHWISE_CONV_2D,
**    FULLY_CONNECTED, AVERAGE_POOL_2D, SOFTMAX, ADD) run through a table
**    of only int8-only registrations (+ RESHAPE) and match bit for bit.
** 2. Float and hybrid models through the same table are refused at init
**    with MOTE_E_UNSUPPORTED naming the op and an int8-expected tensor.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_io.h"
#include "mote/mote_ops.h"

static const struct mote_op_reg *const int8_ops[] = {
    &mote_op_ADD_INT8,
    &mote_op_AVERAGE_POOL_2D_INT8,
    &mote_op_CONV_2D_INT8,
    &mote_op_DEPTHWISE_CONV_2D_INT8,
    &mote_op_FULLY_CONNECTED_INT8,
    &mote_op_SOFTMAX_INT8,
    &mote_op_RESHAPE,
};
static const mote_op_table int8_table = {
    int8_ops, (uint32_t)(sizeof int8_ops / sizeof int8_ops[0]), MOTE_ISA_AUTO,
    NULL, 0};

static int passed, failed;

#define CHECK(cond, ...)                          \
  do {                                            \
    if (cond) {                                   \
      passed++;                                   \
    } else {                                      \
      failed++;                                   \
      printf("FAIL %s:%d: ", __FILE__, __LINE__); \
      printf(__VA_ARGS__);                        \
      printf("\n");                               \
    }                                             \
  } while (0)

static uint8_t *read_rel(const char *dir, const char *rel, size_t *len) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", dir, rel);
  return host_read_file(path, len);
}

/* Init with `t` in an arena of exactly the required size. */
static mote_status init(mote_model *m, const uint8_t *fb, size_t len,
                        const mote_op_table *t, uint8_t **arena) {
  size_t need = 0;
  mote_error e;
  *arena = NULL;
  mote_status st = mote_arena_required(fb, len, t, &need, &e);
  if (st != MOTE_OK) {
    memset(m, 0, sizeof *m);
    m->err = e;
    return st;
  }
  *arena = (uint8_t *)aligned_alloc(16, (need + 15) & ~(size_t)15);
  return mote_model_init(m, fb, len, t, *arena, need);
}

/* One golden case (one input, one output) through the int8-only table. */
static void golden(const char *shared, const char *stem) {
  char rel[512];
  size_t len = 0, in_len = 0, out_len = 0;
  snprintf(rel, sizeof rel, "models/mlperf_tiny/%s.tflite", stem);
  uint8_t *fb = read_rel(shared, rel, &len);
  snprintf(rel, sizeof rel, "conformance/%s/rand_s1_in0.bin", stem);
  uint8_t *in = read_rel(shared, rel, &in_len);
  snprintf(rel, sizeof rel, "conformance/%s/rand_s1_out0.bin", stem);
  uint8_t *want = read_rel(shared, rel, &out_len);
  CHECK(fb && in && want, "%s: model or vectors missing in %s", stem, shared);
  if (fb && in && want) {
    mote_model m;
    uint8_t *arena = NULL;
    mote_status st = init(&m, fb, len, &int8_table, &arena);
    CHECK(st == MOTE_OK, "%s: init %s (%s)", stem, mote_status_str(st),
          m.err.what ? m.err.what : "");
    if (st == MOTE_OK) {
      mote_tensor ti, to;
      mote_model_input(&m, 0, &ti);
      CHECK(ti.bytes == in_len, "%s: input bytes", stem);
      if (ti.bytes == in_len) memcpy(ti.data, in, in_len);
      CHECK(mote_model_invoke(&m) == MOTE_OK, "%s: invoke", stem);
      mote_model_output(&m, 0, &to);
      CHECK(to.bytes == out_len && memcmp(to.data, want, out_len) == 0,
            "%s: output differs from the golden vector", stem);
    }
    free(arena);
  }
  free(fb);
  free(in);
  free(want);
}

/* A non-int8 model through the int8-only table: refused at init. */
static void refused(const char *shared, const char *file, const char *op) {
  size_t len = 0;
  uint8_t *fb = read_rel(shared, file, &len);
  CHECK(fb != NULL, "%s missing", file);
  if (!fb) return;
  mote_model m;
  uint8_t *arena = NULL;
  mote_status st = init(&m, fb, len, &int8_table, &arena);
  CHECK(st == MOTE_E_UNSUPPORTED, "%s: status %s, want MOTE_E_UNSUPPORTED",
        file, mote_status_str(st));
  CHECK(m.err.op_name && strcmp(m.err.op_name, op) == 0,
        "%s: error names op %s, want %s", file,
        m.err.op_name ? m.err.op_name : "(none)", op);
  CHECK(m.err.tensor_index >= 0 && m.err.expected == MOTE_INT8 &&
            m.err.got != MOTE_INT8,
        "%s: error names tensor %d, type %lld (int8 expected)", file,
        (int)m.err.tensor_index, (long long)m.err.got);
  free(arena);
  free(fb);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: test_int8_ops SHARED_DIR\n");
    return 2;
  }
  golden(argv[1], "kws_ref_model");          /* CONV, DW, AVG, FC, SOFTMAX */
  golden(argv[1], "pretrainedResnet_quant"); /* CONV, ADD, AVG, FC, SOFTMAX */
  golden(argv[1], "ad01_int8");              /* FC */
  golden(argv[1], "vww_96_int8");
  refused(argv[1], "models/mlperf_tiny/kws_ref_model_float32.tflite",
          "CONV_2D"); /* hybrid: float32 input */
  refused(argv[1], "models/mlperf_tiny/ad01_fp32.tflite", "FULLY_CONNECTED");
  refused(argv[1], "models/mlperf_tiny/pretrainedResnet.tflite", "CONV_2D");
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
