/*
** test_activations.c: the SOFTMAX / LOGISTIC / TANH / RELU / RELU6 /
** LEAKY_RELU / HARD_SWISH / QUANTIZE / DEQUANTIZE reference kernels and the
** fixed-point helpers of mote_fixedpoint_math.h, called directly on
** hand-made cases:
**   - fixed-point exp / 1/(1+x) / tanh / logistic against libm;
**   - hand-derived values (rounding half away from zero, saturation at the
**     int8 / int16 limits, zero points -128 / 127, the TFLM table corners);
**   - random data against naive float computations (1 LSB tolerances where
**     the fixed-point design guarantees it) and against the independent
**     fixed-point reference of model_harness.h (exact);
**   - output aliasing the input (in place).
** Plus whole-model checks of what prepare accepts and refuses, and a chain
** QUANTIZE -> RELU -> LOGISTIC -> DEQUANTIZE run in place by the planner.
*/
#include <float.h>

#include "kernels/mote_fixedpoint_math.h"
#include "kernels/ref/activation_ref.h"
#include "model_harness.h"

/* ---------------- fixed-point helpers ---------------- */

static double q_to_d(int32_t raw, int int_bits) {
  return (double)raw / (double)((int64_t)1 << (31 - int_bits));
}

static void test_fixedpoint(void) {
  double worst;
  int i;
  mh_case = "fixedpoint exact corners";
  MH_CHECK(mote_fp_exp_neg(0, 5) == INT32_MAX, "exp(0) is the largest Q0");
  MH_CHECK(mote_fp_logistic(0, 4) == (1 << 30), "logistic(0) = 1/2 exactly");
  MH_CHECK(mote_fp_tanh(0, 4) == 0, "tanh(0) = 0");
  MH_CHECK(mote_fp_mul_pot(0x40000000, 1) == INT32_MAX, "2^30 << 1 saturates");
  MH_CHECK(mote_fp_mul_pot(-0x40000001, 1) == INT32_MIN, "negative saturates");
  MH_CHECK(mote_fp_mul_pot(5, -1) == 3 && mote_fp_mul_pot(-5, -1) == -3,
           "rounding half away from zero (%d %d)", mote_fp_mul_pot(5, -1),
           mote_fp_mul_pot(-5, -1));
  MH_CHECK(mote_clz32(0) == 32 && mote_clz32(1) == 31 && mote_clz32(~0u) == 0,
           "clz");
  MH_CHECK(mote_fp_rounding_half_sum(3, 4) == 4 &&
               mote_fp_rounding_half_sum(-3, -4) == -4,
           "rounding half sum");

  mh_case = "fixedpoint exp_neg vs expf";
  worst = 0;
  for (i = 0; i <= 4000; i++) {
    double x = -16.0 * i / 4000.0; /* Q5.26 covers [-32, 32) */
    int32_t raw = (int32_t)llround(x * (double)(1 << 26));
    double got = q_to_d(mote_fp_exp_neg(raw, 5), 0);
    double d = fabs(got - exp(q_to_d(raw, 5)));
    if (d > worst) worst = d;
  }
  MH_CHECK(worst < 5e-7, "exp error %g", worst);
  /* below -32 (more integer bits than 5): clamped to exactly 0 */
  MH_CHECK(mote_fp_exp_neg(-(33 << 24), 7) == 0, "exp(-33) in Q7 is 0");

  mh_case = "fixedpoint 1/(1+x) and (1-x)/(1+x)";
  worst = 0;
  for (i = 0; i < 1000; i++) {
    int32_t raw = (int32_t)((int64_t)i * (INT32_MAX / 1000));
    double x = q_to_d(raw, 0);
    double a = fabs(q_to_d(mote_fp_one_over_one_plus_x(raw), 0) - 1 / (1 + x));
    double b = fabs(q_to_d(mote_fp_one_minus_x_over_one_plus_x(raw), 0) -
                    (1 - x) / (1 + x));
    if (a > worst) worst = a;
    if (b > worst) worst = b;
  }
  MH_CHECK(worst < 1e-8, "division error %g", worst);

  mh_case = "fixedpoint tanh / logistic vs libm";
  worst = 0;
  for (i = -2000; i <= 2000; i++) {
    double x = i / 200.0; /* [-10, 10] in Q4.27 */
    int32_t raw = (int32_t)llround(x * (double)(1 << 27));
    double xq = q_to_d(raw, 4);
    double t = fabs(q_to_d(mote_fp_tanh(raw, 4), 0) - tanh(xq));
    double l =
        fabs(q_to_d(mote_fp_logistic(raw, 4), 0) - 1.0 / (1.0 + exp(-xq)));
    if (t > worst) worst = t;
    if (l > worst) worst = l;
  }
  MH_CHECK(worst < 1e-6, "tanh/logistic error %g", worst);

  mh_case = "lut16 lookup";
  {
    int16_t lut[513];
    for (i = 0; i < 513; i++) lut[i] = (int16_t)(i * 64 - 16384);
    /* linear table: exact interpolation; value v maps to v/2 */
    MH_CHECK(mote_lut16_lookup(0, lut) == 0, "middle");
    MH_CHECK(mote_lut16_lookup(-32768, lut) == -16384, "low end");
    MH_CHECK(mote_lut16_lookup(32767, lut) == 16384, "high end (%d)",
             mote_lut16_lookup(32767, lut));
    MH_CHECK(mote_lut16_lookup(101, lut) == 51, "interpolated, rounded (%d)",
             mote_lut16_lookup(101, lut));
  }
}

/* ---------------- SOFTMAX ---------------- */

/* Q5.26 input multiplier for beta * scale (TFLM PreprocessSoftmaxScaling),
 * computed with the harness reference. */
static mote_softmax_q_params softmax_q(double beta, double scale) {
  mote_softmax_q_params p;
  int32_t m;
  int s;
  double real = beta * scale * (double)(1 << 26);
  if (real > 2147483647.0) real = 2147483647.0;
  ref_qm(real, &m, &s);
  p.input_multiplier = m;
  p.input_left_shift = s;
  p.diff_min = -(int32_t)floor(31.0 * (double)(1 << 26) / ldexp(1.0, s));
  return p;
}

static void float_softmax(const double *x, int n, double beta, double *y) {
  double mx = -DBL_MAX, sum = 0;
  int i;
  for (i = 0; i < n; i++) mx = x[i] > mx ? x[i] : mx;
  for (i = 0; i < n; i++) sum += (y[i] = exp((x[i] - mx) * beta));
  for (i = 0; i < n; i++) y[i] /= sum;
}

