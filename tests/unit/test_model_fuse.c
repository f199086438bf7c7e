/*
** test_model_fuse.c: operator fusion (src/runtime/fuse.c) through whole
** models built with the writer. Each model is loaded twice, with fusion on
** and off (mote_op_table.no_fusion), for every kernel ISA this build and
** CPU run and with worker threads splitting every convolution; both runs
** get the same random inputs (float ones with NaN, +-inf, -0.0 and
** FLT_MAX among them) and their outputs must match bit for bit. Also
** checked: which ops fused ("fused" kernel) and which did not, op names
** unchanged, the padded tensor without data, the arena smaller when
** something fused (by exactly the padded tensor where a residual keeps the
** PAD's input alive through the convolution) and equal when nothing did.
**
** PAD into CONV_2D / DEPTHWISE_CONV_2D: int8 (per-channel, input zero
** point -7), int16 and float32; asymmetric pads (top 1 bottom 2 left 0
** right 1, and larger than the filter); VALID and SAME; strides 1 and 2;
** dilation 2; PADV2 with the zero point / 0.0. RELU / RELU6 into CONV_2D,
** DEPTHWISE_CONV_2D, FULLY_CONNECTED and ADD, int8 and float32, with and
** without a fused activation of the producer's own. Negative cases that
** must not fuse: PAD output read twice or a graph output, PAD of the
** channel (or batch) dimension, PADV2 with another value, float filter
** with inf or bias with -0.0, RELU with other quantization, producer
** output read twice. A RELU output that is a graph output fuses. And a
** MobileNetV2-style block where both fusions meet.
*/
#include <float.h>

#include "model_harness.h"
#include "mote/mote_pool.h"

#define NO_OP -1

/* ---- loading with an op table ---- */

typedef struct run {
  mote_model m;
  uint8_t *arena;
  size_t need;
  mote_status st;
} run;

static mote_status load(run *r, const uint8_t *fb, size_t len,
                        const mote_op_table *t) {
  mote_error e;
  memset(r, 0, sizeof *r);
  r->st = mote_arena_required(fb, len, t, &r->need, &e);
  if (r->st != MOTE_OK) return r->st;
  r->arena = aligned_alloc(64, (r->need + 63) & ~(size_t)63);
  r->st = mote_model_init(&r->m, fb, len, t, r->arena, r->need);
  return r->st;
}

static void unload(run *r) {
  free(r->arena);
  memset(r, 0, sizeof *r);
}

/* ---- inputs ---- */

static float special_float(uint32_t k) {
  static const float s[] = {0.0f,    -0.0f,    1.0f,   -1.0f,
                            FLT_MAX, -FLT_MAX, 1e-40f, -1e-40f};
  if (k == 8) return INFINITY;
  if (k == 9) return -INFINITY;
  if (k == 10) return NAN;
  return s[k % 8];
}

/* Fill every graph input of both models alike (seeded by `round`). */
static void fill_inputs(mote_model *a, mote_model *b, uint32_t round,
                        int specials) {
  mh_rng = 0x9E3779B9u * (round + 1u);
  for (uint32_t k = 0; k < mote_model_input_count(a); k++) {
    mote_tensor ta, tb;
    mote_model_input(a, k, &ta);
    mote_model_input(b, k, &tb);
    for (size_t i = 0; i < ta.count; i++) {
      if (ta.type == MOTE_FLOAT32) {
        float v = (float)mh_randf(-2.0, 2.0);
        if (specials && mh_randi(0, 15) == 0) v = special_float(mh_rand() % 11);
        ((float *)ta.data)[i] = v;
      } else if (ta.type == MOTE_INT16) {
        ((int16_t *)ta.data)[i] = (int16_t)mh_randi(-32768, 32767);
      } else {
        ((int8_t *)ta.data)[i] = (int8_t)mh_randi(-128, 127);
      }
    }
    memcpy(tb.data, ta.data, ta.bytes);
  }
}

/* ---- the check ---- */

static mote_pool *pool;

typedef struct expect {
  int away[4];   /* ops fused away (NO_OP ends the list) */
  int32_t pad_t; /* padded tensor fused away (-1: none) */
  size_t save;   /* exact plan bytes saved with the reference kernels */
  int specials;  /* float inputs with NaN, inf, -0.0 */
} expect;

static int is_away(const expect *x, uint32_t op) {
  for (int i = 0; i < 4 && x->away[i] != NO_OP; i++)
    if (x->away[i] == (int)op) return 1;
  return 0;
}

static int fused_any(const expect *x) {
  return x->away[0] != NO_OP;
}

