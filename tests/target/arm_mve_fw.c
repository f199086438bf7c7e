/* Firmware test of the MVE (Helium) kernels (src/kernels/arm_mve/) against
** the reference kernels on seeded random shapes, bit for bit:
**  - the four-lane requantizer against mote_mul_by_qm on edge values
**    (INT32_MIN/MAX accumulators and multipliers, every shift -31..31);
**  - int8 CONV_2D (1x1 in place and gathered, 3x3, 10x4, any filter up to
**    5x5; channels 1..67 so every tail length; strides 1..3, dilation 1/2,
**    any padding including windows wholly outside the image; one input
**    channel with filters 1..10 x 1..8, the narrow-row gather);
**  - DEPTHWISE_CONV_2D with one input channel as CONV_2D on the filter
**    transposed (conv_common.h);
**  - DEPTHWISE_CONV_2D (depth multiplier 1, 3x3 and general; the 3x3
**    assembly path for full blocks of 8 channels with shifts <= 0, the
**    C path for tails and left shifts; the ring of zero-point-padded
**    rows covers tiny images and windows wholly in the padding);
**  - FULLY_CONNECTED (depth 1..300, weight zero points);
**  - ADD (same shape, broadcast rows, scalars) and AVERAGE/MAX_POOL_2D.
** Zero points over the full range, per-channel or per-tensor multipliers
** (extreme ones too), biases up to the int32 range (wrap-around), random
** activation clamps; half the cases keep every shift <= 0, the fast
** paths. The bias is folded with the kernel's prepare-time
** function first, as the ops do. Exits 0 only if every byte matches (and
** fails when the core has no MVE). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "kernels/arm_mve/arm_mve_kernels.h"
#include "kernels/ref/conv_ref.h"
#include "kernels/ref/elementwise_ref.h"
#include "kernels/ref/fc_ref.h"
#include "kernels/ref/pool_ref.h"
#include "mote_port.h"

#if defined(MOTE_HAVE_ARM_MVE)
#include "kernels/arm_mve/mve_common.h"

#ifndef ARM_MVE_FW_CASES
#define ARM_MVE_FW_CASES 200 /* per operator */
#endif
#define BUF 12288

static int8_t in_buf[BUF], in2_buf[BUF], w_buf[BUF], out_ref[BUF], out_mve[BUF];
static int32_t bias_buf[128], beff_buf[128], mult_buf[128];
static int8_t shift_buf[128];
static int8_t cols[2 * 67 * 25 + 16];
static int8_t dw_ring[65536]; /* depthwise: ring of padded input rows */
#define MOTE_FW_TAG "mve"
#define MOTE_FW_SEED 0x6d766521u
#include "kernel_fw_common.h"

/* Compare n bytes of the reference and kernel outputs (+16 guard bytes). */
static void check(const char *op, int32_t cs, int32_t n) {
  check_bytes(op, cs, out_ref, out_mve, n);
}

static void clear_out(void) {
  memset(out_ref, 0x55, sizeof out_ref);
  memset(out_mve, 0x55, sizeof out_mve);
}

/* Random int32: mostly small, sometimes anywhere (wrap-around). */
static int32_t rand_bias(int huge) {
  return huge ? (int32_t)next() : rnd(-40000, 40000);
}

/* Random requantization, zero points, clamp and bias for `ch` channels. */
static void rand_q(mote_conv_q_params *p, int32_t ch) {
  const int per_channel = rnd(0, 3) != 0;
  const int extreme = rnd(0, 7) == 0; /* any multiplier, shifts -31..30 */
  const int huge = rnd(0, 7) == 0;
  const int32_t smax = rnd(0, 1); /* 0: every shift <= 0 (fast paths) */
  for (int32_t c = 0; c < ch; c++) {
    mult_buf[c] = rnd(1 << 30, 0x7FFFFFFF);
    shift_buf[c] = (int8_t)rnd(-20, smax);
    if (extreme) {
      uint32_t m = next();
      mult_buf[c] = rnd(0, 7) == 0 ? INT32_MIN : (int32_t)m;
      shift_buf[c] = (int8_t)rnd(-31, 30);
    }
    bias_buf[c] = rand_bias(huge);
  }
  p->rq.mult = per_channel ? mult_buf : NULL;
  p->rq.shift = per_channel ? shift_buf : NULL;
  p->rq.mult0 = mult_buf[0];
  p->rq.shift0 = shift_buf[0];
  p->input_offset = -rnd(-128, 127);
  p->output_offset = rnd(-128, 127);
  p->act_min = rnd(0, 3) == 0 ? rnd(-128, 0) : -128;
  p->act_max = rnd(0, 3) == 0 ? rnd(p->act_min, 127) : 127;
}

