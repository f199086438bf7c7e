/*
** train.h: float32 training of small CNNs/MLPs on the host (C11, POSIX).
**
** The engine behind `mote train`, and the base that pruning, distillation
** and quantization-aware training build on:
**
**   tr_net *net = tr_net_new("conv3x3:16,relu,maxpool2,fc:10", 28, 28, 1,
**                            seed, err, sizeof err);
**   tr_config cfg;  tr_config_default(&cfg);      (Adam, one-cycle 1e-3)
**   tr_train(net, &train_set, &test_set, &cfg, &result, err, sizeof err);
**   tr_export_tflite(net, "out.tflite", err, sizeof err);
**   tr_net_free(net);
**
** Spec grammar (comma-separated layers, no spaces):
**   convKxK:C[:same|:valid][:s2]  2-D convolution, C output channels, KxK
**                                 kernel (K odd or even), VALID padding by
**                                 default, stride 1 (or 2 with :s2); bias
**   dwKxK[:same|:valid][:s2]      depthwise convolution, multiplier 1; bias
**   fc:N                          fully connected, N outputs (flattens an
**                                 HxWxC input in NHWC order); bias
**   maxpool2 | avgpool2           2x2 pooling, stride 2, VALID (floor)
**   gap                           global average pool -> 1x1xC
**   relu | relu6                  activations
**   bn                            batch normalization (eps 1e-5, running
**                                 statistics with momentum 0.1 as PyTorch);
**                                 must follow a conv, dw or fc layer
**   dropout:P                     dropout with drop probability P in [0,1)
** The last layer must be fc: its outputs are the logits of a softmax
** cross-entropy loss (n_classes = N).
**
** Layout: activations are NHWC floats. Padding follows TFLite (SAME puts
** the extra pixel of odd total padding at the bottom/right), so a trained
** net and its exported .tflite compute the same function.
**
** Determinism: every batch is split into TR_CHUNKS fixed slices; each
** slice's gradients are computed separately and summed in slice order, and
** batch-norm statistics are reduced the same way. Threads only decide who
** computes which slice, so results are bit-identical for a given seed
** whatever the thread count (1..TR_CHUNKS threads are used). The SGEMM
** kernels (tools/train/gemm*.c: AVX-512 or AVX2+FMA picked at run time,
** same bits either way; a portable C kernel elsewhere or with
** MOTE_TRAIN_ISA=ref, which rounds differently) sum in an order fixed by
** the shapes.
**
** Speed: convolutions are im2col + blocked SGEMM (the batch's im2col is
** kept from forward to backward within a 1 GiB budget), no allocation in
** the batch loop, one parallel job per batch on a persistent thread pool.
*/
#ifndef MOTE_TRAIN_H
#define MOTE_TRAIN_H

#include <stddef.h>
#include <stdint.h>

#include "data/dataset.h"

/* Fixed number of slices each batch is split into (see Determinism). */
#define TR_CHUNKS 4

/* Kind of one layer. */
typedef enum tr_kind {
  TR_CONV,    /* convKxK:C */
  TR_DW,      /* dwKxK */
  TR_FC,      /* fc:N */
  TR_MAXPOOL, /* maxpool2 */
  TR_AVGPOOL, /* avgpool2 */
  TR_GAP,     /* gap */
  TR_RELU,    /* relu */
  TR_RELU6,   /* relu6 */
  TR_BN,      /* bn */
  TR_DROPOUT  /* dropout:P */
} tr_kind;

/*
** One layer. Shapes are per sample (NHWC without N); an fc layer sees its
** input flattened (in_h = in_w = 1 is not required: it reads in_h*in_w*in_c
** values). Parameter tensors (NULL/0 when the layer has none):
**   TR_CONV: w [out_c][k][k][in_c] (TFLite OHWI), b [out_c]
**   TR_DW:   w [k][k][c]           (TFLite [1,k,k,c]), b [c]
**   TR_FC:   w [out_c][in_h*in_w*in_c] (TFLite [out,in]), b [out_c]
**   TR_BN:   w = gamma [c], b = beta [c]; running_mean/running_var [c]
** w, b point into the net's parameter vector (tr_net.params); gw, gb into
** its gradient vector (tr_net.grads, valid after a backward pass).
** mask (NULL unless tr_net_enable_masks() was called): one value per
** weight of w, 0 or 1; the trainer multiplies w by it after every
** optimizer step, so pruned weights stay zero while fine-tuning.
*/
typedef struct tr_layer {
  tr_kind kind;
  int k, stride, same; /* conv/dw kernel size, stride (1,2), SAME padding */
  int pad_t, pad_l;    /* top/left padding applied (SAME), else 0 */
  int in_h, in_w, in_c;
  int out_h, out_w, out_c;
  float p; /* dropout probability */
  float *w, *b, *gw, *gb;
  size_t nw, nb;
  float *mask;
  float *running_mean, *running_var; /* TR_BN only */
  /* QAT activation range of this layer's output (EMA of batch min/max);
   * act_init is 0 until the first observed batch. */
  float act_min, act_max;
  int act_init;
} tr_layer;

