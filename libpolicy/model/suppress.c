/*
** suppress.c: suppression comments (see suppress.h).
*/
#include "suppress.h"

#include <string.h>

static bool is_blank(char c) { return c == ' ' || c == '\t'; }

/* Consumes `word` (followed by a blank or '=') at *p. */
static bool take_word(const char **p, const char *end, const char *word) {
  size_t n = strlen(word);
  const char *s = *p;
  if ((size_t)(end - s) < n || memcmp(s, word, n) != 0) return false;
  s += n;
  if (s < end && !is_blank(*s) && *s != '=') return false;
  while (s < end && is_blank(*s)) s++;
  *p = s;
  return true;
}

bool pm_suppression(pol_arena *a, pm_value *doc, const char *text,
                    size_t len, pm_pos pos, uint32_t line, uint32_t end_line,
                    bool *oom) {
  const char *p = text, *end = text + len;
  while (p < end && (is_blank(*p) || *p == '#')) p++;
  if (!take_word(&p, end, "policy") && !take_word(&p, end, "hadolint"))
    return false;
  bool global = take_word(&p, end, "global");
  if (!take_word(&p, end, "ignore") || p >= end || *p != '=') return false;
  p++;
  const char *reason = NULL, *ids_end = end;
  for (const char *q = p; q + 1 < end; q++)
    if (q[0] == '-' && q[1] == '-' && (q == p || is_blank(q[-1]))) {
      ids_end = q;
      reason = q + 2;
      break;
    }
  pm_value *entry = pm_obj_typed(a, PM_SCHEMA_SUPPRESSION, pos), *ids = pm_arr(a, pos);
  if (entry == NULL || ids == NULL) { *oom = true; return true; }
  while (p < ids_end) {
    while (p < ids_end && (is_blank(*p) || *p == ',')) p++;
    const char *start = p;
    while (p < ids_end && !is_blank(*p) && *p != ',') p++;
    if (p > start && !pm_push(a, ids, pm_strn(a, start, (size_t)(p - start), pos))) {
      *oom = true;
      return true;
    }
  }
  if (ids->u.arr.len == 0) return false;
  pm_value *why = pm_null(a, pos);
  if (reason) {
    while (reason < end && is_blank(*reason)) reason++;
    const char *r_end = end;
    while (r_end > reason && (is_blank(r_end[-1]) || r_end[-1] == '\r')) r_end--;
    if (r_end > reason) why = pm_strn(a, reason, (size_t)(r_end - reason), pos);
  }
  pm_value *list = pm_get(doc, "suppressions");
  if (list == NULL) {
    list = pm_arr(a, pm_nopos);
    if (!pm_set(a, doc, "suppressions", list)) { *oom = true; return true; }
  }
  if (!pm_set(a, entry, "ids", ids) || !pm_set(a, entry, "reason", why) ||
      !pm_set(a, entry, "global", pm_bool(a, global, pos)) ||
      !pm_set(a, entry, "line", pm_int(a, global ? 0 : line, pos)) ||
      !pm_set(a, entry, "end_line", pm_int(a, global ? 0 : end_line, pos)) ||
      !pm_push(a, list, entry))
    *oom = true;
  return true;
}
