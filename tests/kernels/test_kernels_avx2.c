/*
** test_kernels_avx2.c: every AVX2 kernel against its reference kernel, bit
** for bit, on seeded random shapes: strides, paddings (windows partly or
** wholly outside the image), dilations, zero points, per-tensor and
** per-channel requantization (every shift TFLite can produce), channel and
** depth counts with every tail length, huge biases (int32 wrap-around),
** and activation ranges; int8 ADD (same shapes, scalar and row
** broadcasts, in place) and pools likewise. Also: the 8-lane requantizer
** against mote_mul_by_qm, and the shapes the kernels must decline.
**
** float32 kernels (FMA) are not bit-exact: their dot products add in
** another order with fused multiply-adds (see
** src/kernels/x86_avx2/avx2_f32.h). Each output must lie within 1e-5 *
** sum |terms| of the reference, the magnitude being the reference kernel
** run on absolute values of input, weights and bias.
**
** Fails (exit 1) if CPUID says this CPU has no AVX2: these tests exist to
** run the AVX2 code.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/isa.h"
#include <float.h>
#include <math.h>

#include "kernels/x86_avx2/add_avx2.h"
#include "kernels/x86_avx2/conv_avx2.h"
#include "kernels/x86_avx2/fc_avx2.h"
#include "kernels/x86_avx2/pool_avx2.h"

int avx2_requant_check(uint64_t *state, long iterations);

#include "kernel_rand.h"

static int compare(const char *what, int it, const int8_t *got,
                   const int8_t *want, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (got[i] != want[i]) {
      fprintf(stderr, "%s case %d: element %zu: avx2 %d, reference %d\n", what,
              it, i, got[i], want[i]);
      return 1;
    }
  return 0;
}

static int test_fc(int cases) {
  int fails = 0;
  for (int it = 0; it < cases; it++) {
    mote_fc_dims n;
    n.batches = uni(1, 4);
    n.depth = uni(0, 3) == 0 ? uni(1, 20) : uni(1, 700);
    if (uni(0, 20) == 0) n.depth = MOTE_AVX2_MAX_K - uni(0, 20);
    n.units = uni(0, 2) == 0 ? uni(1, 9) : uni(1, 80);
    mote_fc_q_params p;
    rq_store st;
    memset(&p, 0, sizeof p);
    make_rq(&p.rq, &st, n.units);
    p.input_offset = -uni(-128, 127);
    p.filter_offset = uni(0, 1) ? 0 : -uni(-128, 127);
    p.output_offset = uni(-128, 127);
    act_range(&p.act_min, &p.act_max);
    size_t ni = (size_t)n.batches * (size_t)n.depth;
    size_t nw = (size_t)n.units * (size_t)n.depth;
    size_t no = (size_t)n.batches * (size_t)n.units;
    /* Exact-size heap blocks: an overread shows under ASan. */
    int8_t *in = malloc(ni), *w = malloc(nw), *o1 = malloc(no),
           *o2 = malloc(no);
    fill_s8(in, ni);
    fill_s8(w, nw);
    int32_t *bias = make_bias(n.units);
    if (!mote_fc_s8_avx2_supported(&n)) {
      fprintf(stderr, "fc case %d: depth %d declined\n", it, (int)n.depth);
      fails++;
    } else {
      mote_fc_s8_ref(&n, &p, in, w, bias, o1);
      mote_fc_s8_avx2(&n, &p, in, w, bias, o2);
      fails += compare("fc", it, o2, o1, no);
    }
    free(in);
    free(w);
    free(o1);
    free(o2);
    free(bias);
    free(st.mult);
    free(st.shift);
  }
  mote_fc_dims big = {1, MOTE_AVX2_MAX_K + 1, 4};
  if (mote_fc_s8_avx2_supported(&big)) {
    fprintf(stderr, "fc: depth above MOTE_AVX2_MAX_K accepted\n");
    fails++;
  }
  return fails;
}

/* Random geometry; depthwise: multiplier 1 or 8, 16 (what the AVX2 kernel
 * takes). */
