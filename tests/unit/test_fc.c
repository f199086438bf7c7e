/*
** test_fc.c: FULLY_CONNECTED and TRANSPOSE_CONV reference kernels on small
** hand-made cases, checked against hand-derived values or an independent
** straightforward ("gather") computation.
**
** Requantization is made exact where an independent check is wanted: a
** real multiplier of 1.0 is (2^30, shift 1) and 2^-k is (2^30, 1 - k), so
** the expected values need no fixed-point code of their own.
*/
#include "kernels/ref/fc_ref.h"
#include "kernels/ref/tconv_ref.h"
#include "model_harness.h"

#define CHECK MH_CHECK

/* bias_type of the model cases: 0 none, FBIAS float32, else the int type. */
#define FBIAS 100

static uint32_t g_rng = 12345u;
static uint32_t rnd(void) {
  g_rng ^= g_rng << 13;
  g_rng ^= g_rng >> 17;
  g_rng ^= g_rng << 5;
  return g_rng;
}
static int32_t rnd_range(int32_t lo, int32_t hi) {
  return lo + (int32_t)(rnd() % (uint32_t)(hi - lo + 1));
}

static int32_t clampi(int64_t v, int32_t lo, int32_t hi) {
  return v < lo ? lo : (v > hi ? hi : (int32_t)v);
}

/* Per-unit arrays for a multiplier of 2^-k (k >= 0; k = 0 is 1.0). */
static void pot_mult(int32_t *mult, int8_t *shift, int n, int k) {
  for (int i = 0; i < n; i++) {
    mult[i] = 1 << 30;
    shift[i] = (int8_t)(1 - k);
  }
}

/* Quantized kernel parameters with per-unit arrays. */
static mote_fc_q_params fcq(int32_t in_off, int32_t f_off, int32_t out_off,
                            const int32_t *mult, const int8_t *shift,
                            int32_t lo, int32_t hi) {
  mote_fc_q_params p;
  memset(&p, 0, sizeof p);
  p.rq.mult = mult;
  p.rq.shift = shift;
  p.input_offset = in_off;
  p.filter_offset = f_off;
  p.output_offset = out_off;
  p.act_min = lo;
  p.act_max = hi;
  return p;
}

/* ---- FULLY_CONNECTED int8 ---- */

static void test_fc_s8_exact(void) {
  /* multiplier 1.0: y = clamp(sum (x - zx)(w - zw) + bias + zy). */
  enum { B = 3, D = 5, U = 4 };
  int8_t x[B * D], w[U * D], y[B * U];
  int32_t bias[U], mult[U];
  int8_t shift[U];
  for (int i = 0; i < B * D; i++) x[i] = (int8_t)rnd_range(-128, 127);
  for (int i = 0; i < U * D; i++) w[i] = (int8_t)rnd_range(-127, 127);
  for (int i = 0; i < U; i++) bias[i] = rnd_range(-20000, 20000);
  pot_mult(mult, shift, U, 0);
  int32_t zps[] = {-128, 127, 0, 5};
  for (int z = 0; z < 4; z++) {
    mote_fc_dims p_n = {B, D, U};
    mote_fc_q_params p = fcq(-zps[z], 3, -zps[3 - z], mult, shift, -128, 127);
    mote_fc_s8_ref(&p_n, &p, x, w, bias, y);
    int bad = 0;
    for (int b = 0; b < B; b++)
      for (int u = 0; u < U; u++) {
        int64_t acc = bias[u];
        for (int d = 0; d < D; d++)
          acc += (int64_t)(x[b * D + d] - zps[z]) * (w[u * D + d] + 3);
        int32_t want = clampi(acc + zps[3 - z], -128, 127);
        if (y[b * U + u] != want) bad++;
      }
    CHECK(bad == 0, "zero point %d: %d mismatches", zps[z], bad);
  }
  /* No bias, with a RELU-like clamp window. */
  mote_fc_dims p_n = {B, D, U};
  mote_fc_q_params p = fcq(0, 0, 0, mult, shift, -10, 20);
  mote_fc_s8_ref(&p_n, &p, x, w, NULL, y);
  int bad = 0;
  for (int b = 0; b < B; b++)
    for (int u = 0; u < U; u++) {
      int64_t acc = 0;
      for (int d = 0; d < D; d++) acc += (int64_t)x[b * D + d] * w[u * D + d];
      if (y[b * U + u] != clampi(acc, -10, 20)) bad++;
    }
  CHECK(bad == 0, "no bias / clamp: %d mismatches", bad);
}

static void test_fc_s8_saturation_and_rounding(void) {
  /* Extremes: (-128 - 127) * 127 * 4 saturates to -128; the negated
   * product saturates to 127. */
  int8_t x[4] = {-128, -128, -128, -128};
  int8_t w[8] = {127, 127, 127, 127, -127, -127, -127, -127};
  int8_t y[2];
  int32_t mult[2];
  int8_t shift[2];
  pot_mult(mult, shift, 2, 0);
  mote_fc_dims p_n = {1, 4, 2};
  mote_fc_q_params p = fcq(-127, 0, 0, mult, shift, -128, 127);
  mote_fc_s8_ref(&p_n, &p, x, w, NULL, y);
  CHECK(y[0] == -128 && y[1] == 127, "saturation: %d %d", y[0], y[1]);

  /* multiplier 0.25 with TFLite double rounding: 5 -> 3 (first rounding
   * of 5/2) -> 2 (3/2 half away from zero); 6 -> 2, -6 -> -2, -5 -> -1
   * (-2.5 rounds to -2 in the doubling high mul, then -1). */
  int8_t xs[1] = {1};
  int8_t ws[4] = {1, 1, 1, 1};
  int32_t bias[4] = {4, 5, -7, -6};
  int32_t m4[4];
  int8_t s4[4];
  pot_mult(m4, s4, 4, 2);
  int8_t ys[4];
  mote_fc_dims q_n = {1, 1, 4};
  mote_fc_q_params q = fcq(0, 0, 0, m4, s4, -128, 127);
  mote_fc_s8_ref(&q_n, &q, xs, ws, bias, ys);
  CHECK(ys[0] == 2 && ys[1] == 2 && ys[2] == -2 && ys[3] == -1,
        "double rounding: %d %d %d %d", ys[0], ys[1], ys[2], ys[3]);
  /* The same through the per-tensor form (no arrays: mult0/shift0). */
  q.rq.mult = NULL;
  q.rq.shift = NULL;
  q.rq.mult0 = 1 << 30;
  q.rq.shift0 = -1;
  memset(ys, 0, sizeof ys);
  mote_fc_s8_ref(&q_n, &q, xs, ws, bias, ys);
  CHECK(ys[0] == 2 && ys[1] == 2 && ys[2] == -2 && ys[3] == -1,
        "per-tensor double rounding: %d %d %d %d", ys[0], ys[1], ys[2], ys[3]);
}

