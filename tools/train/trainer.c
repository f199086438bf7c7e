/*
** trainer.c: the batch runner (forward, loss, backward, gradient
** reduction and optimizer step as one parallel job per batch), the
** training loop with its progress bar, evaluation and inference.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gemm.h"
#include "pool.h"
#include "train_internal.h"

#define GROUP_ROWS 1024 /* im2col rows per GEMM (images grouped) */
#define COLCACHE_BUDGET ((size_t)1 << 30) /* bytes of kept im2col data */

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double cpu_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int online_cpus(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : (int)n;
}

static int clamp_threads(int t) {
  if (t <= 0) t = online_cpus();
  return t > TR_CHUNKS ? TR_CHUNKS : t;
}

void tr_ws_free(tr_ws *ws) {
  if (!ws) return;
  tr_pool_free(ws->pool);
  /* act/aux arrays are sized by the layer count stored in act_len[0] */
  if (ws->act) {
    for (size_t i = 0; ws->act[i]; i++) free(ws->act[i]);
    free(ws->act);
  }
  free(ws->act_len);
  free(ws->gbuf[0]);
  free(ws->gbuf[1]);
  for (int c = 0; c < TR_CHUNKS; c++) free(ws->cgrad[c]);
  if (ws->aux) {
    for (size_t i = 0; ws->aux[i].quant_point >= 0; i++) {
      free(ws->aux[i].argmax);
      free(ws->aux[i].dmask);
      free(ws->aux[i].part);
      free(ws->aux[i].mean);
      free(ws->aux[i].invstd);
      free(ws->aux[i].qw);
    }
    free(ws->aux);
  }
  for (int t = 0; ws->col && t < ws->threads; t++) free(ws->col[t]);
  for (int t = 0; ws->gemm && t < ws->threads; t++) free(ws->gemm[t]);
  for (int t = 0; ws->dwt && t < ws->threads; t++) free(ws->dwt[t]);
  free(ws->dwt);
  free(ws->col);
  free(ws->gemm);
  for (int l = 0; ws->colcache && ws->colcache[l] != (float *)ws; l++)
    free(ws->colcache[l]);
  free(ws->colcache);
  free(ws->group);
  free(ws->soft);
  free(ws->pred);
  free(ws->labels);
  free(ws->idx);
  free(ws);
}

/* Whether layer l's output is a tensor of the exported graph (QAT). */
static int quant_point(const tr_net *net, int l) {
  if (net->layers[l].kind == TR_DROPOUT) return 0;
  if (l + 1 == net->n_layers) return 1;
  tr_kind k = net->layers[l + 1].kind;
  return k != TR_BN && k != TR_RELU && k != TR_RELU6;
}

