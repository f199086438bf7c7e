/*
** test_qz_e2e.c: mote quantize end to end on a float model built with the
** writer (CONV_2D+RELU, DEPTHWISE_CONV_2D+RELU6, ADD, MAX_POOL_2D,
** AVERAGE_POOL_2D, RESHAPE, FULLY_CONNECTED, SOFTMAX): calibrate on random
** inputs, quantize (int8, float io, 16x8, MSE ranges), check the written
** model's quantization parameters, load it with mote's loader/verifier,
** and compare its outputs with the float model's (SQNR, argmax). The
** end-to-end tuning (qz_tune.h): the bias correction of a FULLY_CONNECTED
** layer with large-mean inputs against the formula computed here, and the
** range search (never below its base on the calibration samples, and the
** ranges it returns reproduce its score). Then the CLI: `mote quantize` writes
*a loadable model (exit 0) and refuses a
** model with an op without integer path (exit 4, naming the op).
**   usage: test_qz_e2e MOTE_BINARY WORKDIR
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "common/check.h"
#include "host_io.h"
#include "quantize/qz_calib.h"
#include "quantize/qz_eval.h"
#include "quantize/qz_rewrite.h"
#include "quantize/qz_tune.h"
#include "runtime/tflite_schema.h"
#include "tflite_writer.h"

static uint32_t rng = 2024;
static float frand(float lo, float hi) {
  rng ^= rng << 13;
  rng ^= rng >> 17;
  rng ^= rng << 5;
  return lo + (hi - lo) * (float)((rng >> 8) / 16777216.0);
}

/* A constant int32 vector of the n values v, named name. */
static int const_i32(tflw *w, const int32_t *v, int32_t n, const char *name) {
  tflw_tensor_desc sd;
  memset(&sd, 0, sizeof sd);
  int32_t len[1] = {n};
  sd.type = MOTE_INT32;
  sd.shape = len;
  sd.rank = 1;
  sd.name = name;
  return tflw_const_tensor(w, &sd, v, (size_t)n * sizeof *v);
}

/* A constant float tensor of the given shape holding x. */
static int const_vals(tflw *w, const int32_t *shape, uint32_t rank,
                      const char *name, const float *x) {
  size_t n = 1;
  for (uint32_t i = 0; i < rank; i++) n *= (size_t)shape[i];
  tflw_tensor_desc d;
  memset(&d, 0, sizeof d);
  d.type = MOTE_FLOAT32;
  d.shape = shape;
  d.rank = rank;
  d.name = name;
  return tflw_const_tensor(w, &d, x, n * sizeof *x);
}

static int const_f32(tflw *w, const int32_t *shape, uint32_t rank,
                     const char *name, float scale) {
  size_t n = 1;
  for (uint32_t i = 0; i < rank; i++) n *= (size_t)shape[i];
  float *x = malloc(n * sizeof *x);
  for (size_t i = 0; i < n; i++) x[i] = frand(-scale, scale);
  int t = const_vals(w, shape, rank, name, x);
  free(x);
  return t;
}

