/* cli.h: shared pieces of the `mote` command-line tool. */
#ifndef MOTE_CLI_H
#define MOTE_CLI_H

#include <stdio.h>

#include "data/dataset.h"
#include "host_io.h"

/* Exit statuses (stable: scripts depend on them). */
enum {
  EXIT_OK_ = 0,
  EXIT_RUNTIME = 1,
  EXIT_USAGE = 2,
  EXIT_INVALID_MODEL = 3,
  EXIT_UNSUPPORTED = 4,
  EXIT_BAD_INPUT = 5
};

/* Map a runtime status to the CLI exit status. */
int cli_exit_for(mote_status st);

/* Load a model for a command; prints the error and returns an exit status
 * (0 on success). */
int cli_load(host_model *hm, const char *path);

/* The arena hm's model needs with the reference kernels only (the
 * portable figure; a 32-bit microcontroller build, with no host caches,
 * needs less); hm->arena_len if unknown. */
size_t cli_arena_ref(const host_model *hm);

/* The most common non-reference kernel of hm's ops ("avx512"), or "ref". */
const char *cli_best_kernel(const host_model *hm);

/* Print the runtime error of hm as "mote: PATH: ..." to stderr. */
void cli_print_error(const char *path, const mote_error *e);

/* Dequantized value of element i of t, as double. */
double cli_value(const mote_tensor *t, size_t i);

/* s as a JSON string literal (quoted, escaped) on f. */
void cli_json_str(FILE *f, const char *s);

/* Monotonic clock, in microseconds. */
double cli_now_us(void);

/* Multiply-accumulates of operator `op` (INVENTORY.md's definitions; 0 for
 * ops without MACs). */
uint64_t cli_op_macs(const mote_model *m, uint32_t op);

/* qsort comparator for doubles, ascending. */
int cli_cmp_double(const void *a, const void *b);

/* "int8[1,49,10,1]" into buf. */
const char *cli_shape_str(const mote_tensor *t, char *buf, size_t len);

/* Options shared by the commands that train on Fashion-MNIST. */
typedef struct cli_train_opts {
  const char *dir, *dataset; /* --data-dir (NULL: default), --dataset */
  int epochs, qat_epochs, threads, json;
  long seed, limit, test_limit; /* limits: 0 = the whole set */
} cli_train_opts;

/* Parse the integer value v of option `name` of `mote CMD` into *out if it
 * lies in [lo, hi]; 0, or -1 after printing why not. */
int cli_int_arg(const char *cmd, const char *name, const char *v, long lo,
                long hi, long *out);

/* Defaults: dataset fashion-mnist, seed 1, everything else 0. */
void cli_train_opts_init(cli_train_opts *o);

/* If argv[*i] is a shared option (with its value, --epochs at least
 * min_epochs), store it and step *i past the value: 1; 0 if not one (or
 * its value is missing); -1 after printing "mote CMD: ..." for a bad
 * value. */
int cli_train_opt(const char *cmd, int argc, char **argv, int *i,
                  long min_epochs, cli_train_opts *o);

/* Check the option values after parsing; 0 or EXIT_USAGE (printed). */
int cli_train_opts_check(const char *cmd, const cli_train_opts *o);

/* Load the Fashion-MNIST training and test sets from o->dir and cut them
 * to --limit / --test-limit. 0, or EXIT_BAD_INPUT (printed, nothing left
 * to free). Free both with ds_free. */
int cli_train_data(const cli_train_opts *o, mote_dataset *train,
                   mote_dataset *test);

int cmd_inspect(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_classify(int argc, char **argv);
int cmd_train(int argc, char **argv);
int cmd_quantize(int argc, char **argv);
int cmd_prune(int argc, char **argv);
int cmd_distill(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_hi_eval(int argc, char **argv);
int cmd_data(int argc, char **argv);

#endif
