/*
** test_kernels_avx512_dw.c: the AVX-512 int8 DEPTHWISE_CONV_2D, ADD,
** AVERAGE_POOL_2D and MAX_POOL_2D kernels against the reference kernels,
** bit for bit, on seeded random shapes: channels 2..150 (every tail, and
** the small-channel pixel-packed path), depth multipliers 1..4 and 8,
** strides 1..3, dilation, paddings with windows partly or wholly outside
** the image, zero points over the full range, per-tensor / per-channel
** requantization with extreme shifts, huge biases (int32 wrap-around),
** activation clamps, batches > 1, and the threading contract (the kernel
** called on row slices with a shifted, possibly negative pad_h); ADD with
** same shapes, scalar / channel / row broadcasts and in place; pools with
** global windows and rail values. Also the 16-lane requantizer against
** mote_mul_by_qm (avx512_requant_check.c, the one file built with the
** AVX-512 flags) and the shapes the kernels must decline.
**
** Fails (exit 1) if CPUID says this CPU has no AVX-512 (F/BW/VL/DQ/VNNI):
** these tests exist to run the AVX-512 code.
*/
#include <float.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/isa.h"
#include "kernels/x86_avx512/add_avx512.h"
#include "kernels/x86_avx512/dwconv_avx512.h"
#include "kernels/x86_avx512/pool_avx512.h"

int avx512_requant_check(uint64_t *state, long iterations);

#define MOTE_TEST_SEED 0x6477353132u /* "dw512" */
#include "test_rng.h"

static void fill_s8(int8_t *p, size_t n) {
  int rails = uni(0, 7) == 0; /* sums and maxima at the rails */
  for (size_t i = 0; i < n; i++)
    p[i] = (int8_t)(rails ? (uni(0, 1) ? -128 : 127) : uni(-128, 127));
}

/* Output activation range: full, relu-like or narrow. */
static void act_range(int32_t *lo, int32_t *hi) {
  switch (uni(0, 3)) {
    case 0:
      *lo = -128;
      *hi = 127;
      return;
    case 1:
      *lo = uni(-128, 0);
      *hi = 127;
      return;
    default:
      *lo = uni(-128, 0);
      *hi = uni(*lo, 127);
  }
}

static int compare(const char *what, int it, const int8_t *got,
                   const int8_t *want, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (got[i] != want[i]) {
      fprintf(stderr, "%s case %d: element %zu: avx512 %d, reference %d\n",
              what, it, i, got[i], want[i]);
      return 1;
    }
  return 0;
}

/* ---- DEPTHWISE_CONV_2D -------------------------------------------------- */

/* Requantization for `ch` channels: per-tensor or per-channel, realistic
 * (multiplier in [2^30, 2^31), shift [-12, 1]) or anything the requantizer
 * accepts (any multiplier incl. INT32_MIN, shift [-31, 30]). */
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
    st->mult[c] = wild && uni(0, 3) == 0
                      ? (int32_t)next()
                      : (int32_t)((1u << 30) + next() % (1u << 30));
    st->shift[c] = (int8_t)(wild ? uni(-31, 30) : uni(-12, 1));
  }
  rq->mult0 = st->mult[0];
  rq->shift0 = st->shift[0];
  if (uni(0, 1)) rq->mult = st->mult;
  if (uni(0, 1)) rq->shift = st->shift;
}

static int32_t *make_bias(int32_t n) {
  if (uni(0, 5) == 0) return NULL;
  int32_t *b = malloc(sizeof(int32_t) * (size_t)n);
  int huge = uni(0, 6) == 0;
  for (int32_t i = 0; i < n; i++)
    b[i] = huge ? (int32_t)next() : uni(-40000, 40000);
  return b;
}

