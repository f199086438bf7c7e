/*
** cmd_bench.c: `mote bench MODEL [-n N] [--warmup W] [--warmup-ms MS]
** [--threads T] [--profile] [--json]`.
** Warm-up invokes (at least W and for at least MS milliseconds: idle cores
** of a virtual machine or a power-saving CPU take a while to come up to
** speed, which matters most for worker threads), then N timed invokes; prints
*median, min and max
** microseconds per invoke (monotonic clock), the effective GMAC/s of the
** median, the arena, and with --profile the median time of every operator
** with the kernel it runs (mote_model_op_kernel).
*/
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static double median_sorted(const double *t, long n) {
  return (n % 2) ? t[n / 2] : 0.5 * (t[n / 2 - 1] + t[n / 2]);
}

/* Per-operator timing through the observer: stamps before and after. */
typedef struct prof {
  double *t; /* [iterations][ops] microseconds */
  long row;  /* current iteration, -1: not recording */
  uint32_t nops;
  double start;
} prof;

static int prof_obs(void *user, const mote_model *m, uint32_t op, int after) {
  (void)m;
  prof *p = (prof *)user;
  double now = cli_now_us();
  if (!after)
    p->start = now;
  else if (p->row >= 0)
    p->t[(size_t)p->row * p->nops + op] = now - p->start;
  return 0;
}

static void print_profile(const char *path, host_model *hm, prof *p, long n,
                          int json) {
  const uint32_t nops = p->nops;
  double *col = malloc(sizeof(double) * (size_t)n);
  double *med = malloc(sizeof(double) * (nops ? nops : 1));
  if (!col || !med) {
    free(col);
    free(med);
    return;
  }
  double total = 0;
  for (uint32_t op = 0; op < nops; op++) {
    for (long i = 0; i < n; i++) col[i] = p->t[(size_t)i * nops + op];
    qsort(col, (size_t)n, sizeof(double), cli_cmp_double);
    med[op] = median_sorted(col, n);
    total += med[op];
  }
  if (!json) {
    printf("%s: per-operator medians (sum %.1f us)\n", path, total);
    printf("%4s  %-26s %-8s %12s %10s %6s %8s\n", "op", "name", "kernel",
           "MACs", "us", "%", "GMAC/s");
  }
  for (uint32_t op = 0; op < nops; op++) {
    const char *name = mote_model_op_name(&hm->m, op);
    const char *kern = mote_model_op_kernel(&hm->m, op);
    uint64_t macs = cli_op_macs(&hm->m, op);
    double g = med[op] > 0 ? (double)macs / (med[op] * 1e3) : 0.0;
    if (json) {
      printf("%s{\"op\": %u, \"name\": ", op ? ", " : "", op);
      cli_json_str(stdout, name ? name : "?");
      printf(", \"kernel\": ");
      cli_json_str(stdout, kern ? kern : "?");
      printf(", \"macs\": %llu, \"median_us\": %.3f}", (unsigned long long)macs,
             med[op]);
    } else {
      printf("%4u  %-26s %-8s %12llu %10.2f %6.1f %8.2f\n", op,
             name ? name : "?", kern ? kern : "?", (unsigned long long)macs,
             med[op], total > 0 ? 100.0 * med[op] / total : 0.0, g);
    }
  }
  free(col);
  free(med);
}

/* "CONV_2D=avx512 x14, SOFTMAX=ref x1": op kinds in order of first use
 * with the kernel each instance runs. */
static void kernel_summary(const mote_model *m, char *buf, size_t len) {
  uint32_t nops = mote_model_op_count(m);
  size_t used = 0;
  buf[0] = 0;
  for (uint32_t i = 0; i < nops; i++) {
    const char *name = mote_model_op_name(m, i),
               *k = mote_model_op_kernel(m, i);
    int seen = 0;
    for (uint32_t j = 0; j < i && !seen; j++)
      seen = mote_model_op_name(m, j) == name &&
             strcmp(mote_model_op_kernel(m, j), k) == 0;
    if (seen) continue;
    uint32_t count = 0;
    for (uint32_t j = i; j < nops; j++)
      count += mote_model_op_name(m, j) == name &&
               strcmp(mote_model_op_kernel(m, j), k) == 0;
    int w = snprintf(buf + used, len - used, "%s%s=%s x%u", used ? ", " : "",
                     name, k, count);
    if (w < 0 || (size_t)w >= len - used) return;
    used += (size_t)w;
  }
}

