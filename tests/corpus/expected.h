/*
** expected.h: the reviewed lists of corpus files we reject and why
** (name<TAB>first error message, '#' comments), shared by the corpus
** tests.
*/
#ifndef POLICY_TESTS_EXPECTED_H
#define POLICY_TESTS_EXPECTED_H

#include <stddef.h>

typedef struct expected {
  char *name;
  char *message;
  int seen;
} expected;

/* Reads the list at path; a missing file is an empty list. */
size_t expected_load(const char *path, expected **out);
/* The entry for name, marked seen, or NULL. */
expected *expected_find(expected *list, size_t n, const char *name);
void expected_free(expected *list, size_t n);
/* qsort comparator for an array of C strings. */
int expected_by_name(const void *a, const void *b);

#endif
