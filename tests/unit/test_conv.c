/*
** test_conv.c: CONV_2D and DEPTHWISE_CONV_2D.
**
** Part 1 calls the reference kernels directly on hand-made cases with
** hand-derived results (padding, zero-point extremes, saturation, rounding
** ties of both int16 requantizers, int4 unpacking, hybrid quantization).
** Part 2 runs random cases through the kernels and compares them with an
** independent "padded image" computation using the fixed-point helpers of
** model_harness.h (not src/kernels/mote_requant.h).
** Part 3 builds one-op models with the .tflite writer, runs them through
** the whole runtime (prepare computes the multipliers) and checks the
** refusals of invalid or unsupported models.
*/
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/ref/conv_ref.h"
#include "model_harness.h"

/* ---------------------------------------------------------------------- */
/* Independent reference                                                   */
/* ---------------------------------------------------------------------- */

typedef struct cfg {
  int n, h, w, c; /* input */
  int fh, fw, fc; /* filter spatial, filter input channels (conv) */
  int oc;         /* output channels */
  int sh, sw, dh, dw;
  int same;      /* 1: SAME, 0: VALID */
  int depthwise; /* 1: depthwise with multiplier oc / c */
} cfg;

static int ref_out(int in, int f, int s, int d, int same) {
  int eff = (f - 1) * d + 1;
  return same ? (in + s - 1) / s : (in - eff + s) / s;
}

static int ref_pad(int in, int f, int s, int d, int out) {
  int eff = (f - 1) * d + 1;
  int total = (out - 1) * s + eff - in;
  return total > 0 ? total / 2 : 0;
}

static void geom_of(const cfg *k, mote_conv_geom *g) {
  memset(g, 0, sizeof *g);
  g->batches = k->n;
  g->in_h = k->h;
  g->in_w = k->w;
  g->in_c = k->c;
  g->filt_h = k->fh;
  g->filt_w = k->fw;
  g->filt_in_c = k->depthwise ? 1 : k->fc;
  g->out_c = k->oc;
  g->out_h = ref_out(k->h, k->fh, k->sh, k->dh, k->same);
  g->out_w = ref_out(k->w, k->fw, k->sw, k->dw, k->same);
  g->stride_h = k->sh;
  g->stride_w = k->sw;
  g->dil_h = k->dh;
  g->dil_w = k->dw;
  g->pad_h = ref_pad(k->h, k->fh, k->sh, k->dh, g->out_h);
  g->pad_w = ref_pad(k->w, k->fw, k->sw, k->dw, g->out_w);
  g->depth_multiplier = k->depthwise ? k->oc / k->c : 1;
}

/*
** Integer/real accumulators of every output: the input (already minus its
** zero point, as double) is copied into a zero-filled padded image, then
** each output sums over its window without any bounds test. Depthwise
** weights [1, FH, FW, OC]; conv weights [OC, FH, FW, FC] with groups.
*/
static double *ref_acc(const cfg *k, const double *x, const double *wts,
                       int *oh_out, int *ow_out) {
  int oh = ref_out(k->h, k->fh, k->sh, k->dh, k->same);
  int ow = ref_out(k->w, k->fw, k->sw, k->dw, k->same);
  int ph = ref_pad(k->h, k->fh, k->sh, k->dh, oh);
  int pw = ref_pad(k->w, k->fw, k->sw, k->dw, ow);
  int H = (oh - 1) * k->sh + (k->fh - 1) * k->dh + 1 + k->h + 2 * ph;
  int W = (ow - 1) * k->sw + (k->fw - 1) * k->dw + 1 + k->w + 2 * pw;
  double *img = calloc((size_t)k->n * H * W * k->c, sizeof *img);
  for (int b = 0; b < k->n; b++)
    for (int y = 0; y < k->h; y++)
      for (int xx = 0; xx < k->w; xx++)
        for (int c = 0; c < k->c; c++)
          img[(((size_t)b * H + y + ph) * W + xx + pw) * k->c + c] =
              x[(((size_t)b * k->h + y) * k->w + xx) * k->c + c];
  double *acc = calloc((size_t)k->n * oh * ow * k->oc, sizeof *acc);
  for (int b = 0; b < k->n; b++)
    for (int y = 0; y < oh; y++)
      for (int xx = 0; xx < ow; xx++)
        for (int o = 0; o < k->oc; o++) {
          double s = 0;
          for (int fy = 0; fy < k->fh; fy++)
            for (int fx = 0; fx < k->fw; fx++) {
              int iy = y * k->sh + fy * k->dh, ix = xx * k->sw + fx * k->dw;
              const double *px = img + (((size_t)b * H + iy) * W + ix) * k->c;
              if (k->depthwise) {
                int dm = k->oc / k->c;
                s += px[o / dm] * wts[(fy * k->fw + fx) * k->oc + o];
              } else {
                int groups = k->c / k->fc, per = k->oc / groups;
                int g0 = (o / per) * k->fc;
                for (int c = 0; c < k->fc; c++)
                  s += px[g0 + c] *
                       wts[((o * k->fh + fy) * k->fw + fx) * k->fc + c];
              }
            }
          acc[(((size_t)b * oh + y) * ow + xx) * k->oc + o] = s;
        }
  free(img);
  *oh_out = oh;
  *ow_out = ow;
  return acc;
}

static size_t wcount(const cfg *k) {
  return k->depthwise ? (size_t)k->fh * k->fw * k->oc
                      : (size_t)k->oc * k->fh * k->fw * k->fc;
}

/* ---------------------------------------------------------------------- */
/* Part 1: hand-derived cases                                              */
/* ---------------------------------------------------------------------- */

static const int32_t ONE_M[8] = {1 << 30, 1 << 30, 1 << 30, 1 << 30,
                                 1 << 30, 1 << 30, 1 << 30, 1 << 30};
static const int8_t ONE_S[8] = {1, 1, 1, 1, 1, 1, 1, 1}; /* 1.0 */
/* 0.25 = 2^30 * 2^(-1-31): the final rounding shift is by one bit */
static const int8_t QUARTER_S[8] = {-1, -1, -1, -1, -1, -1, -1, -1};

