/*
** fixtures.h: the pieces of `policy test` (cmd_test.c): what a fail
** fixture's .expect file asks for (fixture_expect.c), and the results,
** written as text lines, JSON or JUnit XML (fixture_output.c).
*/
#ifndef POLICY_CLI_FIXTURES_H
#define POLICY_CLI_FIXTURES_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* ---- expectations (fixture_expect.c) ------------------------------------
** One line of a .expect file per finding:
**   LINE[:COLUMN] [SEVERITY] ["TEXT" | /REGEX/]
** where LINE may be `*` (anywhere), TEXT must be part of the message and
** REGEX (POSIX extended) must match it; `count N` says how many findings
** the fixture gives in all (then findings no line names are allowed up
** to N). `requires PROGRAM` skips the fixture when PROGRAM is not found
** on PATH (a rule that runs a program: the hadolint pack's shellcheck).
** `#` starts a comment outside a TEXT or REGEX. A TEXT equal to the code
** a finding was reported under (SC2086) matches it too. */

typedef struct cli_expect {
  long line, column;     /* line 0: anywhere; column 0: any */
  int severity;          /* a policy_severity, or 0: any */
  char *text;            /* a part of the message, or NULL */
  regex_t re;            /* when has_re */
  bool has_re;
  char *written;         /* the line as written, for messages */
  bool matched;
} cli_expect;

typedef struct cli_expect_list {
  cli_expect *items;
  size_t n;
  long count;            /* `count N`, or -1 */
  char *requires;        /* `requires PROGRAM`, or NULL */
} cli_expect_list;

/* Reads an .expect file. On failure returns false with *why (malloc'd)
** saying what and where ("FILE:LINE: ..."). */
bool cli_expect_read(const char *path, cli_expect_list *out, char **why);
void cli_expect_free(cli_expect_list *l);

/* A finding of the rule under test, as the report gave it. */
typedef struct cli_found {
  long line, column;
  int severity;
  const char *message;   /* borrowed from the report */
  bool matched;
  const char *code;      /* the id it was reported under when it is a code
                         ** of the rule's family (SC2086), else NULL */
} cli_found;

/* Matches findings to expectations, the most precise expectations first
** (line and column, then line, then anywhere), each finding once.
** Returns true when every expectation is met and the findings are as
** many as `count` says (or, without it, every finding is expected). */
bool cli_expect_match(cli_expect_list *x, cli_found *found, size_t n);

/* ---- results (fixture_output.c) ----------------------------------------- */

enum { CLI_TEST_OK = 0, CLI_TEST_FAIL = 1, CLI_TEST_SKIP = 2 };
enum { CLI_TEST_TEXT = 0, CLI_TEST_JSON = 1, CLI_TEST_JUNIT = 2 };

typedef struct cli_test_result {
  char *rule;            /* the rule id, or a fixture folder's name */
  char *fixture;         /* the fixture's file name, or NULL for the rule */
  int status;
  char **details;        /* lines saying what differs (or, verbose, what ran) */
  size_t ndetails;
} cli_test_result;

typedef struct cli_test_coverage {
  char *rule;
  size_t run, total;
  char *missed;          /* "12, 14-16" */
  bool below;            /* under --min-coverage */
} cli_test_coverage;

typedef struct cli_test_results {
  int format;            /* CLI_TEST_TEXT, _JSON, _JUNIT */
  FILE *out;
  cli_test_result *items;
  size_t n;
  cli_test_coverage *coverage;
  size_t ncoverage;
  double min_coverage;   /* percent; < 0: none */
  size_t passed, failed, skipped;
  bool nomem;
} cli_test_results;

/* Starts a result (printed at once as text); details follow. */
cli_test_result *cli_test_begin(cli_test_results *r, const char *rule, const char *fixture);
/* Adds a detail line (printf-style) to the last result begun. */
void cli_test_detail(cli_test_results *r, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Ends the last result with its status: counted, and printed as text. */
void cli_test_end(cli_test_results *r, int status);
/* Records a rule's coverage (printed as text at once). */
void cli_test_add_coverage(cli_test_results *r, const char *rule, size_t run, size_t total,
                           const char *missed);
/* Writes the summary (text) or the whole document (JSON, JUnit). */
void cli_test_finish(cli_test_results *r);
void cli_test_results_free(cli_test_results *r);

#endif
