/*
** test_prune.c: pruning of tools/compress/prune.h on small nets and a
** Fashion-MNIST subset: unstructured magnitude pruning hits the requested
** sparsity exactly on the exported weights and masked weights stay zero
** while fine-tuning; structured pruning removes the channels of smallest
** variation reaching the next layer on calibration data (without: of
** smallest bn-scaled L1 norm), keeps most of the accuracy before any
** fine-tuning, is exact on channels that carry a constant (bn, relu6,
** depthwise, pools, global pooling and flatten in between), reduces
** channels, MACs and file size, and the exported model gives in mote's
** runtime the pruned net's outputs.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/check.h"
#include "compress/prune.h"
#include "data/feed.h"
#include "host_io.h"
#include "train/train.h"

static mote_dataset train, test;

/* Train net for one epoch on the subset (constant learning rate). */
static void tune(tr_net *net, int qat) {
  tr_config cfg;
  tr_config_default(&cfg);
  cfg.epochs = 1;
  cfg.seed = 5;
  cfg.threads = 2;
  cfg.qat = qat;
  cfg.sched = TR_SCHED_CONST; /* 24 steps: no warm-up */
  cfg.lr = 2e-3f;
  tr_result res;
  char err[256];
  int rc = tr_train(net, &train, NULL, &cfg, &res, err, sizeof err);
  if (rc) fprintf(stderr, "tr_train: %s\n", err);
  EXPECT(rc == 0);
}

/* Export and re-import net (the weights as written to the file). */
static tr_net *roundtrip(const tr_net *net, size_t *len) {
  uint8_t *fb = NULL;
  char err[256];
  EXPECT(tr_export_tflite_mem(net, &fb, len, err, sizeof err) == 0);
  tr_net *back = tr_import_tflite(fb, *len, err, sizeof err);
  if (!back) fprintf(stderr, "import: %s\n", err);
  free(fb);
  return back;
}

/* Concatenated prunable weights of net (malloc'd), count in *n. */
static float *weights(const tr_net *net, size_t *n) {
  *n = cz_prunable_count(net);
  float *w = malloc(*n * sizeof *w + 1);
  size_t k = 0;
  for (int i = 0; i < net->n_layers; i++) {
    const tr_layer *l = &net->layers[i];
    if (l->kind != TR_CONV && l->kind != TR_DW && l->kind != TR_FC) continue;
    memcpy(w + k, l->w, l->nw * sizeof *w);
    k += l->nw;
  }
  return w;
}

static size_t absdiff(size_t a, size_t b) {
  return a > b ? a - b : b - a;
}

