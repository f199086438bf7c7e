/*
** test_shape_ops.c: the data-movement kernels (TRANSPOSE, PAD, CONCAT,
** STRIDED_SLICE) and MEAN, on small hand-made cases, against a naive
** index computation written independently here, or hand-derived values.
*/
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "kernels/mote_requant.h"
#include "kernels/ref/shape_ref.h"

static int g_pass, g_fail;

#define CHECK(cond, ...)                          \
  do {                                            \
    if (cond) {                                   \
      g_pass++;                                   \
    } else {                                      \
      g_fail++;                                   \
      printf("FAIL %s:%d: ", __func__, __LINE__); \
      printf(__VA_ARGS__);                        \
      printf("\n");                               \
    }                                             \
  } while (0)

static uint32_t g_rng = 2463534242u;
static uint32_t rnd(void) {
  g_rng ^= g_rng << 13;
  g_rng ^= g_rng >> 17;
  g_rng ^= g_rng << 5;
  return g_rng;
}

/* Row-major flat index of idx[] in dims[] (rank r). */
static size_t flat(const int32_t *idx, const int32_t *dims, int r) {
  size_t f = 0;
  for (int i = 0; i < r; i++) f = f * (size_t)dims[i] + (size_t)idx[i];
  return f;
}

/* Advance a row-major multi-index; 0 when it wrapped around. */
static int next_index(int32_t *idx, const int32_t *dims, int r) {
  for (int i = r - 1; i >= 0; i--) {
    if (++idx[i] < dims[i]) return 1;
    idx[i] = 0;
  }
  return 0;
}

/* ---------------- TRANSPOSE ---------------- */

static void make_transpose(mote_transpose_params *p, const int32_t *dims,
                           const int32_t *perm, int r) {
  int32_t st[6];
  int32_t s = 1;
  for (int i = r - 1; i >= 0; i--) {
    st[i] = s;
    s *= dims[i];
  }
  int lead = 6 - r;
  for (int i = 0; i < lead; i++) {
    p->out_dims[i] = 1;
    p->in_strides[i] = 0;
  }
  for (int i = 0; i < r; i++) {
    p->out_dims[lead + i] = dims[perm[i]];
    p->in_strides[lead + i] = st[perm[i]];
  }
}

/* Naive: out[o_0..o_r-1] = in[i] with i[perm[k]] = o_k. */
static void check_transpose(const int32_t *dims, const int32_t *perm, int r) {
  enum { N = 720 };
  int8_t in8[N] = {0}, out8[N];
  int16_t in16[N] = {0}, out16[N];
  int32_t in32[N] = {0}, out32[N];
  int64_t in64[N] = {0}, out64[N];
  size_t n = 1;
  for (int i = 0; i < r; i++) n *= (size_t)dims[i];
  for (size_t i = 0; i < n; i++) {
    uint32_t v = rnd();
    in8[i] = (int8_t)v;
    in16[i] = (int16_t)v;
    in32[i] = (int32_t)v;
    in64[i] = (int64_t)v * 7919;
  }
  mote_transpose_params p;
  make_transpose(&p, dims, perm, r);
  mote_transpose_x8_ref(&p, in8, out8);
  mote_transpose_x16_ref(&p, in16, out16);
  mote_transpose_x32_ref(&p, in32, out32);
  mote_transpose_x64_ref(&p, in64, out64);
  int32_t odims[6], o[6] = {0}, ii[6];
  for (int k = 0; k < r; k++) odims[k] = dims[perm[k]];
  size_t bad = 0;
  do {
    for (int k = 0; k < r; k++) ii[perm[k]] = o[k];
    size_t fo = flat(o, odims, r), fi = flat(ii, dims, r);
    if (out8[fo] != in8[fi] || out16[fo] != in16[fi] || out32[fo] != in32[fi] ||
        out64[fo] != in64[fi])
      bad++;
  } while (next_index(o, odims, r));
  CHECK(bad == 0, "rank %d: %zu of %zu elements wrong", r, bad, n);
}

