/*
** fuzz_v2.c: fuzz target of `mote serve`'s request parsing (v2_infer on
** the bundled demo model). Input: 2 bytes giving the JSON part's length
** (little endian; clamped to the body), then the request body. Built as a
** libFuzzer target with -DMOTE_FUZZ=ON (clang); test_hi_v2_fuzz.c drives
** the same function with deterministic mutations in every build.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "host_io.h"
#include "v2_codec.h"

int fuzz_v2_one(const uint8_t *data, size_t size);

static host_model fz_model;
static int fz_ready;

/* Run one input; returns the HTTP status (aborts on an invalid reply). */
int fuzz_v2_one(const uint8_t *data, size_t size) {
  if (!fz_ready) {
    const char *p = getenv("MOTE_FUZZ_V2_MODEL");
    if (host_model_load(&fz_model, p ? p : MOTE_DEMO_MODEL, 0) != MOTE_OK)
      abort();
    fz_ready = 1;
  }
  if (size < 2) return 0;
  size_t jl = (size_t)data[0] | (size_t)data[1] << 8;
  size -= 2;
  if (jl > size) jl = size;
  /* a private copy, so reading past the end is caught by ASan */
  char *body = malloc(size ? size : 1);
  if (!body) return 0;
  memcpy(body, data + 2, size);
  v2_reply r;
  int st = v2_infer(&fz_model, "demo", body, size, jl, &r);
  if (st != 200 && st != 400 && st != 500) abort();
  if (!r.body || r.len < r.json_len || r.json_len == 0) abort();
  v2_reply_free(&r);
  free(body);
  return st;
}

#ifdef MOTE_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_v2_one(data, size);
  return 0;
}
#endif
