/*
** shape_ref.h: reference kernels of the data-movement family (TRANSPOSE,
** PAD/PADV2, CONCATENATION, STRIDED_SLICE) and of MEAN.
**
** Data-movement kernels only rearrange elements, so they come in element
** widths (x8: int8/uint8/bool, x16: int16, x32: float32/int32, x64: int64)
** rather than in data types. Shapes are normalised by the ops (leading
** dimensions of size 1 prepended) so the kernels have fixed loop depths.
*/
#ifndef MOTE_SHAPE_REF_H
#define MOTE_SHAPE_REF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* ---- TRANSPOSE: 6-D, output written in order ---- */
#define MOTE_TRANSPOSE_DIMS 6
typedef struct mote_transpose_params {
  int32_t out_dims[MOTE_TRANSPOSE_DIMS];
  /* Input element stride of each output axis (input stride of perm[i]). */
  int32_t in_strides[MOTE_TRANSPOSE_DIMS];
} mote_transpose_params;

void mote_transpose_x8_ref(const mote_transpose_params *p, const int8_t *in,
                           int8_t *out);
void mote_transpose_x16_ref(const mote_transpose_params *p, const int16_t *in,
                            int16_t *out);
void mote_transpose_x32_ref(const mote_transpose_params *p, const int32_t *in,
                            int32_t *out);
void mote_transpose_x64_ref(const mote_transpose_params *p, const int64_t *in,
                            int64_t *out);

/* ---- PAD / PADV2: 5-D constant padding ---- */
#define MOTE_PAD_DIMS 5
typedef struct mote_pad_params {
  int32_t in_dims[MOTE_PAD_DIMS];
  int32_t left[MOTE_PAD_DIMS];  /* leading padding of each axis (>= 0) */
  int32_t right[MOTE_PAD_DIMS]; /* trailing padding of each axis (>= 0) */
} mote_pad_params;

void mote_pad_x8_ref(const mote_pad_params *p, const int8_t *in,
                     int8_t pad_value, int8_t *out);
void mote_pad_x16_ref(const mote_pad_params *p, const int16_t *in,
                      int16_t pad_value, int16_t *out);
void mote_pad_x32_ref(const mote_pad_params *p, const int32_t *in,
                      int32_t pad_value, int32_t *out);

/*
** ---- CONCATENATION: one input at a time ----
** The output is `outer` blocks of `out_block` bytes; this input fills
** bytes [offset, offset + in_block) of each block.
*/
void mote_concat_copy_ref(const uint8_t *in, uint8_t *out, size_t outer,
                          size_t in_block, size_t out_block, size_t offset);

/* ---- STRIDED_SLICE: 5-D, output written in order ---- */
#define MOTE_SSLICE_DIMS 5
typedef struct mote_sslice_params {
  int32_t start[MOTE_SSLICE_DIMS];      /* first input index of each axis */
  int32_t stride[MOTE_SSLICE_DIMS];     /* step (may be negative) */
  int32_t count[MOTE_SSLICE_DIMS];      /* number of indices taken (>= 0) */
  int32_t in_strides[MOTE_SSLICE_DIMS]; /* input element strides */
} mote_sslice_params;

void mote_strided_slice_x8_ref(const mote_sslice_params *p, const int8_t *in,
                               int8_t *out);
void mote_strided_slice_x16_ref(const mote_sslice_params *p, const int16_t *in,
                                int16_t *out);
void mote_strided_slice_x32_ref(const mote_sslice_params *p, const int32_t *in,
                                int32_t *out);

/*
** ---- MEAN ----
** The input is walked in row-major order; input axis i moves the output
** position by out_strides[i] (0 for a reduced axis). Sums follow the
** input order, as TFLM's reference Reduce does.
*/
#define MOTE_MEAN_DIMS 6
typedef struct mote_mean_params {
  int32_t in_dims[MOTE_MEAN_DIMS];
  int32_t out_strides[MOTE_MEAN_DIMS];
  int32_t num_out;     /* output elements */
  int32_t num_reduced; /* input elements per output element (> 0) */
  /* Quantized only. same_quant: input and output share scale and zero
   * point, the mean is sum / num_reduced truncated toward zero. Otherwise
   * (sum - in_zp * num_reduced) is rescaled by multiplier/shift, which
   * already include 1 / num_reduced (TFLite QuantizedMeanOrSum). */
  int32_t same_quant;
  int32_t in_zp;
  int32_t out_zp;
  int32_t multiplier;
  int32_t shift;
} mote_mean_params;

/* acc: scratch of num_out int32. */
void mote_mean_s8_ref(const mote_mean_params *p, const int8_t *in, int32_t *acc,
                      int8_t *out);
void mote_mean_s16_ref(const mote_mean_params *p, const int16_t *in,
                       int32_t *acc, int16_t *out);
void mote_mean_f32_ref(const mote_mean_params *p, const float *in, float *out);

/* Sum `in` into acc[] (int32, wrapping like TFLM's int32 accumulator). */
static inline void mote_mean_walk_(const mote_mean_params *p, const void *in,
                                   int is16, int32_t *acc) {
  const int32_t *d = p->in_dims;
  const int32_t *s = p->out_strides;
  const int8_t *in8 = (const int8_t *)in;
  const int16_t *in16 = (const int16_t *)in;
  size_t k = 0;
  int32_t i0, i1, i2, i3, i4, i5;
  for (i0 = 0; i0 < d[0]; ++i0)
    for (i1 = 0; i1 < d[1]; ++i1)
      for (i2 = 0; i2 < d[2]; ++i2)
        for (i3 = 0; i3 < d[3]; ++i3)
          for (i4 = 0; i4 < d[4]; ++i4) {
            int32_t o =
                i0 * s[0] + i1 * s[1] + i2 * s[2] + i3 * s[3] + i4 * s[4];
            for (i5 = 0; i5 < d[5]; ++i5, ++k) {
              int32_t v = is16 ? (int32_t)in16[k] : (int32_t)in8[k];
              int32_t *a = &acc[o + i5 * s[5]];
              *a = (int32_t)((uint32_t)*a + (uint32_t)v);
            }
          }
}

/* Element i of an integer (int32 or int64) constant, little-endian bytes
 * read without alignment assumptions. */
static inline int64_t mote_shape_read_int(const void *data, int is64,
                                          size_t i) {
  if (is64) {
    int64_t v;
    memcpy(&v, (const uint8_t *)data + 8 * i, sizeof v);
    return v;
  } else {
    int32_t v;
    memcpy(&v, (const uint8_t *)data + 4 * i, sizeof v);
    return v;
  }
}

#endif
