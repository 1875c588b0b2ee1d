/*
** load.h: JSON and YAML texts into model trees, for data documents
** (`--data`), the configuration file and, later, Compose and inspect
** sources. Every node keeps the line and column it was written at (JSON
** objects and arrays get the position of their first byte; scalars the
** position of their text).
**
** Limits: nesting deeper than `max_depth` and more than `max_nodes` nodes
** (aliases count their expanded size) are errors, so neither a deep
** document nor an alias bomb can exhaust the stack or the memory.
*/
#ifndef POL_MODEL_LOAD_H
#define POL_MODEL_LOAD_H

#include <stddef.h>

#include "../core/buf.h"
#include "value.h"

typedef struct pm_load_limits {
  size_t max_depth;  /* e.g. 256 */
  size_t max_nodes;  /* e.g. 1000000 */
} pm_load_limits;

enum { PM_LOAD_OK = 0, PM_LOAD_SYNTAX = 1, PM_LOAD_NOMEM = 2 };

/* On PM_LOAD_SYNTAX, *err receives "line:column: message" (no file name)
** and *out is NULL. Objects become PM_MAP (their keys are data). */
int pm_load_json(pol_arena *a, const char *text, size_t len,
                 const pm_load_limits *limits, pm_value **out, pol_buf *err);

/* YAML 1.1 as libyaml reads it; the first document only. Plain scalars are
** typed by the YAML 1.2 core schema (null, ~, true/false, integers in
** decimal, 0x and 0o, floats, .inf, .nan); yes/no/on/off stay strings;
** quoted ones are strings. Duplicate keys are errors. */
int pm_load_yaml(pol_arena *a, const char *text, size_t len,
                 const pm_load_limits *limits, pm_value **out, pol_buf *err);

#endif
