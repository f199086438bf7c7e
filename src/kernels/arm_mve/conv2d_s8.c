/*
** CONV_2D int8 for MVE (see arm_mve_kernels.h for the method and why it
** is bit-exact). Output pixels go in pairs: each pixel's receptive field
** is one int8 row of depth K = FH * FW * C (1x1 windows: the input pixel
** itself, read in place; otherwise gathered into scratch, padding taps set
** to the input zero point). mote_mve_rows_s8 then multiplies the two rows
** by all filter rows: blocks of 2 pixels x 2 channels share their four
** 16-byte loads between four VMLADAVA (16 MACs each); the depth tail is
** one predicated step; four channels' sums are requantized together.
*/
#include "arm_mve_kernels.h"

#if defined(MOTE_HAVE_ARM_MVE)
#include <arm_mve.h>
#include <string.h>

#include "mve_common.h"

void mote_mve_fold_rows(int32_t rows, int32_t depth, const int8_t *w,
                        const int32_t *bias, int32_t mul, int32_t add,
                        int32_t *bias_eff) {
  int32_t r, k;
  for (r = 0; r < rows; r++, w += depth) {
    int32_t s = 0;
    for (k = 0; k < depth; k += 16)
      s = vaddvaq_p_s8(s, vldrbq_z_s8(w + k, vctp8q((uint32_t)(depth - k))),
                       vctp8q((uint32_t)(depth - k)));
    bias_eff[r] = (int32_t)((uint32_t)(bias ? bias[r] : 0) +
                            (uint32_t)mul * (uint32_t)s + (uint32_t)add);
  }
}

/*
** The dot-product blocks, in inline assembly: GCC keeps neither the four
** scalar accumulators nor the pointers of a C version in registers across
** the loop (MVE has eight vector registers; VMLADAVA needs even-numbered
** scalar accumulators). Each runs a tail-predicated low-overhead loop
** (DLSTP.8/LETP: the last step of a depth that is not a multiple of 16
** loads and multiplies only the lanes left), starts its accumulators from
** the folded bias and moves them into vector lanes (VMOV.32; the
** two-register form VMOV Qd[2], Qd[0], Rt, Rt2 is left out: GNU as
** and QEMU disagree with LLVM on which register lands in which lane).
*/

/* One activation row x against four weight rows w0..w3 of depth K:
 * lane j = b[j] + x . wj. b: four readable biases. */
static inline __attribute__((always_inline)) int32x4_t dot14(
    const int8_t *x, const int8_t *w0, const int8_t *w1, const int8_t *w2,
    const int8_t *w3, int32_t K, const int32_t *b) {
  register int32_t a __asm__("r6"), e __asm__("r8"), f __asm__("r10"),
      d __asm__("r12");
  int32x4_t v;
  __asm__ volatile(
      "ldrd %[a], %[e], [%[b]]\n\t"
      "ldrd %[f], %[d], [%[b], #8]\n\t"
      "dlstp.8 lr, %[k]\n"
      "1:\n\t"
      "vldrb.8 q0, [%[x]], #16\n\t"
      "vldrb.8 q1, [%[w0]], #16\n\t"
      "vmladava.s8 %[a], q0, q1\n\t"
      "vldrb.8 q1, [%[w1]], #16\n\t"
      "vmladava.s8 %[e], q0, q1\n\t"
      "vldrb.8 q1, [%[w2]], #16\n\t"
      "vmladava.s8 %[f], q0, q1\n\t"
      "vldrb.8 q1, [%[w3]], #16\n\t"
      "vmladava.s8 %[d], q0, q1\n\t"
      "letp lr, 1b\n\t"
      "vmov.32 %q[v][2], %[f]\n\t"
      "vmov.32 %q[v][0], %[a]\n\t"
      "vmov.32 %q[v][3], %[d]\n\t"
      "vmov.32 %q[v][1], %[e]"
      : [a] "=&r"(a), [e] "=&r"(e), [f] "=&r"(f), [d] "=&r"(d), [v] "=&w"(v),
        [x] "+r"(x), [w0] "+r"(w0), [w1] "+r"(w1), [w2] "+r"(w2), [w3] "+r"(w3)
      : [k] "r"(K), [b] "r"(b)
      : "q0", "q1", "lr", "memory");
  return v;
}

