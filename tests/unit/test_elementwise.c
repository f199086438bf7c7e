/*
** test_elementwise.c: the ADD / SUB / MUL reference kernels and their
** broadcast descriptor, called directly on hand-made cases:
**   - descriptor compression (same shape, channel / outer / inner
**     broadcast, incompatible shapes, rank limits);
**   - hand-derived values (half-way rounding, saturation, zero points at
**     the int8 limits, int32 wrap-around, float clamps);
**   - random shapes up to rank 6 against a naive multi-index walk and the
**     independent fixed-point reference of model_harness.h;
**   - output aliasing input 1 (in-place).
** Plus a few whole-model checks of what prepare accepts and refuses.
*/
#include <float.h>

#include "kernels/ref/elementwise_ref.h"
#include "model_harness.h"

/* ---- descriptor ---- */

static void test_bcast_init(void) {
  mote_bcast bc;
  int32_t od[8];
  uint32_t on = 0;
  mh_case = "bcast_init";
  {
    int32_t a[] = {2, 3, 4, 5};
    MH_CHECK(mote_bcast_init(&bc, a, 4, a, 4, od, &on) == MOTE_BCAST_OK,
             "same shape accepted");
    MH_CHECK(bc.ndim == 1 && bc.shape[0] == 120 && bc.count == 120,
             "same shape is one flat row (ndim %d)", bc.ndim);
    MH_CHECK(on == 4 && od[3] == 5, "output shape");
  }
  {
    int32_t a[] = {1, 4, 4, 3}, b[] = {3};
    MH_CHECK(mote_bcast_init(&bc, a, 4, b, 1, od, &on) == MOTE_BCAST_OK,
             "channel broadcast accepted");
    MH_CHECK(bc.ndim == 2 && bc.shape[0] == 16 && bc.shape[1] == 3,
             "channel broadcast -> 16 rows of 3 (ndim %d)", bc.ndim);
    MH_CHECK(bc.stride1[0] == 3 && bc.stride1[1] == 1 && bc.stride2[0] == 0 &&
                 bc.stride2[1] == 1,
             "channel broadcast strides");
    MH_CHECK(on == 4 && od[0] == 1 && od[1] == 4 && od[2] == 4 && od[3] == 3,
             "channel broadcast output shape");
  }
  {
    int32_t a[] = {7, 1}, b[] = {1, 6};
    MH_CHECK(mote_bcast_init(&bc, a, 2, b, 2, od, &on) == MOTE_BCAST_OK,
             "outer product accepted");
    MH_CHECK(bc.ndim == 2 && bc.stride1[0] == 1 && bc.stride1[1] == 0 &&
                 bc.stride2[0] == 0 && bc.stride2[1] == 1,
             "outer product strides");
  }
  {
    int32_t a[] = {2, 3}, b[] = {4, 3};
    MH_CHECK(
        mote_bcast_init(&bc, a, 2, b, 2, od, &on) == MOTE_BCAST_INCOMPATIBLE,
        "2 vs 4 refused");
  }
  {
    int32_t a[] = {1, 2, 1, 2, 1, 2, 2}, b[] = {2, 1};
    int32_t c[] = {1, 2, 1, 2, 1, 2, 2};
    MH_CHECK(
        mote_bcast_init(&bc, a, 7, b, 2, od, &on) == MOTE_BCAST_TOO_MANY_DIMS,
        "rank 7 broadcast refused");
    MH_CHECK(mote_bcast_init(&bc, a, 7, c, 7, od, &on) == MOTE_BCAST_OK &&
                 bc.count == 16,
             "rank 7 same shape accepted");
  }
  {
    int32_t a[] = {1}, b[] = {1, 1, 1};
    MH_CHECK(mote_bcast_init(&bc, a, 1, b, 3, od, &on) == MOTE_BCAST_OK &&
                 bc.count == 1 && on == 3,
             "all-ones broadcast");
  }
  {
    int32_t a[] = {3, 0}, b[] = {1};
    MH_CHECK(mote_bcast_init(&bc, a, 2, b, 1, od, &on) == MOTE_BCAST_OK &&
                 bc.count == 0,
             "empty tensor");
  }
}

/* ---- naive broadcast walk ---- */

typedef struct shapes {
  int32_t a[6], b[6], o[6];
  uint32_t na, nb, no;
} shapes;

/* Element offset in a tensor of dims d[n] of output multi-index idx[no]. */
static int64_t naive_off(const int32_t *d, uint32_t n, const int32_t *idx,
                         uint32_t no) {
  int64_t off = 0;
  for (uint32_t i = 0; i < n; i++) {
    int32_t k = idx[no - n + i];
    off = off * d[i] + (d[i] == 1 ? 0 : k);
  }
  return off;
}

