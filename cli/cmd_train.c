/*
** cmd_train.c: `mote train SPEC -o OUT.tflite [options]`: float32 training
** of a network given as a spec string on Fashion-MNIST (tools/train), with
** a progress bar per epoch, a line per epoch and a final summary; writes a
** float .tflite.
*/
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "data/dataset.h"
#include "train/gemm.h"
#include "train/train.h"

static const char kUsage[] =
    "usage: mote train SPEC -o OUT.tflite [options]\n"
    "  SPEC: comma-separated layers, e.g.\n"
    "    conv3x3:16,relu,maxpool2,conv3x3:32,relu,maxpool2,fc:64,relu,fc:10\n"
    "    convKxK:C[:same|:valid][:s2]  convolution (valid padding by "
    "default)\n"
    "    dwKxK[:same|:valid][:s2]      depthwise convolution (multiplier 1)\n"
    "    fc:N                          fully connected (flattens its input)\n"
    "    maxpool2 | avgpool2           2x2 pooling, stride 2\n"
    "    gap                           global average pooling\n"
    "    relu | relu6                  activations\n"
    "    bn                            batch norm (after conv/dw/fc; folded "
    "on export)\n"
    "    dropout:P                     dropout, drop probability P\n"
    "    the last layer must be fc:<classes> (softmax cross-entropy)\n"
    "options:\n"
    "  -o FILE                output float .tflite (required)\n"
    "  --dataset fashion-mnist  data (the only one; --data-dir DIR to "
    "override\n"
    "                         $MOTE_FASHION_MNIST or " DS_FASHION_MNIST_DIR
    ")\n"
    "  --epochs N             default 10\n"
    "  --batch B              default 128\n"
    "  --opt adam|sgd         default adam\n"
    "  --lr LR                (max) learning rate, default 1e-3\n"
    "  --momentum M           SGD momentum, default 0.9\n"
    "  --wd WD                L2 weight decay, default 0\n"
    "  --schedule onecycle|cosine|step|const  default onecycle\n"
    "  --seed S               default 1 (init, shuffling, dropout)\n"
    "  --threads N            default: online CPUs (at most 4)\n"
    "  --limit N              train on the first N images only\n"
    "  --quiet                only the final summary\n";

static int usage_err(const char *msg, const char *arg) {
  fprintf(stderr, "mote train: %s%s%s (see mote train --help)\n", msg,
          arg ? ": " : "", arg ? arg : "");
  return EXIT_USAGE;
}

/* Whether the folder of `path` exists and is writable. */
static int dir_writable(const char *path) {
  char dir[4096];
  snprintf(dir, sizeof dir, "%s", path);
  char *slash = strrchr(dir, '/');
  if (!slash) return access(".", W_OK) == 0;
  if (slash == dir)
    slash[1] = 0;
  else
    *slash = 0;
  return access(dir, W_OK) == 0;
}

static int on_epoch(void *user, const tr_epoch_stats *s) {
  int quiet = *(int *)user;
  if (quiet) return 0;
  fprintf(stderr,
          "epoch %2d/%d  train loss %.4f  train acc %6.2f%%  test acc "
          "%6.2f%%  %.2f s/epoch (cpu %.2f s)\n",
          s->epoch, s->epochs, s->train_loss, 100 * s->train_acc,
          100 * s->test_acc, s->seconds, s->cpu_seconds);
  return 0;
}

static int parse_num(const char *s, double *v) {
  char *end;
  *v = strtod(s, &end);
  return end != s && !*end;
}

