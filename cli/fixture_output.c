/*
** fixture_output.c: the results of `policy test` as text lines (printed
** as they come), JSON or JUnit XML (written at the end).
**
** Every text comes from a rule, a fixture or a file name: the text lines
** escape it (cli_safe), JSON and XML escape it by their own rules (XML
** cannot carry control characters at all: they become "\xNN").
*/
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fixtures.h"

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

cli_test_result *cli_test_begin(cli_test_results *r, const char *rule, const char *fixture) {
  cli_test_result *grown = realloc(r->items, (r->n + 1) * sizeof *grown);
  if (grown == NULL) {
    r->nomem = true;
    return NULL;
  }
  r->items = grown;
  cli_test_result *t = &r->items[r->n++];
  *t = (cli_test_result){dup_or_null(rule), dup_or_null(fixture), CLI_TEST_OK, NULL, 0};
  if (t->rule == NULL || (fixture && t->fixture == NULL)) r->nomem = true;
  return t;
}

void cli_test_detail(cli_test_results *r, const char *fmt, ...) {
  if (r->n == 0) return;
  cli_test_result *t = &r->items[r->n - 1];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
  char **grown = s ? realloc(t->details, (t->ndetails + 1) * sizeof *grown) : NULL;
  if (grown == NULL) {
    free(s);
    r->nomem = true;
    return;
  }
  va_start(ap, fmt);
  vsnprintf(s, (size_t)n + 1, fmt, ap);
  va_end(ap);
  t->details = grown;
  t->details[t->ndetails++] = s;
}

static const char *label(const cli_test_result *t, char *buf, size_t size) {
  if (t->fixture == NULL) return t->rule;
  snprintf(buf, size, "%s/%s", t->rule, t->fixture);
  return buf;
}

void cli_test_end(cli_test_results *r, int status) {
  if (r->n == 0) return;
  cli_test_result *t = &r->items[r->n - 1];
  t->status = status;
  if (status == CLI_TEST_OK) r->passed++;
  else if (status == CLI_TEST_FAIL) r->failed++;
  else r->skipped++;
  if (r->format != CLI_TEST_TEXT) return;
  char buf[1200];
  const char *name = label(t, buf, sizeof buf);
  if (status == CLI_TEST_SKIP)
    fprintf(r->out, "skip %s: %s\n", cli_safe(name), t->ndetails ? cli_safe(t->details[0]) : "");
  else
    fprintf(r->out, "%s %s\n", status == CLI_TEST_OK ? "ok  " : "FAIL", cli_safe(name));
  for (size_t i = status == CLI_TEST_SKIP; i < t->ndetails; i++)
    fprintf(r->out, "     %s\n", cli_safe(t->details[i]));
}

static double percent(size_t run, size_t total) {
  return total ? 100.0 * (double)run / (double)total : 100.0;
}

void cli_test_add_coverage(cli_test_results *r, const char *rule, size_t run, size_t total,
                           const char *missed) {
  cli_test_coverage *grown = realloc(r->coverage, (r->ncoverage + 1) * sizeof *grown);
  if (grown == NULL) {
    r->nomem = true;
    return;
  }
  r->coverage = grown;
  cli_test_coverage *c = &r->coverage[r->ncoverage++];
  *c = (cli_test_coverage){strdup(rule), run, total, strdup(missed ? missed : ""), false};
  if (c->rule == NULL || c->missed == NULL) r->nomem = true;
  c->below = r->min_coverage >= 0 && percent(run, total) < r->min_coverage;
  if (r->format != CLI_TEST_TEXT) return;
  fprintf(r->out, "coverage %s: %.0f%% of %zu line%s", cli_safe(rule), percent(run, total), total,
          total == 1 ? "" : "s");
  if (c->missed && *c->missed) fprintf(r->out, " (not run: %s)", cli_safe(c->missed));
  if (c->below) fprintf(r->out, ": under --min-coverage %g", r->min_coverage);
  fputc('\n', r->out);
}

/* ---- JSON --------------------------------------------------------------- */

/* Bytes of the UTF-8 sequence at p, or 0 when it is not valid UTF-8. */
static size_t utf8_length(const unsigned char *p) {
  size_t n = p[0] < 0x80 ? 1 : (p[0] & 0xE0) == 0xC0 ? 2 : (p[0] & 0xF0) == 0xE0 ? 3
             : (p[0] & 0xF8) == 0xF0 ? 4 : 0;
  if (n == 0 || (n == 2 && p[0] < 0xC2) || (n == 4 && p[0] > 0xF4)) return 0;
  for (size_t i = 1; i < n; i++)
    if ((p[i] & 0xC0) != 0x80) return 0;
  if (n == 3 && ((p[0] == 0xE0 && p[1] < 0xA0) || (p[0] == 0xED && p[1] >= 0xA0))) return 0;
  if (n == 4 && ((p[0] == 0xF0 && p[1] < 0x90) || (p[0] == 0xF4 && p[1] >= 0x90))) return 0;
  return n;
}

/* A JSON string: strict UTF-8, bytes that are not become U+FFFD. */
static void json_string(FILE *f, const char *s) {
  fputc('"', f);
  for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p;) {
    size_t n = utf8_length(p);
    if (n == 0) fputs("\\ufffd", f), n = 1;
    else if (*p == '"' || *p == '\\') fprintf(f, "\\%c", *p);
    else if (*p == '\n') fputs("\\n", f);
    else if (*p < 0x20 || *p == 0x7f) fprintf(f, "\\u%04x", *p);
    else fwrite(p, 1, n, f);
    p += n;
  }
  fputc('"', f);
}

