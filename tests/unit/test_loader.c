/*
** test_loader.c: what the loader tolerates, what it refuses (each with its
** own status), and how the planner shares memory.
*/
#include "model_harness.h"

static const int32_t kShape4[] = {1, 4};

/* RELU model x -> y on float [1,4]; returns the writer (inputs 0, out 1). */
static tflw *relu_model(int32_t in_type) {
  tflw *w = tflw_new();
  int x = tflw_tensor_q(w, in_type, kShape4, 2, "x", 0, 0);
  int y = tflw_tensor_q(w, in_type, kShape4, 2, "y", 0, 0);
  int32_t in[] = {x}, out[] = {y};
  tflw_op(w, TFL_OP_RELU, 1, in, 1, out, 1, 0, NULL, 0);
  tflw_io(w, in, 1, out, 1);
  return w;
}

static void test_tolerated(void) {
  mh_case = "shared constant buffer";
  {
    /* y = x + c1 + c2 where c1 and c2 share one buffer. */
    tflw *w = tflw_new();
    float cdata[4] = {1, 2, 3, 4};
    int buf = tflw_buffer(w, cdata, sizeof cdata);
    tflw_tensor_desc d = {0};
    d.type = MOTE_FLOAT32;
    d.shape = kShape4;
    d.rank = 2;
    d.buffer = (uint32_t)buf;
    d.name = "c1";
    int c1 = tflw_tensor(w, &d);
    d.name = "c2";
    int c2 = tflw_tensor(w, &d);
    int x = tflw_tensor_q(w, MOTE_FLOAT32, kShape4, 2, "x", 0, 0);
    int t = tflw_tensor_q(w, MOTE_FLOAT32, kShape4, 2, "t", 0, 0);
    int y = tflw_tensor_q(w, MOTE_FLOAT32, kShape4, 2, "y", 0, 0);
    int32_t a_in[] = {x, c1}, a_out[] = {t}, b_in[] = {t, c2}, b_out[] = {y};
    tflw_op(w, TFL_OP_ADD, 1, a_in, 2, a_out, 1, 0, NULL, 0);
    tflw_op(w, TFL_OP_ADD, 1, b_in, 2, b_out, 1, 0, NULL, 0);
    int32_t gi[] = {x}, go[] = {y};
    tflw_io(w, gi, 1, go, 1);
    float xin[4] = {10, 20, 30, 40};
    const void *ins[] = {xin};
    mh_run r;
    if (mh_run_model(&r, w, ins)) {
      const float *o = mh_out(&r, 0).data;
      MH_CHECK(o[0] == 12 && o[3] == 48, "got %g %g", (double)o[0],
               (double)o[3]);
    }
    mh_free(&r);
  }
  mh_case = "shape_signature -1";
  {
    tflw *w = tflw_new();
    int32_t sig[] = {-1, 4};
    tflw_tensor_desc d = {0};
    d.type = MOTE_FLOAT32;
    d.shape = kShape4;
    d.rank = 2;
    d.shape_signature = sig;
    d.has_shape_signature = 1;
    d.name = "x";
    int x = tflw_tensor(w, &d);
    d.name = "y";
    int y = tflw_tensor(w, &d);
    int32_t in[] = {x}, out[] = {y};
    tflw_op(w, TFL_OP_RELU, 1, in, 1, out, 1, 0, NULL, 0);
    tflw_io(w, in, 1, out, 1);
    tflw_min_runtime_version(w, "2.3.0");
    tflw_description(w, "with metadata");
    float xin[4] = {-1, 2, -3, 4};
    const void *ins[] = {xin};
    mh_run r;
    if (mh_run_model(&r, w, ins)) {
      mote_tensor o = mh_out(&r, 0);
      const float *v = o.data;
      MH_CHECK(o.ndim == 2 && o.dims[0] == 1 && v[0] == 0 && v[1] == 2,
               "shape/values from `shape`, not `shape_signature`");
    }
    mh_free(&r);
  }
}

