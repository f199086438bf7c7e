/*
** cmd_quantize.c: `mote quantize FLOAT.tflite -o INT8.tflite [options]`:
** post-training quantization calibrated on sample inputs (tools/quantize),
** by default tuned end to end on them (FULLY_CONNECTED bias correction,
** activation range search: qz_tune.h), then a summary: ops quantized,
** model size before/after, SQNR of the quantized outputs against the
** float model and argmax agreement (optionally also for another int8
** model, --compare-int8).
*/
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "data/dataset.h"
#include "quantize/qz_calib.h"
#include "quantize/qz_eval.h"
#include "quantize/qz_rewrite.h"
#include "quantize/qz_tune.h"

#define MAX_DATA 64

static const char k_usage[] =
    "usage: mote quantize MODEL -o OUT [--io int8|float] [--scheme "
    "int8|16x8]\n"
    "         [--calib sqnr|minmax|percentile[:P]|mse] [--bias-correct]\n"
    "         [--fc-per-channel]\n"
    "         [--dataset fashion-mnist [--calib-count N]] [--data PATH]...\n"
    "         [--random N [--input-range LO,HI] [--seed S]]\n"
    "         [--eval-count N] [--eval-data PATH]... [--compare-int8 OTHER] "
    "[--verbose]\n";

typedef struct args {
  const char *in, *out, *dataset, *compare;
  const char *data[MAX_DATA], *edata[MAX_DATA];
  int ndata, nedata, verbose, random_n, calib_count, eval_count, bias;
  double lo, hi;
  unsigned seed;
  qz_options o;
} args;

static int usage(const char *why) {
  fprintf(stderr, "mote quantize: %s\n%s", why, k_usage);
  return EXIT_USAGE;
}

static int parse(int argc, char **argv, args *a) {
  memset(a, 0, sizeof *a);
  a->o.method = QZ_SQNR;
  a->o.pct = 99.99;
  a->calib_count = 1000;
  a->hi = 1.0;
  a->seed = 1;
  for (int i = 1; i < argc; i++) {
    const char *s = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
#define NEED()                             \
  do {                                     \
    if (!v) return usage("missing value"); \
    i++;                                   \
  } while (0)
    if (!strcmp(s, "-o")) {
      NEED();
      a->out = v;
    } else if (!strcmp(s, "--io")) {
      NEED();
      if (!strcmp(v, "float"))
        a->o.io_float = 1;
      else if (strcmp(v, "int8"))
        return usage("--io takes int8 or float");
    } else if (!strcmp(s, "--scheme")) {
      NEED();
      if (!strcmp(v, "16x8"))
        a->o.act16 = 1;
      else if (strcmp(v, "int8"))
        return usage("--scheme takes int8 or 16x8");
    } else if (!strcmp(s, "--calib")) {
      NEED();
      if (!strcmp(v, "sqnr"))
        a->o.method = QZ_SQNR;
      else if (!strcmp(v, "minmax"))
        a->o.method = QZ_MINMAX;
      else if (!strcmp(v, "mse"))
        a->o.method = QZ_MSE;
      else if (!strncmp(v, "percentile", 10)) {
        a->o.method = QZ_PERCENTILE;
        if (v[10] == ':') a->o.pct = atof(v + 11);
        if (!(a->o.pct > 50 && a->o.pct <= 100))
          return usage("percentile must be in (50, 100]");
      } else
        return usage("--calib takes sqnr, minmax, percentile[:P] or mse");
    } else if (!strcmp(s, "--bias-correct")) {
      a->bias = 1;
    } else if (!strcmp(s, "--fc-per-channel")) {
      a->o.fc_per_channel = 1;
    } else if (!strcmp(s, "--dataset")) {
      NEED();
      if (strcmp(v, "fashion-mnist"))
        return usage("--dataset takes fashion-mnist");
      a->dataset = v;
    } else if (!strcmp(s, "--calib-count")) {
      NEED();
      a->calib_count = atoi(v);
    } else if (!strcmp(s, "--eval-count")) {
      NEED();
      a->eval_count = atoi(v);
    } else if (!strcmp(s, "--data")) {
      NEED();
      if (a->ndata == MAX_DATA) return usage("too many --data");
      a->data[a->ndata++] = v;
    } else if (!strcmp(s, "--eval-data")) {
      NEED();
      if (a->nedata == MAX_DATA) return usage("too many --eval-data");
      a->edata[a->nedata++] = v;
    } else if (!strcmp(s, "--random")) {
      NEED();
      a->random_n = atoi(v);
    } else if (!strcmp(s, "--input-range")) {
      NEED();
      if (sscanf(v, "%lf,%lf", &a->lo, &a->hi) != 2 || !(a->hi > a->lo))
        return usage("--input-range takes LO,HI with LO < HI");
    } else if (!strcmp(s, "--seed")) {
      NEED();
      a->seed = (unsigned)strtoul(v, NULL, 10);
    } else if (!strcmp(s, "--compare-int8")) {
      NEED();
      a->compare = v;
    } else if (!strcmp(s, "--verbose") || !strcmp(s, "-v")) {
      a->verbose = 1;
    } else if (s[0] == '-') {
      return usage("unknown option");
    } else if (!a->in) {
      a->in = s;
    } else {
      return usage("more than one model");
    }
#undef NEED
  }
  if (!a->in || !a->out) return usage("MODEL and -o OUT are required");
  int sources = (a->dataset != NULL) + (a->ndata > 0) + (a->random_n > 0);
  if (sources != 1) return usage("give one of --dataset, --data or --random N");
  if (a->calib_count < 1 || a->eval_count < 0)
    return usage("counts must be positive");
  return 0;
}