/* Two activation rows x0, x1 against four weight rows w, w + K, w + 2K,
 * w + 3K (as dot14): *s0 and *s1 get the four sums of each row. Two
 * passes of two weight rows each (channels 0 and 2, then 1 and 3),
 * sharing every load between two VMLADAVA; K rounded up to a multiple
 * of 16 (in LR between the passes) rewinds the activation rows and the
 * weight rows step back by its excess over K onto the next row. */
static inline __attribute__((always_inline)) void dot24(
    const int8_t *x0, const int8_t *x1, const int8_t *w, int32_t K,
    const int32_t *b, int32x4_t *s0, int32x4_t *s1) {
  register int32_t a __asm__("r6"), e __asm__("r8"), f __asm__("r10"),
      d __asm__("r12");
  const int8_t *w2 = w + 2 * K;
  const int32_t back = ((K + 15) & ~(int32_t)15) - K;
  int32x4_t v0, v1;
  __asm__ volatile(
      "ldr %[a], [%[b]]\n\t"
      "ldr %[e], [%[b], #8]\n\t"
      "mov %[f], %[a]\n\t"
      "mov %[d], %[e]\n\t"
      "dlstp.8 lr, %[k]\n"
      "1:\n\t"
      "vldrb.8 q0, [%[x0]], #16\n\t"
      "vldrb.8 q1, [%[w0]], #16\n\t"
      "vmladava.s8 %[a], q0, q1\n\t"
      "vldrb.8 q2, [%[w2]], #16\n\t"
      "vmladava.s8 %[e], q0, q2\n\t"
      "vldrb.8 q0, [%[x1]], #16\n\t"
      "vmladava.s8 %[f], q0, q1\n\t"
      "vmladava.s8 %[d], q0, q2\n\t"
      "letp lr, 1b\n\t"
      "vmov.32 %q[v0][2], %[e]\n\t"
      "vmov.32 %q[v0][0], %[a]\n\t"
      "vmov.32 %q[v1][2], %[d]\n\t"
      "vmov.32 %q[v1][0], %[f]\n\t"
      "adds lr, %[k], #15\n\t"
      "bic lr, lr, #15\n\t"
      "subs %[x0], %[x0], lr\n\t"
      "subs %[x1], %[x1], lr\n\t"
      "subs %[w0], %[w0], %[back]\n\t"
      "subs %[w2], %[w2], %[back]\n\t"
      "ldr %[a], [%[b], #4]\n\t"
      "ldr %[e], [%[b], #12]\n\t"
      "mov %[f], %[a]\n\t"
      "mov %[d], %[e]\n\t"
      "dlstp.8 lr, %[k]\n"
      "1:\n\t"
      "vldrb.8 q0, [%[x0]], #16\n\t"
      "vldrb.8 q1, [%[w0]], #16\n\t"
      "vmladava.s8 %[a], q0, q1\n\t"
      "vldrb.8 q2, [%[w2]], #16\n\t"
      "vmladava.s8 %[e], q0, q2\n\t"
      "vldrb.8 q0, [%[x1]], #16\n\t"
      "vmladava.s8 %[f], q0, q1\n\t"
      "vmladava.s8 %[d], q0, q2\n\t"
      "letp lr, 1b\n\t"
      "vmov.32 %q[v0][3], %[e]\n\t"
      "vmov.32 %q[v0][1], %[a]\n\t"
      "vmov.32 %q[v1][3], %[d]\n\t"
      "vmov.32 %q[v1][1], %[f]"
      : [a] "=&r"(a), [e] "=&r"(e), [f] "=&r"(f), [d] "=&r"(d), [v0] "=&w"(v0),
        [v1] "=&w"(v1), [x0] "+r"(x0), [x1] "+r"(x1), [w0] "+r"(w),
        [w2] "+r"(w2)
      : [k] "r"(K), [back] "r"(back), [b] "r"(b)
      : "q0", "q1", "q2", "lr", "memory", "cc");
  *s0 = v0;
  *s1 = v1;
}