/* The float test model; returns its bytes. */
static uint8_t *build_model(size_t *len) {
  tflw *w = tflw_new();
  tflw_opt o[8];
  uint32_t no;
  int32_t s_in[4] = {1, 8, 8, 2}, s_c[4] = {1, 8, 8, 4}, s_p[4] = {1, 4, 4, 4};
  int32_t s_q[4] = {1, 2, 2, 4}, s_r[2] = {1, 16}, s_o[2] = {1, 10};
  int x = tflw_tensor_q(w, MOTE_FLOAT32, s_in, 4, "input", 0, 0);
  int32_t sw[4] = {4, 3, 3, 2}, sb[1] = {4}, sdw[4] = {1, 3, 3, 4};
  int wc = const_f32(w, sw, 4, "conv/w", 0.5f);
  int bc = const_f32(w, sb, 1, "conv/b", 0.2f);
  int wd = const_f32(w, sdw, 4, "dw/w", 0.6f);
  int bd = const_f32(w, sb, 1, "dw/b", 0.2f);
  int32_t sfw[2] = {10, 16}, sfb[1] = {10};
  int wf = const_f32(w, sfw, 2, "fc/w", 0.5f);
  int bf = const_f32(w, sfb, 1, "fc/b", 0.1f);
  int c = tflw_tensor_q(w, MOTE_FLOAT32, s_c, 4, "conv", 0, 0);
  int d = tflw_tensor_q(w, MOTE_FLOAT32, s_c, 4, "dw", 0, 0);
  int a = tflw_tensor_q(w, MOTE_FLOAT32, s_c, 4, "add", 0, 0);
  int p = tflw_tensor_q(w, MOTE_FLOAT32, s_p, 4, "maxpool", 0, 0);
  int q = tflw_tensor_q(w, MOTE_FLOAT32, s_q, 4, "avgpool", 0, 0);
  int r = tflw_tensor_q(w, MOTE_FLOAT32, s_r, 2, "flat", 0, 0);
  int f = tflw_tensor_q(w, MOTE_FLOAT32, s_o, 2, "logits", 0, 0);
  int y = tflw_tensor_q(w, MOTE_FLOAT32, s_o, 2, "probs", 0, 0);
  int shp = const_i32(w, s_r, 2, "shape");

  int32_t i0[3] = {x, wc, bc};
  no = tflw_opts_conv2d(o, TFL_PAD_SAME, 1, 1, TFL_ACT_RELU, 1, 1);
  tflw_op(w, TFL_OP_CONV_2D, 1, i0, 3, &c, 1, TFL_OPT_CONV2D, o, no);
  int32_t i1[3] = {c, wd, bd};
  no = tflw_opts_dwconv2d(o, TFL_PAD_SAME, 1, 1, 1, TFL_ACT_RELU6, 1, 1);
  tflw_op(w, TFL_OP_DEPTHWISE_CONV_2D, 1, i1, 3, &d, 1,
          TFL_OPT_DEPTHWISE_CONV2D, o, no);
  int32_t i2[2] = {c, d};
  no = tflw_opts_act(o, TFL_ACT_NONE);
  tflw_op(w, TFL_OP_ADD, 1, i2, 2, &a, 1, TFL_OPT_ADD, o, no);
  no = tflw_opts_pool2d(o, TFL_PAD_VALID, 2, 2, 2, 2, TFL_ACT_NONE);
  tflw_op(w, TFL_OP_MAX_POOL_2D, 1, &a, 1, &p, 1, TFL_OPT_POOL2D, o, no);
  tflw_op(w, TFL_OP_AVERAGE_POOL_2D, 1, &p, 1, &q, 1, TFL_OPT_POOL2D, o, no);
  int32_t i5[2] = {q, shp};
  no = tflw_opts_reshape(o, s_r, 2);
  tflw_op(w, TFL_OP_RESHAPE, 1, i5, 2, &r, 1, TFL_OPT_RESHAPE, o, no);
  int32_t i6[3] = {r, wf, bf};
  no = tflw_opts_fc(o, TFL_ACT_NONE, 0);
  tflw_op(w, TFL_OP_FULLY_CONNECTED, 1, i6, 3, &f, 1, TFL_OPT_FULLY_CONNECTED,
          o, no);
  no = tflw_opts_softmax(o, 1.0f);
  tflw_op(w, TFL_OP_SOFTMAX, 1, &f, 1, &y, 1, TFL_OPT_SOFTMAX, o, no);
  tflw_io(w, &x, 1, &y, 1);
  uint8_t *fb = NULL;
  if (tflw_finish(w, &fb, len) != 0) {
    printf("writer: %s\n", tflw_error(w));
    exit(2);
  }
  tflw_free(w);
  return fb;
}

