/*
** test_qz_math.c: the quantizer's arithmetic on hand cases: per-channel
** and per-tensor symmetric weights, bias scales, asymmetric activation
** parameters, and the range methods on synthetic distributions (MSE clips
** heavy tails below the max, percentile cuts the outliers, min/max keeps
** them).
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/check.h"
#include "quantize/qz_math.h"
#include "quantize/qz_tune.h"

static int near(double a, double b, double tol) {
  return fabs(a - b) <= tol;
}

static void test_weights(void) {
  /* Conv filter [O=2, H=1, W=1, I=3]: channel 0 max 2.54, channel 1 0.127. */
  const float w[6] = {2.54f, -1.27f, 0.0f, 0.127f, -0.0636f, 0.01f};
  const int32_t shape[4] = {2, 1, 1, 3};
  int8_t q[6];
  float s[2];
  uint32_t n = qz_weights(w, shape, 4, 0, q, s);
  CHECK(n == 2, "2 channels, got %u", n);
  CHECK(near(s[0], 0.02, 1e-7) && near(s[1], 0.001, 1e-8), "scales %g %g",
        (double)s[0], (double)s[1]);
  CHECK(q[0] == 127 && q[1] == -64 && q[2] == 0, "ch0 %d %d %d", q[0], q[1],
        q[2]);
  CHECK(q[3] == 127 && q[4] == -64 && q[5] == 10, "ch1 %d %d %d", q[3], q[4],
        q[5]);
  /* Depthwise [1, 1, 2, C=2]: axis 3, values interleaved by channel. */
  const float d[4] = {1.0f, -4.0f, -0.5f, 2.0f};
  const int32_t dshape[4] = {1, 1, 2, 2};
  n = qz_weights(d, dshape, 4, 3, q, s);
  CHECK(n == 2 && near(s[0], 1.0 / 127, 1e-8) && near(s[1], 4.0 / 127, 1e-8),
        "dw scales %g %g", (double)s[0], (double)s[1]);
  CHECK(q[0] == 127 && q[1] == -127 && q[2] == -64 && q[3] == 64,
        "dw q %d %d %d %d", q[0], q[1], q[2], q[3]);
  /* Per-tensor: one scale over everything, symmetric (never -128). */
  n = qz_weights(d, dshape, 4, -1, q, s);
  CHECK(n == 1 && near(s[0], 4.0 / 127, 1e-8), "per-tensor %g", (double)s[0]);
  CHECK(q[1] == -127 && q[0] == 32, "per-tensor q %d %d", q[0], q[1]);
  /* All-zero channel: scale 1, values 0. */
  const float z[2] = {0, 0};
  const int32_t zs[2] = {2, 1};
  n = qz_weights(z, zs, 2, 0, q, s);
  CHECK(s[0] == 1.0f && q[0] == 0, "zero channel scale %g", (double)s[0]);
}

static void test_bias(void) {
  const float b[2] = {0.5f, -0.25f};
  const float ws[2] = {0.02f, 0.001f};
  int32_t q[2];
  float bs[2];
  qz_bias(b, 2, 0.1f, ws, 2, 0, q, bs);
  CHECK(near(bs[0], 0.002, 1e-9) && near(bs[1], 0.0001, 1e-10),
        "bias scales %g %g", (double)bs[0], (double)bs[1]);
  CHECK(q[0] == 250 && q[1] == -2500, "bias q %d %d", q[0], q[1]);
  int64_t q64[2];
  qz_bias(b, 2, 0.1f, ws, 1, 1, q64, bs); /* per-tensor, int64 */
  CHECK(q64[0] == 250 && q64[1] == -125 && near(bs[0], 0.002, 1e-9),
        "bias64 %lld %lld", (long long)q64[0], (long long)q64[1]);
  /* int32 saturates. */
  const float big = 1e9f;
  qz_bias(&big, 1, 1e-3f, ws, 1, 0, q, bs);
  CHECK(q[0] == INT32_MAX, "saturated %d", q[0]);
}

