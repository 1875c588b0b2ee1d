/*
** output.c: policy_report_write and policy_report_write_cb, the report in
** the formats CI systems read (the writers are report/write*.c; this file
** hands them the engine's rules, and a buffer that keeps the whole text or
** passes it on in chunks).
*/
#include <assert.h>
#include <string.h>

#include "../core/alloc.h"
#include "internal.h"

static const char *const format_names[] = {
    NULL, "text", "json", "sarif", "junit", "github", "gitlab", "checkstyle", "baseline"};
#define NFORMATS (sizeof format_names / sizeof format_names[0])

int policy_format_from_name(const char *name) {
  for (size_t i = 1; name && i < NFORMATS; i++)
    if (strcmp(name, format_names[i]) == 0) return (int)i;
  return 0;
}

/* The engine's rules that run (not ignored), in load order. */
static bool engine_rules(rep_rules *out, const policy_engine *e) {
  out->items = NULL;
  out->len = 0;
  if (e == NULL || e->nrules == 0) return true;
  const rep_rule **items = pol_malloc(e->nrules * sizeof *items);
  if (items == NULL) return false;
  size_t n = 0;
  for (size_t i = 0; i < e->nrules; i++)
    if (!e->rules[i]->ignored) items[n++] = e->metas[i];
  out->items = items;
  out->len = n;
  return true;
}

/* Writes the report in a format into b (which may have a sink). */
static int write_report(pol_buf *b, const policy_report *report, const policy_engine *engine,
                        int format, uint32_t flags) {
  rep_rules rules;
  if (!engine_rules(&rules, engine)) return POLICY_ERR_NOMEM;
  rep_report *r = (rep_report *)report; /* sorting is deferred to the first read */
  rep_settle(r);
  unsigned pretty = (flags & POLICY_JSON_PRETTY) ? REP_PRETTY : 0;
  switch (format) {
  case POLICY_FORMAT_TEXT:
    rep_write_text(b, r, ((flags & POLICY_TEXT_COLOR) ? REP_COLOR : 0) |
                             ((flags & POLICY_TEXT_NO_SUMMARY) ? REP_NO_SUMMARY : 0));
    break;
  case POLICY_FORMAT_JSON: rep_write_json(b, r, pretty != 0); break;
  case POLICY_FORMAT_SARIF: rep_write_sarif(b, r, &rules, pretty); break;
  case POLICY_FORMAT_JUNIT: rep_write_junit(b, r, &rules); break;
  case POLICY_FORMAT_GITHUB: rep_write_github(b, r); break;
  case POLICY_FORMAT_GITLAB: rep_write_gitlab(b, r, pretty); break;
  case POLICY_FORMAT_CHECKSTYLE: rep_write_checkstyle(b, r); break;
  case POLICY_FORMAT_BASELINE: rep_write_baseline(b, r); break;
  default: assert(!"format checked by the callers"); break;
  }
  pol_free((void *)rules.items);
  if (!pol_buf_flush(b)) return b->sink_failed ? POLICY_ERR_IO : POLICY_ERR_NOMEM;
  return POLICY_OK;
}

int policy_report_write(char **out, size_t *len, const policy_report *report,
                        const policy_engine *engine, int format, uint32_t flags) {
  if (out == NULL || report == NULL || format < 1 || (size_t)format >= NFORMATS)
    return POLICY_ERR_INVALID;
  pol_buf b = POL_BUF_INIT;
  int rc = write_report(&b, report, engine, format, flags);
  if (rc != POLICY_OK) {
    pol_buf_free(&b);
    return rc;
  }
  char *s = pol_buf_detach(&b, len);
  if (s == NULL) return POLICY_ERR_NOMEM;
  *out = s;
  return POLICY_OK;
}

int policy_report_write_cb(const policy_report *report, const policy_engine *engine,
                           int format, uint32_t flags, policy_write_fn write, void *ctx) {
  if (report == NULL || write == NULL || format < 1 || (size_t)format >= NFORMATS)
    return POLICY_ERR_INVALID;
  pol_buf b = POL_BUF_INIT;
  pol_buf_set_sink(&b, write, ctx);
  int rc = write_report(&b, report, engine, format, flags);
  pol_buf_free(&b);
  return rc;
}
