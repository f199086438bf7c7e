/* RISC-V virt port: picolibc's crt0-semihost (--crt0=semihost) does the
** startup and calls main; this file only paints the stack for a high-water
** mark. Text out and exit status: ports/common/semihost.c. */
#include <stdint.h>

#include "mote_port.h"

/* picolibc.ld: the stack ends at __stack and is __stack_size bytes (set
** with --defsym by riscv32-virt.cmake). */
extern uint32_t __stack[];
extern char __stack_size[];

#define STACK_PAINT 0x5AA5F00Du

static uint32_t *stack_bottom(void) {
  return (uint32_t *)((uintptr_t)__stack - (uintptr_t)__stack_size);
}

void mote_port_stack_paint(void) {
  uint32_t *sp;
  __asm__ volatile("mv %0, sp" : "=r"(sp));
  for (uint32_t *p = stack_bottom(); p < sp - 64;) *p++ = STACK_PAINT;
}

unsigned long mote_port_stack_used(void) {
  const uint32_t *p = stack_bottom();
  while (p < __stack && *p == STACK_PAINT) p++;
  return (unsigned long)((uintptr_t)__stack - (uintptr_t)p);
}

/* Runs before main (picolibc's __libc_init_array). */
__attribute__((constructor)) static void paint_at_start(void) {
  mote_port_stack_paint();
}