static void test_fc_s8_per_channel(void) {
  /* Different multiplier per unit: 1.0, 0.5, 2^-3. */
  int8_t x[2] = {10, -3};
  int8_t w[6] = {2, 1, 2, 1, 2, 1};
  int32_t mult[3] = {1 << 30, 1 << 30, 1 << 30};
  int8_t shift[3] = {1, 0, -2};
  int8_t y[3];
  mote_fc_dims p_n = {1, 2, 3};
  mote_fc_q_params p = fcq(0, 0, 1, mult, shift, -128, 127);
  mote_fc_s8_ref(&p_n, &p, x, w, NULL, y); /* acc = 17 for every unit */
  /* 17 + 1; 17/2 = 8.5 -> 9, + 1; 17/8 = 2.125 -> (9 then 9/4 = 2.25) 2 */
  CHECK(y[0] == 18 && y[1] == 10 && y[2] == 3, "per channel: %d %d %d", y[0],
        y[1], y[2]);
}

static void test_fc_s8w4(void) {
  /* Packed int4 weights give the same result as their int8 unpacking. */
  enum { B = 2, D = 7, U = 3 };
  int8_t wu[U * D];
  uint8_t wp[(U * D + 1) / 2];
  memset(wp, 0, sizeof wp);
  for (int i = 0; i < U * D; i++) {
    wu[i] = (int8_t)rnd_range(-8, 7);
    uint8_t nib = (uint8_t)(wu[i] & 0x0F);
    wp[i / 2] |= (uint8_t)((i & 1) ? nib << 4 : nib);
  }
  int8_t x[B * D], y4[B * U], y8[B * U];
  for (int i = 0; i < B * D; i++) x[i] = (int8_t)rnd_range(-128, 127);
  int32_t bias[U] = {100, -100, 7}, mult[U];
  int8_t shift[U];
  pot_mult(mult, shift, U, 3);
  mote_fc_dims p_n = {B, D, U};
  mote_fc_q_params p = fcq(5, 0, -3, mult, shift, -128, 127);
  mote_fc_s8w4_ref(&p_n, &p, x, wp, bias, y4);
  mote_fc_s8_ref(&p_n, &p, x, wu, bias, y8);
  CHECK(memcmp(y4, y8, sizeof y4) == 0, "int4 differs from int8 unpacked");
  /* Hand case: bytes 0x78 0x3F are -8, 7, -1, 3. */
  uint8_t hp[2] = {0x78, 0x3F};
  int8_t hx[4] = {1, 2, 3, 4}, hy[1];
  int32_t m1[1];
  int8_t s1[1];
  pot_mult(m1, s1, 1, 0);
  mote_fc_dims h_n = {1, 4, 1};
  mote_fc_q_params h = fcq(0, 0, 0, m1, s1, -128, 127);
  mote_fc_s8w4_ref(&h_n, &h, hx, hp, NULL, hy);
  CHECK(hy[0] == -8 + 14 - 3 + 12, "int4 nibbles: %d", hy[0]);
}

/* ---- FULLY_CONNECTED int16 ---- */

static void test_fc_s16(void) {
  enum { D = 600 };
  static int16_t x[D];
  static int8_t w[2 * D];
  for (int i = 0; i < D; i++) {
    x[i] = 32767;
    w[i] = 127;
    w[D + i] = -128;
  }
  /* acc = 600 * 32767 * 127 = 2496844200 > 2^31: only an int64
   * accumulator keeps it. Multiplier 2^-20: round(acc / 2^20). */
  int64_t acc0 = (int64_t)D * 32767 * 127;
  int64_t acc1 = (int64_t)D * 32767 * -128;
  int32_t mult[2];
  int8_t shift[2];
  pot_mult(mult, shift, 2, 20);
  int16_t y[2];
  mote_fc_dims p_n = {1, D, 2};
  mote_fc_q_params p = fcq(0, 0, 0, mult, shift, -32768, 32767);
  mote_fc_s16_ref(&p_n, &p, x, w, NULL, y);
  CHECK(y[0] == (int16_t)llround((double)acc0 / 1048576.0) &&
            y[1] == (int16_t)llround((double)acc1 / 1048576.0),
        "int64 acc: %d %d", y[0], y[1]);
  /* The int32 accumulator variant wraps, as TFLM's int32 template. */
  int32_t wrapped0 = (int32_t)(uint32_t)(uint64_t)acc0;
  mote_fc_s16_acc32_ref(&p_n, &p, x, w, NULL, y);
  CHECK(y[0] == (int16_t)lround((double)wrapped0 / 1048576.0),
        "int32 acc wraps: %d want %ld", y[0],
        lround((double)wrapped0 / 1048576.0));

  /* Exact multiplier, int64 bias and saturation at the int16 limits. */
  int16_t xs[3] = {-32768, 32767, 1};
  int8_t ws[6] = {1, 0, 0, -1, 0, 0};
  int64_t b64[2] = {-1, 1};
  int32_t m1[2];
  int8_t s1[2];
  pot_mult(m1, s1, 2, 0);
  mote_fc_dims q_n = {1, 3, 2};
  mote_fc_q_params q = fcq(0, 0, 0, m1, s1, -32768, 32767);
  mote_fc_s16_ref(&q_n, &q, xs, ws, b64, y);
  CHECK(y[0] == -32768 && y[1] == 32767, "int16 saturation: %d %d", y[0], y[1]);
  int32_t b32[2] = {5, -5};
  mote_fc_dims r_n = {1, 3, 2};
  mote_fc_q_params r = fcq(0, 0, 0, m1, s1, -100, 32767);
  mote_fc_s16_acc32_ref(&r_n, &r, xs, ws, b32, y);
  CHECK(y[0] == -100 && y[1] == 32763, "acc32 bias / clamp: %d %d", y[0], y[1]);
}

/* ---- FULLY_CONNECTED float / hybrid ---- */

static void test_fc_f32(void) {
  float x[6] = {1.0f, 2.0f, -1.0f, 0.5f, -0.5f, 4.0f};
  float w[6] = {1.0f, 1.0f, 1.0f, 2.0f, 0.0f, -1.0f};
  float b[2] = {0.25f, -0.5f};
  float y[4];
  mote_fc_dims p_n = {2, 3, 2};
  mote_fc_f32_params p = {0.0f, 6.0f}; /* RELU6 */
  mote_fc_f32_ref(&p_n, &p, x, w, b, y);
  /* batch 0: 2.25, 2 + 1 - 0.5 = 2.5; batch 1: 4.25 -> 4.25, 1 - 4 - .5 */
  CHECK(y[0] == 2.25f && y[1] == 2.5f && y[2] == 4.25f && y[3] == 0.0f,
        "f32: %g %g %g %g", y[0], y[1], y[2], y[3]);
  mote_fc_dims q_n = {2, 3, 2};
  mote_fc_f32_params q = {-INFINITY, INFINITY};
  mote_fc_f32_ref(&q_n, &q, x, w, NULL, y);
  CHECK(y[3] == -3.0f && y[2] == 4.0f, "f32 no bias: %g %g", y[2], y[3]);
}