/* Uniform random samples in [lo, hi) from a xorshift32 generator. */
static float *random_samples(uint32_t n, size_t len, double lo, double hi,
                             unsigned seed) {
  float *x = malloc(((size_t)n * len + 1) * sizeof(float));
  uint32_t s = seed ? seed : 1;
  for (size_t i = 0; x && i < (size_t)n * len; i++) {
    s ^= s << 13;
    s ^= s >> 17;
    s ^= s << 5;
    x[i] = (float)(lo + (hi - lo) * ((s >> 8) / 16777216.0));
  }
  return x;
}

/* Samples from a data set (first n of it) as floats. */
static float *dataset_samples(const mote_dataset *ds, uint32_t n, size_t len) {
  if (n > ds->n) n = ds->n;
  float *x = malloc(((size_t)n * len + 1) * sizeof(float));
  for (uint32_t i = 0; x && i < n; i++) ds_sample_f32(ds, i, x + i * len);
  return x;
}

/* Raw float32 tensor files (each a file or a directory) as samples. */
static int load_raw_list(const char *const *paths, int np, size_t len,
                         float **out, uint32_t *n) {
  char err[256];
  size_t total = 0;
  for (int k = 0; k < np; k++) {
    mote_dataset ds;
    if (ds_load_raw(&ds, paths[k], len, "f32", 1.0f, 0, err, sizeof err)) {
      fprintf(stderr, "mote: %s: %s\n", paths[k], err);
      return EXIT_BAD_INPUT;
    }
    float *x = realloc(*out, (total + (size_t)ds.n * len + 1) * 4);
    if (!x) {
      ds_free(&ds);
      return EXIT_RUNTIME;
    }
    *out = x;
    for (uint32_t i = 0; i < ds.n; i++)
      ds_sample_f32(&ds, i, x + total + (size_t)i * len);
    total += (size_t)ds.n * len;
    ds_free(&ds);
  }
  *n = (uint32_t)(total / len);
  return 0;
}

/* Build calibration (cal) and evaluation (ev) samples; returns 0 or an
 * exit status after printing the error. */
