/*
** cmd_prune.c: `mote prune MODEL.tflite|--spec SPEC -o OUT --sparsity S
** [--structured] ...`: magnitude pruning (unstructured, with masks kept
** while fine-tuning) or structured channel pruning (whole channels
** removed, so the written model is smaller and faster) of a float model
** written by `mote train`, with fine-tuning on Fashion-MNIST, and a table
** of parameters, MACs, flash and accuracy before and after.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "compress/prune.h"
#include "train/train.h"

static const char kUsage[] =
    "usage: mote prune MODEL.tflite|--spec SPEC -o OUT.tflite --sparsity S\n"
    "                  [--structured] [--per-layer] [--gradual K]\n"
    "                  [--epochs N] [--qat-epochs K] [--lr LR] [--seed N]\n"
    "                  [--threads N] [--train-epochs N] [--dataset "
    "fashion-mnist]\n"
    "                  [--data-dir DIR] [--limit N] [--test-limit N] "
    "[--json]\n"
    "  MODEL.tflite      a float model written by `mote train`\n"
    "  --spec SPEC       or train this architecture from scratch first\n"
    "                    (--train-epochs, default 10)\n"
    "  --sparsity S      fraction of conv/dw/fc weights zeroed (0 <= S < 1);\n"
    "                    with --structured, fraction of the output channels\n"
    "                    of every conv and inner fc layer removed\n"
    "  --structured      remove whole channels: those that vary least\n"
    "                    (weighted by the next layer's weights on them) on\n"
    "                    1024 training images; the next layer takes over\n"
    "                    their least-squares fit on the kept channels\n"
    "  --per-layer       unstructured: threshold per layer, not global\n"
    "  --gradual K       unstructured: K pruning steps of rising sparsity\n"
    "                    spread over the fine-tuning epochs\n"
    "  --epochs N        fine-tuning epochs after pruning (default 2)\n"
    "  --qat-epochs K    K more epochs with quantization-aware training\n"
    "  --lr LR           max learning rate of fine-tuning (default 1e-3;\n"
    "                    QAT epochs use LR/10)\n"
    "  --limit N         use only the first N training images\n"
    "  --test-limit N    evaluate on the first N test images only\n"
    "  --json            one JSON object on stdout\n";

/* Training images the structured pruning ranks and fits channels on. */
#define PRUNE_CALIB 1024

/* Parsed options. */
typedef struct prune_opts {
  const char *model, *spec, *out;
  double sparsity, lr;
  int structured, per_layer, gradual, train_epochs;
  cli_train_opts fit; /* the options shared with `mote distill` */
} prune_opts;

/* Parse argv into o; returns 0, or an exit status (usage: 2; help: -1). */
static int parse(int argc, char **argv, prune_opts *o) {
  memset(o, 0, sizeof *o);
  o->sparsity = -1.0;
  o->lr = 1e-3;
  o->train_epochs = 10;
  cli_train_opts_init(&o->fit);
  o->fit.epochs = 2;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    int more = i + 1 < argc;
    long v;
    int shared = cli_train_opt("prune", argc, argv, &i, 0, &o->fit);
    if (shared < 0) return EXIT_USAGE;
    if (shared) continue;
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      fputs(kUsage, stdout);
      return -1;
    } else if (strcmp(a, "--spec") == 0 && more) {
      o->spec = argv[++i];
    } else if (strcmp(a, "-o") == 0 && more) {
      o->out = argv[++i];
    } else if (strcmp(a, "--sparsity") == 0 && more) {
      char *end;
      o->sparsity = strtod(argv[++i], &end);
      if (!*argv[i] || *end || !(o->sparsity >= 0.0 && o->sparsity < 1.0)) {
        fprintf(stderr, "mote prune: --sparsity %s: expected 0 <= S < 1\n",
                argv[i]);
        return EXIT_USAGE;
      }
    } else if (strcmp(a, "--lr") == 0 && more) {
      char *end;
      o->lr = strtod(argv[++i], &end);
      if (!*argv[i] || *end || !(o->lr > 0.0 && o->lr < 10.0)) {
        fprintf(stderr, "mote prune: --lr %s: expected 0 < LR < 10\n", argv[i]);
        return EXIT_USAGE;
      }
    } else if (strcmp(a, "--structured") == 0) {
      o->structured = 1;
    } else if (strcmp(a, "--per-layer") == 0) {
      o->per_layer = 1;
    } else if (strcmp(a, "--gradual") == 0 && more) {
      if (cli_int_arg("prune", a, argv[++i], 1, 100, &v)) return EXIT_USAGE;
      o->gradual = (int)v;
    } else if (strcmp(a, "--train-epochs") == 0 && more) {
      if (cli_int_arg("prune", a, argv[++i], 1, 10000, &v)) return EXIT_USAGE;
      o->train_epochs = (int)v;
    } else if (!o->model && a[0] != '-') {
      o->model = a;
    } else {
      fprintf(stderr, "mote prune: unexpected argument '%s'\n%s", a, kUsage);
      return EXIT_USAGE;
    }
  }
  if ((o->model != NULL) == (o->spec != NULL) || !o->out || o->sparsity < 0.0) {
    fprintf(stderr,
            "mote prune: need MODEL.tflite or --spec SPEC (one), -o OUT and "
            "--sparsity S\n%s",
            kUsage);
    return EXIT_USAGE;
  }
  int rc = cli_train_opts_check("prune", &o->fit);
  if (rc) return rc;
  if (o->structured && (o->per_layer || o->gradual)) {
    fprintf(stderr,
            "mote prune: --per-layer and --gradual are for unstructured "
            "pruning\n");
    return EXIT_USAGE;
  }
  return 0;
}