static void test_fc_hybrid(void) {
  /* Symmetric: range 1 -> q = {127, -64, 32, 0} (-63.5 rounds away). */
  float x[4] = {1.0f, -0.5f, 0.25f, 0.0f};
  int8_t w[8] = {127, 0, 0, 0, 0, -127, 0, 0};
  float scales[2] = {1.0f / 127.0f, 1.0f / 127.0f};
  float b[2] = {0.5f, 0.0f};
  float y[2];
  int8_t scratch[4];
  mote_fc_dims p_n = {1, 4, 2};
  mote_fc_hybrid_params p = {scales, 0.0f, 0, -INFINITY, INFINITY};
  mote_fc_hybrid_ref(&p_n, &p, x, w, b, y, scratch);
  CHECK(fabsf(y[0] - 1.5f) < 1e-6f && fabsf(y[1] - 8128.0f / 16129.0f) < 1e-6f,
        "hybrid symmetric: %.7g %.7g", y[0], y[1]);
  CHECK(scratch[1] == -64 && scratch[2] == 32, "symmetric q: %d %d", scratch[1],
        scratch[2]);
  /* One scale for every unit (no array). */
  mote_fc_hybrid_params pt = {NULL, 1.0f / 127.0f, 0, -INFINITY, INFINITY};
  y[0] = y[1] = 0.0f;
  mote_fc_hybrid_ref(&p_n, &pt, x, w, b, y, scratch);
  CHECK(fabsf(y[0] - 1.5f) < 1e-6f && fabsf(y[1] - 8128.0f / 16129.0f) < 1e-6f,
        "hybrid per-tensor scale: %.7g %.7g", y[0], y[1]);

  /* Asymmetric: {0,1,2,3} -> scale 3/255, zero point -128, q = {-128,
   * -43, 42, 127}; row of ones: (-2 + 4 * 128) * 3/255 = 6. */
  float xa[4] = {0.0f, 1.0f, 2.0f, 3.0f};
  int8_t wa[4] = {1, 1, 1, 1};
  float one[1] = {1.0f};
  mote_fc_dims a_n = {1, 4, 1};
  mote_fc_hybrid_params a = {one, 0.0f, 1, -INFINITY, INFINITY};
  mote_fc_hybrid_ref(&a_n, &a, xa, wa, NULL, y, scratch);
  CHECK(fabsf(y[0] - 6.0f) < 1e-5f, "hybrid asymmetric: %.7g", y[0]);
  CHECK(scratch[0] == -128 && scratch[1] == -43 && scratch[3] == 127,
        "asymmetric q: %d %d %d", scratch[0], scratch[1], scratch[3]);

  /* All-zero input: output is the bias (then the activation). */
  float z[4] = {0, 0, 0, 0};
  mote_fc_dims r_n = {1, 4, 2};
  mote_fc_hybrid_params r = {scales, 0.0f, 0, 0.0f, INFINITY};
  float bn[2] = {-1.0f, 2.0f};
  mote_fc_hybrid_ref(&r_n, &r, z, w, bn, y, scratch);
  CHECK(y[0] == 0.0f && y[1] == 2.0f, "hybrid zero input: %g %g", y[0], y[1]);
}

/* ---- TRANSPOSE_CONV ---- */

/* Independent gather form: output (oy, ox) takes input (iy, ix) through
 * tap (fy, fx) when iy * sh - ph + fy == oy (same for x). */
static int64_t tconv_gather(const mote_tconv_geom *p, int b, int oy, int ox,
                            int oc, const int32_t *x, const int32_t *w) {
  int64_t acc = 0;
  for (int fy = 0; fy < p->f_h; fy++) {
    int ny = oy + p->pad_h - fy;
    if (ny < 0 || ny % p->stride_h) continue;
    int iy = ny / p->stride_h;
    if (iy >= p->in_h) continue;
    for (int fx = 0; fx < p->f_w; fx++) {
      int nx = ox + p->pad_w - fx;
      if (nx < 0 || nx % p->stride_w) continue;
      int ix = nx / p->stride_w;
      if (ix >= p->in_w) continue;
      for (int ic = 0; ic < p->in_c; ic++) {
        int64_t xv = x[((b * p->in_h + iy) * p->in_w + ix) * p->in_c + ic];
        int64_t wv = w[((oc * p->f_h + fy) * p->f_w + fx) * p->in_c + ic];
        acc += xv * wv;
      }
    }
  }
  return acc;
}

