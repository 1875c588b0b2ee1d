/*
** pragmas.c: hadolint's pragmas in a Dockerfile (see pragmas.h).
**
** One pass over the raw lines finds the comment lines outside every
** instruction (nodes are in file order and do not overlap, so a cursor
** over them is enough: O(lines + nodes)); the pragmas found are then
** placed against the instructions' first lines, as hadolint keys them.
*/
#include "pragmas.h"

#include <assert.h>
#include <string.h>

#include "../core/utf8.h"
#include "../model/doc.h"
#include "../model/suppress.h"

typedef struct found {
  uint32_t line, col, end_col;
  pm_pragma p;
} found;

typedef struct pass {
  pol_arena *a;
  pm_value *doc;
  const df_file *f;
  found *items;
  size_t n, cap;
  size_t *next_from;  /* next_from[j]: the first FROM node at or after node j
                      ** (nnodes when none); made when a stage pragma needs it */
  size_t *next_stage; /* next_stage[i]: the first stage pragma after pragma i, or n */
  bool oom;
} pass;

static bool is_blank(char c) { return c == ' ' || c == '\t'; }

/* Columns count code points, as the parser's do: the bytes that are not
** UTF-8 continuation bytes (eight at a time while they are ASCII). */
static uint32_t columns(const char *s, size_t n) {
  size_t i = pol_utf8_ascii_prefix(s, n);
  uint32_t c = (uint32_t)i;
  for (; i < n; i++) c += ((unsigned char)s[i] & 0xC0) != 0x80;
  return c;
}

static void warn(pass *ps, const char *msg, uint32_t line, uint32_t col, uint32_t end_col) {
  if (!pm_doc_warning(ps->a, ps->doc, msg, pm_pos_make(line, col, line, end_col))) ps->oom = true;
}

/* A comment line's text after its '#' (s .. e, no '\r' at the end). */
static void comment(pass *ps, uint32_t line, const char *bol, const char *hash, const char *e) {
  found it = {line, columns(bol, (size_t)(hash - bol)) + 1, 0, {0}};
  it.end_col = it.col + columns(hash, (size_t)(e - hash));
  if (pm_pragma_parse(hash + 1, (size_t)(e - hash - 1), &it.p) == PM_PRAGMA_NONE) {
    if (pm_pragma_malformed(hash + 1, (size_t)(e - hash - 1)))
      warn(ps, "not a hadolint pragma, so it silences nothing: hadolint reads a code as the "
           "letters D, L, S, C and digits (DL3008, SC2086), separated by commas, and only a "
           "`# comment` after them; anything else voids the whole comment",
           line, it.col, it.end_col);
    return;
  }
  if (!pol_arena_grow(ps->a, (void **)&ps->items, &ps->cap, ps->n + 1, sizeof *ps->items)) {
    ps->oom = true;
    return;
  }
  ps->items[ps->n++] = it;
}

/* Finds the comment lines that no instruction holds. */
static void scan_lines(pass *ps, const char *data, size_t len) {
  const df_file *f = ps->f;
  uint32_t stop = f->error ? f->error_span.start.line : UINT32_MAX; /* unparsed after it */
  size_t k = 0;
  uint32_t line = 1;
  for (const char *p = data, *end = data + len; p < end && line < stop && !ps->oom; line++) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *e = nl ? nl : end, *bol = p;
    p = nl ? nl + 1 : end;
    while (k < f->nnodes && f->nodes[k].span.end.line < line) k++;
    if (k < f->nnodes && f->nodes[k].span.start.line <= line) continue; /* inside one */
    const char *s = bol;
    if (line == 1 && e - s >= 3 && !memcmp(s, "\xef\xbb\xbf", 3)) s += 3; /* a BOM */
    while (s < e && is_blank(*s)) s++;
    if (s == e || *s != '#') continue;
    if (e > s && e[-1] == '\r') e--;
    comment(ps, line, bol, s, e);
  }
}

