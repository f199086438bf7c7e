/*
** qz_tune.h: end-to-end tuning of a quantization on the calibration
** samples (`--calib sqnr`, `--bias-correct`). The quantized model is built
** and run in mote's runtime, and every change is kept only if its outputs
** come closer to the float model's (less summed squared error, i.e. a
** higher output SQNR), so the result never scores below the base ranges
** on the calibration samples. Two steps:
**
** Bias correction of FULLY_CONNECTED layers (Nagel et al., "Data-Free
** Quantization Through Weight Equalization and Bias Correction", 2019,
** the empirical variant): quantized weights W~ = W + dW shift a layer's
** output by dW E[x] on average, which per-tensor weight scales make large
** when the inputs have a large mean. For each FULLY_CONNECTED op with a
** float bias, in graph order and with the earlier corrections in place,
** the mean over the samples (and rows) of
**   d[n] = W~[n] x~ - W[n] x
** (x~: the quantized model's dequantized input to the op, x: the float
** model's; W~: the dequantized weights) is subtracted from the float bias
** before it is quantized: the constant offset that least-squares fits
** the layer's pre-activation error.
**
** Range search: from the base ranges (o.method: min/max, percentile or
** MSE), each group of activations that share quantization parameters is
** visited in graph order and its range narrowed by each factor of a grid
** (qz_tune_factor: the upper end, then the lower end where it is below
** zero; both at once for symmetric int16), keeping the best; later sweeps
** revisit every group with the others' choices in place.
**
** With both, the order is: bias correction, range search, bias correction
** again for the ranges chosen.
*/
#ifndef MOTE_QZ_TUNE_H
#define MOTE_QZ_TUNE_H

#include <stddef.h>
#include <stdint.h>

#include "qz_calib.h"
#include "qz_eval.h"
#include "qz_graph.h"
#include "qz_rewrite.h"

/* Progress: `done` of `total` units (FC ops, activation groups) of a step
 * ("bias correction", "range search 1", ...), calibration SQNR so far. */
typedef void (*qz_tune_progress)(void *user, const char *step, uint32_t done,
                                 uint32_t total, double sqnr_db);

/* Factors tried for one end of a range (the first is 1: unchanged). */
#define QZ_TUNE_FACTORS 19

/* Factor k of the grid: 2^(-k/6), from 1 down to 1/8. */
double qz_tune_factor(int k);

typedef struct qz_tune {
  /* Set by the caller (the rest zeroed). */
  const qz_graph *g;
  qz_stats *stats;       /* from qz_calibrate; receives the result */
  qz_options o;          /* the quantization; o.method gives base ranges */
  const qz_samples *cal; /* calibration samples */
  int bias;              /* bias correction of FULLY_CONNECTED ops */
  int sweeps;            /* range search sweeps (0: none) */
  qz_tune_progress progress;
  void *user;
  /* Results: calibration SQNR of the base ranges and of the result,
   * corrections kept (FC ops) and activation groups searched. */
  double base_db, best_db;
  uint32_t corrected, groups;
  /* Working state. */
  qz_outputs ref; /* float outputs on cal */
  double sig;     /* their power */
  double best;    /* squared error of the current choice */
  char *err;
  size_t errlen;
} qz_tune;

/*
** qz_tune_run: tune as above. On return stats[i].mn/mx hold the ranges to
** quantize to (histograms freed, so any method then uses them as they
** are) and stats[bias].bias_adj the corrections; pass t->o to
** qz_quantize_graph. Returns 0, QZ_E_UNSUPPORTED or -1 with err.
*/
int qz_tune_run(qz_tune *t, char *err, size_t errlen);

/* The steps (qz_tune_run calls them with ref/sig/best set up). */
int qz_tune_bias(qz_tune *t);
int qz_tune_ranges(qz_tune *t);

/* Squared output error over cal of the model quantized with t->stats
 * into *e. Returns 0, or as qz_build_error. */
int qz_tune_error(qz_tune *t, double *e);

#endif
