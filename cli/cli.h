/* cli.h: shared pieces of the `mote` command-line tool. */
#ifndef MOTE_CLI_H
#define MOTE_CLI_H

#include <stdio.h>

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

/* Print the runtime error of hm as "mote: PATH: ..." to stderr. */
void cli_print_error(const char *path, const mote_error *e);

/* Dequantized value of element i of t, as double. */
double cli_value(const mote_tensor *t, size_t i);

/* "int8[1,49,10,1]" into buf. */
const char *cli_shape_str(const mote_tensor *t, char *buf, size_t len);

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
