/*
** layers.c: forward and backward kernels of every layer kind on one slice
** of a batch (NHWC floats), batch-norm reductions, fake quantization and
** the softmax cross-entropy / distillation loss.
*/
#include <float.h>
#include <math.h>
#include <string.h>

#include "gemm.h"
#include "train_internal.h"

#define BN_EPS 1e-5f
#define BN_MOMENTUM 0.1f

static inline size_t in_len(const tr_layer *L) {
  return (size_t)L->in_h * L->in_w * L->in_c;
}
static inline size_t out_len(const tr_layer *L) {
  return (size_t)L->out_h * L->out_w * L->out_c;
}

/* Gradient slice of parameter pointer p (into net->params) for chunk c. */
static inline float *cg(const tr_ctx *x, const float *p, int c) {
  return x->ws->cgrad[c] + (p - x->net->params);
}

static inline const float *weights(const tr_ctx *x, int l) {
  const tr_layer *L = &x->net->layers[l];
  return x->qat && x->ws->aux[l].qw ? x->ws->aux[l].qw : L->w;
}

/* Whether conv layer L can skip im2col (1x1, stride 1, no padding). */
static inline int is_pointwise(const tr_layer *L) {
  return L->k == 1 && L->stride == 1 && L->pad_t == 0 && L->pad_l == 0;
}

size_t tr_col_need(const tr_layer *L, int group) {
  if (L->kind != TR_CONV || is_pointwise(L)) return 0;
  return (size_t)group * L->out_h * L->out_w * L->k * L->k * L->in_c;
}

/* im2col of g images (NHWC) into col [g*oh*ow][k*k*c]. */
static void im2col(const tr_layer *L, const float *in, int g,
                   float *restrict col) {
  const int H = L->in_h, W = L->in_w, C = L->in_c, k = L->k, s = L->stride;
  const size_t isz = in_len(L), kc = (size_t)k * C;
  for (int n = 0; n < g; n++) {
    const float *img = in + n * isz;
    for (int oy = 0; oy < L->out_h; oy++)
      for (int ox = 0; ox < L->out_w; ox++) {
        const int ix0 = ox * s - L->pad_l;
        const int inside = ix0 >= 0 && ix0 + k <= W;
        for (int ky = 0; ky < k; ky++) {
          int iy = oy * s - L->pad_t + ky;
          if (iy < 0 || iy >= H) {
            for (size_t t = 0; t < kc; t++) col[t] = 0.0f;
          } else if (inside) {
            const float *restrict src = img + ((size_t)iy * W + ix0) * C;
            for (size_t t = 0; t < kc; t++) col[t] = src[t];
          } else {
            for (int kx = 0; kx < k; kx++) {
              int ix = ix0 + kx;
              float *restrict d = col + (size_t)kx * C;
              if (ix < 0 || ix >= W)
                for (int c = 0; c < C; c++) d[c] = 0.0f;
              else {
                const float *restrict src = img + ((size_t)iy * W + ix) * C;
                for (int c = 0; c < C; c++) d[c] = src[c];
              }
            }
          }
          col += kc;
        }
      }
  }
}

/* col2im: add col [g*oh*ow][k*k*c] into the g images' gradient din. */
static void col2im(const tr_layer *L, const float *col, int g, float *din) {
  const int H = L->in_h, W = L->in_w, C = L->in_c, k = L->k, s = L->stride;
  const size_t isz = in_len(L);
  for (int n = 0; n < g; n++) {
    float *img = din + n * isz;
    for (int oy = 0; oy < L->out_h; oy++)
      for (int ox = 0; ox < L->out_w; ox++) {
        for (int ky = 0; ky < k; ky++) {
          int iy = oy * s - L->pad_t + ky;
          for (int kx = 0; kx < k; kx++) {
            int ix = ox * s - L->pad_l + kx;
            if (iy >= 0 && iy < H && ix >= 0 && ix < W) {
              float *restrict d = img + ((size_t)iy * W + ix) * C;
              const float *restrict sc = col;
              for (int c = 0; c < C; c++) d[c] += sc[c];
            }
            col += C;
          }
        }
      }
  }
}

