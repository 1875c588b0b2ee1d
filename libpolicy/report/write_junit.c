/*
** write_junit.c: the report as JUnit XML, the test report CI dashboards
** (GitLab, Jenkins, Azure, ...) show.
**
** One testsuite per file; in it one testcase per rule (every loaded rule,
** then any other rule with an entry in the file), named by the rule id,
** classname the file. A testcase with findings has one <failure> whose
** text lists them, one per line (`file:line:col: severity message`); a
** rule error is an <error>. Input errors are <error>s of a testcase
** named "input". No timestamps: the same report gives the same bytes.
*/
#include <string.h>

#include "../core/alloc.h"
#include "report.h"

typedef struct span {
  const rep_item *items;
  size_t len;
} span;

/* The entries of `file` in a list sorted by file, from *at on. */
static span take(const rep_list *l, size_t *at, const char *file) {
  while (*at < l->len && strcmp(l->items[*at].file ? l->items[*at].file : "", file) < 0) (*at)++;
  size_t start = *at;
  while (*at < l->len && l->items[*at].file && strcmp(l->items[*at].file, file) == 0) (*at)++;
  return (span){l->items + start, *at - start};
}

static bool same_rule(const rep_item *it, const char *id) {
  const char *rid = rep_item_rule_id(it);
  return rid && id && strcmp(rid, id) == 0;
}

static void put_line(pol_buf *b, const rep_item *it, const char *what) {
  rep_put_xml(b, it->file, false);
  pol_buf_printf(b, ":%u:%u: ", (unsigned)it->line, (unsigned)it->column);
  pol_buf_puts(b, what);
  pol_buf_putc(b, ' ');
  rep_put_xml(b, it->message, false);
  pol_buf_putc(b, '\n');
}

typedef struct suite {
  pol_buf cases;
  bool count_only; /* the first pass: the counts, no text */
  size_t tests, failures, errors;
} suite;

/* One testcase: `id` NULL for the input errors. */
static void put_case(suite *s, const char *file, const char *id, span found,
                     span errs) {
  size_t nfound = 0, nerrs = 0;
  for (size_t i = 0; i < found.len; i++) nfound += same_rule(&found.items[i], id);
  for (size_t i = 0; i < errs.len; i++)
    nerrs += id ? same_rule(&errs.items[i], id) : errs.items[i].rule == NULL;
  s->tests++;
  s->errors += nerrs > 0;
  s->failures += nfound > 0;
  if (s->count_only) return;
  pol_buf *b = &s->cases;
  pol_buf_puts(b, "    <testcase name=\"");
  rep_put_xml(b, id ? id : "input", false);
  pol_buf_puts(b, "\" classname=\"");
  rep_put_xml(b, file, false);
  if (nfound == 0 && nerrs == 0) { pol_buf_puts(b, "\"/>\n"); return; }
  pol_buf_puts(b, "\">\n");
  for (size_t i = 0; i < errs.len; i++) {
    const rep_item *it = &errs.items[i];
    if (id ? !same_rule(it, id) : it->rule != NULL) continue;
    pol_buf_puts(b, "      <error message=\"");
    rep_put_xml(b, it->message, false);
    pol_buf_printf(b, "\" type=\"%s\">", it->limit ? it->limit : id ? "rule" : "input");
    put_line(b, it, "error");
    pol_buf_puts(b, "</error>\n");
  }
  if (nfound) {
    int worst = 0;
    for (size_t i = 0; i < found.len; i++)
      if (same_rule(&found.items[i], id) && found.items[i].severity > worst)
        worst = found.items[i].severity;
    pol_buf_printf(b, "      <failure message=\"%zu finding%s\" type=\"%s\">", nfound,
                   nfound == 1 ? "" : "s", rep_severity_name(worst));
    for (size_t i = 0; i < found.len; i++)
      if (same_rule(&found.items[i], id))
        put_line(b, &found.items[i], rep_severity_name(found.items[i].severity));
    pol_buf_puts(b, "</failure>\n");
  }
  pol_buf_puts(b, "    </testcase>\n");
}

/* Whether a rule id is among the engine's rules or earlier entries. */
static bool listed(const rep_rules *rules, const rep_item *seen, size_t n,
                   const char *id) {
  for (size_t i = 0; i < rules->len; i++)
    if (strcmp(rules->items[i]->id, id) == 0) return true;
  for (size_t i = 0; i < n; i++)
    if (same_rule(&seen[i], id)) return true;
  return false;
}

/* The suite of one file: appended to b when `write` (else only counted),
** its counts added to totals. */
static void put_suite(pol_buf *b, bool write, const char *file, const rep_rules *rules,
                      span found, span errs, size_t totals[3]) {
  suite s = {POL_BUF_INIT, !write, 0, 0, 0};
  bool input = false;
  for (size_t i = 0; i < errs.len; i++) input |= errs.items[i].rule == NULL;
  if (input) put_case(&s, file, NULL, found, errs);
  for (size_t i = 0; i < rules->len; i++) put_case(&s, file, rules->items[i]->id, found, errs);
  for (size_t i = 0; i < found.len; i++) {
    const char *id = rep_item_rule_id(&found.items[i]);
    if (!listed(rules, found.items, i, id)) put_case(&s, file, id, found, errs);
  }
  for (size_t i = 0; i < errs.len; i++) {
    const char *id = rep_item_rule_id(&errs.items[i]);
    if (id && !listed(rules, errs.items, i, id) && !listed(rules, found.items, found.len, id))
      put_case(&s, file, id, found, errs);
  }
  if (write) {
    pol_buf_puts(b, "  <testsuite name=\"");
    rep_put_xml(b, file, false);
    pol_buf_printf(b, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\">\n", s.tests,
                   s.failures, s.errors);
    if (s.cases.oom) b->oom = true;
    else pol_buf_append(b, s.cases.data, s.cases.len);
    pol_buf_puts(b, "  </testsuite>\n");
  }
  pol_buf_free(&s.cases);
  totals[0] += s.tests;
  totals[1] += s.failures;
  totals[2] += s.errors;
}

/* The totals head the text, so a first pass counts them; the suites are
** then written one by one (b may hand them on: buf.h), never all held. */
void rep_write_junit(pol_buf *b, const rep_report *r, const rep_rules *rules) {
  size_t nfiles = 0;
  const char **files = rep_report_files(r, &nfiles);
  if (files == NULL) { b->oom = true; return; }
  size_t totals[3] = {0, 0, 0}, ignored[3] = {0, 0, 0};
  for (int pass = 0; pass < 2; pass++) {
    size_t at_found = 0, at_err = 0;
    if (pass == 1)
      pol_buf_printf(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                        "<testsuites name=\"policy\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\">\n",
                     totals[0], totals[1], totals[2]);
    for (size_t f = 0; f < nfiles; f++) {
      span found = take(&r->findings, &at_found, files[f]);
      span errs = take(&r->errors, &at_err, files[f]);
      put_suite(b, pass == 1, files[f], rules, found, errs, pass ? ignored : totals);
    }
  }
  pol_buf_puts(b, "</testsuites>\n");
  pol_free(files);
}