static void test_refused(void) {
  mote_error err;
  mh_case = "external buffer";
  {
    tflw *w = relu_model(MOTE_FLOAT32);
    int b = tflw_external_buffer(w, 4096, 16);
    tflw_tensor_desc d = {0};
    d.type = MOTE_FLOAT32;
    d.shape = kShape4;
    d.rank = 2;
    d.buffer = (uint32_t)b;
    d.name = "outside";
    tflw_tensor(w, &d);
    mh_expect_load_fail(w, MOTE_E_EXTERNAL_BUFFER, &err);
    MH_CHECK(err.tensor_index == 2, "tensor %d named", err.tensor_index);
  }
  mh_case = "schema version";
  {
    tflw *w = relu_model(MOTE_FLOAT32);
    tflw_set_version(w, 2);
    mh_expect_load_fail(w, MOTE_E_UNSUPPORTED, NULL);
  }
  mh_case = "rank 7";
  {
    tflw *w = relu_model(MOTE_FLOAT32);
    int32_t s7[] = {1, 1, 1, 1, 1, 1, 4};
    tflw_tensor_q(w, MOTE_FLOAT32, s7, 7, "deep", 0, 0);
    mh_expect_load_fail(w, MOTE_E_UNSUPPORTED, &err);
    MH_CHECK(err.tensor_index == 2, "tensor %d named", err.tensor_index);
  }
  mh_case = "negative dimension";
  {
    tflw *w = relu_model(MOTE_FLOAT32);
    int32_t s[] = {-1, 4};
    tflw_tensor_q(w, MOTE_FLOAT32, s, 2, "neg", 0, 0);
    mh_expect_load_fail(w, MOTE_E_BAD_SHAPE, NULL);
  }
  mh_case = "element count overflow";
  {
    tflw *w = relu_model(MOTE_FLOAT32);
    int32_t s[] = {65536, 65536, 4};
    tflw_tensor_q(w, MOTE_FLOAT32, s, 3, "huge", 0, 0);
    mh_expect_load_fail(w, MOTE_E_OVERFLOW, NULL);
  }
  mh_case = "zero dimension hiding an overflow";
  {
    tflw *w = relu_model(MOTE_FLOAT32);
    int32_t s[] = {0, 65536, 65536};
    tflw_tensor_q(w, MOTE_FLOAT32, s, 3, "empty_but_huge", 0, 0);
    mh_expect_load_fail(w, MOTE_E_OVERFLOW, NULL);
  }
  mh_case = "constant buffer size";
  {
    tflw *w = relu_model(MOTE_FLOAT32);
    float three[3] = {1, 2, 3};
    tflw_tensor_desc d = {0};
    d.type = MOTE_FLOAT32;
    d.shape = kShape4;
    d.rank = 2;
    d.name = "short";
    tflw_const_tensor(w, &d, three, sizeof three);
    mh_expect_load_fail(w, MOTE_E_BAD_BUFFER, NULL);
  }
  mh_case = "zero point outside int8";
  {
    tflw *w = tflw_new();
    int x = tflw_tensor_q(w, MOTE_INT8, kShape4, 2, "x", 0.5f, 200);
    int y = tflw_tensor_q(w, MOTE_INT8, kShape4, 2, "y", 0.5f, 0);
    int32_t in[] = {x}, out[] = {y};
    tflw_op(w, TFL_OP_RELU, 1, in, 1, out, 1, 0, NULL, 0);
    tflw_io(w, in, 1, out, 1);
    mh_expect_load_fail(w, MOTE_E_BAD_QUANT, NULL);
  }
  mh_case = "op writes a graph input";
  {
    tflw *w = tflw_new();
    int x = tflw_tensor_q(w, MOTE_FLOAT32, kShape4, 2, "x", 0, 0);
    int y = tflw_tensor_q(w, MOTE_FLOAT32, kShape4, 2, "y", 0, 0);
    int32_t in[] = {y}, out[] = {x}, gi[] = {x, y}, go[] = {x};
    tflw_op(w, TFL_OP_RELU, 1, in, 1, out, 1, 0, NULL, 0);
    tflw_io(w, gi, 2, go, 1);
    mh_expect_load_fail(w, MOTE_E_BAD_MODEL, NULL);
  }
  mh_case = "input read before it is written";
  {
    tflw *w = tflw_new();
    int x = tflw_tensor_q(w, MOTE_FLOAT32, kShape4, 2, "x", 0, 0);
    int t = tflw_tensor_q(w, MOTE_FLOAT32, kShape4, 2, "t", 0, 0);
    int y = tflw_tensor_q(w, MOTE_FLOAT32, kShape4, 2, "y", 0, 0);
    int32_t a_in[] = {t}, a_out[] = {y}, b_in[] = {x}, b_out[] = {t};
    tflw_op(w, TFL_OP_RELU, 1, a_in, 1, a_out, 1, 0, NULL, 0);
    tflw_op(w, TFL_OP_RELU, 1, b_in, 1, b_out, 1, 0, NULL, 0);
    int32_t gi[] = {x}, go[] = {y};
    tflw_io(w, gi, 1, go, 1);
    mh_expect_load_fail(w, MOTE_E_BAD_MODEL, &err);
    MH_CHECK(err.op_index == 0 && err.tensor_index == t, "op %d tensor %d",
             err.op_index, err.tensor_index);
  }
  mh_case = "raw bytes";
  {
    uint8_t junk[64];
    memset(junk, 0, sizeof junk);
    MH_CHECK(mote_arena_required(junk, 4, NULL, NULL, NULL) == MOTE_E_TRUNCATED,
             "4 bytes");
    MH_CHECK(mote_arena_required(junk, sizeof junk, NULL, NULL, NULL) ==
                 MOTE_E_BAD_IDENTIFIER,
             "zeros");
    MH_CHECK(mote_arena_required(NULL, 0, NULL, NULL, NULL) == MOTE_E_ARG,
             "NULL");
  }
}

