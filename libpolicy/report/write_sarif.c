/*
** write_sarif.c: the report as SARIF 2.1.0 (OASIS), the format GitHub
** code scanning and other dashboards upload.
**
** One run. tool.driver.rules lists every loaded rule (or, without an
** engine, the rules seen in the report) as a reportingDescriptor; each
** result names its rule by id and index. Locations are relative URIs
** under %SRCROOT% (the working directory) for relative paths, file: URIs
** for absolute ones. Columns count code points (columnKind). The finding's
** fingerprint is the partialFingerprint "policy/v1", which follows a
** finding across line moves. Suppressed findings are results with
** suppressions: kind "inSource" (a comment) or "external" (a baseline).
** Errors and warnings are the invocation's tool execution notifications.
*/
#include <assert.h>
#include <string.h>
#include <unistd.h>

#include "../core/alloc.h"
#include "policy/policy.h"
#include "policy/version.h"
#include "report.h"

static const char *level_of(int severity) {
  if (severity >= POLICY_SEVERITY_HIGH) return "error";
  if (severity >= POLICY_SEVERITY_LOW) return "warning";
  return "note";
}

/* GitHub's security-severity scale: 9.0+ critical, 7.0-8.9 high, 4.0-6.9
** medium, 0.1-3.9 low. Info has none. */
static const char *security_severity(int severity) {
  switch (severity) {
  case POLICY_SEVERITY_CRITICAL: return "9.5";
  case POLICY_SEVERITY_HIGH: return "8.0";
  case POLICY_SEVERITY_MEDIUM: return "5.5";
  case POLICY_SEVERITY_LOW: return "3.0";
  default: return NULL;
  }
}

/* Percent-encodes what a URI path may not hold (RFC 3986: unreserved
** characters, sub-delimiters, ':', '@' and '/' stay). */
static void put_uri_path(pol_buf *out, const char *p) {
  static const char hex[] = "0123456789ABCDEF";
  static const char keep[] = "-._~!$&'()*+,;=:@/";
  for (; *p; p++) {
    unsigned char c = (unsigned char)*p;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
        (c != 0 && strchr(keep, c))) {
      pol_buf_putc(out, (char)c);
    } else {
      char e[3] = {'%', hex[c >> 4], hex[c & 15]};
      pol_buf_append(out, e, 3);
    }
  }
}

/* A JSON string holding the URI of a file. */
static void put_uri(pol_buf *b, const char *file, bool absolute) {
  pol_buf u = POL_BUF_INIT;
  if (absolute) pol_buf_puts(&u, "file://");
  while (!absolute && file[0] == '.' && file[1] == '/') file += 2;
  put_uri_path(&u, file);
  pol_buf_putc(&u, '\0');
  if (u.oom) b->oom = true;
  else rep_json_str(b, u.data);
  pol_buf_free(&u);
}

static void put_text_message(pol_buf *b, const char *k, const char *text, bool first) {
  rep_json_key(b, k, first);
  pol_buf_puts(b, "{\"text\":");
  rep_json_str(b, text ? text : "");
  pol_buf_putc(b, '}');
}

/* physicalLocation of an entry, or nothing when it has no file. */
static void put_location(pol_buf *b, const rep_item *it) {
  const char *file = it->file ? it->file : "-";
  bool absolute = file[0] == '/';
  pol_buf_puts(b, "{\"physicalLocation\":{\"artifactLocation\":{\"uri\":");
  put_uri(b, file, absolute);
  if (!absolute) pol_buf_puts(b, ",\"uriBaseId\":\"%SRCROOT%\"");
  pol_buf_putc(b, '}');
  if (it->line > 0) {
    pol_buf_printf(b, ",\"region\":{\"startLine\":%u", (unsigned)it->line);
    if (it->column > 0) pol_buf_printf(b, ",\"startColumn\":%u", (unsigned)it->column);
    bool end = it->end_line >= it->line &&
               (it->end_line > it->line || it->end_column > it->column);
    if (end) {
      pol_buf_printf(b, ",\"endLine\":%u", (unsigned)it->end_line);
      if (it->end_column > 0) pol_buf_printf(b, ",\"endColumn\":%u", (unsigned)it->end_column);
    }
    pol_buf_putc(b, '}');
  }
  pol_buf_puts(b, "}");
  if (it->subject) {
    pol_buf_puts(b, ",\"logicalLocations\":[{\"name\":");
    rep_json_str(b, it->subject);
    pol_buf_puts(b, "}]");
  }
  pol_buf_putc(b, '}');
}

