/* cmd_prune.c: `mote prune` (placeholder until it lands: says so, exit 4). */
#include "cli.h"

int cmd_prune(int argc, char **argv) {
  (void)argc;
  (void)argv;
  fprintf(stderr, "mote: 'prune' is not built yet\n");
  return EXIT_UNSUPPORTED;
}
