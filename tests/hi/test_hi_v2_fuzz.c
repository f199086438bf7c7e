/*
** test_hi_v2_fuzz.c: deterministic fuzzing of the v2 request parser:
** valid JSON and binary requests for the demo model, then 100,000 mutants
** (byte flips, truncation, inserted JSON punctuation, wrong header
** lengths). Every reply must be a well-formed 200/400/500 (fuzz_v2_one
** aborts otherwise); under ASan/UBSan no memory error may occur.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int fuzz_v2_one(const uint8_t *data, size_t size);

static uint32_t rng = 2463534242u;
static uint32_t next(void) {
  rng ^= rng << 13;
  rng ^= rng >> 17;
  rng ^= rng << 5;
  return rng;
}

/* Build [len16][body] into buf; returns the size. */
static size_t pack(uint8_t *buf, const char *json, const uint8_t *bin,
                   size_t nbin) {
  size_t jl = strlen(json);
  buf[0] = (uint8_t)(jl & 0xff);
  buf[1] = (uint8_t)(jl >> 8);
  memcpy(buf + 2, json, jl);
  if (nbin) memcpy(buf + 2 + jl, bin, nbin);
  return 2 + jl + nbin;
}

int main(void) {
  static uint8_t seeds[3][4096], buf[8192];
  size_t len[3];
  char js[3000];
  size_t at = (size_t)snprintf(js, sizeof js,
                               "{\"id\":\"1\",\"inputs\":[{\"name\":\"image\","
                               "\"shape\":[1,8,8,1],\"datatype\":\"FP32\","
                               "\"data\":[");
  for (int i = 0; i < 64; i++)
    at += (size_t)snprintf(js + at, sizeof js - at, "%s%s", i ? "," : "",
                           i % 9 ? "0" : "1.0");
  snprintf(js + at, sizeof js - at,
           "]}],\"outputs\":[{\"name\":\"probabilities\"}]}");
  len[0] = pack(seeds[0], js, NULL, 0);
  uint8_t img[64] = {0};
  for (int i = 0; i < 64; i += 9) img[i] = 127;
  len[1] = pack(seeds[1],
                "{\"inputs\":[{\"name\":\"image\",\"shape\":[1,8,8,1],"
                "\"datatype\":\"INT8\",\"parameters\":{\"binary_data_size\":"
                "64}}],\"parameters\":{\"binary_data_output\":true}}",
                img, 64);
  len[2] = pack(seeds[2],
                "{\"inputs\":[{\"name\":\"image\",\"shape\":[1,8,8,1],"
                "\"datatype\":\"INT8\",\"data\":[[[[1],[2]]]]}],\"outputs\":"
                "[{\"name\":\"probabilities\",\"parameters\":{\"binary_data\":"
                "true}}]}",
                NULL, 0);
  /* the valid seeds answer 200 (seed 2 has too few values: 400) */
  if (fuzz_v2_one(seeds[0], len[0]) != 200 ||
      fuzz_v2_one(seeds[1], len[1]) != 200 ||
      fuzz_v2_one(seeds[2], len[2]) != 400) {
    fprintf(stderr, "seed requests gave unexpected statuses\n");
    return 1;
  }
  static const char punct[] = "{}[]\",:-0123456789.eE truefalsnul\\";
  int counts[600] = {0};
  for (int it = 0; it < 100000; it++) {
    int s = (int)(next() % 3);
    size_t n = len[s];
    memcpy(buf, seeds[s], n);
    int muts = 1 + (int)(next() % 4);
    for (int m = 0; m < muts; m++) {
      if (n < 4) break;
      uint32_t k = next() % 5, pos = 2 + next() % (uint32_t)(n - 2);
      if (k == 0)
        buf[pos] ^= (uint8_t)(1u << (next() % 8));
      else if (k == 1)
        buf[pos] = (uint8_t)punct[next() % (sizeof punct - 1)];
      else if (k == 2 && n > 3)
        n = 2 + next() % (uint32_t)(n - 2); /* truncate */
      else if (k == 3 && n + 1 < sizeof buf) {
        memmove(buf + pos + 1, buf + pos, n - pos);
        buf[pos] = (uint8_t)punct[next() % (sizeof punct - 1)];
        n++;
      } else {
        buf[0] = (uint8_t)next(); /* header length */
        buf[1] = (uint8_t)(next() % 3);
      }
    }
    counts[fuzz_v2_one(buf, n)]++;
  }
  printf("v2 fuzz: 100000 mutants: %d x 200, %d x 400, %d x 500\n", counts[200],
         counts[400], counts[500]);
  if (counts[400] == 0 || counts[200] == 0) return 1;
  return 0;
}
