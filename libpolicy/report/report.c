/*
** report.c: the report's lists (see report.h) and the public accessors.
*/
#include "report.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "../core/alloc.h"
#include "policy/policy.h"

const char *const rep_ref_tools[] = {"cis", "hadolint", "trivy", "kics",
                                      "checkov", NULL};

/* ---- rule metadata -------------------------------------------------------- */

static size_t tool_rank(const char *tool) {
  size_t i = 0;
  while (rep_ref_tools[i] && strcmp(rep_ref_tools[i], tool) != 0) i++;
  return i;
}

/* Copies s to *at and advances it. */
static const char *put(char **at, const char *s) {
  size_t n = strlen(s) + 1;
  char *d = memcpy(*at, s, n);
  *at += n;
  return d;
}

rep_rule *rep_rule_new(const char *id, const char *title, int severity,
                       const char *description, const char *remediation,
                       const char *origin, const rep_ref *refs, size_t nrefs) {
  assert(id && title);
  description = description ? description : "";
  remediation = remediation ? remediation : "";
  origin = origin ? origin : "";
  /* One block: the struct, one rep_ref per tool, then every string. */
  size_t ntools = 0, bytes = strlen(id) + strlen(title) + strlen(description) +
                             strlen(remediation) + strlen(origin) + 5;
  bool used[8] = {false};
  for (size_t i = 0; i < nrefs; i++) {
    size_t t = tool_rank(refs[i].tool);
    if (rep_ref_tools[t] == NULL) continue; /* unknown tools are not kept */
    if (!used[t]) { used[t] = true; ntools++; bytes += strlen(rep_ref_tools[t]) + 1; }
    bytes += strlen(refs[i].id) + 1; /* the id and a comma or the NUL */
  }
  size_t head = sizeof(rep_rule) + ntools * sizeof(rep_ref);
  rep_rule *r = pol_malloc(head + bytes);
  if (r == NULL) return NULL;
  char *at = (char *)r + head;
  rep_ref *out = (rep_ref *)(r + 1);
  atomic_init(&r->refcount, 1);
  r->id = put(&at, id);
  r->title = put(&at, title);
  r->description = put(&at, description);
  r->remediation = put(&at, remediation);
  r->origin = put(&at, origin);
  r->severity = severity;
  r->refs = out;
  r->nrefs = 0;
  for (size_t t = 0; rep_ref_tools[t]; t++) {
    if (!used[t]) continue;
    rep_ref *ref = &out[r->nrefs++];
    ref->tool = put(&at, rep_ref_tools[t]);
    char *ids = at;
    for (size_t i = 0; i < nrefs; i++) {
      if (tool_rank(refs[i].tool) != t) continue;
      if (at != ids) *at++ = ',';
      size_t n = strlen(refs[i].id);
      memcpy(at, refs[i].id, n);
      at += n;
    }
    *at++ = '\0';
    ref->id = ids;
  }
  assert(r->nrefs == ntools && at <= (char *)r + head + bytes);
  return r;
}

rep_rule *rep_rule_retain(rep_rule *r) {
  if (r) atomic_fetch_add_explicit(&r->refcount, 1, memory_order_relaxed);
  return r;
}

void rep_rule_release(rep_rule *r) {
  if (r == NULL) return;
  size_t before = atomic_fetch_sub_explicit(&r->refcount, 1, memory_order_acq_rel);
  assert(before > 0);
  if (before == 1) pol_free(r);
}

const char *rep_rule_ref(const rep_rule *r, const char *tool) {
  for (size_t i = 0; r && tool && i < r->nrefs; i++)
    if (strcmp(r->refs[i].tool, tool) == 0) return r->refs[i].id;
  return NULL;
}

/* ---- entries -------------------------------------------------------------- */

static const char *string_at(const void *items, size_t i, size_t *len) {
  const rep_strings *s = items;
  *len = s->lens[i];
  return s->items[i];
}

