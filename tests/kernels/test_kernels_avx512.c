/*
** test_kernels_avx512.c: the AVX-512 VNNI int8 kernels against the
** reference kernels, bit for bit, on seeded random shapes: CONV_2D with
** strides 1..3, dilations, paddings (windows partly or wholly outside the
** image), every channel tail (1..70 output channels, 1..70 input
** channels, depths not a multiple of 4, 16 or 64), int4 filters;
** DEPTHWISE_CONV_2D with one input channel (depth multipliers 1..33);
** both again on shapes of the pixels-in-lanes path (up to 8 output
** channels, wide rows, stride_w * in_c up to 8 bytes, odd and even);
** FULLY_CONNECTED with any batch, per-tensor weight zero points (and the
** packer's refusal when a weight plus zero point leaves int8), int4
** weights; zero points over the whole int8 range, per-tensor and
** per-channel requantization with extreme shifts, huge biases (int32
** wrap-around), activation clamps. Row slices: the output computed as
** slices of rows with a shifted (often negative) pad_h, each with its own
** exact-size scratch, must equal the whole. Also the 16-lane requantizer
** against mote_mul_by_qm (avx512_requant_check.c) and the shapes the
** kernels must decline.
**
** Fails (exit 1) if CPUID says this CPU has no AVX-512 VNNI: these tests
** exist to run the AVX-512 code.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel_rand.h"
#include "kernels/isa.h"
#include "kernels/x86_avx512/conv_avx512.h"
#include "kernels/x86_avx512/fc_avx512.h"

int avx512_requant_check(uint64_t *state, long iterations);

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

/* Random int4 weights: `count` values packed two per byte, and the same
 * values unpacked to int8 for the reference. */
static uint8_t *make_s4(int8_t *unpacked, size_t count) {
  uint8_t *packed = calloc((count + 1) / 2, 1);
  for (size_t i = 0; i < count; i++) {
    int32_t v = uni(-8, 7);
    unpacked[i] = (int8_t)v;
    packed[i / 2] |= (uint8_t)(((uint32_t)v & 0xFu) << ((i & 1) * 4));
  }
  return packed;
}

static int test_fc(int cases) {
  int fails = 0, refused = 0;
  for (int it = 0; it < cases; it++) {
    mote_fc_dims n;
    n.batches = uni(0, 2) == 0 ? 1 : uni(1, 20);
    n.depth = uni(0, 3) == 0 ? uni(1, 20) : uni(1, 700);
    if (uni(0, 20) == 0) n.depth = uni(2000, 5000);
    n.units = uni(0, 2) == 0 ? uni(1, 33) : uni(1, 150);
    mote_fc_q_params p;
    rq_store st;
    memset(&p, 0, sizeof p);
    make_rq(&p.rq, &st, n.units);
    const int s4 = uni(0, 5) == 0;
    p.input_offset = -uni(-128, 127);
    p.filter_offset = uni(0, 2) ? 0 : -uni(-128, 127);
    if (s4 && uni(0, 1)) p.filter_offset = -uni(-120, 120);
    p.output_offset = uni(-128, 127);
    act_range(&p.act_min, &p.act_max);
    size_t ni = (size_t)n.batches * (size_t)n.depth;
    size_t nw = (size_t)n.units * (size_t)n.depth;
    size_t no = (size_t)n.batches * (size_t)n.units;
    int8_t *in = malloc(ni), *w = malloc(nw), *o1 = malloc(no),
           *o2 = malloc(no);
    uint8_t *w4 = NULL;
    fill_s8(in, ni);
    if (s4)
      w4 = make_s4(w, nw);
    else if (p.filter_offset && uni(0, 1)) { /* in range with the offset */
      int32_t lo = -128 - p.filter_offset, hi = 127 - p.filter_offset;
      if (lo < -128) lo = -128;
      if (hi > 127) hi = 127;
      for (size_t i = 0; i < nw; i++) w[i] = (int8_t)uni(lo, hi);
    } else
      fill_s8(w, nw);
    int32_t *bias = make_bias(n.units);
    size_t pb = mote_fc_s8_avx512_pack_bytes(&n);
    void *mem = malloc(pb);
    uint8_t *scratch = malloc(mote_fc_s8_avx512_scratch_bytes(&n));
    const mote_gemm_s8_packed *pk = mote_fc_s8_avx512_pack(
        mem, &n, &p, s4 ? (const void *)w4 : w, s4, bias);
    int out_of_range = 0;
    for (size_t i = 0; i < nw; i++) {
      int32_t v = (int32_t)w[i] + p.filter_offset;
      if (v < -128 || v > 127) out_of_range = 1;
    }
    if (!pb || (!pk) != out_of_range) {
      fprintf(stderr, "fc case %d: pack %s (weights %s int8)\n", it,
              pk ? "accepted" : "refused", out_of_range ? "leave" : "fit");
      fails++;
    } else if (pk) {
      mote_fc_s8_ref(&n, &p, in, w, bias, o1);
      mote_fc_s8_avx512(&n, &p, pk, in, o2, scratch);
      if (compare("fc", it, o2, o1, no)) {
        fprintf(stderr, "  batches=%d depth=%d units=%d s4=%d fo=%d\n",
                n.batches, n.depth, n.units, s4, p.filter_offset);
        fails++;
      }
    } else {
      refused++;
    }
    free(in);
    free(w);
    free(w4);
    free(o1);
    free(o2);
    free(bias);
    free(mem);
    free(scratch);
    free(st.mult);
    free(st.shift);
  }
  if (refused == cases) {
    fprintf(stderr, "fc: every case refused\n");
    fails++;
  }
  return fails;
}

