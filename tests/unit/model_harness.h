/*
** model_harness.h: shared helpers of the model-level unit tests
** (tests/unit/test_writer.c, tests/unit/test_model_*.c).
**
** A test builds a model with the .tflite writer, loads it with mote
** (mote_arena_required, then mote_model_init in a 16-byte aligned arena of
** exactly that size), writes the inputs through mote_model_input views,
** invokes and compares mote_model_output against a reference computed in
** the test. The fixed-point reference helpers below are written from the
** TFLite semantics, independent of src/kernels/mote_requant.h.
**
** Everything is static: each test program includes this header once.
*/
#ifndef MOTE_MODEL_HARNESS_H
#define MOTE_MODEL_HARNESS_H

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mote/mote.h"
#include "runtime/tflite_schema.h"
#include "tflite_writer.h"

/* ---- pass / fail bookkeeping ---- */

static int mh_passed, mh_failed;
static const char *mh_case = "";

#define MH_CHECK(cond, ...)                                     \
  do {                                                          \
    if (cond) {                                                 \
      mh_passed++;                                              \
    } else {                                                    \
      mh_failed++;                                              \
      printf("FAIL [%s] %s:%d: ", mh_case, __FILE__, __LINE__); \
      printf(__VA_ARGS__);                                      \
      printf("\n");                                             \
    }                                                           \
  } while (0)

/* Print the totals and return the process exit status. */
static inline int mh_report(void) {
  printf("%d passed, %d failed\n", mh_passed, mh_failed);
  return mh_failed ? 1 : 0;
}

/* ---- building ---- */

/* Finish the writer into bytes; aborts the test program on writer errors. */
static inline uint8_t *mh_finish(tflw *w, size_t *len) {
  uint8_t *fb = NULL;
  if (tflw_finish(w, &fb, len) != 0) {
    printf("FATAL [%s] writer: %s\n", mh_case, tflw_error(w));
    exit(2);
  }
  tflw_free(w);
  return fb;
}

/* Shorthand for a per-tensor quantized (or float, scale 0) tensor. */
static inline int mh_t(tflw *w, int32_t type, const int32_t *shape,
                       uint32_t rank, float scale, int32_t zp) {
  return tflw_tensor_q(w, type, shape, rank, "", scale, zp);
}

/* A constant tensor, per-tensor quantized (scale 0: none). */
static inline int mh_const(tflw *w, int32_t type, const int32_t *shape,
                           uint32_t rank, float scale, int32_t zp,
                           const void *data, size_t bytes) {
  tflw_tensor_desc d;
  memset(&d, 0, sizeof d);
  int64_t z = zp;
  d.type = type;
  d.shape = shape;
  d.rank = rank;
  d.name = "const";
  if (scale != 0.0f) {
    d.q.scale = &scale;
    d.q.nscale = 1;
    d.q.zero_point = &z;
    d.q.nzero = 1;
  }
  return tflw_const_tensor(w, &d, data, bytes);
}

/* A constant per-channel symmetric tensor (zero points 0). */
static inline int mh_const_pc(tflw *w, int32_t type, const int32_t *shape,
                              uint32_t rank, const float *scales, uint32_t nch,
                              int32_t qdim, const void *data, size_t bytes) {
  tflw_tensor_desc d;
  memset(&d, 0, sizeof d);
  int64_t *z = calloc(nch, sizeof *z);
  d.type = type;
  d.shape = shape;
  d.rank = rank;
  d.name = "weights";
  d.q.scale = scales;
  d.q.nscale = nch;
  d.q.zero_point = z;
  d.q.nzero = nch;
  d.q.quantized_dim = qdim;
  int r = tflw_const_tensor(w, &d, data, bytes);
  free(z);
  return r;
}

/* ---- running ---- */

typedef struct mh_run {
  mote_model m;
  uint8_t *fb;
  size_t fb_len;
  uint8_t *arena;
  size_t arena_len;
  mote_status st; /* status of the last step */
  mote_error err; /* error detail of the last failing step */
} mh_run;

