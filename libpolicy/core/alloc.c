/*
** alloc.c: heap wrappers with allocation-failure injection for tests.
*/
#include "alloc.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The test counters are per thread, so engines on several threads never
** race on them (the library has no shared mutable state); a test injects
** failures into, and counts the blocks of, the thread it runs on. */
static _Thread_local unsigned long alloc_count;   /* allocations since last inject call */
static _Thread_local unsigned long alloc_fail_at; /* 0 = never fail */
static _Thread_local int alloc_sticky;
static _Thread_local long alloc_live; /* blocks this thread handed out minus those it freed */

static int alloc_should_fail(void) {
  alloc_count++;
  if (alloc_fail_at == 0) return 0;
  if (alloc_count == alloc_fail_at) return 1;
  return alloc_sticky && alloc_count > alloc_fail_at;
}

unsigned long pol_alloc_inject_failure(unsigned long n, int sticky) {
  unsigned long seen = alloc_count;
  alloc_count = 0;
  alloc_fail_at = n;
  alloc_sticky = sticky;
  return seen;
}

long pol_alloc_live(void) { return alloc_live; }

bool pol_alloc_fail_point(void) { return alloc_should_fail() != 0; }

void *pol_malloc(size_t n) {
  if (alloc_should_fail()) return NULL;
  void *p = malloc(n ? n : 1);
  if (p) alloc_live++;
  return p;
}

void *pol_calloc(size_t count, size_t size) {
  if (alloc_should_fail()) return NULL;
  void *p = calloc(count ? count : 1, size ? size : 1);
  if (p) alloc_live++;
  return p;
}

void *pol_realloc(void *p, size_t n) {
  assert(n > 0); /* alloc.h: library code never reallocates to 0 bytes */
  if (alloc_should_fail()) return NULL;
  void *q = realloc(p, n ? n : 1);
  if (q && p == NULL) alloc_live++;
  return q;
}

void pol_free(void *p) {
  if (p) alloc_live--;
  free(p);
}

char *pol_strndup(const char *s, size_t n) {
  char *d = pol_malloc(n + 1);
  if (d == NULL) return NULL;
  if (n) memcpy(d, s, n);
  d[n] = '\0';
  return d;
}

int pol_mul_ok(size_t a, size_t b, size_t *out) {
  if (b != 0 && a > SIZE_MAX / b) return 0;
  *out = a * b;
  return 1;
}
