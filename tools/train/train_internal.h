/*
** train_internal.h: what the trainer's files share (not a public API):
** the workspace, per-layer auxiliary buffers, the per-batch context and
** the layer kernels (layers.c) driven by the batch runner (trainer.c).
*/
#ifndef MOTE_TRAIN_INTERNAL_H
#define MOTE_TRAIN_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "train.h"

/* printf-style message into err[len]; nothing if err is NULL or len 0. */
void tr_set_err(char *err, size_t len, const char *fmt, ...);

/* Widest bn layer (its kernels keep per-channel constants on the stack). */
#define TR_BN_MAX_CHANNELS 4096

/* Auxiliary buffers of one layer. */
typedef struct tr_laux {
  int32_t *argmax;  /* maxpool: batch*out, index into the sample input */
  float *dmask;     /* dropout: batch*out, 0 or 1/(1-p) */
  double *part;     /* bn: TR_CHUNKS x 2C partial sums; qat: min/max */
  float *mean;      /* bn: batch mean (train) [C] */
  float *invstd;    /* bn: 1/sqrt(var+eps) [C] */
  float *qw;        /* qat: fake-quantized weights [nw] */
  float qmin, qmax; /* qat: range used for this batch */
  int quant_point;  /* qat: fake-quantize this layer's output */
} tr_laux;

struct tr_pool;

/* Workspace: sized for `batch` samples and `threads` threads. */
typedef struct tr_ws {
  int batch, threads;
  int train;       /* built for training (im2col caches) */
  float **act;     /* [n_layers+1]: act[0] input, act[l+1] layer l out */
  size_t *act_len; /* per-sample length of act[j] */
  float *gbuf[2];  /* gradient of act[j] lives in gbuf[j & 1] */
  float *cgrad[TR_CHUNKS]; /* per-slice parameter gradients */
  tr_laux *aux;            /* [n_layers] */
  float **col;             /* per thread im2col buffer */
  float **dwt;             /* per thread transposed conv weight gradient */
  float **colcache;        /* [n_layers]: batch im2col kept for the backward */
  float **gemm;            /* per thread TR_GEMM_SCRATCH floats */
  int *group;              /* per layer: images per im2col group */
  size_t col_len;
  size_t maxlen; /* largest per-sample activation length */
  double loss[TR_CHUNKS];
  long correct[TR_CHUNKS];
  float *soft;     /* batch x n_classes teacher logits */
  int32_t *pred;   /* batch predictions */
  uint8_t *labels; /* batch labels */
  uint32_t *idx;   /* batch sample indices */
  struct tr_pool *pool;
} tr_ws;

/* What one batch step needs (shared by all threads). */
typedef struct tr_ctx {
  tr_net *net;
  tr_ws *ws;
  int n;     /* samples in this batch */
  int train; /* 1: train mode (bn batch stats, dropout) */
  int qat;   /* fake quantization on */
  int first; /* first layer that needs a backward pass */
  uint64_t drop_seed;
  const mote_dataset *ds; /* input source (NULL: act[0] filled already) */
  /* loss */
  float T, alpha; /* distillation (ws->soft used when alpha > 0) */
  /* optimizer step (train) */
  void *optim;
  double lr, mom, wd;
} tr_ctx;

/* Rows [lo,hi) of slice c of an n-sample batch. */
static inline void tr_slice(int n, int c, int *lo, int *hi) {
  *lo = (int)((long)c * n / TR_CHUNKS);
  *hi = (int)((long)(c + 1) * n / TR_CHUNKS);
}

/*
** Gradient of act[j] for row r of the slice starting at row lo. Slices
** start at lo*maxlen in the buffer, so slices never overlap whatever the
** layer's row length (threads run different layers at the same time).
*/
static inline float *tr_grad(const tr_ws *ws, int j, int lo, int r) {
  return ws->gbuf[j & 1] + (size_t)lo * ws->maxlen +
         (size_t)(r - lo) * ws->act_len[j];
}

/* net.c */
int tr_layer_shape(tr_layer *L, int prev_kind, char *what, size_t wlen);
int tr_net_shapes(tr_net *net, char *err, size_t errlen);
int tr_net_alloc_params(tr_net *net);
int tr_net_rebuild_spec(tr_net *net);
uint64_t tr_rng_next(uint64_t *s);
float tr_rng_uniform(uint64_t *s);

/* trainer.c */
void tr_ws_free(tr_ws *ws);
/* The net's workspace for `batch` samples and `threads` threads, rebuilt
 * if too small; train != 0 also keeps im2col caches for the backward. */
tr_ws *tr_ws_get(tr_net *net, int batch, int threads, int train);

/* layers.c: stages of forward/backward of layer l; after each stage but
 * the last, the runner waits for every slice and calls *_reduce once. */
int tr_fwd_stages(const tr_ctx *x, int l);
void tr_fwd(const tr_ctx *x, int l, int stage, int chunk, int tid);
void tr_fwd_reduce(const tr_ctx *x, int l, int stage);
int tr_bwd_stages(const tr_ctx *x, int l);
void tr_bwd(const tr_ctx *x, int l, int stage, int chunk, int tid);
void tr_bwd_reduce(const tr_ctx *x, int l, int stage);
/* softmax cross-entropy (+ distillation) of slice `chunk`: loss, correct,
 * predictions, and (train) the logits' gradient */
void tr_loss(const tr_ctx *x, int chunk);
/* qat: fake-quantize weights of every conv/dw/fc into aux->qw */
void tr_quant_weights(tr_net *net, tr_ws *ws);
/* qat: min/max of slice `chunk`'s outputs of layer l, their reduction into
 * the EMA range, and fake quantization of rows [lo,hi) in place */
void tr_qact_minmax(const tr_ctx *x, int l, int chunk, int lo, int hi);
void tr_qact_reduce(const tr_ctx *x, int l);
void tr_qact_apply(const tr_ctx *x, int l, int lo, int hi);
/* floats of im2col buffer layer L needs for `group` images */
size_t tr_col_need(const tr_layer *L, int group);

#endif
