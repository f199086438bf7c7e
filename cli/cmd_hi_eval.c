/*
** cmd_hi_eval.c: `mote hi-eval LOCAL REMOTE`: hierarchical inference on a
** labelled data set. Runs the local model on every sample, starts `mote
** serve REMOTE` on loopback (or uses --url) and sends every sample to it
** once through the v2 HTTP client, measuring each request; then replays
** these measured answers and latencies for local-only, remote-only, every
** rule at every threshold and the online rule (the decision module of
** include/mote/mote_hi.h), and writes accuracy, fraction offloaded, bytes,
** latency p50/p99 and estimated device energy as a table, CSV, JSON and an
** SVG plot.
*/
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "data/dataset.h"
#include "data/feed.h"
#include "hi_report.h"
#include "v2_client.h"

#define NT 51 /* thresholds 0, 0.02, ..., 1 */

static void hi_usage(FILE *f) {
  fprintf(f,
          "usage: mote hi-eval LOCAL REMOTE [--dataset fashion-mnist]\n"
          "         [--data-dir DIR] [--limit N] [--csv F] [--json F]\n"
          "         [--svg F] [--binary] [--timeout MS] [--url URL]\n"
          "         [--offload-cost B] [--profile NAME] [--seed S]\n"
          "  LOCAL runs here; REMOTE is served by a `mote serve` started on\n"
          "  loopback (or --url: a running v2 server with model REMOTE).\n"
          "  --binary        binary tensor data instead of JSON bodies\n"
          "  --timeout MS    offload deadline (default 1000)\n"
          "  --offload-cost  online rule: cost of an offload in local errors"
          " (0.2)\n"
          "  --profile       energy profile: cortex-m4-wifi (default),"
          " cortex-m4-ble\n");
}

/* Is the model's last op a SOFTMAX (outputs are probabilities)? */
static mote_hi_kind out_kind(const mote_model *m) {
  uint32_t n = mote_model_op_count(m);
  const char *op = n ? mote_model_op_name(m, n - 1) : "";
  return op && strcmp(op, "SOFTMAX") == 0 ? MOTE_HI_PROBS : MOTE_HI_LOGITS;
}

/* MACs per inference of `path`, from `mote inspect --json`. */
static double model_macs(const char *path) {
  char cmd[8400], self[4096];
  ssize_t sl = readlink("/proc/self/exe", self, sizeof self - 1);
  if (sl <= 0 || strchr(path, '\'')) return 0;
  self[sl] = 0;
  snprintf(cmd, sizeof cmd, "'%s' inspect '%s' --json", self, path);
  FILE *p = popen(cmd, "r");
  char line[1024];
  double macs = 0;
  while (p && fgets(line, sizeof line, p)) /* the model total line */
    if (strncmp(line, "  \"macs\":", 9) == 0) macs = strtod(line + 9, NULL);
  if (p) pclose(p);
  return macs;
}

/* Start `mote serve SPEC --port 0` and read its port. */
static pid_t start_server(const char *spec, int *port) {
  int fd[2];
  if (pipe(fd) != 0) return -1;
  pid_t pid = fork();
  if (pid == 0) {
    dup2(fd[1], 1);
    close(fd[0]);
    close(fd[1]);
    execl("/proc/self/exe", "mote", "serve", spec, "--port", "0", "--threads",
          "1", (char *)NULL);
    _exit(127);
  }
  close(fd[1]);
  FILE *f = fdopen(fd[0], "r");
  char line[256];
  *port = 0;
  if (f && fgets(line, sizeof line, f)) {
    const char *c = strrchr(line, ':');
    if (c) *port = atoi(c + 1);
  }
  if (f) fclose(f);
  if (*port <= 0 && pid > 0) {
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
    return -1;
  }
  return pid;
}

/* Per-sample measurements. */
typedef struct hi_data {
  uint32_t n, classes;
  float *probs; /* n * classes local outputs (as the model gives them) */
  uint32_t *local, *remote;
  uint8_t *label, *remote_ok;
  double *local_us, *remote_us, *tx, *rx;
  double macs;
} hi_data;

/* Replay decisions off[i] (1: offload) into a row; remote_only: every
 * sample goes to the remote and no local inference runs. */