static void random_geom(mote_conv_geom *g, int depthwise) {
  memset(g, 0, sizeof *g);
  g->batches = uni(1, 2);
  g->in_h = uni(1, 12);
  g->in_w = uni(1, 12);
  g->in_c = uni(0, 2) == 0 ? uni(1, 4) : uni(1, 70);
  g->filt_h = uni(1, 5);
  g->filt_w = uni(1, 5);
  if (uni(0, 3) == 0) g->filt_h = g->filt_w = 1;
  g->stride_h = uni(1, 3);
  g->stride_w = uni(1, 3);
  g->dil_h = uni(0, 3) == 0 ? uni(2, 3) : 1;
  g->dil_w = uni(0, 3) == 0 ? uni(2, 3) : 1;
  g->pad_h = uni(0, g->filt_h);
  g->pad_w = uni(0, g->filt_w);
  /* Output extents: as far as the padded image allows, sometimes beyond
   * (windows wholly outside the image give bias-only outputs). */
  int32_t eh = (g->filt_h - 1) * g->dil_h + 1,
          ew = (g->filt_w - 1) * g->dil_w + 1;
  int32_t oh = (g->in_h + 2 * g->pad_h - eh) / g->stride_h + 1;
  int32_t ow = (g->in_w + 2 * g->pad_w - ew) / g->stride_w + 1;
  g->out_h = oh < 1 ? 1 : oh + (uni(0, 4) == 0 ? uni(1, 4) : 0);
  g->out_w = ow < 1 ? 1 : ow + (uni(0, 4) == 0 ? uni(1, 4) : 0);
  if (depthwise) {
    g->filt_in_c = 1;
    g->depth_multiplier = uni(0, 3) == 0 ? 8 * uni(1, 2) : 1;
    if (g->depth_multiplier > 1) g->in_c = uni(1, 5);
    g->out_c = g->in_c * g->depth_multiplier;
  } else {
    g->filt_in_c = g->in_c;
    g->depth_multiplier = 1;
    g->out_c = uni(0, 2) == 0 ? uni(1, 9) : uni(1, 70);
  }
}

static int test_conv(int cases, int depthwise) {
  const char *what = depthwise ? "dwconv" : "conv";
  int fails = 0;
  for (int it = 0; it < cases; it++) {
    mote_conv_geom g;
    random_geom(&g, depthwise);
    mote_conv_q_params p;
    rq_store st;
    memset(&p, 0, sizeof p);
    make_rq(&p.rq, &st, g.out_c);
    p.input_offset = -uni(-128, 127);
    p.output_offset = uni(-128, 127);
    act_range(&p.act_min, &p.act_max);
    size_t ni = (size_t)g.batches * (size_t)(g.in_h * g.in_w * g.in_c);
    size_t nf = depthwise ? (size_t)(g.filt_h * g.filt_w * g.out_c)
                          : (size_t)(g.out_c * g.filt_h * g.filt_w * g.in_c);
    size_t no = (size_t)g.batches * (size_t)(g.out_h * g.out_w * g.out_c);
    int8_t *in = malloc(ni), *f = malloc(nf), *o1 = malloc(no),
           *o2 = malloc(no);
    fill_s8(in, ni);
    fill_s8(f, nf);
    int32_t *bias = make_bias(g.out_c);
    int ok = depthwise ? mote_dwconv2d_s8_avx2_supported(&g)
                       : mote_conv2d_s8_avx2_supported(&g);
    if (!ok) {
      fprintf(stderr, "%s case %d declined\n", what, it);
      fails++;
    } else if (depthwise) {
      mote_dwconv2d_s8_ref(&g, &p, in, f, bias, o1);
      mote_dwconv2d_s8_avx2(&g, &p, in, f, bias, o2);
    } else {
      mote_conv2d_s8_ref(&g, &p, in, f, bias, o1);
      mote_conv2d_s8_avx2(&g, &p, in, f, bias, o2);
    }
    if (ok && compare(what, it, o2, o1, no)) {
      fprintf(stderr,
              "  n=%d in=%dx%dx%d filt=%dx%d oc=%d stride=%d,%d dil=%d,%d "
              "pad=%d,%d out=%dx%d\n",
              g.batches, g.in_h, g.in_w, g.in_c, g.filt_h, g.filt_w, g.out_c,
              g.stride_h, g.stride_w, g.dil_h, g.dil_w, g.pad_h, g.pad_w,
              g.out_h, g.out_w);
      fails++;
    }
    free(in);
    free(f);
    free(o1);
    free(o2);
    free(bias);
    free(st.mult);
    free(st.shift);
  }
  return fails;
}