static void test_transpose(void) {
  {
    /* 2x3 -> 3x2 by hand. */
    int8_t in[6] = {1, 2, 3, 4, 5, 6}, out[6];
    const int8_t want[6] = {1, 4, 2, 5, 3, 6};
    const int32_t d[2] = {2, 3}, pm[2] = {1, 0};
    mote_transpose_params p;
    make_transpose(&p, d, pm, 2);
    mote_transpose_x8_ref(&p, in, out);
    CHECK(memcmp(out, want, 6) == 0, "2x3 transpose");
  }
  const int32_t d1[1] = {7}, p1[1] = {0};
  check_transpose(d1, p1, 1);
  const int32_t d3[3] = {3, 4, 5}, p3[3] = {2, 0, 1};
  check_transpose(d3, p3, 3);
  const int32_t d4[4] = {2, 3, 4, 5}, p4[4] = {0, 3, 1, 2};
  check_transpose(d4, p4, 4);
  const int32_t p4b[4] = {3, 2, 1, 0};
  check_transpose(d4, p4b, 4);
  const int32_t d5[5] = {2, 1, 3, 4, 2}, p5[5] = {4, 2, 0, 3, 1};
  check_transpose(d5, p5, 5);
  const int32_t d6[6] = {2, 3, 1, 4, 3, 2}, p6[6] = {5, 3, 1, 0, 4, 2};
  check_transpose(d6, p6, 6);
}

/* ---------------- PAD ---------------- */

static void check_pad(const int32_t *dims, const int32_t *l, const int32_t *rt,
                      int r) {
  enum { N = 4096 };
  static int8_t in8[N], out8[N];
  static int16_t in16[N], out16[N];
  static int32_t in32[N], out32[N];
  int32_t od[5];
  size_t n = 1, on = 1;
  for (int i = 0; i < r; i++) {
    od[i] = l[i] + dims[i] + rt[i];
    n *= (size_t)dims[i];
    on *= (size_t)od[i];
  }
  for (size_t i = 0; i < n; i++) {
    uint32_t v = rnd();
    in8[i] = (int8_t)v;
    in16[i] = (int16_t)v;
    in32[i] = (int32_t)v;
  }
  mote_pad_params p;
  int lead = 5 - r;
  for (int i = 0; i < 5; i++) {
    p.in_dims[i] = 1;
    p.left[i] = p.right[i] = 0;
  }
  for (int i = 0; i < r; i++) {
    p.in_dims[lead + i] = dims[i];
    p.left[lead + i] = l[i];
    p.right[lead + i] = rt[i];
  }
  memset(out8, 0x55, on);
  mote_pad_x8_ref(&p, in8, -128, out8);
  mote_pad_x16_ref(&p, in16, 32767, out16);
  mote_pad_x32_ref(&p, in32, INT32_MIN, out32);
  int32_t o[5] = {0}, ii[5];
  size_t bad = 0;
  do {
    int inside = 1;
    for (int k = 0; k < r; k++) {
      ii[k] = o[k] - l[k];
      if (ii[k] < 0 || ii[k] >= dims[k]) inside = 0;
    }
    size_t fo = flat(o, od, r);
    if (inside) {
      size_t fi = flat(ii, dims, r);
      if (out8[fo] != in8[fi] || out16[fo] != in16[fi] || out32[fo] != in32[fi])
        bad++;
    } else if (out8[fo] != -128 || out16[fo] != 32767 ||
               out32[fo] != INT32_MIN) {
      bad++;
    }
  } while (next_index(o, od, r));
  CHECK(bad == 0, "rank %d: %zu of %zu output elements wrong", r, bad, on);
}

