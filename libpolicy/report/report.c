/*
** report.c: the report's lists (see report.h) and the public accessors.
*/
#include "report.h"

#include <stdlib.h>
#include <string.h>

#include "../core/alloc.h"
#include "policy/policy.h"

static char *dup_or_null(const char *s, bool *ok) {
  if (s == NULL) return NULL;
  char *d = pol_strndup(s, strlen(s));
  if (d == NULL) *ok = false;
  return d;
}

static void item_free(rep_item *it) {
  pol_free(it->rule);
  pol_free(it->title);
  pol_free(it->message);
  pol_free(it->file);
  pol_free(it->subject);
  pol_free(it->reason);
  pol_free(it->limit);
  for (size_t i = 0; i < it->nrefs; i++) {
    pol_free(it->refs[i].tool);
    pol_free(it->refs[i].id);
  }
  pol_free(it->refs);
}

bool rep_add(rep_list *list, const rep_item *src) {
  if (list->len == list->cap) {
    size_t cap = list->cap ? list->cap * 2 : 16;
    rep_item *items = pol_realloc(list->items, cap * sizeof *items);
    if (items == NULL) return false;
    list->items = items;
    list->cap = cap;
  }
  rep_item it = *src;
  bool ok = true;
  it.rule = dup_or_null(src->rule, &ok);
  it.title = dup_or_null(src->title, &ok);
  it.message = dup_or_null(src->message, &ok);
  it.file = dup_or_null(src->file, &ok);
  it.subject = dup_or_null(src->subject, &ok);
  it.reason = dup_or_null(src->reason, &ok);
  it.limit = dup_or_null(src->limit, &ok);
  it.refs = NULL;
  it.nrefs = 0;
  if (ok && src->nrefs) {
    it.refs = pol_calloc(src->nrefs, sizeof *it.refs);
    ok = it.refs != NULL;
    for (size_t i = 0; ok && i < src->nrefs; i++) {
      it.refs[i].tool = dup_or_null(src->refs[i].tool, &ok);
      it.refs[i].id = dup_or_null(src->refs[i].id, &ok);
      it.nrefs = i + 1;
    }
  }
  if (!ok) {
    item_free(&it);
    return false;
  }
  list->items[list->len++] = it;
  return true;
}

static int cmp_str(const char *a, const char *b) {
  return strcmp(a ? a : "", b ? b : "");
}

static int cmp_item(const void *pa, const void *pb) {
  const rep_item *a = pa, *b = pb;
  int c = cmp_str(a->file, b->file);
  if (c) return c;
  if (a->line != b->line) return a->line < b->line ? -1 : 1;
  if (a->column != b->column) return a->column < b->column ? -1 : 1;
  if ((c = cmp_str(a->rule, b->rule))) return c;
  return cmp_str(a->message, b->message);
}

void rep_sort(rep_list *list) {
  if (list->len > 1) qsort(list->items, list->len, sizeof *list->items, cmp_item);
}

/* Drops entries equal to the one before them (same file, position, rule
** and message): a Dockerfile checked on its own and again through the
** Compose file that builds it gives the same findings twice. */
static void unique(rep_list *l) {
  size_t kept = 0;
  for (size_t i = 0; i < l->len; i++) {
    if (kept > 0 && cmp_item(&l->items[kept - 1], &l->items[i]) == 0) {
      item_free(&l->items[i]);
      continue;
    }
    l->items[kept++] = l->items[i];
  }
  l->len = kept;
}

void rep_settle(rep_report *r) {
  if (!r->unsorted) return;
  rep_sort(&r->findings);
  rep_sort(&r->suppressed);
  rep_sort(&r->errors);
  unique(&r->findings);
  unique(&r->suppressed);
  unique(&r->errors);
  r->unsorted = false;
}

void rep_list_free(rep_list *list) {
  for (size_t i = 0; i < list->len; i++) item_free(&list->items[i]);
  pol_free(list->items);
  memset(list, 0, sizeof *list);
}

const char *rep_severity_name(int severity) {
  switch (severity) {
  case POLICY_SEVERITY_INFO: return "info";
  case POLICY_SEVERITY_LOW: return "low";
  case POLICY_SEVERITY_MEDIUM: return "medium";
  case POLICY_SEVERITY_HIGH: return "high";
  case POLICY_SEVERITY_CRITICAL: return "critical";
  default: return NULL;
  }
}

/* ---- public API ---------------------------------------------------------- */

const char *policy_severity_name(int severity) {
  return rep_severity_name(severity);
}

int policy_severity_from_name(const char *name) {
  for (int s = POLICY_SEVERITY_INFO; name && s <= POLICY_SEVERITY_CRITICAL; s++)
    if (strcmp(name, rep_severity_name(s)) == 0) return s;
  return 0;
}

int policy_report_new(policy_report **out) {
  if (out == NULL) return POLICY_ERR_INVALID;
  *out = pol_calloc(1, sizeof **out);
  return *out ? POLICY_OK : POLICY_ERR_NOMEM;
}