static void test_s8_box_same(void) {
  mh_case = "s8 3x3 box SAME";
  cfg k = {1, 3, 3, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 0};
  mote_conv_geom g;
  mote_conv_q_params p;
  memset(&p, 0, sizeof p);
  geom_of(&k, &g);
  p.input_offset = -5; /* input zero point 5 */
  p.output_offset = -3;
  p.act_min = -128;
  p.act_max = 127;
  /* per-tensor form: no arrays, every channel uses mult0/shift0 */
  p.rq.mult0 = 1 << 30;
  p.rq.shift0 = 1;
  int8_t x[9], w[9], y[9];
  for (int i = 0; i < 9; i++) {
    x[i] = (int8_t)(i + 1 + 5);
    w[i] = 1;
  }
  mote_conv2d_s8_ref(&g, &p, x, w, NULL, y);
  const int want[9] = {12, 21, 16, 27, 45, 33, 24, 39, 28};
  for (int i = 0; i < 9; i++)
    MH_CHECK(y[i] == want[i] - 3, "y[%d] = %d, want %d", i, y[i], want[i] - 3);
  /* with bias 100 and RELU6-like clamp [-3, 60] */
  int32_t bias = 100;
  p.act_min = -3;
  p.act_max = 60;
  mote_conv2d_s8_ref(&g, &p, x, w, &bias, y);
  for (int i = 0; i < 9; i++)
    MH_CHECK(y[i] == 60, "clamped y[%d] = %d, want 60", i, y[i]);
}

static void test_s8_zero_point_extremes(void) {
  /* Input all equal to its zero point (real 0): output = bias only, also
   * where the window hangs over the padding, for zp -128 and 127. */
  const int zps[2] = {-128, 127};
  for (int t = 0; t < 2; t++) {
    mh_case = t ? "s8 zp 127" : "s8 zp -128";
    cfg k = {1, 4, 3, 2, 3, 3, 2, 2, 2, 2, 1, 1, 1, 0};
    mote_conv_geom g;
    mote_conv_q_params p;
    memset(&p, 0, sizeof p);
    geom_of(&k, &g);
    p.input_offset = -zps[t];
    p.output_offset = 10;
    p.act_min = -128;
    p.act_max = 127;
    p.rq.mult = ONE_M;
    p.rq.shift = ONE_S;
    int8_t x[24], w[36], y[2 * 2 * 2];
    for (int i = 0; i < 24; i++) x[i] = (int8_t)zps[t];
    for (int i = 0; i < 36; i++) w[i] = (int8_t)(i % 2 ? 127 : -128);
    int32_t bias[2] = {-7, 20};
    mote_conv2d_s8_ref(&g, &p, x, w, bias, y);
    for (int i = 0; i < 8; i++)
      MH_CHECK(y[i] == bias[i % 2] + 10, "y[%d] = %d, want %d", i, y[i],
               bias[i % 2] + 10);
  }
}

static void test_s8_saturation(void) {
  mh_case = "s8 saturation";
  /* 1x1 conv, 2 channels in, out = x0*w0 + x1*w1 (multiplier 1). */
  cfg k = {1, 1, 2, 2, 1, 1, 2, 2, 1, 1, 1, 1, 0, 0};
  mote_conv_geom g;
  mote_conv_q_params p;
  memset(&p, 0, sizeof p);
  geom_of(&k, &g);
  p.input_offset = 128; /* zp -128: x = 127 is real 255 */
  p.output_offset = 0;
  p.act_min = -128;
  p.act_max = 127;
  p.rq.mult = ONE_M;
  p.rq.shift = ONE_S;
  int8_t x[4] = {127, 127, -128, -127};
  int8_t w[4] = {127, 127, -128, -128};
  int8_t y[4];
  mote_conv2d_s8_ref(&g, &p, x, w, NULL, y);
  MH_CHECK(y[0] == 127 && y[1] == -128, "pixel 0: %d %d", y[0], y[1]);
  /* pixel 1: real (0, 1): ch0 = 127, ch1 = -128 -> 127, -128 */
  MH_CHECK(y[2] == 127 && y[3] == -128, "pixel 1: %d %d", y[2], y[3]);
}

static void test_s8_rounding_ties(void) {
  mh_case = "s8 ties (x0.25)";
  /* 1x1 conv with weight 1 and multiplier 0.25: round half away from 0. */
  cfg k = {1, 1, 6, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0};
  mote_conv_geom g;
  mote_conv_q_params p;
  memset(&p, 0, sizeof p);
  geom_of(&k, &g);
  p.act_min = -128;
  p.act_max = 127;
  p.rq.mult = ONE_M;
  p.rq.shift = QUARTER_S;
  int8_t x[6] = {6, -6, 2, -2, 10, -10}, w[1] = {1}, y[6];
  const int want[6] = {2, -2, 1, -1, 3, -3};
  mote_conv2d_s8_ref(&g, &p, x, w, NULL, y);
  for (int i = 0; i < 6; i++)
    MH_CHECK(y[i] == want[i], "y[%d] = %d, want %d", i, y[i], want[i]);
  /* the same through the per-tensor form of the requantization */
  mh_case = "s8 ties (x0.25), per-tensor form";
  p.rq.mult = NULL;
  p.rq.shift = NULL;
  p.rq.mult0 = 1 << 30;
  p.rq.shift0 = -1;
  memset(y, 0, sizeof y);
  mote_conv2d_s8_ref(&g, &p, x, w, NULL, y);
  for (int i = 0; i < 6; i++)
    MH_CHECK(y[i] == want[i], "y[%d] = %d, want %d", i, y[i], want[i]);
  mote_dwconv2d_s8_ref(&g, &p, x, w, NULL, y);
  for (int i = 0; i < 6; i++)
    MH_CHECK(y[i] == want[i], "dw y[%d] = %d, want %d", i, y[i], want[i]);
}

