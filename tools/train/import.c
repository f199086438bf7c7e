/*
** import.c: read a float32 .tflite written by tr_export_tflite (or any
** model made of the same ops in a chain) back into a trainable net: the
** ops become a spec string, then the weights are copied in.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_io.h"
#include "runtime/fb_reader.h"
#include "runtime/tflite_schema.h"
#include "train.h"
#include "train_internal.h"

/* What one weighted op contributes (filled while building the spec). */
typedef struct imp_op {
  int32_t w_tensor, b_tensor; /* -1: none */
} imp_op;

static int append(char *spec, size_t cap, const char *tok) {
  size_t n = strlen(spec);
  if (n + strlen(tok) + 2 > cap) return -1;
  if (n) strcat(spec, ",");
  strcat(spec, tok);
  return 0;
}

static int act_tok(char *spec, size_t cap, int act) {
  if (act == 1) return append(spec, cap, "relu");
  if (act == 3) return append(spec, cap, "relu6");
  return act == 0 ? 0 : -2;
}

static int get_f32(const mote_model *m, int32_t idx, size_t count, float *dst) {
  mote_tensor t;
  if (idx < 0) {
    memset(dst, 0, count * sizeof(float));
    return 0;
  }
  if (mote_model_tensor(m, (uint32_t)idx, &t) != MOTE_OK ||
      t.type != MOTE_FLOAT32 || !t.is_const || !t.data || t.count != count)
    return -1;
  memcpy(dst, t.data, count * sizeof(float));
  return 0;
}

