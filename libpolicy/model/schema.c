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

#include "../core/editdist.h"
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

const char *pm_schema_suggest(const pm_schema *s, const char *key, size_t len) {
  if (s == NULL || len == 0 || len > POL_EDIT_MAX) return NULL;
  const char *best = NULL;
  size_t best_d = SIZE_MAX;
  for (size_t i = 0; i < s->nfields; i++) {
    const pm_field *f = &s->fields[i];
    size_t d = pol_edit_distance(key, len, f->name, f->name_len);
    size_t longer = len > f->name_len ? len : f->name_len;
    if (d < best_d && 2 * d <= longer) {
      best = f->name;
      best_d = d;
    }
  }
  return best;
}
