/*
** suppress.c: suppression comments and hadolint's pragmas (see suppress.h).
*/
#include "suppress.h"

#include <assert.h>
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

/* Appends {ids, reason, global, line, end_line} at pos to doc.suppressions. */
static bool add_entry(pol_arena *a, pm_value *doc, pm_value *ids, pm_value *why, bool global,
                      uint32_t line, uint32_t end_line, pm_pos pos) {
  pm_value *entry = pm_obj_typed(a, PM_SCHEMA_SUPPRESSION, pos);
  pm_value *list = pm_get(doc, "suppressions");
  if (entry == NULL || ids == NULL || why == NULL) return false;
  if (list == NULL) {
    list = pm_arr(a, pm_nopos);
    if (!pm_set(a, doc, "suppressions", list)) return false;
  }
  return pm_set(a, entry, "ids", ids) && pm_set(a, entry, "reason", why) &&
         pm_set(a, entry, "global", pm_bool(a, global, pos)) &&
         pm_set(a, entry, "line", pm_int(a, global ? 0 : line, pos)) &&
         pm_set(a, entry, "end_line", pm_int(a, global ? 0 : end_line, pos)) &&
         pm_push(a, list, entry);
}

/* The text between s and e without blanks and '\r' at either end, as a
** string, or null when nothing is left. */
static pm_value *trimmed_or_null(pol_arena *a, const char *s, const char *e, pm_pos pos) {
  while (s < e && is_blank(*s)) s++;
  while (e > s && (is_blank(e[-1]) || e[-1] == '\r')) e--;
  return e > s ? pm_strn(a, s, (size_t)(e - s), pos) : pm_null(a, pos);
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
  pm_value *ids = pm_arr(a, pos);
  if (ids == NULL) { *oom = true; return true; }
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
  pm_value *why = reason ? trimmed_or_null(a, reason, end, pos) : pm_null(a, pos);
  if (!add_entry(a, doc, ids, why, global, line, end_line, pos)) *oom = true;
  return true;
}

bool pm_hadolint_comment(const char *text, size_t len) {
  const char *p = text, *end = text + len;
  while (p < end && (is_blank(*p) || *p == '#')) p++;
  return take_word(&p, end, "hadolint");
}

/* ---- hadolint's grammar ---------------------------------------------
** A scanner over the text after the '#': each step consumes what it
** matched (hadolint's parser, megaparsec, reads the same way: it never
** backtracks into a keyword, and the whole text must be consumed). */

typedef struct scan {
  const char *p, *end;
} scan;

static size_t blanks(scan *s) {
  const char *from = s->p;
  while (s->p < s->end && is_blank(*s->p)) s->p++;
  return (size_t)(s->p - from);
}

static bool literal(scan *s, const char *word) {
  size_t n = strlen(word);
  if ((size_t)(s->end - s->p) < n || memcmp(s->p, word, n) != 0) return false;
  s->p += n;
  return true;
}

static bool is_code_char(char c) {
  return c == 'D' || c == 'L' || c == 'S' || c == 'C' || (c >= '0' && c <= '9');
}

/* Blanks, then a `# comment` to the end of the text when one follows;
** records where the comment's text is. */
static void inline_comment(scan *s, pm_pragma *out) {
  blanks(s);
  if (s->p < s->end && *s->p == '#') {
    if (out->note == out->note_end) {
      out->note = s->p + 1;
      out->note_end = s->end;
    }
    s->p = s->end;
  }
}

/* `=`, then the codes: CODE [# comment] (, CODE [# comment])*. */
static bool code_list(scan *s, pm_pragma *out) {
  blanks(s);
  if (!literal(s, "=")) return false;
  blanks(s);
  out->codes = s->p;
  for (;;) {
    const char *start = s->p;
    while (s->p < s->end && is_code_char(*s->p)) s->p++;
    if (s->p == start) return false;
    out->codes_end = s->p;
    inline_comment(s, out);
    const char *mark = s->p;
    blanks(s);
    if (!literal(s, ",")) {
      s->p = mark;
      return s->p == s->end;
    }
    blanks(s);
  }
}

