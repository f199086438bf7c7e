/*
** cmd_classify.c: `mote classify MODEL IMAGE... [--labels NAME|FILE]`:
** the main job of the quick start. For each image (a raw file of exactly
** the input's element count in bytes, 0..255, or a binary PGM) it shows
** the picture as terminal art, the predicted class, its confidence and
** the invoke latency; then the model's RAM and flash.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "data/dataset.h"
#include "data/feed.h"

#define MAX_CLASSES 1000
#define LATENCY_RUNS 25

/* Pixels of a binary PGM (P5, maxval < 256) or of a raw byte file. Sets
 * the width and height for PGM (0 for raw). Returns malloc'd bytes or NULL. */
static uint8_t *read_image(const char *path, size_t *n, int *w, int *h) {
  size_t len = 0;
  uint8_t *b = host_read_file(path, &len);
  *w = *h = 0;
  if (!b) return NULL;
  if (len > 2 && b[0] == 'P' && b[1] == '5') {
    int vals[3], got = 0;
    size_t i = 2;
    while (got < 3 && i < len) {
      while (i < len && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' ||
                         b[i] == '\t' || b[i] == '#')) {
        if (b[i] == '#')
          while (i < len && b[i] != '\n') i++;
        else
          i++;
      }
      int v = 0, digits = 0;
      while (i < len && b[i] >= '0' && b[i] <= '9' && v < 100000)
        v = v * 10 + (b[i++] - '0'), digits++;
      if (!digits) break;
      vals[got++] = v;
    }
    if (got < 3 || vals[2] <= 0 || vals[2] > 255 || i >= len) {
      free(b);
      return NULL;
    }
    i++; /* one whitespace byte ends the header */
    size_t px = (size_t)vals[0] * (size_t)vals[1];
    if (len - i < px) {
      free(b);
      return NULL;
    }
    memmove(b, b + i, px);
    *w = vals[0];
    *h = vals[1];
    *n = px;
    return b;
  }
  *n = len;
  return b;
}

/* Terminal art: two image rows per text line, ten shades. */
static void print_art(const uint8_t *px, int w, int h) {
  static const char shade[] = " .:-=+*#%@";
  for (int y = 0; y < h; y += 2) {
    printf("    ");
    for (int x = 0; x < w; x++) {
      int v = px[y * w + x] + (y + 1 < h ? px[(y + 1) * w + x] : px[y * w + x]);
      putchar(shade[v * 10 / 511]);
    }
    putchar('\n');
  }
}

/* Class names: "fashion-mnist", a file with one name per line, or none. */
static char **load_labels(const char *spec, uint32_t *n) {
  *n = 0;
  if (!spec) return NULL;
  char **names = calloc(MAX_CLASSES, sizeof *names);
  if (!names) return NULL;
  if (strcmp(spec, "fashion-mnist") == 0) {
    for (unsigned k = 0; k < 10; k++) names[k] = strdup(ds_fashion_class(k));
    *n = 10;
    return names;
  }
  FILE *f = fopen(spec, "r");
  if (!f) {
    free(names);
    return NULL;
  }
  char line[256];
  while (*n < MAX_CLASSES && fgets(line, sizeof line, f)) {
    line[strcspn(line, "\r\n")] = 0;
    names[(*n)++] = strdup(line);
  }
  fclose(f);
  return names;
}

static void free_labels(char **names, uint32_t n) {
  for (uint32_t k = 0; k < n; k++) free(names[k]);
  free(names);
}

/* Probabilities from output scores: as they are if they already sum to 1
 * (a SOFTMAX output), else a softmax of them. */
static void to_probs(float *p, size_t n) {
  double sum = 0;
  int in01 = 1;
  for (size_t i = 0; i < n; i++) {
    sum += p[i];
    in01 &= p[i] >= 0.0f && p[i] <= 1.0f;
  }
  if (in01 && fabs(sum - 1.0) < 0.05) return;
  float mx = p[0];
  for (size_t i = 1; i < n; i++) mx = p[i] > mx ? p[i] : mx;
  sum = 0;
  for (size_t i = 0; i < n; i++) sum += (p[i] = expf(p[i] - mx));
  for (size_t i = 0; i < n; i++) p[i] = (float)(p[i] / sum);
}

static void usage(void) {
  fprintf(stderr,
          "usage: mote classify MODEL IMAGE... [--labels fashion-mnist|FILE]\n"
          "  IMAGE: raw bytes (one per input element, 0..255) or binary PGM;\n"
          "  pixels are scaled to [0,1] and quantized to the model input.\n");
}

