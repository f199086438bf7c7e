/*
** test_train_distill_qat.c: the soft-target path of tr_train (a student
** trained with alpha = 1 follows the teacher's logits, not the labels),
** and quantization-aware training (weights fake-quantized to int8 levels
** per channel, activation ranges observed, accuracy kept).
*/
#include <string.h>

#include "train/train.h"
#include "tt.h"

/* Teacher: logits that favour class (label + 1) % 3 of each sample. */
static int teacher(void *user, const uint32_t *idx, uint32_t n, float *logits) {
  const mote_dataset *ds = user;
  for (uint32_t i = 0; i < n; i++) {
    int want = (ds->labels[idx[i]] + 1) % 3;
    for (int k = 0; k < 3; k++) logits[i * 3 + k] = k == want ? 4.0f : -2.0f;
  }
  return 0;
}

static int failing_teacher(void *user, const uint32_t *idx, uint32_t n,
                           float *logits) {
  (void)user, (void)idx, (void)n, (void)logits;
  return -1;
}

static double train(const mote_dataset *ds, float alpha, tr_soft_fn soft,
                    tr_net **out) {
  char err[256];
  tr_net *net = tr_net_new("conv3x3:4:same,relu,maxpool2,fc:8,relu,fc:3", 8, 8,
                           1, 2, err, sizeof err);
  tr_config cfg;
  tr_config_default(&cfg);
  cfg.epochs = 6;
  cfg.batch = 16;
  cfg.lr = 1e-2f;
  cfg.sched = TR_SCHED_COSINE;
  cfg.soft = soft;
  cfg.soft_user = (void *)ds;
  cfg.alpha = alpha;
  cfg.T = 2.0f;
  tr_result res;
  int rc = tr_train(net, ds, ds, &cfg, &res, err, sizeof err);
  if (out)
    *out = net;
  else
    tr_net_free(net);
  return rc == 0 ? res.final_test_acc : -1;
}

/* QAT fine-tuning of a trained net (the usual way to use it). */
static double finetune_qat(const mote_dataset *ds, tr_net *net) {
  char err[256];
  tr_config cfg;
  tr_config_default(&cfg);
  cfg.epochs = 3;
  cfg.batch = 16;
  cfg.lr = 1e-3f;
  cfg.sched = TR_SCHED_COSINE;
  cfg.qat = 1;
  tr_result res;
  int rc = tr_train(net, ds, ds, &cfg, &res, err, sizeof err);
  return rc == 0 ? res.final_test_acc : -1;
}

int main(void) {
  mote_dataset ds;
  tt_bright_set(&ds, 240, 8, 7);
  double plain = train(&ds, 0, NULL, NULL);
  double follow = train(&ds, 1.0f, teacher, NULL);
  double mixed = train(&ds, 0.5f, teacher, NULL);
  CHECK(plain > 0.9, "plain training: %.3f", plain);
  /* alpha 1: the labels are ignored, the student learns the teacher's
   * (shifted) classes, so it gets almost nothing right */
  CHECK(follow >= 0 && follow < 0.1, "soft targets ignored: %.3f", follow);
  CHECK(mixed >= 0 && mixed < plain, "alpha 0.5: %.3f", mixed);
  CHECK(train(&ds, 0.5f, failing_teacher, NULL) < 0,
        "a failing provider stops training");
  /* QAT */
  tr_net *q = NULL;
  train(&ds, 0, NULL, &q);
  double qacc = finetune_qat(&ds, q);
  CHECK(qacc > 0.9, "qat accuracy %.3f", qacc);
  for (int l = 0; q && l < q->n_layers; l++) {
    tr_layer *L = &q->layers[l];
    /* quantization points: outputs that are tensors of the export */
    tr_kind next = l + 1 < q->n_layers ? q->layers[l + 1].kind : TR_DROPOUT;
    if (next != TR_RELU && next != TR_RELU6 && next != TR_BN)
      CHECK(L->act_init && L->act_max > L->act_min,
            "layer %d: no activation range", l + 1);
  }
  /* fake-quantized forward differs a little from the float one */
  float x[64 * 8], zf[24], zq[24];
  memcpy(x, ds.f32, sizeof x);
  tr_forward(q, x, 8, 0, zf);
  tr_forward(q, x, 8, 1, zq);
  double d = 0, mag = 0;
  for (int i = 0; i < 24; i++) {
    d += fabs((double)zf[i] - zq[i]);
    mag += fabs((double)zf[i]);
  }
  CHECK(d > 0 && d < 0.1 * mag, "qat forward: diff %.3g of %.3g", d, mag);
  printf("  plain %.3f, alpha 1 %.3f, alpha 0.5 %.3f, qat %.3f\n", plain,
         follow, mixed, qacc);
  tr_net_free(q);
  ds_free(&ds);
  return tt_done("test_train_distill_qat");
}
