/*
** FULLY_CONNECTED hybrid reference kernel: float32 input and output, int8
** weights (per-tensor or per-output-unit scales), optional float32 bias.
** TFLM refuses such models; the arithmetic follows TFLite's (non-micro)
** portable hybrid path so results agree with the TFLite interpreter:
**
**  1. Each batch row x[0..depth) is quantized on its own, dynamically:
**     - symmetric (default): r = max(|min x|, |max x|); r == 0 gives q = 0
**       and s = 1; else s = r / 127 and q = clamp(round(x * (127 / r)),
**       -127, 127), all in float, round half away from zero; offset o = 0.
**     - asymmetric (asymmetric_quantize_inputs): lo = min(0, min x),
**       hi = max(0, max x) in double; lo == hi gives q = 0, s = 1, o = 0;
**       else s = (hi - lo) / 255, the zero point is taken from the end
**       (-128 - lo/s or 127 - hi/s) with the smaller error |qmin| + |lo/s|
**       vs |qmax| + |hi/s|, clamped to [-128, 127] and rounded, and
**       q = clamp(round(o + x * (1 / s)), -128, 127) with 1/s in float.
**  2. acc = sum_d w[u][d] * q[d] - o * sum_d w[u][d]   (int32)
**  3. y = bias[u] + (float)acc * (s * weight_scale[u])  (float products in
**     this order), then the fused activation clamp.
*/
#include <math.h>
#include <stddef.h>

#include "fc_ref.h"

static int32_t clamp_q(float r, int32_t lo, int32_t hi) {
  /* Compare in float first so NaN or huge values never reach a cast. */
  if (!(r > (float)lo)) return lo;
  if (r >= (float)hi) return hi;
  return (int32_t)r;
}

/* Quantize one row; returns the scale, *offset gets the zero point. */
static float quantize_row(const float *x, size_t n, int asymmetric, int8_t *q,
                          int32_t *offset) {
  float mn = x[0], mx = x[0];
  for (size_t i = 1; i < n; i++) {
    if (x[i] < mn) mn = x[i];
    if (x[i] > mx) mx = x[i];
  }
  *offset = 0;
  if (!asymmetric) {
    float r = fabsf(mn) > fabsf(mx) ? fabsf(mn) : fabsf(mx);
    if (r == 0.0f) {
      for (size_t i = 0; i < n; i++) q[i] = 0;
      return 1.0f;
    }
    float inv = 127.0f / r;
    for (size_t i = 0; i < n; i++)
      q[i] = (int8_t)clamp_q(roundf(x[i] * inv), -127, 127);
    return r / 127.0f;
  }
  double lo = (double)(mn < 0.0f ? mn : 0.0f);
  double hi = (double)(mx > 0.0f ? mx : 0.0f);
  if (lo == hi) {
    for (size_t i = 0; i < n; i++) q[i] = 0;
    return 1.0f;
  }
  double s = (hi - lo) / 255.0;
  double zp_lo = -128.0 - lo / s, zp_hi = 127.0 - hi / s;
  double err_lo = 128.0 + fabs(lo / s), err_hi = 127.0 + fabs(hi / s);
  double zp = err_lo < err_hi ? zp_lo : zp_hi;
  int32_t o;
  if (zp <= -128.0)
    o = -128;
  else if (zp >= 127.0)
    o = 127;
  else
    o = (int32_t)round(zp);
  float scale = (float)s;
  float inv = 1.0f / scale;
  for (size_t i = 0; i < n; i++)
    q[i] = (int8_t)clamp_q(roundf((float)o + x[i] * inv), -128, 127);
  *offset = o;
  return scale;
}

void mote_fc_hybrid_ref(const mote_fc_dims *n, const mote_fc_hybrid_params *p,
                        const float *input, const int8_t *weights,
                        const float *bias, float *output, int8_t *scratch) {
  const size_t depth = (size_t)n->depth;
  const size_t units = (size_t)n->units;
  for (size_t b = 0; b < (size_t)n->batches; b++) {
    int32_t offset;
    float s =
        quantize_row(input + b * depth, depth, p->asymmetric, scratch, &offset);
    float *y = output + b * units;
    for (size_t u = 0; u < units; u++) {
      const int8_t *w = weights + u * depth;
      uint32_t dot = 0, row_sum = 0;
      for (size_t d = 0; d < depth; d++) {
        int32_t wv = w[d];
        dot += (uint32_t)(wv * (int32_t)scratch[d]);
        row_sum += (uint32_t)wv;
      }
      dot -= row_sum * (uint32_t)offset;
      float scale = s * mote_fc_weight_scale(p, u);
      float v = (bias ? bias[u] : 0.0f) + (float)(int32_t)dot * scale;
      v = v < p->act_min ? p->act_min : v;
      v = v > p->act_max ? p->act_max : v;
      y[u] = v;
    }
  }
}
