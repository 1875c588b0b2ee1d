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

typedef struct pol_arena_block pol_arena_block;

typedef struct pol_arena {
  pol_arena_block *head;  /* current block; older blocks are chained */
  size_t used;            /* bytes handed out so far, over all blocks */
  size_t limit;           /* 0 = unbounded */
  bool over_limit;
} pol_arena;

#define POL_ARENA_INIT {NULL, 0, 0, false}

void *pol_arena_alloc(pol_arena *a, size_t n);          /* uninitialised */
void *pol_arena_calloc(pol_arena *a, size_t count, size_t size); /* zeroed */
char *pol_arena_strndup(pol_arena *a, const char *s, size_t n);  /* NUL added */
char *pol_arena_strdup(pol_arena *a, const char *s);
/* Grow an arena array of `*cap` elements of `size` bytes to hold `need`;
** returns false on failure (the old array stays valid). */
bool pol_arena_grow(pol_arena *a, void **items, size_t *cap, size_t need,
                 size_t size);
void pol_arena_free(pol_arena *a);

#endif