struct tr_ws;

/* A network: its layers, parameters, gradients and private workspace. */
typedef struct tr_net {
  int n_layers;
  tr_layer *layers;
  int in_h, in_w, in_c;
  int n_classes;     /* out_c of the last (fc) layer */
  float *params;     /* every w and b, layer after layer */
  float *grads;      /* same layout: gradient of the last batch's loss */
  size_t n_params;   /* length of params / grads */
  float *masks;      /* n_params values (1 for biases) or NULL */
  float *bn_state;   /* running means/vars of every bn layer */
  size_t n_bn_state; /* floats in bn_state */
  char *spec;        /* spec string the net was built from (canonical) */
  struct tr_ws *ws;  /* workspace, built by the trainer; private */
} tr_net;

/*
** Parse `spec` for an input of shape in_h x in_w x in_c and build a net
** with PyTorch's default initialisation (weights and biases uniform in
** +-1/sqrt(fan_in); bn gamma 1, beta 0, running mean 0, var 1) from a PRNG
** seeded with `seed`. Returns NULL with a one-line reason in err, e.g.
** "layer 3 'conv3x3': expected conv3x3:C (C output channels)".
*/
tr_net *tr_net_new(const char *spec, int in_h, int in_w, int in_c,
                   uint64_t seed, char *err, size_t errlen);

/* Free a net and everything it owns (NULL is fine). */
void tr_net_free(tr_net *net);

/* Deep copy of a net (parameters, bn state, masks; not the workspace). */
tr_net *tr_net_clone(const tr_net *net);

/* Number of trainable parameters (conv/dw/fc weights+biases, bn
 * gamma+beta), the same count as PyTorch's. */
size_t tr_net_param_count(const tr_net *net);

/* Multiply-accumulates of one forward pass for one sample (conv, dw, fc). */
uint64_t tr_net_macs(const tr_net *net);

/* Name of a layer kind ("conv", "dw", "fc", "maxpool2", ...). */
const char *tr_kind_name(tr_kind k);

/* One line describing layer i ("conv3x3:16 valid 28x28x1 -> 26x26x16"). */
void tr_layer_describe(const tr_net *net, int i, char *buf, size_t len);

/*
** Allocate net->masks (all ones) and point every conv/dw/fc layer's mask
** at its slice. Returns 0 or -1 (out of memory). Idempotent.
*/
int tr_net_enable_masks(tr_net *net);

/* Multiply every weight by its mask (no-op without masks). */
void tr_net_apply_masks(tr_net *net);

/*
** Structured pruning: keep only the output channels c of conv/dw/fc layer
** `layer` with keep[c] != 0 (at least one). The following layers that are
** per-channel (bn, relu, pools, dropout, dw convs) shrink with it, and the
** next conv/fc loses the matching input channels (for an fc after a
** flatten, every column of a removed channel). mix (NULL: zeros) says
** what the next conv/fc reads in place of each removed channel r: row r
** of C+1 values (C = old out_c), mix[r][C] + the sum over the kept k of
** mix[r][k] * x_k (its value at the same position); it is folded into that
** layer's weights and biases (rows of kept channels and entries on
** removed ones are not read). So removing a channel that equals such a
** combination leaves the function unchanged (up to SAME zero padding at
** the next layer's borders); tr_net_channel_stats gives what to fit one
** on. A dw layer cannot be the target itself (prune the conv that feeds
** it). Parameters, masks and bn state are re-laid-out; the workspace is
** dropped. Returns 0, or -1 with err (bad layer, nothing kept, last
** layer).
*/
int tr_net_remove_channels(tr_net *net, int layer, const uint8_t *keep,
                           const float *mix, char *err, size_t errlen);

