/*
** test_threads.c: results are bit-identical for every worker count.
**
** Every model in MODELS_DIR (argv[1], searched recursively one level: the
** folders of ../shared/models) runs on seeded random inputs with no
** workers, then with workers that split every convolution (min_macs 1):
** a fake runner that executes the tasks in reverse order on the calling
** thread, and real mote_pool pools of 2, 3 and 5 threads; plus a pool with
** the default split threshold. Every output must match the single-thread
** run byte for byte (float models included: each output element is
** computed the same way, only by another thread).
*/
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_io.h"
#include "mote/mote.h"
#include "mote/mote_pool.h"

static void reverse_run(void *pool, mote_task_fn task, void *arg, uint32_t n) {
  (void)pool;
  for (uint32_t i = n; i-- > 0;) task(arg, i);
}

/* Seeded random inputs (floats in [-0.5, 0.5)). */
static void fill_inputs(const mote_model *m, uint64_t seed) {
  uint64_t s = 0x7468726561647321ull + seed;
  for (uint32_t k = 0; k < mote_model_input_count(m); k++) {
    mote_tensor t;
    mote_model_input(m, k, &t);
    uint8_t *d = (uint8_t *)t.data;
    if (t.type == MOTE_FLOAT32) {
      for (size_t i = 0; i < t.count; i++) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        ((float *)t.data)[i] = (float)((double)(s >> 40) / 16777216.0 - 0.5);
      }
    } else {
      for (size_t i = 0; i < t.bytes; i++) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        d[i] = (uint8_t)(s >> 56);
      }
    }
  }
}

/* Run the model twice with `w`; both invokes' outputs concatenated into
 * *out (malloc'd). Returns 0, 1 to skip the model, or -1 after printing
 * why. */
static int run_model(const char *path, const uint8_t *fb, size_t len,
                     const mote_workers *w, uint8_t **out, size_t *out_len) {
  mote_op_table table = *mote_ops_all();
  table.workers = w;
  size_t need = 0;
  mote_error err;
  if (mote_arena_required(fb, len, &table, &need, &err) != MOTE_OK) {
    *out = NULL; /* unsupported or too big for the stack planner: skip */
    return 1;
  }
  uint8_t *arena = aligned_alloc(64, (need + 63) & ~(size_t)63);
  mote_model m;
  if (!arena || mote_model_init(&m, fb, len, &table, arena, need) != MOTE_OK) {
    fprintf(stderr, "%s: init failed\n", path);
    free(arena);
    return -1;
  }
  size_t total = 0;
  for (uint32_t k = 0; k < mote_model_output_count(&m); k++) {
    mote_tensor t;
    mote_model_output(&m, k, &t);
    total += t.bytes;
  }
  *out = malloc(2 * total + 1);
  *out_len = 0;
  for (int rep = 0; rep < 2; rep++) {
    /* Inputs again before each invoke: their memory may be reused once
     * the first op has read them. */
    fill_inputs(&m, (uint64_t)rep);
    if (mote_model_invoke(&m) != MOTE_OK) {
      fprintf(stderr, "%s: invoke failed\n", path);
      free(arena);
      return -1;
    }
    for (uint32_t k = 0; k < mote_model_output_count(&m); k++) {
      mote_tensor t;
      mote_model_output(&m, k, &t);
      memcpy(*out + *out_len, t.data, t.bytes);
      *out_len += t.bytes;
    }
  }
  free(arena);
  return 0;
}

static int check_model(const char *path, mote_pool *const *pools, int npools) {
  size_t len = 0;
  uint8_t *fb = host_read_file(path, &len);
  if (!fb) {
    fprintf(stderr, "%s: cannot read\n", path);
    return 1;
  }
  uint8_t *base = NULL;
  size_t base_len = 0;
  int rc = run_model(path, fb, len, NULL, &base, &base_len);
  if (rc != 0) {
    free(fb);
    free(base);
    return rc < 0;
  }
  mote_workers cfg[8];
  int ncfg = 0;
  cfg[ncfg++] = (mote_workers){3, reverse_run, NULL, 1};
  for (int i = 0; i < npools; i++) {
    cfg[ncfg] = *mote_pool_workers(pools[i]);
    cfg[ncfg++].min_macs = 1;
  }
  cfg[ncfg++] = *mote_pool_workers(pools[0]); /* default threshold */
  int fails = 0;
  for (int c = 0; c < ncfg; c++) {
    uint8_t *o = NULL;
    size_t olen = 0;
    if (run_model(path, fb, len, &cfg[c], &o, &olen) != 0 || olen != base_len ||
        memcmp(o, base, base_len) != 0) {
      fprintf(stderr, "%s: outputs differ with %u workers (config %d)\n", path,
              cfg[c].count, c);
      fails++;
    }
    free(o);
  }
  free(base);
  free(fb);
  return fails;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: test_threads MODELS_DIR\n");
    return 2;
  }
  mote_pool *pools[3] = {mote_pool_create(2), mote_pool_create(3),
                         mote_pool_create(5)};
  if (!pools[0] || !pools[1] || !pools[2]) {
    fprintf(stderr, "cannot create pools\n");
    return 1;
  }
  int fails = 0, models = 0;
  DIR *top = opendir(argv[1]);
  if (!top) {
    fprintf(stderr, "%s: cannot open\n", argv[1]);
    return 1;
  }
  struct dirent *e;
  char sub[4096], path[8192];
  while ((e = readdir(top)) != NULL) {
    if (e->d_name[0] == '.') continue;
    snprintf(sub, sizeof sub, "%s/%s", argv[1], e->d_name);
    DIR *d = opendir(sub);
    if (!d) continue;
    struct dirent *f;
    while ((f = readdir(d)) != NULL) {
      size_t n = strlen(f->d_name);
      if (n < 7 || strcmp(f->d_name + n - 7, ".tflite") != 0) continue;
      snprintf(path, sizeof path, "%s/%s", sub, f->d_name);
      fails += check_model(path, pools, 3) != 0;
      models++;
    }
    closedir(d);
  }
  closedir(top);
  for (int i = 0; i < 3; i++) mote_pool_destroy(pools[i]);
  if (models == 0) {
    fprintf(stderr, "no models under %s\n", argv[1]);
    return 1;
  }
  printf("%d passed, %d failed\n", models - fails, fails);
  return fails ? 1 : 0;
}
