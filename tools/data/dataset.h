/*
** dataset.h: labelled data sets for the host tools (train, quantize,
** prune, distill, eval): IDX files (gzip or plain, through zlib), the
** Fashion-MNIST set from Debian's dataset-fashion-mnist package, and raw
** tensor files (one sample per file, or a directory of them) for the
** calibration data of any model.
*/
#ifndef MOTE_DATASET_H
#define MOTE_DATASET_H

#include <stddef.h>
#include <stdint.h>

/* Where Debian's dataset-fashion-mnist installs the set; the environment
 * variable MOTE_FASHION_MNIST overrides it. */
#define DS_FASHION_MNIST_DIR "/usr/share/datasets/fashion-mnist"

/*
** A data set in memory. Samples are h*w*c values in NHWC order, either as
** bytes (`u8`, e.g. IDX images 0..255) or as floats (`f32`); exactly one of
** the two is non-NULL. `labels` is NULL for unlabelled sets (calibration).
*/
typedef struct mote_dataset {
  uint32_t n;         /* number of samples */
  uint32_t h, w, c;   /* shape of one sample (IDX 28x28 images: 28,28,1) */
  uint8_t *u8;        /* n*h*w*c bytes, or NULL */
  float *f32;         /* n*h*w*c floats, or NULL */
  uint8_t *labels;    /* n labels 0..n_classes-1, or NULL */
  uint32_t n_classes; /* 1 + largest label (0 if unlabelled) */
} mote_dataset;

/* Elements in one sample (h*w*c). */
static inline size_t ds_sample_len(const mote_dataset *ds) {
  return (size_t)ds->h * ds->w * ds->c;
}

/*
** Load an IDX image file (idx3 ubyte, .gz or plain) and, if labels_path is
** not NULL, its idx1 label file. Returns 0, or -1 with a one-line reason
** in err (file, what was wrong).
*/
int ds_load_idx(mote_dataset *ds, const char *images_path,
                const char *labels_path, char *err, size_t errlen);

/*
** Load Fashion-MNIST's training (test == 0: 60,000 images) or test
** (test != 0: 10,000) split from `dir` (NULL: $MOTE_FASHION_MNIST or
** DS_FASHION_MNIST_DIR). Returns 0 or -1 with err saying how to install
** the package.
*/
int ds_load_fashion_mnist(mote_dataset *ds, const char *dir, int test,
                          char *err, size_t errlen);

/* Fashion-MNIST class name of label k ("T-shirt/top", ...; "?" if bad). */
const char *ds_fashion_class(unsigned k);

/* Fashion-MNIST class of label k as a file-name word ("tshirt_top",
 * "trouser", ..., "ankle_boot"; "unknown" if bad). */
const char *ds_fashion_slug(unsigned k);

/*
** Load raw tensor files as an unlabelled set of float samples: `path` is
** one file or a directory (files taken in name order, hidden ones
** skipped). Every file holds `sample_len` elements of `dtype` ("f32",
** "u8", "i8", "i16"; little-endian), or a multiple of it (several samples);
** integer types are converted with (v - zero_point) * scale. The set has
** h = w = 1, c = sample_len. Returns 0 or -1
** with err.
*/
int ds_load_raw(mote_dataset *ds, const char *path, size_t sample_len,
                const char *dtype, float scale, int32_t zero_point, char *err,
                size_t errlen);

/* Sample i as floats into out (ds_sample_len values): u8 sets are scaled
 * by 1/255 to [0,1] (the convention of the training tools), f32 copied. */
void ds_sample_f32(const mote_dataset *ds, uint32_t i, float *out);

/* Free what a loader allocated and zero the struct. */
void ds_free(mote_dataset *ds);

#endif