static void test_pad(void) {
  {
    /* 1-D by hand: [1, 2] padded (2, 1) with 9 -> 9 9 1 2 9 */
    int8_t in[2] = {1, 2}, out[5];
    const int8_t want[5] = {9, 9, 1, 2, 9};
    mote_pad_params p = {{1, 1, 1, 1, 2}, {0, 0, 0, 0, 2}, {0, 0, 0, 0, 1}};
    mote_pad_x8_ref(&p, in, 9, out);
    CHECK(memcmp(out, want, 5) == 0, "1-D pad by hand");
  }
  {
    /* float32 moved as bit patterns: -0.0f and NaN payloads preserved. */
    float in[2] = {-0.0f, 1.5f}, out[4], pad = 0.25f;
    int32_t pv;
    memcpy(&pv, &pad, sizeof pv);
    mote_pad_params p = {{1, 1, 1, 1, 2}, {0, 0, 0, 0, 1}, {0, 0, 0, 0, 1}};
    mote_pad_x32_ref(&p, (const int32_t *)(const void *)in, pv,
                     (int32_t *)(void *)out);
    CHECK(
        out[0] == 0.25f && signbit(out[1]) && out[2] == 1.5f && out[3] == 0.25f,
        "float pad");
  }
  const int32_t d4[4] = {1, 5, 4, 3}, l4[4] = {0, 1, 2, 0},
                r4[4] = {0, 2, 1, 0};
  check_pad(d4, l4, r4, 4);
  const int32_t d3[3] = {2, 3, 5}, l3[3] = {1, 0, 3}, r3[3] = {0, 2, 1};
  check_pad(d3, l3, r3, 3);
  const int32_t d2[2] = {3, 4}, l2[2] = {2, 1}, r2[2] = {2, 0};
  check_pad(d2, l2, r2, 2);
  const int32_t d5[5] = {2, 2, 3, 2, 3}, l5[5] = {1, 0, 1, 2, 0},
                r5[5] = {0, 1, 1, 0, 2};
  check_pad(d5, l5, r5, 5);
  /* No padding at all: a copy. */
  const int32_t z4[4] = {0, 0, 0, 0};
  check_pad(d4, z4, z4, 4);
}

/* ---------------- CONCATENATION ---------------- */

static void test_concat(void) {
  /* inputs 2x3x2, 2x1x2, 2x2x2 along axis 1 -> 2x6x2 (int16). */
  int16_t a[12], b[4], c[8], out[24];
  for (int i = 0; i < 12; i++) a[i] = (int16_t)(100 + i);
  for (int i = 0; i < 4; i++) b[i] = (int16_t)(200 + i);
  for (int i = 0; i < 8; i++) c[i] = (int16_t)(-300 - i);
  const size_t es = sizeof(int16_t), inner = 2, ob = 6 * inner * es;
  memset(out, 0, sizeof out);
  mote_concat_copy_ref((const uint8_t *)a, (uint8_t *)out, 2, 3 * inner * es,
                       ob, 0);
  mote_concat_copy_ref((const uint8_t *)b, (uint8_t *)out, 2, 1 * inner * es,
                       ob, 3 * inner * es);
  mote_concat_copy_ref((const uint8_t *)c, (uint8_t *)out, 2, 2 * inner * es,
                       ob, 4 * inner * es);
  size_t bad = 0;
  for (int n = 0; n < 2; n++)
    for (int j = 0; j < 6; j++)
      for (int k = 0; k < 2; k++) {
        int16_t want = j < 3   ? a[(n * 3 + j) * 2 + k]
                       : j < 4 ? b[(n * 1 + j - 3) * 2 + k]
                               : c[(n * 2 + j - 4) * 2 + k];
        if (out[(n * 6 + j) * 2 + k] != want) bad++;
      }
  CHECK(bad == 0, "concat axis 1: %zu wrong", bad);
  /* Empty input block is a no-op. */
  int16_t before[24];
  memcpy(before, out, sizeof out);
  mote_concat_copy_ref((const uint8_t *)a, (uint8_t *)out, 2, 0, ob, 0);
  CHECK(memcmp(before, out, sizeof out) == 0, "empty block");
}

