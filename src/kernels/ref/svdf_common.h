/*
** svdf_common.h: the integer SVDF reference kernel (TFLM
** EvalIntegerSvdfReference), shared by svdf_s8.c (int16 weights_time and
** state) and svdf_s8_s8state.c (int8 ones). The two differ only in the
** element type of weights_time and state, given here by `wide` (1: int16,
** 0: int8); each entry point passes a constant, so the compiler specialises
** the inlined body.
*/
#ifndef MOTE_SVDF_COMMON_H
#define MOTE_SVDF_COMMON_H

#include <stddef.h>
#include <string.h>

#include "../mote_requant.h"
#include "rnn_ref.h"

/* Element i of an int16 (wide) or int8 array. */
static inline int32_t mote_svdf_load(const void *a, size_t i, int wide) {
  return wide ? (int32_t)((const int16_t *)a)[i]
              : (int32_t)((const int8_t *)a)[i];
}

static inline void mote_svdf_q_ref(const mote_svdf_q_params *p,
                                   const int8_t *input,
                                   const int8_t *weights_feature,
                                   const void *weights_time,
                                   const int32_t *bias, void *state,
                                   int8_t *output, int wide) {
  const int32_t nb = p->d.batch, ni = p->d.input_size;
  const int32_t nf = p->d.num_filters, nu = p->d.num_units;
  const int32_t nr = p->d.rank, nm = p->d.memory_size;
  const size_t total = (size_t)nb * (size_t)nf * (size_t)nm;
  const size_t es = wide ? sizeof(int16_t) : sizeof(int8_t);
  const int32_t lo = wide ? INT16_MIN : INT8_MIN;
  const int32_t hi = wide ? INT16_MAX : INT8_MAX;

  /* Every filter's memory one step older; the newest slot is set below. */
  if (total > 1) memmove(state, (char *)state + es, (total - 1) * es);

  for (int32_t b = 0; b < nb; ++b) {
    const int8_t *x = input + (size_t)b * (size_t)ni;
    const size_t st = (size_t)b * (size_t)nf * (size_t)nm;
    for (int32_t f = 0; f < nf; ++f) {
      const int8_t *wf = weights_feature + (size_t)f * (size_t)ni;
      /* int32 accumulation wrapping like TFLM's on real targets. */
      uint32_t dot = 0;
      for (int32_t k = 0; k < ni; ++k)
        dot += (uint32_t)((int32_t)wf[k] * ((int32_t)x[k] - p->input_zp));
      int32_t acc = mote_mul_by_qm((int32_t)dot, p->mult1, p->shift1);
      acc = mote_clamp_i32(acc, lo, hi);
      /* TFLM adds the state zero point after the clamp and narrows. */
      const size_t at = st + (size_t)f * (size_t)nm + (size_t)(nm - 1);
      const uint32_t v = (uint32_t)(acc + p->state_zp);
      if (wide)
        ((int16_t *)state)[at] = (int16_t)(uint16_t)v;
      else
        ((int8_t *)state)[at] = (int8_t)(uint8_t)v;
    }
    for (int32_t u = 0; u < nu; ++u) {
      uint32_t out = bias != NULL ? (uint32_t)bias[u] : 0u;
      for (int32_t r = 0; r < nr; ++r) {
        const size_t f = (size_t)u * (size_t)nr + (size_t)r;
        const size_t wt = f * (size_t)nm, sf = st + f * (size_t)nm;
        uint32_t acc = 0;
        for (int32_t m = 0; m < nm; ++m)
          acc += (uint32_t)(mote_svdf_load(weights_time, wt + (size_t)m, wide) *
                            (mote_svdf_load(state, sf + (size_t)m, wide) -
                             p->state_zp));
        out += acc;
      }
      int32_t y = mote_mul_by_qm((int32_t)out, p->mult2, p->shift2);
      y = mote_clamp_i32(y + p->output_zp, INT8_MIN, INT8_MAX);
      output[(size_t)b * (size_t)nu + (size_t)u] = (int8_t)y;
    }
  }
}

#endif