static void test_softmax_s8(void) {
  int8_t in[128], out[128], out2[128];
  int16_t out16[128];
  double xd[64], yd[64];
  int t, i;
  mh_case = "softmax s8 uniform row";
  {
    mote_softmax_q_params p = softmax_q(1.0, 0.1);
    for (i = 0; i < 4; i++) in[i] = 37;
    mote_softmax_s8_ref(&p, 1, 4, in, out);
    /* 0.25 * 256 - 128 = -64 */
    for (i = 0; i < 4; i++)
      MH_CHECK(out[i] == -64, "out[%d] = %d, want -64", i, out[i]);
    mote_softmax_s8_s16_ref(&p, 1, 4, in, out16);
    /* 0.25 * 65536 - 32768 = -16384 */
    for (i = 0; i < 4; i++)
      MH_CHECK(out16[i] == -16384, "out16[%d] = %d", i, out16[i]);
  }
  mh_case = "softmax s8 depth 1 and domination";
  {
    mote_softmax_q_params p = softmax_q(1.0, 0.5);
    in[0] = -128;
    mote_softmax_s8_ref(&p, 1, 1, in, out);
    MH_CHECK(out[0] == 127, "1.0 saturates to 127 (got %d)", out[0]);
    mote_softmax_s8_s16_ref(&p, 1, 1, in, out16);
    MH_CHECK(out16[0] == 32767, "1.0 saturates to 32767 (got %d)", out16[0]);
    /* 127 vs -128 at scale 0.5: e^-127.5 -> below diff_min: exactly min */
    in[0] = 127;
    in[1] = -128;
    in[2] = -128;
    mote_softmax_s8_ref(&p, 1, 3, in, out);
    MH_CHECK(out[0] == 127 && out[1] == -128 && out[2] == -128,
             "dominated row %d %d %d", out[0], out[1], out[2]);
  }
  mh_case = "softmax s8 random rows vs float";
  for (t = 0; t < 200; t++) {
    int depth = mh_randi(1, 40), outer = mh_randi(1, 3);
    double scale = mh_randf(0.002, 0.2), beta = mh_randf(0.3, 2.0);
    mote_softmax_q_params p = softmax_q(beta, scale);
    int bad = 0, bad16 = 0, r;
    for (i = 0; i < depth * outer; i++) in[i] = (int8_t)mh_randi(-128, 127);
    mote_softmax_s8_ref(&p, outer, depth, in, out);
    mote_softmax_s8_s16_ref(&p, outer, depth, in, out16);
    for (r = 0; r < outer; r++) {
      for (i = 0; i < depth; i++) xd[i] = in[r * depth + i] * scale;
      float_softmax(xd, depth, beta, yd);
      for (i = 0; i < depth; i++) {
        double q8 = ref_clamp(llround(yd[i] * 256 - 128), -128, 127);
        double q16 = ref_clamp(llround(yd[i] * 65536 - 32768), -32768, 32767);
        if (fabs(out[r * depth + i] - q8) > 1) bad++;
        if (fabs(out16[r * depth + i] - q16) > 3) bad16++;
      }
    }
    MH_CHECK(bad == 0 && bad16 == 0,
             "trial %d depth %d: %d int8 / %d int16 outputs off", t, depth, bad,
             bad16);
    /* in place gives the same bytes */
    memcpy(out2, in, (size_t)(depth * outer));
    mote_softmax_s8_ref(&p, outer, depth, out2, out2);
    MH_CHECK(memcmp(out2, out, (size_t)(depth * outer)) == 0,
             "in-place differs (trial %d)", t);
  }
}

/* Independent int16 softmax tables, built in double with TFLM's
 * mid-point bias correction. */
static void lut_double(double (*f)(double), double lo, double hi,
                       int16_t *lut) {
  double step = (hi - lo) / 512, v;
  int i;
  for (i = 0; i < 512; i++) {
    double a = f(lo + i * step), m = f(lo + i * step + step / 2);
    double b = f(lo + (i + 1) * step);
    double s = round(a * 32768);
    double mi = round((b * 32768 + round(a * 32768)) / 2);
    double bias = round((mi - round(m * 32768)) / 2);
    v = s - bias;
    lut[i] = (int16_t)(v < -32768 ? -32768 : (v > 32767 ? 32767 : v));
  }
  v = round(f(hi) * 32768);
  lut[512] = (int16_t)(v > 32767 ? 32767 : v);
}
static double f_exp(double x) {
  return exp(x);
}
static double f_recip(double x) {
  return 1.0 / (1.0 + x);
}

static void test_softmax_s16(void) {
  int16_t exp_lut[513], rec_lut[513], in[48], out[48], out2[48];
  double xd[48], yd[48];
  int t, i;
  lut_double(f_exp, -10, 0, exp_lut);
  lut_double(f_recip, 0, 1, rec_lut);
  mh_case = "softmax s16 tables";
  MH_CHECK(
      exp_lut[512] == 32767 && rec_lut[0] == 32767 && rec_lut[512] == 16384,
      "table corners %d %d %d", exp_lut[512], rec_lut[0], rec_lut[512]);
  mh_case = "softmax s16 random rows vs float";
  for (t = 0; t < 100; t++) {
    int depth = mh_randi(1, 48);
    double scale = mh_randf(0.00005, 0.0003), beta = mh_randf(0.5, 1.5);
    mote_softmax_s16_params p;
    int32_t m;
    int s, bad = 0;
    double worst = 0;
    ref_qm(scale * beta / (10.0 / 65535.0), &m, &s);
    p.input_multiplier = m;
    p.input_left_shift = s;
    p.exp_lut = exp_lut;
    p.one_over_lut = rec_lut;
    for (i = 0; i < depth; i++) in[i] = (int16_t)mh_randi(-32768, 32767);
    mote_softmax_s16_ref(&p, 1, depth, in, out);
    for (i = 0; i < depth; i++) xd[i] = in[i] * scale;
    float_softmax(xd, depth, beta, yd);
    for (i = 0; i < depth; i++) {
      double d = fabs(out[i] - yd[i] * 32768);
      if (d > worst) worst = d;
      if (d > 40 || out[i] < 0) bad++;
    }
    MH_CHECK(bad == 0, "trial %d depth %d: %d off (worst %.1f LSB)", t, depth,
             bad, worst);
    memcpy(out2, in, sizeof in);
    mote_softmax_s16_ref(&p, 1, depth, out2, out2);
    MH_CHECK(memcmp(out2, out, (size_t)depth * 2) == 0, "in-place differs");
  }
}

static void test_softmax_f32(void) {
  float in[8] = {1, 2, 3, 4, -1e30f, 0, 0, 0}, out[8];
  double xd[8], yd[8];
  int i;
  mh_case = "softmax f32";
  for (i = 0; i < 4; i++) xd[i] = in[i];
  float_softmax(xd, 4, 0.7, yd);
  mote_softmax_f32_ref(0.7f, 2, 4, in, out);
  for (i = 0; i < 4; i++)
    MH_CHECK(fabs(out[i] - yd[i]) < 1e-6, "out[%d] %g want %g", i, out[i],
             yd[i]);
  MH_CHECK(out[4] == 0.0f && fabsf(out[5] - 1.0f / 3) < 1e-6f,
           "huge negative gives exactly 0 (%g %g)", out[4], out[5]);
  mote_softmax_f32_ref(0.0f, 1, 4, in, out);
  for (i = 0; i < 4; i++) MH_CHECK(out[i] == 0.25f, "beta 0: uniform");
}

