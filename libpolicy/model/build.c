/*
** build.c: model builders with a sticky out-of-memory flag (see build.h).
*/
#include "build.h"

#include <assert.h>
#include <string.h>

static pm_value *track(pm_builder *b, pm_value *v) {
  if (v == NULL) b->oom = true;
  return v;
}

pm_value *pm_b_null(pm_builder *b, pm_pos pos) {
  return b->oom ? NULL : track(b, pm_null(b->a, pos));
}

pm_value *pm_b_bool(pm_builder *b, bool v, pm_pos pos) {
  return b->oom ? NULL : track(b, pm_bool(b->a, v, pos));
}

pm_value *pm_b_int(pm_builder *b, int64_t v, pm_pos pos) {
  return b->oom ? NULL : track(b, pm_int(b->a, v, pos));
}

pm_value *pm_b_num(pm_builder *b, double v, pm_pos pos) {
  return b->oom ? NULL : track(b, pm_num(b->a, v, pos));
}

pm_value *pm_b_strn(pm_builder *b, const char *s, size_t n, pm_pos pos) {
  return b->oom ? NULL : track(b, pm_strn(b->a, s, n, pos));
}

pm_value *pm_b_str(pm_builder *b, const char *s, pm_pos pos) {
  return pm_b_strn(b, s, strlen(s), pos);
}

pm_value *pm_b_arr(pm_builder *b, pm_pos pos) {
  return b->oom ? NULL : track(b, pm_arr(b->a, pos));
}

pm_value *pm_b_map(pm_builder *b, pm_pos pos) {
  return b->oom ? NULL : track(b, pm_map(b->a, pos));
}

pm_value *pm_b_obj(pm_builder *b, pm_schema_id schema, pm_pos pos) {
  return b->oom ? NULL : track(b, pm_obj_typed(b->a, schema, pos));
}

/* Nesting of types whose fields are non-nullable objects (container ->
** security) is shallow; the bound turns a cycle in schema.toml into an
** assert instead of a stack overflow. */
#define MAX_NEW_DEPTH 8

static pm_value *new_object(pm_builder *b, pm_schema_id schema, pm_pos pos,
                            int depth) {
  assert(schema > PM_SCHEMA_NONE && schema < PM_SCHEMA_COUNT);
  assert(depth < MAX_NEW_DEPTH);
  const pm_schema *s = &pm_schemas[schema];
  pm_value *o = pm_b_obj(b, schema, pos);
  for (size_t i = 0; o && i < s->nfields; i++) {
    const pm_field *f = &s->fields[i];
    if (f->optional) continue;
    pm_value *v;
    switch ((pm_empty)f->empty) {
    case PM_EMPTY_ARR: v = pm_b_arr(b, pm_nopos); break;
    case PM_EMPTY_MAP: v = pm_b_map(b, pm_nopos); break;
    case PM_EMPTY_OBJ: v = new_object(b, (pm_schema_id)f->object, pos, depth + 1); break;
    default: v = pm_b_null(b, pm_nopos); break;
    }
    if (!b->oom && !pm_set_field(b->a, o, i, v)) b->oom = true;
  }
  return b->oom ? NULL : o;
}

pm_value *pm_b_new(pm_builder *b, pm_schema_id schema, pm_pos pos) {
  return new_object(b, schema, pos, 0);
}

void pm_b_setn(pm_builder *b, pm_value *obj, const char *key, size_t key_len,
               pm_value *v) {
  if (!b->oom && !pm_setn(b->a, obj, key, key_len, v)) b->oom = true;
}

void pm_b_set(pm_builder *b, pm_value *obj, const char *key, pm_value *v) {
  pm_b_setn(b, obj, key, strlen(key), v);
}

pm_value *pm_b_str_or_null(pm_builder *b, const char *t, size_t n, pm_pos pos) {
  return t ? pm_b_strn(b, t, n, pos) : pm_b_null(b, pos);
}
