/*
** v2_client.c: the v2 HTTP client and hierarchical inference transport
** over libcurl (see v2_client.h).
*/
#include "v2_client.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "v2_codec.h"

/* A reply being received. */
typedef struct v2_buf {
  char *p;
  size_t len, cap, max;
  long hdr_len; /* Inference-Header-Content-Length, -1 if absent */
} v2_buf;

static size_t v2_on_body(char *d, size_t sz, size_t nm, void *user) {
  v2_buf *b = user;
  size_t n = sz * nm;
  if (b->len + n > b->max) return 0; /* aborts the transfer */
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 4096;
    while (cap < b->len + n + 1) cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) return 0;
    b->p = p;
    b->cap = cap;
  }
  memcpy(b->p + b->len, d, n);
  b->len += n;
  b->p[b->len] = 0;
  return n;
}

static size_t v2_on_header(char *d, size_t sz, size_t nm, void *user) {
  v2_buf *b = user;
  size_t n = sz * nm;
  const char *key = "Inference-Header-Content-Length:";
  size_t kl = strlen(key);
  if (n > kl && strncasecmp(d, key, kl) == 0) {
    char tmp[32];
    size_t vl = n - kl < sizeof tmp - 1 ? n - kl : sizeof tmp - 1;
    memcpy(tmp, d + kl, vl);
    tmp[vl] = 0;
    b->hdr_len = strtol(tmp, NULL, 10);
  }
  return n;
}

static pthread_once_t v2_curl_once = PTHREAD_ONCE_INIT;
static void v2_curl_init(void) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
}

int v2_client_init(v2_client *c, const char *base, const char *model,
                   int binary) {
  memset(c, 0, sizeof *c);
  pthread_once(&v2_curl_once, v2_curl_init);
  int w = snprintf(c->url, sizeof c->url, "%s/v2/models/%s/infer", base, model);
  if (w < 0 || (size_t)w >= sizeof c->url) return -1;
  c->binary = binary;
  c->max_reply = (size_t)1 << 20;
  c->curl = curl_easy_init();
  return c->curl ? 0 : -1;
}

void v2_client_free(v2_client *c) {
  if (c->curl) curl_easy_cleanup(c->curl);
  c->curl = NULL;
}

/* Value i of tensor t as a double (raw, not dequantized). */
static double v2_raw(const mote_tensor *t, size_t i) {
  switch (t->type) {
    case MOTE_FLOAT32:
      return ((const float *)t->data)[i];
    case MOTE_INT8:
      return ((const int8_t *)t->data)[i];
    case MOTE_UINT8:
    case MOTE_BOOL:
      return ((const uint8_t *)t->data)[i];
    case MOTE_INT16:
      return ((const int16_t *)t->data)[i];
    case MOTE_INT32:
      return ((const int32_t *)t->data)[i];
    default:
      return 0.0;
  }
}

char *v2_build_request(const mote_tensor *in, int binary, size_t *len,
                       size_t *json_len) {
  const char *dt = v2_dtype_name(in->type);
  cJSON *o = cJSON_CreateObject();
  cJSON *ins = cJSON_AddArrayToObject(o, "inputs");
  cJSON *t = cJSON_CreateObject();
  cJSON_AddItemToArray(ins, t);
  cJSON_AddStringToObject(t, "name", in->name ? in->name : "input");
  cJSON_AddStringToObject(t, "datatype", dt ? dt : "FP32");
  cJSON *sh = cJSON_AddArrayToObject(t, "shape");
  for (uint32_t d = 0; d < in->ndim; d++)
    cJSON_AddItemToArray(sh, cJSON_CreateNumber(in->dims[d]));
  if (binary) {
    cJSON *p = cJSON_AddObjectToObject(t, "parameters");
    cJSON_AddNumberToObject(p, "binary_data_size", (double)in->bytes);
    cJSON *rp = cJSON_AddObjectToObject(o, "parameters");
    cJSON_AddBoolToObject(rp, "binary_data_output", 1);
  } else {
    cJSON *d = cJSON_AddArrayToObject(t, "data");
    for (size_t i = 0; i < in->count; i++)
      cJSON_AddItemToArray(d, cJSON_CreateNumber(v2_raw(in, i)));
  }
  char *s = cJSON_PrintUnformatted(o);
  cJSON_Delete(o);
  if (!s) return NULL;
  *json_len = *len = strlen(s);
  if (binary) {
    char *b = realloc(s, *len + in->bytes + 1);
    if (!b) {
      free(s);
      return NULL;
    }
    memcpy(b + *len, in->data, in->bytes);
    *len += in->bytes;
    s = b;
  }
  return s;
}

/* Error text into err[256]. */
#define V2_ERR(...) snprintf(err, 256, __VA_ARGS__)

