/*
** test_kernels_neon.c: every AArch64 NEON kernel against its reference
** kernel, bit for bit, on seeded random shapes: strides, dilations,
** paddings (windows partly or wholly outside the image), every channel
** tail, zero points over the whole int8 range, per-tensor and per-channel
** requantization with extreme shifts, huge biases (int32 wrap-around),
** activation ranges and batches; conv and depthwise also on slices of
** output rows (the worker-pool contract: out_h a slice, pad_h shifted,
** negative or beyond the filter). ADD with broadcasts and in place, both
** pools. And the 4-lane requantizer against mote_mul_by_qm on random and
** edge values. The SDOT kernels run when the CPU has the dot-product
** extension (qemu-aarch64's default CPU "max" has it).
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/arm_neon/add_neon.h"
#include "kernels/arm_neon/conv_neon.h"
#include "kernels/arm_neon/neon_common.h"
#include "kernels/arm_neon/pool_neon.h"
#include "kernels/isa.h"

#define MOTE_TEST_SEED 0x6e656f6eu /* "neon" */
#include "test_rng.h"

static void fill_s8(int8_t *p, size_t n) {
  for (size_t i = 0; i < n; i++) p[i] = (int8_t)uni(-128, 127);
}

static int compare(const char *what, int it, const int8_t *got,
                   const int8_t *want, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (got[i] != want[i]) {
      fprintf(stderr, "%s case %d: element %zu: neon %d, reference %d\n", what,
              it, i, got[i], want[i]);
      return 1;
    }
  return 0;
}

/* ---- the 4-lane requantizer ---------------------------------------- */

static int32_t edge_i32(void) {
  static const int32_t e[] = {INT32_MIN, INT32_MIN + 1, -1,      0,         1,
                              INT32_MAX, INT32_MAX - 1, 1 << 30, -(1 << 30)};
  const int k = uni(0, 3);
  if (k == 0) return e[uni(0, (int32_t)(sizeof e / sizeof e[0]) - 1)];
  if (k == 1) { /* +-2^j, +-(2^j +- 1): exact halves for the rounding */
    int32_t v = (int32_t)(1u << uni(0, 30)) + uni(-1, 1);
    return uni(0, 1) ? v : -v;
  }
  return (int32_t)next();
}

static int test_requant(long n) {
  int fails = 0;
  for (long i = 0; i < n && fails < 10; i++) {
    int32_t x[4], got[4], lsh[4], nrsh[4], mult[4];
    int shift[4];
    for (int l = 0; l < 4; l++) {
      x[l] = edge_i32();
      mult[l] = uni(0, 3) == 0 ? edge_i32()
                               : (int32_t)((1u << 30) + next() % (1u << 30));
      shift[l] = uni(0, 7) == 0 ? uni(-40, 40) : uni(-31, 30);
      mote_neon_split_shift(shift[l], &lsh[l], &nrsh[l]);
    }
    vst1q_s32(got, mote_neon_mul_by_qm(vld1q_s32(x), vld1q_s32(mult),
                                       vld1q_s32(lsh), vld1q_s32(nrsh)));
    for (int l = 0; l < 4; l++) {
      const int32_t want = mote_mul_by_qm(x[l], mult[l], shift[l]);
      if (got[l] != want) {
        fprintf(stderr, "requant: x %d mult %d shift %d: neon %d, scalar %d\n",
                x[l], mult[l], shift[l], got[l], want);
        fails++;
      }
    }
  }
  return fails;
}

/* ---- conv, depthwise, fully connected ------------------------------ */

typedef struct rq_store {
  int32_t mult[256];
  int8_t shift[256];
} rq_store;

/* Per-tensor or per-channel requantization, realistic or extreme. */
static void make_rq(mote_requant_ch *rq, rq_store *st, int32_t ch) {
  const int wild = uni(0, 3) == 0;
  memset(rq, 0, sizeof *rq);
  for (int32_t c = 0; c < ch; c++) {
    st->mult[c] = uni(0, 9) == 0 ? edge_i32()
                                 : (int32_t)((1u << 30) + next() % (1u << 30));
    st->shift[c] = (int8_t)(wild ? uni(-34, 33) : uni(-12, 1));
  }
  rq->mult0 = st->mult[0];
  rq->shift0 = st->shift[0];
  if (uni(0, 1)) rq->mult = st->mult;
  if (uni(0, 1)) rq->shift = st->shift;
}

static void act_range(int32_t *lo, int32_t *hi) {
  const int k = uni(0, 3);
  *lo = k == 0 ? -128 : uni(-128, 0);
  *hi = k == 0 ? 127 : uni(*lo, 127);
}