/*
** Mean (C values) and covariance (C x C, row-major, divided by the count)
** of the output channels of conv/fc layer `layer` as the next conv/fc
** reads them (after the bn, activations, dw convs and pools in between),
** over the samples of `ds` (eval mode, `threads` threads) and every
** position. mean or cov may be NULL. A channel that is constant over them
** gets exact zeros in cov. Returns 0, or -1 with err (no conv/fc after the
** layer, samples of another shape, out of memory).
*/
int tr_net_channel_stats(tr_net *net, int layer, const mote_dataset *ds,
                         int threads, double *mean, double *cov, char *err,
                         size_t errlen);

/* Optimizers and learning-rate schedules. */
typedef enum tr_opt { TR_ADAM, TR_SGD } tr_opt;
typedef enum tr_sched {
  TR_SCHED_ONECYCLE, /* PyTorch OneCycleLR defaults (see tr_lr_at) */
  TR_SCHED_COSINE,   /* lr * (1 + cos(pi * step / total)) / 2 */
  TR_SCHED_STEP,     /* lr, x0.1 from 50% of the steps, x0.01 from 75% */
  TR_SCHED_CONST     /* lr */
} tr_sched;

/*
** Soft-target provider for distillation: write the teacher's logits for
** the `n` training samples `idx` (indices into the training set) into
** `logits` (n x n_classes, row-major). Called once per batch from the
** training thread, before the forward pass. Return 0, or non-zero to stop
** training with an error.
*/
typedef int (*tr_soft_fn)(void *user, const uint32_t *idx, uint32_t n,
                          float *logits);

/* What an epoch callback gets. */
typedef struct tr_epoch_stats {
  int epoch; /* 1-based */
  int epochs;
  double train_loss;  /* mean loss over the epoch's batches */
  double train_acc;   /* fraction of training samples right (train mode) */
  double test_acc;    /* on the test set, -1 without one */
  double seconds;     /* wall time of the epoch's training (not the test) */
  double cpu_seconds; /* CPU time of the process meanwhile (all threads) */
} tr_epoch_stats;

/* Training settings. Start from tr_config_default(). */
typedef struct tr_config {
  int epochs;         /* default 10 */
  int batch;          /* default 128 */
  tr_opt opt;         /* default TR_ADAM */
  float lr;           /* (max) learning rate, default 1e-3 */
  float momentum;     /* SGD momentum, default 0.9 */
  float weight_decay; /* L2 added to the gradient (PyTorch style), 0 */
  tr_sched sched;     /* default TR_SCHED_ONECYCLE */
  uint64_t seed;      /* shuffling and dropout; default 1 */
  int threads;        /* 0: online CPUs (capped at TR_CHUNKS) */
  int progress;       /* 1: progress bar on stderr; 2: compact lines */
  uint32_t limit;     /* use only the first `limit` training samples; 0 */
  /* Distillation (soft == NULL: plain cross-entropy). Loss =
   * alpha*T^2*KL(softmax(teacher/T) || softmax(student/T)) +
   * (1-alpha)*CE(student, label). */
  tr_soft_fn soft;
  void *soft_user;
  float T, alpha;
  /* Quantization-aware training: fake-quantize conv/dw/fc weights (int8,
   * per output channel, symmetric) and layer outputs (int8 asymmetric on
   * EMA min/max, momentum 0.01) in the forward pass; straight-through
   * gradients. Also used by tr_evaluate while set on the net's forward. */
  int qat;
  /* Called after every epoch (may be NULL). Return non-zero to stop. */
  int (*on_epoch)(void *user, const tr_epoch_stats *s);
  void *user;
} tr_config;

/* Fill cfg with the defaults above. */
void tr_config_default(tr_config *cfg);

/* Result of tr_train. */
typedef struct tr_result {
  int epochs_run;
  double final_train_loss, final_train_acc;
  double final_test_acc, best_test_acc; /* -1 without a test set */
  double seconds;                       /* total training time */
  double sec_per_epoch;                 /* mean training time per epoch */
} tr_result;

/*
** Train `net` on `train` (labels required; samples scaled by
** ds_sample_f32, so IDX bytes become [0,1]) and evaluate on `test` after
** every epoch when test is not NULL. Returns 0, or -1 with err (shape
** mismatch with the data set, label out of range, out of memory, soft
** provider failure, stopped by on_epoch is not an error).
*/
int tr_train(tr_net *net, const mote_dataset *train, const mote_dataset *test,
             const tr_config *cfg, tr_result *res, char *err, size_t errlen);