static void test_s16_requantizers(void) {
  /* Multiplier 0.25 on acc = x. The int64 path (reduced multiplier, one
   * rounding shift) rounds half up; the int32 path rounds half away. */
  mh_case = "s16 ties";
  cfg k = {1, 1, 4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0};
  mote_conv_geom g;
  mote_conv_q_params p;
  memset(&p, 0, sizeof p);
  geom_of(&k, &g);
  p.act_min = -32768;
  p.act_max = 32767;
  p.rq.mult = ONE_M;
  p.rq.shift = QUARTER_S;
  int16_t x[4] = {6, -6, 2, -2}, y[4];
  int8_t w[1] = {1};
  const int want64[4] = {2, -1, 1, 0}, want32[4] = {2, -2, 1, -1};
  mote_conv2d_s16_ref(&g, &p, x, w, NULL, y);
  for (int i = 0; i < 4; i++)
    MH_CHECK(y[i] == want64[i], "int64 path y[%d] = %d, want %d", i, y[i],
             want64[i]);
  mote_conv2d_s16b32_ref(&g, &p, x, w, NULL, y);
  for (int i = 0; i < 4; i++)
    MH_CHECK(y[i] == want32[i], "int32 path y[%d] = %d, want %d", i, y[i],
             want32[i]);
  mote_dwconv2d_s16_ref(&g, &p, x, w, NULL, y);
  for (int i = 0; i < 4; i++)
    MH_CHECK(y[i] == want64[i], "dw int64 path y[%d] = %d, want %d", i, y[i],
             want64[i]);

  mh_case = "s16 saturation";
  p.rq.shift = ONE_S;
  int16_t xs[4] = {32767, -32768, 300, -300};
  int8_t ws[1] = {-128};
  int64_t b64 = 1000;
  int32_t b32 = 1000;
  mote_conv2d_s16_ref(&g, &p, xs, ws, &b64, y);
  MH_CHECK(y[0] == -32768 && y[1] == 32767 && y[2] == -32768 && y[3] == 32767,
           "int64 path %d %d %d %d", y[0], y[1], y[2], y[3]);
  mote_conv2d_s16b32_ref(&g, &p, xs, ws, &b32, y);
  MH_CHECK(y[0] == -32768 && y[1] == 32767 && y[2] == -32768 && y[3] == 32767,
           "int32 path %d %d %d %d", y[0], y[1], y[2], y[3]);
  /* a clamp narrower than int16 (e.g. RELU) */
  p.act_min = 0;
  p.act_max = 1000;
  int16_t xr[4] = {-1, 1, -7, 7};
  int8_t wr[1] = {100};
  mote_conv2d_s16_ref(&g, &p, xr, wr, NULL, y);
  MH_CHECK(y[0] == 0 && y[1] == 100 && y[2] == 0 && y[3] == 700,
           "relu clamp %d %d %d %d", y[0], y[1], y[2], y[3]);
}

static void test_dw_multiplier(void) {
  mh_case = "dw s8 multiplier 2";
  /* 1x2x2x2 input, 2x2 filter VALID, multiplier 2: output 1x1x1x4. */
  cfg k = {1, 2, 2, 2, 2, 2, 1, 4, 1, 1, 1, 1, 0, 1};
  mote_conv_geom g;
  mote_conv_q_params p;
  memset(&p, 0, sizeof p);
  geom_of(&k, &g);
  p.input_offset = 1; /* zp -1 */
  p.output_offset = 0;
  p.act_min = -128;
  p.act_max = 127;
  p.rq.mult = ONE_M;
  p.rq.shift = ONE_S;
  /* real input: ch0 = 1,2,3,4 ; ch1 = 10,20,30,40 (pixels in order) */
  int8_t x[8] = {0, 9, 1, 19, 2, 29, 3, 39};
  /* weights [1,2,2,4]: oc0 (ch0) = 1, oc1 (ch0) = pixel index, oc2 (ch1)
   * = 1, oc3 (ch1) = -1 */
  int8_t w[16];
  for (int px = 0; px < 4; px++) {
    w[px * 4 + 0] = 1;
    w[px * 4 + 1] = (int8_t)px;
    w[px * 4 + 2] = 1;
    w[px * 4 + 3] = -1;
  }
  int32_t bias[4] = {0, 1, 2, 3};
  int8_t y[4];
  mote_dwconv2d_s8_ref(&g, &p, x, w, bias, y);
  const int want[4] = {10, 0 + 2 + 6 + 12 + 1, 100 + 2, -100 + 3};
  for (int i = 0; i < 4; i++)
    MH_CHECK(y[i] == want[i], "y[%d] = %d, want %d", i, y[i], want[i]);
}

static void test_f32_hand(void) {
  mh_case = "f32 conv/dw hand";
  cfg k = {1, 3, 3, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 0};
  mote_conv_geom g;
  mote_conv_f32_params p;
  memset(&p, 0, sizeof p);
  geom_of(&k, &g);
  p.act_min = -INFINITY;
  p.act_max = INFINITY;
  float x[9], w[9], y[9], bias = 0.5f;
  for (int i = 0; i < 9; i++) {
    x[i] = (float)(i + 1);
    w[i] = 0.25f;
  }
  mote_conv2d_f32_ref(&g, &p, x, w, &bias, y);
  const float want[9] = {12, 21, 16, 27, 45, 33, 24, 39, 28};
  for (int i = 0; i < 9; i++)
    MH_CHECK(y[i] == want[i] * 0.25f + 0.5f, "conv y[%d] = %g", i, y[i]);
  k.depthwise = 1;
  geom_of(&k, &g);
  p.act_min = 0.0f;
  p.act_max = 6.0f;
  mote_dwconv2d_f32_ref(&g, &p, x, w, &bias, y);
  for (int i = 0; i < 9; i++) {
    float e = want[i] * 0.25f + 0.5f;
    e = e > 6.0f ? 6.0f : e;
    MH_CHECK(y[i] == e, "dw relu6 y[%d] = %g want %g", i, y[i], e);
  }
}

static void test_unpack_s4(void) {
  mh_case = "int4 unpack";
  const uint8_t packed[3] = {0x12, 0xF8, 0x07};
  int8_t out[5];
  mote_conv2d_unpack_s4_ref(packed, 5, out);
  const int want[5] = {2, 1, -8, -1, 7};
  for (int i = 0; i < 5; i++)
    MH_CHECK(out[i] == want[i], "out[%d] = %d, want %d", i, out[i], want[i]);
}