/* ---------------- STRIDED_SLICE ---------------- */

/* Python-style slice of one axis: explicit start/count/stride. */
static void check_sslice(const int32_t *dims, int r, const int32_t *start,
                         const int32_t *stride, const int32_t *count) {
  enum { N = 2048 };
  static int8_t in8[N], out8[N];
  static int16_t in16[N], out16[N];
  static int32_t in32[N], out32[N];
  size_t n = 1, on = 1;
  for (int i = 0; i < r; i++) {
    n *= (size_t)dims[i];
    on *= (size_t)count[i];
  }
  for (size_t i = 0; i < n; i++) {
    uint32_t v = rnd();
    in8[i] = (int8_t)v;
    in16[i] = (int16_t)v;
    in32[i] = (int32_t)v;
  }
  mote_sslice_params p;
  int lead = 5 - r;
  int32_t s = 1;
  for (int i = 4; i >= 0; i--) {
    p.in_strides[i] = s;
    if (i >= lead) s *= dims[i - lead];
  }
  for (int i = 0; i < lead; i++) {
    p.start[i] = 0;
    p.stride[i] = 1;
    p.count[i] = 1;
  }
  for (int i = 0; i < r; i++) {
    p.start[lead + i] = start[i];
    p.stride[lead + i] = stride[i];
    p.count[lead + i] = count[i];
  }
  mote_strided_slice_x8_ref(&p, in8, out8);
  mote_strided_slice_x16_ref(&p, in16, out16);
  mote_strided_slice_x32_ref(&p, in32, out32);
  if (on == 0) {
    CHECK(1, "empty");
    return;
  }
  int32_t o[5] = {0}, ii[5];
  size_t bad = 0;
  do {
    for (int k = 0; k < r; k++) ii[k] = start[k] + o[k] * stride[k];
    size_t fo = flat(o, count, r), fi = flat(ii, dims, r);
    if (out8[fo] != in8[fi] || out16[fo] != in16[fi] || out32[fo] != in32[fi])
      bad++;
  } while (next_index(o, count, r));
  CHECK(bad == 0, "rank %d: %zu of %zu wrong", r, bad, on);
}

static void test_strided_slice(void) {
  {
    /* 3x9, rows all, columns from -1 backwards by 2 -> 8 6 4 2 (by hand). */
    int8_t in[27], out[12];
    for (int i = 0; i < 27; i++) in[i] = (int8_t)i;
    mote_sslice_params p = {
        {0, 0, 0, 0, 8}, {1, 1, 1, 1, -2}, {1, 1, 1, 3, 4}, {27, 27, 27, 9, 1}};
    mote_strided_slice_x8_ref(&p, in, out);
    const int8_t want[12] = {8, 6, 4, 2, 17, 15, 13, 11, 26, 24, 22, 20};
    CHECK(memcmp(out, want, 12) == 0, "negative stride by hand");
  }
  const int32_t d4[4] = {1, 8, 7, 4};
  const int32_t s4[4] = {0, 1, 2, 0}, st4[4] = {1, 2, 1, 1},
                c4[4] = {1, 3, 4, 4};
  check_sslice(d4, 4, s4, st4, c4);
  const int32_t d3[3] = {4, 5, 3};
  const int32_t s3[3] = {3, 0, 2}, st3[3] = {-1, 1, -1}, c3[3] = {4, 5, 3};
  check_sslice(d3, 3, s3, st3, c3);
  const int32_t s3b[3] = {1, 4, 0}, st3b[3] = {2, -3, 2}, c3b[3] = {2, 2, 2};
  check_sslice(d3, 3, s3b, st3b, c3b);
  const int32_t d5[5] = {2, 3, 4, 2, 5};
  const int32_t s5[5] = {1, 2, 0, 0, 4}, st5[5] = {1, -1, 3, 1, -2},
                c5[5] = {1, 3, 2, 2, 3};
  check_sslice(d5, 5, s5, st5, c5);
  const int32_t c0[3] = {0, 5, 3};
  check_sslice(d3, 3, s3, st3, c0);
}