static int load_samples(const args *a, size_t len, qz_samples *cal,
                        qz_samples *ev, float **own1, float **own2) {
  char err[256];
  *own1 = *own2 = NULL;
  if (a->random_n > 0) {
    *own1 = random_samples((uint32_t)a->random_n, len, a->lo, a->hi, a->seed);
    *cal = (qz_samples){*own1, (uint32_t)a->random_n, len};
    *ev = *cal;
    if (a->eval_count > 0) {
      *own2 = random_samples((uint32_t)a->eval_count, len, a->lo, a->hi,
                             a->seed * 2654435761u + 7);
      *ev = (qz_samples){*own2, (uint32_t)a->eval_count, len};
    }
  } else if (a->dataset) {
    mote_dataset tr, te;
    if (ds_load_fashion_mnist(&tr, NULL, 0, err, sizeof err) != 0) {
      fprintf(stderr, "mote: fashion-mnist: %s\n", err);
      return EXIT_BAD_INPUT;
    }
    if (ds_sample_len(&tr) != len) {
      fprintf(stderr, "mote: %s: input has %zu elements, images have %zu\n",
              a->in, len, ds_sample_len(&tr));
      ds_free(&tr);
      return EXIT_BAD_INPUT;
    }
    uint32_t n =
        (uint32_t)a->calib_count < tr.n ? (uint32_t)a->calib_count : tr.n;
    *own1 = dataset_samples(&tr, n, len);
    *cal = (qz_samples){*own1, n, len};
    *ev = *cal;
    ds_free(&tr);
    if (a->eval_count > 0) {
      if (ds_load_fashion_mnist(&te, NULL, 1, err, sizeof err) != 0) {
        fprintf(stderr, "mote: fashion-mnist: %s\n", err);
        return EXIT_BAD_INPUT;
      }
      n = (uint32_t)a->eval_count < te.n ? (uint32_t)a->eval_count : te.n;
      *own2 = dataset_samples(&te, n, len);
      *ev = (qz_samples){*own2, n, len};
      ds_free(&te);
    }
  } else {
    uint32_t n = 0;
    int rc = load_raw_list(a->data, a->ndata, len, own1, &n);
    if (rc) return rc;
    *cal = (qz_samples){*own1, n, len};
    *ev = *cal;
    if (a->eval_count > 0 && (uint32_t)a->eval_count < ev->n)
      ev->n = (uint32_t)a->eval_count;
  }
  if (a->nedata > 0) {
    uint32_t n = 0;
    free(*own2);
    *own2 = NULL;
    int rc = load_raw_list(a->edata, a->nedata, len, own2, &n);
    if (rc) return rc;
    *ev = (qz_samples){*own2, n, len};
  }
  if (!*own1 || cal->n == 0) {
    fprintf(stderr, "mote: %s: no calibration samples\n", a->in);
    return EXIT_BAD_INPUT;
  }
  return 0;
}

static void progress(void *user, int pass, uint32_t done, uint32_t total) {
  int tty = *(int *)user;
  if (tty) {
    fprintf(stderr, "\rcalibrating (pass %d): %u/%u", pass, done, total);
    if (done == total) fputc('\n', stderr);
  } else if (done == total) {
    fprintf(stderr, "calibration pass %d: %u samples\n", pass, total);
  }
}

static void tune_progress(void *user, const char *step, uint32_t done,
                          uint32_t total, double sqnr_db) {
  int tty = *(int *)user;
  if (tty) {
    fprintf(stderr, "\r%s: %u/%u, calibration SQNR %.2f dB", step, done, total,
            sqnr_db);
    if (done == total) fputc('\n', stderr);
  } else if (done == total) {
    fprintf(stderr, "%s: %u, calibration SQNR %.2f dB\n", step, total, sqnr_db);
  }
}

