/*
** test_model_errors.c: model-level failures and runtime behaviour that no
** single operator owns: unknown and custom operators (named in the
** error), an op table without the model's op, a required input given as
** -1, wrong input types, arena sizing (exact size works, one block less
** fails with the size needed, misaligned arena refused), multi-operator
** graphs (planner reuse, repeated invoke) and the error text.
*/
#include "model_harness.h"

/* A RELU int8 model: x -> RELU -> y (shape [n]). */
static tflw *relu_model(int n, int32_t type) {
  tflw *w = tflw_new();
  int32_t s[] = {n};
  int x = mh_t(w, type, s, 1, type == MOTE_FLOAT32 ? 0 : 0.1f, 0);
  int y = mh_t(w, type, s, 1, type == MOTE_FLOAT32 ? 0 : 0.1f, 0);
  tflw_op(w, TFL_OP_RELU, 1, &x, 1, &y, 1, 0, NULL, 0);
  tflw_io(w, &x, 1, &y, 1);
  return w;
}

static void test_unknown_builtin(void) {
  mh_case = "unknown builtin GELU";
  tflw *w = tflw_new();
  int32_t s[] = {4};
  int x = mh_t(w, MOTE_FLOAT32, s, 1, 0, 0);
  int y = mh_t(w, MOTE_FLOAT32, s, 1, 0, 0);
  int z = mh_t(w, MOTE_FLOAT32, s, 1, 0, 0);
  tflw_op(w, TFL_OP_RELU, 1, &x, 1, &y, 1, 0, NULL, 0);
  tflw_op(w, 150, 1, &y, 1, &z, 1, 0, NULL, 0); /* GELU */
  tflw_io(w, &x, 1, &z, 1);
  mote_error err;
  mh_expect_load_fail(w, MOTE_E_UNSUPPORTED, &err);
  MH_CHECK(err.op_name && strcmp(err.op_name, "GELU") == 0,
           "op_name '%s' want GELU", err.op_name ? err.op_name : "(null)");
  MH_CHECK(err.op_index == 1, "op_index %d want 1", err.op_index);
  char buf[256];
  mote_error_format(&err, buf, sizeof buf);
  MH_CHECK(strstr(buf, "GELU") != NULL, "formatted error names GELU: %s", buf);

  mh_case = "builtin code beyond the schema";
  w = tflw_new();
  x = mh_t(w, MOTE_FLOAT32, s, 1, 0, 0);
  y = mh_t(w, MOTE_FLOAT32, s, 1, 0, 0);
  tflw_op(w, 4000, 1, &x, 1, &y, 1, 0, NULL, 0);
  tflw_io(w, &x, 1, &y, 1);
  mh_expect_load_fail(w, MOTE_E_UNSUPPORTED, &err);
  MH_CHECK(err.op_name != NULL, "op_name set");

  mh_case = "custom op";
  w = tflw_new();
  x = mh_t(w, MOTE_FLOAT32, s, 1, 0, 0);
  y = mh_t(w, MOTE_FLOAT32, s, 1, 0, 0);
  tflw_op_desc d;
  memset(&d, 0, sizeof d);
  d.builtin_code = TFL_OP_CUSTOM;
  d.custom_code = "MyCustomOp";
  d.inputs = &x;
  d.ninputs = 1;
  d.outputs = &y;
  d.noutputs = 1;
  tflw_op_ex(w, &d);
  tflw_io(w, &x, 1, &y, 1);
  mh_expect_load_fail(w, MOTE_E_UNSUPPORTED, &err);
  MH_CHECK(err.op_name && strcmp(err.op_name, "MyCustomOp") == 0,
           "op_name '%s' want MyCustomOp",
           err.op_name ? err.op_name : "(null)");
}

static void test_op_table(void) {
  mh_case = "op table without the op";
  size_t len;
  uint8_t *fb = mh_finish(relu_model(8, MOTE_INT8), &len);
  static const struct mote_op_reg *const only_add[] = {&mote_op_ADD};
  static const mote_op_table add_table = {only_add, 1, MOTE_ISA_AUTO, NULL, 0};
  size_t need = 0;
  mote_error err;
  mote_status st = mote_arena_required(fb, len, &add_table, &need, &err);
  MH_CHECK(st == MOTE_E_UNSUPPORTED, "got %s", mote_status_name(st));
  MH_CHECK(err.op_name && strcmp(err.op_name, "RELU") == 0, "names RELU");
  static const struct mote_op_reg *const with_relu[] = {&mote_op_ADD,
                                                        &mote_op_RELU};
  static const mote_op_table relu_table = {with_relu, 2, MOTE_ISA_AUTO, NULL,
                                           0};
  st = mote_arena_required(fb, len, &relu_table, &need, &err);
  MH_CHECK(st == MOTE_OK, "table with RELU: %s", mote_status_name(st));
  free(fb);
}

