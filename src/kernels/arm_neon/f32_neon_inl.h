/*
** f32_neon_inl.h: small inline helpers of the NEON float32 kernels
** (included by their .c files only): loads and stores of the first n
** lanes, and the activation clamp.
*/
#ifndef MOTE_F32_NEON_INL_H
#define MOTE_F32_NEON_INL_H

#include <arm_neon.h>
#include <stdint.h>
#include <string.h>

/* The first n lanes from p (n >= 4: all four), zeros above; reads nothing
 * past p + n. */
static inline float32x4_t mote_f32x4_load_n(const float *p, int32_t n) {
  float t[4] = {0.0f, 0.0f, 0.0f, 0.0f};
  if (n >= 4) return vld1q_f32(p);
  if (n > 0) memcpy(t, p, (size_t)n * sizeof(float));
  return vld1q_f32(t);
}

/* Store the first n lanes of v (n >= 4: all four; n <= 0: none). */
static inline void mote_f32x4_store_n(float *p, float32x4_t v, int32_t n) {
  float t[4];
  if (n >= 4) {
    vst1q_f32(p, v);
    return;
  }
  if (n <= 0) return;
  vst1q_f32(t, v);
  memcpy(p, t, (size_t)n * sizeof(float));
}

/* The reference activation clamp bit for bit (y = x < lo ? lo : x, then
 * hi < y ? hi : y): NaN and -0.0 pass unchanged, where FMAX / FMIN would
 * quiet a NaN and make max(+0.0, -0.0) +0.0. Fused activations (fuse.c)
 * rely on it: a narrowed clamp must equal the activation after it. */
static inline float32x4_t mote_f32x4_clamp(float32x4_t x, float32x4_t lo,
                                           float32x4_t hi) {
  const float32x4_t y = vbslq_f32(vcltq_f32(x, lo), lo, x);
  return vbslq_f32(vcltq_f32(hi, y), hi, y);
}

#endif