/* ---- int8 ADD ---------------------------------------------------------- */

static void make_add_params(mote_addsub_q_params *p) {
  memset(p, 0, sizeof *p);
  p->in1_offset = -uni(-128, 127);
  p->in2_offset = -uni(-128, 127);
  p->out_offset = uni(-128, 127);
  p->left_shift = 20;
  if (uni(0, 4) == 0) {
    /* Anything the kernels accept: shifts in [-31, 0], any multiplier. */
    p->in1_mult = (int32_t)(next() >> 1);
    p->in2_mult = (int32_t)(next() >> 1);
    p->out_mult = (int32_t)(next() >> 1);
    p->in1_shift = -uni(0, 31);
    p->in2_shift = -uni(0, 31);
    p->out_shift = -uni(0, 31);
  } else {
    /* As prepare derives them (TFLM's ADD) from random scales. */
    double s1 = 0.001 + (next() % 100000) * 1e-6;
    double s2 = 0.001 + (next() % 100000) * 1e-6;
    double so = 0.001 + (next() % 200000) * 1e-6;
    double tm = 2.0 * (s1 < s2 ? s2 : s1);
    int sh = 0;
    mote_quantize_multiplier(s1 / tm, &p->in1_mult, &sh);
    p->in1_shift = sh;
    mote_quantize_multiplier(s2 / tm, &p->in2_mult, &sh);
    p->in2_shift = sh;
    mote_quantize_multiplier(tm / ((double)(1L << 20) * so), &p->out_mult, &sh);
    p->out_shift = sh;
  }
  act_range(&p->act_min, &p->act_max);
}

static int test_add(int cases) {
  int fails = 0;
  for (int it = 0; it < cases; it++) {
    /* Shapes: both the same, or one with random extents set to 1 and
     * maybe fewer (leading) dimensions: scalar, channel and row
     * broadcasts. */
    int32_t full[4], a[4], b[4], od[6];
    uint32_t r = (uint32_t)uni(1, 4), ra = r, rb = r, on = 0;
    for (uint32_t i = 0; i < r; i++) full[i] = uni(1, 9);
    if (uni(0, 2) == 0) full[r - 1] = uni(1, 300);
    memcpy(a, full, sizeof full);
    memcpy(b, full, sizeof full);
    int kind = uni(0, 3); /* 0,1: same; 2: b broadcast; 3: a broadcast */
    if (kind >= 2) {
      int32_t *t = kind == 2 ? b : a;
      uint32_t *rt = kind == 2 ? &rb : &ra;
      for (uint32_t i = 0; i < r; i++)
        if (uni(0, 1)) t[i] = 1;
      if (uni(0, 3) == 0) {
        uint32_t keep = (uint32_t)uni(1, (int32_t)r);
        memmove(t, t + (r - keep), sizeof(int32_t) * keep);
        *rt = keep;
      }
    }
    const int32_t *da = a, *db = b;
    mote_bcast bc;
    if (mote_bcast_init(&bc, da, ra, db, rb, od, &on) != MOTE_BCAST_OK) {
      fprintf(stderr, "add case %d: bad shapes\n", it);
      fails++;
      continue;
    }
    size_t n1 = 1, n2 = 1, no = (size_t)bc.count;
    for (uint32_t i = 0; i < ra; i++) n1 *= (size_t)da[i];
    for (uint32_t i = 0; i < rb; i++) n2 *= (size_t)db[i];
    mote_addsub_q_params p;
    make_add_params(&p);
    int8_t *i1 = malloc(n1), *i2 = malloc(n2), *o1 = malloc(no),
           *o2 = malloc(no);
    fill_s8(i1, n1);
    fill_s8(i2, n2);
    if (!mote_add_s8_avx2_supported(&bc)) {
      /* Only the walks with a strided innermost input may decline. */
      if (bc.stride1[bc.ndim - 1] <= 1 && bc.stride2[bc.ndim - 1] <= 1) {
        fprintf(stderr, "add case %d declined\n", it);
        fails++;
      }
    } else {
      mote_add_s8_ref(&p, &bc, i1, i2, o1);
      if (n1 == no && bc.stride1[bc.ndim - 1] == 1 && uni(0, 1)) {
        /* In place: out aliases input 1 (MOTE_OP_INPLACE). */
        mote_add_s8_avx2(&p, &bc, i1, i2, i1);
        fails += compare("add in place", it, i1, o1, no);
      } else {
        mote_add_s8_avx2(&p, &bc, i1, i2, o2);
        fails += compare("add", it, o2, o1, no);
      }
    }
    free(i1);
    free(i2);
    free(o1);
    free(o2);
  }
  return fails;
}