/* The requantizer on edge values against mote_mul_by_qm. */
static int32_t run_requant(void) {
  static const int32_t edge[] = {INT32_MIN,
                                 INT32_MIN + 1,
                                 -65536,
                                 -32769,
                                 -3,
                                 -2,
                                 -1,
                                 0,
                                 1,
                                 2,
                                 3,
                                 32767,
                                 65535,
                                 0x40000000,
                                 INT32_MAX - 1,
                                 INT32_MAX};
  const int32_t ne = (int32_t)(sizeof edge / sizeof edge[0]);
  const mote_mve_out o = mote_mve_out_of(0, INT32_MIN, INT32_MAX);
  int32_t n = 0;
  for (int32_t sh = -31; sh <= 31; sh++) {
    for (int32_t i = 0; i < 4 * ne; i++) {
      int32_t acc[4], m[4], want[4], got[4];
      for (int32_t l = 0; l < 4; l++) {
        acc[l] = i < ne ? edge[(i + l) % ne] : (int32_t)next();
        if (i >= 2 * ne) acc[l] >>= rnd(0, 30);
        m[l] = i % 3 == 0 ? edge[(i / 3 + 3 * l) % ne] : (int32_t)next();
        want[l] = mote_mul_by_qm(acc[l], m[l], (int)sh);
      }
      const mote_mve_rq4 r = mote_mve_rq4_make(vldrwq_s32(m), vdupq_n_s32(sh));
      vstrwq_s32(got, mote_mve_requant(vldrwq_s32(acc), &r, &o));
      for (int32_t l = 0; l < 4; l++)
        if (got[l] != want[l]) fail("requant", sh, acc[l], want[l], got[l]);
      n++;
    }
  }
  return n;
}

/* Random geometry along one axis: input size, filter, stride, dilation,
 * leading padding and the output size they give (0 if none). */
static int32_t rand_axis(int32_t in, int32_t f, int32_t *s, int32_t *d,
                         int32_t *pad) {
  *s = rnd(1, 3);
  *d = f > 1 && rnd(0, 3) == 0 ? 2 : 1;
  const int32_t eff = (f - 1) * *d + 1;
  *pad = rnd(0, 2) == 0 ? 0 : rnd(0, eff - 1 + rnd(0, 1));
  /* trailing padding as much again, or any (a PAD fused into the
   * convolution, fuse.c, pads the end independently of the start) */
  const int32_t trail = rnd(0, 3) == 0 ? rnd(0, eff + 3) : *pad;
  const int32_t span = in + *pad + trail - eff;
  return span < 0 ? 0 : span / *s + 1;
}

static int rand_geom(mote_conv_geom *g, int depthwise) {
  g->batches = rnd(1, 2);
  g->in_h = rnd(1, 11);
  g->in_w = rnd(1, 9);
  g->in_c = rnd(0, 3) == 0 ? 8 * rnd(1, 8) : rnd(1, 67);
  int shape = rnd(0, 5);
  g->filt_h = shape == 0 ? 1 : shape == 1 ? 3 : shape == 2 ? 10 : rnd(1, 5);
  g->filt_w = shape == 0 ? 1 : shape == 1 ? 3 : shape == 2 ? 4 : rnd(1, 5);
  if (shape == 2) g->in_c = rnd(1, 3);
  if (shape == 5) { /* one input channel, rows of 1..8 bytes (narrow) */
    g->in_c = 1;
    g->filt_h = rnd(1, 10);
    g->filt_w = rnd(1, 8);
  }
  g->out_h = rand_axis(g->in_h, g->filt_h, &g->stride_h, &g->dil_h, &g->pad_h);
  g->out_w = rand_axis(g->in_w, g->filt_w, &g->stride_w, &g->dil_w, &g->pad_w);
  if (shape == 0 && rnd(0, 1)) {
    g->stride_h = g->stride_w = g->dil_h = g->dil_w = 1;
    g->pad_h = g->pad_w = 0;
    g->out_h = g->in_h;
    g->out_w = g->in_w;
  }
  g->depth_multiplier = 1;
  if (depthwise == 2) { /* one input channel, out_c = multiplier */
    g->in_c = g->filt_in_c = 1;
    g->out_c = g->depth_multiplier = rnd(2, 67);
  } else if (depthwise) {
    g->filt_in_c = 1;
    g->out_c = g->in_c;
  } else {
    g->filt_in_c = g->in_c;
    g->out_c = rnd(1, 67);
  }
  const int32_t nin = g->batches * g->in_h * g->in_w * g->in_c;
  const int32_t nout = g->batches * g->out_h * g->out_w * g->out_c;
  const int32_t nw =
      g->filt_h * g->filt_w * (depthwise ? g->out_c : g->out_c * g->in_c);
  return g->out_h > 0 && g->out_w > 0 && nin <= BUF && nw <= BUF &&
         nout + 16 <= BUF && g->out_c <= 128;
}