/* Fused against unfused with op table `base` (ISA, workers). */
static void check_with(const uint8_t *fb, size_t len, const expect *x,
                       const mote_op_table *base, const char *how) {
  mote_op_table on = *base, off = *base;
  on.no_fusion = 0;
  off.no_fusion = 1;
  run a, b;
  memset(&b, 0, sizeof b);
  if (load(&a, fb, len, &on) != MOTE_OK || load(&b, fb, len, &off) != MOTE_OK) {
    MH_CHECK(0, "%s: load fused %s, unfused %s", how, mote_status_name(a.st),
             mote_status_name(b.st));
    unload(&a);
    unload(&b);
    return;
  }
  const uint32_t nops = mote_model_op_count(&a.m);
  for (uint32_t i = 0; i < nops; i++) {
    const char *ka = mote_model_op_kernel(&a.m, i);
    const char *kb = mote_model_op_kernel(&b.m, i);
    const int fa = ka && strcmp(ka, "fused") == 0;
    MH_CHECK(fa == is_away(x, i), "%s: op %u (%s) kernel %s", how, i,
             mote_model_op_name(&a.m, i), ka ? ka : "NULL");
    MH_CHECK(kb && strcmp(kb, "fused") != 0, "%s: unfused op %u kernel %s", how,
             i, kb ? kb : "NULL");
    MH_CHECK(
        strcmp(mote_model_op_name(&a.m, i), mote_model_op_name(&b.m, i)) == 0,
        "%s: op %u name", how, i);
    if (!fa && ka && kb)
      MH_CHECK(strcmp(ka, kb) == 0, "%s: op %u kernel %s unfused %s", how, i,
               ka, kb);
  }
  if (x->pad_t >= 0) {
    mote_tensor t;
    mote_model_tensor(&a.m, (uint32_t)x->pad_t, &t);
    MH_CHECK(t.data == NULL, "%s: fused padded tensor has memory", how);
  }
  if (fused_any(x))
    MH_CHECK(a.need < b.need, "%s: arena fused %zu, unfused %zu", how, a.need,
             b.need);
  else
    MH_CHECK(a.need == b.need, "%s: nothing fused, arena %zu vs %zu", how,
             a.need, b.need);
  if (x->save && base->isa_mask == MOTE_ISA_REF && !base->workers)
    MH_CHECK(b.m.plan_bytes - a.m.plan_bytes == x->save,
             "%s: plan fused %zu, unfused %zu, saving %zu expected", how,
             a.m.plan_bytes, b.m.plan_bytes, x->save);
  if (getenv("MH_VERBOSE"))
    printf("  %s: arena %zu -> %zu (plan %zu -> %zu)\n", how, b.need, a.need,
           b.m.plan_bytes, a.m.plan_bytes);
  for (uint32_t round = 0; round < 3; round++) {
    fill_inputs(&a.m, &b.m, round, x->specials);
    mote_status sa = mote_model_invoke(&a.m), sb = mote_model_invoke(&b.m);
    MH_CHECK(sa == MOTE_OK && sb == MOTE_OK, "%s: invoke %s / %s", how,
             mote_status_name(sa), mote_status_name(sb));
    for (uint32_t k = 0; k < mote_model_output_count(&a.m); k++) {
      mote_tensor ta, tb;
      mote_model_output(&a.m, k, &ta);
      mote_model_output(&b.m, k, &tb);
      size_t bad = 0, first = 0;
      for (size_t i = 0; i < ta.bytes; i++)
        if (((const uint8_t *)ta.data)[i] != ((const uint8_t *)tb.data)[i] &&
            bad++ == 0)
          first = i;
      MH_CHECK(ta.bytes == tb.bytes && bad == 0,
               "%s: output %u round %u: %zu of %zu bytes differ (first %zu)",
               how, k, round, bad, ta.bytes, first);
    }
  }
  unload(&a);
  unload(&b);
}

/* Every ISA available, single-threaded and split over the pool. */
static void check_model(const char *name, tflw *w, const expect *x) {
  static const uint32_t masks[] = {
      MOTE_ISA_REF, MOTE_ISA_REF | MOTE_ISA_AVX2,
      MOTE_ISA_REF | MOTE_ISA_AVX2 | MOTE_ISA_AVX512,
      MOTE_ISA_REF | MOTE_ISA_NEON,
      MOTE_ISA_REF | MOTE_ISA_NEON | MOTE_ISA_NEON_DOT};
  size_t len;
  uint8_t *fb = mh_finish(w, &len);
  mote_workers split = *mote_pool_workers(pool);
  split.min_macs = 1;
  mh_case = name;
  for (size_t k = 0; k < sizeof masks / sizeof masks[0]; k++) {
    if ((masks[k] & mote_isa_available()) != masks[k]) continue;
    for (int threads = 0; threads < 2; threads++) {
      mote_op_table t = *mote_ops_all();
      char how[96];
      t.isa_mask = masks[k];
      t.workers = threads ? &split : NULL;
      snprintf(how, sizeof how, "isa 0x%x%s", (unsigned)masks[k],
               threads ? " threads" : "");
      check_with(fb, len, x, &t, how);
    }
  }
  free(fb);
}

/* ---- model pieces ---- */

typedef struct qt {
  int32_t type;
  float scale;
  int32_t zp;
} qt;

static int act_t(tflw *w, const qt *q, const int32_t *shape, uint32_t rank) {
  return mh_t(w, q->type, shape, rank, q->type == MOTE_FLOAT32 ? 0 : q->scale,
              q->zp);
}

/* Filter and bias of a convolution with `oc` outputs over `ic` input
 * channels (depthwise: filter [1, kh, kw, oc]); int8 per-channel. */