/* ---- int8 pools -------------------------------------------------------- */

static void random_pool(mote_pool_params *p) {
  memset(p, 0, sizeof *p);
  p->batches = uni(1, 2);
  p->in_h = uni(1, 12);
  p->in_w = uni(1, 12);
  p->depth = uni(0, 2) == 0 ? uni(1, 20) : uni(1, 70);
  p->filter_h = uni(1, 4);
  p->filter_w = uni(1, 4);
  if (uni(0, 6) == 0) { /* global pooling */
    p->filter_h = p->in_h;
    p->filter_w = p->in_w;
  }
  p->stride_h = uni(1, 3);
  p->stride_w = uni(1, 3);
  p->pad_h = uni(0, p->filter_h - 1);
  p->pad_w = uni(0, p->filter_w - 1);
  int32_t oh = (p->in_h + 2 * p->pad_h - p->filter_h) / p->stride_h + 1;
  int32_t ow = (p->in_w + 2 * p->pad_w - p->filter_w) / p->stride_w + 1;
  if (oh < 1) {
    p->pad_h = 0;
    p->filter_h = p->in_h;
    oh = 1;
  }
  if (ow < 1) {
    p->pad_w = 0;
    p->filter_w = p->in_w;
    ow = 1;
  }
  p->out_h = oh;
  p->out_w = ow;
  act_range(&p->act_min, &p->act_max);
}

static int test_pool(int cases, int avg) {
  const char *what = avg ? "avgpool" : "maxpool";
  int fails = 0;
  for (int it = 0; it < cases; it++) {
    mote_pool_params p;
    random_pool(&p);
    size_t ni = (size_t)p.batches * (size_t)(p.in_h * p.in_w * p.depth);
    size_t no = (size_t)p.batches * (size_t)(p.out_h * p.out_w * p.depth);
    int8_t *in = malloc(ni), *o1 = malloc(no), *o2 = malloc(no);
    fill_s8(in, ni);
    if (uni(0, 3) == 0) /* extremes: sums and maxima at the rails */
      for (size_t i = 0; i < ni; i++) in[i] = uni(0, 1) ? -128 : 127;
    if (avg && !mote_avg_pool_s8_avx2_supported(&p)) {
      fprintf(stderr, "%s case %d declined\n", what, it);
      fails++;
    } else {
      if (avg) {
        mote_avg_pool_s8_ref(&p, in, o1);
        mote_avg_pool_s8_avx2(&p, in, o2);
      } else {
        mote_max_pool_s8_ref(&p, in, o1);
        mote_max_pool_s8_avx2(&p, in, o2);
      }
      if (compare(what, it, o2, o1, no)) {
        fprintf(stderr,
                "  n=%d in=%dx%dx%d filt=%dx%d stride=%d,%d pad=%d,%d\n",
                p.batches, p.in_h, p.in_w, p.depth, p.filter_h, p.filter_w,
                p.stride_h, p.stride_w, p.pad_h, p.pad_w);
        fails++;
      }
    }
    free(in);
    free(o1);
    free(o2);
  }
  mote_pool_params big;
  random_pool(&big);
  big.filter_h = 257;
  big.filter_w = 256;
  if (mote_avg_pool_s8_avx2_supported(&big)) {
    fprintf(stderr, "avgpool: window above 65536 taps accepted\n");
    fails++;
  }
  return fails;
}