static void add_col_sums(float *restrict db, const float *restrict dy,
                         size_t rows, int n) {
  for (size_t r = 0; r < rows; r++)
    for (int j = 0; j < n; j++) db[j] += dy[r * n + j];
}

/* ---- convolution ---- */

static void conv_fwd(const tr_ctx *x, int l, int lo, int hi, int tid) {
  const tr_layer *L = &x->net->layers[l];
  tr_ws *ws = x->ws;
  const float *W = weights(x, l);
  const int kkc = L->k * L->k * L->in_c, pix = L->out_h * L->out_w;
  const int G = ws->group[l];
  for (int r0 = lo; r0 < hi; r0 += G) {
    int g = hi - r0 < G ? hi - r0 : G;
    const float *in = ws->act[l] + (size_t)r0 * in_len(L);
    float *y = ws->act[l + 1] + (size_t)r0 * out_len(L);
    const float *A = in;
    if (!is_pointwise(L)) {
      float *col = ws->colcache[l] && x->train
                       ? ws->colcache[l] + (size_t)r0 * pix * kkc
                       : ws->col[tid];
      im2col(L, in, g, col);
      A = col;
    }
    int M = g * pix;
    tr_gemm_bias(0, 1, M, L->out_c, kkc, A, kkc, W, kkc, y, L->out_c, L->b,
                 ws->gemm[tid]);
  }
}

static void conv_bwd(const tr_ctx *x, int l, int c, int lo, int hi, int tid) {
  const tr_layer *L = &x->net->layers[l];
  tr_ws *ws = x->ws;
  const float *W = weights(x, l);
  const int kkc = L->k * L->k * L->in_c, pix = L->out_h * L->out_w;
  const int G = ws->group[l];
  const int need_dx = l > x->first;
  float *dw = cg(x, L->w, c), *db = cg(x, L->b, c);
  for (int r0 = lo; r0 < hi; r0 += G) {
    int g = hi - r0 < G ? hi - r0 : G;
    const float *in = ws->act[l] + (size_t)r0 * in_len(L);
    const float *dy = tr_grad(ws, l + 1, lo, r0);
    float *din = tr_grad(ws, l, lo, r0);
    int M = g * pix;
    const float *A = in;
    if (!is_pointwise(L)) {
      if (ws->colcache[l]) {
        A = ws->colcache[l] + (size_t)r0 * pix * kkc;
      } else {
        im2col(L, in, g, ws->col[tid]);
        A = ws->col[tid];
      }
    }
    /* dW^T [kkc][out_c] += col^T dY: packs the narrow dY, not the col */
    tr_gemm(1, 0, kkc, L->out_c, M, A, kkc, dy, L->out_c, ws->dwt[tid],
            L->out_c, r0 > lo, ws->gemm[tid]);
    add_col_sums(db, dy, (size_t)M, L->out_c);
    if (!need_dx) continue;
    if (is_pointwise(L)) {
      tr_gemm(0, 0, M, kkc, L->out_c, dy, L->out_c, W, kkc, din, kkc, 0,
              ws->gemm[tid]);
    } else {
      tr_gemm(0, 0, M, kkc, L->out_c, dy, L->out_c, W, kkc, ws->col[tid], kkc,
              0, ws->gemm[tid]);
      memset(din, 0, sizeof(float) * (size_t)g * in_len(L));
      col2im(L, ws->col[tid], g, din);
    }
  }
  const float *t = ws->dwt[tid];
  for (int o = 0; o < L->out_c; o++)
    for (int i = 0; i < kkc; i++)
      dw[(size_t)o * kkc + i] += t[(size_t)i * L->out_c + o];
}

/* ---- depthwise convolution ---- */

