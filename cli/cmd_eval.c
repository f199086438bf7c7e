/* cmd_eval.c: `mote eval` (placeholder until it lands: says so, exit 4). */
#include "cli.h"

int cmd_eval(int argc, char **argv) {
  (void)argc;
  (void)argv;
  fprintf(stderr, "mote: 'eval' is not built yet\n");
  return EXIT_UNSUPPORTED;
}
