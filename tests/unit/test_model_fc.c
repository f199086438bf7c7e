/*
** test_model_fc.c: FULLY_CONNECTED through whole models.
**
** Reference: integer dot products, then TFLite's requantization. Per-channel
** weights use QuantizeMultiplier(double(in_s) * double(w_s[c]) / out_s);
** per-tensor weights use TFLite's GetQuantizedConvolutionMultipler, whose
** product in_s * w_s is rounded to float before the division in double.
** int16x8 uses the int64 MultiplyByQuantizedMultiplier.
**
** Cases: batch 3 with per-channel weights and zero points -128 / 127,
** per-tensor weights over many random scale sets (the float-rounded
** product matters), missing bias (-1), rank-3 input flattened to batches,
** keep_num_dims, int16x8 per-channel with int64 bias and saturation,
** float; bad shapes and types refused.
*/
#include "model_harness.h"

typedef struct fc_case {
  const char *name;
  int32_t type; /* MOTE_INT8, MOTE_INT16 (16x8), MOTE_FLOAT32 */
  int in_rank;
  int32_t in_shape[4];
  int units;
  int keep_dims;
  int has_bias;
  int per_channel;
  int act;
  float in_scale;
  int32_t in_zp;
  float out_scale;
  int32_t out_zp;
  float w_lo, w_hi;
} fc_case;