static void test_unstructured(void) {
  char err[256];
  tr_net *net = tr_net_new(
      "conv3x3:8,relu,maxpool2,conv3x3:16,relu,maxpool2,fc:32,relu,fc:10", 28,
      28, 1, 7, err, sizeof err);
  EXPECT(net != NULL);
  if (!net) return;
  tune(net, 0);
  size_t n = cz_prunable_count(net);
  EXPECT(n == 8 * 9 + 16 * 9 * 8 + 32 * 400 + 10 * 32);
  EXPECT(cz_prunable_zeros(net) == 0);
  EXPECT(cz_magnitude_prune(net, 1.5, 0, err, sizeof err) != 0);

  const double s = 0.75;
  size_t want = (size_t)llround(s * (double)n);
  EXPECT(cz_magnitude_prune(net, s, 0, err, sizeof err) == 0);
  EXPECT(absdiff(cz_prunable_zeros(net), want) <= 1);
  /* Global threshold: every zeroed weight was no larger than every kept
   * one; check on the exported weights. */
  size_t len, m;
  tr_net *back = roundtrip(net, &len);
  EXPECT(back != NULL);
  if (!back) return;
  float *w0 = weights(back, &m);
  EXPECT(m == n);
  size_t z = 0;
  for (size_t j = 0; j < m; j++) z += w0[j] == 0.0f;
  EXPECT(absdiff(z, want) <= 1);
  tr_net_free(back);

  /* Fine-tuning keeps the zeros; the other weights move. */
  tune(net, 0);
  back = roundtrip(net, &len);
  EXPECT(back != NULL);
  if (!back) return;
  float *w1 = weights(back, &m);
  size_t stay = 0, moved = 0, z1 = 0;
  for (size_t j = 0; j < m; j++) {
    if (w0[j] == 0.0f) stay += w1[j] == 0.0f;
    if (w0[j] != 0.0f) moved += w1[j] != w0[j];
    z1 += w1[j] == 0.0f;
  }
  EXPECT(stay == z);
  EXPECT(moved > (m - z) / 2);
  EXPECT(absdiff(z1, want) <= 1);
  free(w0);
  free(w1);
  tr_net_free(back);

  /* QAT fine-tuning keeps them too. */
  tune(net, 1);
  EXPECT(absdiff(cz_prunable_zeros(net), want) <= 1);

  /* Per layer: each layer on its own. */
  tr_net *pl = tr_net_new("conv3x3:8,relu,maxpool2,fc:10", 28, 28, 1, 3, err,
                          sizeof err);
  EXPECT(pl && cz_magnitude_prune(pl, 0.5, 1, err, sizeof err) == 0);
  for (int i = 0; pl && i < pl->n_layers; i++) {
    const tr_layer *l = &pl->layers[i];
    if (l->kind != TR_CONV && l->kind != TR_FC) continue;
    size_t zl = 0;
    for (size_t j = 0; j < l->nw; j++) zl += l->w[j] == 0.0f;
    EXPECT(absdiff(zl, (size_t)llround(0.5 * (double)l->nw)) <= 1);
  }
  /* Gradual: rising sparsity, ends at the target; masks accumulate. */
  EXPECT(cz_gradual_sparsity(0.8, 3, 3) == 0.8);
  EXPECT(cz_gradual_sparsity(0.8, 1, 3) < cz_gradual_sparsity(0.8, 2, 3));
  EXPECT(cz_gradual_sparsity(0.8, 1, 3) > 0.0);
  EXPECT(pl && cz_magnitude_prune(pl, 0.9, 0, err, sizeof err) == 0);
  EXPECT(pl && absdiff(cz_prunable_zeros(pl),
                       (size_t)llround(0.9 * cz_prunable_count(pl))) <= 1);
  tr_net_free(pl);

  cz_stats st;
  EXPECT(cz_measure(net, NULL, 2, 0, &st, err, sizeof err) == 0);
  EXPECT(st.pruned == cz_prunable_zeros(net));
  EXPECT(st.flash_zlib < st.flash);
  EXPECT(st.accuracy == -1.0);
  tr_net_free(net);
}

/* Channel score of layer i's channel c as cz_channel_prune ranks it
 * without calibration data. */
static double score(const tr_net *net, int i, int c) {
  const tr_layer *l = &net->layers[i];
  size_t per = l->nw / (size_t)l->out_c;
  double s = 0;
  for (size_t j = 0; j < per; j++) s += fabs(l->w[(size_t)c * per + j]);
  const tr_layer *bn = &net->layers[i + 1];
  if (bn->kind == TR_BN) s *= fabs(bn->w[c]) / sqrt(bn->running_var[c] + 1e-5);
  return s;
}

static int cmp_desc(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? 1 : x > y ? -1 : 0;
}

/* Score of channel c of layer i with calibration data: its standard
 * deviation times the L1 norm of the next layer's (next) weights on it. */
static double calib_score(const tr_net *net, int next, const double *cov,
                          int c) {
  const tr_layer *n = &net->layers[next];
  double s = 0;
  for (size_t j = (size_t)c; j < n->nw; j += (size_t)n->in_c)
    s += fabs(n->w[j]);
  return sqrt(cov[c * n->in_c + c]) * s;
}