/* Random geometry; depthwise: one input channel, multiplier 1..33; px:
 * shapes of the pixels-in-lanes path (up to 8 output channels, stride_w *
 * in_c <= 8, no horizontal dilation, rows of 8 pixels and more), mostly. */
static void random_geom(mote_conv_geom *g, int depthwise, int px) {
  memset(g, 0, sizeof *g);
  g->batches = uni(0, 3) == 0 ? uni(2, 3) : 1;
  g->in_h = uni(1, 14);
  g->in_w = px ? uni(8, 70) : uni(1, 14);
  g->in_c = uni(0, 2) == 0 ? uni(1, 8) : uni(1, 70);
  if (px) g->in_c = uni(1, 8);
  g->filt_h = uni(1, 5);
  g->filt_w = uni(1, 5);
  if (uni(0, 3) == 0) g->filt_h = g->filt_w = 1;
  g->stride_h = uni(1, 3);
  g->stride_w = uni(1, 3);
  g->dil_h = uni(0, 3) == 0 ? uni(2, 3) : 1;
  g->dil_w = uni(0, 3) == 0 ? uni(2, 3) : 1;
  if (px) {
    if (uni(0, 7)) g->dil_w = 1;
    if (uni(0, 3) == 0) g->filt_w = uni(6, 10);
    if (uni(0, 2) == 0) g->in_h = uni(15, 60);
    g->stride_w = uni(1, 8 / g->in_c > 3 ? 3 : 8 / g->in_c);
  }
  g->pad_h = uni(0, g->filt_h);
  g->pad_w = uni(0, g->filt_w);
  if (uni(0, 9) == 0) g->pad_w = uni(0, 3 * g->filt_w * g->dil_w);
  int32_t eh = (g->filt_h - 1) * g->dil_h + 1,
          ew = (g->filt_w - 1) * g->dil_w + 1;
  int32_t oh = (g->in_h + 2 * g->pad_h - eh) / g->stride_h + 1;
  int32_t ow = (g->in_w + 2 * g->pad_w - ew) / g->stride_w + 1;
  g->out_h = oh < 1 ? 1 : oh + (uni(0, 4) == 0 ? uni(1, 4) : 0);
  g->out_w = ow < 1 ? 1 : ow + (uni(0, 4) == 0 ? uni(1, 4) : 0);
  g->out_c = uni(0, 2) == 0 ? uni(1, 33) : uni(1, 70);
  if (px) g->out_c = uni(0, 1) ? 8 : uni(1, 8);
  if (depthwise) {
    g->in_c = 1;
    g->filt_in_c = 1;
    g->out_c = uni(0, 2) == 0 ? 8 : uni(1, px ? 8 : 33);
    g->depth_multiplier = g->out_c;
  } else {
    g->filt_in_c = g->in_c;
    g->depth_multiplier = 1;
  }
}

