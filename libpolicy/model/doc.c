/*
** doc.c: document node helpers (see doc.h).
*/
#include "doc.h"

pm_value *pm_doc_new(pol_arena *a, const char *kind, const char *path) {
  pm_value *d = pm_obj_typed(a, PM_SCHEMA_DOCUMENT, pm_nopos);
  if (d == NULL) return NULL;
  if (!pm_set(a, d, "kind", pm_str(a, kind, pm_nopos)) ||
      !pm_set(a, d, "path", pm_str(a, path, pm_nopos)) ||
      !pm_set(a, d, "images", pm_arr(a, pm_nopos)) ||
      !pm_set(a, d, "containers", pm_arr(a, pm_nopos)) ||
      !pm_set(a, d, "errors", pm_arr(a, pm_nopos)) ||
      !pm_set(a, d, "warnings", pm_arr(a, pm_nopos)) ||
      !pm_set(a, d, "suppressions", pm_arr(a, pm_nopos)))
    return NULL;
  return d;
}

static bool doc_diag(pol_arena *a, pm_value *doc, const char *list,
                     const char *message, pm_pos pos) {
  pm_value *e = pm_obj_typed(a, PM_SCHEMA_DIAGNOSTIC, pos);
  if (e == NULL || !pm_set(a, e, "message", pm_str(a, message, pos)))
    return false;
  return pm_push(a, pm_get(doc, list), e);
}

bool pm_doc_error(pol_arena *a, pm_value *doc, const char *message, pm_pos pos) {
  return doc_diag(a, doc, "errors", message, pos);
}

bool pm_doc_warning(pol_arena *a, pm_value *doc, const char *message,
                    pm_pos pos) {
  return doc_diag(a, doc, "warnings", message, pos);
}
