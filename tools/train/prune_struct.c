/*
** prune_struct.c: structured channel removal (tr_net_remove_channels in
** train.h): output channels of one conv/fc go, with everything per-channel
** after it, and the matching inputs of the next conv/fc, whose weights and
** biases can take in a replacement of the removed channels by the kept
** ones; and the channel statistics that fit one (tr_net_channel_stats).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "train.h"
#include "train_internal.h"

/*
** Copy the weights of old layer O into new layer N (same kind): output
** channels kept by kout (NULL: all), input channels kept by kin (NULL:
** all; for fc the input is h*w*C flattened NHWC, C = old in_c).
*/
static void copy_w(const tr_layer *O, const tr_layer *N, const float *src,
                   float *dst, const uint8_t *kout, const uint8_t *kin) {
  if (O->kind == TR_DW) { /* [k][k][C]: channel is the fastest axis */
    size_t taps = (size_t)O->k * O->k, j = 0;
    for (size_t t = 0; t < taps; t++)
      for (int c = 0; c < O->out_c; c++)
        if (!kout || kout[c]) dst[j++] = src[t * O->out_c + c];
    return;
  }
  /* conv [O][k][k][I] and fc [O][h*w*I]: rows of spatial x in_c */
  size_t per_in = O->nw / (size_t)O->out_c; /* values per output row */
  size_t spatial = per_in / (size_t)O->in_c;
  size_t j = 0;
  for (int o = 0; o < O->out_c; o++) {
    if (kout && !kout[o]) continue;
    const float *row = src + (size_t)o * per_in;
    for (size_t s = 0; s < spatial; s++)
      for (int c = 0; c < O->in_c; c++)
        if (!kin || kin[c]) dst[j++] = row[s * O->in_c + c];
  }
  (void)N;
}

static void copy_vec(const float *src, float *dst, int n, const uint8_t *k) {
  int j = 0;
  for (int c = 0; c < n; c++)
    if (!k || k[c]) dst[j++] = src[c];
}

/* The conv/fc after `layer` that consumes its channels, or -1. */
static int consumer(const tr_net *net, int layer) {
  for (int l = layer + 1; l < net->n_layers; l++)
    if (net->layers[l].kind == TR_CONV || net->layers[l].kind == TR_FC)
      return l;
  return -1;
}

/*
** Fold the replacement of the removed channels into the consumer: O its
** old layer, N its new one (kept inputs copied). Removed channel r reads
** as mix[r][C] + sum over kept k of mix[r][k] * x_k (rows of C+1), so
** each weight on kept k gains the weights on the removed r times
** mix[r][k] (where a mask keeps it), and each bias their constant part.
*/
static void fold_mix(const tr_layer *O, tr_layer *N, const uint8_t *keep,
                     const float *mix) {
  const size_t C = (size_t)O->in_c, per = O->nw / (size_t)O->out_c;
  const size_t spatial = per / C, nper = N->nw / (size_t)N->out_c;
  for (int o = 0; o < O->out_c; o++) {
    const float *row = O->w + (size_t)o * per;
    float *nrow = N->w + (size_t)o * nper;
    const float *nmask = N->mask ? N->mask + (size_t)o * nper : NULL;
    double add = 0.0;
    for (size_t t = 0; t < spatial; t++) {
      const float *x = row + t * C;
      size_t at = t * (size_t)N->in_c;
      for (size_t k = 0; k < C; k++) {
        if (!keep[k]) continue;
        double s = 0.0;
        for (size_t r = 0; r < C; r++)
          if (!keep[r]) s += (double)x[r] * mix[r * (C + 1) + k];
        if (!nmask || nmask[at] != 0.0f) nrow[at] = (float)(nrow[at] + s);
        at++;
      }
      for (size_t r = 0; r < C; r++)
        if (!keep[r]) add += (double)x[r] * mix[r * (C + 1) + C];
    }
    N->b[o] = (float)(N->b[o] + add);
  }
}