/* The driver's rules: the engine's, then any the report names that the
** engine does not list (entries made by another engine). */
typedef struct rule_table {
  const rep_rule **items;
  size_t len;
} rule_table;

static size_t rule_index(const rule_table *t, const rep_rule *r) {
  for (size_t i = 0; i < t->len; i++)
    if (t->items[i] == r) return i;
  for (size_t i = 0; i < t->len; i++)
    if (strcmp(t->items[i]->id, r->id) == 0) return i;
  return SIZE_MAX;
}

/* Adds the rules of a list's entries; the table was made large enough
** for every entry of the report. */
static void table_add_list(rule_table *t, const rep_list *l, size_t cap) {
  for (size_t i = 0; i < l->len; i++) {
    const rep_rule *r = l->items[i].rule;
    if (r && rule_index(t, r) == SIZE_MAX) {
      assert(t->len < cap);
      t->items[t->len++] = r;
    }
  }
}

static void put_rule(pol_buf *b, const rep_rule *r, bool pretty) {
  if (pretty) pol_buf_puts(b, "\n        ");
  pol_buf_puts(b, "{\"id\":");
  rep_json_str(b, r->id);
  put_text_message(b, "shortDescription", r->title, false);
  put_text_message(b, "fullDescription", *r->description ? r->description : r->title, false);
  pol_buf help = POL_BUF_INIT;
  pol_buf_puts(&help, *r->description ? r->description : r->title);
  if (*r->remediation) {
    pol_buf_puts(&help, "\n\nHow to fix:\n");
    pol_buf_puts(&help, r->remediation);
  }
  for (size_t i = 0; i < r->nrefs; i++) {
    pol_buf_puts(&help, i == 0 ? "\n\nEquivalent checks: " : "; ");
    pol_buf_printf(&help, "%s %s", r->refs[i].tool, r->refs[i].id);
  }
  pol_buf_putc(&help, '\0');
  if (help.oom) b->oom = true;
  else put_text_message(b, "help", help.data, false);
  pol_buf_free(&help);
  rep_json_key(b, "defaultConfiguration", false);
  pol_buf_puts(b, "{\"level\":");
  rep_json_str(b, level_of(r->severity));
  pol_buf_puts(b, "},\"properties\":{\"severity\":");
  rep_json_str(b, rep_severity_name(r->severity));
  const char *sec = security_severity(r->severity);
  if (sec) pol_buf_printf(b, ",\"security-severity\":\"%s\"", sec);
  pol_buf_puts(b, ",\"tags\":[\"security\"],\"refs\":");
  rep_write_refs(b, r->refs, r->nrefs);
  rep_json_key(b, "origin", false);
  rep_json_str(b, r->origin);
  pol_buf_puts(b, "}}");
}

static void put_result(pol_buf *b, const rep_item *it, const rule_table *t,
                       bool suppressed, bool baselined, bool pretty) {
  if (pretty) pol_buf_puts(b, "\n      ");
  pol_buf_puts(b, "{\"ruleId\":");
  rep_json_str(b, rep_item_rule_id(it));
  size_t index = rule_index(t, it->rule);
  if (index != SIZE_MAX) pol_buf_printf(b, ",\"ruleIndex\":%zu", index);
  rep_json_key(b, "level", false);
  rep_json_str(b, level_of(it->severity));
  put_text_message(b, "message", it->message, false);
  pol_buf_puts(b, ",\"locations\":[");
  put_location(b, it);
  pol_buf_puts(b, "],\"partialFingerprints\":{\"policy/v1\":");
  rep_json_str(b, it->fingerprint);
  pol_buf_puts(b, "},\"properties\":{\"severity\":");
  rep_json_str(b, rep_severity_name(it->severity));
  pol_buf_putc(b, '}');
  bool from_baseline = suppressed && it->kind && strcmp(it->kind, "baseline") == 0;
  if (baselined) {
    rep_json_key(b, "baselineState", false);
    rep_json_str(b, from_baseline ? "unchanged" : "new");
  }
  if (suppressed) {
    pol_buf_puts(b, ",\"suppressions\":[{\"kind\":");
    rep_json_str(b, from_baseline ? "external" : "inSource");
    if (it->reason) {
      rep_json_key(b, "justification", false);
      rep_json_str(b, it->reason);
    }
    pol_buf_puts(b, "}]");
  }
  pol_buf_putc(b, '}');
}

