/*
** net.c: building networks from spec strings, initialisation, parameter
** bookkeeping, masks and structured channel removal (see train.h).
*/
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "train.h"
#include "train_internal.h"

void tr_set_err(char *err, size_t len, const char *fmt, ...) {
  if (!err || !len) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, len, fmt, ap);
  va_end(ap);
}

const char *tr_kind_name(tr_kind k) {
  switch (k) {
    case TR_CONV:
      return "conv";
    case TR_DW:
      return "dw";
    case TR_FC:
      return "fc";
    case TR_MAXPOOL:
      return "maxpool2";
    case TR_AVGPOOL:
      return "avgpool2";
    case TR_GAP:
      return "gap";
    case TR_RELU:
      return "relu";
    case TR_RELU6:
      return "relu6";
    case TR_BN:
      return "bn";
    case TR_DROPOUT:
      return "dropout";
  }
  return "?";
}

/* Parse one positive integer at *s; advance. Returns -1 if none. */
static long parse_int(const char **s) {
  const char *p = *s;
  if (*p < '0' || *p > '9') return -1;
  long v = 0;
  while (*p >= '0' && *p <= '9') {
    v = v * 10 + (*p - '0');
    if (v > 1000000) return -1;
    p++;
  }
  *s = p;
  return v;
}

/* Options ":same", ":valid", ":s1", ":s2" of conv/dw. */
static int parse_conv_opts(const char *p, tr_layer *L, char *what,
                           size_t wlen) {
  while (*p) {
    if (*p != ':') {
      snprintf(what, wlen, "unexpected '%s'", p);
      return -1;
    }
    p++;
    const char *e = strchr(p, ':');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    if (n == 4 && !strncmp(p, "same", 4))
      L->same = 1;
    else if (n == 5 && !strncmp(p, "valid", 5))
      L->same = 0;
    else if (n == 2 && !strncmp(p, "s2", 2))
      L->stride = 2;
    else if (n == 2 && !strncmp(p, "s1", 2))
      L->stride = 1;
    else {
      snprintf(what, wlen, "unknown option ':%.*s' (same, valid, s1, s2)",
               (int)n, p);
      return -1;
    }
    p += n;
  }
  return 0;
}

/* Parse one layer token into L (kind and hyper-parameters only). */
static int parse_layer(const char *tok, tr_layer *L, char *what, size_t wlen) {
  memset(L, 0, sizeof *L);
  L->stride = 1;
  const char *p = tok;
  if (!strncmp(p, "conv", 4) || !strncmp(p, "dw", 2)) {
    int dw = p[0] == 'd';
    p += dw ? 2 : 4;
    long k = parse_int(&p), k2 = -1;
    if (k > 0 && *p == 'x') {
      p++;
      k2 = parse_int(&p);
    }
    if (k <= 0 || k2 != k || k > 15) {
      snprintf(what, wlen, "expected %s (square kernel, K in 1..15)",
               dw ? "dwKxK" : "convKxK:C");
      return -1;
    }
    L->k = (int)k;
    L->kind = dw ? TR_DW : TR_CONV;
    if (!dw) {
      long c = -1;
      if (*p == ':') {
        p++;
        c = parse_int(&p);
      }
      if (c <= 0 || c > 65536) {
        snprintf(what, wlen, "expected conv%ldx%ld:C (C output channels > 0)",
                 k, k);
        return -1;
      }
      L->out_c = (int)c;
    }
    return parse_conv_opts(p, L, what, wlen);
  }
  if (!strncmp(p, "fc", 2)) {
    p += 2;
    long n = -1;
    if (*p == ':') {
      p++;
      n = parse_int(&p);
    }
    if (n <= 0 || n > 1000000 || *p) {
      snprintf(what, wlen, "expected fc:N (N outputs > 0)");
      return -1;
    }
    L->kind = TR_FC;
    L->out_c = (int)n;
    return 0;
  }
  if (!strncmp(p, "dropout", 7)) {
    p += 7;
    char *end = NULL;
    double v = -1;
    if (*p == ':') v = strtod(p + 1, &end);
    if (v < 0 || v >= 1 || !end || end == p + 1 || *end) {
      snprintf(what, wlen, "expected dropout:P (P in [0,1))");
      return -1;
    }
    L->kind = TR_DROPOUT;
    L->p = (float)v;
    return 0;
  }
  static const struct {
    const char *name;
    tr_kind kind;
  } simple[] = {{"maxpool2", TR_MAXPOOL}, {"avgpool2", TR_AVGPOOL},
                {"gap", TR_GAP},          {"relu", TR_RELU},
                {"relu6", TR_RELU6},      {"bn", TR_BN}};
  for (size_t i = 0; i < sizeof simple / sizeof simple[0]; i++)
    if (!strcmp(p, simple[i].name)) {
      L->kind = simple[i].kind;
      return 0;
    }
  snprintf(what, wlen,
           "unknown layer (convKxK:C, dwKxK, fc:N, maxpool2, avgpool2, gap, "
           "relu, relu6, bn, dropout:P)");
  return -1;
}