static tr_ws *ws_new(tr_net *net, int batch, int threads, int train) {
  tr_ws *ws = calloc(1, sizeof *ws);
  if (!ws) return NULL;
  const int L = net->n_layers;
  ws->batch = batch;
  ws->threads = threads;
  ws->act = calloc((size_t)L + 2, sizeof(float *));
  ws->act_len = calloc((size_t)L + 1, sizeof(size_t));
  ws->aux = calloc((size_t)L + 1, sizeof(tr_laux));
  ws->group = calloc((size_t)L + 1, sizeof(int));
  ws->col = calloc((size_t)threads, sizeof(float *));
  ws->gemm = calloc((size_t)threads, sizeof(float *));
  if (!ws->act || !ws->act_len || !ws->aux || !ws->group || !ws->col ||
      !ws->gemm)
    goto oom;
  ws->aux[L].quant_point = -1; /* end marker for tr_ws_free */
  size_t maxlen = (size_t)net->in_h * net->in_w * net->in_c;
  ws->act_len[0] = maxlen;
  for (int l = 0; l < L; l++) {
    const tr_layer *Ly = &net->layers[l];
    ws->act_len[l + 1] = (size_t)Ly->out_h * Ly->out_w * Ly->out_c;
    if (ws->act_len[l + 1] > maxlen) maxlen = ws->act_len[l + 1];
  }
  for (int j = 0; j <= L; j++) {
    ws->act[j] = malloc(sizeof(float) * ws->act_len[j] * (size_t)batch);
    if (!ws->act[j]) goto oom;
  }
  ws->maxlen = maxlen;
  ws->gbuf[0] = malloc(sizeof(float) * maxlen * (size_t)batch);
  ws->gbuf[1] = malloc(sizeof(float) * maxlen * (size_t)batch);
  if (!ws->gbuf[0] || !ws->gbuf[1]) goto oom;
  for (int c = 0; c < TR_CHUNKS; c++) {
    ws->cgrad[c] = calloc(net->n_params ? net->n_params : 1, sizeof(float));
    if (!ws->cgrad[c]) goto oom;
  }
  size_t col = 1;
  int per_slice = (batch + TR_CHUNKS - 1) / TR_CHUNKS;
  for (int l = 0; l < L; l++) {
    tr_layer *Ly = &net->layers[l];
    tr_laux *A = &ws->aux[l];
    size_t olen = ws->act_len[l + 1];
    int pix = Ly->out_h * Ly->out_w;
    int g = GROUP_ROWS / (pix > 0 ? pix : 1);
    if (g < 1) g = 1;
    if (g > per_slice) g = per_slice;
    ws->group[l] = g;
    size_t need = tr_col_need(Ly, g);
    if (need > col) col = need;
    A->quant_point = quant_point(net, l);
    if (Ly->kind == TR_MAXPOOL) {
      A->argmax = malloc(sizeof(int32_t) * olen * (size_t)batch);
      if (!A->argmax) goto oom;
    }
    if (Ly->kind == TR_DROPOUT) {
      A->dmask = malloc(sizeof(float) * olen * (size_t)batch);
      if (!A->dmask) goto oom;
    }
    size_t C = (size_t)Ly->out_c;
    A->part = calloc(TR_CHUNKS * 2 * (C > 1 ? C : 1), sizeof(double));
    A->mean = calloc(C, sizeof(float));
    A->invstd = calloc(C, sizeof(float));
    if (!A->part || !A->mean || !A->invstd) goto oom;
    if (Ly->kind == TR_CONV || Ly->kind == TR_DW || Ly->kind == TR_FC) {
      A->qw = malloc(sizeof(float) * Ly->nw);
      if (!A->qw) goto oom;
    }
  }
  ws->col_len = col;
  /* keep each conv's im2col from forward to backward while it fits */
  ws->colcache = calloc((size_t)L + 1, sizeof(float *));
  if (!ws->colcache) goto oom;
  ws->colcache[L] = (float *)ws; /* end marker for tr_ws_free */
  size_t budget = train ? COLCACHE_BUDGET / sizeof(float) : 0;
  ws->train = train;
  for (int l = 0; l < L; l++) {
    size_t need = tr_col_need(&net->layers[l], 1) * (size_t)batch;
    if (!need || need > budget) continue;
    ws->colcache[l] = malloc(sizeof(float) * need);
    if (ws->colcache[l]) budget -= need;
  }
  size_t maxw = 1;
  for (int l = 0; l < L; l++)
    if (net->layers[l].kind == TR_CONV && net->layers[l].nw > maxw)
      maxw = net->layers[l].nw;
  ws->dwt = calloc((size_t)threads, sizeof(float *));
  if (!ws->dwt) goto oom;
  for (int t = 0; t < threads; t++) {
    ws->dwt[t] = malloc(sizeof(float) * maxw);
    if (!ws->dwt[t]) goto oom;
    ws->col[t] = malloc(sizeof(float) * col);
    ws->gemm[t] = malloc(sizeof(float) * TR_GEMM_SCRATCH);
    if (!ws->col[t] || !ws->gemm[t]) goto oom;
  }
  ws->soft = malloc(sizeof(float) * (size_t)batch * net->n_classes);
  ws->pred = malloc(sizeof(int32_t) * (size_t)batch);
  ws->labels = malloc((size_t)batch);
  ws->idx = malloc(sizeof(uint32_t) * (size_t)batch);
  if (!ws->soft || !ws->pred || !ws->labels || !ws->idx) goto oom;
  ws->pool = tr_pool_new(threads);
  if (!ws->pool) goto oom;
  ws->threads = tr_pool_size(ws->pool);
  return ws;
oom:
  tr_ws_free(ws);
  return NULL;
}

tr_ws *tr_ws_get(tr_net *net, int batch, int threads, int train) {
  threads = clamp_threads(threads);
  if (net->ws && net->ws->batch >= batch && net->ws->threads == threads &&
      (net->ws->train || !train))
    return net->ws;
  tr_ws_free(net->ws);
  net->ws = ws_new(net, batch, threads, train);
  return net->ws;
}

static int first_param_layer(const tr_net *net) {
  for (int l = 0; l < net->n_layers; l++)
    if (net->layers[l].nw) return l;
  return net->n_layers - 1;
}

