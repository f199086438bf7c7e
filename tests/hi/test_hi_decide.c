/*
** test_hi_decide.c: unit tests of the hierarchical inference decision
** module (src/hi) with fake transports: scores, the rules, fallback on
** transport error, timeout and wrong-shaped replies, counters, the online
** (Hedge) threshold learner and the offline logistic fit.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/check.h"
#include "mote/mote.h"

#define NEAR(a, b, tol) EXPECT(fabs((double)(a) - (double)(b)) <= (tol))

/* A fake transport: behaviour chosen by the test. */
typedef struct fake {
  int mode; /* 0 ok, 1 error, 2 timeout, 3 one value short */
  int calls;
  uint32_t last_deadline;
  size_t last_bytes;
  float reply[8];
  size_t nreply;
} fake;

static int fake_tp(void *user, const mote_tensor *in, float *out, size_t cap,
                   size_t *n, uint32_t deadline_ms) {
  fake *f = user;
  f->calls++;
  f->last_deadline = deadline_ms;
  f->last_bytes = in->bytes;
  if (f->mode == 1) return MOTE_HI_T_ERROR;
  if (f->mode == 2) return MOTE_HI_T_TIMEOUT;
  size_t k = f->mode == 3 ? f->nreply - 1 : f->nreply;
  if (k > cap) k = cap;
  for (size_t i = 0; i < k; i++) out[i] = i < f->nreply ? f->reply[i] : 0.0f;
  *n = k;
  return MOTE_HI_T_OK;
}

/* An int8 probability view like a TFLite softmax output. */
static mote_tensor int8_view(int8_t *q, size_t n) {
  mote_tensor t;
  memset(&t, 0, sizeof t);
  t.type = MOTE_INT8;
  t.ndim = 2;
  t.dims[0] = 1;
  t.dims[1] = (int32_t)n;
  t.count = n;
  t.bytes = n;
  t.data = q;
  t.scale = 1.0f / 256.0f;
  t.zero_point = -128;
  t.nscale = 1;
  return t;
}

static int8_t quant(float p) {
  long v = lroundf(p * 256.0f) - 128;
  return (int8_t)(v > 127 ? 127 : v);
}

static void test_scores(void) {
  float p[3] = {0.2f, 0.7f, 0.1f};
  mote_hi_scores s;
  EXPECT(mote_hi_scores_f32(p, 3, MOTE_HI_PROBS, &s) == MOTE_OK);
  EXPECT(s.top1 == 1 && s.top2 == 0 && s.classes == 3);
  NEAR(s.p1, 0.7, 1e-6);
  NEAR(s.p2, 0.2, 1e-6);
  NEAR(s.margin, 0.5, 1e-6);
  double h = -(0.2 * log(0.2) + 0.7 * log(0.7) + 0.1 * log(0.1)) / log(3.0);
  NEAR(s.entropy, h, 1e-5);
  /* logits ln(p) + const give the same scores */
  float z[3];
  for (int i = 0; i < 3; i++) z[i] = logf(p[i]) + 3.0f;
  mote_hi_scores sl;
  EXPECT(mote_hi_scores_f32(z, 3, MOTE_HI_LOGITS, &sl) == MOTE_OK);
  EXPECT(sl.top1 == 1 && sl.top2 == 0);
  NEAR(sl.p1, 0.7, 1e-5);
  NEAR(sl.p2, 0.2, 1e-5);
  NEAR(sl.entropy, h, 1e-5);
  /* one-hot: entropy 0; uniform: entropy 1 */
  float oh[4] = {0, 0, 1, 0}, un[4] = {0.25f, 0.25f, 0.25f, 0.25f};
  EXPECT(mote_hi_scores_f32(oh, 4, MOTE_HI_PROBS, &s) == MOTE_OK);
  NEAR(s.entropy, 0.0, 1e-6);
  EXPECT(s.top1 == 2);
  EXPECT(mote_hi_scores_f32(un, 4, MOTE_HI_PROBS, &s) == MOTE_OK);
  NEAR(s.entropy, 1.0, 1e-5);
  /* int8 view, dequantized */
  int8_t q[3] = {quant(0.2f), quant(0.7f), quant(0.1f)};
  mote_tensor t = int8_view(q, 3);
  EXPECT(mote_hi_scores_tensor(&t, MOTE_HI_PROBS, &s) == MOTE_OK);
  EXPECT(s.top1 == 1 && s.top2 == 0);
  NEAR(s.p1, 0.7, 0.01);
  /* bad arguments */
  EXPECT(mote_hi_scores_f32(p, 1, MOTE_HI_PROBS, &s) == MOTE_E_ARG);
  t.type = MOTE_INT32;
  EXPECT(mote_hi_scores_tensor(&t, MOTE_HI_PROBS, &s) == MOTE_E_ARG);
}