/* depthwise: 0 CONV_2D, 1 DEPTHWISE_CONV_2D, 2 DEPTHWISE_CONV_2D with one
 * input channel run as CONV_2D on the transposed filter (as conv_common.h
 * does at prepare). */
static int32_t run_conv(int depthwise) {
  const char *op = depthwise == 2   ? "DEPTHWISE_CONV_2D (in_c 1)"
                   : depthwise == 1 ? "DEPTHWISE_CONV_2D"
                                    : "CONV_2D";
  int32_t done = 0;
  for (int32_t cs = 0; done < ARM_MVE_FW_CASES; cs++) {
    mote_conv_geom g;
    mote_conv_q_params p;
    if (!rand_geom(&g, depthwise)) continue;
    rand_q(&p, g.out_c);
    fill(in_buf, g.batches * g.in_h * g.in_w * g.in_c);
    fill(w_buf, BUF);
    const int32_t *bias = rnd(0, 4) == 0 ? NULL : bias_buf;
    const int32_t nout = g.batches * g.out_h * g.out_w * g.out_c;
    clear_out();
    if (depthwise == 2) {
      const int32_t taps = g.filt_h * g.filt_w;
      for (int32_t oc = 0; oc < g.out_c; oc++)
        for (int32_t t = 0; t < taps; t++)
          in2_buf[oc * taps + t] = w_buf[t * g.out_c + oc];
      if (mote_conv2d_s8_mve_scratch(&g) > sizeof cols) fail(op, cs, -1, 1, 0);
      mote_conv2d_s8_mve_fold(&g, p.input_offset, in2_buf, bias, beff_buf);
      mote_dwconv2d_s8_ref(&g, &p, in_buf, w_buf, bias, out_ref);
      mote_conv2d_s8_mve(&g, &p, in_buf, in2_buf, beff_buf, out_mve, cols);
    } else if (depthwise) {
      if (!mote_dwconv2d_s8_mve_supported(&g) ||
          mote_dwconv2d_s8_mve_scratch(&g) > sizeof dw_ring)
        fail(op, cs, -1, 1, 0);
      mote_dwconv2d_s8_mve_fold(&g, p.input_offset, w_buf, bias, beff_buf);
      mote_dwconv2d_s8_ref(&g, &p, in_buf, w_buf, bias, out_ref);
      mote_dwconv2d_s8_mve(&g, &p, in_buf, w_buf, beff_buf, out_mve, dw_ring);
    } else {
      if (!mote_conv2d_s8_mve_supported(&g) ||
          mote_conv2d_s8_mve_scratch(&g) > sizeof cols)
        fail(op, cs, -1, 1, 0);
      mote_conv2d_s8_mve_fold(&g, p.input_offset, w_buf, bias, beff_buf);
      mote_conv2d_s8_ref(&g, &p, in_buf, w_buf, bias, out_ref);
      mote_conv2d_s8_mve(&g, &p, in_buf, w_buf, beff_buf, out_mve, cols);
    }
    check(op, cs, nout);
    done++;
  }
  return done;
}