/* ---------------- LOGISTIC / TANH ---------------- */

static mote_sigmoid_s8_params sigmoid_s8(double scale, int32_t zp) {
  mote_sigmoid_s8_params p;
  int e;
  double q = frexp(scale * (double)(1 << 27), &e);
  p.input_zero_point = zp;
  p.input_multiplier = (int32_t)llround(q * 2147483648.0);
  p.input_left_shift = e;
  p.input_range_radius =
      (int32_t)floor(15.0 * (double)(1 << 27) / ldexp(1.0, e));
  return p;
}

static void test_sigmoid_s8(void) {
  const double scales[] = {0.01, 0.025, 0.0625, 0.11};
  const int32_t zps[] = {-128, 0, 10, 127};
  int8_t in[256], out[256], out2[256];
  int k, i;
  for (i = 0; i < 256; i++) in[i] = (int8_t)(i - 128);
  for (k = 0; k < 4; k++) {
    mote_sigmoid_s8_params p = sigmoid_s8(scales[k], zps[k]);
    int bad_l = 0, bad_t = 0;
    mh_case = "logistic/tanh s8 all inputs vs float";
    mote_logistic_s8_ref(&p, 256, in, out);
    for (i = 0; i < 256; i++) {
      double x = (in[i] - zps[k]) * scales[k];
      int64_t want = ref_clamp(llround(256.0 / (1 + exp(-x)) - 128), -128, 127);
      if (llabs(out[i] - want) > 1) bad_l++;
    }
    memcpy(out2, in, 256);
    mote_logistic_s8_ref(&p, 256, out2, out2);
    MH_CHECK(memcmp(out, out2, 256) == 0, "logistic in place");
    mote_tanh_s8_ref(&p, 256, in, out);
    for (i = 0; i < 256; i++) {
      double x = (in[i] - zps[k]) * scales[k];
      int64_t want = ref_clamp(llround(128.0 * tanh(x)), -128, 127);
      if (llabs(out[i] - want) > 1) bad_t++;
    }
    MH_CHECK(bad_l == 0 && bad_t == 0, "scale %g zp %d: %d / %d off", scales[k],
             zps[k], bad_l, bad_t);
    /* input == zero point: logistic 0.5 -> 0, tanh 0 -> 0 */
    {
      int8_t z = (int8_t)zps[k], o;
      mote_logistic_s8_ref(&p, 1, &z, &o);
      MH_CHECK(o == 0, "logistic(0) = %d", o);
      mote_tanh_s8_ref(&p, 1, &z, &o);
      MH_CHECK(o == 0, "tanh(0) = %d", o);
    }
  }
  mh_case = "logistic/tanh s8 saturation beyond the radius";
  {
    mote_sigmoid_s8_params p = sigmoid_s8(0.5, 0); /* radius: 15 */
    int8_t x[4] = {-128, -30, 30, 127}, o[4];
    MH_CHECK(p.input_range_radius == 15, "radius %d", p.input_range_radius);
    mote_logistic_s8_ref(&p, 4, x, o);
    MH_CHECK(o[0] == -128 && o[1] == -128 && o[2] == 127 && o[3] == 127,
             "logistic %d %d %d %d", o[0], o[1], o[2], o[3]);
    mote_tanh_s8_ref(&p, 4, x, o);
    MH_CHECK(o[0] == -128 && o[1] == -128 && o[2] == 127 && o[3] == 127,
             "tanh %d %d %d %d", o[0], o[1], o[2], o[3]);
  }
}

static void test_sigmoid_s16(void) {
  /* power-of-two scale 2^-12 (multiplier 0) and two other scales through
   * the 15-bit multiplier, like TFLM's prepare computes it */
  const double scales[] = {1.0 / 4096, 0.00021, 0.0009};
  int16_t in[1024], out[1024], outn[1024];
  int k, i;
  for (i = 0; i < 1024; i++) in[i] = (int16_t)(i * 64 - 32768);
  in[1023] = 32767;
  for (k = 0; k < 3; k++) {
    mote_sigmoid_s16_params p;
    int bad_l = 0, bad_t = 0, bad_sym = 0;
    double worst = 0;
    if (k == 0) {
      p.input_multiplier = 0;
      p.input_left_shift = 0;
    } else {
      double m = scales[k] * 4096 * 3;
      int s = 0;
      while (m <= 32767.0 / 2 && s <= 30) {
        s++;
        m *= 2;
      }
      p.input_multiplier = (int32_t)m;
      p.input_left_shift = s;
    }
    mh_case = "logistic s16 vs float";
    mote_logistic_s16_ref(&p, 1024, in, out);
    for (i = 0; i < 1024; i++) {
      double x = in[i] * scales[k];
      double d = fabs(out[i] - 32768.0 / (1 + exp(-x)));
      if (d > worst) worst = d;
      if (d > 4 || out[i] < 0) bad_l++;
    }
    for (i = 0; i < 1024; i++) outn[i] = (int16_t)-in[i];
    mote_logistic_s16_ref(&p, 1023, outn + 1, outn + 1); /* skip -(-32768) */
    for (i = 1; i < 1023; i++)
      if (abs(out[i] + outn[i] - 32768) > 1) bad_sym++;
    MH_CHECK(bad_l == 0 && bad_sym == 0,
             "scale %g: %d off (worst %.2f), %d asymmetric", scales[k], bad_l,
             worst, bad_sym);
    mh_case = "tanh s16 vs float";
    worst = 0;
    mote_tanh_s16_ref(&p, 1024, in, out);
    for (i = 0; i < 1024; i++) {
      double x = in[i] * scales[k];
      double d = fabs(out[i] - 32768.0 * tanh(x));
      if (d > worst) worst = d;
      if (d > 4) bad_t++;
    }
    MH_CHECK(bad_t == 0, "scale %g: %d off (worst %.2f)", scales[k], bad_t,
             worst);
  }
  mh_case = "logistic/tanh s16 hand values";
  {
    mote_sigmoid_s16_params p = {0, 0};
    int16_t x[3] = {0, -32768, 32767}, o[3];
    mote_logistic_s16_ref(&p, 3, x, o);
    MH_CHECK(o[0] == 16384, "logistic(0) = %d", o[0]);
    /* +-8: 32768 / (1 + e^8) = 10.99 */
    MH_CHECK(o[1] == 11 && o[2] == 32757, "logistic ends %d %d", o[1], o[2]);
    mote_tanh_s16_ref(&p, 3, x, o);
    /* |x| = 8 -> saturated branch: (0xFFFF << 8) +- 2^23 + 2^7, >> 8 */
    MH_CHECK(o[0] == 0 && o[1] == -32767 && o[2] == 32767, "tanh %d %d %d",
             o[0], o[1], o[2]);
    /* tanh pot shift 1 (scale 2^-11): multiplier 6 */
    p.input_left_shift = 1;
    mote_tanh_s16_ref(&p, 3, x, o);
    MH_CHECK(o[0] == 0 && o[1] == -32767 && o[2] == 32767,
             "tanh shift 1: %d %d %d", o[0], o[1], o[2]);
  }
}

