/*
** cmd_serve.c: `mote serve MODEL[:NAME]... [--port P] [--host H]
** [--threads N] [--max-body BYTES]`: serve models over the Open Inference
** Protocol v2 (HTTP/REST) until SIGTERM or SIGINT.
*/
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "v2_mqtt.h"
#include "v2_server.h"

static void serve_usage(FILE *f) {
  fprintf(f,
          "usage: mote serve MODEL[:NAME]... [--port P] [--host ADDR]\n"
          "                  [--threads N] [--max-body BYTES] [--mqtt BROKER]\n"
          "  Open Inference Protocol v2 (KServe v2) over HTTP:\n"
          "  GET /v2, /v2/health/live, /v2/health/ready,\n"
          "      /v2/models/NAME, /v2/models/NAME/ready\n"
          "  POST /v2/models/NAME/infer (JSON or binary tensor data)\n"
          "  --port P        TCP port (default 8000; 0: any free port)\n"
          "  --host ADDR     IPv4 address to bind (default 127.0.0.1)\n"
          "  --threads N     worker threads = instances per model (2)\n"
          "  --max-body B    largest request body in bytes (8388608)\n"
          "  --mqtt BROKER   also answer MQTT v5 requests (HOST[:PORT]) on\n"
          "                  mote/v2/models/NAME/infer (Response Topic and\n"
          "                  Correlation Data; payload = the v2 body)\n"
          "  Prints 'listening on http://ADDR:PORT' on stdout when ready;\n"
          "  SIGTERM/SIGINT finish requests in flight and exit 0.\n");
}

/* Parse a positive integer option value; -1 if bad. */
static long long serve_num(const char *s, long long lo, long long hi) {
  char *end;
  errno = 0;
  long long v = strtoll(s, &end, 10);
  if (errno || end == s || *end || v < lo || v > hi) return -1;
  return v;
}

int cmd_serve(int argc, char **argv) {
  v2_server_opts o;
  const char **specs = calloc((size_t)argc + 1, sizeof *specs);
  int n = 0;
  const char *mqtt = NULL;
  memset(&o, 0, sizeof o);
  o.port = 8000;
  if (!specs) return EXIT_RUNTIME;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    long long v;
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      serve_usage(stdout);
      free(specs);
      return 0;
    }
    if (a[0] == '-' && a[1] == '-' && i + 1 >= argc) {
      fprintf(stderr, "mote: serve: %s needs a value\n", a);
      free(specs);
      return EXIT_USAGE;
    }
    if (strcmp(a, "--port") == 0) {
      if ((v = serve_num(argv[++i], 0, 65535)) < 0) goto bad;
      o.port = v == 0 ? -1 : (int)v;
    } else if (strcmp(a, "--mqtt") == 0) {
      mqtt = argv[++i];
    } else if (strcmp(a, "--host") == 0) {
      o.host = argv[++i];
    } else if (strcmp(a, "--threads") == 0) {
      if ((v = serve_num(argv[++i], 1, 256)) < 0) goto bad;
      o.threads = (unsigned)v;
    } else if (strcmp(a, "--max-body") == 0) {
      if ((v = serve_num(argv[++i], 64, 1LL << 32)) < 0) goto bad;
      o.max_body = (size_t)v;
    } else if (a[0] == '-') {
      fprintf(stderr, "mote: serve: unknown option %s\n", a);
      serve_usage(stderr);
      free(specs);
      return EXIT_USAGE;
    } else {
      specs[n++] = a;
    }
    continue;
  bad:
    fprintf(stderr, "mote: serve: %s %s: bad value\n", a, argv[i]);
    free(specs);
    return EXIT_USAGE;
  }
  if (n == 0) {
    fprintf(stderr, "mote: serve: no model given\n");
    serve_usage(stderr);
    free(specs);
    return EXIT_USAGE;
  }
  /* block the signals in every thread; this one waits for them */
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  signal(SIGPIPE, SIG_IGN);
  v2_server *s = v2_server_start(specs, n, &o);
  free(specs);
  if (!s) return EXIT_RUNTIME;
  v2_mqtt_server *mq = NULL;
  if (mqtt && !(mq = v2_mqtt_serve(s, mqtt))) {
    v2_server_stop(s);
    return EXIT_RUNTIME;
  }
  printf("listening on http://%s:%d\n", o.host ? o.host : "127.0.0.1",
         v2_server_port(s));
  fflush(stdout);
  int sig = 0;
  sigwait(&set, &sig);
  fprintf(stderr, "mote: serve: %s, shutting down\n",
          sig == SIGTERM ? "SIGTERM" : "SIGINT");
  v2_mqtt_stop(mq);
  v2_server_stop(s);
  return 0;
}