/*
** The whole fast path of two rows in one assembly routine: for each group
** of four channels the two dot24 passes, then the requantization of both
** pixels' four sums (mote_mve_requant_r, instruction for instruction:
** VQRDMULH, the -1 nudge of negative values under a right shift, VRSHL,
** + zo, clamp), the narrowing stores and the pointer steps, all in
** registers. In C, GCC spilled the pointers and outputs between the two
** passes (about 40 loads and stores per group). Registers: r0 the
** arguments, r1/r3 the activation rows, r11/r7 weight rows c and c + 2,
** r6/r8/r10/r12 the accumulators (VMLADAVA wants even registers), r2 the
** bias, r9 the multipliers, r5 the shifts and r4 the first output (low
** registers: the widening VLDRB.S32 and narrowing VSTRB.32 take no
** other), q5/q6/q7 lo/hi/zo. Groups must be at least one.
*/
typedef struct rows24_args {
  const int8_t *x0, *x1; /* 0, 4: the activation rows */
  int32_t K;             /* 8: depth */
  int32_t back;          /* 12: K rounded up to 16, minus K */
  const int8_t *w;       /* 16: weight row of channel 0 */
  const int32_t *b;      /* 20: bias_eff */
  const int32_t *mult;   /* 24 */
  const int8_t *shift;   /* 28: in [-31, 0] */
  int8_t *o0;            /* 32 */
  int32_t o1off;         /* 36: o1 - o0 */
  const int32_t *bend;   /* 40: b + 4 * groups */
  int32_t zo, lo, hi;    /* 44, 48, 52 */
  int32_t step;          /* 56: 2K - back (row c + 4 + 2 from row c + 4) */
} rows24_args;

void mote_mve_rows24(const rows24_args *a);

#define MOTE_MVE_PASS24         \
  "ldrd r1, r3, [r0]\n\t"       \
  "mov r10, r6\n\t"             \
  "mov r12, r8\n\t"             \
  "ldr lr, [r0, #8]\n\t"        \
  "dlstp.8 lr, lr\n"            \
  "1:\n\t"                      \
  "vldrb.8 q0, [r1], #16\n\t"   \
  "vldrb.8 q1, [r11], #16\n\t"  \
  "vmladava.s8 r6, q0, q1\n\t"  \
  "vldrb.8 q2, [r7], #16\n\t"   \
  "vmladava.s8 r8, q0, q2\n\t"  \
  "vldrb.8 q0, [r3], #16\n\t"   \
  "vmladava.s8 r10, q0, q1\n\t" \
  "vmladava.s8 r12, q0, q2\n\t" \
  "letp lr, 1b\n\t"

