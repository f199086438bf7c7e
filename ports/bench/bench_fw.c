/* Measurement firmware (bench/mcu.sh): initialises one model with an op
** table of only its ops, invokes it twice on one conformance case (the
** second invoke is the measured one), checks the output bit-exact and
** prints
**   bench BOARD MODEL: ok=1 insns=N ticks=T cal=C/K arena_used=A
**         arena_required=R stack=S
** Instruction counts: on Cortex-M, SysTick on the processor clock under
** `qemu -icount shift=0` (one instruction per virtual ns, so a tick is a
** fixed number of instructions); the firmware calibrates that number on a
** loop of known length (K instructions took C ticks) and scales. On RISC-V,
** minstret (QEMU returns the exact instruction count under -icount). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bench_fw.h"
#include "mote/mote.h"
#include "mote_port.h"

#ifndef MOTE_BENCH_ARENA
#define MOTE_BENCH_ARENA 131072
#endif
#ifndef MOTE_BENCH_BOARD
#define MOTE_BENCH_BOARD "unknown"
#endif

static uint8_t arena[MOTE_BENCH_ARENA] __attribute__((aligned(16)));
static mote_model model;

/* mote_model_init falls back to mote_ops_all() for a NULL table; model.c
** references it, which would link every op. Defining it here keeps
** src/ops/ops_all.c (and the ops only it names) out of the link. */
const mote_op_table *mote_ops_all(void) {
  return &bench_ops;
}

/* ---- instruction counter ---- */
#if defined(__arm__)
#define SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018u)
#define SCB_VTOR (*(volatile uint32_t *)0xE000ED08u)
#define SYST_RELOAD 0xFFFFFFu

typedef void (*vector_fn)(void);
extern const vector_fn mote_vectors[16];
static vector_fn ram_vectors[16] __attribute__((aligned(128)));
static volatile uint32_t systick_wraps;

static void systick_handler(void) {
  systick_wraps++;
}

static void counter_start(void) {
  for (int i = 0; i < 16; i++) ram_vectors[i] = mote_vectors[i];
  ram_vectors[15] = systick_handler;
  SCB_VTOR = (uint32_t)(uintptr_t)ram_vectors;
  __asm__ volatile("dsb\n\tisb" ::: "memory");
  SYST_RVR = SYST_RELOAD;
  SYST_CVR = 0;
  SYST_CSR = 7u; /* processor clock, interrupt on wrap, enable */
  while (SYST_CVR == 0u) {
    /* CVR reads 0 until the first tick loads RVR */
  }
}

/* Ticks since counter_start (monotonic). */
static uint64_t counter_read(void) {
  uint32_t w, v;
  do {
    w = systick_wraps;
    v = SYST_CVR;
  } while (w != systick_wraps);
  return (uint64_t)w * (SYST_RELOAD + 1u) + (SYST_RELOAD - v);
}

/* n iterations of a 2-instruction loop. */
static void known_loop(uint32_t n) {
  __asm__ volatile("1: subs %0, %0, #1\n\tbne 1b" : "+r"(n) : : "cc");
}
#elif defined(__riscv)
static void counter_start(void) {}
/* csrr rd, minstreth (0xB82) / minstret (0xB02) as .insn (the 12-bit
** immediate is signed): -march=rv32imac has no zicsr. */
static uint64_t counter_read(void) {
  uint32_t hi, lo, hi2;
  do {
    __asm__ volatile(".insn i 0x73, 2, %0, x0, -1150" : "=r"(hi));
    __asm__ volatile(".insn i 0x73, 2, %0, x0, -1278" : "=r"(lo));
    __asm__ volatile(".insn i 0x73, 2, %0, x0, -1150" : "=r"(hi2));
  } while (hi != hi2);
  return ((uint64_t)hi << 32) | lo;
}
static void known_loop(uint32_t n) {
  __asm__ volatile("1: addi %0, %0, -1\n\tbnez %0, 1b" : "+r"(n));
}
#else
#error "bench_fw: unsupported architecture"
#endif

/* Called right after the measured invoke returns: bench/mcu.sh --exact
** counts the instructions from mote_model_invoke's entry to here with a
** QEMU plugin (ports/bench/insn_plugin.c). */
__attribute__((noinline)) void bench_invoke_done(void);
__attribute__((noinline)) void bench_invoke_done(void) {
  __asm__ volatile("" ::: "memory");
}

/* ---- output ---- */
typedef struct {
  char buf[240];
  size_t len;
} line;