/* ---- float32 ----------------------------------------------------------- */

static void fill_f32(float *p, size_t n) {
  for (size_t i = 0; i < n; i++)
    p[i] = (float)((int32_t)(next() >> 8) - (1 << 23)) / (float)(1 << 23);
}

static float *abs_copy(const float *p, size_t n) {
  if (!p) return NULL;
  float *q = malloc(sizeof(float) * (n ? n : 1));
  for (size_t i = 0; i < n; i++) q[i] = fabsf(p[i]);
  return q;
}

static void act_range_f32(float *lo, float *hi) {
  switch (uni(0, 3)) {
    case 0:
      *lo = 0.0f;
      *hi = 6.0f;
      return;
    case 1:
      *lo = 0.0f;
      *hi = FLT_MAX;
      return;
    default:
      *lo = -FLT_MAX;
      *hi = FLT_MAX;
  }
}

/* |got - want| <= 1e-5 * mag (the sum of the terms' magnitudes). */
static int compare_f32(const char *what, int it, const float *got,
                       const float *want, const float *mag, size_t n) {
  for (size_t i = 0; i < n; i++) {
    double d = fabs((double)got[i] - (double)want[i]);
    if (!(d <= 1e-5 * (double)mag[i])) {
      fprintf(stderr,
              "%s case %d: element %zu: avx2 %.9g, reference %.9g "
              "(sum |terms| %.9g)\n",
              what, it, i, (double)got[i], (double)want[i], (double)mag[i]);
      return 1;
    }
  }
  return 0;
}

static float *make_bias_f32(int32_t n) {
  if (uni(0, 5) == 0) return NULL;
  float *b = malloc(sizeof(float) * (size_t)n);
  fill_f32(b, (size_t)n);
  return b;
}

static int test_fc_f32(int cases) {
  int fails = 0;
  for (int it = 0; it < cases; it++) {
    mote_fc_dims n;
    n.batches = uni(1, 4);
    n.depth = uni(0, 3) == 0 ? uni(1, 20) : uni(1, 1200);
    n.units = uni(0, 2) == 0 ? uni(1, 9) : uni(1, 80);
    mote_fc_f32_params p, pm = {-FLT_MAX, FLT_MAX};
    act_range_f32(&p.act_min, &p.act_max);
    size_t ni = (size_t)n.batches * (size_t)n.depth;
    size_t nw = (size_t)n.units * (size_t)n.depth;
    size_t no = (size_t)n.batches * (size_t)n.units;
    float *in = malloc(sizeof(float) * ni), *w = malloc(sizeof(float) * nw);
    float *o1 = malloc(sizeof(float) * no), *o2 = malloc(sizeof(float) * no),
          *om = malloc(sizeof(float) * no);
    fill_f32(in, ni);
    fill_f32(w, nw);
    float *bias = make_bias_f32(n.units);
    float *ai = abs_copy(in, ni), *aw = abs_copy(w, nw),
          *ab = abs_copy(bias, (size_t)n.units);
    mote_fc_f32_ref(&n, &p, in, w, bias, o1);
    mote_fc_f32_avx2(&n, &p, in, w, bias, o2);
    mote_fc_f32_ref(&n, &pm, ai, aw, ab, om);
    fails += compare_f32("fc_f32", it, o2, o1, om, no);
    free(in);
    free(w);
    free(o1);
    free(o2);
    free(om);
    free(bias);
    free(ai);
    free(aw);
    free(ab);
  }
  return fails;
}

