/*
** v2_server.c: the HTTP side of `mote serve` (see v2_server.h): routing
** of the v2 endpoints, request bodies, model instance pools.
*/
#include "v2_server.h"

#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_io.h"
#include "v2_codec.h"

/* One served model: `n` instances and a pool of free ones. */
typedef struct v2_model {
  char name[128];
  host_model *inst;
  int *free_idx;
  int n, nfree;
  pthread_mutex_t mu;
  pthread_cond_t cv;
} v2_model;

struct v2_server {
  struct MHD_Daemon *d;
  v2_model *models;
  int nmodels;
  size_t max_body;
  int port;
};

/* A request being received. */
typedef struct v2_conn {
  char *buf;
  size_t len, cap;
  int too_big;
} v2_conn;

static int v2_model_init(v2_model *m, const char *spec, unsigned n) {
  char path[4096];
  const char *colon = strrchr(spec, ':');
  const char *name;
  size_t plen = colon ? (size_t)(colon - spec) : strlen(spec);
  if (plen >= sizeof path) plen = sizeof path - 1;
  memcpy(path, spec, plen);
  path[plen] = 0;
  memset(m, 0, sizeof *m);
  if (colon && colon[1]) {
    snprintf(m->name, sizeof m->name, "%s", colon + 1);
  } else {
    name = strrchr(path, '/');
    name = name ? name + 1 : path;
    size_t nl = strlen(name);
    if (nl >= sizeof m->name) nl = sizeof m->name - 1;
    memcpy(m->name, name, nl);
    m->name[nl] = 0;
    char *dot = strrchr(m->name, '.');
    if (dot && dot != m->name) *dot = 0;
  }
  m->inst = calloc(n, sizeof *m->inst);
  m->free_idx = calloc(n, sizeof *m->free_idx);
  if (!m->inst || !m->free_idx) {
    fprintf(stderr, "mote: %s: out of memory\n", path);
    return -1;
  }
  for (unsigned i = 0; i < n; i++) {
    mote_status st = host_model_load(&m->inst[i], path, 0);
    if (st != MOTE_OK) {
      if (!m->inst[i].fb)
        fprintf(stderr, "mote: %s: cannot read model file\n", path);
      else {
        char msg[512];
        mote_error_format(&m->inst[i].m.err, msg, sizeof msg);
        fprintf(stderr, "mote: %s: %s\n", path, msg);
        host_model_free(&m->inst[i]);
      }
      return -1;
    }
    m->n++;
    m->free_idx[m->nfree++] = (int)i;
  }
  pthread_mutex_init(&m->mu, NULL);
  pthread_cond_init(&m->cv, NULL);
  return 0;
}

static void v2_model_free(v2_model *m) {
  for (int i = 0; i < m->n; i++) host_model_free(&m->inst[i]);
  if (m->n) {
    pthread_mutex_destroy(&m->mu);
    pthread_cond_destroy(&m->cv);
  }
  free(m->inst);
  free(m->free_idx);
}

static host_model *v2_acquire(v2_model *m, int *idx) {
  pthread_mutex_lock(&m->mu);
  while (m->nfree == 0) pthread_cond_wait(&m->cv, &m->mu);
  *idx = m->free_idx[--m->nfree];
  pthread_mutex_unlock(&m->mu);
  return &m->inst[*idx];
}

static void v2_release(v2_model *m, int idx) {
  pthread_mutex_lock(&m->mu);
  m->free_idx[m->nfree++] = idx;
  pthread_cond_signal(&m->cv);
  pthread_mutex_unlock(&m->mu);
}