static const char *status_name(int status) {
  return status == CLI_TEST_OK ? "ok" : status == CLI_TEST_FAIL ? "fail" : "skip";
}

static void write_json(const cli_test_results *r) {
  FILE *f = r->out;
  fputs("{\n  \"results\": [", f);
  for (size_t i = 0; i < r->n; i++) {
    const cli_test_result *t = &r->items[i];
    fputs(i ? ",\n    {\"rule\": " : "\n    {\"rule\": ", f);
    json_string(f, t->rule);
    fputs(", \"fixture\": ", f);
    if (t->fixture) json_string(f, t->fixture);
    else fputs("null", f);
    fprintf(f, ", \"status\": \"%s\", \"details\": [", status_name(t->status));
    for (size_t k = 0; k < t->ndetails; k++) {
      if (k) fputs(", ", f);
      json_string(f, t->details[k]);
    }
    fputs("]}", f);
  }
  fputs(r->n ? "\n  ],\n  \"coverage\": [" : "],\n  \"coverage\": [", f);
  for (size_t i = 0; i < r->ncoverage; i++) {
    const cli_test_coverage *c = &r->coverage[i];
    fputs(i ? ",\n    {\"rule\": " : "\n    {\"rule\": ", f);
    json_string(f, c->rule);
    fprintf(f, ", \"lines\": %zu, \"run\": %zu, \"percent\": %.1f, \"not_run\": ", c->total, c->run,
            percent(c->run, c->total));
    json_string(f, c->missed);
    fprintf(f, ", \"below_minimum\": %s}", c->below ? "true" : "false");
  }
  fprintf(f, "%s],\n  \"passed\": %zu,\n  \"failed\": %zu,\n  \"skipped\": %zu\n}\n",
          r->ncoverage ? "\n  " : "", r->passed, r->failed, r->skipped);
}

/* ---- JUnit -------------------------------------------------------------- */

/* XML text: markup characters as entities, control characters (which
** XML 1.0 cannot carry) as "\xNN", bytes that are not UTF-8 as U+FFFD. */
static void xml_text(FILE *f, const char *s) {
  for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p;) {
    size_t n = utf8_length(p);
    if (n == 0) fputs("\xEF\xBF\xBD", f), n = 1;
    else if (*p == '&') fputs("&amp;", f);
    else if (*p == '<') fputs("&lt;", f);
    else if (*p == '>') fputs("&gt;", f);
    else if (*p == '"') fputs("&quot;", f);
    else if (*p == '\n' || *p == '\t') fputc(*p, f);
    else if (*p < 0x20 || *p == 0x7f) fprintf(f, "\\x%02x", *p);
    else fwrite(p, 1, n, f);
    p += n;
  }
}

/* The results of one rule: items[from, to). */
static void junit_suite(FILE *f, const cli_test_results *r, size_t from, size_t to) {
  size_t failures = 0, skipped = 0;
  for (size_t i = from; i < to; i++) {
    failures += r->items[i].status == CLI_TEST_FAIL;
    skipped += r->items[i].status == CLI_TEST_SKIP;
  }
  fputs("  <testsuite name=\"", f);
  xml_text(f, r->items[from].rule);
  fprintf(f, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\">\n", to - from,
          failures, skipped);
  for (size_t i = from; i < to; i++) {
    const cli_test_result *t = &r->items[i];
    fputs("    <testcase classname=\"", f);
    xml_text(f, t->rule);
    fputs("\" name=\"", f);
    xml_text(f, t->fixture ? t->fixture : "(the rule)");
    if (t->status == CLI_TEST_OK) {
      fputs("\"/>\n", f);
      continue;
    }
    fputs("\">\n      <", f);
    fputs(t->status == CLI_TEST_FAIL ? "failure" : "skipped", f);
    fputs(" message=\"", f);
    xml_text(f, t->ndetails ? t->details[0] : status_name(t->status));
    fputs("\">", f);
    for (size_t k = 0; k < t->ndetails; k++) {
      if (k) fputc('\n', f);
      xml_text(f, t->details[k]);
    }
    fprintf(f, "</%s>\n    </testcase>\n", t->status == CLI_TEST_FAIL ? "failure" : "skipped");
  }
  fputs("  </testsuite>\n", f);
}

static void write_junit(const cli_test_results *r) {
  FILE *f = r->out;
  fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"policy test\" "
          "tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\">\n",
          r->n, r->failed, r->skipped);
  /* Results come rule by rule: one suite per run of the same rule. */
  for (size_t from = 0; from < r->n;) {
    size_t to = from + 1;
    while (to < r->n && strcmp(r->items[to].rule, r->items[from].rule) == 0) to++;
    junit_suite(f, r, from, to);
    from = to;
  }
  fputs("</testsuites>\n", f);
}

void cli_test_finish(cli_test_results *r) {
  if (r->format == CLI_TEST_JSON) write_json(r);
  else if (r->format == CLI_TEST_JUNIT) write_junit(r);
  else if (r->skipped)
    fprintf(r->out, "policy-test: %zu passed, %zu failed, %zu skipped\n", r->passed, r->failed,
            r->skipped);
  else
    fprintf(r->out, "policy-test: %zu passed, %zu failed\n", r->passed, r->failed);
}

void cli_test_results_free(cli_test_results *r) {
  for (size_t i = 0; i < r->n; i++) {
    free(r->items[i].rule);
    free(r->items[i].fixture);
    for (size_t k = 0; k < r->items[i].ndetails; k++) free(r->items[i].details[k]);
    free(r->items[i].details);
  }
  free(r->items);
  for (size_t i = 0; i < r->ncoverage; i++) {
    free(r->coverage[i].rule);
    free(r->coverage[i].missed);
  }
  free(r->coverage);
}