static void test_hybrid_hand(void) {
  mh_case = "hybrid symmetric hand";
  /* 1x1 conv on 3 pixels, 1 channel; max|x| = 2.54 -> scale 0.02, inputs
   * are exact multiples so q = x / 0.02. */
  cfg k = {1, 1, 3, 1, 1, 1, 1, 2, 1, 1, 1, 1, 0, 0};
  mote_conv_geom g;
  mote_conv_hybrid_params p;
  memset(&p, 0, sizeof p);
  geom_of(&k, &g);
  p.act_min = -INFINITY;
  p.act_max = INFINITY;
  const float fs[2] = {0.5f, 0.5f};
  p.filter_scale = fs;
  float x[3] = {2.54f, -1.0f, 0.0f}, y[6], bias[2] = {1.0f, -1.0f};
  int8_t w[2] = {10, -3}, q[3];
  float bscale[1];
  int32_t boff[1];
  mote_conv2d_hybrid_ref(&g, &p, x, w, bias, y, q, bscale, boff);
  MH_CHECK(q[0] == 127 && q[1] == -50 && q[2] == 0, "q = %d %d %d", q[0], q[1],
           q[2]);
  MH_CHECK(boff[0] == 0, "symmetric zero point %d", boff[0]);
  float s = 0.5f * (2.54f / 127.0f);
  const float want[6] = {127 * 10 * s + 1.0f,
                         127 * -3 * s - 1.0f,
                         -50 * 10 * s + 1.0f,
                         -50 * -3 * s - 1.0f,
                         1.0f,
                         -1.0f};
  for (int i = 0; i < 6; i++)
    MH_CHECK(fabsf(y[i] - want[i]) <= 1e-6f * (1 + fabsf(want[i])),
             "y[%d] = %.9g, want %.9g", i, y[i], want[i]);
  /* per-tensor form: one float scale, no array */
  p.filter_scale = NULL;
  p.filter_scale0 = 0.5f;
  memset(y, 0, sizeof y);
  mote_conv2d_hybrid_ref(&g, &p, x, w, bias, y, q, bscale, boff);
  for (int i = 0; i < 6; i++)
    MH_CHECK(fabsf(y[i] - want[i]) <= 1e-6f * (1 + fabsf(want[i])),
             "per-tensor scale: y[%d] = %.9g, want %.9g", i, y[i], want[i]);

  mh_case = "hybrid all-zero batch";
  float z[3] = {0, 0, 0};
  mote_conv2d_hybrid_ref(&g, &p, z, w, bias, y, q, bscale, boff);
  MH_CHECK(bscale[0] == 1.0f && y[0] == 1.0f && y[1] == -1.0f,
           "scale %g, y %g %g", bscale[0], y[0], y[1]);
  p.asymmetric = 1;
  mote_conv2d_hybrid_ref(&g, &p, z, w, bias, y, q, bscale, boff);
  MH_CHECK(bscale[0] == 0.0f && boff[0] == 0 && y[0] == 1.0f && y[1] == -1.0f,
           "asym scale %g zp %d, y %g %g", bscale[0], boff[0], y[0], y[1]);

  mh_case = "hybrid asymmetric hand";
  /* x in [0, 2.55]: range [0, 2.55], scale 0.01, zero point -128. */
  float xa[3] = {2.55f, 0.0f, 1.0f};
  mote_conv2d_hybrid_ref(&g, &p, xa, w, NULL, y, q, bscale, boff);
  MH_CHECK(boff[0] == -128, "zero point %d", boff[0]);
  MH_CHECK(q[0] == 127 && q[1] == -128 && q[2] == -28, "q = %d %d %d", q[0],
           q[1], q[2]);
  for (int i = 0; i < 3; i++)
    for (int o = 0; o < 2; o++) {
      float e = (float)((q[i] + 128) * w[o]) * (0.5f * bscale[0]);
      MH_CHECK(y[i * 2 + o] == e, "y[%d] = %.9g, want %.9g", i * 2 + o,
               y[i * 2 + o], e);
      MH_CHECK(fabsf(y[i * 2 + o] - xa[i] * w[o] * 0.5f) <= 0.02f,
               "y[%d] = %g far from the float result %g", i * 2 + o,
               y[i * 2 + o], xa[i] * w[o] * 0.5f);
    }
}

/* ---------------------------------------------------------------------- */
/* Part 2: random cases against the padded-image reference                 */
/* ---------------------------------------------------------------------- */

static const cfg RANDOM_CFGS[] = {
    /* n  h  w  c  fh fw fc oc sh sw dh dw same dw */
    {1, 7, 6, 3, 3, 3, 3, 5, 1, 1, 1, 1, 1, 0},
    {2, 9, 8, 4, 3, 2, 4, 3, 2, 3, 1, 1, 1, 0},
    {1, 10, 9, 2, 3, 3, 2, 4, 1, 1, 2, 3, 0, 0},
    {2, 6, 7, 6, 2, 2, 2, 6, 2, 1, 1, 2, 1, 0}, /* 3 groups */
    {1, 5, 5, 8, 1, 1, 4, 4, 1, 1, 1, 1, 0, 0}, /* 2 groups, 1x1 */
    {1, 8, 8, 3, 3, 3, 1, 6, 2, 2, 1, 1, 1, 1}, /* dw, multiplier 2 */
    {2, 7, 9, 4, 5, 3, 1, 4, 1, 2, 2, 1, 1, 1}, /* dw dilation */
    {1, 6, 6, 2, 2, 4, 1, 6, 3, 1, 1, 1, 0, 1}, /* dw multiplier 3 */
};

static void rand_scales(float *s, int n) {
  for (int i = 0; i < n; i++) s[i] = (float)mh_randf(0.002, 0.02);
}

static void test_random_s8(void) {
  char name[64];
  for (size_t t = 0; t < sizeof RANDOM_CFGS / sizeof RANDOM_CFGS[0]; t++) {
    const cfg *k = &RANDOM_CFGS[t];
    snprintf(name, sizeof name, "random s8 #%zu", t);
    mh_case = name;
    size_t nx = (size_t)k->n * k->h * k->w * k->c, nw = wcount(k);
    int8_t *x = malloc(nx), *w = malloc(nw);
    double *xd = malloc(nx * sizeof *xd), *wd = malloc(nw * sizeof *wd);
    int32_t zx = mh_randi(-128, 127), zy = mh_randi(-128, 127);
    for (size_t i = 0; i < nx; i++) {
      x[i] = (int8_t)mh_randi(-128, 127);
      xd[i] = x[i] - zx;
    }
    for (size_t i = 0; i < nw; i++) {
      w[i] = (int8_t)mh_randi(-127, 127);
      wd[i] = w[i];
    }
    int32_t bias[8], mult[8];
    int8_t shift[8];
    float fs[8];
    rand_scales(fs, k->oc);
    for (int o = 0; o < k->oc; o++) {
      bias[o] = mh_randi(-20000, 20000);
      int sh;
      ref_qm(0.02 * fs[o] / 0.1, &mult[o], &sh);
      shift[o] = (int8_t)sh;
    }
    int oh, ow;
    double *acc = ref_acc(k, xd, wd, &oh, &ow);
    mote_conv_geom g;
    mote_conv_q_params p;
    memset(&p, 0, sizeof p);
    geom_of(k, &g);
    p.input_offset = -zx;
    p.output_offset = zy;
    p.act_min = -100;
    p.act_max = 120;
    p.rq.mult = mult;
    p.rq.shift = shift;
    size_t ny = (size_t)k->n * oh * ow * k->oc;
    int8_t *y = malloc(ny);
    int64_t *want = malloc(ny * sizeof *want);
    for (size_t i = 0; i < ny; i++) {
      int o = (int)(i % (size_t)k->oc);
      int32_t a = (int32_t)acc[i] + bias[o];
      want[i] =
          ref_clamp((int64_t)ref_mbqm(a, mult[o], shift[o]) + zy, -100, 120);
    }
    if (k->depthwise)
      mote_dwconv2d_s8_ref(&g, &p, x, w, bias, y);
    else
      mote_conv2d_s8_ref(&g, &p, x, w, bias, y);
    mh_expect_ints("s8", y, MOTE_INT8, want, ny, 0);
    free(x);
    free(w);
    free(xd);
    free(wd);
    free(acc);
    free(y);
    free(want);
  }
}

