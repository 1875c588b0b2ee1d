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
  /* Field names -> field index + 1 (0 = empty slot): open addressing with
  ** linear probing from pm_field_slot, at most a quarter full (so a probe
  ** always ends at an empty slot). schema_gen.py builds it and picks
  ** hash_mult so that every field has a slot of its own when it can. */
  const uint8_t *hash;
  uint32_t hash_mult;
  uint8_t hash_bits;      /* the table has 1 << hash_bits slots */
} pm_schema;

/* What a field name (len 1..255) is hashed from; schema_gen.py's
** field_word computes the same. */
static inline uint32_t pm_field_word(const char *key, size_t len) {
  const unsigned char *k = (const unsigned char *)key;
  return (uint32_t)k[0] | (uint32_t)k[len - 1] << 8 | (uint32_t)k[len / 2] << 16 |
         (uint32_t)(len & 0xFF) << 24;
}

/* The first slot probed for a name in s's table. The tables are fixed, so
** no input can lengthen a probe: the hash needs no seed. */
static inline size_t pm_field_slot(const pm_schema *s, const char *key, size_t len) {
  return (uint32_t)(pm_field_word(key, len) * s->hash_mult) >> (32 - s->hash_bits);
}

/* Indexed by pm_schema_id (schema_tables.c, generated). */
extern const pm_schema pm_schemas[PM_SCHEMA_COUNT];

/* The type of an object node; NULL when obj is untyped or not an object. */
const pm_schema *pm_value_schema(const pm_value *obj);
/* The type's name as in schema.toml and docs/model.md ("image", ...). */
const char *pm_schema_name(const pm_schema *s);
/* Whether key[0..len) is a field of the type. */
bool pm_schema_has(const pm_schema *s, const char *key, size_t len);
/* The index in s->fields of the field named key[0..len), or -1 when it is
** not a field of the type (or s is NULL). O(1): one hash probe sequence. */
int pm_schema_field(const pm_schema *s, const char *key, size_t len);
/* The field nearest to key[0..len) by edit distance, when it is near
** enough to be a likely misspelling (at most half its letters differ), or
** NULL. For "did you mean" messages. */
const char *pm_schema_suggest(const pm_schema *s, const char *key, size_t len);

#endif
