/*
** test_hi_net.c: hierarchical inference over HTTP. Starts `mote serve`'s
** server in-process on a free loopback port and a tiny fake server that
** misbehaves on purpose, and checks that the device side (mote_hi_step
** with the libcurl transport) gets remote answers from the real server
** (JSON and binary) and, for every fault (server down, slow beyond the
** timeout, connection reset mid-response, malformed JSON, wrong shape,
** wrong dtype, HTTP 500, unknown model), answers locally within its
** timeout plus a margin and counts the failure.
**
** usage: test_hi_net MODEL.tflite (the bundled models/demo_int8.tflite)
*/
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "data/feed.h"
#include "hi_device.h"
#include "host_io.h"
#include "mote/mote.h"
#include "v2_client.h"
#include "v2_server.h"

#define TIMEOUT_MS 200u
#define MARGIN_MS 300.0

/* ---- the fake server ---- */
enum { F_SLOW, F_RESET, F_MALFORMED, F_SHAPE, F_DTYPE, F_HTTP500, F_OK3 };
static atomic_int fake_mode;
static atomic_int fake_stop;
static int fake_fd;

static void fake_send(int c, int status, const char *body) {
  char buf[1024];
  int n = snprintf(buf, sizeof buf,
                   "HTTP/1.1 %d X\r\nContent-Type: application/json\r\n"
                   "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
                   status, strlen(body), body);
  send(c, buf, (size_t)n, MSG_NOSIGNAL);
}

/* Read until the end of the headers and Content-Length body bytes. */
static void fake_read_request(int c) {
  char buf[65536];
  size_t len = 0;
  while (len < sizeof buf - 1) {
    struct pollfd p = {c, POLLIN, 0};
    if (poll(&p, 1, 1000) <= 0) return;
    ssize_t r = recv(c, buf + len, sizeof buf - 1 - len, 0);
    if (r <= 0) return;
    len += (size_t)r;
    buf[len] = 0;
    char *e = strstr(buf, "\r\n\r\n");
    if (!e) continue;
    char *cl = strcasestr(buf, "Content-Length:");
    size_t want = cl ? (size_t)strtoul(cl + 15, NULL, 10) : 0;
    if (len >= (size_t)(e + 4 - buf) + want) return;
  }
}

/* One connection, on its own thread (a slow answer blocks nobody). */
static void *fake_conn(void *arg) {
  int c = (int)(intptr_t)arg;
  {
    fake_read_request(c);
    const char *shape3 =
        "{\"outputs\":[{\"name\":\"p\",\"datatype\":\"FP32\",\"shape\":[1,3],"
        "\"data\":[0.1,0.2,0.7]}]}";
    switch (atomic_load(&fake_mode)) {
      case F_SLOW: /* answer only after 1 s, far beyond the timeout */
        for (int i = 0; i < 20 && !atomic_load(&fake_stop); i++) usleep(50000);
        fake_send(c, 200, shape3);
        break;
      case F_RESET: {
        const char *part =
            "HTTP/1.1 200 OK\r\nContent-Length: 400\r\n\r\n{\"outputs\":[{";
        send(c, part, strlen(part), MSG_NOSIGNAL);
        usleep(20000);
        struct linger lg = {1, 0}; /* close with RST */
        setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
        break;
      }
      case F_MALFORMED:
        fake_send(c, 200, "{\"outputs\":[{\"name\":\"p\",\"data\":[0.1,");
        break;
      case F_SHAPE:
        fake_send(c, 200, shape3);
        break;
      case F_DTYPE:
        fake_send(c, 200,
                  "{\"outputs\":[{\"name\":\"p\",\"datatype\":\"BYTES\","
                  "\"shape\":[1,4],\"data\":[\"a\",\"b\",\"c\",\"d\"]}]}");
        break;
      case F_HTTP500:
        fake_send(c, 500, "{\"error\":\"boom\"}");
        break;
      default:
        fake_send(c, 200, shape3);
    }
    close(c);
  }
  return NULL;
}