/*
** Load bytes (ownership passes to r) with an arena of exactly the size
** mote_arena_required reports. Returns the status of the first failing
** step (measure or init).
*/
static inline mote_status mh_load(mh_run *r, uint8_t *fb, size_t len) {
  memset(r, 0, sizeof *r);
  r->fb = fb;
  r->fb_len = len;
  size_t need = 0;
  r->st = mote_arena_required(fb, len, NULL, &need, &r->err);
  if (r->st != MOTE_OK) return r->st;
  r->arena_len = need;
  r->arena =
      aligned_alloc(MOTE_ARENA_ALIGN, (need + MOTE_ARENA_ALIGN) &
                                          ~(size_t)(MOTE_ARENA_ALIGN - 1));
  r->st = mote_model_init(&r->m, fb, len, NULL, r->arena, need);
  if (r->st != MOTE_OK) r->err = r->m.err;
  return r->st;
}

/* Copy inputs[k] (input k's byte size) into the model, invoke. */
static inline mote_status mh_invoke(mh_run *r, const void *const *inputs) {
  uint32_t n = mote_model_input_count(&r->m);
  for (uint32_t k = 0; k < n; k++) {
    mote_tensor t;
    r->st = mote_model_input(&r->m, k, &t);
    if (r->st != MOTE_OK) return r->st;
    if (t.data && inputs[k]) memcpy(t.data, inputs[k], t.bytes);
  }
  r->st = mote_model_invoke(&r->m);
  if (r->st != MOTE_OK) r->err = r->m.err;
  return r->st;
}

/* Output k's view (data NULL if unavailable). */
static inline mote_tensor mh_out(const mh_run *r, uint32_t k) {
  mote_tensor t;
  if (mote_model_output(&r->m, k, &t) != MOTE_OK) memset(&t, 0, sizeof t);
  return t;
}

static inline void mh_free(mh_run *r) {
  free(r->arena);
  free(r->fb);
  memset(r, 0, sizeof *r);
}

/* Describe a failed load/invoke. */
static inline void mh_print_err(const mh_run *r) {
  char buf[256];
  mote_error_format(&r->err, buf, sizeof buf);
  printf("  mote: %s (%s)\n", mote_status_name(r->st), buf);
}

/*
** Build, load and run a model with one output: returns 1 and fills *out
** on success, else reports a failure and returns 0.
*/
static inline int mh_run_model(mh_run *r, tflw *w, const void *const *inputs) {
  size_t len;
  uint8_t *fb = mh_finish(w, &len);
  if (mh_load(r, fb, len) != MOTE_OK) {
    MH_CHECK(0, "model did not load: %s", mote_status_name(r->st));
    mh_print_err(r);
    return 0;
  }
  if (mh_invoke(r, inputs) != MOTE_OK) {
    MH_CHECK(0, "invoke failed: %s", mote_status_name(r->st));
    mh_print_err(r);
    return 0;
  }
  return 1;
}

/* Expect building+loading the model to fail with status `want`. */
static inline mote_status mh_expect_load_fail(tflw *w, mote_status want,
                                              mote_error *err_out) {
  size_t len;
  uint8_t *fb = mh_finish(w, &len);
  mh_run r;
  mote_status st = mh_load(&r, fb, len);
  MH_CHECK(st == want, "expected %s, got %s", mote_status_name(want),
           mote_status_name(st));
  if (st != want && st != MOTE_OK) mh_print_err(&r);
  if (err_out) {
    /* op_name of a custom op points into the model bytes freed below */
    static char name[128];
    *err_out = r.err;
    if (r.err.op_name) {
      snprintf(name, sizeof name, "%s", r.err.op_name);
      err_out->op_name = name;
    }
  }
  mh_free(&r);
  return st;
}

/* ---- comparisons ---- */

