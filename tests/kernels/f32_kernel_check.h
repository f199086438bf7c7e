/*
** f32_kernel_check.h: the tolerance test of a set of float32 CONV_2D,
** DEPTHWISE_CONV_2D and FULLY_CONNECTED kernels against the reference
** kernels (test_kernels_avx512_f32.c, test_kernels_neon_f32.c), on seeded
** random shapes: strides, dilations, paddings with windows partly or
** wholly outside the image, channel counts with every tail length,
** batches, depth multipliers, activation ranges, and conv row slices as a
** worker pool calls them (out_h a slice, pad_h shifted: negative or beyond
** the filter, output pointer at the slice).
**
** The sums are not bit-exact (fused multiply-adds in another order): each
** output must lie within 1e-5 * sum |terms| of the reference, the magnitude
** being the reference kernel run on absolute values of input, weights and
** bias (as tests/kernels/test_kernels_avx2.c).
**
** Include once, after common/check.h, defining F32_CHECK_SEED; describe
** the kernels in an f32_kernels and call f32_check_all.
*/
#ifndef MOTE_TESTS_F32_KERNEL_CHECK_H
#define MOTE_TESTS_F32_KERNEL_CHECK_H

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/ref/conv_ref.h"
#include "kernels/ref/fc_ref.h"

/* The kernels under test. GEMM weights ([rows][k] row-major) go through
 * pack; the depthwise filter through dw_pack when it is not NULL. */
typedef struct f32_kernels {
  int (*conv_ok)(const mote_conv_geom *g);
  int (*dw_ok)(const mote_conv_geom *g);
  size_t (*pack_bytes)(int32_t rows, int32_t k);
  const float *(*pack)(const float *w, int32_t rows, int32_t k, void *mem);
  size_t (*dw_pack_bytes)(const mote_conv_geom *g);
  const float *(*dw_pack)(const mote_conv_geom *g, const float *filter,
                          void *mem);
  size_t (*conv_scratch)(const mote_conv_geom *g);
  size_t scratch_skew; /* bytes the scratch is moved off malloc's alignment */
  void (*conv)(const mote_conv_geom *g, const mote_conv_f32_params *p,
               const float *input, const float *packed, const float *bias,
               float *output, void *scratch);
  void (*dw)(const mote_conv_geom *g, const mote_conv_f32_params *p,
             const float *input, const float *filter, const float *bias,
             float *output);
  void (*fc)(const mote_fc_dims *n, const mote_fc_f32_params *p,
             const float *input, const float *packed, const float *bias,
             float *output);
} f32_kernels;

static uint64_t state = F32_CHECK_SEED;

static uint32_t rnd(void) {
  state = state * 6364136223846793005ULL + 1442695040888963407ULL;
  return (uint32_t)(state >> 33);
}

/* In [lo, hi]. */
static int32_t pick(int32_t lo, int32_t hi) {
  return lo + (int32_t)(rnd() % (uint32_t)(hi - lo + 1));
}

/* n random values in (-1, 1), and their magnitudes in *mag. */
static float *rand_f32(size_t n, float **mag) {
  float *v = malloc(sizeof(float) * (n ? n : 1));
  *mag = malloc(sizeof(float) * (n ? n : 1));
  for (size_t i = 0; i < n; i++) {
    v[i] = (float)((double)(int32_t)(rnd() - 0x80000000u) / 2147483648.0);
    (*mag)[i] = fabsf(v[i]);
  }
  return v;
}

static void act(float *lo, float *hi) {
  static const float lim[4][2] = {
      {0.0f, 6.0f}, {0.0f, FLT_MAX}, {-1.0f, 1.0f}, {-FLT_MAX, FLT_MAX}};
  int i = pick(0, 4) % 4;
  *lo = lim[i][0];
  *hi = lim[i][1];
}

/* |got - want| <= 1e-5 * mag for each of n outputs. */
static int close_all(const float *got, const float *want, const float *mag,
                     size_t n, size_t *bad) {
  for (size_t i = 0; i < n; i++)
    if (!(fabs((double)got[i] - (double)want[i]) <= 1e-5 * (double)mag[i])) {
      *bad = i;
      return 0;
    }
  return 1;
}

