/*
** schema.c: lookups in the schema tables (see schema.h). The tables
** themselves are generated from schema.toml into schema_tables.c.
**
** Lookups scan the fields of one type (at most a few dozen); they run
** when a model is built (one per key set, in asserting builds) and when a
** rule reads a field strictly, never per byte of input.
*/
#include "schema.h"

#include <assert.h>
#include <string.h>

#include "value.h"

const pm_schema *pm_value_schema(const pm_value *obj) {
  if (obj == NULL || obj->type != PM_OBJ || obj->u.obj.schema == PM_SCHEMA_NONE)
    return NULL;
  assert(obj->u.obj.schema < PM_SCHEMA_COUNT);
  return &pm_schemas[obj->u.obj.schema];
}

const char *pm_schema_name(const pm_schema *s) { return s ? s->name : ""; }

bool pm_schema_has(const pm_schema *s, const char *key, size_t len) {
  for (size_t i = 0; s && i < s->nfields; i++)
    if (s->fields[i].name_len == len && memcmp(s->fields[i].name, key, len) == 0)
      return true;
  return false;
}

/* Levenshtein distance of a[0..an) and b[0..bn), both at most 64 bytes. */
static size_t edit_distance(const char *a, size_t an, const char *b, size_t bn) {
  size_t row[65];
  assert(an <= 64 && bn <= 64);
  for (size_t j = 0; j <= bn; j++) row[j] = j;
  for (size_t i = 1; i <= an; i++) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= bn; j++) {
      size_t up = row[j];
      size_t best = diag + (a[i - 1] != b[j - 1]);
      if (up + 1 < best) best = up + 1;
      if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
      row[j] = best;
      diag = up;
    }
  }
  return row[bn];
}

const char *pm_schema_suggest(const pm_schema *s, const char *key, size_t len) {
  if (s == NULL || len == 0 || len > 64) return NULL;
  const char *best = NULL;
  size_t best_d = SIZE_MAX;
  for (size_t i = 0; i < s->nfields; i++) {
    const pm_field *f = &s->fields[i];
    size_t d = edit_distance(key, len, f->name, f->name_len);
    size_t longer = len > f->name_len ? len : f->name_len;
    if (d < best_d && 2 * d <= longer) {
      best = f->name;
      best_d = d;
    }
  }
  return best;
}
