/*
** v2_server.h: `mote serve`: an Open Inference Protocol v2 HTTP server
** (libmicrohttpd) for one or more mote models.
**
** Concurrency: libmicrohttpd runs a pool of `threads` worker threads;
** every model has `threads` instances (each its own copy of the model and
** its own arena) in a pool guarded by a mutex and a condition variable, so
** up to `threads` requests run at once on one model and none share an
** arena. Bodies above max_body get 413; bodies are buffered per request.
*/
#ifndef MOTE_V2_SERVER_H
#define MOTE_V2_SERVER_H

#include <stddef.h>

#include "v2_codec.h"

typedef struct v2_server v2_server;

/* Server options; zero fields take the defaults in brackets. */
typedef struct v2_server_opts {
  const char *host; /* [127.0.0.1] IPv4 address to bind */
  int port;         /* [8000]; -1: any free port */
  unsigned threads; /* [2] worker threads and instances per model */
  size_t max_body;  /* [8 MiB] request body limit in bytes */
} v2_server_opts;

/*
** Load the models (each spec is PATH or PATH:NAME; the name defaults to
** the file name without directory and extension) and start serving in
** background threads. Returns NULL after printing "mote: ...: why" to
** stderr.
*/
v2_server *v2_server_start(const char *const *specs, int nspecs,
                           const v2_server_opts *o);

/*
** Run one inference request body on model `model` (model_len bytes, not
** NUL-terminated) as POST .../infer would; used by the MQTT responder.
** Fills r (404 for an unknown model). Returns r->status or -1.
*/
int v2_server_infer(v2_server *s, const char *model, size_t model_len,
                    const char *body, size_t len, size_t json_len, v2_reply *r);

/* The TCP port the server listens on. */
int v2_server_port(const v2_server *s);

/* Stop: finish the requests in flight, close, free everything. */
void v2_server_stop(v2_server *s);

#endif