/* A float model with TRANSPOSE_CONV (no integer path in the quantizer). */
static uint8_t *build_unsupported(size_t *len) {
  tflw *w = tflw_new();
  int32_t s_in[4] = {1, 4, 4, 2}, s_out[4] = {1, 8, 8, 3},
          s_w[4] = {3, 2, 2, 2};
  int x = tflw_tensor_q(w, MOTE_FLOAT32, s_in, 4, "input", 0, 0);
  int y = tflw_tensor_q(w, MOTE_FLOAT32, s_out, 4, "out", 0, 0);
  int wt = const_f32(w, s_w, 4, "w", 0.5f);
  int shp = const_i32(w, s_out, 4, "output_shape");
  tflw_opt o[3] = {TFLW_I8(0, TFL_PAD_VALID), TFLW_I32(1, 2), TFLW_I32(2, 2)};
  int32_t in[3] = {shp, wt, x};
  tflw_op(w, TFL_OP_TRANSPOSE_CONV, 1, in, 3, &y, 1, TFL_OPT_TRANSPOSE_CONV, o,
          3);
  tflw_io(w, &x, 1, &y, 1);
  uint8_t *fb = NULL;
  if (tflw_finish(w, &fb, len) != 0) exit(2);
  tflw_free(w);
  return fb;
}

/* FC_IN -> FC_OUT fully connected without activation; weights in
 * [-0.5, 0.5] but one of 4 (a coarse per-tensor scale). */
#define FC_IN 32
#define FC_OUT 8
static float fc_w[FC_OUT * FC_IN], fc_b[FC_OUT];

static uint8_t *build_fc(size_t *len) {
  tflw *w = tflw_new();
  tflw_opt o[4];
  int32_t s_in[2] = {1, FC_IN}, s_w[2] = {FC_OUT, FC_IN}, s_b[1] = {FC_OUT};
  int32_t s_o[2] = {1, FC_OUT};
  for (int i = 0; i < FC_OUT * FC_IN; i++) fc_w[i] = frand(-0.5f, 0.5f);
  fc_w[5] = 4.0f;
  for (int i = 0; i < FC_OUT; i++) fc_b[i] = frand(-1.0f, 1.0f);
  int wt = const_vals(w, s_w, 2, "fc/w", fc_w);
  int bt = const_vals(w, s_b, 1, "fc/b", fc_b);
  int x = tflw_tensor_q(w, MOTE_FLOAT32, s_in, 2, "input", 0, 0);
  int y = tflw_tensor_q(w, MOTE_FLOAT32, s_o, 2, "out", 0, 0);
  int32_t in[3] = {x, wt, bt};
  uint32_t no = tflw_opts_fc(o, TFL_ACT_NONE, 0);
  tflw_op(w, TFL_OP_FULLY_CONNECTED, 1, in, 3, &y, 1, TFL_OPT_FULLY_CONNECTED,
          o, no);
  tflw_io(w, &x, 1, &y, 1);
  uint8_t *fb = NULL;
  if (tflw_finish(w, &fb, len) != 0) exit(2);
  tflw_free(w);
  return fb;
}

static int32_t tensor_named(const qz_graph *g, const char *name) {
  for (uint32_t i = 0; i < g->ntensors; i++)
    if (!strcmp(g->t[i].name, name)) return (int32_t)i;
  return -1;
}

