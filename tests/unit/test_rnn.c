/*
** test_rnn.c: SVDF and UNIDIRECTIONAL_SEQUENCE_LSTM.
**
** Kernels are called directly on small hand-made cases and checked against
** independent computations:
**  - the int16 LUT sigmoid / tanh against the real functions (every int16
**    input) and hand-derived points (0, saturation);
**  - SVDF float / int8 against a per-filter history queue written from the
**    op's definition (not the kernel's shifted flat buffer), over several
**    invocations, zero points -128 / 127, state and output saturation, and
**    the int8-state zero-point wrap of TFLM;
**  - LSTM float against a double-precision textbook LSTM; int8 and int16x8
**    against a float LSTM on the dequantized operands (a few LSB), plus
**    bit-exact properties (time-major vs batch-major layouts, batch rows
**    independent) and a hand-derived int8 sequence (bias-only gates) with
**    and without cell clipping.
** Whole models (tflite writer) check state persistence across invokes and
** mote_model_reset_state, TFLM's zero-point initialisation of int8 state,
** and the refusals (CIFG, peephole, projection, layer norm, hybrid, ...).
*/
#include "kernels/mote_fixedpoint_lstm.h"
#include "kernels/ref/rnn_ref.h"
#include "model_harness.h"

#define CHECK MH_CHECK

static double sigm(double x) {
  return 1.0 / (1.0 + exp(-x));
}

/* ------------------------------------------------------ LUT activations */

static void test_lut_activations(void) {
  mh_case = "lut sigmoid/tanh";
  /* Hand-derived points. */
  CHECK(mote_logistic_s16(0, 0, 0) == 16384, "sigmoid(0) = %d",
        mote_logistic_s16(0, 0, 0));
  CHECK(mote_tanh_s16(0, 0, 0) == 0, "tanh(0) = %d", mote_tanh_s16(0, 0, 0));
  CHECK(mote_tanh_s16(32767, 0, 0) == 32767, "tanh(8) saturates: %d",
        mote_tanh_s16(32767, 0, 0));
  CHECK(mote_tanh_s16(-32768, 0, 0) == -32767, "tanh(-8) = %d",
        mote_tanh_s16(-32768, 0, 0));
  /* x = 0.5 in Q3.12: 3 * 2048 = 6144 = 12 LUT steps (of 1/24) exactly:
   * sigmoid = (LUT[12] * 2^9 + 2^9) >> 10 with LUT[12] = 40794. */
  CHECK(mote_logistic_s16(2048, 0, 0) == ((40794 * 512 + 512) >> 10),
        "sigmoid(0.5) = %d", mote_logistic_s16(2048, 0, 0));

  /* Every Q3.12 input against the real functions. */
  int bad_s = 0, bad_t = 0, mono = 1;
  int16_t prev_s = -1, prev_t = -32768;
  for (int32_t x = -32768; x <= 32767; ++x) {
    int16_t s = mote_logistic_s16((int16_t)x, 0, 0);
    int16_t t = mote_tanh_s16((int16_t)x, 0, 0);
    double ws = 32768.0 * sigm(x / 4096.0);
    double wt = 32768.0 * tanh(x / 4096.0);
    if (wt > 32767.0) wt = 32767.0;
    if (fabs(s - ws) > 2.0) bad_s++;
    if (fabs(t - wt) > 3.0) bad_t++;
    if (s < prev_s || t < prev_t) mono = 0;
    prev_s = s;
    prev_t = t;
  }
  CHECK(bad_s == 0, "%d sigmoid values off by > 2", bad_s);
  CHECK(bad_t == 0, "%d tanh values off by > 3", bad_t);
  CHECK(mono, "sigmoid/tanh not monotonic");

  /* Cell-state tanh: scale 2^p rescaled to the LUT (TFLM lstm Tanh). */
  const int32_t powers[] = {-9, -11, -12, -15};
  for (int k = 0; k < 4; ++k) {
    int32_t sh = 15 + powers[k] - 3, mult = 0;
    if (sh < 0) {
      mult = 3;
      sh = -sh;
    }
    int bad = 0;
    for (int32_t x = -32768; x <= 32767; x += 7) {
      int16_t t = mote_tanh_s16((int16_t)x, mult, sh);
      double w = 32768.0 * tanh(ldexp((double)x, powers[k]));
      w = w > 32767.0 ? 32767.0 : (w < -32768.0 ? -32768.0 : w);
      if (fabs(t - w) > 3.0) bad++;
    }
    CHECK(bad == 0, "tanh with cell scale 2^%d: %d values off", powers[k], bad);
  }

  /* Requantized product and saturating add at the int16 limits. */
  CHECK(mote_mul_requant_s16(-32768, -32768, 1 << 30, -14, 0, INT16_MIN,
                             INT16_MAX) == 32767,
        "(-1)*(-1) in Q0.15 saturates");
  CHECK(mote_mul_requant_s16(32767, -32768, 1 << 30, -14, 0, INT16_MIN,
                             INT16_MAX) == -32767,
        "0.99997 * -1 in Q0.15");
  CHECK(mote_add_sat_s16(30000, 10000) == 32767, "add saturates up");
  CHECK(mote_add_sat_s16(-30000, -10000) == -32768, "add saturates down");
}

/* ------------------------------------------------------------- SVDF */

/* Independent SVDF: an explicit per-(batch, filter) queue of the last
 * memory_size feature activations, newest last. */
typedef struct svdf_ref {
  int nb, ni, nf, nr, nm;
  double *hist; /* [nb][nf][nm] */
} svdf_ref;

static void svdf_ref_push(svdf_ref *r, int b, int f, double v) {
  double *q = r->hist + ((size_t)b * r->nf + f) * r->nm;
  for (int m = 0; m + 1 < r->nm; ++m) q[m] = q[m + 1];
  q[r->nm - 1] = v;
}

static double act_f(int act, double v) {
  switch (act) {
    case TFL_ACT_TANH:
      return tanh(v);
    case TFL_ACT_SIGN_BIT:
      return signbit(v) ? 1.0 : 0.0;
    default:
      return ref_act_f(act, v);
  }
}

