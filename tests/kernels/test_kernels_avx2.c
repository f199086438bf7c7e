/*
** test_kernels_avx2.c: every AVX2 kernel against its reference kernel, bit
** for bit, on seeded random shapes: strides, paddings (windows partly or
** wholly outside the image), dilations, zero points, per-tensor and
** per-channel requantization (every shift TFLite can produce), channel and
** depth counts with every tail length, huge biases (int32 wrap-around),
** and activation ranges. Also: the 8-lane requantizer against
** mote_mul_by_qm, and the shapes the kernels must decline.
**
** Fails (exit 1) if CPUID says this CPU has no AVX2: these tests exist to
** run the AVX2 code.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/isa.h"
#include "kernels/x86_avx2/conv_avx2.h"
#include "kernels/x86_avx2/fc_avx2.h"

int avx2_requant_check(uint64_t *state, long iterations);

static uint64_t rng = 0x6d6f7465u; /* "mote" */

static uint32_t next(void) {
  rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
  return (uint32_t)(rng >> 32);
}
/* Uniform in [lo, hi]. */
static int32_t uni(int32_t lo, int32_t hi) {
  return lo + (int32_t)(next() % (uint32_t)(hi - lo + 1));
}

static void fill_s8(int8_t *p, size_t n) {
  for (size_t i = 0; i < n; i++) p[i] = (int8_t)uni(-128, 127);
}

/* Requantization parameters for `ch` channels: per-tensor or per-channel,
 * realistic (multiplier in [2^30, 2^31), shift [-12, 1]) or anything the
 * requantizer accepts (shift [-31, 30]). */
typedef struct rq_store {
  int32_t *mult;
  int8_t *shift;
} rq_store;

static void make_rq(mote_requant_ch *rq, rq_store *st, int32_t ch) {
  int wild = uni(0, 4) == 0;
  memset(rq, 0, sizeof *rq);
  st->mult = malloc(sizeof(int32_t) * (size_t)ch);
  st->shift = malloc((size_t)ch);
  for (int32_t c = 0; c < ch; c++) {
    st->mult[c] = (int32_t)((1u << 30) + next() % (1u << 30));
    st->shift[c] = (int8_t)(wild ? uni(-31, 30) : uni(-12, 1));
  }
  rq->mult0 = st->mult[0];
  rq->shift0 = st->shift[0];
  if (uni(0, 1)) rq->mult = st->mult;
  if (uni(0, 1)) rq->shift = st->shift;
}

static void act_range(int32_t *lo, int32_t *hi) {
  switch (uni(0, 3)) {
    case 0:
      *lo = -128;
      *hi = 127;
      return;
    case 1:
      *lo = uni(-128, 0); /* relu-like */
      *hi = 127;
      return;
    default:
      *lo = uni(-128, 0);
      *hi = uni(*lo, 127);
  }
}

static int32_t *make_bias(int32_t n) {
  if (uni(0, 5) == 0) return NULL;
  int32_t *b = malloc(sizeof(int32_t) * (size_t)n);
  int huge = uni(0, 6) == 0;
  for (int32_t i = 0; i < n; i++)
    b[i] = huge ? (int32_t)next() : uni(-40000, 40000);
  return b;
}

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
  g->out_h = oh < 1 ? 1 : oh + (uni(0, 5) == 0);
  g->out_w = ow < 1 ? 1 : ow + (uni(0, 5) == 0);
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
  random_geom(&g, 1);
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
  if (mote_isa_select(MOTE_ISA_AUTO) != MOTE_ISA_AVX2 ||
      mote_isa_select(MOTE_ISA_REF) != MOTE_ISA_REF ||
      !(mote_isa_available() & MOTE_ISA_AVX2)) {
    fprintf(stderr, "ISA selection: AVX2 not chosen, or ref not forced\n");
    return 1;
  }
  int fails = 0;
  if (avx2_requant_check(&rng, 2000000)) fails++;
  fails += test_fc(1500);
  fails += test_conv(1500, 0);
  fails += test_conv(1500, 1);
  fails += test_declines();
  if (fails) {
    fprintf(stderr, "%d failure(s)\n", fails);
    return 1;
  }
  printf("avx2 kernels: requant, fc, conv, dwconv bit-exact with reference\n");
  return 0;
}
