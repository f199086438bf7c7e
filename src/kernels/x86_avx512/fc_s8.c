/*
** FULLY_CONNECTED int8 with AVX-512 VNNI: the input rows become u8
** (x ^ 0x80, depth padded with zeros to a multiple of 4) in scratch, a
** block at a time, and the GEMM core (gemm_s8.c) multiplies them by the
** weights packed at prepare. A per-tensor weight zero point is added to
** the weights when packing (declined if a sum leaves int8), the input
** offset is folded into the bias: exact modulo 2^32, the reference's
** wrapping int32 accumulator, so the results are bit-exact.
*/
#include "fc_avx512.h"

#include "avx512_common.h"

/* Batch rows per block: about 16 KiB of u8 rows, 1 to 64 of them. */
static int32_t block_rows(const mote_fc_dims *n) {
  const int32_t k4 = (n->depth + 3) & ~3;
  int32_t mb = (16384 / k4) & ~7;
  if (mb < 8) mb = 8;
  if (mb > 64) mb = 64;
  return n->batches < mb ? (n->batches < 1 ? 1 : n->batches) : mb;
}

size_t mote_fc_s8_avx512_pack_bytes(const mote_fc_dims *n) {
  return mote_gemm_s8_pack_bytes(n->units, n->depth);
}

const mote_gemm_s8_packed *mote_fc_s8_avx512_pack(void *mem,
                                                  const mote_fc_dims *n,
                                                  const mote_fc_q_params *p,
                                                  const void *weights, int s4,
                                                  const int32_t *bias) {
  return mote_gemm_s8_pack_avx512(mem, n->units, n->depth, weights, s4,
                                  n->depth, 1, p->filter_offset, bias,
                                  p->input_offset);
}

size_t mote_fc_s8_avx512_scratch_bytes(const mote_fc_dims *n) {
  return (size_t)block_rows(n) * (size_t)((n->depth + 3) & ~3);
}

void mote_fc_s8_avx512(const mote_fc_dims *dims, const mote_fc_q_params *params,
                       const mote_gemm_s8_packed *pk, const int8_t *input,
                       int8_t *output, uint8_t *scratch) {
  const mote_fc_dims n = *dims;
  mote_gemm_s8_out o;
  o.rq = &params->rq;
  o.offset = params->output_offset;
  o.act_min = params->act_min;
  o.act_max = params->act_max;
  const int32_t depth = n.depth, k4 = pk->k4, mb = block_rows(&n);
  for (int32_t b0 = 0; b0 < n.batches; b0 += mb) {
    const int32_t rows = n.batches - b0 < mb ? n.batches - b0 : mb;
    for (int32_t r = 0; r < rows; r++) {
      uint8_t *dst = scratch + (ptrdiff_t)r * k4;
      mote_gemm_s8_to_u8(dst, input + (ptrdiff_t)(b0 + r) * depth, depth);
      for (int32_t i = depth; i < k4; i++) dst[i] = 0;
    }
    mote_gemm_s8_avx512(pk, scratch, rows, k4, NULL, &o,
                        output + (ptrdiff_t)b0 * n.units, n.units);
  }
}