tr_net *tr_import_tflite(const uint8_t *fb, size_t len, char *err,
                         size_t errlen) {
  uint8_t *copy = malloc(len ? len : 1);
  if (!copy) {
    tr_set_err(err, errlen, "out of memory");
    return NULL;
  }
  memcpy(copy, fb, len);
  host_model hm;
  memset(&hm, 0, sizeof hm);
  mote_status st = host_model_from_bytes(&hm, copy, len, 0);
  if (st != MOTE_OK) {
    char msg[256];
    mote_error_format(&hm.m.err, msg, sizeof msg);
    tr_set_err(err, errlen, "not a model mote can load: %s", msg);
    host_model_free(&hm);
    return NULL;
  }
  const mote_model *m = &hm.m;
  tr_net *net = NULL;
  const uint32_t nops = mote_model_op_count(m);
  imp_op *wops = calloc(nops + 1, sizeof(imp_op));
  size_t cap = 64 + 48 * (size_t)nops;
  char *spec = calloc(cap, 1);
  mote_tensor in;
  if (!wops || !spec) {
    tr_set_err(err, errlen, "out of memory");
    goto out;
  }
  if (mote_model_input_count(m) != 1 ||
      mote_model_input(m, 0, &in) != MOTE_OK || in.type != MOTE_FLOAT32 ||
      in.ndim != 4 || in.dims[0] != 1) {
    tr_set_err(err, errlen, "expected one float32 input [1,H,W,C]");
    goto out;
  }
  fb_buf b = {hm.fb, hm.fb_len};
  fb_vec ops = {m->operators, m->n_ops};
  int32_t cur = (int32_t)in.index;
  int nw = 0, done = 0;
  for (uint32_t i = 0; i < nops; i++) {
    const char *name = mote_model_op_name(m, i);
    int32_t ins[4] = {-1, -1, -1, -1}, outs[2];
    uint32_t nin = mote_model_op_tensors(m, i, 0, ins, 4);
    uint32_t nout = mote_model_op_tensors(m, i, 1, outs, 2);
    if (done || nin < 1 || nout != 1 || ins[0] != cur) {
      tr_set_err(err, errlen,
                 "op %u (%s): the graph is not a simple chain "
                 "ending in SOFTMAX",
                 i, name ? name : "?");
      goto out;
    }
    fb_table t = fb_vec_table(&b, ops, i);
    fb_table o = fb_subtable(&b, &t, TFL_OP_BUILTIN_OPTIONS);
    mote_tensor ot, wt;
    mote_model_tensor(m, (uint32_t)outs[0], &ot);
    char tok[96];
    int rc = 0;
    if (!strcmp(name, "CONV_2D") || !strcmp(name, "DEPTHWISE_CONV_2D")) {
      int dw = name[0] == 'D';
      int pad = fb_i8(&b, &o, 0, 0), sw = fb_i32(&b, &o, 1, 1);
      int sh = fb_i32(&b, &o, 2, 1);
      int act = fb_i8(&b, &o, dw ? 4 : 3, 0);
      int dil_w = fb_i32(&b, &o, dw ? 5 : 4, 1),
          dil_h = fb_i32(&b, &o, dw ? 6 : 5, 1);
      int mult = dw ? fb_i32(&b, &o, 3, 1) : 1;
      if (nin < 2 || mote_model_tensor(m, (uint32_t)ins[1], &wt) != MOTE_OK ||
          wt.ndim != 4 || wt.dims[1] != wt.dims[2] || sw != sh ||
          (sw != 1 && sw != 2) || dil_w != 1 || dil_h != 1 || mult != 1 ||
          (dw && wt.dims[0] != 1)) {
        tr_set_err(err, errlen,
                   "op %u (%s): only square kernels, stride 1 or 2, "
                   "no dilation, depth multiplier 1",
                   i, name);
        goto out;
      }
      if (dw)
        snprintf(tok, sizeof tok, "dw%dx%d%s%s", wt.dims[1], wt.dims[1],
                 pad == 0 ? ":same" : "", sw == 2 ? ":s2" : "");
      else
        snprintf(tok, sizeof tok, "conv%dx%d:%d%s%s", wt.dims[1], wt.dims[1],
                 wt.dims[0], pad == 0 ? ":same" : "", sw == 2 ? ":s2" : "");
      rc = append(spec, cap, tok);
      if (!rc) rc = act_tok(spec, cap, act);
      wops[nw].w_tensor = ins[1];
      wops[nw++].b_tensor = nin > 2 ? ins[2] : -1;
    } else if (!strcmp(name, "FULLY_CONNECTED")) {
      int act = fb_i8(&b, &o, 0, 0);
      if (nin < 2 || mote_model_tensor(m, (uint32_t)ins[1], &wt) != MOTE_OK ||
          wt.ndim != 2) {
        tr_set_err(err, errlen, "op %u (%s): weights must be [out,in]", i,
                   name);
        goto out;
      }
      snprintf(tok, sizeof tok, "fc:%d", wt.dims[0]);
      rc = append(spec, cap, tok);
      if (!rc) rc = act_tok(spec, cap, act);
      wops[nw].w_tensor = ins[1];
      wops[nw++].b_tensor = nin > 2 ? ins[2] : -1;
    } else if (!strcmp(name, "MAX_POOL_2D") ||
               !strcmp(name, "AVERAGE_POOL_2D")) {
      mote_tensor it;
      mote_model_tensor(m, (uint32_t)ins[0], &it);
      int fw = fb_i32(&b, &o, 3, 0), fh = fb_i32(&b, &o, 4, 0);
      int sw = fb_i32(&b, &o, 1, 0), sh = fb_i32(&b, &o, 2, 0);
      int act = fb_i8(&b, &o, 5, 0);
      int is_max = name[0] == 'M';
      if (!is_max && it.ndim == 4 && fw == it.dims[2] && fh == it.dims[1] &&
          ot.ndim == 4 && ot.dims[1] == 1 && ot.dims[2] == 1)
        rc = append(spec, cap, "gap");
      else if (fw == 2 && fh == 2 && sw == 2 && sh == 2 &&
               fb_i8(&b, &o, 0, 0) == 1)
        rc = append(spec, cap, is_max ? "maxpool2" : "avgpool2");
      else {
        tr_set_err(err, errlen,
                   "op %u (%s): only 2x2 stride 2 VALID pools or "
                   "a global average pool",
                   i, name);
        goto out;
      }
      if (!rc) rc = act_tok(spec, cap, act);
    } else if (!strcmp(name, "MEAN")) {
      mote_tensor it;
      mote_model_tensor(m, (uint32_t)ins[0], &it);
      if (it.ndim != 4 || ot.count != (size_t)it.dims[3]) {
        tr_set_err(err, errlen, "op %u (MEAN): only over height and width", i);
        goto out;
      }
      rc = append(spec, cap, "gap");
    } else if (!strcmp(name, "RELU") || !strcmp(name, "RELU6")) {
      rc = append(spec, cap, name[4] ? "relu6" : "relu");
    } else if (!strcmp(name, "RESHAPE")) {
      /* fc flattens by itself */
    } else if (!strcmp(name, "SOFTMAX")) {
      done = 1;
    } else {
      tr_set_err(err, errlen, "op %u: %s is not supported by the importer", i,
                 name ? name : "?");
      goto out;
    }
    if (rc == -2) {
      tr_set_err(err, errlen, "op %u (%s): unsupported fused activation", i,
                 name);
      goto out;
    }
    if (rc) {
      tr_set_err(err, errlen, "spec too long");
      goto out;
    }
    cur = outs[0];
  }
  net = tr_net_new(spec, in.dims[1], in.dims[2], in.dims[3], 1, err, errlen);
  if (!net) goto out;
  int k = 0;
  for (int l = 0; l < net->n_layers; l++) {
    tr_layer *L = &net->layers[l];
    if (L->kind != TR_CONV && L->kind != TR_DW && L->kind != TR_FC) continue;
    if (k >= nw || get_f32(m, wops[k].w_tensor, L->nw, L->w) != 0 ||
        get_f32(m, wops[k].b_tensor, L->nb, L->b) != 0) {
      tr_set_err(err, errlen,
                 "layer %d: weights or bias are not float32 "
                 "constants of the expected size",
                 l + 1);
      tr_net_free(net);
      net = NULL;
      goto out;
    }
    k++;
  }
out:
  free(wops);
  free(spec);
  host_model_free(&hm);
  return net;
}

tr_net *tr_import_tflite_file(const char *path, char *err, size_t errlen) {
  size_t len;
  uint8_t *fb = host_read_file(path, &len);
  if (!fb) {
    tr_set_err(err, errlen, "%s: cannot read file", path);
    return NULL;
  }
  tr_net *net = tr_import_tflite(fb, len, err, errlen);
  free(fb);
  return net;
}
