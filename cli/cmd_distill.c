/*
** cmd_distill.c: `mote distill TEACHER.tflite SPEC -o OUT.tflite [--T 4]
** [--alpha 0.7] [--epochs N] [--qat-epochs K] [--baseline] ...`:
** knowledge distillation on Fashion-MNIST. The teacher is any classifier
** mote runs (float or int8): it is run once over the training set in
** mote's runtime and its logits are cached (log p for a SOFTMAX output);
** the student SPEC is trained with the Hinton loss, optionally followed by
** quantization-aware epochs, and written as a float .tflite. --baseline
** also trains the same student plainly (same epochs and seed) to show the
** gain.
*/
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "compress/teacher.h"
#include "train/train.h"

static const char kUsage[] =
    "usage: mote distill TEACHER.tflite SPEC -o OUT.tflite [--T T]\n"
    "                    [--alpha A] [--epochs N] [--qat-epochs K]\n"
    "                    [--baseline] [--lr LR] [--seed N] [--threads N]\n"
    "                    [--dataset fashion-mnist] [--data-dir DIR]\n"
    "                    [--limit N] [--test-limit N] [--json]\n"
    "  TEACHER.tflite    any classifier mote runs (float or int8)\n"
    "  SPEC              the student, as for `mote train`\n"
    "  --T T             temperature of the soft targets (default 4)\n"
    "  --alpha A         weight of the soft term (default 0.7)\n"
    "  --epochs N        training epochs (default 10)\n"
    "  --qat-epochs K    K more epochs with quantization-aware training\n"
    "                    (learning rate LR/10); still written as float\n"
    "  --baseline        also train the student without the teacher\n"
    "  --limit N         use only the first N training images\n"
    "  --test-limit N    evaluate on the first N test images only\n"
    "  --json            one JSON object on stdout\n";

/* Parsed options. */
typedef struct distill_opts {
  const char *teacher, *spec, *out;
  double T, alpha, lr;
  int baseline;
  cli_train_opts fit; /* the options shared with `mote prune` */
} distill_opts;

/* Parse a number in [lo, hi]; 0 or -1 (printed). */
static int num_arg(const char *name, const char *v, double lo, double hi,
                   double *out) {
  char *end;
  double x = strtod(v, &end);
  if (!*v || *end || !(x >= lo && x <= hi)) {
    fprintf(stderr, "mote distill: %s %s: expected a number in [%g, %g]\n",
            name, v, lo, hi);
    return -1;
  }
  *out = x;
  return 0;
}

/* Parse argv into o; 0, an exit status, or -1 after --help. */
static int parse(int argc, char **argv, distill_opts *o) {
  memset(o, 0, sizeof *o);
  o->T = 4.0;
  o->alpha = 0.7;
  o->lr = 1e-3;
  cli_train_opts_init(&o->fit);
  o->fit.epochs = 10;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    int more = i + 1 < argc;
    int shared = cli_train_opt("distill", argc, argv, &i, 1, &o->fit);
    if (shared < 0) return EXIT_USAGE;
    if (shared) continue;
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      fputs(kUsage, stdout);
      return -1;
    } else if (strcmp(a, "-o") == 0 && more) {
      o->out = argv[++i];
    } else if (strcmp(a, "--T") == 0 && more) {
      if (num_arg(a, argv[++i], 0.01, 1000, &o->T)) return EXIT_USAGE;
    } else if (strcmp(a, "--alpha") == 0 && more) {
      if (num_arg(a, argv[++i], 0, 1, &o->alpha)) return EXIT_USAGE;
    } else if (strcmp(a, "--lr") == 0 && more) {
      if (num_arg(a, argv[++i], 1e-9, 10, &o->lr)) return EXIT_USAGE;
    } else if (strcmp(a, "--baseline") == 0) {
      o->baseline = 1;
    } else if (a[0] != '-' && !o->teacher) {
      o->teacher = a;
    } else if (a[0] != '-' && !o->spec) {
      o->spec = a;
    } else {
      fprintf(stderr, "mote distill: unexpected argument '%s'\n%s", a, kUsage);
      return EXIT_USAGE;
    }
  }
  if (!o->teacher || !o->spec || !o->out) {
    fprintf(stderr, "mote distill: need TEACHER.tflite, SPEC and -o OUT\n%s",
            kUsage);
    return EXIT_USAGE;
  }
  return cli_train_opts_check("distill", &o->fit);
}

/* Accuracies of one trained student. */
typedef struct student_result {
  double acc, acc_qat; /* float; with fake quantization (-1: no QAT) */
  double sec_per_epoch;
} student_result;

/* Train a fresh student (teacher t, or plainly if NULL), export it to
 * `out` if not NULL. Returns 0 or an exit status. */
