/*
** test_idx.c: the IDX reader (ds_load_idx) on small files written here,
** plain and gzip: contents, then every kind of bad file gives an error
** that names the file and the problem.
**
** usage: data_test_idx WORKDIR
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "common/check.h"
#include "data/dataset.h"

static char dir[2048];

/* Write bytes to dir/name, gzip-compressed when gz. Returns the path. */
static const char *put(const char *name, const uint8_t *b, size_t n, int gz) {
  static char path[4][4096];
  static int slot;
  char *p = path[slot++ & 3];
  snprintf(p, 4096, "%s/%s", dir, name);
  if (gz) {
    gzFile g = gzopen(p, "wb");
    if (!g || (n && gzwrite(g, b, (unsigned)n) != (int)n) || gzclose(g) != Z_OK)
      printf("cannot write %s\n", p);
  } else {
    FILE *f = fopen(p, "wb");
    if (!f || fwrite(b, 1, n, f) != n || fclose(f) != 0)
      printf("cannot write %s\n", p);
  }
  return p;
}

static void be32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)(v >> 24);
  p[1] = (uint8_t)(v >> 16);
  p[2] = (uint8_t)(v >> 8);
  p[3] = (uint8_t)v;
}

/* An idx3 file of n images h x w (pixel = i*7 + k) into buf; its size. */
static size_t make_images(uint8_t *buf, uint32_t n, uint32_t h, uint32_t w) {
  be32(buf, 0x803);
  be32(buf + 4, n);
  be32(buf + 8, h);
  be32(buf + 12, w);
  for (uint32_t i = 0; i < n * h * w; i++) buf[16 + i] = (uint8_t)(i * 7 + 3);
  return 16 + (size_t)n * h * w;
}

/* An idx1 file of n labels (label i = i % classes); its size. */
static size_t make_labels(uint8_t *buf, uint32_t n, uint32_t classes) {
  be32(buf, 0x801);
  be32(buf + 4, n);
  for (uint32_t i = 0; i < n; i++) buf[8 + i] = (uint8_t)(i % classes);
  return 8 + n;
}

static int expect_error(const char *img, const char *lab, const char *want,
                        const char *name) {
  mote_dataset ds;
  char err[512] = "";
  int rc = ds_load_idx(&ds, img, lab, err, sizeof err);
  CHECK(rc == -1, "%s: loaded a bad file", name);
  CHECK(strstr(err, want) != NULL, "%s: error '%s' lacks '%s'", name, err,
        want);
  CHECK(ds.u8 == NULL && ds.labels == NULL && ds.n == 0,
        "%s: struct not cleared", name);
  return rc;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s WORKDIR\n", argv[0]);
    return 2;
  }
  snprintf(dir, sizeof dir, "%s", argv[1]);
  static uint8_t img[16 + 5 * 4 * 3], lab[8 + 5], bad[256];
  size_t ni = make_images(img, 5, 4, 3), nl = make_labels(lab, 5, 3);

  for (int gz = 0; gz < 2; gz++) {
    const char *ip = put(gz ? "img.gz" : "img", img, ni, gz);
    const char *lp = put(gz ? "lab.gz" : "lab", lab, nl, gz);
    mote_dataset ds;
    char err[512] = "";
    int rc = ds_load_idx(&ds, ip, lp, err, sizeof err);
    CHECK(rc == 0, "gz=%d load: %s", gz, err);
    if (rc) continue;
    CHECK(ds.n == 5 && ds.h == 4 && ds.w == 3 && ds.c == 1,
          "gz=%d shape %u %u %u %u", gz, ds.n, ds.h, ds.w, ds.c);
    CHECK(ds.u8 && !ds.f32 && memcmp(ds.u8, img + 16, 60) == 0, "gz=%d pixels",
          gz);
    CHECK(ds.labels && memcmp(ds.labels, lab + 8, 5) == 0, "gz=%d labels", gz);
    CHECK(ds.n_classes == 3, "gz=%d classes %u", gz, ds.n_classes);
    CHECK(ds_sample_len(&ds) == 12, "sample len");
    float x[12];
    ds_sample_f32(&ds, 2, x);
    CHECK(
        x[0] == (float)img[16 + 24] / 255.0f && x[11] == img[16 + 35] / 255.0f,
        "sample_f32 %g", (double)x[0]);
    ds_free(&ds);
    CHECK(ds.u8 == NULL && ds.labels == NULL && ds.n == 0, "ds_free zeroes");
    /* Images alone: unlabelled. */
    rc = ds_load_idx(&ds, ip, NULL, err, sizeof err);
    CHECK(rc == 0 && ds.labels == NULL && ds.n_classes == 0 && ds.n == 5,
          "gz=%d images only: %s", gz, err);
    ds_free(&ds);
  }
  char ip[4096];
  snprintf(ip, sizeof ip, "%s", put("img.ok", img, ni, 0));

  /* Missing file. */
  char missing[4096];
  snprintf(missing, sizeof missing, "%s/no_such_file.gz", dir);
  expect_error(missing, NULL, "no_such_file.gz: cannot open", "missing");
  /* Wrong magic: a label file given as images, random bytes, bad type. */
  expect_error(put("lab_as_img", lab, nl, 1), NULL, "magic 0x00000801",
               "labels as images");
  expect_error(ip, put("img_as_lab", img, ni, 0), "magic 0x00000803",
               "images as labels");
  memcpy(bad, "GIF89a-not-an-idx-file", 22);
  expect_error(put("junk", bad, 22, 0), NULL, "not an IDX file", "junk");
  memcpy(bad, img, ni);
  bad[2] = 0x0D; /* float elements */
  expect_error(put("float_idx", bad, ni, 1), NULL, "element type 0x0d",
               "float type");
  memcpy(bad, img, ni);
  bad[3] = 2; /* two dimensions */
  expect_error(put("rank2", bad, ni, 0), NULL, "2 dimensions", "rank 2");
  /* Zero count. */
  memcpy(bad, img, ni);
  be32(bad + 4, 0);
  expect_error(put("empty", bad, 16, 0), NULL, "dimension 0 is 0", "empty");
  /* Truncated: header, data (plain and gzip), labels. */
  expect_error(put("short_hdr", img, 10, 0), NULL, "truncated", "short header");
  expect_error(put("short_px", img, ni - 1, 0), NULL, "truncated",
               "short pixels");
  expect_error(put("short_px.gz", img, ni - 7, 1), NULL,
               "ends after 53 of the 60 bytes", "short gzip pixels");
  expect_error(ip, put("short_lab", lab, nl - 1, 1), "truncated",
               "short labels");
  /* A gzip stream cut in the middle (not just short contents). */
  {
    const char *gp = put("cut.gz", img, ni, 1);
    FILE *f = fopen(gp, "rb");
    uint8_t z[512];
    size_t zn = f ? fread(z, 1, sizeof z, f) : 0;
    if (f) fclose(f);
    expect_error(put("cut2.gz", z, zn > 20 ? zn - 12 : zn, 0), NULL,
                 "cut2.gz: ", "cut gzip stream");
  }
  /* Trailing data after the declared size. */
  memcpy(bad, img, ni);
  bad[ni] = 1;
  expect_error(put("long_px", bad, ni + 1, 0), NULL, "data goes on",
               "trailing bytes");
  /* Count mismatch between images and labels. */
  uint8_t lab4[8 + 4];
  size_t nl4 = make_labels(lab4, 4, 3);
  expect_error(ip, put("lab4", lab4, nl4, 0), "4 labels, but",
               "count mismatch");

  return check_summary();
}
