/*
** prune.c: magnitude and channel pruning of a trainable net, and the
** figures `mote prune` reports (see prune.h).
*/
#include "compress/prune.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* 1 for layers whose weights are pruned (conv, dw, fc). */
static int prunable(const tr_layer *l) {
  return (l->kind == TR_CONV || l->kind == TR_DW || l->kind == TR_FC) &&
         l->w != NULL;
}

size_t cz_prunable_count(const tr_net *net) {
  size_t n = 0;
  for (int i = 0; i < net->n_layers; i++)
    if (prunable(&net->layers[i])) n += net->layers[i].nw;
  return n;
}

size_t cz_prunable_zeros(const tr_net *net) {
  size_t z = 0;
  for (int i = 0; i < net->n_layers; i++) {
    const tr_layer *l = &net->layers[i];
    if (!prunable(l)) continue;
    for (size_t j = 0; j < l->nw; j++) z += l->w[j] == 0.0f;
  }
  return z;
}

/* A weight: its magnitude and where it is (layer, index). */
typedef struct cz_wref {
  float mag;
  int layer;
  size_t at;
} cz_wref;

/* Smaller magnitude first; ties by position, so the order is total. */
static int wref_cmp(const void *a, const void *b) {
  const cz_wref *x = a, *y = b;
  if (x->mag != y->mag) return x->mag < y->mag ? -1 : 1;
  if (x->layer != y->layer) return x->layer < y->layer ? -1 : 1;
  return x->at < y->at ? -1 : x->at > y->at;
}

/* Mask the k smallest of refs[0..n) (after sorting them). */
static void mask_smallest(tr_net *net, cz_wref *refs, size_t n, size_t k) {
  qsort(refs, n, sizeof *refs, wref_cmp);
  for (size_t j = 0; j < k && j < n; j++)
    net->layers[refs[j].layer].mask[refs[j].at] = 0.0f;
}

