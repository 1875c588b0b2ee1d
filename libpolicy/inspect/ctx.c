/*
** ctx.c: diagnostics and model-building helpers of the inspect builder
** (see insp.h).
*/
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../model/doc.h"
#include "insp.h"
#include "posjson.h"

/* A position inside a decoded RequestBody is not a place in the file:
** the diagnostic goes to the RequestBody member and says where. */
static void diag(insp_ctx *c, bool error, pm_pos pos, const char *fmt,
                 va_list ap) {
  char msg[512];
  int n = 0;
  if (pos.file != NULL) {
    n = snprintf(msg, sizeof msg, "RequestBody (decoded) %u:%u: ",
                 (unsigned)pos.line, (unsigned)pos.col);
    pos = c->body_at;
  }
  vsnprintf(msg + n, sizeof msg - (size_t)n, fmt, ap);
  /* A field read twice (an update's PidsLimit is a resource and a lifted
  ** limit) says the same thing once. */
  const pm_value *list = pm_get(c->doc, error ? "errors" : "warnings");
  const pm_value *last = list && list->u.arr.len ? list->u.arr.items[list->u.arr.len - 1] : NULL;
  const pm_value *lm = pm_get(last, "message");
  if (lm && last->pos.file == pos.file && last->pos.line == pos.line &&
      last->pos.col == pos.col && !strcmp(lm->u.str.s, msg))
    return;
  bool ok = error ? pm_doc_error(c->pm.a, c->doc, msg, pos)
                  : pm_doc_warning(c->pm.a, c->doc, msg, pos);
  if (!ok) c->pm.oom = true;
}

void insp_error(insp_ctx *c, pm_pos pos, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  diag(c, true, pos, fmt, ap);
  va_end(ap);
}

void insp_warning(insp_ctx *c, pm_pos pos, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  diag(c, false, pos, fmt, ap);
  va_end(ap);
}

pm_value *insp_str_or_null(insp_ctx *c, const pm_value *src, pm_pos pos) {
  if (src && src->type == PM_STR && src->u.str.len > 0) return (pm_value *)src;
  return pm_b_null(&c->pm, src ? src->pos : pos);
}

pm_value *insp_or_null(insp_ctx *c, const pm_value *src, pm_pos pos) {
  return src ? (pm_value *)src : pm_b_null(&c->pm, pos);
}