int cmd_bench(int argc, char **argv) {
  const char *path = NULL;
  long n = 100, warmup = 5, warmup_ms = 200, threads = 1;
  int json = 0, profile = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "-n") == 0 && i + 1 < argc) {
      n = strtol(argv[++i], NULL, 10);
    } else if (strcmp(argv[i], "--warmup") == 0 && i + 1 < argc) {
      warmup = strtol(argv[++i], NULL, 10);
    } else if (strcmp(argv[i], "--warmup-ms") == 0 && i + 1 < argc) {
      if (cli_int_arg("bench", "--warmup-ms", argv[++i], 0, 600000, &warmup_ms))
        return EXIT_USAGE;
    } else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
      if (cli_int_arg("bench", "--threads", argv[++i], 1, 256, &threads))
        return EXIT_USAGE;
    } else if (strcmp(argv[i], "--json") == 0) {
      json = 1;
    } else if (strcmp(argv[i], "--profile") == 0) {
      profile = 1;
    } else if (!path && argv[i][0] != '-') {
      path = argv[i];
    } else {
      fprintf(stderr, "mote bench: unexpected argument '%s'\n", argv[i]);
      return EXIT_USAGE;
    }
  }
  if (!path || n < 1 || n > 10000000 || warmup < 0) {
    fprintf(stderr,
            "usage: mote bench MODEL [-n N>=1] [--warmup W] [--warmup-ms MS] "
            "[--threads T] "
            "[--profile] [--json]\n");
    return EXIT_USAGE;
  }
  if (host_set_threads((uint32_t)threads) != 0) {
    fprintf(stderr, "mote bench: cannot start %ld threads\n", threads);
    return EXIT_RUNTIME;
  }
  host_model hm;
  int rc = cli_load(&hm, path);
  if (rc) return rc;
  host_fill_zero_inputs(&hm);
  double *t = malloc(sizeof(double) * (size_t)n);
  prof p = {NULL, -1, mote_model_op_count(&hm.m), 0.0};
  if (profile) p.t = calloc((size_t)n * (p.nops ? p.nops : 1), sizeof(double));
  if (!t || (profile && !p.t)) {
    free(t);
    free(p.t);
    host_model_free(&hm);
    return EXIT_RUNTIME;
  }
  /* Warm-up: at least `warmup` invokes and `warmup_ms` milliseconds. */
  const double w0 = cli_now_us();
  int warm = 0;
  for (long i = 0, done = 0; done < n; i++) {
    if (!warm && i >= warmup && cli_now_us() - w0 >= (double)warmup_ms * 1e3)
      warm = 1;
    double t0 = cli_now_us();
    mote_status st = mote_model_invoke(&hm.m);
    double t1 = cli_now_us();
    if (st != MOTE_OK) {
      cli_print_error(path, &hm.m.err);
      free(t);
      free(p.t);
      host_model_free(&hm);
      return EXIT_RUNTIME;
    }
    if (warm) t[done++] = t1 - t0;
  }
  /* Profile in separate invokes, so observer calls never touch the
   * whole-model timings. */
  if (profile) {
    for (long i = 0; i < warmup + n; i++) {
      p.row = i >= warmup ? i - warmup : -1;
      (void)mote_model_invoke_observed(&hm.m, prof_obs, &p);
    }
  }
  qsort(t, (size_t)n, sizeof(double), cli_cmp_double);
  double med = median_sorted(t, n);
  uint64_t macs = 0;
  for (uint32_t op = 0; op < p.nops; op++) macs += cli_op_macs(&hm.m, op);
  double gmacs = med > 0 ? (double)macs / (med * 1e3) : 0.0;
  char kernels[1024];
  kernel_summary(&hm.m, kernels, sizeof kernels);
  if (json) {
    printf("{\"model\": ");
    cli_json_str(stdout, path);
    printf(
        ", \"median_us\": %.3f, \"min_us\": %.3f, "
        "\"max_us\": %.3f, \"iterations\": %ld, \"threads\": %ld, "
        "\"macs\": %llu, \"gmacs\": %.3f, \"arena_bytes\": %zu, "
        "\"ram_bytes\": %zu",
        med, t[0], t[n - 1], n, threads, (unsigned long long)macs, gmacs,
        hm.arena_len, hm.arena_len + sizeof(mote_model));
    printf(", \"kernels\": ");
    cli_json_str(stdout, kernels);
    if (profile) {
      printf(", \"ops\": [");
      print_profile(path, &hm, &p, n, 1);
      printf("]");
    }
    printf("}\n");
  } else {
    printf(
        "%s: median %.1f us, min %.1f us, max %.1f us over %ld invokes "
        "(%ld thread%s, %.2f GMAC/s, arena %zu bytes)\n",
        path, med, t[0], t[n - 1], n, threads, threads == 1 ? "" : "s", gmacs,
        hm.arena_len);
    printf("kernels: %s\n", kernels);
    if (profile) print_profile(path, &hm, &p, n, 0);
  }
  free(t);
  free(p.t);
  host_model_free(&hm);
  host_set_threads(1);
  return 0;
}
