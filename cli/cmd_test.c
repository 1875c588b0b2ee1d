/*
** cmd_test.c: `policy test DIR`: run the fixtures of a pack or a folder of
** rules.
**
** DIR is a pack (pack.yaml, rules/, lib/, data/) or holds rules (*.lua),
** and, for each rule id, a folder DIR/tests/<rule-id>/ of fixtures:
** `fail-<name>.<ext>` must give the findings its sidecar
** `fail-<name>.<ext>.expect` asks for (fixtures.h), `pass-<name>.<ext>`
** none. Every rule needs at least one of each, and some fixture must
** trigger it. Each rule runs alone, in its own engine (loaded with the
** whole pack, the other rules ignored), over its own fixtures, so another
** rule can neither hide nor add a finding. Uses policy.h only.
*/
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "fixtures.h"

void cli_help_test(FILE *f) {
  fputs(
      "Usage: policy test [options] DIR\n"
      "\n"
      "Runs the fixtures of the rules in DIR: a pack (a folder with pack.yaml:\n"
      "its rules/, lib/ and data/, loaded as policy check --policy loads it)\n"
      "or a folder of *.lua rules. The fixtures of rule ID are the files of\n"
      "DIR/tests/ID/:\n"
      "  fail-NAME.EXT          must give the findings of rule ID that\n"
      "  fail-NAME.EXT.expect   lists, one per line (`#` starts a comment):\n"
      "                           LINE[:COL] [SEVERITY] [\"TEXT\" | /REGEX/]\n"
      "                         LINE may be * (anywhere); TEXT must be part of\n"
      "                         the message, REGEX (POSIX extended) match it;\n"
      "                         `count N`: N findings in all (the lines then\n"
      "                         need not name each); without it every finding\n"
      "                         must be listed\n"
      "  pass-NAME.EXT          must give no finding of rule ID (suppressed\n"
      "                         findings do not count)\n"
      "  data.yaml              optional: data for this rule's fixtures only\n"
      "EXT says what the fixture is: .Dockerfile (or a name starting with\n"
      "Dockerfile/Containerfile), .yaml or .yml for Compose, .json for docker\n"
      "inspect output, create bodies, AuthZ requests and scan reports. Every\n"
      "rule must have at least one fail and one pass fixture, and a rule that\n"
      "no fixture triggers (no finding in any of them) is an error. Data\n"
      "documents in DIR/data/ (*.yaml, *.yml, *.json) are loaded for every\n"
      "rule, as `policy check --policy DIR` does.\n"
      "\n"
      "Options:\n"
      "  --builtin              test the built-in pack's rules too (their\n"
      "                         fixtures must be in DIR/tests)\n"
      "  --as-builtin NAME      DIR is the source of the built-in pack NAME\n"
      "                         (policies/hadolint): its rules run as built\n"
      "                         into this program, trusted (unmetered, and\n"
      "                         allowed to run shellcheck); rebuild after edits\n"
      "  --rule ID              only this rule (repeatable)\n"
      "  --data FILE            more data for every rule (repeatable)\n"
      "  --coverage             print, per rule, the share of the lines of its\n"
      "                         functions that its fixtures ran (rules then run\n"
      "                         in this process, not in worker processes)\n"
      "  --min-coverage N       a rule whose coverage is under N percent fails\n"
      "                         (implies --coverage)\n"
      "  --format FORMAT        text (default), json or junit\n"
      "  --verbose, -v          print every finding and what the rules printed,\n"
      "                         not only the differences\n"
      "\n"
      "Output: one line per fixture, `ok` or `FAIL` followed by what differs,\n"
      "then `policy-test: N passed, M failed` (and `, K skipped` for fixtures\n"
      "of a kind this build cannot read yet).\n"
      "\n"
      "Exit status: 0 every fixture passed; 1 a fixture failed, a rule lacks\n"
      "fixtures, no fixture triggers a rule, or coverage is under\n"
      "--min-coverage; 2 usage errors or rules that do not load.\n"
      "\n"
      "Example:\n"
      "  policy test my-pack/      # my-pack/rules/*.lua, my-pack/tests/<id>/*\n",
      f);
}

typedef struct strlist {
  char **items;
  size_t len;
} strlist;

