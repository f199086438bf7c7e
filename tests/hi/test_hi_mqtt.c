/*
** test_hi_mqtt.c: hierarchical inference over MQTT v5. Starts Debian's
** mosquitto broker on a free loopback port, the v2 server's MQTT
** responder in-process, and checks the device-side MQTT transport: remote
** answers (JSON and binary bodies, Response Topic + Correlation Data), an
** unknown model (status 404: error), a responder that is gone (timeout)
** and a broker that died (error or timeout): every failure answers
** locally within the deadline plus a margin and is counted.
**
** usage: test_hi_mqtt MOSQUITTO MODEL.tflite WORKDIR
*/
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "data/feed.h"
#include "host_io.h"
#include "mote/mote.h"
#include "v2_mqtt.h"
#include "v2_server.h"

static int fails;
#define CHECK(c)                                                            \
  do {                                                                      \
    if (!(c)) {                                                             \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #c); \
      fails++;                                                              \
    }                                                                       \
  } while (0)

#define TIMEOUT_MS 300u
#define MARGIN_MS 300.0

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int free_port(void) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in sa;
  socklen_t sl = sizeof sa;
  memset(&sa, 0, sizeof sa);
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
      getsockname(fd, (struct sockaddr *)&sa, &sl) != 0)
    return -1;
  close(fd);
  return ntohs(sa.sin_port);
}

static int can_connect(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in sa;
  memset(&sa, 0, sizeof sa);
  sa.sin_family = AF_INET;
  sa.sin_port = htons((uint16_t)port);
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int ok = fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0;
  if (fd >= 0) close(fd);
  return ok;
}

typedef struct device {
  host_model local;
  mote_tensor in, out;
  mote_hi h;
  float scratch[16];
} device;

static int step(device *d, v2_mqtt_client *c, const char *what, int want_source,
                int want_status) {
  mote_hi_result r;
  double t0 = now_ms();
  CHECK(mote_hi_step(&d->h, &d->in, &d->out, v2_mqtt_transport, c, &r) ==
        MOTE_OK);
  double dt = now_ms() - t0;
  printf("%-20s -> source %d status %d (%s) label %u in %.1f ms\n", what,
         r.source, r.transport_status, v2_mqtt_client_error(c), r.label, dt);
  CHECK(r.source == (mote_hi_source)want_source);
  if (want_status >= 0) CHECK(r.transport_status == want_status);
  CHECK(dt < TIMEOUT_MS + MARGIN_MS);
  return r.transport_status;
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: test_hi_mqtt MOSQUITTO MODEL WORKDIR\n");
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);
  int port = free_port();
  char conf[4200], broker[64];
  mkdir(argv[3], 0755);
  snprintf(conf, sizeof conf, "%s/mosquitto.conf", argv[3]);
  FILE *f = fopen(conf, "w");
  CHECK(f != NULL);
  if (!f) return 1;
  fprintf(f, "listener %d 127.0.0.1\nallow_anonymous true\nlog_type error\n",
          port);
  fclose(f);
  pid_t bpid = fork();
  if (bpid == 0) {
    execl(argv[1], "mosquitto", "-c", conf, (char *)NULL);
    _exit(127);
  }
  int up = 0;
  for (int i = 0; i < 100 && !up; i++) {
    up = can_connect(port);
    if (!up) usleep(50000);
  }
  CHECK(up);
  if (!up) {
    kill(bpid, SIGTERM);
    return 1;
  }
  snprintf(broker, sizeof broker, "127.0.0.1:%d", port);

  char spec[4200];
  snprintf(spec, sizeof spec, "%s:demo", argv[2]);
  const char *specs[1] = {spec};
  v2_server_opts o;
  memset(&o, 0, sizeof o);
  o.port = -1;
  v2_server *srv = v2_server_start(specs, 1, &o);
  CHECK(srv != NULL);
  v2_mqtt_server *ms = srv ? v2_mqtt_serve(srv, broker) : NULL;
  CHECK(ms != NULL);

  device d;
  memset(&d, 0, sizeof d);
  CHECK(host_model_load(&d.local, argv[2], 0) == MOTE_OK);
  mote_model_input(&d.local.m, 0, &d.in);
  mote_model_output(&d.local.m, 0, &d.out);
  float img[64];
  for (int i = 0; i < 64; i++) img[i] = (i % 9 == 0) ? 1.0f : 0.0f;
  feed_input_f32(&d.in, img, 64);
  static int8_t kept[64];
  memcpy(kept, d.in.data, 64);
  CHECK(mote_model_invoke(&d.local.m) == MOTE_OK);
  d.in.data = kept;
  mote_hi_config cfg = mote_hi_config_default();
  cfg.threshold = 1.1f;
  cfg.timeout_ms = TIMEOUT_MS;
  mote_hi_init(&d.h, &cfg, d.scratch, 16);

  char err[256];
  v2_mqtt_client *cj = v2_mqtt_client_new(broker, "demo", 0, 2000, err);
  v2_mqtt_client *cb = v2_mqtt_client_new(broker, "demo", 1, 2000, err);
  v2_mqtt_client *cn = v2_mqtt_client_new(broker, "nope", 0, 2000, err);
  CHECK(cj && cb && cn);
  if (!cj || !cb || !cn) {
    fprintf(stderr, "client: %s\n", err);
    kill(bpid, SIGTERM);
    return 1;
  }
  /* the responder subscribes asynchronously: allow it a moment */
  int st = MOTE_HI_T_TIMEOUT;
  for (int i = 0; i < 10 && st != MOTE_HI_T_OK; i++) {
    float out[8];
    size_t n;
    st = v2_mqtt_client_infer(cj, &d.in, out, 8, &n, 300);
  }
  CHECK(st == MOTE_HI_T_OK);
  step(&d, cj, "JSON over MQTT", MOTE_HI_FROM_REMOTE, MOTE_HI_T_OK);
  step(&d, cb, "binary over MQTT", MOTE_HI_FROM_REMOTE, MOTE_HI_T_OK);
  step(&d, cn, "unknown model", MOTE_HI_FROM_FALLBACK, MOTE_HI_T_ERROR);
  v2_mqtt_stop(ms); /* nobody answers any more */
  step(&d, cj, "responder gone", MOTE_HI_FROM_FALLBACK, MOTE_HI_T_TIMEOUT);
  kill(bpid, SIGTERM);
  waitpid(bpid, NULL, 0);
  usleep(100000);
  step(&d, cb, "broker died", MOTE_HI_FROM_FALLBACK, -1);
  const mote_hi_counters *k = mote_hi_get_counters(&d.h);
  CHECK(k->remote_ok == 2 && k->agree == 2 && k->remote_failed == 3);
  CHECK(k->failed_timeout >= 1 && k->failed_error >= 1);
  v2_mqtt_client_free(cj);
  v2_mqtt_client_free(cb);
  v2_mqtt_client_free(cn);
  v2_server_stop(srv);
  host_model_free(&d.local);
  if (fails) {
    fprintf(stderr, "%d checks failed\n", fails);
    return 1;
  }
  printf("hi mqtt: all checks passed\n");
  return 0;
}
