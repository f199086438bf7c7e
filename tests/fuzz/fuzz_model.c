/*
** fuzz_model.c: libFuzzer entry point over the whole runtime: verify,
** size, initialise and invoke whatever bytes arrive. Built with
** -DMOTE_FUZZ=ON (clang); replay.c runs the same function over
** tests/corpus/regress/ in every normal build.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mote/mote.h"

int mote_fuzz_one(const uint8_t *data, size_t size);

int mote_fuzz_one(const uint8_t *data, size_t size) {
  uint8_t *fb = aligned_alloc(16, (size + 16) & ~(size_t)15);
  if (!fb) return 0;
  memcpy(fb, data, size);
  size_t need = 0;
  if (mote_arena_required(fb, size, NULL, &need, NULL) == MOTE_OK &&
      need <= (8u << 20)) {
    uint8_t *arena = aligned_alloc(16, (need + 16) & ~(size_t)15);
    mote_model m;
    if (arena && mote_model_init(&m, fb, size, NULL, arena, need) == MOTE_OK) {
      mote_tensor t;
      for (uint32_t k = 0; k < mote_model_input_count(&m); k++)
        if (mote_model_input(&m, k, &t) == MOTE_OK && t.data)
          memset(t.data, 0, t.bytes);
      mote_model_invoke(&m);
      mote_model_reset_state(&m);
    }
    free(arena);
  }
  free(fb);
  return 0;
}

#ifdef MOTE_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  return mote_fuzz_one(data, size);
}
#endif
