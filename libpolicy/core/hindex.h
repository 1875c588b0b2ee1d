/*
** hindex.h: a hash index over an array the caller owns (object members,
** variables): key -> position in the array, so lookups in large maps stay
** O(1) while the array keeps insertion order.
**
** The index stores positions only; the caller's callback gives the key
** of a position. Slots live in an arena; growing doubles the table and
** re-inserts every position (amortised O(1) per insertion). The hash is
** seeded once per process, so keys chosen to collide cannot be computed
** in advance from the source.
*/
#ifndef POL_HINDEX_H
#define POL_HINDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"

typedef struct pol_hindex {
  uint32_t *slot;   /* position + 1; 0 = empty */
  size_t cap;       /* power of two, or 0 when not built */
} pol_hindex;

/* The key stored at position i of the caller's array. */
typedef const char *(*pol_hindex_key_fn)(const void *items, size_t i, size_t *len);

/* Position of `key`, or SIZE_MAX when absent. */
size_t pol_hindex_find(const pol_hindex *h, const char *key, size_t len,
                pol_hindex_key_fn key_at, const void *items);

/* Records that position `pos` (< count) holds its key; grows the table
** when it would be over half full. Returns false on out-of-memory. */
bool pol_hindex_add(pol_arena *a, pol_hindex *h, size_t pos, size_t count,
             pol_hindex_key_fn key_at, const void *items);

#endif