static enum MHD_Result v2_send(struct MHD_Connection *c, v2_reply *r) {
  struct MHD_Response *res = MHD_create_response_from_buffer(
      r->len, r->body,
      r->body ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
  r->body = NULL;
  if (!res) return MHD_NO;
  if (r->len) {
    if (r->json_len < r->len) {
      char hl[32];
      snprintf(hl, sizeof hl, "%zu", r->json_len);
      MHD_add_response_header(res, "Inference-Header-Content-Length", hl);
      MHD_add_response_header(res, "Content-Type", "application/octet-stream");
    } else {
      MHD_add_response_header(res, "Content-Type", "application/json");
    }
  }
  enum MHD_Result ok = MHD_queue_response(c, (unsigned)r->status, res);
  MHD_destroy_response(res);
  return ok;
}

static enum MHD_Result v2_send_error(struct MHD_Connection *c, int status,
                                     const char *msg) {
  v2_reply r;
  memset(&r, 0, sizeof r);
  if (v2_error(&r, status, msg) < 0) return MHD_NO;
  return v2_send(c, &r);
}

static enum MHD_Result v2_send_empty(struct MHD_Connection *c, int status) {
  v2_reply r;
  memset(&r, 0, sizeof r);
  r.status = status;
  return v2_send(c, &r);
}

static v2_model *v2_find(v2_server *s, const char *name, size_t n) {
  for (int i = 0; i < s->nmodels; i++)
    if (strlen(s->models[i].name) == n &&
        strncmp(s->models[i].name, name, n) == 0)
      return &s->models[i];
  return NULL;
}

static enum MHD_Result v2_route(v2_server *s, struct MHD_Connection *c,
                                const char *url, const char *method,
                                v2_conn *rq) {
  int get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
  int post = strcmp(method, "POST") == 0;
  if (strcmp(url, "/v2/health/live") == 0 ||
      strcmp(url, "/v2/health/ready") == 0) {
    if (!get) return v2_send_error(c, 405, "method not allowed");
    return v2_send_empty(c, 200);
  }
  if (strcmp(url, "/v2") == 0 || strcmp(url, "/v2/") == 0) {
    if (!get) return v2_send_error(c, 405, "method not allowed");
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", "mote");
    cJSON_AddStringToObject(o, "version", MOTE_VERSION_STRING);
    cJSON *e = cJSON_AddArrayToObject(o, "extensions");
    cJSON_AddItemToArray(e, cJSON_CreateString("binary_tensor_data"));
    v2_reply r;
    memset(&r, 0, sizeof r);
    r.body = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (!r.body) return MHD_NO;
    r.status = 200;
    r.len = r.json_len = strlen(r.body);
    return v2_send(c, &r);
  }
  const char *pre = "/v2/models/";
  if (strncmp(url, pre, strlen(pre)) != 0)
    return v2_send_error(c, 404, "no such endpoint");
  const char *name = url + strlen(pre);
  size_t nlen = strcspn(name, "/");
  const char *rest = name + nlen;
  v2_model *m = v2_find(s, name, nlen);
  if (!m) return v2_send_error(c, 404, "unknown model");
  /* an optional /versions/1 */
  if (strncmp(rest, "/versions/", 10) == 0) {
    const char *v = rest + 10;
    size_t vl = strcspn(v, "/");
    if (vl != 1 || v[0] != '1')
      return v2_send_error(c, 404, "unknown model version");
    rest = v + vl;
  }
  if (*rest == 0) {
    if (!get) return v2_send_error(c, 405, "method not allowed");
    v2_reply r;
    memset(&r, 0, sizeof r);
    if (v2_model_metadata(&m->inst[0], m->name, &r) < 0) return MHD_NO;
    return v2_send(c, &r);
  }
  if (strcmp(rest, "/ready") == 0) {
    if (!get) return v2_send_error(c, 405, "method not allowed");
    return v2_send_empty(c, 200);
  }
  if (strcmp(rest, "/infer") != 0)
    return v2_send_error(c, 404, "no such endpoint");
  if (!post) return v2_send_error(c, 405, "method not allowed");
  if (rq->too_big) return v2_send_error(c, 413, "request body too large");
  size_t json_len = rq->len;
  const char *hl = MHD_lookup_connection_value(
      c, MHD_HEADER_KIND, "Inference-Header-Content-Length");
  if (hl) {
    char *end;
    unsigned long long v = strtoull(hl, &end, 10);
    if (end == hl || *end || v > rq->len)
      return v2_send_error(c, 400, "bad Inference-Header-Content-Length");
    json_len = (size_t)v;
  }
  v2_reply r;
  if (v2_server_infer(s, m->name, strlen(m->name), rq->buf ? rq->buf : "",
                      rq->len, json_len, &r) < 0)
    return MHD_NO;
  return v2_send(c, &r);
}

int v2_server_infer(v2_server *s, const char *model, size_t model_len,
                    const char *body, size_t len, size_t json_len,
                    v2_reply *r) {
  v2_model *m = v2_find(s, model, model_len);
  memset(r, 0, sizeof *r);
  if (!m) return v2_error(r, 404, "unknown model");
  int idx;
  host_model *hm = v2_acquire(m, &idx);
  int st = v2_infer(hm, m->name, body, len, json_len, r);
  v2_release(m, idx);
  return st;
}

static enum MHD_Result v2_handler(void *cls, struct MHD_Connection *c,
                                  const char *url, const char *method,
                                  const char *version, const char *data,
                                  size_t *data_size, void **con_cls) {
  v2_server *s = cls;
  v2_conn *rq = *con_cls;
  (void)version;
  if (!rq) {
    rq = calloc(1, sizeof *rq);
    if (!rq) return MHD_NO;
    *con_cls = rq;
    const char *cl =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
    if (cl && strtoull(cl, NULL, 10) > s->max_body) {
      rq->too_big = 1;
      return v2_send_error(c, 413, "request body too large");
    }
    return MHD_YES;
  }
  if (*data_size) {
    size_t n = *data_size;
    *data_size = 0;
    if (rq->too_big || rq->len + n > s->max_body) {
      rq->too_big = 1;
      return MHD_YES;
    }
    if (rq->len + n + 1 > rq->cap) {
      size_t cap = rq->cap ? rq->cap * 2 : 4096;
      while (cap < rq->len + n + 1) cap *= 2;
      if (cap > s->max_body + 1) cap = s->max_body + 1;
      char *b = realloc(rq->buf, cap);
      if (!b) return MHD_NO;
      rq->buf = b;
      rq->cap = cap;
    }
    memcpy(rq->buf + rq->len, data, n);
    rq->len += n;
    return MHD_YES;
  }
  return v2_route(s, c, url, method, rq);
}

static void v2_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe) {
  v2_conn *rq = *con_cls;
  (void)cls;
  (void)c;
  (void)toe;
  if (rq) {
    free(rq->buf);
    free(rq);
  }
  *con_cls = NULL;
}