static void test_tconv_random(void) {
  static int8_t x8[2 * 5 * 5 * 3], w8[4 * 4 * 4 * 3], y8[2 * 13 * 13 * 4];
  static int16_t x16[2 * 5 * 5 * 3], y16[2 * 13 * 13 * 4];
  static float xf[2 * 5 * 5 * 3], wf[4 * 4 * 4 * 3], yf[2 * 13 * 13 * 4];
  static int32_t xi[2 * 5 * 5 * 3], wi[4 * 4 * 4 * 3];
  static int32_t s32[2 * 13 * 13 * 4];
  static int64_t s64[2 * 13 * 13 * 4];
  for (int trial = 0; trial < 40; trial++) {
    mote_tconv_geom g;
    mote_tconv_q_params p;
    memset(&g, 0, sizeof g);
    memset(&p, 0, sizeof p);
    g.batches = rnd_range(1, 2);
    g.in_h = rnd_range(1, 5);
    g.in_w = rnd_range(1, 5);
    g.in_c = rnd_range(1, 3);
    g.out_c = rnd_range(1, 4);
    g.f_h = rnd_range(1, 4);
    g.f_w = rnd_range(1, 4);
    g.stride_h = rnd_range(1, 3);
    g.stride_w = rnd_range(1, 3);
    g.out_h = rnd_range(1, 13);
    g.out_w = rnd_range(1, 13);
    g.pad_h = rnd_range(0, 2);
    g.pad_w = rnd_range(0, 2);
    int32_t mult[4];
    int8_t shift[4];
    pot_mult(mult, shift, 4, 0);
    p.rq.mult = mult;
    p.rq.shift = shift;
    int32_t zx = rnd_range(-128, 127), zy = rnd_range(-20, 20);
    p.input_offset = -zx;
    p.output_offset = zy;
    p.act_min = -128;
    p.act_max = 127;
    int nin = g.batches * g.in_h * g.in_w * g.in_c;
    int nw = g.out_c * g.f_h * g.f_w * g.in_c;
    for (int i = 0; i < nin; i++) {
      x8[i] = (int8_t)rnd_range(-128, 127);
      x16[i] = (int16_t)rnd_range(-32768, 32767);
    }
    for (int i = 0; i < nw; i++) w8[i] = (int8_t)rnd_range(-128, 127);
    int32_t bias[4];
    int64_t bias64[4];
    for (int i = 0; i < 4; i++) {
      bias[i] = rnd_range(-3000, 3000);
      bias64[i] = (int64_t)bias[i] * 1000;
    }
    mote_tconv_s8_ref(&g, &p, x8, w8, bias, y8, s32);
    int bad8 = 0, bad16 = 0, badf = 0;
    for (int i = 0; i < nin; i++) xi[i] = x8[i] - zx;
    for (int i = 0; i < nw; i++) wi[i] = w8[i];
    for (int b = 0; b < g.batches; b++)
      for (int oy = 0; oy < g.out_h; oy++)
        for (int ox = 0; ox < g.out_w; ox++)
          for (int oc = 0; oc < g.out_c; oc++) {
            int64_t a = tconv_gather(&g, b, oy, ox, oc, xi, wi) + bias[oc];
            int idx = ((b * g.out_h + oy) * g.out_w + ox) * g.out_c + oc;
            if (y8[idx] != clampi(a + zy, -128, 127)) bad8++;
          }
    CHECK(bad8 == 0, "trial %d int8: %d mismatches", trial, bad8);

    /* int16 x int8, multiplier 2^-8, int64 bias. */
    mote_tconv_q_params q = p;
    int32_t m8[4];
    int8_t sh8[4];
    pot_mult(m8, sh8, 4, 8);
    q.rq.mult = m8;
    q.rq.shift = sh8;
    q.input_offset = 0;
    q.output_offset = 0;
    q.act_min = -32768;
    q.act_max = 32767;
    mote_tconv_s16_ref(&g, &q, x16, w8, bias64, y16, s64);
    for (int i = 0; i < nin; i++) xi[i] = x16[i];
    for (int b = 0; b < g.batches; b++)
      for (int oy = 0; oy < g.out_h; oy++)
        for (int ox = 0; ox < g.out_w; ox++)
          for (int oc = 0; oc < g.out_c; oc++) {
            int64_t a = tconv_gather(&g, b, oy, ox, oc, xi, wi) + bias64[oc];
            /* 2^-8 with the 64-bit rounding: floor(a / 256 + 1/2). */
            int64_t r = (a + 128) >> 8;
            int idx = ((b * g.out_h + oy) * g.out_w + ox) * g.out_c + oc;
            if (y16[idx] != clampi(r, -32768, 32767)) bad16++;
          }
    CHECK(bad16 == 0, "trial %d int16: %d mismatches", trial, bad16);

    /* float with RELU6-like window. */
    mote_tconv_f32_params f = {-2.0f, 3.0f};
    float fb[4];
    for (int i = 0; i < nin; i++) xf[i] = (float)x8[i] / 64.0f;
    for (int i = 0; i < nw; i++) wf[i] = (float)w8[i] / 128.0f;
    for (int i = 0; i < 4; i++) fb[i] = (float)bias[i] / 1000.0f;
    mote_tconv_f32_ref(&g, &f, xf, wf, fb, yf);
    for (int i = 0; i < nin; i++) xi[i] = x8[i];
    for (int b = 0; b < g.batches; b++)
      for (int oy = 0; oy < g.out_h; oy++)
        for (int ox = 0; ox < g.out_w; ox++)
          for (int oc = 0; oc < g.out_c; oc++) {
            double a = (double)tconv_gather(&g, b, oy, ox, oc, xi, wi) /
                           (64.0 * 128.0) +
                       (double)fb[oc];
            a = a < -2.0 ? -2.0 : (a > 3.0 ? 3.0 : a);
            int idx = ((b * g.out_h + oy) * g.out_w + ox) * g.out_c + oc;
            if (fabs((double)yf[idx] - a) > 1e-5) badf++;
          }
    CHECK(badf == 0, "trial %d float: %d mismatches", trial, badf);
  }
}

static void test_tconv_hand(void) {
  /* One input pixel, 2x2 kernel, stride 2, no padding: the output is the
   * kernel scaled by the input, plus bias. */
  int8_t x[1] = {3};
  int8_t w[4] = {1, -2, 3, -4};
  int32_t bias[1] = {10};
  int32_t mult[1], scratch[4];
  int8_t shift[1];
  pot_mult(mult, shift, 1, 0);
  int8_t y[4];
  mote_tconv_geom g;
  mote_tconv_q_params p;
  memset(&g, 0, sizeof g);
  memset(&p, 0, sizeof p);
  g.batches = 1;
  g.in_h = g.in_w = g.in_c = 1;
  g.out_h = g.out_w = 2;
  g.out_c = 1;
  g.f_h = g.f_w = 2;
  g.stride_h = g.stride_w = 2;
  p.rq.mult = mult;
  p.rq.shift = shift;
  p.input_offset = 1; /* input zero point -1: value 4 */
  p.output_offset = -128;
  p.act_min = -128;
  p.act_max = 127;
  mote_tconv_s8_ref(&g, &p, x, w, bias, y, scratch);
  CHECK(y[0] == -114 && y[1] == -126 && y[2] == -106 && y[3] == -128,
        "hand: %d %d %d %d", y[0], y[1], y[2], y[3]);
  /* Leading padding 1 drops the first row and column of taps. */
  g.pad_h = g.pad_w = 1;
  g.out_h = g.out_w = 1;
  p.output_offset = 0;
  mote_tconv_s8_ref(&g, &p, x, w, bias, y, scratch);
  CHECK(y[0] == -4 * 4 + 10, "padding: %d", y[0]);
  /* Per-tensor form of the requantization, multiplier 0.5. */
  p.rq.mult = NULL;
  p.rq.shift = NULL;
  p.rq.mult0 = 1 << 30;
  p.rq.shift0 = 0;
  mote_tconv_s8_ref(&g, &p, x, w, bias, y, scratch);
  CHECK(y[0] == -3, "per-tensor 0.5: %d", y[0]);
}

/* ---- whole models (prepare + eval through the runtime) ---- */

