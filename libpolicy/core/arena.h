/*
** arena.h: bump allocator for data that lives and dies together.
**
** A parsed document (its syntax nodes, strings and model values) is owned
** by one arena and freed in one call. Allocations are 8-byte aligned and
** never freed individually. A failed allocation returns NULL and leaves the
** arena usable; callers propagate the NULL as out-of-memory.
**
** `limit` bounds the bytes the arena may hold in total (0 = no bound); a
** request past it fails like an allocation failure and sets `over_limit`
** so the caller can report which limit was hit.
*/
#ifndef POL_ARENA_H
#define POL_ARENA_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

typedef struct pol_arena_block pol_arena_block;

typedef struct pol_arena {
  pol_arena_block *head;  /* current block; older blocks are chained */
  size_t used;            /* bytes handed out so far, over all blocks */
  size_t limit;           /* 0 = unbounded */
  bool over_limit;
  /* The free tail of `head`: room bytes from next (8-byte aligned). Zero
  ** (the state POL_ARENA_INIT and a zeroed struct give) sends every
  ** request to the slow path, which sets them. */
  unsigned char *next;
  size_t room;
} pol_arena;

#define POL_ARENA_INIT {NULL, 0, 0, false, NULL, 0}

/* The slow path of pol_arena_alloc: a new block, a big request, a limit. */
void *pol_arena_alloc_slow(pol_arena *a, size_t n);

/* n bytes, uninitialised, 8-byte aligned. Inline: a bump of `next` when
** the current block has room and no limit is near. */
static inline void *pol_arena_alloc(pol_arena *a, size_t n) {
  if (n - 1 < a->room) { /* 1 <= n <= room, so the rounding cannot wrap */
    size_t r = (n + 7u) & ~(size_t)7u;
    if (r <= a->room &&
        (a->limit == 0 || (a->used <= a->limit && r <= a->limit - a->used))) {
      void *p = a->next;
      a->next += r;
      a->room -= r;
      a->used += r;
      return p;
    }
  }
  return pol_arena_alloc_slow(a, n);
}

/* count * size bytes, zeroed; NULL on overflow. */
static inline void *pol_arena_calloc(pol_arena *a, size_t count, size_t size) {
  if (size != 0 && count > (size_t)-1 / size) return NULL;
  void *p = pol_arena_alloc(a, count * size);
  if (p) memset(p, 0, count * size);
  return p;
}

/* A copy of s[0..n) with a NUL added. */
static inline char *pol_arena_strndup(pol_arena *a, const char *s, size_t n) {
  if (n == (size_t)-1) return NULL;
  char *d = pol_arena_alloc(a, n + 1);
  if (d == NULL) return NULL;
  if (n) memcpy(d, s, n);
  d[n] = '\0';
  return d;
}

char *pol_arena_strdup(pol_arena *a, const char *s);

bool pol_arena_grow_slow(pol_arena *a, void **items, size_t *cap, size_t need,
                         size_t size);

/* Grow an arena array of `*cap` elements of `size` bytes to hold `need`;
** returns false on failure (the old array stays valid). Inline: most
** calls (an item appended) find room, and cost a compare. */
static inline bool pol_arena_grow(pol_arena *a, void **items, size_t *cap, size_t need,
                                  size_t size) {
  return need <= *cap || pol_arena_grow_slow(a, items, cap, need, size);
}
void pol_arena_free(pol_arena *a);

#endif