/* One batch: every thread runs this with its tid. */
static void batch_job(void *arg, int tid) {
  tr_ctx *x = arg;
  tr_ws *ws = x->ws;
  tr_net *net = x->net;
  tr_pool *pool = ws->pool;
  const int T = ws->threads, L = net->n_layers;
  if (x->ds) {
    size_t len = ws->act_len[0];
    for (int c = tid; c < TR_CHUNKS; c += T) {
      int lo, hi;
      tr_slice(x->n, c, &lo, &hi);
      for (int r = lo; r < hi; r++)
        ds_sample_f32(x->ds, ws->idx[r], ws->act[0] + (size_t)r * len);
    }
  }
  for (int l = 0; l < L; l++) {
    int ns = tr_fwd_stages(x, l);
    for (int s = 0; s < ns; s++) {
      for (int c = tid; c < TR_CHUNKS; c += T) tr_fwd(x, l, s, c, tid);
      if (s < ns - 1) {
        tr_pool_barrier(pool, tid);
        if (tid == 0) tr_fwd_reduce(x, l, s);
        tr_pool_barrier(pool, tid);
      }
    }
  }
  for (int c = tid; c < TR_CHUNKS; c += T) tr_loss(x, c);
  if (!x->train) return;
  for (int l = L - 1; l >= x->first; l--) {
    int ns = tr_bwd_stages(x, l);
    for (int s = 0; s < ns; s++) {
      for (int c = tid; c < TR_CHUNKS; c += T) tr_bwd(x, l, s, c, tid);
      if (s < ns - 1) {
        tr_pool_barrier(pool, tid);
        if (tid == 0) tr_bwd_reduce(x, l, s);
        tr_pool_barrier(pool, tid);
      }
    }
  }
  tr_pool_barrier(pool, tid);
  /* sum the slices' gradients in slice order, then step, on my range */
  size_t P = net->n_params;
  size_t lo = P * (size_t)tid / (size_t)T, hi = P * (size_t)(tid + 1) / T;
  lo &= ~(size_t)15;
  hi = tid == T - 1 ? P : hi & ~(size_t)15;
  float *g = net->grads;
  for (size_t i = lo; i < hi; i++) {
    float s = ws->cgrad[0][i];
    for (int c = 1; c < TR_CHUNKS; c++) s += ws->cgrad[c][i];
    g[i] = s;
  }
  if (x->optim) {
    tr_optim_step(x->optim, net->params, g, lo, hi, x->lr, x->mom, x->wd);
    if (net->masks)
      for (size_t i = lo; i < hi; i++) net->params[i] *= net->masks[i];
  }
}

/* Run one batch of ws->idx/labels (or act[0] filled) through the net. */
static void run_batch(tr_ctx *x) {
  tr_pool_run(x->ws->pool, batch_job, x);
}

void tr_config_default(tr_config *cfg) {
  memset(cfg, 0, sizeof *cfg);
  cfg->epochs = 10;
  cfg->batch = 128;
  cfg->opt = TR_ADAM;
  cfg->lr = 1e-3f;
  cfg->momentum = 0.9f;
  cfg->sched = TR_SCHED_ONECYCLE;
  cfg->seed = 1;
  cfg->T = 4.0f;
  cfg->alpha = 0.0f;
}

static void fmt_time(double s, char *buf, size_t len) {
  if (s < 0) s = 0;
  if (s < 60)
    snprintf(buf, len, "%.1fs", s);
  else
    snprintf(buf, len, "%dm%02ds", (int)(s / 60), (int)fmod(s, 60));
}

static void progress_bar(int epoch, int epochs, int k, int nb, double loss,
                         double acc, double elapsed) {
  char bar[31], el[16], left[16];
  int fill = (int)(30.0 * k / nb);
  for (int i = 0; i < 30; i++) bar[i] = i < fill ? '#' : '.';
  bar[30] = 0;
  fmt_time(elapsed, el, sizeof el);
  fmt_time(k ? elapsed * (nb - k) / k : 0, left, sizeof left);
  fprintf(stderr,
          "\r\033[Kepoch %d/%d [%s] %d/%d loss %.4f acc %.2f%% %s, %s left",
          epoch, epochs, bar, k, nb, loss, 100 * acc, el, left);
  fflush(stderr);
}

