/*
** write_gitlab.c: the report as a GitLab Code Quality report (a JSON
** array of issues), which merge requests show as new and fixed issues:
**
**   {"description", "check_name", "fingerprint", "severity",
**    "location": {"path", "lines": {"begin", "end"}}, "categories"}
**
** Severity: info -> info, low -> minor, medium -> major, high ->
** critical, critical -> blocker. GitLab keeps one issue per fingerprint,
** so a fingerprint that repeats in the report (two findings of one rule
** on nodes of equal content) gets its occurrence number mixed in; the
** n-th occurrence keeps the same fingerprint from run to run.
*/
#include <string.h>

#include "policy/policy.h"
#include "report.h"

static const char *severity_of(int severity) {
  switch (severity) {
  case POLICY_SEVERITY_CRITICAL: return "blocker";
  case POLICY_SEVERITY_HIGH: return "critical";
  case POLICY_SEVERITY_MEDIUM: return "major";
  case POLICY_SEVERITY_LOW: return "minor";
  default: return "info";
  }
}

/* The occurrences of it's fingerprint among the findings before it. */
static size_t occurrence(const rep_list *l, size_t index) {
  const char *fp = l->items[index].fingerprint;
  const char *file = l->items[index].file;
  size_t n = 0;
  /* Equal fingerprints share the file, and findings are sorted by file:
  ** look back only while the file is the same (interned: compare pointers). */
  for (size_t i = index; i-- > 0 && l->items[i].file == file;)
    if (fp && l->items[i].fingerprint && strcmp(l->items[i].fingerprint, fp) == 0) n++;
  return n;
}

void rep_write_gitlab(pol_buf *b, const rep_report *r, unsigned flags) {
  bool pretty = (flags & REP_PRETTY) != 0;
  pol_buf_putc(b, '[');
  for (size_t i = 0; i < r->findings.len; i++) {
    const rep_item *it = &r->findings.items[i];
    if (i) pol_buf_putc(b, ',');
    if (pretty) pol_buf_puts(b, "\n  ");
    pol_buf_puts(b, "{\"type\":\"issue\",\"description\":");
    rep_json_str(b, it->message);
    rep_json_key(b, "check_name", false);
    rep_json_str(b, it->rule->id);
    rep_json_key(b, "fingerprint", false);
    size_t n = occurrence(&r->findings, i);
    if (n == 0) rep_json_str(b, it->fingerprint);
    else pol_buf_printf(b, "\"%s-%zu\"", it->fingerprint, n + 1);
    rep_json_key(b, "severity", false);
    rep_json_str(b, severity_of(it->severity));
    pol_buf_puts(b, ",\"categories\":[\"Security\"],\"location\":{\"path\":");
    const char *file = it->file ? it->file : "-";
    while (file[0] == '.' && file[1] == '/') file += 2;
    rep_json_str(b, file);
    unsigned begin = it->line ? it->line : 1;
    unsigned end = it->end_line >= begin ? it->end_line : begin;
    pol_buf_printf(b, ",\"lines\":{\"begin\":%u,\"end\":%u}}}", begin, end);
  }
  pol_buf_puts(b, pretty && r->findings.len ? "\n]\n" : "]\n");
}