/* End-to-end tuning (--calib sqnr, --bias-correct) of a->o into *o. */
static int tune(const args *a, const qz_graph *g, qz_stats *stats,
                const qz_samples *cal, int *tty, qz_options *o) {
  char err[256];
  qz_tune t;
  memset(&t, 0, sizeof t);
  t.g = g;
  t.stats = stats;
  t.o = a->o;
  t.cal = cal;
  t.bias = 1;
  t.sweeps = a->o.method == QZ_SQNR ? 2 : 0;
  t.progress = tune_progress;
  t.user = tty;
  int rc = qz_tune_run(&t, err, sizeof err);
  if (rc != 0) {
    fprintf(stderr, "mote: %s: %s\n", a->in, err);
    return rc == QZ_E_UNSUPPORTED ? EXIT_UNSUPPORTED : EXIT_RUNTIME;
  }
  *o = t.o;
  fprintf(stderr,
          "tuned on %u samples: calibration SQNR %.2f -> %.2f dB (%u "
          "FULLY_CONNECTED biases corrected, %u activation groups searched)\n",
          cal->n, t.base_db, t.best_db, t.corrected, t.sweeps ? t.groups : 0);
  return 0;
}

static void print_table(const qz_graph *g, const qz_plan *p) {
  printf("%4s  %-6s  %-6s  %-12s  %12s  %12s  %12s  %5s  %s\n", "idx", "role",
         "type", "shape", "min", "max", "scale", "zp", "name");
  for (uint32_t i = 0; i < g->ntensors; i++) {
    const qz_tplan *t = &p->t[i];
    char shape[64];
    int32_t type = t->role == QZ_R_KEEP ? (int32_t)g->t[i].type : t->type;
    mote_tensor v = g->t[i];
    v.type = (mote_dtype)type;
    cli_shape_str(&v, shape, sizeof shape);
    char *br = strchr(shape, '[');
    if (t->role == QZ_R_KEEP) {
      printf("%4u  %-6s  %-6s  %-12s  %12s  %12s  %12s  %5s  %s\n", i,
             qz_role_name(t->role), mote_dtype_name(v.type), br ? br : shape,
             "-", "-", "-", "-", g->t[i].name);
    } else {
      char sc[32];
      if (t->nscales > 1)
        snprintf(sc, sizeof sc, "%u ch", t->nscales);
      else
        snprintf(sc, sizeof sc, "%.6g", (double)t->scale);
      printf("%4u  %-6s  %-6s  %-12s  %12.5g  %12.5g  %12s  %5d  %s\n", i,
             qz_role_name(t->role), mote_dtype_name(v.type), br ? br : shape,
             t->lo, t->hi, sc, t->zp, g->t[i].name);
    }
  }
}

static void print_score(const char *what, const qz_score *s) {
  printf("%s: SQNR %.2f dB", what, s->sqnr_db);
  if (s->n) printf(", argmax agreement %u/%u", s->agree, s->n);
  printf("\n");
}

/* Load a model from bytes or path and score it against ref. */
static int score_model(host_model *hm, const qz_samples *ev,
                       const qz_outputs *ref, qz_score *sc, const char *what) {
  char err[256];
  qz_outputs got;
  if (qz_run_outputs(hm, ev, &got, err, sizeof err) != 0 ||
      qz_score_outputs(ref, &got, sc, err, sizeof err) != 0) {
    fprintf(stderr, "mote: %s: %s\n", what, err);
    qz_outputs_free(&got);
    return EXIT_RUNTIME;
  }
  qz_outputs_free(&got);
  return 0;
}