static void random_dw_geom(mote_conv_geom *g) {
  memset(g, 0, sizeof *g);
  g->batches = uni(0, 3) == 0 ? uni(2, 3) : 1;
  g->in_h = uni(1, 20);
  g->in_w = uni(1, 20);
  switch (uni(0, 3)) {
    case 0:
      g->in_c = uni(2, 8); /* pixel-packed path (stride_w 1) */
      break;
    case 1:
      g->in_c = 16 * uni(1, 4); /* no tail */
      break;
    default:
      g->in_c = uni(2, 80);
  }
  g->filt_h = g->filt_w = 3;
  if (uni(0, 2) == 0) {
    g->filt_h = uni(1, 6);
    g->filt_w = uni(1, 6);
  }
  g->stride_h = uni(0, 1) ? 1 : uni(1, 3);
  g->stride_w = uni(0, 1) ? 1 : uni(1, 3);
  g->dil_h = uni(0, 4) == 0 ? uni(2, 3) : 1;
  g->dil_w = uni(0, 4) == 0 ? uni(2, 3) : 1;
  g->pad_h = uni(0, 3) == 0 ? uni(0, g->filt_h + 1) : (g->filt_h - 1) / 2;
  g->pad_w = uni(0, 3) == 0 ? uni(0, g->filt_w + 1) : (g->filt_w - 1) / 2;
  int32_t eh = (g->filt_h - 1) * g->dil_h + 1,
          ew = (g->filt_w - 1) * g->dil_w + 1;
  int32_t oh = (g->in_h + 2 * g->pad_h - eh) / g->stride_h + 1;
  int32_t ow = (g->in_w + 2 * g->pad_w - ew) / g->stride_w + 1;
  /* Sometimes beyond the padded image (a fused PAD's trailing rows and
   * columns, fuse.c): windows wholly outside. */
  g->out_h = oh < 1 ? 1 : oh + (uni(0, 4) == 0 ? uni(1, 4) : 0);
  g->out_w = ow < 1 ? 1 : ow + (uni(0, 4) == 0 ? uni(1, 4) : 0);
  g->filt_in_c = 1;
  g->depth_multiplier = uni(0, 2) == 0 ? uni(2, 4) : 1;
  if (uni(0, 15) == 0) g->depth_multiplier = 8;
  if (g->depth_multiplier > 1 && g->in_c > 24) g->in_c = uni(2, 24);
  if (uni(0, 3) == 0) { /* the pair-row path: multiplier 1, stride 1 */
    g->in_c = uni(64, 150);
    g->depth_multiplier = 1;
    if (uni(0, 2)) {
      g->stride_h = g->stride_w = 1;
      g->out_h = (g->in_h + 2 * g->pad_h - eh) + 1;
      g->out_w = (g->in_w + 2 * g->pad_w - ew) + 1;
      if (g->out_h < 1) g->out_h = 1;
      if (g->out_w < 1) g->out_w = 1;
      g->out_h += uni(0, 4) == 0 ? uni(1, 4) : 0;
    }
  }
  g->out_c = g->in_c * g->depth_multiplier;
}

/* Run the kernel over random row slices, as a worker pool would: each
 * slice is its own call with out_h the slice height, pad_h shifted by the
 * slice start (negative or beyond the filter), and the output offset. */
static void dw_sliced(const mote_conv_geom *g, const mote_conv_q_params *p,
                      const void *packed, const int8_t *in, const int32_t *bias,
                      int8_t *out) {
  const size_t in_img = (size_t)(g->in_h * g->in_w * g->in_c);
  const size_t out_row = (size_t)(g->out_w * g->out_c);
  for (int32_t b = 0; b < g->batches; b++) {
    for (int32_t y0 = 0; y0 < g->out_h;) {
      int32_t y1 = y0 + uni(1, 4);
      if (y1 > g->out_h) y1 = g->out_h;
      mote_conv_geom s = *g;
      s.batches = 1;
      s.out_h = y1 - y0;
      s.pad_h = g->pad_h - y0 * g->stride_h;
      void *scratch = malloc(mote_dwconv2d_s8_avx512_scratch_bytes(&s) + 1);
      mote_dwconv2d_s8_avx512(
          &s, p, packed, in + (size_t)b * in_img, bias,
          out + ((size_t)b * (size_t)g->out_h + (size_t)y0) * out_row, scratch);
      free(scratch);
      y0 = y1;
    }
  }
}