static int32_t *make_bias(int32_t n) {
  if (uni(0, 5) == 0) return NULL;
  int32_t *b = malloc(sizeof(int32_t) * (size_t)n);
  const int huge = uni(0, 4) == 0;
  for (int32_t i = 0; i < n; i++)
    b[i] = huge ? (int32_t)next() : uni(-40000, 40000);
  return b;
}

static void random_geom(mote_conv_geom *g, int depthwise) {
  memset(g, 0, sizeof *g);
  g->batches = uni(1, 3);
  g->in_h = uni(1, 11);
  g->in_w = uni(1, 11);
  g->in_c = uni(0, 2) == 0 ? uni(1, 9) : uni(1, 70);
  g->filt_h = uni(1, 5);
  g->filt_w = uni(1, 5);
  if (uni(0, 3) == 0) g->filt_h = g->filt_w = 1;
  if (uni(0, 4) == 0) g->filt_h = g->filt_w = 3;
  if (!depthwise && uni(0, 5) == 0) g->filt_h = 1; /* 1xN: direct rows */
  g->stride_h = uni(1, 3);
  g->stride_w = uni(1, 3);
  g->dil_h = uni(0, 3) == 0 ? uni(2, 3) : 1;
  g->dil_w = uni(0, 3) == 0 ? uni(2, 3) : 1;
  g->pad_h = uni(0, g->filt_h);
  g->pad_w = uni(0, g->filt_w);
  if (uni(0, 3) == 0) g->pad_h = g->pad_w = 0;
  if (uni(0, 3) == 0) g->in_c = 16 * uni(1, 4); /* k % 16 == 0 */
  const int32_t eh = (g->filt_h - 1) * g->dil_h + 1,
                ew = (g->filt_w - 1) * g->dil_w + 1;
  const int32_t oh = (g->in_h + 2 * g->pad_h - eh) / g->stride_h + 1;
  const int32_t ow = (g->in_w + 2 * g->pad_w - ew) / g->stride_w + 1;
  /* Sometimes beyond the padded image (a fused PAD's trailing rows and
   * columns, fuse.c): windows wholly outside. */
  g->out_h = oh < 1 ? 1 : oh + (uni(0, 4) == 0 ? uni(1, 4) : 0);
  g->out_w = ow < 1 ? 1 : ow + (uni(0, 4) == 0 ? uni(1, 4) : 0);
  g->depth_multiplier = 1;
  if (depthwise) {
    g->filt_in_c = 1;
    g->out_c = g->in_c;
    if (uni(0, 3) == 0) { /* one input channel, any multiplier: a CONV_2D */
      g->in_c = 1;
      g->depth_multiplier = g->out_c = uni(1, 40);
    }
  } else {
    g->filt_in_c = g->in_c;
    g->out_c = uni(0, 2) == 0 ? uni(1, 9) : uni(1, 70);
  }
}

/* Run the NEON kernel `kind` (0 conv, 1 conv SDOT, 2 depthwise) on g. */
static void run_neon(int kind, const mote_conv_geom *g,
                     const mote_conv_q_params *p, const mote_neon_pack *pk,
                     const int8_t *in, const int8_t *f, int8_t *out,
                     int8_t *scratch) {
  if (kind == 2 && g->in_c == 1) /* packed as a CONV_2D */
    mote_conv2d_s8_neon(g, p, pk, in, f, out, scratch);
  else if (kind == 2)
    mote_dwconv2d_s8_neon(g, p, pk, in, out);
  else if (kind == 1)
    mote_conv2d_s8_neon_dot(g, p, pk, in, f, out, scratch);
  else
    mote_conv2d_s8_neon(g, p, pk, in, f, out, scratch);
}