/*
** Bias correction: inputs in [4, 6] (mean 5) make the per-tensor weight
** error dW shift every output by about 5 * sum_j dW[n][j]. The correction
** must be mean_i sum_j (W~[n][j] x~_i[j] - W[n][j] x_i[j]) computed here
** from the spec's formulas (qz_weights, qz_asym_params, qz_quantize), it
** must be kept (the SQNR rises), and the corrected model's mean output
** error must be under an output step where the uncorrected one is over 2.
*/
static void bias_case(const char *dir) {
  char path[512], err[256];
  size_t len;
  uint8_t *fb = build_fc(&len);
  snprintf(path, sizeof path, "%s/fc.tflite", dir);
  CHECK(host_write_file(path, fb, len) == 0, "write %s", path);
  free(fb);
  enum { N = 64 };
  static float xs[N * FC_IN];
  double mn = 1e30, mx = -1e30;
  for (int i = 0; i < N * FC_IN; i++) {
    xs[i] = frand(4.0f, 6.0f);
    if (xs[i] < mn) mn = xs[i];
    if (xs[i] > mx) mx = xs[i];
  }
  qz_samples cal = {xs, N, FC_IN};
  host_model fm;
  qz_graph g;
  CHECK(host_model_load(&fm, path, 0) == MOTE_OK, "fc model loads");
  CHECK(qz_graph_read(&g, &fm, err, sizeof err) == 0, "fc graph: %s", err);
  qz_stats *st = calloc(g.ntensors, sizeof *st);
  CHECK(qz_calibrate(&g, &cal, 0, st, NULL, NULL, err, sizeof err) == 0,
        "fc calibrate: %s", err);
  qz_tune t;
  memset(&t, 0, sizeof t);
  t.g = &g;
  t.stats = st;
  t.cal = &cal;
  t.bias = 1;
  CHECK(qz_tune_run(&t, err, sizeof err) == 0, "fc tune: %s", err);
  printf("bias correction: calibration SQNR %.2f -> %.2f dB, %u corrected\n",
         t.base_db, t.best_db, t.corrected);
  CHECK(t.corrected == 1 && t.best_db > t.base_db + 3.0,
        "bias correction kept and >= 3 dB better (%.2f -> %.2f)", t.base_db,
        t.best_db);
  int32_t b = tensor_named(&g, "fc/b"), y = tensor_named(&g, "out");
  CHECK(b >= 0 && y >= 0 && st[b].bias_adj, "bias correction stored");
  if (b < 0 || y < 0 || !st[b].bias_adj) goto done;
  /* The formula. */
  int8_t q[FC_OUT * FC_IN];
  float ws, xsc;
  int32_t s_w[2] = {FC_OUT, FC_IN}, zp;
  qz_weights(fc_w, s_w, 2, -1, q, &ws);
  qz_asym_params(mn < 0 ? mn : 0, mx, -128, 127, &xsc, &zp);
  double want[FC_OUT] = {0}, worst = 0, big = 0;
  for (int i = 0; i < N; i++)
    for (int n = 0; n < FC_OUT; n++)
      for (int j = 0; j < FC_IN; j++) {
        float x = xs[i * FC_IN + j];
        double xq = (qz_quantize(x, xsc, zp, -128, 127) - zp) * (double)xsc;
        want[n] += (q[n * FC_IN + j] * (double)ws * xq -
                    (double)fc_w[n * FC_IN + j] * x) /
                   N;
      }
  for (int n = 0; n < FC_OUT; n++) {
    double e = fabs(st[b].bias_adj[n] - want[n]);
    if (e > worst) worst = e;
    if (fabs(want[n]) > big) big = fabs(want[n]);
  }
  CHECK(worst <= 1e-4 * big + 1e-6,
        "correction = mean of W~x~ - Wx (off by %.3g of %.3g)", worst, big);
  /* The corrected model's mean output error, in output steps. */
  qz_plan plan;
  host_model qm;
  qz_outputs ref, got;
  CHECK(qz_build(&g, st, &t.o, &plan, &qm, err, sizeof err) == 0, "%s", err);
  CHECK(qz_run_outputs(&fm, &cal, &ref, err, sizeof err) == 0, "%s", err);
  CHECK(qz_run_outputs(&qm, &cal, &got, err, sizeof err) == 0, "%s", err);
  double step = plan.t[y].scale, mean_err = 0;
  for (int n = 0; n < FC_OUT; n++) {
    double m = 0;
    for (int i = 0; i < N; i++)
      m += ((double)got.y[i * FC_OUT + n] - ref.y[i * FC_OUT + n]) / N;
    if (fabs(m) > mean_err) mean_err = fabs(m);
  }
  printf("bias correction: worst mean output error %.3f steps, %.3f before\n",
         mean_err / step, big / step);
  CHECK(big > 2 * step, "uncorrected mean error %.3g > 2 steps (%.3g)", big,
        step);
  CHECK(mean_err < step, "corrected mean error %.3g < 1 step (%.3g)", mean_err,
        step);
  qz_outputs_free(&ref);
  qz_outputs_free(&got);
  host_model_free(&qm);
  qz_plan_free(&plan);
done:
  qz_stats_free(st, g.ntensors);
  free(st);
  qz_graph_free(&g);
  host_model_free(&fm);
}

/* Range search (with bias correction) on the test model: never below the
 * min/max base on the calibration samples; the ranges and corrections it
 * returns give back its score; every ACT group was visited. */
