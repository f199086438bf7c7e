/*
** HARD_SWISH int8: x * relu6(x + 3) / 6 in 16-bit fixed point, with the
** exact rounding steps of the TFLite reference kernel (int16 saturating
** rounding doubling multiplies, a truncating final multiply, int16 wraps).
*/
#include "activation_ref.h"

/* Saturating rounding doubling high multiply on int16 (VQRDMULH.16). */
static int16_t srdhm16(int16_t a, int16_t b) {
  int32_t ab;
  if (a == INT16_MIN && b == INT16_MIN) return INT16_MAX;
  ab = (int32_t)a * (int32_t)b;
  return (int16_t)((ab + (ab >= 0 ? (1 << 14) : (1 - (1 << 14)))) / (1 << 15));
}

/* Same without rounding (truncates toward zero, SQDMULH.16). */
static int16_t sdhm16(int16_t a, int16_t b) {
  if (a == INT16_MIN && b == INT16_MIN) return INT16_MAX;
  return (int16_t)(((int32_t)a * (int32_t)b) / (1 << 15));
}

/* value * 2^amount saturated to int16 (amount >= 0). */
static int16_t sat_shl16(int16_t value, int amount) {
  int64_t r;
  if (amount > 32) amount = 32; /* any nonzero value saturates anyway */
  r = (int64_t)value * ((int64_t)1 << amount);
  if (r > INT16_MAX) r = INT16_MAX;
  if (r < INT16_MIN) r = INT16_MIN;
  return (int16_t)r;
}

/* Rounding divide by 2^exponent carried out on int16 values (the mask is
 * truncated to 16 bits like the reference's int16 instantiation). */
static int16_t rdbpot16(int16_t x, int exponent) {
  int16_t mask = (int16_t)(uint16_t)(((uint64_t)1 << exponent) - 1u);
  int16_t remainder = (int16_t)(x & mask);
  int16_t threshold = (int16_t)((mask >> 1) + (x < 0 ? 1 : 0));
  return (int16_t)((x >> exponent) + (remainder > threshold ? 1 : 0));
}

void mote_hard_swish_s8_ref(const mote_hard_swish_s8_params *p, size_t n,
                            const int8_t *in, int8_t *out) {
  size_t i;
  for (i = 0; i < n; ++i) {
    int16_t x = (int16_t)((int32_t)in[i] - p->input_zero_point);
    int16_t hires = (int16_t)(x * (1 << 7));
    int16_t preshift_out = srdhm16(hires, p->output_multiplier);
    int16_t reluish = hires;
    int16_t pre, o;
    /* Map [-3, 3] to [-1, 1] (saturating); the last bit of a left shift is
     * applied after the multiply so only it can saturate the result. */
    if (p->reluish_exponent > 0)
      reluish = sat_shl16(reluish, p->reluish_exponent - 1);
    reluish = srdhm16(reluish, p->reluish_multiplier);
    if (p->reluish_exponent > 0) reluish = sat_shl16(reluish, 1);
    if (p->reluish_exponent < 0)
      reluish = rdbpot16(reluish, -p->reluish_exponent);
    /* [-1, 1] -> [0, 1] */
    reluish = (int16_t)((reluish + (1 << 15)) >> 1);
    pre = sdhm16(reluish, preshift_out);
    o = rdbpot16(pre, -p->output_exponent);
    o = (int16_t)(o + p->output_zero_point);
    if (o > INT8_MAX) o = INT8_MAX;
    if (o < INT8_MIN) o = INT8_MIN;
    out[i] = (int8_t)o;
  }
}