static void run_fc(const fc_case *c) {
  mh_case = c->name;
  int quant = c->type != MOTE_FLOAT32;
  int depth = c->in_shape[c->in_rank - 1];
  size_t n_in = 1;
  for (int i = 0; i < c->in_rank; i++) n_in *= (size_t)c->in_shape[i];
  int batches = (int)(n_in / (size_t)depth);
  size_t n_w = (size_t)c->units * depth, n_out = (size_t)batches * c->units;

  void *x = malloc(n_in * 4);
  int8_t *wq = malloc(n_w);
  float *wf = malloc(n_w * 4);
  float *wsc = malloc((size_t)c->units * 4);
  int32_t *b32 = malloc((size_t)c->units * 4);
  int64_t *b64 = malloc((size_t)c->units * 8);
  float *bf = malloc((size_t)c->units * 4);
  for (size_t i = 0; i < n_in; i++) {
    if (c->type == MOTE_INT8)
      ((int8_t *)x)[i] = (int8_t)mh_randi(-128, 127);
    else if (c->type == MOTE_INT16)
      ((int16_t *)x)[i] = (int16_t)(i % 7 == 0   ? 32767
                                    : i % 7 == 1 ? -32768
                                                 : mh_randi(-32768, 32767));
    else
      ((float *)x)[i] = (float)mh_randf(-3, 3);
  }
  for (size_t i = 0; i < n_w; i++) {
    wq[i] = (int8_t)mh_randi(-127, 127);
    wf[i] = (float)mh_randf(-1, 1);
  }
  for (int u = 0; u < c->units; u++) {
    wsc[u] = c->per_channel ? (float)mh_randf(c->w_lo, c->w_hi) : c->w_lo;
    b32[u] = mh_randi(-5000, 5000);
    b64[u] = mh_randi(-1000000, 1000000);
    bf[u] = (float)mh_randf(-1, 1);
  }

  tflw *w = tflw_new();
  int32_t ws[] = {c->units, depth}, bs[] = {c->units};
  int32_t os[4];
  uint32_t orank;
  if (c->keep_dims) {
    memcpy(os, c->in_shape, sizeof os);
    os[c->in_rank - 1] = c->units;
    orank = (uint32_t)c->in_rank;
  } else {
    os[0] = batches;
    os[1] = c->units;
    orank = 2;
  }
  int ti = mh_t(w, c->type, c->in_shape, (uint32_t)c->in_rank,
                quant ? c->in_scale : 0, c->in_zp);
  int tw, tb = -1;
  if (quant) {
    uint32_t nch = c->per_channel ? (uint32_t)c->units : 1;
    tw = mh_const_pc(w, MOTE_INT8, ws, 2, wsc, nch, 0, wq, n_w);
    if (c->has_bias) {
      float *bsc = malloc((size_t)c->units * 4);
      for (int u = 0; u < c->units; u++) bsc[u] = c->in_scale * wsc[u];
      tb = c->type == MOTE_INT8 ? mh_const_pc(w, MOTE_INT32, bs, 1, bsc, nch, 0,
                                              b32, (size_t)c->units * 4)
                                : mh_const_pc(w, MOTE_INT64, bs, 1, bsc, nch, 0,
                                              b64, (size_t)c->units * 8);
      free(bsc);
    }
  } else {
    tw = mh_const(w, MOTE_FLOAT32, ws, 2, 0, 0, wf, n_w * 4);
    if (c->has_bias)
      tb = mh_const(w, MOTE_FLOAT32, bs, 1, 0, 0, bf, (size_t)c->units * 4);
  }
  int to = mh_t(w, c->type, os, orank, quant ? c->out_scale : 0, c->out_zp);
  tflw_op(w, TFL_OP_FULLY_CONNECTED, quant ? 4 : 1, (int32_t[]){ti, tw, tb}, 3,
          &to, 1, TFL_OPT_FULLY_CONNECTED,
          (tflw_opt[]){TFLW_I8(0, c->act), TFLW_I8(1, 0),
                       TFLW_BOOL(2, c->keep_dims)},
          3);
  tflw_io(w, &ti, 1, &to, 1);

  int64_t *want_q = malloc(n_out * 8);
  double *want_f = malloc(n_out * 8);
  int32_t qmin = c->type == MOTE_INT16 ? -32768 : -128;
  int32_t qmax = c->type == MOTE_INT16 ? 32767 : 127;
  int32_t lo, hi;
  ref_act_range_q(c->act, c->out_scale, c->out_zp, qmin, qmax, &lo, &hi);
  size_t sat = 0;
  for (int b = 0; b < batches; b++)
    for (int u = 0; u < c->units; u++) {
      int64_t acc = 0;
      double accf = 0;
      for (int k = 0; k < depth; k++) {
        size_t xi = (size_t)b * depth + k, wi = (size_t)u * depth + k;
        if (c->type == MOTE_INT8)
          acc += (int64_t)(((int8_t *)x)[xi] - c->in_zp) * wq[wi];
        else if (c->type == MOTE_INT16)
          acc += (int64_t)((int16_t *)x)[xi] * wq[wi];
        else
          accf += (double)((float *)x)[xi] * wf[wi];
      }
      size_t oi = (size_t)b * c->units + u;
      if (!quant) {
        want_f[oi] = ref_act_f(c->act, accf + (c->has_bias ? bf[u] : 0));
        continue;
      }
      double real =
          c->per_channel
              ? (double)c->in_scale * (double)wsc[u] / (double)c->out_scale
              : (double)(float)(c->in_scale * wsc[0]) / (double)c->out_scale;
      int32_t m;
      int s;
      ref_qm(real, &m, &s);
      int64_t v;
      if (c->type == MOTE_INT8)
        v = (int64_t)ref_mbqm((int32_t)(acc + (c->has_bias ? b32[u] : 0)), m,
                              s) +
            c->out_zp;
      else
        v = (int64_t)ref_mbqm64(acc + (c->has_bias ? b64[u] : 0), m, s) +
            c->out_zp;
      want_q[oi] = ref_clamp(v, lo, hi);
      sat += want_q[oi] == qmin || want_q[oi] == qmax;
    }
  if (quant)
    MH_CHECK(sat < n_out, "reference all saturated (%zu of %zu)", sat, n_out);
  if (getenv("MH_VERBOSE"))
    printf("  %s: %zu outputs, %zu at the type limits\n", c->name, n_out, sat);

  const void *inputs[] = {x};
  mh_run r;
  if (mh_run_model(&r, w, inputs)) {
    mote_tensor t = mh_out(&r, 0);
    MH_CHECK(t.count == n_out && t.ndim == orank, "output shape");
    if (quant)
      mh_expect_ints("out", t.data, c->type, want_q, n_out, 0);
    else
      mh_expect_floats("out", t.data, want_f, n_out, 1e-5);
  }
  mh_free(&r);
  free(x);
  free(wq);
  free(wf);
  free(wsc);
  free(b32);
  free(b64);
  free(bf);
  free(want_q);
  free(want_f);
}

