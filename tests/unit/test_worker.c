/*
** test_worker.c: rules in worker processes (engine/worker.c): the same
** verdicts as in-process, a rule stopped at its time limit while the
** rules after it still run, a rule file refused when it takes too long
** to compile, and the isolation setting itself. Also: the built-in
** pack, which reads the model through open views (trusted code), gives
** the same verdicts as its own files loaded as untrusted rules, which
** read it through guarded ones, over the examples and the corpus. The
** untrusted ones are frozen and the built-in ones mostly are not
** (rule.c: prepare_protected): a built-in rule that wrote to what its
** file built would raise there, or carry state to the next file.
*/
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "policy/policy.h"

#include "api/internal.h"

TestSuite(worker, .timeout = 120);

static const char dockerfile[] =
    "FROM ubuntu:latest\n"
    "ENV DB_PASSWORD=hunter2\n"
    "RUN apt-get update && apt-get install -y curl && curl -fsSL https://x.example/i.sh | sh\n"
    "USER root\n"
    "EXPOSE 22\n";

static char *report_json(int isolation, bool builtin, const char *rules) {
  policy_engine *e;
  cr_assert_eq(policy_engine_new(&e), POLICY_OK);
  cr_assert_eq(policy_engine_set_isolation(e, isolation), POLICY_OK);
  if (builtin) cr_assert_eq(policy_engine_load_builtin(e), POLICY_OK);
  if (rules)
    cr_assert_eq(policy_engine_load_rule_buffer(e, "rules.lua", rules, strlen(rules)), POLICY_OK,
                 "%s", policy_engine_errmsg(e));
  policy_document *doc;
  cr_assert_eq(policy_parse_buffer(&doc, e, "Dockerfile", dockerfile, sizeof dockerfile - 1,
                                   POLICY_KIND_DOCKERFILE), POLICY_OK);
  policy_report *r;
  cr_assert_eq(policy_report_new(&r), POLICY_OK);
  cr_assert_eq(policy_check(r, e, doc), POLICY_OK);
  char *json;
  cr_assert_eq(policy_report_to_json(&json, NULL, r, POLICY_JSON_PRETTY), POLICY_OK);
  policy_report_free(r);
  policy_document_free(doc);
  policy_engine_free(e);
  return json;
}

Test(worker, the_pack_gives_the_same_report_in_workers) {
  char *in_process = report_json(POLICY_ISOLATE_NONE, true, NULL);
  char *isolated = report_json(POLICY_ISOLATE_ALL, true, NULL);
  cr_assert_str_eq(in_process, isolated);
  cr_assert(strstr(in_process, "\"curl-pipe-shell\""));
  policy_free(in_process);
  policy_free(isolated);
}

static const char witness[] =
    "return { id = 'witness', title = 't', severity = 'low', applies_to = 'image',\n"
    " description = 'd', remediation = 'r', check = function(image) report(image, 'witness ran') end }";

