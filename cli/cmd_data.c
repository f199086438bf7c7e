/*
** cmd_data.c: `mote data info|export`: look at a labelled image set and
** write some of its images as small files (for demos and `mote run`).
**
**   mote data info [--dataset fashion-mnist] [--split test|train]
**   mote data export [--split test|train] (--index 0,1,5-9 | --per-class K)
**                    [--format u8|pgm] -o DIR
**
** Both take --data-dir DIR (Fashion-MNIST folder) or --images IDX
** [--labels IDX] for any IDX set. Exported files are named
** INDEX_CLASS.u8 (raw bytes, one per pixel, row-major) or INDEX_CLASS.pgm
** (binary PGM, P5), e.g. 0003_sneaker.u8 for test image 3, a sneaker.
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "data/dataset.h"

static const char kUsage[] =
    "usage: mote data info [--dataset fashion-mnist] [--split test|train]\n"
    "       mote data export [--split test|train] (--index I,J,K-L | "
    "--per-class K)\n"
    "                        [--format u8|pgm] -o DIR\n"
    "  both: --data-dir DIR (Fashion-MNIST folder; default "
    "$MOTE_FASHION_MNIST\n"
    "        or " DS_FASHION_MNIST_DIR
    "), or --images IDX [--labels IDX]\n"
    "  export writes INDEX_CLASS.u8 (raw pixels) or INDEX_CLASS.pgm files\n"
    "  (default split: test; info without --split shows both)\n";

typedef struct data_opts {
  const char *dataset, *split, *images, *labels, *dir, *index, *format, *out;
  long per_class;
} data_opts;

/* Parse the options shared by both subcommands. Returns 0 or an exit
 * status. */
static int parse(int argc, char **argv, data_opts *o) {
  memset(o, 0, sizeof *o);
  o->dataset = "fashion-mnist";
  o->format = "u8";
  for (int i = 2; i < argc; i++) {
    const char *a = argv[i];
    int more = i + 1 < argc;
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      fputs(kUsage, stdout);
      return -1;
    } else if (strcmp(a, "--dataset") == 0 && more) {
      o->dataset = argv[++i];
    } else if (strcmp(a, "--split") == 0 && more) {
      o->split = argv[++i];
    } else if (strcmp(a, "--images") == 0 && more) {
      o->images = argv[++i];
    } else if (strcmp(a, "--labels") == 0 && more) {
      o->labels = argv[++i];
    } else if (strcmp(a, "--data-dir") == 0 && more) {
      o->dir = argv[++i];
    } else if (strcmp(a, "--index") == 0 && more) {
      o->index = argv[++i];
    } else if (strcmp(a, "--per-class") == 0 && more) {
      char *end;
      o->per_class = strtol(argv[++i], &end, 10);
      if (*end || o->per_class < 1) {
        fprintf(stderr, "mote data: --per-class %s: expected a count >= 1\n",
                argv[i]);
        return EXIT_USAGE;
      }
    } else if (strcmp(a, "--format") == 0 && more) {
      o->format = argv[++i];
    } else if (strcmp(a, "-o") == 0 && more) {
      o->out = argv[++i];
    } else {
      fprintf(stderr, "mote data: unexpected argument '%s'\n%s", a, kUsage);
      return EXIT_USAGE;
    }
  }
  if (!o->images && strcmp(o->dataset, "fashion-mnist") != 0) {
    fprintf(stderr,
            "mote data: --dataset %s: unknown (fashion-mnist, or --images "
            "IDX for any IDX set)\n",
            o->dataset);
    return EXIT_USAGE;
  }
  if (o->split && strcmp(o->split, "test") != 0 &&
      strcmp(o->split, "train") != 0) {
    fprintf(stderr, "mote data: --split %s: expected test or train\n",
            o->split);
    return EXIT_USAGE;
  }
  return 0;
}

/* Load the set the options name (split: "test" or "train"). */
static int load(const data_opts *o, const char *split, mote_dataset *ds) {
  char err[512];
  int rc = o->images
               ? ds_load_idx(ds, o->images, o->labels, err, sizeof err)
               : ds_load_fashion_mnist(ds, o->dir, strcmp(split, "test") == 0,
                                       err, sizeof err);
  if (rc != 0) {
    fprintf(stderr, "mote: %s\n", err);
    return EXIT_BAD_INPUT;
  }
  return 0;
}