typedef struct fc_case {
  const char *name;
  int32_t type; /* MOTE_INT8, MOTE_INT16 or MOTE_FLOAT32 (activations) */
  int hybrid;   /* float32 activations with int8 weights */
  int32_t in_shape[4];
  uint32_t rank;
  int units, keep, act;
  int32_t bias_type; /* 0: none, FBIAS: float32, else MOTE_INT* */
  int per_channel;
  int32_t w_zp;
  float in_s;
  int32_t in_zp;
  float out_s;
  int32_t out_zp;
  int asym;
  /* invalid / unsupported variants */
  int wfmt;             /* weights_format option */
  int bad_out;          /* output last dim off by one */
  float bias_scale_mul; /* 0: 1 */
  int32_t w_type;       /* 0: natural weights type */
  mote_status expect;   /* MOTE_OK: run and compare */
} fc_case;

static void run_fc(const fc_case *c) {
  mh_case = c->name;
  int depth = c->in_shape[c->rank - 1];
  size_t n_in = 1;
  for (uint32_t r = 0; r < c->rank; r++) n_in *= (size_t)c->in_shape[r];
  int batches = (int)(n_in / (size_t)depth), U = c->units;
  int quant = c->type != MOTE_FLOAT32;
  size_t n_w = (size_t)U * (size_t)depth, n_out = (size_t)batches * U;
  void *x = malloc(n_in * 4);
  int8_t *wq = malloc(n_w);
  float *wf = malloc(n_w * 4), *wsc = malloc((size_t)U * 4);
  int32_t *b32 = malloc((size_t)U * 4);
  int64_t *b64 = malloc((size_t)U * 8);
  int16_t *b16 = malloc((size_t)U * 2);
  float *bf = malloc((size_t)U * 4);
  for (size_t i = 0; i < n_in; i++) {
    if (c->type == MOTE_INT8)
      ((int8_t *)x)[i] = (int8_t)mh_randi(-128, 127);
    else if (c->type == MOTE_INT16)
      ((int16_t *)x)[i] = (int16_t)mh_randi(-32768, 32767);
    else
      ((float *)x)[i] = (float)mh_randf(-2, 2);
  }
  for (size_t i = 0; i < n_w; i++) {
    wq[i] = (int8_t)mh_randi(-127, 127);
    wf[i] = (float)mh_randf(-1, 1);
  }
  for (int k = 0; k < U; k++) {
    wsc[k] = c->per_channel ? (float)mh_randf(0.002, 0.01) : 0.005f;
    b32[k] = mh_randi(-3000, 3000);
    b64[k] = mh_randi(-300000, 300000);
    b16[k] = (int16_t)mh_randi(-3000, 3000);
    bf[k] = (float)mh_randf(-1, 1);
  }

  tflw *w = tflw_new();
  int ti =
      mh_t(w, c->type, c->in_shape, c->rank, quant ? c->in_s : 0, c->in_zp);
  int32_t w_shape[] = {U, depth};
  int tw, tb = -1;
  int32_t wtype =
      c->w_type ? c->w_type : (quant || c->hybrid ? MOTE_INT8 : MOTE_FLOAT32);
  if (wtype == MOTE_FLOAT32)
    tw = mh_const(w, MOTE_FLOAT32, w_shape, 2, 0, 0, wf, n_w * 4);
  else if (c->per_channel)
    tw = mh_const_pc(w, MOTE_INT8, w_shape, 2, wsc, (uint32_t)U, 0, wq, n_w);
  else
    tw = mh_const(w, wtype, w_shape, 2, wsc[0], c->w_zp, wq, n_w);
  int32_t bshape[] = {U};
  float bmul = c->bias_scale_mul != 0.0f ? c->bias_scale_mul : 1.0f;
  float *bsc = malloc((size_t)U * 4);
  for (int k = 0; k < U; k++) bsc[k] = c->in_s * wsc[k] * bmul;
  uint32_t nb = c->per_channel ? (uint32_t)U : 1u;
  if (c->bias_type == MOTE_INT32)
    tb = mh_const_pc(w, MOTE_INT32, bshape, 1, bsc, nb, 0, b32, (size_t)U * 4);
  else if (c->bias_type == MOTE_INT64)
    tb = mh_const_pc(w, MOTE_INT64, bshape, 1, bsc, nb, 0, b64, (size_t)U * 8);
  else if (c->bias_type == FBIAS)
    tb = mh_const(w, MOTE_FLOAT32, bshape, 1, 0, 0, bf, (size_t)U * 4);
  free(bsc);
  int32_t out_shape[4];
  uint32_t out_rank;
  if (c->keep) {
    memcpy(out_shape, c->in_shape, sizeof out_shape);
    out_shape[c->rank - 1] = U;
    out_rank = c->rank;
  } else {
    out_shape[0] = batches;
    out_shape[1] = U;
    out_rank = 2;
  }
  out_shape[out_rank - 1] += c->bad_out;
  int to =
      mh_t(w, c->type, out_shape, out_rank, quant ? c->out_s : 0, c->out_zp);
  int32_t ins[] = {ti, tw, tb};
  tflw_opt o[] = {TFLW_I8(0, c->act), TFLW_I8(1, c->wfmt),
                  TFLW_BOOL(2, c->keep), TFLW_BOOL(3, c->asym)};
  tflw_op(w, TFL_OP_FULLY_CONNECTED, 1, ins, 3, &to, 1, TFL_OPT_FULLY_CONNECTED,
          o, 4);
  tflw_io(w, &ti, 1, &to, 1);

  if (c->expect != MOTE_OK) {
    mh_expect_load_fail(w, c->expect, NULL);
  } else {
    int64_t *want_q = malloc(n_out * 8);
    double *want_f = malloc(n_out * 8);
    int32_t qmin = c->type == MOTE_INT16 ? -32768 : -128;
    int32_t qmax = c->type == MOTE_INT16 ? 32767 : 127;
    int32_t lo = qmin, hi = qmax;
    if (quant)
      ref_act_range_q(c->act, c->out_s, c->out_zp, qmin, qmax, &lo, &hi);
    size_t sat = 0;
    int32_t wz = c->per_channel ? 0 : c->w_zp;
    for (int b = 0; b < batches; b++)
      for (int u = 0; u < U; u++) {
        size_t oi = (size_t)b * U + u;
        int64_t acc = 0;
        double accf = 0;
        for (int d = 0; d < depth; d++) {
          size_t xi = (size_t)b * depth + d, wi = (size_t)u * depth + d;
          if (c->type == MOTE_INT8)
            acc += (int64_t)(((int8_t *)x)[xi] - c->in_zp) * (wq[wi] - wz);
          else if (c->type == MOTE_INT16)
            acc += (int64_t)((int16_t *)x)[xi] * (wq[wi] - wz);
          else if (c->hybrid)
            accf +=
                (double)((float *)x)[xi] * wq[wi] * wsc[c->per_channel ? u : 0];
          else
            accf += (double)((float *)x)[xi] * wf[wi];
        }
        if (!quant) {
          if (c->bias_type) accf += bf[u];
          want_f[oi] = ref_act_f(c->act, accf);
          continue;
        }
        int32_t m;
        int sh;
        if (c->per_channel)
          ref_qm((double)c->in_s * (double)wsc[u] / (double)c->out_s, &m, &sh);
        else
          ref_qm((double)(c->in_s * wsc[0]) / (double)c->out_s, &m, &sh);
        int64_t v;
        if (c->type == MOTE_INT8) {
          if (c->bias_type) acc += b32[u];
          v = (int64_t)ref_mbqm((int32_t)acc, m, sh) + c->out_zp;
        } else if (c->bias_type == MOTE_INT64) {
          v = ref_mbqm64(acc + b64[u], m, sh);
        } else {
          if (c->bias_type) acc += b32[u];
          v = ref_mbqm((int32_t)(uint32_t)(uint64_t)acc, m, sh);
        }
        want_q[oi] = ref_clamp(v, lo, hi);
        sat += want_q[oi] == qmin || want_q[oi] == qmax;
      }
    if (quant)
      MH_CHECK(sat * 2 < n_out, "reference mostly saturated (%zu of %zu)", sat,
               n_out);
    const void *inputs[] = {x};
    mh_run r;
    if (mh_run_model(&r, w, inputs)) {
      mote_tensor t = mh_out(&r, 0);
      MH_CHECK(t.count == n_out, "output count %zu want %zu", t.count, n_out);
      if (quant)
        mh_expect_ints("out", t.data, c->type, want_q, n_out, 0);
      else
        /* hybrid: dynamic 8-bit input quantization costs ~1% */
        mh_expect_floats("out", (const float *)t.data, want_f, n_out,
                         c->hybrid ? 2e-2 : 1e-5);
    }
    mh_free(&r);
    free(want_q);
    free(want_f);
  }
  free(x);
  free(wq);
  free(wf);
  free(wsc);
  free(b32);
  free(b64);
  free(b16);
  free(bf);
}

