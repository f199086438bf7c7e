/* Firmware test of the Cortex-M DSP-extension kernels (src/kernels/arm_dsp/)
** against the reference kernels on seeded random shapes: int8 CONV_2D
** (1x1 and general: channels 1..67, odd sizes, strides 1/2, dilation 1/2,
** any leading padding, windows wholly in it too), DEPTHWISE_CONV_2D (3x3 planar
*with and without
** scratch, wide rows, and general; depth
** multiplier 1, or 1 input channel and multiplier 2..67) and
** FULLY_CONNECTED, full-range zero points, per-channel or per-tensor
** multipliers, with and without bias; ADD (random ranks, broadcasts either
** way, in place, short and long, extreme multipliers and shifts, clamps),
** AVERAGE_POOL_2D and MAX_POOL_2D (padding, windows wholly in it, every
** channel tail, clamps). Every output byte must match; exits
** 0 only then (and fails when the core has no DSP extension). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "kernels/arm_dsp/arm_dsp.h"
#include "kernels/ref/conv_ref.h"
#include "kernels/ref/elementwise_ref.h"
#include "kernels/ref/fc_ref.h"
#include "kernels/ref/pool_ref.h"
#include "mote_port.h"

#if defined(MOTE_HAVE_ARM_DSP)
#include "kernels/arm_dsp/dsp_common.h" /* the requantizer, tested alone */

#ifndef ARM_DSP_FW_CASES
#define ARM_DSP_FW_CASES 150 /* per operator */
#endif
#define BUF 12288

static int8_t in_buf[BUF], w_buf[BUF], out_ref[BUF], out_dsp[BUF];
static int8_t in_copy[BUF];
static int32_t tabs[512]; /* ADD's input tables */
static int32_t bias_buf[128], mult_buf[128];
static int8_t shift_buf[128];
static int16_t cols[8 * 67 * 25 + 8] __attribute__((aligned(8)));
#define MOTE_FW_TAG "dsp"
#define MOTE_FW_SEED 0x6d6f7465u
#include "kernel_fw_common.h"

/* Compare n bytes of the reference and kernel outputs (+16 guard bytes). */
static void check(const char *op, int32_t cs, int32_t n) {
  check_bytes(op, cs, out_ref, out_dsp, n);
}

/* Random requantization, zero points and clamp for `ch` channels. */
static void rand_q(mote_conv_q_params *p, int32_t ch) {
  int per_channel = rnd(0, 3) != 0;
  int extreme = rnd(0, 7) == 0; /* any multiplier, shifts -31..30 */
  for (int32_t c = 0; c < ch; c++) {
    mult_buf[c] = rnd(1 << 30, 0x7FFFFFFF);
    shift_buf[c] = (int8_t)rnd(-20, 1);
    if (extreme) {
      uint32_t m = next();
      mult_buf[c] = rnd(0, 7) == 0 ? INT32_MIN : (int32_t)m;
      shift_buf[c] = (int8_t)rnd(-31, 30);
    }
  }
  p->rq.mult = per_channel ? mult_buf : NULL;
  p->rq.shift = per_channel ? shift_buf : NULL;
  p->rq.mult0 = mult_buf[0];
  p->rq.shift0 = shift_buf[0];
  p->input_offset = -rnd(-128, 127);
  p->output_offset = rnd(-128, 127);
  p->act_min = rnd(0, 3) == 0 ? rnd(-128, 0) : -128;
  p->act_max = rnd(0, 3) == 0 ? rnd(p->act_min, 127) : 127;
  const int huge = rnd(0, 5) == 0; /* any int32: sums wrap around */
  for (int32_t c = 0; c < ch; c++)
    bias_buf[c] = huge ? (int32_t)next() : rnd(-40000, 40000);
}

/* Random geometry along one axis: input size, filter, stride, dilation,
 * leading padding and the output size they give (0 if none). */