static void test_structured(void) {
  char err[256];
  tr_net *net = tr_net_new(
      "conv3x3:8,bn,relu,maxpool2,conv3x3:16,relu,maxpool2,fc:32,relu,fc:10",
      28, 28, 1, 11, err, sizeof err);
  EXPECT(net != NULL);
  if (!net) return;
  tune(net, 0);
  cz_stats a, b;
  EXPECT(cz_measure(net, &test, 2, 0, &a, err, sizeof err) == 0);
  mote_dataset calib = train;
  calib.n = 1000;

  /* Without calibration data: the 4 channels of largest bn-scaled L1
   * norm stay. */
  tr_net *nc = tr_net_clone(net);
  double before[8], sc[8], mean[8], cov[64];
  for (int c = 0; c < 8; c++) before[c] = score(nc, 0, c);
  qsort(before, 8, sizeof *before, cmp_desc);
  EXPECT(cz_channel_prune(nc, 0.5, NULL, 2, NULL, err, sizeof err) == 0);
  double after[4];
  for (int c = 0; c < 4; c++) after[c] = score(nc, 0, c);
  qsort(after, 4, sizeof *after, cmp_desc);
  for (int c = 0; c < 4; c++) EXPECT(fabs(after[c] - before[c]) < 1e-6);
  tr_net_free(nc);

  /* With: the 4 of largest calib_score stay (found by their weights,
   * which are copied unchanged). */
  EXPECT(tr_net_channel_stats(net, 0, &calib, 2, mean, cov, err, sizeof err) ==
         0);
  for (int c = 0; c < 8; c++) sc[c] = calib_score(net, 4, cov, c);
  float w0[8 * 9];
  memcpy(w0, net->layers[0].w, sizeof w0);
  int removed = 0;
  EXPECT(cz_channel_prune(net, 0.5, &calib, 2, &removed, err, sizeof err) == 0);
  EXPECT(removed == 4 + 8 + 16);
  EXPECT(net->layers[0].out_c == 4);
  EXPECT(net->layers[1].kind == TR_BN && net->layers[1].out_c == 4);
  EXPECT(net->layers[4].out_c == 8);
  EXPECT(net->layers[7].out_c == 16);
  EXPECT(net->layers[9].out_c == 10);
  for (int k = 0; k < 4; k++) {
    int c = 0;
    while (c < 8 && memcmp(w0 + c * 9, net->layers[0].w + k * 9, 36)) c++;
    EXPECT(c < 8);
    int larger = 0;
    for (int o = 0; c < 8 && o < 8; o++) larger += sc[o] > sc[c];
    EXPECT(larger < 4);
  }
  double acc = tr_evaluate(net, &test, 2, 0, NULL);
  printf("  structured 50%%: %.2f%% -> %.2f%% before fine-tuning\n",
         100 * a.accuracy, 100 * acc);
  EXPECT(acc > a.accuracy - 0.05);

  tune(net, 0);
  EXPECT(cz_measure(net, &test, 2, 0, &b, err, sizeof err) == 0);
  EXPECT(b.macs < a.macs / 2);
  EXPECT(b.params < a.params / 2);
  EXPECT(b.flash < a.flash * 6 / 10);
  EXPECT(a.accuracy > 0.6);
  EXPECT(b.accuracy > 0.6);

  /* The exported model in mote's runtime gives the net's outputs. */
  uint8_t *fb = NULL;
  size_t len = 0;
  EXPECT(tr_export_tflite_mem(net, &fb, &len, err, sizeof err) == 0);
  host_model hm;
  mote_status st = host_model_from_bytes(&hm, fb, len, 0);
  EXPECT(st == MOTE_OK);
  if (st != MOTE_OK) {
    tr_net_free(net);
    return;
  }
  float x[784], logits[10], p[10], y[10];
  int same = 0;
  double maxd = 0;
  const int n = 200;
  for (int i = 0; i < n; i++) {
    ds_sample_f32(&test, (uint32_t)i, x);
    EXPECT(tr_forward(net, x, 1, 0, logits) == 0);
    double mx = logits[0], sum = 0;
    for (int k = 1; k < 10; k++) mx = logits[k] > mx ? logits[k] : mx;
    for (int k = 0; k < 10; k++) sum += exp(logits[k] - mx);
    for (int k = 0; k < 10; k++) p[k] = (float)(exp(logits[k] - mx) / sum);
    mote_tensor t;
    mote_model_input(&hm.m, 0, &t);
    EXPECT(feed_input_f32(&t, x, 784) == 0);
    EXPECT(mote_model_invoke(&hm.m) == MOTE_OK);
    mote_model_output(&hm.m, 0, &t);
    EXPECT(read_output_f32(&t, y, 10) == 0);
    int bp = 0, by = 0;
    for (int k = 0; k < 10; k++) {
      if (p[k] > p[bp]) bp = k;
      if (y[k] > y[by]) by = k;
      double d = fabs(p[k] - y[k]);
      maxd = d > maxd ? d : maxd;
    }
    same += bp == by;
  }
  EXPECT(same == n);
  EXPECT(maxd < 1e-4);
  host_model_free(&hm);
  tr_net_free(net);
}

/* Max |a - b| over n values, and max |a| into *mag. */
static double maxdiff(const float *a, const float *b, size_t n, double *mag) {
  double d = 0, m = 0;
  for (size_t i = 0; i < n; i++) {
    d = fmax(d, fabs((double)a[i] - b[i]));
    m = fmax(m, fabs((double)a[i]));
  }
  if (mag) *mag = m;
  return d;
}

