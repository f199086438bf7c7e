/*
** test_teacher.c: the distillation teacher of tools/compress/teacher.h.
** A teacher whose logits are known (a net exported to .tflite, ending in
** SOFTMAX, run in mote's runtime) is cached over a Fashion-MNIST subset:
** the cache holds its log-probabilities, the soft-target provider hands
** the right rows for shuffled indices, and the trainer asks for every
** training sample once per epoch.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/check.h"
#include "compress/teacher.h"
#include "host_io.h"
#include "runtime/tflite_schema.h"
#include "tflite_writer.h"
#include "train/train.h"

/*
** A teacher without SOFTMAX: one float FULLY_CONNECTED 784 -> 10 with
** known weights, so the cache must hold W x + b as they are.
*/
static void test_plain_logits(const mote_dataset *ds) {
  static float wd[10 * 784];
  float bd[10];
  for (int i = 0; i < 10 * 784; i++) wd[i] = (float)((i * 37 % 101) - 50) / 500;
  for (int k = 0; k < 10; k++) bd[k] = (float)k - 4.5f;
  tflw *w = tflw_new();
  int32_t is[] = {1, 784}, ws[] = {10, 784}, bs[] = {10}, os[] = {1, 10};
  int ti = tflw_tensor_q(w, MOTE_FLOAT32, is, 2, "x", 0, 0);
  tflw_tensor_desc d = {.type = MOTE_FLOAT32, .shape = ws, .rank = 2};
  int tw = tflw_const_tensor(w, &d, wd, sizeof wd);
  tflw_tensor_desc db = {.type = MOTE_FLOAT32, .shape = bs, .rank = 1};
  int tb = tflw_const_tensor(w, &db, bd, sizeof bd);
  int to = tflw_tensor_q(w, MOTE_FLOAT32, os, 2, "y", 0, 0);
  tflw_op(w, TFL_OP_FULLY_CONNECTED, 1, (int32_t[]){ti, tw, tb}, 3, &to, 1,
          TFL_OPT_FULLY_CONNECTED, NULL, 0);
  tflw_io(w, &ti, 1, &to, 1);
  uint8_t *fb = NULL;
  size_t len = 0;
  EXPECT(tflw_finish(w, &fb, &len) == 0);
  tflw_free(w);
  host_model hm;
  EXPECT(fb && host_model_from_bytes(&hm, fb, len, 0) == MOTE_OK);
  if (!fb) return;
  cz_teacher t;
  char err[256];
  EXPECT(cz_teacher_run(&hm.m, ds, &t, NULL, err, sizeof err) == 0);
  EXPECT(t.softmax == 0 && t.k == 10 && t.n == ds->n);
  float x[784];
  double maxd = 0;
  for (uint32_t i = 0; i < ds->n && t.logits; i++) {
    ds_sample_f32(ds, i, x);
    for (int k = 0; k < 10; k++) {
      double z = bd[k];
      for (int j = 0; j < 784; j++) z += (double)wd[k * 784 + j] * x[j];
      double dd = fabs(z - t.logits[(size_t)i * 10 + (size_t)k]);
      maxd = dd > maxd ? dd : maxd;
    }
  }
  EXPECT(maxd < 1e-3);
  cz_teacher_free(&t);
  host_model_free(&hm);
}

/* Wraps the provider: counts how often each index is asked for. */
typedef struct spy {
  cz_teacher *t;
  uint32_t *seen;
  uint32_t calls, bad;
} spy;

static int spy_soft(void *user, const uint32_t *idx, uint32_t n,
                    float *logits) {
  spy *s = user;
  s->calls++;
  for (uint32_t j = 0; j < n; j++) {
    if (idx[j] < s->t->n)
      s->seen[idx[j]]++;
    else
      s->bad++;
  }
  return cz_teacher_soft(s->t, idx, n, logits);
}

