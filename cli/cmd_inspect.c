/*
** cmd_inspect.c: `mote inspect MODEL [--json]`.
**
** Prints the operators in execution order with their options, every tensor
** with type, shape and quantization, parameter count, weight bytes, MACs,
** arena_bytes (what mote_arena_required says) and ram_bytes (arena plus
** the mote_model struct: all the RAM the runtime needs besides the model
** bytes, which stay in flash).
*/
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "runtime/fb_reader.h"
#include "runtime/model_internal.h"

enum { K_I32, K_U8, K_BOOL, K_F32, K_IVEC, K_PAD, K_ACT };

typedef struct opt_field {
  uint8_t type; /* BuiltinOptions tag */
  uint8_t id;   /* field id */
  uint8_t kind;
  const char *name;
} opt_field;

static const opt_field fields[] = {
    {TFL_OPT_CONV2D, 0, K_PAD, "padding"},
    {TFL_OPT_CONV2D, 1, K_I32, "stride_w"},
    {TFL_OPT_CONV2D, 2, K_I32, "stride_h"},
    {TFL_OPT_CONV2D, 3, K_ACT, "activation"},
    {TFL_OPT_CONV2D, 4, K_I32, "dilation_w"},
    {TFL_OPT_CONV2D, 5, K_I32, "dilation_h"},
    {TFL_OPT_DEPTHWISE_CONV2D, 0, K_PAD, "padding"},
    {TFL_OPT_DEPTHWISE_CONV2D, 1, K_I32, "stride_w"},
    {TFL_OPT_DEPTHWISE_CONV2D, 2, K_I32, "stride_h"},
    {TFL_OPT_DEPTHWISE_CONV2D, 3, K_I32, "depth_multiplier"},
    {TFL_OPT_DEPTHWISE_CONV2D, 4, K_ACT, "activation"},
    {TFL_OPT_DEPTHWISE_CONV2D, 5, K_I32, "dilation_w"},
    {TFL_OPT_DEPTHWISE_CONV2D, 6, K_I32, "dilation_h"},
    {TFL_OPT_POOL2D, 0, K_PAD, "padding"},
    {TFL_OPT_POOL2D, 1, K_I32, "stride_w"},
    {TFL_OPT_POOL2D, 2, K_I32, "stride_h"},
    {TFL_OPT_POOL2D, 3, K_I32, "filter_w"},
    {TFL_OPT_POOL2D, 4, K_I32, "filter_h"},
    {TFL_OPT_POOL2D, 5, K_ACT, "activation"},
    {TFL_OPT_SVDF, 0, K_I32, "rank"},
    {TFL_OPT_SVDF, 1, K_ACT, "activation"},
    {TFL_OPT_FULLY_CONNECTED, 0, K_ACT, "activation"},
    {TFL_OPT_FULLY_CONNECTED, 1, K_U8, "weights_format"},
    {TFL_OPT_FULLY_CONNECTED, 2, K_BOOL, "keep_num_dims"},
    {TFL_OPT_SOFTMAX, 0, K_F32, "beta"},
    {TFL_OPT_CONCATENATION, 0, K_I32, "axis"},
    {TFL_OPT_CONCATENATION, 1, K_ACT, "activation"},
    {TFL_OPT_ADD, 0, K_ACT, "activation"},
    {TFL_OPT_SUB, 0, K_ACT, "activation"},
    {TFL_OPT_MUL, 0, K_ACT, "activation"},
    {TFL_OPT_RESHAPE, 0, K_IVEC, "new_shape"},
    {TFL_OPT_REDUCER, 0, K_BOOL, "keep_dims"},
    {TFL_OPT_SQUEEZE, 0, K_IVEC, "squeeze_dims"},
    {TFL_OPT_STRIDED_SLICE, 0, K_I32, "begin_mask"},
    {TFL_OPT_STRIDED_SLICE, 1, K_I32, "end_mask"},
    {TFL_OPT_STRIDED_SLICE, 2, K_I32, "ellipsis_mask"},
    {TFL_OPT_STRIDED_SLICE, 3, K_I32, "new_axis_mask"},
    {TFL_OPT_STRIDED_SLICE, 4, K_I32, "shrink_axis_mask"},
    {TFL_OPT_TRANSPOSE_CONV, 0, K_PAD, "padding"},
    {TFL_OPT_TRANSPOSE_CONV, 1, K_I32, "stride_w"},
    {TFL_OPT_TRANSPOSE_CONV, 2, K_I32, "stride_h"},
    {TFL_OPT_TRANSPOSE_CONV, 3, K_ACT, "activation"},
    {TFL_OPT_UNIDIRECTIONAL_SEQUENCE_LSTM, 0, K_ACT, "activation"},
    {TFL_OPT_UNIDIRECTIONAL_SEQUENCE_LSTM, 1, K_F32, "cell_clip"},
    {TFL_OPT_UNIDIRECTIONAL_SEQUENCE_LSTM, 2, K_F32, "proj_clip"},
    {TFL_OPT_UNIDIRECTIONAL_SEQUENCE_LSTM, 3, K_BOOL, "time_major"},
    {TFL_OPT_LEAKY_RELU, 0, K_F32, "alpha"},
};

