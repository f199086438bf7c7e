/* PADV2: PAD with the pad value as input 2 (implementation in pad.c). */
#include "pad_common.h"

const mote_op_reg mote_op_PADV2 = {
    TFL_OP_PADV2, "PADV2", mote_pad_prepare, mote_pad_eval, 0, NULL, NULL};