/* Train net for `epochs` epochs (nothing if 0); 0 or an exit status. */
static int fit(tr_net *net, const mote_dataset *train, const mote_dataset *test,
               const prune_opts *o, int epochs, double lr, int qat) {
  if (epochs <= 0) return 0;
  tr_config cfg;
  tr_config_default(&cfg);
  cfg.epochs = epochs;
  cfg.lr = (float)lr;
  cfg.seed = (uint64_t)o->fit.seed;
  cfg.threads = o->fit.threads;
  cfg.qat = qat;
  cfg.progress = isatty(STDERR_FILENO) ? 1 : 2;
  tr_result res;
  char err[512];
  if (tr_train(net, train, test, &cfg, &res, err, sizeof err) != 0) {
    fprintf(stderr, "mote prune: training: %s\n", err);
    return EXIT_RUNTIME;
  }
  return 0;
}

/* One JSON object of stats. */
static void json_stats(const char *name, const cz_stats *s) {
  printf(
      "\"%s\": {\"params\": %zu, \"nonzero_params\": %zu, "
      "\"prunable_weights\": %zu, \"zero_weights\": %zu, \"macs\": %llu, "
      "\"flash_bytes\": %zu, \"flash_zlib_bytes\": %zu, \"accuracy\": %.6f",
      name, s->params, s->nonzero, s->prunable, s->pruned,
      (unsigned long long)s->macs, s->flash, s->flash_zlib, s->accuracy);
  if (s->accuracy_qat >= 0) printf(", \"accuracy_qat\": %.6f", s->accuracy_qat);
  printf("}");
}

static void print_report(const prune_opts *o, const cz_stats *b,
                         const cz_stats *a, int removed) {
  const char *src = o->model ? o->model : o->spec;
  if (o->fit.json) {
    printf("{\"model\": ");
    cli_json_str(stdout, src);
    printf(", \"output\": ");
    cli_json_str(stdout, o->out);
    printf(", \"mode\": \"%s\", ", o->structured  ? "structured"
                                   : o->per_layer ? "unstructured-per-layer"
                                                  : "unstructured-global");
    printf(
        "\"sparsity\": %.6f, \"seed\": %ld, \"epochs\": %d, \"qat_epochs\": "
        "%d, "
        "\"channels_removed\": %d, ",
        o->sparsity, o->fit.seed, o->fit.epochs, o->fit.qat_epochs, removed);
    json_stats("before", b);
    printf(", ");
    json_stats("after", a);
    printf("}\n");
    return;
  }
  if (o->structured)
    printf(
        "structured pruning: %d channels removed (%.1f%% of every conv "
        "and inner fc layer), %d fine-tuning epochs\n",
        removed, 100.0 * o->sparsity, o->fit.epochs);
  else
    printf(
        "magnitude pruning (%s threshold%s) to %.1f%% sparsity, %d "
        "fine-tuning epochs\n",
        o->per_layer ? "per-layer" : "global",
        o->gradual > 1 ? ", gradual" : "", 100.0 * o->sparsity, o->fit.epochs);
  if (o->fit.qat_epochs)
    printf("then %d quantization-aware epochs\n", o->fit.qat_epochs);
  printf("%-30s %16s %16s\n", "", "before", "after");
  char x[64], y[64];
  snprintf(x, sizeof x, "%zu/%zu", b->nonzero, b->params);
  snprintf(y, sizeof y, "%zu/%zu", a->nonzero, a->params);
  printf("%-30s %16s %16s\n", "parameters (nonzero/total)", x, y);
  printf("%-30s %15.2f%% %15.2f%%\n", "conv/dw/fc weights zero",
         b->prunable ? 100.0 * b->pruned / b->prunable : 0.0,
         a->prunable ? 100.0 * a->pruned / a->prunable : 0.0);
  printf("%-30s %16llu %16llu\n", "MACs per image", (unsigned long long)b->macs,
         (unsigned long long)a->macs);
  printf("%-30s %16zu %16zu\n", "flash bytes (.tflite)", b->flash, a->flash);
  if (!o->structured)
    printf("%-30s %16zu %16zu\n", "flash bytes zlib (sparse proxy)",
           b->flash_zlib, a->flash_zlib);
  printf("%-30s %15.2f%% %15.2f%%\n", "test accuracy", 100.0 * b->accuracy,
         100.0 * a->accuracy);
  if (a->accuracy_qat >= 0)
    printf("%-30s %16s %15.2f%%\n", "test accuracy (fake int8)", "",
           100.0 * a->accuracy_qat);
  if (!o->structured)
    printf(
        "note: unstructured zeros are stored densely in the .tflite; the "
        "zlib size is a proxy for sparse storage, and MACs count zeros\n");
  printf("written: %s (%zu bytes)\n", o->out, a->flash);
}

