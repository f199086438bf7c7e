/* Cortex-M startup for mote's firmware under QEMU (mps2-an386, mps3-an547,
** mps2-an505): vector table, reset handler (FPU/MVE enable, .data copy,
** .bss zero, stack paint), fault handlers that report and exit. */
#include <stdint.h>

#include "mote_port.h"

/* Linker-script symbols (ports/cortex_m_qemu/sections.ld). */
extern uint32_t __data_load__[], __data_start__[], __data_end__[];
extern uint32_t __bss_start__[], __bss_end__[];
extern uint32_t __stack_limit__[], __stack_top__[];

int main(void);
void Reset_Handler(void);
void Fault_Handler(void);

#define SCB_CPACR (*(volatile uint32_t *)0xE000ED88u)
#define SCB_CFSR (*(volatile uint32_t *)0xE000ED28u)
#define SCB_HFSR (*(volatile uint32_t *)0xE000ED2Cu)
#define SCB_ICSR (*(volatile uint32_t *)0xE000ED04u)
#define STACK_PAINT 0x5AA5F00Du

static void put_hex(const char *label, uint32_t v) {
  char buf[24];
  int i = 0;
  while (*label != '\0') buf[i++] = *label++;
  for (int s = 28; s >= 0; s -= 4) {
    buf[i++] = "0123456789abcdef"[(v >> s) & 0xFu];
  }
  buf[i++] = '\n';
  buf[i] = '\0';
  mote_port_write(buf);
}

__attribute__((used)) void Fault_Handler(void) {
  mote_port_write("FAULT: exception taken\n");
  put_hex("ICSR 0x", SCB_ICSR);
  put_hex("HFSR 0x", SCB_HFSR);
  put_hex("CFSR 0x", SCB_CFSR);
  mote_port_exit(100);
}

__attribute__((noreturn)) void Reset_Handler(void) {
  /* CP10/CP11 full access: the FPU, and on Cortex-M55 also MVE. */
  SCB_CPACR |= (0xFu << 20);
  __asm__ volatile("dsb\n\tisb" ::: "memory");
  for (uint32_t *s = __data_load__, *d = __data_start__; d < __data_end__;) {
    *d++ = *s++;
  }
  for (uint32_t *d = __bss_start__; d < __bss_end__;) *d++ = 0;
  mote_port_stack_paint();
  mote_port_exit(main());
}

void mote_port_stack_paint(void) {
  uint32_t *sp;
  __asm__ volatile("mov %0, sp" : "=r"(sp));
  for (uint32_t *p = __stack_limit__; p < sp - 16;) *p++ = STACK_PAINT;
}

unsigned long mote_port_stack_used(void) {
  const uint32_t *p = __stack_limit__;
  while (p < __stack_top__ && *p == STACK_PAINT) p++;
  return (unsigned long)((uintptr_t)__stack_top__ - (uintptr_t)p);
}

typedef void (*vector_fn)(void);

/* Core exceptions only: the firmware enables no interrupts. */
__attribute__((section(".vectors"), used)) const vector_fn mote_vectors[16] = {
    (vector_fn)(uintptr_t)__stack_top__, /* initial MSP */
    Reset_Handler,
    Fault_Handler, /* NMI */
    Fault_Handler, /* HardFault */
    Fault_Handler, /* MemManage */
    Fault_Handler, /* BusFault */
    Fault_Handler, /* UsageFault */
    Fault_Handler, /* SecureFault (v8-M) */
    0,
    0,
    0,
    Fault_Handler, /* SVCall */
    Fault_Handler, /* DebugMon */
    0,
    Fault_Handler, /* PendSV */
    Fault_Handler, /* SysTick */
};