static void test_sigmoid_f32(void) {
  float x[6] = {0, 1, -1, 20, -20, -9.5f}, o[6];
  int i;
  mh_case = "logistic/tanh f32";
  mote_logistic_f32_ref(6, x, o);
  MH_CHECK(o[0] == 0.5f && o[3] == 1.0f, "logistic 0 / cut-off");
  MH_CHECK(fabsf(o[4] - expf(-20)) < 1e-12f && o[4] > 0, "exp below -9");
  for (i = 0; i < 6; i++)
    MH_CHECK(fabs(o[i] - 1 / (1 + exp(-(double)x[i]))) < 1e-6, "logistic[%d]",
             i);
  mote_tanh_f32_ref(6, x, o);
  for (i = 0; i < 6; i++)
    MH_CHECK(fabs(o[i] - tanh((double)x[i])) < 1e-6, "tanh[%d]", i);
}

/* ---------------- RELU / RELU6 / LEAKY_RELU ---------------- */

static void test_relu(void) {
  int8_t in[256], out[256];
  int16_t in16[512], out16[512];
  int k, i;
  for (i = 0; i < 256; i++) in[i] = (int8_t)(i - 128);
  for (k = 0; k < 6; k++) {
    const float in_s[] = {0.02f, 0.05f, 0.1f, 0.01f, 0.3f, 0.0123f};
    const float out_s[] = {0.017f, 0.05f, 0.4f, 0.01f, 0.01f, 0.0123f};
    const int32_t in_zp[] = {5, -3, -128, 127, 0, -20};
    const int32_t out_zp[] = {-110, -100, 127, -128, 0, 3};
    mote_relu_q_params p;
    int m_shift, bad = 0;
    ref_qm((double)in_s[k] / (double)out_s[k], &p.multiplier, &m_shift);
    p.shift = m_shift;
    p.input_offset = in_zp[k];
    p.output_offset = out_zp[k];
    p.act_min = out_zp[k] > -128 ? out_zp[k] : -128;
    p.act_max = 127;
    mh_case = "relu s8 vs reference requantization";
    mote_relu_s8_ref(&p, 256, in, out);
    for (i = 0; i < 256; i++) {
      int64_t v = out_zp[k] + ref_mbqm(in[i] - in_zp[k], p.multiplier, m_shift);
      int64_t want = ref_clamp(v, p.act_min, 127);
      /* and independently of the fixed point: within 1 of the real value */
      double real = out_zp[k] + (in[i] - in_zp[k]) * (double)in_s[k] / out_s[k];
      double rw = real < p.act_min ? p.act_min : (real > 127 ? 127 : real);
      /* double rounding (multiply, then shift) can add up to 1/4 */
      if (out[i] != want || fabs(out[i] - rw) > 0.75) bad++;
    }
    MH_CHECK(bad == 0, "case %d: %d off", k, bad);
  }
  mh_case = "relu s8 in place, same scale is the identity above zero";
  {
    mote_relu_q_params p = {-7, -7, 1 << 30, 1, -7, 127};
    memcpy(out, in, 256);
    mote_relu_s8_ref(&p, 256, out, out);
    for (i = 0; i < 256; i++)
      MH_CHECK(out[i] == (in[i] < -7 ? -7 : in[i]), "x=%d -> %d", in[i],
               out[i]);
  }
  mh_case = "relu s16";
  {
    mote_relu_q_params p;
    int sh, bad = 0;
    ref_qm(0.000244140625 / 0.0002, &p.multiplier, &sh);
    p.shift = sh;
    p.input_offset = p.output_offset = 0;
    p.act_min = 0;
    p.act_max = 32767;
    for (i = 0; i < 512; i++) in16[i] = (int16_t)(i * 128 - 32768);
    in16[511] = 32767;
    mote_relu_s16_ref(&p, 512, in16, out16);
    for (i = 0; i < 512; i++) {
      int64_t want = ref_clamp(ref_mbqm(in16[i], p.multiplier, sh), 0, 32767);
      if (out16[i] != want) bad++;
    }
    MH_CHECK(bad == 0 && out16[511] == 32767 && out16[0] == 0,
             "%d off, ends %d %d", bad, out16[0], out16[511]);
  }
  mh_case = "relu f32";
  {
    float x[4] = {-1.5f, -0.0f, 0.0f, 3.25f}, o[4];
    mote_relu_f32_ref(4, x, o);
    MH_CHECK(o[0] == 0 && o[2] == 0 && o[3] == 3.25f, "values");
  }
}

static void test_relu6(void) {
  int8_t in[256], out[256];
  int16_t x16[4] = {-32768, 0, 24575, 32767}, o16[4];
  float xf[5] = {-1, 0, 3, 6, 7.5f}, of[5];
  int i;
  mh_case = "relu6 s8 clamp";
  for (i = 0; i < 256; i++) in[i] = (int8_t)(i - 128);
  mote_relu6_s8_ref(-10, 90, 256, in, out);
  for (i = 0; i < 256; i++) {
    int want = in[i] < -10 ? -10 : (in[i] > 90 ? 90 : in[i]);
    MH_CHECK(out[i] == want, "x=%d -> %d", in[i], out[i]);
  }
  mote_relu6_s8_ref(-128, 127, 256, in, in); /* in place, full range */
  for (i = 0; i < 256; i++) MH_CHECK(in[i] == i - 128, "identity");
  mh_case = "relu6 s16 clamp";
  mote_relu6_s16_ref(0, 24576, 4, x16, o16);
  MH_CHECK(o16[0] == 0 && o16[1] == 0 && o16[2] == 24575 && o16[3] == 24576,
           "%d %d %d %d", o16[0], o16[1], o16[2], o16[3]);
  mh_case = "relu6 f32";
  mote_relu6_f32_ref(5, xf, of);
  MH_CHECK(of[0] == 0 && of[1] == 0 && of[2] == 3 && of[3] == 6 && of[4] == 6,
           "values");
}

static void leaky_params(float in_s, int32_t in_zp, float out_s, int32_t out_zp,
                         float alpha, mote_leaky_relu_q_params *p) {
  int s;
  ref_qm((double)(in_s / out_s), &p->identity_multiplier, &s);
  p->identity_shift = s;
  ref_qm((double)(in_s * alpha / out_s), &p->alpha_multiplier, &s);
  p->alpha_shift = s;
  p->alpha_negative = p->alpha_multiplier < 0;
  if (p->alpha_negative) p->alpha_multiplier = -p->alpha_multiplier;
  p->input_offset = in_zp;
  p->output_offset = out_zp;
}