static void test_random_s16(void) {
  char name[64];
  for (size_t t = 0; t < sizeof RANDOM_CFGS / sizeof RANDOM_CFGS[0]; t++) {
    const cfg *k = &RANDOM_CFGS[t];
    size_t nx = (size_t)k->n * k->h * k->w * k->c, nw = wcount(k);
    int16_t *x = malloc(nx * 2);
    int8_t *w = malloc(nw);
    double *xd = malloc(nx * sizeof *xd), *wd = malloc(nw * sizeof *wd);
    for (size_t i = 0; i < nx; i++) {
      x[i] = (int16_t)mh_randi(-32768, 32767);
      xd[i] = x[i];
    }
    for (size_t i = 0; i < nw; i++) {
      w[i] = (int8_t)mh_randi(-127, 127);
      wd[i] = w[i];
    }
    int64_t b64[8];
    int32_t b32[8], mult[8];
    int8_t shift[8];
    float fs[8];
    rand_scales(fs, k->oc);
    for (int o = 0; o < k->oc; o++) {
      b32[o] = mh_randi(-2000000, 2000000);
      b64[o] = b32[o];
      int sh;
      ref_qm(0.0003 * fs[o] / 0.002, &mult[o], &sh);
      shift[o] = (int8_t)sh;
    }
    int oh, ow;
    double *acc = ref_acc(k, xd, wd, &oh, &ow);
    mote_conv_geom g;
    mote_conv_q_params p;
    memset(&p, 0, sizeof p);
    geom_of(k, &g);
    p.act_min = -30000;
    p.act_max = 32767;
    p.rq.mult = mult;
    p.rq.shift = shift;
    size_t ny = (size_t)k->n * oh * ow * k->oc;
    int16_t *y = malloc(ny * 2);
    int64_t *w64 = malloc(ny * sizeof *w64), *w32 = malloc(ny * sizeof *w32);
    for (size_t i = 0; i < ny; i++) {
      int o = (int)(i % (size_t)k->oc);
      int64_t a = (int64_t)acc[i];
      w64[i] =
          ref_clamp(ref_mbqm64(a + b64[o], mult[o], shift[o]), -30000, 32767);
      w32[i] = ref_clamp(ref_mbqm((int32_t)(a + b32[o]), mult[o], shift[o]),
                         -30000, 32767);
    }
    snprintf(name, sizeof name, "random s16 int64 bias #%zu", t);
    mh_case = name;
    if (k->depthwise)
      mote_dwconv2d_s16_ref(&g, &p, x, w, b64, y);
    else
      mote_conv2d_s16_ref(&g, &p, x, w, b64, y);
    mh_expect_ints("s16", y, MOTE_INT16, w64, ny, 0);
    if (!k->depthwise) {
      snprintf(name, sizeof name, "random s16 int32 bias #%zu", t);
      mh_case = name;
      mote_conv2d_s16b32_ref(&g, &p, x, w, b32, y);
      mh_expect_ints("s16b32", y, MOTE_INT16, w32, ny, 0);
    }
    free(x);
    free(w);
    free(xd);
    free(wd);
    free(acc);
    free(y);
    free(w64);
    free(w32);
  }
}