static int run_student(const distill_opts *o, cz_teacher *t,
                       const mote_dataset *train, const mote_dataset *test,
                       const char *out, student_result *r) {
  char err[512];
  tr_net *net =
      tr_net_new(o->spec, 28, 28, 1, (uint64_t)o->fit.seed, err, sizeof err);
  if (!net) {
    fprintf(stderr, "mote distill: %s: %s\n", o->spec, err);
    return EXIT_USAGE;
  }
  if (t && (uint32_t)net->n_classes != t->k) {
    fprintf(stderr,
            "mote distill: the teacher has %u outputs, the student %d "
            "classes\n",
            t->k, net->n_classes);
    tr_net_free(net);
    return EXIT_BAD_INPUT;
  }
  tr_config cfg;
  tr_config_default(&cfg);
  cfg.epochs = o->fit.epochs;
  cfg.lr = (float)o->lr;
  cfg.seed = (uint64_t)o->fit.seed;
  cfg.threads = o->fit.threads;
  cfg.progress = isatty(STDERR_FILENO) ? 1 : 2;
  if (t) {
    cfg.soft = cz_teacher_soft;
    cfg.soft_user = t;
    cfg.T = (float)o->T;
    cfg.alpha = (float)o->alpha;
  }
  tr_result res;
  int rc = 0;
  if (tr_train(net, train, test, &cfg, &res, err, sizeof err) != 0) rc = 1;
  r->sec_per_epoch = res.sec_per_epoch;
  if (!rc && o->fit.qat_epochs) {
    cfg.epochs = o->fit.qat_epochs;
    cfg.lr = (float)(o->lr * 0.1);
    cfg.qat = 1;
    if (tr_train(net, train, test, &cfg, &res, err, sizeof err) != 0) rc = 1;
  }
  if (rc) {
    fprintf(stderr, "mote distill: training: %s\n", err);
    tr_net_free(net);
    return EXIT_RUNTIME;
  }
  r->acc = tr_evaluate(net, test, o->fit.threads, 0, NULL);
  r->acc_qat = o->fit.qat_epochs
                   ? tr_evaluate(net, test, o->fit.threads, 1, NULL)
                   : -1.0;
  if (out && tr_export_tflite(net, out, err, sizeof err) != 0) {
    fprintf(stderr, "mote distill: %s: %s\n", out, err);
    rc = EXIT_RUNTIME;
  }
  tr_net_free(net);
  return rc;
}

/* The report, as text or JSON. */
static void print_report(const distill_opts *o, double teacher_acc,
                         const student_result *d, const student_result *b) {
  if (o->fit.json) {
    printf("{\"teacher\": ");
    cli_json_str(stdout, o->teacher);
    printf(", \"student\": ");
    cli_json_str(stdout, o->spec);
    printf(", \"output\": ");
    cli_json_str(stdout, o->out);
    printf(", ");
    printf(
        "\"T\": %g, \"alpha\": %g, \"seed\": %ld, \"epochs\": %d, "
        "\"qat_epochs\": %d, "
        "\"teacher_accuracy\": %.6f, \"distilled_accuracy\": %.6f",
        o->T, o->alpha, o->fit.seed, o->fit.epochs, o->fit.qat_epochs,
        teacher_acc, d->acc);
    if (d->acc_qat >= 0)
      printf(", \"distilled_accuracy_qat\": %.6f", d->acc_qat);
    if (o->baseline) {
      printf(", \"baseline_accuracy\": %.6f", b->acc);
      if (b->acc_qat >= 0)
        printf(", \"baseline_accuracy_qat\": %.6f", b->acc_qat);
    }
    printf("}\n");
    return;
  }
  printf("teacher %s: test accuracy %.2f%%\n", o->teacher, 100 * teacher_acc);
  printf("student %s: %d epochs (T %g, alpha %g)%s\n", o->spec, o->fit.epochs,
         o->T, o->alpha,
         o->fit.qat_epochs ? ", then quantization-aware epochs" : "");
  printf("  distilled:  %.2f%%", 100 * d->acc);
  if (d->acc_qat >= 0) printf("  (fake int8 %.2f%%)", 100 * d->acc_qat);
  printf("\n");
  if (o->baseline) {
    printf("  plain:      %.2f%%", 100 * b->acc);
    if (b->acc_qat >= 0) printf("  (fake int8 %.2f%%)", 100 * b->acc_qat);
    printf("\n  gain:       %+.2f points\n", 100 * (d->acc - b->acc));
  }
  if (o->fit.qat_epochs)
    printf(
        "note: the QAT ranges are not stored; `mote quantize` calibrates "
        "the written float model\n");
  printf("written: %s\n", o->out);
}

int cmd_distill(int argc, char **argv) {
  distill_opts o;
  int rc = parse(argc, argv, &o);
  if (rc) return rc < 0 ? 0 : rc;
  char err[512];
  if (access(o.teacher, R_OK) != 0) {
    fprintf(stderr, "mote: %s: cannot read model file\n", o.teacher);
    return EXIT_BAD_INPUT;
  }
  /* Check the spec before the long teacher pass. */
  tr_net *probe = tr_net_new(o.spec, 28, 28, 1, 1, err, sizeof err);
  if (!probe) {
    fprintf(stderr, "mote distill: %s: %s\n", o.spec, err);
    return EXIT_USAGE;
  }
  tr_net_free(probe);
  host_model hm;
  rc = cli_load(&hm, o.teacher);
  if (rc) return rc;
  mote_dataset train, test;
  rc = cli_train_data(&o.fit, &train, &test);
  if (rc) {
    host_model_free(&hm);
    return rc;
  }

  cz_teacher tt, tv;
  uint32_t correct = 0;
  double teacher_acc = -1.0;
  if (cz_teacher_run(&hm.m, &train, &tt, NULL, err, sizeof err) != 0) {
    fprintf(stderr, "mote distill: %s: %s\n", o.teacher, err);
    rc = EXIT_BAD_INPUT;
  } else if (cz_teacher_run(&hm.m, &test, &tv, &correct, err, sizeof err) ==
             0) {
    teacher_acc = test.n ? (double)correct / test.n : 0.0;
    cz_teacher_free(&tv);
  }
  host_model_free(&hm);
  student_result d, b;
  memset(&d, 0, sizeof d);
  memset(&b, 0, sizeof b);
  if (!rc) rc = run_student(&o, &tt, &train, &test, o.out, &d);
  if (!rc && o.baseline) rc = run_student(&o, NULL, &train, &test, NULL, &b);
  if (!rc) print_report(&o, teacher_acc, &d, &b);
  cz_teacher_free(&tt);
  ds_free(&train);
  ds_free(&test);
  return rc;
}