static void search_case(const char *fpath, const qz_samples *cal, int act16) {
  char err[256];
  host_model fm;
  qz_graph g;
  CHECK(host_model_load(&fm, fpath, 0) == MOTE_OK, "float load");
  CHECK(qz_graph_read(&g, &fm, err, sizeof err) == 0, "%s", err);
  qz_stats *st = calloc(g.ntensors, sizeof *st);
  CHECK(qz_calibrate(&g, cal, 0, st, NULL, NULL, err, sizeof err) == 0, "%s",
        err);
  qz_tune t;
  memset(&t, 0, sizeof t);
  t.g = &g;
  t.stats = st;
  t.o.method = QZ_SQNR;
  t.o.act16 = act16;
  t.cal = cal;
  t.bias = 1;
  t.sweeps = 2;
  CHECK(qz_tune_run(&t, err, sizeof err) == 0, "tune: %s", err);
  printf("search%s: calibration SQNR %.2f -> %.2f dB, %u groups\n",
         act16 ? " 16x8" : "", t.base_db, t.best_db, t.groups);
  CHECK(t.best_db >= t.base_db, "search never below its base");
  /* input, conv, dw, add (= maxpool = avgpool = flat), logits; the
   * softmax output's parameters are fixed. */
  CHECK(t.groups == 5, "5 activation groups searched (%u)", t.groups);
  qz_outputs ref, got;
  qz_plan plan;
  host_model qm;
  qz_score sc;
  CHECK(qz_run_outputs(&fm, cal, &ref, err, sizeof err) == 0, "%s", err);
  CHECK(qz_build(&g, st, &t.o, &plan, &qm, err, sizeof err) == 0, "%s", err);
  CHECK(qz_run_outputs(&qm, cal, &got, err, sizeof err) == 0, "%s", err);
  CHECK(qz_score_outputs(&ref, &got, &sc, err, sizeof err) == 0, "%s", err);
  CHECK(fabs(sc.sqnr_db - t.best_db) < 1e-9,
        "returned ranges reproduce the score (%.4f vs %.4f dB)", sc.sqnr_db,
        t.best_db);
  qz_outputs_free(&ref);
  qz_outputs_free(&got);
  host_model_free(&qm);
  qz_plan_free(&plan);
  qz_stats_free(st, g.ntensors);
  free(st);
  qz_graph_free(&g);
  host_model_free(&fm);
}

static float *samples(uint32_t n, size_t len) {
  float *x = malloc(n * len * sizeof *x);
  for (size_t i = 0; i < n * len; i++) x[i] = frand(0.0f, 1.0f);
  return x;
}

static const mote_tensor *find_tensor(const host_model *hm, const char *name,
                                      mote_tensor *t) {
  for (uint32_t i = 0; i < hm->m.n_tensors; i++) {
    mote_model_tensor(&hm->m, i, t);
    if (!strcmp(t->name, name)) return t;
  }
  return NULL;
}

