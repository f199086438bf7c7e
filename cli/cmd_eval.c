/*
** cmd_eval.c: `mote eval MODEL [--dataset fashion-mnist] [--split test|train]
** [--images IDX --labels IDX] [--data-dir DIR] [--limit N] [--json]`.
**
** Runs a classifier on every image of a labelled set (each scaled to
** [0,1], then quantized into the model's input type) and prints accuracy,
** per-class accuracy, the confusion matrix (rows: true class, columns:
** predicted), the mean latency of mote_model_invoke per image, ram_bytes
** (arena + mote_model) and flash (model file size).
*/
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "data/confusion.h"
#include "data/dataset.h"

static const char kUsage[] =
    "usage: mote eval MODEL [--dataset fashion-mnist] [--split test|train]\n"
    "                 [--images IDX --labels IDX] [--data-dir DIR]\n"
    "                 [--limit N] [--json]\n"
    "  --dataset fashion-mnist  the default; read from --data-dir, "
    "$MOTE_FASHION_MNIST\n"
    "                           or " DS_FASHION_MNIST_DIR
    "\n"
    "  --split test|train       which split (default test)\n"
    "  --images/--labels        any IDX image set (idx3 ubyte, .gz or "
    "plain)\n"
    "  --limit N                only the first N images\n"
    "  --json                   one JSON object on stdout\n";

/* Progress on stderr: only when it is a terminal. */
static void progress(void *user, uint32_t done, uint32_t total) {
  (void)user;
  fprintf(stderr, "\reval: %u/%u images (%u%%)", done, total,
          (unsigned)(100.0 * done / total));
  if (done == total) fprintf(stderr, "\r%40s\r", "");
}

/* Name of class k: Fashion-MNIST's names, else the number. */
static const char *class_name(int fashion, uint32_t k, char *buf, size_t len) {
  if (fashion && k < 10) return ds_fashion_class(k);
  snprintf(buf, len, "%u", k);
  return buf;
}

typedef struct eval_report {
  const char *model, *dataset, *split;
  int fashion;
  const confusion *cm;
  double mean_us;
  size_t arena, ram, ram_ref, flash;
  char in_shape[128], out_shape[128];
} eval_report;

static void print_json(const eval_report *r) {
  const confusion *cm = r->cm;
  char nb[16];
  printf("{\"model\": ");
  cli_json_str(stdout, r->model);
  printf(", \"dataset\": ");
  cli_json_str(stdout, r->dataset);
  printf(", \"split\": ");
  cli_json_str(stdout, r->split);
  printf(", \"input\": \"%s\", \"output\": \"%s\"", r->in_shape, r->out_shape);
  printf(", \"images\": %llu, \"correct\": %llu, \"accuracy\": %.6f",
         (unsigned long long)cm->total, (unsigned long long)cm->correct,
         confusion_accuracy(cm));
  printf(", \"classes\": [");
  for (uint32_t k = 0; k < cm->k; k++) {
    printf("%s", k ? ", " : "");
    cli_json_str(stdout, class_name(r->fashion, k, nb, sizeof nb));
  }
  printf("], \"per_class\": [");
  for (uint32_t k = 0; k < cm->k; k++) {
    printf("%s{\"class\": %u, \"name\": ", k ? ", " : "", k);
    cli_json_str(stdout, class_name(r->fashion, k, nb, sizeof nb));
    printf(", \"images\": %llu, \"correct\": %llu, \"accuracy\": %.6f}",
           (unsigned long long)confusion_class_total(cm, k),
           (unsigned long long)confusion_at(cm, k, k),
           confusion_class_accuracy(cm, k));
  }
  printf("], \"confusion\": [");
  for (uint32_t t = 0; t < cm->k; t++) {
    printf("%s[", t ? ", " : "");
    for (uint32_t p = 0; p < cm->k; p++)
      printf("%s%llu", p ? ", " : "",
             (unsigned long long)confusion_at(cm, t, p));
    printf("]");
  }
  printf(
      "], \"mean_latency_us\": %.3f, \"arena_bytes\": %zu, \"ram_bytes\": "
      "%zu, \"ram_bytes_ref\": %zu, \"flash_bytes\": %zu}\n",
      r->mean_us, r->arena, r->ram, r->ram_ref, r->flash);
}

static void print_text(const eval_report *r) {
  const confusion *cm = r->cm;
  char nb[16];
  printf("model:    %s (%s -> %s)\n", r->model, r->in_shape, r->out_shape);
  printf("data:     %s %s, %llu images\n", r->dataset, r->split,
         (unsigned long long)cm->total);
  printf("accuracy: %.2f%% (%llu/%llu)\n\n", 100.0 * confusion_accuracy(cm),
         (unsigned long long)cm->correct, (unsigned long long)cm->total);
  printf("per class:\n");
  for (uint32_t k = 0; k < cm->k; k++)
    printf("  %2u %-12s %6.2f%% (%llu/%llu)\n", k,
           class_name(r->fashion, k, nb, sizeof nb),
           100.0 * confusion_class_accuracy(cm, k),
           (unsigned long long)confusion_at(cm, k, k),
           (unsigned long long)confusion_class_total(cm, k));
  printf("\nconfusion matrix (rows: true class, columns: predicted):\n   ");
  for (uint32_t p = 0; p < cm->k; p++) printf(" %5u", p);
  printf("\n");
  for (uint32_t t = 0; t < cm->k; t++) {
    printf("%3u", t);
    for (uint32_t p = 0; p < cm->k; p++)
      printf(" %5llu", (unsigned long long)confusion_at(cm, t, p));
    printf("  %s\n", class_name(r->fashion, t, nb, sizeof nb));
  }
  printf("\nlatency:  %.2f us per image (mean of %llu invokes)\n", r->mean_us,
         (unsigned long long)cm->total);
  printf("ram:      %zu bytes (ram_bytes: arena %zu + %zu-byte mote_model)\n",
         r->ram, r->arena, r->ram - r->arena);
  if (r->ram_ref != r->ram)
    printf(
        "          %zu bytes with the reference kernels (ram_bytes_ref; a "
        "microcontroller build needs less: 4-byte pointers, no host caches)\n",
        r->ram_ref);
  printf("flash:    %zu bytes (model file)\n", r->flash);
}

