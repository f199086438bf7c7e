/* Semihosting for Arm M-profile and RISC-V: QEMU started with
** -semihosting-config enable=on,target=native serves these calls. */
#include <stdint.h>

#include "mote_port.h"

#define SYS_WRITE0 0x04
#define SYS_EXIT 0x18
#define SYS_EXIT_EXTENDED 0x20
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

static uintptr_t semihost_call(uintptr_t op, uintptr_t arg) {
#if defined(__arm__)
  register uintptr_t r0 __asm__("r0") = op;
  register uintptr_t r1 __asm__("r1") = arg;
  __asm__ volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
#elif defined(__riscv)
  register uintptr_t a0 __asm__("a0") = op;
  register uintptr_t a1 __asm__("a1") = arg;
  /* The three instructions must be uncompressed and in one page. */
  __asm__ volatile(
      ".option push\n"
      ".option norvc\n"
      ".balign 16\n"
      "slli zero, zero, 0x1f\n"
      "ebreak\n"
      "srai zero, zero, 0x7\n"
      ".option pop\n"
      : "+r"(a0)
      : "r"(a1)
      : "memory");
  return a0;
#else
#error "semihosting: unsupported architecture"
#endif
}

void mote_port_write(const char *s) {
  semihost_call(SYS_WRITE0, (uintptr_t)s);
}

void mote_port_exit(int code) {
  uintptr_t block[2];
  block[0] = ADP_STOPPED_APPLICATION_EXIT;
  block[1] = (uintptr_t)(unsigned)code;
  semihost_call(SYS_EXIT_EXTENDED, (uintptr_t)block);
  /* Without the extension: plain SYS_EXIT (status 0 only on success). */
  semihost_call(SYS_EXIT, code == 0 ? ADP_STOPPED_APPLICATION_EXIT : 0x20024);
  for (;;) {
  }
}
