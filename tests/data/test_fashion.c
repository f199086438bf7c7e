/*
** test_fashion.c: the real Fashion-MNIST set (Debian package
** dataset-fashion-mnist): 60,000 training and 10,000 test images of 28x28,
** 10 balanced classes, full pixel range, known first labels; class names;
** the error for a folder without the set.
**
** usage: data_test_fashion DIR
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/check.h"
#include "data/dataset.h"

static void check_split(const char *dir, int test) {
  mote_dataset ds;
  char err[512] = "";
  int rc = ds_load_fashion_mnist(&ds, dir, test, err, sizeof err);
  CHECK(rc == 0, "load %s: %s", test ? "test" : "train", err);
  if (rc) return;
  uint32_t want = test ? 10000 : 60000;
  CHECK(ds.n == want && ds.h == 28 && ds.w == 28 && ds.c == 1,
        "shape %u x %ux%ux%u", ds.n, ds.h, ds.w, ds.c);
  CHECK(ds.n_classes == 10 && ds.labels && ds.u8 && !ds.f32, "classes %u",
        ds.n_classes);
  uint32_t cnt[256] = {0};
  for (uint32_t i = 0; i < ds.n; i++) cnt[ds.labels[i]]++;
  for (int k = 0; k < 10; k++)
    CHECK(cnt[k] == want / 10, "class %d has %u images", k, cnt[k]);
  unsigned lo = 255, hi = 0;
  uint64_t sum = 0;
  size_t total = (size_t)ds.n * 784;
  for (size_t i = 0; i < total; i++) {
    lo = ds.u8[i] < lo ? ds.u8[i] : lo;
    hi = ds.u8[i] > hi ? ds.u8[i] : hi;
    sum += ds.u8[i];
  }
  double mean = (double)sum / (double)total;
  CHECK(lo == 0 && hi == 255, "pixel range %u..%u", lo, hi);
  CHECK(mean > 70.0 && mean < 76.0, "pixel mean %.2f", mean);
  /* Known first labels: test 9 2 1 1 6, train 9 0 0 3 0. */
  const uint8_t first[2][5] = {{9, 0, 0, 3, 0}, {9, 2, 1, 1, 6}};
  CHECK(memcmp(ds.labels, first[test != 0], 5) == 0, "first labels %u %u %u",
        ds.labels[0], ds.labels[1], ds.labels[2]);
  float x[784];
  ds_sample_f32(&ds, ds.n - 1, x);
  float mx = 0.0f, mn = 1.0f;
  for (int i = 0; i < 784; i++) {
    mx = x[i] > mx ? x[i] : mx;
    mn = x[i] < mn ? x[i] : mn;
  }
  CHECK(mn >= 0.0f && mx <= 1.0f && mx > 0.5f, "sample in [0,1]: %g..%g",
        (double)mn, (double)mx);
  ds_free(&ds);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s DIR\n", argv[0]);
    return 2;
  }
  check_split(argv[1], 1);
  check_split(argv[1], 0);
  CHECK(strcmp(ds_fashion_class(0), "T-shirt/top") == 0 &&
            strcmp(ds_fashion_class(9), "Ankle boot") == 0 &&
            strcmp(ds_fashion_class(10), "?") == 0,
        "class names");
  CHECK(strcmp(ds_fashion_slug(7), "sneaker") == 0 &&
            strcmp(ds_fashion_slug(0), "tshirt_top") == 0,
        "class slugs");
  /* A folder without the set: the error says how to install it. */
  mote_dataset ds;
  char err[512] = "";
  int rc = ds_load_fashion_mnist(&ds, "/nonexistent-fashion-dir", 1, err,
                                 sizeof err);
  CHECK(rc == -1 && strstr(err, "apt install dataset-fashion-mnist") &&
            strstr(err, "/nonexistent-fashion-dir/t10k-images"),
        "missing set: %s", err);
  /* MOTE_FASHION_MNIST is used when no folder is given. */
  setenv("MOTE_FASHION_MNIST", "/nonexistent-env-dir", 1);
  rc = ds_load_fashion_mnist(&ds, NULL, 1, err, sizeof err);
  CHECK(rc == -1 && strstr(err, "/nonexistent-env-dir/"), "env: %s", err);
  setenv("MOTE_FASHION_MNIST", argv[1], 1);
  rc = ds_load_fashion_mnist(&ds, NULL, 1, err, sizeof err);
  CHECK(rc == 0 && ds.n == 10000, "env set: %s", err);
  ds_free(&ds);
  return check_summary();
}