static void conv_consts(tflw *w, const qt *in, int dw, int kh, int kw, int ic,
                        int oc, int bad_float, int32_t *tf, int32_t *tb) {
  const size_t nw = (size_t)oc * kh * kw * (dw ? 1 : ic);
  int32_t ws[4] = {dw ? 1 : oc, kh, kw, dw ? oc : ic}, bs[1] = {oc};
  if (in->type == MOTE_FLOAT32) {
    float *f = malloc(nw * 4), *b = malloc((size_t)oc * 4);
    for (size_t i = 0; i < nw; i++) f[i] = (float)mh_randf(-1, 1);
    for (int i = 0; i < oc; i++) b[i] = (float)mh_randf(-1, 1);
    if (bad_float == 1) f[nw / 2] = INFINITY;
    if (bad_float == 2) b[0] = -0.0f;
    *tf = mh_const(w, MOTE_FLOAT32, ws, 4, 0, 0, f, nw * 4);
    *tb = mh_const(w, MOTE_FLOAT32, bs, 1, 0, 0, b, (size_t)oc * 4);
    free(f);
    free(b);
    return;
  }
  int8_t *f = malloc(nw);
  float *sc = malloc((size_t)oc * 4), *bsc = malloc((size_t)oc * 4);
  for (size_t i = 0; i < nw; i++) f[i] = (int8_t)mh_randi(-127, 127);
  for (int i = 0; i < oc; i++) {
    sc[i] = (float)mh_randf(0.002, 0.02);
    bsc[i] = in->scale * sc[i];
  }
  *tf = mh_const_pc(w, MOTE_INT8, ws, 4, sc, (uint32_t)oc, dw ? 3 : 0, f, nw);
  if (in->type == MOTE_INT8) {
    int32_t *b = malloc((size_t)oc * 4);
    for (int i = 0; i < oc; i++) b[i] = mh_randi(-2000, 2000);
    *tb = mh_const_pc(w, MOTE_INT32, bs, 1, bsc, (uint32_t)oc, 0, b,
                      (size_t)oc * 4);
    free(b);
  } else {
    int64_t *b = malloc((size_t)oc * 8);
    for (int i = 0; i < oc; i++) b[i] = mh_randi(-200000, 200000);
    *tb = mh_const_pc(w, MOTE_INT64, bs, 1, bsc, (uint32_t)oc, 0, b,
                      (size_t)oc * 8);
    free(b);
  }
  free(f);
  free(sc);
  free(bsc);
}

/* A convolution op reading `in` [n, h, w, ic] into a new tensor `*out`. */
static void conv_op(tflw *w, int dw, const qt *q, const qt *oq, int32_t in,
                    int n, int h, int wd, int ic, int kh, int kw, int ocm,
                    int padding, int sh, int sw, int dh, int dwl, int act,
                    int bad_float, int32_t *out, int32_t *oshape) {
  int ph, pw;
  const int oh = ref_out_size(padding, h, kh, sh, dh, &ph);
  const int ow = ref_out_size(padding, wd, kw, sw, dwl, &pw);
  const int oc = dw ? ic * ocm : ocm;
  int32_t tf, tb;
  conv_consts(w, q, dw, kh, kw, ic, oc, bad_float, &tf, &tb);
  oshape[0] = n;
  oshape[1] = oh;
  oshape[2] = ow;
  oshape[3] = oc;
  *out = act_t(w, oq, oshape, 4);
  int32_t ins[3] = {in, tf, tb};
  tflw_opt o[7];
  if (dw) {
    uint32_t no = tflw_opts_dwconv2d(o, padding, sw, sh, ocm, act, dwl, dh);
    tflw_op(w, TFL_OP_DEPTHWISE_CONV_2D, 2, ins, 3, out, 1,
            TFL_OPT_DEPTHWISE_CONV2D, o, no);
  } else {
    uint32_t no = tflw_opts_conv2d(o, padding, sw, sh, act, dwl, dh);
    tflw_op(w, TFL_OP_CONV_2D, 3, ins, 3, out, 1, TFL_OPT_CONV2D, o, no);
  }
}

/* ---- PAD into convolution ---- */

typedef struct pc_case {
  const char *name;
  int dw;
  int32_t type;
  int h, w, c;
  int32_t pads[8]; /* N, H, W, C: (before, after) each */
  int kh, kw, ocm, padding, sh, sw, dh, dwl;
  int v2;        /* PADV2 */
  float value;   /* its constant (int8/int16: raw value) */
  int variant;   /* see below */
  int bad_float; /* 1: inf in the filter, 2: -0.0 in the bias */
  int expect;    /* 1: the PAD fuses */
} pc_case;

enum {
  PC_PLAIN = 0,
  PC_PAD_OUT = 1,  /* padded tensor also a graph output */
  PC_TWICE = 2,    /* padded tensor read by a second convolution */
  PC_RESIDUAL = 3, /* ADD(PAD input, conv output) after the convolution */
  PC_RELU = 4,     /* RELU after the convolution: both fusions */
  PC_BAD_OPT = 5,  /* PAD with ConvOptions: load fails alike */
  PC_CHAIN = 6     /* a pointwise CONV_2D after: row chaining with threads */
};