v2_server *v2_server_start(const char *const *specs, int nspecs,
                           const v2_server_opts *o) {
  v2_server *s = calloc(1, sizeof *s);
  unsigned threads = o->threads ? o->threads : 2;
  const char *host = o->host ? o->host : "127.0.0.1";
  struct sockaddr_in sa;
  if (!s) return NULL;
  s->max_body = o->max_body ? o->max_body : (size_t)8 << 20;
  s->models = calloc((size_t)nspecs, sizeof *s->models);
  if (!s->models) goto fail;
  for (int i = 0; i < nspecs; i++) {
    if (v2_model_init(&s->models[i], specs[i], threads) != 0) {
      s->nmodels = i + 1;
      goto fail;
    }
    s->nmodels = i + 1;
    for (int j = 0; j < i; j++)
      if (strcmp(s->models[j].name, s->models[i].name) == 0) {
        fprintf(stderr, "mote: serve: two models named '%s'\n",
                s->models[i].name);
        goto fail;
      }
  }
  memset(&sa, 0, sizeof sa);
  sa.sin_family = AF_INET;
  sa.sin_port = htons((uint16_t)(o->port < 0 ? 0 : o->port ? o->port : 8000));
  if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
    fprintf(stderr, "mote: serve: --host %s: not an IPv4 address\n", host);
    goto fail;
  }
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO;
  s->d = MHD_start_daemon(
      flags, 0, NULL, NULL, v2_handler, s, MHD_OPTION_SOCK_ADDR,
      (struct sockaddr *)&sa, MHD_OPTION_NOTIFY_COMPLETED, v2_completed, s,
      MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_TIMEOUT,
      (unsigned)30, MHD_OPTION_CONNECTION_LIMIT, (unsigned)1024,
      MHD_OPTION_END);
  if (!s->d) {
    fprintf(stderr, "mote: serve: cannot listen on %s:%d\n", host, o->port);
    goto fail;
  }
  const union MHD_DaemonInfo *di =
      MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
  s->port = di ? di->port : o->port;
  return s;
fail:
  v2_server_stop(s);
  return NULL;
}

int v2_server_port(const v2_server *s) {
  return s->port;
}

void v2_server_stop(v2_server *s) {
  if (!s) return;
  if (s->d) MHD_stop_daemon(s->d);
  for (int i = 0; i < s->nmodels; i++) v2_model_free(&s->models[i]);
  free(s->models);
  free(s);
}
