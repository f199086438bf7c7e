/* cmd_quantize.c: `mote quantize` (placeholder until it lands: says so, exit
 * 4). */
#include "cli.h"

int cmd_quantize(int argc, char **argv) {
  (void)argc;
  (void)argv;
  fprintf(stderr, "mote: 'quantize' is not built yet\n");
  return EXIT_UNSUPPORTED;
}
