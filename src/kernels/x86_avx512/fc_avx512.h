/*
** fc_avx512.h: AVX-512 VNNI int8 FULLY_CONNECTED (x86-64 builds with
** MOTE_HAVE_AVX512 only; plain C declarations). Bit-exact with
** mote_fc_s8_ref (and mote_fc_s8w4_ref for packed int4 weights); call only
** when the CPU has AVX-512 F/BW/VL/DQ/VNNI and the weights were packed at
** prepare (mote_fc_s8_avx512_pack returned non-NULL).
*/
#ifndef MOTE_FC_AVX512_H
#define MOTE_FC_AVX512_H

#include "../ref/fc_ref.h"
#include "gemm_avx512.h"

/* Persistent bytes of the packed weights of n (0: extents not taken). */
size_t mote_fc_s8_avx512_pack_bytes(const mote_fc_dims *n);

/*
** Pack weights [units, depth] (int8, or packed int4 with s4) and bias (may
** be NULL) with p's input and weight offsets into mem. NULL when a weight
** plus the per-tensor weight offset leaves int8 (then keep another
** kernel) or the extents are out of range.
*/
const mote_gemm_s8_packed *mote_fc_s8_avx512_pack(void *mem,
                                                  const mote_fc_dims *n,
                                                  const mote_fc_q_params *p,
                                                  const void *weights, int s4,
                                                  const int32_t *bias);

/* Scratch bytes (u8 copies of a block of input rows). */
size_t mote_fc_s8_avx512_scratch_bytes(const mote_fc_dims *n);

/*
** y[b, u] for every batch with the packed weights pk (packed for the same
** extents and offsets as p): batch 1 is a GEMV over 64 units at a time,
** more batches a GEMM 8 rows at a time. scratch:
** mote_fc_s8_avx512_scratch_bytes(n) bytes, 16-byte aligned.
*/
void mote_fc_s8_avx512(const mote_fc_dims *n, const mote_fc_q_params *p,
                       const mote_gemm_s8_packed *pk, const int8_t *input,
                       int8_t *output, uint8_t *scratch);

#endif
