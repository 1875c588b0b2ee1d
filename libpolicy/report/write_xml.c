/*
** write_xml.c: what the XML formats (JUnit, Checkstyle) share: escaped
** text and the sorted list of the report's files.
*/
#include <stdlib.h>
#include <string.h>

#include "../core/alloc.h"
#include "report.h"

void rep_put_xml(pol_buf *b, const char *s, bool keep_newlines) {
  /* First what a terminal must not see (which XML 1.0 cannot hold
  ** either: C0 controls other than tab, newline and carriage return are
  ** not characters), then XML's own specials. */
  pol_buf safe = POL_BUF_INIT;
  if (s) rep_put_escaped(&safe, s, strlen(s), keep_newlines);
  if (safe.oom) { b->oom = true; pol_buf_free(&safe); return; }
  for (size_t i = 0; i < safe.len; i++) {
    switch (safe.data[i]) {
    case '&': pol_buf_puts(b, "&amp;"); break;
    case '<': pol_buf_puts(b, "&lt;"); break;
    case '>': pol_buf_puts(b, "&gt;"); break;
    case '"': pol_buf_puts(b, "&quot;"); break;
    case '\'': pol_buf_puts(b, "&apos;"); break;
    case '\n': pol_buf_puts(b, "&#10;"); break;
    default: pol_buf_putc(b, safe.data[i]);
    }
  }
  pol_buf_free(&safe);
}

const char **rep_report_files(const rep_report *r, size_t *n) {
  const rep_list *lists[] = {&r->findings, &r->suppressed, &r->errors};
  size_t cap = 1 + r->checked.len;
  for (size_t l = 0; l < 3; l++) cap += lists[l]->len;
  const char **files = pol_malloc(cap * sizeof *files);
  if (files == NULL) return NULL;
  size_t len = 0;
  for (size_t i = 0; i < r->checked.len; i++) files[len++] = r->checked.items[i];
  for (size_t l = 0; l < 3; l++)
    for (size_t i = 0; i < lists[l]->len; i++)
      if (lists[l]->items[i].file) files[len++] = lists[l]->items[i].file;
  qsort(files, len, sizeof *files, rep_cmp_names);
  size_t kept = 0;
  for (size_t i = 0; i < len; i++)
    if (kept == 0 || strcmp(files[kept - 1], files[i]) != 0) files[kept++] = files[i];
  *n = kept;
  return files;
}