static void test_svdf_f32(void) {
  enum { NB = 2, NI = 5, NU = 3, NR = 2, NF = NU * NR, NM = 4, CALLS = 6 };
  const int acts[] = {TFL_ACT_NONE,  TFL_ACT_RELU, TFL_ACT_RELU_N1_TO_1,
                      TFL_ACT_RELU6, TFL_ACT_TANH, TFL_ACT_SIGN_BIT};
  float wf[NF * NI], wt[NF * NM], bias[NU], x[NB * NI], out[NB * NU];
  float state[NB * NF * NM];
  double hist[NB * NF * NM];
  for (int i = 0; i < NF * NI; ++i) wf[i] = (float)mh_randf(-1, 1);
  for (int i = 0; i < NF * NM; ++i) wt[i] = (float)mh_randf(-1, 1);
  for (int i = 0; i < NU; ++i) bias[i] = (float)mh_randf(-2, 2);
  for (int a = 0; a < 6; ++a) {
    for (int with_bias = 0; with_bias < 2; ++with_bias) {
      mh_case = with_bias ? "svdf f32 with bias" : "svdf f32 no bias";
      mote_svdf_f32_params p = {{NB, NI, NF, NU, NR, NM}, acts[a]};
      svdf_ref r = {NB, NI, NF, NR, NM, hist};
      memset(state, 0, sizeof state);
      memset(hist, 0, sizeof hist);
      for (int call = 0; call < CALLS; ++call) {
        for (int i = 0; i < NB * NI; ++i) x[i] = (float)mh_randf(-3, 3);
        mote_svdf_f32_ref(&p, x, wf, wt, with_bias ? bias : NULL, state, out);
        double want[NB * NU];
        for (int b = 0; b < NB; ++b) {
          for (int f = 0; f < NF; ++f) {
            double v = 0;
            for (int k = 0; k < NI; ++k)
              v += (double)wf[f * NI + k] * x[b * NI + k];
            svdf_ref_push(&r, b, f, v);
          }
          for (int u = 0; u < NU; ++u) {
            double o = with_bias ? bias[u] : 0.0;
            for (int k = 0; k < NR; ++k) {
              int f = u * NR + k;
              for (int m = 0; m < NM; ++m)
                o += (double)wt[f * NM + m] * hist[(b * NF + f) * NM + m];
            }
            want[b * NU + u] = act_f(acts[a], o);
          }
        }
        mh_expect_floats("svdf f32 output", out, want, NB * NU, 1e-5);
      }
    }
  }
}

/* Integer SVDF reference with an explicit history of stored state values.
 * state_bits 16 or 8; TFLM clamps the requantized feature to the state
 * type, then adds the state zero point and narrows (wraps). */
static void svdf_q_reference(const mote_svdf_q_params *p, int state_bits,
                             const int8_t *x, const int8_t *wf,
                             const int32_t *wt, const int32_t *bias,
                             int32_t *hist, int64_t *want, int *sat_state,
                             int *sat_out) {
  const mote_svdf_dims *d = &p->d;
  int32_t lo = state_bits == 16 ? INT16_MIN : INT8_MIN;
  int32_t hi = state_bits == 16 ? INT16_MAX : INT8_MAX;
  for (int b = 0; b < d->batch; ++b) {
    for (int f = 0; f < d->num_filters; ++f) {
      int64_t acc = 0;
      for (int k = 0; k < d->input_size; ++k)
        acc += (int64_t)wf[f * d->input_size + k] *
               (x[b * d->input_size + k] - p->input_zp);
      int32_t r = ref_mbqm((int32_t)acc, p->mult1, p->shift1);
      if (r < lo || r > hi) (*sat_state)++;
      int32_t v = (int32_t)ref_clamp(r, lo, hi) + p->state_zp;
      v = state_bits == 16 ? (int16_t)(uint16_t)v : (int8_t)(uint8_t)v;
      int32_t *q = hist + ((size_t)b * d->num_filters + f) * d->memory_size;
      for (int m = 0; m + 1 < d->memory_size; ++m) q[m] = q[m + 1];
      q[d->memory_size - 1] = v;
    }
    for (int u = 0; u < d->num_units; ++u) {
      int64_t o = bias ? bias[u] : 0;
      for (int k = 0; k < d->rank; ++k) {
        int f = u * d->rank + k;
        for (int m = 0; m < d->memory_size; ++m)
          o += (int64_t)wt[f * d->memory_size + m] *
               (hist[(b * d->num_filters + f) * d->memory_size + m] -
                p->state_zp);
      }
      int64_t y =
          (int64_t)ref_mbqm((int32_t)o, p->mult2, p->shift2) + p->output_zp;
      if (y < -128 || y > 127) (*sat_out)++;
      want[b * d->num_units + u] = ref_clamp(y, -128, 127);
    }
  }
}

static void run_svdf_q(const char *name, int state_bits, int32_t in_zp,
                       int32_t st_zp, int32_t out_zp, double s1, double s2,
                       int with_bias, int *sat_state, int *sat_out) {
  enum { NB = 2, NI = 7, NU = 3, NR = 2, NF = NU * NR, NM = 5, CALLS = 7 };
  mh_case = name;
  int8_t x[NB * NI], wf[NF * NI], out[NB * NU];
  int32_t wt32[NF * NM], bias[NU], hist[NB * NF * NM];
  int16_t wt16[NF * NM], st16[NB * NF * NM];
  int8_t wt8[NF * NM], st8[NB * NF * NM];
  int64_t want[NB * NU];
  for (int i = 0; i < NF * NI; ++i) wf[i] = (int8_t)mh_randi(-127, 127);
  for (int i = 0; i < NF * NM; ++i) {
    wt32[i] = state_bits == 16 ? mh_randi(-32767, 32767) : mh_randi(-127, 127);
    wt16[i] = (int16_t)wt32[i];
    wt8[i] = (int8_t)wt32[i];
  }
  for (int i = 0; i < NU; ++i) bias[i] = mh_randi(-100000, 100000);
  mote_svdf_q_params p;
  memset(&p, 0, sizeof p);
  p.d = (mote_svdf_dims){NB, NI, NF, NU, NR, NM};
  p.input_zp = in_zp;
  p.state_zp = st_zp;
  p.output_zp = out_zp;
  int sh;
  ref_qm(s1, &p.mult1, &sh);
  p.shift1 = sh;
  ref_qm(s2, &p.mult2, &sh);
  p.shift2 = sh;
  /* TFLM resets int8 state to its zero point, int16 state to 0. */
  for (int i = 0; i < NB * NF * NM; ++i) {
    st16[i] = 0;
    st8[i] = (int8_t)st_zp;
    hist[i] = state_bits == 16 ? 0 : st_zp;
  }
  for (int call = 0; call < CALLS; ++call) {
    for (int i = 0; i < NB * NI; ++i)
      x[i] = (int8_t)(i % 5 == 0 ? -128
                                 : (i % 5 == 1 ? 127 : mh_randi(-128, 127)));
    if (state_bits == 16)
      mote_svdf_s8_ref(&p, x, wf, wt16, with_bias ? bias : NULL, st16, out);
    else
      mote_svdf_s8_s8state_ref(&p, x, wf, wt8, with_bias ? bias : NULL, st8,
                               out);
    svdf_q_reference(&p, state_bits, x, wf, wt32, with_bias ? bias : NULL, hist,
                     want, sat_state, sat_out);
    mh_expect_ints("svdf int8 output", out, MOTE_INT8, want, NB * NU, 0);
  }
  /* The kernel's flat state equals the reference queue (aged in place). */
  int bad = 0;
  for (int i = 0; i < NB * NF * NM; ++i)
    bad += (state_bits == 16 ? st16[i] : st8[i]) != hist[i];
  CHECK(bad == 0, "%d state values differ from the reference history", bad);
}

