/*
** shsplit.h: splits a POSIX shell script (a RUN body) into simple commands
** so rules can ask questions such as "is there an apt-get install without
** --no-install-recommends".
**
** This is a static reading of the script, not an interpreter: words keep
** $VAR references unexpanded (the shell expands them at build time), quotes
** are removed and backslash escapes applied the way sh does. Control
** operators (&&, ||, ;, |, &, newline), groupings ((...), {...;}),
** compound commands (if/then/elif/else/fi, for/while/until/do/done,
** case/esac), comments, redirections (removed from argv), and leading
** NAME=value assignments are understood. Commands inside $(...), `...`,
** <(...) and `sh -c '...'` (also bash/ash/dash/zsh/ksh/mksh and busybox
** sh, with flags before -c, behind sudo/env/exec/command/nohup/time; and
** su -c) are split too and reported after their parent with depth + 1.
**
** Offsets are byte offsets into the input text; the caller maps them to
** file positions. Everything allocated lives in the arena.
**
** Reported: every simple command with at least one argv word, in source
** order, each followed by the commands of its substitutions and sh -c
** script. Assignment-only commands (A=1) are not reported, but commands
** inside their $(...) are. Words of for-lists, case words and patterns,
** redirection targets and heredoc bodies are not commands.
*/
#ifndef POL_DF_SHSPLIT_H
#define POL_DF_SHSPLIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/arena.h"

typedef struct df_sh_word {
  const char *s;  /* unquoted text, NUL-terminated */
  size_t len;
  size_t off;     /* source range [off, end) in the input; for commands */
  size_t end;     /* from a nested sh -c string that is not one plain
                  ** quoted word, the string's range */
} df_sh_word;

typedef struct df_sh_command {
  df_sh_word *argv;      /* at least one word */
  size_t argc;
  df_sh_word *assigns;   /* NAME=value prefixes, as written minus quotes */
  size_t nassigns;
  uint32_t pipeline;  /* commands joined by | share this number (a
                         compound command in a pipeline passes it on to
                         the command that follows its opening word) */
  uint32_t pipe_index;/* 0 for the first command of its pipeline */
  const char *op_before; /* "&&", "||", ";", "|", "&", "\n" or NULL: the
                            control operator read last before the command,
                            ";" for ";;"; NULL for the first command of a
                            script (a nested one included) */
  uint32_t depth;     /* 0 top level; +1 per $(...), `...`, sh -c */
  size_t off, end;    /* source range of the whole simple command */
} df_sh_command;

typedef struct df_sh_limits {
  size_t max_depth;     /* nesting of $(...), sh -c, groups; e.g. 64 */
  size_t max_commands;  /* e.g. 100000 */
} df_sh_limits;            /* NULL or 0 fields: 64 and 100000 */

/* SH_ERR_LIMIT: nesting deeper than max_depth or more than max_commands
** commands; nothing is returned then. */
enum { SH_OK = 0, SH_ERR_LIMIT = 1, SH_ERR_NOMEM = 2 };

/* Never fails on bad syntax (unterminated quotes end at end of input): a
** Dockerfile's RUN text is not validated by the builder either. */
int df_shsplit(pol_arena *a, const char *text, size_t len,
            const df_sh_limits *limits, df_sh_command **out, size_t *count);

#endif
