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

/* Remove round(frac*out_c) channels of layer i (a conv or inner fc). */
static int prune_layer(tr_net *net, int i, double frac, int *removed, char *err,
                       size_t errlen) {
  const tr_layer *l = &net->layers[i];
  int oc = l->out_c;
  int drop = (int)lround(frac * oc);
  if (drop > oc - 1) drop = oc - 1;
  if (drop <= 0) return 0;
  size_t per = l->nw / (size_t)oc; /* conv OHWI, fc [out][in] */
  const tr_layer *bn = i + 1 < net->n_layers && net->layers[i + 1].kind == TR_BN
                           ? &net->layers[i + 1]
                           : NULL;
  cz_chan *ch = malloc((size_t)oc * sizeof *ch);
  uint8_t *keep = malloc((size_t)oc);
  if (!ch || !keep) {
    free(ch);
    free(keep);
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  for (int c = 0; c < oc; c++) {
    double s = 0.0;
    for (size_t j = 0; j < per; j++) s += fabs(l->w[(size_t)c * per + j]);
    if (bn) s *= fabs(bn->w[c]) / sqrt(bn->running_var[c] + 1e-5);
    ch[c].norm = s;
    ch[c].c = c;
    keep[c] = 1;
  }
  qsort(ch, (size_t)oc, sizeof *ch, chan_cmp);
  for (int j = 0; j < drop; j++) keep[ch[j].c] = 0;
  int rc = tr_net_remove_channels(net, i, keep, NULL, err, errlen);
  free(ch);
  free(keep);
  if (rc == 0) *removed += drop;
  return rc;
}

int cz_channel_prune(tr_net *net, double frac, int *removed, char *err,
                     size_t errlen) {
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
    if (prune_layer(net, i, frac, removed, err, errlen) != 0) return -1;
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
