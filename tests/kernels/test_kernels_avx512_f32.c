/*
** test_kernels_avx512_f32.c: the AVX-512 float32 CONV_2D, DEPTHWISE_CONV_2D
** and FULLY_CONNECTED kernels (src/kernels/x86_avx512/f32_avx512.h) against
** the reference kernels on seeded random shapes: strides, dilations,
** paddings with windows partly or wholly outside the image, channel counts
** with every tail length, batches, depth multipliers, activation ranges,
** and conv row slices as a worker pool calls them (out_h a slice, pad_h
** shifted: negative or beyond the filter, output pointer at the slice).
**
** The sums are not bit-exact (fused multiply-adds in another order): each
** output must lie within 1e-5 * sum |terms| of the reference, the magnitude
** being the reference kernel run on absolute values of input, weights and
** bias (as tests/kernels/test_kernels_avx2.c).
**
** This file has no AVX-512 flags: it checks CPUID first and fails (exit 1)
** on a CPU without AVX-512, where the kernels cannot run.
*/
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/check.h"
#include "kernels/isa.h"
#include "kernels/x86_avx512/f32_avx512.h"

static uint64_t state = 0x61767835u;

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
  /* Sometimes beyond the padded image: bias-only outputs. */
  g->out_h = (oh < 1 ? 1 : oh) + (pick(0, 5) == 0);
  g->out_w = (ow < 1 ? 1 : ow) + (pick(0, 5) == 0);
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

/* Runs the kernel under test on geometry h into out. */
static void run(int dw, const mote_conv_geom *h, const mote_conv_f32_params *p,
                const float *in, const float *f, const float *packed,
                const float *bias, float *out) {
  if (dw) {
    mote_dwconv2d_f32_avx512(h, p, in, f, bias, out);
  } else {
    size_t sb = mote_conv2d_f32_avx512_scratch(h);
    unsigned char *s = malloc(sb + 1);
    /* Misaligned on purpose: the kernel aligns its scratch itself. */
    memset(s, 0x7f, sb + 1);
    mote_conv2d_f32_avx512(h, p, in, packed, bias, out, s + 1);
    free(s);
  }
}

static void test_conv(int cases, int dw) {
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
    const float *packed = NULL;
    int ok = dw ? mote_dwconv2d_f32_avx512_supported(&g)
                : mote_conv2d_f32_avx512_supported(&g);
    CHECK(ok, "%s case %d declined", what, it);
    if (ok) {
      if (!dw) {
        pk = malloc(mote_f32_avx512_pack_bytes(g.out_c, (int32_t)K));
        packed = mote_f32_avx512_pack(f, g.out_c, (int32_t)K, pk);
      }
      if (dw) {
        mote_dwconv2d_f32_ref(&g, &p, in, f, bias, o1);
        mote_dwconv2d_f32_ref(&g, &pm, ai, af, ab, om);
      } else {
        mote_conv2d_f32_ref(&g, &p, in, f, bias, o1);
        mote_conv2d_f32_ref(&g, &pm, ai, af, ab, om);
      }
      for (size_t i = 0; i < no; i++) o2[i] = NAN;
      run(dw, &g, &p, in, f, packed, bias, o2);
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
          run(dw, &h, &p, in, f, packed, bias, o2 + (size_t)r0 * row);
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

static void test_fc(int cases) {
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
    void *pk = malloc(mote_f32_avx512_pack_bytes(n.units, n.depth));
    const float *packed = mote_f32_avx512_pack(w, n.units, n.depth, pk);
    mote_fc_f32_ref(&n, &p, in, w, bias, o1);
    mote_fc_f32_ref(&n, &pm, ai, aw, ab, om);
    for (size_t i = 0; i < no; i++) o2[i] = NAN;
    mote_fc_f32_avx512(&n, &p, in, packed, bias, o2);
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

static void test_declines(void) {
  mote_conv_geom g;
  geom(&g, 0);
  g.in_c = 8;
  g.filt_in_c = 4; /* grouped */
  CHECK(!mote_conv2d_f32_avx512_supported(&g), "grouped conv accepted");
  geom(&g, 1);
  g.out_c = g.in_c * g.depth_multiplier + 1;
  CHECK(!mote_dwconv2d_f32_avx512_supported(&g),
        "depthwise channels != in_c * multiplier accepted");
}

int main(void) {
  if (!(mote_isa_cpu() & MOTE_ISA_AVX512)) {
    printf(
        "CPUID: this CPU has no AVX-512 F/BW/VL/DQ/VNNI (or the OS does not "
        "save ZMM): the AVX-512 kernels cannot be tested here\n");
    return 1;
  }
  CHECK(mote_isa_allowed(MOTE_ISA_AUTO) & MOTE_ISA_AVX512,
        "AVX-512 not allowed under MOTE_ISA_AUTO");
  test_fc(1500);
  test_conv(1500, 0);
  test_conv(1500, 1);
  test_declines();
  return check_summary();
}
