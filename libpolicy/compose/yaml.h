/*
** yaml.h: a Compose file's YAML text into model trees, as compose-go's
** YAML library reads it.
**
** - Every document of the stream is returned (Compose merges them in
**   order, like override files); anchors are per document.
** - Plain scalars are typed as yaml.v3 types them: null (~, null, empty),
**   true/false (yes/no/on/off stay strings), integers (decimal, 0x, 0o,
**   0b, a leading 0 for octal, `_` separators), floats (.inf, .nan);
**   quoted scalars and `!!str` are strings. No sexagesimal numbers, so
**   `22:22` stays a string.
** - Mapping keys are the key's text; a key written twice is an error.
**   Mappings become PM_MAP, sequences PM_ARR.
** - Merge keys: `<<: *a` and `<<: [*a, *b]` copy the members of the
**   merged mappings that the mapping does not set itself; with a list,
**   earlier mappings win.
** - `!reset` and `!override` are recorded as marks (marks.h).
** - Positions: a mapping value spans from its key to its end, so a field
**   points at the key that set it; pos.file is `file`.
** - Limits: nesting deeper than max_depth and more than max_nodes values
**   (an alias counts the size of what it repeats) are errors, so neither a
**   deep file nor an alias bomb can exhaust the stack or the memory.
**
** For suppression comments the loader also reports, per line, the last
** line of the largest key or sequence entry that starts on it, and which
** lines are inside multi-line scalars (where '#' is text, not a comment).
*/
#ifndef POL_COMPOSE_YAML_H
#define POL_COMPOSE_YAML_H

#include <stddef.h>
#include <stdint.h>

#include "../core/buf.h"
#include "../model/load.h"
#include "marks.h"

typedef struct cmp_yaml {
  pm_value **docs;        /* one root per document */
  size_t ndocs;
  uint32_t nlines;
  uint32_t *span_end;     /* [line]: last line of the entry starting there, or 0 */
  uint8_t *in_scalar;     /* [line]: 1 inside a multi-line scalar */
} cmp_yaml;

enum { CMP_YAML_OK = 0, CMP_YAML_SYNTAX = 1, CMP_YAML_NOMEM = 2 };

/* Loads `len` bytes. On CMP_YAML_SYNTAX, *err holds the message and
** *err_pos where it is. Tags go into `marks`. */
int cmp_yaml_load(pol_arena *a, const char *text, size_t len, const char *file,
                  const pm_load_limits *lim, cmp_marks *marks, cmp_yaml *out,
                  pol_buf *err, pm_pos *err_pos);

#endif