/* The index of the first node that starts after `line`, or nnodes. */
static size_t first_after(const df_file *f, uint32_t line) {
  size_t lo = 0, hi = f->nnodes;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (f->nodes[mid].span.start.line <= line) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/* The tables stage_bound reads, made once (linear in nodes and pragmas,
** so no file of many stage pragmas costs more). */
static bool stage_tables(pass *ps) {
  if (ps->next_stage) return true;
  const df_file *f = ps->f;
  ps->next_from = pol_arena_alloc(ps->a, (f->nnodes + 1) * sizeof *ps->next_from);
  ps->next_stage = pol_arena_alloc(ps->a, (ps->n + 1) * sizeof *ps->next_stage);
  if (ps->next_from == NULL || ps->next_stage == NULL) return false;
  ps->next_from[f->nnodes] = f->nnodes;
  for (size_t j = f->nnodes; j-- > 0;) {
    /* each node holds whole lines of its own: first_after's binary search relies on it */
    assert(j == 0 || f->nodes[j - 1].span.end.line < f->nodes[j].span.start.line);
    ps->next_from[j] = !strcmp(f->nodes[j].keyword, "from") ? j : ps->next_from[j + 1];
  }
  ps->next_stage[ps->n] = ps->n;
  for (size_t i = ps->n; i-- > 0;)
    ps->next_stage[i] = i + 1 < ps->n && ps->items[i + 1].p.kind == PM_PRAGMA_STAGE
                            ? i + 1 : ps->next_stage[i + 1];
  return true;
}

/* The line after which stage pragma `i` (keyed on its line + 1) stops:
** the next key, a FROM's line or a later stage pragma's key. */
static uint32_t stage_bound(const pass *ps, size_t i) {
  uint32_t key = ps->items[i].line + 1, bound = UINT32_MAX;
  size_t from = ps->next_from[first_after(ps->f, key)], later = ps->next_stage[i];
  if (from < ps->f->nnodes) bound = ps->f->nodes[from].span.start.line;
  if (later < ps->n && ps->items[later].line + 1 < bound) bound = ps->items[later].line + 1;
  return bound;
}

static void place_ignore(pass *ps, size_t i) {
  const found *it = &ps->items[i];
  pm_pos pos = pm_pos_make(it->line, it->col, it->line, it->end_col);
  const df_file *f = ps->f;
  bool ok = true;
  if (it->p.kind == PM_PRAGMA_GLOBAL) {
    ok = pm_pragma_suppression(ps->a, ps->doc, &it->p, pos, true, 0, 0);
  } else if (it->p.kind == PM_PRAGMA_IGNORE) {
    size_t j = first_after(f, it->line);
    if (j < f->nnodes && f->nodes[j].span.start.line == it->line + 1)
      ok = pm_pragma_suppression(ps->a, ps->doc, &it->p, pos, false, it->line + 1,
                                 f->nodes[j].span.end.line);
    else
      warn(ps, "this ignore pragma silences nothing: hadolint applies it to the next line "
           "only, and no instruction starts there", it->line, it->col, it->end_col);
  } else if (!stage_tables(ps)) {
    ok = false;
  } else {
    uint32_t bound = stage_bound(ps, i);
    size_t from = first_after(f, it->line + 1), to = first_after(f, bound);
    if (to > from)
      ok = pm_pragma_suppression(ps->a, ps->doc, &it->p, pos, false,
                                 f->nodes[from].span.start.line, f->nodes[to - 1].span.end.line);
  }
  if (!ok) ps->oom = true;
}

/* Each image's declared_shell (pragmas.h). Images are in file order, each
** at its FROM's position; a parent is always an earlier image. */
static void declare_shells(pass *ps) {
  pm_value *images = pm_get(ps->doc, "images");
  size_t n = images && images->type == PM_ARR ? images->u.arr.len : 0;
  const found *file_default = NULL;
  const found **own = n ? pol_arena_alloc(ps->a, n * sizeof *own) : NULL;
  if (n && own == NULL) { ps->oom = true; return; }
  for (size_t i = 0; i < n; i++) own[i] = NULL;
  size_t next = 0; /* images starting before the pragma: both lists are in line order */
  for (size_t i = 0; i < ps->n; i++) {
    if (ps->items[i].p.kind != PM_PRAGMA_SHELL) continue;
    while (next < n && images->u.arr.items[next]->pos.line < ps->items[i].line) next++;
    if (next == 0) file_default = &ps->items[i];
    else own[next - 1] = &ps->items[i];
  }
  const found **in_force = own; /* own[i] becomes what is in force for image i */
  for (size_t i = 0; i < n && !ps->oom; i++) {
    pm_value *img = images->u.arr.items[i];
    const pm_value *parent = pm_get(img, "parent");
    if (in_force[i] == NULL)
      in_force[i] = parent && parent->type == PM_INT && parent->u.i >= 0 && (size_t)parent->u.i < i
                        ? in_force[parent->u.i] : file_default;
    const found *d = in_force[i];
    if (d == NULL) continue; /* absent: fingerprints of the images without stay as they were */
    pm_value *v = pm_strn(ps->a, d->p.shell, d->p.shell_len,
                          pm_pos_make(d->line, d->col, d->line, d->end_col));
    if (v == NULL || !pm_set(ps->a, img, "declared_shell", v)) ps->oom = true;
  }
}

bool df_pragmas(pol_arena *a, pm_value *doc, const df_file *f, const char *data,
                size_t len, bool ignores_off) {
  pass ps = {a, doc, f, NULL, 0, 0, NULL, NULL, false};
  scan_lines(&ps, data, len); /* doc.pragmas appears with the first one */
  for (size_t i = 0; i < ps.n && !ps.oom; i++) {
    const found *it = &ps.items[i];
    if (!pm_pragma_add(a, doc, &it->p, pm_pos_make(it->line, it->col, it->line, it->end_col)))
      ps.oom = true;
    else if (it->p.kind != PM_PRAGMA_SHELL && !ignores_off)
      place_ignore(&ps, i);
  }
  if (!ps.oom) declare_shells(&ps);
  return !ps.oom;
}