/* ---------------- MEAN ---------------- */

/* Fold 1/n into (qm, shift) like TFLite QuantizedMeanOrSum, written from
 * its description: shift by floor(log2 n) (at most 32 and 31 + shift). */
static void fold(double real, int32_t n, int32_t *qm, int32_t *sh) {
  int32_t m;
  int s;
  mote_quantize_multiplier(real, &m, &s);
  int k = 0;
  while (((int64_t)1 << (k + 1)) <= n) k++;
  if (k > 32) k = 32;
  if (k > 31 + s) k = 31 + s;
  *qm = (int32_t)(((int64_t)m << k) / n);
  *sh = s - k;
}

static mote_mean_params mean_params_2d(int32_t rows, int32_t cols,
                                       int reduce_rows) {
  /* [rows, cols], reduce one axis */
  mote_mean_params p;
  memset(&p, 0, sizeof p);
  for (int i = 0; i < 6; i++) p.in_dims[i] = 1;
  p.in_dims[4] = rows;
  p.in_dims[5] = cols;
  if (reduce_rows) {
    p.out_strides[5] = 1;
    p.num_out = cols;
    p.num_reduced = rows;
  } else {
    p.out_strides[4] = 1;
    p.num_out = rows;
    p.num_reduced = cols;
  }
  return p;
}

