/* Prepare-time packing of the NEON int8 CONV_2D / FULLY_CONNECTED /
 * DEPTHWISE_CONV_2D kernels (see conv_neon.h). */
#include <string.h>

#include "conv_neon.h"
#include "neon_common.h"

#define ALIGN16(x) (((x) + (size_t)15) & ~(size_t)15)

static int32_t round_up(int32_t v, int32_t m) {
  return (v + m - 1) / m * m;
}

/* Bytes of the pack header and its four int32 channel arrays. */
static size_t head_bytes(int32_t cp) {
  return ALIGN16(sizeof(mote_neon_pack)) + 4 * ALIGN16((size_t)cp * 4);
}

/* Lay the header and channel arrays out in mem; fill the requantization
 * vectors (lanes past out_c repeat the last channel). */
static mote_neon_pack *pack_head(mote_neon_pack **pk, uint8_t *mem, int32_t oc,
                                 int32_t cp, const mote_requant_ch *rq,
                                 int32_t **bias) {
  mote_neon_pack *h = (mote_neon_pack *)(void *)mem;
  uint8_t *a = mem + ALIGN16(sizeof(mote_neon_pack));
  const size_t arr = ALIGN16((size_t)cp * 4);
  int32_t *b = (int32_t *)(void *)a, *m = (int32_t *)(void *)(a + arr),
          *l = (int32_t *)(void *)(a + 2 * arr),
          *r = (int32_t *)(void *)(a + 3 * arr);
  memset(h, 0, sizeof *h);
  for (int32_t c = 0; c < cp; c++) {
    const int32_t s = c < oc ? c : oc - 1;
    m[c] = mote_requant_mult(rq, s);
    mote_neon_split_shift(mote_requant_shift(rq, s), &l[c], &r[c]);
    b[c] = 0;
  }
  h->bias = b;
  h->mult = m;
  h->lsh = l;
  h->nrsh = r;
  h->cp = cp;
  *bias = b;
  *pk = h;
  return h;
}

int mote_conv2d_s8_neon_supported(const mote_conv_geom *g,
                                  int32_t input_offset) {
  return g->filt_in_c == g->in_c && input_offset >= -127 &&
         input_offset <= 128 && g->out_c > 0 && g->in_c > 0;
}

int mote_fc_s8_neon_supported(int32_t input_offset, int32_t filter_offset) {
  return filter_offset == 0 && input_offset >= -127 && input_offset <= 128;
}

static int32_t gemm_k(const mote_conv_geom *g) {
  return g->filt_h * g->filt_w * g->in_c;
}

/* A copy of the weights is kept when k is not a multiple of 16 or the
 * filter is a one-input-channel depthwise one ([taps][out_c]: transposed). */
static size_t gemm_pack_bytes(const mote_conv_geom *g, int transposed) {
  const int32_t k = gemm_k(g), kp = round_up(k, 16);
  size_t n = head_bytes(round_up(g->out_c, 8));
  if (kp != k || transposed) n += (size_t)g->out_c * (size_t)kp;
  return n;
}

size_t mote_conv2d_s8_neon_pack_bytes(const mote_conv_geom *g) {
  return gemm_pack_bytes(g, 0);
}

size_t mote_conv2d_s8_neon_scratch(const mote_conv_geom *g) {
  return 4 * (size_t)round_up(gemm_k(g), 16);
}

/* Weight i of output channel o: filter[o * so + i * si]. */
static const mote_neon_pack *gemm_pack(const mote_conv_geom *g,
                                       const mote_conv_q_params *p,
                                       const int8_t *filter, size_t so,
                                       size_t si, const int32_t *bias,
                                       void *mem) {
  const int32_t oc = g->out_c, cp = round_up(oc, 8), k = gemm_k(g),
                kp = round_up(k, 16);
  mote_neon_pack *pk;
  int32_t *b;
  pack_head(&pk, (uint8_t *)mem, oc, cp, &p->rq, &b);
  pk->k = k;
  pk->kp = kp;
  if (kp != k || si != 1) {
    int8_t *w = (int8_t *)mem + head_bytes(cp);
    for (int32_t o = 0; o < oc; o++)
      for (int32_t i = 0; i < kp; i++)
        w[(size_t)o * (size_t)kp + (size_t)i] =
            i < k ? filter[(size_t)o * so + (size_t)i * si] : 0;
    pk->w8 = w;
  }
  /* acc = sum w * (x + off) = sum w * x + off * sum w (mod 2^32). */
  for (int32_t c = 0; c < cp; c++) {
    const int32_t o = c < oc ? c : oc - 1;
    int64_t sum = 0; /* |sum| < 2^38: exact */
    for (int32_t i = 0; i < k; i++)
      sum += filter[(size_t)o * so + (size_t)i * si];
    b[c] = (int32_t)((bias ? (uint32_t)bias[o] : 0u) +
                     (uint32_t)(uint64_t)sum * (uint32_t)p->input_offset);
  }
  return pk;
}

const mote_neon_pack *mote_conv2d_s8_neon_pack(const mote_conv_geom *g,
                                               const mote_conv_q_params *p,
                                               const int8_t *filter,
                                               const int32_t *bias, void *mem) {
  return gemm_pack(g, p, filter, (size_t)gemm_k(g), 1, bias, mem);
}

int mote_dwconv2d_s8_neon_supported(const mote_conv_geom *g,
                                    int32_t input_offset) {
  if (g->in_c == 1) return mote_conv2d_s8_neon_supported(g, input_offset);
  return g->depth_multiplier == 1 && g->out_c == g->in_c && g->in_c > 0;
}

size_t mote_dwconv2d_s8_neon_pack_bytes(const mote_conv_geom *g) {
  if (g->in_c == 1) return gemm_pack_bytes(g, 1);
  const int32_t cp = round_up(g->out_c, 8);
  return head_bytes(cp) +
         (size_t)g->filt_h * (size_t)g->filt_w * (size_t)cp * 2;
}

const mote_neon_pack *mote_dwconv2d_s8_neon_pack(const mote_conv_geom *g,
                                                 const mote_conv_q_params *p,
                                                 const int8_t *filter,
                                                 const int32_t *bias,
                                                 void *mem) {
  const int32_t oc = g->out_c, cp = round_up(oc, 8),
                taps = g->filt_h * g->filt_w;
  if (g->in_c == 1) /* CONV_2D of [taps][out_c] weights */
    return gemm_pack(g, p, filter, 1, (size_t)oc, bias, mem);
  mote_neon_pack *pk;
  int32_t *b;
  pack_head(&pk, (uint8_t *)mem, oc, cp, &p->rq, &b);
  int16_t *w = (int16_t *)(void *)((uint8_t *)mem + head_bytes(cp));
  for (int32_t t = 0; t < taps; t++)
    for (int32_t c = 0; c < cp; c++)
      w[t * cp + c] = (int16_t)(c < oc ? filter[t * oc + c] : 0);
  for (int32_t c = 0; c < cp; c++) b[c] = bias && c < oc ? bias[c] : 0;
  pk->w16 = w;
  pk->k = taps;
  pk->kp = taps;
  return pk;
}