static void test_random_f32_and_hybrid(void) {
  char name[64];
  for (size_t t = 0; t < sizeof RANDOM_CFGS / sizeof RANDOM_CFGS[0]; t++) {
    const cfg *k = &RANDOM_CFGS[t];
    size_t nx = (size_t)k->n * k->h * k->w * k->c, nw = wcount(k);
    float *x = malloc(nx * 4), *wf = malloc(nw * 4);
    int8_t *wq = malloc(nw);
    double *xd = malloc(nx * sizeof *xd), *wd = malloc(nw * sizeof *wd);
    float fs[8], bias[8];
    rand_scales(fs, k->oc);
    for (size_t i = 0; i < nx; i++) {
      x[i] = (float)mh_randf(-3.0, 2.0);
      xd[i] = x[i];
    }
    for (size_t i = 0; i < nw; i++) {
      wq[i] = (int8_t)mh_randi(-127, 127);
      int o = k->depthwise ? (int)(i % (size_t)k->oc)
                           : (int)(i / (nw / (size_t)k->oc));
      wf[i] = wq[i] * fs[o];
      wd[i] = wf[i];
    }
    for (int o = 0; o < k->oc; o++) bias[o] = (float)mh_randf(-1, 1);
    int oh, ow;
    double *acc = ref_acc(k, xd, wd, &oh, &ow);
    size_t ny = (size_t)k->n * oh * ow * k->oc;
    float *y = malloc(ny * 4);
    double *want = malloc(ny * sizeof *want);
    for (size_t i = 0; i < ny; i++) {
      double v = acc[i] + bias[i % (size_t)k->oc];
      want[i] = v < -1.5 ? -1.5 : (v > 4.0 ? 4.0 : v);
    }

    snprintf(name, sizeof name, "random f32 #%zu", t);
    mh_case = name;
    mote_conv_geom g;
    mote_conv_f32_params pf;
    memset(&pf, 0, sizeof pf);
    geom_of(k, &g);
    pf.act_min = -1.5f;
    pf.act_max = 4.0f;
    if (k->depthwise)
      mote_dwconv2d_f32_ref(&g, &pf, x, wf, bias, y);
    else
      mote_conv2d_f32_ref(&g, &pf, x, wf, bias, y);
    mh_expect_floats("f32", y, want, ny, 1e-5);

    /* Hybrid: within the input quantization error of the float result
     * (|err| <= sum |w| * s_b / 2 per output, bounded loosely here), and
     * exact against an independent quantize-then-accumulate in double. */
    for (int asym = 0; asym < 2; asym++) {
      snprintf(name, sizeof name, "random hybrid %s #%zu",
               asym ? "asym" : "sym", t);
      mh_case = name;
      mote_conv_hybrid_params ph;
      memset(&ph, 0, sizeof ph);
      ph.act_min = -1.5f;
      ph.act_max = 4.0f;
      ph.asymmetric = asym;
      ph.filter_scale = fs;
      int8_t *q = malloc(nx);
      float bs[2];
      int32_t bo[2];
      if (k->depthwise)
        mote_dwconv2d_hybrid_ref(&g, &ph, x, wq, bias, y, q, bs, bo);
      else
        mote_conv2d_hybrid_ref(&g, &ph, x, wq, bias, y, q, bs, bo);
      mh_expect_floats("hybrid~f32", y, want, ny, 0.1);
      /* independent: requantize the input per batch by the formulas */
      size_t per = nx / (size_t)k->n;
      double *xq = malloc(nx * sizeof *xq);
      for (int b = 0; b < k->n; b++) {
        float mn = 0, mx = 0, amax = 0;
        for (size_t i = 0; i < per; i++) {
          float v = x[b * per + i];
          mn = v < mn ? v : mn;
          mx = v > mx ? v : mx;
          amax = fabsf(v) > amax ? fabsf(v) : amax;
        }
        double sb;
        int zp = 0;
        if (!asym) {
          sb = amax / 127.0f;
        } else {
          sb = (double)(mx - mn) / 255.0;
          double zmin = -128.0 - mn / sb, zmax = 127.0 - mx / sb;
          double e1 = 128.0 + fabs(mn / sb), e2 = 127.0 + fabs(mx / sb);
          double zd = e1 < e2 ? zmin : zmax;
          zp = zd < -128 ? -128 : zd > 127 ? 127 : (int)round(zd);
          sb = (float)sb;
        }
        MH_CHECK(fabs(bs[b] - sb) <= 1e-7 * sb && bo[b] == zp,
                 "batch %d: scale %.9g want %.9g, zp %d want %d", b, bs[b], sb,
                 bo[b], zp);
        for (size_t i = 0; i < per; i++) {
          float v = x[b * per + i];
          float inv = asym ? (float)(1.0 / (double)(float)sb) : 127.0f / amax;
          long r = lroundf((float)zp + v * inv);
          long lo = asym ? -128 : -127;
          r = r < lo ? lo : r > 127 ? 127 : r;
          MH_CHECK(q[b * per + i] == r, "q[%zu] = %d want %ld", b * per + i,
                   q[b * per + i], r);
          xq[b * per + i] = (double)(r - zp) * bs[b];
        }
      }
      double *wqd = malloc(nw * sizeof *wqd);
      for (size_t i = 0; i < nw; i++) wqd[i] = wf[i];
      double *acc2 = ref_acc(k, xq, wqd, &oh, &ow);
      double *want2 = malloc(ny * sizeof *want2);
      for (size_t i = 0; i < ny; i++) {
        double v = acc2[i] + bias[i % (size_t)k->oc];
        want2[i] = v < -1.5 ? -1.5 : (v > 4.0 ? 4.0 : v);
      }
      mh_expect_floats("hybrid", y, want2, ny, 1e-5);
      free(q);
      free(xq);
      free(wqd);
      free(acc2);
      free(want2);
    }
    free(x);
    free(wf);
    free(wq);
    free(xd);
    free(wd);
    free(acc);
    free(y);
    free(want);
  }
}

/* ---------------------------------------------------------------------- */
/* Part 3: whole models                                                    */
/* ---------------------------------------------------------------------- */

typedef struct mspec {
  cfg k;
  int32_t in_type;                  /* MOTE_INT8 / INT16 / FLOAT32 */
  int32_t w_type;                   /* MOTE_INT8 / FLOAT32 */
  int32_t b_type;                   /* bias type, -1: no bias */
  int per_channel;                  /* weights per channel */
  int act;                          /* fused activation */
  int no_options;                   /* write no options table */
  int stride_override, dm_override; /* != 0: write these instead */
  int out_h_delta; /* added to the output height (invalid models) */
  int bias_count_delta;
  int32_t out_type_override;
} mspec;

typedef struct mbuilt {
  tflw *w;
  float in_scale, out_scale;
  int32_t in_zp, out_zp;
  float wscale[8];
  int8_t wq[512];
  float wf[512];
  int64_t bias64[8];
  float biasf[8];
} mbuilt;

