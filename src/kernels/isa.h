/*
** isa.h: which kernel instruction set an op uses, decided at prepare.
**
** mote_isa_cpu() asks the CPU (CPUID on x86-64; the ID registers on
** AArch64), and mote_isa_allowed() is the set of MOTE_ISA_* bits the op
** table's isa_mask allows, the build has compiled in (MOTE_HAVE_AVX2,
** MOTE_HAVE_AVX512, MOTE_HAVE_NEON, set by CMake per host) and the CPU
** runs. Ops try their variants from the highest allowed ISA down and store
** the one they chose in their op data (no global state).
*/
#ifndef MOTE_ISA_H
#define MOTE_ISA_H

#include <stdint.h>

#include "mote/mote_model.h"

/* MOTE_ISA_* bits of the CPU (MOTE_ISA_REF always; AVX2 needs AVX2, FMA
 * and OS support for the YMM state; AVX512 needs F, BW, VL, DQ and VNNI
 * and OS support for the ZMM state). Independent of what is compiled in. */
uint32_t mote_isa_cpu(void);

/* Every MOTE_ISA_* bit usable under `mask` (0: any); always has
 * MOTE_ISA_REF. */
uint32_t mote_isa_allowed(uint32_t mask);

/* The one highest MOTE_ISA_* value to use under `mask` (0: any). */
uint32_t mote_isa_select(uint32_t mask);

/* Kernel families chosen at compile time on microcontrollers (no
 * MOTE_ISA_* bit: one per firmware), for reports only. */
#define MOTE_KERN_MVE 0x40u
#define MOTE_KERN_DSP 0x80u

/* Name of one MOTE_ISA_* (or MOTE_KERN_*) value for reports ("avx512"); NULL
 * for MOTE_ISA_REF and unknown values (the reference kernel). */
const char *mote_isa_name(uint32_t isa);

#endif