static void info_one(const data_opts *o, const char *split,
                     const mote_dataset *ds) {
  size_t len = ds_sample_len(ds), total = (size_t)ds->n * len;
  unsigned lo = 255, hi = 0;
  double sum = 0.0;
  for (size_t i = 0; i < total; i++) {
    unsigned v = ds->u8[i];
    lo = v < lo ? v : lo;
    hi = v > hi ? v : hi;
    sum += v;
  }
  char name[4200];
  if (o->images)
    snprintf(name, sizeof name, "%s", o->images);
  else
    snprintf(name, sizeof name, "%s %s", o->dataset, split);
  printf("%s: %u images of %ux%ux%u, pixels %u..%u (mean %.2f)\n", name, ds->n,
         ds->h, ds->w, ds->c, lo, hi, total ? sum / (double)total : 0.0);
  if (!ds->labels) return;
  for (uint32_t k = 0; k < ds->n_classes; k++) {
    uint32_t cnt = 0;
    for (uint32_t i = 0; i < ds->n; i++) cnt += ds->labels[i] == k;
    if (o->images)
      printf("  %2u %6u\n", k, cnt);
    else
      printf("  %2u %-12s %6u\n", k, ds_fashion_class(k), cnt);
  }
}

static int cmd_info(const data_opts *o) {
  const char *splits[2] = {"train", "test"};
  int first = 0, last = 1;
  if (o->images || o->split)
    first = last =
        (o->split && !o->images && strcmp(o->split, "train") == 0) ? 0 : 1;
  for (int s = first; s <= last; s++) {
    mote_dataset ds;
    int rc = load(o, splits[s], &ds);
    if (rc) return rc;
    info_one(o, splits[s], &ds);
    ds_free(&ds);
  }
  return 0;
}

/* mkdir -p. Returns 0 or -1 (errno). */
static int make_dirs(const char *path) {
  char buf[4096];
  size_t n = strlen(path);
  if (n == 0 || n >= sizeof buf) return -1;
  memcpy(buf, path, n + 1);
  for (size_t i = 1; i <= n; i++) {
    if (buf[i] != '/' && buf[i] != '\0') continue;
    char c = buf[i];
    buf[i] = '\0';
    if (mkdir(buf, 0777) != 0 && errno != EEXIST) return -1;
    buf[i] = c;
  }
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode) ? 0 : -1;
}

/* Parse "0,1,5-9" into pick[] (flags per sample). Returns 0 or -1. */
static int parse_index(const char *s, uint32_t n, uint8_t *pick) {
  while (*s) {
    char *end;
    errno = 0;
    unsigned long a = strtoul(s, &end, 10), b = a;
    if (end == s || errno) return -1;
    if (*end == '-') {
      s = end + 1;
      b = strtoul(s, &end, 10);
      if (end == s || errno || b < a) return -1;
    }
    if (b >= n) {
      fprintf(stderr, "mote data: --index %lu: the set has %u images\n", b, n);
      return -2;
    }
    for (unsigned long i = a; i <= b; i++) pick[i] = 1;
    if (*end == ',')
      end++;
    else if (*end)
      return -1;
    s = end;
  }
  return 0;
}

