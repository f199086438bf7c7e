/*
** test_train_prune.c: tr_net_remove_channels gives a smaller net that
** computes what the original computes when the removed channels are cut
** off at the next conv/fc (eval mode, bn and dw in between); masks follow.
*/
#include <string.h>

#include "train/train.h"
#include "tt.h"

/* Zero the inputs of layer `next` that come from removed channels. */
static void cut_inputs(tr_layer *L, const uint8_t *keep) {
  size_t per = L->nw / (size_t)L->out_c, spatial = per / (size_t)L->in_c;
  for (int o = 0; o < L->out_c; o++)
    for (size_t s = 0; s < spatial; s++)
      for (int c = 0; c < L->in_c; c++)
        if (!keep[c]) L->w[o * per + s * L->in_c + c] = 0.0f;
}

static void check(const char *spec, int target, int next, const uint8_t *keep,
                  int nkeep) {
  char err[256];
  tr_net *a = tr_net_new(spec, 8, 8, 2, 4, err, sizeof err);
  CHECK(a != NULL, "%s", err);
  if (!a) return;
  uint64_t s = 3;
  for (int i = 0; i < a->n_layers; i++) {
    tr_layer *L = &a->layers[i];
    if (L->kind != TR_BN) continue;
    for (size_t c = 0; c < L->nw; c++) {
      L->w[c] = tt_rand(&s, 0.5f, 1.5f);
      L->b[c] = tt_rand(&s, -0.3f, 0.3f);
      L->running_mean[c] = tt_rand(&s, -0.2f, 0.2f);
      L->running_var[c] = tt_rand(&s, 0.5f, 2.0f);
    }
  }
  CHECK(tr_net_enable_masks(a) == 0, "masks");
  tr_net *cut = tr_net_clone(a), *p = tr_net_clone(a);
  cut_inputs(&cut->layers[next], keep);
  size_t params0 = tr_net_param_count(p);
  uint64_t macs0 = tr_net_macs(p);
  int rc = tr_net_remove_channels(p, target, keep, err, sizeof err);
  CHECK(rc == 0, "%s: remove: %s", spec, err);
  CHECK(p->layers[target].out_c == nkeep, "out_c %d", p->layers[target].out_c);
  CHECK(tr_net_param_count(p) < params0 && tr_net_macs(p) < macs0,
        "%s: params %zu -> %zu, MACs %llu -> %llu", spec, params0,
        tr_net_param_count(p), (unsigned long long)macs0,
        (unsigned long long)tr_net_macs(p));
  CHECK(p->masks != NULL && p->layers[next].mask != NULL, "masks kept");
  const int n = 5;
  float x[5 * 128], z1[5 * 16], z2[5 * 16];
  for (int i = 0; i < n * 128; i++) x[i] = tt_rand(&s, 0, 1);
  tr_forward(cut, x, n, 0, z1);
  tr_forward(p, x, n, 0, z2);
  double worst = 0;
  for (int i = 0; i < n * a->n_classes; i++) {
    double d = fabs((double)z1[i] - z2[i]);
    if (d > worst) worst = d;
  }
  CHECK(worst < 1e-5, "%s: pruned net differs by %.3g", spec, worst);
  printf("  %-55s %s -> %s\n", spec, a->spec, p->spec);
  tr_net_free(a);
  tr_net_free(cut);
  tr_net_free(p);
}

int main(void) {
  static const uint8_t k6[6] = {1, 0, 1, 1, 0, 1};
  static const uint8_t k7[7] = {0, 1, 1, 0, 1, 1, 1};
  check(
      "conv3x3:6:same,bn,relu,dw3x3:same,maxpool2,conv3x3:5,relu,fc:7,"
      "relu,fc:4",
      0, 5, k6, 4);
  check("conv3x3:6:same,relu,maxpool2,fc:7,relu,fc:4", 0, 3, k6, 4);
  check("conv3x3:6:same,relu,maxpool2,fc:7,bn,relu,dropout:0.5,fc:4", 3, 7, k7,
        5);
  char err[256];
  tr_net *a = tr_net_new("conv3x3:6,dw3x3,fc:4", 8, 8, 2, 1, err, sizeof err);
  CHECK(tr_net_remove_channels(a, 1, k6, err, sizeof err) != 0 &&
            strstr(err, "only conv and fc") != NULL,
        "dw target: %s", err);
  CHECK(tr_net_remove_channels(a, 2, k6, err, sizeof err) != 0 &&
            strstr(err, "classes") != NULL,
        "last layer: %s", err);
  static const uint8_t none[6] = {0};
  CHECK(tr_net_remove_channels(a, 0, none, err, sizeof err) != 0 &&
            strstr(err, "no channel") != NULL,
        "nothing kept: %s", err);
  tr_net_free(a);
  return tt_done("test_train_prune");
}