static int32_t run_fc(void) {
  int32_t done = 0;
  for (int32_t cs = 0; done < ARM_MVE_FW_CASES; cs++) {
    mote_fc_dims n;
    mote_conv_q_params q;
    mote_fc_q_params p;
    n.batches = rnd(1, 4);
    n.depth = rnd(0, 2) == 0 ? 16 * rnd(1, 20) : rnd(1, 300);
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
    clear_out();
    mote_fc_s8_mve_fold(&n, &p, w_buf, bias, beff_buf);
    mote_fc_s8_ref(&n, &p, in_buf, w_buf, bias, out_ref);
    mote_fc_s8_mve(&n, &p, in_buf, w_buf, beff_buf, out_mve);
    check("FULLY_CONNECTED", cs, n.batches * n.units);
    done++;
  }
  return done;
}

/* Random shape of rank 1..4 with extents 1..maxe (product kept small). */
static uint32_t rand_shape(int32_t *d, int32_t maxe) {
  const uint32_t n = (uint32_t)rnd(1, 4);
  for (uint32_t i = 0; i < n; i++) d[i] = rnd(1, maxe);
  return n;
}

static int32_t run_add(void) {
  int32_t done = 0;
  for (int32_t cs = 0; done < ARM_MVE_FW_CASES; cs++) {
    int32_t a[4], b[4], o[6];
    uint32_t na = rand_shape(a, 9), nb, no;
    const int kind = rnd(0, 3);
    mote_bcast bc;
    mote_addsub_q_params p;
    if (kind == 0) { /* same shape */
      nb = na;
      for (uint32_t i = 0; i < na; i++) b[i] = a[i];
    } else if (kind == 1) { /* scalar */
      nb = 1;
      b[0] = 1;
    } else if (kind == 2) { /* innermost extents only (channel bcast) */
      nb = 1;
      b[0] = a[na - 1];
    } else { /* extents 1 here and there on either side */
      nb = na;
      for (uint32_t i = 0; i < na; i++) {
        b[i] = rnd(0, 2) == 0 ? 1 : a[i];
        if (rnd(0, 3) == 0) a[i] = 1;
      }
    }
    if (rnd(0, 1)) { /* swap the roles */
      int32_t t[4];
      uint32_t nt = na;
      for (uint32_t i = 0; i < 4; i++) t[i] = a[i];
      for (uint32_t i = 0; i < nb; i++) a[i] = b[i];
      na = nb;
      for (uint32_t i = 0; i < nt; i++) b[i] = t[i];
      nb = nt;
    }
    if (mote_bcast_init(&bc, a, na, b, nb, o, &no) != MOTE_BCAST_OK) continue;
    if (bc.count + 16 > BUF) continue;
    int32_t n1 = 1, n2 = 1;
    for (uint32_t i = 0; i < na; i++) n1 *= a[i];
    for (uint32_t i = 0; i < nb; i++) n2 *= b[i];
    if (!mote_add_s8_mve_supported(&bc)) fail("ADD support", cs, -1, 1, 0);
    const int extreme = rnd(0, 7) == 0;
    p.in1_offset = -rnd(-128, 127);
    p.in2_offset = -rnd(-128, 127);
    p.out_offset = rnd(-128, 127);
    p.left_shift = rnd(0, 3) == 0 ? rnd(0, 24) : 20;
    p.in1_mult = extreme ? (int32_t)next() : rnd(1 << 30, 0x7FFFFFFF);
    p.in2_mult = extreme ? (int32_t)next() : rnd(1 << 30, 0x7FFFFFFF);
    p.out_mult = extreme ? (int32_t)next() : rnd(1 << 30, 0x7FFFFFFF);
    p.in1_shift = extreme ? rnd(-31, 3) : rnd(-12, 0);
    p.in2_shift = extreme ? rnd(-31, 3) : rnd(-12, 0);
    p.out_shift = extreme ? rnd(-31, 3) : rnd(-31, -10);
    if (!extreme && rnd(0, 1)) {   /* TFLite's larger input: 2^30, shift 0 */
      const int which = rnd(0, 2); /* 1, 2 or both (Helium fast loops) */
      if (which != 1) p.in1_mult = 1 << 30, p.in1_shift = 0;
      if (which != 0) p.in2_mult = 1 << 30, p.in2_shift = 0;
    }
    p.act_min = rnd(0, 3) == 0 ? rnd(-128, 0) : -128;
    p.act_max = rnd(0, 3) == 0 ? rnd(p.act_min, 127) : 127;
    fill(in_buf, n1);
    fill(in2_buf, n2);
    clear_out();
    mote_add_s8_ref(&p, &bc, in_buf, in2_buf, out_ref);
    if (n1 == bc.count && rnd(0, 1)) { /* in place: out aliases input 1 */
      memcpy(out_mve, in_buf, (size_t)n1);
      mote_add_s8_mve(&p, &bc, out_mve, in2_buf, out_mve);
    } else {
      mote_add_s8_mve(&p, &bc, in_buf, in2_buf, out_mve);
    }
    check("ADD", cs, bc.count);
    done++;
  }
  return done;
}