static void test_arena(void) {
  mh_case = "arena sizing";
  size_t len;
  uint8_t *fb = mh_finish(relu_model(100, MOTE_INT8), &len);
  size_t need = 0;
  MH_CHECK(
      mote_arena_required(fb, len, NULL, &need, NULL) == MOTE_OK && need > 0,
      "arena_required");
  uint8_t *arena = aligned_alloc(64, (need + 127) & ~(size_t)63);
  mote_model m;
  mote_status st = mote_model_init(&m, fb, len, NULL, arena, need);
  MH_CHECK(st == MOTE_OK, "exact size: %s", mote_status_name(st));
  MH_CHECK(mote_model_arena_used(&m) <= need, "used %zu <= %zu",
           mote_model_arena_used(&m), need);
  st = mote_model_init(&m, fb, len, NULL, arena, need - MOTE_ARENA_ALIGN);
  MH_CHECK(st == MOTE_E_ARENA_TOO_SMALL, "one block less: %s",
           mote_status_name(st));
  MH_CHECK(m.err.expected == (int64_t)need, "err.expected %lld want %zu",
           (long long)m.err.expected, need);
  st = mote_model_init(&m, fb, len, NULL, arena + 1, need);
  MH_CHECK(st == MOTE_E_ARG, "misaligned arena: %s", mote_status_name(st));
  MH_CHECK(mote_model_invoke(&m) == MOTE_E_NOT_READY, "not ready");
  mote_tensor t;
  MH_CHECK(mote_model_input(&m, 0, &t) == MOTE_E_NOT_READY, "input view");
  free(arena);
  free(fb);
}

/* FC -> RELU -> ADD (with the FC output again): planner must keep the FC
 * output alive for the ADD; values checked, invoke twice. */
static void test_multi_op(void) {
  mh_case = "multi-op float graph";
  tflw *w = tflw_new();
  int32_t xs[] = {2, 3}, ws[] = {4, 3}, ys[] = {2, 4};
  float wd[12];
  for (int i = 0; i < 12; i++) wd[i] = (float)mh_randf(-1, 1);
  int x = mh_t(w, MOTE_FLOAT32, xs, 2, 0, 0);
  int wt = mh_const(w, MOTE_FLOAT32, ws, 2, 0, 0, wd, sizeof wd);
  int a = mh_t(w, MOTE_FLOAT32, ys, 2, 0, 0);
  int b = mh_t(w, MOTE_FLOAT32, ys, 2, 0, 0);
  int c = mh_t(w, MOTE_FLOAT32, ys, 2, 0, 0);
  tflw_op(w, TFL_OP_FULLY_CONNECTED, 1, (int32_t[]){x, wt, -1}, 3, &a, 1,
          TFL_OPT_FULLY_CONNECTED, NULL, 0);
  tflw_op(w, TFL_OP_RELU, 1, &a, 1, &b, 1, 0, NULL, 0);
  tflw_op(w, TFL_OP_ADD, 1, (int32_t[]){b, a}, 2, &c, 1, TFL_OPT_ADD, NULL, 0);
  tflw_io(w, &x, 1, &c, 1);
  float xin[6];
  for (int i = 0; i < 6; i++) xin[i] = (float)mh_randf(-2, 2);
  double want[8];
  for (int bi = 0; bi < 2; bi++)
    for (int u = 0; u < 4; u++) {
      double acc = 0;
      for (int k = 0; k < 3; k++) acc += xin[bi * 3 + k] * wd[u * 3 + k];
      want[bi * 4 + u] = (acc > 0 ? acc : 0) + acc;
    }
  const void *ins[] = {xin};
  mh_run r;
  if (mh_run_model(&r, w, ins)) {
    mote_tensor t = mh_out(&r, 0);
    mh_expect_floats("first invoke", t.data, want, 8, 1e-6);
    MH_CHECK(mh_invoke(&r, ins) == MOTE_OK, "second invoke");
    t = mh_out(&r, 0);
    mh_expect_floats("second invoke", t.data, want, 8, 1e-6);
    MH_CHECK(mote_model_op_count(&r.m) == 3, "3 ops");
  }
  mh_free(&r);
}