static void test_svdf_q(void) {
  int sat_state = 0, sat_out = 0;
  run_svdf_q("svdf s8/s16 zp -128", 16, -128, 0, 10, 0.3, 0.0004, 1, &sat_state,
             &sat_out);
  run_svdf_q("svdf s8/s16 zp 127 no bias", 16, 127, 0, -7, 0.05, 0.00002, 0,
             &sat_state, &sat_out);
  int s16_sat = sat_state;
  /* A huge feature scale saturates the int16 state; a large time scale the
   * int8 output. */
  run_svdf_q("svdf s8/s16 saturating", 16, 3, 0, 0, 40.0, 0.002, 1, &sat_state,
             &sat_out);
  mh_case = "svdf s8/s16 saturation reached";
  CHECK(sat_state > s16_sat, "state never saturated");
  CHECK(sat_out > 0, "output never saturated");
  sat_state = sat_out = 0;
  run_svdf_q("svdf s8/s8 state zp 5", 8, -4, 5, 2, 0.2, 0.003, 1, &sat_state,
             &sat_out);
  run_svdf_q("svdf s8/s8 state zp -100", 8, 100, -100, -3, 0.5, 0.01, 1,
             &sat_state, &sat_out);
  mh_case = "svdf s8/s8 saturation reached";
  CHECK(sat_state > 0, "int8 state never saturated");

  /* Hand case: 100 * 100 = 10000 clamps to 127, + zero point 5 wraps to
   * -124 in the int8 state; time: 1 * (-124 - 5) = -129 -> output -128. */
  mh_case = "svdf s8/s8 zero-point wrap";
  mote_svdf_q_params p;
  memset(&p, 0, sizeof p);
  p.d = (mote_svdf_dims){1, 1, 1, 1, 1, 1};
  p.state_zp = 5;
  p.mult1 = p.mult2 = 1 << 30;
  p.shift1 = p.shift2 = 1;
  int8_t x = 100, wf = 100, wt = 1, st = 5, out = 0;
  mote_svdf_s8_s8state_ref(&p, &x, &wf, &wt, NULL, &st, &out);
  CHECK(st == -124, "state %d", st);
  CHECK(out == -128, "output %d", out);
}

/* ------------------------------------------------------------- LSTM */

enum { LB = 2, LT = 4, LI = 5, LC = 6 };

/* Double-precision textbook LSTM (gates i, f, c, o), batch-major. h and c
 * are [LB * LC] and updated; y is [LB][LT][LC]. If hq_scale > 0 the hidden
 * state is quantized (zero point hq_zp, [qlo, qhi]) after every step and
 * preactivations are clamped to the Q3.12 range, like the integer LSTM. */
typedef struct lstm_ref_w {
  double w_in[4][LC * LI], w_rec[4][LC * LC], bias[4][LC];
} lstm_ref_w;

static void lstm_reference(const lstm_ref_w *w, const double *x, double *h,
                           double *c, double *y, int tanh_cell,
                           double cell_clip, double hq_scale, int32_t hq_zp,
                           int32_t qlo, int32_t qhi, double cell_scale) {
  for (int b = 0; b < LB; ++b) {
    for (int t = 0; t < LT; ++t) {
      const double *xt = x + ((size_t)b * LT + t) * LI;
      double g[4][LC];
      for (int k = 0; k < 4; ++k) {
        for (int j = 0; j < LC; ++j) {
          double v = w->bias[k][j];
          for (int i = 0; i < LI; ++i) v += w->w_in[k][j * LI + i] * xt[i];
          for (int i = 0; i < LC; ++i)
            v += w->w_rec[k][j * LC + i] * h[b * LC + i];
          if (hq_scale > 0) v = v < -8.0 ? -8.0 : (v > 7.9998 ? 7.9998 : v);
          if (k == MOTE_LSTM_GATE_CELL)
            g[k][j] = tanh_cell ? tanh(v) : v;
          else
            g[k][j] = sigm(v);
        }
      }
      for (int j = 0; j < LC; ++j) {
        double cv = g[1][j] * c[b * LC + j] + g[0][j] * g[2][j];
        if (cell_clip > 0) cv = cv > cell_clip ? cell_clip : cv;
        if (cell_clip > 0) cv = cv < -cell_clip ? -cell_clip : cv;
        /* int16 cell state: its range saturates */
        if (cell_scale > 0) {
          cv = cv > 32767 * cell_scale ? 32767 * cell_scale : cv;
          cv = cv < -32768 * cell_scale ? -32768 * cell_scale : cv;
        }
        c[b * LC + j] = cv;
      }
      for (int j = 0; j < LC; ++j) {
        double hv = g[3][j] * tanh(c[b * LC + j]);
        if (hq_scale > 0)
          hv = (double)(ref_quant(hv, hq_scale, hq_zp, qlo, qhi) - hq_zp) *
               hq_scale;
        h[b * LC + j] = hv;
        y[((size_t)b * LT + t) * LC + j] = hv;
      }
    }
  }
}

/* [B][T][N] <-> [T][B][N] */
static void to_time_major(const void *src, void *dst, size_t esz, int n) {
  for (int b = 0; b < LB; ++b)
    for (int t = 0; t < LT; ++t)
      memcpy((char *)dst + (((size_t)t * LB + b) * n) * esz,
             (const char *)src + (((size_t)b * LT + t) * n) * esz, n * esz);
}

