/*
** v2_mqtt.c: v2 inference over MQTT v5 with libmosquitto: the responder
** of `mote serve --mqtt` and the device-side client transport (see
** v2_mqtt.h).
*/
#include "v2_mqtt.h"

#include <errno.h>
#include <mosquitto.h>
#include <mqtt_protocol.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "v2_client.h"

#define V2_MQTT_PREFIX "mote/v2/models/"
#define V2_HDR "Inference-Header-Content-Length"

static pthread_once_t v2_mqtt_once = PTHREAD_ONCE_INIT;
static void v2_mqtt_lib_init(void) {
  mosquitto_lib_init();
}

/* "host[:port]" into host (256 bytes) and port. */
static int v2_broker(const char *b, char *host, int *port) {
  const char *c = strrchr(b, ':');
  size_t n = c ? (size_t)(c - b) : strlen(b);
  if (n == 0 || n >= 256) return -1;
  memcpy(host, b, n);
  host[n] = 0;
  *port = c ? atoi(c + 1) : 1883;
  return *port > 0 && *port < 65536 ? 0 : -1;
}

/* Value of user property `key`, or NULL (malloc'd). */
static char *v2_user_prop(const mosquitto_property *props, const char *key) {
  const mosquitto_property *p = props;
  int skip = 0;
  for (;;) {
    char *name = NULL, *value = NULL;
    p = mosquitto_property_read_string_pair(p, MQTT_PROP_USER_PROPERTY, &name,
                                            &value, skip);
    if (!p) return NULL;
    skip = 1;
    int hit = name && strcmp(name, key) == 0;
    free(name);
    if (hit) return value;
    free(value);
  }
}

/* ---- responder ---- */
struct v2_mqtt_server {
  struct mosquitto *mq;
  v2_server *srv;
};

static void srv_on_connect(struct mosquitto *mq, void *obj, int rc, int flags,
                           const mosquitto_property *props) {
  (void)obj;
  (void)flags;
  (void)props;
  if (rc == 0)
    mosquitto_subscribe_v5(mq, NULL, V2_MQTT_PREFIX "+/infer", 0, 0, NULL);
}

static void srv_on_message(struct mosquitto *mq, void *obj,
                           const struct mosquitto_message *msg,
                           const mosquitto_property *props) {
  v2_mqtt_server *m = obj;
  char *rtopic = NULL, *hl;
  void *corr = NULL;
  uint16_t corr_len = 0;
  const char *name = msg->topic + strlen(V2_MQTT_PREFIX);
  const char *slash = strchr(name, '/');
  if (strncmp(msg->topic, V2_MQTT_PREFIX, strlen(V2_MQTT_PREFIX)) != 0 ||
      !slash)
    return;
  if (!mosquitto_property_read_string(props, MQTT_PROP_RESPONSE_TOPIC, &rtopic,
                                      false))
    return; /* nobody to answer */
  mosquitto_property_read_binary(props, MQTT_PROP_CORRELATION_DATA, &corr,
                                 &corr_len, false);
  size_t len = (size_t)msg->payloadlen, jl = len;
  v2_reply r;
  memset(&r, 0, sizeof r);
  if ((hl = v2_user_prop(props, V2_HDR)) != NULL) {
    char *end;
    unsigned long long v = strtoull(hl, &end, 10);
    jl = end != hl && !*end && v <= len ? (size_t)v : len + 1;
    free(hl);
  }
  /* a NUL-terminated private copy of the payload */
  char *body = malloc(len + 1);
  int st = -1;
  if (body) {
    if (len) memcpy(body, msg->payload, len);
    body[len] = 0;
    if (jl > len)
      st = v2_error(&r, 400, "bad " V2_HDR);
    else
      st = v2_server_infer(m->srv, name, (size_t)(slash - name), body, len, jl,
                           &r);
    free(body);
  }
  if (st > 0) {
    mosquitto_property *out = NULL;
    char num[32];
    snprintf(num, sizeof num, "%d", r.status);
    mosquitto_property_add_string_pair(&out, MQTT_PROP_USER_PROPERTY, "status",
                                       num);
    if (r.json_len < r.len) {
      snprintf(num, sizeof num, "%zu", r.json_len);
      mosquitto_property_add_string_pair(&out, MQTT_PROP_USER_PROPERTY, V2_HDR,
                                         num);
    }
    if (corr)
      mosquitto_property_add_binary(&out, MQTT_PROP_CORRELATION_DATA, corr,
                                    corr_len);
    mosquitto_publish_v5(mq, NULL, rtopic, (int)r.len, r.body, 0, false, out);
    mosquitto_property_free_all(&out);
  }
  v2_reply_free(&r);
  free(rtopic);
  free(corr);
}

