/*
** schema.c: lookups in the schema tables (see schema.h). The tables
** themselves are generated from schema.toml into schema_tables.c.
**
** A field name is found by one probe sequence in the type's generated
** hash table (pm_schema_field); model building and reading use it for
** every key of a typed object (value.c).
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

int pm_schema_field(const pm_schema *s, const char *key, size_t len) {
  if (s == NULL || s->hash == NULL || len == 0 || len > UINT8_MAX) return -1;
  size_t mask = ((size_t)1 << s->hash_bits) - 1;
  for (size_t i = pm_field_slot(s, key, len);; i = (i + 1) & mask) {
    unsigned e = s->hash[i];
    if (e == 0) return -1;
    assert(e <= s->nfields);
    const pm_field *f = &s->fields[e - 1];
    if (f->name_len == len && memcmp(f->name, key, len) == 0) return (int)e - 1;
  }
}

bool pm_schema_has(const pm_schema *s, const char *key, size_t len) {
  return pm_schema_field(s, key, len) >= 0;
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
