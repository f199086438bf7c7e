/* Board services for mote's firmware under QEMU: text out and exit status
** through semihosting (ports/common/semihost.c, for Arm BKPT 0xAB and the
** RISC-V slli/ebreak/srai sequence) and a stack high-water mark. */
#ifndef MOTE_PORT_H
#define MOTE_PORT_H

/* Writes the NUL-terminated string s to the host's stderr (SYS_WRITE0). */
void mote_port_write(const char *s);

/* Ends the emulation with exit status code (SYS_EXIT_EXTENDED); does not
** return. */
void mote_port_exit(int code) __attribute__((noreturn));

/* Stack high-water mark: mote_port_stack_paint() fills the unused stack
** below the caller's frame with a pattern; mote_port_stack_used() returns
** the bytes from the top of the stack down to the deepest overwritten word
** (the startup code paints once before main). Implemented per port. */
void mote_port_stack_paint(void);
unsigned long mote_port_stack_used(void);

#endif