Test(worker, a_rule_stuck_in_one_c_call_is_stopped_and_the_next_runs) {
  policy_engine *e;
  cr_assert_eq(policy_engine_new(&e), POLICY_OK);
  cr_assert_eq(policy_engine_set_limit(e, POLICY_LIMIT_TIME_MS, 300), POLICY_OK);
  /* `a < b` on 16 MiB strings: one VM instruction each, too slow for the
  ** count hook to look at the clock often enough. */
  static const char stuck[] =
      "return { id = 'a-stuck', title = 't', severity = 'low', applies_to = 'image',\n"
      " description = 'd', remediation = 'r', check = function(image)\n"
      "   report(image, 'before the spin')\n"
      "   local a, b = ('x'):rep(16 << 20) .. 'a', ('x'):rep(16 << 20) .. 'b'\n"
      "   while true do local _ = a < b or b < a end\n"
      " end }";
  cr_assert_eq(policy_engine_load_rule_buffer(e, "stuck.lua", stuck, sizeof stuck - 1), POLICY_OK);
  cr_assert_eq(policy_engine_load_rule_buffer(e, "witness.lua", witness, sizeof witness - 1),
               POLICY_OK);
  policy_document *doc;
  cr_assert_eq(policy_parse_buffer(&doc, e, "Dockerfile", dockerfile, sizeof dockerfile - 1,
                                   POLICY_KIND_DOCKERFILE), POLICY_OK);
  policy_report *r;
  cr_assert_eq(policy_report_new(&r), POLICY_OK);
  cr_assert_eq(policy_check(r, e, doc), POLICY_OK);
  cr_assert_eq(policy_report_count(r, POLICY_LIST_ERRORS), 1);
  cr_assert_str_eq(policy_report_get_string(r, POLICY_LIST_ERRORS, 0, POLICY_FIELD_RULE), "a-stuck");
  cr_assert_str_eq(policy_report_get_string(r, POLICY_LIST_ERRORS, 0, POLICY_FIELD_LIMIT), "time");
  /* What it reported before it was stopped stays; the witness ran. */
  cr_assert_eq(policy_report_count(r, POLICY_LIST_FINDINGS), 2);
  policy_report_free(r);
  policy_document_free(doc);
  policy_engine_free(e);
}

Test(worker, a_rule_file_too_slow_to_compile_is_refused) {
  /* 1 MiB of integer constants that all collide in the compiler's table
  ** of constants: seconds to compile. */
  size_t cap = (size_t)1 << 21, used = 0;
  char *src = malloc(cap);
  cr_assert_not_null(src);
  used += (size_t)snprintf(src, cap, "return { id = 'bomb', title = 't', severity = 'low', "
                           "applies_to = 'image', description = 'd', remediation = 'r', "
                           "check = function() end, k = {");
  for (long long k = 1; used < ((size_t)1 << 20) - 64; k++)
    used += (size_t)snprintf(src + used, cap - used, "%lld,", k * 4294967295LL);
  used += (size_t)snprintf(src + used, cap - used, "} }");
  policy_engine *e;
  cr_assert_eq(policy_engine_new(&e), POLICY_OK);
  cr_assert_eq(policy_engine_set_limit(e, POLICY_LIMIT_TIME_MS, 300), POLICY_OK);
  cr_assert_eq(policy_engine_load_rule_buffer(e, "bomb.lua", src, used), POLICY_ERR_LIMIT);
  cr_assert(strstr(policy_engine_errmsg(e), "bomb.lua: compiling and running the rule file took "
                                            "longer than 300 ms"), "%s", policy_engine_errmsg(e));
  cr_assert_eq(policy_engine_rule_count(e), 0);
  free(src);
  policy_engine_free(e);
}

Test(worker, isolation_modes) {
  policy_engine *e;
  cr_assert_eq(policy_engine_new(&e), POLICY_OK);
  cr_assert_eq(policy_engine_isolation(e), POLICY_ISOLATE_UNTRUSTED);
  cr_assert_eq(policy_engine_set_isolation(e, 7), POLICY_ERR_INVALID);
  cr_assert_eq(policy_engine_set_isolation(NULL, POLICY_ISOLATE_NONE), POLICY_ERR_INVALID);
  cr_assert_eq(policy_engine_isolation(NULL), -1);
  cr_assert_eq(policy_engine_set_isolation(e, POLICY_ISOLATE_NONE), POLICY_OK);
  cr_assert_eq(policy_engine_isolation(e), POLICY_ISOLATE_NONE);
  policy_engine_free(e);
  /* A user rule runs the same in a worker and in-process. */
  char *a = report_json(POLICY_ISOLATE_NONE, false, witness);
  char *b = report_json(POLICY_ISOLATE_UNTRUSTED, false, witness);
  size_t at = 0;
  while (a[at] && a[at] == (b ? b[at] : 0)) at++;
  size_t from = at > 200 ? at - 200 : 0;
  cr_assert(b && a[at] == b[at], "first difference at byte %zu: open ...%.400s... guarded ...%.400s...",
            at, a + from, b ? b + from : "(nothing)");
  policy_free(a);
  policy_free(b);
}