static int32_t rand_axis(int32_t in, int32_t f, int32_t *s, int32_t *d,
                         int32_t *pad) {
  *s = rnd(1, 2);
  *d = f > 1 && rnd(0, 3) == 0 ? 2 : 1;
  const int32_t eff = (f - 1) * *d + 1;
  /* now and then windows wholly in the padding (beyond TFLite's SAME) */
  *pad = rnd(0, 2) == 0 ? 0 : rnd(0, rnd(0, 3) == 0 ? eff + 2 : eff - 1);
  /* trailing padding as much again, or any (a PAD fused into the
   * convolution, fuse.c, pads the end independently of the start) */
  const int32_t trail = rnd(0, 3) == 0 ? rnd(0, eff + 3) : *pad;
  const int32_t span = in + *pad + trail - eff;
  return span < 0 ? 0 : span / *s + 1;
}

static int rand_geom(mote_conv_geom *g, int depthwise) {
  g->batches = rnd(1, 2);
  g->in_h = rnd(1, 9);
  g->in_w = rnd(1, 9);
  g->in_c = rnd(0, 3) == 0 ? 4 * rnd(1, 16) : rnd(1, 67);
  int shape = rnd(0, 3);
  if (depthwise && shape == 0) shape = 1; /* 3x3 twice as often */
  if (depthwise && shape == 1 && rnd(0, 1)) g->in_w = rnd(1, 40);
  g->filt_h = shape == 0 ? 1 : shape == 1 ? 3 : rnd(1, 5);
  g->filt_w = shape == 0 ? 1 : shape == 1 ? 3 : rnd(1, 5);
  g->out_h = rand_axis(g->in_h, g->filt_h, &g->stride_h, &g->dil_h, &g->pad_h);
  g->out_w = rand_axis(g->in_w, g->filt_w, &g->stride_w, &g->dil_w, &g->pad_w);
  if (shape == 0 && rnd(0, 1)) {
    g->stride_h = g->stride_w = g->dil_h = g->dil_w = 1;
    g->pad_h = g->pad_w = 0;
    g->out_h = g->in_h;
    g->out_w = g->in_w;
  }
  g->depth_multiplier = 1;
  if (depthwise) {
    g->filt_in_c = 1;
    if (rnd(0, 4) == 0) { /* one input channel, depth multiplier > 1 */
      g->in_c = 1;
      g->depth_multiplier = rnd(2, 67);
    }
    g->out_c = g->in_c * g->depth_multiplier;
  } else {
    g->filt_in_c = g->in_c;
    g->out_c = rnd(1, 67);
  }
  const int32_t nin = g->batches * g->in_h * g->in_w * g->in_c;
  const int32_t nout = g->batches * g->out_h * g->out_w * g->out_c;
  const int32_t nw =
      g->filt_h * g->filt_w * (depthwise ? g->out_c : g->out_c * g->in_c);
  return g->out_h > 0 && g->out_w > 0 && nin <= BUF && nw <= BUF &&
         nout + 16 <= BUF;
}

static int32_t run_conv(int depthwise) {
  const char *op = depthwise ? "DEPTHWISE_CONV_2D" : "CONV_2D";
  int32_t done = 0;
  for (int32_t cs = 0; done < ARM_DSP_FW_CASES; cs++) {
    mote_conv_geom g;
    mote_conv_q_params p;
    if (!rand_geom(&g, depthwise)) continue;
    rand_q(&p, g.out_c);
    fill(in_buf, g.batches * g.in_h * g.in_w * g.in_c);
    fill(w_buf, BUF);
    const int32_t *bias = rnd(0, 4) == 0 ? NULL : bias_buf;
    const int32_t nout = g.batches * g.out_h * g.out_w * g.out_c;
    memset(out_ref, 0x55, sizeof out_ref);
    memset(out_dsp, 0x55, sizeof out_dsp);
    if (depthwise) {
      if (!mote_dwconv2d_s8_dsp_supported(&g) ||
          mote_dwconv2d_s8_dsp_scratch(&g) > sizeof cols)
        fail(op, cs, -1, 1, 0);
      mote_dwconv2d_s8_ref(&g, &p, in_buf, w_buf, bias, out_ref);
      /* Mostly with scratch (the planar 3x3 path where it applies). */
      mote_dwconv2d_s8_dsp(&g, &p, in_buf, w_buf, bias, out_dsp,
                           rnd(0, 4) == 0 ? NULL : cols);
    } else {
      if (!mote_conv2d_s8_dsp_supported(&g) ||
          mote_conv2d_s8_dsp_scratch(&g) > sizeof cols)
        fail(op, cs, -1, 1, 0);
      mote_conv2d_s8_ref(&g, &p, in_buf, w_buf, bias, out_ref);
      mote_conv2d_s8_dsp(&g, &p, in_buf, w_buf, bias, out_dsp, cols);
    }
    check(op, cs, nout);
    done++;
  }
  return done;
}