/* Prune and fine-tune net as o says; 0 or an exit status. */
static int prune_and_tune(tr_net *net, const mote_dataset *train,
                          const mote_dataset *test, const prune_opts *o,
                          int *removed) {
  char err[512];
  if (o->structured) {
    mote_dataset calib = *train; /* its first PRUNE_CALIB images */
    if (calib.n > PRUNE_CALIB) calib.n = PRUNE_CALIB;
    if (cz_channel_prune(net, o->sparsity, &calib, o->fit.threads, removed, err,
                         sizeof err) != 0) {
      fprintf(stderr, "mote prune: %s\n", err);
      return EXIT_UNSUPPORTED;
    }
    return fit(net, train, test, o, o->fit.epochs, o->lr, 0);
  }
  int steps = o->gradual > 1 ? o->gradual : 1;
  for (int s = 1; s <= steps; s++) {
    double sp = cz_gradual_sparsity(o->sparsity, s, steps);
    if (cz_magnitude_prune(net, sp, o->per_layer, err, sizeof err) != 0) {
      fprintf(stderr, "mote prune: %s\n", err);
      return EXIT_RUNTIME;
    }
    int ep = o->fit.epochs * s / steps - o->fit.epochs * (s - 1) / steps;
    int rc = fit(net, train, test, o, ep, o->lr, 0);
    if (rc) return rc;
  }
  return 0;
}

int cmd_prune(int argc, char **argv) {
  prune_opts o;
  int rc = parse(argc, argv, &o);
  if (rc) return rc < 0 ? 0 : rc;
  char err[512];
  tr_net *net = NULL;
  if (o.model) {
    if (access(o.model, R_OK) != 0) {
      fprintf(stderr, "mote: %s: cannot read model file\n", o.model);
      return EXIT_BAD_INPUT;
    }
    net = tr_import_tflite_file(o.model, err, sizeof err);
    if (!net) {
      fprintf(stderr, "mote prune: %s: %s\n", o.model, err);
      return EXIT_UNSUPPORTED;
    }
  } else {
    net = tr_net_new(o.spec, 28, 28, 1, (uint64_t)o.fit.seed, err, sizeof err);
    if (!net) {
      fprintf(stderr, "mote prune: --spec: %s\n", err);
      return EXIT_USAGE;
    }
  }
  mote_dataset train, test;
  rc = cli_train_data(&o.fit, &train, &test);
  if (rc) {
    tr_net_free(net);
    return rc;
  }

  cz_stats before, after;
  int removed = 0;
  if (o.spec) rc = fit(net, &train, &test, &o, o.train_epochs, o.lr, 0);
  if (!rc &&
      cz_measure(net, &test, o.fit.threads, 0, &before, err, sizeof err)) {
    fprintf(stderr, "mote prune: %s\n", err);
    rc = EXIT_RUNTIME;
  }
  if (!rc) rc = prune_and_tune(net, &train, &test, &o, &removed);
  if (!rc && o.fit.qat_epochs)
    rc = fit(net, &train, &test, &o, o.fit.qat_epochs, o.lr * 0.1, 1);
  if (!rc && cz_measure(net, &test, o.fit.threads, o.fit.qat_epochs > 0, &after,
                        err, sizeof err)) {
    fprintf(stderr, "mote prune: %s\n", err);
    rc = EXIT_RUNTIME;
  }
  if (!rc && tr_export_tflite(net, o.out, err, sizeof err) != 0) {
    fprintf(stderr, "mote prune: %s: %s\n", o.out, err);
    rc = EXIT_RUNTIME;
  }
  if (!rc) print_report(&o, &before, &after, removed);
  ds_free(&train);
  ds_free(&test);
  tr_net_free(net);
  return rc;
}