static const char *act_name(int a) {
  static const char *const n[] = {"NONE",  "RELU", "RELU_N1_TO_1",
                                  "RELU6", "TANH", "SIGN_BIT"};
  return a >= 0 && a < 6 ? n[a] : "UNKNOWN";
}

/* Options of node as "k=v k=v" (text) or "\"k\": v, ..." (json). */
static void print_options(FILE *o, const fb_buf *b, const mote_node *n,
                          int json) {
  int first = 1;
  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
    const opt_field *f = &fields[i];
    if (f->type != n->options_type || !n->options.pos) continue;
    if (!fb_field(b, &n->options, f->id) && f->kind != K_IVEC) {
      /* absent field: print its schema default for the common ones */
      if (f->kind != K_I32 || strncmp(f->name, "dilation", 8) != 0) continue;
    }
    fprintf(o, json ? "%s\"%s\": " : "%s%s=", first ? "" : (json ? ", " : " "),
            f->name);
    first = 0;
    switch (f->kind) {
      case K_I32: {
        int32_t def = strncmp(f->name, "dilation", 8) == 0 ? 1 : 0;
        fprintf(o, "%d", fb_i32(b, &n->options, f->id, def));
        break;
      }
      case K_U8:
        fprintf(o, "%u", fb_u8(b, &n->options, f->id, 0));
        break;
      case K_BOOL:
        fprintf(o, "%s", fb_bool(b, &n->options, f->id, 0) ? "true" : "false");
        break;
      case K_F32:
        fprintf(o, "%g", (double)fb_f32(b, &n->options, f->id, 0.0f));
        break;
      case K_PAD:
        fprintf(o, json ? "\"%s\"" : "%s",
                fb_i8(b, &n->options, f->id, 0) == TFL_PAD_VALID ? "VALID"
                                                                 : "SAME");
        break;
      case K_ACT:
        fprintf(o, json ? "\"%s\"" : "%s",
                act_name(fb_i8(b, &n->options, f->id, 0)));
        break;
      case K_IVEC: {
        fb_vec v = fb_vector(b, &n->options, f->id);
        fprintf(o, "[");
        for (uint32_t k = 0; k < v.n; k++)
          fprintf(o, "%s%d", k ? "," : "", fb_vec_i32(b, v, k));
        fprintf(o, "]");
        break;
      }
    }
  }
}

typedef struct stats {
  uint64_t params, weight_bytes, macs;
} stats;

static uint64_t dims_prod(const mote_tensor *t, uint32_t from) {
  uint64_t p = 1;
  for (uint32_t i = from; i < t->ndim; i++) p *= (uint64_t)t->dims[i];
  return p;
}

