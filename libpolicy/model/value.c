/*
** value.c: building and reading the model tree (see value.h).
**
** Typed objects find a key through their type's field table
** (pm_schema_field) and a per-object map from field to member position;
** their members' keys point at the schema's names instead of copies.
** Lookups in untyped objects and maps of up to LINEAR_KEYS keys are linear
** scans; larger ones get a hash index (core/hindex), so building or
** reading a map of n keys stays O(n) however it was built.
*/
#include "value.h"

#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

const pm_pos pm_nopos = {NULL, 0, 0, 0, 0};

pm_pos pm_pos_make(uint32_t line, uint32_t col, uint32_t end_line,
                   uint32_t end_col) {
  pm_pos p = {NULL, line, col, end_line, end_col};
  return p;
}

static pm_value *value_new(pol_arena *a, pm_type t, pm_pos pos) {
  pm_value *v = pol_arena_calloc(a, 1, sizeof *v);
  if (v) {
    v->type = t;
    v->pos = pos;
  }
  return v;
}

pm_value *pm_null(pol_arena *a, pm_pos pos) { return value_new(a, PM_NULL, pos); }

pm_value *pm_bool(pol_arena *a, bool b, pm_pos pos) {
  pm_value *v = value_new(a, PM_BOOL, pos);
  if (v) v->u.b = b;
  return v;
}

pm_value *pm_int(pol_arena *a, int64_t i, pm_pos pos) {
  pm_value *v = value_new(a, PM_INT, pos);
  if (v) v->u.i = i;
  return v;
}

pm_value *pm_num(pol_arena *a, double n, pm_pos pos) {
  pm_value *v = value_new(a, PM_NUM, pos);
  if (v) v->u.n = n;
  return v;
}

pm_value *pm_strn(pol_arena *a, const char *s, size_t len, pm_pos pos) {
  pm_value *v = value_new(a, PM_STR, pos);
  if (v == NULL) return NULL;
  char *copy = pol_arena_strndup(a, s, len);
  if (copy == NULL) return NULL;
  v->u.str.s = copy;
  v->u.str.len = len;
  return v;
}

pm_value *pm_str_shared(pol_arena *a, const char *s, size_t len, pm_pos pos) {
  assert(s[len] == '\0');
  pm_value *v = value_new(a, PM_STR, pos);
  if (v == NULL) return NULL;
  v->u.str.s = s;
  v->u.str.len = len;
  return v;
}

pm_value *pm_str(pol_arena *a, const char *s, pm_pos pos) {
  return pm_strn(a, s, strlen(s), pos);
}

pm_value *pm_arr(pol_arena *a, pm_pos pos) { return value_new(a, PM_ARR, pos); }
pm_value *pm_obj(pol_arena *a, pm_pos pos) { return value_new(a, PM_OBJ, pos); }
pm_value *pm_map(pol_arena *a, pm_pos pos) { return value_new(a, PM_MAP, pos); }

pm_value *pm_obj_typed(pol_arena *a, pm_schema_id schema, pm_pos pos) {
  assert(schema < PM_SCHEMA_COUNT);
  pm_value *v = value_new(a, PM_OBJ, pos);
  if (v) v->u.obj.schema = (uint16_t)schema;
  return v;
}

bool pm_push(pol_arena *a, pm_value *arr, pm_value *v) {
  if (arr == NULL || v == NULL) return false;
  if (!pol_arena_grow(a, (void **)&arr->u.arr.items, &arr->u.arr.cap,
                      arr->u.arr.len + 1, sizeof(pm_value *)))
    return false;
  arr->u.arr.items[arr->u.arr.len++] = v;
  return true;
}

/* Untyped objects and maps up to this many keys are scanned; larger ones
** get a hash index. */
#define LINEAR_KEYS 8

static const char *member_key(const void *items, size_t i, size_t *len) {
  const pm_member *m = (const pm_member *)items + i;
  *len = m->key_len;
  return m->key;
}