int tr_net_channel_stats(tr_net *net, int layer, const mote_dataset *ds,
                         int threads, double *mean, double *cov, char *err,
                         size_t errlen) {
  int next = layer >= 0 && layer < net->n_layers ? consumer(net, layer) : -1;
  if (next < 0) {
    tr_set_err(err, errlen, "layer %d: no conv or fc after it", layer + 1);
    return -1;
  }
  if (!ds || ds->n == 0 || (int)ds->h != net->in_h || (int)ds->w != net->in_w ||
      (int)ds->c != net->in_c) {
    tr_set_err(err, errlen, "the samples do not fit the net's input");
    return -1;
  }
  const tr_ws *ws = tr_ws_get(net, 256, threads, 0);
  const size_t C = (size_t)net->layers[next - 1].out_c, len = ds_sample_len(ds);
  const size_t alen = ws ? ws->act_len[next] : 0; /* the consumer's input */
  const uint32_t batch = ws ? (uint32_t)ws->batch : 0;
  float *x = malloc(sizeof(float) * len * batch + 1);
  float *logits = malloc(sizeof(float) * (size_t)net->n_classes * batch + 1);
  /* sums of x - shift (the first values seen: a constant channel gives
   * exact zeros) and of their products, upper triangle */
  double *sum = calloc(C * (C + 3), sizeof *sum), *shift = sum + C;
  double *d = shift + C, *sq = d + C;
  int rc = -1;
  if (!ws || !x || !logits || !sum) {
    tr_set_err(err, errlen, "out of memory");
    goto out;
  }
  for (uint32_t b = 0; b < ds->n; b += batch) {
    uint32_t m = ds->n - b < batch ? ds->n - b : batch;
    for (uint32_t i = 0; i < m; i++) ds_sample_f32(ds, b + i, x + i * len);
    if (tr_forward(net, x, m, 0, logits) != 0) {
      tr_set_err(err, errlen, "out of memory");
      goto out;
    }
    const float *a = net->ws->act[next];
    if (b == 0)
      for (size_t c = 0; c < C; c++) shift[c] = a[c];
    for (size_t p = 0; p < alen * m; p += C) {
      for (size_t c = 0; c < C; c++) {
        d[c] = a[p + c] - shift[c];
        sum[c] += d[c];
      }
      for (size_t c = 0; cov && c < C; c++)
        for (size_t e = c; e < C; e++) sq[c * C + e] += d[c] * d[e];
    }
  }
  const double n = (double)ds->n * (double)(alen / C);
  for (size_t c = 0; c < C; c++) {
    if (mean) mean[c] = shift[c] + sum[c] / n;
    for (size_t e = c; cov && e < C; e++)
      cov[c * C + e] = cov[e * C + c] =
          sq[c * C + e] / n - (sum[c] / n) * (sum[e] / n);
  }
  rc = 0;
out:
  free(x);
  free(logits);
  free(sum);
  return rc;
}

int tr_net_remove_channels(tr_net *net, int layer, const uint8_t *keep,
                           const float *mix, char *err, size_t errlen) {
  if (layer < 0 || layer >= net->n_layers) {
    tr_set_err(err, errlen, "layer %d out of range", layer + 1);
    return -1;
  }
  const tr_layer *T = &net->layers[layer];
  if (T->kind != TR_CONV && T->kind != TR_FC) {
    tr_set_err(err, errlen,
               "layer %d is %s: only conv and fc outputs can be "
               "removed",
               layer + 1, tr_kind_name(T->kind));
    return -1;
  }
  int nkeep = 0;
  for (int c = 0; c < T->out_c; c++) nkeep += keep[c] != 0;
  if (nkeep == 0) {
    tr_set_err(err, errlen, "layer %d: no channel kept", layer + 1);
    return -1;
  }
  int next = consumer(net, layer);
  if (next < 0) {
    tr_set_err(err, errlen,
               "layer %d: the last layer's outputs are the classes", layer + 1);
    return -1;
  }
  tr_net *nn = tr_net_clone(net);
  if (!nn) {
    tr_set_err(err, errlen, "out of memory");
    return -1;
  }
  nn->layers[layer].out_c = nkeep;
  if (tr_net_shapes(nn, err, errlen) != 0 || tr_net_alloc_params(nn) != 0 ||
      (net->masks && tr_net_enable_masks(nn) != 0)) {
    tr_net_free(nn);
    return -1;
  }
  for (int l = 0; l < net->n_layers; l++) {
    const tr_layer *O = &net->layers[l];
    tr_layer *N = &nn->layers[l];
    const uint8_t *kout = NULL, *kin = NULL;
    if (l >= layer && l < next) kout = keep; /* target and per-channel */
    if (l == next) kin = keep;
    if (O->kind == TR_CONV || O->kind == TR_DW || O->kind == TR_FC) {
      copy_w(O, N, O->w, N->w, kout, kin);
      copy_vec(O->b, N->b, O->out_c, kout);
      if (net->masks) {
        copy_w(O, N, O->mask, N->mask, kout, kin);
        float *om = net->masks + (O->b - net->params);
        float *nm = nn->masks + (N->b - nn->params);
        copy_vec(om, nm, O->out_c, kout);
      }
    } else if (O->kind == TR_BN) {
      copy_vec(O->w, N->w, O->out_c, kout);
      copy_vec(O->b, N->b, O->out_c, kout);
      copy_vec(O->running_mean, N->running_mean, O->out_c, kout);
      copy_vec(O->running_var, N->running_var, O->out_c, kout);
    }
  }
  if (mix) fold_mix(&net->layers[next], &nn->layers[next], keep, mix);
  /* swap the contents: the caller's pointer stays valid */
  tr_net tmp = *net;
  *net = *nn;
  *nn = tmp;
  net->ws = NULL;
  tr_net_free(nn); /* frees the old arrays and the old workspace */
  free(net->spec);
  net->spec = NULL;
  tr_net_rebuild_spec(net);
  return 0;
}