static int32_t run_fc(void) {
  int32_t done = 0;
  for (int32_t cs = 0; done < ARM_DSP_FW_CASES; cs++) {
    mote_fc_dims n;
    mote_conv_q_params q;
    mote_fc_q_params p;
    n.batches = rnd(1, 3);
    n.depth = rnd(0, 2) == 0 ? 4 * rnd(1, 64) : rnd(1, 300);
    n.units = rnd(1, 67);
    if (n.batches * n.depth > BUF || n.units * n.depth > BUF) continue;
    rand_q(&q, n.units);
    p.rq = q.rq;
    p.input_offset = q.input_offset;
    p.filter_offset = rnd(0, 1) ? 0 : -rnd(-128, 127);
    p.output_offset = q.output_offset;
    p.act_min = q.act_min;
    p.act_max = q.act_max;
    fill(in_buf, n.batches * n.depth);
    fill(w_buf, n.units * n.depth);
    const int32_t *bias = rnd(0, 4) == 0 ? NULL : bias_buf;
    memset(out_ref, 0x55, sizeof out_ref);
    memset(out_dsp, 0x55, sizeof out_dsp);
    mote_fc_s8_ref(&n, &p, in_buf, w_buf, bias, out_ref);
    memset(cols, 0x5a, sizeof cols);
    mote_fc_s8_dsp(&n, &p, in_buf, w_buf, bias, out_dsp, cols);
    check("FULLY_CONNECTED", cs, n.batches * n.units);
    done++;
  }
  return done;
}

/* An accumulator near the interesting values: extremes, zero, small. */
static int32_t pick_acc(void) {
  switch (rnd(0, 4)) {
    case 0:
      return INT32_MIN + rnd(0, 3);
    case 1:
      return INT32_MAX - rnd(0, 3);
    case 2:
      return rnd(-3, 3);
    case 3:
      return rnd(-70000, 70000);
    default:
      return (int32_t)next();
  }
}

/* The DSP requantizer (both paths) against mote_mul_by_qm on random and
 * extreme accumulators, multipliers (0, negative, INT32_MIN included) and
 * shifts (-40..40: beyond TFLite's range, clamped alike). */
static int32_t run_requant(void) {
  int32_t i;
  for (i = 0; i < 20000; i++) {
    mote_requant_ch rq;
    const int32_t kind = rnd(0, 7);
    rq.mult = NULL;
    rq.shift = NULL;
    rq.mult0 = kind == 0   ? (int32_t)next()
               : kind == 1 ? INT32_MIN
               : kind == 2 ? INT32_MAX
                           : rnd(1 << 30, 0x7FFFFFFF);
    rq.shift0 = kind < 3 ? rnd(-40, 40) : rnd(-31, 1);
    const int32_t acc = pick_acc();
    const mote_dsp_rq r = mote_dsp_rq_of(&rq, 0);
    const int32_t want = mote_mul_by_qm(acc, rq.mult0, (int)rq.shift0);
    const int32_t got = mote_dsp_rq_scale(&r, acc);
    if (got != want) {
      mote_port_write("arm_dsp: FAIL requant acc=");
      put_num(acc);
      mote_port_write(" qm=");
      put_num(rq.mult0);
      mote_port_write(" shift=");
      put_num(rq.shift0);
      mote_port_write(" got ");
      put_num(got);
      mote_port_write(" want ");
      put_num(want);
      mote_port_write("\n");
      mote_port_exit(1);
    }
  }
  return i;
}