/*
** Accuracy (0..1) of `net` in eval mode (bn running statistics, no
** dropout; fake quantization when qat != 0) on `ds`, using `threads`
** threads (0: online CPUs). confusion, if not NULL, receives
** n_classes*n_classes counts [label][prediction]. Returns -1 on error
** (shape mismatch, out of memory).
*/
double tr_evaluate(tr_net *net, const mote_dataset *ds, int threads, int qat,
                   uint32_t *confusion);

/*
** Forward pass in eval mode on `n` samples `x` (n x in_h*in_w*in_c floats)
** writing logits (n x n_classes). Returns 0 or -1 (out of memory).
*/
int tr_forward(tr_net *net, const float *x, uint32_t n, int qat, float *logits);

/*
** Loss and gradient of one batch in train mode (bn batch statistics, which
** also updates the running ones; dropout masks drawn from `seed`): n
** samples x (n x in_h*in_w*in_c floats) with labels. Returns the mean
** cross-entropy over the n samples and leaves its gradient in net->grads
** (parameters unchanged), or -1 (out of memory, n == 0). For gradient
** checks and custom training loops.
*/
double tr_loss_grad(tr_net *net, const float *x, const uint8_t *labels,
                    uint32_t n, uint64_t seed);

/*
** Learning rate and beta1/momentum of a schedule at optimizer step `step`
** (0-based) of `total`: one-cycle as PyTorch's OneCycleLR with max_lr=lr,
** pct_start 0.3, cos annealing, div_factor 25, final_div_factor 1e4,
** momentum cycling 0.95 -> 0.85 -> 0.95 (*mom, beta1 for Adam); other
** schedules leave *mom = base_mom.
*/
double tr_lr_at(tr_sched s, double lr, long step, long total, double base_mom,
                double *mom);

/*
** Optimizer state and one step on a flat parameter vector (exposed for
** tests and custom loops). Adam follows torch.optim.Adam (betas
** (beta1, 0.999), eps 1e-8, L2 weight decay added to the gradient); SGD
** follows torch.optim.SGD (momentum buffer starts at the first gradient,
** dampening 0).
*/
typedef struct tr_optim {
  tr_opt opt;
  size_t n;
  float *m, *v; /* Adam moments / SGD momentum buffer (m) */
  long t;       /* steps taken */
} tr_optim;
int tr_optim_init(tr_optim *o, tr_opt opt, size_t n);
void tr_optim_free(tr_optim *o);
/* One step on p[lo..hi) (the caller splits ranges across threads; t is
 * advanced by tr_optim_tick once per step before the calls). */
void tr_optim_step(tr_optim *o, float *p, const float *g, size_t lo, size_t hi,
                   double lr, double mom, double wd);
void tr_optim_tick(tr_optim *o);

/*
** Export as a float32 .tflite: input [1,H,W,C] float32, CONV_2D /
** DEPTHWISE_CONV_2D / FULLY_CONNECTED with bn folded in and a directly
** following relu/relu6 fused, MAX_POOL_2D / AVERAGE_POOL_2D (gap as
** AVERAGE_POOL_2D over the whole map), RESHAPE before an fc whose input is
** not flat, dropout dropped, final SOFTMAX. Writes the bytes to *out
** (free()) / to a file. Return 0 or -1 with err.
*/
int tr_export_tflite_mem(const tr_net *net, uint8_t **out, size_t *len,
                         char *err, size_t errlen);
int tr_export_tflite(const tr_net *net, const char *path, char *err,
                     size_t errlen);

/*
** Import a float32 .tflite made of CONV_2D, DEPTHWISE_CONV_2D,
** FULLY_CONNECTED, MAX_POOL_2D/AVERAGE_POOL_2D (2x2 stride 2, or whole map
** as gap), RESHAPE, RELU/RELU6 (also fused) and a final SOFTMAX (what
** tr_export_tflite writes) back into a trainable net (bn layers come back
** folded: none). Returns NULL with err for anything else.
*/
tr_net *tr_import_tflite(const uint8_t *fb, size_t len, char *err,
                         size_t errlen);
tr_net *tr_import_tflite_file(const char *path, char *err, size_t errlen);

#endif