static void test_lstm_f32(void) {
  float win[4][LC * LI], wrec[4][LC * LC], bias[4][LC];
  lstm_ref_w rw;
  for (int k = 0; k < 4; ++k) {
    for (int i = 0; i < LC * LI; ++i)
      rw.w_in[k][i] = win[k][i] = (float)mh_randf(-0.8, 0.8);
    for (int i = 0; i < LC * LC; ++i)
      rw.w_rec[k][i] = wrec[k][i] = (float)mh_randf(-0.8, 0.8);
    for (int i = 0; i < LC; ++i)
      rw.bias[k][i] = bias[k][i] = (float)mh_randf(-0.5, 0.5);
  }
  mote_lstm_f32_weights w;
  for (int k = 0; k < 4; ++k) {
    w.w_in[k] = win[k];
    w.w_rec[k] = wrec[k];
    w.bias[k] = bias[k];
  }
  float x[LB * LT * LI], xt[LB * LT * LI], y[LB * LT * LC], yt[LB * LT * LC];
  double xd[LB * LT * LI];
  for (int i = 0; i < LB * LT * LI; ++i) xd[i] = x[i] = (float)mh_randf(-2, 2);
  to_time_major(x, xt, sizeof(float), LI);
  const float clips[] = {0.0f, 0.3f};
  for (int ci = 0; ci < 2; ++ci) {
    for (int tanh_cell = 0; tanh_cell < 2; ++tanh_cell) {
      mh_case = ci ? "lstm f32 cell clip" : "lstm f32";
      float h[LB * LC] = {0}, c[LB * LC] = {0}, scratch[4 * LB * LC];
      double hd[LB * LC] = {0}, cd[LB * LC] = {0}, yd[LB * LT * LC];
      mote_lstm_f32_params p = {
          {LB, LT, LI, LC, 0,
           tanh_cell ? MOTE_LSTM_CELL_ACT_TANH : MOTE_LSTM_CELL_ACT_NONE},
          clips[ci]};
      mote_lstm_f32_ref(&p, &w, x, h, c, y, scratch);
      lstm_reference(&rw, xd, hd, cd, yd, tanh_cell, clips[ci], 0, 0, 0, 0, 0);
      mh_expect_floats("lstm f32 output", y, yd, LB * LT * LC, 1e-5);
      mh_expect_floats("lstm f32 cell", c, cd, LB * LC, 1e-5);
      if (ci) {
        int over = 0;
        for (int i = 0; i < LB * LC; ++i) over += fabsf(c[i]) > clips[ci];
        CHECK(over == 0, "cell state exceeds the clip");
      }
      /* Time-major layout gives the transposed output and same states. */
      float h2[LB * LC] = {0}, c2[LB * LC] = {0};
      p.d.time_major = 1;
      mote_lstm_f32_ref(&p, &w, xt, h2, c2, yt, scratch);
      float yb[LB * LT * LC];
      to_time_major(y, yb, sizeof(float), LC);
      double ybd[LB * LT * LC];
      for (int i = 0; i < LB * LT * LC; ++i) ybd[i] = yb[i];
      mh_expect_floats("lstm f32 time-major output", yt, ybd, LB * LT * LC,
                       1e-6);
    }
  }
}

/* Quantized LSTM set-up shared by the int8 and int16x8 tests. */
typedef struct lstm_q_case {
  const char *name;
  int act16; /* 0: int8 activations, 1: int16x8 */
  float in_s, w_s, hid_s, cell_s;
  int32_t in_zp, hid_zp;
  float cell_clip;
} lstm_q_case;

static void lstm_q_prepare(const lstm_q_case *qc, mote_lstm_q_params *q,
                           int time_major) {
  memset(q, 0, sizeof *q);
  q->d = (mote_lstm_dims){LB, LT, LI, LC, time_major, MOTE_LSTM_CELL_ACT_TANH};
  q->input_zp = qc->in_zp;
  q->hidden_zp = qc->hid_zp;
  int sh;
  for (int k = 0; k < 4; ++k) {
    ref_qm((double)(float)(qc->in_s * qc->w_s) / 0.000244140625, &q->in_mult[k],
           &sh);
    q->in_shift[k] = sh;
    ref_qm((double)(float)(qc->hid_s * qc->w_s) / 0.000244140625,
           &q->rec_mult[k], &sh);
    q->rec_shift[k] = sh;
  }
  const double s15 = 1.0 / 32768.0;
  ref_qm(s15, &q->fc_mult, &sh);
  q->fc_shift = sh;
  ref_qm(s15 * s15 / qc->cell_s, &q->ic_mult, &sh);
  q->ic_shift = sh;
  ref_qm(s15 * s15 / qc->hid_s, &q->hid_mult, &sh);
  q->hid_shift = sh;
  int power = (int)lround(log2(qc->cell_s));
  int32_t tsh = 15 + power - 3;
  q->tanh_mult = tsh < 0 ? 3 : 0;
  q->tanh_shift = tsh < 0 ? -tsh : tsh;
  q->use_cell_clip = qc->cell_clip > 0;
  q->cell_clip = (int16_t)(qc->cell_clip / qc->cell_s);
}