void policy_report_free(policy_report *r) {
  if (r == NULL) return;
  rep_list_free(&r->findings);
  rep_list_free(&r->suppressed);
  rep_list_free(&r->errors);
  rep_list_free(&r->logs);
  pol_free(r);
}

int policy_report_add_error(policy_report *r, const char *file, uint32_t line,
                            uint32_t column, const char *message) {
  if (r == NULL || file == NULL || message == NULL) return POLICY_ERR_INVALID;
  rep_item it = {0};
  it.file = (char *)file;
  it.message = (char *)message;
  it.line = it.end_line = line;
  it.column = it.end_column = column;
  if (!rep_add(&r->errors, &it)) return POLICY_ERR_NOMEM;
  r->files++;
  r->unsorted = true;
  return POLICY_OK;
}

static const rep_list *list_of(const policy_report *r, int list) {
  if (r == NULL) return NULL;
  switch (list) {
  case POLICY_LIST_FINDINGS: return &r->findings;
  case POLICY_LIST_SUPPRESSED: return &r->suppressed;
  case POLICY_LIST_ERRORS: return &r->errors;
  case POLICY_LIST_LOGS: return &r->logs;
  default: return NULL;
  }
}

size_t policy_report_count(const policy_report *r, int list) {
  if (r) rep_settle((policy_report *)r);
  const rep_list *l = list_of(r, list);
  return l ? l->len : 0;
}

size_t policy_report_file_count(const policy_report *r) {
  return r ? r->files : 0;
}

/* Readers see sorted lists; sorting is deferred to the first read after
** a change, which is why the const report is settled in place. */
static const rep_item *item_at(const policy_report *r, int list, size_t i) {
  if (r) rep_settle((policy_report *)r);
  const rep_list *l = list_of(r, list);
  return l && i < l->len ? &l->items[i] : NULL;
}

const char *policy_report_get_string(const policy_report *r, int list,
                                     size_t index, int field) {
  const rep_item *it = item_at(r, list, index);
  if (it == NULL) return NULL;
  switch (field) {
  case POLICY_FIELD_RULE: return it->rule;
  case POLICY_FIELD_SEVERITY: return rep_severity_name(it->severity);
  case POLICY_FIELD_TITLE: return it->title;
  case POLICY_FIELD_MESSAGE: return it->message;
  case POLICY_FIELD_FILE: return it->file;
  case POLICY_FIELD_SUBJECT: return it->subject;
  case POLICY_FIELD_REASON: return it->reason;
  case POLICY_FIELD_LIMIT: return it->limit;
  default: return NULL;
  }
}

int64_t policy_report_get_number(const policy_report *r, int list,
                                 size_t index, int field) {
  const rep_item *it = item_at(r, list, index);
  if (it == NULL) return -1;
  switch (field) {
  case POLICY_FIELD_SEVERITY: return it->severity;
  case POLICY_FIELD_LINE: return it->line;
  case POLICY_FIELD_COLUMN: return it->column;
  case POLICY_FIELD_END_LINE: return it->end_line;
  case POLICY_FIELD_END_COLUMN: return it->end_column;
  default: return -1;
  }
}

const char *policy_report_get_ref(const policy_report *r, int list,
                                  size_t index, const char *tool) {
  const rep_item *it = item_at(r, list, index);
  for (size_t i = 0; it && tool && i < it->nrefs; i++)
    if (strcmp(it->refs[i].tool, tool) == 0) return it->refs[i].id;
  return NULL;
}

size_t policy_report_count_at_least(const policy_report *r, int severity) {
  size_t n = 0;
  if (r) rep_settle((policy_report *)r);
  for (size_t i = 0; r && i < r->findings.len; i++)
    if (r->findings.items[i].severity >= severity) n++;
  return n;
}

int policy_report_to_json(char **out, size_t *len, const policy_report *r,
                          uint32_t flags) {
  if (out == NULL || r == NULL) return POLICY_ERR_INVALID;
  pol_buf b = POL_BUF_INIT;
  rep_settle((policy_report *)r);
  rep_write_json(&b, r, (flags & POLICY_JSON_PRETTY) != 0);
  char *s = pol_buf_detach(&b, len);
  if (s == NULL) return POLICY_ERR_NOMEM; /* *out is written only on success */
  *out = s;
  return POLICY_OK;
}

int policy_report_to_text(char **out, size_t *len, const policy_report *r,
                          uint32_t flags) {
  if (out == NULL || r == NULL) return POLICY_ERR_INVALID;
  pol_buf b = POL_BUF_INIT;
  rep_settle((policy_report *)r);
  rep_write_text(&b, r, (flags & POLICY_TEXT_COLOR) != 0);
  char *s = pol_buf_detach(&b, len);
  if (s == NULL) return POLICY_ERR_NOMEM; /* *out is written only on success */
  *out = s;
  return POLICY_OK;
}
