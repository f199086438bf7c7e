/*
** make_eval_models.c: writes the tiny classifiers that test_eval.sh scores
** with `mote eval`. Each is one FULLY_CONNECTED layer whose weight row k
** is one-hot at pixel P[k], so its logit k is exactly pixel P[k] (no
** rounding anywhere) and the predicted class is the first k with the
** brightest of those pixels, which the test script recomputes on its own.
**
** usage: data_make_eval_models OUTDIR P0 ... P9
** writes fc_f32.tflite  float32 [1,28,28,1] -> float32 [1,10]
**        fc_i8.tflite   int8 [1,784] (scale 1/255, zp -128) -> int8 [1,10]
**        fc_i16.tflite  int16 [1,28,28] (scale 1/255) -> int16 [1,10]
**        small_f32.tflite float32 [1,3,4,1] -> [1,3], pixels 0, 5, 11
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mote/mote.h"
#include "runtime/tflite_schema.h"
#include "tflite_writer.h"

/* One FC model: input shape in_shape (rank in_rank, `depth` elements),
 * `units` outputs, weight row k one-hot at pix[k]. */
static int write_fc(const char *path, int32_t type, const int32_t *in_shape,
                    uint32_t in_rank, int32_t depth, int32_t units,
                    const int *pix, float scale, int32_t zp) {
  tflw *w = tflw_new();
  int32_t s_w[] = {units, depth}, s_out[] = {1, units};
  int in = tflw_tensor_q(w, type, in_shape, in_rank, "image", scale, zp);
  int out = tflw_tensor_q(w, type, s_out, 2, "logits", scale, zp);
  size_t n = (size_t)units * (size_t)depth;
  tflw_tensor_desc wd = {0};
  wd.shape = s_w;
  wd.rank = 2;
  wd.name = "onehot";
  int wt;
  if (type == MOTE_FLOAT32) {
    float *wf = calloc(n, sizeof *wf);
    for (int k = 0; k < units; k++) wf[(size_t)k * depth + pix[k]] = 1.0f;
    wd.type = MOTE_FLOAT32;
    wt = tflw_const_tensor(w, &wd, wf, n * sizeof *wf);
    free(wf);
  } else {
    int8_t *wq = calloc(n, 1);
    for (int k = 0; k < units; k++) wq[(size_t)k * depth + pix[k]] = 1;
    float one = 1.0f;
    int64_t zero = 0;
    wd.type = MOTE_INT8;
    wd.q.scale = &one;
    wd.q.nscale = 1;
    wd.q.zero_point = &zero;
    wd.q.nzero = 1;
    wt = tflw_const_tensor(w, &wd, wq, n);
    free(wq);
  }
  int32_t ins[] = {in, wt, -1}, outs[] = {out}, gi[] = {in}, go[] = {out};
  tflw_opt o[3];
  uint32_t no = tflw_opts_fc(o, 0, 0);
  tflw_op(w, TFL_OP_FULLY_CONNECTED, type == MOTE_INT16 ? 7 : 1, ins, 3, outs,
          1, TFL_OPT_FULLY_CONNECTED, o, no);
  tflw_io(w, gi, 1, go, 1);
  uint8_t *fb;
  size_t len;
  int rc = tflw_finish(w, &fb, &len);
  if (rc == 0) {
    rc = tflw_save(path, fb, len);
    free(fb);
  } else {
    fprintf(stderr, "%s: %s\n", path, tflw_error(w));
  }
  tflw_free(w);
  return rc;
}

int main(int argc, char **argv) {
  if (argc != 12) {
    fprintf(stderr, "usage: %s OUTDIR P0 ... P9\n", argv[0]);
    return 2;
  }
  int pix[10];
  for (int k = 0; k < 10; k++) {
    pix[k] = atoi(argv[2 + k]);
    if (pix[k] < 0 || pix[k] >= 784) return 2;
  }
  char p[4096];
  int32_t s4[] = {1, 28, 28, 1}, s2[] = {1, 784}, s3[] = {1, 28, 28},
          ss[] = {1, 3, 4, 1};
  int small_pix[3] = {0, 5, 11};
  int rc = 0;
  snprintf(p, sizeof p, "%s/fc_f32.tflite", argv[1]);
  rc |= write_fc(p, MOTE_FLOAT32, s4, 4, 784, 10, pix, 0.0f, 0);
  snprintf(p, sizeof p, "%s/fc_i8.tflite", argv[1]);
  rc |= write_fc(p, MOTE_INT8, s2, 2, 784, 10, pix, 1.0f / 255.0f, -128);
  snprintf(p, sizeof p, "%s/fc_i16.tflite", argv[1]);
  rc |= write_fc(p, MOTE_INT16, s3, 3, 784, 10, pix, 1.0f / 255.0f, 0);
  snprintf(p, sizeof p, "%s/small_f32.tflite", argv[1]);
  rc |= write_fc(p, MOTE_FLOAT32, ss, 4, 12, 3, small_pix, 0.0f, 0);
  return rc ? 1 : 0;
}