__asm__(
    ".text\n\t"
    ".align 2\n\t"
    ".global mote_mve_rows24\n\t"
    ".thumb\n\t"
    ".thumb_func\n\t"
    ".type mote_mve_rows24, %function\n"
    "mote_mve_rows24:\n\t"
    "push {r4-r11, lr}\n\t"
    "vpush {d8-d15}\n\t"
    "ldr r1, [r0, #48]\n\t"
    "vdup.32 q5, r1\n\t"
    "ldr r1, [r0, #52]\n\t"
    "vdup.32 q6, r1\n\t"
    "ldr r1, [r0, #44]\n\t"
    "vdup.32 q7, r1\n\t"
    "ldr r11, [r0, #16]\n\t"
    "ldr r1, [r0, #8]\n\t"
    "add r7, r11, r1, lsl #1\n\t"
    "ldr r2, [r0, #20]\n\t"
    "ldr r9, [r0, #24]\n\t"
    "ldr r5, [r0, #28]\n\t"
    "ldr r4, [r0, #32]\n"
    "2:\n\t"
    "ldr r6, [r2]\n\t"
    "ldr r8, [r2, #8]\n\t" MOTE_MVE_PASS24
    "vmov.32 q3[2], r8\n\t"
    "vmov.32 q3[0], r6\n\t"
    "vmov.32 q4[2], r12\n\t"
    "vmov.32 q4[0], r10\n\t"
    "ldr r6, [r0, #12]\n\t"
    "subs r11, r11, r6\n\t"
    "subs r7, r7, r6\n\t"
    "ldr r6, [r2, #4]\n\t"
    "ldr r8, [r2, #12]\n\t" MOTE_MVE_PASS24
    "vmov.32 q3[3], r8\n\t"
    "vmov.32 q3[1], r6\n\t"
    "vmov.32 q4[3], r12\n\t"
    "vmov.32 q4[1], r10\n\t"
    "vldrw.32 q0, [r9], #16\n\t"
    "vldrb.s32 q1, [r5], #4\n\t"
    "vqrdmulh.s32 q3, q3, q0\n\t"
    "vqrdmulh.s32 q4, q4, q0\n\t"
    "vand q0, q3, q1\n\t"
    "vshr.s32 q0, q0, #31\n\t"
    "vadd.i32 q3, q3, q0\n\t"
    "vand q0, q4, q1\n\t"
    "vshr.s32 q0, q0, #31\n\t"
    "vadd.i32 q4, q4, q0\n\t"
    "vrshl.s32 q3, q3, q1\n\t"
    "vrshl.s32 q4, q4, q1\n\t"
    "vadd.i32 q3, q3, q7\n\t"
    "vadd.i32 q4, q4, q7\n\t"
    "vmax.s32 q3, q3, q5\n\t"
    "vmax.s32 q4, q4, q5\n\t"
    "vmin.s32 q3, q3, q6\n\t"
    "vmin.s32 q4, q4, q6\n\t"
    "ldr r6, [r0, #36]\n\t"
    "vstrb.32 q3, [r4]\n\t"
    "add r6, r6, r4\n\t"
    "vstrb.32 q4, [r6]\n\t"
    "adds r4, r4, #4\n\t"
    "adds r2, r2, #16\n\t"
    "ldr r6, [r0, #12]\n\t"
    "sub r11, r7, r6\n\t"
    "ldr r6, [r0, #56]\n\t"
    "add r7, r7, r6\n\t"
    "ldr r6, [r0, #40]\n\t"
    "cmp r2, r6\n\t"
    "bne 2b\n\t"
    "vpop {d8-d15}\n\t"
    "pop {r4-r11, pc}\n\t"
    ".size mote_mve_rows24, .-mote_mve_rows24");

/* mote_mve_rows_s8 with the shift test done by the caller: simple = 1 iff
 * per-channel multipliers and shifts, every shift in [-31, 0] and
 * add0 = add1 = 0. */