static void make_row(hi_row *r, const char *rule, double t, const hi_data *d,
                     const uint8_t *off, int remote_only, const hi_profile *p,
                     double *tmp) {
  double ok = 0, noff = 0, tx = 0, rx = 0, wait_ms = 0;
  for (uint32_t i = 0; i < d->n; i++) {
    int o = remote_only || off[i];
    uint32_t ans = o && d->remote_ok[i] ? d->remote[i] : d->local[i];
    ok += ans == d->label[i];
    tmp[i] = (remote_only ? 0.0 : d->local_us[i]) + (o ? d->remote_us[i] : 0);
    if (o) {
      noff++;
      tx += d->tx[i];
      rx += d->rx[i];
      wait_ms += d->remote_us[i] / 1e3 + p->link_rtt_ms;
    }
  }
  memset(r, 0, sizeof *r);
  snprintf(r->rule, sizeof r->rule, "%s", rule);
  r->threshold = t;
  r->accuracy = ok / d->n;
  r->offloaded = noff / d->n;
  r->bytes = (tx + rx) / d->n;
  r->p50_us = hi_percentile(tmp, d->n, 50);
  r->p99_us = hi_percentile(tmp, d->n, 99);
  r->energy_uj =
      (remote_only ? 0.0 : d->macs * p->mac_nj / 1e3) +
      (tx * p->tx_nj_per_byte + rx * p->rx_nj_per_byte) / 1e3 / d->n +
      wait_ms * p->wait_mw / d->n;
}

/* Run the local model over ds; fill probs, local, local_us. */
static int run_local(host_model *hm, const mote_dataset *ds, uint32_t n,
                     hi_data *d, float *x) {
  mote_tensor in, out;
  mote_model_input(&hm->m, 0, &in);
  mote_model_output(&hm->m, 0, &out);
  for (uint32_t i = 0; i < n; i++) {
    ds_sample_f32(ds, i, x);
    if (feed_input_f32(&in, x, ds_sample_len(ds)) != 0) return -1;
    double t0 = cli_now_us();
    if (mote_model_invoke(&hm->m) != MOTE_OK) return -1;
    mote_hi_scores s;
    float *pr = d->probs + (size_t)i * d->classes;
    read_output_f32(&out, pr, d->classes);
    if (d->local_us) d->local_us[i] = cli_now_us() - t0;
    mote_hi_scores_f32(pr, d->classes, MOTE_HI_PROBS, &s); /* top-1 only */
    d->local[i] = s.top1;
  }
  return 0;
}