/* Random broadcast-compatible shapes of rank <= 6, <= ~600 elements. */
static void random_shapes(shapes *s) {
  s->no = (uint32_t)mh_randi(1, 6);
  for (;;) {
    int64_t cnt = 1;
    for (uint32_t i = 0; i < s->no; i++) {
      s->o[i] = mh_randi(1, 4);
      cnt *= s->o[i];
    }
    if (cnt <= 600) break;
  }
  /* One input has the full rank, the other any rank up to it. */
  s->na = (uint32_t)mh_randi(1, (int32_t)s->no);
  s->nb = s->no;
  if (mh_randi(0, 1)) {
    s->nb = s->na;
    s->na = s->no;
  }
  for (uint32_t i = 0; i < s->na; i++)
    s->a[i] = mh_randi(0, 2) ? s->o[s->no - s->na + i] : 1;
  for (uint32_t i = 0; i < s->nb; i++)
    s->b[i] = mh_randi(0, 2) ? s->o[s->no - s->nb + i] : 1;
  /* The output shape must be what the inputs broadcast to. */
  for (uint32_t i = 0; i < s->no; i++) {
    int32_t ea = i + s->na < s->no ? 1 : s->a[i + s->na - s->no];
    int32_t eb = i + s->nb < s->no ? 1 : s->b[i + s->nb - s->no];
    s->o[i] = ea > eb ? ea : eb;
  }
}

static int64_t count_of(const int32_t *d, uint32_t n) {
  int64_t c = 1;
  for (uint32_t i = 0; i < n; i++) c *= d[i];
  return c;
}

/* Call fn(out_index, off_a, off_b) for every output element, in order. */
#define NAIVE_WALK(s, BODY)                                   \
  do {                                                        \
    int32_t idx_[6] = {0};                                    \
    int64_t n_ = count_of((s)->o, (s)->no);                   \
    for (int64_t e_ = 0; e_ < n_; e_++) {                     \
      int64_t oa = naive_off((s)->a, (s)->na, idx_, (s)->no); \
      int64_t ob = naive_off((s)->b, (s)->nb, idx_, (s)->no); \
      int64_t oi = e_;                                        \
      BODY;                                                   \
      for (int d_ = (int)(s)->no - 1; d_ >= 0; d_--) {        \
        if (++idx_[d_] < (s)->o[d_]) break;                   \
        idx_[d_] = 0;                                         \
      }                                                       \
    }                                                         \
  } while (0)

/* ---- independent quantized references (TFLM formulas, int64 math) ---- */

typedef struct qadd {
  int32_t z1, z2, zo, ls, m1, m2, mo, lo, hi;
  int sh1, sh2, sho;
} qadd;

/* Parameters as TFLM ADD (double) or SUB (float) derive them. */
static void qadd_setup(qadd *q, float s1, int32_t z1, float s2, int32_t z2,
                       float so, int32_t zo, int is16, int sub, int32_t lo,
                       int32_t hi) {
  q->z1 = z1;
  q->z2 = z2;
  q->zo = zo;
  q->ls = is16 ? 15 : 20;
  q->lo = lo;
  q->hi = hi;
  if (!sub) {
    double tm = 2.0 * (double)(s1 > s2 ? s1 : s2);
    ref_qm((double)s1 / tm, &q->m1, &q->sh1);
    ref_qm((double)s2 / tm, &q->m2, &q->sh2);
    ref_qm(tm / ((double)(1 << q->ls) * (double)so), &q->mo, &q->sho);
  } else {
    volatile float tm = 2.0f * (s1 > s2 ? s1 : s2);
    volatile float r1 = s1 / tm, r2 = s2 / tm;
    volatile float den = (float)(1 << q->ls) * so;
    volatile float ro = tm / den;
    ref_qm((double)r1, &q->m1, &q->sh1);
    ref_qm((double)r2, &q->m2, &q->sh2);
    ref_qm((double)ro, &q->mo, &q->sho);
  }
}

static void qadd_params(const qadd *q, mote_addsub_q_params *p) {
  p->in1_offset = -q->z1;
  p->in2_offset = -q->z2;
  p->out_offset = q->zo;
  p->left_shift = q->ls;
  p->in1_mult = q->m1;
  p->in1_shift = q->sh1;
  p->in2_mult = q->m2;
  p->in2_shift = q->sh2;
  p->out_mult = q->mo;
  p->out_shift = q->sho;
  p->act_min = q->lo;
  p->act_max = q->hi;
}

