/*
** names.c: see names.h; also policy_engine_rule_find.
*/
#include "names.h"

#include <stdio.h>
#include <string.h>

size_t api_rule_named(const policy_engine *e, const char *name) {
  for (size_t i = 0; i < e->nrules; i++)
    if (eng_rule_matches(e->rules[i], name)) return i;
  return api_code_family(e, name); /* SC2086: the rule reporting under it */
}

int policy_engine_rule_find(size_t *index, const policy_engine *e,
                            const char *id_or_ref) {
  if (index == NULL || e == NULL || id_or_ref == NULL) return POLICY_ERR_INVALID;
  size_t i = api_rule_named(e, id_or_ref);
  if (i == SIZE_MAX) return POLICY_ERR_INVALID;
  *index = i;
  return POLICY_OK;
}

static bool add_warning(policy_report *rep, const char *file, pm_pos pos,
                        const char *message, const char *kind) {
  rep_item it = {0};
  it.file = file;
  it.message = message;
  it.kind = kind;
  it.line = it.end_line = pos.line;
  it.column = pos.col;
  it.end_column = pos.end_col;
  return rep_add(rep, &rep->warnings, &it);
}

static bool add_input_warnings(policy_report *rep, const policy_document *doc) {
  const pm_value *list = pm_get(doc->root, "warnings");
  for (size_t i = 0; list && list->type == PM_ARR && i < list->u.arr.len; i++) {
    const pm_value *w = list->u.arr.items[i], *m = pm_get(w, "message");
    const char *file = w->pos.file ? w->pos.file : doc->path;
    if (!add_warning(rep, file, w->pos, m && m->type == PM_STR ? m->u.str.s : "warning", "input"))
      return false;
  }
  return true;
}

/* Each id of a suppression comment that no loaded rule answers to. */
static bool add_unknown_ids(policy_report *rep, const policy_engine *e,
                            const policy_document *doc) {
  const pm_value *list = pm_get(doc->root, "suppressions");
  for (size_t i = 0; list && list->type == PM_ARR && i < list->u.arr.len; i++) {
    const pm_value *s = list->u.arr.items[i], *ids = pm_get(s, "ids"), *file = pm_get(s, "file");
    for (size_t k = 0; ids && ids->type == PM_ARR && k < ids->u.arr.len; k++) {
      const pm_value *id = ids->u.arr.items[k];
      if (id->type != PM_STR || api_rule_named(e, id->u.str.s) != SIZE_MAX) continue;
      char msg[400];
      snprintf(msg, sizeof msg, "the suppression comment for this line names '%.200s', which is neither "
               "the id nor a ref of a loaded rule (see policy rules)", id->u.str.s);
      const char *where = file && file->type == PM_STR ? file->u.str.s : doc->path;
      if (!add_warning(rep, where, s->pos, msg, "unknown-id")) return false;
    }
  }
  return true;
}

static bool add_checked(policy_report *rep, const policy_document *doc) {
  if (!rep_add_checked(rep, doc->path)) return false;
  size_t n = policy_document_file_count(doc);
  for (size_t i = 0; i < n; i++) {
    const char *file = policy_document_file(doc, i);
    if (file && !rep_add_checked(rep, file)) return false;
  }
  return true;
}

int api_document_notes(policy_report *rep, policy_engine *e,
                       const policy_document *doc) {
  if (!add_checked(rep, doc) || !add_input_warnings(rep, doc) || !add_unknown_ids(rep, e, doc))
    return api_fail(e, POLICY_ERR_NOMEM, "out of memory");
  return POLICY_OK;
}
