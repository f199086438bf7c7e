/*
** gemm_avx512.h: the int8 GEMM core shared by the AVX-512 VNNI kernels of
** CONV_2D (conv_avx512.h) and FULLY_CONNECTED (fc_avx512.h), x86-64 builds
** with MOTE_HAVE_AVX512 only. Plain C declarations: ops include this
** header without the AVX-512 compiler flags.
**
** Weights are packed once at prepare (mote_gemm_s8_pack_avx512) into the
** layout vpdpbusd wants: blocks of 16 output channels, each [k4/4][16][4]
** (four consecutive depth bytes of one channel form one 32-bit lane), the
** depth padded to a multiple of 4 and the channels to a multiple of 16
** with zero weights. The bias is folded with the VNNI offset correction
** (x86_avx512/avx512_common.h): activations enter as u8 u = x ^ 0x80 =
** x + 128, and sum w * (x + io) = sum w * u + (io - 128) * sum w, all
** modulo 2^32 like the reference's wrapping int32 accumulator.
*/
#ifndef MOTE_GEMM_AVX512_H
#define MOTE_GEMM_AVX512_H

#include <stddef.h>
#include <stdint.h>

#include "../mote_requant.h"

/*
** Packed weights and folded bias (one block of persistent memory; the
** arrays are found by offsets from the struct, so the block holds no
** pointers).
*/
typedef struct mote_gemm_s8_packed {
  int32_t n;        /* output channels (units) */
  int32_t k;        /* depth (filter_h * filter_w * in_c, or FC depth) */
  int32_t k4;       /* k rounded up to a multiple of 4 */
  uint32_t bias_at; /* byte offset of int32 bias[n rounded up to 16] */
  uint32_t w_at;    /* byte offset of the weights (64-byte aligned) */
} mote_gemm_s8_packed;

/* Largest depth the packer takes (keeps every size far inside int32). */
#define MOTE_GEMM_AVX512_MAX_K (1 << 22)

/* Bytes of persistent memory mote_gemm_s8_pack_avx512 needs for n output
 * channels of depth k (0 when n or k is out of range). */
size_t mote_gemm_s8_pack_bytes(int32_t n, int32_t k);

/*
** Pack n x k weights into `mem` (mote_gemm_s8_pack_bytes(n, k) bytes, 16-
** byte aligned). Weight (j, i) is element j * sn + i * sk of `w` (int8,
** or with `s4` packed signed int4, low nibble first), plus filter_offset
** (FC per-tensor weight zero point; the sum must fit int8, else NULL is
** returned and the caller keeps another kernel). bias may be NULL;
** input_offset is minus the input zero point. Returns the packed block.
*/
const mote_gemm_s8_packed *mote_gemm_s8_pack_avx512(
    void *mem, int32_t n, int32_t k, const void *w, int s4, ptrdiff_t sn,
    ptrdiff_t sk, int32_t filter_offset, const int32_t *bias,
    int32_t input_offset);

/* Weight element e of an int8 array, or with s4 of packed signed int4
 * (low nibble first). */
int32_t mote_gemm_s8_weight_at(const void *w, int s4, ptrdiff_t e);

/* The u8 value (x ^ 0x80) that stands for padding: the input zero point. */
static inline uint8_t mote_gemm_s8_pad_u8(int32_t input_offset) {
  return (uint8_t)(((uint32_t)(-input_offset) & 0xFFu) ^ 0x80u);
}

/* Requantization and clamp of the outputs. */
typedef struct mote_gemm_s8_out {
  const mote_requant_ch *rq; /* per output channel */
  int32_t offset;            /* output zero point */
  int32_t act_min, act_max;
} mote_gemm_s8_out;

/*
** out[r * out_stride + j] = requant(bias[j] + sum_i a[r * a_stride + i] *
** w[j][i]) for r < rows, j < pk->n: `a` holds u8 rows (x ^ 0x80) of at
** least pk->k4 bytes each (bytes k .. k4-1 zero). With koff (implicit
** GEMM, no im2col), depth step s (bytes 4s .. 4s+3) of row r is read at
** a + r * a_stride + koff[s] instead of a + r * a_stride + 4s. Reads only
** the packed weights; writes only the rows x n outputs.
*/
void mote_gemm_s8_avx512(const mote_gemm_s8_packed *pk, const uint8_t *a,
                         int32_t rows, ptrdiff_t a_stride, const int32_t *koff,
                         const mote_gemm_s8_out *o, int8_t *out,
                         ptrdiff_t out_stride);

/* dst[0..n) = src[0..n) ^ 0x80 (int8 -> the u8 VNNI operand). */
void mote_gemm_s8_to_u8(uint8_t *dst, const int8_t *src, int32_t n);

#endif
