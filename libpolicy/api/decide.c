/*
** decide.c: policy_decide, an admission decision over one document, and
** reading it back.
**
** The rules run as policy_check runs them (suppression comments apply),
** into a report the decision keeps. Each finding gets its rule's action
** (admission.c): enforce puts it in the deny list, warn in the warn list,
** audit in the audit list. The gate fails closed: every error of the
** report (the input could not be read or has errors, a rule failed or hit
** a limit) is a deny entry too, whatever the mode, and so is an engine
** with no rule to run; the document is allowed only when the deny list
** is empty. A decision is immutable once made: the report is settled
** (sorted) before it is returned, so readers never write.
*/
#include <assert.h>
#include <string.h>

#include "../core/alloc.h"
#include "../core/buf.h"
#include "internal.h"
#include "names.h"

enum { KIND_FINDING, KIND_INPUT, KIND_RULE, KIND_NO_POLICY };
static const char *const kind_names[] = {"finding", "input", "rule", "no-policy"};

/* The reason of a decision is at most this long (then "and N more"). */
#define REASON_MAX 1024

typedef struct verdict {
  int kind;
  const rep_item *item;  /* in the report's findings or errors; NULL for no-policy */
} verdict;

typedef struct verdict_list {
  verdict *items;
  size_t len;
} verdict_list;

struct policy_decision {
  policy_report *report;
  verdict_list lists[3]; /* by policy_action - 1: deny, warn, audit */
  char *reason;
  bool allowed;
};

static const char no_policy_message[] =
    "no policy is loaded (no rule, or every rule ignored): nothing can be allowed";

static void push(verdict_list *l, size_t cap, int kind, const rep_item *it) {
  assert(l->len < cap); /* every list has room for every entry */
  (void)cap;
  l->items[l->len++] = (verdict){kind, it};
}

static size_t active_rules(const policy_engine *e) {
  size_t n = 0;
  for (size_t i = 0; i < e->nrules; i++) n += !e->rules[i]->ignored;
  return n;
}

/* Sorts every finding and error of the report into the lists. */
static bool classify(policy_decision *d, policy_engine *e, bool no_policy) {
  rep_report *r = d->report;
  size_t cap = r->findings.len + r->errors.len + 1;
  for (int k = 0; k < 3; k++)
    if ((d->lists[k].items = pol_calloc(cap, sizeof(verdict))) == NULL) return false;
  verdict_list *deny = &d->lists[POLICY_ACTION_ENFORCE - 1];
  if (no_policy) push(deny, cap, KIND_NO_POLICY, NULL);
  for (size_t i = 0; i < r->errors.len; i++) {
    const rep_item *it = &r->errors.items[i];
    push(deny, cap, it->rule ? KIND_RULE : KIND_INPUT, it);
  }
  for (size_t i = 0; i < r->findings.len; i++) {
    const rep_item *it = &r->findings.items[i];
    size_t index = api_rule_named(e, rep_item_rule_id(it));
    assert(index != SIZE_MAX); /* the engine made the finding */
    int action = api_admission_action(e, index, it->severity);
    push(&d->lists[action - 1], cap, KIND_FINDING, it);
  }
  d->allowed = deny->len == 0;
  return true;
}

/* "[rule] message; [rule] message (and 3 more)", escaped for a terminal. */
static bool make_reason(policy_decision *d) {
  pol_buf b = POL_BUF_INIT;
  const verdict_list *deny = &d->lists[POLICY_ACTION_ENFORCE - 1];
  size_t i = 0;
  for (; i < deny->len && b.len < REASON_MAX; i++) {
    const verdict *v = &deny->items[i];
    if (i) pol_buf_puts(&b, "; ");
    if (v->item == NULL) {
      pol_buf_puts(&b, no_policy_message);
      continue;
    }
    if (v->kind == KIND_INPUT) pol_buf_puts(&b, "input error: ");
    if (v->item->rule) {
      pol_buf_putc(&b, '[');
      rep_put_text(&b, v->item->rule->id);
      pol_buf_puts(&b, v->kind == KIND_RULE ? "] failed: " : "] ");
    }
    rep_put_text(&b, v->item->message);
  }
  if (i < deny->len) pol_buf_printf(&b, " (and %zu more)", deny->len - i);
  d->reason = pol_buf_detach(&b, NULL);
  return d->reason != NULL;
}

void policy_decision_free(policy_decision *d) {
  if (d == NULL) return;
  policy_report_free(d->report);
  for (int k = 0; k < 3; k++) pol_free(d->lists[k].items);
  pol_free(d->reason);
  pol_free(d);
}

int policy_decide(policy_decision **out, policy_engine *e, const policy_document *doc) {
  if (out == NULL || e == NULL || doc == NULL)
    return api_fail(e, POLICY_ERR_INVALID, "policy_decide: NULL argument");
  policy_decision *d = pol_calloc(1, sizeof *d);
  if (d == NULL || policy_report_new(&d->report) != POLICY_OK) {
    pol_free(d);
    return api_fail(e, POLICY_ERR_NOMEM, "out of memory");
  }
  int rc = policy_check(d->report, e, doc);
  if (rc == POLICY_OK) {
    rep_settle(d->report);
    if (!classify(d, e, active_rules(e) == 0) || !make_reason(d))
      rc = api_fail(e, POLICY_ERR_NOMEM, "out of memory");
  }
  if (rc != POLICY_OK) {
    policy_decision_free(d);
    return rc;
  }
  *out = d;
  return api_ok(e);
}