static int check_set(const tr_net *net, const mote_dataset *ds, int labels,
                     char *err, size_t errlen) {
  if (!ds || ds->n == 0) {
    tr_set_err(err, errlen, "empty data set");
    return -1;
  }
  if ((int)ds->h != net->in_h || (int)ds->w != net->in_w ||
      (int)ds->c != net->in_c) {
    tr_set_err(err, errlen,
               "data set samples are %ux%ux%u, the net wants %dx%dx%d", ds->h,
               ds->w, ds->c, net->in_h, net->in_w, net->in_c);
    return -1;
  }
  if (labels && !ds->labels) {
    tr_set_err(err, errlen, "data set has no labels");
    return -1;
  }
  if (labels && (int)ds->n_classes > net->n_classes) {
    tr_set_err(err, errlen, "data set has %u classes, the net outputs %d",
               ds->n_classes, net->n_classes);
    return -1;
  }
  return 0;
}

double tr_evaluate(tr_net *net, const mote_dataset *ds, int threads, int qat,
                   uint32_t *confusion) {
  if (check_set(net, ds, 1, NULL, 0) != 0) return -1;
  int batch = net->ws ? net->ws->batch : 256;
  tr_ws *ws = tr_ws_get(net, batch, threads, 0);
  if (!ws) return -1;
  const int K = net->n_classes;
  if (confusion) memset(confusion, 0, sizeof(uint32_t) * K * K);
  if (qat) tr_quant_weights(net, ws);
  tr_ctx x = {.net = net, .ws = ws, .train = 0, .qat = qat, .ds = ds};
  long correct = 0;
  for (uint32_t b = 0; b < ds->n; b += (uint32_t)ws->batch) {
    uint32_t n =
        ds->n - b < (uint32_t)ws->batch ? ds->n - b : (uint32_t)ws->batch;
    for (uint32_t i = 0; i < n; i++) {
      ws->idx[i] = b + i;
      ws->labels[i] = ds->labels[b + i];
    }
    x.n = (int)n;
    run_batch(&x);
    for (uint32_t i = 0; i < n; i++) {
      correct += ws->pred[i] == ws->labels[i];
      if (confusion) confusion[ws->labels[i] * K + ws->pred[i]]++;
    }
  }
  return (double)correct / ds->n;
}

int tr_forward(tr_net *net, const float *xin, uint32_t n, int qat,
               float *logits) {
  int batch = net->ws ? net->ws->batch : 256;
  tr_ws *ws = tr_ws_get(net, batch, net->ws ? net->ws->threads : 0, 0);
  if (!ws) return -1;
  if (qat) tr_quant_weights(net, ws);
  const size_t len = ws->act_len[0], K = (size_t)net->n_classes;
  uint8_t *saved_labels = ws->labels;
  ws->labels = NULL;
  tr_ctx x = {.net = net, .ws = ws, .train = 0, .qat = qat};
  for (uint32_t b = 0; b < n; b += (uint32_t)ws->batch) {
    uint32_t m = n - b < (uint32_t)ws->batch ? n - b : (uint32_t)ws->batch;
    memcpy(ws->act[0], xin + (size_t)b * len, sizeof(float) * len * m);
    x.n = (int)m;
    run_batch(&x);
    memcpy(logits + (size_t)b * K, ws->act[net->n_layers],
           sizeof(float) * K * m);
  }
  ws->labels = saved_labels;
  return 0;
}

double tr_loss_grad(tr_net *net, const float *xin, const uint8_t *labels,
                    uint32_t n, uint64_t seed) {
  if (n == 0) return -1;
  int batch = net->ws && net->ws->batch > (int)n ? net->ws->batch : (int)n;
  tr_ws *ws = tr_ws_get(net, batch, net->ws ? net->ws->threads : 0, 1);
  if (!ws) return -1;
  memcpy(ws->act[0], xin, sizeof(float) * ws->act_len[0] * n);
  memcpy(ws->labels, labels, n);
  tr_ctx x = {.net = net,
              .ws = ws,
              .train = 1,
              .n = (int)n,
              .first = first_param_layer(net),
              .drop_seed = seed};
  run_batch(&x);
  double loss = 0;
  for (int c = 0; c < TR_CHUNKS; c++) loss += ws->loss[c];
  return loss / n;
}

