/*
** dataset.c: loaders for the data sets of the host tools (see dataset.h):
** IDX image/label files read through zlib (gzip or plain), the
** Fashion-MNIST set of Debian's dataset-fashion-mnist package, and raw
** tensor files (one file or a directory of them) for calibration.
*/
#include "data/dataset.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

/* Largest data set the loaders accept (bytes of samples): 4 GiB. */
#define DS_MAX_BYTES ((uint64_t)4 << 30)

static const char *const kFashionNames[10] = {
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
static const char *const kFashionSlugs[10] = {
    "tshirt_top", "trouser", "pullover", "dress", "coat",
    "sandal",     "shirt",   "sneaker",  "bag",   "ankle_boot"};

static int fail(char *err, size_t errlen, const char *fmt, ...) {
  if (err && errlen) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
  }
  return -1;
}

/* ---- IDX ---- */

/*
** Read exactly len bytes from g. Returns 0, or -1 with err saying what
** (truncated file, gzip error).
*/
static int gz_read_all(gzFile g, void *dst, uint64_t len, const char *path,
                       const char *what, char *err, size_t errlen) {
  uint8_t *p = dst;
  uint64_t done = 0;
  while (done < len) {
    uint64_t chunk = len - done;
    if (chunk > (1u << 30)) chunk = 1u << 30;
    int r = gzread(g, p + done, (unsigned)chunk);
    if (r < 0) {
      int zerr = 0;
      const char *m = gzerror(g, &zerr);
      return fail(err, errlen, "%s: cannot read %s: %s", path, what,
                  zerr == Z_ERRNO ? strerror(errno) : m);
    }
    if (r == 0) {
      /* zlib reports a cut gzip stream as an error only on some calls. */
      int zerr = 0;
      const char *m = gzerror(g, &zerr);
      if (zerr != Z_OK && zerr != Z_BUF_ERROR)
        return fail(err, errlen, "%s: cannot read %s: %s", path, what, m);
      return fail(err, errlen,
                  "%s: truncated: file ends after %llu of the %llu bytes of "
                  "%s",
                  path, (unsigned long long)done, (unsigned long long)len,
                  what);
    }
    done += (uint64_t)r;
  }
  return 0;
}

static uint32_t be32(const uint8_t *b) {
  return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 |
         (uint32_t)b[3];
}

/*
** Open an IDX file and check its header: magic 0x0000 08 `ndim` (unsigned
** bytes) and `ndim` non-zero dimensions into dims. Returns the open file
** or NULL with err.
*/
static gzFile idx_open(const char *path, uint32_t ndim, uint32_t *dims,
                       char *err, size_t errlen) {
  errno = 0;
  gzFile g = gzopen(path, "rb");
  if (!g) {
    fail(err, errlen, "%s: cannot open: %s", path,
         errno ? strerror(errno) : "out of memory");
    return NULL;
  }
  uint8_t hdr[4 + 4 * 3];
  if (gz_read_all(g, hdr, 4, path, "the IDX header", err, errlen) != 0) {
    gzclose(g);
    return NULL;
  }
  uint32_t magic = be32(hdr);
  uint32_t want = 0x0800u | ndim;
  if (magic != want) {
    if ((magic & 0xffff0000u) != 0 || (magic & 0xffu) == 0 ||
        (magic & 0xffu) > 4)
      fail(err, errlen,
           "%s: not an IDX file (magic 0x%08x, expected 0x%08x for %s)", path,
           magic, want, ndim == 1 ? "labels" : "images");
    else if ((magic & 0xff00u) != 0x0800u)
      fail(err, errlen,
           "%s: IDX element type 0x%02x, expected 0x08 (unsigned byte)", path,
           (magic >> 8) & 0xffu);
    else
      fail(err, errlen,
           "%s: IDX file has %u dimensions (magic 0x%08x), expected %u "
           "(%s, magic 0x%08x)",
           path, magic & 0xffu, magic, ndim, ndim == 1 ? "labels" : "images",
           want);
    gzclose(g);
    return NULL;
  }
  if (gz_read_all(g, hdr + 4, 4 * (uint64_t)ndim, path, "the IDX header", err,
                  errlen) != 0) {
    gzclose(g);
    return NULL;
  }
  for (uint32_t d = 0; d < ndim; d++) {
    dims[d] = be32(hdr + 4 + 4 * d);
    if (dims[d] == 0) {
      fail(err, errlen, "%s: IDX dimension %u is 0 (empty data set)", path, d);
      gzclose(g);
      return NULL;
    }
  }
  return g;
}

