/*
** test_model_mean.c: MEAN over all axes through whole models.
**
** Reference (TFLite reduce.h semantics, re-implemented here):
**  float: sum / count.
**  int8/int16, input and output with the same scale and zero point: the
**    int32 sum of the raw values divided by the count, truncated toward
**    zero (no zero-point correction, no rounding).
**  otherwise: m, s = QuantizeMultiplier(s_in / s_out); with
**    k = min(floor(log2(count)), 32, 31 + s) the multiplier becomes
**    (m << k) / count and the shift s - k; output =
**    MultiplyByQuantizedMultiplier(sum - z_in * count) + z_out, clamped.
** Axes: every axis, given in any order, negative and duplicated.
*/
#include "model_harness.h"

typedef struct mean_case {
  const char *name;
  int32_t type;
  int rank;
  int32_t shape[4];
  int naxes;
  int32_t axes[6];
  int keep;
  float in_scale;
  int32_t in_zp;
  float out_scale;
  int32_t out_zp;
} mean_case;

static int floor_log2(uint64_t v) {
  int n = -1;
  while (v) {
    v >>= 1;
    n++;
  }
  return n;
}

static void run_mean(const mean_case *c) {
  mh_case = c->name;
  size_t n = 1;
  for (int i = 0; i < c->rank; i++) n *= (size_t)c->shape[i];
  int quant = c->type != MOTE_FLOAT32;
  int32_t qmin = c->type == MOTE_INT16 ? -32768 : -128;
  int32_t qmax = c->type == MOTE_INT16 ? 32767 : 127;
  void *x = malloc(n * 4);
  int64_t sum = 0;
  double sumf = 0;
  for (size_t i = 0; i < n; i++) {
    if (c->type == MOTE_FLOAT32) {
      ((float *)x)[i] = (float)mh_randf(-10, 9);
      sumf += ((float *)x)[i];
    } else {
      /* biased negative so the truncation direction matters */
      int32_t v = mh_randi(qmin, qmax / 2);
      if (c->type == MOTE_INT8)
        ((int8_t *)x)[i] = (int8_t)v;
      else
        ((int16_t *)x)[i] = (int16_t)v;
      sum += v;
    }
  }
  tflw *w = tflw_new();
  int32_t ones[4] = {1, 1, 1, 1};
  int ti = mh_t(w, c->type, c->shape, (uint32_t)c->rank,
                quant ? c->in_scale : 0, c->in_zp);
  int32_t na = c->naxes;
  int ta = mh_const(w, MOTE_INT32, &na, 1, 0, 0, c->axes, (size_t)c->naxes * 4);
  int to = mh_t(w, c->type, ones, c->keep ? (uint32_t)c->rank : 0,
                quant ? c->out_scale : 0, c->out_zp);
  tflw_op(w, TFL_OP_MEAN, quant ? 2 : 1, (int32_t[]){ti, ta}, 2, &to, 1,
          TFL_OPT_REDUCER, (tflw_opt[]){TFLW_BOOL(0, c->keep)}, 1);
  tflw_io(w, &ti, 1, &to, 1);

  int64_t want = 0;
  double wantf = sumf / (double)n;
  if (quant) {
    if (c->in_scale == c->out_scale && c->in_zp == c->out_zp) {
      want = sum / (int64_t)n; /* C division truncates toward zero */
    } else {
      int32_t m;
      int s;
      ref_qm((double)c->in_scale / (double)c->out_scale, &m, &s);
      int k = floor_log2((uint64_t)n);
      if (k > 32) k = 32;
      if (k > 31 + s) k = 31 + s;
      int32_t m2 = (int32_t)(((int64_t)m << k) / (int64_t)n);
      int32_t shifted = (int32_t)(sum - (int64_t)c->in_zp * (int64_t)n);
      want = ref_clamp((int64_t)ref_mbqm(shifted, m2, s - k) + c->out_zp, qmin,
                       qmax);
    }
  }
  const void *ins[] = {x};
  mh_run r;
  if (mh_run_model(&r, w, ins)) {
    mote_tensor t = mh_out(&r, 0);
    MH_CHECK(t.count == 1 && t.ndim == (c->keep ? (uint32_t)c->rank : 0u),
             "output shape (rank %u)", t.ndim);
    if (quant)
      mh_expect_ints("mean", t.data, c->type, &want, 1, 0);
    else
      mh_expect_floats("mean", t.data, &wantf, 1, 1e-6);
  }
  mh_free(&r);
  free(x);
}

/* clang-format off */
static const mean_case k_cases[] = {
  /* name, type, rank, shape, naxes, axes, keep, in_s, in_zp, out_s, out_zp */
  {"mean f32 all axes -> scalar", MOTE_FLOAT32, 3, {2, 3, 4}, 3, {0, 1, 2},
   0, 0, 0, 0, 0},
  {"mean f32 all axes, negative + duplicate, keep", MOTE_FLOAT32, 4,
   {2, 3, 1, 5}, 5, {-1, 0, 2, 1, 3}, 1, 0, 0, 0, 0},
  {"mean i8 all axes same quant (truncation)", MOTE_INT8, 3, {2, 3, 4}, 3,
   {2, 1, 0}, 0, 0.1f, -3, 0.1f, -3},
  {"mean i8 all axes same quant keep", MOTE_INT8, 4, {1, 3, 3, 5}, 4,
   {0, 1, 2, 3}, 1, 0.05f, 10, 0.05f, 10},
  {"mean i8 all axes requantized zp -128 -> 127", MOTE_INT8, 3, {2, 3, 4},
   3, {0, 1, 2}, 0, 0.1f, -128, 0.03f, 127},
  {"mean i8 all axes requantized, negative axes", MOTE_INT8, 4,
   {2, 2, 3, 5}, 4, {-4, -3, -2, -1}, 1, 0.02f, 5, 0.011f, -7},
  {"mean i16 all axes requantized keep", MOTE_INT16, 4, {2, 3, 2, 4}, 4,
   {3, 2, 1, 0}, 1, 0.001f, 0, 0.0007f, 0},
  {"mean i16 all axes same quant", MOTE_INT16, 2, {5, 7}, 2, {0, 1}, 0,
   0.001f, 0, 0.001f, 0},
};
/* clang-format on */

int main(void) {
  for (size_t i = 0; i < sizeof k_cases / sizeof k_cases[0]; i++)
    run_mean(&k_cases[i]);
  return mh_report();
}
