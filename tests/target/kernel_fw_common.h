/*
** kernel_fw_common.h: the pieces the kernel-vs-reference firmware tests
** (arm_dsp_fw.c, arm_mve_fw.c) share: a deterministic xorshift32, uniform
** integers and int8 fills, decimal output over semihosting, and the byte
** comparison that reports the first mismatch and exits 1. Define
** MOTE_FW_TAG ("dsp", "mve") and MOTE_FW_SEED before including it.
*/
#ifndef MOTE_KERNEL_FW_COMMON_H
#define MOTE_KERNEL_FW_COMMON_H

#include <stdint.h>

#include "mote_port.h"

static uint32_t rng = MOTE_FW_SEED;

/* xorshift32: deterministic on every board. */
static uint32_t next(void) {
  rng ^= rng << 13;
  rng ^= rng >> 17;
  rng ^= rng << 5;
  return rng;
}

/* Uniform in [lo, hi]. */
static int32_t rnd(int32_t lo, int32_t hi) {
  return lo + (int32_t)(next() % (uint32_t)(hi - lo + 1));
}

static void fill(int8_t *p, int32_t n) {
  for (int32_t i = 0; i < n; i++) p[i] = (int8_t)rnd(-128, 127);
}

static void put_num(long v) {
  char t[24];
  int n = 0;
  unsigned long u = v < 0 ? (unsigned long)(-(v + 1)) + 1u : (unsigned long)v;
  do {
    t[n++] = (char)('0' + (int)(u % 10u));
    u /= 10u;
  } while (u != 0u);
  char s[26];
  int k = 0;
  if (v < 0) s[k++] = '-';
  while (n > 0) s[k++] = t[--n];
  s[k] = '\0';
  mote_port_write(s);
}

static void fail(const char *op, int32_t cs, int32_t at, int32_t want,
                 int32_t got) {
  mote_port_write("arm_" MOTE_FW_TAG ": FAIL ");
  mote_port_write(op);
  mote_port_write(" case ");
  put_num(cs);
  mote_port_write(" byte ");
  put_num(at);
  mote_port_write(" ref ");
  put_num(want);
  mote_port_write(" " MOTE_FW_TAG " ");
  put_num(got);
  mote_port_write("\n");
  mote_port_exit(1);
}

/* Compare n bytes; the 16 guard bytes past n must be untouched. */
static void check_bytes(const char *op, int32_t cs, const int8_t *ref,
                        const int8_t *got, int32_t n) {
  for (int32_t i = 0; i < n + 16; i++)
    if (ref[i] != got[i]) fail(op, cs, i, ref[i], got[i]);
}

#endif
