/*
** test_pool.c: the AVERAGE_POOL_2D / MAX_POOL_2D reference kernels called
** directly: hand-derived windows (rounding of .5 means away from zero,
** SAME padding that must not count, clamps, int8 / int16 limits), random
** shapes / strides / filters / paddings against a naive full-window walk,
** and a few whole-model checks of prepare (shapes, quantization, options).
*/
#include <float.h>

#include "kernels/ref/pool_ref.h"
#include "model_harness.h"

/* Params for NHWC input b x h x w x c, filter fh x fw, strides, padding
 * SAME (1) / VALID (0), computed here from the TFLite definitions. */
static mote_pool_params mk(int32_t b, int32_t h, int32_t w, int32_t c,
                           int32_t fh, int32_t fw, int32_t sh, int32_t sw,
                           int same) {
  mote_pool_params p;
  memset(&p, 0, sizeof p);
  p.batches = b;
  p.in_h = h;
  p.in_w = w;
  p.depth = c;
  p.filter_h = fh;
  p.filter_w = fw;
  p.stride_h = sh;
  p.stride_w = sw;
  if (same) {
    p.out_h = (h + sh - 1) / sh;
    p.out_w = (w + sw - 1) / sw;
    int32_t th = (p.out_h - 1) * sh + fh - h, tw = (p.out_w - 1) * sw + fw - w;
    p.pad_h = th > 0 ? th / 2 : 0;
    p.pad_w = tw > 0 ? tw / 2 : 0;
  } else {
    p.out_h = (h - fh) / sh + 1;
    p.out_w = (w - fw) / sw + 1;
  }
  p.act_min = INT32_MIN;
  p.act_max = INT32_MAX;
  p.fact_min = -FLT_MAX;
  p.fact_max = FLT_MAX;
  return p;
}

/* Naive reference over the full filter, skipping padded taps.
 * kind 0: average, 1: max. Integer averages round half away from zero. */
static double naive(const mote_pool_params *p, const double *in, int32_t b,
                    int32_t oy, int32_t ox, int32_t c, int kind, int *n) {
  double acc = kind ? -INFINITY : 0.0;
  *n = 0;
  for (int32_t fy = 0; fy < p->filter_h; fy++)
    for (int32_t fx = 0; fx < p->filter_w; fx++) {
      int32_t y = oy * p->stride_h - p->pad_h + fy;
      int32_t x = ox * p->stride_w - p->pad_w + fx;
      if (y < 0 || y >= p->in_h || x < 0 || x >= p->in_w) continue;
      double v = in[((b * p->in_h + y) * p->in_w + x) * p->depth + c];
      if (kind)
        acc = v > acc ? v : acc;
      else
        acc += v;
      (*n)++;
    }
  return acc;
}

static int32_t round_away(double v) {
  return (int32_t)(v < 0 ? -floor(-v + 0.5) : floor(v + 0.5));
}

/* ---- hand-derived ---- */