static int32_t run_pool(int avg) {
  const char *op = avg ? "AVERAGE_POOL_2D" : "MAX_POOL_2D";
  int32_t done = 0;
  for (int32_t cs = 0; done < ARM_MVE_FW_CASES; cs++) {
    mote_pool_params p;
    memset(&p, 0, sizeof p);
    p.batches = rnd(1, 2);
    p.depth = rnd(0, 3) == 0 ? 16 * rnd(1, 4) : rnd(1, 67);
    p.in_h = rnd(1, 12);
    p.in_w = rnd(1, 12);
    p.filter_h = rnd(1, 6);
    p.filter_w = rnd(1, 6);
    if (rnd(0, 9) == 0) { /* whole-image windows, up to 16 x 16 taps */
      p.in_h = p.filter_h = rnd(1, 16);
      p.in_w = p.filter_w = rnd(1, 16);
      p.depth = rnd(1, 20);
    }
    p.stride_h = rnd(1, 3);
    p.stride_w = rnd(1, 3);
    p.pad_h = rnd(0, 1) ? 0 : rnd(0, p.filter_h - 1);
    p.pad_w = rnd(0, 1) ? 0 : rnd(0, p.filter_w - 1);
    const int32_t sh = p.in_h + 2 * p.pad_h - p.filter_h;
    const int32_t sw = p.in_w + 2 * p.pad_w - p.filter_w;
    if (sh < 0 || sw < 0) continue;
    p.out_h = sh / p.stride_h + 1;
    p.out_w = sw / p.stride_w + 1;
    p.act_min = rnd(0, 3) == 0 ? rnd(-128, 0) : -128;
    p.act_max = rnd(0, 3) == 0 ? rnd(p.act_min, 127) : 127;
    const int32_t nin = p.batches * p.in_h * p.in_w * p.depth;
    const int32_t nout = p.batches * p.out_h * p.out_w * p.depth;
    if (nin > BUF || nout + 16 > BUF) continue;
    fill(in_buf, nin);
    if (rnd(0, 4) == 0) /* saturated inputs: the extreme sums */
      memset(in_buf, rnd(0, 1) ? 0x80 : 0x7F, (size_t)nin);
    clear_out();
    if (avg) {
      if (!mote_avg_pool_s8_mve_supported(&p)) fail(op, cs, -1, 1, 0);
      mote_avg_pool_s8_ref(&p, in_buf, out_ref);
      mote_avg_pool_s8_mve(&p, in_buf, out_mve);
    } else {
      mote_max_pool_s8_ref(&p, in_buf, out_ref);
      mote_max_pool_s8_mve(&p, in_buf, out_mve);
    }
    check(op, cs, nout);
    done++;
  }
  return done;
}

int main(void) {
  int32_t n = run_requant();
  mote_port_write("arm_mve: requantizer ");
  put_num(n);
  mote_port_write(" four-lane edge vectors exact\n");
  n = run_conv(0);
  n += run_conv(1);
  n += run_conv(2);
  n += run_fc();
  n += run_add();
  n += run_pool(1);
  n += run_pool(0);
  mote_port_write("arm_mve: ");
  put_num(n);
  mote_port_write(" random cases bit-exact with the reference kernels\n");
  return 0;
}

#else
/* Built for a core without MVE: nothing to test is a failure, not a
 * pass. */
int main(void) {
  mote_port_write("arm_mve: FAIL no MVE on this core\n");
  return 1;
}
#endif