static void test_mean(void) {
  int32_t acc[16];
  {
    /* Scale ratio 1, n = 4 -> (2^30, shift -1): x/2 rounded, then /2
     * rounded again. Sum 5: 2.5 -> 3 -> 1.5 -> 2 (the exact mean 1.25
     * would give 1). Sum -5: -2.5 -> -2 (the high multiply rounds ties
     * up) -> -1. Sum 6: 3 -> 1.5 -> 2. Sum 2: 1 -> 0.5 -> 1. */
    mote_mean_params p = mean_params_2d(2, 4, 0);
    p.num_out = 4;
    p.in_dims[4] = 4;
    const int8_t in[16] = {2, 1, 1, 1, -2, -1, -1, -1, 3, 1, 1, 1, 1, 1, 0, 0};
    int8_t out[4];
    fold(1.0, 4, &p.multiplier, &p.shift);
    CHECK(p.multiplier == (1 << 30) && p.shift == -1, "fold 1/4: %d %d",
          p.multiplier, p.shift);
    mote_mean_s8_ref(&p, in, acc, out);
    CHECK(out[0] == 2 && out[1] == -1 && out[2] == 2 && out[3] == 1,
          "double rounding: %d %d %d %d", out[0], out[1], out[2], out[3]);
  }
  {
    /* Zero points and saturation, ratio 1, n = 2 -> (2^30, shift 0).
     * in_zp -128, out_zp 127: (127, 127) -> shifted sum 254 + 256 = 510,
     * mean 255, + 127 saturates at 127; (-128, -128) -> 0 + 127 = 127.
     * out_zp -128: 255 - 128 = 127 and 0 - 128 = -128.
     * in_zp 127, out_zp 0: 254 - 254 = 0; -256 - 254 = -510 -> -255
     * saturates at -128. */
    mote_mean_params p = mean_params_2d(2, 2, 0);
    const int8_t in[4] = {127, 127, -128, -128};
    int8_t out[2];
    p.in_zp = -128;
    p.out_zp = 127;
    fold(1.0, 2, &p.multiplier, &p.shift);
    mote_mean_s8_ref(&p, in, acc, out);
    CHECK(out[0] == 127 && out[1] == 127, "sat high: %d %d", out[0], out[1]);
    p.out_zp = -128;
    mote_mean_s8_ref(&p, in, acc, out);
    CHECK(out[0] == 127 && out[1] == -128, "zp -128: %d %d", out[0], out[1]);
    p.in_zp = 127;
    p.out_zp = 0;
    mote_mean_s8_ref(&p, in, acc, out);
    CHECK(out[0] == 0 && out[1] == -128, "in zp 127: %d %d", out[0], out[1]);
  }
  {
    /* int16 saturation with a ratio of 4 (shift +3 before folding). */
    mote_mean_params p = mean_params_2d(3, 2, 1);
    const int16_t in[6] = {30000, -30000, 30000, -30000, 30000, 3};
    int16_t out[2];
    fold(4.0, 3, &p.multiplier, &p.shift);
    mote_mean_s16_ref(&p, in, acc, out);
    CHECK(out[0] == 32767 && out[1] == -32768, "s16 sat: %d %d", out[0],
          out[1]);
    /* ratio 0.5, n = 3 -> (round(2^31 / 3), shift -1). Column 0: -12 ->
     * -4 -> -2. Column 1: 26 -> 8.67 rounds to 9 -> 4.5 -> 5 (exactly
     * 4.33: double rounding again). */
    const int16_t in2[6] = {-7, 9, -2, 9, -3, 8};
    fold(0.5, 3, &p.multiplier, &p.shift);
    mote_mean_s16_ref(&p, in2, acc, out);
    CHECK(out[0] == -2 && out[1] == 5, "s16 small: %d %d", out[0], out[1]);
  }
  {
    /* same_quant: plain int32 division truncating toward zero. */
    mote_mean_params p = mean_params_2d(2, 3, 0);
    p.same_quant = 1;
    p.in_zp = p.out_zp = 5; /* ignored on this path, as in TFLM */
    const int8_t in[6] = {-3, -3, -1, 3, 3, 1};
    int8_t out[2];
    mote_mean_s8_ref(&p, in, acc, out);
    CHECK(out[0] == -2 && out[1] == 2, "truncation: %d %d", out[0], out[1]);
  }
  {
    /* Reduce axes 0 and 2 of a 2x3x4 int16 tensor against a naive sum. */
    mote_mean_params p;
    memset(&p, 0, sizeof p);
    const int32_t d[6] = {1, 1, 1, 2, 3, 4};
    memcpy(p.in_dims, d, sizeof d);
    p.out_strides[4] = 1;
    p.num_out = 3;
    p.num_reduced = 8;
    p.same_quant = 1;
    int16_t in[24], out[3];
    int32_t want[3] = {0, 0, 0};
    for (int i = 0; i < 24; i++) {
      in[i] = (int16_t)((int32_t)(rnd() % 60001) - 30000);
      want[(i / 4) % 3] += in[i];
    }
    mote_mean_s16_ref(&p, in, acc, out);
    CHECK(
        out[0] == want[0] / 8 && out[1] == want[1] / 8 && out[2] == want[2] / 8,
        "axes 0,2: %d %d %d", out[0], out[1], out[2]);
  }
  {
    /* float: mean over the last axis and over everything. */
    mote_mean_params p = mean_params_2d(2, 3, 0);
    const float in[6] = {1.0f, 2.0f, 4.0f, -1.5f, 0.5f, 0.25f};
    float out[2];
    mote_mean_f32_ref(&p, in, out);
    CHECK(fabsf(out[0] - 7.0f / 3.0f) < 1e-6f &&
              fabsf(out[1] + 0.75f / 3.0f) < 1e-6f,
          "f32 mean %g %g", (double)out[0], (double)out[1]);
    p.out_strides[4] = 0;
    p.num_out = 1;
    p.num_reduced = 6;
    mote_mean_f32_ref(&p, in, out);
    CHECK(fabsf(out[0] - 6.25f / 6.0f) < 1e-6f, "f32 full %g", (double)out[0]);
  }
}

int main(void) {
  test_transpose();
  test_pad();
  test_concat();
  test_strided_slice();
  test_mean();
  printf("%d passed, %d failed\n", g_pass, g_fail);
  return g_fail ? 1 : 0;
}
