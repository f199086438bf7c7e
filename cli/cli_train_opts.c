/*
** cli_train_opts.c: the options and the data loading shared by the
** commands that train on Fashion-MNIST (`mote prune`, `mote distill`):
** --epochs, --qat-epochs, --threads, --seed, --limit, --test-limit,
** --json, --dataset and --data-dir.
*/
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void cli_train_opts_init(cli_train_opts *o) {
  memset(o, 0, sizeof *o);
  o->dataset = "fashion-mnist";
  o->seed = 1;
}

int cli_int_arg(const char *cmd, const char *name, const char *v, long lo,
                long hi, long *out) {
  char *end;
  long x = strtol(v, &end, 10);
  if (!*v || *end || x < lo || x > hi) {
    fprintf(stderr, "mote %s: %s %s: expected an integer in [%ld, %ld]\n", cmd,
            name, v, lo, hi);
    return -1;
  }
  *out = x;
  return 0;
}

int cli_train_opt(const char *cmd, int argc, char **argv, int *i,
                  long min_epochs, cli_train_opts *o) {
  const char *a = argv[*i];
  if (strcmp(a, "--json") == 0) {
    o->json = 1;
    return 1;
  }
  if (*i + 1 >= argc) return 0;
  const char *v = argv[*i + 1];
  long x;
  int bad = 0;
  if (strcmp(a, "--epochs") == 0) {
    bad = cli_int_arg(cmd, a, v, min_epochs, 10000, &x);
    if (!bad) o->epochs = (int)x;
  } else if (strcmp(a, "--qat-epochs") == 0) {
    bad = cli_int_arg(cmd, a, v, 0, 10000, &x);
    if (!bad) o->qat_epochs = (int)x;
  } else if (strcmp(a, "--threads") == 0) {
    bad = cli_int_arg(cmd, a, v, 0, 64, &x);
    if (!bad) o->threads = (int)x;
  } else if (strcmp(a, "--seed") == 0) {
    bad = cli_int_arg(cmd, a, v, 0, 0x7fffffffL, &o->seed);
  } else if (strcmp(a, "--limit") == 0) {
    bad = cli_int_arg(cmd, a, v, 1, 0x7fffffffL, &o->limit);
  } else if (strcmp(a, "--test-limit") == 0) {
    bad = cli_int_arg(cmd, a, v, 1, 0x7fffffffL, &o->test_limit);
  } else if (strcmp(a, "--dataset") == 0) {
    o->dataset = v;
  } else if (strcmp(a, "--data-dir") == 0) {
    o->dir = v;
  } else {
    return 0;
  }
  ++*i;
  return bad ? -1 : 1;
}

int cli_train_opts_check(const char *cmd, const cli_train_opts *o) {
  if (strcmp(o->dataset, "fashion-mnist") != 0) {
    fprintf(stderr, "mote %s: --dataset %s: unknown (fashion-mnist)\n", cmd,
            o->dataset);
    return EXIT_USAGE;
  }
  return 0;
}

int cli_train_data(const cli_train_opts *o, mote_dataset *train,
                   mote_dataset *test) {
  char err[512];
  memset(train, 0, sizeof *train);
  memset(test, 0, sizeof *test);
  if (ds_load_fashion_mnist(train, o->dir, 0, err, sizeof err) != 0 ||
      ds_load_fashion_mnist(test, o->dir, 1, err, sizeof err) != 0) {
    fprintf(stderr, "mote: %s\n", err);
    ds_free(train);
    return EXIT_BAD_INPUT;
  }
  if (o->limit && (uint32_t)o->limit < train->n) train->n = (uint32_t)o->limit;
  if (o->test_limit && (uint32_t)o->test_limit < test->n)
    test->n = (uint32_t)o->test_limit;
  return 0;
}
