/*
** teacher.h: the teacher of knowledge distillation (`mote distill`): any
** classifier mote's runtime runs (float or int8) is run once over the
** training set and its logits are cached; a tr_soft_fn then hands the
** trainer the cached rows of each (shuffled) batch.
*/
#ifndef MOTE_COMPRESS_TEACHER_H
#define MOTE_COMPRESS_TEACHER_H

#include <stddef.h>
#include <stdint.h>

#include "data/dataset.h"
#include "mote/mote.h"

/* Cached teacher logits: n rows of k values. */
typedef struct cz_teacher {
  float *logits; /* n * k, row-major */
  uint32_t n, k;
  int softmax; /* 1 if the model ends in SOFTMAX (logits are log p) */
} cz_teacher;

/*
** Run model `m` (initialised; input 0 takes one sample of `ds`, output 0
** gives the class scores) over every sample of `ds` (scaled as
** ds_sample_f32, quantized into the input type) and cache output 0 as
** floats. If the model's last operator is SOFTMAX the cached values are
** log(max(p, floor)), logits up to a per-sample constant that a softmax
** ignores, with floor 1e-30 for a float output (p is 0 only on underflow)
** or half the output scale for a quantized one (p == 0 is common in
** int8). *correct (may be NULL) receives the
** number of samples whose argmax equals the label (labelled sets).
** Returns 0, or -1 with err (shape mismatch, invoke failure, no memory).
*/
int cz_teacher_run(mote_model *m, const mote_dataset *ds, cz_teacher *t,
                   uint32_t *correct, char *err, size_t errlen);

/*
** tr_soft_fn over a cz_teacher (user): copy row idx[j] into row j of
** logits for j < n. Returns non-zero if an index is out of range.
*/
int cz_teacher_soft(void *user, const uint32_t *idx, uint32_t n, float *logits);

/* Free the cache (the struct is zeroed). */
void cz_teacher_free(cz_teacher *t);

#endif
