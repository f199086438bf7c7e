/*
** export.c: write a trained net as a float32 .tflite (bn folded into the
** preceding conv/dw/fc, relu/relu6 fused where they directly follow,
** dropout dropped, RESHAPE before fc, final SOFTMAX).
*/
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mote/mote.h"
#include "runtime/tflite_schema.h"
#include "tflite_writer.h"
#include "train.h"
#include "train_internal.h"

#define BN_EPS 1e-5f

static int act_tensor(tflw *w, const int32_t *shape, uint32_t rank, int n) {
  char name[32];
  snprintf(name, sizeof name, "act%d", n);
  return tflw_tensor_q(w, MOTE_FLOAT32, shape, rank, name, 0, 0);
}

static int const_f32(tflw *w, const char *name, const int32_t *shape,
                     uint32_t rank, const float *data, size_t n) {
  tflw_tensor_desc d;
  memset(&d, 0, sizeof d);
  d.type = MOTE_FLOAT32;
  d.shape = shape;
  d.rank = rank;
  d.name = name;
  return tflw_const_tensor(w, &d, data, n * sizeof(float));
}

/* Fold bn layer `bn` (may be NULL) into weights wt/bias bs of layer L. */
static void fold_bn(const tr_layer *L, const tr_layer *bn, float *wt,
                    float *bs) {
  memcpy(wt, L->w, sizeof(float) * L->nw);
  memcpy(bs, L->b, sizeof(float) * L->nb);
  if (!bn) return;
  const int oc = L->out_c;
  for (int o = 0; o < oc; o++) {
    float sc = bn->w[o] / sqrtf(bn->running_var[o] + BN_EPS);
    bs[o] = (bs[o] - bn->running_mean[o]) * sc + bn->b[o];
    if (L->kind == TR_DW) {
      for (size_t i = (size_t)o; i < L->nw; i += (size_t)oc) wt[i] *= sc;
    } else {
      size_t per = L->nw / (size_t)oc;
      for (size_t i = 0; i < per; i++) wt[(size_t)o * per + i] *= sc;
    }
  }
}

