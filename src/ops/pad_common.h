/*
** pad_common.h: PAD and PADV2 share one implementation (as in TFLM, where
** PAD also accepts the third constant_values input).
*/
#ifndef MOTE_PAD_COMMON_H
#define MOTE_PAD_COMMON_H

#include "../runtime/op_api.h"

mote_status mote_pad_prepare(mote_ctx *ctx, mote_node *node);
mote_status mote_pad_eval(mote_ctx *ctx, const mote_node *node);

#endif