static void test_leaky_relu(void) {
  const float alphas[] = {0.2f, 0.0f, 1.5f, -0.3f, 3.0f};
  int8_t in[256], out[256];
  int16_t in16[256], out16[256];
  int k, i;
  for (i = 0; i < 256; i++) in[i] = (int8_t)(i - 128);
  for (k = 0; k < 5; k++) {
    mote_leaky_relu_q_params p;
    int bad = 0, bad_real = 0;
    leaky_params(0.03f, -12, 0.05f, 7, alphas[k], &p);
    mh_case = "leaky_relu s8 vs reference";
    mote_leaky_relu_s8_ref(&p, 256, in, out);
    for (i = 0; i < 256; i++) {
      int32_t x = in[i] + 12;
      int64_t v;
      double real;
      if (x >= 0) {
        v = 7 + ref_mbqm(x, p.identity_multiplier, p.identity_shift);
        real = 7 + x * 0.03 / 0.05;
      } else {
        int32_t a = ref_mbqm(x, p.alpha_multiplier, p.alpha_shift);
        v = 7 + (p.alpha_negative ? -a : a);
        real = 7 + x * 0.03 * alphas[k] / 0.05;
      }
      if (out[i] != ref_clamp(v, -128, 127)) bad++;
      real = real < -128 ? -128 : (real > 127 ? 127 : real);
      /* double rounding (multiply, then shift) can add up to 1/4 */
      if (fabs(out[i] - real) > 0.75) bad_real++;
    }
    MH_CHECK(bad == 0 && bad_real == 0, "alpha %g: %d / %d off", alphas[k], bad,
             bad_real);
  }
  mh_case = "leaky_relu s16";
  {
    mote_leaky_relu_q_params p;
    int bad = 0;
    leaky_params(0.000244140625f, 0, 0.000222222f, 0, 0.2f, &p);
    for (i = 0; i < 256; i++) in16[i] = (int16_t)(i * 256 - 32768);
    in16[255] = 32767;
    memcpy(out16, in16, sizeof in16);
    mote_leaky_relu_s16_ref(&p, 256, out16, out16); /* in place */
    for (i = 0; i < 256; i++) {
      int64_t v =
          in16[i] >= 0
              ? ref_mbqm(in16[i], p.identity_multiplier, p.identity_shift)
              : ref_mbqm(in16[i], p.alpha_multiplier, p.alpha_shift);
      if (out16[i] != ref_clamp(v, -32768, 32767)) bad++;
    }
    MH_CHECK(bad == 0 && out16[255] == 32767, "%d off, top %d", bad,
             out16[255]);
  }
  mh_case = "leaky_relu f32";
  {
    float x[3] = {-2, 0, 3}, o[3];
    mote_leaky_relu_f32_ref(-0.5f, 3, x, o);
    MH_CHECK(o[0] == 1.0f && o[1] == 0.0f && o[2] == 3.0f, "%g %g %g", o[0],
             o[1], o[2]);
  }
}

/* ---------------- HARD_SWISH ---------------- */

static int16_t q15(int32_t m) {
  if (m >= INT32_MAX - (1 << 15)) return INT16_MAX;
  return (int16_t)((m + (1 << 15)) >> 16);
}

static void test_hard_swish(void) {
  const float in_s[] = {0.03f, 0.05f, 0.004f, 0.2f, 0.03f};
  const int32_t in_zp[] = {4, -20, 0, -128, 127};
  const float out_s[] = {0.0168627f, 0.0266667f, 0.002f, 0.05f, 0.5f};
  const int32_t out_zp[] = {-106, -110, -128, 0, 20};
  int8_t in[256], out[256], out2[256];
  int k, i;
  for (i = 0; i < 256; i++) in[i] = (int8_t)(i - 128);
  for (k = 0; k < 5; k++) {
    mote_hard_swish_s8_params p;
    float hires = (1.0f / 128.0f) * in_s[k];
    int32_t m;
    int e, bad = 0;
    double worst = 0;
    ref_qm((double)(hires / out_s[k]), &m, &e);
    p.output_multiplier = q15(m);
    p.output_exponent = e;
    ref_qm((double)(hires / (3.0f / 32768.0f)), &m, &e);
    p.reluish_multiplier = q15(m);
    p.reluish_exponent = e;
    p.input_zero_point = in_zp[k];
    p.output_zero_point = out_zp[k];
    mh_case = "hard_swish s8 vs float";
    MH_CHECK(p.output_exponent <= 0, "case %d output exponent %d", k,
             p.output_exponent);
    mote_hard_swish_s8_ref(&p, 256, in, out);
    for (i = 0; i < 256; i++) {
      double x = (in[i] - in_zp[k]) * (double)in_s[k];
      double r = x + 3 < 0 ? 0 : (x + 3 > 6 ? 6 : x + 3);
      double want = out_zp[k] + x * r / 6 / out_s[k];
      double d;
      want = want < -128 ? -128 : (want > 127 ? 127 : want);
      d = fabs(out[i] - want);
      if (d > worst) worst = d;
      if (d > 1.5) bad++;
    }
    MH_CHECK(bad == 0, "case %d: %d off (worst %.2f)", k, bad, worst);
    memcpy(out2, in, 256);
    mote_hard_swish_s8_ref(&p, 256, out2, out2);
    MH_CHECK(memcmp(out, out2, 256) == 0, "in place");
  }
  mh_case = "hard_swish f32";
  {
    float x[5] = {-4, -3, -1.5f, 1, 3.5f}, o[5];
    mote_hard_swish_f32_ref(5, x, o);
    MH_CHECK(o[0] == 0 && o[1] == 0 && o[2] == -0.375f &&
                 fabsf(o[3] - 4.0f / 6) < 1e-7f && o[4] == 3.5f,
             "%g %g %g %g %g", o[0], o[1], o[2], o[3], o[4]);
  }
}

/* ---------------- QUANTIZE / DEQUANTIZE ---------------- */