v2_mqtt_server *v2_mqtt_serve(v2_server *s, const char *broker) {
  char host[256];
  int port;
  pthread_once(&v2_mqtt_once, v2_mqtt_lib_init);
  if (v2_broker(broker, host, &port) != 0) {
    fprintf(stderr, "mote: serve: --mqtt %s: expected HOST[:PORT]\n", broker);
    return NULL;
  }
  v2_mqtt_server *m = calloc(1, sizeof *m);
  if (!m) return NULL;
  m->srv = s;
  m->mq = mosquitto_new(NULL, true, m);
  if (!m->mq) {
    free(m);
    return NULL;
  }
  mosquitto_int_option(m->mq, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5);
  mosquitto_connect_v5_callback_set(m->mq, srv_on_connect);
  mosquitto_message_v5_callback_set(m->mq, srv_on_message);
  mosquitto_reconnect_delay_set(m->mq, 1, 10, false);
  int rc = mosquitto_connect_bind_v5(m->mq, host, port, 30, NULL, NULL);
  if (rc != MOSQ_ERR_SUCCESS || mosquitto_loop_start(m->mq) != 0) {
    fprintf(stderr, "mote: serve: --mqtt %s: %s\n", broker,
            rc == MOSQ_ERR_ERRNO ? strerror(errno) : mosquitto_strerror(rc));
    mosquitto_destroy(m->mq);
    free(m);
    return NULL;
  }
  return m;
}

void v2_mqtt_stop(v2_mqtt_server *m) {
  if (!m) return;
  mosquitto_disconnect_v5(m->mq, 0, NULL);
  mosquitto_loop_stop(m->mq, false);
  mosquitto_destroy(m->mq);
  free(m);
}

/* ---- client ---- */
struct v2_mqtt_client {
  struct mosquitto *mq;
  char topic[320];  /* request topic */
  char rtopic[128]; /* private reply topic */
  int binary;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int subscribed;
  uint64_t want; /* correlation id awaited (0: none) */
  int got;       /* reply for `want` arrived */
  char *reply;   /* its payload (malloc'd) */
  size_t reply_len;
  long hdr_len;
  int status;
  char err[256];
};

static void cli_on_connect(struct mosquitto *mq, void *obj, int rc, int flags,
                           const mosquitto_property *props) {
  v2_mqtt_client *c = obj;
  (void)flags;
  (void)props;
  if (rc == 0) mosquitto_subscribe_v5(mq, NULL, c->rtopic, 0, 0, NULL);
}

static void cli_on_subscribe(struct mosquitto *mq, void *obj, int mid,
                             int qos_count, const int *granted,
                             const mosquitto_property *props) {
  v2_mqtt_client *c = obj;
  (void)mq;
  (void)mid;
  (void)props;
  pthread_mutex_lock(&c->mu);
  c->subscribed = qos_count > 0 && granted[0] <= 2;
  pthread_cond_broadcast(&c->cv);
  pthread_mutex_unlock(&c->mu);
}