static void rows(const int8_t *x0, const int8_t *x1, int32_t add0, int32_t add1,
                 const int8_t *w, int32_t depth, int32_t n,
                 const int32_t *bias_eff, const mote_requant_ch *rq, int32_t zo,
                 int32_t lo, int32_t hi, int8_t *o0, int8_t *o1, int simple) {
  /* Everything the loops need in locals: the int8 stores below may alias
   * any memory, locals they cannot. */
  const int32_t *const mult = rq->mult;
  const int8_t *const shift = rq->shift;
  const int32_t K = depth;
  const int32_t full = n & ~(int32_t)3;
  int32_t c = 0;
  int32x4_t s0, s1;
  if (simple) {
    /* Per-channel, shifts in [-31, 0], no run-time term: the common
     * case, fewest instructions per group of four channels. */
    const int8_t *wc = w;
    if (x1 && full > 0) {
      const int32_t back = ((K + 15) & ~(int32_t)15) - K;
      const rows24_args a = {x0,
                             x1,
                             K,
                             back,
                             w,
                             bias_eff,
                             mult,
                             shift,
                             o0,
                             (int32_t)(o1 - o0),
                             bias_eff + full,
                             zo,
                             lo,
                             hi,
                             2 * K - back};
      mote_mve_rows24(&a);
      c = full;
    }
    for (; c < full; c += 4, wc += 4 * K) {
      const int32x4_t m = vldrwq_s32(mult + c);
      const int32x4_t rt = vldrbq_s32(shift + c);
      if (x1) {
        dot24(x0, x1, wc, K, bias_eff + c, &s0, &s1);
        vstrbq_s32(o0 + c, mote_mve_requant_r(s0, m, rt, zo, lo, hi));
        vstrbq_s32(o1 + c, mote_mve_requant_r(s1, m, rt, zo, lo, hi));
      } else {
        s0 = dot14(x0, wc, wc + K, wc + 2 * K, wc + 3 * K, K, bias_eff + c);
        vstrbq_s32(o0 + c, mote_mve_requant_r(s0, m, rt, zo, lo, hi));
      }
    }
  }
  if (c < n) {
    const mote_mve_out o = mote_mve_out_of(zo, lo, hi);
    const mote_mve_rq4 r0 =
        mote_mve_rq4_make(vdupq_n_s32(rq->mult0), vdupq_n_s32(rq->shift0));
    int32_t bt[4];
    for (; c < n; c += 4) {
      const int32_t left = n - c; /* rows past n repeat row c */
      const int8_t *w0 = w + c * K;
      const int8_t *w1 = left > 1 ? w0 + K : w0;
      const int8_t *w2 = left > 2 ? w0 + 2 * K : w0;
      const int8_t *w3 = left > 3 ? w0 + 3 * K : w0;
      const mve_pred16_t p = vctp32q((uint32_t)(left < 4 ? left : 4));
      const int32_t *b = bias_eff + c;
      mote_mve_rq4 r;
      if (c < full) {
        r = (mult || shift) ? mote_mve_rq4_of(rq, c) : r0;
      } else {
        r = mote_mve_rq4_tail(rq, c, left);
        vstrwq_s32(bt, vldrwq_z_s32(bias_eff + c, p));
        b = bt;
      }
      if (x1) {
        if (c < full) {
          dot24(x0, x1, w0, K, b, &s0, &s1);
        } else { /* the rows read must exist: one pixel at a time */
          s0 = dot14(x0, w0, w1, w2, w3, K, b);
          s1 = dot14(x1, w0, w1, w2, w3, K, b);
        }
        vstrbq_p_s32(o1 + c, mote_mve_requant(vaddq_n_s32(s1, add1), &r, &o),
                     p);
      } else {
        s0 = dot14(x0, w0, w1, w2, w3, K, b);
      }
      vstrbq_p_s32(o0 + c, mote_mve_requant(vaddq_n_s32(s0, add0), &r, &o), p);
    }
  }
}

/* 1 iff rows() may take its fast path. */
static int rows_simple(const mote_requant_ch *rq, int32_t n, int32_t add0,
                       int32_t add1) {
  return rq->mult && rq->shift && add0 == 0 && add1 == 0 &&
         mote_mve_shifts_simple(rq, n);
}

void mote_mve_rows_s8(const int8_t *x0, const int8_t *x1, int32_t add0,
                      int32_t add1, const int8_t *w, int32_t depth, int32_t n,
                      const int32_t *bias_eff, const mote_requant_ch *rq,
                      int32_t zo, int32_t lo, int32_t hi, int8_t *o0,
                      int8_t *o1) {
  rows(x0, x1, add0, add1, w, depth, n, bias_eff, rq, zo, lo, hi, o0, o1,
       rows_simple(rq, n, add0, add1));
}

int mote_conv2d_s8_mve_supported(const mote_conv_geom *g) {
  return g->filt_in_c == g->in_c; /* one group */
}

static int32_t depth_of(const mote_conv_geom *g) {
  return g->filt_h * g->filt_w * g->filt_in_c;
}

