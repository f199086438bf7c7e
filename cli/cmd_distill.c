/* cmd_distill.c: `mote distill` (placeholder until it lands: says so, exit 4).
 */
#include "cli.h"

int cmd_distill(int argc, char **argv) {
  (void)argc;
  (void)argv;
  fprintf(stderr, "mote: 'distill' is not built yet\n");
  return EXIT_UNSUPPORTED;
}