/* Every finding and error of one check, one line each. */
static void append_entries(char **acc, size_t *len, policy_report *r) {
  static const int lists[] = {POLICY_LIST_FINDINGS, POLICY_LIST_ERRORS};
  for (size_t l = 0; l < 2; l++) {
    size_t n = policy_report_count(r, lists[l]);
    for (size_t i = 0; i < n; i++) {
      const char *rule = policy_report_get_string(r, lists[l], i, POLICY_FIELD_RULE);
      const char *msg = policy_report_get_string(r, lists[l], i, POLICY_FIELD_MESSAGE);
      char line[8192];
      int k = snprintf(line, sizeof line, "%s %s:%lld:%lld %s\n", rule ? rule : "-",
                       policy_report_get_string(r, lists[l], i, POLICY_FIELD_FILE),
                       (long long)policy_report_get_number(r, lists[l], i, POLICY_FIELD_LINE),
                       (long long)policy_report_get_number(r, lists[l], i, POLICY_FIELD_COLUMN),
                       msg ? msg : "");
      *acc = realloc(*acc, *len + (size_t)k + 1);
      memcpy(*acc + *len, line, (size_t)k + 1);
      *len += (size_t)k;
    }
  }
}

/* The verdicts of an engine over the files of `dir` (every regular file,
** sorted by name), appended to *acc. */
static size_t check_dir(policy_engine *e, const char *dir, char **acc, size_t *len) {
  struct dirent **names;
  int n = scandir(dir, &names, NULL, alphasort);
  if (n < 0) return 0;
  size_t checked = 0;
  for (int i = 0; i < n; i++) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
    free(names[i]);
    policy_document *doc;
    if (policy_parse_file(&doc, e, path, POLICY_KIND_AUTO) != POLICY_OK) continue;
    policy_report *r;
    cr_assert_eq(policy_report_new(&r), POLICY_OK);
    cr_assert_eq(policy_check(r, e, doc), POLICY_OK);
    append_entries(acc, len, r);
    policy_report_free(r);
    policy_document_free(doc);
    checked++;
  }
  free(names);
  return checked;
}

/* Asserts that engines x and y (called x_is and y_is) give the same
** verdicts (check_dir's lines) over examples/ and the folders of ../shared
** named in `shared_dirs` (NULL-terminated; skipped, saying so, when
** ../shared is absent), and that x found `expected` somewhere; frees both
** engines. */
static void assert_same_verdicts(policy_engine *x, policy_engine *y, const char *x_is,
                                 const char *y_is, const char *const *shared_dirs,
                                 const char *expected) {
  const char *src = getenv("POLICY_SOURCE_DIR"), *shared = getenv("POLICY_SHARED_DIR");
  cr_assert(src != NULL, "POLICY_SOURCE_DIR is set by meson");
  char dir[4096];
  char *a = NULL, *b = NULL;
  size_t alen = 0, blen = 0;
  snprintf(dir, sizeof dir, "%s/examples", src);
  size_t files = check_dir(x, dir, &a, &alen);
  check_dir(y, dir, &b, &blen);
  bool have_shared = shared && *shared && access(shared, R_OK) == 0;
  for (size_t i = 0; have_shared && shared_dirs[i]; i++) {
    snprintf(dir, sizeof dir, "%s/%s", shared, shared_dirs[i]);
    files += check_dir(x, dir, &a, &alen);
    check_dir(y, dir, &b, &blen);
  }
  if (!have_shared) cr_log_warn("SKIP: the corpus part: ../shared is absent (only examples/ compared)");
  cr_assert_gt(files, 0);
  cr_assert(a != NULL && strstr(a, expected), "%s found nothing", x_is);
  size_t at = 0;
  while (a[at] && a[at] == (b ? b[at] : 0)) at++;
  size_t from = at > 200 ? at - 200 : 0;
  cr_assert(b && a[at] == b[at], "first difference at byte %zu: %s ...%.400s... %s ...%.400s...",
            at, x_is, a + from, y_is, b ? b + from : "(nothing)");
  free(a);
  free(b);
  policy_engine_free(x);
  policy_engine_free(y);
}