static void *fake_main(void *arg) {
  (void)arg;
  while (!atomic_load(&fake_stop)) {
    struct pollfd p = {fake_fd, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    int c = accept(fake_fd, NULL, NULL);
    if (c < 0) continue;
    pthread_t t;
    if (pthread_create(&t, NULL, fake_conn, (void *)(intptr_t)c) == 0)
      pthread_detach(t);
    else
      close(c);
  }
  return NULL;
}

/* One always-offloading step through client c; checks the fallback. */
static void fault_case(device *d, const char *what, v2_client *c,
                       int want_status) {
  mote_hi_result r;
  double t0 = now_ms();
  EXPECT(mote_hi_step(&d->h, &d->in, &d->out, v2_client_transport, c, &r) ==
         MOTE_OK);
  double dt = now_ms() - t0;
  printf("%-22s -> status %d (%s) in %.1f ms\n", what, r.transport_status,
         c->err, dt);
  EXPECT(r.source == MOTE_HI_FROM_FALLBACK);
  EXPECT(r.label == r.local_label);
  EXPECT(r.transport_status == want_status);
  EXPECT(dt < TIMEOUT_MS + MARGIN_MS);
}

static void *hammer(void *arg) {
  int port = *(int *)arg;
  char base[64];
  snprintf(base, sizeof base, "http://127.0.0.1:%d", port);
  v2_client c;
  host_model hm;
  static atomic_int errors;
  if (v2_client_init(&c, base, "demo", 1) != 0) return (void *)1;
  (void)hm;
  int8_t img[64] = {0};
  mote_tensor in;
  memset(&in, 0, sizeof in);
  in.type = MOTE_INT8;
  in.ndim = 4;
  in.dims[0] = 1, in.dims[1] = 8, in.dims[2] = 8, in.dims[3] = 1;
  in.count = in.bytes = 64;
  in.data = img;
  in.name = "image";
  for (int i = 0; i < 50; i++) {
    float out[8];
    size_t n;
    img[i % 64] = 100;
    if (v2_client_infer(&c, &in, out, 8, &n, 5000) != MOTE_HI_T_OK || n != 4)
      atomic_fetch_add(&errors, 1);
  }
  v2_client_free(&c);
  return (void *)(intptr_t)atomic_load(&errors);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: test_hi_net MODEL\n");
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);
  char spec[4200];
  snprintf(spec, sizeof spec, "%s:demo", argv[1]);
  const char *specs[1] = {spec};
  v2_server_opts o;
  memset(&o, 0, sizeof o);
  o.port = -1;
  o.threads = 2;
  o.max_body = 4096;
  v2_server *srv = v2_server_start(specs, 1, &o);
  EXPECT(srv != NULL);
  if (!srv) return 1;
  int port = v2_server_port(srv);
  char base[64];
  snprintf(base, sizeof base, "http://127.0.0.1:%d", port);

  device d;
  device_setup(&d, argv[1], TIMEOUT_MS);

  /* the real server, JSON and binary: remote answer == local answer */
  for (int bin = 0; bin < 2; bin++) {
    v2_client c;
    EXPECT(v2_client_init(&c, base, "demo", bin) == 0);
    mote_hi_result r;
    EXPECT(mote_hi_step(&d.h, &d.in, &d.out, v2_client_transport, &c, &r) ==
           MOTE_OK);
    printf("real server (%s): source %d label %d local %d, err '%s'\n",
           bin ? "binary" : "JSON", r.source, r.label, r.local_label, c.err);
    EXPECT(r.source == MOTE_HI_FROM_REMOTE);
    EXPECT(r.label == 2 && r.local_label == 2);
    /* values equal the local dequantized output */
    float y[4], z[8];
    size_t n = 0;
    read_output_f32(&d.out, y, 4);
    EXPECT(v2_client_infer(&c, &d.in, z, 8, &n, 1000) == MOTE_HI_T_OK);
    EXPECT(n == 4);
    for (int i = 0; i < 4 && n == 4; i++) {
      if (y[i] != z[i])
        printf("  value %d: local %g remote %g\n", i, y[i], z[i]);
      EXPECT(y[i] == z[i]);
    }
    v2_client_free(&c);
  }
  /* unknown model: HTTP 404 */
  v2_client bad;
  v2_client_init(&bad, base, "nope", 0);
  fault_case(&d, "unknown model (404)", &bad, MOTE_HI_T_ERROR);
  EXPECT(bad.last_http == 404);
  v2_client_free(&bad);

  /* concurrent clients on the real server */
  pthread_t th[4];
  for (int i = 0; i < 4; i++) pthread_create(&th[i], NULL, hammer, &port);
  intptr_t errs = 0;
  for (int i = 0; i < 4; i++) {
    void *rv;
    pthread_join(th[i], &rv);
    errs = (intptr_t)rv > errs ? (intptr_t)rv : errs;
  }
  printf("concurrent: 4 x 50 binary requests, %ld errors\n", (long)errs);
  EXPECT(errs == 0);

  /* the fake server */
  int fport = 0;
  fake_fd = loopback_socket(1, &fport);
  EXPECT(fake_fd >= 0);
  pthread_t ft;
  pthread_create(&ft, NULL, fake_main, NULL);
  char fbase[64];
  snprintf(fbase, sizeof fbase, "http://127.0.0.1:%d", fport);
  static const struct {
    int mode;
    const char *what;
    int want;
  } cases[] = {{F_SLOW, "slow server", MOTE_HI_T_TIMEOUT},
               {F_RESET, "reset mid-response", MOTE_HI_T_ERROR},
               {F_MALFORMED, "malformed JSON", MOTE_HI_T_BAD_REPLY},
               {F_SHAPE, "wrong shape", MOTE_HI_T_BAD_REPLY},
               {F_DTYPE, "wrong dtype", MOTE_HI_T_BAD_REPLY},
               {F_HTTP500, "HTTP 500", MOTE_HI_T_ERROR}};
  for (int bin = 0; bin < 2; bin++)
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
      v2_client c;
      v2_client_init(&c, fbase, "demo", bin);
      atomic_store(&fake_mode, cases[i].mode);
      fault_case(&d, cases[i].what, &c, cases[i].want);
      if (cases[i].mode == F_HTTP500) EXPECT(c.last_http == 500);
      v2_client_free(&c);
    }
  atomic_store(&fake_stop, 1);
  pthread_join(ft, NULL);
  close(fake_fd);
  /* server down: a port nobody listens on */
  int dport = 0, dfd = loopback_socket(1, &dport);
  close(dfd);
  char dbase[64];
  snprintf(dbase, sizeof dbase, "http://127.0.0.1:%d", dport);
  v2_client down;
  v2_client_init(&down, dbase, "demo", 0);
  fault_case(&d, "server down", &down, MOTE_HI_T_ERROR);
  v2_client_free(&down);

  const mote_hi_counters *k = mote_hi_get_counters(&d.h);
  printf(
      "counters: samples %u offloaded %u remote_ok %u failed %u (error %u "
      "timeout %u bad reply %u) agree %u\n",
      k->samples, k->offloaded, k->remote_ok, k->remote_failed, k->failed_error,
      k->failed_timeout, k->failed_bad_reply, k->agree);
  EXPECT(k->samples == 16 && k->offloaded == 16);
  EXPECT(k->remote_ok == 2 && k->agree == 2);
  EXPECT(k->remote_failed == 14);
  EXPECT(k->failed_timeout == 2 && k->failed_bad_reply == 6 &&
         k->failed_error == 6);

  v2_server_stop(srv);
  host_model_free(&d.local);
  return check_all_passed("hi net");
}
