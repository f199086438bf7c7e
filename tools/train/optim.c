/*
** optim.c: SGD with momentum and Adam (torch.optim semantics) and the
** learning-rate schedules (const, step, cosine, PyTorch's OneCycleLR).
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gemm.h"
#include "train.h"

#define TR_PI 3.14159265358979323846

int tr_optim_init(tr_optim *o, tr_opt opt, size_t n) {
  memset(o, 0, sizeof *o);
  o->opt = opt;
  o->n = n;
  o->m = calloc(n ? n : 1, sizeof(float));
  o->v = opt == TR_ADAM ? calloc(n ? n : 1, sizeof(float)) : NULL;
  if (!o->m || (opt == TR_ADAM && !o->v)) {
    tr_optim_free(o);
    return -1;
  }
  return 0;
}

void tr_optim_free(tr_optim *o) {
  free(o->m);
  free(o->v);
  o->m = o->v = NULL;
}

void tr_optim_tick(tr_optim *o) {
  o->t++;
}

void tr_optim_step(tr_optim *o, float *p, const float *g, size_t lo, size_t hi,
                   double lr, double mom, double wd) {
  const float fwd = (float)wd;
  if (o->opt == TR_SGD) {
    const float fm = (float)mom, flr = (float)lr;
    const int first = o->t <= 1;
    for (size_t i = lo; i < hi; i++) {
      float gi = g[i] + fwd * p[i];
      float b = first ? gi : fm * o->m[i] + gi;
      o->m[i] = b;
      p[i] -= flr * b;
    }
    return;
  }
  /* Adam as torch.optim.Adam (non-fused, amsgrad off): beta1 = mom */
  const double b1 = mom, b2 = 0.999, eps = 1e-8;
  const double bc1 = 1.0 - pow(b1, (double)o->t);
  const double bc2 = 1.0 - pow(b2, (double)o->t);
  const float step = (float)(lr / bc1), sbc2 = (float)sqrt(bc2);
  const float fb1 = (float)b1, fb2 = (float)b2, feps = (float)eps;
  if (tr_gemm_uses_avx2()) {
    tr_adam_avx2(p + lo, g + lo, o->m + lo, o->v + lo, hi - lo, step, sbc2, fb1,
                 fb2, feps, fwd);
    return;
  }
  for (size_t i = lo; i < hi; i++) {
    float gi = g[i] + fwd * p[i];
    float m = o->m[i] + (gi - o->m[i]) * (1.0f - fb1);
    float v = o->v[i] * fb2 + (1.0f - fb2) * gi * gi;
    o->m[i] = m;
    o->v[i] = v;
    float denom = sqrtf(v) / sbc2 + feps;
    p[i] -= step * (m / denom);
  }
}

static double cos_anneal(double start, double end, double pct) {
  return end + (start - end) / 2.0 * (cos(TR_PI * pct) + 1.0);
}

double tr_lr_at(tr_sched s, double lr, long step, long total, double base_mom,
                double *mom) {
  if (mom) *mom = base_mom;
  if (total < 1) total = 1;
  switch (s) {
    case TR_SCHED_CONST:
      return lr;
    case TR_SCHED_STEP:
      if (step >= total * 3 / 4) return lr * 0.01;
      if (step >= total / 2) return lr * 0.1;
      return lr;
    case TR_SCHED_COSINE:
      return lr * 0.5 * (1.0 + cos(TR_PI * (double)step / (double)total));
    case TR_SCHED_ONECYCLE:
    default: {
      const double initial = lr / 25.0, min_lr = initial / 1e4;
      const double max_m = 0.95, base_m = 0.85;
      const double end1 = 0.3 * (double)total - 1.0, end2 = (double)total - 1;
      double st = (double)step, pct, out, m;
      if (st <= end1) {
        pct = st / end1;
        out = cos_anneal(initial, lr, pct);
        m = cos_anneal(max_m, base_m, pct);
      } else {
        pct = (st - end1) / (end2 - end1);
        out = cos_anneal(lr, min_lr, pct);
        m = cos_anneal(base_m, max_m, pct);
      }
      if (mom) *mom = m;
      return out;
    }
  }
}