static bool sl_push(strlist *l, const char *s) {
  char **grown = realloc(l->items, (l->len + 1) * sizeof *grown);
  if (grown == NULL) return false;
  l->items = grown;
  if ((grown[l->len] = strdup(s)) == NULL) return false;
  l->len++;
  return true;
}

static void sl_free(strlist *l) {
  for (size_t i = 0; i < l->len; i++) free(l->items[i]);
  free(l->items);
  l->items = NULL;
  l->len = 0;
}

static int by_string(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

static char *join(const char *dir, const char *name) {
  size_t n = strlen(dir) + strlen(name) + 2;
  char *p = malloc(n);
  if (p) snprintf(p, n, "%s/%s", dir, name);
  return p;
}

static bool is_dir(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The names in dir (sorted), files or folders as asked; false when out of
** memory. A missing folder is an empty list. */
static bool list_dir(strlist *out, const char *dir, bool folders) {
  DIR *d = opendir(dir);
  if (d == NULL) return true;
  struct dirent *de;
  bool ok = true;
  while (ok && (de = readdir(d))) {
    if (de->d_name[0] == '.') continue;
    char *full = join(dir, de->d_name);
    if (full == NULL) { ok = false; break; }
    struct stat st;
    bool want = stat(full, &st) == 0 && (folders ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode));
    free(full);
    if (want) ok = sl_push(out, de->d_name);
  }
  closedir(d);
  if (out->len) qsort(out->items, out->len, sizeof *out->items, by_string);
  return ok;
}

/* The kind of a fixture from its name, or -1. */
static int fixture_kind(const char *name) {
  const char *rest = name + 5; /* after "pass-" or "fail-" */
  if (ends_with(name, ".Dockerfile") || ends_with(name, ".Containerfile") ||
      !strncasecmp(rest, "Dockerfile", 10) || !strncasecmp(rest, "Containerfile", 13))
    return POLICY_KIND_DOCKERFILE;
  if (ends_with(name, ".yaml") || ends_with(name, ".yml")) return POLICY_KIND_COMPOSE;
  if (ends_with(name, ".json")) return POLICY_KIND_INSPECT;
  return -1;
}

typedef struct test_opts {
  const char *dir;
  bool builtin, verbose, coverage, pack;
  const char *as_builtin; /* --as-builtin NAME: rules run as that built-in pack's */
  double min_coverage;   /* percent; < 0: none */
  int format;            /* CLI_TEST_TEXT, _JSON, _JUNIT */
  strlist rules, data;
} test_opts;

/* The findings of `rule` in rep (messages borrowed from rep). */
/* True when the finding's rule id is `rule`, or a code of its family
** (the shellcheck rule's SC2086). */
static bool of_rule(const policy_engine *e, const char *id, const char *rule) {
  size_t k;
  return strcmp(id, rule) == 0 ||
         (policy_engine_rule_find(&k, e, id) == POLICY_OK &&
          strcmp(policy_engine_rule_string(e, k, POLICY_RULE_ID), rule) == 0);
}

/* Whether an executable named `name` is in a folder of PATH. */
static bool on_path(const char *name) {
  const char *path = getenv("PATH");
  while (path && *path) {
    size_t n = strcspn(path, ":");
    char full[4096];
    snprintf(full, sizeof full, "%.*s/%s", (int)n, n ? path : ".", name);
    if (access(full, X_OK) == 0) return true;
    path += n + (path[n] == ':');
  }
  return false;
}

static cli_found *collect(const policy_report *rep, const policy_engine *e, const char *rule,
                          size_t *n) {
  size_t total = policy_report_count(rep, POLICY_LIST_FINDINGS);
  cli_found *list = calloc(total ? total : 1, sizeof *list);
  *n = 0;
  if (list == NULL) return NULL;
  for (size_t i = 0; i < total; i++) {
    const char *r = policy_report_get_string(rep, POLICY_LIST_FINDINGS, i, POLICY_FIELD_RULE);
    if (r == NULL || !of_rule(e, r, rule)) continue;
    list[(*n)++] = (cli_found){
        (long)policy_report_get_number(rep, POLICY_LIST_FINDINGS, i, POLICY_FIELD_LINE),
        (long)policy_report_get_number(rep, POLICY_LIST_FINDINGS, i, POLICY_FIELD_COLUMN),
        (int)policy_report_get_number(rep, POLICY_LIST_FINDINGS, i, POLICY_FIELD_SEVERITY),
        policy_report_get_string(rep, POLICY_LIST_FINDINGS, i, POLICY_FIELD_MESSAGE), false,
        strcmp(r, rule) != 0 ? r : NULL};
  }
  return list;
}

static void detail_finding(cli_test_results *res, const char *what, const cli_found *f) {
  const char *severity = policy_severity_name(f->severity);
  cli_test_detail(res, "%s %ld:%ld: %s (%s)", what, f->line, f->column,
                  f->message ? f->message : "", severity ? severity : "?");
}

/* What the rule printed while it checked the fixture, line by line. */
static void detail_logs(cli_test_results *res, const policy_report *rep, const char *rule) {
  size_t n = policy_report_count(rep, POLICY_LIST_LOGS);
  for (size_t i = 0; i < n; i++) {
    const char *r = policy_report_get_string(rep, POLICY_LIST_LOGS, i, POLICY_FIELD_RULE);
    const char *text = policy_report_get_string(rep, POLICY_LIST_LOGS, i, POLICY_FIELD_MESSAGE);
    if (r == NULL || strcmp(r, rule) != 0 || text == NULL) continue;
    for (const char *p = text; *p;) {
      size_t len = strcspn(p, "\n");
      cli_test_detail(res, "printed: %.*s", (int)len, p);
      p += len + (p[len] == '\n');
    }
  }
}

/* Checks the fixture with the rule's engine; its verdict, with what
** differs, goes to the results. *triggered: the rule found something. */
static void run_fixture(policy_engine *e, const char *rule, const char *dir, const char *name,
                        const test_opts *o, cli_test_results *res, bool *triggered) {
  cli_test_begin(res, rule, name);
  bool fail = strncmp(name, "fail-", 5) == 0;
  int kind = fixture_kind(name);
  char *path = join(dir, name);
  char *expect_path = path ? malloc(strlen(path) + 8) : NULL;
  cli_expect_list expected = {NULL, 0, -1, NULL};
  cli_found *got = NULL;
  size_t ngot = 0;
  policy_document *doc = NULL;
  policy_report *rep = NULL;
  int status = CLI_TEST_FAIL;
  char *why = NULL;
  struct stat st;
  if (path == NULL || expect_path == NULL) {
    cli_test_detail(res, "out of memory");
    goto done;
  }
  sprintf(expect_path, "%s.expect", path);
  if (kind < 0) {
    cli_test_detail(res, "unknown kind of fixture: name it .Dockerfile, .yaml, .yml or .json");
    goto done;
  }
  if (!fail && stat(expect_path, &st) == 0) {
    cli_test_detail(res, "a pass fixture must give no finding; it takes no .expect file");
    goto done;
  }
  if (fail && stat(expect_path, &st) != 0) {
    cli_test_detail(res, "no %s.expect: list the findings it must give, one `LINE[:COLUMN] "
                    "[SEVERITY] [\"TEXT\"]` per line", name);
    goto done;
  }
  if (fail && !cli_expect_read(expect_path, &expected, &why)) {
    cli_test_detail(res, "%s", why ? why : "out of memory");
    goto done;
  }
  if (expected.requires && !on_path(expected.requires)) {
    cli_test_detail(res, "the program %s is not installed (not found on PATH)",
                    expected.requires);
    *triggered = true; /* not run: no evidence that the rule cannot fail */
    status = CLI_TEST_SKIP;
    goto done;
  }
  if (fail && expected.n == 0 && expected.count <= 0) {
    cli_test_detail(res, "its .expect lists no finding: a fail fixture must give at least one");
    goto done;
  }
  int rc = policy_parse_file(&doc, e, path, kind);
  if (rc == POLICY_ERR_UNSUPPORTED) {
    cli_test_detail(res, "%s", policy_engine_errmsg(e));
    status = CLI_TEST_SKIP;
    goto done;
  }
  if (rc != POLICY_OK) {
    cli_test_detail(res, "%s", policy_engine_errmsg(e));
    goto done;
  }
  if (policy_report_new(&rep) != POLICY_OK || policy_check(rep, e, doc) != POLICY_OK ||
      (got = collect(rep, e, rule, &ngot)) == NULL) {
    cli_test_detail(res, "%s", *policy_engine_errmsg(e) ? policy_engine_errmsg(e) : "out of memory");
    goto done;
  }
  *triggered = *triggered || ngot > 0;
  bool ok = cli_expect_match(&expected, got, ngot);
  size_t nerr = policy_report_count(rep, POLICY_LIST_ERRORS);
  for (size_t i = 0; i < nerr; i++) {
    const char *r = policy_report_get_string(rep, POLICY_LIST_ERRORS, i, POLICY_FIELD_RULE);
    if (r == NULL) continue;
    ok = false;
    cli_test_detail(res, "rule error: %s",
                    policy_report_get_string(rep, POLICY_LIST_ERRORS, i, POLICY_FIELD_MESSAGE));
  }
  for (size_t i = 0; i < expected.n; i++)
    if (!expected.items[i].matched) {
      const cli_expect *x = &expected.items[i];
      if (x->column && x->severity == 0 && x->text == NULL && !x->has_re)
        cli_test_detail(res, "missing: a finding at %ld:%ld", x->line, x->column);
      else if (x->line && x->column == 0 && x->severity == 0 && x->text == NULL && !x->has_re)
        cli_test_detail(res, "missing: a finding on line %ld", x->line);
      else
        cli_test_detail(res, "missing: a finding matching `%s`", x->written);
    }
  if (expected.count >= 0 && (long)ngot != expected.count)
    cli_test_detail(res, "%zu finding%s, but its .expect says count %ld", ngot,
                    ngot == 1 ? "" : "s", expected.count);
  for (size_t j = 0; j < ngot; j++) {
    bool unexpected = !got[j].matched && expected.count < 0;
    if (unexpected) detail_finding(res, "unexpected:", &got[j]);
    else if (o->verbose) detail_finding(res, "found:", &got[j]);
  }
  if (o->verbose) detail_logs(res, rep, rule);
  status = ok ? CLI_TEST_OK : CLI_TEST_FAIL;
done:
  cli_test_end(res, status);
  policy_report_free(rep);
  policy_document_free(doc);
  cli_expect_free(&expected);
  free(why);
  free(got);
  free(path);
  free(expect_path);
}

/* Loads the data every rule sees: the files of DIR/data, then --data. */
static bool load_common_data(policy_engine *e, const test_opts *o) {
  char *data_dir = join(o->dir, "data");
  strlist files = {0};
  bool ok = data_dir && list_dir(&files, data_dir, false);
  for (size_t i = 0; ok && i < files.len; i++) {
    const char *f = files.items[i];
    if (!ends_with(f, ".yaml") && !ends_with(f, ".yml") && !ends_with(f, ".json")) continue;
    char *p = join(data_dir, f);
    ok = p && policy_engine_load_data(e, p) == POLICY_OK;
    free(p);
  }
  for (size_t i = 0; ok && i < o->data.len; i++)
    ok = policy_engine_load_data(e, o->data.items[i]) == POLICY_OK;
  sl_free(&files);
  free(data_dir);
  return ok;
}

/* Ignores every rule of the catalog but `id`. */
static int ignore_others(policy_engine *e, const char *id, const strlist *all_ids) {
  int rc = POLICY_OK;
  for (size_t i = 0; rc == POLICY_OK && i < all_ids->len; i++)
    if (strcmp(all_ids->items[i], id) != 0) rc = policy_engine_ignore(e, all_ids->items[i]);
  return rc;
}

/* An engine that runs only the rule `id` (from `origin`), with its data:
** a pack's rule with the whole pack loaded (its modules, data and
** severities), the others ignored. */
static policy_engine *rule_engine(const char *id, const char *origin, const char *fixtures,
                                  const strlist *all_ids, const test_opts *o) {
  policy_engine *e;
  if (policy_engine_new(&e) != POLICY_OK) return NULL;
  /* Every rule meets its fixtures, whatever profile it belongs to. */
  int rc = policy_engine_set_profile(e, "all");
  if (!load_common_data(e, o)) rc = POLICY_ERR_IO;
  /* Lines are counted in this process only. */
  if (rc == POLICY_OK && o->coverage) rc = policy_engine_set_isolation(e, POLICY_ISOLATE_NONE);
  if (rc == POLICY_OK && strncmp(origin, "builtin:", 8) == 0) {
    rc = ignore_others(e, id, all_ids);
    if (rc == POLICY_OK) rc = policy_engine_load_builtin(e);
  } else if (rc == POLICY_OK && o->pack && o->as_builtin) {
    rc = ignore_others(e, id, all_ids);
    if (rc == POLICY_OK) rc = policy_engine_load_builtin_pack(e, o->as_builtin);
  } else if (rc == POLICY_OK && o->pack) {
    rc = ignore_others(e, id, all_ids);
    if (rc == POLICY_OK) rc = policy_engine_load_pack_path(e, o->dir, NULL);
  } else if (rc == POLICY_OK) {
    rc = policy_engine_load_rules(e, origin);
  }
  char *local = join(fixtures, "data.yaml");
  struct stat st;
  if (rc == POLICY_OK && local && stat(local, &st) == 0) rc = policy_engine_load_data(e, local);
  free(local);
  if (rc == POLICY_OK && o->coverage) rc = policy_engine_set_coverage(e, 1);
  if (rc != POLICY_OK) {
    fprintf(stderr, "policy test: %s: %s\n", cli_safe(id), cli_safe(policy_engine_errmsg(e)));
    policy_engine_free(e);
    return NULL;
  }
  return e;
}

static bool wanted(const test_opts *o, const char *id) {
  if (o->rules.len == 0) return true;
  for (size_t i = 0; i < o->rules.len; i++)
    if (strcmp(o->rules.items[i], id) == 0) return true;
  return false;
}

/* Coverage of the rule `id` in its engine: recorded, and a failure when
** under --min-coverage. */
static void rule_coverage(policy_engine *e, const char *id, const test_opts *o,
                          cli_test_results *res) {
  size_t index, run, total;
  const char *missed;
  if (policy_engine_rule_find(&index, e, id) != POLICY_OK ||
      policy_engine_rule_coverage(&run, &total, &missed, e, index) != POLICY_OK) {
    cli_test_begin(res, id, NULL);
    cli_test_detail(res, "coverage: %s", policy_engine_errmsg(e));
    cli_test_end(res, CLI_TEST_FAIL);
    return;
  }
  cli_test_add_coverage(res, id, run, total, missed);
  double pct = total ? 100.0 * (double)run / (double)total : 100.0;
  if (o->min_coverage >= 0 && pct < o->min_coverage) {
    cli_test_begin(res, id, NULL);
    cli_test_detail(res, "its fixtures run %.0f%% of its lines (%zu of %zu), under "
                    "--min-coverage %g; not run: %s", pct, run, total, o->min_coverage, missed);
    cli_test_end(res, CLI_TEST_FAIL);
  }
}

/* The fixtures of one rule, then what is wrong with the rule as a whole. */
static int test_rule(const char *id, const char *origin, const char *tests_dir,
                     const strlist *ids, const test_opts *o, cli_test_results *res) {
  char *dir = join(tests_dir, id);
  strlist files = {0};
  if (dir == NULL || !list_dir(&files, dir, false)) {
    free(dir);
    return EXIT_USAGE;
  }
  size_t npass = 0, nfail = 0;
  for (size_t f = 0; f < files.len; f++) {
    const char *name = files.items[f];
    if (ends_with(name, ".expect")) continue;
    if (!strncmp(name, "pass-", 5)) npass++;
    else if (!strncmp(name, "fail-", 5)) nfail++;
  }
  if (npass == 0 || nfail == 0) {
    cli_test_begin(res, id, NULL);
    cli_test_detail(res, "no %s fixture: add %s/%s/%s-NAME.Dockerfile (or .yaml, .json)",
                    npass == 0 && nfail == 0 ? "pass and no fail" : npass == 0 ? "pass" : "fail",
                    tests_dir, id, npass == 0 ? "pass" : "fail");
    cli_test_end(res, CLI_TEST_FAIL);
  }
  int status = EXIT_CLEAN;
  policy_engine *e = (npass || nfail) ? rule_engine(id, origin, dir, ids, o) : NULL;
  if ((npass || nfail) && e == NULL) status = EXIT_USAGE;
  bool triggered = false;
  for (size_t f = 0; e && f < files.len; f++) {
    const char *name = files.items[f];
    if (ends_with(name, ".expect") || (strncmp(name, "pass-", 5) && strncmp(name, "fail-", 5)))
      continue;
    run_fixture(e, id, dir, name, o, res, &triggered);
  }
  if (e && nfail && !triggered) {
    cli_test_begin(res, id, NULL);
    cli_test_detail(res, "no fixture triggers this rule: none of its fixtures gives a finding of "
                    "it, so nothing shows that it can fail");
    cli_test_end(res, CLI_TEST_FAIL);
  }
  if (e && o->coverage) rule_coverage(e, id, o, res);
  policy_engine_free(e);
  sl_free(&files);
  free(dir);
  return status;
}

static int run_tests(const test_opts *o) {
  policy_engine *catalog;
  if (policy_engine_new(&catalog) != POLICY_OK) { fputs("policy: out of memory\n", stderr); return EXIT_USAGE; }
  int rc = o->builtin ? policy_engine_load_builtin(catalog) : POLICY_OK;
  if (rc == POLICY_OK) rc = policy_engine_load_pack_path(catalog, o->dir, NULL);
  if (rc != POLICY_OK) {
    fprintf(stderr, "policy test: %s\n", cli_safe(policy_engine_errmsg(catalog)));
    policy_engine_free(catalog);
    return EXIT_USAGE;
  }
  size_t n = policy_engine_rule_count(catalog);
  strlist ids = {0}, origins = {0}, folders = {0};
  bool ok = true;
  for (size_t i = 0; ok && i < n; i++)
    ok = sl_push(&ids, policy_engine_rule_string(catalog, i, POLICY_RULE_ID)) &&
         sl_push(&origins, policy_engine_rule_string(catalog, i, POLICY_RULE_ORIGIN));
  policy_engine_free(catalog);
  char *tests_dir = join(o->dir, "tests");
  ok = ok && tests_dir && list_dir(&folders, tests_dir, true);
  int status = EXIT_CLEAN;
  if (!ok) { fputs("policy: out of memory\n", stderr); status = EXIT_USAGE; }
  for (size_t i = 0; status == EXIT_CLEAN && i < o->rules.len; i++) {
    bool known = false;
    for (size_t k = 0; k < ids.len; k++) known = known || strcmp(ids.items[k], o->rules.items[i]) == 0;
    if (!known) {
      fprintf(stderr, "policy test: no rule in %s has the id '%s'\n", cli_safe(o->dir),
              cli_safe(o->rules.items[i]));
      status = EXIT_USAGE;
    }
  }
  cli_test_results res = {.format = o->format, .out = stdout, .min_coverage = o->min_coverage};
  /* Rules in id order, so the output does not depend on file names. */
  size_t *order = calloc(ids.len ? ids.len : 1, sizeof *order);
  if (order == NULL && status == EXIT_CLEAN) { fputs("policy: out of memory\n", stderr); status = EXIT_USAGE; }
  for (size_t i = 0; order && i < ids.len; i++) {
    size_t j = i;
    while (j > 0 && strcmp(ids.items[order[j - 1]], ids.items[i]) > 0) { order[j] = order[j - 1]; j--; }
    order[j] = i;
  }
  for (size_t k = 0; status == EXIT_CLEAN && k < ids.len; k++) {
    size_t i = order[k];
    if (wanted(o, ids.items[i]))
      status = test_rule(ids.items[i], origins.items[i], tests_dir, &ids, o, &res);
  }
  /* Fixture folders no rule owns: a renamed rule or a typo. */
  for (size_t f = 0; status == EXIT_CLEAN && o->rules.len == 0 && f < folders.len; f++) {
    bool owned = false;
    for (size_t i = 0; i < ids.len && !owned; i++) owned = strcmp(ids.items[i], folders.items[f]) == 0;
    if (!owned) {
      cli_test_begin(&res, folders.items[f], NULL);
      cli_test_detail(&res, "%s/%s: no rule has this id (renamed or misspelt?)", tests_dir,
                      folders.items[f]);
      cli_test_end(&res, CLI_TEST_FAIL);
    }
  }
  if (status == EXIT_CLEAN && res.nomem) {
    fputs("policy: out of memory\n", stderr);
    status = EXIT_USAGE;
  }
  if (status == EXIT_CLEAN) {
    cli_test_finish(&res);
    status = res.failed ? EXIT_FINDINGS : EXIT_CLEAN;
  }
  cli_test_results_free(&res);
  free(order);
  free(tests_dir);
  sl_free(&ids);
  sl_free(&origins);
  sl_free(&folders);
  return status;
}

/* The value of --name VALUE or --name=VALUE, or NULL (printed). */
static const char *value(int argc, char **argv, int *i) {
  const char *a = argv[*i], *eq = strchr(a, '=');
  const char *v = eq ? eq + 1 : *i + 1 < argc ? argv[++*i] : NULL;
  if (v == NULL || *v == '\0') {
    fprintf(stderr, "policy test: %.*s needs a value\n", (int)(eq ? (size_t)(eq - a) : strlen(a)),
            cli_safe(a));
    return NULL;
  }
  return v;
}

static bool is_opt(const char *a, const char *name) {
  size_t n = strlen(name);
  return strncmp(a, name, n) == 0 && (a[n] == '\0' || a[n] == '=');
}

int cli_cmd_test(int argc, char **argv) {
  test_opts o = {.min_coverage = -1, .format = CLI_TEST_TEXT};
  int status = EXIT_CLEAN;
  for (int i = 1; i < argc && status == EXIT_CLEAN; i++) {
    const char *a = argv[i], *v;
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) { cli_help_test(stdout); goto done; }
    if (!strcmp(a, "--builtin")) o.builtin = true;
    else if (!strcmp(a, "--verbose") || !strcmp(a, "-v")) o.verbose = true;
    else if (!strcmp(a, "--coverage")) o.coverage = true;
    else if (is_opt(a, "--as-builtin")) {
      if ((o.as_builtin = value(argc, argv, &i)) == NULL) status = EXIT_USAGE;
    } else if (is_opt(a, "--rule") || is_opt(a, "--data")) {
      bool rule = a[2] == 'r';
      if ((v = value(argc, argv, &i)) == NULL) status = EXIT_USAGE;
      else if (!sl_push(rule ? &o.rules : &o.data, v)) {
        fputs("policy: out of memory\n", stderr);
        status = EXIT_USAGE;
      }
    } else if (is_opt(a, "--min-coverage")) {
      char *end = NULL;
      if ((v = value(argc, argv, &i)) == NULL) status = EXIT_USAGE;
      else if ((o.min_coverage = strtod(v, &end)) < 0 || o.min_coverage > 100 || *end != '\0') {
        fprintf(stderr, "policy test: --min-coverage takes a percentage from 0 to 100, not '%s'\n",
                cli_safe(v));
        status = EXIT_USAGE;
      }
      o.coverage = true;
    } else if (is_opt(a, "--format")) {
      if ((v = value(argc, argv, &i)) == NULL) status = EXIT_USAGE;
      else if (!strcmp(v, "text")) o.format = CLI_TEST_TEXT;
      else if (!strcmp(v, "json")) o.format = CLI_TEST_JSON;
      else if (!strcmp(v, "junit")) o.format = CLI_TEST_JUNIT;
      else {
        fprintf(stderr, "policy test: --format is text, json or junit; not '%s'\n", cli_safe(v));
        status = EXIT_USAGE;
      }
    } else if (a[0] == '-' && a[1] != '\0') {
      fprintf(stderr, "policy test: unknown option '%s' (try 'policy help test')\n", cli_safe(a));
      status = EXIT_USAGE;
    } else if (o.dir == NULL) {
      o.dir = a;
    } else {
      fprintf(stderr, "policy test: one folder at a time; '%s' is one too many\n", cli_safe(a));
      status = EXIT_USAGE;
    }
  }
  if (status == EXIT_CLEAN && o.dir == NULL) {
    fputs("policy test: which folder? (policy test DIR; see policy help test)\n", stderr);
    status = EXIT_USAGE;
  }
  if (status == EXIT_CLEAN && !is_dir(o.dir)) {
    fprintf(stderr, "policy test: %s is not a folder%s\n", cli_safe(o.dir),
            cli_is_pack_archive(o.dir) ? " (unpack the archive: policy test runs a pack folder's "
                                         "fixtures)" : "");
    status = EXIT_USAGE;
  }
  if (status == EXIT_CLEAN) {
    char *manifest = join(o.dir, "pack.yaml");
    struct stat st;
    o.pack = manifest && stat(manifest, &st) == 0;
    free(manifest);
    status = run_tests(&o);
  }
done:
  sl_free(&o.rules);
  sl_free(&o.data);
  return status;
}