static int run(const args *a, host_model *fm) {
  char err[256];
  int rc, tty = isatty(2);
  qz_graph g;
  if (qz_graph_read(&g, fm, err, sizeof err) != 0) {
    fprintf(stderr, "mote: %s: %s\n", a->in, err);
    qz_graph_free(&g);
    return EXIT_INVALID_MODEL;
  }
  mote_tensor in0;
  mote_model_input(&fm->m, 0, &in0);
  qz_samples cal, ev;
  float *own1, *own2;
  rc = load_samples(a, in0.count, &cal, &ev, &own1, &own2);
  qz_stats *stats = calloc(g.ntensors + 1, sizeof *stats);
  qz_plan plan = {0, NULL, 0, 0};
  uint8_t *qb = NULL;
  size_t qlen = 0;
  qz_outputs ref = {0, 0, 0, NULL};
  host_model qm = {0};
  if (rc) goto done;
  rc = EXIT_RUNTIME;
  if (!stats) goto done;
  int hist = a->o.method == QZ_PERCENTILE || a->o.method == QZ_MSE;
  if (qz_calibrate(&g, &cal, hist, stats, progress, &tty, err, sizeof err) !=
      0) {
    fprintf(stderr, "mote: %s: %s\n", a->in, err);
    goto done;
  }
  qz_options o = a->o;
  if ((o.method == QZ_SQNR || a->bias) &&
      (rc = tune(a, &g, stats, &cal, &tty, &o)) != 0)
    goto done;
  rc = EXIT_RUNTIME;
  int q = qz_quantize_graph(&g, stats, &o, &plan, &qb, &qlen, err, sizeof err);
  if (q != 0) {
    fprintf(stderr, "mote: %s: %s\n", a->in, err);
    rc = q == QZ_E_UNSUPPORTED ? EXIT_UNSUPPORTED : EXIT_RUNTIME;
    goto done;
  }
  if (host_write_file(a->out, qb, qlen) != 0) {
    fprintf(stderr, "mote: %s: %s\n", a->out, strerror(errno));
    goto done;
  }
  if (a->verbose) print_table(&g, &plan);
  mote_status st = host_model_load(&qm, a->out, 0);
  if (st != MOTE_OK) {
    cli_print_error(a->out, &qm.m.err);
    rc = cli_exit_for(st);
    goto done;
  }
  if (qz_run_outputs(fm, &ev, &ref, err, sizeof err) != 0) {
    fprintf(stderr, "mote: %s: %s\n", a->in, err);
    goto done;
  }
  qz_score sc, so;
  if ((rc = score_model(&qm, &ev, &ref, &sc, a->out)) != 0) goto done;
  printf("quantized %u ops (%s%s), %u added; %zu -> %zu bytes\n",
         plan.ops_quantized, a->o.act16 ? "16x8" : "int8",
         a->o.io_float ? ", float io" : "", plan.added_ops, fm->fb_len, qlen);
  printf("eval on %u samples:\n", ev.n);
  print_score("  mote", &sc);
  if (a->compare) {
    host_model om;
    st = host_model_load(&om, a->compare, 0);
    if (st != MOTE_OK) {
      cli_print_error(a->compare, &om.m.err);
      host_model_free(&om);
      rc = cli_exit_for(st);
      goto done;
    }
    rc = score_model(&om, &ev, &ref, &so, a->compare);
    host_model_free(&om);
    if (rc) goto done;
    print_score("  other", &so);
  }
  rc = 0;
done:
  host_model_free(&qm);
  qz_outputs_free(&ref);
  free(qb);
  qz_plan_free(&plan);
  if (stats) qz_stats_free(stats, g.ntensors);
  free(stats);
  free(own1);
  free(own2);
  qz_graph_free(&g);
  return rc;
}

int cmd_quantize(int argc, char **argv) {
  args a;
  for (int i = 1; i < argc; i++)
    if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
      fputs(k_usage, stdout);
      return 0;
    }
  int rc = parse(argc, argv, &a);
  if (rc) return rc;
  host_model fm;
  /* Calibration observes every tensor of the float model: no fusion. */
  host_set_fusion(0);
  rc = cli_load(&fm, a.in);
  host_set_fusion(1);
  if (rc) return rc;
  rc = run(&a, &fm);
  host_model_free(&fm);
  return rc;
}