static void run_lstm_q(const lstm_q_case *qc) {
  mh_case = qc->name;
  const int n_x = LB * LT * LI, n_y = LB * LT * LC;
  int8_t win[4][LC * LI], wrec[4][LC * LC];
  int32_t b32[4][LC];
  int64_t b64[4][LC];
  lstm_ref_w rw;
  const double bs = (double)qc->in_s * qc->w_s;
  for (int k = 0; k < 4; ++k) {
    for (int i = 0; i < LC * LI; ++i) {
      win[k][i] = (int8_t)mh_randi(-127, 127);
      rw.w_in[k][i] = win[k][i] * (double)qc->w_s;
    }
    for (int i = 0; i < LC * LC; ++i) {
      wrec[k][i] = (int8_t)mh_randi(-127, 127);
      rw.w_rec[k][i] = wrec[k][i] * (double)qc->w_s;
    }
    for (int i = 0; i < LC; ++i) {
      b32[k][i] = mh_randi(-(int32_t)(0.5 / bs), (int32_t)(0.5 / bs));
      b64[k][i] = b32[k][i];
      rw.bias[k][i] = b32[k][i] * bs;
    }
  }
  /* Inputs (with the extremes) and their real values. */
  int8_t x8[LB * LT * LI], x8t[LB * LT * LI], y8[LB * LT * LC],
      y8t[LB * LT * LC];
  int16_t x16[LB * LT * LI], x16t[LB * LT * LI], y16[LB * LT * LC],
      y16t[LB * LT * LC];
  double xd[LB * LT * LI];
  memset(x8, 0, sizeof x8);
  memset(x16, 0, sizeof x16);
  memset(y8, 0, sizeof y8);
  memset(y16, 0, sizeof y16);
  memset(y8t, 0, sizeof y8t);
  memset(y16t, 0, sizeof y16t);
  for (int i = 0; i < n_x; ++i) {
    if (qc->act16) {
      x16[i] = (int16_t)(i == 0 ? 32767
                                : (i == 1 ? -32768 : mh_randi(-20000, 20000)));
      xd[i] = (x16[i] - qc->in_zp) * (double)qc->in_s;
    } else {
      x8[i] = (int8_t)(i == 0 ? 127 : (i == 1 ? -128 : mh_randi(-128, 127)));
      xd[i] = (x8[i] - qc->in_zp) * (double)qc->in_s;
    }
  }
  to_time_major(x8, x8t, 1, LI);
  to_time_major(x16, x16t, 2, LI);

  mote_lstm_q_params q, qt;
  lstm_q_prepare(qc, &q, 0);
  lstm_q_prepare(qc, &qt, 1);
  int16_t cell[LB * LC], cell_t[LB * LC], scratch[4 * LB * LC];
  int8_t h8[LB * LC], h8t[LB * LC];
  int16_t h16[LB * LC], h16t[LB * LC];
  for (int i = 0; i < LB * LC; ++i) {
    cell[i] = cell_t[i] = 0;
    h8[i] = h8t[i] = (int8_t)qc->hid_zp;
    h16[i] = h16t[i] = (int16_t)qc->hid_zp;
  }
  if (qc->act16) {
    mote_lstm_s16_weights w, *wp = &w;
    for (int k = 0; k < 4; ++k) {
      w.w_in[k] = win[k];
      w.w_rec[k] = wrec[k];
      w.bias[k] = b64[k];
    }
    mote_lstm_s16_ref(&q, wp, x16, h16, cell, y16, scratch);
    mote_lstm_s16_ref(&qt, wp, x16t, h16t, cell_t, y16t, scratch);
  } else {
    mote_lstm_s8_weights w, *wp = &w;
    for (int k = 0; k < 4; ++k) {
      w.w_in[k] = win[k];
      w.w_rec[k] = wrec[k];
      w.bias[k] = b32[k];
    }
    mote_lstm_s8_ref(&q, wp, x8, h8, cell, y8, scratch);
    mote_lstm_s8_ref(&qt, wp, x8t, h8t, cell_t, y8t, scratch);
  }

  /* Float reference on the dequantized operands. */
  double hd[LB * LC], cd[LB * LC] = {0}, yd[LB * LT * LC];
  for (int i = 0; i < LB * LC; ++i) hd[i] = 0.0;
  int32_t qlo = qc->act16 ? INT16_MIN : INT8_MIN;
  int32_t qhi = qc->act16 ? INT16_MAX : INT8_MAX;
  lstm_reference(&rw, xd, hd, cd, yd, 1, qc->cell_clip, qc->hid_s, qc->hid_zp,
                 qlo, qhi, qc->cell_s);
  int64_t want[LB * LT * LC];
  for (int i = 0; i < n_y; ++i)
    want[i] = ref_quant(yd[i], qc->hid_s, qc->hid_zp, qlo, qhi);
  if (qc->act16)
    mh_expect_ints("lstm int16x8 vs float", y16, MOTE_INT16, want, n_y, 96);
  else
    mh_expect_ints("lstm int8 vs float", y8, MOTE_INT8, want, n_y, 2);

  /* Bit-exact: time-major run is the transposed batch-major run. */
  int64_t want_t[LB * LT * LC];
  if (qc->act16) {
    int16_t tr[LB * LT * LC];
    to_time_major(y16, tr, 2, LC);
    for (int i = 0; i < n_y; ++i) want_t[i] = tr[i];
    mh_expect_ints("time-major output", y16t, MOTE_INT16, want_t, n_y, 0);
  } else {
    int8_t tr[LB * LT * LC];
    to_time_major(y8, tr, 1, LC);
    for (int i = 0; i < n_y; ++i) want_t[i] = tr[i];
    mh_expect_ints("time-major output", y8t, MOTE_INT8, want_t, n_y, 0);
  }
  int same = memcmp(cell, cell_t, sizeof cell) == 0;
  same &= qc->act16 ? memcmp(h16, h16t, sizeof h16) == 0
                    : memcmp(h8, h8t, sizeof h8) == 0;
  CHECK(same, "final states differ between layouts");
  if (qc->cell_clip > 0) {
    int over = 0;
    for (int i = 0; i < LB * LC; ++i) over += abs(cell[i]) > q.cell_clip;
    CHECK(over == 0, "cell state exceeds the quantized clip");
  }
}

static void test_lstm_q(void) {
  const lstm_q_case cases[] = {
      {"lstm int8", 0, 0.02f, 0.008f, 1.0f / 128, 1.0f / 2048, 4, -3, 0},
      {"lstm int8 zp extremes", 0, 0.03f, 0.01f, 0.0078125f, 1.0f / 4096, -128,
       127, 0},
      {"lstm int8 cell clip", 0, 0.02f, 0.012f, 0.009f, 1.0f / 2048, 10, 0,
       0.4f},
      {"lstm int8 cell scale 2^-15", 0, 0.015f, 0.01f, 1.0f / 128, 1.0f / 32768,
       0, 2, 0},
      {"lstm int16x8", 1, 1.0f / 4096, 0.01f, 1.0f / 32768, 1.0f / 2048, 0, 0,
       0},
      {"lstm int16x8 cell clip", 1, 1.0f / 8192, 0.012f, 1.0f / 16384,
       1.0f / 4096, 0, 0, 0.5f},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i)
    run_lstm_q(&cases[i]);
}

