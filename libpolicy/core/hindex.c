/*
** hindex.c: hash index over a caller's array (see hindex.h).
*/
#include "hindex.h"

#include <assert.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

/* Chosen once per process; every thread sees the first value stored. */
static _Atomic uint64_t seed;

static uint64_t process_seed(void) {
  uint64_t s = atomic_load_explicit(&seed, memory_order_acquire);
  if (s != 0) return s;
  uint64_t x = (uint64_t)time(NULL) ^ (uint64_t)(uintptr_t)&x;
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x |= 1;
  uint64_t expected = 0;
  if (atomic_compare_exchange_strong(&seed, &expected, x)) return x;
  return expected;
}

static uint64_t hash(const char *s, size_t n) {
  uint64_t h = 0xcbf29ce484222325ULL ^ process_seed();
  for (size_t i = 0; i < n; i++) {
    h ^= (unsigned char)s[i];
    h *= 0x100000001b3ULL;
  }
  h ^= h >> 29;
  h *= 0xbf58476d1ce4e5b9ULL;
  return h ^ (h >> 32);
}

static bool same(pol_hindex_key_fn key_at, const void *items, size_t pos,
                 const char *key, size_t len) {
  size_t kl;
  const char *k = key_at(items, pos, &kl);
  return kl == len && memcmp(k, key, len) == 0;
}

size_t pol_hindex_find(const pol_hindex *h, const char *key, size_t len,
                pol_hindex_key_fn key_at, const void *items) {
  if (h->cap == 0) return SIZE_MAX;
  size_t mask = h->cap - 1;
  for (size_t i = hash(key, len) & mask;; i = (i + 1) & mask) {
    uint32_t s = h->slot[i];
    if (s == 0) return SIZE_MAX;
    if (same(key_at, items, s - 1, key, len)) return s - 1;
  }
}

static void insert(uint32_t *slot, size_t mask, size_t pos, const char *key,
                   size_t len) {
  size_t i = hash(key, len) & mask;
  while (slot[i]) i = (i + 1) & mask;
  slot[i] = (uint32_t)(pos + 1);
}

bool pol_hindex_add(pol_arena *a, pol_hindex *h, size_t pos, size_t count,
             pol_hindex_key_fn key_at, const void *items) {
  assert(pos < count);
  if (count >= UINT32_MAX) return false;
  if (2 * count > h->cap) {
    size_t cap = 16;
    while (cap < 4 * count) cap *= 2;
    uint32_t *slot = pol_arena_calloc(a, cap, sizeof *slot);
    if (slot == NULL) return false;
    for (size_t i = 0; i < count; i++) {
      size_t kl;
      const char *k = key_at(items, i, &kl);
      if (i != pos) insert(slot, cap - 1, i, k, kl);
    }
    h->slot = slot;
    h->cap = cap;
  }
  /* At most half full, so probing always meets an empty slot. */
  assert(2 * count <= h->cap && (h->cap & (h->cap - 1)) == 0);
  size_t kl;
  const char *k = key_at(items, pos, &kl);
  insert(h->slot, h->cap - 1, pos, k, kl);
  return true;
}
