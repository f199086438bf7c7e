/*
** hi_device.h: the device side shared by the hierarchical inference
** network tests (test_hi_net.c, test_hi_mqtt.c): a clock in milliseconds,
** loopback sockets on a free port and the demo model set up to offload
** every sample.
*/
#ifndef MOTE_TESTS_HI_DEVICE_H
#define MOTE_TESTS_HI_DEVICE_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "common/check.h"
#include "data/feed.h"
#include "host_io.h"
#include "mote/mote.h"

/* Monotonic clock, in milliseconds. */
static inline double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* A TCP socket bound to a free loopback port (its number into *port),
 * listening if `listening`. Returns the descriptor, or -1. */
static inline int loopback_socket(int listening, int *port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in sa;
  socklen_t sl = sizeof sa;
  memset(&sa, 0, sizeof sa);
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
      (listening && listen(fd, 16) != 0) ||
      getsockname(fd, (struct sockaddr *)&sa, &sl) != 0) {
    if (fd >= 0) close(fd);
    return -1;
  }
  *port = ntohs(sa.sin_port);
  return fd;
}

/* The device: its local model, the I/O views and the decision state. */
typedef struct device {
  host_model local;
  mote_tensor in, out;
  mote_hi h;
  float scratch[16];
} device;

/*
** Load the demo model at `model` into d, feed it a diagonal line (class 2
** of the demo model), run it locally once and set up hierarchical
** inference that offloads everything with deadline timeout_ms.
*/
static inline void device_setup(device *d, const char *model,
                                uint32_t timeout_ms) {
  memset(d, 0, sizeof *d);
  EXPECT(host_model_load(&d->local, model, 0) == MOTE_OK);
  mote_model_input(&d->local.m, 0, &d->in);
  mote_model_output(&d->local.m, 0, &d->out);
  float img[64];
  for (int i = 0; i < 64; i++) img[i] = (i % 9 == 0) ? 1.0f : 0.0f;
  EXPECT(feed_input_f32(&d->in, img, 64) == 0);
  /* the arena may reuse the input's memory during invoke: keep a copy of
   * the input for the offload (as an application must) */
  static int8_t kept[64];
  memcpy(kept, d->in.data, 64);
  EXPECT(mote_model_invoke(&d->local.m) == MOTE_OK);
  d->in.data = kept;
  mote_hi_config cfg = mote_hi_config_default();
  cfg.threshold = 1.1f; /* offload everything */
  cfg.timeout_ms = timeout_ms;
  EXPECT(mote_hi_init(&d->h, &cfg, d->scratch, 16) == MOTE_OK);
}

#endif
