/*
** write.c: the report as JSON (the contract in docs/report.md) and as
** compiler-style text.
*/
#include <string.h>

#include "../core/buf.h"
#include "report.h"

static void key(pol_buf *b, const char *k, bool first) {
  if (!first) pol_buf_putc(b, ',');
  pol_buf_put_json_string(b, k, strlen(k));
  pol_buf_putc(b, ':');
}

static void str_or_null(pol_buf *b, const char *s) {
  if (s) pol_buf_put_json_string(b, s, strlen(s));
  else pol_buf_puts(b, "null");
}

static void write_item(pol_buf *b, const rep_item *it, bool finding,
                       bool suppressed) {
  pol_buf_putc(b, '{');
  if (finding) {
    key(b, "rule", true); str_or_null(b, rep_item_rule_id(it));
    key(b, "severity", false); str_or_null(b, rep_severity_name(it->severity));
    key(b, "title", false); str_or_null(b, it->rule ? it->rule->title : NULL);
    key(b, "message", false); str_or_null(b, it->message);
    key(b, "file", false); str_or_null(b, it->file);
    key(b, "line", false); pol_buf_printf(b, "%u", (unsigned)it->line);
    key(b, "column", false); pol_buf_printf(b, "%u", (unsigned)it->column);
    key(b, "end_line", false); pol_buf_printf(b, "%u", (unsigned)it->end_line);
    key(b, "end_column", false); pol_buf_printf(b, "%u", (unsigned)it->end_column);
    key(b, "subject", false); str_or_null(b, it->subject);
    key(b, "refs", false);
    if (it->rule) rep_write_refs(b, it->rule->refs, it->rule->nrefs);
    else pol_buf_puts(b, "{}");
    if (suppressed) { key(b, "reason", false); str_or_null(b, it->reason); }
  } else {
    key(b, "file", true); str_or_null(b, it->file);
    key(b, "line", false); pol_buf_printf(b, "%u", (unsigned)it->line);
    key(b, "column", false); pol_buf_printf(b, "%u", (unsigned)it->column);
    key(b, "message", false); str_or_null(b, it->message);
    key(b, "rule", false); str_or_null(b, rep_item_rule_id(it));
    key(b, "limit", false); str_or_null(b, it->limit);
  }
  pol_buf_putc(b, '}');
}

void rep_write_refs(pol_buf *b, const rep_ref *refs, size_t n) {
  pol_buf_putc(b, '{');
  for (size_t i = 0; i < n; i++) {
    key(b, refs[i].tool, i == 0);
    pol_buf_put_json_string(b, refs[i].id, strlen(refs[i].id));
  }
  pol_buf_putc(b, '}');
}

static void write_list(pol_buf *b, const char *name, const rep_list *l,
                       bool finding, bool suppressed, bool pretty, bool first) {
  if (!first) pol_buf_putc(b, ',');
  if (pretty) pol_buf_puts(b, "\n  ");
  pol_buf_put_json_string(b, name, strlen(name));
  pol_buf_puts(b, pretty ? ": [" : ":[");
  for (size_t i = 0; i < l->len; i++) {
    if (i) pol_buf_putc(b, ',');
    if (pretty) pol_buf_puts(b, "\n    ");
    write_item(b, &l->items[i], finding, suppressed);
  }
  if (pretty && l->len) pol_buf_puts(b, "\n  ");
  pol_buf_putc(b, ']');
}

void rep_write_json(pol_buf *b, const rep_report *r, bool pretty) {
  pol_buf_putc(b, '{');
  write_list(b, "findings", &r->findings, true, false, pretty, true);
  write_list(b, "suppressed", &r->suppressed, true, true, pretty, false);
  write_list(b, "errors", &r->errors, false, false, pretty, false);
  pol_buf_puts(b, pretty ? ",\n  \"summary\": " : ",\"summary\":");
  pol_buf_printf(b, "{\"files\":%zu,\"findings\":%zu,\"suppressed\":%zu,\"errors\":%zu}",
              r->files, r->findings.len, r->suppressed.len, r->errors.len);
  pol_buf_puts(b, pretty ? "\n}\n" : "}\n");
}

static const char *severity_color(int severity) {
  switch (severity) {
  case 5: return "\033[1;31m"; /* critical: bold red */
  case 4: return "\033[31m";   /* high: red */
  case 3: return "\033[33m";   /* medium: yellow */
  case 2: return "\033[36m";   /* low: cyan */
  default: return "\033[2m";   /* info: dim */
  }
}

static void write_location(pol_buf *b, const rep_item *it, bool color) {
  if (color) pol_buf_puts(b, "\033[1m");
  pol_buf_puts(b, it->file ? it->file : "-");
  if (it->line) pol_buf_printf(b, ":%u:%u", (unsigned)it->line, (unsigned)(it->column ? it->column : 1));
  pol_buf_puts(b, color ? ":\033[0m " : ": ");
}

void rep_write_text(pol_buf *b, const rep_report *r, bool color) {
  for (size_t i = 0; i < r->errors.len; i++) {
    const rep_item *it = &r->errors.items[i];
    write_location(b, it, color);
    pol_buf_puts(b, color ? "\033[1;31merror\033[0m " : "error ");
    if (it->rule) pol_buf_printf(b, "[%s] ", it->rule->id);
    pol_buf_puts(b, it->message);
    pol_buf_putc(b, '\n');
  }
  for (size_t i = 0; i < r->findings.len; i++) {
    const rep_item *it = &r->findings.items[i];
    write_location(b, it, color);
    if (color) pol_buf_puts(b, severity_color(it->severity));
    pol_buf_puts(b, rep_severity_name(it->severity));
    if (color) pol_buf_puts(b, "\033[0m");
    pol_buf_printf(b, " [%s] %s\n", it->rule->id, it->message);
  }
  pol_buf_printf(b, "%zu file%s checked: %zu finding%s, %zu suppressed, %zu error%s\n",
              r->files, r->files == 1 ? "" : "s", r->findings.len,
              r->findings.len == 1 ? "" : "s", r->suppressed.len,
              r->errors.len, r->errors.len == 1 ? "" : "s");
}
