/*
** hi.c: hierarchical inference decision module (see mote_hi.h): scores
** of the local output, the five rules, the Hedge learner of the online
** rule, the offload step with fallback, and the offline logistic fit.
*/
#include <math.h>
#include <string.h>

#include "mote/mote_hi.h"

/* A read-only sequence of floats: a float array or a tensor view. */
typedef struct hi_src {
  const float *v;
  const mote_tensor *t;
  size_t n;
} hi_src;

static float hi_get(const hi_src *s, size_t i) {
  const mote_tensor *t = s->t;
  float q;
  if (s->v) return s->v[i];
  switch (t->type) {
    case MOTE_FLOAT32:
      return ((const float *)t->data)[i];
    case MOTE_INT8:
      q = (float)((const int8_t *)t->data)[i];
      break;
    case MOTE_UINT8:
      q = (float)((const uint8_t *)t->data)[i];
      break;
    case MOTE_INT16:
      q = (float)((const int16_t *)t->data)[i];
      break;
    default:
      return 0.0f;
  }
  if (t->nscale == 0) return q;
  return (q - (float)t->zero_point) * t->scale;
}

mote_hi_config mote_hi_config_default(void) {
  mote_hi_config c;
  memset(&c, 0, sizeof c);
  c.rule = MOTE_HI_MAXPROB;
  c.kind = MOTE_HI_PROBS;
  c.threshold = 0.5f;
  c.logreg[0] = 0.0f;
  c.logreg[1] = 1.0f;
  c.logreg[2] = 0.0f;
  c.timeout_ms = 200u;
  c.eta = 0.05f;
  c.explore = 0.05f;
  c.offload_cost = 0.2f;
  c.seed = 1u;
  return c;
}

const char *mote_hi_rule_name(mote_hi_rule r) {
  switch (r) {
    case MOTE_HI_MAXPROB:
      return "maxprob";
    case MOTE_HI_MARGIN:
      return "margin";
    case MOTE_HI_ENTROPY:
      return "entropy";
    case MOTE_HI_LOGREG:
      return "logreg";
    case MOTE_HI_ONLINE:
      return "online";
  }
  return "unknown";
}

/* Threshold of expert k of K. */
static float hi_expert_t(uint32_t k, uint32_t K) {
  return (float)k / (float)(K - 1u);
}

mote_status mote_hi_init(mote_hi *h, const mote_hi_config *cfg, float *remote,
                         size_t remote_cap) {
  uint32_t k;
  if (!h || !cfg) return MOTE_E_ARG;
  if ((unsigned)cfg->rule > (unsigned)MOTE_HI_ONLINE) return MOTE_E_ARG;
  if ((unsigned)cfg->kind > (unsigned)MOTE_HI_LOGITS) return MOTE_E_ARG;
  if (!(cfg->threshold == cfg->threshold)) return MOTE_E_ARG; /* NaN */
  if (cfg->rule == MOTE_HI_ONLINE) {
    if (!cfg->weights || cfg->nweights < 2u ||
        cfg->nweights > MOTE_HI_MAX_EXPERTS)
      return MOTE_E_ARG;
    if (!(cfg->eta > 0.0f) || !(cfg->explore >= 0.0f) ||
        !(cfg->explore <= 1.0f) || !(cfg->offload_cost >= 0.0f))
      return MOTE_E_ARG;
  }
  memset(h, 0, sizeof *h);
  h->cfg = *cfg;
  h->rng = cfg->seed ? cfg->seed : 1u;
  h->remote = remote;
  h->remote_cap = remote ? remote_cap : 0u;
  if (cfg->rule == MOTE_HI_ONLINE)
    for (k = 0; k < cfg->nweights; k++) cfg->weights[k] = 1.0f;
  return MOTE_OK;
}

