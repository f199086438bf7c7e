/*
** qz_eval.h: how close a quantized model's outputs are to the float
** model's: SQNR in dB over every output element of every sample (outputs
** dequantized, inputs quantized with the model's own input parameters)
** and the argmax agreement of output 0.
*/
#ifndef MOTE_QZ_EVAL_H
#define MOTE_QZ_EVAL_H

#include <stddef.h>
#include <stdint.h>

#include "host_io.h"
#include "qz_calib.h"
#include "qz_rewrite.h"

/* Outputs of a model over a set of samples, all outputs concatenated. */
typedef struct qz_outputs {
  uint32_t n;  /* samples */
  size_t per;  /* floats per sample (all outputs) */
  size_t out0; /* elements of output 0 */
  float *y;    /* n * per */
} qz_outputs;

/* Comparison of a model against reference outputs. */
typedef struct qz_score {
  double sig, err; /* sum of squares of reference / of the difference */
  double sqnr_db;
  uint32_t agree, n; /* argmax agreement of output 0 (n == 0: scalar) */
} qz_score;

/* Run hm on every sample; fills o (free with qz_outputs_free). Returns 0
 * or -1 with err. */
int qz_run_outputs(host_model *hm, const qz_samples *s, qz_outputs *o,
                   char *err, size_t errlen);

/* Score `got` against `ref` (same shapes). Returns 0 or -1 with err. */
int qz_score_outputs(const qz_outputs *ref, const qz_outputs *got, qz_score *sc,
                     char *err, size_t errlen);

/*
** qz_build: quantize g with the stats and options (qz_quantize_graph) and
** load the result into qm (free with host_model_free) to run in-process;
** plan receives the plans (free with qz_plan_free, also on failure).
** Returns 0, QZ_E_UNSUPPORTED or -1 with err.
*/
int qz_build(const qz_graph *g, const qz_stats *stats, const qz_options *o,
             qz_plan *plan, host_model *qm, char *err, size_t errlen);

/*
** qz_build_error: quantize and load g as qz_build does, run it on the
** samples s and put into *e the summed squared difference of its outputs
** from ref (the float model's outputs on s): the error whose ratio to the
** outputs' power is the SQNR. Returns 0, QZ_E_UNSUPPORTED or -1 with err.
*/
int qz_build_error(const qz_graph *g, const qz_stats *stats,
                   const qz_options *o, const qz_samples *s,
                   const qz_outputs *ref, double *e, char *err, size_t errlen);

/* Free what qz_run_outputs allocated. */
void qz_outputs_free(qz_outputs *o);

#endif