static void test_rules(void) {
  mote_hi h;
  mote_hi_config c = mote_hi_config_default();
  float p[3] = {0.45f, 0.40f, 0.15f};
  mote_hi_scores s;
  mote_hi_scores_f32(p, 3, MOTE_HI_PROBS, &s);
  c.threshold = 0.5f;
  EXPECT(mote_hi_init(&h, &c, NULL, 0) == MOTE_OK);
  EXPECT(mote_hi_decide(&h, &s) == 1); /* 0.45 < 0.5 */
  c.threshold = 0.4f;
  mote_hi_init(&h, &c, NULL, 0);
  EXPECT(mote_hi_decide(&h, &s) == 0);
  c.rule = MOTE_HI_MARGIN;
  c.threshold = 0.1f;
  mote_hi_init(&h, &c, NULL, 0);
  NEAR(mote_hi_confidence(&h, &s), 0.05, 1e-6);
  EXPECT(mote_hi_decide(&h, &s) == 1);
  c.rule = MOTE_HI_ENTROPY;
  c.threshold = 0.5f;
  mote_hi_init(&h, &c, NULL, 0);
  EXPECT(mote_hi_decide(&h, &s) == 1); /* near-uniform: low confidence */
  c.rule = MOTE_HI_LOGREG;
  c.logreg[0] = -4.0f;
  c.logreg[1] = 10.0f;
  c.logreg[2] = -2.0f;
  c.threshold = 0.5f;
  mote_hi_init(&h, &c, NULL, 0);
  NEAR(mote_hi_confidence(&h, &s), 1.0 / (1.0 + exp(-(-4 + 4.5 - 0.8))), 1e-5);
  EXPECT(mote_hi_decide(&h, &s) == 1);
  EXPECT(mote_hi_get_counters(&h)->offloaded == 1);
  /* bad configs */
  c.rule = MOTE_HI_ONLINE;
  c.weights = NULL;
  EXPECT(mote_hi_init(&h, &c, NULL, 0) == MOTE_E_ARG);
  c.rule = (mote_hi_rule)9;
  EXPECT(mote_hi_init(&h, &c, NULL, 0) == MOTE_E_ARG);
}

/* Fallbacks: every failure mode answers locally and is counted. */
static void test_step_faults(void) {
  mote_hi h;
  float scratch[4];
  mote_hi_config c = mote_hi_config_default();
  c.threshold = 0.9f; /* always offload the sample below */
  c.timeout_ms = 123;
  int8_t q[4] = {quant(0.6f), quant(0.3f), quant(0.05f), quant(0.05f)};
  mote_tensor out = int8_view(q, 4);
  uint8_t img[16] = {0};
  mote_tensor in = int8_view((int8_t *)img, 16);
  fake f;
  memset(&f, 0, sizeof f);
  f.nreply = 4;
  f.reply[0] = 0.1f;
  f.reply[1] = 0.8f;
  f.reply[2] = 0.05f;
  f.reply[3] = 0.05f;
  mote_hi_result r;
  EXPECT(mote_hi_init(&h, &c, scratch, 4) == MOTE_OK);
  /* success: remote label wins */
  EXPECT(mote_hi_step(&h, &in, &out, fake_tp, &f, &r) == MOTE_OK);
  EXPECT(r.source == MOTE_HI_FROM_REMOTE && r.label == 1 && r.local_label == 0);
  EXPECT(f.last_deadline == 123 && f.last_bytes == 16);
  /* error, timeout, wrong count, no transport */
  int modes[3] = {1, 2, 3};
  int want[3] = {MOTE_HI_T_ERROR, MOTE_HI_T_TIMEOUT, MOTE_HI_T_BAD_REPLY};
  for (int i = 0; i < 3; i++) {
    f.mode = modes[i];
    EXPECT(mote_hi_step(&h, &in, &out, fake_tp, &f, &r) == MOTE_OK);
    EXPECT(r.source == MOTE_HI_FROM_FALLBACK && r.label == 0);
    EXPECT(r.transport_status == want[i]);
  }
  EXPECT(mote_hi_step(&h, &in, &out, NULL, &f, &r) == MOTE_OK);
  EXPECT(r.source == MOTE_HI_FROM_FALLBACK && r.label == 0);
  /* a confident sample stays local and never calls the transport */
  int8_t q2[4] = {quant(0.97f), quant(0.01f), quant(0.01f), quant(0.01f)};
  mote_tensor out2 = int8_view(q2, 4);
  int calls = f.calls;
  EXPECT(mote_hi_step(&h, &in, &out2, fake_tp, &f, &r) == MOTE_OK);
  EXPECT(r.source == MOTE_HI_FROM_LOCAL && f.calls == calls);
  /* scratch too small for the reply: fallback, no overflow */
  mote_hi h2;
  mote_hi_init(&h2, &c, scratch, 2);
  f.mode = 0;
  EXPECT(mote_hi_step(&h2, &in, &out, fake_tp, &f, &r) == MOTE_OK);
  EXPECT(r.source == MOTE_HI_FROM_FALLBACK);
  const mote_hi_counters *k = mote_hi_get_counters(&h);
  EXPECT(k->samples == 6 && k->offloaded == 5 && k->local == 1);
  EXPECT(k->remote_ok == 1 && k->remote_failed == 4);
  EXPECT(k->failed_error == 2 && k->failed_timeout == 1 &&
         k->failed_bad_reply == 1);
  EXPECT(k->agree == 0 && k->disagree == 1);
}

