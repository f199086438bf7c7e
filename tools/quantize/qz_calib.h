/*
** qz_calib.h: calibration: run the float model on sample inputs in mote's
** runtime and observe every intermediate float tensor through
** mote_model_invoke_observed(): min/max per tensor, then (for percentile
** and MSE range choice) a histogram over that min/max in a second pass.
*/
#ifndef MOTE_QZ_CALIB_H
#define MOTE_QZ_CALIB_H

#include <stddef.h>
#include <stdint.h>

#include "qz_graph.h"
#include "qz_math.h"

/* What was observed of one tensor. */
typedef struct qz_stats {
  int seen;        /* 1 once any value was observed */
  double mn, mx;   /* observed range */
  qz_hist *h;      /* histogram (second pass), NULL if not built */
  float *bias_adj; /* bias tensors: subtracted from the float bias before
                      it is quantized (bias correction), NULL if none */
} qz_stats;

/* Sample inputs: n samples of len floats each, for graph input 0. */
typedef struct qz_samples {
  const float *x;
  uint32_t n;
  size_t len;
} qz_samples;

/* Progress callback: done of total samples of pass `pass` (1 or 2). */
typedef void (*qz_progress)(void *user, int pass, uint32_t done,
                            uint32_t total);

/*
** qz_calibrate: observe g's model over the samples (input 0; further
** inputs get zeros). stats[g->ntensors] receives the ranges; with
** `histograms` a second pass fills stats[i].h for every observed tensor.
** The model must run unfused (loaded after host_set_fusion(0)): a fused
** PAD's output has no data and a fused activation's input holds its output.
** Returns 0, or -1 with err (fused model, size mismatch, runtime failure).
*/
int qz_calibrate(qz_graph *g, const qz_samples *s, int histograms,
                 qz_stats *stats, qz_progress progress, void *user, char *err,
                 size_t errlen);

/* Free the histograms and bias corrections of stats[n]. */
void qz_stats_free(qz_stats *stats, uint32_t n);

/*
** qz_feed_run: write sample x (len floats) to input 0 of hm (quantized
** if that input is; zeros to the other inputs); the caller invokes.
** Returns 0, or -1 with err on a size mismatch.
*/
int qz_feed_run(host_model *hm, const float *x, size_t len, char *err,
                size_t errlen);

#endif