static void test_bad_inputs(void) {
  int32_t s[] = {2, 3}, ws[] = {4, 3}, ys[] = {2, 4};
  /* required weights given as -1 */
  mh_case = "fc weights absent (-1)";
  tflw *w = tflw_new();
  int x = mh_t(w, MOTE_FLOAT32, s, 2, 0, 0);
  int y = mh_t(w, MOTE_FLOAT32, ys, 2, 0, 0);
  tflw_op(w, TFL_OP_FULLY_CONNECTED, 1, (int32_t[]){x, -1, -1}, 3, &y, 1,
          TFL_OPT_FULLY_CONNECTED, NULL, 0);
  tflw_io(w, &x, 1, &y, 1);
  size_t len;
  uint8_t *fb = mh_finish(w, &len);
  mh_run r;
  mote_status st = mh_load(&r, fb, len);
  MH_CHECK(st == MOTE_E_BAD_MODEL || st == MOTE_E_BAD_TENSOR_INDEX,
           "expected BAD_MODEL/BAD_TENSOR_INDEX, got %s", mote_status_name(st));
  mh_free(&r);

  /* too few inputs */
  mh_case = "add with one input";
  w = tflw_new();
  x = mh_t(w, MOTE_FLOAT32, s, 2, 0, 0);
  y = mh_t(w, MOTE_FLOAT32, s, 2, 0, 0);
  tflw_op(w, TFL_OP_ADD, 1, &x, 1, &y, 1, TFL_OPT_ADD, NULL, 0);
  tflw_io(w, &x, 1, &y, 1);
  mh_expect_load_fail(w, MOTE_E_BAD_MODEL, NULL);

  /* RELU of int32: not a RELU type in TFLM */
  mh_case = "relu int32";
  fb = mh_finish(relu_model(4, MOTE_INT32), &len);
  st = mh_load(&r, fb, len);
  MH_CHECK(st == MOTE_E_UNSUPPORTED || st == MOTE_E_BAD_TYPE,
           "expected UNSUPPORTED/BAD_TYPE, got %s", mote_status_name(st));
  mh_free(&r);

  /* RELU whose output type differs from its input */
  mh_case = "relu int8 -> int16";
  w = tflw_new();
  x = mh_t(w, MOTE_INT8, s, 2, 0.1f, 0);
  y = mh_t(w, MOTE_INT16, s, 2, 0.1f, 0);
  tflw_op(w, TFL_OP_RELU, 1, &x, 1, &y, 1, 0, NULL, 0);
  tflw_io(w, &x, 1, &y, 1);
  fb = mh_finish(w, &len);
  st = mh_load(&r, fb, len);
  MH_CHECK(st == MOTE_E_BAD_TYPE || st == MOTE_E_UNSUPPORTED,
           "expected BAD_TYPE/UNSUPPORTED, got %s", mote_status_name(st));
  mh_free(&r);

  /* FC weights with a rank that is not 2 */
  mh_case = "fc weights rank 3";
  w = tflw_new();
  float wd[12] = {0};
  int32_t w3[] = {4, 3, 1};
  x = mh_t(w, MOTE_FLOAT32, s, 2, 0, 0);
  int wt = mh_const(w, MOTE_FLOAT32, w3, 3, 0, 0, wd, sizeof wd);
  y = mh_t(w, MOTE_FLOAT32, ys, 2, 0, 0);
  (void)ws;
  tflw_op(w, TFL_OP_FULLY_CONNECTED, 1, (int32_t[]){x, wt, -1}, 3, &y, 1,
          TFL_OPT_FULLY_CONNECTED, NULL, 0);
  tflw_io(w, &x, 1, &y, 1);
  mh_expect_load_fail(w, MOTE_E_BAD_SHAPE, NULL);
}

int main(void) {
  test_unknown_builtin();
  test_op_table();
  test_arena();
  test_multi_op();
  test_bad_inputs();
  return mh_report();
}