static void test_quantize(void) {
  mh_case = "quantize f32 -> s8 rounding and saturation";
  {
    float x[8] = {0.25f, -0.25f, 0.75f, 1000.0f, -1000.0f, 0.0f, 1e30f, -1e30f};
    int8_t o[8];
    int16_t o16[8];
    /* scale 0.5: x / s = 0.5, -0.5, 1.5 -> half away from zero */
    mote_quantize_f32_s8_ref(0.5f, -3, 8, x, o);
    MH_CHECK(o[0] == -2 && o[1] == -4 && o[2] == -1 && o[3] == 127 &&
                 o[4] == -128 && o[5] == -3 && o[6] == 127 && o[7] == -128,
             "%d %d %d %d %d %d %d %d", o[0], o[1], o[2], o[3], o[4], o[5],
             o[6], o[7]);
    mote_quantize_f32_s16_ref(0.5f, 0, 8, x, o16);
    MH_CHECK(o16[0] == 1 && o16[1] == -1 && o16[2] == 2 && o16[3] == 2000 &&
                 o16[6] == 32767 && o16[7] == -32768,
             "%d %d %d %d", o16[0], o16[1], o16[2], o16[3]);
  }
  mh_case = "requantize all type pairs vs reference";
  {
    const int32_t outs[4] = {MOTE_QK_INT8, MOTE_QK_UINT8, MOTE_QK_INT16,
                             MOTE_QK_INT32};
    int8_t i8[256];
    uint8_t u8[256];
    int16_t i16[256];
    int32_t i32[256], o32[256];
    int k, j, i;
    for (i = 0; i < 256; i++) {
      i8[i] = (int8_t)(i - 128);
      u8[i] = (uint8_t)i;
      i16[i] = (int16_t)(i * 256 - 32768 + i);
      i32[i] = (int32_t)((uint32_t)i * 16777619u);
    }
    for (k = 0; k < 4; k++) {
      const double ratio[4] = {0.02 / 0.03, 1.0, 64.0, 0.0001};
      for (j = 0; j < 4; j++) {
        mote_requant_params p;
        int s, src, bad = 0;
        ref_qm(ratio[k], &p.multiplier, &s);
        p.shift = s;
        p.out_type = outs[j];
        for (src = 0; src < 4; src++) {
          int64_t lo, hi;
          p.input_zero_point = src == 1 ? 128 : -3;
          p.output_zero_point = outs[j] == MOTE_QK_UINT8 ? 120 : 5;
          switch (outs[j]) {
            case MOTE_QK_INT8:
              lo = -128, hi = 127;
              break;
            case MOTE_QK_UINT8:
              lo = 0, hi = 255;
              break;
            case MOTE_QK_INT16:
              lo = -32768, hi = 32767;
              break;
            default:
              lo = INT32_MIN, hi = INT32_MAX;
          }
          memset(o32, 0, sizeof o32);
          if (src == 0) mote_quantize_s8_ref(&p, 256, i8, o32);
          if (src == 1) mote_quantize_u8_ref(&p, 256, u8, o32);
          if (src == 2) mote_quantize_s16_ref(&p, 256, i16, o32);
          if (src == 3) mote_quantize_s32_ref(&p, 256, i32, o32);
          for (i = 0; i < 256; i++) {
            int32_t x = src == 0   ? i8[i]
                        : src == 1 ? u8[i]
                        : src == 2 ? i16[i]
                                   : i32[i];
            int32_t d = (int32_t)((uint32_t)x - (uint32_t)p.input_zero_point);
            int64_t v = (int64_t)ref_mbqm(d, p.multiplier, s);
            int64_t want = ref_clamp(
                (int32_t)((uint32_t)v + (uint32_t)p.output_zero_point), lo, hi);
            int64_t got = mh_get(o32, (size_t)i,
                                 outs[j] == MOTE_QK_INT8    ? MOTE_INT8
                                 : outs[j] == MOTE_QK_UINT8 ? MOTE_UINT8
                                 : outs[j] == MOTE_QK_INT16 ? MOTE_INT16
                                                            : MOTE_INT32);
            if (got != want) bad++;
          }
          MH_CHECK(bad == 0, "ratio %g out %d src %d: %d off", ratio[k],
                   outs[j], src, bad);
        }
      }
    }
  }
  mh_case = "requantize int8 -> uint8 same scale is a bit flip";
  {
    int8_t x[256];
    uint8_t o[256];
    mote_requant_params p = {1 << 30, 1, 0, 128, MOTE_QK_UINT8};
    int i;
    for (i = 0; i < 256; i++) x[i] = (int8_t)(i - 128);
    mote_quantize_s8_ref(&p, 256, x, o);
    for (i = 0; i < 256; i++)
      MH_CHECK(o[i] == (uint8_t)((uint8_t)x[i] ^ 0x80), "x=%d -> %d", x[i],
               o[i]);
  }
  mh_case = "requantize in place (int8 -> int8)";
  {
    int8_t x[256], o[256];
    mote_requant_params p = {0, 0, 17, -9, MOTE_QK_INT8};
    int s, i;
    ref_qm(0.05 / 0.045, &p.multiplier, &s);
    p.shift = s;
    for (i = 0; i < 256; i++) x[i] = (int8_t)(i - 128);
    mote_quantize_s8_ref(&p, 256, x, o);
    mote_quantize_s8_ref(&p, 256, x, x);
    MH_CHECK(memcmp(x, o, 256) == 0, "in place differs");
  }
}

static void test_dequantize(void) {
  int8_t x8[3] = {-128, 7, 127};
  uint8_t u8[2] = {0, 255};
  int16_t x16[2] = {-32768, 32767};
  float o[3];
  mh_case = "dequantize";
  mote_dequantize_s8_ref(0.02, 7, 3, x8, o);
  MH_CHECK(o[0] == (float)(0.02 * -135) && o[1] == 0.0f &&
               o[2] == (float)(0.02 * 120),
           "%g %g %g", o[0], o[1], o[2]);
  mote_dequantize_u8_ref(0.5, 128, 2, u8, o);
  MH_CHECK(o[0] == -64.0f && o[1] == 63.5f, "%g %g", o[0], o[1]);
  mote_dequantize_s16_ref(1.0 / 4096, 0, 2, x16, o);
  MH_CHECK(o[0] == -8.0f && o[1] == (float)(32767.0 / 4096), "%g %g", o[0],
           o[1]);
}

/* ---------------- whole models ---------------- */

/* Single-op model with one graph input and one output. */
static void unary_model(tflw *w, int32_t code, int in, int out,
                        uint8_t opt_type, const tflw_opt *opts,
                        uint32_t nopts) {
  int32_t i[1] = {in}, o[1] = {out};
  tflw_op(w, code, 1, i, 1, o, 1, opt_type, opts, nopts);
  tflw_io(w, i, 1, o, 1);
}

