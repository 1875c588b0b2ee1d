/*
** write_checkstyle.c: the report as Checkstyle XML, which many CI
** plugins and code review bots read: a <file> per file, an <error> per
** finding (source "policy.<rule>") and per input or rule error (source
** "policy.input" or "policy.<rule>", severity "error").
*/
#include <string.h>

#include "../core/alloc.h"
#include "policy/policy.h"
#include "report.h"

static const char *severity_of(int severity) {
  if (severity >= POLICY_SEVERITY_HIGH) return "error";
  if (severity >= POLICY_SEVERITY_LOW) return "warning";
  return "info";
}

static void put_entry(pol_buf *b, const rep_item *it, const char *severity) {
  pol_buf_printf(b, "    <error line=\"%u\" column=\"%u\" severity=\"%s\" message=\"",
                 (unsigned)it->line, (unsigned)it->column, severity);
  rep_put_xml(b, it->message, false);
  pol_buf_puts(b, "\" source=\"policy.");
  rep_put_xml(b, it->rule ? it->rule->id : "input", false);
  pol_buf_puts(b, "\"/>\n");
}

/* Writes the entries of `file` from a list sorted by file, from *at on. */
static void put_list(pol_buf *b, const rep_list *l, size_t *at, const char *file,
                     bool errors) {
  while (*at < l->len && strcmp(l->items[*at].file ? l->items[*at].file : "", file) < 0) (*at)++;
  for (; *at < l->len && l->items[*at].file && strcmp(l->items[*at].file, file) == 0; (*at)++) {
    const rep_item *it = &l->items[*at];
    put_entry(b, it, errors ? "error" : severity_of(it->severity));
  }
}

void rep_write_checkstyle(pol_buf *b, const rep_report *r) {
  size_t nfiles = 0, at_err = 0, at_found = 0;
  const char **files = rep_report_files(r, &nfiles);
  if (files == NULL) { b->oom = true; return; }
  pol_buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n");
  for (size_t f = 0; f < nfiles; f++) {
    pol_buf_puts(b, "  <file name=\"");
    rep_put_xml(b, files[f], false);
    pol_buf_puts(b, "\">\n");
    put_list(b, &r->errors, &at_err, files[f], true);
    put_list(b, &r->findings, &at_found, files[f], false);
    pol_buf_puts(b, "  </file>\n");
  }
  pol_buf_puts(b, "</checkstyle>\n");
  pol_free(files);
}