int cmd_train(int argc, char **argv) {
  const char *spec = NULL, *out = NULL, *dataset = "fashion-mnist";
  const char *data_dir = NULL;
  tr_config cfg;
  tr_config_default(&cfg);
  int quiet = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      fputs(kUsage, stdout);
      return 0;
    }
    if (!strcmp(a, "--quiet")) {
      quiet = 1;
      continue;
    }
    if (a[0] == '-' && a[1]) {
      if (i + 1 >= argc) return usage_err("missing value for", a);
      const char *v = argv[++i];
      double d;
      int num = parse_num(v, &d);
      if (!strcmp(a, "-o"))
        out = v;
      else if (!strcmp(a, "--dataset"))
        dataset = v;
      else if (!strcmp(a, "--data-dir"))
        data_dir = v;
      else if (!strcmp(a, "--opt")) {
        if (!strcmp(v, "adam"))
          cfg.opt = TR_ADAM;
        else if (!strcmp(v, "sgd"))
          cfg.opt = TR_SGD;
        else
          return usage_err("--opt must be adam or sgd", v);
      } else if (!strcmp(a, "--schedule")) {
        if (!strcmp(v, "onecycle"))
          cfg.sched = TR_SCHED_ONECYCLE;
        else if (!strcmp(v, "cosine"))
          cfg.sched = TR_SCHED_COSINE;
        else if (!strcmp(v, "step"))
          cfg.sched = TR_SCHED_STEP;
        else if (!strcmp(v, "const"))
          cfg.sched = TR_SCHED_CONST;
        else
          return usage_err("--schedule must be onecycle, cosine, step or const",
                           v);
      } else if (!num) {
        return usage_err("expected a number", v);
      } else if (!strcmp(a, "--epochs") && d >= 1 && d <= 100000)
        cfg.epochs = (int)d;
      else if (!strcmp(a, "--batch") && d >= 1 && d <= 65536)
        cfg.batch = (int)d;
      else if (!strcmp(a, "--lr") && d > 0)
        cfg.lr = (float)d;
      else if (!strcmp(a, "--momentum") && d >= 0 && d < 1)
        cfg.momentum = (float)d;
      else if (!strcmp(a, "--wd") && d >= 0)
        cfg.weight_decay = (float)d;
      else if (!strcmp(a, "--seed") && d >= 0)
        cfg.seed = (uint64_t)d;
      else if (!strcmp(a, "--threads") && d >= 1 && d <= 1024)
        cfg.threads = (int)d;
      else if (!strcmp(a, "--limit") && d >= 1)
        cfg.limit = (uint32_t)d;
      else
        return usage_err("bad option or value", a);
      continue;
    }
    if (spec) return usage_err("more than one SPEC", a);
    spec = a;
  }
  if (!spec) return usage_err("missing SPEC", NULL);
  if (!out) return usage_err("missing -o OUT.tflite", NULL);
  if (strcmp(dataset, "fashion-mnist") != 0)
    return usage_err("unknown --dataset (only fashion-mnist)", dataset);

  if (!dir_writable(out)) {
    fprintf(stderr,
            "mote: %s: cannot write there (no such folder or no "
            "permission)\n",
            out);
    return EXIT_USAGE;
  }
  char err[512];
  tr_net *net = tr_net_new(spec, 28, 28, 1, cfg.seed, err, sizeof err);
  if (!net) {
    fprintf(stderr, "mote: %s: %s\n", spec, err);
    return EXIT_USAGE;
  }
  mote_dataset train = {0}, test = {0};
  if (ds_load_fashion_mnist(&train, data_dir, 0, err, sizeof err) != 0 ||
      ds_load_fashion_mnist(&test, data_dir, 1, err, sizeof err) != 0) {
    fprintf(stderr, "mote: fashion-mnist: %s\n", err);
    ds_free(&train);
    tr_net_free(net);
    return EXIT_BAD_INPUT;
  }
  if (!quiet) {
    fprintf(stderr, "mote train: %s\n", net->spec);
    for (int i = 0; i < net->n_layers; i++) {
      char line[160];
      tr_layer_describe(net, i, line, sizeof line);
      fprintf(stderr, "  %2d %s\n", i + 1, line);
    }
    long nt = cfg.threads ? cfg.threads : sysconf(_SC_NPROCESSORS_ONLN);
    if (nt > TR_CHUNKS) nt = TR_CHUNKS;
    fprintf(stderr,
            "  %zu params, %llu MACs/image; %u train / %u test images; "
            "%d epochs, batch %d, %s, lr %g, %ld threads, %s kernel\n",
            tr_net_param_count(net), (unsigned long long)tr_net_macs(net),
            cfg.limit && cfg.limit < train.n ? cfg.limit : train.n, test.n,
            cfg.epochs, cfg.batch, cfg.opt == TR_ADAM ? "adam" : "sgd",
            (double)cfg.lr, nt, tr_gemm_kernel_name());
  }
  cfg.progress = !quiet && isatty(2) ? 1 : 0;
  cfg.on_epoch = on_epoch;
  cfg.user = &quiet;
  tr_result res;
  int rc = tr_train(net, &train, &test, &cfg, &res, err, sizeof err);
  if (rc != 0) {
    fprintf(stderr, "mote: train: %s\n", err);
    rc = EXIT_RUNTIME;
  } else if (tr_export_tflite(net, out, err, sizeof err) != 0) {
    fprintf(stderr, "mote: %s: %s\n", out, err);
    rc = EXIT_RUNTIME;
  } else {
    struct stat st;
    long long size = stat(out, &st) == 0 ? (long long)st.st_size : -1;
    printf("spec:        %s\n", net->spec);
    printf("params:      %zu\n", tr_net_param_count(net));
    printf("MACs/image:  %llu\n", (unsigned long long)tr_net_macs(net));
    printf("test acc:    best %.2f%%, final %.2f%%\n", 100 * res.best_test_acc,
           100 * res.final_test_acc);
    printf("train:       loss %.4f, acc %.2f%%\n", res.final_train_loss,
           100 * res.final_train_acc);
    printf("time:        %.1f s total, %.2f s/epoch (%d epochs)\n", res.seconds,
           res.sec_per_epoch, res.epochs_run);
    printf("output:      %s (%lld bytes)\n", out, size);
  }
  ds_free(&train);
  ds_free(&test);
  tr_net_free(net);
  return rc;
}