static void pad_conv(const pc_case *c) {
  tflw *w = tflw_new();
  const qt q = {c->type, c->type == MOTE_INT16 ? 0.002f : 0.05f,
                c->type == MOTE_INT8 ? -7 : 0};
  const qt oq = {c->type, c->type == MOTE_INT16 ? 0.05f : 0.25f,
                 c->type == MOTE_INT8 ? 3 : 0};
  const int32_t ishape[4] = {1, c->h, c->w, c->c};
  int32_t pshape[4];
  for (int d = 0; d < 4; d++)
    pshape[d] = ishape[d] + c->pads[2 * d] + c->pads[2 * d + 1];
  const int32_t x = act_t(w, &q, ishape, 4);
  const int32_t t = act_t(w, &q, pshape, 4);
  const int32_t psh[2] = {4, 2};
  const int32_t tp = mh_const(w, MOTE_INT32, psh, 2, 0, 0, c->pads, 32);
  int32_t ins[3] = {x, tp, -1};
  if (c->v2) {
    const int32_t one[1] = {1};
    int8_t v8 = (int8_t)c->value;
    int16_t v16 = (int16_t)c->value;
    float vf = c->value;
    ins[2] = c->type == MOTE_INT8
                 ? mh_const(w, MOTE_INT8, one, 1, q.scale, q.zp, &v8, 1)
             : c->type == MOTE_INT16
                 ? mh_const(w, MOTE_INT16, one, 1, q.scale, q.zp, &v16, 2)
                 : mh_const(w, MOTE_FLOAT32, one, 1, 0, 0, &vf, 4);
  }
  if (c->variant == PC_BAD_OPT) {
    tflw_opt o[6];
    uint32_t n = tflw_opts_conv2d(o, 1, 1, 1, 0, 1, 1);
    tflw_op(w, c->v2 ? TFL_OP_PADV2 : TFL_OP_PAD, 1, ins, c->v2 ? 3 : 2, &t, 1,
            TFL_OPT_CONV2D, o, n);
  } else {
    tflw_op(w, c->v2 ? TFL_OP_PADV2 : TFL_OP_PAD, 1, ins, c->v2 ? 3 : 2, &t, 1,
            0, NULL, 0);
  }
  int32_t y, yshape[4], outs[2];
  uint32_t nout = 1;
  conv_op(w, c->dw, &q, &oq, t, pshape[0], pshape[1], pshape[2], pshape[3],
          c->kh, c->kw, c->ocm, c->padding, c->sh, c->sw, c->dh, c->dwl, 0,
          c->bad_float, &y, yshape);
  outs[0] = y;
  expect x_ = {{NO_OP, NO_OP, NO_OP, NO_OP}, -1, 0, c->type == MOTE_FLOAT32};
  if (c->expect) {
    x_.away[0] = 0;
    x_.pad_t = t;
  }
  if (c->variant == PC_PAD_OUT) outs[nout++] = t;
  if (c->variant == PC_TWICE) {
    int32_t y2, y2s[4];
    conv_op(w, c->dw, &q, &oq, t, pshape[0], pshape[1], pshape[2], pshape[3],
            c->kh, c->kw, c->ocm, c->padding, c->sh, c->sw, c->dh, c->dwl, 0, 0,
            &y2, y2s);
    outs[nout++] = y2;
  }
  if (c->variant == PC_RESIDUAL) {
    /* y has x's shape; x lives on through the convolution for the ADD. */
    int32_t r = act_t(w, &q, ishape, 4), ai[2] = {x, y};
    tflw_opt o[1];
    uint32_t n = tflw_opts_act(o, 0);
    tflw_op(w, TFL_OP_ADD, 1, ai, 2, &r, 1, TFL_OPT_ADD, o, n);
    outs[0] = r;
    x_.save = (((size_t)pshape[1] * pshape[2] * pshape[3] *
                (c->type == MOTE_FLOAT32 ? 4
                 : c->type == MOTE_INT16 ? 2
                                         : 1)) +
               MOTE_ARENA_ALIGN - 1) &
              ~(size_t)(MOTE_ARENA_ALIGN - 1);
  }
  if (c->variant == PC_CHAIN) {
    /* Split into as many row slices, it runs in the first one's tasks,
     * which read the PAD's input: that lives through both. */
    int32_t y2, y2s[4];
    conv_op(w, 0, &oq, &oq, y, 1, yshape[1], yshape[2], yshape[3], 1, 1, 8, 1,
            1, 1, 1, 1, 0, 0, &y2, y2s);
    outs[0] = y2;
  }
  if (c->variant == PC_RELU) {
    int32_t r = act_t(w, &oq, yshape, 4);
    tflw_op(w, TFL_OP_RELU, 1, &y, 1, &r, 1, 0, NULL, 0);
    outs[0] = r;
    x_.away[c->expect ? 1 : 0] = 2;
  }
  tflw_io(w, &x, 1, outs, nout);
  if (c->variant == PC_BAD_OPT) {
    size_t len;
    uint8_t *fb = mh_finish(w, &len);
    mote_op_table on = *mote_ops_all(), off = on;
    off.no_fusion = 1;
    run a, b;
    memset(&b, 0, sizeof b);
    mh_case = c->name;
    MH_CHECK(load(&a, fb, len, &on) == MOTE_E_BAD_OPTIONS &&
                 load(&b, fb, len, &off) == MOTE_E_BAD_OPTIONS &&
                 a.m.err.op_index == b.m.err.op_index,
             "bad PAD options: fused %s, unfused %s", mote_status_name(a.st),
             mote_status_name(b.st));
    unload(&a);
    unload(&b);
    free(fb);
    return;
  }
  check_model(c->name, w, &x_);
}

