/*
** qz_math.c: histograms, range choice and the quantization formulas of
** the TFLite quantization spec (see qz_math.h).
*/
#include "qz_math.h"

#include <math.h>
#include <string.h>

void qz_hist_init(qz_hist *h, double lo, double hi) {
  memset(h, 0, sizeof *h);
  h->lo = lo;
  h->hi = hi > lo ? hi : lo;
}

void qz_hist_add(qz_hist *h, const float *x, size_t n) {
  double w = (h->hi - h->lo) / QZ_HIST_BINS;
  for (size_t i = 0; i < n; i++) {
    double v = x[i];
    if (v != v) continue; /* NaN */
    if (v == 0.0) h->zeros += 1.0;
    long b = w > 0 ? (long)floor((v - h->lo) / w) : 0;
    if (b < 0) b = 0;
    if (b >= QZ_HIST_BINS) b = QZ_HIST_BINS - 1;
    h->count[b] += 1.0;
    h->total += 1.0;
  }
}

double qz_hist_mse(const qz_hist *h, double a, double b, double levels) {
  double w = (h->hi - h->lo) / QZ_HIST_BINS;
  double step = (b - a) / levels;
  double inside = step * step / 12.0, err = 0.0;
  for (int i = 0; i < QZ_HIST_BINS; i++) {
    double c = h->count[i];
    if (c == 0.0) continue;
    double x = h->lo + (i + 0.5) * w;
    if (x < a)
      err += c * ((a - x) * (a - x) + inside);
    else if (x > b)
      err += c * ((x - b) * (x - b) + inside);
    else
      err += c * inside;
  }
  err -= h->zeros * inside; /* zero is exact (a <= 0 <= b) */
  return h->total > 0 ? err / h->total : 0.0;
}

/* Value below which a fraction q of the histogram's mass lies. */
static double hist_quantile(const qz_hist *h, double q) {
  double w = (h->hi - h->lo) / QZ_HIST_BINS, want = q * h->total, acc = 0;
  for (int i = 0; i < QZ_HIST_BINS; i++) {
    double c = h->count[i];
    if (acc + c >= want && c > 0) {
      double f = (want - acc) / c;
      return h->lo + (i + f) * w;
    }
    acc += c;
  }
  return h->hi;
}

/* Candidate grid of the MSE search: fractions k / QZ_GRID of the range. */
#define QZ_GRID 200

static void mse_asym(const qz_hist *h, double levels, double a0, double b0,
                     double *lo, double *hi) {
  double a = a0, b = b0;
  for (int round = 0; round < 3; round++) {
    double best = qz_hist_mse(h, a, b, levels), cand = b;
    for (int k = 1; k <= QZ_GRID && b0 > 0; k++) {
      double t = b0 * k / QZ_GRID;
      if (t <= a) continue;
      double e = qz_hist_mse(h, a, t, levels);
      if (e < best) best = e, cand = t;
    }
    b = cand;
    cand = a;
    for (int k = 1; k <= QZ_GRID && a0 < 0; k++) {
      double t = a0 * k / QZ_GRID;
      if (t >= b) continue;
      double e = qz_hist_mse(h, t, b, levels);
      if (e < best) best = e, cand = t;
    }
    a = cand;
  }
  *lo = a;
  *hi = b;
}

void qz_choose_range(qz_method method, double pct, int symmetric, double levels,
                     double mn, double mx, const qz_hist *h, double *lo,
                     double *hi) {
  double a = mn < 0 ? mn : 0, b = mx > 0 ? mx : 0;
  if (h && h->total > 0 && method == QZ_PERCENTILE) {
    double q = pct / 100.0;
    if (q > 1) q = 1;
    if (q < 0.5) q = 0.5;
    double qa = hist_quantile(h, 1 - q), qb = hist_quantile(h, q);
    if (qa > a) a = qa < 0 ? qa : 0;
    if (qb < b) b = qb > 0 ? qb : 0;
  } else if (h && h->total > 0 && method == QZ_MSE) {
    if (symmetric) {
      double m = fabs(a) > b ? fabs(a) : b, best = -1, t_best = m;
      for (int k = 1; k <= QZ_GRID && m > 0; k++) {
        double t = m * k / QZ_GRID;
        double e = qz_hist_mse(h, -t, t, levels);
        if (best < 0 || e < best) best = e, t_best = t;
      }
      a = -t_best;
      b = t_best;
    } else {
      mse_asym(h, levels, a, b, &a, &b);
    }
  }
  if (symmetric) {
    double m = fabs(a) > b ? fabs(a) : b;
    a = -m;
    b = m;
  }
  *lo = a;
  *hi = b;
}