/* Compute output shapes and parameter counts from the input shapes. */
int tr_layer_shape(tr_layer *L, int prev_kind, char *what, size_t wlen) {
  int h = L->in_h, w = L->in_w, c = L->in_c;
  L->nw = L->nb = 0;
  switch (L->kind) {
    case TR_CONV:
    case TR_DW: {
      int k = L->k, s = L->stride;
      if (L->kind == TR_DW) L->out_c = c;
      if (L->same) {
        L->out_h = (h + s - 1) / s;
        L->out_w = (w + s - 1) / s;
        int th = (L->out_h - 1) * s + k - h, tw = (L->out_w - 1) * s + k - w;
        L->pad_t = th > 0 ? th / 2 : 0;
        L->pad_l = tw > 0 ? tw / 2 : 0;
      } else {
        if (h < k || w < k) {
          snprintf(what, wlen, "input %dx%d is smaller than the %dx%d kernel",
                   h, w, k, k);
          return -1;
        }
        L->out_h = (h - k) / s + 1;
        L->out_w = (w - k) / s + 1;
        L->pad_t = L->pad_l = 0;
      }
      L->nw =
          L->kind == TR_CONV ? (size_t)L->out_c * k * k * c : (size_t)k * k * c;
      L->nb = (size_t)L->out_c;
      return 0;
    }
    case TR_FC:
      L->out_h = L->out_w = 1;
      L->nw = (size_t)L->out_c * h * w * c;
      L->nb = (size_t)L->out_c;
      return 0;
    case TR_MAXPOOL:
    case TR_AVGPOOL:
      if (h < 2 || w < 2) {
        snprintf(what, wlen, "input %dx%d is too small to pool 2x2", h, w);
        return -1;
      }
      L->out_h = h / 2;
      L->out_w = w / 2;
      L->out_c = c;
      return 0;
    case TR_GAP:
      L->out_h = L->out_w = 1;
      L->out_c = c;
      return 0;
    case TR_BN:
      if (prev_kind != TR_CONV && prev_kind != TR_DW && prev_kind != TR_FC) {
        snprintf(what, wlen, "bn must directly follow a conv, dw or fc layer");
        return -1;
      }
      if (c > TR_BN_MAX_CHANNELS) {
        snprintf(what, wlen, "bn supports at most %d channels",
                 TR_BN_MAX_CHANNELS);
        return -1;
      }
      L->nw = L->nb = (size_t)c;
      /* fallthrough */
    default:
      L->out_h = h;
      L->out_w = w;
      L->out_c = c;
      return 0;
  }
}

/* Canonical spec text of one layer. */
static void layer_token(const tr_layer *L, char *buf, size_t len) {
  switch (L->kind) {
    case TR_CONV:
      snprintf(buf, len, "conv%dx%d:%d%s%s", L->k, L->k, L->out_c,
               L->same ? ":same" : "", L->stride == 2 ? ":s2" : "");
      break;
    case TR_DW:
      snprintf(buf, len, "dw%dx%d%s%s", L->k, L->k, L->same ? ":same" : "",
               L->stride == 2 ? ":s2" : "");
      break;
    case TR_FC:
      snprintf(buf, len, "fc:%d", L->out_c);
      break;
    case TR_DROPOUT:
      snprintf(buf, len, "dropout:%g", (double)L->p);
      break;
    default:
      snprintf(buf, len, "%s", tr_kind_name(L->kind));
  }
}

void tr_layer_describe(const tr_net *net, int i, char *buf, size_t len) {
  const tr_layer *L = &net->layers[i];
  char tok[64];
  layer_token(L, tok, sizeof tok);
  snprintf(
      buf, len, "%-16s %s%dx%dx%d -> %dx%dx%d  params %zu", tok,
      (L->kind == TR_CONV || L->kind == TR_DW) ? (L->same ? "same  " : "valid ")
                                               : "      ",
      L->in_h, L->in_w, L->in_c, L->out_h, L->out_w, L->out_c, L->nw + L->nb);
}