/*
** Hand-derived int8 sequence: all weights 0, so every gate is its bias.
** FC multipliers are exactly 1.0 and biases are Q3.12 preactivations:
** input/forget/output bias 0 -> sigmoid(0) = 16384 (0.5); cell bias 32767
** -> tanh LUT saturates at 32767. Cell scale 2^-11, hidden 2^-7, zp 0.
**   c1 = 0.5 * 0      + 16384 * 32767 * 2^-19 = 1024 (0.5)
**   c2 = 0.5 * 1024   + 1024 = 1536,  c3 = 1792,  c4 = 1920
** tanh(c) reads LUT[6c / 256] - 32768 (no interpolation since 6c % 256 = 0):
**   LUT[24] = 47911, LUT[36] = 53581, LUT[42] = 55834, LUT[45] = 56823
**   -> 15143, 20813, 23066, 24055
** h = tanh * 16384 * 2^-23 rounded: 29.6 -> 30, 40.6 -> 41, 45.05 -> 45,
**   46.98 -> 47.
** With cell_clip 1200 (quantized): c2 = 512 + 1024 -> 1200, c3 = 600 + 1024
** -> 1200 ...: tanh input 7200 = LUT[28] + 32/256 of the next step.
*/
static void test_lstm_s8_hand(void) {
  mh_case = "lstm int8 hand-derived";
  int8_t zeros[LC * LC];
  memset(zeros, 0, sizeof zeros);
  int32_t b0[LC] = {0}, bc[LC];
  for (int j = 0; j < LC; ++j) bc[j] = 32767;
  mote_lstm_s8_weights w;
  for (int k = 0; k < 4; ++k) {
    w.w_in[k] = zeros;
    w.w_rec[k] = zeros;
    w.bias[k] = k == MOTE_LSTM_GATE_CELL ? bc : b0;
  }
  mote_lstm_q_params q;
  memset(&q, 0, sizeof q);
  q.d = (mote_lstm_dims){1, 4, 1, LC, 0, MOTE_LSTM_CELL_ACT_TANH};
  for (int k = 0; k < 4; ++k) {
    q.in_mult[k] = q.rec_mult[k] = 1 << 30;
    q.in_shift[k] = q.rec_shift[k] = 1;
  }
  q.fc_mult = q.ic_mult = q.hid_mult = 1 << 30;
  q.fc_shift = -14;  /* 2^-15 */
  q.ic_shift = -18;  /* 2^-30 / 2^-11 */
  q.hid_shift = -22; /* 2^-30 / 2^-7 */
  q.tanh_mult = 0;   /* 15 - 11 - 3 = 1: input * (3 << 1) */
  q.tanh_shift = 1;
  int8_t x[4] = {5, -7, 100, -128}, h[LC] = {0}, y[4 * LC];
  int16_t c[LC] = {0}, scratch[4 * LC];
  mote_lstm_s8_ref(&q, &w, x, h, c, y, scratch);
  const int8_t want_h[4] = {30, 41, 45, 47};
  int bad = 0;
  for (int t = 0; t < 4; ++t)
    for (int j = 0; j < LC; ++j) bad += y[t * LC + j] != want_h[t];
  CHECK(bad == 0, "hidden %d %d %d %d", y[0], y[LC], y[2 * LC], y[3 * LC]);
  CHECK(c[0] == 1920, "cell %d", c[0]);

  /* Clip at 1200: tanh input 7200 = 28 * 256 + 32:
   * LUT[28] = 49975, LUT[29] = 50464: (49975 * 256 + 32 * 489) >> 8 =
   * 50036 (+128 rounding, -2^23) -> 17268; h = 17268 * 2^-9 = 33.7 -> 34. */
  mh_case = "lstm int8 hand-derived clip";
  q.use_cell_clip = 1;
  q.cell_clip = 1200;
  memset(c, 0, sizeof c);
  memset(h, 0, sizeof h);
  mote_lstm_s8_ref(&q, &w, x, h, c, y, scratch);
  CHECK(y[0] == 30 && y[LC] == 34 && y[3 * LC] == 34 && c[0] == 1200,
        "clipped hidden %d %d %d cell %d", y[0], y[LC], y[3 * LC], c[0]);
}

/* ---------------------------------------------------------- models */

static int var_tensor(tflw *w, int32_t type, const int32_t *shape,
                      uint32_t rank, float scale, int32_t zp) {
  tflw_tensor_desc d;
  memset(&d, 0, sizeof d);
  int64_t z = zp;
  d.type = type;
  d.shape = shape;
  d.rank = rank;
  d.name = "state";
  d.is_variable = 1;
  if (scale != 0.0f) {
    d.q.scale = &scale;
    d.q.nscale = 1;
    d.q.zero_point = &z;
    d.q.nzero = 1;
  }
  return tflw_tensor(w, &d);
}

/* SVDF float model: batch 1, input 3, units 2, rank 1, memory 3. */
typedef struct svdf_model_opts {
  int32_t in_type, wt_type, st_type;
  int rank;
  int state_variable;
  float bias_scale;
} svdf_model_opts;

static tflw *svdf_model(const svdf_model_opts *o, const float *wf,
                        const float *wt, const float *bias) {
  tflw *w = tflw_new();
  int32_t s_in[] = {1, 3}, s_wf[] = {2, 3}, s_wt[] = {2, 3}, s_b[] = {2},
          s_st[] = {1, 6}, s_out[] = {1, 2 / o->rank};
  int q = o->in_type != MOTE_FLOAT32;
  int in = mh_t(w, o->in_type, s_in, 2, q ? 0.02f : 0, 0);
  int8_t wf8[6] = {1, 2, 3, 4, 5, 6};
  int16_t wt16[6] = {1, 2, 3, 4, 5, 6};
  int32_t b32[2] = {0, 0};
  int twf = q ? mh_const(w, MOTE_INT8, s_wf, 2, 0.01f, 0, wf8, 6)
              : mh_const(w, MOTE_FLOAT32, s_wf, 2, 0, 0, wf, 24);
  int twt = q ? mh_const(w, o->wt_type, s_wt, 2, 0.001f, 0, wt16, 12)
              : mh_const(w, MOTE_FLOAT32, s_wt, 2, 0, 0, wt, 24);
  int tb = q ? mh_const(w, MOTE_INT32, s_b, 1, o->bias_scale, 0, b32, 8)
             : mh_const(w, MOTE_FLOAT32, s_b, 1, 0, 0, bias, 8);
  int st = o->state_variable
               ? var_tensor(w, o->st_type, s_st, 2, q ? 0.5f : 0, 0)
               : mh_t(w, o->st_type, s_st, 2, q ? 0.5f : 0, 0);
  int out = mh_t(w, q ? MOTE_INT8 : MOTE_FLOAT32, s_out, 2, q ? 0.1f : 0, 0);
  int32_t ins[] = {in, twf, twt, tb, st};
  tflw_opt opts[] = {TFLW_I32(0, o->rank), TFLW_I8(1, TFL_ACT_NONE)};
  tflw_op(w, TFL_OP_SVDF, 1, ins, 5, &out, 1, TFL_OPT_SVDF, opts, 2);
  tflw_io(w, &in, 1, &out, 1);
  return w;
}

