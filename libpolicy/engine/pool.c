/*
** pool.c: size-class blocks for the sandbox's Lua state (see pool.h).
*/
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS */
#include "pool.h"

#include <assert.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "../core/alloc.h"

#define SLAB_BYTES ((size_t)64 << 10)

/* The sanitizers check heap blocks only: a build under one takes every
** block from the heap. */
#define HEAP_ONLY POL_SANITIZED

static size_t class_of(size_t n) {
  assert(n > 0 && n <= ENG_POOL_MAX_BLOCK);
  return (n - 1) / ENG_POOL_CLASS;
}

/* True when ptr lies in one of the slabs. */
static bool in_pool(const eng_pool *p, const void *ptr) {
  const char *c = ptr;
  size_t lo = 0, hi = p->nslabs;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (c < p->slabs[mid]) hi = mid;
    else if (c >= p->slabs[mid] + SLAB_BYTES) lo = mid + 1;
    else return true;
  }
  return false;
}

/* A slab's pages are all used soon after it is made: mapped and filled
** in one call (MAP_POPULATE) where there is one, they cost half of what
** a page fault each costs (on the VM of bench/README.md, the first engine
** of a process loads about 11% faster). */
#ifdef MAP_POPULATE
static char *slab_new(void) {
  void *m = mmap(NULL, SLAB_BYTES, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
  return m == MAP_FAILED ? NULL : m;
}
static void slab_free(char *slab) { munmap(slab, SLAB_BYTES); }
#else
static char *slab_new(void) { return pol_malloc(SLAB_BYTES); }
static void slab_free(char *slab) { pol_free(slab); }
#endif

static bool new_slab(eng_pool *p) {
  if (p->nslabs == p->cap) {
    size_t cap = p->cap ? p->cap * 2 : 16;
    char **s = pol_realloc(p->slabs, cap * sizeof *s);
    if (s == NULL) return false;
    p->slabs = s;
    p->cap = cap;
  }
  char *slab = slab_new();
  if (slab == NULL) return false;
  size_t at = p->nslabs;
  while (at > 0 && p->slabs[at - 1] > slab) at--;
  memmove(p->slabs + at + 1, p->slabs + at, (p->nslabs - at) * sizeof *p->slabs);
  p->slabs[at] = slab;
  p->nslabs++;
  p->carve = slab;
  p->carve_end = slab + SLAB_BYTES;
  return true;
}

static void *take(eng_pool *p, size_t n) {
  if (pol_alloc_fail_point()) return NULL; /* tests inject failures here too */
  size_t k = class_of(n);
  void *b = p->free[k];
  if (b) {
    memcpy(&p->free[k], b, sizeof(void *));
    return b;
  }
  size_t size = (k + 1) * ENG_POOL_CLASS;
  if ((size_t)(p->carve_end - p->carve) < size) {
    /* The rest of the slab goes to the free lists it fits. */
    while ((size_t)(p->carve_end - p->carve) >= ENG_POOL_CLASS) {
      size_t left = (size_t)(p->carve_end - p->carve);
      size_t c = class_of(left < ENG_POOL_MAX_BLOCK ? left - left % ENG_POOL_CLASS : ENG_POOL_MAX_BLOCK);
      size_t sz = (c + 1) * ENG_POOL_CLASS;
      memcpy(p->carve, &p->free[c], sizeof(void *));
      p->free[c] = p->carve;
      p->carve += sz;
    }
    if (!new_slab(p)) return NULL;
  }
  b = p->carve;
  p->carve += size;
  return b;
}

static void give_back(eng_pool *p, void *b, size_t n) {
  size_t k = class_of(n);
  memcpy(b, &p->free[k], sizeof(void *));
  p->free[k] = b;
}

void *eng_pool_realloc(eng_pool *p, void *ptr, size_t osize, size_t nsize) {
  bool small_new = !HEAP_ONLY && nsize <= ENG_POOL_MAX_BLOCK;
  if (ptr == NULL) {
    if (nsize == 0) return NULL;
    return small_new ? take(p, nsize) : pol_malloc(nsize);
  }
  bool small_old = !HEAP_ONLY && osize <= ENG_POOL_MAX_BLOCK;
  /* Without strays a small block is a pool block: no search. */
  bool pooled = small_old && (p->strays == 0 || in_pool(p, ptr));
  if (!pooled) {
    bool stray = small_old; /* a small block in the heap */
    if (nsize == 0) {
      pol_free(ptr);
      if (stray) p->strays--;
      return NULL;
    }
    if (small_new && !stray) {
      /* A heap block shrunk to a pool size moves to the pool, where small
      ** blocks belong; only when the pool cannot grow does it stay. */
      void *q = take(p, nsize);
      if (q) {
        memcpy(q, ptr, nsize);
        pol_free(ptr);
        return q;
      }
    }
    void *q = pol_realloc(ptr, nsize);
    if (q == NULL && nsize > osize) return NULL; /* unchanged: still what it was */
    /* In the heap now, at size nsize. */
    if (small_new && !stray) p->strays++;
    else if (!small_new && stray) p->strays--;
    return q ? q : ptr;
  }
  if (nsize == 0) {
    give_back(p, ptr, osize);
    return NULL;
  }
  if (nsize <= osize || (small_new && class_of(nsize) == class_of(osize))) return ptr;
  void *q = small_new ? take(p, nsize) : pol_malloc(nsize);
  if (q == NULL) return NULL;
  memcpy(q, ptr, osize);
  give_back(p, ptr, osize);
  return q;
}

void eng_pool_free_all(eng_pool *p) {
  for (size_t i = 0; i < p->nslabs; i++) slab_free(p->slabs[i]);
  pol_free(p->slabs);
  memset(p, 0, sizeof *p);
}
