/*
** mote.h: umbrella header of the mote runtime.
*/
#ifndef MOTE_H
#define MOTE_H

#include "mote_config.h"
#include "mote_hi.h"
#include "mote_model.h"
#include "mote_ops.h"
#include "mote_status.h"
#include "mote_tensor.h"

#define MOTE_VERSION_STRING "0.1.0"

#endif