static int test_conv_f32(int cases, int depthwise) {
  const char *what = depthwise ? "dwconv_f32" : "conv_f32";
  int fails = 0;
  for (int it = 0; it < cases; it++) {
    mote_conv_geom g;
    random_geom(&g, depthwise);
    if (depthwise) {
      g.depth_multiplier = 1;
      g.in_c = uni(0, 2) == 0 ? uni(1, 4) : uni(1, 70);
      g.out_c = g.in_c;
      if (uni(0, 9) == 0) { /* more than 64 taps: the kernel's other path */
        g.filt_h = 9;
        g.filt_w = 8;
        g.pad_h = uni(0, 8);
        g.pad_w = uni(0, 7);
        int32_t oh =
            (g.in_h + 2 * g.pad_h - (8 * g.dil_h + 1)) / g.stride_h + 1;
        int32_t ow =
            (g.in_w + 2 * g.pad_w - (7 * g.dil_w + 1)) / g.stride_w + 1;
        g.out_h = oh < 1 ? 1 : oh;
        g.out_w = ow < 1 ? 1 : ow;
      }
    }
    mote_conv_f32_params p, pm = {-FLT_MAX, FLT_MAX};
    act_range_f32(&p.act_min, &p.act_max);
    size_t ni = (size_t)g.batches * (size_t)(g.in_h * g.in_w * g.in_c);
    size_t nf = depthwise ? (size_t)(g.filt_h * g.filt_w * g.out_c)
                          : (size_t)(g.out_c * g.filt_h * g.filt_w * g.in_c);
    size_t no = (size_t)g.batches * (size_t)(g.out_h * g.out_w * g.out_c);
    float *in = malloc(sizeof(float) * ni), *f = malloc(sizeof(float) * nf);
    float *o1 = malloc(sizeof(float) * no), *o2 = malloc(sizeof(float) * no),
          *om = malloc(sizeof(float) * no);
    fill_f32(in, ni);
    fill_f32(f, nf);
    float *bias = make_bias_f32(g.out_c);
    float *ai = abs_copy(in, ni), *af = abs_copy(f, nf),
          *ab = abs_copy(bias, (size_t)g.out_c);
    int ok = depthwise ? mote_dwconv2d_f32_avx2_supported(&g)
                       : mote_conv2d_f32_avx2_supported(&g);
    if (!ok) {
      fprintf(stderr, "%s case %d declined\n", what, it);
      fails++;
    } else {
      if (depthwise) {
        mote_dwconv2d_f32_ref(&g, &p, in, f, bias, o1);
        mote_dwconv2d_f32_avx2(&g, &p, in, f, bias, o2);
        mote_dwconv2d_f32_ref(&g, &pm, ai, af, ab, om);
      } else {
        mote_conv2d_f32_ref(&g, &p, in, f, bias, o1);
        mote_conv2d_f32_avx2(&g, &p, in, f, bias, o2);
        mote_conv2d_f32_ref(&g, &pm, ai, af, ab, om);
      }
      if (compare_f32(what, it, o2, o1, om, no)) {
        fprintf(stderr,
                "  n=%d in=%dx%dx%d filt=%dx%d oc=%d stride=%d,%d dil=%d,%d "
                "pad=%d,%d out=%dx%d\n",
                g.batches, g.in_h, g.in_w, g.in_c, g.filt_h, g.filt_w, g.out_c,
                g.stride_h, g.stride_w, g.dil_h, g.dil_w, g.pad_h, g.pad_w,
                g.out_h, g.out_w);
        fails++;
      }
    }
    free(in);
    free(f);
    free(o1);
    free(o2);
    free(om);
    free(bias);
    free(ai);
    free(af);
    free(ab);
  }
  return fails;
}

