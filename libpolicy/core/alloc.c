/*
** alloc.c: heap wrappers with allocation-failure injection for tests.
*/
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, MAP_NORESERVE (the child heap) */
#include "alloc.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if POL_SANITIZED
#include <malloc.h>
#include <sys/mman.h>
#endif

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

#if POL_SANITIZED
/* ---- the child heap (pol_alloc_child_heap) --------------------------
** One mapping, reserved at once and filled from the bottom; blocks of
** 16 << k bytes, a 16-byte head holding k, free blocks on a list per k.
** The mapping is made only in a child, after the fork, so the parent's
** threads never see a non-NULL base: they read it, none writes it. */
#define CH_RESERVE ((size_t)4 << 30)
#define CH_HEAD 16u
#define CH_CLASSES 28

static struct {
  char *base, *top, *end; /* top: the first byte never handed out */
  void *free[CH_CLASSES];
} child_heap;

bool pol_alloc_child_heap(void) {
  void *m = mmap(NULL, CH_RESERVE, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (m == MAP_FAILED) return false;
  child_heap.base = child_heap.top = m;
  child_heap.end = child_heap.base + CH_RESERVE;
  return true;
}

static bool ch_owns(const void *p) {
  const char *c = p;
  return c >= child_heap.base && c < child_heap.top;
}

static size_t ch_room(size_t k) { return ((size_t)16 << k) - CH_HEAD; }

static void *ch_alloc(size_t n) {
  size_t k = 0;
  while (k < CH_CLASSES && ch_room(k) < n) k++;
  if (k == CH_CLASSES) return NULL;
  char *b = child_heap.free[k];
  if (b) {
    memcpy(&child_heap.free[k], b + CH_HEAD, sizeof(void *));
  } else {
    size_t size = (size_t)16 << k;
    if ((size_t)(child_heap.end - child_heap.top) < size) return NULL;
    b = child_heap.top;
    child_heap.top += size;
  }
  memcpy(b, &k, sizeof k);
  return b + CH_HEAD;
}

static size_t ch_class(const void *p) {
  size_t k;
  memcpy(&k, (const char *)p - CH_HEAD, sizeof k);
  assert(k < CH_CLASSES);
  return k;
}

/* A block the child inherited stays where it is: the parent's allocator
** may not be entered here. */
static void ch_free(void *p) {
  if (!ch_owns(p)) return;
  size_t k = ch_class(p);
  memcpy(p, &child_heap.free[k], sizeof(void *));
  child_heap.free[k] = (char *)p - CH_HEAD;
}

static void *ch_realloc(void *p, size_t n) {
  if (p == NULL) return ch_alloc(n);
  /* An inherited block's size: the sanitizers answer without a lock for
  ** the small blocks a worker grows (Lua's). */
  size_t old = ch_owns(p) ? ch_room(ch_class(p)) : malloc_usable_size(p);
  if (ch_owns(p) && n <= old) return p;
  void *q = ch_alloc(n);
  if (q == NULL) return NULL;
  memcpy(q, p, old < n ? old : n);
  ch_free(p);
  return q;
}
#endif

void *pol_malloc(size_t n) {
  if (alloc_should_fail()) return NULL;
#if POL_SANITIZED
  if (child_heap.base) return ch_alloc(n ? n : 1);
#endif
  void *p = malloc(n ? n : 1);
  if (p) alloc_live++;
  return p;
}

void *pol_calloc(size_t count, size_t size) {
  if (alloc_should_fail()) return NULL;
#if POL_SANITIZED
  size_t n;
  if (child_heap.base) {
    void *p = pol_mul_ok(count ? count : 1, size ? size : 1, &n) ? ch_alloc(n) : NULL;
    if (p) memset(p, 0, n);
    return p;
  }
#endif
  void *p = calloc(count ? count : 1, size ? size : 1);
  if (p) alloc_live++;
  return p;
}

void *pol_realloc(void *p, size_t n) {
  assert(n > 0); /* alloc.h: library code never reallocates to 0 bytes */
  if (alloc_should_fail()) return NULL;
#if POL_SANITIZED
  if (child_heap.base) return ch_realloc(p, n ? n : 1);
#endif
  void *q = realloc(p, n ? n : 1);
  if (q && p == NULL) alloc_live++;
  return q;
}

void pol_free(void *p) {
#if POL_SANITIZED
  if (child_heap.base) {
    ch_free(p);
    return;
  }
#endif
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