/* 1x1 windows without padding read the input in place (a row slice of
 * the output may have a negative leading pad), when the last one is inside
 * the image too (a PAD fused into the convolution may add trailing rows or
 * columns of padding alone). */
static int in_place(const mote_conv_geom *g) {
  return g->filt_h == 1 && g->filt_w == 1 && g->pad_h <= 0 && g->pad_w <= 0 &&
         (int64_t)(g->out_h - 1) * g->stride_h - g->pad_h < g->in_h &&
         (int64_t)(g->out_w - 1) * g->stride_w - g->pad_w < g->in_w;
}

size_t mote_conv2d_s8_mve_scratch(const mote_conv_geom *g) {
  if (!mote_conv2d_s8_mve_supported(g) || in_place(g)) return 0;
  return (size_t)2 * (size_t)depth_of(g);
}

void mote_conv2d_s8_mve_fold(const mote_conv_geom *g, int32_t input_offset,
                             const int8_t *filter, const int32_t *bias,
                             int32_t *bias_eff) {
  mote_mve_fold_rows(g->out_c, depth_of(g), filter, bias, input_offset, 0,
                     bias_eff);
}

/* n bytes from src to dst (predicated tail). */
static inline void copy_bytes(int8_t *dst, const int8_t *src, int32_t n) {
  for (; n >= 16; n -= 16, src += 16, dst += 16) vstrbq_s8(dst, vldrbq_s8(src));
  if (n > 0) {
    const mve_pred16_t p = vctp8q((uint32_t)n);
    vstrbq_p_s8(dst, vldrbq_z_s8(src, p), p);
  }
}

/* n copies of the byte in v. */
static inline void fill_bytes(int8_t *dst, int8x16_t v, int32_t n) {
  for (; n >= 16; n -= 16, dst += 16) vstrbq_s8(dst, v);
  if (n > 0) vstrbq_p_s8(dst, v, vctp8q((uint32_t)n));
}

/* The receptive field of output pixel (oy, ox) of one image into row. */
static void gather(const mote_conv_geom *g, const int8_t *img, int32_t oy,
                   int32_t ox, int8x16_t zp, int8_t *row) {
  const int32_t C = g->in_c, run = g->filt_w * C;
  const int32_t iy0 = oy * g->stride_h - g->pad_h;
  const int32_t ix0 = ox * g->stride_w - g->pad_w;
  int32_t fy, fx, fx0 = 0, fx1 = g->filt_w;
  if (g->dil_w == 1) { /* taps fx0..fx1-1 inside: one run */
    if (ix0 < 0) fx0 = -ix0 < g->filt_w ? -ix0 : g->filt_w;
    if (ix0 + fx1 > g->in_w) fx1 = g->in_w - ix0 > fx0 ? g->in_w - ix0 : fx0;
  }
  for (fy = 0; fy < g->filt_h; fy++, row += run) {
    const int32_t iy = iy0 + g->dil_h * fy;
    if (iy < 0 || iy >= g->in_h) {
      fill_bytes(row, zp, run);
      continue;
    }
    const int8_t *src = img + (iy * g->in_w + ix0) * C;
    if (g->dil_w == 1 && run <= 16) {
      /* One predicated load of the bytes inside, the zero point
       * elsewhere: the lanes outside read no memory. */
      const mve_pred16_t in = vctp8q((uint32_t)(fx1 * C)) &
                              (mve_pred16_t)~vctp8q((uint32_t)(fx0 * C));
      vstrbq_p_s8(row, vpselq_s8(vldrbq_z_s8(src, in), zp, in),
                  vctp8q((uint32_t)run));
      continue;
    }
    if (g->dil_w == 1) {
      fill_bytes(row, zp, fx0 * C);
      copy_bytes(row + fx0 * C, src + fx0 * C, (fx1 - fx0) * C);
      fill_bytes(row + fx1 * C, zp, run - fx1 * C);
      continue;
    }
    for (fx = 0; fx < g->filt_w; fx++) {
      const int32_t ix = ix0 + g->dil_w * fx;
      if (ix < 0 || ix >= g->in_w)
        fill_bytes(row + fx * C, zp, C);
      else
        copy_bytes(row + fx * C, src + g->dil_w * fx * C, C);
    }
  }
}