static void build(const mspec *s, mbuilt *mb) {
  const cfg *k = &s->k;
  tflw *w = tflw_new();
  mb->w = w;
  int quant = s->in_type != MOTE_FLOAT32;
  mb->in_scale = s->in_type == MOTE_INT16 ? 0.0003f : 0.05f;
  mb->out_scale = s->in_type == MOTE_INT16 ? 0.0005f : 0.1f;
  mb->in_zp = s->in_type == MOTE_INT8 ? 7 : 0;
  mb->out_zp = s->in_type == MOTE_INT8 ? -9 : 0;
  int oh = ref_out(k->h, k->fh, k->sh, k->dh, k->same) + s->out_h_delta;
  int ow = ref_out(k->w, k->fw, k->sw, k->dw, k->same);
  int32_t ishape[4] = {k->n, k->h, k->w, k->c};
  int32_t oshape[4] = {k->n, oh, ow, k->oc};
  int in = mh_t(w, s->in_type, ishape, 4, quant ? mb->in_scale : 0, mb->in_zp);
  int32_t otype = s->out_type_override ? s->out_type_override : s->in_type;
  int out = mh_t(w, otype, oshape, 4, quant ? mb->out_scale : 0, mb->out_zp);
  size_t nw = wcount(k);
  int32_t wshape[4];
  if (k->depthwise) {
    wshape[0] = 1;
    wshape[1] = k->fh;
    wshape[2] = k->fw;
    wshape[3] = k->oc;
  } else {
    wshape[0] = k->oc;
    wshape[1] = k->fh;
    wshape[2] = k->fw;
    wshape[3] = k->fc;
  }
  for (int o = 0; o < k->oc; o++)
    mb->wscale[o] = s->per_channel ? (float)mh_randf(0.002, 0.02) : 0.01f;
  for (size_t i = 0; i < nw; i++) {
    mb->wq[i] = (int8_t)mh_randi(-127, 127);
    int o = k->depthwise ? (int)(i % (size_t)k->oc)
                         : (int)(i / (nw / (size_t)k->oc));
    mb->wf[i] = mb->wq[i] * mb->wscale[o];
  }
  int wt;
  if (s->w_type == MOTE_FLOAT32)
    wt = mh_const(w, MOTE_FLOAT32, wshape, 4, 0, 0, mb->wf, nw * 4);
  else if (s->per_channel)
    wt = mh_const_pc(w, MOTE_INT8, wshape, 4, mb->wscale, (uint32_t)k->oc,
                     k->depthwise ? 3 : 0, mb->wq, nw);
  else
    wt = mh_const(w, MOTE_INT8, wshape, 4, 0.01f, 0, mb->wq, nw);
  int bt = -1;
  if (s->b_type >= 0) {
    int32_t bn = k->oc + s->bias_count_delta;
    int32_t bshape[1] = {bn};
    uint8_t raw[8 * 8];
    size_t esz = s->b_type == MOTE_INT64 ? 8 : 4;
    for (int o = 0; o < bn; o++) {
      mb->bias64[o] = mh_randi(-3000, 3000);
      mb->biasf[o] = (float)mh_randf(-0.5, 0.5);
      if (s->b_type == MOTE_INT64)
        memcpy(raw + o * 8, &mb->bias64[o], 8);
      else if (s->b_type == MOTE_INT32) {
        int32_t v = (int32_t)mb->bias64[o];
        memcpy(raw + o * 4, &v, 4);
      } else
        memcpy(raw + o * 4, &mb->biasf[o], 4);
    }
    bt = mh_const(w, s->b_type, bshape, 1, 0, 0, raw, (size_t)bn * esz);
  }
  int32_t ins[3] = {in, wt, bt};
  int32_t outs[1] = {out};
  tflw_op_desc d;
  memset(&d, 0, sizeof d);
  d.inputs = ins;
  d.ninputs = 3;
  d.outputs = outs;
  d.noutputs = 1;
  int stride_w = s->stride_override ? s->stride_override : k->sw;
  int stride_h = s->stride_override ? s->stride_override : k->sh;
  if (k->depthwise) {
    int dm = s->dm_override ? s->dm_override : k->oc / k->c;
    tflw_opt o[7] = {TFLW_I8(0, k->same ? 0 : 1), TFLW_I32(1, stride_w),
                     TFLW_I32(2, stride_h),       TFLW_I32(3, dm),
                     TFLW_I8(4, s->act),          TFLW_I32(5, k->dw),
                     TFLW_I32(6, k->dh)};
    d.builtin_code = TFL_OP_DEPTHWISE_CONV_2D;
    d.options_type = TFL_OPT_DEPTHWISE_CONV2D;
    d.opts = o;
    d.nopts = 7;
    if (s->no_options) d.options_type = 0, d.nopts = 0;
    tflw_op_ex(w, &d);
  } else {
    tflw_opt o[6] = {TFLW_I8(0, k->same ? 0 : 1), TFLW_I32(1, stride_w),
                     TFLW_I32(2, stride_h),       TFLW_I8(3, s->act),
                     TFLW_I32(4, k->dw),          TFLW_I32(5, k->dh)};
    d.builtin_code = TFL_OP_CONV_2D;
    d.options_type = TFL_OPT_CONV2D;
    d.opts = o;
    d.nopts = 6;
    if (s->no_options) d.options_type = 0, d.nopts = 0;
    tflw_op_ex(w, &d);
  }
  tflw_io(w, &in, 1, &out, 1);
}

/* Run the model on random input and compare with the reference. */
static void run_and_check(const mspec *s) {
  mbuilt mb;
  build(s, &mb);
  const cfg *k = &s->k;
  size_t nx = (size_t)k->n * k->h * k->w * k->c, nw = wcount(k);
  size_t esz = s->in_type == MOTE_INT8 ? 1 : s->in_type == MOTE_INT16 ? 2 : 4;
  uint8_t *x = malloc(nx * esz);
  double *xd = malloc(nx * sizeof *xd), *wd = malloc(nw * sizeof *wd);
  for (size_t i = 0; i < nx; i++) {
    if (s->in_type == MOTE_INT8) {
      int8_t v = (int8_t)mh_randi(-128, 127);
      ((int8_t *)x)[i] = v;
      xd[i] = v - mb.in_zp;
    } else if (s->in_type == MOTE_INT16) {
      int16_t v = (int16_t)mh_randi(-32768, 32767);
      ((int16_t *)x)[i] = v;
      xd[i] = v;
    } else {
      float v = (float)mh_randf(-1, 1);
      ((float *)x)[i] = v;
      xd[i] = v;
    }
  }
  int hybrid = s->in_type == MOTE_FLOAT32 && s->w_type == MOTE_INT8;
  for (size_t i = 0; i < nw; i++)
    wd[i] = s->in_type == MOTE_FLOAT32 ? mb.wf[i] : mb.wq[i];
  int oh, ow;
  double *acc = ref_acc(k, xd, wd, &oh, &ow);
  size_t ny = (size_t)k->n * oh * ow * k->oc;
  mh_run r;
  const void *ins[1] = {x};
  if (mh_run_model(&r, mb.w, ins)) {
    mote_tensor t = mh_out(&r, 0);
    if (s->in_type == MOTE_FLOAT32) {
      double *want = malloc(ny * sizeof *want);
      for (size_t i = 0; i < ny; i++) {
        double v = acc[i] + (s->b_type >= 0 ? mb.biasf[i % (size_t)k->oc] : 0);
        if (s->act == TFL_ACT_RELU6) v = v < 0 ? 0 : (v > 6 ? 6 : v);
        want[i] = v;
      }
      /* hybrid: loose (input quantized to 8 bits) */
      mh_expect_floats("model out", (const float *)t.data, want, ny,
                       hybrid ? 0.03 : 1e-5);
      free(want);
    } else {
      int64_t *want = malloc(ny * sizeof *want);
      int32_t lo = s->in_type == MOTE_INT8 ? -128 : -32768;
      int32_t hi = s->in_type == MOTE_INT8 ? 127 : 32767;
      if (s->act == TFL_ACT_RELU) lo = mb.out_zp > lo ? mb.out_zp : lo;
      for (size_t i = 0; i < ny; i++) {
        int o = (int)(i % (size_t)k->oc);
        int32_t m;
        int sh;
        ref_qm(
            (double)mb.in_scale * (double)mb.wscale[o] / (double)mb.out_scale,
            &m, &sh);
        int64_t a = (int64_t)acc[i] + (s->b_type >= 0 ? mb.bias64[o] : 0);
        int64_t v;
        if (s->in_type == MOTE_INT8)
          v = (int64_t)ref_mbqm((int32_t)a, m, sh) + mb.out_zp;
        else if (s->b_type == MOTE_INT32)
          v = ref_mbqm((int32_t)a, m, sh);
        else
          v = ref_mbqm64(a, m, sh);
        want[i] = ref_clamp(v, lo, hi);
      }
      mh_expect_ints("model out", t.data, s->in_type, want, ny, 0);
      free(want);
    }
  }
  mh_free(&r);
  free(x);
  free(xd);
  free(wd);
  free(acc);
}

