/*
** suppress.h: inline suppression comments.
**
** libpolicy's own form, shared by every source that has comments
** (Dockerfile, Compose):
**
**   # policy ignore=<id or ref>[,<id or ref>...] [-- reason]
**   # policy global ignore=<...> [-- reason]
**
** A non-global suppression covers the instruction or key right after the
** comment; a global one covers the whole file. Compose files also accept
** `hadolint` in place of `policy` with the same meaning. Each becomes an
** entry of the document's `suppressions` list:
**   {ids: [...], reason, global, line, end_line, pos}
** where line..end_line is the covered range (0..0 for global).
**
** hadolint's pragmas, in Dockerfiles (pm_pragma_parse; the Dockerfile
** front end decides what each covers, as hadolint does):
**
**   hadolint ignore=CODE[,CODE...] [# comment]        the next line
**   hadolint stage ignore=CODE[,...] [# comment]      the rest of the stage
**   hadolint global ignore=CODE[,...] [# comment]     the whole file
**   hadolint shell=NAME [# comment]                   the base image's shell
**
** parsed as hadolint parses them: case-sensitive, blanks (spaces, tabs)
** allowed around `=` and the commas and required after `hadolint`,
** `global` and `stage`; a code is a run of the letters D, L, S, C and
** digits, and one that is not (or anything else left over) voids the
** whole comment.
*/
#ifndef POL_MODEL_SUPPRESS_H
#define POL_MODEL_SUPPRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "value.h"

/* Parses one comment's text (with or without its leading '#') in
** libpolicy's form. When it is a suppression, appends the entry to
** doc.suppressions (created on first use) covering lines [line,
** end_line] and returns true; *oom is set when memory ran out. */
bool pm_suppression(pol_arena *a, pm_value *doc, const char *text,
                    size_t len, pm_pos comment_pos, uint32_t line,
                    uint32_t end_line, bool *oom);

/* Whether a comment (with or without its leading '#') is written in
** hadolint's form: its first word is `hadolint`. In a Dockerfile such a
** comment is a hadolint pragma or nothing, never pm_suppression's. */
bool pm_hadolint_comment(const char *text, size_t len);

typedef enum pm_pragma_kind {
  PM_PRAGMA_NONE = 0,
  PM_PRAGMA_IGNORE,   /* the next line */
  PM_PRAGMA_STAGE,    /* from there to the end of the build stage */
  PM_PRAGMA_GLOBAL,   /* the whole file */
  PM_PRAGMA_SHELL     /* the shell the stage's base image runs RUN with */
} pm_pragma_kind;

/* A parsed pragma; the pointers are into the text parsed. */
typedef struct pm_pragma {
  pm_pragma_kind kind;
  const char *codes, *codes_end; /* ignore kinds: the codes and their
                                 ** separators, before any comment */
  const char *note, *note_end;   /* the trailing `# comment`'s text, or
                                 ** note == note_end */
  const char *shell;             /* PM_PRAGMA_SHELL: the name */
  size_t shell_len;
} pm_pragma;

/* Parses a comment's text after its '#' (a trailing '\r' is the
** caller's to drop) as a hadolint pragma. Returns the kind, PM_PRAGMA_NONE
** when the text is not one (*out is then unspecified). */
pm_pragma_kind pm_pragma_parse(const char *text, size_t len, pm_pragma *out);

/* Whether a comment's text after its '#' reads as an attempt at a pragma
** (`hadolint` followed by ignore, global, stage or shell) that
** pm_pragma_parse refuses: worth a warning, since hadolint drops it. */
bool pm_pragma_malformed(const char *text, size_t len);

/* The codes of an ignore pragma as a new list of strings at pos; NULL
** when memory ran out. */
pm_value *pm_pragma_codes(pol_arena *a, const pm_pragma *p, pm_pos pos);

/* Appends {kind, ids, shell, line} at pos (the comment's) to
** doc.pragmas (created on first use). Returns false when memory ran out. */
bool pm_pragma_add(pol_arena *a, pm_value *doc, const pm_pragma *p, pm_pos pos);

/* Appends a suppression of the pragma's codes to doc.suppressions,
** covering lines [line, end_line] (ignored when global), with the
** pragma's comment as its reason. Returns false when memory ran out. */
bool pm_pragma_suppression(pol_arena *a, pm_value *doc, const pm_pragma *p,
                           pm_pos pos, bool global, uint32_t line,
                           uint32_t end_line);

#endif