static void dw_fwd(const tr_ctx *x, int l, int lo, int hi) {
  const tr_layer *L = &x->net->layers[l];
  const float *W = weights(x, l);
  const int H = L->in_h, Wd = L->in_w, C = L->in_c, k = L->k, s = L->stride;
  for (int n = lo; n < hi; n++) {
    const float *in = x->ws->act[l] + (size_t)n * in_len(L);
    float *y = x->ws->act[l + 1] + (size_t)n * out_len(L);
    for (int oy = 0; oy < L->out_h; oy++)
      for (int ox = 0; ox < L->out_w; ox++) {
        float *o = y + ((size_t)oy * L->out_w + ox) * C;
        memcpy(o, L->b, sizeof(float) * C);
        for (int ky = 0; ky < k; ky++) {
          int iy = oy * s - L->pad_t + ky;
          if (iy < 0 || iy >= H) continue;
          for (int kx = 0; kx < k; kx++) {
            int ix = ox * s - L->pad_l + kx;
            if (ix < 0 || ix >= Wd) continue;
            const float *ip = in + ((size_t)iy * Wd + ix) * C;
            const float *wp = W + ((size_t)ky * k + kx) * C;
            for (int ch = 0; ch < C; ch++) o[ch] += ip[ch] * wp[ch];
          }
        }
      }
  }
}

static void dw_bwd(const tr_ctx *x, int l, int c, int lo, int hi) {
  const tr_layer *L = &x->net->layers[l];
  const float *W = weights(x, l);
  const int H = L->in_h, Wd = L->in_w, C = L->in_c, k = L->k, s = L->stride;
  const int need_dx = l > x->first;
  float *dw = cg(x, L->w, c), *db = cg(x, L->b, c);
  for (int n = lo; n < hi; n++) {
    const float *in = x->ws->act[l] + (size_t)n * in_len(L);
    const float *dy = tr_grad(x->ws, l + 1, lo, n);
    float *din = tr_grad(x->ws, l, lo, n);
    if (need_dx) memset(din, 0, sizeof(float) * in_len(L));
    for (int oy = 0; oy < L->out_h; oy++)
      for (int ox = 0; ox < L->out_w; ox++) {
        const float *g = dy + ((size_t)oy * L->out_w + ox) * C;
        for (int ch = 0; ch < C; ch++) db[ch] += g[ch];
        for (int ky = 0; ky < k; ky++) {
          int iy = oy * s - L->pad_t + ky;
          if (iy < 0 || iy >= H) continue;
          for (int kx = 0; kx < k; kx++) {
            int ix = ox * s - L->pad_l + kx;
            if (ix < 0 || ix >= Wd) continue;
            size_t io = ((size_t)iy * Wd + ix) * C;
            size_t wo = ((size_t)ky * k + kx) * C;
            const float *ip = in + io;
            float *dwp = dw + wo;
            for (int ch = 0; ch < C; ch++) dwp[ch] += g[ch] * ip[ch];
            if (need_dx) {
              float *dp = din + io;
              const float *wp = W + wo;
              for (int ch = 0; ch < C; ch++) dp[ch] += g[ch] * wp[ch];
            }
          }
        }
      }
  }
}

/* ---- fully connected ---- */

static void fc_fwd(const tr_ctx *x, int l, int lo, int hi, int tid) {
  const tr_layer *L = &x->net->layers[l];
  const int K = (int)in_len(L), N = L->out_c, M = hi - lo;
  const float *in = x->ws->act[l] + (size_t)lo * K;
  float *y = x->ws->act[l + 1] + (size_t)lo * N;
  tr_gemm_bias(0, 1, M, N, K, in, K, weights(x, l), K, y, N, L->b,
               x->ws->gemm[tid]);
}

static void fc_bwd(const tr_ctx *x, int l, int c, int lo, int hi, int tid) {
  const tr_layer *L = &x->net->layers[l];
  const int K = (int)in_len(L), N = L->out_c, M = hi - lo;
  const float *in = x->ws->act[l] + (size_t)lo * K;
  const float *dy = tr_grad(x->ws, l + 1, lo, lo);
  tr_gemm(1, 0, N, K, M, dy, N, in, K, cg(x, L->w, c), K, 1, x->ws->gemm[tid]);
  add_col_sums(cg(x, L->b, c), dy, (size_t)M, N);
  if (l > x->first)
    tr_gemm(0, 0, M, K, N, dy, N, weights(x, l), K, tr_grad(x->ws, l, lo, lo),
            K, 0, x->ws->gemm[tid]);
}

/* ---- pooling ---- */