pm_pragma_kind pm_pragma_parse(const char *text, size_t len, pm_pragma *out) {
  memset(out, 0, sizeof *out);
  scan s = {text, text + len};
  blanks(&s);
  if (!literal(&s, "hadolint") || blanks(&s) == 0) return PM_PRAGMA_NONE;
  if (literal(&s, "shell")) {
    blanks(&s);
    if (!literal(&s, "=")) return PM_PRAGMA_NONE;
    blanks(&s);
    const char *name = s.p;
    while (s.p < s.end && !is_blank(*s.p) && *s.p != '\n') s.p++;
    if (s.p == name) return PM_PRAGMA_NONE;
    out->shell = name;
    out->shell_len = (size_t)(s.p - name);
    inline_comment(&s, out);
    return s.p == s.end ? (out->kind = PM_PRAGMA_SHELL) : PM_PRAGMA_NONE;
  }
  pm_pragma_kind kind = PM_PRAGMA_IGNORE;
  if (literal(&s, "global")) {
    if (blanks(&s) == 0) return PM_PRAGMA_NONE;
    kind = PM_PRAGMA_GLOBAL;
  } else if (literal(&s, "stage")) {
    if (blanks(&s) == 0) return PM_PRAGMA_NONE;
    kind = PM_PRAGMA_STAGE;
  }
  if (!literal(&s, "ignore") || !code_list(&s, out)) return PM_PRAGMA_NONE;
  return out->kind = kind;
}

bool pm_pragma_malformed(const char *text, size_t len) {
  pm_pragma p;
  if (pm_pragma_parse(text, len, &p) != PM_PRAGMA_NONE) return false;
  scan s = {text, text + len};
  blanks(&s);
  if (!literal(&s, "hadolint") || blanks(&s) == 0) return false;
  static const char *const words[] = {"ignore", "global", "stage", "shell"};
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
    scan w = s;
    if (literal(&w, words[i]) && (w.p == w.end || is_blank(*w.p) || *w.p == '=')) return true;
  }
  return false;
}

pm_value *pm_pragma_codes(pol_arena *a, const pm_pragma *p, pm_pos pos) {
  assert(p->kind != PM_PRAGMA_NONE && p->kind != PM_PRAGMA_SHELL);
  pm_value *ids = pm_arr(a, pos);
  for (const char *q = p->codes; ids && q < p->codes_end;) {
    while (q < p->codes_end && !is_code_char(*q)) q++; /* blanks, commas */
    const char *start = q;
    while (q < p->codes_end && is_code_char(*q)) q++;
    if (q > start && !pm_push(a, ids, pm_strn(a, start, (size_t)(q - start), pos))) return NULL;
  }
  assert(ids == NULL || ids->u.arr.len > 0); /* the parse saw at least one */
  return ids;
}

bool pm_pragma_add(pol_arena *a, pm_value *doc, const pm_pragma *p, pm_pos pos) {
  static const char *const kinds[] = {"", "ignore", "stage", "global", "shell"};
  assert(p->kind > PM_PRAGMA_NONE && p->kind <= PM_PRAGMA_SHELL);
  pm_value *list = pm_get(doc, "pragmas");
  if (list == NULL) {
    list = pm_arr(a, pm_nopos);
    if (list == NULL || !pm_set(a, doc, "pragmas", list)) return false;
  }
  bool shell = p->kind == PM_PRAGMA_SHELL;
  pm_value *entry = pm_obj_typed(a, PM_SCHEMA_PRAGMA, pos);
  pm_value *ids = shell ? pm_arr(a, pos) : pm_pragma_codes(a, p, pos);
  return entry && ids && pm_set(a, entry, "kind", pm_str(a, kinds[p->kind], pos)) &&
         pm_set(a, entry, "ids", ids) &&
         pm_set(a, entry, "shell", shell ? pm_strn(a, p->shell, p->shell_len, pos) : pm_null(a, pos)) &&
         pm_set(a, entry, "line", pm_int(a, pos.line, pos)) && pm_push(a, list, entry);
}

bool pm_pragma_suppression(pol_arena *a, pm_value *doc, const pm_pragma *p,
                           pm_pos pos, bool global, uint32_t line,
                           uint32_t end_line) {
  pm_value *ids = pm_pragma_codes(a, p, pos);
  pm_value *why = trimmed_or_null(a, p->note, p->note_end, pos);
  return ids && add_entry(a, doc, ids, why, global, line, end_line, pos);
}