/* An output pixel's position, stepped along without divisions. */
typedef struct px_pos {
  int32_t b, oy, ox;
} px_pos;

static inline void px_next(const mote_conv_geom *g, px_pos *q) {
  if (++q->ox < g->out_w) return;
  q->ox = 0;
  if (++q->oy < g->out_h) return;
  q->oy = 0;
  q->b++;
}

/* n bytes from src to dst in one tail-predicated loop (n >= 1). */
static inline void copy_run(int8_t *dst, const int8_t *src, int32_t n) {
  __asm__ volatile(
      "dlstp.8 lr, %[n]\n"
      "1:\n\t"
      "vldrb.8 q0, [%[s]], #16\n\t"
      "vstrb.8 q0, [%[d]], #16\n\t"
      "letp lr, 1b"
      : [s] "+r"(src), [d] "+r"(dst)
      : [n] "r"(n)
      : "q0", "lr", "memory");
}

/* n rows of 4 bytes, src + i * step to dst + 4 * i: one unaligned 32-bit
 * load and store each (the Cortex-M55 allows them on normal memory). */
static inline void copy_words(int8_t *dst, const int8_t *src, int32_t step,
                              int32_t n) {
  for (; n > 0; n--, src += step, dst += 4) {
    uint32_t w;
    memcpy(&w, src, 4);
    memcpy(dst, &w, 4);
  }
}

/*
** The window of one output pixel when a filter row is at most 16 bytes
** (filt_w * C <= 16, unit column dilation: kws's 10x4 first layer with one
** input channel, any narrow filter). The taps inside the image form one
** block of rows fy0..fy1-1 and, in every one of them, the same columns
** fx0..fx1-1, so both ranges are found once per window instead of per
** row: the rows above and below are one contiguous zero-point fill each;
** whole rows inside are copied (4 bytes: one 32-bit load and store;
** otherwise one predicated load and store); rows cut by the left or right
** edge are one tail-predicated load whose lanes outside [fx0, fx1) read
** no memory and take the zero point, then one predicated store. Windows
** wholly inside take row_of's interior path first. The bytes written
** are exactly those of gather(): input bytes inside, the zero point
** outside (which the folded bias turns into a zero contribution).
*/
static void gather_narrow(const mote_conv_geom *g, const int8_t *img,
                          int32_t iy0, int32_t ix0, int8x16_t zp, int8_t *row) {
  const int32_t C = g->in_c, run = g->filt_w * C, dh = g->dil_h;
  const int32_t step = dh * g->in_w * C;
  int32_t fy0 = 0, fy1 = g->filt_h, fx0 = 0, fx1 = g->filt_w, fy;
  /* fy0: the first fy with iy0 + dh * fy >= 0; fy1: one past the last
   * with iy0 + dh * fy < in_h; both clamped to [0, filt_h]. */
  if (iy0 < 0) fy0 = (-iy0 + dh - 1) / dh;
  if (fy0 > fy1) fy0 = fy1;
  if (iy0 + dh * (fy1 - 1) >= g->in_h)
    fy1 = g->in_h > iy0 ? (g->in_h - iy0 + dh - 1) / dh : 0;
  if (fy1 < fy0) fy1 = fy0;
  if (ix0 < 0) fx0 = -ix0 < g->filt_w ? -ix0 : g->filt_w;
  if (ix0 + fx1 > g->in_w) fx1 = g->in_w - ix0 > fx0 ? g->in_w - ix0 : fx0;
  fill_bytes(row, zp, fy0 * run);
  fill_bytes(row + fy1 * run, zp, (g->filt_h - fy1) * run);
  if (fy0 == fy1) return;
  const int8_t *src = img + ((iy0 + dh * fy0) * g->in_w + ix0) * C;
  row += fy0 * run;
  if (fx0 == 0 && fx1 == g->filt_w) { /* whole rows */
    if (run == 4) {
      copy_words(row, src, step, fy1 - fy0);
    } else {
      const mve_pred16_t p = vctp8q((uint32_t)run);
      for (fy = fy0; fy < fy1; fy++, src += step, row += run)
        vstrbq_p_s8(row, vldrbq_z_s8(src, p), p);
    }
    return;
  }
  const mve_pred16_t in =
      vctp8q((uint32_t)(fx1 * C)) & (mve_pred16_t)~vctp8q((uint32_t)(fx0 * C));
  const mve_pred16_t st = vctp8q((uint32_t)run);
  for (fy = fy0; fy < fy1; fy++, src += step, row += run)
    vstrbq_p_s8(row, vpselq_s8(vldrbq_z_s8(src, in), zp, in), st);
}