/* The report's one copy of s (NULL stays NULL). */
static const char *intern(rep_report *r, const char *s, bool *ok) {
  if (s == NULL || !*ok) return NULL;
  rep_strings *t = &r->strings;
  size_t n = strlen(s);
  size_t at = pol_hindex_find(&t->index, s, n, string_at, t);
  if (at != SIZE_MAX) return t->items[at];
  if (t->len == t->cap) {
    size_t cap = t->cap, lcap = t->cap;
    if (!pol_arena_grow(&r->arena, (void **)&t->items, &cap, t->len + 1, sizeof *t->items) ||
        !pol_arena_grow(&r->arena, (void **)&t->lens, &lcap, t->len + 1, sizeof *t->lens)) {
      *ok = false;
      return NULL;
    }
    t->cap = cap < lcap ? cap : lcap;
  }
  char *copy = pol_arena_strndup(&r->arena, s, n);
  if (copy == NULL) { *ok = false; return NULL; }
  t->items[t->len] = copy;
  t->lens[t->len] = n;
  if (!pol_hindex_add(&r->arena, &t->index, t->len, t->len + 1, string_at, t)) {
    *ok = false;
    return NULL;
  }
  t->len++;
  return copy;
}

static const char *copy(rep_report *r, const char *s, bool *ok) {
  if (s == NULL || !*ok) return NULL;
  char *d = pol_arena_strdup(&r->arena, s);
  if (d == NULL) *ok = false;
  return d;
}

bool rep_add(rep_report *r, rep_list *list, const rep_item *src) {
  assert(list == &r->findings || list == &r->suppressed ||
         list == &r->errors || list == &r->logs || list == &r->warnings ||
         list == &r->fixed);
  if (list->len == list->cap) {
    size_t cap = list->cap ? list->cap * 2 : 16;
    rep_item *items = pol_realloc(list->items, cap * sizeof *items);
    if (items == NULL) return false;
    list->items = items;
    list->cap = cap;
  }
  rep_item it = *src;
  bool ok = true;
  /* Messages repeat (one rule's text over many files): interned, as the
  ** rest, except logs, which are long and seldom alike. */
  it.message = list == &r->logs ? copy(r, src->message, &ok) : intern(r, src->message, &ok);
  it.file = intern(r, src->file, &ok);
  it.subject = intern(r, src->subject, &ok);
  it.reason = intern(r, src->reason, &ok);
  it.limit = intern(r, src->limit, &ok);
  it.kind = intern(r, src->kind, &ok);
  char fp[17];
  if (src->fingerprint == NULL && src->rule && (list == &r->findings || list == &r->suppressed)) {
    rep_fingerprint(fp, src);
    it.fingerprint = copy(r, fp, &ok);
  } else {
    it.fingerprint = copy(r, src->fingerprint, &ok);
  }
  if (!ok) return false;
  it.rule = rep_rule_retain(src->rule);
  list->items[list->len++] = it;
  r->unsorted = true;
  return true;
}

bool rep_add_checked(rep_report *r, const char *file) {
  bool ok = true;
  const char *name = intern(r, file, &ok);
  if (!ok) return false;
  if (name == NULL) return true;
  rep_files *l = &r->checked;
  if (l->len == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 16;
    const char **items = pol_realloc(l->items, cap * sizeof *items);
    if (items == NULL) return false;
    l->items = items;
    l->cap = cap;
  }
  l->items[l->len++] = name;
  r->unsorted = true;
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
  if ((c = cmp_str(rep_item_rule_id(a), rep_item_rule_id(b)))) return c;
  return cmp_str(a->message, b->message);
}

/* Sorts n items of `size` bytes unless they are in order already, as
** reports merged file after file most often are: one pass over them, and
** qsort only when it finds two out of order. */
static void sort_unless_ordered(void *items, size_t n, size_t size,
                                int (*cmp)(const void *, const void *)) {
  const char *p = items;
  for (size_t i = 1; i < n; i++)
    if (cmp(p + (i - 1) * size, p + i * size) > 0) {
      qsort(items, n, size, cmp);
      return;
    }
}

static void sort_list(rep_list *list) {
  sort_unless_ordered(list->items, list->len, sizeof *list->items, cmp_item);
}

/* Drops entries equal to the one before them (same file, position, rule
** and message): a Dockerfile checked on its own and again through the
** Compose file that builds it gives the same findings twice. */
static void unique(rep_list *l) {
  size_t kept = 0;
  for (size_t i = 0; i < l->len; i++) {
    if (kept > 0 && cmp_item(&l->items[kept - 1], &l->items[i]) == 0) {
      rep_rule_release(l->items[i].rule);
      continue;
    }
    l->items[kept++] = l->items[i];
  }
  l->len = kept;
}