int tr_export_tflite_mem(const tr_net *net, uint8_t **out, size_t *len,
                         char *err, size_t errlen) {
  *out = NULL;
  *len = 0;
  tflw *w = tflw_new();
  if (!w) {
    tr_set_err(err, errlen, "out of memory");
    return -1;
  }
  int32_t in_shape[4] = {1, net->in_h, net->in_w, net->in_c};
  int input = act_tensor(w, in_shape, 4, 0);
  int cur = input, nt = 1, rank4 = 1, rc = 0;
  float *wt = NULL, *bs = NULL;
  for (int i = 0; i < net->n_layers && rc == 0;) {
    const tr_layer *L = &net->layers[i];
    tflw_opt o[8];
    char name[48];
    if (L->kind == TR_CONV || L->kind == TR_DW || L->kind == TR_FC) {
      int j = i + 1;
      const tr_layer *bn = NULL;
      if (j < net->n_layers && net->layers[j].kind == TR_BN)
        bn = &net->layers[j++];
      while (j < net->n_layers && net->layers[j].kind == TR_DROPOUT) j++;
      int act = 0;
      if (j < net->n_layers && net->layers[j].kind == TR_RELU)
        act = 1, j++;
      else if (j < net->n_layers && net->layers[j].kind == TR_RELU6)
        act = 3, j++;
      wt = realloc(wt, sizeof(float) * L->nw);
      bs = realloc(bs, sizeof(float) * L->nb);
      if (!wt || !bs) {
        rc = -1;
        break;
      }
      fold_bn(L, bn, wt, bs);
      int32_t bshape[1] = {L->out_c};
      snprintf(name, sizeof name, "l%d_bias", i);
      int tb = const_f32(w, name, bshape, 1, bs, L->nb);
      snprintf(name, sizeof name, "l%d_weights", i);
      if (L->kind == TR_FC) {
        int32_t n_in = L->in_h * L->in_w * L->in_c;
        if (rank4) {
          int32_t rs[2] = {1, n_in};
          int32_t sshape[1] = {2};
          tflw_tensor_desc d;
          memset(&d, 0, sizeof d);
          d.type = MOTE_INT32;
          d.shape = sshape;
          d.rank = 1;
          d.name = "flat_shape";
          int ts = tflw_const_tensor(w, &d, rs, sizeof rs);
          int tr = act_tensor(w, rs, 2, nt++);
          uint32_t no = tflw_opts_reshape(o, rs, 2);
          tflw_op(w, TFL_OP_RESHAPE, 1, (int32_t[]){cur, ts}, 2, &tr, 1, 17, o,
                  no);
          cur = tr;
          rank4 = 0;
        }
        int32_t wshape[2] = {L->out_c, n_in};
        int tw = const_f32(w, name, wshape, 2, wt, L->nw);
        int32_t oshape[2] = {1, L->out_c};
        int to = act_tensor(w, oshape, 2, nt++);
        uint32_t no = tflw_opts_fc(o, act, 0);
        tflw_op(w, TFL_OP_FULLY_CONNECTED, 1, (int32_t[]){cur, tw, tb}, 3, &to,
                1, 8, o, no);
        cur = to;
      } else {
        int32_t wshape[4] = {L->kind == TR_DW ? 1 : L->out_c, L->k, L->k,
                             L->kind == TR_DW ? L->out_c : L->in_c};
        int tw = const_f32(w, name, wshape, 4, wt, L->nw);
        int32_t oshape[4] = {1, L->out_h, L->out_w, L->out_c};
        int to = act_tensor(w, oshape, 4, nt++);
        int pad = L->same ? 0 : 1;
        uint32_t no;
        if (L->kind == TR_CONV) {
          no = tflw_opts_conv2d(o, pad, L->stride, L->stride, act, 1, 1);
          tflw_op(w, TFL_OP_CONV_2D, 1, (int32_t[]){cur, tw, tb}, 3, &to, 1, 1,
                  o, no);
        } else {
          no = tflw_opts_dwconv2d(o, pad, L->stride, L->stride, 1, act, 1, 1);
          tflw_op(w, TFL_OP_DEPTHWISE_CONV_2D, 1, (int32_t[]){cur, tw, tb}, 3,
                  &to, 1, 2, o, no);
        }
        cur = to;
      }
      i = j;
      continue;
    }
    if (L->kind == TR_DROPOUT) {
      i++;
      continue;
    }
    if (L->kind == TR_BN) { /* the spec parser forbids this */
      tr_set_err(err, errlen, "layer %d: bn without a conv/dw/fc before it",
                 i + 1);
      rc = -2;
      break;
    }
    if (!rank4) {
      tr_set_err(err, errlen,
                 "layer %d: %s after an fc layer is not exportable", i + 1,
                 tr_kind_name(L->kind));
      rc = -2;
      break;
    }
    int32_t oshape[4] = {1, L->out_h, L->out_w, L->out_c};
    int to = act_tensor(w, oshape, 4, nt++);
    if (L->kind == TR_RELU || L->kind == TR_RELU6) {
      tflw_op(w, L->kind == TR_RELU ? TFL_OP_RELU : TFL_OP_RELU6, 1, &cur, 1,
              &to, 1, 0, NULL, 0);
    } else {
      int f = L->kind == TR_GAP ? L->in_h : 2,
          fw = L->kind == TR_GAP ? L->in_w : 2;
      int s = L->kind == TR_GAP ? 1 : 2;
      uint32_t no = tflw_opts_pool2d(o, 1, s, s, fw, f, 0);
      tflw_op(
          w,
          L->kind == TR_MAXPOOL ? TFL_OP_MAX_POOL_2D : TFL_OP_AVERAGE_POOL_2D,
          1, &cur, 1, &to, 1, 5, o, no);
    }
    cur = to;
    i++;
  }
  free(wt);
  free(bs);
  if (rc == 0) {
    int32_t oshape[2] = {1, net->n_classes};
    int to = act_tensor(w, oshape, 2, nt++);
    tflw_opt o[2];
    uint32_t no = tflw_opts_softmax(o, 1.0f);
    tflw_op(w, TFL_OP_SOFTMAX, 1, &cur, 1, &to, 1, 9, o, no);
    tflw_io(w, &input, 1, &to, 1);
    char desc[512];
    snprintf(desc, sizeof desc, "mote train: %s", net->spec ? net->spec : "");
    tflw_description(w, desc);
    tflw_min_runtime_version(w, "1.14.0");
    if (tflw_finish(w, out, len) != 0) {
      tr_set_err(err, errlen, "cannot write model: %s", tflw_error(w));
      rc = -1;
    }
  } else if (rc == -1) {
    tr_set_err(err, errlen, "out of memory");
  }
  tflw_free(w);
  return rc ? -1 : 0;
}

int tr_export_tflite(const tr_net *net, const char *path, char *err,
                     size_t errlen) {
  uint8_t *fb;
  size_t len;
  if (tr_export_tflite_mem(net, &fb, &len, err, errlen) != 0) return -1;
  int rc = tflw_save(path, fb, len);
  free(fb);
  if (rc != 0) {
    tr_set_err(err, errlen, "cannot write file: %s", strerror(errno));
    return -1;
  }
  return 0;
}
