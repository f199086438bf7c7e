/*
** make_demo_model.c: write mote's bundled demo model with mote's own
** .tflite writer: an int8 line-orientation classifier for 8x8 images.
**
**   input int8[1,8,8,1] (pixel 0..1, scale 1/127)
**   CONV_2D 4 hand-designed 3x3 line detectors (horizontal, vertical,
**           diagonal, anti-diagonal), per-channel int8 weights, RELU
**   MAX_POOL_2D 6x6 (global max per detector)
**   RESHAPE [1,4]
**   SOFTMAX -> int8[1,4] class probabilities (scale 1/256, zp -128)
**
** usage: mote_make_demo OUTDIR   (writes demo_int8.tflite and one input
** image per class: demo_input.bin is the vertical bar)
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mote/mote.h"
#include "runtime/tflite_schema.h"
#include "tflite_writer.h"

static const float kFilters[4][9] = {
    {-1, -1, -1, 2, 2, 2, -1, -1, -1}, /* horizontal */
    {-1, 2, -1, -1, 2, -1, -1, 2, -1}, /* vertical */
    {2, -1, -1, -1, 2, -1, -1, -1, 2}, /* diagonal */
    {-1, -1, 2, -1, 2, -1, 2, -1, -1}, /* anti-diagonal */
};
static const char *const kClass[4] = {"horizontal", "vertical", "diagonal",
                                      "anti_diagonal"};

static int write_image(const char *dir, const char *name, int cls) {
  int8_t img[64];
  for (int y = 0; y < 8; y++)
    for (int x = 0; x < 8; x++) {
      int on = cls == 0   ? y == 3
               : cls == 1 ? x == 4
               : cls == 2 ? x == y
                          : x + y == 7;
      img[y * 8 + x] = (int8_t)(on ? 127 : 0);
    }
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  return tflw_save(path, (const uint8_t *)img, sizeof img);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s OUTDIR\n", argv[0]);
    return 2;
  }
  const char *dir = argv[1];
  tflw *w = tflw_new();
  const float in_scale = 1.0f / 127.0f, conv_scale = 6.0f / 255.0f;
  int32_t s_in[] = {1, 8, 8, 1}, s_conv[] = {1, 6, 6, 4},
          s_pool[] = {1, 1, 1, 4}, s_flat[] = {1, 4}, s_w[] = {4, 3, 3, 1},
          s_b[] = {4}, s_shape[] = {2};
  int in = tflw_tensor_q(w, MOTE_INT8, s_in, 4, "image", in_scale, 0);

  /* Per-channel symmetric weights: scale = max|w| / 127. */
  int8_t wq[36];
  float wscale[4];
  int64_t wzero[4] = {0, 0, 0, 0}, bzero[4] = {0, 0, 0, 0};
  float bscale[4];
  int32_t bias[4] = {0, 0, 0, 0};
  for (int c = 0; c < 4; c++) {
    float mx = 0;
    for (int k = 0; k < 9; k++)
      if (fabsf(kFilters[c][k]) > mx) mx = fabsf(kFilters[c][k]);
    wscale[c] = mx / 127.0f;
    bscale[c] = in_scale * wscale[c];
    for (int k = 0; k < 9; k++)
      wq[c * 9 + k] = (int8_t)lroundf(kFilters[c][k] / wscale[c]);
  }
  tflw_tensor_desc wd = {0};
  wd.type = MOTE_INT8;
  wd.shape = s_w;
  wd.rank = 4;
  wd.name = "line_filters";
  wd.q.scale = wscale;
  wd.q.nscale = 4;
  wd.q.zero_point = wzero;
  wd.q.nzero = 4;
  int wt = tflw_const_tensor(w, &wd, wq, sizeof wq);
  tflw_tensor_desc bd = {0};
  bd.type = MOTE_INT32;
  bd.shape = s_b;
  bd.rank = 1;
  bd.name = "line_bias";
  bd.q.scale = bscale;
  bd.q.nscale = 4;
  bd.q.zero_point = bzero;
  bd.q.nzero = 4;
  int bt = tflw_const_tensor(w, &bd, bias, sizeof bias);
  int conv =
      tflw_tensor_q(w, MOTE_INT8, s_conv, 4, "responses", conv_scale, -128);
  int pool =
      tflw_tensor_q(w, MOTE_INT8, s_pool, 4, "max_response", conv_scale, -128);
  tflw_tensor_desc sd = {0};
  int32_t shape_val[] = {1, 4};
  sd.type = MOTE_INT32;
  sd.shape = s_shape;
  sd.rank = 1;
  sd.name = "flat_shape";
  int shp = tflw_const_tensor(w, &sd, shape_val, sizeof shape_val);
  int flat = tflw_tensor_q(w, MOTE_INT8, s_flat, 2, "logits", conv_scale, -128);
  int prob = tflw_tensor_q(w, MOTE_INT8, s_flat, 2, "probabilities",
                           1.0f / 256.0f, -128);

  int32_t c_in[] = {in, wt, bt}, c_out[] = {conv};
  tflw_opt conv_opts[] = {TFLW_I8(0, TFL_PAD_VALID), TFLW_I32(1, 1),
                          TFLW_I32(2, 1), TFLW_I8(3, TFL_ACT_RELU)};
  tflw_op(w, TFL_OP_CONV_2D, 3, c_in, 3, c_out, 1, TFL_OPT_CONV2D, conv_opts,
          4);
  int32_t p_in[] = {conv}, p_out[] = {pool};
  tflw_opt pool_opts[] = {TFLW_I8(0, TFL_PAD_VALID), TFLW_I32(1, 1),
                          TFLW_I32(2, 1), TFLW_I32(3, 6), TFLW_I32(4, 6)};
  tflw_op(w, TFL_OP_MAX_POOL_2D, 2, p_in, 1, p_out, 1, TFL_OPT_POOL2D,
          pool_opts, 5);
  int32_t r_in[] = {pool, shp}, r_out[] = {flat};
  tflw_op(w, TFL_OP_RESHAPE, 1, r_in, 2, r_out, 1, 0, NULL, 0);
  int32_t s_inp[] = {flat}, s_outp[] = {prob};
  tflw_opt sm_opts[] = {TFLW_F32(0, 1.0)};
  tflw_op(w, TFL_OP_SOFTMAX, 2, s_inp, 1, s_outp, 1, TFL_OPT_SOFTMAX, sm_opts,
          1);
  int32_t gi[] = {in}, go[] = {prob};
  tflw_io(w, gi, 1, go, 1);
  tflw_description(w,
                   "mote demo: 8x8 line orientation (horizontal, vertical, "
                   "diagonal, anti_diagonal)");
  tflw_min_runtime_version(w, "1.14.0");
  uint8_t *fb;
  size_t len;
  if (tflw_finish(w, &fb, &len) != 0) {
    fprintf(stderr, "mote_make_demo: %s\n", tflw_error(w));
    return 1;
  }
  char path[4096];
  snprintf(path, sizeof path, "%s/demo_int8.tflite", dir);
  int rc = tflw_save(path, fb, len);
  rc |= write_image(dir, "demo_input.bin", 1);
  for (int c = 0; c < 4; c++) {
    char name[64];
    snprintf(name, sizeof name, "demo_%s.bin", kClass[c]);
    rc |= write_image(dir, name, c);
  }
  free(fb);
  tflw_free(w);
  if (rc) {
    fprintf(stderr, "mote_make_demo: cannot write into %s\n", dir);
    return 1;
  }
  printf("wrote %s (%zu bytes) and demo images\n", path, len);
  return 0;
}