int cmd_eval(int argc, char **argv) {
  const char *path = NULL, *dataset = "fashion-mnist", *split = "test",
             *images = NULL, *labels = NULL, *dir = NULL;
  long limit = 0;
  int json = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    int more = i + 1 < argc;
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      fputs(kUsage, stdout);
      return 0;
    } else if (strcmp(a, "--dataset") == 0 && more) {
      dataset = argv[++i];
    } else if (strcmp(a, "--split") == 0 && more) {
      split = argv[++i];
    } else if (strcmp(a, "--images") == 0 && more) {
      images = argv[++i];
    } else if (strcmp(a, "--labels") == 0 && more) {
      labels = argv[++i];
    } else if (strcmp(a, "--data-dir") == 0 && more) {
      dir = argv[++i];
    } else if (strcmp(a, "--limit") == 0 && more) {
      char *end;
      limit = strtol(argv[++i], &end, 10);
      if (*end || limit < 1) {
        fprintf(stderr, "mote eval: --limit %s: expected a count >= 1\n",
                argv[i]);
        return EXIT_USAGE;
      }
    } else if (strcmp(a, "--json") == 0) {
      json = 1;
    } else if (!path && a[0] != '-') {
      path = a;
    } else {
      fprintf(stderr, "mote eval: unexpected argument '%s'\n%s", a, kUsage);
      return EXIT_USAGE;
    }
  }
  if (!path) {
    fputs(kUsage, stderr);
    return EXIT_USAGE;
  }
  if ((images != NULL) != (labels != NULL)) {
    fprintf(stderr, "mote eval: --images and --labels go together\n");
    return EXIT_USAGE;
  }
  if (!images && strcmp(dataset, "fashion-mnist") != 0) {
    fprintf(stderr,
            "mote eval: --dataset %s: unknown (fashion-mnist, or --images "
            "and --labels for any IDX set)\n",
            dataset);
    return EXIT_USAGE;
  }
  if (strcmp(split, "test") != 0 && strcmp(split, "train") != 0) {
    fprintf(stderr, "mote eval: --split %s: expected test or train\n", split);
    return EXIT_USAGE;
  }

  host_model hm;
  int rc = cli_load(&hm, path);
  if (rc) return rc;
  mote_dataset ds;
  char err[512];
  int lrc = images ? ds_load_idx(&ds, images, labels, err, sizeof err)
                   : ds_load_fashion_mnist(&ds, dir, strcmp(split, "test") == 0,
                                           err, sizeof err);
  if (lrc != 0) {
    fprintf(stderr, "mote: %s\n", err);
    host_model_free(&hm);
    return EXIT_BAD_INPUT;
  }

  confusion cm;
  double spent = 0.0;
  classify_status st = classify_eval(&hm.m, &ds, (uint32_t)limit, &cm, &spent,
                                     isatty(STDERR_FILENO) ? progress : NULL,
                                     NULL, err, sizeof err);
  if (st != CLASSIFY_OK) {
    fprintf(stderr, "mote eval: %s: %s\n", path, err);
    ds_free(&ds);
    host_model_free(&hm);
    return st == CLASSIFY_E_SHAPE    ? EXIT_BAD_INPUT
           : st == CLASSIFY_E_TYPE   ? EXIT_UNSUPPORTED
           : st == CLASSIFY_E_INVOKE ? EXIT_RUNTIME
           : st == CLASSIFY_E_ARG    ? EXIT_UNSUPPORTED
                                     : EXIT_RUNTIME;
  }

  eval_report r;
  memset(&r, 0, sizeof r);
  r.model = path;
  r.dataset = images ? images : dataset;
  r.split = images ? "idx" : split;
  r.fashion = !images;
  r.cm = &cm;
  r.mean_us = cm.total ? spent / (double)cm.total : 0.0;
  r.arena = hm.arena_len;
  r.ram = hm.arena_len + sizeof(mote_model);
  r.ram_ref = cli_arena_ref(&hm) + sizeof(mote_model);
  r.flash = hm.fb_len;
  mote_tensor t;
  mote_model_input(&hm.m, 0, &t);
  cli_shape_str(&t, r.in_shape, sizeof r.in_shape);
  mote_model_output(&hm.m, 0, &t);
  cli_shape_str(&t, r.out_shape, sizeof r.out_shape);
  if (json)
    print_json(&r);
  else
    print_text(&r);
  confusion_free(&cm);
  ds_free(&ds);
  host_model_free(&hm);
  return 0;
}
