#include "host_io.h"

#include "mote/mote_pool.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint8_t *host_read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  if (fseek(f, 0, SEEK_END) != 0) {
    fclose(f);
    return NULL;
  }
  long n = ftell(f);
  if (n < 0 || fseek(f, 0, SEEK_SET) != 0) {
    fclose(f);
    return NULL;
  }
  size_t alloc = ((size_t)n + 16u) & ~(size_t)15u;
  uint8_t *buf = aligned_alloc(16, alloc ? alloc : 16);
  if (!buf) {
    fclose(f);
    return NULL;
  }
  if (n > 0 && fread(buf, 1, (size_t)n, f) != (size_t)n) {
    free(buf);
    fclose(f);
    errno = EIO;
    return NULL;
  }
  fclose(f);
  *len = (size_t)n;
  return buf;
}

int host_write_file(const char *path, const void *data, size_t len) {
  FILE *f = fopen(path, "wb");
  if (!f) return -1;
  size_t w = len ? fwrite(data, 1, len, f) : 0;
  int rc = fclose(f);
  return (w == len && rc == 0) ? 0 : -1;
}

int host_isa_mask(uint32_t *mask) {
  /* Each name allows its ISA and the lower ones of the same family. */
  static const struct {
    const char *name;
    uint32_t mask;
  } names[] = {
      {"ref", MOTE_ISA_REF},
      {"avx2", MOTE_ISA_REF | MOTE_ISA_AVX2},
      {"avx512", MOTE_ISA_REF | MOTE_ISA_AVX2 | MOTE_ISA_AVX512},
      {"neon", MOTE_ISA_REF | MOTE_ISA_NEON},
      {"neondot", MOTE_ISA_REF | MOTE_ISA_NEON | MOTE_ISA_NEON_DOT},
  };
  const char *e = getenv("MOTE_ISA");
  *mask = MOTE_ISA_AUTO;
  if (!e || !*e || strcmp(e, "auto") == 0) return 0;
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    if (strcmp(e, names[i].name) != 0) continue;
    *mask = names[i].mask;
    /* The named (highest) ISA must be runnable here. */
    uint32_t hi = names[i].mask;
    while (hi & (hi - 1u)) hi &= hi - 1u; /* its highest bit */
    return (mote_isa_available() & hi) ? 0 : -1;
  }
  return -1;
}

/* The host tools' one worker pool (host_set_threads). */
static mote_pool *host_pool;

int host_set_threads(uint32_t threads) {
  if (threads == 0 || threads > 256) return -1;
  mote_pool_destroy(host_pool);
  host_pool = NULL;
  if (threads == 1) return 0;
  host_pool = mote_pool_create(threads);
  return host_pool ? 0 : -1;
}

/* MOTE_THREADS / MOTE_SPLIT_MACS (tests and scripts): a pool for every
 * model the host tools load, and its split threshold. */
static void host_threads_from_env(void) {
  static int done;
  if (done) return;
  done = 1;
  const char *e = getenv("MOTE_THREADS");
  long n = e ? strtol(e, NULL, 10) : 0;
  if (n > 1 && n <= 256 && !host_pool) host_set_threads((uint32_t)n);
}

static int host_fusion = 1;

void host_set_fusion(int on) {
  host_fusion = on != 0;
}

const mote_op_table *host_op_table(void) {
  /* Two tables, so a model loaded without the pool keeps running on the
   * calling thread after a pool is made for the next one (mote bench
   * compares both). */
  static mote_op_table plain, pooled;
  static mote_workers workers;
  host_threads_from_env();
  uint32_t mask = MOTE_ISA_AUTO;
  (void)host_isa_mask(&mask);
  mote_op_table *table = host_pool ? &pooled : &plain;
  *table = *mote_ops_all();
  table->isa_mask = mask;
  table->workers = mote_pool_workers(host_pool);
  const char *nf = getenv("MOTE_NO_FUSION");
  table->no_fusion = !host_fusion || (nf && *nf && strcmp(nf, "0") != 0);
  const char *split = getenv("MOTE_SPLIT_MACS");
  if (table->workers && split && *split) {
    workers = *table->workers;
    workers.min_macs = (uint32_t)strtoul(split, NULL, 10);
    table->workers = &workers;
  }
  return table;
}