/*
** Structured pruning is exact on channels that carry a constant: after a
** short training, a quarter of the output channels of every conv and
** inner fc get zero weights and a bias (or bn shift) of 0.7, so they are
** constant 0.7 through relu/relu6, and whatever the dw convs, bn, pools
** and flatten between make of them; 25% structured pruning with
** calibration data removes those and gives the same logits. Cutting them
** off instead (no calibration data: what `mote prune` did) does not.
*/
static void test_structured_exact(const char *spec) {
  char err[256];
  tr_net *net = tr_net_new(spec, 28, 28, 1, 3, err, sizeof err);
  EXPECT(net != NULL);
  if (!net) return;
  tune(net, 0);
  int last = -1, want[16], nl = 0;
  for (int i = 0; i < net->n_layers; i++)
    if (net->layers[i].kind == TR_FC) last = i;
  for (int i = 0; i < net->n_layers; i++) {
    tr_layer *l = &net->layers[i];
    if (l->kind != TR_CONV && !(l->kind == TR_FC && i != last)) continue;
    tr_layer *bn = l[1].kind == TR_BN ? &l[1] : NULL;
    size_t per = l->nw / (size_t)l->out_c;
    int drop = (int)lround(0.25 * l->out_c);
    for (int c = 1; c < 4 * drop; c += 4) {
      memset(l->w + (size_t)c * per, 0, per * sizeof(float));
      l->b[c] = bn ? 0.0f : 0.7f;
      if (bn) {
        bn->running_mean[c] = 0.0f;
        bn->b[c] = 0.7f;
      }
    }
    want[nl++] = l->out_c - drop;
  }
  enum { N = 100 };
  static float x[N * 784], z0[N * 10], z1[N * 10];
  for (int i = 0; i < N; i++) ds_sample_f32(&test, (uint32_t)i, x + i * 784);
  EXPECT(tr_forward(net, x, N, 0, z0) == 0);
  mote_dataset calib = train;
  calib.n = 500;
  tr_net *cut = tr_net_clone(net);
  int removed = 0;
  EXPECT(cz_channel_prune(net, 0.25, &calib, 2, &removed, err, sizeof err) ==
         0);
  EXPECT(cz_channel_prune(cut, 0.25, NULL, 2, NULL, err, sizeof err) == 0);
  for (int i = 0, k = 0; i < net->n_layers; i++) {
    tr_kind kd = net->layers[i].kind;
    if (kd == TR_CONV || (kd == TR_FC && i != last))
      EXPECT(net->layers[i].out_c == want[k++]);
  }
  EXPECT(tr_forward(net, x, N, 0, z1) == 0);
  double mag, d = maxdiff(z0, z1, N * 10, &mag);
  EXPECT(tr_forward(cut, x, N, 0, z1) == 0);
  double dcut = maxdiff(z0, z1, N * 10, NULL);
  printf(
      "  %s: %d channels removed, logits (max %.3g) differ by %.3g (cut "
      "off: %.3g)\n",
      spec, removed, mag, d, dcut);
  EXPECT(d < 1e-5 * (1.0 + mag));
  EXPECT(dcut > 0.1);
  tr_net_free(net);
  tr_net_free(cut);
}

int main(void) {
  char err[256];
  if (ds_load_fashion_mnist(&train, NULL, 0, err, sizeof err) != 0 ||
      ds_load_fashion_mnist(&test, NULL, 1, err, sizeof err) != 0) {
    fprintf(stderr, "test_prune: %s\n", err);
    return 1;
  }
  uint32_t ntr = train.n, nte = test.n;
  train.n = 3000;
  test.n = 1000;
  test_unstructured();
  test_structured();
  test_structured_exact(
      "conv3x3:8:same,bn,relu6,dw3x3:s2,bn,relu6,conv1x1:16,relu,gap,fc:10");
  test_structured_exact(
      "conv3x3:6,bn,relu6,dw3x3,bn,relu,avgpool2,conv3x3:8,bn,relu,maxpool2,"
      "fc:12,bn,relu6,fc:10");
  train.n = ntr;
  test.n = nte;
  ds_free(&train);
  ds_free(&test);
  if (check_failed) fprintf(stderr, "test_prune: %d failures\n", check_failed);
  return check_failed != 0;
}