int tr_train(tr_net *net, const mote_dataset *train, const mote_dataset *test,
             const tr_config *cfg, tr_result *res, char *err, size_t errlen) {
  tr_result r = {0};
  r.final_test_acc = r.best_test_acc = -1;
  if (check_set(net, train, 1, err, errlen) != 0) return -1;
  if (test && check_set(net, test, 1, err, errlen) != 0) return -1;
  if (cfg->epochs < 1 || cfg->batch < 1) {
    tr_set_err(err, errlen, "epochs and batch must be >= 1");
    return -1;
  }
  uint32_t N = cfg->limit && cfg->limit < train->n ? cfg->limit : train->n;
  tr_ws *ws = tr_ws_get(net, cfg->batch, cfg->threads, 1);
  uint32_t *perm = malloc(sizeof(uint32_t) * N);
  tr_optim opt;
  if (!ws || !perm || tr_optim_init(&opt, cfg->opt, net->n_params) != 0) {
    free(perm);
    tr_set_err(err, errlen, "out of memory");
    return -1;
  }
  for (uint32_t i = 0; i < N; i++) perm[i] = i;
  const int B = cfg->batch;
  const long nb = (long)((N + (uint32_t)B - 1) / (uint32_t)B);
  const long total = nb * cfg->epochs;
  uint64_t rng = cfg->seed * 0x9E3779B97F4A7C15ull + 0x7472616Eull;
  tr_ctx x = {.net = net,
              .ws = ws,
              .train = 1,
              .qat = cfg->qat,
              .first = first_param_layer(net),
              .ds = train,
              .optim = &opt,
              .wd = cfg->weight_decay,
              .T = cfg->T,
              .alpha = cfg->soft ? cfg->alpha : 0.0f};
  int rc = 0;
  double t_all = 0;
  long step = 0;
  for (int e = 1; e <= cfg->epochs; e++) {
    for (uint32_t i = N - 1; i > 0; i--) { /* Fisher-Yates */
      uint32_t j = (uint32_t)(tr_rng_next(&rng) % (i + 1));
      uint32_t t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    double t0 = now_s(), c0 = cpu_s(), loss_sum = 0, last_draw = 0;
    long correct = 0, seen = 0;
    for (long b = 0; b < nb; b++, step++) {
      uint32_t off = (uint32_t)(b * B);
      int n = N - off < (uint32_t)B ? (int)(N - off) : B;
      for (int i = 0; i < n; i++) {
        ws->idx[i] = perm[off + i];
        ws->labels[i] = train->labels[perm[off + i]];
      }
      if (cfg->soft &&
          cfg->soft(cfg->soft_user, ws->idx, (uint32_t)n, ws->soft) != 0) {
        tr_set_err(err, errlen, "soft-target provider failed at step %ld",
                   step);
        rc = -1;
        goto done;
      }
      x.n = n;
      x.lr = tr_lr_at(cfg->sched, cfg->lr, step, total,
                      cfg->opt == TR_ADAM ? 0.9 : cfg->momentum, &x.mom);
      x.drop_seed = cfg->seed ^ ((uint64_t)step * 0xD1B54A32D192ED03ull);
      tr_optim_tick(&opt);
      if (cfg->qat) tr_quant_weights(net, ws);
      run_batch(&x);
      for (int c = 0; c < TR_CHUNKS; c++) {
        loss_sum += ws->loss[c];
        correct += ws->correct[c];
      }
      seen += n;
      if (cfg->progress == 1) {
        double t = now_s() - t0;
        if (t - last_draw > 0.1 || b == nb - 1) {
          last_draw = t;
          progress_bar(e, cfg->epochs, (int)b + 1, (int)nb, loss_sum / seen,
                       (double)correct / seen, t);
        }
      }
    }
    double secs = now_s() - t0, csecs = cpu_s() - c0;
    t_all += secs;
    if (cfg->progress == 1) fprintf(stderr, "\r\033[K");
    r.epochs_run = e;
    r.final_train_loss = loss_sum / seen;
    r.final_train_acc = (double)correct / seen;
    if (test) {
      r.final_test_acc = tr_evaluate(net, test, cfg->threads, cfg->qat, NULL);
      if (r.final_test_acc > r.best_test_acc)
        r.best_test_acc = r.final_test_acc;
    }
    if (cfg->on_epoch) {
      tr_epoch_stats s = {.epoch = e,
                          .epochs = cfg->epochs,
                          .train_loss = r.final_train_loss,
                          .train_acc = r.final_train_acc,
                          .test_acc = test ? r.final_test_acc : -1,
                          .seconds = secs,
                          .cpu_seconds = csecs};
      if (cfg->on_epoch(cfg->user, &s) != 0) break;
    }
  }
done:
  r.seconds = t_all;
  r.sec_per_epoch = r.epochs_run ? t_all / r.epochs_run : 0;
  if (res) *res = r;
  tr_optim_free(&opt);
  free(perm);
  return rc;
}
