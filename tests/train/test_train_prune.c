/*
** test_train_prune.c: tr_net_remove_channels gives a smaller net that
** computes what the original computes when the removed channels are cut
** off at the next conv/fc (eval mode, bn and dw in between); masks follow.
** With a replacement (mix), removing a channel that is a constant or an
** affine function of a kept one changes nothing; tr_net_channel_stats
** sees a constant channel as exactly constant.
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

/* A net of `spec` for 8x8x2 inputs (init from seed) with random bn
 * statistics and affine parameters (from *s); NULL on error. */
static tr_net *bn_net(const char *spec, uint64_t seed, uint64_t *s) {
  char err[256];
  tr_net *a = tr_net_new(spec, 8, 8, 2, seed, err, sizeof err);
  CHECK(a != NULL, "%s", err);
  for (int i = 0; a && i < a->n_layers; i++) {
    tr_layer *L = &a->layers[i];
    if (L->kind != TR_BN) continue;
    for (size_t c = 0; c < L->nw; c++) {
      L->w[c] = tt_rand(s, 0.5f, 1.5f);
      L->b[c] = tt_rand(s, -0.3f, 0.3f);
      L->running_mean[c] = tt_rand(s, -0.2f, 0.2f);
      L->running_var[c] = tt_rand(s, 0.5f, 2.0f);
    }
  }
  return a;
}

/* Max |a[i] - b[i]| over n values. */
static double max_diff(const float *a, const float *b, size_t n) {
  double worst = 0;
  for (size_t i = 0; i < n; i++) worst = fmax(worst, fabs((double)a[i] - b[i]));
  return worst;
}

static void check(const char *spec, int target, int next, const uint8_t *keep,
                  int nkeep) {
  char err[256];
  uint64_t s = 3;
  tr_net *a = bn_net(spec, 4, &s);
  if (!a) return;
  CHECK(tr_net_enable_masks(a) == 0, "masks");
  tr_net *cut = tr_net_clone(a), *p = tr_net_clone(a);
  cut_inputs(&cut->layers[next], keep);
  size_t params0 = tr_net_param_count(p);
  uint64_t macs0 = tr_net_macs(p);
  int rc = tr_net_remove_channels(p, target, keep, NULL, err, sizeof err);
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
  double worst = max_diff(z1, z2, (size_t)n * a->n_classes);
  CHECK(worst < 1e-5, "%s: pruned net differs by %.3g", spec, worst);
  printf("  %-55s %s -> %s\n", spec, a->spec, p->spec);
  tr_net_free(a);
  tr_net_free(cut);
  tr_net_free(p);
}

/*
** Layer 0 (conv, then bn and linear layers up to the consumer) gets
** channel 2 with zero weights (a constant) and channel 4 a copy of
** channel 1's weights (so 4 = alpha * 1 + beta after the bn); removing 2
** and 4 with that replacement leaves the logits as they were.
*/
static void check_mix(const char *spec) {
  char err[256];
  uint64_t s = 9;
  tr_net *a = bn_net(spec, 6, &s);
  if (!a) return;
  tr_layer *L = &a->layers[0];
  const tr_layer *bn = &a->layers[1];
  size_t per = L->nw / (size_t)L->out_c;
  memset(L->w + 2 * per, 0, per * sizeof(float));
  memcpy(L->w + 4 * per, L->w + 1 * per, per * sizeof(float));
  L->b[4] = L->b[1];
  double sc[6], sh[6]; /* bn as y = sc * z + sh */
  for (int c = 0; c < 6; c++) {
    sc[c] = bn->w[c] / sqrt(bn->running_var[c] + 1e-5);
    sh[c] = bn->b[c] - bn->running_mean[c] * sc[c];
  }
  float mix[6 * 7] = {0};
  mix[2 * 7 + 6] = (float)(sc[2] * L->b[2] + sh[2]);
  mix[4 * 7 + 1] = (float)(sc[4] / sc[1]);
  mix[4 * 7 + 6] = (float)(sh[4] - sc[4] / sc[1] * sh[1]);

  mote_dataset ds = {.n = 20, .h = 8, .w = 8, .c = 2};
  ds.f32 = malloc(sizeof(float) * 128 * ds.n);
  for (size_t i = 0; i < 128 * ds.n; i++) ds.f32[i] = tt_rand(&s, 0, 1);
  double mean[6], cov[36];
  CHECK(tr_net_channel_stats(a, 0, &ds, 1, mean, cov, err, sizeof err) == 0,
        "stats: %s", err);
  int zero = 1;
  for (int c = 0; c < 6; c++)
    zero &= cov[2 * 6 + c] == 0.0 && cov[c * 6 + 2] == 0.0;
  CHECK(zero && fabs(mean[2] - mix[2 * 7 + 6]) < 1e-6 && cov[7] > 0.0,
        "%s: constant channel: mean %g (want %g), covariance row not zero",
        spec, mean[2], (double)mix[2 * 7 + 6]);

  static const uint8_t keep[6] = {1, 1, 0, 1, 0, 1};
  tr_net *p = tr_net_clone(a);
  CHECK(tr_net_remove_channels(p, 0, keep, mix, err, sizeof err) == 0, "%s: %s",
        spec, err);
  float z1[20 * 4], z2[20 * 4];
  tr_forward(a, ds.f32, ds.n, 0, z1);
  tr_forward(p, ds.f32, ds.n, 0, z2);
  double worst = max_diff(z1, z2, ds.n * 4);
  CHECK(worst < 1e-5, "%s: replaced channels: differs by %.3g", spec, worst);
  /* cut off instead, the same channels change the logits */
  tr_net *cut = tr_net_clone(a);
  CHECK(tr_net_remove_channels(cut, 0, keep, NULL, err, sizeof err) == 0,
        "%s: %s", spec, err);
  tr_forward(cut, ds.f32, ds.n, 0, z2);
  double moved = max_diff(z1, z2, ds.n * 4);
  CHECK(moved > 1e-2, "%s: cut off: differs by only %.3g", spec, moved);
  printf("  %-55s replaced: %.2g, cut off: %.2g\n", spec, worst, moved);
  tr_net_free(cut);
  free(ds.f32);
  tr_net_free(a);
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
  check_mix("conv3x3:6,bn,avgpool2,conv3x3:5,relu,fc:4");
  check_mix("conv3x3:6:same,bn,avgpool2,fc:7,relu,fc:4");
  char err[256];
  tr_net *a = tr_net_new("conv3x3:6,dw3x3,fc:4", 8, 8, 2, 1, err, sizeof err);
  CHECK(tr_net_remove_channels(a, 1, k6, NULL, err, sizeof err) != 0 &&
            strstr(err, "only conv and fc") != NULL,
        "dw target: %s", err);
  CHECK(tr_net_remove_channels(a, 2, k6, NULL, err, sizeof err) != 0 &&
            strstr(err, "classes") != NULL,
        "last layer: %s", err);
  static const uint8_t none[6] = {0};
  CHECK(tr_net_remove_channels(a, 0, none, NULL, err, sizeof err) != 0 &&
            strstr(err, "no channel") != NULL,
        "nothing kept: %s", err);
  tr_net_free(a);
  return tt_done("test_train_prune");
}
