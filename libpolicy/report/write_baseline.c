/*
** write_baseline.c: the report as a baseline file (api/baseline_load.c
** reads it back): indented JSON, one entry per line in report order, so
** a baseline kept in version control diffs well.
**
**   {"version": 1, "findings": [
**     {"fingerprint": "...", "rule": "...", "file": "...", "line": 3,
**      "message": "..."}, ...]}
**
** It holds the findings and the findings an applied baseline suppressed
** (still present), not those a comment suppresses.
*/
#include <stdlib.h>
#include <string.h>

#include "../core/alloc.h"
#include "report.h"

static int by_position(const void *pa, const void *pb) {
  const rep_item *a = *(const rep_item *const *)pa, *b = *(const rep_item *const *)pb;
  int c = strcmp(a->file ? a->file : "", b->file ? b->file : "");
  if (c) return c;
  if (a->line != b->line) return a->line < b->line ? -1 : 1;
  if (a->column != b->column) return a->column < b->column ? -1 : 1;
  if ((c = strcmp(a->rule->id, b->rule->id))) return c;
  return strcmp(a->message ? a->message : "", b->message ? b->message : "");
}

static bool from_baseline(const rep_item *it) {
  return it->kind && strcmp(it->kind, "baseline") == 0;
}

void rep_write_baseline(pol_buf *b, const rep_report *r) {
  size_t n = 0;
  const rep_item **items = pol_malloc((r->findings.len + r->suppressed.len + 1) * sizeof *items);
  if (items == NULL) { b->oom = true; return; }
  for (size_t i = 0; i < r->findings.len; i++) items[n++] = &r->findings.items[i];
  for (size_t i = 0; i < r->suppressed.len; i++)
    if (from_baseline(&r->suppressed.items[i])) items[n++] = &r->suppressed.items[i];
  qsort(items, n, sizeof *items, by_position);
  pol_buf_puts(b, "{\n  \"version\": 1,\n  \"findings\": [");
  for (size_t i = 0; i < n; i++) {
    const rep_item *it = items[i];
    pol_buf_puts(b, i ? ",\n    {" : "\n    {");
    rep_json_key(b, "fingerprint", true);
    rep_json_str(b, it->fingerprint);
    rep_json_key(b, "rule", false);
    rep_json_str(b, it->rule->id);
    rep_json_key(b, "file", false);
    rep_json_str(b, it->file);
    rep_json_key(b, "line", false);
    pol_buf_printf(b, "%u", (unsigned)it->line);
    rep_json_key(b, "message", false);
    rep_json_str(b, it->message);
    pol_buf_putc(b, '}');
  }
  pol_buf_puts(b, n ? "\n  ]\n}\n" : "]\n}\n");
  pol_free(items);
}