int policy_decision_allowed(const policy_decision *d) { return d && d->allowed ? 1 : 0; }

const char *policy_decision_reason(const policy_decision *d) { return d ? d->reason : NULL; }

const policy_report *policy_decision_report(const policy_decision *d) {
  return d ? d->report : NULL;
}

static const verdict *verdict_at(const policy_decision *d, int list, size_t index) {
  if (d == NULL || policy_action_name(list) == NULL) return NULL;
  const verdict_list *l = &d->lists[list - 1];
  return index < l->len ? &l->items[index] : NULL;
}

size_t policy_decision_count(const policy_decision *d, int list) {
  return d && policy_action_name(list) ? d->lists[list - 1].len : 0;
}

const char *policy_decision_get_string(const policy_decision *d, int list, size_t index,
                                       int field) {
  const verdict *v = verdict_at(d, list, index);
  if (v == NULL) return NULL;
  if (field == POLICY_FIELD_KIND) return kind_names[v->kind];
  if (v->item == NULL) return field == POLICY_FIELD_MESSAGE ? no_policy_message : NULL;
  const rep_item *it = v->item;
  switch (field) {
  case POLICY_FIELD_RULE: return rep_item_rule_id(it);
  case POLICY_FIELD_SEVERITY: return it->severity ? policy_severity_name(it->severity) : NULL;
  case POLICY_FIELD_TITLE: return it->rule ? it->rule->title : NULL;
  case POLICY_FIELD_MESSAGE: return it->message;
  case POLICY_FIELD_FILE: return it->file;
  case POLICY_FIELD_SUBJECT: return it->subject;
  case POLICY_FIELD_LIMIT: return it->limit;
  case POLICY_FIELD_FINGERPRINT: return v->kind == KIND_FINDING ? it->fingerprint : NULL;
  default: return NULL;
  }
}

int64_t policy_decision_get_number(const policy_decision *d, int list, size_t index, int field) {
  const verdict *v = verdict_at(d, list, index);
  if (v == NULL) return -1;
  const rep_item *it = v->item;
  switch (field) {
  case POLICY_FIELD_SEVERITY: return it ? it->severity : 0;
  case POLICY_FIELD_LINE: return it ? it->line : 0;
  case POLICY_FIELD_COLUMN: return it ? it->column : 0;
  case POLICY_FIELD_END_LINE: return it ? it->end_line : 0;
  case POLICY_FIELD_END_COLUMN: return it ? it->end_column : 0;
  default: return -1;
  }
}

/* ---- JSON ------------------------------------------------------------------ */

static void json_entry(pol_buf *b, const policy_decision *d, int list, size_t i) {
  static const int strings[] = {POLICY_FIELD_RULE, POLICY_FIELD_KIND, POLICY_FIELD_SEVERITY,
                                POLICY_FIELD_TITLE, POLICY_FIELD_MESSAGE, POLICY_FIELD_FILE};
  static const char *const names[] = {"rule", "kind", "severity", "title", "message", "file"};
  pol_buf_putc(b, '{');
  for (size_t k = 0; k < sizeof strings / sizeof strings[0]; k++) {
    rep_json_key(b, names[k], k == 0);
    rep_json_str(b, policy_decision_get_string(d, list, i, strings[k]));
  }
  rep_json_key(b, "line", false);
  pol_buf_printf(b, "%lld", (long long)policy_decision_get_number(d, list, i, POLICY_FIELD_LINE));
  rep_json_key(b, "column", false);
  pol_buf_printf(b, "%lld", (long long)policy_decision_get_number(d, list, i, POLICY_FIELD_COLUMN));
  rep_json_key(b, "subject", false);
  rep_json_str(b, policy_decision_get_string(d, list, i, POLICY_FIELD_SUBJECT));
  pol_buf_putc(b, '}');
}

int policy_decision_to_json(char **out, size_t *len, const policy_decision *d, uint32_t flags) {
  if (out == NULL || d == NULL) return POLICY_ERR_INVALID;
  bool pretty = (flags & POLICY_JSON_PRETTY) != 0;
  static const char *const list_names[] = {"deny", "warn", "audit"};
  pol_buf b = POL_BUF_INIT;
  pol_buf_puts(&b, pretty ? "{\n  \"allow\": " : "{\"allow\":");
  pol_buf_puts(&b, d->allowed ? "true" : "false");
  pol_buf_puts(&b, pretty ? ",\n  \"reason\": " : ",\"reason\":");
  rep_json_str(&b, d->reason);
  for (int list = POLICY_ACTION_ENFORCE; list <= POLICY_ACTION_AUDIT; list++) {
    pol_buf_puts(&b, pretty ? ",\n  " : ",");
    rep_json_key(&b, list_names[list - 1], true);
    pol_buf_puts(&b, pretty ? " [" : "[");
    size_t n = policy_decision_count(d, list);
    for (size_t i = 0; i < n; i++) {
      if (i) pol_buf_putc(&b, ',');
      if (pretty) pol_buf_puts(&b, "\n    ");
      json_entry(&b, d, list, i);
    }
    if (pretty && n) pol_buf_puts(&b, "\n  ");
    pol_buf_putc(&b, ']');
  }
  pol_buf_puts(&b, pretty ? "\n}\n" : "}\n");
  char *s = pol_buf_detach(&b, len);
  if (s == NULL) return POLICY_ERR_NOMEM;
  *out = s;
  return POLICY_OK;
}
