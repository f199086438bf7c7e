/*
** test_model_binary.c: ADD, SUB and MUL through whole models.
**
** Reference (TFLite quantized arithmetic, re-implemented here):
**  ADD/SUB int8 (int16): inputs minus zero points, shifted left by 20 (15),
**    each rescaled by QuantizeMultiplier(s_i / (2 max(s1, s2))), summed
**    (subtracted), rescaled by 2 max(s1, s2) / (2^shift * s_out), plus the
**    output zero point, clamped to the activation range.
**  MUL int8/int16: (x1 - z1) * (x2 - z2) rescaled by s1 s2 / s_out.
**  float: the plain operation and the activation clamp.
** Broadcasting follows numpy (shapes aligned on the right, size-1 dims
** repeat), here up to rank 5 with the ranks of the two inputs differing.
*/
#include "model_harness.h"

typedef struct bin_case {
  const char *name;
  int op; /* TFL_OP_ADD / SUB / MUL */
  int32_t type;
  int r1;
  int32_t s1[6];
  int r2;
  int32_t s2[6];
  int act;
  float sc1;
  int32_t zp1;
  float sc2;
  int32_t zp2;
  float sco;
  int32_t zpo;
  int extremes; /* inputs mostly at the type limits */
} bin_case;

static size_t count_of(const int32_t *s, int r) {
  size_t n = 1;
  for (int i = 0; i < r; i++) n *= (size_t)s[i];
  return n;
}

/* Element index into an input of rank r broadcast to output rank ro. */
static size_t bcast_index(const int32_t *coord, int ro, const int32_t *s,
                          int r) {
  size_t idx = 0;
  for (int d = 0; d < r; d++) {
    int od = ro - r + d;
    idx = idx * (size_t)s[d] + (size_t)(s[d] == 1 ? 0 : coord[od]);
  }
  return idx;
}

static int64_t ref_addsub_q(const bin_case *c, int32_t x1, int32_t x2) {
  int left = c->type == MOTE_INT16 ? 15 : 20;
  double twice_max = 2.0 * (double)(c->sc1 > c->sc2 ? c->sc1 : c->sc2);
  int32_t m1, m2, mo;
  int sh1, sh2, sho;
  ref_qm((double)c->sc1 / twice_max, &m1, &sh1);
  ref_qm((double)c->sc2 / twice_max, &m2, &sh2);
  ref_qm(twice_max / ((double)(1 << left) * (double)c->sco), &mo, &sho);
  int32_t a = ref_mbqm((x1 - c->zp1) * (1 << left), m1, sh1);
  int32_t b = ref_mbqm((x2 - c->zp2) * (1 << left), m2, sh2);
  int32_t raw = c->op == TFL_OP_SUB ? a - b : a + b;
  return (int64_t)ref_mbqm(raw, mo, sho) + c->zpo;
}

static int64_t ref_mul_q(const bin_case *c, int32_t x1, int32_t x2) {
  int32_t m;
  int sh;
  ref_qm((double)c->sc1 * (double)c->sc2 / (double)c->sco, &m, &sh);
  return (int64_t)ref_mbqm((x1 - c->zp1) * (x2 - c->zp2), m, sh) + c->zpo;
}

