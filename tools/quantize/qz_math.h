/*
** qz_math.h: the arithmetic of post-training quantization (TFLite
** quantization spec): value histograms and range choice (min/max,
** percentile, MSE-optimal clipping), asymmetric int8 / symmetric int16
** activation parameters, symmetric per-channel / per-tensor int8 weights
** and int32 / int64 biases. No model knowledge here.
*/
#ifndef MOTE_QZ_MATH_H
#define MOTE_QZ_MATH_H

#include <stddef.h>
#include <stdint.h>

/* How an activation range is chosen from the observed values. */
typedef enum qz_method {
  QZ_MINMAX = 0,     /* observed min and max */
  QZ_PERCENTILE = 1, /* clip both tails at a percentile */
  QZ_MSE = 2,        /* clip where the expected quantization MSE is least */
  QZ_SQNR = 3        /* min/max here; then tuned end to end (qz_tune.h) */
} qz_method;

/* Bins of a qz_hist. */
#define QZ_HIST_BINS 2048

/* Histogram of values over the fixed range [lo, hi] (min/max known). */
typedef struct qz_hist {
  double lo, hi;
  double count[QZ_HIST_BINS];
  double total;
  double zeros; /* exact zeros among them (no rounding error) */
} qz_hist;

/* Start a histogram over [lo, hi] (hi == lo is allowed). */
void qz_hist_init(qz_hist *h, double lo, double hi);

/* Add n float values (values outside [lo, hi] go to the end bins). */
void qz_hist_add(qz_hist *h, const float *x, size_t n);

/*
** qz_choose_range: the range [*lo, *hi] to quantize to with `levels`
** levels (255 for int8, 65535 for int16) given the observed min/max and,
** for QZ_PERCENTILE / QZ_MSE, the histogram (NULL: min/max is used).
** `pct` is the percentile kept for QZ_PERCENTILE (e.g. 99.99). With
** `symmetric` the range is [-t, t] (int16 activations). The result always
** contains 0 and min/max otherwise bound it.
*/
void qz_choose_range(qz_method method, double pct, int symmetric, double levels,
                     double mn, double mx, const qz_hist *h, double *lo,
                     double *hi);

/*
** qz_hist_mse: expected squared error of quantizing the histogram's values
** to `levels` uniform levels on [a, b] (clipping outside, rounding error
** step^2/12 inside). For tests and the MSE search.
*/
double qz_hist_mse(const qz_hist *h, double a, double b, double levels);

/*
** qz_asym_params: int8 asymmetric parameters (TFLite's nudged min/max) of
** the range [lo, hi] (must contain 0): scale and zero point in
** [qmin, qmax]. Degenerate ranges get a tiny positive scale.
*/
void qz_asym_params(double lo, double hi, int32_t qmin, int32_t qmax,
                    float *scale, int32_t *zp);

/* Symmetric parameters: scale = max(|lo|, |hi|) / qmax, zero point 0. */
float qz_sym_scale(double lo, double hi, int32_t qmax);

/* Quantize one value with scale/zp to [qmin, qmax] (round half away). */
int32_t qz_quantize(float x, float scale, int32_t zp, int32_t qmin,
                    int32_t qmax);

/*
** qz_weights: symmetric int8 weights ([-127, 127], zero point 0). `shape`
** [rank] is the weight's shape; with `axis` >= 0 every index along that
** axis gets its own scale (scales[shape[axis]]), with axis < 0 one scale
** (scales[1]). Writes count int8 values to q. A channel of zeros gets
** scale 1. Returns the number of scales.
*/
uint32_t qz_weights(const float *w, const int32_t *shape, uint32_t rank,
                    int axis, int8_t *q, float *scales);

/*
** qz_bias: bias values b[n] to integers with scale in_scale * w_scales[c]
** (c = i when nw > 1, else 0), zero point 0: int32 (wide == 0, saturated)
** or int64 (wide != 0) into out. bias_scales[n or 1] receives the scales.
*/
void qz_bias(const float *b, size_t n, float in_scale, const float *w_scales,
             uint32_t nw, int wide, void *out, float *bias_scales);

/* SQNR in dB of signal s against approximation q: 10 log10(sum s^2 /
 * sum (s - q)^2); 200 when they are equal. */
double qz_sqnr_db(double sig_pow, double err_pow);

#endif