static void test_svdf_model(void) {
  mh_case = "svdf model state across invokes";
  float wf[6], wt[6], bias[2];
  for (int i = 0; i < 6; ++i) wf[i] = (float)mh_randf(-1, 1);
  for (int i = 0; i < 6; ++i) wt[i] = (float)mh_randf(-1, 1);
  bias[0] = 0.25f;
  bias[1] = -0.5f;
  svdf_model_opts o = {MOTE_FLOAT32, MOTE_FLOAT32, MOTE_FLOAT32, 1, 1, 0};
  mh_run r;
  float xs[4][3] = {{1, 2, 3}, {-1, 0.5f, 2}, {0.25f, -2, 1}, {3, 1, -1}};
  const void *in0[] = {xs[0]};
  if (!mh_run_model(&r, svdf_model(&o, wf, wt, bias), in0)) return;
  /* Reference: feature history per filter. */
  double hist[2][3] = {{0}}, first[2] = {0};
  for (int call = 0; call < 4; ++call) {
    if (call > 0) {
      const void *in[] = {xs[call]};
      if (mh_invoke(&r, in) != MOTE_OK) {
        CHECK(0, "invoke %d failed", call);
        break;
      }
    }
    double want[2];
    for (int f = 0; f < 2; ++f) {
      double v = 0;
      for (int k = 0; k < 3; ++k) v += (double)wf[f * 3 + k] * xs[call][k];
      hist[f][0] = hist[f][1];
      hist[f][1] = hist[f][2];
      hist[f][2] = v;
      want[f] = bias[f];
      for (int m = 0; m < 3; ++m) want[f] += (double)wt[f * 3 + m] * hist[f][m];
    }
    if (call == 0) memcpy(first, want, sizeof want);
    mote_tensor t = mh_out(&r, 0);
    mh_expect_floats("svdf model output", (const float *)t.data, want, 2, 1e-5);
  }
  mh_case = "svdf model reset_state";
  CHECK(mote_model_reset_state(&r.m) == MOTE_OK, "reset_state");
  if (mh_invoke(&r, in0) == MOTE_OK)
    mh_expect_floats("svdf output after reset",
                     (const float *)mh_out(&r, 0).data, first, 2, 1e-5);
  mh_free(&r);

  mh_case = "svdf refusals";
  svdf_model_opts bad = o;
  bad.in_type = bad.wt_type = bad.st_type = MOTE_INT16;
  bad.bias_scale = 0.0005f;
  mh_expect_load_fail(svdf_model(&bad, wf, wt, bias), MOTE_E_UNSUPPORTED, NULL);
  bad = o;
  bad.state_variable = 0;
  mh_expect_load_fail(svdf_model(&bad, wf, wt, bias), MOTE_E_BAD_MODEL, NULL);
  bad = o;
  bad.rank = 4; /* 2 filters not a multiple of rank 4 */
  mh_expect_load_fail(svdf_model(&bad, wf, wt, bias), MOTE_E_BAD_SHAPE, NULL);
  /* int8: bias scale must be state scale * weights_time scale (0.0005). */
  svdf_model_opts q8 = {MOTE_INT8, MOTE_INT16, MOTE_INT16, 1, 1, 0.0005f};
  mh_run rq;
  int8_t xq[3] = {10, -20, 30};
  const void *inq[] = {xq};
  if (mh_run_model(&rq, svdf_model(&q8, wf, wt, bias), inq)) mh_free(&rq);
  bad = q8;
  bad.bias_scale = 0.001f;
  mh_expect_load_fail(svdf_model(&bad, wf, wt, bias), MOTE_E_BAD_QUANT, NULL);
  bad = q8;
  bad.st_type = MOTE_INT8; /* int16 weights_time with int8 state */
  mh_expect_load_fail(svdf_model(&bad, wf, wt, bias), MOTE_E_UNSUPPORTED, NULL);
}

/* LSTM model: batch 1, time 2, input 2, cell 3; optional variants. */
typedef struct lstm_model_opts {
  int32_t type;        /* MOTE_FLOAT32 or MOTE_INT8 (activations) */
  int32_t weight_type; /* MOTE_FLOAT32 / MOTE_INT8 */
  int cifg, peephole, projection, layer_norm;
  int ninputs; /* 24, or fewer to test the count check */
  float cell_clip;
  int32_t hid_zp;
} lstm_model_opts;

static tflw *lstm_model(const lstm_model_opts *o, const int8_t *w8,
                        const int32_t *b32) {
  tflw *w = tflw_new();
  int q = o->type != MOTE_FLOAT32;
  int qw = o->weight_type != MOTE_FLOAT32;
  int32_t s_in[] = {1, 2, 2}, s_wi[] = {3, 2}, s_wr[] = {3, 3}, s_b[] = {3},
          s_st[] = {1, 3}, s_out[] = {1, 2, 3};
  float wf[9] = {0};
  float bf[3] = {0};
  int32_t ins[24];
  for (int i = 0; i < 24; ++i) ins[i] = -1;
  ins[0] = mh_t(w, o->type, s_in, 3, q ? 0.05f : 0, 1);
  for (int g = 0; g < 4; ++g) {
    if (o->cifg && g == 0) continue;
    ins[1 + g] = qw ? mh_const(w, MOTE_INT8, s_wi, 2, 0.01f, 0, w8, 6)
                    : mh_const(w, MOTE_FLOAT32, s_wi, 2, 0, 0, wf, 24);
    ins[5 + g] = qw ? mh_const(w, MOTE_INT8, s_wr, 2, 0.01f, 0, w8, 9)
                    : mh_const(w, MOTE_FLOAT32, s_wr, 2, 0, 0, wf, 36);
    ins[12 + g] = q ? mh_const(w, MOTE_INT32, s_b, 1, 0.0005f, 0, b32, 12)
                    : mh_const(w, MOTE_FLOAT32, s_b, 1, 0, 0, bf, 12);
  }
  if (o->peephole)
    for (int g = 0; g < 3; ++g)
      ins[9 + g] = mh_const(w, o->weight_type, s_b, 1, qw ? 0.01f : 0, 0, w8,
                            qw ? 3 : 12);
  if (o->projection)
    ins[16] = mh_const(w, o->weight_type, s_wr, 2, qw ? 0.01f : 0, 0, w8,
                       qw ? 9 : 36);
  ins[18] = var_tensor(w, o->type, s_st, 2, q ? 1.0f / 128 : 0, o->hid_zp);
  ins[19] = var_tensor(w, q ? MOTE_INT16 : MOTE_FLOAT32, s_st, 2,
                       q ? 1.0f / 2048 : 0, 0);
  if (o->layer_norm)
    for (int g = 0; g < 4; ++g)
      ins[20 + g] = mh_const(w, MOTE_INT16, s_b, 1, 0.001f, 0, w8, 6);
  int out = mh_t(w, o->type, s_out, 3, q ? 1.0f / 128 : 0, o->hid_zp);
  tflw_opt opts[] = {TFLW_I8(0, TFL_ACT_TANH), TFLW_F32(1, o->cell_clip),
                     TFLW_F32(2, 0.0f), TFLW_BOOL(3, 0)};
  tflw_op(w, TFL_OP_UNIDIRECTIONAL_SEQUENCE_LSTM, 1, ins, (uint32_t)o->ninputs,
          &out, 1, TFL_OPT_UNIDIRECTIONAL_SEQUENCE_LSTM, opts, 4);
  tflw_io(w, &ins[0], 1, &out, 1);
  return w;
}