static void run_bin(const bin_case *c) {
  mh_case = c->name;
  int ro = c->r1 > c->r2 ? c->r1 : c->r2;
  int32_t so[6];
  for (int d = 0; d < ro; d++) {
    int d1 = d - (ro - c->r1), d2 = d - (ro - c->r2);
    int32_t e1 = d1 >= 0 ? c->s1[d1] : 1, e2 = d2 >= 0 ? c->s2[d2] : 1;
    so[d] = e1 > e2 ? e1 : e2;
  }
  size_t n1 = count_of(c->s1, c->r1), n2 = count_of(c->s2, c->r2);
  size_t no = count_of(so, ro);
  int quant = c->type != MOTE_FLOAT32;
  int32_t qmin = c->type == MOTE_INT16 ? -32768 : -128;
  int32_t qmax = c->type == MOTE_INT16 ? 32767 : 127;
  void *a = malloc(n1 * 4), *b = malloc(n2 * 4);
  for (int k = 0; k < 2; k++) {
    void *p = k ? b : a;
    size_t n = k ? n2 : n1;
    for (size_t i = 0; i < n; i++) {
      int32_t v = mh_randi(qmin, qmax);
      if (c->extremes && mh_randi(0, 2)) v = mh_randi(0, 1) ? qmax : qmin;
      if (c->type == MOTE_INT8)
        ((int8_t *)p)[i] = (int8_t)v;
      else if (c->type == MOTE_INT16)
        ((int16_t *)p)[i] = (int16_t)v;
      else
        ((float *)p)[i] = (float)mh_randf(-5, 5);
    }
  }
  tflw *w = tflw_new();
  int t1 = mh_t(w, c->type, c->s1, (uint32_t)c->r1, quant ? c->sc1 : 0, c->zp1);
  int t2 = mh_t(w, c->type, c->s2, (uint32_t)c->r2, quant ? c->sc2 : 0, c->zp2);
  int to = mh_t(w, c->type, so, (uint32_t)ro, quant ? c->sco : 0, c->zpo);
  uint8_t opt = c->op == TFL_OP_ADD   ? TFL_OPT_ADD
                : c->op == TFL_OP_SUB ? TFL_OPT_SUB
                                      : TFL_OPT_MUL;
  tflw_op(w, c->op, c->type == MOTE_INT16 ? 3 : 2, (int32_t[]){t1, t2}, 2, &to,
          1, opt, (tflw_opt[]){TFLW_I8(0, c->act)}, 1);
  tflw_io(w, (int32_t[]){t1, t2}, 2, &to, 1);

  int64_t *want_q = malloc(no * 8);
  double *want_f = malloc(no * 8);
  int32_t lo, hi;
  ref_act_range_q(c->act, c->sco, c->zpo, qmin, qmax, &lo, &hi);
  size_t sat = 0;
  int32_t coord[6] = {0};
  for (size_t i = 0; i < no; i++) {
    size_t rem = i;
    for (int d = ro - 1; d >= 0; d--) {
      coord[d] = (int32_t)(rem % (size_t)so[d]);
      rem /= (size_t)so[d];
    }
    size_t i1 = bcast_index(coord, ro, c->s1, c->r1);
    size_t i2 = bcast_index(coord, ro, c->s2, c->r2);
    if (!quant) {
      double x = ((float *)a)[i1], y = ((float *)b)[i2];
      double v = c->op == TFL_OP_ADD   ? x + y
                 : c->op == TFL_OP_SUB ? x - y
                                       : x * y;
      want_f[i] = ref_act_f(c->act, v);
      continue;
    }
    int32_t x = (int32_t)mh_get(a, i1, c->type);
    int32_t y = (int32_t)mh_get(b, i2, c->type);
    int64_t v =
        c->op == TFL_OP_MUL ? ref_mul_q(c, x, y) : ref_addsub_q(c, x, y);
    want_q[i] = ref_clamp(v, lo, hi);
    sat += want_q[i] == qmin || want_q[i] == qmax;
  }
  if (quant) MH_CHECK(sat < no, "reference all saturated");
  if (getenv("MH_VERBOSE"))
    printf("  %s: %zu outputs, %zu at the type limits\n", c->name, no, sat);
  const void *ins[] = {a, b};
  mh_run r;
  if (mh_run_model(&r, w, ins)) {
    mote_tensor t = mh_out(&r, 0);
    MH_CHECK(t.count == no && t.ndim == (uint32_t)ro, "output shape");
    if (quant)
      mh_expect_ints("out", t.data, c->type, want_q, no, 0);
    else
      mh_expect_floats("out", t.data, want_f, no, 1e-6);
  }
  mh_free(&r);
  free(a);
  free(b);
  free(want_q);
  free(want_f);
}

