/*
** conformance.c: run golden cases from a conformance MANIFEST.tsv.
**
** usage: mote_conformance MANIFEST.tsv [--filter SUBSTR] [--verbose]
**
** For every case (optionally only those whose model_stem contains SUBSTR):
** load the model, feed the `_in{k}.bin` inputs, invoke once on a fresh
** model, and compare every output with `_out{k}.bin`: integer types bit
** for bit, float32 within 1e-4 * max(1, max|golden|) with the same argmax.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_io.h"

#define MAX_COLS 16

static int split(char *line, char **cols, int max, char sep) {
  int n = 0;
  cols[n++] = line;
  for (char *p = line; *p && n < max; p++)
    if (*p == sep) {
      *p = 0;
      cols[n++] = p + 1;
    }
  return n;
}

static void chomp(char *s) {
  size_t n = strlen(s);
  while (n && (s[n - 1] == '\n' || s[n - 1] == '\r')) s[--n] = 0;
}

static int col_index(char **hdr, int n, const char *name) {
  for (int i = 0; i < n; i++)
    if (strcmp(hdr[i], name) == 0) return i;
  return -1;
}

static size_t argmax_f(const float *v, size_t n) {
  size_t b = 0;
  for (size_t i = 1; i < n; i++)
    if (v[i] > v[b]) b = i;
  return b;
}

/* Compare one output tensor; returns 1 if it matches, else prints why. */
static int compare(const mote_tensor *t, const uint8_t *gold, size_t glen,
                   char *why, size_t wlen) {
  if (glen != t->bytes) {
    snprintf(why, wlen, "output %u: %zu bytes, golden %zu", t->index, t->bytes,
             glen);
    return 0;
  }
  if (t->type == MOTE_FLOAT32) {
    const float *o = t->data;
    float g[1];
    float gmax = 0.0f;
    size_t n = t->count;
    for (size_t i = 0; i < n; i++) {
      memcpy(g, gold + 4 * i, 4);
      if (fabsf(g[0]) > gmax) gmax = fabsf(g[0]);
    }
    float tol = 1e-4f * (gmax > 1.0f ? gmax : 1.0f);
    for (size_t i = 0; i < n; i++) {
      memcpy(g, gold + 4 * i, 4);
      if (!(fabsf(o[i] - g[0]) <= tol)) {
        snprintf(why, wlen, "element %zu: got %.9g, golden %.9g (tol %.3g)", i,
                 (double)o[i], (double)g[0], (double)tol);
        return 0;
      }
    }
    float *gf = malloc(n * sizeof(float) + 4);
    memcpy(gf, gold, n * 4);
    size_t ga = argmax_f(gf, n), oa = argmax_f(o, n);
    free(gf);
    if (n > 1 && ga != oa) {
      snprintf(why, wlen, "argmax %zu, golden %zu", oa, ga);
      return 0;
    }
    return 1;
  }
  const uint8_t *o = t->data;
  size_t es = mote_dtype_size(t->type);
  for (size_t i = 0; i < t->bytes; i++) {
    if (o[i] != gold[i]) {
      size_t e = i / (es ? es : 1);
      long long gv = 0, ov = 0;
      if (t->type == MOTE_INT8) {
        gv = (int8_t)gold[e];
        ov = (int8_t)o[e];
      } else if (t->type == MOTE_INT16) {
        int16_t a, b;
        memcpy(&a, gold + 2 * e, 2);
        memcpy(&b, o + 2 * e, 2);
        gv = a;
        ov = b;
      } else if (t->type == MOTE_INT32) {
        int32_t a, b;
        memcpy(&a, gold + 4 * e, 4);
        memcpy(&b, o + 4 * e, 4);
        gv = a;
        ov = b;
      }
      size_t diffs = 0;
      for (size_t j = 0; j < t->bytes; j++) diffs += o[j] != gold[j];
      snprintf(why, wlen,
               "element %zu: got %lld, golden %lld (%zu bytes differ)", e, ov,
               gv, diffs);
      return 0;
    }
  }
  return 1;
}

