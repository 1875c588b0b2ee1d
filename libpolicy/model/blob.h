/*
** blob.h: a value tree in a compact binary form, made at build time from
** the built-in pack's YAML data documents (policies/datac.c, with this
** library's own YAML loader) and read back at load time without parsing
** YAML again (api/rules.c: policy_engine_load_builtin).
**
** Form: "PMB1", then one value: its pm_type (a byte), its position (line,
** col, end_line, end_col as varints), then NULL: nothing; BOOL: a byte;
** INT, NUM: 8 bytes (this machine's order: the form never leaves the
** build); STR: varint length, bytes; ARR: varint count, values; MAP:
** varint count, then per member varint key length, key bytes, value.
** Objects of a schema and positions in another file have no form: the
** YAML loader makes neither.
*/
#ifndef POL_MODEL_BLOB_H
#define POL_MODEL_BLOB_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/buf.h"
#include "value.h"

/* Appends v's form to *out. False when v holds what has no form (a
** PM_OBJ, a position naming a file, more than 256 levels) or out of
** memory (out->oom). */
bool pm_blob_write(const pm_value *v, pol_buf *out);

/* Rebuilds the value of a form in arena a, as the YAML loader built it
** (pm_* constructors, the same positions). Returns PM_LOAD_OK,
** PM_LOAD_NOMEM, or PM_LOAD_SYNTAX for bytes that are not a whole form. */
int pm_blob_read(pol_arena *a, const void *bytes, size_t len, pm_value **out);

#endif