/* clang-format off */
static const bin_case k_cases[] = {
  /* name, op, type, r1, s1, r2, s2, act, sc1, zp1, sc2, zp2, sco, zpo, ext */
  {"add i8 rank 5 broadcast both ways", TFL_OP_ADD, MOTE_INT8,
   5, {2, 1, 3, 1, 4}, 5, {1, 3, 1, 2, 1}, TFL_ACT_NONE,
   0.05f, -128, 0.02f, 127, 0.04f, 3, 0},
  {"add i8 rank 5 + rank 3 relu", TFL_OP_ADD, MOTE_INT8,
   5, {2, 3, 1, 2, 1}, 3, {3, 1, 4}, TFL_ACT_RELU,
   0.1f, 10, 0.03f, -5, 0.05f, -128, 0},
  {"add i8 rank 5 scalar-like rhs saturating", TFL_OP_ADD, MOTE_INT8,
   5, {1, 2, 2, 2, 3}, 1, {1}, TFL_ACT_NONE,
   0.1f, 0, 0.1f, 0, 0.05f, 0, 1},
  {"add i16 rank 5 broadcast relu6", TFL_OP_ADD, MOTE_INT16,
   5, {2, 1, 3, 1, 2}, 4, {2, 1, 3, 1}, TFL_ACT_RELU6,
   0.0004f, 0, 0.0002f, 0, 0.0003f, 0, 0},
  {"add f32 rank 5 broadcast relu6", TFL_OP_ADD, MOTE_FLOAT32,
   5, {2, 1, 3, 1, 4}, 5, {1, 3, 1, 2, 1}, TFL_ACT_RELU6,
   0, 0, 0, 0, 0, 0, 0},
  {"sub i8 rank 5 broadcast", TFL_OP_SUB, MOTE_INT8,
   5, {1, 2, 1, 3, 2}, 5, {2, 1, 2, 3, 1}, TFL_ACT_NONE,
   0.02f, 5, 0.07f, -9, 0.06f, 1, 0},
  {"sub f32 rank 5 broadcast", TFL_OP_SUB, MOTE_FLOAT32,
   5, {1, 2, 1, 3, 2}, 2, {3, 1}, TFL_ACT_NONE,
   0, 0, 0, 0, 0, 0, 0},
  {"mul i16 saturating", TFL_OP_MUL, MOTE_INT16,
   2, {4, 16}, 2, {4, 16}, TFL_ACT_NONE,
   1.0f / 128, 0, 1.0f / 128, 0, 1.0f, 0, 1},
  {"mul i16 saturating broadcast relu", TFL_OP_MUL, MOTE_INT16,
   4, {2, 3, 1, 5}, 3, {3, 4, 1}, TFL_ACT_RELU,
   1.0f / 128, 0, 1.0f / 128, 0, 1.0f, 0, 0},
  {"mul i8 rank 5 broadcast zp extremes", TFL_OP_MUL, MOTE_INT8,
   5, {2, 1, 3, 1, 4}, 5, {1, 3, 1, 2, 1}, TFL_ACT_NONE,
   0.02f, -128, 0.03f, 127, 0.5f, 0, 0},
  {"mul f32 rank 5 broadcast relu_n1_to_1", TFL_OP_MUL, MOTE_FLOAT32,
   5, {2, 1, 3, 1, 4}, 5, {1, 3, 1, 2, 1}, TFL_ACT_RELU_N1_TO_1,
   0, 0, 0, 0, 0, 0, 0},
};
/* clang-format on */

