/*
** v2_client.h: an Open Inference Protocol v2 HTTP client (libcurl) and
** the hierarchical inference transport built on it: sends one input
** tensor (JSON or with the binary tensor data extension) to
** BASE/v2/models/MODEL/infer and reads the first output back as floats,
** with a hard deadline (CURLOPT_TIMEOUT_MS / CURLOPT_CONNECTTIMEOUT_MS).
** One client per thread (a client keeps its connection alive).
*/
#ifndef MOTE_V2_CLIENT_H
#define MOTE_V2_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "mote/mote.h"

typedef struct v2_client {
  void *curl;       /* CURL easy handle */
  char url[512];    /* .../v2/models/MODEL/infer */
  int binary;       /* send and ask for binary tensor data */
  size_t max_reply; /* largest reply accepted (1 MiB) */
  /* statistics */
  uint64_t requests, bytes_sent, bytes_received;
  int last_http; /* HTTP status of the last reply (0: none) */
  char err[256]; /* why the last call failed */
} v2_client;

/* Set up a client for BASE (e.g. "http://127.0.0.1:8000") and MODEL.
 * binary: use the binary tensor data extension. Returns 0 or -1. */
int v2_client_init(v2_client *c, const char *base, const char *model,
                   int binary);

/* Free the client. */
void v2_client_free(v2_client *c);

/*
** Run `in` on the remote model. Writes the first output, converted to
** float (values as sent: FP32, or integer types as numbers), into
** out[0..cap) and its element count into *n. Returns a mote_hi_tstatus:
** MOTE_HI_T_OK, MOTE_HI_T_TIMEOUT (deadline passed), MOTE_HI_T_ERROR
** (connection, HTTP status other than 200), MOTE_HI_T_BAD_REPLY
** (malformed JSON, missing or oversized output). c->err says why.
*/
int v2_client_infer(v2_client *c, const mote_tensor *in, float *out, size_t cap,
                    size_t *n, uint32_t deadline_ms);

/*
** The v2 request body for one input tensor (malloc'd): JSON with "data",
** or (binary) JSON with binary_data_size and binary_data_output followed
** by the tensor bytes. *json_len: the JSON part's length.
*/
char *v2_build_request(const mote_tensor *in, int binary, size_t *len,
                       size_t *json_len);

/*
** Parse a v2 reply body p[0..len) (hdr_len: Inference-Header-Content-
** Length, -1 if absent): the first output as floats into out[0..cap).
** Returns a mote_hi_tstatus; err (256 bytes) says why on failure.
*/
int v2_parse_reply(const char *p, size_t len, long hdr_len, float *out,
                   size_t cap, size_t *n, char *err);

/* mote_hi_transport adapter: user is a v2_client. */
int v2_client_transport(void *user, const mote_tensor *in, float *out,
                        size_t cap, size_t *n, uint32_t deadline_ms);

#endif