static void test_models_fc(void) {
  /* clang-format off */
  static const fc_case cases[] = {
    {.name = "fc_i8_wzp_keep_relu", .type = MOTE_INT8, .in_shape = {2, 3, 8},
     .rank = 3, .units = 5, .keep = 1, .act = TFL_ACT_RELU,
     .bias_type = MOTE_INT32, .w_zp = 3, .in_s = 0.02f, .in_zp = 127,
     .out_s = 0.06f, .out_zp = -10},
    {.name = "fc_i8_pc_rank4_n1to1", .type = MOTE_INT8,
     .in_shape = {2, 2, 2, 5}, .rank = 4, .units = 6,
     .act = TFL_ACT_RELU_N1_TO_1, .bias_type = MOTE_INT32, .per_channel = 1,
     .in_s = 0.03f, .in_zp = -128, .out_s = 0.06f, .out_zp = 5},
    {.name = "fc_i16_b64_keep_relu6", .type = MOTE_INT16,
     .in_shape = {2, 2, 6}, .rank = 3, .units = 4, .keep = 1,
     .act = TFL_ACT_RELU6, .bias_type = MOTE_INT64, .in_s = 0.001f,
     .out_s = 0.005f},
    {.name = "fc_i16_b32_pc", .type = MOTE_INT16, .in_shape = {3, 10},
     .rank = 2, .units = 6, .bias_type = MOTE_INT32, .per_channel = 1,
     .in_s = 0.001f, .out_s = 0.03f},
    {.name = "fc_i16_nobias_pt", .type = MOTE_INT16, .in_shape = {1, 40},
     .rank = 2, .units = 3, .in_s = 0.001f, .out_s = 0.05f},
    {.name = "fc_f32_keep_n1to1", .type = MOTE_FLOAT32,
     .in_shape = {2, 1, 3, 7}, .rank = 4, .units = 3, .keep = 1,
     .act = TFL_ACT_RELU_N1_TO_1, .bias_type = FBIAS},
    {.name = "fc_hybrid_sym", .type = MOTE_FLOAT32, .hybrid = 1,
     .in_shape = {3, 16}, .rank = 2, .units = 5, .bias_type = FBIAS},
    {.name = "fc_hybrid_asym_pc_relu", .type = MOTE_FLOAT32, .hybrid = 1,
     .in_shape = {2, 2, 12}, .rank = 3, .units = 4, .keep = 1,
     .act = TFL_ACT_RELU, .per_channel = 1, .asym = 1},
    /* refusals */
    {.name = "fc_shuffled_weights", .type = MOTE_INT8, .in_shape = {1, 16},
     .rank = 2, .units = 4, .bias_type = MOTE_INT32, .in_s = 0.02f,
     .out_s = 0.05f, .wfmt = 1, .expect = MOTE_E_UNSUPPORTED},
    {.name = "fc_bad_out_shape", .type = MOTE_INT8, .in_shape = {2, 8},
     .rank = 2, .units = 4, .bias_type = MOTE_INT32, .in_s = 0.02f,
     .out_s = 0.05f, .bad_out = 1, .expect = MOTE_E_BAD_SHAPE},
    {.name = "fc_keep_bad_out_shape", .type = MOTE_FLOAT32,
     .in_shape = {2, 3, 8}, .rank = 3, .units = 4, .keep = 1, .bad_out = 1,
     .expect = MOTE_E_BAD_SHAPE},
    {.name = "fc_bias_scale_mismatch", .type = MOTE_INT8, .in_shape = {1, 8},
     .rank = 2, .units = 4, .bias_type = MOTE_INT32, .in_s = 0.02f,
     .out_s = 0.0001f, .bias_scale_mul = 3.0f, .expect = MOTE_E_BAD_QUANT},
    {.name = "fc_i8_uint8_weights", .type = MOTE_INT8, .in_shape = {1, 8},
     .rank = 2, .units = 4, .in_s = 0.02f, .out_s = 0.05f,
     .w_type = MOTE_UINT8, .expect = MOTE_E_UNSUPPORTED},
    {.name = "fc_f32_uint8_weights", .type = MOTE_FLOAT32, .in_shape = {1, 8},
     .rank = 2, .units = 4, .w_type = MOTE_UINT8,
     .expect = MOTE_E_UNSUPPORTED},
  };
  /* clang-format on */
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) run_fc(&cases[i]);
}