static void test_errors(void) {
  int32_t s23[] = {2, 3}, s24[] = {2, 4}, s2x3[] = {2, 3};
  /* incompatible broadcast */
  mh_case = "add incompatible shapes";
  tflw *w = tflw_new();
  int a = mh_t(w, MOTE_FLOAT32, s23, 2, 0, 0);
  int b = mh_t(w, MOTE_FLOAT32, s24, 2, 0, 0);
  int o = mh_t(w, MOTE_FLOAT32, s24, 2, 0, 0);
  tflw_op(w, TFL_OP_ADD, 1, (int32_t[]){a, b}, 2, &o, 1, TFL_OPT_ADD, NULL, 0);
  tflw_io(w, (int32_t[]){a, b}, 2, &o, 1);
  mh_expect_load_fail(w, MOTE_E_BAD_SHAPE, NULL);

  /* output shape disagrees with the broadcast shape */
  mh_case = "add output shape";
  w = tflw_new();
  a = mh_t(w, MOTE_INT8, s23, 2, 0.1f, 0);
  b = mh_t(w, MOTE_INT8, s23, 2, 0.1f, 0);
  o = mh_t(w, MOTE_INT8, (int32_t[]){3, 2}, 2, 0.1f, 0);
  tflw_op(w, TFL_OP_ADD, 1, (int32_t[]){a, b}, 2, &o, 1, TFL_OPT_ADD, NULL, 0);
  tflw_io(w, (int32_t[]){a, b}, 2, &o, 1);
  mote_error err;
  mh_expect_load_fail(w, MOTE_E_BAD_SHAPE, &err);
  MH_CHECK(err.op_index == 0 && err.tensor_index == o,
           "error names op 0 / tensor %d (got %d / %d)", o, err.op_index,
           err.tensor_index);

  /* mixed input types */
  mh_case = "add int8 + int16";
  w = tflw_new();
  a = mh_t(w, MOTE_INT8, s2x3, 2, 0.1f, 0);
  b = mh_t(w, MOTE_INT16, s2x3, 2, 0.1f, 0);
  o = mh_t(w, MOTE_INT8, s2x3, 2, 0.1f, 0);
  tflw_op(w, TFL_OP_ADD, 1, (int32_t[]){a, b}, 2, &o, 1, TFL_OPT_ADD, NULL, 0);
  tflw_io(w, (int32_t[]){a, b}, 2, &o, 1);
  size_t len;
  uint8_t *fb = mh_finish(w, &len);
  mh_run r;
  mote_status st = mh_load(&r, fb, len);
  MH_CHECK(st == MOTE_E_BAD_TYPE || st == MOTE_E_UNSUPPORTED,
           "expected BAD_TYPE/UNSUPPORTED, got %s", mote_status_name(st));
  mh_free(&r);

  /* a type ADD does not support at all */
  mh_case = "add uint8";
  w = tflw_new();
  a = mh_t(w, MOTE_UINT8, s2x3, 2, 0.1f, 128);
  b = mh_t(w, MOTE_UINT8, s2x3, 2, 0.1f, 128);
  o = mh_t(w, MOTE_UINT8, s2x3, 2, 0.1f, 128);
  tflw_op(w, TFL_OP_ADD, 1, (int32_t[]){a, b}, 2, &o, 1, TFL_OPT_ADD, NULL, 0);
  tflw_io(w, (int32_t[]){a, b}, 2, &o, 1);
  fb = mh_finish(w, &len);
  st = mh_load(&r, fb, len);
  MH_CHECK(st == MOTE_E_UNSUPPORTED || st == MOTE_E_BAD_TYPE,
           "expected UNSUPPORTED/BAD_TYPE, got %s", mote_status_name(st));
  mh_free(&r);

  /* wrong options table type */
  mh_case = "add with MulOptions tag";
  w = tflw_new();
  a = mh_t(w, MOTE_FLOAT32, s23, 2, 0, 0);
  b = mh_t(w, MOTE_FLOAT32, s23, 2, 0, 0);
  o = mh_t(w, MOTE_FLOAT32, s23, 2, 0, 0);
  tflw_op(w, TFL_OP_ADD, 1, (int32_t[]){a, b}, 2, &o, 1, TFL_OPT_CONV2D,
          (tflw_opt[]){TFLW_I8(0, 0)}, 1);
  tflw_io(w, (int32_t[]){a, b}, 2, &o, 1);
  mh_expect_load_fail(w, MOTE_E_BAD_OPTIONS, NULL);

  /* absent options table: defaults (no activation) */
  mh_case = "add without options";
  w = tflw_new();
  a = mh_t(w, MOTE_FLOAT32, s23, 2, 0, 0);
  b = mh_t(w, MOTE_FLOAT32, s23, 2, 0, 0);
  o = mh_t(w, MOTE_FLOAT32, s23, 2, 0, 0);
  tflw_op(w, TFL_OP_ADD, 1, (int32_t[]){a, b}, 2, &o, 1, 0, NULL, 0);
  tflw_io(w, (int32_t[]){a, b}, 2, &o, 1);
  float x[6] = {1, -2, 3, -4, 5, -6}, y[6] = {-10, 1, 1, 1, 1, 1};
  double want[6];
  for (int i = 0; i < 6; i++) want[i] = (double)x[i] + y[i];
  const void *ins[] = {x, y};
  if (mh_run_model(&r, w, ins)) {
    mote_tensor t = mh_out(&r, 0);
    mh_expect_floats("out", t.data, want, 6, 0);
  }
  mh_free(&r);
}

int main(void) {
  for (size_t i = 0; i < sizeof k_cases / sizeof k_cases[0]; i++)
    run_bin(&k_cases[i]);
  test_errors();
  return mh_report();
}
