/*
** test_raw.c: ds_load_raw on files and folders written here: every dtype,
** name order, hidden files and sub-folders skipped, several samples per
** file, and the errors (bad size, empty folder, unknown type).
**
** usage: data_test_raw WORKDIR
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/check.h"
#include "data/dataset.h"

static void put(const char *path, const void *b, size_t n) {
  FILE *f = fopen(path, "wb");
  if (!f || fwrite(b, 1, n, f) != n || fclose(f) != 0)
    printf("cannot write %s\n", path);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s WORKDIR\n", argv[0]);
    return 2;
  }
  char d[4096], p[4200], err[512];
  mote_dataset ds;
  snprintf(d, sizeof d, "%s/raw_u8", argv[1]);
  mkdir(argv[1], 0777);
  mkdir(d, 0777);
  /* Folder of u8 files, written out of name order; b holds 2 samples. */
  uint8_t a[4] = {0, 10, 20, 255}, b[8] = {1, 2, 3, 4, 5, 6, 7, 8},
          c[4] = {9, 9, 9, 9}, h[4] = {7, 7, 7, 7};
  snprintf(p, sizeof p, "%s/c.u8", d);
  put(p, c, 4);
  snprintf(p, sizeof p, "%s/a.u8", d);
  put(p, a, 4);
  snprintf(p, sizeof p, "%s/b.u8", d);
  put(p, b, 8);
  snprintf(p, sizeof p, "%s/.hidden", d);
  put(p, h, 3); /* skipped (wrong size would fail otherwise) */
  snprintf(p, sizeof p, "%s/sub", d);
  mkdir(p, 0777); /* skipped */
  int rc = ds_load_raw(&ds, d, 4, "u8", 0.5f, 10, err, sizeof err);
  CHECK(rc == 0, "u8 folder: %s", err);
  if (rc == 0) {
    CHECK(ds.n == 4 && ds_sample_len(&ds) == 4 && ds.f32 && !ds.u8 &&
              !ds.labels && ds.n_classes == 0,
          "u8 folder: n=%u", ds.n);
    /* a, b (2 samples), c; value (v - 10) * 0.5. */
    CHECK(ds.f32[0] == -5.0f && ds.f32[3] == 122.5f, "a: %g %g",
          (double)ds.f32[0], (double)ds.f32[3]);
    CHECK(ds.f32[4] == -4.5f && ds.f32[11] == -1.0f, "b: %g %g",
          (double)ds.f32[4], (double)ds.f32[11]);
    CHECK(ds.f32[12] == -0.5f, "c: %g", (double)ds.f32[12]);
    float x[4];
    ds_sample_f32(&ds, 3, x);
    CHECK(x[0] == -0.5f && x[3] == -0.5f, "sample_f32 of f32 set copies");
    ds_free(&ds);
  }
  /* One file: f32 little-endian, i8, i16. */
  const uint8_t f32le[8] = {0x00, 0x00, 0xc0, 0x3f, 0x00, 0x00, 0x20, 0xc1};
  snprintf(p, sizeof p, "%s/one.f32", argv[1]);
  put(p, f32le, 8);
  rc = ds_load_raw(&ds, p, 2, "f32", 1.0f, 0, err, sizeof err);
  CHECK(rc == 0 && ds.n == 1 && ds.f32[0] == 1.5f && ds.f32[1] == -10.0f,
        "f32 file: %s", err);
  ds_free(&ds);
  rc = ds_load_raw(&ds, p, 1, "f32", 1.0f, 0, err, sizeof err);
  CHECK(rc == 0 && ds.n == 2, "f32 file, 2 samples of 1: %s", err);
  ds_free(&ds);
  const uint8_t i8[2] = {0x80, 0x7f};
  snprintf(p, sizeof p, "%s/one.i8", argv[1]);
  put(p, i8, 2);
  rc = ds_load_raw(&ds, p, 2, "i8", 0.25f, -128, err, sizeof err);
  CHECK(rc == 0 && ds.f32[0] == 0.0f && ds.f32[1] == 63.75f, "i8: %s", err);
  ds_free(&ds);
  rc = ds_load_raw(&ds, p, 1, "i16", 2.0f, 1, err, sizeof err);
  CHECK(rc == 0 && ds.n == 1 && ds.f32[0] == (float)(0x7f80 - 1) * 2.0f,
        "i16: %s", err);
  ds_free(&ds);

  /* Errors. */
  rc = ds_load_raw(&ds, p, 3, "i8", 1.0f, 0, err, sizeof err);
  CHECK(rc == -1 && strstr(err, "not a multiple of one sample"),
        "size not a multiple: %s", err);
  rc = ds_load_raw(&ds, d, 3, "u8", 1.0f, 0, err, sizeof err);
  CHECK(rc == -1 && strstr(err, "a.u8"), "folder, bad size names the file: %s",
        err);
  rc = ds_load_raw(&ds, p, 2, "f64", 1.0f, 0, err, sizeof err);
  CHECK(rc == -1 && strstr(err, "unknown raw type"), "dtype: %s", err);
  snprintf(p, sizeof p, "%s/sub", d);
  rc = ds_load_raw(&ds, p, 4, "u8", 1.0f, 0, err, sizeof err);
  CHECK(rc == -1 && strstr(err, "no sample files"), "empty folder: %s", err);
  snprintf(p, sizeof p, "%s/nothing_here", argv[1]);
  rc = ds_load_raw(&ds, p, 4, "u8", 1.0f, 0, err, sizeof err);
  CHECK(rc == -1 && strstr(err, "cannot open"), "missing: %s", err);
  CHECK(ds.f32 == NULL && ds.n == 0, "failed load leaves an empty set");
  snprintf(p, sizeof p, "%s/empty.u8", argv[1]);
  put(p, "", 0);
  rc = ds_load_raw(&ds, p, 4, "u8", 1.0f, 0, err, sizeof err);
  CHECK(rc == -1, "empty file is an error");

  return check_summary();
}