/* After the data: the file must end (a longer file is not an IDX set). */
static int idx_check_end(gzFile g, const char *path, char *err, size_t errlen) {
  uint8_t extra[64];
  int r = gzread(g, extra, sizeof extra);
  if (r > 0)
    return fail(err, errlen,
                "%s: data goes on after the size its IDX header gives", path);
  if (r < 0) {
    int zerr = 0;
    return fail(err, errlen, "%s: %s", path, gzerror(g, &zerr));
  }
  return 0;
}

int ds_load_idx(mote_dataset *ds, const char *images_path,
                const char *labels_path, char *err, size_t errlen) {
  memset(ds, 0, sizeof *ds);
  uint32_t dims[3];
  gzFile g = idx_open(images_path, 3, dims, err, errlen);
  if (!g) return -1;
  uint64_t bytes = (uint64_t)dims[0] * dims[1] * dims[2];
  if (bytes > DS_MAX_BYTES) {
    gzclose(g);
    return fail(err, errlen, "%s: %u images of %ux%u is more than 4 GiB",
                images_path, dims[0], dims[1], dims[2]);
  }
  uint8_t *px = malloc((size_t)bytes);
  if (!px) {
    gzclose(g);
    return fail(err, errlen, "%s: out of memory for %llu bytes", images_path,
                (unsigned long long)bytes);
  }
  char what[64];
  snprintf(what, sizeof what, "%u images of %ux%u", dims[0], dims[1], dims[2]);
  if (gz_read_all(g, px, bytes, images_path, what, err, errlen) != 0 ||
      idx_check_end(g, images_path, err, errlen) != 0) {
    gzclose(g);
    free(px);
    return -1;
  }
  gzclose(g);
  ds->n = dims[0];
  ds->h = dims[1];
  ds->w = dims[2];
  ds->c = 1;
  ds->u8 = px;
  if (!labels_path) return 0;

  uint32_t nl;
  g = idx_open(labels_path, 1, &nl, err, errlen);
  if (!g) {
    ds_free(ds);
    return -1;
  }
  if (nl != ds->n) {
    gzclose(g);
    fail(err, errlen, "%s: %u labels, but %s has %u images", labels_path, nl,
         images_path, ds->n);
    ds_free(ds);
    return -1;
  }
  ds->labels = malloc(nl);
  if (!ds->labels) {
    gzclose(g);
    ds_free(ds);
    return fail(err, errlen, "%s: out of memory", labels_path);
  }
  snprintf(what, sizeof what, "%u labels", nl);
  if (gz_read_all(g, ds->labels, nl, labels_path, what, err, errlen) != 0 ||
      idx_check_end(g, labels_path, err, errlen) != 0) {
    gzclose(g);
    ds_free(ds);
    return -1;
  }
  gzclose(g);
  uint32_t mx = 0;
  for (uint32_t i = 0; i < nl; i++)
    if (ds->labels[i] > mx) mx = ds->labels[i];
  ds->n_classes = mx + 1;
  return 0;
}

/* ---- Fashion-MNIST ---- */

