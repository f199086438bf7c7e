/*
** main.c: the `mote` command: inspect, run and benchmark TFLite models.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "data/feed.h"

static void usage(FILE *f) {
  fprintf(
      f,
      "mote %s: TinyML inference engine\n"
      "\n"
      "usage:\n"
      "  mote inspect MODEL [--json]        ops, tensors, MACs, memory\n"
      "  mote run MODEL [-i FILE]... [-o PREFIX] [--quiet]\n"
      "                                     run once on raw input files\n"
      "  mote bench MODEL [-n N] [--json]   median/min/max us per invoke\n"
      "  mote classify MODEL IMAGE... [--labels fashion-mnist|FILE]\n"
      "                                     show, classify and time images\n"
      "  mote train SPEC -o MODEL [opts]    train a float model\n"
      "  mote quantize MODEL -o OUT [opts]  float model -> int8 (or 16x8)\n"
      "  mote prune MODEL -o OUT [opts]     magnitude / channel pruning\n"
      "  mote distill TEACHER SPEC -o OUT   knowledge distillation\n"
      "  mote eval MODEL [opts]             accuracy, confusion matrix\n"
      "  mote serve MODEL[:NAME]... [opts]  KServe v2 inference server\n"
      "  mote hi-eval LOCAL REMOTE [opts]   hierarchical inference study\n"
      "  mote data info|export [opts]       data set counts; export images\n"
      "  (each command: --help for its options)\n"
      "  mote version\n"
      "\n"
      "exit status: 0 ok, 1 runtime failure, 2 usage, 3 invalid model,\n"
      "             4 unsupported op or type, 5 bad input file\n",
      MOTE_VERSION_STRING);
}

int cli_exit_for(mote_status st) {
  switch (st) {
    case MOTE_OK:
      return EXIT_OK_;
    case MOTE_E_UNSUPPORTED:
    case MOTE_E_EXTERNAL_BUFFER:
      return EXIT_UNSUPPORTED;
    case MOTE_E_ARG:
    case MOTE_E_ARENA_TOO_SMALL:
    case MOTE_E_NOT_READY:
    case MOTE_E_INDEX:
    case MOTE_E_RUNTIME:
      return EXIT_RUNTIME;
    default:
      return EXIT_INVALID_MODEL;
  }
}

size_t cli_arena_ref(const host_model *hm) {
  mote_op_table t = *mote_ops_all();
  t.isa_mask = MOTE_ISA_REF;
  size_t need = 0;
  if (mote_arena_required(hm->fb, hm->fb_len, &t, &need, NULL) != MOTE_OK)
    return hm->arena_len;
  return need;
}

const char *cli_best_kernel(const host_model *hm) {
  const char *best = "ref";
  uint32_t most = 0, n = mote_model_op_count(&hm->m);
  for (uint32_t i = 0; i < n; i++) {
    const char *k = mote_model_op_kernel(&hm->m, i);
    uint32_t c = 0;
    if (!k || strcmp(k, "ref") == 0 || strcmp(k, "fused") == 0) continue;
    for (uint32_t j = 0; j < n; j++) {
      const char *o = mote_model_op_kernel(&hm->m, j);
      c += o && strcmp(o, k) == 0;
    }
    if (c > most) {
      most = c;
      best = k;
    }
  }
  return best;
}

void cli_print_error(const char *path, const mote_error *e) {
  char msg[512];
  mote_error_format(e, msg, sizeof msg);
  fprintf(stderr, "mote: %s: %s\n", path, msg);
}

int cli_load(host_model *hm, const char *path) {
  uint32_t isa = 0;
  if (host_isa_mask(&isa) != 0) {
    fprintf(stderr,
            "mote: MOTE_ISA=%s: expected auto, ref, avx2, avx512, neon or "
            "neondot (each only where this build and CPU run it)\n",
            getenv("MOTE_ISA"));
    return EXIT_USAGE;
  }
  mote_status st = host_model_load(hm, path, 0);
  if (st == MOTE_OK) return 0;
  if (!hm->fb) {
    fprintf(stderr, "mote: %s: cannot read model file\n", path);
    return EXIT_BAD_INPUT;
  }
  cli_print_error(path, &hm->m.err);
  host_model_free(hm);
  return cli_exit_for(st);
}

double cli_value(const mote_tensor *t, size_t i) {
  double v;
  int raw = tensor_raw_value(t, i, &v);
  if (raw < 0) return 0.0;
  if (raw == 0 && t->nscale) v = (v - t->zero_point) * t->scale;
  return v;
}

void cli_json_str(FILE *f, const char *s) {
  fputc('"', f);
  for (; *s; s++) {
    unsigned char ch = (unsigned char)*s;
    if (ch == '"' || ch == '\\')
      fprintf(f, "\\%c", ch);
    else if (ch < 0x20)
      fprintf(f, "\\u%04x", ch);
    else
      fputc(ch, f);
  }
  fputc('"', f);
}

double cli_now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

int cli_cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

const char *cli_shape_str(const mote_tensor *t, char *buf, size_t len) {
  size_t at = (size_t)snprintf(buf, len, "%s[", mote_dtype_name(t->type));
  for (uint32_t i = 0; i < t->ndim && at < len; i++)
    at +=
        (size_t)snprintf(buf + at, len - at, "%s%d", i ? "," : "", t->dims[i]);
  if (at < len) snprintf(buf + at, len - at, "]");
  return buf;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    usage(stderr);
    return EXIT_USAGE;
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "inspect") == 0) return cmd_inspect(argc - 1, argv + 1);
  if (strcmp(cmd, "run") == 0) return cmd_run(argc - 1, argv + 1);
  if (strcmp(cmd, "bench") == 0) return cmd_bench(argc - 1, argv + 1);
  if (strcmp(cmd, "classify") == 0) return cmd_classify(argc - 1, argv + 1);
  if (strcmp(cmd, "train") == 0) return cmd_train(argc - 1, argv + 1);
  if (strcmp(cmd, "quantize") == 0) return cmd_quantize(argc - 1, argv + 1);
  if (strcmp(cmd, "prune") == 0) return cmd_prune(argc - 1, argv + 1);
  if (strcmp(cmd, "distill") == 0) return cmd_distill(argc - 1, argv + 1);
  if (strcmp(cmd, "eval") == 0) return cmd_eval(argc - 1, argv + 1);
  if (strcmp(cmd, "serve") == 0) return cmd_serve(argc - 1, argv + 1);
  if (strcmp(cmd, "hi-eval") == 0) return cmd_hi_eval(argc - 1, argv + 1);
  if (strcmp(cmd, "data") == 0) return cmd_data(argc - 1, argv + 1);
  if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
    printf("mote %s\n", MOTE_VERSION_STRING);
    return 0;
  }
  if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 ||
      strcmp(cmd, "-h") == 0) {
    usage(stdout);
    return 0;
  }
  fprintf(stderr, "mote: unknown command '%s'\n\n", cmd);
  usage(stderr);
  return EXIT_USAGE;
}
