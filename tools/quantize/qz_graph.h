/*
** qz_graph.h: the graph of a loaded model as the quantizer needs it:
** tensors (type, shape, name, constant data), operators (builtin code,
** version, inputs, outputs and their builtin options as writer fields)
** and the graph inputs/outputs, read with the runtime's flatbuffer reader.
*/
#ifndef MOTE_QZ_GRAPH_H
#define MOTE_QZ_GRAPH_H

#include <stdint.h>

#include "host_io.h"
#include "tflite_writer.h"

/* Most fields of one options table the quantizer copies. */
#define QZ_MAX_OPTS 12
/* Most inputs / outputs of one operator. */
#define QZ_MAX_IO 24

typedef struct qz_op {
  int32_t code;    /* builtin operator */
  int32_t version; /* operator code version */
  int32_t in[QZ_MAX_IO], out[QZ_MAX_IO];
  uint32_t nin, nout;
  uint8_t opt_type; /* BuiltinOptions tag */
  tflw_opt opts[QZ_MAX_OPTS];
  uint32_t nopts;
  int32_t *vec;     /* storage of a vector option (new_shape, squeeze_dims) */
  int has_custom;   /* custom options present (not copied: refused) */
  int opts_unknown; /* options table of a type not read (refused) */
} qz_op;

typedef struct qz_graph {
  host_model *hm;    /* the loaded model (views point into it) */
  uint32_t ntensors; /* mote_tensor views: mote_model_tensor() */
  mote_tensor *t;
  uint32_t nops;
  qz_op *ops;
  uint32_t nin, nout;
  int32_t *in, *out;
} qz_graph;

/*
** qz_graph_read: fill g from the loaded model hm (kept by reference).
** Returns 0, or -1 with a reason in err (an op whose options the
** quantizer cannot copy names the op).
*/
int qz_graph_read(qz_graph *g, host_model *hm, char *err, size_t errlen);

/* Free what qz_graph_read allocated. */
void qz_graph_free(qz_graph *g);

/* Builtin option field of op (kind-independent integer value), `def` if
 * absent. */
int64_t qz_opt_i(const qz_op *op, int field, int64_t def);

/* Float constant data of tensor t copied to a new array (NULL if t is
 * not a float32 constant). */
float *qz_const_f32(const mote_tensor *t);

#endif
