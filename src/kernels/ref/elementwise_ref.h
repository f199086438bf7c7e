/*
** elementwise_ref.h: reference kernels of the binary element-wise ops
** (ADD, SUB, MUL) and the broadcast descriptor they share.
**
** Broadcasting follows numpy/TFLite rules: shapes are right-aligned, every
** pair of extents must be equal or one of them 1. The descriptor is built
** once in prepare: extents of 1 are dropped and neighbouring dimensions that
** walk both inputs the same way are merged, so a plain same-shape op is a
** single row and a channel broadcast is rows of `depth` elements.
*/
#ifndef MOTE_ELEMENTWISE_REF_H
#define MOTE_ELEMENTWISE_REF_H

#include <stdint.h>

#include "../mote_requant.h"

/* Highest rank the broadcasting kernels handle (TFLite: 6). */
#define MOTE_BCAST_MAX_DIMS 6

typedef struct mote_bcast {
  int32_t ndim;                         /* >= 1 after compression */
  int32_t count;                        /* output elements */
  int32_t shape[MOTE_BCAST_MAX_DIMS];   /* output extents, outer first */
  int32_t stride1[MOTE_BCAST_MAX_DIMS]; /* input 1 element steps (0: bcast) */
  int32_t stride2[MOTE_BCAST_MAX_DIMS]; /* input 2 element steps */
} mote_bcast;

/* Results of mote_bcast_init. */
#define MOTE_BCAST_OK 0
#define MOTE_BCAST_INCOMPATIBLE 1 /* some extents differ and neither is 1 */
#define MOTE_BCAST_TOO_MANY_DIMS 2

/*
** Build the descriptor for inputs of shapes a[na] and b[nb]. The output
** shape (rank max(na, nb)) is written to out_dims (room for max(na, nb)
** entries) and *out_n. Same shapes of any rank are always accepted (flat
** walk); genuine broadcasting is limited to MOTE_BCAST_MAX_DIMS.
*/
static inline int mote_bcast_init(mote_bcast *bc, const int32_t *a, uint32_t na,
                                  const int32_t *b, uint32_t nb,
                                  int32_t *out_dims, uint32_t *out_n) {
  uint32_t n = na > nb ? na : nb;
  int32_t ea[MOTE_BCAST_MAX_DIMS], eb[MOTE_BCAST_MAX_DIMS];
  int32_t eo[MOTE_BCAST_MAX_DIMS];
  int32_t sa[MOTE_BCAST_MAX_DIMS], sb[MOTE_BCAST_MAX_DIMS];
  int64_t count = 1;
  uint32_t i;
  int same = na == nb;
  for (i = 0; same && i < na; i++) same = a[i] == b[i];
  *out_n = n;
  if (same) {
    for (i = 0; i < na; i++) {
      out_dims[i] = a[i];
      count *= a[i];
    }
    bc->ndim = 1;
    bc->count = (int32_t)count;
    bc->shape[0] = (int32_t)count;
    bc->stride1[0] = 1;
    bc->stride2[0] = 1;
    return MOTE_BCAST_OK;
  }
  if (n > MOTE_BCAST_MAX_DIMS) return MOTE_BCAST_TOO_MANY_DIMS;
  for (i = 0; i < n; i++) {
    ea[i] = i + na < n ? 1 : a[i + na - n];
    eb[i] = i + nb < n ? 1 : b[i + nb - n];
    if (ea[i] == eb[i] || eb[i] == 1)
      eo[i] = ea[i];
    else if (ea[i] == 1)
      eo[i] = eb[i];
    else
      return MOTE_BCAST_INCOMPATIBLE;
    out_dims[i] = eo[i];
    count *= eo[i];
  }
  /* Contiguous strides of each input, zeroed where it is broadcast. */
  {
    int32_t pa = 1, pb = 1;
    for (i = n; i-- > 0;) {
      sa[i] = ea[i] == 1 ? 0 : pa;
      sb[i] = eb[i] == 1 ? 0 : pb;
      pa *= ea[i];
      pb *= eb[i];
    }
  }
  /* Drop extents of 1, merge dimensions that step both inputs alike. */
  bc->ndim = 0;
  for (i = 0; i < n; i++) {
    int32_t k = bc->ndim;
    if (eo[i] == 1) continue;
    if (k > 0 && bc->stride1[k - 1] == sa[i] * eo[i] &&
        bc->stride2[k - 1] == sb[i] * eo[i]) {
      bc->shape[k - 1] *= eo[i];
      bc->stride1[k - 1] = sa[i];
      bc->stride2[k - 1] = sb[i];
      continue;
    }
    bc->shape[k] = eo[i];
    bc->stride1[k] = sa[i];
    bc->stride2[k] = sb[i];
    bc->ndim = k + 1;
  }
  if (bc->ndim == 0) {
    bc->ndim = 1;
    bc->shape[0] = 1;
    bc->stride1[0] = 0;
    bc->stride2[0] = 0;
  }
  bc->count = (int32_t)count;
  return MOTE_BCAST_OK;
}

/* Walks the rows (all but the innermost dimension) of a descriptor. */
typedef struct mote_bcast_it {
  int32_t idx[MOTE_BCAST_MAX_DIMS];
  int32_t o1, o2; /* element offsets of the row start in input 1 / 2 */
} mote_bcast_it;

static inline void mote_bcast_begin(mote_bcast_it *it) {
  int i;
  for (i = 0; i < MOTE_BCAST_MAX_DIMS; i++) it->idx[i] = 0;
  it->o1 = 0;
  it->o2 = 0;
}