/* A random multiplier and shift: mostly as ADD's prepare makes them,
 * now and then anything (INT32_MIN, 0, negative, shifts -31..30). */
static void rand_mult(int32_t *m, int32_t *sh, int32_t lo_sh, int32_t hi_sh) {
  *m = rnd(1 << 30, 0x7FFFFFFF);
  *sh = rnd(lo_sh, hi_sh);
  if (rnd(0, 7) == 0) {
    const uint32_t u = next();
    *m = rnd(0, 5) == 0 ? INT32_MIN : rnd(0, 5) == 0 ? 0 : (int32_t)u;
    *sh = rnd(-31, 30);
  }
}

static int32_t run_add(void) {
  int32_t done = 0;
  for (int32_t cs = 0; done < ARM_DSP_FW_CASES * 2; cs++) {
    int32_t od[4], a[4], bd[4], outd[6];
    uint32_t na = (uint32_t)rnd(1, 4), nb = (uint32_t)rnd(1, 4), no;
    const uint32_t n = na > nb ? na : nb;
    const int big = rnd(0, 1);
    for (uint32_t i = 0; i < n; i++)
      od[i] = i + 1 == n && big ? rnd(1, 300) : rnd(1, big ? 6 : 4);
    for (uint32_t i = 0; i < na; i++)
      a[i] = rnd(0, 2) == 0 ? 1 : od[i + n - na];
    for (uint32_t i = 0; i < nb; i++)
      bd[i] = rnd(0, 2) == 0 ? 1 : od[i + n - nb];
    if (rnd(0, 2) == 0) { /* same shapes */
      nb = na;
      for (uint32_t i = 0; i < na; i++) bd[i] = a[i];
    }
    mote_bcast bc;
    if (mote_bcast_init(&bc, a, na, bd, nb, outd, &no) != MOTE_BCAST_OK)
      fail("ADD", cs, -2, 0, 1);
    int32_t c1 = 1, c2 = 1;
    for (uint32_t i = 0; i < na; i++) c1 *= a[i];
    for (uint32_t i = 0; i < nb; i++) c2 *= bd[i];
    if (bc.count + 16 > BUF) continue;
    mote_addsub_q_params p;
    p.in1_offset = -rnd(-128, 127);
    p.in2_offset = -rnd(-128, 127);
    p.out_offset = rnd(-128, 127);
    p.left_shift = rnd(0, 5) == 0 ? rnd(0, 31) : 20;
    rand_mult(&p.in1_mult, &p.in1_shift, -12, 0);
    rand_mult(&p.in2_mult, &p.in2_shift, -12, 0);
    rand_mult(&p.out_mult, &p.out_shift, -31, 0);
    p.act_min = rnd(0, 3) == 0 ? rnd(-128, 0) : -128;
    p.act_max = rnd(0, 3) == 0 ? rnd(p.act_min, 127) : 127;
    if (!mote_add_s8_dsp_supported(&p, &bc) ||
        mote_add_s8_dsp_scratch(&bc) > sizeof tabs)
      fail("ADD", cs, -1, 1, 0);
    fill(in_buf, c1);
    fill(w_buf, c2);
    memset(out_ref, 0x55, sizeof out_ref);
    memset(out_dsp, 0x55, sizeof out_dsp);
    mote_add_s8_ref(&p, &bc, in_buf, w_buf, out_ref);
    if (c1 == bc.count && rnd(0, 2) == 0) { /* in place: out is input 1 */
      memcpy(out_dsp, in_buf, (size_t)c1);
      mote_add_s8_dsp(&p, &bc, out_dsp, w_buf, out_dsp, tabs);
    } else {
      memcpy(in_copy, in_buf, (size_t)c1);
      mote_add_s8_dsp(&p, &bc, in_copy, w_buf, out_dsp,
                      rnd(0, 4) == 0 ? NULL : tabs);
    }
    check("ADD", cs, bc.count);
    done++;
  }
  return done;
}

