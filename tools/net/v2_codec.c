/*
** v2_codec.c: Open Inference Protocol v2 request parsing and response
** building for one model (see v2_codec.h), with cJSON.
*/
#include "v2_codec.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/feed.h"

#define V2_MAX_DEPTH 16

static const struct {
  const char *name;
  mote_dtype t;
} v2_types[] = {
    {"FP32", MOTE_FLOAT32},  {"INT8", MOTE_INT8},    {"UINT8", MOTE_UINT8},
    {"INT16", MOTE_INT16},   {"INT32", MOTE_INT32},  {"INT64", MOTE_INT64},
    {"BOOL", MOTE_BOOL},     {"FP64", MOTE_FLOAT64}, {"UINT16", MOTE_UINT16},
    {"UINT32", MOTE_UINT32}, {"FP16", MOTE_FLOAT16}, {"UINT64", MOTE_UINT64}};

const char *v2_dtype_name(mote_dtype t) {
  for (size_t i = 0; i < sizeof v2_types / sizeof v2_types[0]; i++)
    if (v2_types[i].t == t) return v2_types[i].name;
  return NULL;
}

int v2_dtype_parse(const char *s) {
  for (size_t i = 0; s && i < sizeof v2_types / sizeof v2_types[0]; i++)
    if (strcmp(v2_types[i].name, s) == 0) return (int)v2_types[i].t;
  return -1;
}

void v2_reply_free(v2_reply *r) {
  free(r->body);
  r->body = NULL;
  r->len = r->json_len = 0;
}

/* Take ownership of a printed JSON string as the body. */
static int v2_set_json(v2_reply *r, int status, char *s) {
  if (!s) return -1;
  r->status = status;
  r->body = s;
  r->len = r->json_len = strlen(s);
  return status;
}

int v2_error(v2_reply *r, int status, const char *msg) {
  cJSON *o = cJSON_CreateObject();
  if (!o) return -1;
  cJSON_AddStringToObject(o, "error", msg);
  char *s = cJSON_PrintUnformatted(o);
  cJSON_Delete(o);
  return v2_set_json(r, status, s);
}

/* Append {"name", "datatype", "shape"} of t to arr. */
static void v2_add_tensor_meta(cJSON *arr, const mote_tensor *t, int deq) {
  cJSON *o = cJSON_CreateObject();
  const char *dt = deq ? "FP32" : v2_dtype_name(t->type);
  cJSON_AddStringToObject(o, "name", t->name ? t->name : "");
  cJSON_AddStringToObject(o, "datatype", dt ? dt : mote_dtype_name(t->type));
  cJSON *sh = cJSON_AddArrayToObject(o, "shape");
  for (uint32_t d = 0; d < t->ndim; d++)
    cJSON_AddItemToArray(sh, cJSON_CreateNumber(t->dims[d]));
  cJSON_AddItemToArray(arr, o);
}

/* Outputs of a quantized integer type are returned as FP32. */
static int v2_dequantized(const mote_tensor *t) {
  return t->nscale > 0 && t->type != MOTE_FLOAT32;
}

int v2_model_metadata(const host_model *hm, const char *name, v2_reply *r) {
  cJSON *o = cJSON_CreateObject();
  if (!o) return -1;
  cJSON_AddStringToObject(o, "name", name);
  cJSON *v = cJSON_AddArrayToObject(o, "versions");
  cJSON_AddItemToArray(v, cJSON_CreateString("1"));
  cJSON_AddStringToObject(o, "platform", "tflite_mote");
  cJSON *in = cJSON_AddArrayToObject(o, "inputs");
  cJSON *out = cJSON_AddArrayToObject(o, "outputs");
  mote_tensor t;
  for (uint32_t i = 0; i < mote_model_input_count(&hm->m); i++)
    if (mote_model_input(&hm->m, i, &t) == MOTE_OK)
      v2_add_tensor_meta(in, &t, 0);
  for (uint32_t i = 0; i < mote_model_output_count(&hm->m); i++)
    if (mote_model_output(&hm->m, i, &t) == MOTE_OK)
      v2_add_tensor_meta(out, &t, v2_dequantized(&t));
  char *s = cJSON_PrintUnformatted(o);
  cJSON_Delete(o);
  return v2_set_json(r, 200, s);
}

