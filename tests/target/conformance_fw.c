/* On-target conformance firmware: runs every embedded case of one model
** (target_cases.h) through mote_model_init/invoke and compares each output
** bit-exact with TFLM's golden bytes. Prints one line per case on the
** semihosting console; returns 0 only if every case matches. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "mote/mote.h"
#include "mote_port.h"
#include "target_cases.h"

#ifndef MOTE_TARGET_ARENA
#define MOTE_TARGET_ARENA 98304
#endif
#ifndef MOTE_TARGET_BOARD
#define MOTE_TARGET_BOARD "unknown"
#endif
/* Harness self-tests (ctest target.<board>.selftest_*, expected to fail):
** FLIP corrupts output byte 0 before the comparison, FAULT traps. */
#ifndef MOTE_TARGET_SELFTEST_FLIP
#define MOTE_TARGET_SELFTEST_FLIP 0
#endif

static uint8_t arena[MOTE_TARGET_ARENA] __attribute__((aligned(16)));
static mote_model model;

/* A tiny line builder: no printf on the target. */
typedef struct {
  char buf[200];
  size_t len;
} line;

static void put_str(line *l, const char *s) {
  while (*s != '\0' && l->len + 1 < sizeof l->buf) l->buf[l->len++] = *s++;
  l->buf[l->len] = '\0';
}

static void put_u(line *l, unsigned long v) {
  char tmp[24];
  size_t n = 0;
  do {
    tmp[n++] = (char)('0' + (int)(v % 10u));
    v /= 10u;
  } while (v != 0u);
  while (n > 0 && l->len + 1 < sizeof l->buf) l->buf[l->len++] = tmp[--n];
  l->buf[l->len] = '\0';
}

static void put_i(line *l, long v) {
  if (v < 0) {
    put_str(l, "-");
    put_u(l, (unsigned long)(-(v + 1)) + 1u);
  } else {
    put_u(l, (unsigned long)v);
  }
}

static void emit(line *l) {
  put_str(l, "\n");
  mote_port_write(l->buf);
}

static size_t blob_len(const mote_target_blob *b) {
  return (size_t)(b->end - b->begin);
}

