/*
** neon_bench.c: the AArch64 instruction-count driver of bench/neon.sh.
**   neon_bench MODEL IN0 OUT0 N
** loads MODEL (kernels as MOTE_ISA says), N times writes IN0 to input 0
** and invokes, and checks output 0 against OUT0 byte for byte. Run it under
** qemu-aarch64 with ports/bench/insn_plugin.c for N = 1 and N = 3: half
** the difference of the totals is the instructions of one invoke.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_io.h"

int main(int argc, char **argv) {
  host_model hm;
  mote_tensor in, out;
  size_t in_len = 0, out_len = 0;
  if (argc != 5) {
    fprintf(stderr, "usage: neon_bench MODEL IN0 OUT0 N\n");
    return 2;
  }
  uint8_t *x = host_read_file(argv[2], &in_len);
  uint8_t *y = host_read_file(argv[3], &out_len);
  if (!x || !y || host_model_load(&hm, argv[1], 0) != MOTE_OK ||
      mote_model_input(&hm.m, 0, &in) != MOTE_OK || in.bytes != in_len) {
    fprintf(stderr, "neon_bench: cannot load %s or its vectors\n", argv[1]);
    return 2;
  }
  const long n = atol(argv[4]);
  for (long i = 0; i < n; i++) {
    /* The arena may reuse the input's memory: write it every time. */
    memcpy(in.data, x, in_len);
    if (mote_model_invoke(&hm.m) != MOTE_OK) {
      fprintf(stderr, "neon_bench: invoke failed\n");
      return 1;
    }
  }
  if (mote_model_output(&hm.m, 0, &out) != MOTE_OK || out.bytes != out_len ||
      memcmp(out.data, y, out_len) != 0) {
    printf("FAIL\n");
    return 1;
  }
  printf("ok\n");
  host_model_free(&hm);
  free(x);
  free(y);
  return 0;
}
