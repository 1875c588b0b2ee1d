/*
** value.h: the model's value tree, the one vocabulary shared by every
** parser (Dockerfile, Compose, inspect) and the policy engine.
**
** A model is a tree of pm_value nodes: null, bool, int, number, string,
** array, object (a node of one of the types of schema.h: container, image,
** ...) and map (user-keyed data such as env or labels). Objects and maps
** keep insertion order; a later set of an existing key replaces its value
** in place. A typed object accepts only the keys its type declares
** (asserted).
**
** Every node carries the source position it was made from (pm_pos; line 0
** means "no position": the node was derived, not written). nil in the
** model means "not stated by the source": absent keys are never filled in
** with a guessed default.
**
** Memory: nodes and their strings live in the pm_doc's arena. Building
** functions return NULL (or false) when the arena cannot allocate; callers
** propagate that as out-of-memory. Not thread-safe; a tree is immutable
** once its document is finished and may then be read from any thread.
*/
#ifndef POL_MODEL_VALUE_H
#define POL_MODEL_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/arena.h"
#include "../core/hindex.h"
#include "schema.h"

typedef enum pm_type {
  PM_NULL,
  PM_BOOL,
  PM_INT,
  PM_NUM,
  PM_STR,
  PM_ARR,
  PM_OBJ, /* a node of an object type (schema.h): its keys are fields */
  PM_MAP  /* user-keyed map (env, labels, flags): keys are data */
} pm_type;

typedef struct pm_pos {
  const char *file;  /* NULL: the document's own file */
  uint32_t line, col, end_line, end_col; /* 1-based; end exclusive */
} pm_pos;

typedef struct pm_value pm_value;
typedef struct pm_member {
  const char *key;
  size_t key_len;
  pm_value *val;
} pm_member;

struct pm_value {
  pm_type type;
  pm_pos pos;
  union {
    bool b;
    int64_t i;
    double n;
    struct { const char *s; size_t len; } str;
    struct { pm_value **items; size_t len, cap; } arr;
    struct {
      pm_member *items;
      size_t len, cap;
      union {
        /* Untyped objects and maps: built once len passes a few keys. */
        pol_hindex index;
        /* Typed objects, once pm_setn has set a key: per field of the type,
        ** the position + 1 of its member in items (0: not set). Members
        ** appended behind pm_setn's back (scan/builder.c) are found by a
        ** scan until then. */
        uint16_t *field_at;
      };
      uint16_t schema;   /* PM_OBJ: its pm_schema_id (PM_SCHEMA_NONE: untyped) */
    } obj; /* PM_OBJ, PM_MAP */
  } u;
};

pm_value *pm_null(pol_arena *a, pm_pos pos);
pm_value *pm_bool(pol_arena *a, bool b, pm_pos pos);
pm_value *pm_int(pol_arena *a, int64_t i, pm_pos pos);
pm_value *pm_num(pol_arena *a, double n, pm_pos pos);
pm_value *pm_strn(pol_arena *a, const char *s, size_t len, pm_pos pos);
pm_value *pm_str(pol_arena *a, const char *s, pm_pos pos);
/* A string node over s[0..len) without a copy: s[len] must be NUL and s
** must live as long as the tree (in the tree's arena, or static). The
** model's strings are never written to once made, so nodes may share
** them. */
pm_value *pm_str_shared(pol_arena *a, const char *s, size_t len, pm_pos pos);
pm_value *pm_arr(pol_arena *a, pm_pos pos);
/* An object of no declared type (kinds not in schema.toml yet). */
pm_value *pm_obj(pol_arena *a, pm_pos pos);
/* An empty object of type `schema` (see model/build.h for one with every
** field at its empty value). */
pm_value *pm_obj_typed(pol_arena *a, pm_schema_id schema, pm_pos pos);
pm_value *pm_map(pol_arena *a, pm_pos pos);

/* Appends v (NULL tolerated: returns false) to an array. */
bool pm_push(pol_arena *a, pm_value *arr, pm_value *v);
/* Sets key to v in an object or map; the key is copied (a typed object's
** member keys point at its type's static field names instead). The key of a typed
** object must be a field of its type (asserted). */
bool pm_setn(pol_arena *a, pm_value *obj, const char *key, size_t key_len,
             pm_value *v);
bool pm_set(pol_arena *a, pm_value *obj, const char *key, pm_value *v);
/* pm_setn with the key given as an index into the fields of obj's type
** (obj must be typed; field < its nfields). */
bool pm_set_field(pol_arena *a, pm_value *obj, size_t field, pm_value *v);
/* Lookups; NULL when absent or when `obj` is not an object/map. */
pm_value *pm_getn(const pm_value *obj, const char *key, size_t key_len);
pm_value *pm_get(const pm_value *obj, const char *key);
/* Deep copy into another arena (for linking models across documents);
** object types are kept. */
pm_value *pm_clone(pol_arena *a, const pm_value *v);

/* Position helpers. */
pm_pos pm_pos_make(uint32_t line, uint32_t col, uint32_t end_line,
                   uint32_t end_col);
extern const pm_pos pm_nopos;

#endif
