/*
** test_train_optim.c: Adam and SGD steps on a known quadratic against
** hand-computed values (torch.optim semantics), convergence, and the
** learning-rate schedules (one-cycle as PyTorch's OneCycleLR) at known
** steps.
*/
#include <string.h>

#include "train/train.h"
#include "tt.h"

#define PI 3.14159265358979323846

static int close_to(double a, double b, double tol) {
  return fabs(a - b) <= tol * (fabs(b) > 1 ? fabs(b) : 1);
}

/* f(p) = 0.5 * sum a_i (p_i - c_i)^2, gradient a_i (p_i - c_i). */
static const float kA[3] = {1.0f, 4.0f, 0.25f};
static const float kC[3] = {1.0f, -2.0f, 3.0f};
static void grad(const float *p, float *g) {
  for (int i = 0; i < 3; i++) g[i] = kA[i] * (p[i] - kC[i]);
}

static void test_adam(void) {
  tr_optim o;
  CHECK(tr_optim_init(&o, TR_ADAM, 3) == 0, "init");
  float p[3] = {0, 0, 0}, g[3];
  /* step 1: m = 0.1 g, v = 0.001 g^2; bias-corrected: p -= lr g/(|g|+eps) */
  grad(p, g);
  tr_optim_tick(&o);
  tr_optim_step(&o, p, g, 0, 3, 0.1, 0.9, 0.0);
  double e0 = -0.1 * (-1.0) / (1.0 + 1e-8), e1 = -0.1 * 8.0 / (8.0 + 1e-8);
  CHECK(close_to(p[0], e0, 1e-6) && close_to(p[1], e1, 1e-6) &&
            close_to(p[2], 0.1, 1e-6),
        "adam step 1: %.8f %.8f %.8f", p[0], p[1], p[2]);
  /* step 2 by hand (double) */
  double m[3], v[3], q[3] = {e0, e1, 0.1}, g1[3] = {-1, 8, -0.75};
  for (int i = 0; i < 3; i++) {
    m[i] = 0.1 * g1[i];
    v[i] = 0.001 * g1[i] * g1[i];
  }
  grad(p, g);
  for (int i = 0; i < 3; i++) {
    double gi = kA[i] * (q[i] - kC[i]);
    m[i] = 0.9 * m[i] + 0.1 * gi;
    v[i] = 0.999 * v[i] + 0.001 * gi * gi;
    double bc1 = 1 - 0.81, bc2 = 1 - 0.999 * 0.999;
    q[i] -= 0.1 / bc1 * m[i] / (sqrt(v[i]) / sqrt(bc2) + 1e-8);
  }
  tr_optim_tick(&o);
  tr_optim_step(&o, p, g, 0, 3, 0.1, 0.9, 0.0);
  for (int i = 0; i < 3; i++)
    CHECK(close_to(p[i], q[i], 1e-5), "adam step 2 [%d]: %.7f vs %.7f", i, p[i],
          q[i]);
  for (int t = 0; t < 3000; t++) {
    grad(p, g);
    tr_optim_tick(&o);
    tr_optim_step(&o, p, g, 0, 3, 0.01, 0.9, 0.0);
  }
  for (int i = 0; i < 3; i++)
    CHECK(fabsf(p[i] - kC[i]) < 1e-2, "adam converges [%d]: %f", i, p[i]);
  tr_optim_free(&o);
}

static void test_sgd(void) {
  tr_optim o;
  CHECK(tr_optim_init(&o, TR_SGD, 3) == 0, "init");
  float p[3] = {0, 0, 0}, g[3];
  const double lr = 0.05, mom = 0.9, wd = 0.01;
  double q[3] = {0, 0, 0}, buf[3];
  for (int t = 1; t <= 3; t++) {
    grad(p, g);
    tr_optim_tick(&o);
    tr_optim_step(&o, p, g, 0, 3, lr, mom, wd);
    for (int i = 0; i < 3; i++) {
      double gi = kA[i] * (q[i] - kC[i]) + wd * q[i];
      buf[i] = t == 1 ? gi : mom * buf[i] + gi;
      q[i] -= lr * buf[i];
    }
    for (int i = 0; i < 3; i++)
      CHECK(close_to(p[i], q[i], 1e-5), "sgd step %d [%d]: %.7f vs %.7f", t, i,
            p[i], q[i]);
  }
  /* exact first step without weight decay: p = -lr * g0 */
  tr_optim o2;
  tr_optim_init(&o2, TR_SGD, 3);
  float p2[3] = {0, 0, 0};
  grad(p2, g);
  tr_optim_tick(&o2);
  tr_optim_step(&o2, p2, g, 0, 3, 0.5, 0.9, 0.0);
  CHECK(p2[0] == 0.5f && p2[1] == -4.0f && p2[2] == 0.375f,
        "sgd step 1: %g %g %g", p2[0], p2[1], p2[2]);
  for (int t = 0; t < 500; t++) {
    grad(p, g);
    tr_optim_tick(&o);
    tr_optim_step(&o, p, g, 0, 3, 0.05, 0.9, 0.0);
  }
  for (int i = 0; i < 3; i++)
    CHECK(fabsf(p[i] - kC[i]) < 1e-3, "sgd converges [%d]: %f", i, p[i]);
  tr_optim_free(&o);
  tr_optim_free(&o2);
}

