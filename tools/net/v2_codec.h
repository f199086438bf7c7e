/*
** v2_codec.h: the Open Inference Protocol v2 (KServe v2) request and
** response bodies for one mote model: parse a JSON inference request
** (with the binary tensor data extension), feed the model, run it and
** build the JSON or binary response; plus the metadata bodies. Pure
** functions of their arguments (the fuzz target drives v2_infer).
**
** Inputs: matched to model inputs by name, else by position. The request
** datatype must be the model's (its data is copied) or FP32 (quantized
** with the input's scale and zero point, like feed_input_f32). The shape
** must equal the model's. Data: "data" (flat or nested arrays of numbers)
** or binary (parameters.binary_data_size, little endian, after the JSON).
** Outputs: quantized outputs are returned dequantized as FP32; float32,
** int32 and other unquantized outputs in the model's type. All outputs
** unless "outputs" names some. Binary when the request parameter
** binary_data_output is true or an output's parameters.binary_data is.
*/
#ifndef MOTE_V2_CODEC_H
#define MOTE_V2_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "host_io.h"

/* A response body (malloc'd). json_len < len when binary data follows. */
typedef struct v2_reply {
  int status; /* HTTP status */
  char *body;
  size_t len;
  size_t json_len; /* Inference-Header-Content-Length when < len */
} v2_reply;

/* v2 datatype name of a mote type ("FP32", "INT8"), NULL if none. */
const char *v2_dtype_name(mote_dtype t);

/* mote type of a v2 datatype name; -1 if unknown. */
int v2_dtype_parse(const char *s);

/*
** Run one inference request on hm. body[0..len) is the request; json_len
** is the Inference-Header-Content-Length value (len when absent). Fills r
** with the status and body: 200 and the response, or 400 and
** {"error": "..."}. Returns r->status, or -1 when out of memory.
*/
int v2_infer(host_model *hm, const char *model_name, const char *body,
             size_t len, size_t json_len, v2_reply *r);

/* {"error": msg} with status into r. Returns status. */
int v2_error(v2_reply *r, int status, const char *msg);

/* Model metadata body ({"name", "versions", "platform", "inputs",
 * "outputs"}) into r with status 200. */
int v2_model_metadata(const host_model *hm, const char *name, v2_reply *r);

/* Free r's body. */
void v2_reply_free(v2_reply *r);

#endif
