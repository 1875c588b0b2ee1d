/*
** pragmas.h: hadolint's pragmas in a Dockerfile's comments, and what each
** covers, as hadolint 2.15 decides it (docs/hadolint.md):
**
** - `ignore` at line L covers the instruction that starts on line L+1
**   (all its lines); when line L+1 starts none (a blank line, another
**   comment), it covers nothing.
** - `stage ignore` at line L covers the instructions that start after
**   line L+1, up to and including the next FROM or the next line after a
**   later stage pragma (hadolint keys the pragma on line L+1 and applies
**   the greatest key below a finding's line; every FROM is a key). So
**   written above a FROM it covers that stage's instructions; written
**   inside a stage, the instruction right below it is not covered.
** - `global ignore` covers the whole file, wherever it is written.
** - `shell=NAME` declares the base image's shell: written before the
**   first FROM, for every stage (a stage built FROM another inherits
**   that one's); inside a stage, for that stage and those built FROM it.
**
** Only whole comment lines count (not a comment inside a continued
** instruction or a heredoc body). Every pragma goes to doc.pragmas
** (absent when there is none, as declared_shell is when no pragma
** declares one: a node's fingerprint hashes its members);
** the ignores also become doc.suppressions unless `ignores_off`
** (hadolint's disable-ignore-pragma).
*/
#ifndef POL_DF_PRAGMAS_H
#define POL_DF_PRAGMAS_H

#include <stdbool.h>
#include <stddef.h>

#include "../model/value.h"
#include "parser.h"

/* Reads the pragmas of `data` (the text `f` was parsed from) into doc:
** doc.pragmas, doc.suppressions, each image's declared_shell, and a
** warning for a comment that looks like a pragma but is not one, or an
** ignore pragma that covers nothing. Returns false when memory ran out. */
bool df_pragmas(pol_arena *a, pm_value *doc, const df_file *f, const char *data,
                size_t len, bool ignores_off);

#endif
