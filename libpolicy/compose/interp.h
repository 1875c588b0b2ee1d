/*
** interp.h: Compose variable interpolation in one string, as compose-go
** does it:
**
**   $$            a literal $
**   $NAME ${NAME} the value (NAME: [_a-zA-Z][_a-zA-Z0-9]*)
**   ${NAME:-x}    x when NAME is unset or empty     ${NAME-x}  when unset
**   ${NAME:?msg}  an error when unset or empty       ${NAME?msg} when unset
**   ${NAME:+x}    x when NAME is set and not empty   ${NAME+x}  when set
**
** The operator found first in the braces wins; x and msg are interpolated
** in turn (nesting is bounded). A `$` followed by anything else is kept.
**
** A variable that has no value and no default is not replaced by an
** empty string: the reference is kept as written and its name is
** reported, so callers can tell "unknown" from "empty".
*/
#ifndef POL_COMPOSE_INTERP_H
#define POL_COMPOSE_INTERP_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/buf.h"

typedef struct cmp_lookup {
  /* The value of a variable (`*vlen` bytes), or NULL when it is unset. */
  const char *(*get)(void *ud, const char *name, size_t len, size_t *vlen);
  void *ud;
} cmp_lookup;

enum {
  CMP_SUBST_OK = 0,
  CMP_SUBST_MISSING = 1, /* some variables had no value: see `missing` */
  CMP_SUBST_ERROR = 2,   /* `err` holds compose's message */
  CMP_SUBST_NOMEM = 3
};

/* Interpolates s[0..n) into `out` (appended). Names of variables without a
** value are appended to `missing`, each followed by a NUL. */
int cmp_subst(const cmp_lookup *env, const char *s, size_t n, pol_buf *out,
              pol_buf *missing, pol_buf *err);

/* True when s[0..n) has a reference to a variable named in `missing`
** (NUL-separated names), i.e. a part of a value that is unknown. */
bool cmp_subst_uses(const char *s, size_t n, const char *missing,
                    size_t missing_len);

#endif