/* Flatten nested arrays of numbers (or booleans) into v[0..cap). */
static int v2_flatten(const cJSON *a, double *v, size_t cap, size_t *n,
                      int depth) {
  if (depth > V2_MAX_DEPTH) return -1;
  if (cJSON_IsArray(a)) {
    for (const cJSON *e = a->child; e; e = e->next)
      if (v2_flatten(e, v, cap, n, depth + 1) != 0) return -1;
    return 0;
  }
  if (*n >= cap) return -1;
  if (cJSON_IsNumber(a))
    v[(*n)++] = a->valuedouble;
  else if (cJSON_IsBool(a))
    v[(*n)++] = cJSON_IsTrue(a) ? 1.0 : 0.0;
  else
    return -1;
  return 0;
}

/* Store integer value d into element i of an integer tensor; -1 if d is
 * not an integer of that type's range. */
static int v2_store_int(mote_tensor *t, size_t i, double d) {
  double lo, hi;
  switch (t->type) {
    case MOTE_INT8:
      lo = -128, hi = 127;
      break;
    case MOTE_UINT8:
      lo = 0, hi = 255;
      break;
    case MOTE_INT16:
      lo = -32768, hi = 32767;
      break;
    case MOTE_INT32:
      lo = -2147483648.0, hi = 2147483647.0;
      break;
    case MOTE_BOOL:
      lo = 0, hi = 1;
      break;
    default:
      return -1;
  }
  if (!(d >= lo && d <= hi) || floor(d) != d) return -1;
  switch (t->type) {
    case MOTE_INT8:
      ((int8_t *)t->data)[i] = (int8_t)d;
      break;
    case MOTE_UINT8:
    case MOTE_BOOL:
      ((uint8_t *)t->data)[i] = (uint8_t)d;
      break;
    case MOTE_INT16:
      ((int16_t *)t->data)[i] = (int16_t)d;
      break;
    default:
      ((int32_t *)t->data)[i] = (int32_t)d;
      break;
  }
  return 0;
}

/* Find the request input for model input i (by name, else by position). */
static const cJSON *v2_find_input(const cJSON *inputs, const mote_tensor *t,
                                  uint32_t i) {
  const cJSON *e;
  cJSON_ArrayForEach(e, inputs) {
    const cJSON *nm = cJSON_GetObjectItemCaseSensitive(e, "name");
    if (cJSON_IsString(nm) && t->name && strcmp(nm->valuestring, t->name) == 0)
      return e;
  }
  return cJSON_GetArrayItem(inputs, (int)i);
}

/* Feed one input. Returns NULL or an error text (in err). */
static const char *v2_feed(mote_tensor *t, const cJSON *in, const char *bin,
                           size_t bin_len, size_t *bin_at, char *err,
                           size_t errlen) {
  const cJSON *dt = cJSON_GetObjectItemCaseSensitive(in, "datatype");
  const cJSON *sh = cJSON_GetObjectItemCaseSensitive(in, "shape");
  const cJSON *data = cJSON_GetObjectItemCaseSensitive(in, "data");
  const cJSON *par = cJSON_GetObjectItemCaseSensitive(in, "parameters");
  const cJSON *bsz = cJSON_GetObjectItemCaseSensitive(par, "binary_data_size");
  const char *nm = t->name ? t->name : "";
  if (!cJSON_IsString(dt) || !cJSON_IsArray(sh))
    return snprintf(err, errlen, "input '%s': datatype and shape required", nm),
           err;
  int type = v2_dtype_parse(dt->valuestring);
  int as_f32 = type == MOTE_FLOAT32 && t->type != MOTE_FLOAT32;
  if (type < 0 || (type != (int)t->type && !as_f32))
    return snprintf(err, errlen,
                    "input '%s': datatype %s does not match the model's %s", nm,
                    dt->valuestring,
                    v2_dtype_name(t->type) ? v2_dtype_name(t->type) : "?"),
           err;
  if (as_f32 && t->type != MOTE_INT8 && t->type != MOTE_UINT8 &&
      t->type != MOTE_INT16)
    return snprintf(err, errlen, "input '%s': FP32 cannot feed this input", nm),
           err;
  int ok = cJSON_GetArraySize(sh) == (int)t->ndim;
  for (uint32_t d = 0; ok && d < t->ndim; d++) {
    const cJSON *e = cJSON_GetArrayItem(sh, (int)d);
    ok = cJSON_IsNumber(e) && e->valuedouble == (double)t->dims[d];
  }
  if (!ok) {
    char want[128];
    size_t at = 0;
    for (uint32_t d = 0; d < t->ndim && at < sizeof want - 12; d++)
      at += (size_t)snprintf(want + at, sizeof want - at, "%s%d", d ? "," : "",
                             t->dims[d]);
    want[at] = 0;
    return snprintf(err, errlen, "input '%s': shape must be [%s]", nm, want),
           err;
  }
  size_t n = t->count;
  size_t esz = mote_dtype_size((mote_dtype)type);
  float *f = NULL;
  if (as_f32 && !(f = malloc(n * sizeof *f)))
    return snprintf(err, errlen, "out of memory"), err;
  const char *why = NULL;
  if (bsz) {
    if (!cJSON_IsNumber(bsz) || bsz->valuedouble != (double)(n * esz))
      why = "binary_data_size does not match shape and datatype";
    else if (*bin_at > bin_len || bin_len - *bin_at < n * esz)
      why = "binary data shorter than binary_data_size";
    else {
      memcpy(f ? (void *)f : t->data, bin + *bin_at, n * esz);
      *bin_at += n * esz;
    }
  } else if (!cJSON_IsArray(data)) {
    why = "data array or binary_data_size required";
  } else {
    double *v = malloc(n * sizeof *v);
    size_t got = 0;
    if (!v)
      why = "out of memory";
    else if (v2_flatten(data, v, n, &got, 0) != 0 || got != n)
      why = "data must hold shape's element count of numbers";
    for (size_t i = 0; !why && i < n; i++) {
      if (f)
        f[i] = (float)v[i];
      else if (t->type == MOTE_FLOAT32)
        ((float *)t->data)[i] = (float)v[i];
      else if (v2_store_int(t, i, v[i]) != 0)
        why = "data value out of the datatype's range";
    }
    free(v);
  }
  if (!why && f && feed_input_f32(t, f, n) != 0) why = "cannot quantize input";
  free(f);
  if (why) return snprintf(err, errlen, "input '%s': %s", nm, why), err;
  return NULL;
}

