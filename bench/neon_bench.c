/*
** neon_bench.c: the AArch64 instruction-count driver of bench/neon.sh.
**   neon_bench MODEL IN0 OUT0 N
** loads MODEL (kernels as MOTE_ISA says), N times writes IN0 to input 0
** and invokes, and checks output 0 against OUT0: byte for byte, float32
** within the conformance suite's 1e-4 * max(1, max |golden|) (the float
** kernels sum in another order than the reference). Run it under
** qemu-aarch64 with ports/bench/insn_plugin.c for N = 1 and N = 3: half
** the difference of the totals is the instructions of one invoke.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_io.h"

/* Output t matches the golden bytes y (float32: within tolerance). */
static int matches(const mote_tensor *t, const uint8_t *y, size_t len) {
  if (t->bytes != len) return 0;
  if (t->type != MOTE_FLOAT32) return memcmp(t->data, y, len) == 0;
  const float *o = (const float *)t->data;
  float g, gmax = 1.0f;
  for (size_t i = 0; i < t->count; i++) {
    memcpy(&g, y + 4 * i, 4);
    if (fabsf(g) > gmax) gmax = fabsf(g);
  }
  for (size_t i = 0; i < t->count; i++) {
    memcpy(&g, y + 4 * i, 4);
    if (!(fabsf(o[i] - g) <= 1e-4f * gmax)) return 0;
  }
  return 1;
}

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
  if (mote_model_output(&hm.m, 0, &out) != MOTE_OK ||
      !matches(&out, y, out_len)) {
    printf("FAIL\n");
    return 1;
  }
  printf("ok\n");
  host_model_free(&hm);
  free(x);
  free(y);
  return 0;
}