static int file_exists(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* dir/base.gz if it exists, else dir/base (unpacked copy), else the .gz. */
static void fashion_file(char *out, size_t len, const char *dir,
                         const char *base) {
  snprintf(out, len, "%s/%s.gz", dir, base);
  if (file_exists(out)) return;
  snprintf(out, len, "%s/%s", dir, base);
  if (file_exists(out)) return;
  snprintf(out, len, "%s/%s.gz", dir, base);
}

int ds_load_fashion_mnist(mote_dataset *ds, const char *dir, int test,
                          char *err, size_t errlen) {
  memset(ds, 0, sizeof *ds);
  const char *env = getenv("MOTE_FASHION_MNIST");
  if (!dir || !*dir) dir = (env && *env) ? env : DS_FASHION_MNIST_DIR;
  const char *pre = test ? "t10k" : "train";
  char img[4096], lab[4096], base[64];
  snprintf(base, sizeof base, "%s-images-idx3-ubyte", pre);
  fashion_file(img, sizeof img, dir, base);
  snprintf(base, sizeof base, "%s-labels-idx1-ubyte", pre);
  fashion_file(lab, sizeof lab, dir, base);
  const char *missing = !file_exists(img) ? img : !file_exists(lab) ? lab : 0;
  if (missing)
    return fail(err, errlen,
                "%s: Fashion-MNIST not found (install it with `apt install "
                "dataset-fashion-mnist`, or set MOTE_FASHION_MNIST to its "
                "folder)",
                missing);
  if (ds_load_idx(ds, img, lab, err, errlen) != 0) return -1;
  if (ds->h != 28 || ds->w != 28 || ds->n_classes > 10) {
    fail(err, errlen,
         "%s: not Fashion-MNIST (%ux%u images, %u classes; expected 28x28, "
         "10 classes)",
         img, ds->h, ds->w, ds->n_classes);
    ds_free(ds);
    return -1;
  }
  ds->n_classes = 10;
  return 0;
}

const char *ds_fashion_class(unsigned k) {
  return k < 10 ? kFashionNames[k] : "?";
}

const char *ds_fashion_slug(unsigned k) {
  return k < 10 ? kFashionSlugs[k] : "unknown";
}

/* ---- raw tensor files ---- */

static int name_cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Size of one element of a raw dtype, 0 if unknown. */
static size_t raw_elem_size(const char *dtype) {
  if (strcmp(dtype, "f32") == 0) return 4;
  if (strcmp(dtype, "u8") == 0 || strcmp(dtype, "i8") == 0) return 1;
  if (strcmp(dtype, "i16") == 0) return 2;
  return 0;
}

/* Decode n little-endian elements of dtype from src into dst. */
static void raw_decode(float *dst, const uint8_t *src, size_t n,
                       const char *dtype, float scale, int32_t zp) {
  if (strcmp(dtype, "f32") == 0) {
    for (size_t i = 0; i < n; i++) {
      uint32_t u = (uint32_t)src[4 * i] | (uint32_t)src[4 * i + 1] << 8 |
                   (uint32_t)src[4 * i + 2] << 16 |
                   (uint32_t)src[4 * i + 3] << 24;
      memcpy(&dst[i], &u, 4);
    }
    return;
  }
  for (size_t i = 0; i < n; i++) {
    int32_t v;
    if (dtype[0] == 'u')
      v = src[i];
    else if (dtype[1] == '8')
      v = (int8_t)src[i];
    else
      v = (int16_t)(uint16_t)((uint16_t)src[2 * i] |
                              (uint16_t)(src[2 * i + 1] << 8));
    dst[i] = (float)(v - zp) * scale;
  }
}

/* The regular, non-hidden files of dir in name order (NULL-terminated). */
static char **list_dir(const char *dir, size_t *count, char *err,
                       size_t errlen) {
  DIR *d = opendir(dir);
  if (!d) {
    fail(err, errlen, "%s: cannot open folder: %s", dir, strerror(errno));
    return NULL;
  }
  size_t n = 0, cap = 16;
  char **names = malloc(cap * sizeof *names);
  struct dirent *e = NULL;
  while (names && (e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.') continue;
    size_t len = strlen(dir) + strlen(e->d_name) + 2;
    char *full = malloc(len);
    if (!full) break;
    snprintf(full, len, "%s/%s", dir, e->d_name);
    if (!file_exists(full)) {
      free(full);
      continue;
    }
    if (n == cap) {
      char **grown = realloc(names, 2 * cap * sizeof *names);
      if (!grown) {
        free(full);
        break;
      }
      names = grown;
      cap *= 2;
    }
    names[n++] = full;
  }
  int oom = names == NULL || e != NULL;
  closedir(d);
  if (oom) {
    for (size_t i = 0; names && i < n; i++) free(names[i]);
    free(names);
    fail(err, errlen, "%s: out of memory listing the folder", dir);
    return NULL;
  }
  qsort(names, n, sizeof *names, name_cmp);
  *count = n;
  return names;
}

/* Size in bytes of a regular file, or -1. */
static long long file_size(const char *path) {
  struct stat st;
  if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) return -1;
  return (long long)st.st_size;
}

int ds_load_raw(mote_dataset *ds, const char *path, size_t sample_len,
                const char *dtype, float scale, int32_t zero_point, char *err,
                size_t errlen) {
  memset(ds, 0, sizeof *ds);
  size_t esize = dtype ? raw_elem_size(dtype) : 0;
  if (!esize)
    return fail(err, errlen, "%s: unknown raw type '%s' (f32, u8, i8, i16)",
                path, dtype ? dtype : "(null)");
  if (sample_len == 0 || sample_len > UINT32_MAX)
    return fail(err, errlen, "%s: bad sample size %zu", path, sample_len);
  struct stat st;
  if (stat(path, &st) != 0)
    return fail(err, errlen, "%s: cannot open: %s", path, strerror(errno));
  char **files = NULL, *single[1];
  size_t nfiles = 0;
  if (S_ISDIR(st.st_mode)) {
    files = list_dir(path, &nfiles, err, errlen);
    if (!files) return -1;
    if (nfiles == 0) {
      free(files);
      return fail(err, errlen, "%s: folder has no sample files", path);
    }
  } else {
    single[0] = (char *)path;
    nfiles = 1;
  }
  char **names = files ? files : single;
  size_t sbytes = sample_len * esize;
  uint64_t total = 0;
  int rc = 0;
  for (size_t i = 0; i < nfiles && rc == 0; i++) {
    long long sz = file_size(names[i]);
    if (sz < 0)
      rc = fail(err, errlen, "%s: cannot read", names[i]);
    else if (sz == 0 || (uint64_t)sz % sbytes != 0)
      rc = fail(err, errlen,
                "%s: %lld bytes is not a multiple of one sample (%zu %s "
                "values = %zu bytes)",
                names[i], sz, sample_len, dtype, sbytes);
    else
      total += (uint64_t)sz / sbytes;
  }
  if (rc == 0 && (total > UINT32_MAX || total * sample_len * 4 > DS_MAX_BYTES))
    rc = fail(err, errlen, "%s: too many samples (%llu)", path,
              (unsigned long long)total);
  float *f = NULL;
  uint8_t *buf = NULL;
  if (rc == 0) {
    f = malloc((size_t)total * sample_len * sizeof(float));
    if (!f) rc = fail(err, errlen, "%s: out of memory", path);
  }
  size_t at = 0;
  for (size_t i = 0; i < nfiles && rc == 0; i++) {
    long long sz = file_size(names[i]);
    FILE *fp = fopen(names[i], "rb");
    uint8_t *nb = sz > 0 ? realloc(buf, (size_t)sz) : NULL;
    if (nb) buf = nb;
    if (!fp || !nb || fread(buf, 1, (size_t)sz, fp) != (size_t)sz)
      rc = fail(err, errlen, "%s: cannot read: %s", names[i],
                !nb ? "out of memory" : "read error");
    else {
      size_t elems = (size_t)sz / esize;
      raw_decode(f + at, buf, elems, dtype, scale, zero_point);
      at += elems;
    }
    if (fp) fclose(fp);
  }
  free(buf);
  if (files) {
    for (size_t i = 0; i < nfiles; i++) free(files[i]);
    free(files);
  }
  if (rc != 0) {
    free(f);
    return -1;
  }
  ds->n = (uint32_t)total;
  ds->h = 1;
  ds->w = 1;
  ds->c = (uint32_t)sample_len;
  ds->f32 = f;
  return 0;
}

/* ---- access ---- */

void ds_sample_f32(const mote_dataset *ds, uint32_t i, float *out) {
  size_t len = ds_sample_len(ds);
  if (ds->f32) {
    memcpy(out, ds->f32 + (size_t)i * len, len * sizeof(float));
    return;
  }
  const uint8_t *p = ds->u8 + (size_t)i * len;
  for (size_t k = 0; k < len; k++) out[k] = (float)p[k] / 255.0f;
}

void ds_free(mote_dataset *ds) {
  free(ds->u8);
  free(ds->f32);
  free(ds->labels);
  memset(ds, 0, sizeof *ds);
}