static void test_params(void) {
  float s;
  int32_t zp;
  qz_asym_params(-1.0, 3.0, -128, 127, &s, &zp);
  CHECK(near(s, 4.0 / 255, 1e-7) && zp == -64, "asym %g %d", (double)s, zp);
  qz_asym_params(0.0, 6.0, -128, 127, &s, &zp);
  CHECK(zp == -128 && near(s, 6.0 / 255, 1e-7), "relu6 %g %d", (double)s, zp);
  /* A range without 0 is widened to contain it. */
  qz_asym_params(2.0, 4.0, -128, 127, &s, &zp);
  CHECK(zp == -128 && near(s, 4.0 / 255, 1e-7), "widen %g %d", (double)s, zp);
  CHECK(near(qz_sym_scale(-3.0, 2.0, 32767), 3.0 / 32767, 1e-9), "sym");
  CHECK(qz_quantize(1.0f, 4.0f / 255, -64, -128, 127) == 0, "q(1.0)");
  CHECK(qz_quantize(100.0f, 0.1f, 0, -128, 127) == 127, "saturate");
}

/* Laplacian samples: heavy tails, a handful of far outliers. */
static void test_ranges(void) {
  enum { N = 200000 };
  float *x = malloc(N * sizeof *x);
  uint32_t st = 12345;
  double mn = 0, mx = 0;
  for (int i = 0; i < N; i++) {
    st ^= st << 13;
    st ^= st >> 17;
    st ^= st << 5;
    double u = ((st >> 8) + 0.5) / 16777216.0 - 0.5;
    double v = (u < 0 ? 1 : -1) * log(1 - 2 * fabs(u));
    x[i] = (float)v;
    if (v < mn) mn = v;
    if (v > mx) mx = v;
  }
  qz_hist *h = malloc(sizeof *h);
  qz_hist_init(h, mn, mx);
  qz_hist_add(h, x, N);
  double lo, hi;
  qz_choose_range(QZ_MINMAX, 0, 0, 255, mn, mx, h, &lo, &hi);
  CHECK(lo == mn && hi == mx, "minmax keeps the extremes");
  qz_choose_range(QZ_MSE, 0, 0, 255, mn, mx, h, &lo, &hi);
  /* For 8 bits the MSE-optimal clip of Laplace(b = 1) is about 9.9 b
   * (Banner et al., ACIQ), below the extremes of 200k samples. */
  CHECK(hi < 0.9 * mx && lo > 0.9 * mn && near(hi, 9.9, 1.2) &&
            near(lo, -9.9, 1.2),
        "mse clips the tails: [%g, %g] of [%g, %g]", lo, hi, mn, mx);
  CHECK(qz_hist_mse(h, lo, hi, 255) < qz_hist_mse(h, mn, mx, 255),
        "mse range has a lower MSE");
  /* Laplace(1): P(|x| > t) = exp(-t); 99.9th percentile = ln(500). */
  qz_choose_range(QZ_PERCENTILE, 99.9, 0, 255, mn, mx, h, &lo, &hi);
  CHECK(near(hi, log(500.0), 0.15) && near(lo, -log(500.0), 0.15),
        "percentile 99.9: [%g, %g], want +-%g", lo, hi, log(500.0));
  /* Symmetric MSE (int16 levels): smaller clip than int8 would need. */
  double lo16, hi16;
  qz_choose_range(QZ_MSE, 0, 1, 65534, mn, mx, h, &lo16, &hi16);
  CHECK(hi16 == -lo16 && hi16 > hi, "int16 mse keeps more: %g vs %g", hi16, hi);
  /* Uniform data: MSE keeps (almost) the full range. */
  for (int i = 0; i < N; i++) x[i] = (float)(i % 1000) / 999.0f;
  qz_hist_init(h, 0.0, 1.0);
  qz_hist_add(h, x, N);
  qz_choose_range(QZ_MSE, 0, 0, 255, 0.0, 1.0, h, &lo, &hi);
  CHECK(hi > 0.97 && lo == 0.0, "uniform: [%g, %g]", lo, hi);
  /* --calib sqnr starts from min/max, histogram or not. */
  qz_choose_range(QZ_SQNR, 0, 0, 255, -0.5, 1.0, h, &lo, &hi);
  CHECK(lo == -0.5 && hi == 1.0, "sqnr base is min/max: [%g, %g]", lo, hi);
  free(h);
  free(x);
}

int main(void) {
  test_weights();
  test_bias();
  test_params();
  test_ranges();
  CHECK(near(qz_sqnr_db(100.0, 1.0), 20.0, 1e-9), "sqnr");
  /* The range search grid: 1 (unchanged) down to 1/8 by sixths of an
   * octave. */
  CHECK(qz_tune_factor(0) == 1.0 &&
            near(qz_tune_factor(QZ_TUNE_FACTORS - 1), 0.125, 1e-12) &&
            near(qz_tune_factor(6), 0.5, 1e-12),
        "search factors");
  return check_summary();
}