static int32_t qadd_ref(const qadd *q, int32_t a, int32_t b, int sub) {
  int32_t x1 = (int32_t)((int64_t)(a - q->z1) * ((int64_t)1 << q->ls));
  int32_t x2 = (int32_t)((int64_t)(b - q->z2) * ((int64_t)1 << q->ls));
  int32_t s1 = ref_rdbpot(ref_srdhm(x1, q->m1), -q->sh1);
  int32_t s2 = ref_rdbpot(ref_srdhm(x2, q->m2), -q->sh2);
  int32_t raw = sub ? s1 - s2 : s1 + s2;
  int64_t o = (int64_t)ref_rdbpot(ref_srdhm(raw, q->mo), -q->sho) + q->zo;
  return (int32_t)ref_clamp(o, q->lo, q->hi);
}

/* ---- hand-derived values ---- */

static void test_add_hand(void) {
  mote_addsub_q_params p;
  mote_bcast bc;
  int32_t od[4];
  uint32_t on;
  qadd q;
  mh_case = "add_s8_hand";
  /* s1 = s2 = 0.5, so = 1: out = round((a + b) / 2), ties away from 0. */
  {
    int8_t a[] = {3, -3, 1, -1, 2, 127, -128, 0};
    int8_t b[] = {0, 0, 0, 0, 2, 127, -128, 0};
    int8_t want[] = {2, -2, 1, -1, 2, 127, -128, 0};
    int8_t o[8];
    int32_t d[] = {8};
    qadd_setup(&q, 0.5f, 0, 0.5f, 0, 1.0f, 0, 0, 0, -128, 127);
    qadd_params(&q, &p);
    mote_bcast_init(&bc, d, 1, d, 1, od, &on);
    mote_add_s8_ref(&p, &bc, a, b, o);
    for (int i = 0; i < 8; i++)
      MH_CHECK(o[i] == want[i], "add(%d,%d): got %d want %d", a[i], b[i], o[i],
               want[i]);
  }
  /* Zero points at the int8 limits: zp1 = -128, zp2 = 127. Real values:
   * x1 = 0.25 (a + 128), x2 = 0.25 (b - 127); out scale 0.25, zp 0. */
  {
    int8_t a[] = {-128, 127, -28, 0}, b[] = {127, 127, 100, 127};
    int8_t o[4];
    int32_t d[] = {4};
    qadd_setup(&q, 0.25f, -128, 0.25f, 127, 0.25f, 0, 0, 0, -128, 127);
    qadd_params(&q, &p);
    mote_bcast_init(&bc, d, 1, d, 1, od, &on);
    mote_add_s8_ref(&p, &bc, a, b, o);
    MH_CHECK(o[0] == 0, "zp limits: got %d want 0", o[0]);
    MH_CHECK(o[1] == 127, "255 saturates: got %d", o[1]);
    MH_CHECK(o[2] == 73, "100 + (100-127): got %d want 73", o[2]);
    MH_CHECK(o[3] == 127, "128 clamps to 127: got %d", o[3]);
  }
  /* Activation clamp from params. */
  {
    int8_t a[] = {-100, 100}, b[] = {0, 0}, o[2];
    int32_t d[] = {2};
    qadd_setup(&q, 1.0f, 0, 1.0f, 0, 1.0f, -10, 0, 0, -10, 50);
    qadd_params(&q, &p);
    mote_bcast_init(&bc, d, 1, d, 1, od, &on);
    mote_add_s8_ref(&p, &bc, a, b, o);
    MH_CHECK(o[0] == -10 && o[1] == 50, "act clamp: %d %d", o[0], o[1]);
  }
  mh_case = "sub_s8_hand";
  {
    int8_t a[] = {3, 0, 1, -128}, b[] = {0, 3, -1, 127}, o[4];
    int8_t want[] = {2, -2, 1, -128};
    int32_t d[] = {4};
    qadd_setup(&q, 0.5f, 0, 0.5f, 0, 1.0f, 0, 0, 1, -128, 127);
    qadd_params(&q, &p);
    mote_bcast_init(&bc, d, 1, d, 1, od, &on);
    mote_sub_s8_ref(&p, &bc, a, b, o);
    for (int i = 0; i < 4; i++)
      MH_CHECK(o[i] == want[i], "sub(%d,%d): got %d want %d", a[i], b[i], o[i],
               want[i]);
  }
  mh_case = "add_s16_hand";
  {
    /* s = 2^-12 everywhere: out = a + b exactly, saturating. */
    int16_t a[] = {1000, -32768, 32767, -5}, b[] = {-999, -1, 1, 5};
    int16_t want[] = {1, -32768, 32767, 0}, o[4];
    int32_t d[] = {4};
    float s = 1.0f / 4096.0f;
    qadd_setup(&q, s, 0, s, 0, s, 0, 1, 0, -32768, 32767);
    qadd_params(&q, &p);
    mote_bcast_init(&bc, d, 1, d, 1, od, &on);
    mote_add_s16_ref(&p, &bc, a, b, o);
    for (int i = 0; i < 4; i++)
      MH_CHECK(o[i] == want[i], "add16(%d,%d): got %d want %d", a[i], b[i],
               o[i], want[i]);
    mote_sub_s16_ref(&p, &bc, a, b, o);
    MH_CHECK(o[0] == 1999 && o[1] == -32767 && o[2] == 32766 && o[3] == -10,
             "sub16: %d %d %d %d", o[0], o[1], o[2], o[3]);
  }
}