int cmd_hi_eval(int argc, char **argv) {
  const char *paths[2] = {NULL, NULL}, *csv = NULL, *json = NULL, *svg = NULL;
  const char *dir = NULL, *url = NULL, *prof = "cortex-m4-wifi";
  long limit = 0, timeout = 1000;
  int binary = 0, np = 0;
  double beta = 0.2;
  unsigned seed = 1;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      hi_usage(stdout);
      return 0;
    } else if (!strcmp(a, "--binary")) {
      binary = 1;
      continue;
    } else if (a[0] != '-') {
      if (np == 2) {
        fprintf(stderr, "mote: hi-eval: too many models\n");
        return EXIT_USAGE;
      }
      paths[np++] = a;
      continue;
    }
    if (!v) {
      fprintf(stderr, "mote: hi-eval: %s needs a value\n", a);
      return EXIT_USAGE;
    }
    i++;
    if (!strcmp(a, "--dataset")) {
      if (strcmp(v, "fashion-mnist") != 0) {
        fprintf(stderr, "mote: hi-eval: --dataset %s: only fashion-mnist\n", v);
        return EXIT_USAGE;
      }
    } else if (!strcmp(a, "--data-dir"))
      dir = v;
    else if (!strcmp(a, "--limit"))
      limit = atol(v);
    else if (!strcmp(a, "--csv"))
      csv = v;
    else if (!strcmp(a, "--json"))
      json = v;
    else if (!strcmp(a, "--svg"))
      svg = v;
    else if (!strcmp(a, "--url"))
      url = v;
    else if (!strcmp(a, "--timeout"))
      timeout = atol(v);
    else if (!strcmp(a, "--offload-cost"))
      beta = atof(v);
    else if (!strcmp(a, "--seed"))
      seed = (unsigned)atol(v);
    else if (!strcmp(a, "--profile"))
      prof = v;
    else {
      fprintf(stderr, "mote: hi-eval: unknown option %s\n", a);
      hi_usage(stderr);
      return EXIT_USAGE;
    }
  }
  const hi_profile *pf = hi_profile_find(prof);
  if (np != 2 || !pf || limit < 0 || timeout <= 0 || !(beta >= 0)) {
    if (!pf)
      fprintf(stderr, "mote: hi-eval: unknown profile %s\n", prof);
    else
      fprintf(stderr, "mote: hi-eval: need LOCAL and REMOTE models\n");
    hi_usage(stderr);
    return EXIT_USAGE;
  }
  mote_dataset ds, train;
  char err[512];
  if (ds_load_fashion_mnist(&ds, dir, 1, err, sizeof err) != 0 ||
      ds_load_fashion_mnist(&train, dir, 0, err, sizeof err) != 0) {
    fprintf(stderr, "mote: hi-eval: %s\n", err);
    return EXIT_BAD_INPUT;
  }
  host_model lm;
  int rc = cli_load(&lm, paths[0]);
  if (rc) return rc;
  mote_tensor lin, lout;
  mote_model_input(&lm.m, 0, &lin);
  mote_model_output(&lm.m, 0, &lout);
  hi_data d;
  memset(&d, 0, sizeof d);
  d.n = limit && (uint32_t)limit < ds.n ? (uint32_t)limit : ds.n;
  d.classes = (uint32_t)lout.count;
  mote_hi_kind kind = out_kind(&lm.m);
  size_t sl = ds_sample_len(&ds);
  if (lin.count != sl || d.classes < 2) {
    fprintf(stderr, "mote: %s: input must have %zu elements\n", paths[0], sl);
    return EXIT_BAD_INPUT;
  }
  d.macs = model_macs(paths[0]);
  uint32_t nfit = train.n < 10000 ? train.n : 10000;
  size_t big = (size_t)(d.n > nfit ? d.n : nfit);
  d.probs = malloc(big * d.classes * sizeof *d.probs);
  d.local = calloc(big, sizeof *d.local);
  d.remote = calloc(d.n, sizeof *d.remote);
  d.label = ds.labels;
  d.remote_ok = calloc(d.n, 1);
  d.local_us = calloc(d.n, sizeof(double));
  d.remote_us = calloc(d.n, sizeof(double));
  d.tx = calloc(d.n, sizeof(double));
  d.rx = calloc(d.n, sizeof(double));
  double *tmp = calloc(big, sizeof(double));
  float *x = malloc(sl * sizeof *x), premote[64];
  uint8_t *off = calloc(big, 1), *ok = calloc(big, 1);
  float *p1 = calloc(big, sizeof(float)), *p2 = calloc(big, sizeof(float));
  hi_row *rows = calloc(4 * NT + 8, sizeof *rows);
  if (!d.probs || !d.local || !d.remote || !d.remote_ok || !d.local_us ||
      !d.remote_us || !d.tx || !d.rx || !tmp || !x || !off || !ok || !p1 ||
      !p2 || !rows) {
    fprintf(stderr, "mote: hi-eval: out of memory\n");
    return EXIT_RUNTIME;
  }
  /* 1. logistic rule fitted offline on the first 10,000 training images */
  hi_data fit = d;
  fit.local_us = NULL;
  if (run_local(&lm, &train, nfit, &fit, x) != 0) goto invoke_fail;
  for (uint32_t i = 0; i < nfit; i++) {
    mote_hi_scores s;
    mote_hi_scores_f32(d.probs + (size_t)i * d.classes, d.classes, kind, &s);
    p1[i] = s.p1;
    p2[i] = s.p2;
    ok[i] = d.local[i] == train.labels[i];
  }
  float w[3] = {0, 0, 0};
  mote_hi_logreg_fit(p1, p2, ok, nfit, 2000, 4.0f, w);
  /* 2. the local model on the test set */
  if (run_local(&lm, &ds, d.n, &d, x) != 0) goto invoke_fail;
  /* 3. the remote: every test sample once */
  pid_t pid = -1;
  char base[600], spec[4200];
  const char *rname = "remote";
  if (url) {
    snprintf(base, sizeof base, "%s", url);
    rname = paths[1];
  } else {
    int port;
    snprintf(spec, sizeof spec, "%s:remote", paths[1]);
    pid = start_server(spec, &port);
    if (pid < 0) {
      fprintf(stderr, "mote: hi-eval: could not start mote serve %s\n",
              paths[1]);
      return EXIT_RUNTIME;
    }
    snprintf(base, sizeof base, "http://127.0.0.1:%d", port);
  }
  v2_client c;
  if (v2_client_init(&c, base, rname, binary) != 0) return EXIT_RUNTIME;
  mote_tensor fin = lin; /* the sample as FP32: the server quantizes */
  fin.type = MOTE_FLOAT32;
  fin.bytes = sl * sizeof(float);
  fin.data = x;
  fin.nscale = 0;
  uint32_t fails = 0;
  int tty = isatty(2);
  for (uint32_t i = 0; i < d.n; i++) {
    size_t n = 0;
    ds_sample_f32(&ds, i, x);
    uint64_t s0 = c.bytes_sent, r0 = c.bytes_received;
    double t0 = cli_now_us();
    int st = v2_client_infer(&c, &fin, premote, 64, &n, (uint32_t)timeout);
    d.remote_us[i] = cli_now_us() - t0;
    d.tx[i] = (double)(c.bytes_sent - s0);
    d.rx[i] = (double)(c.bytes_received - r0);
    mote_hi_scores s;
    if (st == MOTE_HI_T_OK && n == d.classes &&
        mote_hi_scores_f32(premote, n, MOTE_HI_PROBS, &s) == MOTE_OK) {
      d.remote[i] = s.top1;
      d.remote_ok[i] = 1;
    } else if (fails++ == 0) {
      fprintf(stderr, "mote: hi-eval: remote failed on sample %u: %s\n", i,
              c.err[0] ? c.err : "bad reply");
    }
    if (tty && (i % 500 == 0 || i + 1 == d.n))
      fprintf(stderr, "\rremote %u/%u", i + 1, d.n);
  }
  if (tty) fprintf(stderr, "\n");
  v2_client_free(&c);
  if (pid > 0) {
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
  }
  /* 4. rows: local, remote, each rule at each threshold */
  size_t nr = 0;
  memset(off, 0, d.n);
  make_row(&rows[nr++], "local", -1, &d, off, 0, pf, tmp);
  make_row(&rows[nr++], "remote", -1, &d, off, 1, pf, tmp);
  mote_hi_scores *sc = malloc(d.n * sizeof *sc);
  if (!sc) return EXIT_RUNTIME;
  for (uint32_t i = 0; i < d.n; i++)
    mote_hi_scores_f32(d.probs + (size_t)i * d.classes, d.classes, kind,
                       &sc[i]);
  const mote_hi_rule rules[4] = {MOTE_HI_MAXPROB, MOTE_HI_MARGIN,
                                 MOTE_HI_ENTROPY, MOTE_HI_LOGREG};
  for (int r = 0; r < 4; r++) {
    mote_hi h;
    mote_hi_config cfg = mote_hi_config_default();
    cfg.rule = rules[r];
    memcpy(cfg.logreg, w, sizeof w);
    mote_hi_init(&h, &cfg, NULL, 0);
    for (int k = 0; k < NT; k++) {
      double t = k / (double)(NT - 1);
      for (uint32_t i = 0; i < d.n; i++)
        off[i] = mote_hi_confidence(&h, &sc[i]) < (float)t;
      make_row(&rows[nr++], mote_hi_rule_name(rules[r]), t, &d, off, 0, pf,
               tmp);
    }
  }
  /* 5. the online rule, and the best fixed max-prob threshold in
   * hindsight under the same cost (beta per offload, 1 per local answer
   * that disagrees with the remote) */
  float wts[NT];
  mote_hi h;
  mote_hi_config cfg = mote_hi_config_default();
  cfg.rule = MOTE_HI_ONLINE;
  cfg.weights = wts;
  cfg.nweights = NT;
  cfg.offload_cost = (float)beta;
  cfg.seed = seed ? seed : 1;
  mote_hi_init(&h, &cfg, NULL, 0);
  double online_cost = 0;
  for (uint32_t i = 0; i < d.n; i++) {
    off[i] = (uint8_t)mote_hi_decide(&h, &sc[i]);
    online_cost += off[i] ? beta : (d.local[i] != d.remote[i]);
    mote_hi_feedback(&h, &sc[i], d.remote[i], off[i] && d.remote_ok[i]);
  }
  make_row(&rows[nr], "online", mote_hi_threshold(&h), &d, off, 0, pf, tmp);
  hi_row online = rows[nr++];
  double best_cost = 1e300;
  size_t best = 2;
  for (int k = 0; k < NT; k++) {
    double t = k / (double)(NT - 1), cost = 0;
    for (uint32_t i = 0; i < d.n; i++)
      cost += sc[i].p1 < (float)t ? beta : (d.local[i] != d.remote[i]);
    if (cost < best_cost) best_cost = cost, best = 2 + (size_t)k;
  }
  /* 6. report */
  const hi_row *lo = &rows[0], *re = &rows[1];
  const hi_row *pick = NULL;
  for (size_t i = 2; i < nr - 1; i++)
    if (rows[i].offloaded <= 0.30 + 1e-9 &&
        (!pick || rows[i].accuracy > pick->accuracy))
      pick = &rows[i];
  printf(
      "hi-eval: %u test images, local %s (%s, %.0f MACs), remote %s, "
      "%s bodies, timeout %ld ms, %u remote failures\n",
      d.n, paths[0], kind == MOTE_HI_PROBS ? "probabilities" : "logits", d.macs,
      paths[1], binary ? "binary" : "JSON", timeout, fails);
  printf("energy: %s (%s)\n", pf->name, pf->source);
  printf("%-8s %6s %8s %8s %9s %9s %9s %12s\n", "rule", "thr", "accuracy",
         "offload", "bytes/smp", "p50 us", "p99 us", "energy uJ(est)");
  for (size_t i = 0; i < nr; i++) {
    const hi_row *r = &rows[i];
    int show =
        i < 2 || i == nr - 1 || r == pick ||
        (r->threshold >= 0 && fmod(r->threshold * 10 + 1e-9, 1.0) < 1e-6);
    if (!show) continue;
    printf("%-8s %6.2f %7.2f%% %7.1f%% %9.1f %9.1f %9.1f %12.2f\n", r->rule,
           r->threshold, 100 * r->accuracy, 100 * r->offloaded, r->bytes,
           r->p50_us, r->p99_us, r->energy_uj);
  }
  char summary[1024];
  snprintf(summary, sizeof summary,
           "{\"samples\": %u, \"local_accuracy\": %.4f, \"remote_accuracy\": "
           "%.4f, \"best_at_30pct\": {\"rule\": \"%s\", \"threshold\": %.2f, "
           "\"accuracy\": %.4f, \"offloaded\": %.4f, \"of_remote\": %.4f}, "
           "\"online\": {\"threshold\": %.3f, \"accuracy\": %.4f, "
           "\"offloaded\": %.4f, \"cost\": %.4f}, \"best_fixed\": "
           "{\"threshold\": %.2f, \"accuracy\": %.4f, \"offloaded\": %.4f, "
           "\"cost\": %.4f}, \"offload_cost\": %.3f, \"logreg\": [%.4f, %.4f, "
           "%.4f]}",
           d.n, lo->accuracy, re->accuracy, pick ? pick->rule : "none",
           pick ? pick->threshold : 0, pick ? pick->accuracy : 0,
           pick ? pick->offloaded : 0, pick ? pick->accuracy / re->accuracy : 0,
           online.threshold, online.accuracy, online.offloaded,
           online_cost / d.n, rows[best].threshold, rows[best].accuracy,
           rows[best].offloaded, best_cost / d.n, beta, (double)w[0],
           (double)w[1], (double)w[2]);
  if (pick)
    printf(
        "best with <= 30%% offloaded: %s t=%.2f: %.2f%% (%.1f%% of remote "
        "%.2f%%), %.1f%% offloaded\n",
        pick->rule, pick->threshold, 100 * pick->accuracy,
        100 * pick->accuracy / re->accuracy, 100 * re->accuracy,
        100 * pick->offloaded);
  printf(
      "online (Hedge, %d thresholds, beta %.2f): t=%.3f, %.2f%% accuracy, "
      "%.1f%% offloaded, cost %.4f/sample; best fixed max-prob t=%.2f in "
      "hindsight: %.2f%%, %.1f%% offloaded, cost %.4f/sample\n",
      NT, beta, online.threshold, 100 * online.accuracy, 100 * online.offloaded,
      online_cost / d.n, rows[best].threshold, 100 * rows[best].accuracy,
      100 * rows[best].offloaded, best_cost / d.n);
  rc = 0;
  FILE *f;
  if (csv && (!(f = fopen(csv, "w")) || hi_write_csv(f, rows, nr) || fclose(f)))
    rc = EXIT_RUNTIME, fprintf(stderr, "mote: %s: cannot write\n", csv);
  if (json && (!(f = fopen(json, "w")) ||
               hi_write_json(f, rows, nr, pf, summary) || fclose(f)))
    rc = EXIT_RUNTIME, fprintf(stderr, "mote: %s: cannot write\n", json);
  if (svg && (!(f = fopen(svg, "w")) ||
              hi_write_svg(f, rows, nr,
                           "Hierarchical inference: accuracy vs offloaded "
                           "(mote hi-eval)") ||
              fclose(f)))
    rc = EXIT_RUNTIME, fprintf(stderr, "mote: %s: cannot write\n", svg);
  free(sc);
  free(d.probs), free(d.local), free(d.remote), free(d.remote_ok);
  free(d.local_us), free(d.remote_us), free(d.tx), free(d.rx);
  free(tmp), free(x), free(off), free(ok), free(p1), free(p2), free(rows);
  host_model_free(&lm);
  ds_free(&ds);
  ds_free(&train);
  return rc;
invoke_fail:
  fprintf(stderr, "mote: %s: invoke failed\n", paths[0]);
  return EXIT_RUNTIME;
}
