/*
** v2_mqtt.h: Open Inference Protocol v2 requests over MQTT v5
** (libmosquitto), request/response style:
**   request:  topic  mote/v2/models/NAME/infer, payload = the v2 HTTP
**             request body (JSON, or JSON + binary tensor data), MQTT v5
**             properties Response Topic and Correlation Data, and for
**             binary bodies the user property
**             Inference-Header-Content-Length = JSON length;
**   response: published to the Response Topic with the same Correlation
**             Data, payload = the v2 HTTP response body, user properties
**             status (the HTTP status, e.g. "200" or "400") and, for
**             binary replies, Inference-Header-Content-Length.
** QoS 0 both ways: a lost message is a timeout on the device side.
** BROKER is HOST or HOST:PORT (port 1883 by default).
*/
#ifndef MOTE_V2_MQTT_H
#define MOTE_V2_MQTT_H

#include <stddef.h>
#include <stdint.h>

#include "mote/mote.h"
#include "v2_server.h"

/* The responder of `mote serve --mqtt BROKER`. */
typedef struct v2_mqtt_server v2_mqtt_server;

/* Connect to the broker and answer requests for the models of s (from
 * libmosquitto's network thread). Returns NULL after printing why. */
v2_mqtt_server *v2_mqtt_serve(v2_server *s, const char *broker);

/* Disconnect and free. */
void v2_mqtt_stop(v2_mqtt_server *m);

/* A device-side client; one request at a time. */
typedef struct v2_mqtt_client v2_mqtt_client;

/*
** Connect to BROKER, subscribe to a private reply topic and wait (at most
** connect_ms) until subscribed. binary: binary tensor data bodies.
** Returns NULL with a reason in err (256 bytes).
*/
v2_mqtt_client *v2_mqtt_client_new(const char *broker, const char *model,
                                   int binary, uint32_t connect_ms, char *err);

/* Free the client (disconnects). */
void v2_mqtt_client_free(v2_mqtt_client *c);

/* Like v2_client_infer over MQTT: MOTE_HI_T_OK, _TIMEOUT (no reply by the
 * deadline), _ERROR (not connected, status other than 200), _BAD_REPLY. */
int v2_mqtt_client_infer(v2_mqtt_client *c, const mote_tensor *in, float *out,
                         size_t cap, size_t *n, uint32_t deadline_ms);

/* Why the last call failed ("" after success). */
const char *v2_mqtt_client_error(const v2_mqtt_client *c);

/* mote_hi_transport adapter: user is a v2_mqtt_client. */
int v2_mqtt_transport(void *user, const mote_tensor *in, float *out, size_t cap,
                      size_t *n, uint32_t deadline_ms);

#endif