static void test_mul_hand(void) {
  mote_mul_q_params p;
  mote_bcast bc;
  int32_t od[4];
  uint32_t on;
  int sh;
  mh_case = "mul_s8_hand";
  /* 0.5 * 0.5 / 0.25 = 1: out = (a - za)(b - zb) exactly, saturating. */
  {
    int8_t a[] = {3, -3, -128, 11, -128}, b[] = {5, 5, -128, -11, 0};
    int8_t want[] = {15, -15, 127, -121, 0}, o[5];
    int32_t d[] = {5};
    ref_qm(1.0, &p.out_mult, &sh);
    p.out_shift = sh;
    p.in1_offset = p.in2_offset = p.out_offset = 0;
    p.act_min = -128;
    p.act_max = 127;
    mote_bcast_init(&bc, d, 1, d, 1, od, &on);
    mote_mul_s8_ref(&p, &bc, a, b, o);
    for (int i = 0; i < 5; i++)
      MH_CHECK(o[i] == want[i], "mul(%d,%d): got %d want %d", a[i], b[i], o[i],
               want[i]);
  }
  /* zp -128 on input 1 (offset 128), output zp 127 and multiplier 1/256:
   * (a + 128) * b / 256 + 127, rounded half away from zero. */
  {
    int8_t a[] = {-128, 127, 127, -127}, b[] = {100, 127, -128, 1}, o[4];
    int32_t d[] = {4};
    ref_qm(1.0 / 256.0, &p.out_mult, &sh);
    p.out_shift = sh;
    p.in1_offset = 128;
    p.in2_offset = 0;
    p.out_offset = 127;
    p.act_min = -128;
    p.act_max = 127;
    mote_bcast_init(&bc, d, 1, d, 1, od, &on);
    mote_mul_s8_ref(&p, &bc, a, b, o);
    /* 0 -> 127; 255*127/256=126.5 -> 127 -> 254 clamp 127;
     * 255*-128/256 = -127.5 -> -128 -> -1; 129/256 -> 1 -> 128 -> 127 */
    MH_CHECK(o[0] == 127 && o[1] == 127 && o[2] == -1 && o[3] == 127,
             "mul zp: %d %d %d %d", o[0], o[1], o[2], o[3]);
  }
  mh_case = "mul_s16_hand";
  {
    /* 2^-8 * 2^-8 / 2^-15 = 0.5: out = a*b / 2 rounded by the doubling
     * high multiply alone (shift 0): ties go up, -1.5 -> -1. */
    int16_t a[] = {3, -3, -32768, 300}, b[] = {1, 1, -32768, 300}, o[4];
    int32_t d[] = {4};
    ref_qm(0.5, &p.out_mult, &sh);
    p.out_shift = sh;
    p.in1_offset = p.in2_offset = p.out_offset = 0;
    p.act_min = -32768;
    p.act_max = 32767;
    mote_bcast_init(&bc, d, 1, d, 1, od, &on);
    mote_mul_s16_ref(&p, &bc, a, b, o);
    MH_CHECK(o[0] == 2 && o[1] == -1 && o[2] == 32767 && o[3] == 32767,
             "mul16: %d %d %d %d", o[0], o[1], o[2], o[3]);
  }
}