/* An error or warning as a toolExecutionNotification. */
static void put_notification(pol_buf *b, const rep_item *it, const char *level,
                             const rule_table *t, bool first, bool pretty) {
  if (!first) pol_buf_putc(b, ',');
  if (pretty) pol_buf_puts(b, "\n          ");
  pol_buf_puts(b, "{\"level\":");
  rep_json_str(b, level);
  put_text_message(b, "message", it->message, false);
  if (it->file) {
    pol_buf_puts(b, ",\"locations\":[");
    put_location(b, it);
    pol_buf_putc(b, ']');
  }
  if (it->rule) {
    pol_buf_puts(b, ",\"associatedRule\":{\"id\":");
    rep_json_str(b, it->rule->id);
    size_t index = rule_index(t, it->rule);
    if (index != SIZE_MAX) pol_buf_printf(b, ",\"index\":%zu", index);
    pol_buf_putc(b, '}');
  }
  pol_buf_putc(b, '}');
}

static void put_src_root(pol_buf *b) {
  char cwd[4096];
  if (getcwd(cwd, sizeof cwd - 1) == NULL || cwd[0] != '/') return;
  size_t n = strlen(cwd);
  if (cwd[n - 1] != '/') { cwd[n] = '/'; cwd[n + 1] = '\0'; }
  pol_buf_puts(b, ",\"originalUriBaseIds\":{\"%SRCROOT%\":{\"uri\":");
  put_uri(b, cwd, true);
  pol_buf_puts(b, "}}");
}

void rep_write_sarif(pol_buf *b, const rep_report *r, const rep_rules *rules,
                     unsigned flags) {
  bool pretty = (flags & REP_PRETTY) != 0;
  size_t cap = rules->len + r->findings.len + r->suppressed.len + r->errors.len;
  rule_table t = {pol_calloc(cap ? cap : 1, sizeof *t.items), 0};
  if (t.items == NULL) { b->oom = true; return; }
  for (size_t i = 0; i < rules->len; i++)
    if (rule_index(&t, rules->items[i]) == SIZE_MAX) t.items[t.len++] = rules->items[i];
  table_add_list(&t, &r->findings, cap);
  table_add_list(&t, &r->suppressed, cap);
  table_add_list(&t, &r->errors, cap);

  pol_buf_puts(b, "{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\","
                  "\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{"
                  "\"name\":\"policy\",\"fullName\":\"policy (libpolicy)\",\"version\":");
  rep_json_str(b, POLICY_VERSION_STRING);
  pol_buf_puts(b, ",\"semanticVersion\":");
  rep_json_str(b, POLICY_VERSION_STRING);
  pol_buf_puts(b, ",\"rules\":[");
  for (size_t i = 0; i < t.len; i++) {
    if (i) pol_buf_putc(b, ',');
    put_rule(b, t.items[i], pretty);
  }
  pol_buf_puts(b, "]}},\"columnKind\":\"unicodeCodePoints\"");
  put_src_root(b);
  pol_buf_puts(b, ",\"invocations\":[{\"executionSuccessful\":");
  pol_buf_puts(b, r->errors.len == 0 ? "true" : "false");
  pol_buf_puts(b, ",\"toolExecutionNotifications\":[");
  for (size_t i = 0; i < r->errors.len; i++)
    put_notification(b, &r->errors.items[i], "error", &t, i == 0, pretty);
  for (size_t i = 0; i < r->warnings.len; i++)
    put_notification(b, &r->warnings.items[i], "warning", &t, i == 0 && r->errors.len == 0, pretty);
  pol_buf_puts(b, "]}],\"results\":[");
  for (size_t i = 0; i < r->findings.len; i++) {
    if (i) pol_buf_putc(b, ',');
    put_result(b, &r->findings.items[i], &t, false, r->baselined, pretty);
  }
  for (size_t i = 0; i < r->suppressed.len; i++) {
    if (i || r->findings.len) pol_buf_putc(b, ',');
    put_result(b, &r->suppressed.items[i], &t, true, r->baselined, pretty);
  }
  pol_buf_puts(b, pretty ? "\n    ]}]}\n" : "]}]}\n");
  pol_free(t.items);
}
