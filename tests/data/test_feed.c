/*
** test_feed.c: feed_input_f32 / read_output_f32 / tensor_elems on tensor
** views built by hand: float copy, int8/uint8/int16 quantization with
** round-half-away-from-zero and saturation, dequantization, round trips,
** and the refusals (wrong count, unsupported type, no data).
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "common/check.h"
#include "data/feed.h"

static mote_tensor view(mote_dtype type, void *data, int32_t n, float scale,
                        int32_t zp) {
  mote_tensor t;
  memset(&t, 0, sizeof t);
  t.type = type;
  t.ndim = 2;
  t.dims[0] = 1;
  t.dims[1] = n;
  t.count = (size_t)n;
  t.bytes = (size_t)n * mote_dtype_size(type);
  t.data = data;
  t.scale = scale;
  t.zero_point = zp;
  t.nscale = t.nzero = scale != 0.0f;
  return t;
}

int main(void) {
  enum { N = 12 };
  /* Scale 0.5: x/scale = 2x. Halves round away from zero. */
  const float x[N] = {0.0f,   0.25f,   -0.25f, 0.75f,    -0.75f,    1.0f,
                      100.0f, -100.0f, NAN,    INFINITY, -INFINITY, 0.2f};
  /* round(2x) + zp(3): 3, 4 (0.5 -> 1), 2 (-0.5 -> -1), 5 (1.5 -> 2),
   * 1 (-1.5 -> -2), 5, sat, sat, zp, sat, sat, 3 (0.4 -> 0). */
  int8_t q8[N];
  mote_tensor t = view(MOTE_INT8, q8, N, 0.5f, 3);
  CHECK(feed_input_f32(&t, x, N) == 0, "int8 feed");
  const int8_t w8[N] = {3, 4, 2, 5, 1, 5, 127, -128, 3, 127, -128, 3};
  CHECK(memcmp(q8, w8, sizeof q8) == 0, "int8 values: %d %d %d %d %d %d", q8[0],
        q8[1], q8[2], q8[3], q8[4], q8[8]);

  uint8_t qu[N];
  t = view(MOTE_UINT8, qu, N, 0.5f, 3);
  CHECK(feed_input_f32(&t, x, N) == 0, "uint8 feed");
  const uint8_t wu[N] = {3, 4, 2, 5, 1, 5, 203, 0, 3, 255, 0, 3};
  CHECK(memcmp(qu, wu, sizeof qu) == 0, "uint8 values: %u %u %u", qu[6], qu[7],
        qu[9]);

  int16_t q16[N];
  t = view(MOTE_INT16, q16, N, 1.0f / 1024.0f, -7);
  CHECK(feed_input_f32(&t, x, N) == 0, "int16 feed");
  /* 0.25 * 1024 = 256, 100 * 1024 = 102400 -> 32767. */
  CHECK(q16[0] == -7 && q16[1] == 249 && q16[2] == -263 && q16[5] == 1017 &&
            q16[6] == 32767 && q16[7] == -32768 && q16[8] == -7 &&
            q16[9] == 32767 && q16[10] == -32768,
        "int16 values: %d %d %d %d %d", q16[0], q16[1], q16[2], q16[5], q16[6]);

  /* Round trip through int8: within half a step when not saturated. */
  float back[N];
  t = view(MOTE_INT8, q8, N, 0.5f, 3);
  CHECK(read_output_f32(&t, back, N) == 0, "int8 read");
  CHECK(back[0] == 0.0f && back[1] == 0.5f && back[2] == -0.5f &&
            back[6] == 62.0f && back[7] == -65.5f,
        "int8 dequant: %g %g %g %g", (double)back[1], (double)back[2],
        (double)back[6], (double)back[7]);
  for (int i = 0; i < 6; i++)
    CHECK(fabsf(back[i] - x[i]) <= 0.25f, "round trip %d: %g vs %g", i,
          (double)back[i], (double)x[i]);
  t = view(MOTE_UINT8, qu, N, 0.5f, 3);
  CHECK(read_output_f32(&t, back, N) == 0 && back[6] == 100.0f &&
            back[7] == -1.5f,
        "uint8 dequant %g %g", (double)back[6], (double)back[7]);
  t = view(MOTE_INT16, q16, N, 1.0f / 1024.0f, -7);
  CHECK(read_output_f32(&t, back, N) == 0 && back[5] == 1.0f &&
            back[1] == 0.25f && back[6] == 32774.0f / 1024.0f,
        "int16 dequant %.9g", (double)back[5]);
  /* Rounding of a non-power-of-two scale follows float division. */
  const float third = 0.5f;
  t = view(MOTE_INT16, q16, 1, 1.0f / 3.0f, 0);
  CHECK(feed_input_f32(&t, &third, 1) == 0 &&
            q16[0] == (int16_t)roundf(0.5f / (1.0f / 3.0f)),
        "int16 1/3 scale: %d", q16[0]);

  /* Every uint8 pixel v/255 fed at scale 1/255 zp -128 comes back as
   * exactly v - 128 (how mote eval feeds int8 image models). */
  int ok = 1;
  for (int v = 0; v < 256; v++) {
    float px = (float)v / 255.0f;
    int8_t q;
    mote_tensor one = view(MOTE_INT8, &q, 1, 1.0f / 255.0f, -128);
    ok &= feed_input_f32(&one, &px, 1) == 0 && q == v - 128;
  }
  CHECK(ok, "pixels v/255 quantize to v-128");

  /* float32: copied both ways, NaN included. */
  float f[N];
  t = view(MOTE_FLOAT32, f, N, 0.0f, 0);
  CHECK(feed_input_f32(&t, x, N) == 0 && memcmp(f, x, sizeof f) == 0,
        "float feed copies");
  CHECK(read_output_f32(&t, back, N) == 0 && memcmp(back, x, sizeof f) == 0,
        "float read copies");

  /* Unquantized int8 (no scale): plain values, saturated. */
  t = view(MOTE_INT8, q8, 3, 0.0f, 0);
  const float raw[3] = {-3.5f, 2.4f, 300.0f};
  CHECK(feed_input_f32(&t, raw, 3) == 0 && q8[0] == -4 && q8[1] == 2 &&
            q8[2] == 127,
        "int8 without scale: %d %d %d", q8[0], q8[1], q8[2]);
  CHECK(read_output_f32(&t, back, 3) == 0 && back[0] == -4.0f,
        "int8 read without scale");

  /* Other output types. */
  int32_t i32[2] = {-5, 100000};
  t = view(MOTE_INT32, i32, 2, 0.5f, 1);
  CHECK(read_output_f32(&t, back, 2) == 0 && back[0] == -3.0f &&
            back[1] == 49999.5f,
        "int32 read");
  CHECK(feed_input_f32(&t, x, 2) == -1, "int32 input is not fed");
  int64_t i64[2] = {-2, 7};
  t = view(MOTE_INT64, i64, 2, 0.0f, 0);
  CHECK(
      read_output_f32(&t, back, 2) == 0 && back[0] == -2.0f && back[1] == 7.0f,
      "int64 read");
  uint8_t bl[2] = {0, 5};
  t = view(MOTE_BOOL, bl, 2, 0.0f, 0);
  CHECK(read_output_f32(&t, back, 2) == 0 && back[0] == 0.0f && back[1] == 1.0f,
        "bool read");

  /* Refusals: wrong count, no data, unsupported type. */
  t = view(MOTE_INT8, q8, N, 0.5f, 0);
  CHECK(feed_input_f32(&t, x, N - 1) == -1, "short feed refused");
  CHECK(read_output_f32(&t, back, N + 1) == -1, "long read refused");
  t.data = NULL;
  CHECK(feed_input_f32(&t, x, N) == -1, "NULL data refused");
  t = view(MOTE_STRING, q8, 2, 0.0f, 0);
  CHECK(feed_input_f32(&t, x, 2) == -1 && read_output_f32(&t, back, 2) == -1,
        "string refused");

  /* tensor_elems: count, or dims product when count is not set. */
  mote_tensor h;
  memset(&h, 0, sizeof h);
  h.ndim = 4;
  h.dims[0] = 1;
  h.dims[1] = 28;
  h.dims[2] = 28;
  h.dims[3] = 1;
  CHECK(tensor_elems(&h) == 784, "elems from dims: %zu", tensor_elems(&h));
  h.count = 5;
  CHECK(tensor_elems(&h) == 5, "elems from count");
  h.count = 0;
  h.ndim = 0;
  CHECK(tensor_elems(&h) == 1, "scalar has 1 element");

  return check_summary();
}