/* Scores from any source. Two passes, no storage. */
static mote_status hi_scores(const hi_src *src, mote_hi_kind kind,
                             mote_hi_scores *s) {
  size_t i, n = src->n;
  float mx, sum = 0.0f, acc = 0.0f, h;
  uint32_t t1 = 0, t2 = 1;
  if (n < 2u || n > 0xffffffffu || !s) return MOTE_E_ARG;
  /* top-2 by raw value (monotone in probability for both kinds) */
  if (hi_get(src, 1) > hi_get(src, 0)) {
    t1 = 1;
    t2 = 0;
  }
  for (i = 2; i < n; i++) {
    float x = hi_get(src, i);
    if (x > hi_get(src, t1)) {
      t2 = t1;
      t1 = (uint32_t)i;
    } else if (x > hi_get(src, t2)) {
      t2 = (uint32_t)i;
    }
  }
  mx = hi_get(src, t1);
  if (kind == MOTE_HI_LOGITS) {
    /* p_i = e^(z_i - m) / S; H = ln S - sum(e^(z_i - m) (z_i - m)) / S */
    for (i = 0; i < n; i++) {
      float d = hi_get(src, i) - mx;
      float e = expf(d);
      sum += e;
      acc += e * d;
    }
    s->p1 = 1.0f / sum;
    s->p2 = expf(hi_get(src, t2) - mx) / sum;
    h = logf(sum) - acc / sum;
  } else {
    /* normalise by the sum (quantized probabilities do not add to 1):
     * q_i = p_i / S; H = ln S - sum(p_i ln p_i) / S */
    for (i = 0; i < n; i++) {
      float p = hi_get(src, i);
      if (p > 0.0f) {
        sum += p;
        acc += p * logf(p);
      }
    }
    if (!(sum > 0.0f)) {
      s->p1 = s->p2 = 1.0f / (float)n;
      h = logf((float)n);
    } else {
      float p2 = hi_get(src, t2);
      s->p1 = mx > 0.0f ? mx / sum : 0.0f;
      s->p2 = p2 > 0.0f ? p2 / sum : 0.0f;
      h = logf(sum) - acc / sum;
    }
  }
  h /= logf((float)n);
  if (!(h >= 0.0f)) h = 0.0f;
  if (h > 1.0f) h = 1.0f;
  s->classes = (uint32_t)n;
  s->top1 = t1;
  s->top2 = t2;
  s->margin = s->p1 - s->p2;
  s->entropy = h;
  return MOTE_OK;
}

mote_status mote_hi_scores_f32(const float *v, size_t n, mote_hi_kind kind,
                               mote_hi_scores *s) {
  hi_src src;
  if (!v) return MOTE_E_ARG;
  src.v = v;
  src.t = NULL;
  src.n = n;
  return hi_scores(&src, kind, s);
}

mote_status mote_hi_scores_tensor(const mote_tensor *out, mote_hi_kind kind,
                                  mote_hi_scores *s) {
  hi_src src;
  if (!out || !out->data) return MOTE_E_ARG;
  if (out->type != MOTE_FLOAT32 && out->type != MOTE_INT8 &&
      out->type != MOTE_UINT8 && out->type != MOTE_INT16)
    return MOTE_E_ARG;
  src.v = NULL;
  src.t = out;
  src.n = out->count;
  return hi_scores(&src, kind, s);
}

static float hi_sigmoid(float x) {
  if (x >= 0.0f) return 1.0f / (1.0f + expf(-x));
  return expf(x) / (1.0f + expf(x));
}

float mote_hi_confidence(const mote_hi *h, const mote_hi_scores *s) {
  const float *w = h->cfg.logreg;
  switch (h->cfg.rule) {
    case MOTE_HI_MARGIN:
      return s->margin;
    case MOTE_HI_ENTROPY:
      return 1.0f - s->entropy;
    case MOTE_HI_LOGREG:
      return hi_sigmoid(w[0] + w[1] * s->p1 + w[2] * s->p2);
    case MOTE_HI_MAXPROB:
    case MOTE_HI_ONLINE:
      break;
  }
  return s->p1;
}

/* Uniform in [0, 1) from xorshift32. */
static float hi_rand(mote_hi *h) {
  uint32_t x = h->rng;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  h->rng = x;
  return (float)(x >> 8) * (1.0f / 16777216.0f);
}

/* ONLINE: mass of the experts that would offload a sample of score c. */
static float hi_offload_mass(const mote_hi *h, float c, float *total) {
  uint32_t k, K = h->cfg.nweights;
  float off = 0.0f, all = 0.0f;
  for (k = 0; k < K; k++) {
    all += h->cfg.weights[k];
    if (c < hi_expert_t(k, K)) off += h->cfg.weights[k];
  }
  *total = all;
  return off;
}

int mote_hi_decide(mote_hi *h, const mote_hi_scores *s) {
  float c = mote_hi_confidence(h, s);
  int off;
  h->cnt.samples++;
  h->last_conf = c;
  h->last_pobs = 1.0f;
  if (h->cfg.rule == MOTE_HI_ONLINE) {
    float total, q = hi_offload_mass(h, c, &total);
    float pq = total > 0.0f ? q / total : 1.0f;
    float eps = h->cfg.explore;
    /* following a weight-drawn expert offloads with probability pq */
    off = hi_rand(h) < pq;
    if (!off && eps > 0.0f && hi_rand(h) < eps) {
      off = 1;
      h->cnt.explored++;
    }
    h->last_pobs = pq + (1.0f - pq) * eps;
  } else {
    off = c < h->cfg.threshold;
  }
  if (off)
    h->cnt.offloaded++;
  else
    h->cnt.local++;
  return off;
}