static const pm_schema *typed(const pm_value *obj) {
  return obj->type == PM_OBJ && obj->u.obj.schema != PM_SCHEMA_NONE
             ? &pm_schemas[obj->u.obj.schema] : NULL;
}

static pm_member *member_scan(const pm_value *obj, const char *key, size_t n) {
  for (size_t i = 0; i < obj->u.obj.len; i++) {
    pm_member *m = &obj->u.obj.items[i];
    if (m->key_len == n && memcmp(m->key, key, n) == 0) return m;
  }
  return NULL;
}

static pm_member *member_find(const pm_value *obj, const char *key, size_t n) {
  const pm_schema *s = typed(obj);
  if (s) {
    /* A key that is no field can only be there through a builder bug
    ** (asserted in pm_setn): the scan finds it. */
    int f = obj->u.obj.field_at ? pm_schema_field(s, key, n) : -1;
    if (f < 0) return member_scan(obj, key, n);
    uint16_t at = obj->u.obj.field_at[f];
    return at ? &obj->u.obj.items[at - 1] : NULL;
  }
  if (obj->u.obj.index.cap) {
    size_t i = pol_hindex_find(&obj->u.obj.index, key, n, member_key, obj->u.obj.items);
    return i == SIZE_MAX ? NULL : &obj->u.obj.items[i];
  }
  return member_scan(obj, key, n);
}

/* A key its object's type does not declare: a bug of the builder (or a
** field missing from schema.toml). Says which before the assert fires. */
static bool key_declared(const pm_value *obj, const char *key, size_t n) {
  const pm_schema *s = pm_value_schema(obj);
  if (s == NULL || pm_schema_has(s, key, n)) return true;
  fprintf(stderr, "libpolicy: \"%.*s\" is not a field of \"%s\" in "
          "libpolicy/model/schema.toml\n", (int)(n > 64 ? 64 : n), key, s->name);
  return false;
}

/* Appends a member; `key` must outlive the tree (copied or static). */
static pm_member *member_append(pol_arena *a, pm_value *obj, const char *key,
                                size_t key_len, pm_value *v) {
  if (!pol_arena_grow(a, (void **)&obj->u.obj.items, &obj->u.obj.cap,
                      obj->u.obj.len + 1, sizeof(pm_member)))
    return NULL;
  pm_member *nm = &obj->u.obj.items[obj->u.obj.len++];
  nm->key = key;
  nm->key_len = key_len;
  nm->val = v;
  return nm;
}

/* Makes the field -> member map of a typed object (its first pm_setn), over
** the members it may already have, and room for every field at once. */
static bool field_map(pol_arena *a, pm_value *obj, const pm_schema *s) {
  uint16_t *at = pol_arena_calloc(a, s->nfields, sizeof *at);
  if (at == NULL) return false;
  for (size_t i = 0; i < obj->u.obj.len; i++) {
    const pm_member *m = &obj->u.obj.items[i];
    int f = pm_schema_field(s, m->key, m->key_len);
    if (f >= 0 && at[f] == 0) {
      if (i + 1 > UINT16_MAX) return false;
      at[f] = (uint16_t)(i + 1);
    }
  }
  if (obj->u.obj.cap < s->nfields) {
    pm_member *items = pol_arena_alloc(a, s->nfields * sizeof *items);
    if (items == NULL) return false;
    if (obj->u.obj.len) memcpy(items, obj->u.obj.items, obj->u.obj.len * sizeof *items);
    obj->u.obj.items = items;
    obj->u.obj.cap = s->nfields;
  }
  obj->u.obj.field_at = at;
  return true;
}

