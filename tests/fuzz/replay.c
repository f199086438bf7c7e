/*
** replay.c: run every file of the regression corpus (inputs that once
** crashed or misbehaved) through the fuzz target, without libFuzzer.
** usage: mote_fuzz_replay DIR
*/
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_io.h"

int mote_fuzz_one(const uint8_t *data, size_t size);

int main(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : "tests/corpus/regress";
  DIR *d = opendir(dir);
  int n = 0, bad = 0;
  if (!d) {
    printf("cannot open %s\n0 passed, 1 failed\n", dir);
    return 1;
  }
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.') continue;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    size_t len = 0;
    uint8_t *buf = host_read_file(path, &len);
    if (!buf) {
      printf("FAIL cannot read %s\n", path);
      bad++;
      continue;
    }
    mote_fuzz_one(buf, len); /* a crash or sanitizer report fails the test */
    free(buf);
    n++;
  }
  closedir(d);
  printf("%d passed, %d failed\n", n, bad);
  return bad || n == 0 ? 1 : 0;
}