Test(worker, the_pack_sees_the_same_model_through_open_and_guarded_views, .timeout = 600) {
  const char *src = getenv("POLICY_SOURCE_DIR");
  cr_assert(src != NULL, "POLICY_SOURCE_DIR is set by meson");
  char dir[4096];
  policy_engine *open_e, *guarded_e;
  cr_assert_eq(policy_engine_new(&open_e), POLICY_OK);
  cr_assert_eq(policy_engine_load_builtin(open_e), POLICY_OK);
  cr_assert_eq(policy_engine_new(&guarded_e), POLICY_OK);
  cr_assert_eq(policy_engine_set_isolation(guarded_e, POLICY_ISOLATE_NONE), POLICY_OK);
  snprintf(dir, sizeof dir, "%s/policies", src);
  cr_assert_eq(policy_engine_load_rules(guarded_e, dir), POLICY_OK, "%s",
               policy_engine_errmsg(guarded_e));
  const char *data[] = {"eol-images.yaml", "nonroot-images.yaml",
                        "vulnerabilities.yaml"}; /* the pack's defaults */
  for (size_t i = 0; i < sizeof data / sizeof data[0]; i++) {
    snprintf(dir, sizeof dir, "%s/policies/data/%s", src, data[i]);
    cr_assert_eq(policy_engine_load_data(guarded_e, dir), POLICY_OK, "%s",
                 policy_engine_errmsg(guarded_e));
  }
  static const char *const shared_dirs[] = {"corpus/dockerfiles", "corpus/compose",
                                            "samples/compose", "samples/inspect", NULL};
  assert_same_verdicts(open_e, guarded_e, "open", "guarded", shared_dirs, "curl-pipe-shell");
}

/* The built-in packs' rules keep what their files built unfrozen (rule.c:
** prepare_protected), which is sound only while none of them writes it:
** the same packs with that state frozen (a write would raise) must give
** the same verdicts, file after file, over the examples and the corpus
** Dockerfiles (state carried from one file to the next would show too).
** The hadolint pack's `shellcheck` rule, which runs the shellcheck
** program per RUN (a minute over the corpus), is left out; its file
** builds nothing but constant tables. */
Test(worker, the_built_in_packs_never_write_what_their_files_built, .timeout = 600) {
  policy_engine *plain, *frozen;
  cr_assert_eq(policy_engine_new(&plain), POLICY_OK);
  cr_assert_eq(policy_engine_new(&frozen), POLICY_OK);
  frozen->freeze_trusted = true; /* every sandbox it makes, from now on */
  policy_engine *both[] = {plain, frozen};
  for (size_t k = 0; k < 2; k++) {
    cr_assert_eq(policy_engine_set_profile(both[k], "all"), POLICY_OK);
    cr_assert_eq(policy_engine_ignore(both[k], "shellcheck"), POLICY_OK);
    cr_assert_eq(policy_engine_load_builtin(both[k]), POLICY_OK);
    cr_assert_eq(policy_engine_load_builtin_pack(both[k], "hadolint"), POLICY_OK, "%s",
                 policy_engine_errmsg(both[k]));
  }
  static const char *const shared_dirs[] = {"corpus/dockerfiles", NULL};
  assert_same_verdicts(plain, frozen, "unfrozen", "frozen", shared_dirs, "DL3008");
}
