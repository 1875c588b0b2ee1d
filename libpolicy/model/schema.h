/*
** schema.h: the object types of the model and their fields, declared once
** in schema.toml (schema_gen.py compiles it into the tables behind this
** header and into the field tables of docs/model.md).
**
** Every PM_OBJ node the parsers build carries its object type
** (pm_obj_typed, pm_b_obj, pm_b_new). Setting a key that the type does
** not declare is an assert failure: a new field is added to schema.toml
** first. Objects of kinds not declared yet are untyped and read as
** before (an absent key is nil).
**
** The tables are constant: every function here is thread-safe.
*/
#ifndef POL_MODEL_SCHEMA_H
#define POL_MODEL_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/schema_ids.h" /* generated: the pm_schema_id enum */

typedef struct pm_value pm_value;

/* What pm_b_new puts in a field that a source has not set. */
typedef enum pm_empty {
  PM_EMPTY_NULL, /* null */
  PM_EMPTY_ARR,  /* [] */
  PM_EMPTY_MAP,  /* {} (a map: keys are data) */
  PM_EMPTY_OBJ   /* an object of type `object`, itself made by pm_b_new */
} pm_empty;

typedef struct pm_field {
  const char *name;
  uint8_t name_len;
  uint8_t empty;     /* pm_empty */
  bool optional;     /* present only when a source has it: not made by pm_b_new */
  uint16_t object;   /* PM_EMPTY_OBJ: the pm_schema_id of the nested object */
} pm_field;

typedef struct pm_schema {
  const char *name;       /* "container", ...; "" for PM_SCHEMA_NONE */
  const pm_field *fields; /* in schema.toml's order, the order of JSON output */
  size_t nfields;
} pm_schema;

/* Indexed by pm_schema_id (schema_tables.c, generated). */
extern const pm_schema pm_schemas[PM_SCHEMA_COUNT];

/* The type of an object node; NULL when obj is untyped or not an object. */
const pm_schema *pm_value_schema(const pm_value *obj);
/* The type's name as in schema.toml and docs/model.md ("image", ...). */
const char *pm_schema_name(const pm_schema *s);
/* Whether key[0..len) is a field of the type. */
bool pm_schema_has(const pm_schema *s, const char *key, size_t len);
/* The field nearest to key[0..len) by edit distance, when it is near
** enough to be a likely misspelling (at most half its letters differ), or
** NULL. For "did you mean" messages. */
const char *pm_schema_suggest(const pm_schema *s, const char *key, size_t len);

#endif