static void pool_fwd(const tr_ctx *x, int l, int lo, int hi) {
  const tr_layer *L = &x->net->layers[l];
  const int C = L->in_c, W = L->in_w;
  const int is_max = L->kind == TR_MAXPOOL;
  for (int n = lo; n < hi; n++) {
    const float *in = x->ws->act[l] + (size_t)n * in_len(L);
    float *restrict y = x->ws->act[l + 1] + (size_t)n * out_len(L);
    int32_t *restrict am =
        is_max ? x->ws->aux[l].argmax + (size_t)n * out_len(L) : 0;
    for (int oy = 0; oy < L->out_h; oy++)
      for (int ox = 0; ox < L->out_w; ox++) {
        const int32_t i0 = ((2 * oy) * W + 2 * ox) * C;
        const float *restrict p0 = in + i0, *restrict p1 = p0 + C;
        const float *restrict p2 = p0 + W * C, *restrict p3 = p2 + C;
        const size_t o = ((size_t)oy * L->out_w + ox) * C;
        if (!is_max) {
          for (int c = 0; c < C; c++)
            y[o + c] = (p0[c] + p1[c] + p2[c] + p3[c]) * 0.25f;
          continue;
        }
        for (int c = 0; c < C; c++) {
          float v = p0[c];
          int32_t b = i0 + c;
          if (p1[c] > v) v = p1[c], b = i0 + C + c;
          if (p2[c] > v) v = p2[c], b = i0 + W * C + c;
          if (p3[c] > v) v = p3[c], b = i0 + W * C + C + c;
          y[o + c] = v;
          am[o + c] = b;
        }
      }
  }
}

static void pool_bwd(const tr_ctx *x, int l, int lo, int hi) {
  const tr_layer *L = &x->net->layers[l];
  const int C = L->in_c, W = L->in_w;
  for (int n = lo; n < hi; n++) {
    const float *dy = tr_grad(x->ws, l + 1, lo, n);
    float *din = tr_grad(x->ws, l, lo, n);
    memset(din, 0, sizeof(float) * in_len(L));
    if (L->kind == TR_MAXPOOL) {
      const int32_t *am = x->ws->aux[l].argmax + (size_t)n * out_len(L);
      for (size_t o = 0; o < out_len(L); o++) din[am[o]] += dy[o];
      continue;
    }
    for (int oy = 0; oy < L->out_h; oy++)
      for (int ox = 0; ox < L->out_w; ox++)
        for (int c = 0; c < C; c++) {
          float g = dy[((size_t)oy * L->out_w + ox) * C + c] * 0.25f;
          int32_t i0 = ((2 * oy) * W + 2 * ox) * C + c;
          din[i0] += g;
          din[i0 + C] += g;
          din[i0 + W * C] += g;
          din[i0 + W * C + C] += g;
        }
  }
}

static void gap_fwd(const tr_ctx *x, int l, int lo, int hi) {
  const tr_layer *L = &x->net->layers[l];
  const int C = L->in_c, P = L->in_h * L->in_w;
  for (int n = lo; n < hi; n++) {
    const float *in = x->ws->act[l] + (size_t)n * in_len(L);
    float *y = x->ws->act[l + 1] + (size_t)n * C;
    for (int c = 0; c < C; c++) y[c] = 0;
    for (int p = 0; p < P; p++)
      for (int c = 0; c < C; c++) y[c] += in[(size_t)p * C + c];
    for (int c = 0; c < C; c++) y[c] /= (float)P;
  }
}

static void gap_bwd(const tr_ctx *x, int l, int lo, int hi) {
  const tr_layer *L = &x->net->layers[l];
  const int C = L->in_c, P = L->in_h * L->in_w;
  for (int n = lo; n < hi; n++) {
    const float *dy = tr_grad(x->ws, l + 1, lo, n);
    float *din = tr_grad(x->ws, l, lo, n);
    for (int p = 0; p < P; p++)
      for (int c = 0; c < C; c++) din[(size_t)p * C + c] = dy[c] / (float)P;
  }
}

/* ---- activations and dropout ---- */

