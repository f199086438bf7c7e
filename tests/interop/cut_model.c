/*
** cut_model MODEL OUT FIRST LAST: write operators FIRST..LAST of MODEL (in
** execution order) as a model of their own with mote's .tflite writer. The
** tensors they read but neither produce nor hold as constants become its
** inputs, LAST's outputs its outputs; every tensor keeps its type, shape,
** name, quantization and constant data, every operator its version and
** options. The interop test runs such pieces (one operator, or a prefix
** of the model) in Arm NN and in mote to compare them operator by
** operator.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_io.h"
#include "quantize/qz_graph.h"
#include "tflite_writer.h"

/* Add tensor v to the writer as it is in the model; returns its index. */
static int copy_tensor(tflw *w, const mote_tensor *v) {
  tflw_tensor_desc d;
  memset(&d, 0, sizeof d);
  d.type = (int32_t)v->type;
  d.shape = v->dims;
  d.rank = v->ndim;
  d.name = v->name;
  d.is_variable = v->is_variable;
  uint32_t n = v->nscale > v->nzero ? v->nscale : v->nzero;
  float *scale = calloc(n + 1, sizeof *scale);
  int64_t *zero = calloc(n + 1, sizeof *zero);
  if (!scale || !zero) {
    free(scale);
    free(zero);
    return -1;
  }
  for (uint32_t c = 0; c < v->nscale; c++) scale[c] = mote_tensor_scale(v, c);
  for (uint32_t c = 0; c < v->nzero; c++)
    zero[c] = mote_tensor_zero_point(v, c);
  d.q.scale = scale;
  d.q.nscale = v->nscale;
  d.q.zero_point = zero;
  d.q.nzero = v->nzero;
  d.q.quantized_dim = v->quant_dim;
  int r = v->is_const ? tflw_const_tensor(w, &d, v->data, v->bytes)
                      : tflw_tensor(w, &d);
  free(scale);
  free(zero);
  return r;
}

/* The writer's index of tensor t of g, copied there at its first use. */
static int32_t index_of(tflw *w, const qz_graph *g, int32_t *remap, int32_t t) {
  if (remap[t] < 0) remap[t] = copy_tensor(w, &g->t[t]);
  return remap[t];
}

static int cut(const qz_graph *g, uint32_t first, uint32_t last,
               const char *out) {
  tflw *w = tflw_new();
  int32_t *remap = malloc((g->ntensors + 1) * sizeof *remap);
  uint8_t *seen = calloc(g->ntensors + 1, 1);
  int32_t *gin = malloc((g->ntensors + 1) * sizeof *gin);
  uint32_t nin = 0;
  int rc = 1;
  if (!w || !remap || !seen || !gin) goto done;
  for (uint32_t i = 0; i < g->ntensors; i++) remap[i] = -1;
  for (uint32_t k = first; k <= last; k++) {
    const qz_op *op = &g->ops[k];
    if (op->has_custom || op->opts_unknown) {
      fprintf(stderr, "cut_model: operator %u: options not copied\n", k);
      goto done;
    }
    int32_t in[QZ_MAX_IO], ou[QZ_MAX_IO];
    for (uint32_t j = 0; j < op->nin; j++) {
      int32_t t = op->in[j];
      in[j] = t < 0 ? -1 : index_of(w, g, remap, t);
      if (t >= 0 && !seen[t] && !g->t[t].is_const) {
        gin[nin++] = in[j]; /* read before any operator here writes it */
        seen[t] = 1;
      }
    }
    for (uint32_t j = 0; j < op->nout; j++) {
      ou[j] = index_of(w, g, remap, op->out[j]);
      seen[op->out[j]] = 1;
    }
    tflw_op(w, op->code, op->version, in, op->nin, ou, op->nout, op->opt_type,
            op->opts, op->nopts);
  }
  int32_t gout[QZ_MAX_IO];
  const qz_op *lo = &g->ops[last];
  for (uint32_t j = 0; j < lo->nout; j++) gout[j] = remap[lo->out[j]];
  tflw_io(w, gin, nin, gout, lo->nout);
  tflw_description(w, "mote cut_model");
  uint8_t *fb = NULL;
  size_t len = 0;
  if (tflw_finish(w, &fb, &len) != 0) {
    fprintf(stderr, "cut_model: writer: %s\n", tflw_error(w));
    goto done;
  }
  rc = host_write_file(out, fb, len) == 0 ? 0 : 1;
  if (rc) fprintf(stderr, "cut_model: cannot write %s\n", out);
  free(fb);
done:
  if (!w || !remap || !seen || !gin) fprintf(stderr, "cut_model: no memory\n");
  tflw_free(w);
  free(remap);
  free(seen);
  free(gin);
  return rc;
}

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: cut_model MODEL OUT FIRST LAST\n");
    return 2;
  }
  host_model hm;
  char err[256] = "";
  if (host_model_load(&hm, argv[1], 0) != MOTE_OK) {
    mote_error_format(&hm.m.err, err, sizeof err);
    fprintf(stderr, "cut_model: %s: %s\n", argv[1], err);
    host_model_free(&hm);
    return 3;
  }
  qz_graph g;
  int rc = 1;
  long first = strtol(argv[3], NULL, 10), last = strtol(argv[4], NULL, 10);
  if (qz_graph_read(&g, &hm, err, sizeof err) != 0)
    fprintf(stderr, "cut_model: %s\n", err);
  else if (first < 0 || last < first || last >= (long)g.nops)
    fprintf(stderr, "cut_model: operators %ld..%ld of %u\n", first, last,
            g.nops);
  else
    rc = cut(&g, (uint32_t)first, (uint32_t)last, argv[2]);
  qz_graph_free(&g);
  host_model_free(&hm);
  return rc;
}
