/*
** confusion.h: scoring a classifier on a labelled data set for the host
** tools (eval, prune, distill): a confusion matrix, argmax, and the loop
** that feeds every sample to a mote model, times each invoke and counts
** what it predicted.
*/
#ifndef MOTE_CONFUSION_H
#define MOTE_CONFUSION_H

#include <stddef.h>
#include <stdint.h>

#include "data/dataset.h"
#include "mote/mote.h"

/* A k x k confusion matrix: m[t * k + p] counts samples of true class t
 * predicted as p. */
typedef struct confusion {
  uint32_t k;
  uint64_t *m;
  uint64_t total, correct;
} confusion;

/* Allocate a zeroed k x k matrix (k >= 1). Returns 0 or -1 (OOM). */
int confusion_init(confusion *c, uint32_t k);

/* Count one sample; pairs outside 0..k-1 are ignored (returns -1). */
int confusion_add(confusion *c, uint32_t truth, uint32_t pred);

/* Count of true class t predicted as p (0 outside the matrix). */
uint64_t confusion_at(const confusion *c, uint32_t t, uint32_t p);

/* Samples whose true class is t. */
uint64_t confusion_class_total(const confusion *c, uint32_t t);

/* correct / total (0 when empty). */
double confusion_accuracy(const confusion *c);

/* Accuracy of true class t (0 when the class has no samples). */
double confusion_class_accuracy(const confusion *c, uint32_t t);

/* Free the matrix and zero the struct. */
void confusion_free(confusion *c);

/* Index of the largest of y[0..n-1]; the first one on ties, NaN never
 * wins over a number. 0 for n == 0. */
size_t argmax_f32(const float *y, size_t n);

/* Outcome of classify_eval(). */
typedef enum classify_status {
  CLASSIFY_OK = 0,
  CLASSIFY_E_SHAPE = -1,  /* input/output sizes do not fit the data set */
  CLASSIFY_E_TYPE = -2,   /* input or output type cannot be fed / read */
  CLASSIFY_E_INVOKE = -3, /* mote_model_invoke failed (m->err says why) */
  CLASSIFY_E_NOMEM = -4,
  CLASSIFY_E_ARG = -5 /* unlabelled set, bad model */
} classify_status;

/* Called every few hundred samples and once at the end. */
typedef void (*classify_progress)(void *user, uint32_t done, uint32_t total);

/*
** classify_eval: run model m (initialised; input 0 must hold exactly one
** sample of ds, output 0 one score per class) on the first `limit`
** samples of labelled set ds (limit 0 or > n: all). Each sample is
** ds_sample_f32() fed with feed_input_f32(); the prediction is the argmax
** of output 0. cm is initialised here with k = max(classes of the output,
** ds->n_classes); *invoke_us (if not NULL) gets the summed microseconds
** spent in mote_model_invoke. Returns CLASSIFY_OK or an error with a
** one-line reason in err (cm is then freed).
*/
classify_status classify_eval(mote_model *m, const mote_dataset *ds,
                              uint32_t limit, confusion *cm, double *invoke_us,
                              classify_progress progress, void *user, char *err,
                              size_t errlen);

#endif