static void cli_on_message(struct mosquitto *mq, void *obj,
                           const struct mosquitto_message *msg,
                           const mosquitto_property *props) {
  v2_mqtt_client *c = obj;
  void *corr = NULL;
  uint16_t cl = 0;
  uint64_t id = 0;
  (void)mq;
  mosquitto_property_read_binary(props, MQTT_PROP_CORRELATION_DATA, &corr, &cl,
                                 false);
  if (corr && cl == sizeof id) memcpy(&id, corr, sizeof id);
  free(corr);
  pthread_mutex_lock(&c->mu);
  if (id && id == c->want && !c->got) {
    char *st = v2_user_prop(props, "status");
    char *hl = v2_user_prop(props, V2_HDR);
    c->status = st ? atoi(st) : 0;
    c->hdr_len = hl ? strtol(hl, NULL, 10) : -1;
    free(st);
    free(hl);
    c->reply = malloc((size_t)msg->payloadlen + 1);
    if (c->reply) {
      if (msg->payloadlen)
        memcpy(c->reply, msg->payload, (size_t)msg->payloadlen);
      c->reply[msg->payloadlen] = 0;
      c->reply_len = (size_t)msg->payloadlen;
    }
    c->got = 1;
    pthread_cond_broadcast(&c->cv);
  }
  pthread_mutex_unlock(&c->mu);
}

/* Absolute CLOCK_MONOTONIC time ms from now. */
static struct timespec v2_deadline(uint32_t ms) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  t.tv_sec += (time_t)(ms / 1000u);
  t.tv_nsec += (long)(ms % 1000u) * 1000000L;
  if (t.tv_nsec >= 1000000000L) {
    t.tv_sec++;
    t.tv_nsec -= 1000000000L;
  }
  return t;
}

v2_mqtt_client *v2_mqtt_client_new(const char *broker, const char *model,
                                   int binary, uint32_t connect_ms, char *err) {
  char host[256];
  int port;
  static unsigned seq;
  pthread_once(&v2_mqtt_once, v2_mqtt_lib_init);
  if (v2_broker(broker, host, &port) != 0) {
    snprintf(err, 256, "bad broker address %s", broker);
    return NULL;
  }
  v2_mqtt_client *c = calloc(1, sizeof *c);
  if (!c) return NULL;
  snprintf(c->topic, sizeof c->topic, V2_MQTT_PREFIX "%s/infer", model);
  snprintf(c->rtopic, sizeof c->rtopic, "mote/v2/replies/%ld-%u-%p",
           (long)getpid(), __atomic_fetch_add(&seq, 1, __ATOMIC_RELAXED),
           (void *)c);
  c->binary = binary;
  pthread_mutex_init(&c->mu, NULL);
  pthread_condattr_t ca;
  pthread_condattr_init(&ca);
  pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
  pthread_cond_init(&c->cv, &ca);
  pthread_condattr_destroy(&ca);
  c->mq = mosquitto_new(NULL, true, c);
  if (!c->mq) {
    snprintf(err, 256, "out of memory");
    v2_mqtt_client_free(c);
    return NULL;
  }
  mosquitto_int_option(c->mq, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5);
  mosquitto_connect_v5_callback_set(c->mq, cli_on_connect);
  mosquitto_subscribe_v5_callback_set(c->mq, cli_on_subscribe);
  mosquitto_message_v5_callback_set(c->mq, cli_on_message);
  int rc = mosquitto_connect_bind_v5(c->mq, host, port, 30, NULL, NULL);
  if (rc != MOSQ_ERR_SUCCESS || mosquitto_loop_start(c->mq) != 0) {
    snprintf(err, 256, "%.200s:%d: %s", host, port,
             rc == MOSQ_ERR_ERRNO ? strerror(errno) : mosquitto_strerror(rc));
    v2_mqtt_client_free(c);
    return NULL;
  }
  struct timespec dl = v2_deadline(connect_ms);
  pthread_mutex_lock(&c->mu);
  while (!c->subscribed)
    if (pthread_cond_timedwait(&c->cv, &c->mu, &dl) == ETIMEDOUT) break;
  int ok = c->subscribed;
  pthread_mutex_unlock(&c->mu);
  if (!ok) {
    snprintf(err, 256, "%.200s:%d: not subscribed within %u ms", host, port,
             connect_ms);
    v2_mqtt_client_free(c);
    return NULL;
  }
  return c;
}