/* Is output t requested (and as binary)? */
static int v2_wanted(const cJSON *outs, const mote_tensor *t, int bin_all,
                     int *bin) {
  *bin = bin_all;
  if (!cJSON_IsArray(outs) || cJSON_GetArraySize(outs) == 0) return 1;
  const cJSON *e;
  cJSON_ArrayForEach(e, outs) {
    const cJSON *nm = cJSON_GetObjectItemCaseSensitive(e, "name");
    if (!cJSON_IsString(nm) || strcmp(nm->valuestring, t->name) != 0) continue;
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(e, "parameters");
    const cJSON *b = cJSON_GetObjectItemCaseSensitive(p, "binary_data");
    if (cJSON_IsBool(b)) *bin = cJSON_IsTrue(b);
    return 1;
  }
  return 0;
}

int v2_infer(host_model *hm, const char *model_name, const char *body,
             size_t len, size_t json_len, v2_reply *r) {
  char err[256];
  memset(r, 0, sizeof *r);
  if (json_len > len)
    return v2_error(r, 400, "Inference-Header-Content-Length exceeds body");
  cJSON *req = cJSON_ParseWithLength(body, json_len);
  if (!req || !cJSON_IsObject(req)) {
    cJSON_Delete(req);
    return v2_error(r, 400, "request body is not a JSON object");
  }
  const cJSON *inputs = cJSON_GetObjectItemCaseSensitive(req, "inputs");
  const char *why = NULL;
  uint32_t nin = mote_model_input_count(&hm->m);
  if (!cJSON_IsArray(inputs) || cJSON_GetArraySize(inputs) != (int)nin) {
    snprintf(err, sizeof err, "model '%s' takes %u input(s)", model_name, nin);
    why = err;
  }
  size_t bin_at = 0;
  for (uint32_t i = 0; !why && i < nin; i++) {
    mote_tensor t;
    if (mote_model_input(&hm->m, i, &t) != MOTE_OK) {
      why = "model input unavailable";
      break;
    }
    const cJSON *in = v2_find_input(inputs, &t, i);
    why = v2_feed(&t, in, body + json_len, len - json_len, &bin_at, err,
                  sizeof err);
  }
  if (!why && bin_at != len - json_len)
    why = "binary data longer than the inputs' binary_data_size";
  const cJSON *req_outs = cJSON_GetObjectItemCaseSensitive(req, "outputs");
  const cJSON *ro;
  cJSON_ArrayForEach(ro, req_outs) {
    const cJSON *nm = cJSON_GetObjectItemCaseSensitive(ro, "name");
    int known = 0;
    for (uint32_t i = 0;
         !why && cJSON_IsString(nm) && i < mote_model_output_count(&hm->m);
         i++) {
      mote_tensor t;
      if (mote_model_output(&hm->m, i, &t) == MOTE_OK && t.name &&
          strcmp(t.name, nm->valuestring) == 0)
        known = 1;
    }
    if (!why && !known) {
      snprintf(err, sizeof err, "unknown output '%s'",
               cJSON_IsString(nm) ? nm->valuestring : "(no name)");
      why = err;
    }
  }
  if (why) {
    cJSON_Delete(req);
    return v2_error(r, 400, why);
  }
  mote_status st = mote_model_invoke(&hm->m);
  if (st != MOTE_OK) {
    cJSON_Delete(req);
    snprintf(err, sizeof err, "invoke failed: %s", mote_status_str(st));
    return v2_error(r, 500, err);
  }
  const cJSON *par = cJSON_GetObjectItemCaseSensitive(req, "parameters");
  int bin_all =
      cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(par, "binary_data_output"));
  const cJSON *outs = cJSON_GetObjectItemCaseSensitive(req, "outputs");
  cJSON *res = cJSON_CreateObject();
  cJSON_AddStringToObject(res, "model_name", model_name);
  cJSON_AddStringToObject(res, "model_version", "1");
  const cJSON *id = cJSON_GetObjectItemCaseSensitive(req, "id");
  if (cJSON_IsString(id)) cJSON_AddStringToObject(res, "id", id->valuestring);
  cJSON *oarr = cJSON_AddArrayToObject(res, "outputs");
  /* binary parts: pointers into the arena or into deq buffers */
  uint32_t nout = mote_model_output_count(&hm->m);
  const void *bp[32];
  size_t bl[32];
  float *deq[32];
  uint32_t nb = 0, ndeq = 0, found = 0;
  size_t bin_total = 0;
  for (uint32_t i = 0; i < nout && i < 32; i++) {
    mote_tensor t;
    int bin;
    if (mote_model_output(&hm->m, i, &t) != MOTE_OK) continue;
    if (!v2_wanted(outs, &t, bin_all, &bin)) continue;
    found++;
    int dq = v2_dequantized(&t);
    const void *src = t.data;
    size_t bytes = t.bytes;
    if (dq) {
      float *y = malloc(t.count * sizeof *y);
      if (!y || read_output_f32(&t, y, t.count) != 0) {
        free(y);
        continue;
      }
      deq[ndeq++] = y;
      src = y;
      bytes = t.count * sizeof *y;
    }
    v2_add_tensor_meta(oarr, &t, dq);
    cJSON *o = cJSON_GetArrayItem(oarr, cJSON_GetArraySize(oarr) - 1);
    if (bin) {
      cJSON *p = cJSON_AddObjectToObject(o, "parameters");
      cJSON_AddNumberToObject(p, "binary_data_size", (double)bytes);
      bp[nb] = src;
      bl[nb++] = bytes;
      bin_total += bytes;
    } else {
      cJSON *d = cJSON_AddArrayToObject(o, "data");
      mote_tensor v = t;
      if (dq) {
        v.type = MOTE_FLOAT32;
        v.data = (void *)src;
      }
      for (size_t k = 0; k < t.count; k++) {
        double x;
        switch (v.type) {
          case MOTE_FLOAT32:
            x = ((const float *)v.data)[k];
            break;
          case MOTE_INT8:
            x = ((const int8_t *)v.data)[k];
            break;
          case MOTE_UINT8:
          case MOTE_BOOL:
            x = ((const uint8_t *)v.data)[k];
            break;
          case MOTE_INT16:
            x = ((const int16_t *)v.data)[k];
            break;
          case MOTE_INT32:
            x = ((const int32_t *)v.data)[k];
            break;
          case MOTE_INT64:
            x = (double)((const int64_t *)v.data)[k];
            break;
          default:
            x = 0;
            break;
        }
        cJSON_AddItemToArray(d, cJSON_CreateNumber(x));
      }
    }
  }
  cJSON_Delete(req);
  char *s = cJSON_PrintUnformatted(res);
  cJSON_Delete(res);
  int rc;
  if (!found) {
    free(s);
    rc = v2_error(r, 400, "no requested output exists in the model");
  } else if (!s) {
    rc = -1;
  } else if (nb == 0) {
    rc = v2_set_json(r, 200, s);
  } else {
    size_t jl = strlen(s);
    char *b = realloc(s, jl + bin_total + 1);
    if (!b) {
      free(s);
      rc = -1;
    } else {
      size_t at = jl;
      for (uint32_t k = 0; k < nb; k++) {
        memcpy(b + at, bp[k], bl[k]);
        at += bl[k];
      }
      r->status = rc = 200;
      r->body = b;
      r->len = at;
      r->json_len = jl;
    }
  }
  for (uint32_t k = 0; k < ndeq; k++) free(deq[k]);
  return rc;
}