static void test_hand(void) {
  mh_case = "avg_s8_round";
  {
    /* 1x2x4x1, 2x2 stride 2 VALID: 7/4 -> 2, -7/4 -> -2 */
    int8_t in[] = {1, 2, -1, -2, 2, 2, -2, -2}, out[2];
    mote_pool_params p = mk(1, 2, 4, 1, 2, 2, 2, 2, 0);
    p.act_min = -128;
    p.act_max = 127;
    mote_avg_pool_s8_ref(&p, in, out);
    MH_CHECK(p.out_h == 1 && p.out_w == 2 && out[0] == 2 && out[1] == -2,
             "got %d %d", out[0], out[1]);
  }
  {
    /* exact halves: 3/2 -> 2, -3/2 -> -2, 1/2 -> 1, -1/2 -> -1 */
    int8_t in[] = {1, 2, -1, -2, 0, 1, 0, -1}, out[4];
    mote_pool_params p = mk(1, 1, 8, 1, 1, 2, 1, 2, 0);
    p.act_min = -128;
    p.act_max = 127;
    mote_avg_pool_s8_ref(&p, in, out);
    MH_CHECK(out[0] == 2 && out[1] == -2 && out[2] == 1 && out[3] == -1,
             "halves: %d %d %d %d", out[0], out[1], out[2], out[3]);
  }
  mh_case = "avg_s8_same_padding";
  {
    /* 3x3 SAME stride 1 over 1..9: padded taps do not count */
    int8_t in[] = {1, 2, 3, 4, 5, 6, 7, 8, 9}, out[9];
    int8_t want[] = {3, 4, 4, 5, 5, 6, 6, 7, 7};
    /* (1+2+4+5)/4=3, 21/6=3.5->4, (2+3+5+6)/4=4, 27/6=4.5->5, 45/9=5,
     * 33/6=5.5->6, (4+5+7+8)/4=6, 39/6=6.5->7, (5+6+8+9)/4=7 */
    mote_pool_params p = mk(1, 3, 3, 1, 3, 3, 1, 1, 1);
    p.act_min = -128;
    p.act_max = 127;
    mote_avg_pool_s8_ref(&p, in, out);
    for (int i = 0; i < 9; i++)
      MH_CHECK(out[i] == want[i], "out[%d] = %d want %d", i, out[i], want[i]);
  }
  mh_case = "avg_s8_relu";
  {
    int8_t in[] = {-128, -128, 100, 120}, out[2];
    mote_pool_params p = mk(1, 1, 4, 1, 1, 2, 1, 2, 0);
    p.act_min = -20; /* RELU with zero point -20 */
    p.act_max = 100;
    mote_avg_pool_s8_ref(&p, in, out);
    MH_CHECK(out[0] == -20 && out[1] == 100, "clamp: %d %d", out[0], out[1]);
  }
  mh_case = "avg_s16_limits";
  {
    int16_t in[18], out[2];
    for (int i = 0; i < 9; i++) {
      in[2 * i] = 32767;
      in[2 * i + 1] = -32768;
    }
    mote_pool_params p = mk(1, 3, 3, 2, 3, 3, 1, 1, 0);
    p.act_min = -32768;
    p.act_max = 32767;
    mote_avg_pool_s16_ref(&p, in, out);
    MH_CHECK(out[0] == 32767 && out[1] == -32768, "limits: %d %d", out[0],
             out[1]);
  }
  mh_case = "max_s8";
  {
    /* all -5 with SAME padding: padding must not act as 0 */
    int8_t in[12], out[12];
    for (int i = 0; i < 12; i++) in[i] = -5;
    mote_pool_params p = mk(1, 3, 4, 1, 3, 3, 1, 1, 1);
    p.act_min = -128;
    p.act_max = 127;
    mote_max_pool_s8_ref(&p, in, out);
    int ok = 1;
    for (int i = 0; i < 12; i++) ok &= out[i] == -5;
    MH_CHECK(ok, "padding ignored");
    for (int i = 0; i < 12; i++) in[i] = -128;
    in[5] = 127;
    mote_max_pool_s8_ref(&p, in, out);
    /* in[5] is (1,1): every window of the 3x4 grid touches it except
     * those of column 3 */
    MH_CHECK(
        out[0] == 127 && out[3] == -128 && out[11] == -128 && out[10] == 127,
        "max: %d %d %d %d", out[0], out[3], out[11], out[10]);
    p.act_min = -100; /* RELU at zero point -100 */
    p.act_max = 20;
    mote_max_pool_s8_ref(&p, in, out);
    MH_CHECK(out[0] == 20 && out[3] == -100, "clamped: %d %d", out[0], out[3]);
  }
  mh_case = "max_s16";
  {
    int16_t in[] = {-32768, -32768, -32768, -32767}, out[1];
    mote_pool_params p = mk(1, 2, 2, 1, 2, 2, 2, 2, 0);
    p.act_min = -32768;
    p.act_max = 32767;
    mote_max_pool_s16_ref(&p, in, out);
    MH_CHECK(out[0] == -32767, "got %d", out[0]);
  }
  mh_case = "float";
  {
    float in[] = {1.0f, 2.0f, -3.0f, 8.0f}, out[2];
    mote_pool_params p = mk(1, 1, 4, 1, 1, 2, 1, 2, 0);
    mote_avg_pool_f32_ref(&p, in, out);
    MH_CHECK(out[0] == 1.5f && out[1] == 2.5f, "avg: %g %g", out[0], out[1]);
    mote_max_pool_f32_ref(&p, in, out);
    MH_CHECK(out[0] == 2.0f && out[1] == 8.0f, "max: %g %g", out[0], out[1]);
    p.fact_min = 0.0f;
    p.fact_max = 6.0f;
    in[0] = -9.0f;
    mote_max_pool_f32_ref(&p, in, out);
    MH_CHECK(out[0] == 2.0f && out[1] == 6.0f, "relu6: %g %g", out[0], out[1]);
    in[1] = -1.0f;
    mote_avg_pool_f32_ref(&p, in, out);
    MH_CHECK(out[0] == 0.0f && out[1] == 2.5f, "relu6 avg: %g %g", out[0],
             out[1]);
  }
}

