/*
** prune.h: pruning of a trainable net (tools/train/train.h) for
** `mote prune`: unstructured magnitude pruning with masks (global or per
** layer, one shot or gradual) and structured pruning that removes whole
** output channels (ranked and replaced by a fit on calibration data),
** plus the size/cost figures reported before and after.
*/
#ifndef MOTE_COMPRESS_PRUNE_H
#define MOTE_COMPRESS_PRUNE_H

#include <stddef.h>
#include <stdint.h>

#include "train/train.h"

/* Number of prunable weights: the w of every conv, dw and fc layer. */
size_t cz_prunable_count(const tr_net *net);

/* How many of the prunable weights are exactly zero. */
size_t cz_prunable_zeros(const tr_net *net);

/*
** Unstructured magnitude pruning: enable the net's masks and zero the
** round(sparsity * n) conv/dw/fc weights of smallest magnitude, where n
** is the number of prunable weights of the whole net (per_layer == 0: one
** global threshold) or of each layer (per_layer != 0). Ties are broken by
** position, so exactly that many weights are chosen. Weights already
** masked stay masked (gradual pruning calls it with rising sparsity).
** Returns 0, or -1 with err (sparsity outside [0,1), out of memory).
*/
int cz_magnitude_prune(tr_net *net, double sparsity, int per_layer, char *err,
                       size_t errlen);

/*
** Sparsity of step `step` (1..steps) of gradual pruning towards `final`:
** final * (1 - (1 - step/steps)^3), the cubic schedule of Zhu & Gupta
** (2017); step == steps gives final.
*/
double cz_gradual_sparsity(double final, int step, int steps);

/*
** Structured pruning: for every conv layer and every fc layer but the
** last, remove round(frac * out_c) output channels (keeping at least one)
** with tr_net_remove_channels, so the following layers shrink with it.
** With calib (samples of the net's input, e.g. a thousand training
** images), layer after layer on the net pruned so far: the channels'
** means and covariance as the next conv/fc reads them
** (tr_net_channel_stats, `threads` threads); the channels removed are
** those of smallest standard deviation times the L1 norm of the next
** layer's weights on them, and each is replaced by its least-squares fit
** on the kept channels at the same position (its mean plus a linear
** combination of their deviations; ridge 1e-4 of their mean variance),
** folded into the next layer's weights and biases. A channel whose
** values are constant over calib is replaced by that constant, so
** removing it changes nothing (but for the zero padding at the borders
** of a SAME next layer). Cutting channels off instead loses their
** means (after bn and relu/relu6 every channel has a sizeable positive
** one, so each output of the next layer shifts) and what they share with
** the kept channels. Without calib (NULL): the channels of smallest L1
** norm of their weights, scaled by |gamma| / sqrt(running_var + 1e-5) of
** a bn layer that directly follows, are cut off (their inputs to the
** next layer become zero), which can cost a net with bn most of its
** accuracy. *removed (may be NULL) receives the number of channels
** removed in total. Returns 0, or -1 with err.
*/
int cz_channel_prune(tr_net *net, double frac, const mote_dataset *calib,
                     int threads, int *removed, char *err, size_t errlen);

/* Figures of a net reported by `mote prune` before and after. */
typedef struct cz_stats {
  size_t params;       /* trainable parameters (tr_net_param_count) */
  size_t nonzero;      /* of which not exactly zero */
  size_t prunable;     /* conv/dw/fc weights */
  size_t pruned;       /* of which exactly zero */
  uint64_t macs;       /* per image (tr_net_macs) */
  size_t flash;        /* bytes of the exported float .tflite */
  size_t flash_zlib;   /* the same bytes compressed by zlib (level 9) */
  double accuracy;     /* on the test set, -1 without one */
  double accuracy_qat; /* with fake quantization (int8 estimate), or -1 */
} cz_stats;

/*
** Measure `net`: counts, MACs, exported size (and its zlib size, a proxy
** for sparse storage), accuracy on `test` (NULL: -1) with `threads`; when
** qat != 0 also the accuracy with fake quantization. Returns 0, or -1
** with err (export or evaluation failed).
*/
int cz_measure(tr_net *net, const mote_dataset *test, int threads, int qat,
               cz_stats *st, char *err, size_t errlen);

#endif
