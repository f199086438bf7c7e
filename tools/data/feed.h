/*
** feed.h: moving float data in and out of a model's tensor views for the
** host tools (eval, quantize calibration, train checks): quantize floats
** into an input of any supported type and dequantize any output.
*/
#ifndef MOTE_FEED_H
#define MOTE_FEED_H

#include <stddef.h>

#include "mote/mote.h"

/* Number of elements of t: t->count, or the product of its dims when the
 * view was built by hand without count. */
size_t tensor_elems(const mote_tensor *t);

/*
** Write n floats into the input view t. float32 is copied; int8, uint8 and
** int16 get round_half_away(x / scale) + zero_point (float division, as
** TFLite's QUANTIZE), saturated to the type's range (NaN gives the zero
** point; a tensor without a scale uses scale 1). Returns 0, or -1 if n is
** not the element count, t->data is NULL or the type is not one of those.
*/
int feed_input_f32(mote_tensor *t, const float *x, size_t n);

/*
** Read the n elements of view t as floats into y: (q - zero_point) * scale
** for quantized integer types (plain value when the tensor has no scale),
** float32 copied; int8, uint8, int16, int32, int64, bool and float32 are
** read. Returns 0, or -1 if n is not the element count, t->data is NULL or
** the type is not supported.
*/
int read_output_f32(const mote_tensor *t, float *y, size_t n);

/*
** Element i of view t as stored, into *v: an integer type widened to double
** (still quantized), a bool as 0 or 1, a float32 as is. Returns 0 for an
** integer type (dequantize it with the tensor's scale), 1 for a value to
** use as is (float32, bool), -1 for an unsupported type.
*/
int tensor_raw_value(const mote_tensor *t, size_t i, double *v);

#endif