/* Quantize `fpath` with options o; check, run, score. Returns SQNR. */
static double quantize_case(const char *what, const char *fpath,
                            const qz_options *o, const qz_samples *cal,
                            const qz_samples *ev, const char *outpath) {
  char err[256];
  host_model fm;
  CHECK(host_model_load(&fm, fpath, 0) == MOTE_OK, "%s: float load", what);
  qz_graph g;
  CHECK(qz_graph_read(&g, &fm, err, sizeof err) == 0, "%s: %s", what, err);
  qz_stats *st = calloc(g.ntensors, sizeof *st);
  CHECK(qz_calibrate(&g, cal, o->method != QZ_MINMAX, st, NULL, NULL, err,
                     sizeof err) == 0,
        "%s: calibrate: %s", what, err);
  qz_plan plan;
  uint8_t *qb = NULL;
  size_t qlen = 0;
  int rc = qz_quantize_graph(&g, st, o, &plan, &qb, &qlen, err, sizeof err);
  CHECK(rc == 0, "%s: quantize: %s", what, err);
  double sq = -1;
  if (rc == 0) {
    CHECK(host_write_file(outpath, qb, qlen) == 0, "write %s", outpath);
    host_model qm;
    mote_status s = host_model_load(&qm, outpath, 0);
    CHECK(s == MOTE_OK, "%s: quantized model does not load (%d)", what, (int)s);
    if (s == MOTE_OK) {
      const mote_dtype at = o->act16 ? MOTE_INT16 : MOTE_INT8;
      mote_tensor t, u;
      CHECK(find_tensor(&qm, "conv/w", &t) && t.type == MOTE_INT8 &&
                t.nscale == 4 && t.quant_dim == 0 && t.zero_point == 0,
            "%s: conv weights per-channel dim 0", what);
      float ws1 = mote_tensor_scale(&t, 1);
      CHECK(find_tensor(&qm, "dw/w", &t) && t.nscale == 4 && t.quant_dim == 3,
            "%s: depthwise weights per-channel dim 3", what);
      CHECK(
          find_tensor(&qm, "fc/w", &t) && t.nscale == 1 && t.type == MOTE_INT8,
          "%s: fc weights per-tensor", what);
      CHECK(find_tensor(&qm, "conv/b", &t) &&
                t.type == (mote_dtype)(o->act16 ? MOTE_INT64 : MOTE_INT32) &&
                t.nscale == 4 && find_tensor(&qm, "conv/w", &u),
            "%s: conv bias type", what);
      mote_tensor in;
      find_tensor(&qm, "input", &in);
      find_tensor(&qm, "conv/b", &t);
      CHECK(fabs(mote_tensor_scale(&t, 1) - in.scale * ws1) <=
                1e-6 * in.scale * ws1,
            "%s: bias scale = input scale * weight scale", what);
      CHECK(in.type == at, "%s: input tensor type %d", what, (int)in.type);
      CHECK(find_tensor(&qm, "probs", &t) && t.type == at &&
                (o->act16 ? t.scale == 1.0f / 32768 && t.zero_point == 0
                          : t.scale == 1.0f / 256 && t.zero_point == -128),
            "%s: softmax output parameters", what);
      CHECK(find_tensor(&qm, "add", &t) && find_tensor(&qm, "maxpool", &u) &&
                t.scale == u.scale && t.zero_point == u.zero_point,
            "%s: max pool keeps its input's parameters", what);
      mote_tensor gi;
      mote_model_input(&qm.m, 0, &gi);
      CHECK(gi.type == (o->io_float ? MOTE_FLOAT32 : at),
            "%s: graph input type %d", what, (int)gi.type);
      qz_outputs ref, got;
      qz_score sc;
      CHECK(qz_run_outputs(&fm, ev, &ref, err, sizeof err) == 0, "%s", err);
      CHECK(qz_run_outputs(&qm, ev, &got, err, sizeof err) == 0, "%s", err);
      CHECK(qz_score_outputs(&ref, &got, &sc, err, sizeof err) == 0, "%s", err);
      printf("%s: SQNR %.2f dB, argmax %u/%u\n", what, sc.sqnr_db, sc.agree,
             sc.n);
      CHECK(sc.agree * 10 >= sc.n * 9, "%s: argmax agreement %u/%u", what,
            sc.agree, sc.n);
      sq = sc.sqnr_db;
      qz_outputs_free(&ref);
      qz_outputs_free(&got);
    }
    host_model_free(&qm);
    qz_plan_free(&plan);
    free(qb);
  }
  qz_stats_free(st, g.ntensors);
  free(st);
  qz_graph_free(&g);
  host_model_free(&fm);
  return sq;
}