static void test_plain_hand(void) {
  mote_bcast bc;
  int32_t od[4];
  uint32_t on;
  int32_t d[] = {4};
  mote_arith_i32_params pi = {INT32_MIN, INT32_MAX};
  mote_arith_f32_params pf;
  mh_case = "int32_hand";
  mote_bcast_init(&bc, d, 1, d, 1, od, &on);
  {
    int32_t a[] = {INT32_MAX, -5, 7, INT32_MIN}, b[] = {1, 5, -9, -1}, o[4];
    mote_add_s32_ref(&pi, &bc, a, b, o);
    MH_CHECK(o[0] == INT32_MIN && o[1] == 0 && o[2] == -2 && o[3] == INT32_MAX,
             "add32 wraps: %d %d %d %d", o[0], o[1], o[2], o[3]);
    pi.act_min = 0;
    pi.act_max = 6;
    mote_sub_s32_ref(&pi, &bc, a, b, o);
    MH_CHECK(o[0] == 6 && o[1] == 0 && o[2] == 6 && o[3] == 0,
             "sub32 relu6: %d %d %d %d", o[0], o[1], o[2], o[3]);
    pi.act_min = -1;
    pi.act_max = 1;
    mote_mul_s32_ref(&pi, &bc, a, b, o);
    MH_CHECK(o[0] == 1 && o[1] == -1 && o[2] == -1 && o[3] == -1,
             "mul32 n1to1: %d %d %d %d", o[0], o[1], o[2], o[3]);
  }
  mh_case = "float_hand";
  {
    float a[] = {FLT_MAX, -2.5f, 3.5f, 0.25f},
          b[] = {FLT_MAX, 1.0f, 4.0f, -0.5f};
    float o[4];
    pf.act_min = -FLT_MAX;
    pf.act_max = FLT_MAX;
    mote_add_f32_ref(&pf, &bc, a, b, o);
    MH_CHECK(o[0] == FLT_MAX && o[1] == -1.5f && o[2] == 7.5f && o[3] == -0.25f,
             "add f32 (inf clamps to FLT_MAX): %g %g %g %g", o[0], o[1], o[2],
             o[3]);
    pf.act_min = 0.0f;
    pf.act_max = 6.0f;
    mote_mul_f32_ref(&pf, &bc, a, b, o);
    MH_CHECK(o[0] == 6.0f && o[1] == 0.0f && o[2] == 6.0f && o[3] == 0.0f,
             "mul f32 relu6: %g %g %g %g", o[0], o[1], o[2], o[3]);
    pf.act_min = -1.0f;
    pf.act_max = 1.0f;
    mote_sub_f32_ref(&pf, &bc, a, b, o);
    MH_CHECK(o[0] == 0.0f && o[1] == -1.0f && o[2] == -0.5f && o[3] == 0.75f,
             "sub f32 n1to1: %g %g %g %g", o[0], o[1], o[2], o[3]);
  }
}

/* ---- random shapes against the naive walk ---- */

