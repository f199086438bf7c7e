/*
** make_regress.c: write the regression corpus (tests/corpus/regress/) with
** mote's own writer. Each model reproduces, with all-zero inputs, a class
** of input the fuzzer once found crashing or undefined:
**   hybrid_nan        NaN reaching the hybrid CONV_2D input quantizer
**   dwconv16_bias     int64 bias beyond 2^47 in a 16x8 DEPTHWISE_CONV_2D
**   fc8_bias_max      int32 bias at INT32_MAX in an int8 FULLY_CONNECTED
**   conv8_bias_min    int32 bias at INT32_MIN in an int8 CONV_2D
**   tconv8_stride     TRANSPOSE_CONV stride 2^30 (positions past int32)
**   mul8_tiny_scale   MUL whose output scale makes the shift exceed 31
**   mean8_zero_dim    a zero dimension hiding a product of dims past int32
**   fc8_relu6_scale   fused RELU6 on an output scale that overflows int32
** usage: mote_make_regress DIR
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mote/mote.h"
#include "runtime/tflite_schema.h"
#include "tflite_writer.h"

static int save(tflw *w, const char *dir, const char *name) {
  uint8_t *fb;
  size_t len;
  char path[4096];
  if (tflw_finish(w, &fb, &len) != 0) {
    fprintf(stderr, "%s: %s\n", name, tflw_error(w));
    return 1;
  }
  snprintf(path, sizeof path, "%s/%s.tflite", dir, name);
  int rc = tflw_save(path, fb, len);
  free(fb);
  tflw_free(w);
  return rc;
}

static int weights(tflw *w, int32_t type, const int32_t *shape, uint32_t rank,
                   const void *data, size_t len, float scale, uint32_t nsc) {
  float sc[8];
  int64_t zp[8] = {0};
  for (uint32_t i = 0; i < nsc; i++) sc[i] = scale;
  tflw_tensor_desc d = {0};
  d.type = type;
  d.shape = shape;
  d.rank = rank;
  d.q.scale = sc;
  d.q.nscale = nsc;
  d.q.zero_point = zp;
  d.q.nzero = scale != 0.0f ? nsc : 0;
  if (scale == 0.0f) d.q.nscale = 0;
  return tflw_const_tensor(w, &d, data, len);
}

int main(int argc, char **argv) {
  if (argc != 2) return 2;
  const char *dir = argv[1];
  int rc = 0;
  int32_t s4[] = {1, 4, 4, 1}, s1[] = {1}, sw[] = {1, 3, 3, 1};
  int8_t w9[9] = {1, -2, 3, -4, 5, -6, 7, -8, 9};
  { /* hybrid_nan */
    tflw *w = tflw_new();
    float nan = NAN, bias = 0.5f;
    int x = tflw_tensor_q(w, MOTE_FLOAT32, s4, 4, "x", 0, 0);
    int c = weights(w, MOTE_FLOAT32, s1, 1, &nan, 4, 0, 1);
    int t = tflw_tensor_q(w, MOTE_FLOAT32, s4, 4, "t", 0, 0);
    int f = weights(w, MOTE_INT8, sw, 4, w9, 9, 0.05f, 1);
    int b = weights(w, MOTE_FLOAT32, s1, 1, &bias, 4, 0, 1);
    int y = tflw_tensor_q(w, MOTE_FLOAT32, s4, 4, "y", 0, 0);
    int32_t a_in[] = {x, c}, a_out[] = {t}, c_in[] = {t, f, b}, c_out[] = {y};
    tflw_op(w, TFL_OP_ADD, 1, a_in, 2, a_out, 1, 0, NULL, 0);
    tflw_opt o[] = {TFLW_I8(0, TFL_PAD_SAME), TFLW_I32(1, 1), TFLW_I32(2, 1)};
    tflw_op(w, TFL_OP_CONV_2D, 1, c_in, 3, c_out, 1, TFL_OPT_CONV2D, o, 3);
    int32_t gi[] = {x}, go[] = {y};
    tflw_io(w, gi, 1, go, 1);
    rc |= save(w, dir, "hybrid_nan");
  }
  { /* dwconv16_bias */
    tflw *w = tflw_new();
    int64_t bias = (int64_t)1 << 62;
    int x = tflw_tensor_q(w, MOTE_INT16, s4, 4, "x", 0.001f, 0);
    int f = weights(w, MOTE_INT8, sw, 4, w9, 9, 0.01f, 1);
    int b = weights(w, MOTE_INT64, s1, 1, &bias, 8, 0.00001f, 1);
    int y = tflw_tensor_q(w, MOTE_INT16, s4, 4, "y", 0.002f, 0);
    int32_t in[] = {x, f, b}, out[] = {y};
    tflw_opt o[] = {TFLW_I8(0, TFL_PAD_SAME), TFLW_I32(1, 1), TFLW_I32(2, 1),
                    TFLW_I32(3, 1)};
    tflw_op(w, TFL_OP_DEPTHWISE_CONV_2D, 1, in, 3, out, 1,
            TFL_OPT_DEPTHWISE_CONV2D, o, 4);
    int32_t gi[] = {x}, go[] = {y};
    tflw_io(w, gi, 1, go, 1);
    rc |= save(w, dir, "dwconv16_bias");
  }
  { /* fc8_bias_max */
    tflw *w = tflw_new();
    int32_t sx[] = {1, 9}, sf[] = {1, 9}, so[] = {1, 1};
    int32_t bias = INT32_MAX;
    int x = tflw_tensor_q(w, MOTE_INT8, sx, 2, "x", 0.1f, -128);
    int f = weights(w, MOTE_INT8, sf, 2, w9, 9, 0.1f, 1);
    int b = weights(w, MOTE_INT32, s1, 1, &bias, 4, 0.01f, 1);
    int y = tflw_tensor_q(w, MOTE_INT8, so, 2, "y", 0.5f, 0);
    int32_t in[] = {x, f, b}, out[] = {y};
    tflw_op(w, TFL_OP_FULLY_CONNECTED, 1, in, 3, out, 1, 0, NULL, 0);
    int32_t gi[] = {x}, go[] = {y};
    tflw_io(w, gi, 1, go, 1);
    rc |= save(w, dir, "fc8_bias_max");
  }
  { /* conv8_bias_min */
    tflw *w = tflw_new();
    int32_t bias = INT32_MIN;
    int x = tflw_tensor_q(w, MOTE_INT8, s4, 4, "x", 0.1f, 127);
    int f = weights(w, MOTE_INT8, sw, 4, w9, 9, 0.1f, 1);
    int b = weights(w, MOTE_INT32, s1, 1, &bias, 4, 0.01f, 1);
    int y = tflw_tensor_q(w, MOTE_INT8, s4, 4, "y", 0.5f, 0);
    int32_t in[] = {x, f, b}, out[] = {y};
    tflw_opt o[] = {TFLW_I8(0, TFL_PAD_SAME), TFLW_I32(1, 1), TFLW_I32(2, 1)};
    tflw_op(w, TFL_OP_CONV_2D, 1, in, 3, out, 1, TFL_OPT_CONV2D, o, 3);
    int32_t gi[] = {x}, go[] = {y};
    tflw_io(w, gi, 1, go, 1);
    rc |= save(w, dir, "conv8_bias_min");
  }
  { /* tconv8_stride */
    tflw *w = tflw_new();
    int32_t so[] = {1, 4, 4, 1}, oshape[] = {1, 4, 4, 1}, s4i[] = {4};
    int32_t sx[] = {1, 2, 2, 1};
    int x = tflw_tensor_q(w, MOTE_INT8, sx, 4, "x", 0.1f, 0);
    int shp = weights(w, MOTE_INT32, s4i, 1, oshape, sizeof oshape, 0, 1);
    int f = weights(w, MOTE_INT8, sw, 4, w9, 9, 0.1f, 1);
    int y = tflw_tensor_q(w, MOTE_INT8, so, 4, "y", 0.5f, 0);
    int32_t in[] = {shp, f, x}, out[] = {y};
    tflw_opt o[] = {TFLW_I8(0, TFL_PAD_SAME), TFLW_I32(1, 1 << 30),
                    TFLW_I32(2, 1 << 30)};
    tflw_op(w, TFL_OP_TRANSPOSE_CONV, 1, in, 3, out, 1, TFL_OPT_TRANSPOSE_CONV,
            o, 3);
    int32_t gi[] = {x}, go[] = {y};
    tflw_io(w, gi, 1, go, 1);
    rc |= save(w, dir, "tconv8_stride");
  }
  { /* mul8_tiny_scale */
    tflw *w = tflw_new();
    int32_t sx[] = {1, 8};
    int a = tflw_tensor_q(w, MOTE_INT8, sx, 2, "a", 1.0f, 3);
    int b = tflw_tensor_q(w, MOTE_INT8, sx, 2, "b", 1.0f, -5);
    int y = tflw_tensor_q(w, MOTE_INT8, sx, 2, "y", 1e-30f, 0);
    int32_t in[] = {a, b}, out[] = {y};
    tflw_op(w, TFL_OP_MUL, 1, in, 2, out, 1, 0, NULL, 0);
    int32_t gi[] = {a, b}, go[] = {y};
    tflw_io(w, gi, 2, go, 1);
    rc |= save(w, dir, "mul8_tiny_scale");
  }
  { /* mean8_zero_dim */
    tflw *w = tflw_new();
    int32_t sx[] = {0, 2097152002, 3}, sa[] = {1}, so[] = {0, 2097152002};
    int32_t axis = 2;
    int x = tflw_tensor_q(w, MOTE_INT8, sx, 3, "x", 0.1f, 0);
    int a = weights(w, MOTE_INT32, sa, 1, &axis, 4, 0, 1);
    int y = tflw_tensor_q(w, MOTE_INT8, so, 2, "y", 0.1f, 0);
    int32_t in[] = {x, a}, out[] = {y};
    tflw_op(w, TFL_OP_MEAN, 1, in, 2, out, 1, 0, NULL, 0);
    int32_t gi[] = {x}, go[] = {y};
    tflw_io(w, gi, 1, go, 1);
    rc |= save(w, dir, "mean8_zero_dim");
  }
  { /* fc8_relu6_scale */
    tflw *w = tflw_new();
    int32_t sx[] = {1, 9}, sf[] = {1, 9}, so[] = {1, 1};
    int x = tflw_tensor_q(w, MOTE_INT8, sx, 2, "x", 0.1f, 0);
    int f = weights(w, MOTE_INT8, sf, 2, w9, 9, 0.1f, 1);
    int y = tflw_tensor_q(w, MOTE_INT8, so, 2, "y", 1e-10f, 0);
    int32_t in[] = {x, f, -1}, out[] = {y};
    tflw_opt o[] = {TFLW_I8(0, TFL_ACT_RELU6)};
    tflw_op(w, TFL_OP_FULLY_CONNECTED, 1, in, 3, out, 1,
            TFL_OPT_FULLY_CONNECTED, o, 1);
    int32_t gi[] = {x}, go[] = {y};
    tflw_io(w, gi, 1, go, 1);
    rc |= save(w, dir, "fc8_relu6_scale");
  }
  return rc;
}