/* clang-format off */
static const pc_case pc_cases[] = {
  /* name, dw, type, h, w, c, pads {N, H, W, C}, kh, kw, oc (dw: mult),
     padding (0 SAME, 1 VALID), sh, sw, dh, dw, v2, value, variant,
     bad_float, expect */
  /* int8 per-channel, asymmetric pads, VALID and SAME, strides 1, 2 */
  {"pad_conv_i8_valid_s1", 0, MOTE_INT8, 7, 6, 5, {0, 0, 1, 2, 0, 1, 0, 0},
   3, 3, 6, 1, 1, 1, 1, 1, 0, 0, PC_PLAIN, 0, 1},
  {"pad_conv_i8_same_s2", 0, MOTE_INT8, 7, 6, 5, {0, 0, 1, 2, 0, 1, 0, 0},
   3, 3, 6, 0, 2, 2, 1, 1, 0, 0, PC_PLAIN, 0, 1},
  {"pad_conv_i8_same_s1_dil2", 0, MOTE_INT8, 9, 8, 4, {0, 0, 2, 1, 3, 0, 0, 0},
   3, 3, 5, 0, 1, 1, 2, 2, 0, 0, PC_PLAIN, 0, 1},
  {"pad_conv_i8_valid_s2_wide", 0, MOTE_INT8, 6, 7, 16,
   {0, 0, 0, 1, 0, 1, 0, 0}, 3, 3, 24, 1, 2, 2, 1, 1, 0, 0, PC_PLAIN, 0, 1},
  /* pads beyond the filter: output rows and columns wholly in padding */
  {"pad_conv_i8_big_pads", 0, MOTE_INT8, 5, 4, 3, {0, 0, 4, 5, 3, 6, 0, 0},
   2, 3, 4, 0, 1, 2, 1, 1, 0, 0, PC_PLAIN, 0, 1},
  {"pad_conv_i8_1x1", 0, MOTE_INT8, 6, 6, 8, {0, 0, 1, 2, 0, 1, 0, 0},
   1, 1, 8, 1, 1, 1, 1, 1, 0, 0, PC_PLAIN, 0, 1},
  {"pad_dw_i8_valid_s1", 1, MOTE_INT8, 7, 6, 8, {0, 0, 1, 2, 0, 1, 0, 0},
   3, 3, 1, 1, 1, 1, 1, 1, 0, 0, PC_PLAIN, 0, 1},
  {"pad_dw_i8_same_s2", 1, MOTE_INT8, 8, 9, 19, {0, 0, 1, 2, 0, 1, 0, 0},
   3, 3, 1, 0, 2, 2, 1, 1, 0, 0, PC_PLAIN, 0, 1},
  {"pad_dw_i8_mult3_big", 1, MOTE_INT8, 5, 6, 2, {0, 0, 3, 4, 5, 2, 0, 0},
   3, 3, 3, 1, 2, 1, 1, 2, 0, 0, PC_PLAIN, 0, 1},
  {"pad_dw_i8_c1_mult8", 1, MOTE_INT8, 9, 9, 1, {0, 0, 0, 1, 0, 1, 0, 0},
   3, 3, 8, 1, 2, 2, 1, 1, 0, 0, PC_PLAIN, 0, 1},
  {"padv2_conv_i8_zero_point", 0, MOTE_INT8, 6, 6, 4, {0, 0, 1, 1, 2, 0, 0, 0},
   3, 3, 4, 1, 1, 1, 1, 1, 1, -7, PC_PLAIN, 0, 1},
  /* int16 (zero pad) and float32 */
  {"pad_conv_i16_same_s1", 0, MOTE_INT16, 6, 5, 3, {0, 0, 1, 2, 0, 1, 0, 0},
   3, 3, 4, 0, 1, 1, 1, 1, 0, 0, PC_PLAIN, 0, 1},
  {"pad_dw_i16_valid_s2", 1, MOTE_INT16, 7, 6, 4, {0, 0, 1, 2, 0, 1, 0, 0},
   3, 3, 1, 1, 2, 2, 1, 1, 0, 0, PC_PLAIN, 0, 1},
  {"pad_conv_f32_valid_s1", 0, MOTE_FLOAT32, 7, 6, 5, {0, 0, 1, 2, 0, 1, 0, 0},
   3, 3, 6, 1, 1, 1, 1, 1, 0, 0, PC_PLAIN, 0, 1},
  {"pad_conv_f32_same_s2", 0, MOTE_FLOAT32, 8, 7, 17, {0, 0, 1, 2, 0, 1, 0, 0},
   3, 3, 33, 0, 2, 2, 1, 1, 0, 0, PC_PLAIN, 0, 1},
  {"pad_conv_f32_1x1_flat", 0, MOTE_FLOAT32, 5, 6, 8, {0, 0, 2, 1, 0, 0, 0, 0},
   1, 1, 16, 1, 1, 1, 1, 1, 0, 0, PC_PLAIN, 0, 1},
  {"pad_conv_f32_big_pads", 0, MOTE_FLOAT32, 4, 5, 3, {0, 0, 5, 3, 4, 6, 0, 0},
   3, 2, 5, 0, 2, 1, 1, 2, 0, 0, PC_PLAIN, 0, 1},
  {"pad_dw_f32_valid_s1", 1, MOTE_FLOAT32, 7, 6, 20, {0, 0, 1, 2, 0, 1, 0, 0},
   3, 3, 1, 1, 1, 1, 1, 1, 0, 0, PC_PLAIN, 0, 1},
  {"pad_dw_f32_same_s2", 1, MOTE_FLOAT32, 8, 9, 5, {0, 0, 1, 2, 0, 1, 0, 0},
   3, 3, 2, 0, 2, 2, 1, 1, 0, 0, PC_PLAIN, 0, 1},
  {"pad_dw_f32_5x5_dil", 1, MOTE_FLOAT32, 9, 8, 16, {0, 0, 2, 3, 1, 4, 0, 0},
   5, 5, 1, 0, 1, 2, 2, 1, 0, 0, PC_PLAIN, 0, 1},
  {"padv2_dw_f32_minus_zero", 1, MOTE_FLOAT32, 6, 6, 4,
   {0, 0, 1, 1, 1, 1, 0, 0}, 3, 3, 1, 1, 1, 1, 1, 1, 1, -0.0f, PC_PLAIN, 0, 1},
  /* residual: the saving is exactly the padded tensor */
  {"pad_conv_i8_residual", 0, MOTE_INT8, 8, 8, 4, {0, 0, 1, 1, 1, 1, 0, 0},
   3, 3, 4, 1, 1, 1, 1, 1, 0, 0, PC_RESIDUAL, 0, 1},
  {"pad_dw_f32_residual", 1, MOTE_FLOAT32, 6, 7, 8, {0, 0, 1, 1, 1, 1, 0, 0},
   3, 3, 1, 1, 1, 1, 1, 1, 0, 0, PC_RESIDUAL, 0, 1},
  /* a pointwise convolution chained to the padded one (threads) */
  {"pad_conv_chain_i8", 0, MOTE_INT8, 9, 8, 6, {0, 0, 1, 2, 0, 1, 0, 0},
   3, 3, 8, 1, 1, 1, 1, 1, 0, 0, PC_CHAIN, 0, 1},
  {"pad_conv_chain_f32", 0, MOTE_FLOAT32, 9, 8, 6, {0, 0, 2, 1, 1, 1, 0, 0},
   3, 3, 8, 1, 1, 1, 1, 1, 0, 0, PC_CHAIN, 0, 1},
  /* both fusions on one convolution */
  {"pad_conv_relu_i8", 0, MOTE_INT8, 6, 7, 3, {0, 0, 1, 2, 0, 1, 0, 0},
   3, 3, 5, 0, 1, 1, 1, 1, 0, 0, PC_RELU, 0, 1},
  {"pad_dw_relu_f32", 1, MOTE_FLOAT32, 6, 7, 3, {0, 0, 1, 2, 0, 1, 0, 0},
   3, 3, 2, 1, 2, 2, 1, 1, 0, 0, PC_RELU, 0, 1},
  /* must not fuse */
  {"no_pad_out_read_twice", 0, MOTE_INT8, 6, 6, 4, {0, 0, 1, 2, 0, 1, 0, 0},
   3, 3, 4, 1, 1, 1, 1, 1, 0, 0, PC_TWICE, 0, 0},
  {"no_pad_out_graph_output", 1, MOTE_INT8, 6, 6, 4, {0, 0, 1, 2, 0, 1, 0, 0},
   3, 3, 1, 1, 1, 1, 1, 1, 0, 0, PC_PAD_OUT, 0, 0},
  {"no_pad_channels", 0, MOTE_INT8, 6, 6, 4, {0, 0, 1, 1, 1, 1, 0, 2},
   3, 3, 4, 1, 1, 1, 1, 1, 0, 0, PC_PLAIN, 0, 0},
  {"no_pad_batch", 1, MOTE_FLOAT32, 5, 5, 4, {1, 0, 1, 1, 1, 1, 0, 0},
   3, 3, 1, 1, 1, 1, 1, 1, 0, 0, PC_PLAIN, 0, 0},
  {"no_padv2_i8_other_value", 0, MOTE_INT8, 6, 6, 4, {0, 0, 1, 1, 1, 1, 0, 0},
   3, 3, 4, 1, 1, 1, 1, 1, 1, 5, PC_PLAIN, 0, 0},
  {"no_padv2_f32_one", 1, MOTE_FLOAT32, 6, 6, 4, {0, 0, 1, 1, 1, 1, 0, 0},
   3, 3, 1, 1, 1, 1, 1, 1, 1, 1.0f, PC_PLAIN, 0, 0},
  {"no_pad_f32_inf_filter", 0, MOTE_FLOAT32, 6, 6, 4, {0, 0, 1, 1, 1, 1, 0, 0},
   3, 3, 4, 1, 1, 1, 1, 1, 0, 0, PC_PLAIN, 1, 0},
  {"no_pad_f32_minus_zero_bias", 1, MOTE_FLOAT32, 6, 6, 4,
   {0, 0, 1, 1, 1, 1, 0, 0}, 3, 3, 1, 1, 1, 1, 1, 1, 0, 0, PC_PLAIN, 2, 0},
  /* a fused PAD is still checked: the same error either way */
  {"pad_bad_options_same_error", 0, MOTE_INT8, 6, 6, 4,
   {0, 0, 1, 1, 1, 1, 0, 0}, 3, 3, 4, 1, 1, 1, 1, 1, 0, 0, PC_BAD_OPT, 0, 1},
};
/* clang-format on */