static void test_random(void) {
  for (int iter = 0; iter < 300; iter++) {
    shapes s;
    mote_bcast bc;
    int32_t od[6];
    uint32_t on;
    random_shapes(&s);
    int r = mote_bcast_init(&bc, s.a, s.na, s.b, s.nb, od, &on);
    mh_case = "random_shapes";
    MH_CHECK(r == MOTE_BCAST_OK, "init %d", r);
    if (r != MOTE_BCAST_OK) continue;
    int ok = on == s.no;
    for (uint32_t i = 0; ok && i < on; i++) ok = od[i] == s.o[i];
    MH_CHECK(ok, "output shape (rank %u vs %u)", on, s.no);
    int64_t na = count_of(s.a, s.na), nb = count_of(s.b, s.nb);
    int64_t no = count_of(s.o, s.no);
    int8_t *a8 = malloc((size_t)na), *b8 = malloc((size_t)nb);
    int8_t *o8 = malloc((size_t)no);
    int16_t *a16 = malloc((size_t)na * 2), *b16 = malloc((size_t)nb * 2);
    int16_t *o16 = malloc((size_t)no * 2);
    int32_t *a32 = malloc((size_t)na * 4), *b32 = malloc((size_t)nb * 4);
    int32_t *o32 = malloc((size_t)no * 4);
    float *af = malloc((size_t)na * 4), *bf = malloc((size_t)nb * 4);
    float *of = malloc((size_t)no * 4);
    for (int64_t i = 0; i < na; i++) {
      a8[i] = (int8_t)mh_randi(-128, 127);
      a16[i] = (int16_t)mh_randi(-32768, 32767);
      a32[i] = mh_randi(-40000, 40000);
      af[i] = (float)mh_randf(-2, 2);
    }
    for (int64_t i = 0; i < nb; i++) {
      b8[i] = (int8_t)mh_randi(-128, 127);
      b16[i] = (int16_t)mh_randi(-32768, 32767);
      b32[i] = mh_randi(-40000, 40000);
      bf[i] = (float)mh_randf(-2, 2);
    }
    int bad;
    /* int8 / int16 ADD and SUB with random quantization */
    for (int sub = 0; sub < 2; sub++) {
      for (int is16 = 0; is16 < 2; is16++) {
        qadd q;
        mote_addsub_q_params p;
        float s1 = (float)mh_randf(0.005, 0.05),
              s2 = (float)mh_randf(0.005, 0.05);
        float so = (float)mh_randf(0.01, 0.1);
        int32_t z1 = is16 ? 0 : mh_randi(-128, 127);
        int32_t z2 = is16 ? 0 : mh_randi(-128, 127);
        int32_t zo = is16 ? 0 : mh_randi(-128, 127);
        int32_t lo = is16 ? -32768 : -128, hi = is16 ? 32767 : 127;
        if (is16) {
          s1 /= 256.0f;
          s2 /= 256.0f;
          so /= 256.0f;
        }
        if (mh_randi(0, 1)) lo = zo; /* RELU */
        qadd_setup(&q, s1, z1, s2, z2, so, zo, is16, sub, lo, hi);
        qadd_params(&q, &p);
        bad = 0;
        if (!is16) {
          (sub ? mote_sub_s8_ref : mote_add_s8_ref)(&p, &bc, a8, b8, o8);
          NAIVE_WALK(&s, {
            if (o8[oi] != qadd_ref(&q, a8[oa], b8[ob], sub)) bad++;
          });
        } else {
          (sub ? mote_sub_s16_ref : mote_add_s16_ref)(&p, &bc, a16, b16, o16);
          NAIVE_WALK(&s, {
            if (o16[oi] != qadd_ref(&q, a16[oa], b16[ob], sub)) bad++;
          });
        }
        mh_case = sub ? "random_sub_q" : "random_add_q";
        MH_CHECK(bad == 0, "%d mismatches (is16 %d, rank %u)", bad, is16, s.no);
      }
    }
    /* int8 / int16 MUL */
    for (int is16 = 0; is16 < 2; is16++) {
      mote_mul_q_params p;
      int sh;
      double real = mh_randf(0.001, 0.05);
      ref_qm(real, &p.out_mult, &sh);
      p.out_shift = sh;
      p.in1_offset = is16 ? 0 : mh_randi(-127, 128);
      p.in2_offset = is16 ? 0 : mh_randi(-127, 128);
      p.out_offset = is16 ? 0 : mh_randi(-128, 127);
      p.act_min = is16 ? -32768 : -128;
      p.act_max = is16 ? 32767 : 127;
      if (is16)
        real /= 65536.0, ref_qm(real, &p.out_mult, &sh), p.out_shift = sh;
      bad = 0;
      if (!is16) {
        mote_mul_s8_ref(&p, &bc, a8, b8, o8);
        NAIVE_WALK(&s, {
          int32_t v = (a8[oa] + p.in1_offset) * (b8[ob] + p.in2_offset);
          int64_t w = (int64_t)ref_mbqm(v, p.out_mult, sh) + p.out_offset;
          if (o8[oi] != ref_clamp(w, p.act_min, p.act_max)) bad++;
        });
      } else {
        mote_mul_s16_ref(&p, &bc, a16, b16, o16);
        NAIVE_WALK(&s, {
          int32_t v = a16[oa] * b16[ob];
          int64_t w = ref_mbqm(v, p.out_mult, sh);
          if (o16[oi] != ref_clamp(w, p.act_min, p.act_max)) bad++;
        });
      }
      mh_case = "random_mul_q";
      MH_CHECK(bad == 0, "%d mismatches (is16 %d, rank %u)", bad, is16, s.no);
    }
    /* int32 and float */
    {
      mote_arith_i32_params pi = {-50000, 50000};
      mote_arith_f32_params pf = {-1.5f, 1.5f};
      bad = 0;
      mote_add_s32_ref(&pi, &bc, a32, b32, o32);
      NAIVE_WALK(&s, {
        if (o32[oi] != ref_clamp((int64_t)a32[oa] + b32[ob], -50000, 50000))
          bad++;
      });
      mote_sub_s32_ref(&pi, &bc, a32, b32, o32);
      NAIVE_WALK(&s, {
        if (o32[oi] != ref_clamp((int64_t)a32[oa] - b32[ob], -50000, 50000))
          bad++;
      });
      mote_mul_s32_ref(&pi, &bc, a32, b32, o32);
      NAIVE_WALK(&s, {
        if (o32[oi] != ref_clamp((int64_t)a32[oa] * b32[ob], -50000, 50000))
          bad++;
      });
      mh_case = "random_i32";
      MH_CHECK(bad == 0, "%d mismatches (rank %u)", bad, s.no);
      bad = 0;
      mote_add_f32_ref(&pf, &bc, af, bf, of);
      NAIVE_WALK(&s, {
        float w = af[oa] + bf[ob];
        w = w < -1.5f ? -1.5f : (w > 1.5f ? 1.5f : w);
        if (of[oi] != w) bad++;
      });
      mote_sub_f32_ref(&pf, &bc, af, bf, of);
      NAIVE_WALK(&s, {
        float w = af[oa] - bf[ob];
        w = w < -1.5f ? -1.5f : (w > 1.5f ? 1.5f : w);
        if (of[oi] != w) bad++;
      });
      mote_mul_f32_ref(&pf, &bc, af, bf, of);
      NAIVE_WALK(&s, {
        float w = af[oa] * bf[ob];
        w = w < -1.5f ? -1.5f : (w > 1.5f ? 1.5f : w);
        if (of[oi] != w) bad++;
      });
      mh_case = "random_f32";
      MH_CHECK(bad == 0, "%d mismatches (rank %u)", bad, s.no);
    }
    free(a8), free(b8), free(o8), free(a16), free(b16), free(o16);
    free(a32), free(b32), free(o32), free(af), free(bf), free(of);
  }
}

