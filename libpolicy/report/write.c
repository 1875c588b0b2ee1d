/*
** write.c: the report as JSON (the contract in docs/report.md) and as
** compiler-style text (every field escaped: one entry, one line).
*/
#include <string.h>

#include "../core/buf.h"
#include "report.h"

void rep_json_key(pol_buf *b, const char *k, bool first) {
  if (!first) pol_buf_putc(b, ',');
  pol_buf_put_json_string(b, k, strlen(k));
  pol_buf_putc(b, ':');
}

void rep_json_str(pol_buf *b, const char *s) {
  if (s) pol_buf_put_json_string(b, s, strlen(s));
  else pol_buf_puts(b, "null");
}

static void num(pol_buf *b, const char *k, uint32_t v) {
  rep_json_key(b, k, false);
  pol_buf_put_uint(b, v);
}

typedef enum { AS_FINDING, AS_SUPPRESSED, AS_ERROR, AS_WARNING, AS_FIXED } item_shape;

static void write_item(pol_buf *b, const rep_item *it, item_shape shape) {
  pol_buf_putc(b, '{');
  if (shape == AS_WARNING) {
    rep_json_key(b, "file", true); rep_json_str(b, it->file);
    num(b, "line", it->line);
    num(b, "column", it->column);
    rep_json_key(b, "message", false); rep_json_str(b, it->message);
    rep_json_key(b, "kind", false); rep_json_str(b, it->kind);
  } else if (shape == AS_FIXED) {
    rep_json_key(b, "rule", true); rep_json_str(b, rep_item_rule_id(it));
    rep_json_key(b, "file", false); rep_json_str(b, it->file);
    num(b, "line", it->line);
    rep_json_key(b, "message", false); rep_json_str(b, it->message);
    rep_json_key(b, "fingerprint", false); rep_json_str(b, it->fingerprint);
  } else if (shape != AS_ERROR) {
    rep_json_key(b, "rule", true); rep_json_str(b, rep_item_rule_id(it));
    rep_json_key(b, "severity", false); rep_json_str(b, rep_severity_name(it->severity));
    rep_json_key(b, "title", false); rep_json_str(b, it->rule ? it->rule->title : NULL);
    rep_json_key(b, "message", false); rep_json_str(b, it->message);
    rep_json_key(b, "file", false); rep_json_str(b, it->file);
    num(b, "line", it->line);
    num(b, "column", it->column);
    num(b, "end_line", it->end_line);
    num(b, "end_column", it->end_column);
    rep_json_key(b, "subject", false); rep_json_str(b, it->subject);
    rep_json_key(b, "refs", false);
    if (it->rule) rep_write_refs(b, it->rule->refs, it->rule->nrefs);
    else pol_buf_puts(b, "{}");
    rep_json_key(b, "fingerprint", false); rep_json_str(b, it->fingerprint);
    if (shape == AS_SUPPRESSED) {
      rep_json_key(b, "reason", false); rep_json_str(b, it->reason);
      rep_json_key(b, "kind", false); rep_json_str(b, it->kind);
    }
  } else {
    rep_json_key(b, "file", true); rep_json_str(b, it->file);
    num(b, "line", it->line);
    num(b, "column", it->column);
    rep_json_key(b, "message", false); rep_json_str(b, it->message);
    rep_json_key(b, "rule", false); rep_json_str(b, rep_item_rule_id(it));
    rep_json_key(b, "limit", false); rep_json_str(b, it->limit);
  }
  pol_buf_putc(b, '}');
}

void rep_write_refs(pol_buf *b, const rep_ref *refs, size_t n) {
  pol_buf_putc(b, '{');
  for (size_t i = 0; i < n; i++) {
    rep_json_key(b, refs[i].tool, i == 0);
    pol_buf_put_json_string(b, refs[i].id, strlen(refs[i].id));
  }
  pol_buf_putc(b, '}');
}

static void write_list(pol_buf *b, const char *name, const rep_list *l,
                       item_shape shape, bool pretty, bool first) {
  if (!first) pol_buf_putc(b, ',');
  if (pretty) pol_buf_puts(b, "\n  ");
  pol_buf_put_json_string(b, name, strlen(name));
  pol_buf_puts(b, pretty ? ": [" : ":[");
  for (size_t i = 0; i < l->len; i++) {
    if (i) pol_buf_putc(b, ',');
    if (pretty) pol_buf_puts(b, "\n    ");
    write_item(b, &l->items[i], shape);
  }
  if (pretty && l->len) pol_buf_puts(b, "\n  ");
  pol_buf_putc(b, ']');
}

void rep_write_json(pol_buf *b, const rep_report *r, bool pretty) {
  pol_buf_putc(b, '{');
  write_list(b, "findings", &r->findings, AS_FINDING, pretty, true);
  write_list(b, "suppressed", &r->suppressed, AS_SUPPRESSED, pretty, false);
  write_list(b, "errors", &r->errors, AS_ERROR, pretty, false);
  write_list(b, "warnings", &r->warnings, AS_WARNING, pretty, false);
  write_list(b, "fixed", &r->fixed, AS_FIXED, pretty, false);
  pol_buf_puts(b, pretty ? ",\n  \"summary\": " : ",\"summary\":");
  pol_buf_printf(b, "{\"files\":%zu,\"findings\":%zu,\"suppressed\":%zu,\"errors\":%zu,"
                 "\"warnings\":%zu,\"fixed\":%zu}",
                 r->files, r->findings.len, r->suppressed.len, r->errors.len,
                 r->warnings.len, r->fixed.len);
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
  rep_put_text(b, it->file ? it->file : "-");
  if (it->line) pol_buf_printf(b, ":%u:%u", (unsigned)it->line, (unsigned)(it->column ? it->column : 1));
  pol_buf_puts(b, color ? ":\033[0m " : ": ");
}

/* " [id] " */
static void write_rule(pol_buf *b, const rep_item *it) {
  pol_buf_puts(b, " [");
  rep_put_text(b, rep_item_rule_id(it));
  pol_buf_puts(b, "] ");
}

void rep_write_text(pol_buf *b, const rep_report *r, unsigned flags) {
  bool color = (flags & REP_COLOR) != 0;
  for (size_t i = 0; i < r->errors.len; i++) {
    const rep_item *it = &r->errors.items[i];
    write_location(b, it, color);
    pol_buf_puts(b, color ? "\033[1;31merror\033[0m" : "error");
    if (it->rule) write_rule(b, it);
    else pol_buf_putc(b, ' ');
    rep_put_text(b, it->message);
    pol_buf_putc(b, '\n');
  }
  for (size_t i = 0; i < r->findings.len; i++) {
    const rep_item *it = &r->findings.items[i];
    write_location(b, it, color);
    if (color) pol_buf_puts(b, severity_color(it->severity));
    pol_buf_puts(b, rep_severity_name(it->severity));
    if (color) pol_buf_puts(b, "\033[0m");
    write_rule(b, it);
    rep_put_text(b, it->message);
    pol_buf_putc(b, '\n');
  }
  if (flags & REP_NO_SUMMARY) return;
  pol_buf_printf(b, "%zu file%s checked: %zu finding%s, %zu suppressed, %zu error%s\n",
              r->files, r->files == 1 ? "" : "s", r->findings.len,
              r->findings.len == 1 ? "" : "s", r->suppressed.len,
              r->errors.len, r->errors.len == 1 ? "" : "s");
}