void qz_asym_params(double lo, double hi, int32_t qmin, int32_t qmax,
                    float *scale, int32_t *zp) {
  if (lo > 0) lo = 0;
  if (hi < 0) hi = 0;
  if (hi - lo < 1e-6) hi = lo + 1e-6;
  double s = (hi - lo) / (double)(qmax - qmin);
  double z = (double)qmin - lo / s;
  long zr = lround(z);
  if (zr < qmin) zr = qmin;
  if (zr > qmax) zr = qmax;
  *scale = (float)s;
  *zp = (int32_t)zr;
}

float qz_sym_scale(double lo, double hi, int32_t qmax) {
  double m = fabs(lo) > fabs(hi) ? fabs(lo) : fabs(hi);
  if (m < 1e-6) m = 1e-6;
  return (float)(m / qmax);
}

int32_t qz_quantize(float x, float scale, int32_t zp, int32_t qmin,
                    int32_t qmax) {
  double v = round((double)x / (double)scale) + zp;
  if (!(v >= qmin)) return qmin; /* NaN too */
  if (v > qmax) return qmax;
  return (int32_t)v;
}

uint32_t qz_weights(const float *w, const int32_t *shape, uint32_t rank,
                    int axis, int8_t *q, float *scales) {
  size_t count = 1;
  for (uint32_t i = 0; i < rank; i++) count *= (size_t)shape[i];
  uint32_t nch = 1;
  size_t inner = count; /* elements after the axis */
  if (axis >= 0 && (uint32_t)axis < rank) {
    nch = (uint32_t)shape[axis];
    inner = 1;
    for (uint32_t i = (uint32_t)axis + 1; i < rank; i++)
      inner *= (size_t)shape[i];
  }
  for (uint32_t c = 0; c < nch; c++) scales[c] = 0.0f;
  for (size_t i = 0; i < count; i++) {
    uint32_t c = nch > 1 ? (uint32_t)((i / inner) % nch) : 0;
    float a = fabsf(w[i]);
    if (a > scales[c]) scales[c] = a;
  }
  for (uint32_t c = 0; c < nch; c++)
    scales[c] = scales[c] > 0.0f ? scales[c] / 127.0f : 1.0f;
  for (size_t i = 0; i < count; i++) {
    uint32_t c = nch > 1 ? (uint32_t)((i / inner) % nch) : 0;
    q[i] = (int8_t)qz_quantize(w[i], scales[c], 0, -127, 127);
  }
  return nch;
}

void qz_bias(const float *b, size_t n, float in_scale, const float *w_scales,
             uint32_t nw, int wide, void *out, float *bias_scales) {
  for (size_t i = 0; i < n; i++) {
    float s = in_scale * w_scales[nw > 1 ? i : 0];
    if (nw > 1 || i == 0) bias_scales[nw > 1 ? i : 0] = s;
    double v = round((double)b[i] / (double)s);
    if (wide) {
      if (!(v > -9.2e18)) v = -9.2e18;
      if (v > 9.2e18) v = 9.2e18;
      ((int64_t *)out)[i] = (int64_t)v;
    } else {
      if (!(v >= INT32_MIN)) v = INT32_MIN;
      if (v > INT32_MAX) v = INT32_MAX;
      ((int32_t *)out)[i] = (int32_t)v;
    }
  }
}

double qz_sqnr_db(double sig_pow, double err_pow) {
  if (err_pow <= 0) return 200.0;
  if (sig_pow <= 0) return -200.0;
  return 10.0 * log10(sig_pow / err_pow);
}