/* Compare int arrays exactly (elem 1, 2 or 4 bytes, signed). */
static inline int64_t mh_get(const void *p, size_t i, int32_t type) {
  switch (type) {
    case MOTE_INT8:
      return ((const int8_t *)p)[i];
    case MOTE_UINT8:
      return ((const uint8_t *)p)[i];
    case MOTE_INT16:
      return ((const int16_t *)p)[i];
    case MOTE_INT32:
      return ((const int32_t *)p)[i];
    case MOTE_INT64:
      return ((const int64_t *)p)[i];
    default:
      return 0;
  }
}

/*
** Compare `n` integers of `type` at `got` with `want` (int64 reference)
** allowing |diff| <= tol. Reports the first few mismatches.
*/
static inline void mh_expect_ints(const char *what, const void *got,
                                  int32_t type, const int64_t *want, size_t n,
                                  int64_t tol) {
  size_t bad = 0;
  for (size_t i = 0; i < n; i++) {
    int64_t g = mh_get(got, i, type);
    int64_t d = g - want[i];
    if (d > tol || d < -tol) {
      if (bad < 5)
        printf("  %s[%zu]: got %lld want %lld\n", what, i, (long long)g,
               (long long)want[i]);
      bad++;
    }
  }
  MH_CHECK(bad == 0, "%s: %zu of %zu elements differ (tol %lld)", what, bad, n,
           (long long)tol);
}

/* Compare floats with tolerance tol * max(1, max|want|). */
static inline void mh_expect_floats(const char *what, const float *got,
                                    const double *want, size_t n, double tol) {
  double mx = 1.0;
  for (size_t i = 0; i < n; i++)
    if (fabs(want[i]) > mx) mx = fabs(want[i]);
  size_t bad = 0;
  for (size_t i = 0; i < n; i++) {
    if (!(fabs((double)got[i] - want[i]) <= tol * mx)) {
      if (bad < 5)
        printf("  %s[%zu]: got %.9g want %.9g\n", what, i, (double)got[i],
               want[i]);
      bad++;
    }
  }
  MH_CHECK(bad == 0, "%s: %zu of %zu elements differ", what, bad, n);
}

/* ---- deterministic data ---- */

static uint32_t mh_rng = 12345u;
static inline uint32_t mh_rand(void) {
  mh_rng ^= mh_rng << 13;
  mh_rng ^= mh_rng >> 17;
  mh_rng ^= mh_rng << 5;
  return mh_rng;
}
/* Uniform integer in [lo, hi]. */
static inline int32_t mh_randi(int32_t lo, int32_t hi) {
  return lo + (int32_t)(mh_rand() % (uint32_t)(hi - lo + 1));
}
/* Uniform double in [lo, hi). */
static inline double mh_randf(double lo, double hi) {
  return lo + (hi - lo) * (double)(mh_rand() >> 8) / 16777216.0;
}

/* ---- independent TFLite fixed-point reference ---- */

/* QuantizeMultiplier: m in [2^30, 2^31), real = m * 2^(shift-31). */
static inline void ref_qm(double real, int32_t *mult, int *shift) {
  if (real == 0.0) {
    *mult = 0;
    *shift = 0;
    return;
  }
  int e;
  double q = frexp(real, &e); /* real = q * 2^e, q in [0.5, 1) */
  int64_t qf = (int64_t)llround(q * 2147483648.0);
  if (qf == (int64_t)1 << 31) {
    qf /= 2;
    e++;
  }
  if (e < -31) {
    e = 0;
    qf = 0;
  }
  *mult = (int32_t)qf;
  *shift = e;
}

/* SaturatingRoundingDoublingHighMul. */
static inline int32_t ref_srdhm(int32_t a, int32_t b) {
  if (a == INT32_MIN && b == INT32_MIN) return INT32_MAX;
  int64_t ab = (int64_t)a * (int64_t)b;
  int64_t nudge = ab >= 0 ? (1 << 30) : (1 - (1 << 30));
  int64_t r = (ab + nudge) / ((int64_t)1 << 31);
  return (int32_t)r;
}

