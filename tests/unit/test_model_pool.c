/*
** test_model_pool.c: AVERAGE_POOL_2D and MAX_POOL_2D through whole models.
**
** Reference (TFLite semantics): SAME padding puts floor(total/2) before;
** windows are cut at the image edges and only the elements inside count
** (the average divides by that count). Quantized average: integer sum,
** divided by the count rounding half away from zero, clamped to the
** activation range; no requantization (input and output share scale).
** Float average: sum / count. Max: the largest element inside, clamped.
*/
#include "model_harness.h"

typedef struct pool_case {
  const char *name;
  int op; /* TFL_OP_AVERAGE_POOL_2D / TFL_OP_MAX_POOL_2D */
  int32_t type;
  int n, ih, iw, c;
  int fh, fw, sh, sw, padding, act;
  float scale;
  int32_t zp;
} pool_case;

static void run_pool(const pool_case *p) {
  mh_case = p->name;
  int pad_h, pad_w;
  int oh = ref_out_size(p->padding, p->ih, p->fh, p->sh, 1, &pad_h);
  int ow = ref_out_size(p->padding, p->iw, p->fw, p->sw, 1, &pad_w);
  int quant = p->type != MOTE_FLOAT32;
  size_t n_in = (size_t)p->n * p->ih * p->iw * p->c;
  size_t n_out = (size_t)p->n * oh * ow * p->c;
  int32_t qmin = p->type == MOTE_INT16 ? -32768 : -128;
  int32_t qmax = p->type == MOTE_INT16 ? 32767 : 127;
  void *x = malloc(n_in * 4);
  for (size_t i = 0; i < n_in; i++) {
    if (p->type == MOTE_FLOAT32)
      ((float *)x)[i] = (float)mh_randf(-4, 4);
    else if (p->type == MOTE_INT8)
      ((int8_t *)x)[i] = (int8_t)mh_randi(qmin, qmax);
    else
      ((int16_t *)x)[i] = (int16_t)mh_randi(qmin, qmax);
  }
  tflw *w = tflw_new();
  int32_t is[] = {p->n, p->ih, p->iw, p->c}, os[] = {p->n, oh, ow, p->c};
  int ti = mh_t(w, p->type, is, 4, quant ? p->scale : 0, p->zp);
  int to = mh_t(w, p->type, os, 4, quant ? p->scale : 0, p->zp);
  tflw_opt o[] = {TFLW_I8(0, p->padding), TFLW_I32(1, p->sw),
                  TFLW_I32(2, p->sh),     TFLW_I32(3, p->fw),
                  TFLW_I32(4, p->fh),     TFLW_I8(5, p->act)};
  tflw_op(w, p->op, 2, &ti, 1, &to, 1, TFL_OPT_POOL2D, o, 6);
  tflw_io(w, &ti, 1, &to, 1);

  int64_t *want_q = malloc(n_out * 8);
  double *want_f = malloc(n_out * 8);
  int32_t lo, hi;
  ref_act_range_q(p->act, p->scale, p->zp, qmin, qmax, &lo, &hi);
  int edge_counts = 0;
  for (int b = 0; b < p->n; b++)
    for (int oy = 0; oy < oh; oy++)
      for (int ox = 0; ox < ow; ox++)
        for (int ch = 0; ch < p->c; ch++) {
          int64_t sum = 0, mx = INT64_MIN, cnt = 0;
          double sumf = 0, mxf = -1e300;
          for (int ky = 0; ky < p->fh; ky++)
            for (int kx = 0; kx < p->fw; kx++) {
              int iy = oy * p->sh - pad_h + ky, ix = ox * p->sw - pad_w + kx;
              if (iy < 0 || iy >= p->ih || ix < 0 || ix >= p->iw) continue;
              size_t xi = (((size_t)b * p->ih + iy) * p->iw + ix) * p->c + ch;
              cnt++;
              if (quant) {
                int64_t v = mh_get(x, xi, p->type);
                sum += v;
                if (v > mx) mx = v;
              } else {
                double v = ((float *)x)[xi];
                sumf += v;
                if (v > mxf) mxf = v;
              }
            }
          edge_counts += cnt != (int64_t)p->fh * p->fw;
          size_t oi = (((size_t)b * oh + oy) * ow + ox) * p->c + ch;
          if (!quant) {
            want_f[oi] = ref_act_f(
                p->act, p->op == TFL_OP_MAX_POOL_2D ? mxf : sumf / (double)cnt);
            continue;
          }
          int64_t v;
          if (p->op == TFL_OP_MAX_POOL_2D)
            v = mx;
          else
            v = sum > 0 ? (sum + cnt / 2) / cnt : (sum - cnt / 2) / cnt;
          want_q[oi] = ref_clamp(v, lo, hi);
        }
  if (p->padding == TFL_PAD_SAME)
    MH_CHECK(edge_counts > 0, "case has windows cut by the edges");
  const void *ins[] = {x};
  mh_run r;
  if (mh_run_model(&r, w, ins)) {
    mote_tensor t = mh_out(&r, 0);
    MH_CHECK(t.count == n_out, "output count");
    if (quant)
      mh_expect_ints("out", t.data, p->type, want_q, n_out, 0);
    else
      mh_expect_floats("out", t.data, want_f, n_out, 1e-6);
  }
  mh_free(&r);
  free(x);
  free(want_q);
  free(want_f);
}