/* MACs of one operator (definitions of shared/models/INVENTORY.md). */
static uint64_t op_macs(const mote_model *m, const mote_node *n) {
  mote_tensor in, w, out;
  fb_buf b = {m->fb, m->fb_len};
  int32_t i0 = n->inputs.n > 0 ? fb_vec_i32(&b, n->inputs, 0) : -1;
  int32_t i1 = n->inputs.n > 1 ? fb_vec_i32(&b, n->inputs, 1) : -1;
  int32_t o0 = n->outputs.n > 0 ? fb_vec_i32(&b, n->outputs, 0) : -1;
  if (o0 < 0 || mote_model_tensor(m, (uint32_t)o0, &out) != MOTE_OK) return 0;
  switch (n->builtin_code) {
    case TFL_OP_CONV_2D:
      if (i1 < 0 || mote_model_tensor(m, (uint32_t)i1, &w) || w.ndim != 4)
        return 0;
      return out.count * dims_prod(&w, 1);
    case TFL_OP_DEPTHWISE_CONV_2D:
      if (i1 < 0 || mote_model_tensor(m, (uint32_t)i1, &w) || w.ndim != 4)
        return 0;
      return out.count * (uint64_t)w.dims[1] * (uint64_t)w.dims[2];
    case TFL_OP_FULLY_CONNECTED:
      if (i1 < 0 || mote_model_tensor(m, (uint32_t)i1, &w) || w.ndim < 2)
        return 0;
      return out.count * (uint64_t)w.dims[w.ndim - 1];
    case TFL_OP_TRANSPOSE_CONV: {
      int32_t i2 = n->inputs.n > 2 ? fb_vec_i32(&b, n->inputs, 2) : -1;
      if (i1 < 0 || i2 < 0 || mote_model_tensor(m, (uint32_t)i1, &w) ||
          mote_model_tensor(m, (uint32_t)i2, &in) || w.ndim != 4)
        return 0;
      return in.count * (uint64_t)w.dims[0] * (uint64_t)w.dims[1] *
             (uint64_t)w.dims[2];
    }
    case TFL_OP_UNIDIRECTIONAL_SEQUENCE_LSTM:
    case TFL_OP_SVDF: {
      if (i0 < 0 || mote_model_tensor(m, (uint32_t)i0, &in)) return 0;
      uint64_t steps =
          in.ndim >= 2 ? in.count / (uint64_t)in.dims[in.ndim - 1] : 1;
      uint64_t sum = 0;
      for (uint32_t k = 1; k < n->inputs.n; k++) {
        int32_t ti = fb_vec_i32(&b, n->inputs, k);
        if (ti < 0 || mote_model_tensor(m, (uint32_t)ti, &w)) continue;
        if (w.is_const && w.ndim == 2) sum += w.count;
      }
      return steps * sum;
    }
    default:
      return 0;
  }
}

uint64_t cli_op_macs(const mote_model *m, uint32_t op) {
  if (!m || op >= m->n_ops) return 0;
  mote_node n;
  mote_node_fill(m, op, &n);
  return op_macs(m, &n);
}

static void quant_str(const mote_tensor *t, char *buf, size_t len) {
  if (!t->nscale) {
    snprintf(buf, len, "-");
  } else if (t->nscale == 1) {
    snprintf(buf, len, "scale=%.6g zp=%d", (double)t->scale, t->zero_point);
  } else {
    snprintf(buf, len, "per-channel(dim %d, %u scales, first %.6g)",
             t->quant_dim, t->nscale, (double)t->scale);
  }
}