/* Rebuild the canonical spec string of net. */
int tr_net_rebuild_spec(tr_net *net) {
  size_t cap = 32 * (size_t)net->n_layers + 1;
  char *s = malloc(cap);
  if (!s) return -1;
  s[0] = 0;
  for (int i = 0; i < net->n_layers; i++) {
    char tok[64];
    layer_token(&net->layers[i], tok, sizeof tok);
    if (i) strcat(s, ",");
    strcat(s, tok);
  }
  free(net->spec);
  net->spec = s;
  return 0;
}

/* Allocate params/grads/bn state for the layers' nw/nb and point every
 * layer into them (contents zero). */
int tr_net_alloc_params(tr_net *net) {
  size_t n = 0, nbn = 0;
  for (int i = 0; i < net->n_layers; i++) {
    n += net->layers[i].nw + net->layers[i].nb;
    if (net->layers[i].kind == TR_BN) nbn += 2 * net->layers[i].nw;
  }
  free(net->params);
  free(net->grads);
  free(net->bn_state);
  free(net->masks);
  net->masks = NULL;
  net->params = calloc(n ? n : 1, sizeof(float));
  net->grads = calloc(n ? n : 1, sizeof(float));
  net->bn_state = calloc(nbn ? nbn : 1, sizeof(float));
  if (!net->params || !net->grads || !net->bn_state) return -1;
  net->n_params = n;
  net->n_bn_state = nbn;
  size_t o = 0, ob = 0;
  for (int i = 0; i < net->n_layers; i++) {
    tr_layer *L = &net->layers[i];
    L->w = L->nw ? net->params + o : NULL;
    L->gw = L->nw ? net->grads + o : NULL;
    o += L->nw;
    L->b = L->nb ? net->params + o : NULL;
    L->gb = L->nb ? net->grads + o : NULL;
    o += L->nb;
    L->mask = NULL;
    L->running_mean = L->running_var = NULL;
    if (L->kind == TR_BN) {
      L->running_mean = net->bn_state + ob;
      L->running_var = net->bn_state + ob + L->nw;
      ob += 2 * L->nw;
    }
  }
  return 0;
}

