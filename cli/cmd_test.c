/*
** cli_cmd_test.c: `policy test DIR`: run the fixtures of a folder of rules.
**
** DIR holds rules (*.lua) and, for each rule id, a folder
** DIR/tests/<rule-id>/ of fixtures: `fail-<name>.<ext>` must give exactly
** the findings its sidecar `fail-<name>.<ext>.expect` lists (one
** `line:column` or `line` per finding), `pass-<name>.<ext>` must give none.
** Every rule needs at least one of each. Each rule runs alone, in its own
** engine, over its own fixtures, so another rule can neither hide nor add
** a finding. Uses policy.h only.
*/
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "cli.h"

void cli_help_test(FILE *f) {
  fputs(
      "Usage: policy test [options] DIR\n"
      "\n"
      "Runs the fixtures of the rules in DIR (its *.lua files). The fixtures\n"
      "of rule ID are the files of DIR/tests/ID/:\n"
      "  fail-NAME.EXT          must give exactly the findings of rule ID that\n"
      "  fail-NAME.EXT.expect   lists, one `line:column` or `line` per line\n"
      "                         (`#` starts a comment)\n"
      "  pass-NAME.EXT          must give no finding of rule ID (suppressed\n"
      "                         findings do not count)\n"
      "  data.yaml              optional: data for this rule's fixtures only\n"
      "EXT says what the fixture is: .Dockerfile (or a name starting with\n"
      "Dockerfile/Containerfile), .yaml or .yml for Compose, .json for docker\n"
      "inspect output. Every rule must have at least one fail and one pass\n"
      "fixture. Data documents in DIR/data/ (*.yaml, *.yml, *.json) are\n"
      "loaded for every rule, as `policy check --data` would.\n"
      "\n"
      "Options:\n"
      "  --builtin              test the built-in pack's rules too (their\n"
      "                         fixtures must be in DIR/tests)\n"
      "  --rule ID              only this rule (repeatable)\n"
      "  --data FILE            more data for every rule (repeatable)\n"
      "  --verbose, -v          print every finding, not only the differences\n"
      "\n"
      "Output: one line per fixture, `ok` or `FAIL` followed by what differs,\n"
      "then `policy-test: N passed, M failed` (and `, K skipped` for fixtures\n"
      "of a kind this build cannot read yet).\n"
      "\n"
      "Exit status: 0 every fixture passed; 1 a fixture failed or a rule\n"
      "lacks fixtures; 2 usage errors or rules that do not load.\n"
      "\n"
      "Example:\n"
      "  policy test my-rules/     # my-rules/*.lua, my-rules/tests/<id>/*\n",
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

typedef struct finding {
  long line, column;   /* column 0: any (expectations only) */
  const char *message; /* findings only; borrowed from the report */
  bool matched;
} finding;

typedef struct test_opts {
  const char *dir;
  bool builtin, verbose;
  strlist rules, data;
} test_opts;

typedef struct tally {
  size_t passed, failed, skipped;
} tally;

/* Reads an .expect file; false (message printed) when it cannot be read
** or has a line that is not `line[:column]`. */
static bool read_expect(const char *path, finding **out, size_t *n, const char *label) {
  FILE *f = fopen(path, "r");
  *out = NULL;
  *n = 0;
  if (f == NULL) {
    printf("FAIL %s\n     no %s: list the findings it must give, one line:column per line\n",
           cli_safe(label), cli_safe(strrchr(path, '/') ? strrchr(path, '/') + 1 : path));
    return false;
  }
  char buf[1024];
  unsigned lineno = 0;
  bool ok = true;
  while (ok && fgets(buf, sizeof buf, f)) {
    lineno++;
    char *hash = strchr(buf, '#');
    if (hash) *hash = '\0';
    char *p = buf;
    while (*p == ' ' || *p == '\t') p++;
    char *end = p + strlen(p);
    while (end > p && (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' ' || end[-1] == '\t')) *--end = '\0';
    if (*p == '\0') continue;
    char *q;
    errno = 0;
    long line = strtol(p, &q, 10), col = 0;
    if (*q == ':') col = strtol(q + 1, &q, 10);
    if (errno || q == p || *q != '\0' || line <= 0 || col < 0) {
      printf("FAIL %s\n     %s:%u: expected `line` or `line:column`, not '%s'\n", cli_safe(label),
             cli_safe(path), lineno, cli_safe(p));
      ok = false;
      break;
    }
    finding *grown = realloc(*out, (*n + 1) * sizeof *grown);
    if (grown == NULL) { ok = false; break; }
    *out = grown;
    grown[(*n)++] = (finding){line, col, NULL, false};
  }
  fclose(f);
  if (!ok) { free(*out); *out = NULL; *n = 0; }
  return ok;
}

/* The findings of `rule` in rep (messages borrowed from rep). */
static finding *collect(const policy_report *rep, const char *rule, size_t *n) {
  size_t total = policy_report_count(rep, POLICY_LIST_FINDINGS);
  finding *list = calloc(total ? total : 1, sizeof *list);
  *n = 0;
  if (list == NULL) return NULL;
  for (size_t i = 0; i < total; i++) {
    const char *r = policy_report_get_string(rep, POLICY_LIST_FINDINGS, i, POLICY_FIELD_RULE);
    if (r == NULL || strcmp(r, rule) != 0) continue;
    list[(*n)++] = (finding){
        (long)policy_report_get_number(rep, POLICY_LIST_FINDINGS, i, POLICY_FIELD_LINE),
        (long)policy_report_get_number(rep, POLICY_LIST_FINDINGS, i, POLICY_FIELD_COLUMN),
        policy_report_get_string(rep, POLICY_LIST_FINDINGS, i, POLICY_FIELD_MESSAGE), false};
  }
  return list;
}

/* Runs one fixture: prints its line and counts it. */
static void run_fixture(policy_engine *e, const char *rule, const char *dir,
                        const char *name, const test_opts *o, tally *t) {
  char label[1024];
  snprintf(label, sizeof label, "%s/%s", rule, name);
  bool fail = strncmp(name, "fail-", 5) == 0;
  int kind = fixture_kind(name);
  char *path = join(dir, name);
  char *expect_path = path ? malloc(strlen(path) + 8) : NULL;
  if (path == NULL || expect_path == NULL) {
    free(path);
    printf("FAIL %s\n     out of memory\n", cli_safe(label));
    t->failed++;
    return;
  }
  sprintf(expect_path, "%s.expect", path);
  finding *expected = NULL, *got = NULL;
  size_t nexpected = 0, ngot = 0;
  policy_document *doc = NULL;
  policy_report *rep = NULL;
  struct stat st;
  if (kind < 0) {
    printf("FAIL %s\n     unknown kind of fixture: name it .Dockerfile, .yaml, .yml or .json\n", cli_safe(label));
    t->failed++;
    goto done;
  }
  if (!fail && stat(expect_path, &st) == 0) {
    printf("FAIL %s\n     a pass fixture must give no finding; it takes no .expect file\n", cli_safe(label));
    t->failed++;
    goto done;
  }
  if (fail && !read_expect(expect_path, &expected, &nexpected, label)) {
    t->failed++;
    goto done;
  }
  if (fail && nexpected == 0) {
    printf("FAIL %s\n     its .expect lists no finding: a fail fixture must give at least one\n", cli_safe(label));
    t->failed++;
    goto done;
  }
  int rc = policy_parse_file(&doc, e, path, kind);
  if (rc == POLICY_ERR_UNSUPPORTED) {
    printf("skip %s: %s\n", cli_safe(label), cli_safe(policy_engine_errmsg(e)));
    t->skipped++;
    goto done;
  }
  if (rc != POLICY_OK) {
    printf("FAIL %s\n     %s\n", cli_safe(label), cli_safe(policy_engine_errmsg(e)));
    t->failed++;
    goto done;
  }
  if (policy_report_new(&rep) != POLICY_OK || policy_check(rep, e, doc) != POLICY_OK ||
      (got = collect(rep, rule, &ngot)) == NULL) {
    printf("FAIL %s\n     %s\n", cli_safe(label),
           cli_safe(*policy_engine_errmsg(e) ? policy_engine_errmsg(e) : "out of memory"));
    t->failed++;
    goto done;
  }
  /* Expectations with a column first, so a bare line cannot take the
  ** finding a line:column wanted. */
  for (int pass = 0; pass < 2; pass++)
    for (size_t i = 0; i < nexpected; i++) {
      finding *x = &expected[i];
      if ((pass == 0) != (x->column != 0)) continue;
      for (size_t j = 0; j < ngot && !x->matched; j++)
        if (!got[j].matched && got[j].line == x->line && (x->column == 0 || got[j].column == x->column))
          x->matched = got[j].matched = true;
    }
  size_t rule_errors = 0, nerr = policy_report_count(rep, POLICY_LIST_ERRORS);
  for (size_t i = 0; i < nerr; i++)
    if (policy_report_get_string(rep, POLICY_LIST_ERRORS, i, POLICY_FIELD_RULE)) rule_errors++;
  bool ok = rule_errors == 0;
  for (size_t i = 0; i < nexpected; i++) ok = ok && expected[i].matched;
  for (size_t j = 0; j < ngot; j++) ok = ok && got[j].matched;
  printf("%s %s\n", ok ? "ok  " : "FAIL", cli_safe(label));
  for (size_t i = 0; i < nerr; i++) {
    const char *r = policy_report_get_string(rep, POLICY_LIST_ERRORS, i, POLICY_FIELD_RULE);
    if (r) printf("     rule error: %s\n",
                  cli_safe(policy_report_get_string(rep, POLICY_LIST_ERRORS, i, POLICY_FIELD_MESSAGE)));
  }
  for (size_t i = 0; i < nexpected; i++)
    if (!expected[i].matched) {
      if (expected[i].column) printf("     missing: a finding at %ld:%ld\n", expected[i].line, expected[i].column);
      else printf("     missing: a finding on line %ld\n", expected[i].line);
    }
  for (size_t j = 0; j < ngot; j++)
    if (!got[j].matched || o->verbose)
      printf("     %s %ld:%ld: %s\n", got[j].matched ? "found:" : "unexpected:", got[j].line,
             got[j].column, cli_safe(got[j].message ? got[j].message : ""));
  if (ok) t->passed++;
  else t->failed++;
done:
  policy_report_free(rep);
  policy_document_free(doc);
  free(expected);
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

/* An engine with only the rule `id` (from `origin`) and its data. */
static policy_engine *rule_engine(const char *id, const char *origin, const char *fixtures,
                                  const strlist *all_ids, const test_opts *o) {
  policy_engine *e;
  if (policy_engine_new(&e) != POLICY_OK) return NULL;
  /* Every rule meets its fixtures, whatever profile it belongs to. */
  int rc = policy_engine_set_profile(e, "all");
  if (!load_common_data(e, o)) rc = POLICY_ERR_IO;
  if (rc == POLICY_OK && strncmp(origin, "builtin:", 8) == 0) {
    for (size_t i = 0; rc == POLICY_OK && i < all_ids->len; i++)
      if (strcmp(all_ids->items[i], id) != 0) rc = policy_engine_ignore(e, all_ids->items[i]);
    if (rc == POLICY_OK) rc = policy_engine_load_builtin(e);
  } else if (rc == POLICY_OK) {
    rc = policy_engine_load_rules(e, origin);
  }
  char *local = join(fixtures, "data.yaml");
  struct stat st;
  if (rc == POLICY_OK && local && stat(local, &st) == 0) rc = policy_engine_load_data(e, local);
  free(local);
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

static int run_tests(const test_opts *o) {
  policy_engine *catalog;
  if (policy_engine_new(&catalog) != POLICY_OK) { fputs("policy: out of memory\n", stderr); return EXIT_USAGE; }
  int rc = o->builtin ? policy_engine_load_builtin(catalog) : POLICY_OK;
  if (rc == POLICY_OK) rc = policy_engine_load_rules(catalog, o->dir);
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
  tally t = {0, 0, 0};
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
    const char *id = ids.items[i];
    if (!wanted(o, id)) continue;
    char *dir = join(tests_dir, id);
    strlist files = {0};
    if (dir == NULL || !list_dir(&files, dir, false)) { status = EXIT_USAGE; free(dir); break; }
    size_t npass = 0, nfail = 0;
    for (size_t f = 0; f < files.len; f++) {
      const char *name = files.items[f];
      if (ends_with(name, ".expect")) continue;
      if (!strncmp(name, "pass-", 5)) npass++;
      else if (!strncmp(name, "fail-", 5)) nfail++;
    }
    if (npass == 0 || nfail == 0) {
      printf("FAIL %s\n     no %s fixture: add %s/%s/%s-NAME.Dockerfile (or .yaml, .json)\n",
             cli_safe(id), npass == 0 && nfail == 0 ? "pass and no fail" : npass == 0 ? "pass" : "fail",
             cli_safe(tests_dir), cli_safe(id), npass == 0 ? "pass" : "fail");
      t.failed++;
    }
    policy_engine *e = (npass || nfail) ? rule_engine(id, origins.items[i], dir, &ids, o) : NULL;
    if ((npass || nfail) && e == NULL) status = EXIT_USAGE;
    for (size_t f = 0; e && f < files.len; f++) {
      const char *name = files.items[f];
      if (ends_with(name, ".expect") || (strncmp(name, "pass-", 5) && strncmp(name, "fail-", 5)))
        continue;
      run_fixture(e, id, dir, name, o, &t);
    }
    policy_engine_free(e);
    sl_free(&files);
    free(dir);
  }
  /* Fixture folders no rule owns: a renamed rule or a typo. */
  for (size_t f = 0; status == EXIT_CLEAN && o->rules.len == 0 && f < folders.len; f++) {
    bool owned = false;
    for (size_t i = 0; i < ids.len && !owned; i++) owned = strcmp(ids.items[i], folders.items[f]) == 0;
    if (!owned) {
      printf("FAIL %s\n     %s/%s: no rule has this id (renamed or misspelt?)\n",
             cli_safe(folders.items[f]), cli_safe(tests_dir), cli_safe(folders.items[f]));
      t.failed++;
    }
  }
  if (status == EXIT_CLEAN) {
    if (t.skipped) printf("policy-test: %zu passed, %zu failed, %zu skipped\n", t.passed, t.failed, t.skipped);
    else printf("policy-test: %zu passed, %zu failed\n", t.passed, t.failed);
    status = t.failed ? EXIT_FINDINGS : EXIT_CLEAN;
  }
  free(order);
  free(tests_dir);
  sl_free(&ids);
  sl_free(&origins);
  sl_free(&folders);
  return status;
}

int cli_cmd_test(int argc, char **argv) {
  test_opts o = {NULL, false, false, {0}, {0}};
  int status = EXIT_CLEAN;
  for (int i = 1; i < argc && status == EXIT_CLEAN; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) { cli_help_test(stdout); goto done; }
    if (!strcmp(a, "--builtin")) o.builtin = true;
    else if (!strcmp(a, "--verbose") || !strcmp(a, "-v")) o.verbose = true;
    else if (!strcmp(a, "--rule") || !strcmp(a, "--data") || !strncmp(a, "--rule=", 7) ||
             !strncmp(a, "--data=", 7)) {
      bool rule = a[2] == 'r';
      const char *v = strchr(a, '=') ? strchr(a, '=') + 1 : (i + 1 < argc ? argv[++i] : NULL);
      if (v == NULL || *v == '\0') {
        fprintf(stderr, "policy test: %s needs a value\n", rule ? "--rule" : "--data");
        status = EXIT_USAGE;
      } else if (!sl_push(rule ? &o.rules : &o.data, v)) {
        fputs("policy: out of memory\n", stderr);
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
    fprintf(stderr, "policy test: %s is not a folder\n", cli_safe(o.dir));
    status = EXIT_USAGE;
  }
  if (status == EXIT_CLEAN) status = run_tests(&o);
done:
  sl_free(&o.rules);
  sl_free(&o.data);
  return status;
}