/* ---- random against the naive walk ---- */

static void test_random(void) {
  for (int iter = 0; iter < 400; iter++) {
    int same = mh_randi(0, 1);
    int32_t h = mh_randi(1, 9), w = mh_randi(1, 9);
    int32_t fh = mh_randi(1, 4), fw = mh_randi(1, 4);
    if (!same) {
      if (fh > h) fh = h;
      if (fw > w) fw = w;
    }
    mote_pool_params p = mk(mh_randi(1, 2), h, w, mh_randi(1, 3), fh, fw,
                            mh_randi(1, 3), mh_randi(1, 3), same);
    size_t nin = (size_t)(p.batches * h * w * p.depth);
    size_t nout = (size_t)(p.batches * p.out_h * p.out_w * p.depth);
    double *vin = malloc(nin * sizeof *vin);
    int8_t *i8 = malloc(nin), *o8 = malloc(nout);
    int16_t *i16 = malloc(nin * 2), *o16 = malloc(nout * 2);
    float *f = malloc(nin * 4), *of = malloc(nout * 4);
    int t = mh_randi(0, 2); /* 0 int8, 1 int16, 2 float */
    for (size_t i = 0; i < nin; i++) {
      if (t == 0) vin[i] = i8[i] = (int8_t)mh_randi(-128, 127);
      if (t == 1) vin[i] = i16[i] = (int16_t)mh_randi(-32768, 32767);
      if (t == 2) vin[i] = f[i] = (float)mh_randf(-1, 1);
    }
    int32_t lo = t == 0 ? -128 : -32768, hi = t == 0 ? 127 : 32767;
    if (t < 2 && mh_randi(0, 1)) {
      lo = mh_randi(lo, 0);
      hi = mh_randi(1, hi);
    }
    p.act_min = lo;
    p.act_max = hi;
    for (int kind = 0; kind < 2; kind++) {
      int bad = 0;
      if (t == 0)
        (kind ? mote_max_pool_s8_ref : mote_avg_pool_s8_ref)(&p, i8, o8);
      if (t == 1)
        (kind ? mote_max_pool_s16_ref : mote_avg_pool_s16_ref)(&p, i16, o16);
      if (t == 2)
        (kind ? mote_max_pool_f32_ref : mote_avg_pool_f32_ref)(&p, f, of);
      size_t k = 0;
      for (int32_t b = 0; b < p.batches; b++)
        for (int32_t oy = 0; oy < p.out_h; oy++)
          for (int32_t ox = 0; ox < p.out_w; ox++)
            for (int32_t c = 0; c < p.depth; c++, k++) {
              int n;
              double r = naive(&p, vin, b, oy, ox, c, kind, &n);
              if (n == 0) {
                bad++;
                continue;
              }
              if (t < 2) {
                int32_t q = kind ? (int32_t)r : round_away(r / n);
                q = q < lo ? lo : (q > hi ? hi : q);
                if ((t == 0 ? o8[k] : o16[k]) != q) bad++;
              } else {
                double want = kind ? r : r / n;
                if (fabs(of[k] - want) > 1e-6) bad++;
              }
            }
      mh_case = kind ? "random_max" : "random_avg";
      MH_CHECK(bad == 0,
               "%d mismatches (type %d, %dx%dx%dx%d f %dx%d s %dx%d same %d)",
               bad, t, p.batches, h, w, p.depth, fh, fw, p.stride_h, p.stride_w,
               same);
    }
    free(vin), free(i8), free(o8), free(i16), free(o16), free(f), free(of);
  }
}