/* splitmix64 */
uint64_t tr_rng_next(uint64_t *s) {
  uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/* Uniform float in [0,1) with 24 random bits. */
float tr_rng_uniform(uint64_t *s) {
  return (float)(tr_rng_next(s) >> 40) * (1.0f / 16777216.0f);
}

static void init_params(tr_net *net, uint64_t seed) {
  uint64_t s = seed ^ 0x6D6F74652D747261ull;
  for (int i = 0; i < net->n_layers; i++) {
    tr_layer *L = &net->layers[i];
    if (L->kind == TR_BN) {
      for (size_t j = 0; j < L->nw; j++) {
        L->w[j] = 1.0f;
        L->b[j] = 0.0f;
        L->running_mean[j] = 0.0f;
        L->running_var[j] = 1.0f;
      }
      continue;
    }
    if (!L->nw) continue;
    size_t fan_in = L->nw / (L->kind == TR_DW ? (size_t)L->out_c : L->nb);
    float bound = 1.0f / sqrtf((float)fan_in);
    for (size_t j = 0; j < L->nw; j++)
      L->w[j] = (2.0f * tr_rng_uniform(&s) - 1.0f) * bound;
    for (size_t j = 0; j < L->nb; j++)
      L->b[j] = (2.0f * tr_rng_uniform(&s) - 1.0f) * bound;
  }
}

/* Fill layer shapes from the net input on; err names the layer. */
int tr_net_shapes(tr_net *net, char *err, size_t errlen) {
  int h = net->in_h, w = net->in_w, c = net->in_c;
  for (int i = 0; i < net->n_layers; i++) {
    tr_layer *L = &net->layers[i];
    L->in_h = h;
    L->in_w = w;
    L->in_c = c;
    char what[160];
    if (tr_layer_shape(L, i ? (int)net->layers[i - 1].kind : -1, what,
                       sizeof what) != 0) {
      char tok[64];
      layer_token(L, tok, sizeof tok);
      tr_set_err(err, errlen, "layer %d '%s': %s", i + 1, tok, what);
      return -1;
    }
    h = L->out_h;
    w = L->out_w;
    c = L->out_c;
  }
  if (net->n_layers == 0 || net->layers[net->n_layers - 1].kind != TR_FC) {
    tr_set_err(err, errlen, "the last layer must be fc:N (the class logits)");
    return -1;
  }
  net->n_classes = net->layers[net->n_layers - 1].out_c;
  return 0;
}

tr_net *tr_net_new(const char *spec, int in_h, int in_w, int in_c,
                   uint64_t seed, char *err, size_t errlen) {
  if (!spec || !*spec) {
    tr_set_err(err, errlen, "empty spec");
    return NULL;
  }
  if (in_h <= 0 || in_w <= 0 || in_c <= 0) {
    tr_set_err(err, errlen, "bad input shape %dx%dx%d", in_h, in_w, in_c);
    return NULL;
  }
  tr_net *net = calloc(1, sizeof *net);
  char *copy = strdup(spec);
  if (!net || !copy) goto oom;
  int n = 1;
  for (const char *p = spec; *p; p++) n += *p == ',';
  net->layers = calloc((size_t)n, sizeof(tr_layer));
  if (!net->layers) goto oom;
  net->in_h = in_h;
  net->in_w = in_w;
  net->in_c = in_c;
  char *save = NULL, *p = copy;
  for (int i = 0; i < n; i++) {
    char *e = strchr(p, ',');
    if (e) *e = 0;
    (void)save;
    char what[160];
    if (!*p) {
      tr_set_err(err, errlen, "layer %d: empty (two commas in a row?)", i + 1);
      goto fail;
    }
    if (parse_layer(p, &net->layers[i], what, sizeof what) != 0) {
      tr_set_err(err, errlen, "layer %d '%s': %s", i + 1, p, what);
      goto fail;
    }
    net->n_layers = i + 1;
    p = e ? e + 1 : p + strlen(p);
  }
  if (tr_net_shapes(net, err, errlen) != 0) goto fail;
  if (tr_net_alloc_params(net) != 0 || tr_net_rebuild_spec(net) != 0) goto oom;
  init_params(net, seed);
  free(copy);
  return net;
oom:
  tr_set_err(err, errlen, "out of memory");
fail:
  free(copy);
  tr_net_free(net);
  return NULL;
}

void tr_net_free(tr_net *net) {
  if (!net) return;
  tr_ws_free(net->ws);
  free(net->layers);
  free(net->params);
  free(net->grads);
  free(net->masks);
  free(net->bn_state);
  free(net->spec);
  free(net);
}

tr_net *tr_net_clone(const tr_net *src) {
  tr_net *net = calloc(1, sizeof *net);
  if (!net) return NULL;
  *net = *src;
  net->ws = NULL;
  net->params = net->grads = net->masks = net->bn_state = NULL;
  net->spec = strdup(src->spec ? src->spec : "");
  net->layers = malloc(sizeof(tr_layer) * (size_t)src->n_layers);
  if (!net->layers || !net->spec) {
    free(net->layers);
    free(net->spec);
    free(net);
    return NULL;
  }
  memcpy(net->layers, src->layers, sizeof(tr_layer) * (size_t)src->n_layers);
  if (tr_net_alloc_params(net) != 0) {
    tr_net_free(net);
    return NULL;
  }
  memcpy(net->params, src->params, src->n_params * sizeof(float));
  memcpy(net->bn_state, src->bn_state, src->n_bn_state * sizeof(float));
  if (src->masks) {
    if (tr_net_enable_masks(net) != 0) {
      tr_net_free(net);
      return NULL;
    }
    memcpy(net->masks, src->masks, src->n_params * sizeof(float));
  }
  return net;
}

size_t tr_net_param_count(const tr_net *net) {
  return net->n_params;
}

uint64_t tr_net_macs(const tr_net *net) {
  uint64_t m = 0;
  for (int i = 0; i < net->n_layers; i++) {
    const tr_layer *L = &net->layers[i];
    if (L->kind == TR_CONV || L->kind == TR_DW)
      m += (uint64_t)L->out_h * L->out_w * L->nw;
    else if (L->kind == TR_FC)
      m += L->nw;
  }
  return m;
}

int tr_net_enable_masks(tr_net *net) {
  if (!net->masks) {
    net->masks = malloc((net->n_params ? net->n_params : 1) * sizeof(float));
    if (!net->masks) return -1;
    for (size_t i = 0; i < net->n_params; i++) net->masks[i] = 1.0f;
  }
  for (int i = 0; i < net->n_layers; i++) {
    tr_layer *L = &net->layers[i];
    if (L->kind == TR_CONV || L->kind == TR_DW || L->kind == TR_FC)
      L->mask = net->masks + (L->w - net->params);
  }
  return 0;
}

void tr_net_apply_masks(tr_net *net) {
  if (!net->masks) return;
  for (size_t i = 0; i < net->n_params; i++) net->params[i] *= net->masks[i];
}
