/*
** baseline_load.c: policy_baseline_load and the other public baseline
** functions (the matching itself is report/baseline.c).
*/
#include <string.h>

#include "../core/alloc.h"
#include "../model/load.h"
#include "../report/baseline.h"
#include "internal.h"

/* The metadata of the loaded rule with this id, or a bare one (the id as
** title) for a rule that is not loaded any more. A reference is held. */
static rep_rule *rule_meta(const policy_engine *e, const char *id) {
  for (size_t i = 0; i < e->nrules; i++)
    if (strcmp(e->rules[i]->id, id) == 0) return rep_rule_retain(e->metas[i]);
  return rep_rule_new(id, id, 0, NULL, NULL, NULL, NULL, 0);
}

static bool is_fingerprint(const pm_value *v) {
  if (v == NULL || v->type != PM_STR || v->u.str.len != 16) return false;
  for (size_t i = 0; i < 16; i++)
    if (!strchr("0123456789abcdef", v->u.str.s[i])) return false;
  return true;
}

static const char *string_at(const pm_value *entry, const char *key) {
  const pm_value *v = pm_get(entry, key);
  return v && v->type == PM_STR ? v->u.str.s : NULL;
}

/* Fills b from the parsed file; on a malformed entry, returns it. */
static const pm_value *fill(policy_baseline *b, policy_engine *e,
                            const pm_value *list, bool *nomem) {
  b->items = pol_arena_calloc(&b->arena, list->u.arr.len ? list->u.arr.len : 1, sizeof *b->items);
  if (b->items == NULL) { *nomem = true; return NULL; }
  for (size_t i = 0; i < list->u.arr.len; i++) {
    const pm_value *entry = list->u.arr.items[i];
    const pm_value *fp = pm_get(entry, "fingerprint"), *line = pm_get(entry, "line");
    const char *id = string_at(entry, "rule"), *file = string_at(entry, "file");
    if (entry->type != PM_MAP || !is_fingerprint(fp) || id == NULL || file == NULL ||
        (line && (line->type != PM_INT || line->u.i < 0 || line->u.i > UINT32_MAX)))
      return entry;
    rep_baseline_entry *it = &b->items[b->len];
    const char *msg = string_at(entry, "message");
    it->fingerprint = fp->u.str.s; /* in b->arena, like every string below */
    it->file = file;
    it->message = msg ? msg : "";
    it->line = line ? (uint32_t)line->u.i : 0;
    if ((it->rule = rule_meta(e, id)) == NULL) { *nomem = true; return NULL; }
    b->len++;
  }
  return NULL;
}

int policy_baseline_load(policy_baseline **out, policy_engine *e, const char *path) {
  if (out == NULL || e == NULL || path == NULL)
    return api_fail(e, POLICY_ERR_INVALID, "policy_baseline_load: NULL argument");
  char *text;
  size_t len;
  int rc = api_read_named(e, path, e->max_input, "(limit POLICY_LIMIT_INPUT_BYTES)", &text, &len);
  if (rc != POLICY_OK) return rc;
  policy_baseline *b = pol_calloc(1, sizeof *b);
  pol_buf err = POL_BUF_INIT;
  pm_value *root = NULL;
  pm_load_limits lim = {16, 10000000};
  int lr = b ? pm_load_json(&b->arena, text, len, &lim, &root, &err) : PM_LOAD_NOMEM;
  pol_free(text);
  bool nomem = lr == PM_LOAD_NOMEM;
  const pm_value *list = root ? pm_get(root, "findings") : NULL, *version = root ? pm_get(root, "version") : NULL;
  const pm_value *bad = NULL;
  if (lr == PM_LOAD_SYNTAX) {
    rc = api_fail(e, POLICY_ERR_PARSE, "%s:%s", path, err.data ? err.data : "");
  } else if (!nomem && (root->type != PM_MAP || list == NULL || list->type != PM_ARR ||
                        version == NULL || version->type != PM_INT || version->u.i != 1)) {
    rc = api_fail(e, POLICY_ERR_PARSE, "%s:%u:%u: not a baseline: expected {\"version\": 1, "
                  "\"findings\": [...]} as `policy baseline write` writes it", path,
                  (unsigned)root->pos.line, (unsigned)root->pos.col);
  } else if (!nomem && (b->name = pol_arena_strdup(&b->arena, path)) == NULL) {
    nomem = true;
  } else if (!nomem && (bad = fill(b, e, list, &nomem)) != NULL) {
    rc = api_fail(e, POLICY_ERR_PARSE, "%s:%u:%u: a baseline entry needs fingerprint (16 hex "
                  "digits), rule and file, and may have line and message", path,
                  (unsigned)bad->pos.line, (unsigned)bad->pos.col);
  }
  pol_buf_free(&err);
  if (nomem) rc = api_fail(e, POLICY_ERR_NOMEM, "out of memory");
  if (rc != POLICY_OK) {
    policy_baseline_free(b);
    return rc;
  }
  rep_baseline_sort(b);
  *out = b;
  return api_ok(e);
}

void policy_baseline_free(policy_baseline *b) {
  if (b == NULL) return;
  rep_baseline_clear(b);
  pol_free(b);
}

size_t policy_baseline_count(const policy_baseline *b) {
  return b ? b->len : 0;
}

int policy_report_apply_baseline(policy_report *r, const policy_baseline *b) {
  if (r == NULL || b == NULL) return POLICY_ERR_INVALID;
  return rep_baseline_apply(r, b) ? POLICY_OK : POLICY_ERR_NOMEM;
}