int cmd_classify(int argc, char **argv) {
  const char *path = NULL, *labels = NULL;
  const char **images = calloc((size_t)argc, sizeof *images);
  int nimg = 0;
  if (!images) return EXIT_RUNTIME;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--labels") == 0 && i + 1 < argc) {
      labels = argv[++i];
    } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
      usage();
      free(images);
      return 0;
    } else if (argv[i][0] == '-') {
      fprintf(stderr, "mote classify: unexpected argument '%s'\n", argv[i]);
      free(images);
      return EXIT_USAGE;
    } else if (!path) {
      path = argv[i];
    } else {
      images[nimg++] = argv[i];
    }
  }
  if (!path || nimg == 0) {
    usage();
    free(images);
    return EXIT_USAGE;
  }
  uint32_t nlab = 0;
  char **names = load_labels(labels, &nlab);
  if (labels && !names) {
    fprintf(stderr, "mote classify: %s: cannot read labels\n", labels);
    free(images);
    return EXIT_BAD_INPUT;
  }
  host_model hm;
  int rc = cli_load(&hm, path);
  if (rc) {
    free_labels(names, nlab);
    free(images);
    return rc;
  }
  mote_tensor in, out;
  mote_model_input(&hm.m, 0, &in);
  mote_model_output(&hm.m, 0, &out);
  size_t nin = tensor_elems(&in), nout = tensor_elems(&out);
  float *x = malloc(nin * sizeof *x), *p = malloc(nout * sizeof *p);
  double lat[LATENCY_RUNS], all_med = 0;
  for (int k = 0; k < nimg && rc == 0 && x && p; k++) {
    size_t n = 0;
    int w, h;
    uint8_t *px = read_image(images[k], &n, &w, &h);
    if (!px || n != nin) {
      fprintf(stderr,
              "mote classify: %s: %s (the model takes %zu values per image)\n",
              images[k], px ? "wrong size" : "cannot read image", nin);
      free(px);
      rc = EXIT_BAD_INPUT;
      break;
    }
    if (!w) { /* raw: square if it can be, else one row */
      w = (int)lround(sqrt((double)n));
      h = (size_t)w * (size_t)w == n ? w : 1;
      if (h == 1) w = (int)n;
    }
    for (size_t i = 0; i < n; i++) x[i] = px[i] / 255.0f;
    mote_status st = MOTE_OK;
    for (int r = 0; r < LATENCY_RUNS && st == MOTE_OK; r++) {
      feed_input_f32(&in, x, nin);
      double t0 = cli_now_us();
      st = mote_model_invoke(&hm.m);
      lat[r] = cli_now_us() - t0;
    }
    if (st != MOTE_OK) {
      cli_print_error(path, &hm.m.err);
      free(px);
      rc = EXIT_RUNTIME;
      break;
    }
    qsort(lat, LATENCY_RUNS, sizeof lat[0], cli_cmp_double);
    all_med += lat[LATENCY_RUNS / 2];
    read_output_f32(&out, p, nout);
    to_probs(p, nout);
    size_t b1 = 0, b2 = nout > 1 ? 1 : 0;
    for (size_t i = 0; i < nout; i++)
      if (p[i] > p[b1]) b1 = i;
    for (size_t i = 0; i < nout; i++)
      if (i != b1 && (b2 == b1 || p[i] > p[b2])) b2 = i;
    printf("\n%s\n", images[k]);
    if (h > 1 && w <= 64) print_art(px, w, h);
    char c1[32], c2[32];
    snprintf(c1, sizeof c1, "class %zu", b1);
    snprintf(c2, sizeof c2, "class %zu", b2);
    printf("  -> %-12s %5.1f%%", b1 < nlab ? names[b1] : c1, 100.0 * p[b1]);
    if (b2 != b1 && p[b2] >= 0.0005f)
      printf("   (next: %s %.1f%%)", b2 < nlab ? names[b2] : c2, 100.0 * p[b2]);
    printf("   %.0f us\n", lat[LATENCY_RUNS / 2]);
    free(px);
  }
  if (rc == 0 && nimg > 0) {
    /* RAM of the portable kernels (what a microcontroller build needs);
     * the host's optimised kernels may add packed weights and scratch. */
    size_t ref = cli_arena_ref(&hm);
    size_t ram = ref + sizeof(mote_model);
    printf(
        "\nmodel %s: %zu bytes of flash (weights and graph), %zu bytes of "
        "RAM (arena %zu + model struct %zu), median invoke %.0f us\n",
        path, hm.fb_len, ram, ref, sizeof(mote_model), all_med / nimg);
    if (hm.arena_len != ref)
      printf(
          "(here the %s kernels use an arena of %zu bytes: weights packed "
          "for them at init)\n",
          cli_best_kernel(&hm), hm.arena_len);
  }
  free(x);
  free(p);
  free_labels(names, nlab);
  free(images);
  host_model_free(&hm);
  return rc;
}
