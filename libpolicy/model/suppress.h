/*
** suppress.h: inline suppression comments, shared by every source that
** has comments (Dockerfile, Compose):
**
**   # policy ignore=<id or ref>[,<id or ref>...] [-- reason]
**   # policy global ignore=<...> [-- reason]
**   # hadolint ignore=DL3008,DL3009          (hadolint's own syntax)
**   # hadolint global ignore=DL3008
**
** A non-global suppression covers the instruction or key right after the
** comment; a global one covers the whole file. Each becomes an entry of
** the document's `suppressions` list:
**   {ids: [...], reason, global, line, end_line, pos}
** where line..end_line is the covered range (0..0 for global).
*/
#ifndef POL_MODEL_SUPPRESS_H
#define POL_MODEL_SUPPRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "value.h"

/* Parses one comment's text (with or without its leading '#'). When it is
** a suppression, appends the entry to doc.suppressions (created on first
** use) covering lines [line, end_line] and returns true; *oom is set when
** memory ran out. */
bool pm_suppression(pol_arena *a, pm_value *doc, const char *text,
                    size_t len, pm_pos comment_pos, uint32_t line,
                    uint32_t end_line, bool *oom);

#endif