/* ---- activation into its producer ---- */

enum { P_CONV, P_DW, P_FC, P_ADD };

typedef struct ac_case {
  const char *name;
  int prod;
  int32_t type;
  int32_t act; /* TFL_OP_RELU or TFL_OP_RELU6 */
  int own_act; /* the producer's own fused activation */
  int variant; /* see below */
  int expect;  /* 1: the activation fuses */
} ac_case;

enum {
  AC_PLAIN = 0,     /* activation output is the graph output */
  AC_REUSED = 1,    /* activation output read by an ADD with the input */
  AC_OTHER_Q = 2,   /* activation output with another scale */
  AC_OTHER_ZP = 3,  /* ... another zero point */
  AC_PROD_OUT = 4,  /* producer output also a graph output */
  AC_PROD_TWICE = 5 /* producer output also read by another op */
};

static void act_model(const ac_case *c) {
  tflw *w = tflw_new();
  const qt q = {c->type, 0.04f, -5};
  const qt pq = {c->type, 0.07f, c->prod == P_ADD ? 9 : -20};
  qt aq = pq;
  if (c->variant == AC_OTHER_Q) aq.scale = 0.05f;
  if (c->variant == AC_OTHER_ZP) aq.zp = pq.zp + 1;
  int32_t x, x2 = -1, t, tshape[4];
  uint32_t rank = 4;
  if (c->prod == P_CONV || c->prod == P_DW) {
    const int32_t s[4] = {1, 7, 6, 5};
    x = act_t(w, &q, s, 4);
    conv_op(w, c->prod == P_DW, &q, &pq, x, 1, 7, 6, 5, 3, 3,
            c->prod == P_DW ? 2 : 7, 0, 1, 1, 1, 1, c->own_act, 0, &t, tshape);
  } else if (c->prod == P_FC) {
    const int32_t s[2] = {3, 24}, ws[2] = {10, 24}, bs[1] = {10};
    rank = 2;
    x = act_t(w, &q, s, 2);
    tshape[0] = 3;
    tshape[1] = 10;
    int32_t tw, tb;
    if (c->type == MOTE_FLOAT32) {
      float f[240], b[10];
      for (int i = 0; i < 240; i++) f[i] = (float)mh_randf(-1, 1);
      for (int i = 0; i < 10; i++) b[i] = (float)mh_randf(-1, 1);
      tw = mh_const(w, MOTE_FLOAT32, ws, 2, 0, 0, f, sizeof f);
      tb = mh_const(w, MOTE_FLOAT32, bs, 1, 0, 0, b, sizeof b);
    } else {
      int8_t f[240];
      int32_t b[10];
      for (int i = 0; i < 240; i++) f[i] = (int8_t)mh_randi(-127, 127);
      for (int i = 0; i < 10; i++) b[i] = mh_randi(-3000, 3000);
      tw = mh_const(w, MOTE_INT8, ws, 2, 0.01f, 0, f, sizeof f);
      tb = mh_const(w, MOTE_INT32, bs, 1, q.scale * 0.01f, 0, b, sizeof b);
    }
    t = act_t(w, &pq, tshape, 2);
    int32_t ins[3] = {x, tw, tb};
    tflw_opt o[3];
    uint32_t n = tflw_opts_fc(o, c->own_act, 0);
    tflw_op(w, TFL_OP_FULLY_CONNECTED, 4, ins, 3, &t, 1,
            TFL_OPT_FULLY_CONNECTED, o, n);
  } else {
    const int32_t s[4] = {1, 6, 5, 7};
    const qt q2 = {c->type, 0.03f, 4};
    x = act_t(w, &q, s, 4);
    x2 = act_t(w, &q2, s, 4);
    memcpy(tshape, s, sizeof s);
    t = act_t(w, &pq, tshape, 4);
    int32_t ins[2] = {x, x2};
    tflw_opt o[1];
    uint32_t n = tflw_opts_act(o, c->own_act);
    tflw_op(w, TFL_OP_ADD, 1, ins, 2, &t, 1, TFL_OPT_ADD, o, n);
  }
  const int32_t r = act_t(w, &aq, tshape, rank);
  tflw_op(w, c->act, 1, &t, 1, &r, 1, 0, NULL, 0);
  int32_t outs[2] = {r, -1}, ins[2] = {x, x2};
  uint32_t nout = 1;
  expect x_ = {{NO_OP, NO_OP, NO_OP, NO_OP}, -1, 0, c->type == MOTE_FLOAT32};
  if (c->expect) x_.away[0] = 1;
  if (c->variant == AC_REUSED) {
    /* the activation's output (the producer's memory) read once more */
    int32_t y = act_t(w, &aq, tshape, rank), ai[2] = {r, r};
    tflw_opt o[1];
    uint32_t n = tflw_opts_act(o, 0);
    tflw_op(w, TFL_OP_ADD, 1, ai, 2, &y, 1, TFL_OPT_ADD, o, n);
    outs[0] = y;
  }
  if (c->variant == AC_PROD_OUT) outs[nout++] = t;
  if (c->variant == AC_PROD_TWICE) {
    int32_t y = act_t(w, &pq, tshape, rank), ai[2] = {t, t};
    tflw_opt o[1];
    uint32_t n = tflw_opts_act(o, 0);
    tflw_op(w, TFL_OP_ADD, 1, ai, 2, &y, 1, TFL_OPT_ADD, o, n);
    outs[nout++] = y;
  }
  tflw_io(w, ins, x2 >= 0 ? 2 : 1, outs, nout);
  check_model(c->name, w, &x_);
}

