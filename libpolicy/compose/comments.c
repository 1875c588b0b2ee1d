/*
** comments.c: suppression comments in Compose files.
**
** libyaml does not report comments, so the source lines are scanned: a
** line whose first non-blank character is '#' (and that is not inside a
** quoted or block scalar) is a comment. It covers the key or sequence
** entry that starts on the next line that is neither blank nor a comment,
** through the last line of that entry's value. A comment with nothing
** after it covers nothing (unless it is global).
*/
#include <string.h>

#include "../model/suppress.h"
#include "ctx.h"

/* The comment text of a line (from its '#'), or NULL when the line is
** not a comment; *blank is set for a blank line. */
static const char *comment_of(const char *s, const char *e, bool *blank,
                              const char **end) {
  while (e > s && (e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t')) e--;
  while (s < e && (*s == ' ' || *s == '\t')) s++;
  *blank = s == e;
  *end = e;
  return s < e && *s == '#' ? s : NULL;
}

static void add(cmp_ctx *c, const char *s, const char *e, pm_pos pos,
                uint32_t line, uint32_t end, const char *file) {
  pm_value *list = pm_get(c->doc, "suppressions");
  size_t before = list ? list->u.arr.len : 0;
  bool oom = false;
  if (pm_suppression(c->pm.a, c->doc, s, (size_t)(e - s), pos, line, end, &oom) &&
      !oom && file) {
    list = pm_get(c->doc, "suppressions");
    if (list && list->u.arr.len > before &&
        !pm_set(c->pm.a, list->u.arr.items[list->u.arr.len - 1], "file",
                pm_str(c->pm.a, file, pos)))
      oom = true;
  }
  if (oom) c->pm.oom = true;
}

void cmp_comments(cmp_ctx *c, const char *text, size_t len,
                  const cmp_yaml *y, const char *file) {
  uint32_t nl = y->nlines;
  size_t *start = pol_arena_alloc(c->pm.a, ((size_t)nl + 2) * sizeof *start);
  uint32_t *next = pol_arena_calloc(c->pm.a, (size_t)nl + 2, sizeof *next);
  if (start == NULL || next == NULL) { c->pm.oom = true; return; }
  uint32_t l = 1;
  start[1] = 0;
  for (size_t i = 0; i < len && l <= nl; i++)
    if (text[i] == '\n') start[++l] = i + 1;
  start[nl + 1] = len + 1;
  /* next[l]: the first content line after line l. */
  uint32_t following = 0;
  for (uint32_t line = nl; line >= 1; line--) {
    next[line] = following;
    bool blank;
    const char *e;
    const char *s = text + start[line];
    if (!comment_of(s, text + start[line + 1] - 1, &blank, &e) && !blank)
      following = line;
    else if (y->in_scalar[line])
      following = line;
  }
  for (uint32_t line = 1; line <= nl && !c->pm.oom; line++) {
    bool blank;
    const char *e;
    const char *s = comment_of(text + start[line], text + start[line + 1] - 1, &blank, &e);
    if (s == NULL || y->in_scalar[line]) continue;
    uint32_t target = next[line];
    uint32_t end = target && y->span_end[target] ? y->span_end[target] : target;
    uint32_t col = (uint32_t)(s - (text + start[line])) + 1;
    pm_pos pos = pm_pos_make(line, col, line, col + (uint32_t)(e - s));
    pos.file = file;
    add(c, s, e, pos, target, end, file);
  }
}