static int run_cli(const char *cmd) {
  int s = system(cmd);
  return WIFEXITED(s) ? WEXITSTATUS(s) : -1;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    printf("usage: test_qz_e2e MOTE WORKDIR\n");
    return 2;
  }
  const char *mote = argv[1], *dir = argv[2];
  host_set_fusion(0); /* the float models are calibrated (qz_calibrate) */
  mkdir(dir, 0777);
  char fpath[512], qpath[512], cmd[2048];
  snprintf(fpath, sizeof fpath, "%s/float.tflite", dir);
  size_t len;
  uint8_t *fb = build_model(&len);
  if (host_write_file(fpath, fb, len) != 0) return 2;
  free(fb);
  const size_t n = 8 * 8 * 2;
  float *cx = samples(64, n), *ex = samples(48, n);
  qz_samples cal = {cx, 64, n}, ev = {ex, 48, n};
  qz_options o;
  memset(&o, 0, sizeof o);
  snprintf(qpath, sizeof qpath, "%s/int8.tflite", dir);
  double s8 = quantize_case("int8 minmax", fpath, &o, &cal, &ev, qpath);
  CHECK(s8 >= 25.0, "int8 SQNR %.2f dB >= 25", s8);
  o.method = QZ_MSE;
  snprintf(qpath, sizeof qpath, "%s/int8_mse.tflite", dir);
  double sm = quantize_case("int8 mse", fpath, &o, &cal, &ev, qpath);
  CHECK(sm >= 25.0, "int8 mse SQNR %.2f dB >= 25", sm);
  o.method = QZ_MINMAX;
  o.io_float = 1;
  snprintf(qpath, sizeof qpath, "%s/int8_fio.tflite", dir);
  double sf = quantize_case("int8 float io", fpath, &o, &cal, &ev, qpath);
  CHECK(sf >= 25.0, "float-io SQNR %.2f dB >= 25", sf);
  o.io_float = 0;
  o.act16 = 1;
  snprintf(qpath, sizeof qpath, "%s/16x8.tflite", dir);
  double s16 = quantize_case("16x8", fpath, &o, &cal, &ev, qpath);
  CHECK(s16 >= s8 + 6.0, "16x8 SQNR %.2f dB >= int8 + 6 (%.2f)", s16, s8);
  search_case(fpath, &cal, 0);
  search_case(fpath, &cal, 1);
  bias_case(dir);
  free(cx);
  free(ex);

  /* The CLI: random calibration, the written model loads and runs. */
  snprintf(cmd, sizeof cmd,
           "%s quantize %s -o %s/cli.tflite --random 32 --input-range 0,1 "
           "--calib percentile:99.9 > %s/cli.txt 2>&1",
           mote, fpath, dir, dir);
  CHECK(run_cli(cmd) == 0, "cli quantize exit 0");
  snprintf(cmd, sizeof cmd, "%s run %s/cli.tflite --quiet > /dev/null 2>&1",
           mote, dir);
  CHECK(run_cli(cmd) == 0, "mote run on the written model");
  snprintf(cmd, sizeof cmd, "grep -q 'SQNR' %s/cli.txt", dir);
  CHECK(run_cli(cmd) == 0, "summary printed");
  /* The default (--calib sqnr) tunes and says so. */
  snprintf(cmd, sizeof cmd,
           "%s quantize %s -o %s/cli_sqnr.tflite --random 16 --input-range "
           "0,1 > %s/cli_sqnr.txt 2>&1 && grep -q '^tuned on 16 samples' "
           "%s/cli_sqnr.txt",
           mote, fpath, dir, dir, dir);
  CHECK(run_cli(cmd) == 0, "default calibration tunes end to end");
  /* Unsupported op: exit 4, the op named. */
  uint8_t *ub = build_unsupported(&len);
  snprintf(fpath, sizeof fpath, "%s/tconv.tflite", dir);
  if (host_write_file(fpath, ub, len) != 0) return 2;
  free(ub);
  snprintf(cmd, sizeof cmd,
           "%s quantize %s -o %s/tconv_q.tflite --random 4 > %s/tconv.txt "
           "2>&1",
           mote, fpath, dir, dir);
  CHECK(run_cli(cmd) == 4, "unsupported op exit 4");
  snprintf(cmd, sizeof cmd, "grep -q 'TRANSPOSE_CONV' %s/tconv.txt", dir);
  CHECK(run_cli(cmd) == 0, "error names TRANSPOSE_CONV");
  /* Usage error: no calibration source. */
  snprintf(cmd, sizeof cmd, "%s quantize %s -o x > /dev/null 2>&1", mote,
           fpath);
  CHECK(run_cli(cmd) == 2, "usage exit 2");
  return check_summary();
}