/* ---- through the runtime ---- */

static void pool_model(tflw *w, int32_t code, int32_t type, const int32_t *si,
                       const int32_t *so, float s1, int32_t z1, float s2,
                       int32_t z2, int pad, int stride, int filter, int act) {
  tflw_opt o[] = {TFLW_I8(0, pad),     TFLW_I32(1, stride), TFLW_I32(2, stride),
                  TFLW_I32(3, filter), TFLW_I32(4, filter), TFLW_I8(5, act)};
  int32_t in = mh_t(w, type, si, 4, s1, z1);
  int32_t out = mh_t(w, type, so, 4, s2, z2);
  tflw_op(w, code, 1, &in, 1, &out, 1, TFL_OPT_POOL2D, o, 6);
  tflw_io(w, &in, 1, &out, 1);
}

static void test_models(void) {
  int32_t si[] = {1, 5, 5, 2}, so[] = {1, 3, 3, 2}, bad[] = {1, 2, 3, 2};
  mh_run r;
  mh_case = "model_avg_s8_same";
  {
    tflw *w = tflw_new();
    pool_model(w, TFL_OP_AVERAGE_POOL_2D, MOTE_INT8, si, so, 0.1f, -3, 0.1f, -3,
               TFL_PAD_SAME, 2, 3, TFL_ACT_NONE);
    int8_t in[50];
    for (int i = 0; i < 50; i++) in[i] = (int8_t)(i * 5 - 120);
    const void *ins[] = {in};
    if (mh_run_model(&r, w, ins)) {
      const int8_t *o = (const int8_t *)mh_out(&r, 0).data;
      /* out (0,0) ch 0: rows 0-1, cols 0-1 (pad 1 each side):
       * in idx 0,2,10,12 -> -120,-110,-70,-60 -> -90 */
      MH_CHECK(o[0] == -90, "corner %d", o[0]);
    }
    mh_free(&r);
  }
  mh_case = "model_refusals";
  {
    tflw *w = tflw_new();
    pool_model(w, TFL_OP_MAX_POOL_2D, MOTE_INT8, si, bad, 0.1f, 0, 0.1f, 0,
               TFL_PAD_SAME, 2, 3, 0);
    mh_expect_load_fail(w, MOTE_E_BAD_SHAPE, NULL);
  }
  {
    tflw *w = tflw_new();
    pool_model(w, TFL_OP_AVERAGE_POOL_2D, MOTE_INT8, si, so, 0.1f, 0, 0.2f, 0,
               TFL_PAD_SAME, 2, 3, 0);
    mh_expect_load_fail(w, MOTE_E_BAD_QUANT, NULL);
  }
  {
    tflw *w = tflw_new();
    pool_model(w, TFL_OP_AVERAGE_POOL_2D, MOTE_INT16, si, so, 0.1f, 0, 0.1f, 1,
               TFL_PAD_SAME, 2, 3, 0);
    mh_expect_load_fail(w, MOTE_E_BAD_QUANT, NULL);
  }
  {
    tflw *w = tflw_new();
    pool_model(w, TFL_OP_MAX_POOL_2D, MOTE_FLOAT32, si, so, 0, 0, 0, 0,
               TFL_PAD_SAME, 0, 3, 0);
    mh_expect_load_fail(w, MOTE_E_BAD_OPTIONS, NULL);
  }
  {
    tflw *w = tflw_new();
    pool_model(w, TFL_OP_MAX_POOL_2D, MOTE_INT32, si, so, 0, 0, 0, 0,
               TFL_PAD_SAME, 2, 3, 0);
    mh_expect_load_fail(w, MOTE_E_UNSUPPORTED, NULL);
  }
  {
    tflw *w = tflw_new();
    pool_model(w, TFL_OP_AVERAGE_POOL_2D, MOTE_INT8, si, so, 0.1f, 0, 0.1f, 0,
               TFL_PAD_SAME, 2, 3, TFL_ACT_TANH);
    mh_expect_load_fail(w, MOTE_E_UNSUPPORTED, NULL);
  }
}

int main(void) {
  test_hand();
  test_random();
  test_models();
  return mh_report();
}