void mote_hi_feedback(mote_hi *h, const mote_hi_scores *local,
                      uint32_t remote_label, int remote_ok) {
  uint32_t k, K = h->cfg.nweights;
  float c = h->last_conf, mx = 0.0f, err = 0.0f;
  float *w = h->cfg.weights;
  if (h->cfg.rule != MOTE_HI_ONLINE) return;
  if (remote_ok && local->top1 != remote_label && h->last_pobs > 0.0f)
    err = 1.0f / h->last_pobs;
  for (k = 0; k < K; k++) {
    float loss = c < hi_expert_t(k, K) ? h->cfg.offload_cost : err;
    w[k] *= expf(-h->cfg.eta * loss);
    if (w[k] > mx) mx = w[k];
  }
  if (mx > 0.0f && mx < 1e-3f) /* rescale before underflow */
    for (k = 0; k < K; k++) w[k] /= mx;
  if (!(mx > 0.0f))
    for (k = 0; k < K; k++) w[k] = 1.0f;
}

mote_status mote_hi_step(mote_hi *h, const mote_tensor *input,
                         const mote_tensor *local_out, mote_hi_transport tp,
                         void *user, mote_hi_result *r) {
  mote_hi_scores s, rs;
  mote_status st;
  size_t n = 0;
  int ts, ok = 0;
  if (!h || !input || !local_out || !r) return MOTE_E_ARG;
  st = mote_hi_scores_tensor(local_out, h->cfg.kind, &s);
  if (st != MOTE_OK) return st;
  memset(r, 0, sizeof *r);
  r->local_label = r->label = s.top1;
  r->confidence = mote_hi_confidence(h, &s);
  r->source = MOTE_HI_FROM_LOCAL;
  if (!mote_hi_decide(h, &s)) {
    mote_hi_feedback(h, &s, 0u, 0);
    return MOTE_OK;
  }
  r->source = MOTE_HI_FROM_FALLBACK;
  if (!tp || !h->remote || h->remote_cap < s.classes) {
    ts = MOTE_HI_T_ERROR;
  } else {
    ts = tp(user, input, h->remote, h->remote_cap, &n, h->cfg.timeout_ms);
    if (ts == MOTE_HI_T_OK && n != s.classes) ts = MOTE_HI_T_BAD_REPLY;
    if (ts == MOTE_HI_T_OK &&
        mote_hi_scores_f32(h->remote, n, h->cfg.kind, &rs) != MOTE_OK)
      ts = MOTE_HI_T_BAD_REPLY;
  }
  r->transport_status = ts;
  if (ts == MOTE_HI_T_OK) {
    ok = 1;
    h->cnt.remote_ok++;
    r->remote_label = r->label = rs.top1;
    r->source = MOTE_HI_FROM_REMOTE;
    if (rs.top1 == s.top1)
      h->cnt.agree++;
    else
      h->cnt.disagree++;
  } else {
    h->cnt.remote_failed++;
    if (ts == MOTE_HI_T_TIMEOUT)
      h->cnt.failed_timeout++;
    else if (ts == MOTE_HI_T_BAD_REPLY)
      h->cnt.failed_bad_reply++;
    else
      h->cnt.failed_error++;
  }
  mote_hi_feedback(h, &s, r->remote_label, ok);
  return MOTE_OK;
}

const mote_hi_counters *mote_hi_get_counters(const mote_hi *h) {
  return &h->cnt;
}

float mote_hi_threshold(const mote_hi *h) {
  uint32_t k, K = h->cfg.nweights;
  float sw = 0.0f, st = 0.0f;
  if (h->cfg.rule != MOTE_HI_ONLINE) return h->cfg.threshold;
  for (k = 0; k < K; k++) {
    sw += h->cfg.weights[k];
    st += h->cfg.weights[k] * hi_expert_t(k, K);
  }
  return sw > 0.0f ? st / sw : 0.5f;
}

float mote_hi_best_threshold(const mote_hi *h) {
  uint32_t k, best = 0, K = h->cfg.nweights;
  if (h->cfg.rule != MOTE_HI_ONLINE) return h->cfg.threshold;
  for (k = 1; k < K; k++)
    if (h->cfg.weights[k] > h->cfg.weights[best]) best = k;
  return hi_expert_t(best, K);
}

mote_status mote_hi_logreg_fit(const float *p1, const float *p2,
                               const uint8_t *correct, size_t n, uint32_t iters,
                               float lr, float w[3]) {
  uint32_t it;
  size_t i;
  if (!p1 || !p2 || !correct || !w || n == 0 || !(lr > 0.0f)) return MOTE_E_ARG;
  for (it = 0; it < iters; it++) {
    double g0 = 0.0, g1 = 0.0, g2 = 0.0;
    for (i = 0; i < n; i++) {
      float y = correct[i] ? 1.0f : 0.0f;
      float d = hi_sigmoid(w[0] + w[1] * p1[i] + w[2] * p2[i]) - y;
      g0 += d;
      g1 += (double)(d * p1[i]);
      g2 += (double)(d * p2[i]);
    }
    w[0] -= lr * (float)(g0 / (double)n);
    w[1] -= lr * (float)(g1 / (double)n);
    w[2] -= lr * (float)(g2 / (double)n);
  }
  return MOTE_OK;
}