static void test_lstm_model(void) {
  int8_t w8[9];
  int32_t b32[3] = {300, -200, 100};
  for (int i = 0; i < 9; ++i) w8[i] = (int8_t)mh_randi(-100, 100);
  const lstm_model_opts base = {MOTE_INT8, MOTE_INT8, 0, 0, 0, 0, 24, 0, -20};

  /* int8 model vs the kernel with TFLM's state initialisation: int8 hidden
   * state = its zero point, cell state = 0. */
  mh_case = "lstm model int8 state init";
  int8_t x[4] = {50, -70, 127, -128};
  const void *in[] = {x};
  mh_run r;
  if (mh_run_model(&r, lstm_model(&base, w8, b32), in)) {
    mote_lstm_q_params q;
    const lstm_q_case qc = {"",          0, 0.05f, 0.01f, 1.0f / 128,
                            1.0f / 2048, 1, -20,   0};
    lstm_q_prepare(&qc, &q, 0);
    q.d = (mote_lstm_dims){1, 2, 2, 3, 0, MOTE_LSTM_CELL_ACT_TANH};
    mote_lstm_s8_weights w;
    for (int k = 0; k < 4; ++k) {
      w.w_in[k] = w8;
      w.w_rec[k] = w8;
      w.bias[k] = b32;
    }
    int8_t h[3] = {-20, -20, -20}, y[6];
    int16_t c[3] = {0}, scratch[12];
    mote_lstm_s8_ref(&q, &w, x, h, c, y, scratch);
    int64_t want[6];
    for (int i = 0; i < 6; ++i) want[i] = y[i];
    mote_tensor t = mh_out(&r, 0);
    mh_expect_ints("lstm model first invoke", t.data, MOTE_INT8, want, 6, 0);
    /* Second invoke continues from the kept states. */
    mote_lstm_s8_ref(&q, &w, x, h, c, y, scratch);
    for (int i = 0; i < 6; ++i) want[i] = y[i];
    if (mh_invoke(&r, in) == MOTE_OK)
      mh_expect_ints("lstm model second invoke", mh_out(&r, 0).data, MOTE_INT8,
                     want, 6, 0);
    /* After reset: the first output again. */
    int8_t h0[3] = {-20, -20, -20};
    int16_t c0[3] = {0};
    mote_lstm_s8_ref(&q, &w, x, h0, c0, y, scratch);
    for (int i = 0; i < 6; ++i) want[i] = y[i];
    CHECK(mote_model_reset_state(&r.m) == MOTE_OK, "reset_state");
    if (mh_invoke(&r, in) == MOTE_OK)
      mh_expect_ints("lstm model after reset", mh_out(&r, 0).data, MOTE_INT8,
                     want, 6, 0);
    mh_free(&r);
  }

  mh_case = "lstm refusals";
  mote_error err;
  lstm_model_opts o = base;
  o.cifg = 1;
  mh_expect_load_fail(lstm_model(&o, w8, b32), MOTE_E_UNSUPPORTED, &err);
  CHECK(err.what && strstr(err.what, "CIFG"), "CIFG named: %s",
        err.what ? err.what : "");
  o = base;
  o.peephole = 1;
  mh_expect_load_fail(lstm_model(&o, w8, b32), MOTE_E_UNSUPPORTED, &err);
  CHECK(err.what && strstr(err.what, "peephole"), "peephole named");
  o = base;
  o.projection = 1;
  mh_expect_load_fail(lstm_model(&o, w8, b32), MOTE_E_UNSUPPORTED, &err);
  CHECK(err.what && strstr(err.what, "projection"), "projection named");
  o = base;
  o.layer_norm = 1;
  mh_expect_load_fail(lstm_model(&o, w8, b32), MOTE_E_UNSUPPORTED, &err);
  CHECK(err.what && strstr(err.what, "layer-norm"), "layer norm named");
  o = base;
  o.type = MOTE_FLOAT32; /* float activations with int8 weights (hybrid) */
  mh_expect_load_fail(lstm_model(&o, w8, b32), MOTE_E_UNSUPPORTED, NULL);
  o = base;
  o.cell_clip = -1.0f;
  mh_expect_load_fail(lstm_model(&o, w8, b32), MOTE_E_BAD_OPTIONS, NULL);
  o = base;
  o.ninputs = 20;
  mh_expect_load_fail(lstm_model(&o, w8, b32), MOTE_E_BAD_MODEL, NULL);
  /* Float model loads and runs. */
  mh_case = "lstm model float";
  o = base;
  o.type = o.weight_type = MOTE_FLOAT32;
  float xf[4] = {0.5f, -1, 2, 0};
  const void *inf[] = {xf};
  if (mh_run_model(&r, lstm_model(&o, w8, b32), inf)) {
    /* zero weights and biases: every gate 0.5, cell gate 0 -> output 0 */
    const float *y = (const float *)mh_out(&r, 0).data;
    double want[6] = {0};
    mh_expect_floats("lstm float zero-weight output", y, want, 6, 1e-7);
    mh_free(&r);
  }
}

int main(void) {
  test_lut_activations();
  test_svdf_f32();
  test_svdf_q();
  test_lstm_f32();
  test_lstm_q();
  test_lstm_s8_hand();
  test_svdf_model();
  test_lstm_model();
  return mh_report();
}