/*
** Online rule on a synthetic stream: p1 uniform in [0.3, 1); the local
** answer is right iff p1 >= 0.62 (with 10% noise). With beta = 0.2 the
** best fixed threshold is near 0.62. The learner's average cost must end
** close to the best fixed threshold's in hindsight.
*/
static void test_online(void) {
  enum { K = 21, N = 20000 };
  float w[K];
  mote_hi h;
  mote_hi_config c = mote_hi_config_default();
  c.rule = MOTE_HI_ONLINE;
  c.weights = w;
  c.nweights = K;
  c.offload_cost = 0.2f;
  c.seed = 7;
  EXPECT(mote_hi_init(&h, &c, NULL, 0) == MOTE_OK);
  double fixed[K] = {0}, cost = 0.0;
  uint32_t x = 12345;
  for (int i = 0; i < N; i++) {
    x = x * 1664525u + 1013904223u;
    float p1 = 0.3f + 0.7f * (float)(x >> 8) / 16777216.0f;
    x = x * 1664525u + 1013904223u;
    int noise = (x >> 8) % 10 == 0;
    int right = (p1 >= 0.62f) != noise;
    for (int k = 0; k < K; k++)
      fixed[k] += p1 < (float)k / (K - 1) ? 0.2 : (right ? 0.0 : 1.0);
    mote_hi_scores s;
    memset(&s, 0, sizeof s);
    s.classes = 2;
    s.p1 = p1;
    s.p2 = 1 - p1;
    s.top1 = 0;
    s.top2 = 1;
    int off = mote_hi_decide(&h, &s);
    cost += off ? 0.2 : (right ? 0.0 : 1.0);
    mote_hi_feedback(&h, &s, right ? 0u : 1u, off);
  }
  double best = fixed[0];
  int bk = 0;
  for (int k = 1; k < K; k++)
    if (fixed[k] < best) best = fixed[k], bk = k;
  printf(
      "online: cost %.4f/sample, best fixed t=%.2f cost %.4f, learned "
      "t=%.3f (heaviest %.2f)\n",
      cost / N, (double)bk / (K - 1), best / N, (double)mote_hi_threshold(&h),
      (double)mote_hi_best_threshold(&h));
  EXPECT(cost / N <= best / N + 0.03);
  EXPECT(fabs(mote_hi_best_threshold(&h) - (double)bk / (K - 1)) <= 0.1 + 1e-6);
  EXPECT(mote_hi_get_counters(&h)->explored > 0);
}

static void test_logreg_fit(void) {
  enum { N = 400 };
  static float p1[N], p2[N];
  static uint8_t ok[N];
  for (int i = 0; i < N; i++) {
    p1[i] = 0.3f + 0.7f * (float)i / N;
    p2[i] = (1 - p1[i]) * 0.8f;
    ok[i] = p1[i] > 0.6f;
  }
  float w[3] = {0, 0, 0};
  EXPECT(mote_hi_logreg_fit(p1, p2, ok, N, 3000, 2.0f, w) == MOTE_OK);
  mote_hi h;
  mote_hi_config c = mote_hi_config_default();
  c.rule = MOTE_HI_LOGREG;
  memcpy(c.logreg, w, sizeof w);
  mote_hi_init(&h, &c, NULL, 0);
  int errs = 0;
  for (int i = 0; i < N; i++) {
    mote_hi_scores s = {2, 0, 1, p1[i], p2[i], p1[i] - p2[i], 0};
    errs += (mote_hi_confidence(&h, &s) >= 0.5f) != ok[i];
  }
  printf("logreg fit: w=(%.2f, %.2f, %.2f), %d/%d misclassified\n",
         (double)w[0], (double)w[1], (double)w[2], errs, N);
  EXPECT(errs < N / 20);
  EXPECT(mote_hi_logreg_fit(NULL, p2, ok, N, 1, 1.0f, w) == MOTE_E_ARG);
}

int main(void) {
  test_scores();
  test_rules();
  test_step_faults();
  test_online();
  test_logreg_fit();
  return check_all_passed("hi decide");
}