/* Random pool geometry; 0 when it does not fit the buffers. */
static int rand_pool(mote_pool_params *p, int avg) {
  p->batches = rnd(1, 2);
  p->depth = rnd(0, 2) == 0 ? 4 * rnd(1, 16) : rnd(1, 67);
  p->in_h = rnd(1, 12);
  p->in_w = rnd(1, 12);
  p->filter_h = rnd(1, 5);
  p->filter_w = rnd(1, 5);
  if (avg && rnd(0, 7) == 0) { /* global pooling, up to 16x16 = 256 taps */
    p->in_h = p->filter_h = rnd(1, 16);
    p->in_w = p->filter_w = rnd(1, 16);
  }
  p->stride_h = rnd(1, 3);
  p->stride_w = rnd(1, 3);
  p->pad_h = rnd(0, 1) ? 0 : rnd(0, p->filter_h + 1);
  p->pad_w = rnd(0, 1) ? 0 : rnd(0, p->filter_w + 1);
  const int32_t sh = p->in_h + 2 * p->pad_h - p->filter_h;
  const int32_t sw = p->in_w + 2 * p->pad_w - p->filter_w;
  if (sh < 0 || sw < 0) return 0;
  p->out_h = sh / p->stride_h + 1;
  p->out_w = sw / p->stride_w + 1;
  p->act_min = rnd(0, 3) == 0 ? rnd(-128, 0) : -128;
  p->act_max = rnd(0, 3) == 0 ? rnd(p->act_min, 127) : 127;
  return p->batches * p->in_h * p->in_w * p->depth <= BUF &&
         p->batches * p->out_h * p->out_w * p->depth + 16 <= BUF;
}

static int32_t run_pool(int avg) {
  const char *op = avg ? "AVERAGE_POOL_2D" : "MAX_POOL_2D";
  int32_t done = 0;
  for (int32_t cs = 0; done < ARM_DSP_FW_CASES; cs++) {
    mote_pool_params p;
    if (!rand_pool(&p, avg)) continue;
    const int32_t nin = p.batches * p.in_h * p.in_w * p.depth;
    fill(in_buf, nin);
    if (rnd(0, 4) == 0) /* extremes: sums at the int16 limits */
      memset(in_buf, rnd(0, 1) ? 0x80 : 0x7F, (size_t)nin);
    memset(out_ref, 0x55, sizeof out_ref);
    memset(out_dsp, 0x55, sizeof out_dsp);
    if (avg) {
      if (!mote_avg_pool_s8_dsp_supported(&p)) fail(op, cs, -1, 1, 0);
      mote_avg_pool_s8_ref(&p, in_buf, out_ref);
      mote_avg_pool_s8_dsp(&p, in_buf, out_dsp);
    } else {
      mote_max_pool_s8_ref(&p, in_buf, out_ref);
      mote_max_pool_s8_dsp(&p, in_buf, out_dsp);
    }
    check(op, cs, p.batches * p.out_h * p.out_w * p.depth);
    done++;
  }
  return done;
}

int main(void) {
  int32_t n = run_requant();
  n += run_conv(0);
  n += run_conv(1);
  n += run_fc();
  n += run_add();
  n += run_pool(1);
  n += run_pool(0);
  mote_port_write("arm_dsp: ");
  put_num(n);
  mote_port_write(" random cases bit-exact with the reference kernels\n");
  return 0;
}

#else
/* Built for a core without the DSP extension: nothing to test is a
 * failure, not a pass. */
int main(void) {
  mote_port_write("arm_dsp: FAIL no DSP extension on this core\n");
  return 1;
}
#endif