static void geom(mote_conv_geom *g, int dw) {
  memset(g, 0, sizeof *g);
  g->batches = pick(1, 3);
  g->in_h = pick(1, 13);
  g->in_w = pick(1, 13);
  g->in_c = pick(0, 2) == 0 ? pick(1, 5) : pick(1, 80);
  g->filt_h = pick(1, 5);
  g->filt_w = pick(1, 5);
  switch (pick(0, 5)) {
    case 0:
      g->filt_h = g->filt_w = 1;
      break;
    case 1:
    case 2:
      g->filt_h = g->filt_w = 3;
      break;
    default:
      break;
  }
  g->stride_h = pick(1, 3);
  g->stride_w = pick(1, 3);
  g->dil_h = pick(0, 3) == 0 ? pick(2, 3) : 1;
  g->dil_w = pick(0, 3) == 0 ? pick(2, 3) : 1;
  /* Sometimes beyond the filter's extent. */
  g->pad_h = pick(0, pick(0, 4) == 0 ? g->filt_h + 3 : g->filt_h);
  g->pad_w = pick(0, pick(0, 4) == 0 ? g->filt_w + 3 : g->filt_w);
  int32_t eh = (g->filt_h - 1) * g->dil_h + 1,
          ew = (g->filt_w - 1) * g->dil_w + 1;
  int32_t oh = (g->in_h + 2 * g->pad_h - eh) / g->stride_h + 1;
  int32_t ow = (g->in_w + 2 * g->pad_w - ew) / g->stride_w + 1;
  /* Sometimes beyond the padded image (a fused PAD's trailing rows and
   * columns, fuse.c): bias-only outputs. */
  g->out_h = (oh < 1 ? 1 : oh) + (pick(0, 4) == 0 ? pick(1, 4) : 0);
  g->out_w = (ow < 1 ? 1 : ow) + (pick(0, 4) == 0 ? pick(1, 4) : 0);
  if (dw) {
    g->filt_in_c = 1;
    g->depth_multiplier = pick(0, 2) == 0 ? pick(2, 7) : 1;
    if (g->depth_multiplier > 1) g->in_c = pick(1, 20);
    g->out_c = g->in_c * g->depth_multiplier;
  } else {
    g->filt_in_c = g->in_c;
    g->depth_multiplier = 1;
    g->out_c = pick(0, 2) == 0 ? pick(1, 17) : pick(1, 100);
  }
}

static void show(const char *what, int it, const mote_conv_geom *g, size_t i,
                 float got, float want) {
  printf(
      "  %s case %d: n=%d in=%dx%dx%d filt=%dx%d oc=%d dm=%d stride=%d,%d "
      "dil=%d,%d pad=%d,%d out=%dx%d; element %zu: %.9g vs %.9g\n",
      what, it, g->batches, g->in_h, g->in_w, g->in_c, g->filt_h, g->filt_w,
      g->out_c, g->depth_multiplier, g->stride_h, g->stride_w, g->dil_h,
      g->dil_w, g->pad_h, g->pad_w, g->out_h, g->out_w, i, (double)got,
      (double)want);
}

/* Runs the kernel under test on geometry h into out (w: the packed
 * weights, or the model's depthwise filter). */
static void run(const f32_kernels *k, int dw, const mote_conv_geom *h,
                const mote_conv_f32_params *p, const float *in, const float *w,
                const float *bias, float *out) {
  if (dw) {
    k->dw(h, p, in, w, bias, out);
  } else {
    size_t sb = k->conv_scratch(h);
    unsigned char *s = malloc(sb + k->scratch_skew);
    /* Off malloc's alignment on purpose; garbage in it. */
    memset(s, 0x7f, sb + k->scratch_skew);
    k->conv(h, p, in, w, bias, out, s + k->scratch_skew);
    free(s);
  }
}

static void test_conv(const f32_kernels *k, int cases, int dw) {
  const char *what = dw ? "dwconv_f32" : "conv_f32";
  for (int it = 0; it < cases; it++) {
    mote_conv_geom g;
    geom(&g, dw);
    if (dw && pick(0, 9) == 0) { /* a large filter */
      g.filt_h = pick(5, 9);
      g.filt_w = pick(5, 9);
      g.pad_h = pick(0, g.filt_h);
      g.pad_w = pick(0, g.filt_w);
      g.out_h = pick(1, 6);
      g.out_w = pick(1, 6);
    }
    if (!dw && pick(0, 19) == 0) { /* a tall window (gathered whole) */
      g.filt_h = pick(15, 18);
      g.pad_h = pick(0, g.filt_h);
      g.out_h = pick(1, 5);
    }
    mote_conv_f32_params p, pm = {-FLT_MAX, FLT_MAX};
    act(&p.act_min, &p.act_max);
    const size_t K = (size_t)(g.filt_h * g.filt_w * g.filt_in_c);
    size_t ni = (size_t)(g.batches * g.in_h * g.in_w * g.in_c);
    size_t nf =
        dw ? (size_t)(g.filt_h * g.filt_w * g.out_c) : (size_t)g.out_c * K;
    size_t no = (size_t)(g.batches * g.out_h * g.out_w * g.out_c);
    float *ai, *af, *ab;
    float *in = rand_f32(ni, &ai), *f = rand_f32(nf, &af);
    float *bias = rand_f32((size_t)g.out_c, &ab);
    if (pick(0, 4) == 0) {
      free(bias);
      free(ab);
      bias = ab = NULL;
    }
    float *o1 = malloc(sizeof(float) * no), *o2 = malloc(sizeof(float) * no),
          *om = malloc(sizeof(float) * no);
    void *pk = NULL;
    const float *w = f;
    int ok = dw ? k->dw_ok(&g) : k->conv_ok(&g);
    CHECK(ok, "%s case %d declined", what, it);
    if (ok) {
      if (!dw) {
        pk = malloc(k->pack_bytes(g.out_c, (int32_t)K));
        w = k->pack(f, g.out_c, (int32_t)K, pk);
      } else if (k->dw_pack) {
        pk = malloc(k->dw_pack_bytes(&g));
        w = k->dw_pack(&g, f, pk);
      }
      if (dw) {
        mote_dwconv2d_f32_ref(&g, &p, in, f, bias, o1);
        mote_dwconv2d_f32_ref(&g, &pm, ai, af, ab, om);
      } else {
        mote_conv2d_f32_ref(&g, &p, in, f, bias, o1);
        mote_conv2d_f32_ref(&g, &pm, ai, af, ab, om);
      }
      for (size_t i = 0; i < no; i++) o2[i] = NAN;
      run(k, dw, &g, &p, in, w, bias, o2);
      size_t bad = 0;
      int good = close_all(o2, o1, om, no, &bad);
      CHECK(good, "%s case %d", what, it);
      if (!good) show(what, it, &g, bad, o2[bad], o1[bad]);
      /* Row slices (one batch): out_h the slice, pad_h shifted. */
      if (g.batches == 1 && g.out_h > 1) {
        const size_t row = (size_t)(g.out_w * g.out_c);
        for (size_t i = 0; i < no; i++) o2[i] = NAN;
        for (int32_t r0 = 0; r0 < g.out_h;) {
          int32_t r1 = r0 + pick(1, 3);
          if (r1 > g.out_h) r1 = g.out_h;
          mote_conv_geom h = g;
          h.out_h = r1 - r0;
          h.pad_h = g.pad_h - r0 * g.stride_h;
          run(k, dw, &h, &p, in, w, bias, o2 + (size_t)r0 * row);
          r0 = r1;
        }
        good = close_all(o2, o1, om, no, &bad);
        CHECK(good, "%s case %d in row slices", what, it);
        if (!good) show(what, it, &g, bad, o2[bad], o1[bad]);
      }
    }
    free(pk);
    free(in);
    free(ai);
    free(f);
    free(af);
    free(bias);
    free(ab);
    free(o1);
    free(o2);
    free(om);
  }
}

