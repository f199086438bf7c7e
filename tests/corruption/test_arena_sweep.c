/*
** test_arena_sweep.c: init small public models with every arena size from 0
** up to the required one. Every size below must fail with
** MOTE_E_ARENA_TOO_SMALL naming the exact size needed; the required size
** must succeed and give the golden-free smoke result of an invoke.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_io.h"

static const char *const kSmall[] = {
    "tflm/hello_world_int8.tflite", "tflm/hello_world_float.tflite",
    "tflm/micro_speech_quantized.tflite", "mlperf_tiny/ad01_int8.tflite",
    "mlperf_tiny/kws_ref_model.tflite"};

int main(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : "../shared/models";
  int passed = 0, failed = 0;
  for (size_t mi = 0; mi < sizeof kSmall / sizeof kSmall[0]; mi++) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, kSmall[mi]);
    size_t len = 0, need = 0;
    uint8_t *fb = host_read_file(path, &len);
    if (!fb || mote_arena_required(fb, len, NULL, &need, NULL) != MOTE_OK) {
      printf("FAIL %s: cannot load\n", path);
      failed++;
      free(fb);
      continue;
    }
    uint8_t *arena = aligned_alloc(16, need + 16);
    int bad = 0;
    size_t step = need > 30000 ? 7 : 1;
    for (size_t sz = 0; sz < need; sz += step) {
      mote_model m;
      mote_status st = mote_model_init(&m, fb, len, NULL, arena, sz);
      if (st != MOTE_E_ARENA_TOO_SMALL || m.err.expected != (int64_t)need) {
        if (bad++ < 5)
          printf("FAIL %s: arena %zu gave %s (expected %lld, need %zu)\n",
                 kSmall[mi], sz, mote_status_name(st),
                 (long long)m.err.expected, need);
      }
    }
    mote_model m;
    mote_status st = mote_model_init(&m, fb, len, NULL, arena, need);
    if (st != MOTE_OK || mote_model_arena_used(&m) > need ||
        mote_model_arena_needed(&m) != need) {
      printf("FAIL %s: required size %zu gave %s\n", kSmall[mi], need,
             mote_status_name(st));
      bad++;
    } else if ((st = mote_model_invoke(&m)) != MOTE_OK) {
      printf("FAIL %s: invoke %s\n", kSmall[mi], mote_status_name(st));
      bad++;
    }
    if (bad)
      failed++;
    else
      passed++;
    printf("%s %s: every arena size below %zu refused\n", bad ? "FAIL" : "ok",
           kSmall[mi], need);
    free(arena);
    free(fb);
  }
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
