/*
** test_train_grad.c: every layer's backward pass against central finite
** differences of the loss (float forward, double loss sums), on small
** nets where each layer kind sits between parameters.
*/
#include <string.h>

#include "train/train.h"
#include "tt.h"

/* Check all parameter gradients of `spec` on an h x w x c input. */
static void check_spec(const char *spec, int h, int w, int c, float xscale) {
  char err[256];
  tr_net *net = tr_net_new(spec, h, w, c, 7, err, sizeof err);
  CHECK(net != NULL, "%s: %s", spec, err);
  if (!net) return;
  const uint32_t n = 7; /* uneven slices, one slice with 1 sample */
  const size_t len = (size_t)h * w * c;
  float *x = malloc(sizeof(float) * len * n);
  uint8_t labels[7];
  uint64_t s = 42;
  for (size_t i = 0; i < len * n; i++) x[i] = tt_rand(&s, -1, 1) * xscale;
  for (uint32_t i = 0; i < n; i++) labels[i] = (uint8_t)(i % net->n_classes);
  /* bn/dw nets: jitter parameters so no two channels are alike */
  for (size_t i = 0; i < net->n_params; i++)
    net->params[i] += tt_rand(&s, -0.05f, 0.05f);
  double l0 = tr_loss_grad(net, x, labels, n, 99);
  CHECK(l0 > 0, "%s: loss %g", spec, l0);
  float *an = malloc(sizeof(float) * net->n_params);
  memcpy(an, net->grads, sizeof(float) * net->n_params);
  double num = 0, den = 0, worst = 0;
  size_t worst_i = 0;
  for (size_t i = 0; i < net->n_params; i++) {
    float keep = net->params[i];
    const float eps = 2e-3f;
    net->params[i] = keep + eps;
    double lp = tr_loss_grad(net, x, labels, n, 99);
    net->params[i] = keep - eps;
    double lm = tr_loss_grad(net, x, labels, n, 99);
    net->params[i] = keep;
    double fd = (lp - lm) / (2.0 * eps);
    double d = fd - an[i];
    num += d * d;
    den += (double)an[i] * an[i];
    double e = fabs(d) / (fabs(fd) + fabs(an[i]) + 1e-3);
    if (e > worst) worst = e, worst_i = i;
  }
  double rel = sqrt(num / (den > 1e-12 ? den : 1e-12));
  CHECK(rel < 1e-2,
        "%s: relative gradient error %.3g (worst param %zu: "
        "%.3g)",
        spec, rel, worst_i, worst);
  printf("  %-40s params %5zu  rel err %.2e  worst %.2e\n", spec, net->n_params,
         rel, worst);
  free(an);
  free(x);
  tr_net_free(net);
}

int main(void) {
  check_spec("fc:5", 3, 3, 2, 1);
  check_spec("fc:6,fc:5", 3, 3, 2, 1);
  check_spec("conv3x3:4,fc:5", 6, 6, 2, 1);
  check_spec("conv3x3:4:same,fc:5", 5, 5, 2, 1);
  check_spec("conv3x3:4:same:s2,fc:5", 6, 6, 3, 1);
  check_spec("conv3x3:3:s2,conv3x3:4:same,fc:5", 9, 9, 2, 1);
  check_spec("conv1x1:4,conv1x1:3,fc:5", 4, 4, 3, 1);
  check_spec("conv2x2:3,conv5x5:4:same,fc:5", 7, 7, 1, 1);
  check_spec("dw3x3,fc:5", 6, 6, 3, 1);
  check_spec("conv1x1:3,dw3x3:same,fc:5", 5, 5, 2, 1);
  check_spec("conv1x1:3,dw3x3:same:s2,fc:5", 6, 6, 2, 1);
  check_spec("conv3x3:4,bn,fc:5", 6, 6, 2, 1);
  check_spec("conv1x1:3,dw3x3:same,bn,fc:5", 5, 5, 2, 1);
  check_spec("fc:8,bn,fc:5", 4, 4, 1, 1);
  check_spec("conv3x3:4,relu,fc:5", 6, 6, 2, 1);
  check_spec("conv3x3:4,relu6,fc:5", 6, 6, 2, 12);
  check_spec("conv3x3:4,maxpool2,fc:5", 8, 8, 2, 1);
  check_spec("conv3x3:4,avgpool2,fc:5", 7, 7, 2, 1);
  check_spec("conv3x3:4,gap,fc:5", 6, 6, 2, 1);
  check_spec("fc:8,dropout:0.5,fc:5", 4, 4, 1, 1);
  check_spec(
      "conv3x3:4:same,bn,relu,maxpool2,dw3x3:same,bn,relu6,gap,"
      "fc:6,relu,dropout:0.2,fc:5",
      8, 8, 2, 1);
  return tt_done("test_train_grad");
}