static void put_str(line *l, const char *s) {
  while (*s != '\0' && l->len + 1 < sizeof l->buf) l->buf[l->len++] = *s++;
  l->buf[l->len] = '\0';
}

static void put_u(line *l, uint64_t v) {
  char tmp[24];
  size_t n = 0;
  do {
    tmp[n++] = (char)('0' + (int)(v % 10u));
    v /= 10u;
  } while (v != 0u);
  while (n > 0 && l->len + 1 < sizeof l->buf) l->buf[l->len++] = tmp[--n];
  l->buf[l->len] = '\0';
}

static void put_kv(line *l, const char *k, uint64_t v) {
  put_str(l, " ");
  put_str(l, k);
  put_str(l, "=");
  put_u(l, v);
}

static size_t blob_len(const bench_blob *b) {
  return (size_t)(b->end - b->begin);
}

static int fail(line *l, const char *what) {
  char msg[160];
  mote_error_format(&model.err, msg, sizeof msg);
  put_str(l, " FAIL ");
  put_str(l, what);
  put_str(l, ": ");
  put_str(l, msg);
  put_str(l, "\n");
  mote_port_write(l->buf);
  return 1;
}

static int set_inputs(void) {
  if (mote_model_input_count(&model) != bench_in_count) return 0;
  for (uint32_t k = 0; k < bench_in_count; k++) {
    mote_tensor in;
    mote_model_input(&model, k, &in);
    if (in.bytes != blob_len(&bench_in[k])) return 0;
    memcpy(in.data, bench_in[k].begin, in.bytes);
  }
  return 1;
}

static int outputs_match(void) {
  if (mote_model_output_count(&model) != bench_out_count) return 0;
  for (uint32_t k = 0; k < bench_out_count; k++) {
    mote_tensor out;
    mote_model_output(&model, k, &out);
    if (out.bytes != blob_len(&bench_out[k]) ||
        memcmp(out.data, bench_out[k].begin, out.bytes) != 0) {
      return 0;
    }
  }
  return 1;
}

int main(void) {
  line l = {{0}, 0};
  put_str(&l, "bench " MOTE_BENCH_BOARD " ");
  put_str(&l, bench_model_name);
  put_str(&l, ":");

  counter_start();
  const uint32_t cal_iter = 1000000u;
  const uint64_t c0 = counter_read();
  known_loop(cal_iter);
  const uint64_t c1 = counter_read();

  size_t need = 0;
  mote_status st =
      mote_arena_required(bench_model_blob.begin, blob_len(&bench_model_blob),
                          &bench_ops, &need, NULL);
  if (st != MOTE_OK) return fail(&l, "mote_arena_required");

  /* Stack high-water of init + both invokes (repainted here). */
  mote_port_stack_paint();
  st = mote_model_init(&model, bench_model_blob.begin,
                       blob_len(&bench_model_blob), &bench_ops, arena,
                       sizeof arena);
  if (st != MOTE_OK) return fail(&l, "init");
  if (!set_inputs()) return fail(&l, "input shape");
  if (mote_model_invoke(&model) != MOTE_OK) return fail(&l, "invoke");
  const int ok1 = outputs_match();
  if (!set_inputs()) return fail(&l, "input shape");
  const uint64_t t0 = counter_read();
  st = mote_model_invoke(&model);
  bench_invoke_done();
  const uint64_t t1 = counter_read();
  if (st != MOTE_OK) return fail(&l, "invoke");
  const unsigned long stack = mote_port_stack_used();
  const int ok = ok1 && outputs_match();

  const uint64_t cal = c1 - c0, ticks = t1 - t0;
  const uint64_t cal_insns = 2u * (uint64_t)cal_iter;
#if defined(__riscv)
  const uint64_t insns = ticks; /* minstret counts instructions */
#else
  /* insns = ticks * cal_insns / cal, rounded. */
  const uint64_t insns = cal ? (ticks * cal_insns + cal / 2u) / cal : 0u;
#endif
  put_kv(&l, "ok", (uint64_t)ok);
  put_kv(&l, "insns", insns);
  put_kv(&l, "ticks", ticks);
  put_str(&l, " cal=");
  put_u(&l, cal);
  put_str(&l, "/");
  put_u(&l, cal_insns);
  put_kv(&l, "arena_used", mote_model_arena_used(&model));
  put_kv(&l, "arena_required", need);
  put_kv(&l, "arena_static", sizeof arena);
  put_kv(&l, "stack", stack);
  put_kv(&l, "model_bytes", blob_len(&bench_model_blob));
  put_str(&l, "\n");
  mote_port_write(l.buf);
  return ok ? 0 : 1;
}