static int test_conv(int cases, int kind) {
  static const char *names[] = {"conv", "conv_dot", "dwconv"};
  const char *what = names[kind];
  const int dw = kind == 2;
  int fails = 0;
  for (int it = 0; it < cases; it++) {
    mote_conv_geom g;
    random_geom(&g, dw);
    mote_conv_q_params p;
    rq_store st;
    memset(&p, 0, sizeof p);
    make_rq(&p.rq, &st, g.out_c);
    p.input_offset = -uni(-128, 127);
    p.output_offset = uni(-128, 127);
    act_range(&p.act_min, &p.act_max);
    const size_t ni = (size_t)g.batches * (size_t)(g.in_h * g.in_w * g.in_c);
    const size_t nf = (size_t)(g.out_c * g.filt_h * g.filt_w * g.filt_in_c);
    const size_t plane = (size_t)(g.out_w * g.out_c);
    const size_t no = (size_t)g.batches * (size_t)g.out_h * plane;
    int8_t *in = malloc(ni), *f = malloc(nf), *o1 = malloc(no),
           *o2 = malloc(no);
    fill_s8(in, ni);
    fill_s8(f, nf);
    int32_t *bias = make_bias(g.out_c);
    const int ok = dw ? mote_dwconv2d_s8_neon_supported(&g, p.input_offset)
                      : mote_conv2d_s8_neon_supported(&g, p.input_offset);
    const size_t pb = dw ? mote_dwconv2d_s8_neon_pack_bytes(&g)
                         : mote_conv2d_s8_neon_pack_bytes(&g);
    void *mem = malloc(pb);
    int8_t *scratch = malloc(mote_conv2d_s8_neon_scratch(&g));
    const mote_neon_pack *pk =
        dw ? mote_dwconv2d_s8_neon_pack(&g, &p, f, bias, mem)
           : mote_conv2d_s8_neon_pack(&g, &p, f, bias, mem);
    int bad = 0;
    if (!ok) {
      fprintf(stderr, "%s case %d declined\n", what, it);
      bad = 1;
    } else {
      if (dw)
        mote_dwconv2d_s8_ref(&g, &p, in, f, bias, o1);
      else
        mote_conv2d_s8_ref(&g, &p, in, f, bias, o1);
      memset(o2, 0x5a, no);
      run_neon(kind, &g, &p, pk, in, f, o2, scratch);
      bad = compare(what, it, o2, o1, no);
      /* Row slices of one image: pad_h shifted (negative once r0 moves
       * past the padding), the output pointer at the slice. */
      for (int32_t b = 0; !bad && b < g.batches; b++) {
        int32_t r0 = 0;
        while (!bad && r0 < g.out_h) {
          mote_conv_geom s = g;
          s.batches = 1;
          s.out_h = uni(1, g.out_h - r0);
          s.pad_h = g.pad_h - r0 * g.stride_h;
          const size_t at = ((size_t)b * (size_t)g.out_h + (size_t)r0) * plane;
          memset(o2 + at, 0x5a, (size_t)s.out_h * plane);
          run_neon(kind, &s, &p, pk,
                   in + (size_t)b * (size_t)(g.in_h * g.in_w * g.in_c), f,
                   o2 + at, scratch);
          bad = compare(what, it, o2, o1, no);
          if (bad)
            fprintf(stderr, "  slice rows %d..%d of image %d\n", r0,
                    r0 + s.out_h, b);
          r0 += s.out_h;
        }
      }
    }
    if (bad) {
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
    free(mem);
    free(scratch);
  }
  /* What must be declined. */
  mote_conv_geom g;
  random_geom(&g, 1);
  g.in_c = 2;
  g.depth_multiplier = 2;
  g.out_c = 4;
  if (dw && mote_dwconv2d_s8_neon_supported(&g, 0)) {
    fprintf(stderr, "dwconv: depth multiplier 2 accepted\n");
    fails++;
  }
  random_geom(&g, 0);
  g.in_c = 2 * g.filt_in_c; /* grouped */
  if (!dw && (mote_conv2d_s8_neon_supported(&g, 0) ||
              mote_conv2d_s8_neon_supported(&g, -128))) {
    fprintf(stderr, "conv: grouped conv or zero point 128 accepted\n");
    fails++;
  }
  return fails;
}

static int test_fc(int cases, int dot) {
  int fails = 0;
  for (int it = 0; it < cases; it++) {
    mote_fc_dims n;
    n.batches = uni(0, 2) == 0 ? uni(1, 9) : 1;
    n.depth = uni(0, 3) == 0 ? uni(1, 20) : uni(1, 700);
    if (uni(0, 3) == 0) n.depth = 16 * uni(1, 40);
    n.units = uni(0, 2) == 0 ? uni(1, 9) : uni(1, 80);
    mote_fc_q_params p;
    rq_store st;
    memset(&p, 0, sizeof p);
    make_rq(&p.rq, &st, n.units);
    p.input_offset = -uni(-128, 127);
    p.output_offset = uni(-128, 127);
    act_range(&p.act_min, &p.act_max);
    const size_t ni = (size_t)n.batches * (size_t)n.depth;
    const size_t nw = (size_t)n.units * (size_t)n.depth;
    const size_t no = (size_t)n.batches * (size_t)n.units;
    int8_t *in = malloc(ni), *w = malloc(nw), *o1 = malloc(no),
           *o2 = malloc(no);
    fill_s8(in, ni);
    fill_s8(w, nw);
    int32_t *bias = make_bias(n.units);
    mote_conv_geom g;
    mote_conv_q_params q;
    mote_fc_neon_as_conv(&n, &p, &g, &q);
    void *mem = malloc(mote_conv2d_s8_neon_pack_bytes(&g));
    int8_t *scratch = malloc(mote_conv2d_s8_neon_scratch(&g));
    const mote_neon_pack *pk = mote_conv2d_s8_neon_pack(&g, &q, w, bias, mem);
    if (!mote_fc_s8_neon_supported(p.input_offset, p.filter_offset)) {
      fprintf(stderr, "fc case %d declined\n", it);
      fails++;
    } else {
      mote_fc_s8_ref(&n, &p, in, w, bias, o1);
      if (dot)
        mote_fc_s8_neon_dot(&n, &p, pk, in, w, o2, scratch);
      else
        mote_fc_s8_neon(&n, &p, pk, in, w, o2, scratch);
      if (compare(dot ? "fc_dot" : "fc", it, o2, o1, no)) {
        fprintf(stderr, "  batches %d depth %d units %d\n", n.batches, n.depth,
                n.units);
        fails++;
      }
    }
    free(in);
    free(w);
    free(o1);
    free(o2);
    free(bias);
    free(mem);
    free(scratch);
  }
  if (mote_fc_s8_neon_supported(0, -3)) {
    fprintf(stderr, "fc: weights zero point accepted\n");
    fails++;
  }
  return fails;
}

/* ---- ADD ----------------------------------------------------------- */

static void make_add_params(mote_addsub_q_params *p) {
  memset(p, 0, sizeof *p);
  p->in1_offset = -uni(-128, 127);
  p->in2_offset = -uni(-128, 127);
  p->out_offset = uni(-128, 127);
  p->left_shift = uni(0, 3) == 0 ? uni(0, 24) : 20;
  const int wild = uni(0, 2) == 0;
  p->in1_mult = wild ? edge_i32() : (int32_t)((1u << 30) + next() % (1u << 30));
  p->in2_mult = wild ? edge_i32() : (int32_t)((1u << 30) + next() % (1u << 30));
  p->out_mult = wild ? edge_i32() : (int32_t)((1u << 30) + next() % (1u << 30));
  p->in1_shift = wild ? uni(-33, 3) : uni(-10, 0);
  p->in2_shift = wild ? uni(-33, 3) : uni(-10, 0);
  p->out_shift = wild ? uni(-33, 3) : uni(-25, -10);
  act_range(&p->act_min, &p->act_max);
}

static int test_add(int cases) {
  int fails = 0;
  for (int it = 0; it < cases; it++) {
    int32_t a[4], b[4], od[4];
    uint32_t r = (uint32_t)uni(1, 4), rb = r, on = 0;
    for (uint32_t i = 0; i < r; i++) a[i] = uni(1, 6);
    if (uni(0, 1)) a[r - 1] = uni(1, 300);
    memcpy(b, a, sizeof a);
    const int kind = uni(0, 3); /* 0, 1: same shape; 2: channel; 3: scalar */
    if (kind == 2) {
      b[0] = a[r - 1];
      rb = 1;
    } else if (kind == 3) {
      b[0] = 1;
      rb = 1;
    }
    mote_bcast bc;
    if (mote_bcast_init(&bc, a, r, b, rb, od, &on) != MOTE_BCAST_OK) {
      fprintf(stderr, "add case %d: bad shapes\n", it);
      fails++;
      continue;
    }
    size_t n2 = 1;
    const size_t no = (size_t)bc.count;
    for (uint32_t i = 0; i < rb; i++) n2 *= (size_t)b[i];
    mote_addsub_q_params p;
    make_add_params(&p);
    int8_t *i1 = malloc(no), *i2 = malloc(n2), *o1 = malloc(no),
           *o2 = malloc(no);
    fill_s8(i1, no);
    fill_s8(i2, n2);
    if (!mote_add_s8_neon_supported(&p, &bc)) {
      fprintf(stderr, "add case %d declined\n", it);
      fails++;
    } else {
      mote_add_s8_ref(&p, &bc, i1, i2, o1);
      const int inplace = uni(0, 2) == 0;
      if (inplace) memcpy(o2, i1, no);
      mote_add_s8_neon(&p, &bc, inplace ? o2 : i1, i2, o2);
      fails += compare(inplace ? "add in place" : "add", it, o2, o1, no);
    }
    free(i1);
    free(i2);
    free(o1);
    free(o2);
  }
  return fails;
}

/* ---- pools --------------------------------------------------------- */

static int test_pool(int cases, int avg) {
  int fails = 0;
  for (int it = 0; it < cases; it++) {
    mote_pool_params p;
    memset(&p, 0, sizeof p);
    p.batches = uni(1, 2);
    p.in_h = uni(1, 12);
    p.in_w = uni(1, 12);
    p.depth = uni(0, 2) == 0 ? uni(1, 15) : uni(1, 80);
    p.filter_h = uni(1, 6);
    p.filter_w = uni(1, 6);
    if (uni(0, 5) == 0) {
      p.filter_h = p.in_h; /* global pooling */
      p.filter_w = p.in_w;
    }
    p.stride_h = uni(1, 3);
    p.stride_w = uni(1, 3);
    p.pad_h = uni(0, p.filter_h - 1);
    p.pad_w = uni(0, p.filter_w - 1);
    p.out_h = (p.in_h + 2 * p.pad_h - p.filter_h) / p.stride_h + 1;
    p.out_w = (p.in_w + 2 * p.pad_w - p.filter_w) / p.stride_w + 1;
    if (p.out_h < 1) p.out_h = 1;
    if (p.out_w < 1) p.out_w = 1;
    p.out_h += uni(0, 5) == 0; /* windows outside the input */
    act_range(&p.act_min, &p.act_max);
    const size_t ni = (size_t)(p.batches * p.in_h * p.in_w * p.depth);
    const size_t no = (size_t)(p.batches * p.out_h * p.out_w * p.depth);
    int8_t *in = malloc(ni), *o1 = malloc(no), *o2 = malloc(no);
    fill_s8(in, ni);
    if (uni(0, 3) == 0) /* all at one end: sums at the int16 limits */
      memset(in, uni(0, 1) ? 0x80 : 0x7f, ni);
    const int ok = avg ? mote_avg_pool_s8_neon_supported(&p)
                       : mote_max_pool_s8_neon_supported(&p);
    if (!ok) {
      fprintf(stderr, "pool case %d declined\n", it);
      fails++;
    } else {
      if (avg) {
        mote_avg_pool_s8_ref(&p, in, o1);
        mote_avg_pool_s8_neon(&p, in, o2);
      } else {
        mote_max_pool_s8_ref(&p, in, o1);
        mote_max_pool_s8_neon(&p, in, o2);
      }
      fails += compare(avg ? "avg_pool" : "max_pool", it, o2, o1, no);
    }
    free(in);
    free(o1);
    free(o2);
  }
  /* A 256-column window of -128: the int16 row sum at its limit. */
  {
    mote_pool_params p;
    memset(&p, 0, sizeof p);
    p.batches = p.in_h = p.out_h = p.out_w = p.filter_h = p.stride_h =
        p.stride_w = 1;
    p.in_w = p.filter_w = 256;
    p.depth = 17;
    p.act_min = -128;
    p.act_max = 127;
    int8_t in[256 * 17], o1[17], o2[17];
    memset(in, 0x80, sizeof in);
    if (avg) {
      mote_avg_pool_s8_ref(&p, in, o1);
      mote_avg_pool_s8_neon(&p, in, o2);
      fails += compare("avg_pool 256 columns", 0, o2, o1, 17);
    }
  }
  return fails;
}

int main(void) {
  const int dot = (mote_isa_cpu() & MOTE_ISA_NEON_DOT) != 0;
  int f, total = 0;
  total += f = test_requant(400000);
  printf("requant (4 lanes vs scalar): %s\n", f ? "FAIL" : "ok");
  total += f = test_conv(600, 0);
  printf("conv2d_s8 neon: %s\n", f ? "FAIL" : "ok");
  if (dot) {
    total += f = test_conv(600, 1);
    printf("conv2d_s8 neon_dot: %s\n", f ? "FAIL" : "ok");
  }
  total += f = test_conv(600, 2);
  printf("dwconv2d_s8 neon: %s\n", f ? "FAIL" : "ok");
  total += f = test_fc(400, 0);
  printf("fc_s8 neon: %s\n", f ? "FAIL" : "ok");
  if (dot) {
    total += f = test_fc(400, 1);
    printf("fc_s8 neon_dot: %s\n", f ? "FAIL" : "ok");
  } else {
    printf("no dot-product extension: SDOT kernels not run\n");
  }
  total += f = test_add(800);
  printf("add_s8 neon: %s\n", f ? "FAIL" : "ok");
  total += f = test_pool(600, 1);
  printf("avg_pool_s8 neon: %s\n", f ? "FAIL" : "ok");
  total += f = test_pool(600, 0);
  printf("max_pool_s8 neon: %s\n", f ? "FAIL" : "ok");
  printf("%d failure(s)\n", total);
  return total ? 1 : 0;
}