int main(void) {
  char err[256];
  mote_dataset ds;
  if (ds_load_fashion_mnist(&ds, NULL, 0, err, sizeof err) != 0) {
    fprintf(stderr, "test_teacher: %s\n", err);
    return 1;
  }
  uint32_t full = ds.n;
  ds.n = 512;
  test_plain_logits(&ds);
  tr_net *tnet = tr_net_new("conv3x3:4,relu,maxpool2,fc:10", 28, 28, 1, 3, err,
                            sizeof err);
  EXPECT(tnet != NULL);
  if (!tnet) return 1;
  uint8_t *fb = NULL;
  size_t len = 0;
  EXPECT(tr_export_tflite_mem(tnet, &fb, &len, err, sizeof err) == 0);
  host_model hm;
  EXPECT(host_model_from_bytes(&hm, fb, len, 0) == MOTE_OK);

  cz_teacher t;
  uint32_t correct = 0;
  EXPECT(cz_teacher_run(&hm.m, &ds, &t, &correct, err, sizeof err) == 0);
  EXPECT(t.n == 512 && t.k == 10 && t.softmax == 1);

  /* Known logits: log_softmax of the net's own forward pass. */
  float *x = malloc(784 * sizeof *x), z[10];
  double maxd = 0;
  uint32_t right = 0;
  for (uint32_t i = 0; i < ds.n; i++) {
    ds_sample_f32(&ds, i, x);
    EXPECT(tr_forward(tnet, x, 1, 0, z) == 0);
    double mx = z[0], sum = 0;
    int best = 0;
    for (int k = 1; k < 10; k++) {
      if (z[k] > mx) mx = z[k];
      if (z[k] > z[best]) best = k;
    }
    for (int k = 0; k < 10; k++) sum += exp(z[k] - mx);
    for (int k = 0; k < 10; k++) {
      double want = z[k] - mx - log(sum);
      double d = fabs(want - t.logits[(size_t)i * 10 + (size_t)k]);
      maxd = d > maxd ? d : maxd;
    }
    right += ds.labels[i] == best;
  }
  EXPECT(maxd < 1e-3);
  EXPECT(correct == right);

  /* Shuffled indices get their own rows. */
  uint32_t idx[64];
  float rows[64 * 10];
  uint64_t r = 12345;
  for (int j = 0; j < 64; j++) {
    r = r * 6364136223846793005ULL + 1442695040888963407ULL;
    idx[j] = (uint32_t)(r >> 33) % ds.n;
  }
  EXPECT(cz_teacher_soft(&t, idx, 64, rows) == 0);
  int rows_ok = 1;
  for (int j = 0; j < 64; j++)
    rows_ok &= memcmp(rows + j * 10, t.logits + (size_t)idx[j] * 10,
                      10 * sizeof(float)) == 0;
  EXPECT(rows_ok);
  idx[5] = ds.n;
  EXPECT(cz_teacher_soft(&t, idx, 64, rows) != 0);

  /* The trainer asks for every training sample once per epoch. */
  spy s = {&t, calloc(ds.n, sizeof(uint32_t)), 0, 0};
  tr_net *student = tr_net_new("fc:10", 28, 28, 1, 1, err, sizeof err);
  tr_config cfg;
  tr_config_default(&cfg);
  cfg.epochs = 2;
  cfg.threads = 2;
  cfg.soft = spy_soft;
  cfg.soft_user = &s;
  cfg.T = 4;
  cfg.alpha = 0.7f;
  tr_result res;
  EXPECT(student &&
         tr_train(student, &ds, NULL, &cfg, &res, err, sizeof err) == 0);
  EXPECT(s.bad == 0);
  EXPECT(s.calls == 2 * 4);
  int twice = 1;
  for (uint32_t i = 0; i < ds.n; i++) twice &= s.seen[i] == 2;
  EXPECT(twice);
  /* A failing provider stops training with an error. */
  t.n = 10;
  EXPECT(tr_train(student, &ds, NULL, &cfg, &res, err, sizeof err) != 0);
  t.n = 512;

  free(s.seen);
  free(x);
  tr_net_free(student);
  cz_teacher_free(&t);
  host_model_free(&hm);
  tr_net_free(tnet);
  ds.n = full;
  ds_free(&ds);
  if (check_failed)
    fprintf(stderr, "test_teacher: %d failures\n", check_failed);
  return check_failed != 0;
}