static int test_conv(int cases, int depthwise, int px) {
  const char *what = depthwise ? (px ? "dwconv(in_c=1, px)" : "dwconv(in_c=1)")
                               : (px ? "conv(px)" : "conv");
  int fails = 0;
  for (int it = 0; it < cases; it++) {
    mote_conv_geom g;
    random_geom(&g, depthwise, px);
    mote_conv_q_params p;
    rq_store st;
    memset(&p, 0, sizeof p);
    make_rq(&p.rq, &st, g.out_c);
    p.input_offset = -uni(-128, 127);
    p.output_offset = uni(-128, 127);
    act_range(&p.act_min, &p.act_max);
    const int s4 = uni(0, 5) == 0;
    size_t ni = (size_t)g.batches * (size_t)(g.in_h * g.in_w * g.in_c);
    size_t nf = (size_t)(g.out_c * g.filt_h * g.filt_w * g.in_c);
    size_t row = (size_t)g.out_w * (size_t)g.out_c;
    size_t no = (size_t)g.batches * (size_t)g.out_h * row;
    int8_t *in = malloc(ni), *f = malloc(nf), *o1 = malloc(no),
           *o2 = malloc(no);
    uint8_t *f4 = NULL;
    fill_s8(in, ni);
    if (s4)
      f4 = make_s4(f, nf);
    else
      fill_s8(f, nf);
    int32_t *bias = make_bias(g.out_c);
    int ok = depthwise ? mote_dwconv2d_s8_c1_avx512_supported(&g)
                       : mote_conv2d_s8_avx512_supported(&g);
    size_t pb = mote_conv2d_s8_avx512_pack_bytes(&g);
    void *mem = malloc(pb);
    const void *fw = s4 ? (const void *)f4 : f;
    const mote_gemm_s8_packed *pk =
        depthwise
            ? mote_dwconv2d_s8_c1_avx512_pack(mem, &g, fw, s4, bias,
                                              p.input_offset)
            : mote_conv2d_s8_avx512_pack(mem, &g, fw, s4, bias, p.input_offset);
    if (!ok || !pk) {
      fprintf(stderr, "%s case %d declined\n", what, it);
      fails++;
    } else {
      if (depthwise)
        mote_dwconv2d_s8_ref(&g, &p, in, f, bias, o1);
      else
        mote_conv2d_s8_ref(&g, &p, in, f, bias, o1);
      memset(o2, 0x5a, no);
      /* The whole output, or (one image) slices of rows as a worker pool
       * would run them: pad_h shifted, output moved, own scratch. */
      int32_t y0 = 0;
      int sliced = g.batches == 1 && uni(0, 1);
      while (y0 < g.out_h) {
        mote_conv_geom s = g;
        int32_t rows = sliced ? uni(1, g.out_h - y0) : g.out_h;
        s.out_h = rows;
        s.pad_h = g.pad_h - y0 * g.stride_h;
        uint8_t *scratch = malloc(mote_conv2d_s8_avx512_scratch_bytes(&s));
        mote_conv2d_s8_avx512(&s, &p, pk, in, o2 + (size_t)y0 * row, scratch);
        free(scratch);
        y0 += rows;
      }
      if (compare(what, it, o2, o1, no)) {
        fprintf(stderr,
                "  n=%d in=%dx%dx%d filt=%dx%d oc=%d stride=%d,%d dil=%d,%d "
                "pad=%d,%d out=%dx%d s4=%d sliced=%d\n",
                g.batches, g.in_h, g.in_w, g.in_c, g.filt_h, g.filt_w, g.out_c,
                g.stride_h, g.stride_w, g.dil_h, g.dil_w, g.pad_h, g.pad_w,
                g.out_h, g.out_w, s4, sliced);
        fails++;
      }
    }
    free(in);
    free(f);
    free(f4);
    free(o1);
    free(o2);
    free(bias);
    free(mem);
    free(st.mult);
    free(st.shift);
  }
  return fails;
}

/* Shapes the kernels must decline (the op then keeps another kernel). */
static int test_declines(void) {
  int fails = 0;
  mote_conv_geom g;
  memset(&g, 0, sizeof g);
  g.batches = 1;
  g.in_h = g.in_w = 4;
  g.in_c = 8;
  g.filt_in_c = 4; /* two groups */
  g.filt_h = g.filt_w = 3;
  g.out_h = g.out_w = 2;
  g.out_c = 8;
  g.stride_h = g.stride_w = g.dil_h = g.dil_w = 1;
  g.depth_multiplier = 1;
  if (mote_conv2d_s8_avx512_supported(&g)) {
    fprintf(stderr, "grouped conv accepted\n");
    fails++;
  }
  g.filt_in_c = 1;
  g.depth_multiplier = 1;
  if (mote_dwconv2d_s8_c1_avx512_supported(&g)) {
    fprintf(stderr, "depthwise with 8 input channels accepted\n");
    fails++;
  }
  mote_fc_dims n = {1, MOTE_GEMM_AVX512_MAX_K + 1, 4};
  if (mote_fc_s8_avx512_pack_bytes(&n)) {
    fprintf(stderr, "fc depth above MOTE_GEMM_AVX512_MAX_K accepted\n");
    fails++;
  }
  return fails;
}

int main(void) {
  if (!(mote_isa_cpu() & MOTE_ISA_AVX512)) {
    printf(
        "CPUID: this CPU has no AVX-512 F/BW/VL/DQ/VNNI (or the OS does not "
        "save ZMM state): the AVX-512 kernels cannot be tested here\n");
    return 1;
  }
  if (!(mote_isa_allowed(MOTE_ISA_AUTO) & MOTE_ISA_AVX512) ||
      mote_isa_select(MOTE_ISA_AUTO) != MOTE_ISA_AVX512 ||
      mote_isa_select(MOTE_ISA_REF | MOTE_ISA_AVX2) != MOTE_ISA_AVX2) {
    fprintf(stderr, "ISA selection: AVX-512 not chosen, or not masked\n");
    return 1;
  }
  int fails = 0;
  if (avx512_requant_check(&rng, 1000000)) fails++;
  fails += test_declines();
  fails += test_fc(2000);
  fails += test_conv(2000, 0, 0);
  fails += test_conv(1500, 1, 0);
  fails += test_conv(1500, 0, 1);
  fails += test_conv(1500, 1, 1);
  if (fails) {
    fprintf(stderr, "%d failure(s)\n", fails);
    return 1;
  }
  printf(
      "avx512 kernels: requant, fc (int8/int4, any batch), conv (int8/int4, "
      "row slices), dwconv in_c=1 bit-exact with reference\n");
  return 0;
}
