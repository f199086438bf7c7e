/*
** test_corrupt.c: truncate every public model at many lengths and flip
** bytes at many offsets. Every case must end in a specific status (never a
** crash, never an out-of-bounds read: run it under ASan/UBSan); truncated
** models must be refused; if a corrupted model still initialises, invoke
** must also come back with a status.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_io.h"
#include "model_list.h"

static int passed, failed;
/* Invokes of corrupted-but-valid models left for the current model: a few
 * per model keep the test fast under sanitizers. */
static int invoke_budget;

static void check(int ok, const char *model, const char *what, size_t at,
                  mote_status st) {
  if (ok) {
    passed++;
    return;
  }
  failed++;
  if (failed < 20)
    printf("FAIL %s: %s at %zu: status %s\n", model, what, at,
           mote_status_name(st));
}

/* Load bytes as a model; returns the final status of init (and invoke). */
static mote_status try_bytes(const uint8_t *src, size_t len, int *specific) {
  uint8_t *fb = aligned_alloc(16, (len + 16) & ~(size_t)15);
  memcpy(fb, src, len);
  size_t need = 0;
  mote_error err;
  memset(&err, 0, sizeof err);
  mote_status st = mote_arena_required(fb, len, NULL, &need, &err);
  *specific = st == MOTE_OK ||
              (st > MOTE_OK && st < MOTE_STATUS_COUNT_ && err.status == st);
  if (st == MOTE_OK && need < (64u << 20)) {
    uint8_t *arena = aligned_alloc(16, (need + 16) & ~(size_t)15);
    mote_model m;
    st = mote_model_init(&m, fb, len, NULL, arena, need);
    if (st == MOTE_OK && invoke_budget > 0) {
      invoke_budget--;
      mote_tensor t;
      for (uint32_t k = 0; k < mote_model_input_count(&m); k++)
        if (mote_model_input(&m, k, &t) == MOTE_OK && t.data)
          memset(t.data, 0, t.bytes);
      st = mote_model_invoke(&m);
    } else {
      *specific = m.err.status == st;
    }
    free(arena);
  }
  free(fb);
  return st;
}

int main(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : "../shared/models";
  for (size_t mi = 0; mi < N_MODELS; mi++) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, kModels[mi]);
    size_t len = 0;
    uint8_t *fb = host_read_file(path, &len);
    if (!fb) {
      printf("FAIL cannot read %s\n", path);
      failed++;
      continue;
    }
    int specific;
    invoke_budget = 40;
    /* Truncation: every length for small models, ~1000 lengths otherwise. */
    size_t step = len / 1000 + 1;
    for (size_t cut = 0; cut < len; cut += step) {
      mote_status st = try_bytes(fb, cut, &specific);
      check(st != MOTE_OK && specific, kModels[mi], "truncate", cut, st);
    }
    /* Byte flips: xorshift32-chosen offsets and values. */
    uint32_t x = 0x9E3779B9u ^ (uint32_t)len;
    uint8_t *mut = malloc(len);
    for (int k = 0; k < 1000; k++) {
      x ^= x << 13;
      x ^= x >> 17;
      x ^= x << 5;
      size_t at = x % len;
      /* Half of the flips hit the first 4 KiB, where the tables live. */
      if (k % 2 && len > 4096) at = x % 4096;
      memcpy(mut, fb, len);
      mut[at] ^= (uint8_t)(1u + (x >> 24) % 255u);
      mote_status st = try_bytes(mut, len, &specific);
      check(specific, kModels[mi], "flip", at, st);
    }
    free(mut);
    free(fb);
  }
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