/* clang-format off */
static const ac_case ac_cases[] = {
  /* name, producer, type, activation, producer's own activation, variant,
     expect */
  {"conv_relu_i8", P_CONV, MOTE_INT8, TFL_OP_RELU, 0, AC_PLAIN, 1},
  {"conv_relu6_i8", P_CONV, MOTE_INT8, TFL_OP_RELU6, 0, AC_PLAIN, 1},
  {"conv_n1to1_relu6_i8", P_CONV, MOTE_INT8, TFL_OP_RELU6, 2, AC_PLAIN, 1},
  {"dw_relu6_i8", P_DW, MOTE_INT8, TFL_OP_RELU6, 0, AC_PLAIN, 1},
  {"fc_relu_i8", P_FC, MOTE_INT8, TFL_OP_RELU, 0, AC_PLAIN, 1},
  {"fc_relu6_relu_i8", P_FC, MOTE_INT8, TFL_OP_RELU, 3, AC_PLAIN, 1},
  {"add_relu_i8", P_ADD, MOTE_INT8, TFL_OP_RELU, 0, AC_PLAIN, 1},
  {"add_relu6_i8_reused", P_ADD, MOTE_INT8, TFL_OP_RELU6, 0, AC_REUSED, 1},
  {"conv_relu_f32", P_CONV, MOTE_FLOAT32, TFL_OP_RELU, 0, AC_PLAIN, 1},
  {"conv_relu6_f32_reused", P_CONV, MOTE_FLOAT32, TFL_OP_RELU6, 0, AC_REUSED,
   1},
  {"dw_relu_f32", P_DW, MOTE_FLOAT32, TFL_OP_RELU, 2, AC_PLAIN, 1},
  {"fc_relu_f32", P_FC, MOTE_FLOAT32, TFL_OP_RELU, 0, AC_PLAIN, 1},
  {"fc_relu6_f32", P_FC, MOTE_FLOAT32, TFL_OP_RELU6, 1, AC_PLAIN, 1},
  {"add_relu_f32", P_ADD, MOTE_FLOAT32, TFL_OP_RELU, 0, AC_PLAIN, 1},
  {"add_relu6_f32", P_ADD, MOTE_FLOAT32, TFL_OP_RELU6, 0, AC_PLAIN, 1},
  /* must not fuse */
  {"no_relu_other_scale", P_CONV, MOTE_INT8, TFL_OP_RELU, 0, AC_OTHER_Q, 0},
  {"no_relu6_other_zero_point", P_ADD, MOTE_INT8, TFL_OP_RELU6, 0,
   AC_OTHER_ZP, 0},
  {"no_relu_producer_output", P_FC, MOTE_INT8, TFL_OP_RELU, 0, AC_PROD_OUT, 0},
  {"no_relu_producer_read_twice", P_CONV, MOTE_FLOAT32, TFL_OP_RELU, 0,
   AC_PROD_TWICE, 0},
};
/* clang-format on */

