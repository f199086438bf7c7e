/*
** qz_rewrite.h: plan the quantization of every tensor of a float graph
** (TFLite quantization spec: per-channel int8 convolution weights,
** per-tensor int8 fully-connected weights, int32/int64 biases, asymmetric
** int8 or symmetric int16 activations, the fixed output parameters of
** SOFTMAX/LOGISTIC/TANH, shared parameters through data-movement ops)
** and write the quantized model with the .tflite writer.
*/
#ifndef MOTE_QZ_REWRITE_H
#define MOTE_QZ_REWRITE_H

#include <stddef.h>
#include <stdint.h>

#include "qz_calib.h"
#include "qz_graph.h"
#include "qz_math.h"

/* What the quantizer was asked for. */
typedef struct qz_options {
  qz_method method;   /* activation range choice */
  double pct;         /* percentile for QZ_PERCENTILE */
  int act16;          /* 16x8 scheme: int16 activations */
  int io_float;       /* keep float graph inputs/outputs (QUANTIZE/DEQ.) */
  int fc_per_channel; /* per-channel FULLY_CONNECTED weights */
} qz_options;

/* Role of a tensor in the rewrite. */
enum {
  QZ_R_KEEP = 0, /* copied as is (int32 shapes, ...) */
  QZ_R_ACT = 1,  /* float activation -> int8/int16 */
  QZ_R_WEIGHT = 2,
  QZ_R_BIAS = 3,
  QZ_R_CONST = 4 /* other float constant -> int8/int16 */
};

/* The plan of one tensor. */
typedef struct qz_tplan {
  int role;
  int32_t type;     /* type written */
  double lo, hi;    /* float range represented (activations) */
  float scale;      /* per-tensor scale (channel 0) */
  int32_t zp;       /* zero point */
  float *scales;    /* per-channel scales (weights, biases) */
  uint32_t nscales; /* 0: per-tensor */
  int32_t axis;     /* quantized_dimension */
  int fixed;        /* scale fixed by the op (softmax...) */
  int32_t group;    /* shared-parameter group (union-find root) */
  void *data;       /* new constant bytes (weights, biases, consts) */
  size_t bytes;
} qz_tplan;

/* The result: per-tensor plans and counts for the report. */
typedef struct qz_plan {
  uint32_t ntensors;
  qz_tplan *t;
  uint32_t ops_quantized; /* ops rewritten to integer */
  uint32_t added_ops;     /* QUANTIZE / DEQUANTIZE added (io float) */
} qz_plan;

/* qz_quantize status beyond 0 / -1: an op or type without integer path. */
#define QZ_E_UNSUPPORTED (-4)

/*
** qz_quantize_graph: plan every tensor of g from the calibration stats and
** write the quantized model into *out / *len (free with free()). A bias
** tensor's stats[b].bias_adj, where set, is subtracted from its float
** values before they are quantized (bias correction, qz_tune.h). Returns
** 0; QZ_E_UNSUPPORTED with err naming the op ("operator 3 (LSTM): ...");
** -1 with err on any other failure. plan receives the plans (free with
** qz_plan_free) also on failure.
*/
int qz_quantize_graph(const qz_graph *g, const qz_stats *stats,
                      const qz_options *o, qz_plan *plan, uint8_t **out,
                      size_t *len, char *err, size_t errlen);

/* Free a plan. */
void qz_plan_free(qz_plan *p);

/* Name of a role ("act", "weight", ...). */
const char *qz_role_name(int role);

#endif