typedef struct tc_case {
  const char *name;
  int32_t type; /* MOTE_INT8, MOTE_INT16 or MOTE_FLOAT32 */
  int n, ih, iw, ic, kh, kw, oc, oh, ow;
  int padding, sh, sw, act;
  int32_t bias_type; /* 0: none */
  int per_channel;
  float in_s;
  int32_t in_zp;
  float out_s;
  int32_t out_zp;
  int bad_shape_const; /* output_shape constant disagrees with output */
  int32_t w_type;      /* 0: natural */
  mote_status expect;
} tc_case;

static void run_tconv(const tc_case *c) {
  mh_case = c->name;
  int quant = c->type != MOTE_FLOAT32;
  size_t n_in = (size_t)c->n * c->ih * c->iw * c->ic;
  size_t n_w = (size_t)c->oc * c->kh * c->kw * c->ic;
  size_t n_out = (size_t)c->n * c->oh * c->ow * c->oc;
  void *x = malloc(n_in * 4);
  int8_t *wq = malloc(n_w);
  float *wf = malloc(n_w * 4), *wsc = malloc((size_t)c->oc * 4);
  int32_t *b32 = malloc((size_t)c->oc * 4);
  int64_t *b64 = malloc((size_t)c->oc * 8);
  int16_t *b16 = malloc((size_t)c->oc * 2);
  float *bf = malloc((size_t)c->oc * 4);
  for (size_t i = 0; i < n_in; i++) {
    if (c->type == MOTE_INT8)
      ((int8_t *)x)[i] = (int8_t)mh_randi(-128, 127);
    else if (c->type == MOTE_INT16)
      ((int16_t *)x)[i] = (int16_t)mh_randi(-32768, 32767);
    else
      ((float *)x)[i] = (float)mh_randf(-2, 2);
  }
  for (size_t i = 0; i < n_w; i++) {
    wq[i] = (int8_t)mh_randi(-127, 127);
    wf[i] = (float)mh_randf(-1, 1);
  }
  for (int k = 0; k < c->oc; k++) {
    wsc[k] = c->per_channel ? (float)mh_randf(0.002, 0.01) : 0.005f;
    b32[k] = mh_randi(-3000, 3000);
    b64[k] = mh_randi(-300000, 300000);
    b16[k] = (int16_t)mh_randi(-30000, 30000);
    bf[k] = (float)mh_randf(-1, 1);
  }

  tflw *w = tflw_new();
  int32_t in_shape[] = {c->n, c->ih, c->iw, c->ic};
  int32_t out_shape[] = {c->n, c->oh, c->ow, c->oc};
  int32_t w_shape[] = {c->oc, c->kh, c->kw, c->ic};
  int32_t os_shape[] = {4};
  int32_t os_val[] = {c->n, c->oh + c->bad_shape_const, c->ow, c->oc};
  int ts = mh_const(w, MOTE_INT32, os_shape, 1, 0, 0, os_val, sizeof os_val);
  int32_t wtype = c->w_type ? c->w_type : (quant ? MOTE_INT8 : MOTE_FLOAT32);
  int tw;
  uint32_t nch = c->per_channel ? (uint32_t)c->oc : 1u;
  if (wtype == MOTE_FLOAT32)
    tw = mh_const(w, MOTE_FLOAT32, w_shape, 4, 0, 0, wf, n_w * 4);
  else
    tw = mh_const_pc(w, MOTE_INT8, w_shape, 4, wsc, nch, 0, wq, n_w);
  int ti = mh_t(w, c->type, in_shape, 4, quant ? c->in_s : 0, c->in_zp);
  int tb = -1;
  int32_t bshape[] = {c->oc};
  float *bsc = malloc((size_t)c->oc * 4);
  for (int k = 0; k < c->oc; k++) bsc[k] = c->in_s * wsc[k];
  if (c->bias_type == MOTE_INT32)
    tb = mh_const_pc(w, MOTE_INT32, bshape, 1, bsc, nch, 0, b32,
                     (size_t)c->oc * 4);
  else if (c->bias_type == MOTE_INT64)
    tb = mh_const_pc(w, MOTE_INT64, bshape, 1, bsc, nch, 0, b64,
                     (size_t)c->oc * 8);
  else if (c->bias_type == MOTE_INT16)
    tb = mh_const_pc(w, MOTE_INT16, bshape, 1, bsc, nch, 0, b16,
                     (size_t)c->oc * 2);
  else if (c->bias_type == FBIAS)
    tb = mh_const(w, MOTE_FLOAT32, bshape, 1, 0, 0, bf, (size_t)c->oc * 4);
  free(bsc);
  int to = mh_t(w, c->type, out_shape, 4, quant ? c->out_s : 0, c->out_zp);
  int32_t ins[] = {ts, tw, ti, tb};
  tflw_opt o[] = {TFLW_I8(0, c->padding), TFLW_I32(1, c->sw),
                  TFLW_I32(2, c->sh), TFLW_I8(3, c->act)};
  tflw_op(w, TFL_OP_TRANSPOSE_CONV, 4, ins, 4, &to, 1, TFL_OPT_TRANSPOSE_CONV,
          o, 4);
  tflw_io(w, &ti, 1, &to, 1);

  if (c->expect != MOTE_OK) {
    mh_expect_load_fail(w, c->expect, NULL);
  } else {
    /* TFLite pads on the output extent (what a conv of it would need). */
    int pad_h, pad_w;
    ref_out_size(c->padding, c->oh, c->kh, c->sh, 1, &pad_h);
    ref_out_size(c->padding, c->ow, c->kw, c->sw, 1, &pad_w);
    int64_t *want_q = malloc(n_out * 8);
    double *want_f = malloc(n_out * 8);
    int32_t qmin = c->type == MOTE_INT16 ? -32768 : -128;
    int32_t qmax = c->type == MOTE_INT16 ? 32767 : 127;
    size_t below_zp = 0;
    for (int b = 0; b < c->n; b++)
      for (int oy = 0; oy < c->oh; oy++)
        for (int ox = 0; ox < c->ow; ox++)
          for (int oc = 0; oc < c->oc; oc++) {
            int64_t acc = 0;
            double accf = 0;
            for (int ky = 0; ky < c->kh; ky++) {
              int ny = oy + pad_h - ky;
              if (ny < 0 || ny % c->sh || ny / c->sh >= c->ih) continue;
              for (int kx = 0; kx < c->kw; kx++) {
                int nx = ox + pad_w - kx;
                if (nx < 0 || nx % c->sw || nx / c->sw >= c->iw) continue;
                for (int ic = 0; ic < c->ic; ic++) {
                  size_t xi =
                      (((size_t)b * c->ih + ny / c->sh) * c->iw + nx / c->sw) *
                          c->ic +
                      ic;
                  size_t wi =
                      (((size_t)oc * c->kh + ky) * c->kw + kx) * c->ic + ic;
                  if (c->type == MOTE_INT8)
                    acc += (int64_t)(((int8_t *)x)[xi] - c->in_zp) * wq[wi];
                  else if (c->type == MOTE_INT16)
                    acc += (int64_t)((int16_t *)x)[xi] * wq[wi];
                  else
                    accf += (double)((float *)x)[xi] * wf[wi];
                }
              }
            }
            size_t oi = (((size_t)b * c->oh + oy) * c->ow + ox) * c->oc + oc;
            if (!quant) {
              if (c->bias_type) accf += bf[oc];
              want_f[oi] = ref_act_f(c->act, accf);
              continue;
            }
            int32_t m;
            int sh;
            ref_qm((double)c->in_s * (double)wsc[c->per_channel ? oc : 0] /
                       (double)c->out_s,
                   &m, &sh);
            int64_t v;
            if (c->type == MOTE_INT8) {
              if (c->bias_type) acc += b32[oc];
              v = (int64_t)ref_mbqm((int32_t)acc, m, sh) + c->out_zp;
            } else {
              if (c->bias_type == MOTE_INT64) acc += b64[oc];
              if (c->bias_type == MOTE_INT16) acc += b16[oc];
              v = ref_mbqm64(acc, m, sh);
            }
            /* TFLM ignores the fused activation of quantized outputs. */
            want_q[oi] = ref_clamp(v, qmin, qmax);
            below_zp += want_q[oi] < c->out_zp;
          }
    if (quant && c->act != TFL_ACT_NONE)
      MH_CHECK(below_zp > 0, "case does not show the ignored activation");
    const void *inputs[] = {x};
    mh_run r;
    if (mh_run_model(&r, w, inputs)) {
      mote_tensor t = mh_out(&r, 0);
      MH_CHECK(t.count == n_out, "output count %zu want %zu", t.count, n_out);
      if (quant)
        mh_expect_ints("out", t.data, c->type, want_q, n_out, 0);
      else
        mh_expect_floats("out", (const float *)t.data, want_f, n_out, 1e-5);
    }
    mh_free(&r);
    free(want_q);
    free(want_f);
  }
  free(x);
  free(wq);
  free(wf);
  free(wsc);
  free(b32);
  free(b64);
  free(b16);
  free(bf);
}

