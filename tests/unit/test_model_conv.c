/*
** test_model_conv.c: CONV_2D and DEPTHWISE_CONV_2D through whole models.
**
** Each case builds a one-operator model with the writer, runs it through
** mote and compares against a direct convolution computed here: integer
** accumulation, then TFLite's requantization (QuantizeMultiplier of
** double(in_scale) * double(w_scale[c]) / double(out_scale), the int32 or
** int64 MultiplyByQuantizedMultiplier, zero point, activation clamp),
** re-implemented in model_harness.h. Integer outputs must match exactly.
**
** Edge cases the golden vectors do not have: stride 2 with dilation 2 and
** SAME padding whose total is odd (TFLite puts the extra row at the end),
** asymmetric strides/dilations, depth multiplier 3, input/output zero
** points at -128 and 127, outputs saturating at both int8 limits, int16
** inputs at +-32767/-32768, missing bias (-1), per-tensor weights.
*/
#include "model_harness.h"

typedef struct conv_case {
  const char *name;
  int depthwise;
  int32_t type; /* MOTE_INT8, MOTE_INT16 (16x8) or MOTE_FLOAT32 */
  int n, ih, iw, ic, kh, kw, oc, mult;
  int padding, sh, sw, dh, dw, act;
  int has_bias;
  int per_channel;
  float in_scale;
  int32_t in_zp;
  float out_scale;
  int32_t out_zp;
  float w_scale_lo, w_scale_hi;
} conv_case;