static void act_fwd(const tr_ctx *x, int l, int lo, int hi) {
  const tr_layer *L = &x->net->layers[l];
  size_t len = out_len(L), a = (size_t)lo * len, b = (size_t)hi * len;
  const float *restrict in = x->ws->act[l];
  float *restrict y = x->ws->act[l + 1];
  if (L->kind == TR_RELU) {
    for (size_t i = a; i < b; i++) y[i] = in[i] > 0.0f ? in[i] : 0.0f;
  } else if (L->kind == TR_RELU6) {
    for (size_t i = a; i < b; i++)
      y[i] = in[i] > 0.0f ? (in[i] < 6.0f ? in[i] : 6.0f) : 0.0f;
  } else if (!x->train || L->p == 0.0f) { /* dropout, eval */
    memcpy(y + a, in + a, sizeof(float) * (b - a));
  } else {
    float keep = 1.0f / (1.0f - L->p);
    float *m = x->ws->aux[l].dmask;
    for (int n = lo; n < hi; n++) {
      uint64_t s = x->drop_seed ^ ((uint64_t)l << 40) ^ (uint64_t)n * len;
      tr_rng_next(&s);
      for (size_t i = (size_t)n * len; i < (size_t)(n + 1) * len; i++) {
        m[i] = tr_rng_uniform(&s) < L->p ? 0.0f : keep;
        y[i] = in[i] * m[i];
      }
    }
  }
}

static void act_bwd(const tr_ctx *x, int l, int lo, int hi) {
  const tr_layer *L = &x->net->layers[l];
  size_t len = out_len(L), cnt = (size_t)(hi - lo) * len;
  const float *restrict y = x->ws->act[l + 1] + (size_t)lo * len;
  const float *restrict dy = tr_grad(x->ws, l + 1, lo, lo);
  float *restrict din = tr_grad(x->ws, l, lo, lo);
  if (L->kind == TR_RELU) {
    for (size_t i = 0; i < cnt; i++) {
      float d = dy[i];
      din[i] = y[i] > 0.0f ? d : 0.0f;
    }
  } else if (L->kind == TR_RELU6) {
    for (size_t i = 0; i < cnt; i++) {
      float d = dy[i], v = y[i];
      din[i] = v > 0.0f && v < 6.0f ? d : 0.0f;
    }
  } else if (L->p == 0.0f) {
    memcpy(din, dy, sizeof(float) * cnt);
  } else {
    const float *restrict m = x->ws->aux[l].dmask + (size_t)lo * len;
    for (size_t i = 0; i < cnt; i++) din[i] = dy[i] * m[i];
  }
}

/* ---- batch normalization ---- */

/* Train: stage 0 sums, stage 1 squared deviations, stage 2 normalize. */
static void bn_fwd(const tr_ctx *x, int l, int stage, int c, int lo, int hi) {
  const tr_layer *L = &x->net->layers[l];
  tr_laux *A = &x->ws->aux[l];
  const int C = L->in_c;
  const size_t rows = (size_t)(hi - lo) * L->in_h * L->in_w;
  const float *in = x->ws->act[l] + (size_t)lo * in_len(L);
  float *y = x->ws->act[l + 1] + (size_t)lo * in_len(L);
  if (x->train && stage < 2) {
    double *p = A->part + (size_t)c * 2 * C;
    for (int ch = 0; ch < C; ch++) p[ch] = 0;
    if (stage == 0) {
      for (size_t r = 0; r < rows; r++)
        for (int ch = 0; ch < C; ch++) p[ch] += in[r * C + ch];
    } else {
      for (size_t r = 0; r < rows; r++)
        for (int ch = 0; ch < C; ch++) {
          double d = (double)in[r * C + ch] - A->mean[ch];
          p[ch] += d * d;
        }
    }
    return;
  }
  const float *mean = x->train ? A->mean : L->running_mean;
  float sc[TR_BN_MAX_CHANNELS], sh[TR_BN_MAX_CHANNELS];
  for (int ch = 0; ch < C; ch++) {
    float is =
        x->train ? A->invstd[ch] : 1.0f / sqrtf(L->running_var[ch] + BN_EPS);
    sc[ch] = L->w[ch] * is;
    sh[ch] = L->b[ch] - mean[ch] * sc[ch];
  }
  for (size_t r = 0; r < rows; r++)
    for (int ch = 0; ch < C; ch++)
      y[r * C + ch] = in[r * C + ch] * sc[ch] + sh[ch];
}