/* Runs one case; returns 1 if every output matches bit-exact. */
static int run_case(const mote_target_model *t, const mote_target_case *c,
                    size_t need) {
  line l = {{0}, 0};
  put_str(&l, "target ");
  put_str(&l, MOTE_TARGET_BOARD);
  put_str(&l, " ");
  put_str(&l, t->name);
  put_str(&l, " ");
  put_str(&l, c->name);
  put_str(&l, ": ");

  memset(&model, 0, sizeof model);
  mote_port_stack_paint();
  mote_status st = mote_model_init(&model, t->model.begin, blob_len(&t->model),
                                   NULL, arena, sizeof arena);
  if (st != MOTE_OK) {
    char msg[160];
    mote_error_format(&model.err, msg, sizeof msg);
    put_str(&l, "FAIL init: ");
    put_str(&l, msg);
    emit(&l);
    return 0;
  }
  if (mote_model_input_count(&model) != c->input_count ||
      mote_model_output_count(&model) != c->output_count) {
    put_str(&l, "FAIL model has ");
    put_u(&l, mote_model_input_count(&model));
    put_str(&l, " inputs / ");
    put_u(&l, mote_model_output_count(&model));
    put_str(&l, " outputs, case has ");
    put_u(&l, c->input_count);
    put_str(&l, " / ");
    put_u(&l, c->output_count);
    emit(&l);
    return 0;
  }
  for (uint32_t k = 0; k < c->input_count; k++) {
    mote_tensor in;
    mote_model_input(&model, k, &in);
    if (in.bytes != blob_len(&c->inputs[k])) {
      put_str(&l, "FAIL input ");
      put_u(&l, k);
      put_str(&l, " needs ");
      put_u(&l, (unsigned long)in.bytes);
      put_str(&l, " bytes, vector has ");
      put_u(&l, (unsigned long)blob_len(&c->inputs[k]));
      emit(&l);
      return 0;
    }
    memcpy(in.data, c->inputs[k].begin, in.bytes);
  }
  st = mote_model_invoke(&model);
  if (st != MOTE_OK) {
    char msg[160];
    mote_error_format(&model.err, msg, sizeof msg);
    put_str(&l, "FAIL invoke: ");
    put_str(&l, msg);
    emit(&l);
    return 0;
  }
  int ok = 1;
  for (uint32_t k = 0; k < c->output_count && ok; k++) {
    mote_tensor out;
    mote_model_output(&model, k, &out);
    const uint8_t *want = c->outputs[k].begin;
    const uint8_t *got = (const uint8_t *)out.data;
    if (out.bytes != blob_len(&c->outputs[k])) {
      put_str(&l, "FAIL output ");
      put_u(&l, k);
      put_str(&l, " has ");
      put_u(&l, (unsigned long)out.bytes);
      put_str(&l, " bytes, golden ");
      put_u(&l, (unsigned long)blob_len(&c->outputs[k]));
      ok = 0;
      break;
    }
    size_t bad = 0, first = 0;
    uint8_t got_first = 0;
    for (size_t i = 0; i < out.bytes; i++) {
      const uint8_t flip = (i == 0 && MOTE_TARGET_SELFTEST_FLIP) ? 1u : 0u;
      const uint8_t g = (uint8_t)(got[i] ^ flip);
      if (g != want[i]) {
        if (bad == 0) {
          first = i;
          got_first = g;
        }
        bad++;
      }
    }
    if (bad != 0) {
      put_str(&l, "FAIL output ");
      put_u(&l, k);
      put_str(&l, ": ");
      put_u(&l, (unsigned long)bad);
      put_str(&l, " of ");
      put_u(&l, (unsigned long)out.bytes);
      put_str(&l, " bytes differ, first at byte ");
      put_u(&l, (unsigned long)first);
      put_str(&l, " (got ");
      put_i(&l, (long)(int8_t)got_first);
      put_str(&l, ", want ");
      put_i(&l, (long)(int8_t)want[first]);
      put_str(&l, " as int8)");
      ok = 0;
    }
  }
  if (ok) {
    put_str(&l, "PASS bit-exact (");
    for (uint32_t k = 0; k < c->output_count; k++) {
      put_u(&l, (unsigned long)blob_len(&c->outputs[k]));
      put_str(&l, k + 1 < c->output_count ? "+" : "");
    }
    put_str(&l, " output bytes; arena required ");
    put_u(&l, (unsigned long)need);
    put_str(&l, ", used ");
    put_u(&l, (unsigned long)mote_model_arena_used(&model));
    put_str(&l, " of ");
    put_u(&l, (unsigned long)sizeof arena);
    put_str(&l, "; stack high-water in init+invoke ");
    put_u(&l, mote_port_stack_used());
    put_str(&l, " B)");
  }
  emit(&l);
  return ok;
}

int main(void) {
#if defined(MOTE_TARGET_SELFTEST_FAULT)
  __builtin_trap();
#endif
  const mote_target_model *t = &mote_target;
  line l = {{0}, 0};
  size_t need = 0;
  mote_port_stack_paint();
  mote_status st = mote_arena_required(t->model.begin, blob_len(&t->model),
                                       NULL, &need, NULL);
  const unsigned long required_stack = mote_port_stack_used();
  if (st != MOTE_OK || need > sizeof arena) {
    put_str(&l, "target ");
    put_str(&l, MOTE_TARGET_BOARD);
    put_str(&l, " ");
    put_str(&l, t->name);
    if (st != MOTE_OK) {
      put_str(&l, ": FAIL mote_arena_required status ");
      put_i(&l, (long)st);
    } else {
      put_str(&l, ": FAIL arena needs ");
      put_u(&l, (unsigned long)need);
      put_str(&l, " bytes, firmware has ");
      put_u(&l, (unsigned long)sizeof arena);
      put_str(&l, " (raise MOTE_TARGET_ARENA)");
    }
    emit(&l);
    return 1;
  }
  uint32_t passed = 0;
  for (uint32_t i = 0; i < t->case_count; i++) {
    passed += (uint32_t)run_case(t, &t->cases[i], need);
  }
  l.len = 0;
  put_str(&l, "target ");
  put_str(&l, MOTE_TARGET_BOARD);
  put_str(&l, " ");
  put_str(&l, t->name);
  put_str(&l, ": ");
  put_u(&l, passed);
  put_str(&l, "/");
  put_u(&l, t->case_count);
  put_str(&l, " cases bit-exact; model ");
  put_u(&l, (unsigned long)blob_len(&t->model));
  put_str(&l, " B, sizeof(mote_model) ");
  put_u(&l, (unsigned long)sizeof model);
  put_str(&l, " B, stack high-water in mote_arena_required ");
  put_u(&l, required_stack);
  put_str(&l, " B");
  emit(&l);
  return passed == t->case_count ? 0 : 1;
}
