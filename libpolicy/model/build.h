/*
** build.h: the one set of functions every source builds the model with
** (Dockerfile stages, Compose services, inspect output, requests).
**
** A pm_builder carries the arena and a sticky out-of-memory flag: the
** first allocation that fails sets `oom`, and from then on every call is
** a no-op that returns NULL, so a builder runs straight through and checks
** the flag once at the end. Setting or pushing a NULL value (the result
** of a failed call) sets the flag too.
**
** pm_b_new makes an object with every field of its type present at its
** empty value (null, [] or {}, nested objects made the same way), in the
** order of schema.toml: a source then sets only what it states, and a
** field nobody sets reads as "not stated", never as a guess.
*/
#ifndef POL_MODEL_BUILD_H
#define POL_MODEL_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "value.h"

typedef struct pm_builder {
  pol_arena *a;
  bool oom; /* sticky: an allocation failed */
} pm_builder;

pm_value *pm_b_null(pm_builder *b, pm_pos pos);
pm_value *pm_b_bool(pm_builder *b, bool v, pm_pos pos);
pm_value *pm_b_int(pm_builder *b, int64_t v, pm_pos pos);
pm_value *pm_b_num(pm_builder *b, double v, pm_pos pos);
pm_value *pm_b_strn(pm_builder *b, const char *s, size_t n, pm_pos pos);
pm_value *pm_b_str(pm_builder *b, const char *s, pm_pos pos);
pm_value *pm_b_arr(pm_builder *b, pm_pos pos);
pm_value *pm_b_map(pm_builder *b, pm_pos pos);
/* An empty object of a type. */
pm_value *pm_b_obj(pm_builder *b, pm_schema_id schema, pm_pos pos);
/* An object of a type with every field that is not optional at its empty
** value; nested objects get `pos`, the empty values no position. */
pm_value *pm_b_new(pm_builder *b, pm_schema_id schema, pm_pos pos);

/* obj[key] = v (replacing an earlier value in place). */
void pm_b_set(pm_builder *b, pm_value *obj, const char *key, pm_value *v);
void pm_b_setn(pm_builder *b, pm_value *obj, const char *key, size_t key_len,
               pm_value *v);
/* obj.fields[field] = v for a typed object, field being an index into its
** type's fields (pm_schema_field): pm_b_set without the name lookup, for
** a builder that sets the same fields on many objects. Inline, as
** pm_b_push: the parsers call them for every field of every node. */
static inline void pm_b_set_field(pm_builder *b, pm_value *obj, size_t field, pm_value *v) {
  if (!b->oom && !pm_set_field(b->a, obj, field, v)) b->oom = true;
}
static inline void pm_b_push(pm_builder *b, pm_value *arr, pm_value *v) {
  if (!b->oom && !pm_push(b->a, arr, v)) b->oom = true;
}
/* A string from t[0..n), or null when t is NULL. */
pm_value *pm_b_str_or_null(pm_builder *b, const char *t, size_t n, pm_pos pos);

#endif
