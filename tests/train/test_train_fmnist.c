/*
** test_train_fmnist.c: one epoch on 2,000 Fashion-MNIST training images
** reaches a sane test accuracy (> 60% on 1,000 test images), for an MLP
** and a small CNN. Needs Debian's dataset-fashion-mnist (installed in CI).
*/
#include <string.h>

#include "train/train.h"
#include "tt.h"

static void run(const char *spec, const mote_dataset *train,
                const mote_dataset *test) {
  char err[256];
  tr_net *net = tr_net_new(spec, 28, 28, 1, 1, err, sizeof err);
  CHECK(net != NULL, "%s", err);
  if (!net) return;
  tr_config cfg;
  tr_config_default(&cfg);
  cfg.epochs = 1;
  cfg.batch = 32;
  cfg.limit = 2000;
  cfg.sched = TR_SCHED_CONST;
  cfg.lr = 2e-3f;
  tr_result res;
  CHECK(tr_train(net, train, test, &cfg, &res, err, sizeof err) == 0, "%s",
        err);
  CHECK(res.final_test_acc > 0.60, "%s: test accuracy %.2f%%", spec,
        100 * res.final_test_acc);
  printf("  %-50s test acc %.2f%% (%.2f s)\n", spec, 100 * res.final_test_acc,
         res.seconds);
  tr_net_free(net);
}

int main(void) {
  mote_dataset train, test;
  char err[256];
  int rc = ds_load_fashion_mnist(&train, NULL, 0, err, sizeof err);
  CHECK(rc == 0, "fashion-mnist: %s", err);
  if (rc != 0) return tt_done("test_train_fmnist");
  rc = ds_load_fashion_mnist(&test, NULL, 1, err, sizeof err);
  CHECK(rc == 0, "fashion-mnist: %s", err);
  if (rc != 0) return tt_done("test_train_fmnist");
  mote_dataset small = test;
  small.n = 1000;
  run("fc:64,relu,fc:10", &train, &small);
  run("conv3x3:8,relu,maxpool2,conv3x3:16,relu,maxpool2,fc:10", &train, &small);
  ds_free(&train);
  ds_free(&test);
  return tt_done("test_train_fmnist");
}
