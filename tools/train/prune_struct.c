/*
** prune_struct.c: structured channel removal (tr_net_remove_channels in
** train.h): output channels of one conv/fc go, with everything per-channel
** after it, and the matching inputs of the next conv/fc.
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

int tr_net_remove_channels(tr_net *net, int layer, const uint8_t *keep,
                           char *err, size_t errlen) {
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
  /* the next conv/fc consumes the channels */
  int next = -1;
  for (int l = layer + 1; l < net->n_layers; l++)
    if (net->layers[l].kind == TR_CONV || net->layers[l].kind == TR_FC) {
      next = l;
      break;
    }
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