int v2_parse_reply(const char *p, size_t len, long hdr_len, float *out,
                   size_t cap, size_t *n, char *err) {
  size_t jl = len;
  if (hdr_len >= 0) {
    if ((size_t)hdr_len > len) {
      V2_ERR("header length exceeds reply");
      return MOTE_HI_T_BAD_REPLY;
    }
    jl = (size_t)hdr_len;
  }
  cJSON *r = cJSON_ParseWithLength(p ? p : "", jl);
  const cJSON *o0 =
      cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r, "outputs"), 0);
  const cJSON *dt = cJSON_GetObjectItemCaseSensitive(o0, "datatype");
  int ty = cJSON_IsString(dt) ? v2_dtype_parse(dt->valuestring) : -1;
  const cJSON *data = cJSON_GetObjectItemCaseSensitive(o0, "data");
  const cJSON *bsz = cJSON_GetObjectItemCaseSensitive(
      cJSON_GetObjectItemCaseSensitive(o0, "parameters"), "binary_data_size");
  int st = MOTE_HI_T_OK;
  *n = 0;
  if (!o0 || ty < 0) {
    V2_ERR("reply has no usable output");
    st = MOTE_HI_T_BAD_REPLY;
  } else if (cJSON_IsNumber(bsz)) {
    mote_tensor v;
    memset(&v, 0, sizeof v);
    v.type = (mote_dtype)ty;
    size_t es = mote_dtype_size(v.type);
    size_t sz = (size_t)bsz->valuedouble;
    if (es == 0 || sz % es || sz > len - jl || sz / es > cap) {
      V2_ERR("bad binary output");
      st = MOTE_HI_T_BAD_REPLY;
    } else {
      /* copy to aligned memory before reading */
      float tmp[256];
      void *al = sz <= sizeof tmp ? (void *)tmp : malloc(sz);
      if (!al) {
        st = MOTE_HI_T_ERROR;
      } else {
        memcpy(al, p + jl, sz);
        v.data = al;
        for (size_t i = 0; i < sz / es; i++) out[i] = (float)v2_raw(&v, i);
        *n = sz / es;
        if (al != tmp) free(al);
      }
    }
  } else if (cJSON_IsArray(data)) {
    const cJSON *e;
    cJSON_ArrayForEach(e, data) {
      if (!cJSON_IsNumber(e) || *n >= cap) {
        V2_ERR("bad or oversized output data");
        st = MOTE_HI_T_BAD_REPLY;
        break;
      }
      out[(*n)++] = (float)e->valuedouble;
    }
  } else {
    V2_ERR("output has no data");
    st = MOTE_HI_T_BAD_REPLY;
  }
  cJSON_Delete(r);
  return st;
}

int v2_client_infer(v2_client *c, const mote_tensor *in, float *out, size_t cap,
                    size_t *n, uint32_t deadline_ms) {
  CURL *h = c->curl;
  size_t len, jl;
  v2_buf b;
  struct curl_slist *hd = NULL;
  char hl[80];
  int st;
  *n = 0;
  c->last_http = 0;
  c->err[0] = 0;
  if (!h || !in || !in->data) return MOTE_HI_T_ERROR;
  char *body = v2_build_request(in, c->binary, &len, &jl);
  if (!body) {
    snprintf(c->err, sizeof c->err, "out of memory");
    return MOTE_HI_T_ERROR;
  }
  memset(&b, 0, sizeof b);
  b.max = c->max_reply;
  b.hdr_len = -1;
  if (c->binary) {
    snprintf(hl, sizeof hl, "Inference-Header-Content-Length: %zu", jl);
    hd = curl_slist_append(hd, hl);
    hd = curl_slist_append(hd, "Content-Type: application/octet-stream");
  } else {
    hd = curl_slist_append(hd, "Content-Type: application/json");
  }
  hd = curl_slist_append(hd, "Expect:");
  curl_easy_setopt(h, CURLOPT_URL, c->url);
  curl_easy_setopt(h, CURLOPT_POST, 1L);
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, hd);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, v2_on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, v2_on_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &b);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS,
                   (long)(deadline_ms ? deadline_ms : 1));
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                   (long)(deadline_ms ? deadline_ms : 1));
  CURLcode rc = curl_easy_perform(h);
  c->requests++;
  c->bytes_sent += len;
  c->bytes_received += b.len;
  if (rc == CURLE_OPERATION_TIMEDOUT) {
    snprintf(c->err, sizeof c->err, "timeout after %u ms", deadline_ms);
    st = MOTE_HI_T_TIMEOUT;
  } else if (rc != CURLE_OK) {
    snprintf(c->err, sizeof c->err, "%s", curl_easy_strerror(rc));
    st = MOTE_HI_T_ERROR;
  } else {
    long code = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    c->last_http = (int)code;
    if (code != 200) {
      snprintf(c->err, sizeof c->err, "HTTP %ld", code);
      st = MOTE_HI_T_ERROR;
    } else {
      st = v2_parse_reply(b.p, b.len, b.hdr_len, out, cap, n, c->err);
    }
  }
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
  curl_slist_free_all(hd);
  free(body);
  free(b.p);
  return st;
}

int v2_client_transport(void *user, const mote_tensor *in, float *out,
                        size_t cap, size_t *n, uint32_t deadline_ms) {
  return v2_client_infer(user, in, out, cap, n, deadline_ms);
}