/* clang-format off */
static const pool_case k_cases[] = {
  /* name, op, type, n, ih, iw, c, fh, fw, sh, sw, padding, act, scale, zp */
  {"avgpool i8 3x3 s2 same edges", TFL_OP_AVERAGE_POOL_2D, MOTE_INT8,
   2, 6, 7, 3, 3, 3, 2, 2, TFL_PAD_SAME, TFL_ACT_NONE, 0.1f, -128},
  {"avgpool i8 4x2 s(1,3) same odd pad relu", TFL_OP_AVERAGE_POOL_2D,
   MOTE_INT8, 1, 5, 8, 2, 4, 2, 1, 3, TFL_PAD_SAME, TFL_ACT_RELU, 0.05f, 7},
  {"avgpool i8 5x5 filter on 3x3 input same", TFL_OP_AVERAGE_POOL_2D,
   MOTE_INT8, 1, 3, 3, 4, 5, 5, 1, 1, TFL_PAD_SAME, TFL_ACT_NONE, 0.1f, 127},
  {"avgpool i16 3x2 s2 same relu6", TFL_OP_AVERAGE_POOL_2D, MOTE_INT16,
   1, 7, 5, 2, 3, 2, 2, 2, TFL_PAD_SAME, TFL_ACT_RELU6, 0.0003f, 0},
  {"avgpool f32 3x3 s2 same edges relu6", TFL_OP_AVERAGE_POOL_2D,
   MOTE_FLOAT32, 2, 6, 7, 3, 3, 3, 2, 2, TFL_PAD_SAME, TFL_ACT_RELU6, 0, 0},
  {"avgpool f32 5x5 filter on 3x3 input", TFL_OP_AVERAGE_POOL_2D,
   MOTE_FLOAT32, 1, 3, 3, 2, 5, 5, 1, 1, TFL_PAD_SAME, TFL_ACT_NONE, 0, 0},
  {"maxpool i8 3x3 s2 same edges relu", TFL_OP_MAX_POOL_2D, MOTE_INT8,
   2, 6, 7, 3, 3, 3, 2, 2, TFL_PAD_SAME, TFL_ACT_RELU, 0.1f, 20},
  {"maxpool i8 2x4 s(2,1) same relu_n1_to_1", TFL_OP_MAX_POOL_2D, MOTE_INT8,
   1, 5, 6, 2, 2, 4, 2, 1, TFL_PAD_SAME, TFL_ACT_RELU_N1_TO_1, 0.02f, -3},
  {"maxpool i16 3x3 s2 same", TFL_OP_MAX_POOL_2D, MOTE_INT16,
   1, 6, 7, 2, 3, 3, 2, 2, TFL_PAD_SAME, TFL_ACT_NONE, 0.001f, 0},
  {"maxpool f32 3x3 s3 same relu", TFL_OP_MAX_POOL_2D, MOTE_FLOAT32,
   1, 7, 8, 2, 3, 3, 3, 3, TFL_PAD_SAME, TFL_ACT_RELU, 0, 0},
};
/* clang-format on */

static void test_errors(void) {
  mh_case = "pool output shape";
  tflw *w = tflw_new();
  int32_t is[] = {1, 6, 6, 2}, os[] = {1, 2, 2, 2};
  int ti = mh_t(w, MOTE_INT8, is, 4, 0.1f, 0);
  int to = mh_t(w, MOTE_INT8, os, 4, 0.1f, 0); /* SAME s2: 3x3 expected */
  tflw_opt o[] = {TFLW_I8(0, TFL_PAD_SAME), TFLW_I32(1, 2), TFLW_I32(2, 2),
                  TFLW_I32(3, 2), TFLW_I32(4, 2)};
  tflw_op(w, TFL_OP_MAX_POOL_2D, 1, &ti, 1, &to, 1, TFL_OPT_POOL2D, o, 5);
  tflw_io(w, &ti, 1, &to, 1);
  mh_expect_load_fail(w, MOTE_E_BAD_SHAPE, NULL);
}

int main(void) {
  for (size_t i = 0; i < sizeof k_cases / sizeof k_cases[0]; i++)
    run_pool(&k_cases[i]);
  test_errors();
  return mh_report();
}
