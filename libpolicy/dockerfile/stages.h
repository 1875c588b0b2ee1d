/*
** stages.h: Dockerfile to model. Runs the parser (parser.h), BuildKit's
** instruction checks (instr.h) and the dispatcher's variable scoping
** (shlex.h), and builds one `image` node per stage in a document node
** (model/doc.h). RUN bodies are split into commands (shsplit.h).
**
** The model names are documented in docs/model.md.
*/
#ifndef POL_DF_BUILD_H
#define POL_DF_BUILD_H

#include <stdbool.h>
#include <stddef.h>

#include "../model/value.h"

typedef struct df_build_opts {
  const char *const *build_args; /* "NAME=value" strings (--build-arg) */
  size_t nbuild_args;
  const char *target;            /* stage name that is final, or NULL */
  size_t max_line_len;           /* 0: BuildKit's 65535 */
  bool hadolint_ignores_off;     /* hadolint's ignore pragmas cover nothing
                                 ** (disable-ignore-pragma; pragmas.h) */
} df_build_opts;

enum { DFB_OK = 0, DFB_ERR_NOMEM = 1 };

/* Builds the document for `len` bytes of Dockerfile text read from `path`.
** Input problems go into the document's errors[]/warnings[]; the return
** value is DFB_ERR_NOMEM only when memory ran out (then *doc is NULL). */
int df_build(pol_arena *a, const char *path, const char *data, size_t len,
             const df_build_opts *opts, pm_value **doc);

#endif
