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
#include "hi_device.h"
#include "host_io.h"
#include "mote/mote.h"
#include "v2_mqtt.h"
#include "v2_server.h"

#define TIMEOUT_MS 300u
#define MARGIN_MS 300.0

/* A loopback port that was free a moment ago, or -1. */
static int free_port(void) {
  int port, fd = loopback_socket(0, &port);
  if (fd < 0) return -1;
  close(fd);
  return port;
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

static int step(device *d, v2_mqtt_client *c, const char *what, int want_source,
                int want_status) {
  mote_hi_result r;
  double t0 = now_ms();
  EXPECT(mote_hi_step(&d->h, &d->in, &d->out, v2_mqtt_transport, c, &r) ==
         MOTE_OK);
  double dt = now_ms() - t0;
  printf("%-20s -> source %d status %d (%s) label %u in %.1f ms\n", what,
         r.source, r.transport_status, v2_mqtt_client_error(c), r.label, dt);
  EXPECT(r.source == (mote_hi_source)want_source);
  if (want_status >= 0) EXPECT(r.transport_status == want_status);
  EXPECT(dt < TIMEOUT_MS + MARGIN_MS);
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
  EXPECT(f != NULL);
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
  EXPECT(up);
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
  EXPECT(srv != NULL);
  v2_mqtt_server *ms = srv ? v2_mqtt_serve(srv, broker) : NULL;
  EXPECT(ms != NULL);

  device d;
  device_setup(&d, argv[2], TIMEOUT_MS);

  char err[256];
  v2_mqtt_client *cj = v2_mqtt_client_new(broker, "demo", 0, 2000, err);
  v2_mqtt_client *cb = v2_mqtt_client_new(broker, "demo", 1, 2000, err);
  v2_mqtt_client *cn = v2_mqtt_client_new(broker, "nope", 0, 2000, err);
  EXPECT(cj && cb && cn);
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
  EXPECT(st == MOTE_HI_T_OK);
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
  EXPECT(k->remote_ok == 2 && k->agree == 2 && k->remote_failed == 3);
  EXPECT(k->failed_timeout >= 1 && k->failed_error >= 1);
  v2_mqtt_client_free(cj);
  v2_mqtt_client_free(cb);
  v2_mqtt_client_free(cn);
  v2_server_stop(srv);
  host_model_free(&d.local);
  return check_all_passed("hi mqtt");
}
