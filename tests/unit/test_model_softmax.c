/*
** test_model_softmax.c: SOFTMAX with beta != 1 through whole models.
**
** Reference: the real-number softmax exp(beta * s * (x - max)) / sum over
** the last axis, in double. Float outputs must agree to 1e-6. Quantized
** outputs are compared with the ideal round(p / out_scale) + zero_point
** within a small tolerance: TFLite computes them in fixed point (gemmlowp
** exp for int8, lookup tables for int16), which is not bit-identical to
** the real-number result (int16: up to ~0.1% near p = 1 from the LUTs;
** the golden vectors check those bit for bit); the tolerance is far
** smaller than what a wrong beta, scale or axis would give (each case
** checks that beta = 1 would fail it). Output quantizations are the ones
** TFLM requires.
*/
#include "model_harness.h"

typedef struct sm_case {
  const char *name;
  int32_t in_type, out_type;
  int rank;
  int32_t shape[4];
  float beta;
  float in_scale;
  int32_t in_zp;
  int64_t tol;
} sm_case;

static void ref_softmax(const sm_case *c, const void *x, size_t outer,
                        size_t depth, double beta, double *p) {
  for (size_t o = 0; o < outer; o++) {
    double v[64], mx = -1e300, sum = 0;
    for (size_t k = 0; k < depth; k++) {
      size_t i = o * depth + k;
      v[k] = c->in_type == MOTE_FLOAT32
                 ? (double)((const float *)x)[i]
                 : (double)c->in_scale *
                       (double)(mh_get(x, i, c->in_type) - c->in_zp);
      if (v[k] > mx) mx = v[k];
    }
    for (size_t k = 0; k < depth; k++) sum += exp(beta * (v[k] - mx));
    for (size_t k = 0; k < depth; k++)
      p[o * depth + k] = exp(beta * (v[k] - mx)) / sum;
  }
}

static void run_softmax(const sm_case *c) {
  mh_case = c->name;
  size_t n = 1;
  for (int i = 0; i < c->rank; i++) n *= (size_t)c->shape[i];
  size_t depth = (size_t)c->shape[c->rank - 1], outer = n / depth;
  float out_scale = 0;
  int32_t out_zp = 0, qmin = 0, qmax = 0;
  if (c->out_type == MOTE_INT8) {
    out_scale = 1.0f / 256;
    out_zp = -128;
    qmin = -128;
    qmax = 127;
  } else if (c->out_type == MOTE_INT16) {
    out_scale = c->in_type == MOTE_INT8 ? 1.0f / 65536 : 1.0f / 32768;
    out_zp = c->in_type == MOTE_INT8 ? -32768 : 0;
    qmin = -32768;
    qmax = 32767;
  }
  void *x = malloc(n * 4);
  for (size_t i = 0; i < n; i++) {
    if (c->in_type == MOTE_FLOAT32)
      ((float *)x)[i] = (float)mh_randf(-6, 6);
    else if (c->in_type == MOTE_INT8)
      ((int8_t *)x)[i] = (int8_t)mh_randi(-128, 127);
    else
      ((int16_t *)x)[i] = (int16_t)mh_randi(-32768, 32767);
  }
  tflw *w = tflw_new();
  int quant = c->in_type != MOTE_FLOAT32;
  int ti = mh_t(w, c->in_type, c->shape, (uint32_t)c->rank,
                quant ? c->in_scale : 0, c->in_zp);
  int to = mh_t(w, c->out_type, c->shape, (uint32_t)c->rank, out_scale, out_zp);
  tflw_op(w, TFL_OP_SOFTMAX, quant ? 2 : 1, &ti, 1, &to, 1, TFL_OPT_SOFTMAX,
          (tflw_opt[]){TFLW_F32(0, c->beta)}, 1);
  tflw_io(w, &ti, 1, &to, 1);

  double *p = malloc(n * 8), *p1 = malloc(n * 8);
  int64_t *want = malloc(n * 8);
  ref_softmax(c, x, outer, depth, (double)c->beta, p);
  ref_softmax(c, x, outer, depth, 1.0, p1);
  int64_t beta1_diff = 0;
  for (size_t i = 0; i < n; i++) {
    if (!quant) continue;
    want[i] = ref_quant(p[i], (double)out_scale, out_zp, qmin, qmax);
    int64_t d =
        ref_quant(p1[i], (double)out_scale, out_zp, qmin, qmax) - want[i];
    if (d < 0) d = -d;
    if (d > beta1_diff) beta1_diff = d;
  }
  if (quant)
    MH_CHECK(beta1_diff > 4 * c->tol, "beta matters beyond the tolerance");
  const void *ins[] = {x};
  mh_run r;
  if (mh_run_model(&r, w, ins)) {
    mote_tensor t = mh_out(&r, 0);
    MH_CHECK(t.count == n, "output count");
    if (!quant) {
      mh_expect_floats("out", t.data, p, n, 1e-6);
    } else {
      mh_expect_ints("out", t.data, c->out_type, want, n, c->tol);
      if (getenv("MH_VERBOSE")) {
        int64_t md = 0;
        for (size_t i = 0; i < n; i++) {
          int64_t d = mh_get(t.data, i, c->out_type) - want[i];
          if (d < 0) d = -d;
          if (d > md) md = d;
        }
        printf("  %s: max |mote - ideal| = %lld\n", c->name, (long long)md);
      }
    }
  }
  mh_free(&r);
  free(x);
  free(p);
  free(p1);
  free(want);
}