static void test_models_tconv(void) {
  /* clang-format off */
  static const tc_case cases[] = {
    {.name = "tconv_i16_b16_same_s2", .type = MOTE_INT16, .n = 1, .ih = 3,
     .iw = 4, .ic = 2, .kh = 3, .kw = 3, .oc = 3, .oh = 6, .ow = 8,
     .padding = TFL_PAD_SAME, .sh = 2, .sw = 2, .bias_type = MOTE_INT16,
     .per_channel = 1, .in_s = 0.001f, .out_s = 0.01f},
    {.name = "tconv_i16_b64_valid_s31", .type = MOTE_INT16, .n = 2, .ih = 2,
     .iw = 3, .ic = 3, .kh = 2, .kw = 2, .oc = 2, .oh = 5, .ow = 4,
     .padding = TFL_PAD_VALID, .sh = 3, .sw = 1, .bias_type = MOTE_INT64,
     .in_s = 0.001f, .out_s = 0.004f},
    {.name = "tconv_f32_relu_valid_s32", .type = MOTE_FLOAT32, .n = 1,
     .ih = 3, .iw = 3, .ic = 2, .kh = 2, .kw = 3, .oc = 3, .oh = 8, .ow = 7,
     .padding = TFL_PAD_VALID, .sh = 3, .sw = 2, .act = TFL_ACT_RELU,
     .bias_type = FBIAS},
    {.name = "tconv_f32_relu6_same_nobias", .type = MOTE_FLOAT32, .n = 1,
     .ih = 4, .iw = 3, .ic = 3, .kh = 4, .kw = 2, .oc = 2, .oh = 7, .ow = 5,
     .padding = TFL_PAD_SAME, .sh = 2, .sw = 2, .act = TFL_ACT_RELU6},
    {.name = "tconv_i8_relu_ignored", .type = MOTE_INT8, .n = 1, .ih = 3,
     .iw = 3, .ic = 3, .kh = 3, .kw = 3, .oc = 2, .oh = 6, .ow = 6,
     .padding = TFL_PAD_SAME, .sh = 2, .sw = 2, .act = TFL_ACT_RELU,
     .bias_type = MOTE_INT32, .in_s = 0.02f, .in_zp = 3, .out_s = 0.03f},
    {.name = "tconv_i8_pc_odd_pad_zp", .type = MOTE_INT8, .n = 2, .ih = 4,
     .iw = 3, .ic = 2, .kh = 4, .kw = 2, .oc = 3, .oh = 7, .ow = 5,
     .padding = TFL_PAD_SAME, .sh = 2, .sw = 2, .bias_type = MOTE_INT32,
     .per_channel = 1, .in_s = 0.02f, .in_zp = -128, .out_s = 0.05f,
     .out_zp = 127},
    /* refusals */
    {.name = "tconv_output_shape_mismatch", .type = MOTE_INT8, .n = 1,
     .ih = 2, .iw = 2, .ic = 2, .kh = 2, .kw = 2, .oc = 2, .oh = 4, .ow = 4,
     .padding = TFL_PAD_SAME, .sh = 2, .sw = 2, .in_s = 0.02f, .out_s = 0.05f,
     .bad_shape_const = 1, .expect = MOTE_E_BAD_SHAPE},
    {.name = "tconv_hybrid", .type = MOTE_FLOAT32, .n = 1, .ih = 2, .iw = 2,
     .ic = 2, .kh = 2, .kw = 2, .oc = 2, .oh = 4, .ow = 4,
     .padding = TFL_PAD_SAME, .sh = 2, .sw = 2, .w_type = MOTE_INT8,
     .expect = MOTE_E_UNSUPPORTED},
    {.name = "tconv_stride0", .type = MOTE_FLOAT32, .n = 1, .ih = 2, .iw = 2,
     .ic = 2, .kh = 2, .kw = 2, .oc = 2, .oh = 4, .ow = 4,
     .padding = TFL_PAD_SAME, .sh = 0, .sw = 2,
     .expect = MOTE_E_BAD_OPTIONS},
  };
  /* clang-format on */
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    run_tconv(&cases[i]);
}

int main(void) {
  test_fc_s8_exact();
  test_fc_s8_saturation_and_rounding();
  test_fc_s8_per_channel();
  test_fc_s8w4();
  test_fc_s16();
  test_fc_f32();
  test_fc_hybrid();
  test_tconv_hand();
  test_tconv_random();
  test_models_fc();
  test_models_tconv();
  return mh_report();
}