int main(int argc, char **argv) {
  const char *manifest = NULL, *filter = NULL;
  int verbose = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--filter") == 0 && i + 1 < argc)
      filter = argv[++i];
    else if (strcmp(argv[i], "--verbose") == 0)
      verbose = 1;
    else
      manifest = argv[i];
  }
  if (!manifest) {
    fprintf(stderr, "usage: %s MANIFEST.tsv [--filter SUBSTR] [--verbose]\n",
            argv[0]);
    return 2;
  }
  FILE *f = fopen(manifest, "r");
  if (!f) {
    perror(manifest);
    return 2;
  }
  char dir[4096];
  snprintf(dir, sizeof dir, "%s", manifest);
  char *slash = strrchr(dir, '/');
  if (slash)
    slash[1] = 0;
  else
    strcpy(dir, "./");
  static char hline[65536], line[65536];
  if (!fgets(hline, sizeof hline, f)) return 2;
  chomp(hline);
  char *hdr[MAX_COLS];
  int nh = split(hline, hdr, MAX_COLS, '\t');
  int c_case = col_index(hdr, nh, "case"),
      c_stem = col_index(hdr, nh, "model_stem"),
      c_in = col_index(hdr, nh, "inputs"),
      c_out = col_index(hdr, nh, "outputs"),
      c_model = col_index(hdr, nh, "model_file");
  if (c_case < 0 || c_stem < 0 || c_in < 0 || c_out < 0 || c_model < 0) {
    fprintf(stderr, "%s: missing columns\n", manifest);
    return 2;
  }
  int passed = 0, failed = 0;
  while (fgets(line, sizeof line, f)) {
    chomp(line);
    if (!line[0]) continue;
    char *cols[MAX_COLS];
    int nc = split(line, cols, MAX_COLS, '\t');
    if (nc < nh) continue;
    if (filter && !strstr(cols[c_stem], filter)) continue;
    char path[8192], why[9000] = "";
    int ok = 1;
    snprintf(path, sizeof path, "%s%s", dir, cols[c_model]);
    host_model hm;
    mote_status st = host_model_load(&hm, path, 0);
    if (st != MOTE_OK) {
      char msg[1024];
      mote_error_format(&hm.m.err, msg, sizeof msg);
      snprintf(why, sizeof why, "init: %s", msg);
      ok = 0;
    }
    char *ins[MAX_COLS], *outs[MAX_COLS];
    int nin = ok ? split(cols[c_in], ins, MAX_COLS, ',') : 0;
    for (int k = 0; ok && k < nin; k++) {
      mote_tensor t;
      size_t len = 0;
      snprintf(path, sizeof path, "%s%s", dir, ins[k]);
      uint8_t *data = host_read_file(path, &len);
      if (!data || mote_model_input(&hm.m, (uint32_t)k, &t) != MOTE_OK ||
          len != t.bytes) {
        snprintf(why, sizeof why, "input %d: cannot load %s (%zu bytes)", k,
                 path, len);
        ok = 0;
      } else {
        memcpy(t.data, data, len);
      }
      free(data);
    }
    if (ok && (st = mote_model_invoke(&hm.m)) != MOTE_OK) {
      char msg[1024];
      mote_error_format(&hm.m.err, msg, sizeof msg);
      snprintf(why, sizeof why, "invoke: %s", msg);
      ok = 0;
    }
    int nout = ok ? split(cols[c_out], outs, MAX_COLS, ',') : 0;
    for (int k = 0; ok && k < nout; k++) {
      mote_tensor t;
      size_t len = 0;
      snprintf(path, sizeof path, "%s%s", dir, outs[k]);
      uint8_t *gold = host_read_file(path, &len);
      if (!gold || mote_model_output(&hm.m, (uint32_t)k, &t) != MOTE_OK) {
        snprintf(why, sizeof why, "output %d: cannot read %s", k, path);
        ok = 0;
      } else {
        ok = compare(&t, gold, len, why, sizeof why);
      }
      free(gold);
    }
    host_model_free(&hm);
    if (ok) {
      passed++;
      if (verbose) printf("PASS %s/%s\n", cols[c_stem], cols[c_case]);
    } else {
      failed++;
      printf("FAIL %s/%s: %s\n", cols[c_stem], cols[c_case], why);
    }
  }
  fclose(f);
  printf("%d passed, %d failed\n", passed, failed);
  return failed || passed == 0 ? 1 : 0;
}