static void json_tensor(FILE *o, const mote_tensor *t) {
  fprintf(o, "{\"index\": %u, \"name\": \"", t->index);
  for (const char *p = t->name; *p; p++)
    fprintf(o, (*p == '"' || *p == '\\') ? "\\%c" : "%c",
            (*p >= 32 && *p < 127) ? *p : '?');
  fprintf(o, "\", \"dtype\": \"%s\", \"shape\": [", mote_dtype_name(t->type));
  for (uint32_t i = 0; i < t->ndim; i++)
    fprintf(o, "%s%d", i ? ", " : "", t->dims[i]);
  fprintf(o, "], \"bytes\": %zu", t->bytes);
  if (t->nscale == 1)
    fprintf(o, ", \"scale\": %.9g, \"zero_point\": %d", (double)t->scale,
            t->zero_point);
  else if (t->nscale > 1)
    fprintf(o, ", \"scales\": %u, \"quantized_dimension\": %d", t->nscale,
            t->quant_dim);
  fprintf(o, "%s}", t->is_const ? ", \"const\": true" : "");
}

int cmd_inspect(int argc, char **argv) {
  const char *path = NULL;
  int json = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--json") == 0)
      json = 1;
    else if (!path && argv[i][0] != '-')
      path = argv[i];
    else {
      fprintf(stderr, "mote inspect: unexpected argument '%s'\n", argv[i]);
      return EXIT_USAGE;
    }
  }
  if (!path) {
    fprintf(stderr, "usage: mote inspect MODEL [--json]\n");
    return EXIT_USAGE;
  }
  host_model hm;
  int rc = cli_load(&hm, path);
  if (rc) return rc;
  const mote_model *m = &hm.m;
  fb_buf b = {m->fb, m->fb_len};
  stats s = {0, 0, 0};
  /* Parameters: constant buffers, each counted once. */
  uint8_t *seen = calloc(m->n_buffers + 1u, 1);
  for (uint32_t i = 0; i < m->n_tensors; i++) {
    mote_tensor t;
    mote_model_tensor(m, i, &t);
    if (!t.is_const) continue;
    fb_table tt = mote_tensor_table(m, i);
    uint32_t bi = fb_u32(&b, &tt, TFL_TENSOR_BUFFER, 0);
    if (bi < m->n_buffers && !seen[bi]) {
      seen[bi] = 1;
      s.params += t.count;
      s.weight_bytes += t.bytes;
    }
  }
  free(seen);
  for (uint32_t i = 0; i < m->n_ops; i++) {
    mote_node n;
    mote_node_fill(m, i, &n);
    s.macs += op_macs(m, &n);
  }
  size_t arena = hm.arena_len, ram = arena + sizeof(mote_model);
  FILE *o = stdout;
  if (json) {
    fprintf(o, "{\n  \"model\": \"%s\",\n  \"ops\": [\n", path);
    for (uint32_t i = 0; i < m->n_ops; i++) {
      mote_node nd;
      mote_node_fill(m, i, &nd);
      const mote_node *n = &nd;
      fprintf(o, "    {\"index\": %u, \"op\": \"%s\", \"inputs\": [", i,
              mote_builtin_name(n->builtin_code));
      for (uint32_t k = 0; k < n->inputs.n; k++)
        fprintf(o, "%s%d", k ? ", " : "", fb_vec_i32(&b, n->inputs, k));
      fprintf(o, "], \"outputs\": [");
      for (uint32_t k = 0; k < n->outputs.n; k++)
        fprintf(o, "%s%d", k ? ", " : "", fb_vec_i32(&b, n->outputs, k));
      fprintf(o, "], \"macs\": %llu, \"options\": {",
              (unsigned long long)op_macs(m, n));
      print_options(o, &b, n, 1);
      fprintf(o, "}}%s\n", i + 1 < m->n_ops ? "," : "");
    }
    fprintf(o, "  ],\n  \"inputs\": [");
    for (uint32_t k = 0; k < mote_model_input_count(m); k++) {
      mote_tensor t;
      mote_model_input(m, k, &t);
      fprintf(o, "%s", k ? ", " : "");
      json_tensor(o, &t);
    }
    fprintf(o, "],\n  \"outputs\": [");
    for (uint32_t k = 0; k < mote_model_output_count(m); k++) {
      mote_tensor t;
      mote_model_output(m, k, &t);
      fprintf(o, "%s", k ? ", " : "");
      json_tensor(o, &t);
    }
    fprintf(o, "],\n  \"tensors\": [\n");
    for (uint32_t i = 0; i < m->n_tensors; i++) {
      mote_tensor t;
      mote_model_tensor(m, i, &t);
      fprintf(o, "    ");
      json_tensor(o, &t);
      fprintf(o, "%s\n", i + 1 < m->n_tensors ? "," : "");
    }
    fprintf(o,
            "  ],\n  \"params\": %llu,\n  \"weight_bytes\": %llu,\n"
            "  \"macs\": %llu,\n  \"arena_bytes\": %zu,\n"
            "  \"ram_bytes\": %zu,\n  \"persistent_bytes\": %zu,\n"
            "  \"planned_bytes\": %zu,\n  \"model_bytes\": %zu,\n"
            "  \"ram_bytes_ref\": %zu\n}\n",
            (unsigned long long)s.params, (unsigned long long)s.weight_bytes,
            (unsigned long long)s.macs, arena, ram, m->persist_bytes,
            m->plan_bytes, hm.fb_len, cli_arena_ref(&hm) + sizeof(mote_model));
  } else {
    char sh[128], q[128];
    fprintf(o, "model: %s (%zu bytes)\n\noperators (execution order):\n", path,
            hm.fb_len);
    for (uint32_t i = 0; i < m->n_ops; i++) {
      mote_node nd;
      mote_node_fill(m, i, &nd);
      const mote_node *n = &nd;
      fprintf(o, "  %3u %-28s in=", i, mote_builtin_name(n->builtin_code));
      for (uint32_t k = 0; k < n->inputs.n; k++)
        fprintf(o, "%s%d", k ? "," : "", fb_vec_i32(&b, n->inputs, k));
      fprintf(o, " out=");
      for (uint32_t k = 0; k < n->outputs.n; k++)
        fprintf(o, "%s%d", k ? "," : "", fb_vec_i32(&b, n->outputs, k));
      fprintf(o, "  ");
      print_options(o, &b, n, 0);
      fprintf(o, "\n");
    }
    fprintf(o, "\ntensors:\n");
    for (uint32_t i = 0; i < m->n_tensors; i++) {
      mote_tensor t;
      mote_model_tensor(m, i, &t);
      quant_str(&t, q, sizeof q);
      fprintf(o, "  %3u %-24s %-6s %s  %s\n", i,
              cli_shape_str(&t, sh, sizeof sh),
              t.is_const ? "const" : (t.is_variable ? "state" : ""), q, t.name);
    }
    fprintf(o, "\ninputs: ");
    for (uint32_t k = 0; k < mote_model_input_count(m); k++) {
      mote_tensor t;
      mote_model_input(m, k, &t);
      fprintf(o, "%s%u %s", k ? ", " : "", t.index,
              cli_shape_str(&t, sh, sizeof sh));
    }
    fprintf(o, "\noutputs: ");
    for (uint32_t k = 0; k < mote_model_output_count(m); k++) {
      mote_tensor t;
      mote_model_output(m, k, &t);
      fprintf(o, "%s%u %s", k ? ", " : "", t.index,
              cli_shape_str(&t, sh, sizeof sh));
    }
    fprintf(o,
            "\n\nparams:       %llu\nweight_bytes: %llu\nmacs:         %llu\n"
            "arena_bytes:  %zu (persistent %zu: tables, state, op data; "
            "planned %zu: activations, scratch)\n"
            "ram_bytes:    %zu (arena + %zu-byte mote_model)\n"
            "ram_bytes_ref: %zu (the same with the reference kernels, as on "
            "a microcontroller)\n",
            (unsigned long long)s.params, (unsigned long long)s.weight_bytes,
            (unsigned long long)s.macs, arena, m->persist_bytes, m->plan_bytes,
            ram, sizeof(mote_model), cli_arena_ref(&hm) + sizeof(mote_model));
  }
  host_model_free(&hm);
  return 0;
}
