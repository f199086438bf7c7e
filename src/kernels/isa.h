/*
** isa.h: which kernel instruction set an op uses, decided at prepare.
**
** mote_isa_cpu() asks the CPU (CPUID on x86-64; nothing elsewhere), and
** mote_isa_select() picks the best variant the op table's isa_mask allows,
** the build has compiled in (MOTE_HAVE_AVX2, set by CMake on x86-64 hosts)
** and the CPU runs. No global state: ops store the result in their op data.
*/
#ifndef MOTE_ISA_H
#define MOTE_ISA_H

#include <stdint.h>

#include "mote/mote_model.h"

/* MOTE_ISA_* bits of the CPU (MOTE_ISA_REF always; AVX2 needs AVX2, FMA
 * and OS support for the YMM state). Independent of what is compiled in. */
uint32_t mote_isa_cpu(void);

/* The one MOTE_ISA_* value to use under `mask` (0: any). */
uint32_t mote_isa_select(uint32_t mask);

#endif
