/*
** dotenv.h: `.env` files (and --env-file), the variables Compose uses for
** interpolation, in the format of the Compose specification:
**
**   # comment               blank lines and comments are skipped
**   NAME=value              unquoted: trimmed; " #" starts a comment
**   export NAME=value       `export ` is accepted; `NAME: value` too
**   NAME='literal'          single quotes: taken as is (may span lines)
**   NAME="a\n${OTHER}"      double quotes: \n \r \t \\ \" \$ escapes,
**                           may span lines
**   NAME                    takes NAME from the environment, if set
**
** Unquoted and double-quoted values are interpolated (interp.h) with the
** variables defined above them, then `outer`. A value that needs a
** variable nobody defines leaves its name unset.
*/
#ifndef POL_COMPOSE_DOTENV_H
#define POL_COMPOSE_DOTENV_H

#include <stddef.h>

#include "../core/buf.h"
#include "../model/value.h"
#include "interp.h"

enum { CMP_DOTENV_OK = 0, CMP_DOTENV_SYNTAX = 1, CMP_DOTENV_NOMEM = 2 };

/* Parses text into `vars` (a PM_MAP of name -> string, later lines win).
** On CMP_DOTENV_SYNTAX, *err holds the message and *err_line the line. */
int cmp_dotenv(pol_arena *a, const char *text, size_t len, const char *file,
               const cmp_lookup *outer, pm_value *vars, pol_buf *err,
               uint32_t *err_line);

#endif