/* RoundingDivideByPOT: round half away from zero. */
static inline int32_t ref_rdbpot(int32_t x, int exponent) {
  if (exponent == 0) return x;
  int32_t mask = (int32_t)(((int64_t)1 << exponent) - 1);
  int32_t rem = x & mask;
  int32_t thr = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (rem > thr ? 1 : 0);
}

/* MultiplyByQuantizedMultiplier (double rounding, TFLM default build). */
static inline int32_t ref_mbqm(int32_t x, int32_t mult, int shift) {
  int left = shift > 0 ? shift : 0;
  int right = shift > 0 ? 0 : -shift;
  /* x * 2^left wraps like the C++ int multiply does on real targets */
  int32_t xl = (int32_t)(uint32_t)((uint64_t)(int64_t)x << left);
  return ref_rdbpot(ref_srdhm(xl, mult), right);
}

/* MultiplyByQuantizedMultiplier with an int64 input (16x8 conv / fc):
 * multiplier reduced to 16 bits, one rounding shift by 15 - shift. */
static inline int32_t ref_mbqm64(int64_t x, int32_t mult, int shift) {
  int64_t m = mult < 0x7FFF0000 ? ((int64_t)mult + (1 << 15)) >> 16 : 0x7FFF;
  int total = 15 - shift;
  int64_t r = x * m + ((int64_t)1 << (total - 1));
  return (int32_t)(r >> total);
}

static inline int64_t ref_clamp(int64_t v, int64_t lo, int64_t hi) {
  return v < lo ? lo : (v > hi ? hi : v);
}

/* Quantize a real value the way TFLite's tools do (round half away). */
static inline int64_t ref_quant(double v, double scale, int32_t zp, int64_t lo,
                                int64_t hi) {
  return ref_clamp((int64_t)llround(v / scale) + zp, lo, hi);
}

/* TFLite output size and leading padding (ComputeOutSize and
 * ComputePaddingWithOffset). padding: TFL_PAD_SAME or TFL_PAD_VALID. */
static inline int ref_out_size(int padding, int in, int k, int stride, int dil,
                               int *pad) {
  int eff = (k - 1) * dil + 1;
  int out = padding == TFL_PAD_SAME ? (in + stride - 1) / stride
                                    : (in + stride - eff) / stride;
  int total = (out - 1) * stride + eff - in;
  *pad = total > 0 ? total / 2 : 0;
  return out;
}

/* Fused activation range of a quantized output (TFLite rules: bounds are
 * zero_point + round(f / scale) computed in float). */
static inline void ref_act_range_q(int act, float scale, int32_t zp,
                                   int32_t qmin, int32_t qmax, int32_t *lo,
                                   int32_t *hi) {
  *lo = qmin;
  *hi = qmax;
  if (act == TFL_ACT_NONE || !(scale > 0.0f)) return;
  int32_t q0 = zp + (int32_t)roundf(0.0f / scale);
  int32_t q6 = zp + (int32_t)fminf(roundf(6.0f / scale), 1073741824.0f);
  int32_t qm1 = zp + (int32_t)fmaxf(roundf(-1.0f / scale), -1073741824.0f);
  int32_t q1 = zp + (int32_t)fminf(roundf(1.0f / scale), 1073741824.0f);
  if (act == TFL_ACT_RELU) {
    *lo = q0 > qmin ? q0 : qmin;
  } else if (act == TFL_ACT_RELU6) {
    *lo = q0 > qmin ? q0 : qmin;
    *hi = q6 < qmax ? q6 : qmax;
  } else if (act == TFL_ACT_RELU_N1_TO_1) {
    *lo = qm1 > qmin ? qm1 : qmin;
    *hi = q1 < qmax ? q1 : qmax;
  }
}

/* Fused activation of a float value. */
static inline double ref_act_f(int act, double v) {
  if (act == TFL_ACT_RELU || act == TFL_ACT_RELU6) v = v < 0 ? 0 : v;
  if (act == TFL_ACT_RELU6) v = v > 6 ? 6 : v;
  if (act == TFL_ACT_RELU_N1_TO_1) v = v < -1 ? -1 : (v > 1 ? 1 : v);
  return v;
}

#endif