/* Chain x -> RESHAPE -> RELU -> RELU -> y on int8 [1,256]: reshape aliases
 * its input and the RELUs run in place, so one buffer holds everything. */
static void test_sharing(void) {
  mh_case = "planner sharing";
  tflw *w = tflw_new();
  int32_t s1[] = {1, 256}, s2[] = {16, 16}, shp[] = {2}, sv[] = {16, 16};
  int x = tflw_tensor_q(w, MOTE_INT8, s1, 2, "x", 0.1f, 0);
  int r = tflw_tensor_q(w, MOTE_INT8, s2, 2, "r", 0.1f, 0);
  int a = tflw_tensor_q(w, MOTE_INT8, s2, 2, "a", 0.1f, 0);
  int y = tflw_tensor_q(w, MOTE_INT8, s2, 2, "y", 0.1f, 0);
  tflw_tensor_desc d = {0};
  d.type = MOTE_INT32;
  d.shape = shp;
  d.rank = 1;
  d.name = "shape";
  int sc = tflw_const_tensor(w, &d, sv, sizeof sv);
  int32_t r_in[] = {x, sc}, r_out[] = {r}, a_in[] = {r}, a_out[] = {a},
          b_in[] = {a}, b_out[] = {y};
  tflw_op(w, TFL_OP_RESHAPE, 1, r_in, 2, r_out, 1, 0, NULL, 0);
  tflw_op(w, TFL_OP_RELU, 1, a_in, 1, a_out, 1, 0, NULL, 0);
  tflw_op(w, TFL_OP_RELU, 1, b_in, 1, b_out, 1, 0, NULL, 0);
  int32_t gi[] = {x}, go[] = {y};
  tflw_io(w, gi, 1, go, 1);
  int8_t xin[256];
  for (int i = 0; i < 256; i++) xin[i] = (int8_t)(i - 128);
  const void *ins[] = {xin};
  mh_run run;
  if (mh_run_model(&run, w, ins)) {
    MH_CHECK(run.m.plan_bytes == 256, "planned %zu bytes, want 256",
             run.m.plan_bytes);
    const int8_t *o = mh_out(&run, 0).data;
    int ok = 1;
    for (int i = 0; i < 256; i++) ok &= o[i] == (xin[i] < 0 ? 0 : xin[i]);
    MH_CHECK(ok, "in-place RELU result");
    /* A second invoke on fresh input gives the same answer. */
    MH_CHECK(mh_invoke(&run, ins) == MOTE_OK, "second invoke");
  }
  mh_free(&run);
}

int main(void) {
  test_tolerated();
  test_refused();
  test_sharing();
  return mh_report();
}