/* A MobileNetV2-style block: 1x1 expand + RELU6, Keras ZeroPadding2D
 * ((0, 1), (0, 1)) + 3x3 stride-2 VALID depthwise + RELU6, 1x1 project:
 * the PAD reads the first RELU6's output, which shares the expansion's
 * memory, and that memory must last until the depthwise. */
static void block(const char *name, int32_t type) {
  tflw *w = tflw_new();
  const qt q = {type, 0.05f, -3}, e = {type, 0.1f, -20};
  const int32_t xs[4] = {1, 9, 9, 8}, pads[8] = {0, 0, 0, 1, 0, 1, 0, 0};
  const int32_t ps[4] = {1, 10, 10, 16}, psh[2] = {4, 2};
  int32_t x = act_t(w, &q, xs, 4), ex, exs[4], d, ds[4], y, ys[4];
  conv_op(w, 0, &q, &e, x, 1, 9, 9, 8, 1, 1, 16, 1, 1, 1, 1, 1, 0, 0, &ex, exs);
  const int32_t er = act_t(w, &e, exs, 4);
  tflw_op(w, TFL_OP_RELU6, 1, &ex, 1, &er, 1, 0, NULL, 0);
  const int32_t p = act_t(w, &e, ps, 4);
  int32_t pin[2] = {er, mh_const(w, MOTE_INT32, psh, 2, 0, 0, pads, 32)};
  tflw_op(w, TFL_OP_PAD, 1, pin, 2, &p, 1, 0, NULL, 0);
  conv_op(w, 1, &e, &e, p, 1, 10, 10, 16, 3, 3, 1, 1, 2, 2, 1, 1, 0, 0, &d, ds);
  const int32_t dr = act_t(w, &e, ds, 4);
  tflw_op(w, TFL_OP_RELU6, 1, &d, 1, &dr, 1, 0, NULL, 0);
  conv_op(w, 0, &e, &q, dr, 1, ds[1], ds[2], 16, 1, 1, 8, 1, 1, 1, 1, 1, 0, 0,
          &y, ys);
  tflw_io(w, &x, 1, &y, 1);
  expect x_ = {{1, 2, 4, NO_OP}, p, 0, type == MOTE_FLOAT32};
  check_model(name, w, &x_);
}

int main(void) {
  pool = mote_pool_create(3);
  if (!pool) {
    printf("FATAL: no pool\n");
    return 2;
  }
  for (size_t i = 0; i < sizeof pc_cases / sizeof pc_cases[0]; i++)
    pad_conv(&pc_cases[i]);
  for (size_t i = 0; i < sizeof ac_cases / sizeof ac_cases[0]; i++)
    act_model(&ac_cases[i]);
  block("mobilenet_v2_block_i8", MOTE_INT8);
  block("mobilenet_v2_block_f32", MOTE_FLOAT32);
  mote_pool_destroy(pool);
  return mh_report();
}
