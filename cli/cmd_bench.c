/*
** cmd_bench.c: `mote bench MODEL [-n N] [--warmup W] [--json]`.
** Warm-up invokes, then N timed invokes; prints median, min and max
** microseconds per invoke (monotonic clock).
*/
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cmd_bench(int argc, char **argv) {
  const char *path = NULL;
  long n = 100, warmup = 5;
  int json = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "-n") == 0 && i + 1 < argc) {
      n = strtol(argv[++i], NULL, 10);
    } else if (strcmp(argv[i], "--warmup") == 0 && i + 1 < argc) {
      warmup = strtol(argv[++i], NULL, 10);
    } else if (strcmp(argv[i], "--json") == 0) {
      json = 1;
    } else if (!path && argv[i][0] != '-') {
      path = argv[i];
    } else {
      fprintf(stderr, "mote bench: unexpected argument '%s'\n", argv[i]);
      return EXIT_USAGE;
    }
  }
  if (!path || n < 1 || n > 10000000 || warmup < 0) {
    fprintf(stderr,
            "usage: mote bench MODEL [-n N>=1] [--warmup W] [--json]\n");
    return EXIT_USAGE;
  }
  host_model hm;
  int rc = cli_load(&hm, path);
  if (rc) return rc;
  host_fill_zero_inputs(&hm);
  double *t = malloc(sizeof(double) * (size_t)n);
  if (!t) return EXIT_RUNTIME;
  for (long i = 0; i < warmup + n; i++) {
    double t0 = cli_now_us();
    mote_status st = mote_model_invoke(&hm.m);
    double t1 = cli_now_us();
    if (st != MOTE_OK) {
      cli_print_error(path, &hm.m.err);
      free(t);
      host_model_free(&hm);
      return EXIT_RUNTIME;
    }
    if (i >= warmup) t[i - warmup] = t1 - t0;
  }
  qsort(t, (size_t)n, sizeof(double), cli_cmp_double);
  double med = (n % 2) ? t[n / 2] : 0.5 * (t[n / 2 - 1] + t[n / 2]);
  if (json)
    printf(
        "{\"model\": \"%s\", \"median_us\": %.3f, \"min_us\": %.3f, "
        "\"max_us\": %.3f, \"iterations\": %ld, \"arena_bytes\": %zu, "
        "\"ram_bytes\": %zu}\n",
        path, med, t[0], t[n - 1], n, hm.arena_len,
        hm.arena_len + sizeof(mote_model));
  else
    printf(
        "%s: median %.1f us, min %.1f us, max %.1f us over %ld invokes "
        "(arena %zu bytes)\n",
        path, med, t[0], t[n - 1], n, hm.arena_len);
  free(t);
  host_model_free(&hm);
  return 0;
}