int rep_cmp_names(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorts the names and keeps one of each: interned, so equal names are
** the same pointer. */
static void settle_files(rep_files *l) {
  sort_unless_ordered(l->items, l->len, sizeof *l->items, rep_cmp_names);
  size_t kept = 0;
  for (size_t i = 0; i < l->len; i++)
    if (kept == 0 || l->items[kept - 1] != l->items[i]) l->items[kept++] = l->items[i];
  l->len = kept;
}

void rep_settle(rep_report *r) {
  if (!r->unsorted) return;
  rep_list *lists[] = {&r->findings, &r->suppressed, &r->errors, &r->warnings, &r->fixed};
  for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
    sort_list(lists[i]);
    unique(lists[i]);
  }
  settle_files(&r->checked);
  r->unsorted = false;
}

static void list_free(rep_list *list) {
  for (size_t i = 0; i < list->len; i++) rep_rule_release(list->items[i].rule);
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
  list_free(&r->findings);
  list_free(&r->suppressed);
  list_free(&r->errors);
  list_free(&r->logs);
  list_free(&r->warnings);
  list_free(&r->fixed);
  pol_free(r->checked.items);
  pol_arena_free(&r->arena);
  pol_free(r);
}

int policy_report_add_error(policy_report *r, const char *file, uint32_t line,
                            uint32_t column, const char *message) {
  if (r == NULL || file == NULL || message == NULL) return POLICY_ERR_INVALID;
  rep_item it = {0};
  it.file = file;
  it.message = message;
  it.line = it.end_line = line;
  it.column = it.end_column = column;
  if (!rep_add(r, &r->errors, &it) || !rep_add_checked(r, file)) return POLICY_ERR_NOMEM;
  r->files++;
  return POLICY_OK;
}

int policy_report_merge(policy_report *dst, const policy_report *src) {
  if (dst == NULL || src == NULL || dst == src) return POLICY_ERR_INVALID;
  const rep_list *from[] = {&src->findings, &src->suppressed, &src->errors, &src->logs,
                            &src->warnings, &src->fixed};
  rep_list *to[] = {&dst->findings, &dst->suppressed, &dst->errors, &dst->logs,
                    &dst->warnings, &dst->fixed};
  for (size_t l = 0; l < sizeof from / sizeof from[0]; l++)
    for (size_t i = 0; i < from[l]->len; i++)
      if (!rep_add(dst, to[l], &from[l]->items[i])) return POLICY_ERR_NOMEM;
  for (size_t i = 0; i < src->checked.len; i++)
    if (!rep_add_checked(dst, src->checked.items[i])) return POLICY_ERR_NOMEM;
  dst->files += src->files;
  dst->baselined |= src->baselined;
  return POLICY_OK;
}

static const rep_list *list_of(const policy_report *r, int list) {
  if (r == NULL) return NULL;
  switch (list) {
  case POLICY_LIST_FINDINGS: return &r->findings;
  case POLICY_LIST_SUPPRESSED: return &r->suppressed;
  case POLICY_LIST_ERRORS: return &r->errors;
  case POLICY_LIST_LOGS: return &r->logs;
  case POLICY_LIST_WARNINGS: return &r->warnings;
  case POLICY_LIST_FIXED: return &r->fixed;
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
  case POLICY_FIELD_RULE: return rep_item_rule_id(it);
  case POLICY_FIELD_SEVERITY: return rep_severity_name(it->severity);
  case POLICY_FIELD_TITLE: return it->rule && it->severity ? it->rule->title : NULL;
  case POLICY_FIELD_MESSAGE: return it->message;
  case POLICY_FIELD_FILE: return it->file;
  case POLICY_FIELD_SUBJECT: return it->subject;
  case POLICY_FIELD_REASON: return it->reason;
  case POLICY_FIELD_LIMIT: return it->limit;
  case POLICY_FIELD_FINGERPRINT: return it->fingerprint;
  case POLICY_FIELD_KIND: return it->kind;
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
  return it && it->severity ? rep_rule_ref(it->rule, tool) : NULL;
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
  rep_write_text(&b, r, (flags & POLICY_TEXT_COLOR) ? REP_COLOR : 0);
  char *s = pol_buf_detach(&b, len);
  if (s == NULL) return POLICY_ERR_NOMEM; /* *out is written only on success */
  *out = s;
  return POLICY_OK;
}