static void test_fc(const f32_kernels *k, int cases) {
  for (int it = 0; it < cases; it++) {
    mote_fc_dims n;
    n.batches = pick(0, 2) == 0 ? 1 : pick(1, 19);
    n.depth = pick(0, 3) == 0 ? pick(1, 20) : pick(1, 700);
    n.units = pick(0, 2) == 0 ? pick(1, 17) : pick(1, 150);
    mote_fc_f32_params p, pm = {-FLT_MAX, FLT_MAX};
    act(&p.act_min, &p.act_max);
    size_t ni = (size_t)n.batches * (size_t)n.depth;
    size_t nw = (size_t)n.units * (size_t)n.depth;
    size_t no = (size_t)n.batches * (size_t)n.units;
    float *ai, *aw, *ab;
    float *in = rand_f32(ni, &ai), *w = rand_f32(nw, &aw);
    float *bias = rand_f32((size_t)n.units, &ab);
    if (pick(0, 4) == 0) {
      free(bias);
      free(ab);
      bias = ab = NULL;
    }
    float *o1 = malloc(sizeof(float) * no), *o2 = malloc(sizeof(float) * no),
          *om = malloc(sizeof(float) * no);
    void *pk = malloc(k->pack_bytes(n.units, n.depth));
    const float *packed = k->pack(w, n.units, n.depth, pk);
    mote_fc_f32_ref(&n, &p, in, w, bias, o1);
    mote_fc_f32_ref(&n, &pm, ai, aw, ab, om);
    for (size_t i = 0; i < no; i++) o2[i] = NAN;
    k->fc(&n, &p, in, packed, bias, o2);
    size_t bad = 0;
    int good = close_all(o2, o1, om, no, &bad);
    CHECK(good,
          "fc_f32 case %d: batches %d depth %d units %d: element %zu: %.9g vs "
          "%.9g",
          it, n.batches, n.depth, n.units, bad, (double)o2[bad],
          (double)o1[bad]);
    free(pk);
    free(in);
    free(ai);
    free(w);
    free(aw);
    free(bias);
    free(ab);
    free(o1);
    free(o2);
    free(om);
  }
}

static void test_declines(const f32_kernels *k) {
  mote_conv_geom g;
  geom(&g, 0);
  g.in_c = 8;
  g.filt_in_c = 4; /* grouped */
  CHECK(!k->conv_ok(&g), "grouped conv accepted");
  geom(&g, 1);
  g.out_c = g.in_c * g.depth_multiplier + 1;
  CHECK(!k->dw_ok(&g), "depthwise channels != in_c * multiplier accepted");
}

/* FULLY_CONNECTED, CONV_2D and DEPTHWISE_CONV_2D on `cases` random shapes
 * each, then what must be declined. */
static void f32_check_all(const f32_kernels *k, int cases) {
  test_fc(k, cases);
  test_conv(k, cases, 0);
  test_conv(k, cases, 1);
  test_declines(k);
}

#endif