/* clang-format off */
static const fc_case k_cases[] = {
  /* name, type, in_rank, in_shape, units, keep_dims, bias, per_channel, act,
     in_scale, in_zp, out_scale, out_zp, w scale range */
  {"fc i8 batch 3 per-channel zp -128 -> 127", MOTE_INT8, 2, {3, 7}, 5, 0,
   1, 1, TFL_ACT_NONE, 0.03f, -128, 0.08f, 127, 0.003f, 0.03f},
  {"fc i8 batch 3 per-channel zp 127 -> -128 relu6", MOTE_INT8, 2, {3, 9},
   4, 0, 1, 1, TFL_ACT_RELU6, 0.05f, 127, 0.03f, -128, 0.002f, 0.02f},
  {"fc i8 per-tensor no bias relu", MOTE_INT8, 2, {3, 16}, 20, 0, 0, 0,
   TFL_ACT_RELU, 0.0371f, 3, 0.0913f, -100, 0.00731f, 0.00731f},
  {"fc i8 rank-3 input flattened", MOTE_INT8, 3, {2, 3, 4}, 5, 0, 1, 1,
   TFL_ACT_NONE, 0.02f, -1, 0.03f, 2, 0.004f, 0.02f},
  {"fc i8 keep_num_dims rank 3", MOTE_INT8, 3, {2, 3, 4}, 5, 1, 1, 0,
   TFL_ACT_NONE, 0.02f, -1, 0.03f, 2, 0.01f, 0.01f},
  {"fc i16x8 batch 3 per-channel saturating", MOTE_INT16, 2, {3, 8}, 6, 0,
   1, 1, TFL_ACT_NONE, 0.001f, 0, 0.0008f, 0, 0.002f, 0.02f},
  {"fc i16x8 per-tensor no bias relu6", MOTE_INT16, 2, {3, 8}, 6, 0, 0, 0,
   TFL_ACT_RELU6, 0.0002f, 0, 0.0003f, 0, 0.0071f, 0.0071f},
  {"fc f32 batch 3 relu6", MOTE_FLOAT32, 2, {3, 10}, 4, 0, 1, 0,
   TFL_ACT_RELU6, 0, 0, 0, 0, 0, 0},
  {"fc f32 keep_num_dims no bias", MOTE_FLOAT32, 3, {2, 2, 5}, 3, 1, 0, 0,
   TFL_ACT_NONE, 0, 0, 0, 0, 0, 0},
};
/* clang-format on */

/*
** Per-tensor weights over many random scale sets: mote must use the
** float-rounded product as TFLite does. Counts the sets where that choice
** changes an output, so the test is known to discriminate.
*/
static void test_fc_per_tensor_scales(void) {
  int discriminating = 0;
  char name[64];
  for (int it = 0; it < 40; it++) {
    fc_case c = {name,         MOTE_INT8, 2, {4, 24}, 16, 0,      1,     0,
                 TFL_ACT_NONE, 0.01f,     0, 0.05f,   0,  0.001f, 0.001f};
    c.in_scale = (float)mh_randf(0.005, 0.05);
    c.out_scale = (float)mh_randf(0.05, 0.5);
    c.w_lo = c.w_hi = (float)mh_randf(0.001, 0.02);
    c.in_zp = mh_randi(-20, 20);
    c.out_zp = mh_randi(-20, 20);
    snprintf(name, sizeof name, "fc i8 per-tensor scales #%d", it);
    int32_t m1, m2;
    int s1, s2;
    ref_qm((double)(float)(c.in_scale * c.w_lo) / (double)c.out_scale, &m1,
           &s1);
    ref_qm((double)c.in_scale * (double)c.w_lo / (double)c.out_scale, &m2, &s2);
    discriminating += (m1 != m2 || s1 != s2);
    run_fc(&c);
  }
  mh_case = "fc per-tensor scales";
  MH_CHECK(discriminating > 20, "only %d of 40 sets discriminate",
           discriminating);
}

/*
** Hand-derived discriminating case: search scales and an accumulator value
** A where the float-rounded product (TFLite) and the exact double product
** give different outputs, then build an FC whose inputs equal the zero
** point so that output u is requantize(bias[u] = A).
*/
static void test_fc_multiplier_rounding(void) {
  mh_case = "fc per-tensor multiplier rounding";
  float in_s = 0, w_s = 0, out_s = 0;
  int32_t acc = 0;
  for (int it = 0; it < 2000 && acc == 0; it++) {
    float a = (float)mh_randf(0.01, 0.1), b = (float)mh_randf(0.001, 0.01);
    float o = (float)mh_randf(0.0005, 0.003);
    int32_t m1, m2;
    int s1, s2;
    ref_qm((double)(float)(a * b) / (double)o, &m1, &s1);
    ref_qm((double)a * (double)b / (double)o, &m2, &s2);
    if (m1 == m2 && s1 == s2) continue;
    for (int32_t v = 1; v < 200000; v++) {
      int32_t r1 = ref_mbqm(v, m1, s1), r2 = ref_mbqm(v, m2, s2);
      if (r1 > 120) break;
      if (r1 != r2) {
        in_s = a;
        w_s = b;
        out_s = o;
        acc = v;
        break;
      }
    }
  }
  MH_CHECK(acc != 0, "no discriminating case found");
  if (!acc) return;
  tflw *w = tflw_new();
  int32_t is[] = {1, 4}, ws[] = {3, 4}, bs[] = {3}, os[] = {1, 3};
  int8_t wd[12];
  for (int i = 0; i < 12; i++) wd[i] = (int8_t)mh_randi(-127, 127);
  int32_t bd[3] = {acc, -acc, acc + 1};
  int ti = mh_t(w, MOTE_INT8, is, 2, in_s, 7);
  int tw = mh_const(w, MOTE_INT8, ws, 2, w_s, 0, wd, sizeof wd);
  int tb = mh_const(w, MOTE_INT32, bs, 1, in_s * w_s, 0, bd, sizeof bd);
  int to = mh_t(w, MOTE_INT8, os, 2, out_s, -5);
  tflw_op(w, TFL_OP_FULLY_CONNECTED, 1, (int32_t[]){ti, tw, tb}, 3, &to, 1,
          TFL_OPT_FULLY_CONNECTED, NULL, 0);
  tflw_io(w, &ti, 1, &to, 1);
  int8_t x[4] = {7, 7, 7, 7};
  int32_t m;
  int sh;
  ref_qm((double)(float)(in_s * w_s) / (double)out_s, &m, &sh);
  int64_t want[3];
  for (int u = 0; u < 3; u++)
    want[u] = ref_clamp((int64_t)ref_mbqm(bd[u], m, sh) - 5, -128, 127);
  const void *ins[] = {x};
  mh_run r;
  if (mh_run_model(&r, w, ins)) {
    mote_tensor t = mh_out(&r, 0);
    mh_expect_ints("out", t.data, MOTE_INT8, want, 3, 0);
  }
  mh_free(&r);
}

