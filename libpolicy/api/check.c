/*
** check.c: policy_check, the rules of an engine over one document.
*/
#include <string.h>

#include "../engine/eval.h"
#include "internal.h"

/* The document's own errors become input errors of the report. */
static int add_input_errors(policy_report *rep, const policy_document *doc) {
  const pm_value *errs = pm_get(doc->root, "errors");
  for (size_t i = 0; errs && i < errs->u.arr.len; i++) {
    const pm_value *d = errs->u.arr.items[i];
    const pm_value *m = pm_get(d, "message");
    rep_item it = {0};
    it.file = d->pos.file ? d->pos.file : doc->path;
    it.message = m ? m->u.str.s : "error";
    it.line = it.end_line = d->pos.line;
    it.column = d->pos.col;
    it.end_column = d->pos.end_col;
    if (!rep_add(rep, &rep->errors, &it)) return POLICY_ERR_NOMEM;
  }
  return POLICY_OK;
}

int policy_check(policy_report *rep, policy_engine *e,
                 const policy_document *doc) {
  if (rep == NULL || e == NULL || doc == NULL)
    return api_fail(e, POLICY_ERR_INVALID, "policy_check: NULL argument");
  rep->files++;
  if (add_input_errors(rep, doc) != POLICY_OK)
    return api_fail(e, POLICY_ERR_NOMEM, "out of memory");
  eval_limits lim = {e->instructions, e->lua_memory, e->findings, e->time_ms};
  int rc = POLICY_OK;
  for (size_t i = 0; i < e->nrules && rc == POLICY_OK; i++) {
    rule *r = e->rules[i];
    if (r->ignored) continue;
    int st;
    sandbox *sb = api_sandbox(e, &st);
    if (sb == NULL) return st;
    if (!eval_rule(sb, r, doc->root, doc->path, e->data, &lim, rep))
      rc = api_fail(e, POLICY_ERR_NOMEM, "out of memory");
    pol_buf log = POL_BUF_INIT;
    sb_take_log(sb, &log);
    if (log.len >= e->log_bytes) /* the sandbox dropped the rest */
      pol_buf_printf(&log, "\n[the rest was dropped: more than %llu bytes (raise the limit "
                  "with limits.log_bytes in .policy.yaml)]\n", (unsigned long long)e->log_bytes);
    if (log.len && !log.oom) {
      rep_item it = {0};
      it.rule = r->meta;
      it.file = doc->path;
      it.message = log.data;
      if (!rep_add(rep, &rep->logs, &it)) rc = api_fail(e, POLICY_ERR_NOMEM, "out of memory");
    }
    pol_buf_free(&log);
    if (sb_needs_recycle(sb)) api_drop_sandbox(e);
  }
  return rc == POLICY_OK ? api_ok(e) : rc;
}