static void run_conv(const conv_case *c) {
  mh_case = c->name;
  int pad_h, pad_w;
  int oh = ref_out_size(c->padding, c->ih, c->kh, c->sh, c->dh, &pad_h);
  int ow = ref_out_size(c->padding, c->iw, c->kw, c->sw, c->dw, &pad_w);
  int oc = c->depthwise ? c->ic * c->mult : c->oc;
  int quant = c->type != MOTE_FLOAT32;
  size_t n_in = (size_t)c->n * c->ih * c->iw * c->ic;
  size_t n_w = (size_t)oc * c->kh * c->kw * (c->depthwise ? 1 : c->ic);
  size_t n_out = (size_t)c->n * oh * ow * oc;

  /* data */
  void *x = malloc(n_in * 4);
  int8_t *wq = malloc(n_w);
  float *wf = malloc(n_w * 4);
  float *wsc = malloc((size_t)oc * 4);
  int64_t *b64 = calloc((size_t)oc, 8);
  int32_t *b32 = calloc((size_t)oc, 4);
  float *bf = calloc((size_t)oc, 4);
  for (size_t i = 0; i < n_in; i++) {
    if (c->type == MOTE_INT8) {
      ((int8_t *)x)[i] = (int8_t)mh_randi(-128, 127);
    } else if (c->type == MOTE_INT16) {
      int r = mh_randi(0, 9);
      ((int16_t *)x)[i] = (int16_t)(r == 0   ? 32767
                                    : r == 1 ? -32768
                                             : mh_randi(-32768, 32767));
    } else {
      ((float *)x)[i] = (float)mh_randf(-2, 2);
    }
  }
  for (size_t i = 0; i < n_w; i++) {
    wq[i] = (int8_t)mh_randi(-127, 127);
    wf[i] = (float)mh_randf(-1, 1);
  }
  for (int k = 0; k < oc; k++) {
    wsc[k] = c->per_channel ? (float)mh_randf(c->w_scale_lo, c->w_scale_hi)
                            : c->w_scale_lo;
    b32[k] = mh_randi(-3000, 3000);
    b64[k] = (int64_t)mh_randi(-300000, 300000);
    bf[k] = (float)mh_randf(-1, 1);
  }

  /* model */
  tflw *w = tflw_new();
  int32_t in_shape[] = {c->n, c->ih, c->iw, c->ic};
  int32_t out_shape[] = {c->n, oh, ow, oc};
  int32_t w_shape[4];
  if (c->depthwise) {
    int32_t s[] = {1, c->kh, c->kw, oc};
    memcpy(w_shape, s, sizeof s);
  } else {
    int32_t s[] = {oc, c->kh, c->kw, c->ic};
    memcpy(w_shape, s, sizeof s);
  }
  int ti = mh_t(w, c->type, in_shape, 4, quant ? c->in_scale : 0, c->in_zp);
  int tw, tb = -1;
  int32_t bshape[] = {oc};
  if (quant) {
    uint32_t nch = c->per_channel ? (uint32_t)oc : 1;
    tw = mh_const_pc(w, MOTE_INT8, w_shape, 4, wsc, nch, c->depthwise ? 3 : 0,
                     wq, n_w);
    if (c->has_bias) {
      float *bsc = malloc((size_t)oc * 4);
      for (int k = 0; k < oc; k++) bsc[k] = c->in_scale * wsc[k];
      if (c->type == MOTE_INT8)
        tb = mh_const_pc(w, MOTE_INT32, bshape, 1, bsc, nch, 0, b32,
                         (size_t)oc * 4);
      else
        tb = mh_const_pc(w, MOTE_INT64, bshape, 1, bsc, nch, 0, b64,
                         (size_t)oc * 8);
      free(bsc);
    }
  } else {
    tw = mh_const(w, MOTE_FLOAT32, w_shape, 4, 0, 0, wf, n_w * 4);
    if (c->has_bias)
      tb = mh_const(w, MOTE_FLOAT32, bshape, 1, 0, 0, bf, (size_t)oc * 4);
  }
  int to = mh_t(w, c->type, out_shape, 4, quant ? c->out_scale : 0, c->out_zp);
  int32_t ins[] = {ti, tw, tb};
  if (c->depthwise) {
    tflw_opt o[] = {TFLW_I8(0, c->padding), TFLW_I32(1, c->sw),
                    TFLW_I32(2, c->sh),     TFLW_I32(3, c->mult),
                    TFLW_I8(4, c->act),     TFLW_I32(5, c->dw),
                    TFLW_I32(6, c->dh)};
    tflw_op(w, TFL_OP_DEPTHWISE_CONV_2D, 2, ins, 3, &to, 1,
            TFL_OPT_DEPTHWISE_CONV2D, o, 7);
  } else {
    tflw_opt o[] = {TFLW_I8(0, c->padding), TFLW_I32(1, c->sw),
                    TFLW_I32(2, c->sh),     TFLW_I8(3, c->act),
                    TFLW_I32(4, c->dw),     TFLW_I32(5, c->dh)};
    tflw_op(w, TFL_OP_CONV_2D, 3, ins, 3, &to, 1, TFL_OPT_CONV2D, o, 6);
  }
  tflw_io(w, &ti, 1, &to, 1);

  /* reference */
  int64_t *want_q = malloc(n_out * 8);
  double *want_f = malloc(n_out * 8);
  int32_t qmin = c->type == MOTE_INT16 ? -32768 : -128;
  int32_t qmax = c->type == MOTE_INT16 ? 32767 : 127;
  int32_t lo, hi;
  ref_act_range_q(c->act, c->out_scale, c->out_zp, qmin, qmax, &lo, &hi);
  size_t sat = 0;
  for (int b = 0; b < c->n; b++)
    for (int oy = 0; oy < oh; oy++)
      for (int ox = 0; ox < ow; ox++)
        for (int o = 0; o < oc; o++) {
          int64_t acc = 0;
          double accf = 0;
          for (int ky = 0; ky < c->kh; ky++)
            for (int kx = 0; kx < c->kw; kx++) {
              int iy = oy * c->sh - pad_h + ky * c->dh;
              int ix = ox * c->sw - pad_w + kx * c->dw;
              if (iy < 0 || iy >= c->ih || ix < 0 || ix >= c->iw) continue;
              int ic0 = c->depthwise ? o / c->mult : 0;
              int ic1 = c->depthwise ? ic0 + 1 : c->ic;
              for (int ic = ic0; ic < ic1; ic++) {
                size_t xi =
                    (((size_t)b * c->ih + iy) * c->iw + ix) * c->ic + ic;
                size_t wi =
                    c->depthwise
                        ? ((size_t)ky * c->kw + kx) * oc + o
                        : (((size_t)o * c->kh + ky) * c->kw + kx) * c->ic + ic;
                if (c->type == MOTE_INT8)
                  acc += (int64_t)(((int8_t *)x)[xi] - c->in_zp) * wq[wi];
                else if (c->type == MOTE_INT16)
                  acc += (int64_t)((int16_t *)x)[xi] * wq[wi];
                else
                  accf += (double)((float *)x)[xi] * wf[wi];
              }
            }
          size_t oi = (((size_t)b * oh + oy) * ow + ox) * oc + o;
          if (!quant) {
            if (c->has_bias) accf += bf[o];
            want_f[oi] = ref_act_f(c->act, accf);
            continue;
          }
          int32_t m;
          int s;
          ref_qm((double)c->in_scale * (double)wsc[c->per_channel ? o : 0] /
                     (double)c->out_scale,
                 &m, &s);
          int64_t v;
          if (c->type == MOTE_INT8) {
            if (c->has_bias) acc += b32[o];
            v = (int64_t)ref_mbqm((int32_t)acc, m, s) + c->out_zp;
          } else {
            if (c->has_bias) acc += b64[o];
            v = (int64_t)ref_mbqm64(acc, m, s) + c->out_zp;
          }
          want_q[oi] = ref_clamp(v, lo, hi);
          sat += want_q[oi] == qmin || want_q[oi] == qmax;
        }
  /* the case must exercise real values, not only the clamp */
  if (quant)
    MH_CHECK(sat < n_out, "reference all saturated (%zu of %zu)", sat, n_out);
  if (getenv("MH_VERBOSE"))
    printf("  %s: %zu outputs, %zu at the type limits\n", c->name, n_out, sat);

  const void *inputs[] = {x};
  mh_run r;
  if (mh_run_model(&r, w, inputs)) {
    mote_tensor t = mh_out(&r, 0);
    MH_CHECK(t.count == n_out, "output count %zu want %zu", t.count, n_out);
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
  free(b64);
  free(b32);
  free(bf);
  free(want_q);
  free(want_f);
}

/* clang-format off */
static const conv_case k_cases[] = {
  /* name, dw, type, n, ih, iw, ic, kh, kw, oc, mult, padding, sh, sw, dh,
     dw, act, bias, per_channel, in_scale, in_zp, out_scale, out_zp,
     w_scale range */
  /* stride 2 + dilation 2 + SAME: H total padding 3 (odd), W total 4 */
  {"conv i8 s2 d2 same odd pad, zp -128 -> 127", 0, MOTE_INT8, 1, 8, 7, 3,
   3, 3, 4, 1, TFL_PAD_SAME, 2, 2, 2, 2, TFL_ACT_NONE, 1, 1,
   0.02f, -128, 0.05f, 127, 0.002f, 0.01f},
  /* both int8 limits reached; zero point 127 on the input */
  {"conv i8 s2 d2 same, zp 127 -> -128, saturating", 0, MOTE_INT8, 2, 8, 7,
   3, 3, 3, 5, 1, TFL_PAD_SAME, 2, 2, 2, 2, TFL_ACT_NONE, 1, 1,
   0.03f, 127, 0.02f, -128, 0.003f, 0.012f},
  /* asymmetric stride / dilation, H total padding 1 -> pad 0 on top */
  {"conv i8 2x3 s(2,1) d(1,2) same relu6 no bias", 0, MOTE_INT8, 1, 9, 6,
   2, 2, 3, 3, 1, TFL_PAD_SAME, 2, 1, 1, 2, TFL_ACT_RELU6, 0, 1,
   0.05f, 3, 0.04f, -128, 0.004f, 0.02f},
  {"conv i8 per-tensor weights valid relu", 0, MOTE_INT8, 1, 7, 7, 4,
   3, 3, 6, 1, TFL_PAD_VALID, 2, 2, 1, 1, TFL_ACT_RELU, 1, 0,
   0.04f, -7, 0.06f, -100, 0.006f, 0.006f},
  {"conv f32 s2 d2 same odd pad relu b2", 0, MOTE_FLOAT32, 2, 8, 7, 3,
   3, 3, 4, 1, TFL_PAD_SAME, 2, 2, 2, 2, TFL_ACT_RELU, 1, 1,
   0, 0, 0, 0, 0, 0},
  {"conv f32 no bias relu_n1_to_1", 0, MOTE_FLOAT32, 1, 6, 5, 2,
   3, 2, 3, 1, TFL_PAD_SAME, 1, 2, 1, 1, TFL_ACT_RELU_N1_TO_1, 0, 1,
   0, 0, 0, 0, 0, 0},
  {"conv i16x8 s2 d2 same extremes", 0, MOTE_INT16, 1, 8, 7, 2,
   3, 3, 3, 1, TFL_PAD_SAME, 2, 2, 2, 2, TFL_ACT_NONE, 1, 1,
   0.001f, 0, 0.001f, 0, 0.002f, 0.01f},
  {"conv i16x8 no bias relu", 0, MOTE_INT16, 1, 5, 6, 3,
   3, 3, 2, 1, TFL_PAD_SAME, 1, 1, 1, 1, TFL_ACT_RELU, 0, 1,
   0.0005f, 0, 0.004f, 0, 0.002f, 0.01f},
  /* depthwise */
  {"dwconv i8 mult 3 s2 same zp -128 -> 127", 1, MOTE_INT8, 1, 7, 6, 2,
   3, 3, 0, 3, TFL_PAD_SAME, 2, 2, 1, 1, TFL_ACT_NONE, 1, 1,
   0.02f, -128, 0.03f, 127, 0.003f, 0.02f},
  {"dwconv i8 mult 3 d2 same odd pad relu6", 1, MOTE_INT8, 2, 8, 7, 3,
   3, 3, 0, 3, TFL_PAD_SAME, 2, 2, 2, 2, TFL_ACT_RELU6, 1, 1,
   0.05f, 127, 0.03f, -128, 0.01f, 0.03f},
  {"dwconv i8 mult 3 no bias valid", 1, MOTE_INT8, 1, 6, 6, 2,
   2, 3, 0, 3, TFL_PAD_VALID, 1, 2, 2, 1, TFL_ACT_NONE, 0, 1,
   0.02f, 5, 0.02f, -3, 0.005f, 0.02f},
  {"dwconv i8 mult 3 per-tensor weights", 1, MOTE_INT8, 1, 5, 5, 2,
   3, 3, 0, 3, TFL_PAD_SAME, 1, 1, 1, 1, TFL_ACT_NONE, 1, 0,
   0.02f, -128, 0.05f, 127, 0.004f, 0.004f},
  {"dwconv f32 mult 3 d2 same", 1, MOTE_FLOAT32, 1, 7, 8, 2,
   3, 3, 0, 3, TFL_PAD_SAME, 1, 2, 2, 2, TFL_ACT_RELU6, 1, 1,
   0, 0, 0, 0, 0, 0},
  {"dwconv i16x8 mult 3 same", 1, MOTE_INT16, 1, 6, 5, 2,
   3, 3, 0, 3, TFL_PAD_SAME, 2, 1, 1, 2, TFL_ACT_NONE, 1, 1,
   0.001f, 0, 0.0005f, 0, 0.003f, 0.02f},
};
/* clang-format on */

/*
** Hand-derived multiplier case: TFLite's conv multiplier is
** double(in_s) * double(w_s) / double(out_s); a product rounded to float
** first would differ. Search scales and an accumulator value A where the
** two give different outputs, then run a 1x1 (depthwise) conv on an input
** equal to its zero point, so output c = requantize(bias[c]).
*/
static void test_multiplier_rounding(int depthwise) {
  mh_case = depthwise ? "dwconv multiplier is a double product"
                      : "conv multiplier is a double product";
  float in_s = 0, w_s = 0, out_s = 0;
  int32_t acc = 0;
  for (int it = 0; it < 2000 && acc == 0; it++) {
    float a = (float)mh_randf(0.01, 0.1), b = (float)mh_randf(0.001, 0.01);
    float o = (float)mh_randf(0.0005, 0.003);
    int32_t m1, m2;
    int s1, s2;
    ref_qm((double)a * (double)b / (double)o, &m1, &s1);
    ref_qm((double)(float)(a * b) / (double)o, &m2, &s2);
    if (m1 == m2 && s1 == s2) continue;
    for (int32_t v = 1; v < 200000; v++) {
      int32_t r1 = ref_mbqm(v, m1, s1);
      if (r1 > 120) break;
      if (r1 != ref_mbqm(v, m2, s2)) {
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
  int32_t is[] = {1, 2, 2, 1}, ws[] = {2, 1, 1, 1}, bs[] = {2};
  int32_t os[] = {1, 2, 2, 2};
  if (depthwise) ws[0] = 1, ws[3] = 2;
  int8_t wd[2] = {77, -50};
  float wsc[2] = {w_s, w_s * 0.5f};
  float bsc[2] = {in_s * wsc[0], in_s * wsc[1]};
  int32_t bd[2] = {acc, -acc};
  int ti = mh_t(w, MOTE_INT8, is, 4, in_s, -9);
  int tw = mh_const_pc(w, MOTE_INT8, ws, 4, wsc, 2, depthwise ? 3 : 0, wd, 2);
  int tb = mh_const_pc(w, MOTE_INT32, bs, 1, bsc, 2, 0, bd, sizeof bd);
  int to = mh_t(w, MOTE_INT8, os, 4, out_s, 4);
  if (depthwise)
    tflw_op(w, TFL_OP_DEPTHWISE_CONV_2D, 1, (int32_t[]){ti, tw, tb}, 3, &to, 1,
            TFL_OPT_DEPTHWISE_CONV2D,
            (tflw_opt[]){TFLW_I8(0, TFL_PAD_VALID), TFLW_I32(1, 1),
                         TFLW_I32(2, 1), TFLW_I32(3, 2)},
            4);
  else
    tflw_op(
        w, TFL_OP_CONV_2D, 1, (int32_t[]){ti, tw, tb}, 3, &to, 1,
        TFL_OPT_CONV2D,
        (tflw_opt[]){TFLW_I8(0, TFL_PAD_VALID), TFLW_I32(1, 1), TFLW_I32(2, 1)},
        3);
  tflw_io(w, &ti, 1, &to, 1);
  int8_t x[4] = {-9, -9, -9, -9};
  int64_t want[8];
  for (int c = 0; c < 2; c++) {
    int32_t m;
    int sh;
    ref_qm((double)in_s * (double)wsc[c] / (double)out_s, &m, &sh);
    int64_t v = ref_clamp((int64_t)ref_mbqm(bd[c], m, sh) + 4, -128, 127);
    for (int p = 0; p < 4; p++) want[p * 2 + c] = v;
  }
  const void *ins[] = {x};
  mh_run r;
  if (mh_run_model(&r, w, ins)) {
    mote_tensor t = mh_out(&r, 0);
    mh_expect_ints("out", t.data, MOTE_INT8, want, 8, 0);
  }
  mh_free(&r);
}

/* Output shape in the model disagrees with what the op computes. */
static void test_bad_output_shape(void) {
  mh_case = "conv bad output shape";
  tflw *w = tflw_new();
  int32_t is[] = {1, 5, 5, 2}, ws[] = {3, 3, 3, 2}, os[] = {1, 5, 4, 3};
  int8_t wd[54] = {0};
  float wsc[3] = {0.01f, 0.01f, 0.01f};
  int ti = mh_t(w, MOTE_INT8, is, 4, 0.1f, 0);
  int tw = mh_const_pc(w, MOTE_INT8, ws, 4, wsc, 3, 0, wd, sizeof wd);
  int to = mh_t(w, MOTE_INT8, os, 4, 0.1f, 0); /* SAME s1: 5x5 expected */
  tflw_op(
      w, TFL_OP_CONV_2D, 3, (int32_t[]){ti, tw, -1}, 3, &to, 1, TFL_OPT_CONV2D,
      (tflw_opt[]){TFLW_I8(0, TFL_PAD_SAME), TFLW_I32(1, 1), TFLW_I32(2, 1)},
      3);
  tflw_io(w, &ti, 1, &to, 1);
  mh_expect_load_fail(w, MOTE_E_BAD_SHAPE, NULL);
}

/* int8 input with float weights. */
static void test_bad_weight_type(void) {
  mh_case = "conv int8 input, float weights";
  tflw *w = tflw_new();
  int32_t is[] = {1, 4, 4, 1}, ws[] = {1, 1, 1, 1};
  float wd[1] = {1};
  int ti = mh_t(w, MOTE_INT8, is, 4, 0.1f, 0);
  int tw = mh_const(w, MOTE_FLOAT32, ws, 4, 0, 0, wd, 4);
  int to = mh_t(w, MOTE_INT8, is, 4, 0.1f, 0);
  tflw_op(
      w, TFL_OP_CONV_2D, 1, (int32_t[]){ti, tw, -1}, 3, &to, 1, TFL_OPT_CONV2D,
      (tflw_opt[]){TFLW_I8(0, TFL_PAD_VALID), TFLW_I32(1, 1), TFLW_I32(2, 1)},
      3);
  tflw_io(w, &ti, 1, &to, 1);
  size_t len;
  uint8_t *fb = mh_finish(w, &len);
  mh_run r;
  mote_status st = mh_load(&r, fb, len);
  MH_CHECK(st == MOTE_E_BAD_TYPE || st == MOTE_E_UNSUPPORTED,
           "expected BAD_TYPE or UNSUPPORTED, got %s", mote_status_name(st));
  MH_CHECK(r.err.op_index == 0, "error names op 0 (got %d)", r.err.op_index);
  mh_free(&r);
}

/* Depthwise whose output channels != in_channels * multiplier. */
static void test_bad_multiplier(void) {
  mh_case = "dwconv multiplier mismatch";
  tflw *w = tflw_new();
  int32_t is[] = {1, 4, 4, 2}, ws[] = {1, 1, 1, 6}, os[] = {1, 4, 4, 6};
  float wd[6] = {1, 1, 1, 1, 1, 1};
  int ti = mh_t(w, MOTE_FLOAT32, is, 4, 0, 0);
  int tw = mh_const(w, MOTE_FLOAT32, ws, 4, 0, 0, wd, sizeof wd);
  int to = mh_t(w, MOTE_FLOAT32, os, 4, 0, 0);
  tflw_op(w, TFL_OP_DEPTHWISE_CONV_2D, 1, (int32_t[]){ti, tw, -1}, 3, &to, 1,
          TFL_OPT_DEPTHWISE_CONV2D,
          (tflw_opt[]){TFLW_I8(0, TFL_PAD_VALID), TFLW_I32(1, 1),
                       TFLW_I32(2, 1), TFLW_I32(3, 2)},
          4);
  tflw_io(w, &ti, 1, &to, 1);
  size_t len;
  uint8_t *fb = mh_finish(w, &len);
  mh_run r;
  mote_status st = mh_load(&r, fb, len);
  MH_CHECK(st == MOTE_E_BAD_SHAPE || st == MOTE_E_BAD_OPTIONS,
           "expected BAD_SHAPE or BAD_OPTIONS, got %s", mote_status_name(st));
  mh_free(&r);
}

int main(void) {
  for (size_t i = 0; i < sizeof k_cases / sizeof k_cases[0]; i++)
    run_conv(&k_cases[i]);
  test_multiplier_rounding(0);
  test_multiplier_rounding(1);
  test_bad_output_shape();
  test_bad_weight_type();
  test_bad_multiplier();
  return mh_report();
}