/* Sets field f of typed object obj (of type s). */
static bool set_field(pol_arena *a, pm_value *obj, const pm_schema *s, size_t f,
                      pm_value *v) {
  assert(f < s->nfields);
  if (obj->u.obj.field_at == NULL && !field_map(a, obj, s)) return false;
  uint16_t at = obj->u.obj.field_at[f];
  if (at) {
    obj->u.obj.items[at - 1].val = v;
    return true;
  }
  if (obj->u.obj.len + 1 > UINT16_MAX) return false;
  if (member_append(a, obj, s->fields[f].name, s->fields[f].name_len, v) == NULL)
    return false;
  obj->u.obj.field_at[f] = (uint16_t)obj->u.obj.len;
  return true;
}

bool pm_set_field(pol_arena *a, pm_value *obj, size_t field, pm_value *v) {
  if (obj == NULL || v == NULL) return false;
  const pm_schema *s = typed(obj);
  assert(s != NULL && field < s->nfields);
  return s && field < s->nfields && set_field(a, obj, s, field, v);
}

bool pm_setn(pol_arena *a, pm_value *obj, const char *key, size_t key_len,
             pm_value *v) {
  if (obj == NULL || v == NULL) return false;
  assert(obj->type == PM_OBJ || obj->type == PM_MAP);
  const pm_schema *s = typed(obj);
  if (s) {
    int f = pm_schema_field(s, key, key_len);
    if (f >= 0) return set_field(a, obj, s, (size_t)f, v);
    assert(key_declared(obj, key, key_len));
    /* Not a field (only without asserts): kept, found by a scan. */
    pm_member *m = member_scan(obj, key, key_len);
    if (m) {
      m->val = v;
      return true;
    }
    char *k = pol_arena_strndup(a, key, key_len);
    return k != NULL && member_append(a, obj, k, key_len, v) != NULL;
  }
  pm_member *m = member_find(obj, key, key_len);
  if (m) {
    m->val = v;
    return true;
  }
  char *k = pol_arena_strndup(a, key, key_len);
  if (k == NULL || member_append(a, obj, k, key_len, v) == NULL) return false;
  if (obj->u.obj.len > LINEAR_KEYS)
    return pol_hindex_add(a, &obj->u.obj.index, obj->u.obj.len - 1, obj->u.obj.len,
                   member_key, obj->u.obj.items);
  return true;
}

bool pm_set(pol_arena *a, pm_value *obj, const char *key, pm_value *v) {
  return pm_setn(a, obj, key, strlen(key), v);
}

pm_value *pm_getn(const pm_value *obj, const char *key, size_t key_len) {
  if (obj == NULL || (obj->type != PM_OBJ && obj->type != PM_MAP)) return NULL;
  pm_member *m = member_find(obj, key, key_len);
  return m ? m->val : NULL;
}

pm_value *pm_get(const pm_value *obj, const char *key) {
  return pm_getn(obj, key, strlen(key));
}

pm_value *pm_clone(pol_arena *a, const pm_value *v) {
  if (v == NULL) return NULL;
  pm_value *c;
  switch (v->type) {
  case PM_STR:
    c = pm_strn(a, v->u.str.s, v->u.str.len, v->pos);
    if (c && v->pos.file) c->pos.file = pol_arena_strdup(a, v->pos.file);
    return c;
  case PM_ARR:
    c = value_new(a, PM_ARR, v->pos);
    if (c == NULL) return NULL;
    for (size_t i = 0; i < v->u.arr.len; i++)
      if (!pm_push(a, c, pm_clone(a, v->u.arr.items[i]))) return NULL;
    break;
  case PM_OBJ:
  case PM_MAP:
    c = value_new(a, v->type, v->pos);
    if (c == NULL) return NULL;
    c->u.obj.schema = v->u.obj.schema;
    for (size_t i = 0; i < v->u.obj.len; i++) {
      const pm_member *m = &v->u.obj.items[i];
      if (!pm_setn(a, c, m->key, m->key_len, pm_clone(a, m->val))) return NULL;
    }
    break;
  default:
    c = value_new(a, v->type, v->pos);
    if (c) c->u = v->u;
    break;
  }
  if (c && v->pos.file) c->pos.file = pol_arena_strdup(a, v->pos.file);
  return c;
}