int cz_magnitude_prune(tr_net *net, double sparsity, int per_layer, char *err,
                       size_t errlen) {
  if (!(sparsity >= 0.0 && sparsity < 1.0)) {
    snprintf(err, errlen, "sparsity %g: expected 0 <= S < 1", sparsity);
    return -1;
  }
  if (tr_net_enable_masks(net) != 0) {
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  size_t total = cz_prunable_count(net);
  cz_wref *refs = malloc((total ? total : 1) * sizeof *refs);
  if (!refs) {
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  size_t n = 0;
  for (int i = 0; i < net->n_layers; i++) {
    tr_layer *l = &net->layers[i];
    if (!prunable(l) || !l->mask) continue;
    size_t first = n;
    for (size_t j = 0; j < l->nw; j++) {
      refs[n].mag = fabsf(l->w[j] * l->mask[j]);
      refs[n].layer = i;
      refs[n].at = j;
      n++;
    }
    if (per_layer) {
      size_t cnt = n - first;
      mask_smallest(net, refs + first, cnt,
                    (size_t)llround(sparsity * (double)cnt));
    }
  }
  if (!per_layer) mask_smallest(net, refs, n, (size_t)llround(sparsity * n));
  free(refs);
  tr_net_apply_masks(net);
  return 0;
}

double cz_gradual_sparsity(double final, int step, int steps) {
  if (steps <= 1 || step >= steps) return final;
  double r = 1.0 - (double)step / steps;
  return final * (1.0 - r * r * r);
}

/* A channel: its norm and index. */
typedef struct cz_chan {
  double norm;
  int c;
} cz_chan;

/* Smaller norm first; ties by index. */
static int chan_cmp(const void *a, const void *b) {
  const cz_chan *x = a, *y = b;
  if (x->norm != y->norm) return x->norm < y->norm ? -1 : 1;
  return x->c - y->c;
}

/* L1 norm of layer i's weights on each of its output channels, scaled
 * by |gamma| / sqrt(running_var + eps) of a bn layer right after it. */
static void weight_norms(const tr_net *net, int i, cz_chan *ch) {
  const tr_layer *l = &net->layers[i];
  size_t per = l->nw / (size_t)l->out_c; /* conv OHWI, fc [out][in] */
  const tr_layer *bn = i + 1 < net->n_layers && net->layers[i + 1].kind == TR_BN
                           ? &net->layers[i + 1]
                           : NULL;
  for (int c = 0; c < l->out_c; c++) {
    double s = 0.0;
    for (size_t j = 0; j < per; j++) s += fabs(l->w[(size_t)c * per + j]);
    if (bn) s *= fabs(bn->w[c]) / sqrt(bn->running_var[c] + 1e-5);
    ch[c].norm = s;
  }
}

/*
** sqrt(cov[c][c]) times the L1 norm of the next conv/fc's weights on
** channel c: how much the channel's variation moves the next layer.
*/
static void output_norms(const tr_net *net, int i, const double *cov,
                         cz_chan *ch) {
  int next = i + 1;
  while (net->layers[next].kind != TR_CONV && net->layers[next].kind != TR_FC)
    next++;
  const tr_layer *n = &net->layers[next];
  size_t C = (size_t)n->in_c; /* channel c: every C-th weight from c */
  for (size_t c = 0; c < C; c++) {
    double s = 0.0;
    for (size_t j = c; j < n->nw; j += C) s += fabs(n->w[j]);
    ch[c].norm = sqrt(cov[c * C + c] > 0.0 ? cov[c * C + c] : 0.0) * s;
  }
}

/*
** Least-squares replacement of the removed channels by the kept ones
** (rows of C+1 in mix, as tr_net_remove_channels reads them): for removed
** r, the coefficients a = (S + lam I)^-1 s_r, S the covariance of the
** kept channels, s_r theirs with r, lam 1e-4 of their mean variance; the
** constant mean[r] - a . mean_kept. A channel with no covariance with the
** kept ones (a constant one) gets a = 0 exactly: its mean.
*/
static int fit_mix(size_t C, const uint8_t *keep, const double *mean,
                   const double *cov, float *mix) {
  size_t K = 0, *kk = malloc(C * sizeof *kk);
  double *L = malloc(C * C * sizeof *L), *y = malloc(C * sizeof *y);
  if (!kk || !L || !y) {
    free(kk);
    free(L);
    free(y);
    return -1;
  }
  double lam = 0.0;
  for (size_t c = 0; c < C; c++)
    if (keep[c]) {
      kk[K++] = c;
      lam += cov[c * C + c];
    }
  lam = lam > 0.0 ? 1e-4 * lam / (double)K : 1.0;
  /* Cholesky S + lam I = L L^T, L lower (row-major K x K) */
  for (size_t j = 0; j < K; j++)
    for (size_t i = j; i < K; i++) {
      double v = cov[kk[i] * C + kk[j]] + (i == j ? lam : 0.0);
      for (size_t k = 0; k < j; k++) v -= L[i * K + k] * L[j * K + k];
      L[i * K + j] = i == j ? sqrt(v > lam ? v : lam) : v / L[j * K + j];
    }
  for (size_t r = 0; r < C; r++) {
    if (keep[r]) continue;
    for (size_t i = 0; i < K; i++) { /* L y = s_r, then L^T a = y */
      double v = cov[kk[i] * C + r];
      for (size_t k = 0; k < i; k++) v -= L[i * K + k] * y[k];
      y[i] = v / L[i * K + i];
    }
    for (size_t i = K; i-- > 0;) {
      double v = y[i];
      for (size_t k = i + 1; k < K; k++) v -= L[k * K + i] * y[k];
      y[i] = v / L[i * K + i];
    }
    float *row = mix + r * (C + 1);
    double cst = mean[r];
    for (size_t c = 0; c < C; c++) row[c] = 0.0f;
    for (size_t i = 0; i < K; i++) {
      row[kk[i]] = (float)y[i];
      cst -= (double)row[kk[i]] * mean[kk[i]];
    }
    row[C] = (float)cst;
  }
  free(kk);
  free(L);
  free(y);
  return 0;
}

/*
** Remove round(frac*out_c) channels of layer i (a conv or inner fc): with
** calib those of least output_norms, replaced as fit_mix says; without,
** those of least weight_norms, cut off.
*/
static int prune_layer(tr_net *net, int i, double frac,
                       const mote_dataset *calib, int threads, int *removed,
                       char *err, size_t errlen) {
  const size_t C = (size_t)net->layers[i].out_c;
  int drop = (int)lround(frac * (double)C);
  if (drop > (int)C - 1) drop = (int)C - 1;
  if (drop <= 0) return 0;
  cz_chan *ch = malloc(C * sizeof *ch);
  uint8_t *keep = malloc(C);
  double *mean = calib ? malloc(C * (C + 1) * sizeof *mean) : NULL;
  float *mix = calib ? malloc(C * (C + 1) * sizeof *mix) : NULL;
  int rc = -1;
  if (!ch || !keep || (calib && (!mean || !mix))) {
    snprintf(err, errlen, "out of memory");
    goto out;
  }
  if (calib) {
    if (tr_net_channel_stats(net, i, calib, threads, mean, mean + C, err,
                             errlen) != 0)
      goto out;
    output_norms(net, i, mean + C, ch);
  } else {
    weight_norms(net, i, ch);
  }
  for (size_t c = 0; c < C; c++) {
    ch[c].c = (int)c;
    keep[c] = 1;
  }
  qsort(ch, C, sizeof *ch, chan_cmp);
  for (int j = 0; j < drop; j++) keep[ch[j].c] = 0;
  if (calib && fit_mix(C, keep, mean, mean + C, mix) != 0) {
    snprintf(err, errlen, "out of memory");
    goto out;
  }
  rc = tr_net_remove_channels(net, i, keep, mix, err, errlen);
  if (rc == 0) *removed += drop;
out:
  free(ch);
  free(keep);
  free(mean);
  free(mix);
  return rc;
}

int cz_channel_prune(tr_net *net, double frac, const mote_dataset *calib,
                     int threads, int *removed, char *err, size_t errlen) {
  int dummy = 0;
  if (!removed) removed = &dummy;
  *removed = 0;
  if (!(frac >= 0.0 && frac < 1.0)) {
    snprintf(err, errlen, "fraction %g: expected 0 <= F < 1", frac);
    return -1;
  }
  int last = -1;
  for (int i = 0; i < net->n_layers; i++)
    if (net->layers[i].kind == TR_FC) last = i;
  for (int i = 0; i < net->n_layers; i++) {
    tr_kind k = net->layers[i].kind;
    if (k != TR_CONV && !(k == TR_FC && i != last)) continue;
    if (prune_layer(net, i, frac, calib, threads, removed, err, errlen) != 0)
      return -1;
  }
  return 0;
}

int cz_measure(tr_net *net, const mote_dataset *test, int threads, int qat,
               cz_stats *st, char *err, size_t errlen) {
  memset(st, 0, sizeof *st);
  st->params = tr_net_param_count(net);
  size_t zeros = 0;
  for (int i = 0; i < net->n_layers; i++) {
    const tr_layer *l = &net->layers[i];
    if (!prunable(l) && l->kind != TR_BN) continue;
    for (size_t j = 0; l->w && j < l->nw; j++) zeros += l->w[j] == 0.0f;
    for (size_t j = 0; l->b && j < l->nb; j++) zeros += l->b[j] == 0.0f;
  }
  st->nonzero = st->params >= zeros ? st->params - zeros : 0;
  st->prunable = cz_prunable_count(net);
  st->pruned = cz_prunable_zeros(net);
  st->macs = tr_net_macs(net);
  uint8_t *fb = NULL;
  size_t len = 0;
  if (tr_export_tflite_mem(net, &fb, &len, err, errlen) != 0) return -1;
  st->flash = len;
  uLongf zlen = compressBound((uLong)len);
  uint8_t *z = malloc(zlen);
  if (!z || compress2(z, &zlen, fb, (uLong)len, 9) != Z_OK) {
    free(z);
    free(fb);
    snprintf(err, errlen, "zlib compression failed");
    return -1;
  }
  st->flash_zlib = zlen;
  free(z);
  free(fb);
  st->accuracy = st->accuracy_qat = -1.0;
  if (test) {
    st->accuracy = tr_evaluate(net, test, threads, 0, NULL);
    if (st->accuracy < 0) {
      snprintf(err, errlen, "evaluation on the test set failed");
      return -1;
    }
    if (qat) st->accuracy_qat = tr_evaluate(net, test, threads, 1, NULL);
  }
  return 0;
}