static int test_dwconv(int cases) {
  int fails = 0;
  for (int it = 0; it < cases; it++) {
    mote_conv_geom g;
    random_dw_geom(&g);
    mote_conv_q_params p;
    rq_store st;
    memset(&p, 0, sizeof p);
    make_rq(&p.rq, &st, g.out_c);
    p.input_offset = -uni(-128, 127);
    p.output_offset = uni(-128, 127);
    act_range(&p.act_min, &p.act_max);
    size_t ni = (size_t)g.batches * (size_t)(g.in_h * g.in_w * g.in_c);
    size_t nf = (size_t)(g.filt_h * g.filt_w * g.out_c);
    size_t no = (size_t)g.batches * (size_t)(g.out_h * g.out_w * g.out_c);
    /* Exact-size heap blocks: an overread shows under ASan. */
    int8_t *in = malloc(ni), *f = malloc(nf), *o1 = malloc(no),
           *o2 = malloc(no);
    fill_s8(in, ni);
    fill_s8(f, nf);
    int32_t *bias = make_bias(g.out_c);
    if (!mote_dwconv2d_s8_avx512_supported(&g, p.input_offset)) {
      fprintf(stderr, "dwconv case %d declined\n", it);
      fails++;
    } else {
      void *packed = malloc(mote_dwconv2d_s8_avx512_packed_bytes(&g));
      mote_dwconv2d_s8_avx512_pack(&g, &p, f, packed);
      mote_dwconv2d_s8_ref(&g, &p, in, f, bias, o1);
      memset(f, 0x5a, nf); /* eval reads the packed copy only */
      int sliced = uni(0, 2) == 0;
      if (sliced)
        dw_sliced(&g, &p, packed, in, bias, o2);
      else {
        void *scratch = malloc(mote_dwconv2d_s8_avx512_scratch_bytes(&g) + 1);
        mote_dwconv2d_s8_avx512(&g, &p, packed, in, bias, o2,
                                uni(0, 7) ? scratch : NULL);
        free(scratch);
      }
      if (compare(sliced ? "dwconv (row slices)" : "dwconv", it, o2, o1, no)) {
        fprintf(stderr,
                "  n=%d in=%dx%dx%d filt=%dx%d dm=%d stride=%d,%d dil=%d,%d "
                "pad=%d,%d out=%dx%d io=%d\n",
                g.batches, g.in_h, g.in_w, g.in_c, g.filt_h, g.filt_w,
                g.depth_multiplier, g.stride_h, g.stride_w, g.dil_h, g.dil_w,
                g.pad_h, g.pad_w, g.out_h, g.out_w, p.input_offset);
        fails++;
      }
      free(packed);
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

/* ---- ADD ---------------------------------------------------------------- */

/* ADD parameters: as prepare derives them from random scales, or any
 * multiplier with shifts in [-31, 0]. */
static void make_add_params(mote_addsub_q_params *p) {
  memset(p, 0, sizeof *p);
  p->in1_offset = -uni(-128, 127);
  p->in2_offset = -uni(-128, 127);
  p->out_offset = uni(-128, 127);
  p->left_shift = 20;
  int32_t *mult[3] = {&p->in1_mult, &p->in2_mult, &p->out_mult};
  int32_t *shift[3] = {&p->in1_shift, &p->in2_shift, &p->out_shift};
  const int wild = uni(0, 3) == 0;
  const double s1 = 0.001 + (next() % 100000) * 1e-6,
               s2 = 0.001 + (next() % 100000) * 1e-6,
               so = 0.001 + (next() % 200000) * 1e-6;
  const double tm = 2.0 * (s1 < s2 ? s2 : s1);
  const double real[3] = {s1 / tm, s2 / tm, tm / ((double)(1L << 20) * so)};
  for (int k = 0; k < 3; k++) {
    int sh = 0;
    if (wild) {
      *mult[k] = (int32_t)(next() >> 1);
      *shift[k] = -uni(0, 31);
    } else {
      mote_quantize_multiplier(real[k], mult[k], &sh);
      *shift[k] = sh;
    }
  }
  act_range(&p->act_min, &p->act_max);
}

static int test_add(int cases) {
  int fails = 0;
  for (int it = 0; it < cases; it++) {
    /* Same shapes, or one input with random extents 1 and maybe fewer
     * (leading) dimensions: scalar, channel and row broadcasts. */
    int32_t a[4], b[4], od[6];
    uint32_t r = (uint32_t)uni(1, 4), ra = r, rb = r, on = 0;
    for (uint32_t i = 0; i < r; i++) a[i] = b[i] = uni(1, 9);
    if (uni(0, 1)) a[r - 1] = b[r - 1] = uni(1, 300);
    const int kind = uni(0, 3); /* 0,1: same; 2: b broadcast; 3: a */
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
    mote_bcast bc;
    if (mote_bcast_init(&bc, a, ra, b, rb, od, &on) != MOTE_BCAST_OK) {
      fprintf(stderr, "add case %d: bad shapes\n", it);
      fails++;
      continue;
    }
    size_t n1 = 1, n2 = 1, no = (size_t)bc.count;
    for (uint32_t i = 0; i < ra; i++) n1 *= (size_t)a[i];
    for (uint32_t i = 0; i < rb; i++) n2 *= (size_t)b[i];
    mote_addsub_q_params p;
    make_add_params(&p);
    int8_t *i1 = malloc(n1), *i2 = malloc(n2), *o1 = malloc(no),
           *o2 = malloc(no);
    fill_s8(i1, n1);
    fill_s8(i2, n2);
    if (!mote_add_s8_avx512_supported(&bc)) {
      if (bc.stride1[bc.ndim - 1] <= 1 && bc.stride2[bc.ndim - 1] <= 1) {
        fprintf(stderr, "add case %d declined\n", it);
        fails++;
      }
    } else {
      mote_add_s8_ref(&p, &bc, i1, i2, o1);
      if (n1 == no && bc.stride1[bc.ndim - 1] == 1 && uni(0, 1)) {
        mote_add_s8_avx512(&p, &bc, i1, i2, i1); /* in place */
        fails += compare("add in place", it, i1, o1, no);
      } else {
        mote_add_s8_avx512(&p, &bc, i1, i2, o2);
        fails += compare("add", it, o2, o1, no);
      }
    }
    /* float32 on the same broadcast: bit-identical to the reference
     * (one addition and the same clamp per element). */
    if (mote_add_s8_avx512_supported(&bc)) {
      float *f1 = malloc(n1 * 4), *f2 = malloc(n2 * 4), *g1 = malloc(no * 4),
            *g2 = malloc(no * 4);
      for (size_t i = 0; i < n1; i++) f1[i] = (float)uni(-4000, 4000) / 64.f;
      for (size_t i = 0; i < n2; i++) f2[i] = (float)uni(-4000, 4000) / 64.f;
      mote_arith_f32_params fp;
      fp.act_min = uni(0, 1) ? -FLT_MAX : (float)uni(-10, 0);
      fp.act_max = uni(0, 1) ? FLT_MAX : (float)uni(1, 10);
      mote_add_f32_ref(&fp, &bc, f1, f2, g1);
      mote_add_f32_avx512(&fp, &bc, f1, f2, g2);
      fails += compare("add f32", it, (const int8_t *)g2, (const int8_t *)g1,
                       no * 4);
      free(f1);
      free(f2);
      free(g1);
      free(g2);
    }
    free(i1);
    free(i2);
    free(o1);
    free(o2);
  }
  return fails;
}

/* ---- pools --------------------------------------------------------------- */

static int test_pool(int cases, int avg) {
  const char *what = avg ? "avgpool" : "maxpool";
  int fails = 0;
  for (int it = 0; it < cases; it++) {
    mote_pool_params p;
    memset(&p, 0, sizeof p);
    p.batches = uni(1, 2);
    p.in_h = uni(1, 12);
    p.in_w = uni(1, 12);
    p.depth = uni(0, 2) == 0 ? uni(1, 20) : uni(1, 150);
    p.filter_h = uni(1, 4);
    p.filter_w = uni(1, 4);
    if (uni(0, 6) == 0) { /* global pooling */
      p.filter_h = p.in_h;
      p.filter_w = p.in_w;
    }
    p.stride_h = uni(1, 3);
    p.stride_w = uni(1, 3);
    p.pad_h = uni(0, p.filter_h - 1);
    p.pad_w = uni(0, p.filter_w - 1);
    int32_t oh = (p.in_h + 2 * p.pad_h - p.filter_h) / p.stride_h + 1;
    int32_t ow = (p.in_w + 2 * p.pad_w - p.filter_w) / p.stride_w + 1;
    p.out_h = oh < 1 ? 1 : oh;
    p.out_w = ow < 1 ? 1 : ow;
    act_range(&p.act_min, &p.act_max);
    size_t ni = (size_t)p.batches * (size_t)(p.in_h * p.in_w * p.depth);
    size_t no = (size_t)p.batches * (size_t)(p.out_h * p.out_w * p.depth);
    int8_t *in = malloc(ni), *o1 = malloc(no), *o2 = malloc(no);
    fill_s8(in, ni);
    if (avg && !mote_avg_pool_s8_avx512_supported(&p)) {
      fprintf(stderr, "%s case %d declined\n", what, it);
      fails++;
    } else {
      if (avg) {
        mote_avg_pool_s8_ref(&p, in, o1);
        mote_avg_pool_s8_avx512(&p, in, o2);
      } else {
        mote_max_pool_s8_ref(&p, in, o1);
        mote_max_pool_s8_avx512(&p, in, o2);
      }
      if (compare(what, it, o2, o1, no)) {
        fprintf(stderr,
                "  n=%d in=%dx%dx%d filt=%dx%d stride=%d,%d pad=%d,%d\n",
                p.batches, p.in_h, p.in_w, p.depth, p.filter_h, p.filter_w,
                p.stride_h, p.stride_w, p.pad_h, p.pad_w);
        fails++;
      }
    }
    if (avg) { /* float32 average: bit-identical to the reference */
      float *fi = malloc(ni * 4), *f1 = malloc(no * 4), *f2 = malloc(no * 4);
      for (size_t i = 0; i < ni; i++) fi[i] = (float)uni(-30000, 30000) / 97.f;
      p.fact_min = uni(0, 1) ? -FLT_MAX : (float)uni(-100, 0);
      p.fact_max = uni(0, 1) ? FLT_MAX : (float)uni(1, 100);
      mote_avg_pool_f32_ref(&p, fi, f1);
      mote_avg_pool_f32_avx512(&p, fi, f2);
      fails += compare("avgpool f32", it, (const int8_t *)f2,
                       (const int8_t *)f1, no * 4);
      free(fi);
      free(f1);
      free(f2);
    }
    free(in);
    free(o1);
    free(o2);
  }
  return fails;
}

static int test_declines(void) {
  int fails = 0;
  mote_conv_geom g;
  random_dw_geom(&g);
  g.depth_multiplier = 1;
  g.in_c = g.out_c = 1; /* the GEMM kernels' case */
  if (mote_dwconv2d_s8_avx512_supported(&g, 0)) {
    fprintf(stderr, "dwconv: one input channel accepted\n");
    fails++;
  }
  g.in_c = g.out_c = 16;
  g.filt_h = 17;
  g.filt_w = 16; /* 272 taps */
  if (mote_dwconv2d_s8_avx512_supported(&g, 0)) {
    fprintf(stderr, "dwconv: more than MOTE_AVX512_DW_MAX_TAPS accepted\n");
    fails++;
  }
  mote_pool_params pp;
  memset(&pp, 0, sizeof pp);
  pp.filter_h = 257;
  pp.filter_w = 256;
  if (mote_avg_pool_s8_avx512_supported(&pp)) {
    fprintf(stderr, "avgpool: window above 65536 taps accepted\n");
    fails++;
  }
  {
    mote_bcast bc;
    int32_t od[2];
    uint32_t on;
    const int32_t a[2] = {5, 3}, b[2] = {1, 3};
    mote_bcast_init(&bc, a, 2, b, 2, od, &on);
    bc.stride2[bc.ndim - 1] = 2; /* a strided innermost walk */
    if (mote_add_s8_avx512_supported(&bc)) {
      fprintf(stderr, "add: strided innermost input accepted\n");
      fails++;
    }
  }
  g.filt_h = g.filt_w = 3;
  if (mote_dwconv2d_s8_avx512_supported(&g, -128) ||
      mote_dwconv2d_s8_avx512_supported(&g, 129)) {
    fprintf(stderr, "dwconv: input offset outside [-127, 128] accepted\n");
    fails++;
  }
  return fails;
}

int main(void) {
  if (!(mote_isa_cpu() & MOTE_ISA_AVX512)) {
    printf(
        "CPUID: this CPU has no AVX-512 F/BW/VL/DQ/VNNI (or the OS does not "
        "save the ZMM state): the AVX-512 kernels cannot be tested here\n");
    return 1;
  }
  if (!(mote_isa_allowed(0) & MOTE_ISA_AVX512) ||
      mote_isa_select(0) != MOTE_ISA_AVX512) {
    fprintf(stderr, "ISA selection: AVX-512 not chosen\n");
    return 1;
  }
  int fails = 0;
  if (avx512_requant_check(&rng, 200000)) fails++;
  fails += test_dwconv(4000);
  fails += test_add(4000);
  fails += test_pool(2000, 1);
  fails += test_pool(2000, 0);
  fails += test_declines();
  if (fails) {
    fprintf(stderr, "%d failure(s)\n", fails);
    return 1;
  }
  printf(
      "avx512 kernels: requant, dwconv, add (int8, float32), avgpool (int8, "
      "float32), maxpool "
      "bit-exact with "
      "reference\n");
  return 0;
}
