/*
** check.c: policy_check, the rules of an engine over one document.
**
** The engine hands what rules find to a sink (engine/eval.h); here the
** sink files each entry into the report, sharing the rule's metadata.
*/
#include <assert.h>
#include <string.h>

#include "../core/alloc.h"
#include "../engine/eval.h"
#include "../engine/worker.h"
#include "internal.h"
#include "names.h"

typedef struct check_sink {
  policy_engine *e;
  policy_report *rep;
  size_t rule;        /* index of the rule running */
  bool cancelled;     /* the cancel flag stopped a rule (cancel.c) */
} check_sink;

/* Points c->rule at the rule an entry came from (worker processes send
** the entries of several rules in one go). */
static void follow(check_sink *c, const eng_rule *r) {
  if (c->e->rules[c->rule] == r) return;
  for (size_t i = 0; i < c->e->nrules; i++)
    if (c->e->rules[i] == r) c->rule = i;
  assert(c->e->rules[c->rule] == r);
}

static bool on_finding(void *ud, const eng_eval_finding *f) {
  check_sink *c = ud;
  follow(c, f->rule);
  rep_item it = {0};
  it.rule = c->e->metas[c->rule];
  if (f->code) { /* shown, fingerprinted and ignored by its code */
    if (api_code_ignored(c->e, f->code)) return true;
    if ((it.rule = api_code_meta(c->e, c->rule, f->code)) == NULL) return false;
  }
  it.severity = f->severity;
  it.message = f->message;
  it.file = f->file;
  it.subject = f->subject;
  it.reason = f->reason;
  it.line = f->pos.line;
  it.column = f->pos.col;
  it.end_line = f->pos.end_line;
  it.end_column = f->pos.end_col;
  it.node_hash = f->node_hash;
  return rep_add(c->rep, f->reason ? &c->rep->suppressed : &c->rep->findings, &it);
}

/* A rule's note (shellcheck_lua.c: the program is missing or failed). */
static bool on_warning(void *ud, const eng_rule *r, const char *file, pm_pos pos,
                       const char *message) {
  check_sink *c = ud;
  follow(c, r);
  rep_item it = {0};
  it.file = file;
  it.message = message;
  it.kind = "tool";
  it.line = pos.line;
  it.column = pos.col;
  it.end_line = pos.end_line;
  it.end_column = pos.end_col;
  return rep_add(c->rep, &c->rep->warnings, &it);
}

static bool on_error(void *ud, const eng_eval_error *err) {
  check_sink *c = ud;
  follow(c, err->rule);
  if (err->limit && !strcmp(err->limit, "cancelled")) { /* the check's, not the rule's */
    c->cancelled = true;
    return true;
  }
  rep_item it = {0};
  it.rule = c->e->metas[c->rule];
  it.file = err->file;
  it.message = err->message;
  it.limit = err->limit;
  return rep_add(c->rep, &c->rep->errors, &it);
}

static bool on_log(void *ud, const eng_rule *r, const char *file, const char *text,
                   size_t len) {
  check_sink *c = ud;
  follow(c, r);
  pol_buf log = POL_BUF_INIT;
  pol_buf_append(&log, text, len);
  if (len >= c->e->log_bytes) /* the sandbox dropped the rest */
    pol_buf_printf(&log, "\n[the rest was dropped: more than %llu bytes "
                   "(limit POLICY_LIMIT_LOG_BYTES)]\n", (unsigned long long)c->e->log_bytes);
  rep_item it = {0};
  it.rule = c->e->metas[c->rule];
  it.file = file;
  it.message = log.data;
  bool ok = !log.oom && rep_add(c->rep, &c->rep->logs, &it);
  pol_buf_free(&log);
  return ok;
}

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
  if (api_document_notes(rep, e, doc) != POLICY_OK) return POLICY_ERR_NOMEM;
  api_count_subjects(e, doc);
  eng_eval_limits lim = {e->instructions, e->lua_memory, e->findings, e->time_ms, e->tool_ms};
  check_sink c = {e, rep, 0, false};
  eng_eval_sink sink = {on_finding, on_error, on_log, &c, on_warning};
  int rc = POLICY_OK;
  eng_sandbox *sb = NULL;
  const eng_rule **isolated = NULL; /* the rules for worker processes */
  size_t nisolated = 0;
  for (size_t i = 0; i < e->nrules && rc == POLICY_OK && !c.cancelled; i++) {
    eng_rule *r = e->rules[i];
    if (r->ignored) continue;
    if ((c.cancelled = api_cancel_requested(e))) break;
    if (e->isolation == POLICY_ISOLATE_ALL ||
        (e->isolation == POLICY_ISOLATE_UNTRUSTED && !r->trusted)) {
      if (isolated == NULL && (isolated = pol_calloc(e->nrules, sizeof *isolated)) == NULL)
        rc = api_fail(e, POLICY_ERR_NOMEM, "out of memory");
      else
        isolated[nisolated++] = r;
      continue;
    }
    if (sb == NULL) {
      int st;
      if ((sb = api_sandbox(e, &st)) == NULL) return st;
      eng_sb_set_cancel(sb, e->cancel);
      eng_eval_begin(sb);
    }
    c.rule = i;
    if (!eng_eval_rule(sb, r, doc->root, doc->path, &lim, &sink))
      rc = api_fail(e, POLICY_ERR_NOMEM, "out of memory");
    if (eng_sb_needs_recycle(sb)) {
      api_drop_sandbox(e); /* the next rule gets a fresh one */
      sb = NULL;
    }
  }
  if (sb) eng_eval_end(sb);
  if (nisolated && rc == POLICY_OK && !c.cancelled) {
    int st;
    if ((sb = api_sandbox(e, &st)) == NULL) {
      pol_free(isolated);
      return st;
    }
    eng_sb_set_cancel(sb, e->cancel);
    if (!eng_worker_eval(sb, isolated, nisolated, doc->root, doc->path, &lim, &sink))
      rc = api_fail(e, POLICY_ERR_NOMEM, "out of memory");
  }
  pol_free(isolated);
  /* Rules loaded later compile in this sandbox: no flag there. */
  if (e->sb) eng_sb_set_cancel(e->sb, NULL);
  if (rc == POLICY_OK && c.cancelled) return api_check_cancelled(rep, e, doc);
  return rc == POLICY_OK ? api_ok(e) : rc;
}