static void test_schedules(void) {
  /* OneCycleLR(max_lr=1e-3, total_steps=100): initial 4e-5, peak at step
   * 29 (= 0.3*100 - 1), final 4e-9 at step 99; momentum 0.95/0.85/0.95 */
  const double mx = 1e-3, init = mx / 25, fin = init / 1e4;
  double mom;
  double lr = tr_lr_at(TR_SCHED_ONECYCLE, mx, 0, 100, 0.9, &mom);
  CHECK(close_to(lr, init, 1e-9) && close_to(mom, 0.95, 1e-12),
        "onecycle step 0: %g %g", lr, mom);
  lr = tr_lr_at(TR_SCHED_ONECYCLE, mx, 29, 100, 0.9, &mom);
  CHECK(close_to(lr, mx, 1e-9) && close_to(mom, 0.85, 1e-12),
        "onecycle step 29: %g %g", lr, mom);
  lr = tr_lr_at(TR_SCHED_ONECYCLE, mx, 99, 100, 0.9, &mom);
  CHECK(close_to(lr, fin, 1e-9) && close_to(mom, 0.95, 1e-12),
        "onecycle step 99: %g %g", lr, mom);
  /* step 10: pct 10/29 of the warm-up */
  double pct = 10.0 / 29.0;
  double want = mx + (init - mx) / 2 * (cos(PI * pct) + 1);
  double wm = 0.85 + (0.95 - 0.85) / 2 * (cos(PI * pct) + 1);
  lr = tr_lr_at(TR_SCHED_ONECYCLE, mx, 10, 100, 0.9, &mom);
  CHECK(close_to(lr, want, 1e-9) && close_to(mom, wm, 1e-9),
        "onecycle step 10: %.10g vs %.10g, %g vs %g", lr, want, mom, wm);
  /* step 64: pct (64-29)/(99-29) = 0.5 of the anneal: midpoint */
  lr = tr_lr_at(TR_SCHED_ONECYCLE, mx, 64, 100, 0.9, &mom);
  CHECK(close_to(lr, (mx + fin) / 2, 1e-9) && close_to(mom, 0.9, 1e-9),
        "onecycle step 64: %.10g, %g", lr, mom);
  /* 4690 steps (10 epochs of 469): peak at 1406 */
  lr = tr_lr_at(TR_SCHED_ONECYCLE, mx, 1406, 4690, 0.9, &mom);
  CHECK(close_to(lr, mx, 1e-9), "onecycle 4690 peak: %g", lr);
  lr = tr_lr_at(TR_SCHED_COSINE, 0.1, 50, 100, 0.9, &mom);
  CHECK(close_to(lr, 0.05, 1e-9) && mom == 0.9, "cosine mid: %g", lr);
  CHECK(
      close_to(tr_lr_at(TR_SCHED_STEP, 0.1, 49, 100, 0.9, NULL), 0.1, 1e-12) &&
          close_to(tr_lr_at(TR_SCHED_STEP, 0.1, 50, 100, 0.9, NULL), 0.01,
                   1e-12) &&
          close_to(tr_lr_at(TR_SCHED_STEP, 0.1, 75, 100, 0.9, NULL), 0.001,
                   1e-12),
      "step schedule");
  CHECK(tr_lr_at(TR_SCHED_CONST, 0.1, 77, 100, 0.9, NULL) == 0.1,
        "const schedule");
}

int main(void) {
  test_adam();
  test_sgd();
  test_schedules();
  return tt_done("test_train_optim");
}