void v2_mqtt_client_free(v2_mqtt_client *c) {
  if (!c) return;
  if (c->mq) {
    mosquitto_disconnect_v5(c->mq, 0, NULL);
    mosquitto_loop_stop(c->mq, true);
    mosquitto_destroy(c->mq);
  }
  free(c->reply);
  pthread_mutex_destroy(&c->mu);
  pthread_cond_destroy(&c->cv);
  free(c);
}

const char *v2_mqtt_client_error(const v2_mqtt_client *c) {
  return c->err;
}

int v2_mqtt_client_infer(v2_mqtt_client *c, const mote_tensor *in, float *out,
                         size_t cap, size_t *n, uint32_t deadline_ms) {
  static uint64_t next_id = 1;
  size_t len, jl;
  *n = 0;
  c->err[0] = 0;
  struct timespec dl = v2_deadline(deadline_ms);
  char *body = v2_build_request(in, c->binary, &len, &jl);
  if (!body || len > 0x7fffffff) {
    free(body);
    snprintf(c->err, sizeof c->err, "cannot build request");
    return MOTE_HI_T_ERROR;
  }
  uint64_t id = __atomic_fetch_add(&next_id, 1, __ATOMIC_RELAXED);
  pthread_mutex_lock(&c->mu);
  c->want = id;
  c->got = 0;
  free(c->reply);
  c->reply = NULL;
  pthread_mutex_unlock(&c->mu);
  mosquitto_property *props = NULL;
  mosquitto_property_add_string(&props, MQTT_PROP_RESPONSE_TOPIC, c->rtopic);
  mosquitto_property_add_binary(&props, MQTT_PROP_CORRELATION_DATA, &id,
                                (uint16_t)sizeof id);
  if (c->binary) {
    char num[32];
    snprintf(num, sizeof num, "%zu", jl);
    mosquitto_property_add_string_pair(&props, MQTT_PROP_USER_PROPERTY, V2_HDR,
                                       num);
  }
  int rc = mosquitto_publish_v5(c->mq, NULL, c->topic, (int)len, body, 0, false,
                                props);
  mosquitto_property_free_all(&props);
  free(body);
  if (rc != MOSQ_ERR_SUCCESS) {
    snprintf(c->err, sizeof c->err, "publish: %s", mosquitto_strerror(rc));
    return MOTE_HI_T_ERROR;
  }
  int st;
  pthread_mutex_lock(&c->mu);
  while (!c->got)
    if (pthread_cond_timedwait(&c->cv, &c->mu, &dl) == ETIMEDOUT) break;
  c->want = 0;
  if (!c->got) {
    snprintf(c->err, sizeof c->err, "timeout after %u ms", deadline_ms);
    st = MOTE_HI_T_TIMEOUT;
  } else if (!c->reply) {
    snprintf(c->err, sizeof c->err, "out of memory");
    st = MOTE_HI_T_ERROR;
  } else if (c->status != 200) {
    snprintf(c->err, sizeof c->err, "status %d", c->status);
    st = MOTE_HI_T_ERROR;
  } else {
    st =
        v2_parse_reply(c->reply, c->reply_len, c->hdr_len, out, cap, n, c->err);
  }
  pthread_mutex_unlock(&c->mu);
  return st;
}

int v2_mqtt_transport(void *user, const mote_tensor *in, float *out, size_t cap,
                      size_t *n, uint32_t deadline_ms) {
  return v2_mqtt_client_infer(user, in, out, cap, n, deadline_ms);
}
