/*
** arena.c: bump allocator (see arena.h).
**
** Blocks double in size up to 1 MiB; a request larger than half a block gets
** a block of its own so big strings do not waste the tail of the current one.
*/
#include "arena.h"

#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "alloc.h"

struct pol_arena_block {
  pol_arena_block *prev;
  size_t size;  /* usable bytes in data[] */
  size_t off;   /* next free byte */
  _Alignas(max_align_t) unsigned char data[];
};

#define ARENA_ALIGN 8u
#define ARENA_MIN_BLOCK 4096u
#define ARENA_MAX_BLOCK (1u << 20)

static pol_arena_block *arena_new_block(size_t size, pol_arena_block *prev) {
  if (size > SIZE_MAX - sizeof(pol_arena_block)) return NULL;
  pol_arena_block *b = pol_malloc(sizeof(pol_arena_block) + size);
  if (b == NULL) return NULL;
  b->prev = prev;
  b->size = size;
  b->off = 0;
  return b;
}

void *pol_arena_alloc_slow(pol_arena *a, size_t n) {
  if (n > SIZE_MAX - ARENA_ALIGN) return NULL;
  n = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
  if (n == 0) n = ARENA_ALIGN;
  if (a->limit && (a->used > a->limit || n > a->limit - a->used)) {
    a->over_limit = true;
    return NULL;
  }
  pol_arena_block *b = a->head;
  /* The inline path bumped next, not b->off: bring b->off up to date. */
  if (b && a->next) b->off = (size_t)(a->next - b->data);
  if (b == NULL || b->size - b->off < n) {
    size_t want = b ? b->size * 2 : ARENA_MIN_BLOCK;
    if (want > ARENA_MAX_BLOCK) want = ARENA_MAX_BLOCK;
    if (n > want / 2) {
      /* Big request: own block, chained behind the current one so the
      ** current block's free tail stays available. */
      pol_arena_block *big = arena_new_block(n, b ? b->prev : NULL);
      if (big == NULL) return NULL;
      if (b) b->prev = big;
      else { a->head = big; a->next = NULL; a->room = 0; }
      big->off = n;
      a->used += n;
      return big->data;
    }
    pol_arena_block *nb = arena_new_block(want, b);
    if (nb == NULL) return NULL;
    a->head = b = nb;
  }
  void *p = b->data + b->off;
  assert(n % ARENA_ALIGN == 0 && b->off % ARENA_ALIGN == 0); /* 8-byte aligned */
  assert(b->off + n <= b->size);
  b->off += n;
  a->used += n;
  a->next = b->data + b->off;
  a->room = b->size - b->off;
  return p;
}

char *pol_arena_strdup(pol_arena *a, const char *s) {
  return pol_arena_strndup(a, s, strlen(s));
}

bool pol_arena_grow_slow(pol_arena *a, void **items, size_t *cap, size_t need,
                         size_t size) {
  assert(need > *cap); /* pol_arena_grow found no room */
  size_t ncap = *cap ? *cap : 4;
  while (ncap < need) {
    if (ncap > SIZE_MAX / 2) return false;
    ncap *= 2;
  }
  size_t bytes;
  if (!pol_mul_ok(ncap, size, &bytes)) return false;
  void *p = pol_arena_alloc(a, bytes);
  if (p == NULL) return false;
  if (*cap) memcpy(p, *items, *cap * size);
  *items = p;
  *cap = ncap;
  return true;
}

void pol_arena_free(pol_arena *a) {
  pol_arena_block *b = a->head;
  while (b) {
    pol_arena_block *prev = b->prev;
    pol_free(b);
    b = prev;
  }
  a->head = NULL;
  a->used = 0;
  a->over_limit = false;
  a->next = NULL;
  a->room = 0;
}
