/*
** check.h: the check macros and pass/fail counters shared by the C tests.
** A test counts every check, prints each failure with its place, and ends
** with the tally as its exit status.
*/
#ifndef MOTE_TESTS_COMMON_CHECK_H
#define MOTE_TESTS_COMMON_CHECK_H

#include <stdio.h>

static int check_failed, check_passed;

/* CHECK(cond, fmt, ...): count a check; on failure print
 * "FAIL file:line: " and the printf-style message on stdout. */
#define CHECK(cond, ...)                          \
  do {                                            \
    if (cond) {                                   \
      check_passed++;                             \
    } else {                                      \
      check_failed++;                             \
      printf("FAIL %s:%d: ", __FILE__, __LINE__); \
      printf(__VA_ARGS__);                        \
      printf("\n");                               \
    }                                             \
  } while (0)

/* EXPECT(cond): count a check; on failure print the condition's text on
 * stderr. */
#define EXPECT(cond)                                                           \
  do {                                                                         \
    if (cond) {                                                                \
      check_passed++;                                                          \
    } else {                                                                   \
      check_failed++;                                                          \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                          \
  } while (0)

/* Print "N passed, M failed" on stdout; the exit status of main. */
static inline int check_summary(void) {
  printf("%d passed, %d failed\n", check_passed, check_failed);
  return check_failed ? 1 : 0;
}

/* "NAME: all checks passed" on stdout, or the failure count on stderr;
 * the exit status of main. */
static inline int check_all_passed(const char *name) {
  if (check_failed) {
    fprintf(stderr, "%d checks failed\n", check_failed);
    return 1;
  }
  printf("%s: all checks passed\n", name);
  return 0;
}

#endif