mote_status host_model_from_bytes(host_model *hm, uint8_t *fb, size_t len,
                                  size_t extra) {
  uint32_t isa = MOTE_ISA_AUTO;
  if (host_isa_mask(&isa) != 0) {
    free(fb);
    hm->fb = NULL;
    hm->arena = NULL;
    hm->m.err.status = MOTE_E_ARG;
    hm->m.err.what =
        "MOTE_ISA one of auto, ref, avx2, avx512, neon, neondot (each only "
        "where this build and CPU run it)";
    hm->m.err.op_index = hm->m.err.tensor_index = -1;
    return MOTE_E_ARG;
  }
  const mote_op_table *ops = host_op_table();
  hm->fb = fb;
  hm->fb_len = len;
  hm->arena = NULL;
  hm->arena_len = 0;
  size_t need = 0;
  mote_status st = mote_arena_required(fb, len, ops, &need, &hm->m.err);
  if (st == MOTE_E_UNSUPPORTED && hm->m.err.what &&
      strstr(hm->m.err.what, "MOTE_MEASURE_MAX_BUFFERS")) {
    /* Too big to measure on the stack: ask init with a large arena. */
    need = 64u << 20;
    st = MOTE_OK;
  }
  if (st != MOTE_OK) {
    hm->m.err.status = st;
    return st;
  }
  hm->arena_len = need + extra;
  size_t alloc = (hm->arena_len + 16u) & ~(size_t)15u;
  hm->arena = aligned_alloc(16, alloc);
  if (!hm->arena) return MOTE_E_ARG;
  st = mote_model_init(&hm->m, fb, len, ops, hm->arena, hm->arena_len);
  if (st == MOTE_OK &&
      mote_model_arena_needed(&hm->m) + extra < hm->arena_len) {
    /* Measured in a generous arena: re-initialise with the exact size. */
    free(hm->arena);
    hm->arena_len = mote_model_arena_needed(&hm->m) + extra;
    hm->arena = aligned_alloc(16, (hm->arena_len + 16u) & ~(size_t)15u);
    if (!hm->arena) return MOTE_E_ARG;
    st = mote_model_init(&hm->m, fb, len, ops, hm->arena, hm->arena_len);
  }
  return st;
}

mote_status host_model_load(host_model *hm, const char *path, size_t extra) {
  memset(hm, 0, sizeof *hm);
  size_t len = 0;
  uint8_t *fb = host_read_file(path, &len);
  if (!fb) {
    hm->m.err.status = MOTE_E_ARG;
    hm->m.err.what = "a readable model file";
    hm->m.err.op_index = hm->m.err.tensor_index = -1;
    return MOTE_E_ARG;
  }
  return host_model_from_bytes(hm, fb, len, extra);
}

void host_model_free(host_model *hm) {
  free(hm->fb);
  free(hm->arena);
  hm->fb = NULL;
  hm->arena = NULL;
}

void host_fill_zero_inputs(host_model *hm) {
  for (uint32_t k = 0; k < mote_model_input_count(&hm->m); k++) {
    mote_tensor t;
    if (mote_model_input(&hm->m, k, &t) != MOTE_OK || !t.data) continue;
    int32_t z = t.nscale ? t.zero_point : 0;
    for (size_t i = 0; i < t.count; i++) {
      switch (t.type) {
        case MOTE_INT8:
          ((int8_t *)t.data)[i] = (int8_t)z;
          break;
        case MOTE_UINT8:
          ((uint8_t *)t.data)[i] = (uint8_t)z;
          break;
        case MOTE_INT16:
          ((int16_t *)t.data)[i] = (int16_t)z;
          break;
        case MOTE_INT32:
          ((int32_t *)t.data)[i] = z;
          break;
        default:
          memset(t.data, 0, t.bytes);
          i = t.count;
          break;
      }
    }
  }
}