static void test_fc_errors(void) {
  int32_t is[] = {3, 7}, ws[] = {5, 7}, os_bad[] = {3, 4}, bs[] = {5};
  int8_t wd[35] = {0};
  float sc = 0.01f;
  /* output units disagree with the weights */
  mh_case = "fc bad output shape";
  tflw *w = tflw_new();
  int ti = mh_t(w, MOTE_INT8, is, 2, 0.1f, 0);
  int tw = mh_const(w, MOTE_INT8, ws, 2, sc, 0, wd, sizeof wd);
  int to = mh_t(w, MOTE_INT8, os_bad, 2, 0.1f, 0);
  tflw_op(w, TFL_OP_FULLY_CONNECTED, 1, (int32_t[]){ti, tw, -1}, 3, &to, 1,
          TFL_OPT_FULLY_CONNECTED, NULL, 0);
  tflw_io(w, &ti, 1, &to, 1);
  mh_expect_load_fail(w, MOTE_E_BAD_SHAPE, NULL);

  /* bias of the wrong length */
  mh_case = "fc bias length";
  w = tflw_new();
  int32_t os[] = {3, 5}, b4[] = {4};
  int32_t bd[4] = {0};
  ti = mh_t(w, MOTE_INT8, is, 2, 0.1f, 0);
  tw = mh_const(w, MOTE_INT8, ws, 2, sc, 0, wd, sizeof wd);
  int tb = mh_const(w, MOTE_INT32, b4, 1, 0.001f, 0, bd, sizeof bd);
  to = mh_t(w, MOTE_INT8, os, 2, 0.1f, 0);
  tflw_op(w, TFL_OP_FULLY_CONNECTED, 1, (int32_t[]){ti, tw, tb}, 3, &to, 1,
          TFL_OPT_FULLY_CONNECTED, NULL, 0);
  tflw_io(w, &ti, 1, &to, 1);
  mh_expect_load_fail(w, MOTE_E_BAD_SHAPE, NULL);

  /* int8 FC with a float bias */
  mh_case = "fc float bias on int8";
  w = tflw_new();
  float bfd[5] = {0};
  ti = mh_t(w, MOTE_INT8, is, 2, 0.1f, 0);
  tw = mh_const(w, MOTE_INT8, ws, 2, sc, 0, wd, sizeof wd);
  tb = mh_const(w, MOTE_FLOAT32, bs, 1, 0, 0, bfd, sizeof bfd);
  to = mh_t(w, MOTE_INT8, os, 2, 0.1f, 0);
  tflw_op(w, TFL_OP_FULLY_CONNECTED, 1, (int32_t[]){ti, tw, tb}, 3, &to, 1,
          TFL_OPT_FULLY_CONNECTED, NULL, 0);
  tflw_io(w, &ti, 1, &to, 1);
  size_t len;
  uint8_t *fb = mh_finish(w, &len);
  mh_run r;
  mote_status st = mh_load(&r, fb, len);
  MH_CHECK(st == MOTE_E_BAD_TYPE || st == MOTE_E_UNSUPPORTED,
           "expected BAD_TYPE/UNSUPPORTED, got %s", mote_status_name(st));
  MH_CHECK(r.err.tensor_index == tb || st == MOTE_E_UNSUPPORTED,
           "error names the bias tensor (%d), got %d", tb, r.err.tensor_index);
  mh_free(&r);
}

int main(void) {
  for (size_t i = 0; i < sizeof k_cases / sizeof k_cases[0]; i++)
    run_fc(&k_cases[i]);
  test_fc_per_tensor_scales();
  test_fc_multiplier_rounding();
  test_fc_errors();
  return mh_report();
}
