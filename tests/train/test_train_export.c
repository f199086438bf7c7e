/*
** test_train_export.c: tr_export_tflite output run by mote's own runtime
** gives the training forward's probabilities (within 1e-4) and the same
** predictions; batch norm with non-trivial statistics is folded correctly;
** relu/relu6 fusion, pools, gap, dropout and strides survive the export;
** tr_import_tflite reads the file back into a net computing the same.
*/
#include <string.h>

#include "host_io.h"
#include "train/train.h"
#include "tt.h"

static void softmax(const float *z, int k, float *p) {
  float mx = z[0];
  for (int i = 1; i < k; i++)
    if (z[i] > mx) mx = z[i];
  double s = 0;
  for (int i = 0; i < k; i++) s += exp((double)z[i] - mx);
  for (int i = 0; i < k; i++) p[i] = (float)(exp((double)z[i] - mx) / s);
}

static void check_export(const char *spec, float xscale) {
  char err[256];
  tr_net *net = tr_net_new(spec, 28, 28, 1, 3, err, sizeof err);
  CHECK(net != NULL, "%s: %s", spec, err);
  if (!net) return;
  uint64_t s = 11;
  /* bn: random affine and running statistics, so folding matters */
  for (int i = 0; i < net->n_layers; i++) {
    tr_layer *L = &net->layers[i];
    if (L->kind != TR_BN) continue;
    for (size_t c = 0; c < L->nw; c++) {
      L->w[c] = tt_rand(&s, 0.5f, 1.5f);
      L->b[c] = tt_rand(&s, -0.3f, 0.3f);
      L->running_mean[c] = tt_rand(&s, -0.5f, 0.5f);
      L->running_var[c] = tt_rand(&s, 0.5f, 2.0f);
    }
  }
  uint8_t *fb;
  size_t len;
  CHECK(tr_export_tflite_mem(net, &fb, &len, err, sizeof err) == 0,
        "%s: export: %s", spec, err);
  host_model hm;
  memset(&hm, 0, sizeof hm);
  mote_status st = host_model_from_bytes(&hm, fb, len, 0);
  CHECK(st == MOTE_OK, "%s: mote cannot load the export (%d)", spec, (int)st);
  if (st != MOTE_OK) {
    tr_net_free(net);
    return;
  }
  const int K = net->n_classes, n = 16;
  float *x = malloc(sizeof(float) * 784 * n),
        *z = malloc(sizeof(float) * K * n);
  for (int i = 0; i < 784 * n; i++) x[i] = tt_rand(&s, 0, 1) * xscale;
  CHECK(tr_forward(net, x, n, 0, z) == 0, "forward");
  double worst = 0;
  int same_pred = 0;
  for (int r = 0; r < n; r++) {
    mote_tensor in, out;
    mote_model_input(&hm.m, 0, &in);
    CHECK(in.type == MOTE_FLOAT32 && in.count == 784, "input tensor");
    memcpy(in.data, x + 784 * r, 784 * sizeof(float));
    CHECK(mote_model_invoke(&hm.m) == MOTE_OK, "invoke");
    mote_model_output(&hm.m, 0, &out);
    CHECK(out.count == (size_t)K, "output count %zu", out.count);
    float p[64];
    softmax(z + K * r, K, p);
    const float *q = out.data;
    int a = 0, b = 0;
    for (int k = 0; k < K; k++) {
      double d = fabs((double)p[k] - q[k]);
      if (d > worst) worst = d;
      if (p[k] > p[a]) a = k;
      if (q[k] > q[b]) b = k;
    }
    same_pred += a == b;
  }
  /* import the export back: same function (bn folded) */
  tr_net *back = tr_import_tflite(hm.fb, hm.fb_len, err, sizeof err);
  CHECK(back != NULL, "%s: import: %s", spec, err);
  if (back) {
    float *z2 = malloc(sizeof(float) * K * n);
    CHECK(tr_forward(back, x, n, 0, z2) == 0, "forward of import");
    double wz = 0;
    for (int i = 0; i < K * n; i++) {
      double d = fabs((double)z[i] - z2[i]) / (1 + fabs((double)z[i]));
      if (d > wz) wz = d;
    }
    CHECK(wz < 1e-4, "%s: imported net's logits differ by %.3g", spec, wz);
    CHECK(back->n_classes == K, "imported classes");
    free(z2);
    tr_net_free(back);
  }
  CHECK(worst < 1e-4, "%s: max |p_train - p_mote| = %.3g", spec, worst);
  CHECK(same_pred == n, "%s: %d/%d predictions agree", spec, same_pred, n);
  printf("  %-60.60s %zu bytes, max diff %.2e\n", spec, len, worst);
  free(x);
  free(z);
  host_model_free(&hm);
  tr_net_free(net);
}

int main(void) {
  check_export("fc:128,relu,fc:10", 1);
  check_export(
      "conv3x3:16,relu,maxpool2,conv3x3:32,relu,maxpool2,fc:64,relu,fc:10", 1);
  check_export(
      "conv3x3:4:same,bn,relu,maxpool2,dw3x3:same,bn,relu6,"
      "conv1x1:6:s2,relu,avgpool2,conv3x3:8:same,gap,fc:12,bn,relu,"
      "dropout:0.3,fc:10",
      1);
  /* relu6 actually clipping: large inputs */
  check_export("conv5x5:6:s2,relu6,dw3x3:s2,relu,fc:10", 40);
  check_export("conv3x3:8,maxpool2,relu,avgpool2,fc:7,relu6,fc:10", 1);
  /* SAME padding with stride 2 on even sizes: the extra row/column of
   * padding goes at the bottom/right, as TFLite does */
  check_export("conv3x3:6:same:s2,relu,dw3x3:same:s2,conv4x4:5:same,fc:10", 1);
  return tt_done("test_train_export");
}
