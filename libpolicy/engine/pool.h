/*
** pool.h: the small blocks of a sandbox's Lua state (tables, strings,
** closures: most of what Lua allocates is under a few hundred bytes), in
** size classes carved from 64 KiB slabs, with a free list per class.
**
** Lua gives the size of a block when it frees or resizes it, so blocks
** carry no header. A block is born in the pool (size up to
** ENG_POOL_MAX_BLOCK) or in the host's heap (larger) and stays there, except
** that a pool block grown past ENG_POOL_MAX_BLOCK moves to the heap and a
** heap block shrunk to ENG_POOL_MAX_BLOCK or less moves to the pool; a
** pool block shrunk keeps its place (a shrink never fails). So a block's
** size tells where it lives, except for strays: small blocks left in the
** heap because the pool could not grow when they shrank. While there is
** any, the address tells (the slabs are kept sorted). Slabs are freed
** with the pool; garbage blocks are reused, never returned earlier.
**
** Under AddressSanitizer (and the like) every block goes to the heap, so
** the sanitizer still sees each one.
*/
#ifndef POL_ENGINE_POOL_H
#define POL_ENGINE_POOL_H

#include <stdbool.h>
#include <stddef.h>

#define ENG_POOL_CLASS 16u
#define ENG_POOL_MAX_BLOCK 512u
#define ENG_POOL_CLASSES (ENG_POOL_MAX_BLOCK / ENG_POOL_CLASS)

typedef struct eng_pool {
  void *free[ENG_POOL_CLASSES];  /* a list per class, linked through blocks */
  char **slabs;              /* sorted by address */
  size_t nslabs, cap;
  char *carve, *carve_end;   /* what is left of the newest slab */
  size_t strays;             /* small blocks in the heap (see above) */
} eng_pool;

/* Lua's allocator contract (lua_Alloc): a new block (ptr NULL), a resize,
** or a free (nsize 0). Returns NULL only when the host cannot allocate
** (never for a shrink or a free). */
void *eng_pool_realloc(eng_pool *p, void *ptr, size_t osize, size_t nsize);
void eng_pool_free_all(eng_pool *p);

#endif
