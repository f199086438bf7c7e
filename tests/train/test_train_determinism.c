/*
** test_train_determinism.c: two runs with the same seed give bit-identical
** weights, also with 1, 2 and 3 threads (slices are fixed, see train.h);
** another seed gives other weights. Synthetic learnable data.
*/
#include <string.h>

#include "train/train.h"
#include "tt.h"

static const char *kSpec =
    "conv3x3:4:same,bn,relu,maxpool2,dw3x3:same,relu6,fc:16,bn,relu,"
    "dropout:0.25,fc:3";

static float *train_once(const mote_dataset *ds, uint64_t seed, int threads,
                         size_t *n, double *acc) {
  char err[256];
  tr_net *net = tr_net_new(kSpec, 8, 8, 1, seed, err, sizeof err);
  CHECK(net != NULL, "%s", err);
  tr_config cfg;
  tr_config_default(&cfg);
  cfg.epochs = 2;
  cfg.batch = 37; /* uneven slices and a short last batch */
  cfg.seed = seed;
  cfg.threads = threads;
  cfg.lr = 5e-3f;
  tr_result res;
  CHECK(tr_train(net, ds, ds, &cfg, &res, err, sizeof err) == 0, "%s", err);
  *acc = res.final_test_acc;
  *n = net->n_params + net->n_bn_state;
  float *out = malloc(sizeof(float) * *n);
  memcpy(out, net->params, sizeof(float) * net->n_params);
  memcpy(out + net->n_params, net->bn_state, sizeof(float) * net->n_bn_state);
  tr_net_free(net);
  return out;
}

int main(void) {
  mote_dataset ds;
  tt_bright_set(&ds, 300, 5, 1);
  size_t n1, n2, n3, n4, n5;
  double a1, a2, a3, a4, a5;
  float *w1 = train_once(&ds, 9, 2, &n1, &a1);
  float *w2 = train_once(&ds, 9, 2, &n2, &a2);
  float *w3 = train_once(&ds, 9, 1, &n3, &a3);
  float *w4 = train_once(&ds, 9, 3, &n4, &a4);
  float *w5 = train_once(&ds, 10, 2, &n5, &a5);
  CHECK(n1 == n2 && memcmp(w1, w2, n1 * sizeof(float)) == 0,
        "same seed, same threads: weights differ");
  CHECK(n1 == n3 && memcmp(w1, w3, n1 * sizeof(float)) == 0,
        "1 vs 2 threads: weights differ");
  CHECK(n1 == n4 && memcmp(w1, w4, n1 * sizeof(float)) == 0,
        "3 vs 2 threads: weights differ");
  CHECK(memcmp(w1, w5, n1 * sizeof(float)) != 0,
        "another seed gives the same weights");
  CHECK(a1 > 0.9, "synthetic task not learnt: %.3f", a1);
  printf("  accuracy %.3f (seed 9), %.3f (seed 10)\n", a1, a5);
  free(w1);
  free(w2);
  free(w3);
  free(w4);
  free(w5);
  ds_free(&ds);
  return tt_done("test_train_determinism");
}