static void test_models(void) {
  const int32_t shp[2] = {2, 5}, shp2[2] = {2, 6};
  {
    mh_case = "model softmax f32 without options (beta 0)";
    tflw *w = tflw_new();
    int a = mh_t(w, MOTE_FLOAT32, shp, 2, 0, 0);
    int y = mh_t(w, MOTE_FLOAT32, shp, 2, 0, 0);
    float x[10] = {1, 2, 3, 4, 5, -1, -2, -3, -4, -5};
    mh_run r;
    unary_model(w, TFL_OP_SOFTMAX, a, y, 0, NULL, 0);
    if (mh_run_model(&r, w, (const void *[]){x})) {
      const float *o = (const float *)mh_out(&r, 0).data;
      int i;
      for (i = 0; i < 10; i++) MH_CHECK(o && o[i] == 0.2f, "uniform");
    }
    mh_free(&r);
  }
  {
    mh_case = "model softmax int8 beta 0 refused (TFLM aborts)";
    tflw *w = tflw_new();
    int a = mh_t(w, MOTE_INT8, shp, 2, 0.1f, 0);
    int y = mh_t(w, MOTE_INT8, shp, 2, 1.0f / 256, -128);
    unary_model(w, TFL_OP_SOFTMAX, a, y, TFL_OPT_SOFTMAX,
                (tflw_opt[]){TFLW_F32(0, 0.0)}, 1);
    mh_expect_load_fail(w, MOTE_E_UNSUPPORTED, NULL);
  }
  {
    mh_case = "model softmax int8 output scale must be 1/256";
    tflw *w = tflw_new();
    int a = mh_t(w, MOTE_INT8, shp, 2, 0.1f, 0);
    int y = mh_t(w, MOTE_INT8, shp, 2, 1.0f / 255, -128);
    unary_model(w, TFL_OP_SOFTMAX, a, y, TFL_OPT_SOFTMAX,
                (tflw_opt[]){TFLW_F32(0, 1.0)}, 1);
    mh_expect_load_fail(w, MOTE_E_BAD_QUANT, NULL);
  }
  {
    mh_case = "model softmax int16 -> int8 unsupported";
    tflw *w = tflw_new();
    int a = mh_t(w, MOTE_INT16, shp, 2, 0.001f, 0);
    int y = mh_t(w, MOTE_INT8, shp, 2, 1.0f / 256, -128);
    unary_model(w, TFL_OP_SOFTMAX, a, y, TFL_OPT_SOFTMAX,
                (tflw_opt[]){TFLW_F32(0, 1.0)}, 1);
    mh_expect_load_fail(w, MOTE_E_UNSUPPORTED, NULL);
  }
  {
    mh_case = "model softmax wrong options type";
    tflw *w = tflw_new();
    int a = mh_t(w, MOTE_FLOAT32, shp, 2, 0, 0);
    int y = mh_t(w, MOTE_FLOAT32, shp, 2, 0, 0);
    unary_model(w, TFL_OP_SOFTMAX, a, y, TFL_OPT_LEAKY_RELU,
                (tflw_opt[]){TFLW_F32(0, 1.0)}, 1);
    mh_expect_load_fail(w, MOTE_E_BAD_OPTIONS, NULL);
  }
  {
    mh_case = "model softmax int16 rows sum to one";
    tflw *w = tflw_new();
    int a = mh_t(w, MOTE_INT16, shp, 2, 0.0003f, 0);
    int y = mh_t(w, MOTE_INT16, shp, 2, 1.0f / 32768, 0);
    int16_t x[10] = {-32768, 0, 100, 32767, 5, 0, 0, 0, 0, 0};
    mh_run r;
    unary_model(w, TFL_OP_SOFTMAX, a, y, TFL_OPT_SOFTMAX,
                (tflw_opt[]){TFLW_F32(0, 0.5)}, 1);
    if (mh_run_model(&r, w, (const void *[]){x})) {
      const int16_t *o = (const int16_t *)mh_out(&r, 0).data;
      int s0 = 0, s1 = 0, i;
      double xd[5], yd[5];
      for (i = 0; i < 5; i++) s0 += o[i], s1 += o[5 + i];
      MH_CHECK(abs(s0 - 32768) < 64 && abs(s1 - 32768) < 64, "sums %d %d", s0,
               s1);
      for (i = 0; i < 5; i++) xd[i] = x[i] * 0.0003;
      float_softmax(xd, 5, 0.5, yd);
      for (i = 0; i < 5; i++)
        MH_CHECK(fabs(o[i] - yd[i] * 32768) < 40, "o[%d] %d want %.1f", i, o[i],
                 yd[i] * 32768);
      MH_CHECK(o[5] == o[9], "equal inputs, equal outputs");
    }
    mh_free(&r);
  }
  {
    mh_case = "model logistic int16 output scale must be 2^-15";
    tflw *w = tflw_new();
    int a = mh_t(w, MOTE_INT16, shp, 2, 1.0f / 4096, 0);
    int y = mh_t(w, MOTE_INT16, shp, 2, 1.0f / 16384, 0);
    unary_model(w, TFL_OP_LOGISTIC, a, y, 0, NULL, 0);
    mh_expect_load_fail(w, MOTE_E_BAD_QUANT, NULL);
  }
  {
    mh_case = "model tanh int16 zero point must be 0";
    tflw *w = tflw_new();
    int a = mh_t(w, MOTE_INT16, shp, 2, 1.0f / 4096, 3);
    int y = mh_t(w, MOTE_INT16, shp, 2, 1.0f / 32768, 0);
    unary_model(w, TFL_OP_TANH, a, y, 0, NULL, 0);
    mh_expect_load_fail(w, MOTE_E_BAD_QUANT, NULL);
  }
  {
    mh_case = "model logistic int8 output zero point must be -128";
    tflw *w = tflw_new();
    int a = mh_t(w, MOTE_INT8, shp, 2, 0.05f, 0);
    int y = mh_t(w, MOTE_INT8, shp, 2, 1.0f / 256, 0);
    unary_model(w, TFL_OP_LOGISTIC, a, y, 0, NULL, 0);
    mh_expect_load_fail(w, MOTE_E_BAD_QUANT, NULL);
  }
  {
    mh_case = "model relu shape mismatch";
    tflw *w = tflw_new();
    int a = mh_t(w, MOTE_INT8, shp, 2, 0.05f, 0);
    int y = mh_t(w, MOTE_INT8, shp2, 2, 0.05f, 0);
    unary_model(w, TFL_OP_RELU, a, y, 0, NULL, 0);
    mh_expect_load_fail(w, MOTE_E_BAD_SHAPE, NULL);
  }
  {
    mh_case = "model relu6 type mismatch";
    tflw *w = tflw_new();
    int a = mh_t(w, MOTE_INT8, shp, 2, 0.05f, 0);
    int y = mh_t(w, MOTE_INT16, shp, 2, 0.05f, 0);
    unary_model(w, TFL_OP_RELU6, a, y, 0, NULL, 0);
    mh_expect_load_fail(w, MOTE_E_BAD_TYPE, NULL);
  }
  {
    mh_case = "model relu int32 unsupported";
    tflw *w = tflw_new();
    int a = mh_t(w, MOTE_INT32, shp, 2, 0, 0);
    int y = mh_t(w, MOTE_INT32, shp, 2, 0, 0);
    unary_model(w, TFL_OP_RELU, a, y, 0, NULL, 0);
    mh_expect_load_fail(w, MOTE_E_UNSUPPORTED, NULL);
  }
  {
    mh_case = "model hard_swish int16 unsupported (TFLM has none)";
    tflw *w = tflw_new();
    int a = mh_t(w, MOTE_INT16, shp, 2, 0.001f, 0);
    int y = mh_t(w, MOTE_INT16, shp, 2, 0.001f, 0);
    unary_model(w, TFL_OP_HARD_SWISH, a, y, 0, NULL, 0);
    mh_expect_load_fail(w, MOTE_E_UNSUPPORTED, NULL);
  }
  {
    mh_case = "model leaky_relu int8 negative alpha";
    tflw *w = tflw_new();
    int a = mh_t(w, MOTE_INT8, shp, 2, 0.03f, -12);
    int y = mh_t(w, MOTE_INT8, shp, 2, 0.05f, 7);
    int8_t x[10] = {-128, -50, -13, -12, -11, 0, 50, 100, 127, 1};
    mote_leaky_relu_q_params p;
    int8_t want[10];
    mh_run r;
    unary_model(w, TFL_OP_LEAKY_RELU, a, y, TFL_OPT_LEAKY_RELU,
                (tflw_opt[]){TFLW_F32(0, -0.4)}, 1);
    leaky_params(0.03f, -12, 0.05f, 7, -0.4f, &p);
    mote_leaky_relu_s8_ref(&p, 10, x, want);
    if (mh_run_model(&r, w, (const void *[]){x})) {
      const int8_t *o = (const int8_t *)mh_out(&r, 0).data;
      MH_CHECK(o && memcmp(o, want, 10) == 0, "model differs from kernel");
      MH_CHECK(o && o[0] > 7 && o[6] > 7, "both sides above zero point");
    }
    mh_free(&r);
  }
  {
    mh_case = "model quantize per-channel output unsupported";
    tflw *w = tflw_new();
    tflw_tensor_desc d;
    const float sc[2] = {0.1f, 0.2f};
    const int64_t zp[2] = {0, 0};
    int a = mh_t(w, MOTE_FLOAT32, shp, 2, 0, 0), y;
    memset(&d, 0, sizeof d);
    d.type = MOTE_INT8;
    d.shape = shp;
    d.rank = 2;
    d.q.scale = sc;
    d.q.nscale = 2;
    d.q.zero_point = zp;
    d.q.nzero = 2;
    y = tflw_tensor(w, &d);
    unary_model(w, TFL_OP_QUANTIZE, a, y, 0, NULL, 0);
    mh_expect_load_fail(w, MOTE_E_UNSUPPORTED, NULL);
  }
  {
    mh_case = "model quantize float32 -> int32 unsupported";
    tflw *w = tflw_new();
    int a = mh_t(w, MOTE_FLOAT32, shp, 2, 0, 0);
    int y = mh_t(w, MOTE_INT32, shp, 2, 0.1f, 0);
    unary_model(w, TFL_OP_QUANTIZE, a, y, 0, NULL, 0);
    mh_expect_load_fail(w, MOTE_E_UNSUPPORTED, NULL);
  }
  {
    mh_case = "model dequantize int32 unsupported";
    tflw *w = tflw_new();
    int a = mh_t(w, MOTE_INT32, shp, 2, 0.1f, 0);
    int y = mh_t(w, MOTE_FLOAT32, shp, 2, 0, 0);
    unary_model(w, TFL_OP_DEQUANTIZE, a, y, 0, NULL, 0);
    mh_expect_load_fail(w, MOTE_E_UNSUPPORTED, NULL);
  }
  {
    /* QUANTIZE(f32->i8) -> RELU -> LOGISTIC -> DEQUANTIZE: the planner may
     * run RELU and LOGISTIC in place; the result must equal the kernels run
     * one after the other on separate buffers. */
    mh_case = "model chain quantize relu logistic dequantize";
    tflw *w = tflw_new();
    const int32_t s[1] = {40};
    int t0 = mh_t(w, MOTE_FLOAT32, s, 1, 0, 0);
    int t1 = mh_t(w, MOTE_INT8, s, 1, 0.05f, -3);
    int t2 = mh_t(w, MOTE_INT8, s, 1, 0.04f, -100);
    int t3 = mh_t(w, MOTE_INT8, s, 1, 1.0f / 256, -128);
    int t4 = mh_t(w, MOTE_FLOAT32, s, 1, 0, 0);
    float x[40], want[40];
    int8_t a[40], b[40], c[40];
    mote_relu_q_params rp;
    mote_sigmoid_s8_params lp = sigmoid_s8(0.04f, -100);
    int sh, i;
    mh_run r;
    for (i = 0; i < 40; i++) x[i] = (float)(i - 20) * 0.17f;
    tflw_op(w, TFL_OP_QUANTIZE, 1, (int32_t[]){t0}, 1, (int32_t[]){t1}, 1, 0,
            NULL, 0);
    tflw_op(w, TFL_OP_RELU, 1, (int32_t[]){t1}, 1, (int32_t[]){t2}, 1, 0, NULL,
            0);
    tflw_op(w, TFL_OP_LOGISTIC, 1, (int32_t[]){t2}, 1, (int32_t[]){t3}, 1, 0,
            NULL, 0);
    tflw_op(w, TFL_OP_DEQUANTIZE, 1, (int32_t[]){t3}, 1, (int32_t[]){t4}, 1, 0,
            NULL, 0);
    tflw_io(w, (int32_t[]){t0}, 1, (int32_t[]){t4}, 1);
    mote_quantize_f32_s8_ref(0.05f, -3, 40, x, a);
    ref_qm((double)0.05f / (double)0.04f, &rp.multiplier, &sh);
    rp.shift = sh;
    rp.input_offset = -3;
    rp.output_offset = -100;
    rp.act_min = -100;
    rp.act_max = 127;
    mote_relu_s8_ref(&rp, 40, a, b);
    mote_logistic_s8_ref(&lp, 40, b, c);
    mote_dequantize_s8_ref(1.0 / 256, -128, 40, c, want);
    if (mh_run_model(&r, w, (const void *[]){x})) {
      const float *o = (const float *)mh_out(&r, 0).data;
      MH_CHECK(o && memcmp(o, want, sizeof want) == 0, "chain differs");
      for (i = 0; o && i < 40; i++)
        MH_CHECK(fabs(o[i] - 1 / (1 + exp(-(x[i] < 0 ? 0 : x[i])))) < 0.02,
                 "o[%d] %g", i, o[i]);
    }
    mh_free(&r);
  }
}

int main(void) {
  test_fixedpoint();
  test_softmax_s8();
  test_softmax_s16();
  test_softmax_f32();
  test_sigmoid_s8();
  test_sigmoid_s16();
  test_sigmoid_f32();
  test_relu();
  test_relu6();
  test_leaky_relu();
  test_hard_swish();
  test_quantize();
  test_dequantize();
  test_models();
  return mh_report();
}