/* clang-format off */
static const sm_case k_cases[] = {
  /* name, in, out, rank, shape, beta, in_scale, in_zp, tol */
  {"softmax f32 beta 0.5 rank 3", MOTE_FLOAT32, MOTE_FLOAT32, 3, {2, 3, 7},
   0.5f, 0, 0, 0},
  {"softmax f32 beta 2.0", MOTE_FLOAT32, MOTE_FLOAT32, 2, {4, 10},
   2.0f, 0, 0, 0},
  {"softmax f32 beta 0.01 rank 4", MOTE_FLOAT32, MOTE_FLOAT32, 4,
   {1, 2, 2, 33}, 0.01f, 0, 0, 0},
  {"softmax i8 beta 0.7", MOTE_INT8, MOTE_INT8, 2, {3, 20},
   0.7f, 0.1f, 3, 1},
  {"softmax i8 beta 2.5 zp -128", MOTE_INT8, MOTE_INT8, 3, {2, 2, 9},
   2.5f, 0.05f, -128, 1},
  {"softmax i8 beta 0.25 zp 127", MOTE_INT8, MOTE_INT8, 2, {2, 40},
   0.25f, 0.2f, 127, 1},
  {"softmax i8->i16 beta 0.6", MOTE_INT8, MOTE_INT16, 2, {3, 12},
   0.6f, 0.1f, -5, 4},
  {"softmax i16 beta 1.5", MOTE_INT16, MOTE_INT16, 2, {3, 12},
   1.5f, 0.0003f, 0, 32},
};
/* clang-format on */

static void test_errors(void) {
  int32_t s[] = {2, 5};
  /* int8 softmax whose output is not (1/256, -128) */
  mh_case = "softmax i8 wrong output quant";
  tflw *w = tflw_new();
  int ti = mh_t(w, MOTE_INT8, s, 2, 0.1f, 0);
  int to = mh_t(w, MOTE_INT8, s, 2, 0.1f, 0);
  tflw_op(w, TFL_OP_SOFTMAX, 1, &ti, 1, &to, 1, TFL_OPT_SOFTMAX,
          (tflw_opt[]){TFLW_F32(0, 1.0)}, 1);
  tflw_io(w, &ti, 1, &to, 1);
  mh_expect_load_fail(w, MOTE_E_BAD_QUANT, NULL);

  /* int32 input: not a softmax type */
  mh_case = "softmax int32";
  w = tflw_new();
  ti = mh_t(w, MOTE_INT32, s, 2, 0, 0);
  to = mh_t(w, MOTE_INT32, s, 2, 0, 0);
  tflw_op(w, TFL_OP_SOFTMAX, 1, &ti, 1, &to, 1, TFL_OPT_SOFTMAX,
          (tflw_opt[]){TFLW_F32(0, 1.0)}, 1);
  tflw_io(w, &ti, 1, &to, 1);
  size_t len;
  uint8_t *fb = mh_finish(w, &len);
  mh_run r;
  mote_status st = mh_load(&r, fb, len);
  MH_CHECK(st == MOTE_E_UNSUPPORTED || st == MOTE_E_BAD_TYPE,
           "expected UNSUPPORTED/BAD_TYPE, got %s", mote_status_name(st));
  mh_free(&r);

  /* output shape differs from the input's */
  mh_case = "softmax output shape";
  w = tflw_new();
  ti = mh_t(w, MOTE_FLOAT32, s, 2, 0, 0);
  to = mh_t(w, MOTE_FLOAT32, (int32_t[]){5, 2}, 2, 0, 0);
  tflw_op(w, TFL_OP_SOFTMAX, 1, &ti, 1, &to, 1, TFL_OPT_SOFTMAX,
          (tflw_opt[]){TFLW_F32(0, 1.0)}, 1);
  tflw_io(w, &ti, 1, &to, 1);
  mh_expect_load_fail(w, MOTE_E_BAD_SHAPE, NULL);
}

int main(void) {
  for (size_t i = 0; i < sizeof k_cases / sizeof k_cases[0]; i++)
    run_softmax(&k_cases[i]);
  test_errors();
  return mh_report();
}