static int cmd_export(const data_opts *o) {
  int pgm = strcmp(o->format, "pgm") == 0;
  if ((!pgm && strcmp(o->format, "u8") != 0) || !o->out ||
      (!o->index) == (o->per_class == 0)) {
    fprintf(stderr,
            "mote data export: needs -o DIR, one of --index or --per-class, "
            "and --format u8 or pgm\n%s",
            kUsage);
    return EXIT_USAGE;
  }
  const char *split = o->split ? o->split : "test";
  mote_dataset ds;
  int rc = load(o, split, &ds);
  if (rc) return rc;
  if (pgm && ds.c != 1) {
    fprintf(stderr, "mote data export: PGM needs one channel, images have %u\n",
            ds.c);
    ds_free(&ds);
    return EXIT_USAGE;
  }
  uint8_t *pick = calloc(ds.n, 1);
  if (!pick) {
    ds_free(&ds);
    return EXIT_RUNTIME;
  }
  if (o->index) {
    int prc = parse_index(o->index, ds.n, pick);
    if (prc != 0) {
      if (prc == -1)
        fprintf(stderr,
                "mote data export: --index %s: expected numbers and ranges "
                "like 0,3,10-19\n",
                o->index);
      free(pick);
      ds_free(&ds);
      return EXIT_USAGE;
    }
  } else if (!ds.labels) {
    fprintf(stderr, "mote data export: --per-class needs labels\n");
    free(pick);
    ds_free(&ds);
    return EXIT_USAGE;
  } else {
    uint32_t taken[256] = {0};
    for (uint32_t i = 0; i < ds.n; i++)
      if (taken[ds.labels[i]] < (uint32_t)o->per_class) {
        taken[ds.labels[i]]++;
        pick[i] = 1;
      }
  }
  /* Same index width for every file of one export, so names sort. */
  uint32_t last = 0;
  for (uint32_t i = 0; i < ds.n; i++)
    if (pick[i]) last = i;
  int width = 3;
  for (uint32_t v = last; v >= 1000; v /= 10) width++;
  if (make_dirs(o->out) != 0) {
    fprintf(stderr, "mote data export: %s: cannot create folder: %s\n", o->out,
            strerror(errno));
    free(pick);
    ds_free(&ds);
    return EXIT_RUNTIME;
  }
  size_t len = ds_sample_len(&ds);
  unsigned count = 0;
  for (uint32_t i = 0; i < ds.n && rc == 0; i++) {
    if (!pick[i]) continue;
    char slug[32], file[4096];
    int lab = ds.labels ? ds.labels[i] : -1;
    if (lab < 0)
      snprintf(slug, sizeof slug, "image");
    else if (!o->images)
      snprintf(slug, sizeof slug, "%s", ds_fashion_slug((unsigned)lab));
    else
      snprintf(slug, sizeof slug, "class%d", lab);
    int fl = snprintf(file, sizeof file, "%s/%0*u_%s.%s", o->out, width, i,
                      slug, pgm ? "pgm" : "u8");
    FILE *f = (fl > 0 && (size_t)fl < sizeof file) ? fopen(file, "wb") : NULL;
    int ok = f != NULL;
    if (ok && pgm) ok = fprintf(f, "P5\n%u %u\n255\n", ds.w, ds.h) > 0;
    if (ok) ok = fwrite(ds.u8 + (size_t)i * len, 1, len, f) == len;
    if (f && fclose(f) != 0) ok = 0;
    if (!ok) {
      fprintf(stderr, "mote data export: %s: cannot write: %s\n", file,
              strerror(errno));
      rc = EXIT_RUNTIME;
      break;
    }
    count++;
    if (lab < 0)
      printf("wrote %s (%s image %u)\n", file, split, i);
    else
      printf("wrote %s (%s image %u, label %d %s)\n", file,
             o->images ? "idx" : split, i, lab,
             o->images ? "" : ds_fashion_class((unsigned)lab));
  }
  if (rc == 0)
    printf("%u images (%ux%u, %s) in %s\n", count, ds.h, ds.w,
           pgm ? "binary PGM" : "raw bytes", o->out);
  free(pick);
  ds_free(&ds);
  return rc;
}

int cmd_data(int argc, char **argv) {
  if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
      strcmp(argv[1], "-h") == 0) {
    fputs(kUsage, argc < 2 ? stderr : stdout);
    return argc < 2 ? EXIT_USAGE : 0;
  }
  data_opts o;
  int rc = parse(argc, argv, &o);
  if (rc) return rc < 0 ? 0 : rc;
  if (strcmp(argv[1], "info") == 0) return cmd_info(&o);
  if (strcmp(argv[1], "export") == 0) return cmd_export(&o);
  fprintf(stderr, "mote data: unknown subcommand '%s'\n%s", argv[1], kUsage);
  return EXIT_USAGE;
}
