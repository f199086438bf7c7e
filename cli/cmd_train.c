/* cmd_train.c: `mote train` (placeholder until it lands: says so, exit 4). */
#include "cli.h"

int cmd_train(int argc, char **argv) {
  (void)argc;
  (void)argv;
  fprintf(stderr, "mote: 'train' is not built yet\n");
  return EXIT_UNSUPPORTED;
}