static void bn_fwd_reduce(const tr_ctx *x, int l, int stage) {
  const tr_layer *L = &x->net->layers[l];
  tr_laux *A = &x->ws->aux[l];
  const int C = L->in_c;
  const double cnt = (double)x->n * L->in_h * L->in_w;
  for (int ch = 0; ch < C; ch++) {
    double s = 0;
    for (int c = 0; c < TR_CHUNKS; c++) s += A->part[(size_t)c * 2 * C + ch];
    if (stage == 0) {
      A->mean[ch] = (float)(s / cnt);
    } else {
      double var = s / cnt;
      A->invstd[ch] = (float)(1.0 / sqrt(var + BN_EPS));
      double unb = cnt > 1 ? s / (cnt - 1) : var;
      L->running_mean[ch] =
          (1 - BN_MOMENTUM) * L->running_mean[ch] + BN_MOMENTUM * A->mean[ch];
      L->running_var[ch] =
          (1 - BN_MOMENTUM) * L->running_var[ch] + BN_MOMENTUM * (float)unb;
    }
  }
}

/* Backward: stage 0 partial sums of dy and dy*xhat, stage 1 dx. */
static void bn_bwd(const tr_ctx *x, int l, int stage, int c, int lo, int hi) {
  const tr_layer *L = &x->net->layers[l];
  tr_laux *A = &x->ws->aux[l];
  const int C = L->in_c;
  const size_t rows = (size_t)(hi - lo) * L->in_h * L->in_w;
  const float *in = x->ws->act[l] + (size_t)lo * in_len(L);
  const float *dy = tr_grad(x->ws, l + 1, lo, lo);
  float *din = tr_grad(x->ws, l, lo, lo);
  if (stage == 0) {
    double *p = A->part + (size_t)c * 2 * C;
    for (int ch = 0; ch < 2 * C; ch++) p[ch] = 0;
    for (size_t r = 0; r < rows; r++)
      for (int ch = 0; ch < C; ch++) {
        float g = dy[r * C + ch];
        p[ch] += g;
        p[C + ch] +=
            (double)g * ((in[r * C + ch] - A->mean[ch]) * A->invstd[ch]);
      }
    return;
  }
  /* after the reduce: part[0..C) = dbeta, part[C..2C) = dgamma totals */
  const double cnt = (double)x->n * L->in_h * L->in_w;
  float k1[TR_BN_MAX_CHANNELS], k2[TR_BN_MAX_CHANNELS], k3[TR_BN_MAX_CHANNELS];
  for (int ch = 0; ch < C; ch++) {
    float gi = L->w[ch] * A->invstd[ch];
    k1[ch] = gi;
    k2[ch] = (float)(A->part[ch] / cnt);
    k3[ch] = (float)(A->part[C + ch] / cnt);
  }
  if (l <= x->first) return;
  for (size_t r = 0; r < rows; r++)
    for (int ch = 0; ch < C; ch++) {
      float xh = (in[r * C + ch] - A->mean[ch]) * A->invstd[ch];
      din[r * C + ch] = k1[ch] * (dy[r * C + ch] - k2[ch] - xh * k3[ch]);
    }
}

static void bn_bwd_reduce(const tr_ctx *x, int l) {
  const tr_layer *L = &x->net->layers[l];
  tr_laux *A = &x->ws->aux[l];
  const int C = L->in_c;
  for (int ch = 0; ch < 2 * C; ch++) {
    double s = 0;
    for (int c = 0; c < TR_CHUNKS; c++) s += A->part[(size_t)c * 2 * C + ch];
    A->part[ch] = s; /* slice 0's row now holds the totals */
  }
  /* parameter gradients go to slice 0; the others stay zero */
  float *dg = cg(x, L->w, 0), *dbeta = cg(x, L->b, 0);
  for (int ch = 0; ch < C; ch++) {
    dbeta[ch] = (float)A->part[ch];
    dg[ch] = (float)A->part[C + ch];
  }
}