/* ---- output over input 1 ---- */

static void test_inplace(void) {
  mote_bcast bc;
  int32_t od[4];
  uint32_t on;
  int32_t da[] = {2, 3, 4}, db[] = {4};
  int8_t a[24], b[4], ref[24];
  qadd q;
  mote_addsub_q_params p;
  mh_case = "inplace";
  for (int i = 0; i < 24; i++) a[i] = (int8_t)(i * 11 - 128);
  for (int i = 0; i < 4; i++) b[i] = (int8_t)(i * 60 - 100);
  qadd_setup(&q, 0.02f, 3, 0.03f, -7, 0.04f, 5, 0, 0, -128, 127);
  qadd_params(&q, &p);
  mote_bcast_init(&bc, da, 3, db, 1, od, &on);
  mote_add_s8_ref(&p, &bc, a, b, ref);
  mote_add_s8_ref(&p, &bc, a, b, a);
  MH_CHECK(memcmp(a, ref, sizeof a) == 0, "in-place add equals out-of-place");
  {
    float x[6] = {1, 2, 3, 4, 5, 6}, y[3] = {10, 20, 30}, r[6];
    int32_t dx[] = {2, 3}, dy[] = {3};
    mote_arith_f32_params pf = {-FLT_MAX, FLT_MAX};
    mote_bcast_init(&bc, dx, 2, dy, 1, od, &on);
    mote_mul_f32_ref(&pf, &bc, x, y, r);
    mote_mul_f32_ref(&pf, &bc, x, y, x);
    MH_CHECK(memcmp(x, r, sizeof x) == 0 && r[5] == 180.0f,
             "in-place mul equals out-of-place");
  }
}

/* ---- through the runtime: prepare's decisions ---- */

static int add_model(tflw *w, int32_t code, uint8_t opt_type, int32_t type,
                     const int32_t *sa, uint32_t na, const int32_t *sb,
                     uint32_t nb, const int32_t *so, uint32_t no, float s1,
                     int32_t z1, float s2, int32_t z2, float s3, int32_t z3,
                     int act) {
  int32_t in[2], out;
  tflw_opt o[] = {TFLW_I8(0, act)};
  in[0] = mh_t(w, type, sa, na, s1, z1);
  in[1] = mh_t(w, type, sb, nb, s2, z2);
  out = mh_t(w, type, so, no, s3, z3);
  tflw_op(w, code, 1, in, 2, &out, 1, opt_type, o, 1);
  tflw_io(w, in, 2, &out, 1);
  return out;
}

