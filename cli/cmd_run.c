/*
** cmd_run.c: `mote run MODEL [-i FILE]... [-o PREFIX] [--quiet]`.
**
** Input k comes from the k-th -i file as raw little-endian bytes of exactly
** the tensor's size; inputs without a file get the value that dequantizes
** to zero. Output k is written to PREFIX_out{k}.bin when -o is given.
*/
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MAX_FILES 64

static void print_output(const mote_tensor *t, uint32_t k) {
  char sh[128];
  printf("output %u: %s", k, cli_shape_str(t, sh, sizeof sh));
  if (t->nscale)
    printf(" (scale %.6g, zero point %d)", (double)t->scale, t->zero_point);
  printf("\n  values:");
  size_t show = t->count < 16 ? t->count : 16;
  for (size_t i = 0; i < show; i++) printf(" %.5g", cli_value(t, i));
  if (show < t->count) printf(" ... (%zu values)", t->count);
  printf("\n");
  /* Classifier-like: one row of 2..1000 scores. */
  size_t classes = t->ndim ? (size_t)t->dims[t->ndim - 1] : 0;
  if (classes >= 2 && classes <= 1000 && t->count == classes) {
    size_t top[5];
    size_t n = classes < 5 ? classes : 5;
    for (size_t r = 0; r < n; r++) {
      size_t best = SIZE_MAX;
      for (size_t i = 0; i < classes; i++) {
        int used = 0;
        for (size_t q = 0; q < r; q++) used |= top[q] == i;
        if (!used && (best == SIZE_MAX || cli_value(t, i) > cli_value(t, best)))
          best = i;
      }
      top[r] = best;
    }
    printf("  top-%zu:", n);
    for (size_t r = 0; r < n; r++)
      printf(" #%zu=%.4g", top[r], cli_value(t, top[r]));
    printf("\n");
  }
}

int cmd_run(int argc, char **argv) {
  const char *path = NULL, *prefix = NULL, *files[MAX_FILES];
  int nfiles = 0, quiet = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "-i") == 0 && i + 1 < argc) {
      if (nfiles == MAX_FILES) {
        fprintf(stderr, "mote run: at most %d input files\n", MAX_FILES);
        return EXIT_USAGE;
      }
      files[nfiles++] = argv[++i];
    } else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
      prefix = argv[++i];
    } else if (strcmp(argv[i], "--quiet") == 0 || strcmp(argv[i], "-q") == 0) {
      quiet = 1;
    } else if (!path && argv[i][0] != '-') {
      path = argv[i];
    } else {
      fprintf(stderr, "mote run: unexpected argument '%s'\n", argv[i]);
      return EXIT_USAGE;
    }
  }
  if (!path) {
    fprintf(stderr, "usage: mote run MODEL [-i FILE]... [-o PREFIX]\n");
    return EXIT_USAGE;
  }
  host_model hm;
  int rc = cli_load(&hm, path);
  if (rc) return rc;
  uint32_t nin = mote_model_input_count(&hm.m);
  if ((uint32_t)nfiles > nin) {
    fprintf(stderr, "mote run: %d input files given, model has %u inputs\n",
            nfiles, nin);
    host_model_free(&hm);
    return EXIT_USAGE;
  }
  host_fill_zero_inputs(&hm);
  for (int k = 0; k < nfiles; k++) {
    mote_tensor t;
    size_t len = 0;
    mote_model_input(&hm.m, (uint32_t)k, &t);
    uint8_t *data = host_read_file(files[k], &len);
    if (!data) {
      fprintf(stderr, "mote run: %s: cannot read input %d\n", files[k], k);
      host_model_free(&hm);
      return EXIT_BAD_INPUT;
    }
    if (len != t.bytes) {
      char sh[128];
      fprintf(stderr,
              "mote run: %s: input %d needs %zu bytes (%s), file has %zu\n",
              files[k], k, t.bytes, cli_shape_str(&t, sh, sizeof sh), len);
      free(data);
      host_model_free(&hm);
      return EXIT_BAD_INPUT;
    }
    memcpy(t.data, data, len);
    free(data);
  }
  mote_status st = mote_model_invoke(&hm.m);
  if (st != MOTE_OK) {
    cli_print_error(path, &hm.m.err);
    host_model_free(&hm);
    return EXIT_RUNTIME;
  }
  for (uint32_t k = 0; k < mote_model_output_count(&hm.m); k++) {
    mote_tensor t;
    mote_model_output(&hm.m, k, &t);
    if (!quiet) print_output(&t, k);
    if (prefix) {
      char out[4096];
      snprintf(out, sizeof out, "%s_out%u.bin", prefix, k);
      if (host_write_file(out, t.data, t.bytes) != 0) {
        fprintf(stderr, "mote run: cannot write %s\n", out);
        host_model_free(&hm);
        return EXIT_RUNTIME;
      }
    }
  }
  host_model_free(&hm);
  return 0;
}