/* ---- stage dispatch ---- */

static int base_fwd_stages(const tr_ctx *x, const tr_layer *L) {
  return L->kind == TR_BN && x->train ? 3 : 1;
}

int tr_fwd_stages(const tr_ctx *x, int l) {
  const tr_layer *L = &x->net->layers[l];
  int n = base_fwd_stages(x, L);
  if (x->qat && x->ws->aux[l].quant_point) n += x->train ? 2 : 1;
  return n;
}

void tr_fwd(const tr_ctx *x, int l, int stage, int c, int tid) {
  const tr_layer *L = &x->net->layers[l];
  int lo, hi;
  tr_slice(x->n, c, &lo, &hi);
  if (lo == hi) {
    if (L->kind == TR_BN && x->train && stage < 2)
      memset(x->ws->aux[l].part + (size_t)c * 2 * L->in_c, 0,
             sizeof(double) * 2 * (size_t)L->in_c);
    return;
  }
  int base = base_fwd_stages(x, L);
  if (stage >= base) {
    if (x->train && stage == base)
      tr_qact_minmax(x, l, c, lo, hi);
    else
      tr_qact_apply(x, l, lo, hi);
    return;
  }
  switch (L->kind) {
    case TR_CONV:
      conv_fwd(x, l, lo, hi, tid);
      break;
    case TR_DW:
      dw_fwd(x, l, lo, hi);
      break;
    case TR_FC:
      fc_fwd(x, l, lo, hi, tid);
      break;
    case TR_MAXPOOL:
    case TR_AVGPOOL:
      pool_fwd(x, l, lo, hi);
      break;
    case TR_GAP:
      gap_fwd(x, l, lo, hi);
      break;
    case TR_BN:
      bn_fwd(x, l, stage, c, lo, hi);
      break;
    default:
      act_fwd(x, l, lo, hi);
      break;
  }
}

void tr_fwd_reduce(const tr_ctx *x, int l, int stage) {
  const tr_layer *L = &x->net->layers[l];
  int base = base_fwd_stages(x, L);
  if (!x->train) return; /* eval: nothing to reduce */
  if (stage == base)     /* after the min/max of the output */
    tr_qact_reduce(x, l);
  else if (L->kind == TR_BN && stage < 2) /* after sums, squares */
    bn_fwd_reduce(x, l, stage);
}

int tr_bwd_stages(const tr_ctx *x, int l) {
  return x->net->layers[l].kind == TR_BN ? 2 : 1;
}

void tr_bwd(const tr_ctx *x, int l, int stage, int c, int tid) {
  const tr_layer *L = &x->net->layers[l];
  int lo, hi;
  tr_slice(x->n, c, &lo, &hi);
  if (stage == 0 && L->nw) {
    memset(cg(x, L->w, c), 0, sizeof(float) * L->nw);
    memset(cg(x, L->b, c), 0, sizeof(float) * L->nb);
  }
  if (lo == hi) {
    if (L->kind == TR_BN && stage == 0)
      memset(x->ws->aux[l].part + (size_t)c * 2 * L->in_c, 0,
             sizeof(double) * 2 * (size_t)L->in_c);
    return;
  }
  int dx = l > x->first;
  switch (L->kind) {
    case TR_CONV:
      conv_bwd(x, l, c, lo, hi, tid);
      break;
    case TR_DW:
      dw_bwd(x, l, c, lo, hi);
      break;
    case TR_FC:
      fc_bwd(x, l, c, lo, hi, tid);
      break;
    case TR_BN:
      bn_bwd(x, l, stage, c, lo, hi);
      break;
    case TR_MAXPOOL:
    case TR_AVGPOOL:
      if (dx) pool_bwd(x, l, lo, hi);
      break;
    case TR_GAP:
      if (dx) gap_bwd(x, l, lo, hi);
      break;
    default:
      if (dx) act_bwd(x, l, lo, hi);
      break;
  }
}

void tr_bwd_reduce(const tr_ctx *x, int l, int stage) {
  (void)stage;
  if (x->net->layers[l].kind == TR_BN) bn_bwd_reduce(x, l);
}