static inline void mote_bcast_next_row(const mote_bcast *bc,
                                       mote_bcast_it *it) {
  int32_t d;
  for (d = bc->ndim - 2; d >= 0; d--) {
    it->o1 += bc->stride1[d];
    it->o2 += bc->stride2[d];
    if (++it->idx[d] < bc->shape[d]) return;
    it->idx[d] = 0;
    it->o1 -= bc->stride1[d] * bc->shape[d];
    it->o2 -= bc->stride2[d] * bc->shape[d];
  }
}

/* Number of rows and row length of a non-empty descriptor. */
static inline int32_t mote_bcast_row_len(const mote_bcast *bc) {
  return bc->shape[bc->ndim - 1];
}

/* Wrap-around int32 arithmetic (TFLite relies on it; C99 does not). */
static inline int32_t mote_wrap_add(int32_t a, int32_t b) {
  return (int32_t)((uint32_t)a + (uint32_t)b);
}
static inline int32_t mote_wrap_sub(int32_t a, int32_t b) {
  return (int32_t)((uint32_t)a - (uint32_t)b);
}
static inline int32_t mote_wrap_mul(int32_t a, int32_t b) {
  return (int32_t)((uint32_t)a * (uint32_t)b);
}

/* Float clamp written as TFLite's ActivationFunctionWithMinMax. */
static inline float mote_act_f32(float x, float lo, float hi) {
  float y = x < lo ? lo : x;
  return hi < y ? hi : y;
}

/* ---------------------------------------------------------------------- */
/* Quantized ADD / SUB: inputs rescaled to a common scale with left_shift
** bits of headroom (20 for int8, 15 for int16), summed, rescaled. */
typedef struct mote_addsub_q_params {
  int32_t in1_offset; /* -zero point of input 1 */
  int32_t in2_offset;
  int32_t out_offset; /* zero point of the output */
  int32_t left_shift;
  int32_t in1_mult, in1_shift; /* shifts <= 0 */
  int32_t in2_mult, in2_shift;
  int32_t out_mult, out_shift;
  int32_t act_min, act_max;
} mote_addsub_q_params;

static inline int32_t mote_addsub_scale_in(int32_t q, int32_t offset,
                                           int32_t left_shift, int32_t mult,
                                           int32_t shift) {
  int32_t v = (int32_t)((uint32_t)(q + offset) << left_shift);
  return mote_mul_by_qm_lt1(v, mult, shift);
}

static inline int32_t mote_addsub_finish(int32_t raw,
                                         const mote_addsub_q_params *p) {
  int32_t o = mote_wrap_add(mote_mul_by_qm_lt1(raw, p->out_mult, p->out_shift),
                            p->out_offset);
  return mote_clamp_i32(o, p->act_min, p->act_max);
}

/* Quantized MUL. */
typedef struct mote_mul_q_params {
  int32_t in1_offset, in2_offset, out_offset;
  int32_t out_mult, out_shift;
  int32_t act_min, act_max;
} mote_mul_q_params;

/* Plain int32 / float ops: clamp bounds. */
typedef struct mote_arith_i32_params {
  int32_t act_min, act_max;
} mote_arith_i32_params;

typedef struct mote_arith_f32_params {
  float act_min, act_max;
} mote_arith_f32_params;

/*
** Kernels. `out` may alias `in1` when input 1 has the output's shape
** (every output element reads input 1 only at its own position).
*/
void mote_add_s8_ref(const mote_addsub_q_params *p, const mote_bcast *bc,
                     const int8_t *in1, const int8_t *in2, int8_t *out);
void mote_add_s16_ref(const mote_addsub_q_params *p, const mote_bcast *bc,
                      const int16_t *in1, const int16_t *in2, int16_t *out);
void mote_add_s32_ref(const mote_arith_i32_params *p, const mote_bcast *bc,
                      const int32_t *in1, const int32_t *in2, int32_t *out);
void mote_add_f32_ref(const mote_arith_f32_params *p, const mote_bcast *bc,
                      const float *in1, const float *in2, float *out);

void mote_sub_s8_ref(const mote_addsub_q_params *p, const mote_bcast *bc,
                     const int8_t *in1, const int8_t *in2, int8_t *out);
void mote_sub_s16_ref(const mote_addsub_q_params *p, const mote_bcast *bc,
                      const int16_t *in1, const int16_t *in2, int16_t *out);
void mote_sub_s32_ref(const mote_arith_i32_params *p, const mote_bcast *bc,
                      const int32_t *in1, const int32_t *in2, int32_t *out);
void mote_sub_f32_ref(const mote_arith_f32_params *p, const mote_bcast *bc,
                      const float *in1, const float *in2, float *out);

void mote_mul_s8_ref(const mote_mul_q_params *p, const mote_bcast *bc,
                     const int8_t *in1, const int8_t *in2, int8_t *out);
void mote_mul_s16_ref(const mote_mul_q_params *p, const mote_bcast *bc,
                      const int16_t *in1, const int16_t *in2, int16_t *out);
void mote_mul_s32_ref(const mote_arith_i32_params *p, const mote_bcast *bc,
                      const int32_t *in1, const int32_t *in2, int32_t *out);
void mote_mul_f32_ref(const mote_arith_f32_params *p, const mote_bcast *bc,
                      const float *in1, const float *in2, float *out);

#endif
