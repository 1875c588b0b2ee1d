/*
** expr.h: a Lua expression over one document, for exploring the model
** (`policy eval`): what a rule would see, printed as JSON.
**
** The expression (or a chunk of statements ending in `return ...`) runs
** in the sandbox as untrusted code does, metered, with a globals table of
** its own over the base (so it sees `data`, `text`, the helper libraries
** and model_type like a rule) holding `document`, and the document's first
** `image`, `container`, `request` and `vulnerability` (nil when it has
** none); with a module set, the pack's `require` too. Its results become
** JSON: nil as null, booleans, numbers (non-finite ones as null),
** strings, model views as the model's JSON, tables as arrays (keys 1..n)
** or objects (keys sorted), and anything else (functions, libraries) as
** the text of its type. A table met again inside itself is written as
** "(cycle)", one nested deeper than 64 as "(too deep)".
*/
#ifndef POL_ENGINE_EXPR_H
#define POL_ENGINE_EXPR_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/buf.h"
#include "../model/value.h"
#include "modules.h"
#include "sandbox.h"

/* Flags of eng_expr_eval. */
enum { ENG_EXPR_PRETTY = 1u << 0, ENG_EXPR_POSITIONS = 1u << 1 };

/* Evaluates `expr` over `doc` and appends the JSON of its result (one
** value; several as an array) to *out. Returns an eng_sb_status: a syntax
** error is ENG_SB_ERR_SYNTAX, with "expression:LINE: message" appended
** to *err; a failure while running, as eng_sb_call reports it. */
int eng_expr_eval(eng_sandbox *sb, const char *expr, size_t len, const pm_value *doc,
                  const eng_mod_set *modules, unsigned flags, pol_buf *out, pol_buf *err);

#endif