static void test_models(void) {
  mspec s;
  /* int8 per-channel conv, batch 2, stride 2, SAME, RELU */
  memset(&s, 0, sizeof s);
  s.k = (cfg){2, 7, 6, 3, 3, 3, 3, 4, 2, 2, 1, 1, 1, 0};
  s.in_type = MOTE_INT8;
  s.w_type = MOTE_INT8;
  s.b_type = MOTE_INT32;
  s.per_channel = 1;
  s.act = TFL_ACT_RELU;
  mh_case = "model conv s8 per-channel";
  run_and_check(&s);
  /* per-tensor weights, grouped, dilated, no bias */
  s.k = (cfg){1, 8, 9, 4, 3, 2, 2, 6, 1, 1, 2, 1, 0, 0};
  s.per_channel = 0;
  s.b_type = -1;
  s.act = TFL_ACT_NONE;
  mh_case = "model conv s8 grouped per-tensor";
  run_and_check(&s);
  /* depthwise int8 multiplier 2 */
  s.k = (cfg){1, 6, 7, 2, 3, 3, 1, 4, 1, 2, 1, 1, 1, 1};
  s.per_channel = 1;
  s.b_type = MOTE_INT32;
  mh_case = "model dw s8";
  run_and_check(&s);
  /* int16x8 conv: int64 bias, int32 bias, no bias */
  s.k = (cfg){1, 5, 6, 3, 3, 3, 3, 4, 1, 1, 1, 1, 1, 0};
  s.in_type = MOTE_INT16;
  s.b_type = MOTE_INT64;
  mh_case = "model conv s16 int64 bias";
  run_and_check(&s);
  s.b_type = MOTE_INT32;
  mh_case = "model conv s16 int32 bias";
  run_and_check(&s);
  s.b_type = -1;
  mh_case = "model conv s16 no bias";
  run_and_check(&s);
  s.k = (cfg){2, 5, 6, 3, 3, 3, 1, 6, 2, 1, 1, 1, 1, 1};
  s.b_type = MOTE_INT64;
  mh_case = "model dw s16";
  run_and_check(&s);
  /* float and hybrid */
  s.k = (cfg){1, 6, 6, 3, 3, 3, 3, 4, 1, 1, 1, 1, 1, 0};
  s.in_type = MOTE_FLOAT32;
  s.w_type = MOTE_FLOAT32;
  s.b_type = MOTE_FLOAT32;
  s.act = TFL_ACT_RELU6;
  mh_case = "model conv f32";
  run_and_check(&s);
  s.w_type = MOTE_INT8;
  s.per_channel = 0;
  mh_case = "model conv hybrid per-tensor";
  run_and_check(&s);
  s.per_channel = 1;
  mh_case = "model conv hybrid per-channel";
  run_and_check(&s);
  s.k = (cfg){1, 6, 6, 3, 3, 3, 1, 3, 1, 1, 1, 1, 1, 1};
  mh_case = "model dw hybrid";
  run_and_check(&s);
  s.w_type = MOTE_FLOAT32;
  mh_case = "model dw f32";
  run_and_check(&s);
}

static void expect_fail(const mspec *s, mote_status want, const char *name) {
  mbuilt mb;
  mh_case = name;
  build(s, &mb);
  mh_expect_load_fail(mb.w, want, NULL);
}

static void test_refusals(void) {
  mspec base, s;
  memset(&base, 0, sizeof base);
  base.k = (cfg){1, 5, 5, 2, 3, 3, 2, 2, 1, 1, 1, 1, 1, 0};
  base.in_type = MOTE_INT8;
  base.w_type = MOTE_INT8;
  base.b_type = MOTE_INT32;
  base.per_channel = 1;

  s = base;
  s.no_options = 1; /* stride 0 */
  expect_fail(&s, MOTE_E_BAD_OPTIONS, "no options table");
  s = base;
  s.out_h_delta = 1;
  expect_fail(&s, MOTE_E_BAD_SHAPE, "wrong output height");
  s = base;
  s.b_type = MOTE_INT64;
  expect_fail(&s, MOTE_E_BAD_TYPE, "int8 with int64 bias");
  s = base;
  s.bias_count_delta = 1;
  expect_fail(&s, MOTE_E_BAD_SHAPE, "bias count");
  s = base;
  s.w_type = MOTE_FLOAT32;
  expect_fail(&s, MOTE_E_UNSUPPORTED, "int8 input float filter");
  s = base;
  s.out_type_override = MOTE_INT16;
  expect_fail(&s, MOTE_E_BAD_TYPE, "output type differs");
  s = base;
  s.k.c = 3; /* 3 input channels, filter has 2 */
  expect_fail(&s, MOTE_E_BAD_SHAPE, "channels not a multiple");
  s = base;
  s.k.dh = 1 << 29; /* SAME: output size does not depend on dilation */
  expect_fail(&s, MOTE_E_OVERFLOW, "absurd dilation");
  s = base;
  s.act = TFL_ACT_TANH;
  expect_fail(&s, MOTE_E_UNSUPPORTED, "fused tanh");

  s = base;
  s.k = (cfg){1, 5, 5, 2, 3, 3, 1, 4, 1, 1, 1, 1, 1, 1};
  s.dm_override = 3;
  expect_fail(&s, MOTE_E_BAD_OPTIONS, "depthwise multiplier mismatch");
  s.dm_override = 0;
  s.in_type = MOTE_INT16;
  s.b_type = MOTE_INT32;
  expect_fail(&s, MOTE_E_BAD_TYPE, "depthwise int16 with int32 bias");
  s.no_options = 1;
  s.b_type = MOTE_INT64;
  expect_fail(&s, MOTE_E_BAD_OPTIONS, "depthwise no options");
}

int main(void) {
  test_s8_box_same();
  test_s8_zero_point_extremes();
  test_s8_saturation();
  test_s8_rounding_ties();
  test_s16_requantizers();
  test_dw_multiplier();
  test_f32_hand();
  test_unpack_s4();
  test_hybrid_hand();
  test_random_s8();
  test_random_s16();
  test_random_f32_and_hybrid();
  test_models();
  test_refusals();
  return mh_report();
}
