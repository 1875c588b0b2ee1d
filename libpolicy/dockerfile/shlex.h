/*
** shlex.h: BuildKit's Dockerfile word lexer and variable expander
** (frontend/dockerfile/shell: ProcessWord, ProcessWords and the raw mode
** used for heredoc detection), byte-exact for Linux targets.
**
** Nothing here allocates from an arena: results are written to pol_buf
** outputs that the caller owns. All functions are reentrant.
*/
#ifndef POL_DF_SHLEX_H
#define POL_DF_SHLEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/buf.h"

/* Looks a variable up. Returns true and sets *val and *len when `name` is set
** (possibly to the empty string); false when it is unset. `name` is not
** NUL-terminated. Names are compared case-sensitively (Linux). */
typedef bool (*df_shlex_lookup_fn)(const char *name, size_t name_len,
                                const char **val, size_t *val_len,
                                void *user_data);

typedef struct df_shlex_env {
  df_shlex_lookup_fn lookup; /* NULL: every variable is unset */
  void *user_data;
  uint64_t *budget;       /* pattern-matching steps left for every call
                             that shares it (one Dockerfile), spent as
                             they go; NULL: only SHLEX_MATCH_STEPS per
                             substitution */
} df_shlex_env;

enum df_shlex_flags {
  SHLEX_RAW_QUOTES = 1u << 0, /* keep quote characters in the output */
  SHLEX_SKIP_UNSET = 1u << 1, /* leave unset $X / ${X...} as written */
  SHLEX_RAW_ESCAPES = 1u << 2,/* keep escape tokens in the output (upstream
                                 RawEscapes; heredoc detection sets all of
                                 RAW_QUOTES, RAW_ESCAPES and SKIP_UNSET) */
  SHLEX_SKIP_QUOTES = 1u << 3 /* quotes are ordinary characters (upstream
                                 SkipProcessQuotes, used to expand COPY/ADD
                                 heredoc bodies) */
};

/* ${...} nesting deeper than this fails with a syntax error instead of
** exhausting the C stack (upstream has no limit). */
#define SHLEX_MAX_DEPTH 1000

/* Fixed limits (upstream has none), so that a few bytes of input can
** neither take minutes nor gigabytes: a result longer than SHLEX_MAX_LEN
** bytes ($A$A$A... or ${A//x/$A} over a long value) and a pattern
** substitution (${A#p}, ${A%p}, ${A/p/r} and their doubled forms) that
** needs more than SHLEX_MATCH_STEPS matcher steps fail with a syntax
** error naming the limit. SHLEX_DOC_MATCH_STEPS is the budget callers
** give one document (df_shlex_env.budget). */
#define SHLEX_MAX_LEN ((size_t)16 << 20)
#define SHLEX_MATCH_STEPS ((uint64_t)1 << 25)
#define SHLEX_DOC_MATCH_STEPS ((uint64_t)1 << 26)

/* Records which variable names expansion looked up. Names are appended to
** `matched` or `unmatched` as NUL-separated entries, each name once (in
** first-seen order; callers sort when they need to). Either may be NULL. */
typedef struct df_shlex_names {
  pol_buf *matched;
  pol_buf *unmatched;
} df_shlex_names;

enum {
  SHLEX_OK = 0,
  SHLEX_ERR_SYNTAX = 1, /* *err holds the exact upstream message,
                           "failed to process \"<input>\": <reason>" */
  SHLEX_ERR_NOMEM = 2
};

/* ProcessWord: one word in, one string out (quotes removed, escapes
** applied, variables expanded). Appends to *out; on error appends the
** message to *err (which may be NULL) and leaves *out and *names as they
** were. `escape` is '\\' or '`'. */
int df_shlex_process_word(const char *in, size_t len, char escape,
                       unsigned flags, const df_shlex_env *env,
                       pol_buf *out, pol_buf *err, df_shlex_names *names);

/* True when df_shlex_process_word would give in[0..len) back as it is,
** whatever the flags and variables: ASCII text with no quote, '$', '<'
** or escape token, and no longer than SHLEX_MAX_LEN. A caller may then
** skip the call (nothing is looked up, nothing can fail). */
bool df_shlex_is_literal(const char *in, size_t len, char escape);

/* ProcessWords: expands, then splits on whitespace outside quotes (the
** value of an unquoted $VAR is split too; "<<" and the spaces, tabs and
** CRs right after it stay glued to the word that follows, as upstream does
** for heredoc detection). Words are appended to *out as
** NUL-terminated strings one after another; *count receives their number.
** A word may not contain NUL in this form. On error nothing is appended
** to *out and *count is 0. */
int df_shlex_process_words(const char *in, size_t len, char escape,
                        unsigned flags, const df_shlex_env *env,
                        pol_buf *out, size_t *count, pol_buf *err);

/* Appends s[0..len) quoted the way Go's strconv.Quote (fmt %q) does it:
** the form used in the "failed to process" prefix. */
void df_shlex_go_quote(pol_buf *out, const char *s, size_t len);

#endif