/* Input pixel of output pixel q (in place) or its gathered row. A window
 * wholly inside the image with unit column dilation (every interior pixel
 * of a padded 3x3 convolution) is filt_h contiguous runs of filt_w * C
 * bytes: copied without the border logic of gather() (runs of 4 bytes
 * as 32-bit words); other windows of rows up to 16 bytes: gather_narrow. */
static const int8_t *row_of(const mote_conv_geom *g, const int8_t *input,
                            const px_pos *q, int8x16_t zp, int8_t *buf) {
  const int8_t *img = input + q->b * g->in_h * g->in_w * g->in_c;
  const int32_t iy0 = q->oy * g->stride_h - g->pad_h;
  const int32_t ix0 = q->ox * g->stride_w - g->pad_w;
  if (in_place(g)) return img + (iy0 * g->in_w + ix0) * g->in_c;
  if (g->dil_w == 1 && ix0 >= 0 && ix0 + g->filt_w <= g->in_w && iy0 >= 0 &&
      iy0 + (g->filt_h - 1) * g->dil_h < g->in_h) {
    const int32_t run = g->filt_w * g->in_c;
    const int32_t step = g->dil_h * g->in_w * g->in_c;
    const int8_t *src = img + (iy0 * g->in_w + ix0) * g->in_c;
    if (run == 4) {
      copy_words(buf, src, step, g->filt_h);
    } else {
      int8_t *row = buf;
      int32_t fy;
      for (fy = 0; fy < g->filt_h; fy++, row += run, src += step)
        copy_run(row, src, run);
    }
    return buf;
  }
  if (g->dil_w == 1 && g->filt_w * g->in_c <= 16) {
    gather_narrow(g, img, iy0, ix0, zp, buf);
    return buf;
  }
  gather(g, img, q->oy, q->ox, zp, buf);
  return buf;
}

void mote_conv2d_s8_mve(const mote_conv_geom *g, const mote_conv_q_params *p,
                        const int8_t *input, const int8_t *filter,
                        const int32_t *bias_eff, int8_t *output,
                        int8_t *scratch) {
  const int32_t total = g->batches * g->out_h * g->out_w;
  const int32_t K = depth_of(g), n = g->out_c;
  const int8x16_t zp = vdupq_n_s8((int8_t)-p->input_offset);
  const int simple = rows_simple(&p->rq, n, 0, 0);
  px_pos q = {0, 0, 0};
  int32_t i;
  for (i = 0; i < total; i += 2) {
    const int8_t *x0 = row_of(g, input, &q, zp, scratch), *x1 = NULL;
    px_next(g, &q);
    if (i + 1 < total) {
      x1 = row_of(g, input, &q, zp, scratch + K);
      px_next(g, &q);
    }
    rows(x0, x1, 0, 0, filter, K, n, bias_eff, &p->rq, p->output_offset,
         p->act_min, p->act_max, output + i * n, output + (i + 1) * n, simple);
  }
}

#else
/* No MVE: no code here (ISO C wants one declaration). */
typedef int mote_mve_conv2d_s8_unused;
#endif