static void test_models(void) {
  int32_t s4[] = {1, 2, 2, 3}, s1[] = {3}, bad[] = {1, 2, 2, 4};
  mh_run r;
  mh_case = "model_add_i32_act_ignored";
  {
    tflw *w = tflw_new();
    add_model(w, TFL_OP_ADD, TFL_OPT_ADD, MOTE_INT32, s4, 4, s1, 1, s4, 4, 0, 0,
              0, 0, 0, 0, TFL_ACT_RELU);
    int32_t a[12], b[3] = {-100, 0, 100};
    for (int i = 0; i < 12; i++) a[i] = -i;
    const void *ins[] = {a, b};
    if (mh_run_model(&r, w, ins)) {
      const int32_t *o = (const int32_t *)mh_out(&r, 0).data;
      MH_CHECK(o[0] == -100 && o[11] == 89 && o[3] == -103,
               "int32 ADD: no clamp (TFLM), %d %d %d", o[0], o[11], o[3]);
    }
    mh_free(&r);
  }
  mh_case = "model_sub_i32_relu";
  {
    tflw *w = tflw_new();
    add_model(w, TFL_OP_SUB, TFL_OPT_SUB, MOTE_INT32, s4, 4, s1, 1, s4, 4, 0, 0,
              0, 0, 0, 0, TFL_ACT_RELU);
    int32_t a[12], b[3] = {-100, 0, 100};
    for (int i = 0; i < 12; i++) a[i] = -i;
    const void *ins[] = {a, b};
    if (mh_run_model(&r, w, ins)) {
      const int32_t *o = (const int32_t *)mh_out(&r, 0).data;
      MH_CHECK(o[0] == 100 && o[2] == 0 && o[3] == 97,
               "int32 SUB: relu, %d %d %d", o[0], o[2], o[3]);
    }
    mh_free(&r);
  }
  mh_case = "model_chain_inplace";
  {
    /* t = x + y (broadcast), o = t * y (t can be overwritten in place) */
    tflw *w = tflw_new();
    int32_t sx[] = {2, 3}, sy[] = {3};
    int32_t x = mh_t(w, MOTE_FLOAT32, sx, 2, 0, 0);
    int32_t y = mh_t(w, MOTE_FLOAT32, sy, 1, 0, 0);
    int32_t t = mh_t(w, MOTE_FLOAT32, sx, 2, 0, 0);
    int32_t o = mh_t(w, MOTE_FLOAT32, sx, 2, 0, 0);
    int32_t i1[] = {x, y}, i2[] = {t, y}, gi[] = {x, y};
    tflw_opt op[] = {TFLW_I8(0, TFL_ACT_NONE)};
    tflw_op(w, TFL_OP_ADD, 1, i1, 2, &t, 1, TFL_OPT_ADD, op, 1);
    tflw_op(w, TFL_OP_MUL, 1, i2, 2, &o, 1, TFL_OPT_MUL, op, 1);
    tflw_io(w, gi, 2, &o, 1);
    float xv[] = {1, 2, 3, 4, 5, 6}, yv[] = {-1, 0.5f, 2};
    const void *ins[] = {xv, yv};
    if (mh_run_model(&r, w, ins)) {
      const float *ov = (const float *)mh_out(&r, 0).data;
      int ok = 1;
      for (int i = 0; i < 6; i++)
        ok &= ov[i] == (xv[i] + yv[i % 3]) * yv[i % 3];
      MH_CHECK(ok, "chain: %g %g %g", ov[0], ov[1], ov[5]);
    }
    mh_free(&r);
  }
  mh_case = "model_refusals";
  {
    tflw *w = tflw_new();
    add_model(w, TFL_OP_ADD, TFL_OPT_ADD, MOTE_INT8, s4, 4, s1, 1, bad, 4, 0.1f,
              0, 0.1f, 0, 0.1f, 0, 0);
    mh_expect_load_fail(w, MOTE_E_BAD_SHAPE, NULL);
  }
  {
    tflw *w = tflw_new();
    add_model(w, TFL_OP_MUL, TFL_OPT_MUL, MOTE_INT16, s4, 4, s1, 1, s4, 4,
              0.001f, 1, 0.001f, 0, 0.001f, 0, 0);
    mh_expect_load_fail(w, MOTE_E_BAD_QUANT, NULL);
  }
  {
    tflw *w = tflw_new(); /* output multiplier >= 1 aborts TFLM */
    add_model(w, TFL_OP_ADD, TFL_OPT_ADD, MOTE_INT8, s4, 4, s1, 1, s4, 4, 1.0f,
              0, 1.0f, 0, 1e-7f, 0, 0);
    mh_expect_load_fail(w, MOTE_E_UNSUPPORTED, NULL);
  }
  {
    tflw *w = tflw_new();
    add_model(w, TFL_OP_ADD, TFL_OPT_ADD, MOTE_INT8, s4, 4, s1, 1, s4, 4, 0.1f,
              0, 0.1f, 0, 0.1f, 0, TFL_ACT_TANH);
    mh_expect_load_fail(w, MOTE_E_UNSUPPORTED, NULL);
  }
  {
    tflw *w = tflw_new();
    add_model(w, TFL_OP_SUB, TFL_OPT_SUB, MOTE_UINT8, s4, 4, s1, 1, s4, 4, 0.1f,
              0, 0.1f, 0, 0.1f, 0, 0);
    mh_expect_load_fail(w, MOTE_E_UNSUPPORTED, NULL);
  }
}

int main(void) {
  test_bcast_init();
  test_add_hand();
  test_mul_hand();
  test_plain_hand();
  test_random();
  test_inplace();
  test_models();
  return mh_report();
}