static int test_declines(void) {
  int fails = 0;
  mote_conv_geom g;
  random_geom(&g, 0);
  g.in_c = 8;
  g.filt_in_c = 4; /* grouped */
  if (mote_conv2d_s8_avx2_supported(&g)) {
    fprintf(stderr, "conv: grouped convolution accepted\n");
    fails++;
  }
  g.filt_in_c = g.in_c = 1024;
  g.filt_h = g.filt_w = 3; /* patch 9216 > MOTE_AVX2_MAX_K */
  if (mote_conv2d_s8_avx2_supported(&g)) {
    fprintf(stderr, "conv: patch above MOTE_AVX2_MAX_K accepted\n");
    fails++;
  }
  if (mote_conv2d_f32_avx2_supported(&g)) {
    fprintf(stderr, "conv_f32: patch above MOTE_AVX2_MAX_K accepted\n");
    fails++;
  }
  g.filt_in_c = 512; /* grouped */
  g.filt_h = g.filt_w = 1;
  if (mote_conv2d_f32_avx2_supported(&g)) {
    fprintf(stderr, "conv_f32: grouped convolution accepted\n");
    fails++;
  }
  random_geom(&g, 1);
  for (int32_t dm = 2; dm <= 4; dm++) {
    g.depth_multiplier = dm;
    g.out_c = dm * g.in_c;
    if (mote_dwconv2d_f32_avx2_supported(&g)) {
      fprintf(stderr, "dwconv_f32: depth multiplier %d accepted\n", (int)dm);
      fails++;
    }
  }
  {
    mote_bcast bc;
    int32_t od[2];
    uint32_t on;
    const int32_t a[2] = {5, 3}, b[2] = {1, 3};
    mote_bcast_init(&bc, a, 2, b, 2, od, &on);
    bc.stride2[bc.ndim - 1] = 2; /* a strided innermost walk */
    if (mote_add_s8_avx2_supported(&bc)) {
      fprintf(stderr, "add: strided innermost input accepted\n");
      fails++;
    }
  }
  for (int32_t dm = 2; dm <= 12; dm++) {
    if (dm == 8) continue;
    g.depth_multiplier = dm;
    g.out_c = dm * g.in_c;
    if (mote_dwconv2d_s8_avx2_supported(&g)) {
      fprintf(stderr, "dwconv: depth multiplier %d accepted\n", (int)dm);
      fails++;
    }
  }
  return fails;
}

int main(void) {
  if (!(mote_isa_cpu() & MOTE_ISA_AVX2)) {
    printf(
        "CPUID: this CPU has no AVX2 (or the OS does not save YMM): the "
        "AVX2 kernels cannot be tested here\n");
    return 1;
  }
  if (!(mote_isa_allowed(MOTE_ISA_AUTO) & MOTE_ISA_AVX2) ||
      mote_isa_select(MOTE_ISA_REF | MOTE_ISA_AVX2) != MOTE_ISA_AVX2 ||
      mote_isa_select(MOTE_ISA_REF) != MOTE_ISA_REF ||
      mote_isa_allowed(MOTE_ISA_REF) != MOTE_ISA_REF ||
      !(mote_isa_available() & MOTE_ISA_AVX2)) {
    fprintf(stderr, "ISA selection: AVX2 not chosen, or ref not forced\n");
    return 1;
  }
  int fails = 0;
  if (avx2_requant_check(&rng, 2000000)) fails++;
  fails += test_fc(1500);
  fails += test_conv(1500, 0);
  fails += test_conv(1500, 1);
  fails += test_add(3000);
  fails += test_pool(1500, 1);
  fails += test_pool(1500, 0);
  fails += test_fc_f32(1000);
  fails += test_conv_f32(1000, 0);
  fails += test_conv_f32(1000, 1);
  fails += test_declines();
  if (fails) {
    fprintf(stderr, "%d failure(s)\n", fails);
    return 1;
  }
  printf(
      "avx2 kernels: requant, fc, conv, dwconv, add, avgpool, maxpool "
      "bit-exact with reference; fc, conv, dwconv float32 within 1e-5\n");
  return 0;
}
