/*
** test_engine.c: rules end to end through the public API: loading and
** validation, findings and their positions, suppressions, data, ignores,
** rule errors, the helper libraries (callable, read-only, stateless), and
** every sandbox escape class in tests/escapes (each must be contained AND
** a well-behaved rule in the same run must still report).
*/
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "policy/policy.h"

static policy_engine *engine;
static policy_report *report;

static void setup(void) {
  cr_assert_eq(policy_engine_new(&engine), POLICY_OK);
  cr_assert_eq(policy_report_new(&report), POLICY_OK);
}

static void teardown(void) {
  policy_report_free(report);
  policy_engine_free(engine);
}

TestSuite(engine, .init = setup, .fini = teardown, .timeout = 60);

static const char *WITNESS =
    "return { id = 'witness', title = 'Witness', severity = 'info',\n"
    "  applies_to = 'image', description = 'd', remediation = 'r',\n"
    "  check = function(image)\n"
    "    if image.final then\n"
    "      report(image, ('witness leaked=%s upper=%s'):format(tostring(leaked_global), ('x'):upper()))\n"
    "    end\n"
    "  end }\n";

static int load(const char *name, const char *src) {
  return policy_engine_load_rule_buffer(engine, name, src, strlen(src));
}

static void check_text(const char *path, const char *text) {
  policy_document *doc;
  cr_assert_eq(policy_parse_buffer(&doc, engine, path, text, strlen(text),
                                   POLICY_KIND_DOCKERFILE), POLICY_OK);
  cr_assert_eq(policy_check(report, engine, doc), POLICY_OK, "%s", policy_engine_errmsg(engine));
  policy_document_free(doc);
}

static const char *get(int list, size_t i, int field) {
  const char *s = policy_report_get_string(report, list, i, field);
  return s ? s : "(null)";
}

static size_t count(int list) { return policy_report_count(report, list); }

/* The index of the n-th entry of `list` from rule `id`, or -1. The pack
** has many rules; these tests look at the two they are about. */
static long nth_of(int list, const char *id, size_t n) {
  for (size_t i = 0; i < count(list); i++)
    if (strcmp(get(list, i, POLICY_FIELD_RULE), id) == 0 && n-- == 0) return (long)i;
  return -1;
}

static size_t count_of(int list, const char *id) {
  size_t k = 0;
  while (nth_of(list, id, k) >= 0) k++;
  return k;
}

Test(engine, builtin_pack_finds_root_and_latest) {
  cr_assert_eq(policy_engine_load_builtin(engine), POLICY_OK, "%s", policy_engine_errmsg(engine));
  cr_assert_geq(policy_engine_rule_count(engine), 2);
  check_text("Dockerfile", "FROM ubuntu\nRUN true\nFROM alpine:3.20 AS final\nUSER root\n");
  cr_assert_eq(count(POLICY_LIST_ERRORS), 0, "%s", get(POLICY_LIST_ERRORS, 0, POLICY_FIELD_MESSAGE));
  cr_assert_eq(count_of(POLICY_LIST_FINDINGS, "base-image-latest"), 1);
  cr_assert_eq(count_of(POLICY_LIST_FINDINGS, "image-runs-as-root"), 1);
  long latest = nth_of(POLICY_LIST_FINDINGS, "base-image-latest", 0);
  long root = nth_of(POLICY_LIST_FINDINGS, "image-runs-as-root", 0);
  /* Sorted by line: the untagged base first, then the root user. */
  cr_assert_lt(latest, root);
  cr_assert_eq(policy_report_get_number(report, POLICY_LIST_FINDINGS, latest, POLICY_FIELD_LINE), 1);
  cr_assert_eq(policy_report_get_number(report, POLICY_LIST_FINDINGS, latest, POLICY_FIELD_COLUMN), 6);
  cr_assert_eq(policy_report_get_number(report, POLICY_LIST_FINDINGS, root, POLICY_FIELD_LINE), 4);
  cr_assert_str_eq(get(POLICY_LIST_FINDINGS, root, POLICY_FIELD_SEVERITY), "high");
  cr_assert_str_eq(get(POLICY_LIST_FINDINGS, root, POLICY_FIELD_SUBJECT), "image final");
  cr_assert_str_eq(policy_report_get_ref(report, POLICY_LIST_FINDINGS, root, "hadolint"), "DL3002");
  cr_assert_eq(policy_report_count_at_least(report, POLICY_SEVERITY_HIGH), 1);
}

Test(engine, missing_user_points_at_the_final_stage) {
  cr_assert_eq(policy_engine_load_builtin(engine), POLICY_OK);
  check_text("Dockerfile", "FROM alpine:3.20 AS base\nRUN true\nFROM base\nCMD [\"sh\"]\n");
  cr_assert_eq(count_of(POLICY_LIST_FINDINGS, "image-runs-as-root"), 0);
  cr_assert_eq(count_of(POLICY_LIST_FINDINGS, "image-user-not-set"), 1);
  long user = nth_of(POLICY_LIST_FINDINGS, "image-user-not-set", 0);
  cr_assert_eq(policy_report_get_number(report, POLICY_LIST_FINDINGS, user, POLICY_FIELD_LINE), 3);
  const char *msg = get(POLICY_LIST_FINDINGS, user, POLICY_FIELD_MESSAGE);
  cr_assert(strstr(msg, "sets no USER") && strstr(msg, "root unless that image sets another"), "%s", msg);
}

Test(engine, suppressions_by_id_by_ref_and_global) {
  cr_assert_eq(policy_engine_load_builtin(engine), POLICY_OK);
  check_text("a.Dockerfile",
             "# policy ignore=base-image-latest -- pinned by the release job\n"
             "FROM ubuntu\n# hadolint ignore=DL3002\nUSER root\n");
  cr_assert_eq(count_of(POLICY_LIST_FINDINGS, "base-image-latest"), 0);
  cr_assert_eq(count_of(POLICY_LIST_FINDINGS, "image-runs-as-root"), 0);
  cr_assert_eq(count(POLICY_LIST_SUPPRESSED), 2);
  cr_assert_str_eq(get(POLICY_LIST_SUPPRESSED, 0, POLICY_FIELD_RULE), "base-image-latest");
  cr_assert_str_eq(get(POLICY_LIST_SUPPRESSED, 0, POLICY_FIELD_REASON), "pinned by the release job");
  cr_assert_str_eq(get(POLICY_LIST_SUPPRESSED, 1, POLICY_FIELD_RULE), "image-runs-as-root");
  cr_assert(strstr(get(POLICY_LIST_SUPPRESSED, 1, POLICY_FIELD_REASON), "line"));
  check_text("b.Dockerfile", "FROM ubuntu:latest\n# policy global ignore=image-runs-as-root\nRUN x\n");
  cr_assert_eq(count_of(POLICY_LIST_FINDINGS, "base-image-latest"), 1);
  cr_assert_eq(count_of(POLICY_LIST_FINDINGS, "image-runs-as-root"), 0);
}

Test(engine, ignore_by_id_or_ref) {
  cr_assert_eq(policy_engine_ignore(engine, "DL3007"), POLICY_OK);
  cr_assert_eq(policy_engine_load_builtin(engine), POLICY_OK);
  cr_assert_eq(policy_engine_ignore(engine, "image-runs-as-root"), POLICY_OK);
  check_text("Dockerfile", "FROM ubuntu\n");
  cr_assert_eq(count_of(POLICY_LIST_FINDINGS, "base-image-latest"), 0);
  cr_assert_eq(count_of(POLICY_LIST_FINDINGS, "image-runs-as-root"), 0);
  cr_assert_gt(count(POLICY_LIST_FINDINGS), 0); /* the other rules still run */
}

/* A rule of the given profile that reports the final stage. */
static void load_profiled(const char *id, const char *profile) {
  char src[512];
  snprintf(src, sizeof src,
           "return { id = '%s', title = 't', severity = 'low', applies_to = 'image',"
           " description = 'd', remediation = 'r', profile = '%s',"
           " check = function(i) if i.final then report(i, 'x') end end }", id, profile);
  cr_assert_eq(load(id, src), POLICY_OK, "%s", policy_engine_errmsg(engine));
}

Test(engine, profiles_choose_the_rules_that_run) {
  cr_assert_str_eq(policy_engine_profile(engine), "default");
  load_profiled("in-default", "default");
  load_profiled("in-strict", "strict");
  cr_assert_eq(load("plain.lua", WITNESS), POLICY_OK); /* no profile: default */
  load_profiled("in-all", "all");
  cr_assert_str_eq(policy_engine_rule_string(engine, 1, POLICY_RULE_PROFILE), "strict");
  cr_assert_str_eq(policy_engine_rule_string(engine, 2, POLICY_RULE_PROFILE), "default");
  check_text("Dockerfile", "FROM alpine:3.21\n");
  cr_assert_eq(count(POLICY_LIST_FINDINGS), 2);
  cr_assert_eq(count_of(POLICY_LIST_FINDINGS, "in-strict"), 0);
  cr_assert_eq(policy_engine_set_profile(engine, "strict"), POLICY_OK);
  cr_assert_eq(policy_engine_ignore(engine, "in-default"), POLICY_OK);
  policy_report_free(report);
  cr_assert_eq(policy_report_new(&report), POLICY_OK);
  check_text("Dockerfile", "FROM alpine:3.21\n");
  cr_assert_eq(count_of(POLICY_LIST_FINDINGS, "in-strict"), 1);
  cr_assert_eq(count_of(POLICY_LIST_FINDINGS, "in-all"), 0);
  cr_assert_eq(count_of(POLICY_LIST_FINDINGS, "in-default"), 0); /* the ignore holds */
  cr_assert_eq(policy_engine_set_profile(engine, "everything"), POLICY_ERR_INVALID);
  cr_assert(strstr(policy_engine_errmsg(engine), "unknown profile 'everything'"));
  cr_assert_str_eq(policy_engine_profile(engine), "strict"); /* kept */
  cr_assert_eq(policy_engine_set_profile(engine, "all"), POLICY_OK);
  char *json;
  cr_assert_eq(policy_engine_rules_to_json(&json, NULL, engine, 0), POLICY_OK);
  cr_assert(strstr(json, "\"id\":\"in-all\"") && strstr(json, "\"profile\":\"all\",\"ignored\":false"),
            "%s", json);
  cr_assert(strstr(json, "\"profile\":\"default\",\"ignored\":true"), "%s", json);
  policy_free(json);
  cr_assert_eq(policy_engine_set_profile(NULL, "all"), POLICY_ERR_INVALID);
  cr_assert_null(policy_engine_profile(NULL));
}

Test(engine, rule_validation_errors_are_clear) {
  struct { const char *src, *msg; } cases[] = {
    {"return {", "bad.lua:1:"},
    {"return 42", "must return a table"},
    {"return { id = 'Bad_Id', title = 't', severity = 'high', applies_to = 'image',"
     " description = 'd', remediation = 'r', check = function() end }", "kebab-case"},
    {"return { id = 'x', title = 't', severity = 'severe', applies_to = 'image',"
     " description = 'd', remediation = 'r', check = function() end }", "severity must be one of"},
    {"return { id = 'x', title = 't', severity = 'high', applies_to = 'image',"
     " description = 'd', remediation = 'r' }", "'check' must be a function"},
    {"return { id = 'x', title = 't', severity = 'high', applies_to = 'pod',"
     " description = 'd', remediation = 'r', check = function() end }", "applies_to"},
    {"return { id = 'x', title = 't', severity = 'high', applies_to = 'image',"
     " description = 'd', remediation = 'r', refs = { snyk = 'x' }, check = function() end }", "refs may name"},
    {"return { id = 'x', severity = 'high', applies_to = 'image',"
     " description = 'd', remediation = 'r', check = function() end }", "'title'"},
    {"return { id = 'x', title = 't', severity = 'high', applies_to = 'image',"
     " description = 'd', remediation = 'r', profile = 'paranoid', check = function() end }",
     "profile must be one of default, strict, all; not 'paranoid'"},
    {"\x1bLua", "bad.lua"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    cr_assert_eq(load("bad.lua", cases[i].src), POLICY_ERR_PARSE, "case %zu", i);
    cr_assert(strstr(policy_engine_errmsg(engine), cases[i].msg) != NULL,
              "case %zu: %s", i, policy_engine_errmsg(engine));
  }
  cr_assert_eq(policy_engine_rule_count(engine), 0);
}

Test(engine, duplicate_ids_are_refused) {
  cr_assert_eq(load("w1.lua", WITNESS), POLICY_OK);
  cr_assert_eq(load("w2.lua", WITNESS), POLICY_ERR_PARSE);
  cr_assert(strstr(policy_engine_errmsg(engine), "is defined twice: in w1.lua and in w2.lua"),
            "%s", policy_engine_errmsg(engine));
}

Test(engine, report_at_a_field_and_data_documents) {
  char path[64];
  snprintf(path, sizeof path, "/tmp/policy-data-%ld.yaml", (long)getpid());
  FILE *f = fopen(path, "w");
  cr_assert_not_null(f);
  fputs("allowed_registries:\n  - ghcr.io\n  - registry.example.com\n", f);
  fclose(f);
  cr_assert_eq(policy_engine_load_data(engine, path), POLICY_OK, "%s", policy_engine_errmsg(engine));
  remove(path);
  cr_assert_eq(load("registry.lua",
    "return { id = 'registry', title = 't', severity = 'medium', applies_to = {'image'},\n"
    " description = 'd', remediation = 'r', refs = { cis = {'4.2', '4.3'} },\n"
    " check = function(image)\n"
    "   local ok = false\n"
    "   for _, r in ipairs(data.allowed_registries) do ok = ok or r == image.from.registry end\n"
    "   if not ok then report(image.from, 'registry', image.from.registry .. ' is not allowed') end\n"
    " end }\n"), POLICY_OK, "%s", policy_engine_errmsg(engine));
  check_text("Dockerfile", "FROM ghcr.io/a/b:1\nFROM   docker.io/library/x:1\n");
  cr_assert_eq(count(POLICY_LIST_FINDINGS), 1);
  cr_assert_str_eq(get(POLICY_LIST_FINDINGS, 0, POLICY_FIELD_MESSAGE), "docker.io is not allowed");
  cr_assert_eq(policy_report_get_number(report, POLICY_LIST_FINDINGS, 0, POLICY_FIELD_LINE), 2);
  cr_assert_eq(policy_report_get_number(report, POLICY_LIST_FINDINGS, 0, POLICY_FIELD_COLUMN), 8);
  cr_assert_str_eq(policy_report_get_ref(report, POLICY_LIST_FINDINGS, 0, "cis"), "4.2,4.3");
}

Test(engine, runtime_errors_are_rule_errors_and_other_rules_run) {
  cr_assert_eq(load("broken.lua",
    "return { id = 'broken', title = 't', severity = 'low', applies_to = 'image',\n"
    " description = 'd', remediation = 'r', check = function(image) return image.nope.x end }"), POLICY_OK);
  cr_assert_eq(load("witness.lua", WITNESS), POLICY_OK);
  check_text("Dockerfile", "FROM a AS one\nFROM b\n");
  cr_assert_eq(count(POLICY_LIST_ERRORS), 2, "one error per image");
  cr_assert_str_eq(get(POLICY_LIST_ERRORS, 0, POLICY_FIELD_RULE), "broken");
  cr_assert(strstr(get(POLICY_LIST_ERRORS, 0, POLICY_FIELD_MESSAGE), "broken.lua:2:"),
            "%s", get(POLICY_LIST_ERRORS, 0, POLICY_FIELD_MESSAGE));
  /* A field the model does not define is named, with the one meant. */
  cr_assert(strstr(get(POLICY_LIST_ERRORS, 0, POLICY_FIELD_MESSAGE),
                   "image has no field 'nope'; did you mean 'name'?"),
            "%s", get(POLICY_LIST_ERRORS, 0, POLICY_FIELD_MESSAGE));
  cr_assert_eq(count(POLICY_LIST_FINDINGS), 1);
}

/* Strict access: a typo is an error at the rule's line; a field that
** exists but is unset is nil; maps (env, labels) are data, any key reads. */
Test(engine, unknown_fields_fail_loudly) {
  cr_assert_eq(load("typo.lua",
    "return { id = 'typo', title = 't', severity = 'low', applies_to = 'image',\n"
    " description = 'd', remediation = 'r', check = function(image)\n"
    "   report(image, tostring(image.healthcheck) .. ' ' .. tostring(image.env.NOPE)\n"
    "     .. ' ' .. model_type(image) .. ' ' .. tostring(model_type(image.env)))\n"
    "   return image.usr\n"
    " end }"), POLICY_OK);
  check_text("Dockerfile", "FROM a\n");
  cr_assert_eq(count(POLICY_LIST_FINDINGS), 1);
  cr_assert_str_eq(get(POLICY_LIST_FINDINGS, 0, POLICY_FIELD_MESSAGE), "nil nil image nil");
  cr_assert_eq(count(POLICY_LIST_ERRORS), 1);
  cr_assert_str_eq(get(POLICY_LIST_ERRORS, 0, POLICY_FIELD_MESSAGE),
                   "typo.lua:5: image has no field 'usr'; did you mean 'user'? (checking image #0)");
}

/* Asserts that finding i's message holds text. */
static void finding_says(size_t i, const char *text) {
  const char *m = get(POLICY_LIST_FINDINGS, i, POLICY_FIELD_MESSAGE);
  cr_assert(strstr(m, text), "finding %zu: %s", i, m);
}

/* model_column reads one field of every item of a list before its first
** null (a data list, a model list, a plain table), as plain values; the
** lists it copies are the rule's own; a malformed list raises. */
Test(engine, model_column_reads_a_field_of_every_item) {
  const char *data =
      "images:\n"
      "  - {repository: alpine, tags: ['3.18', 3.19]}\n"
      "  - {repository: node}\n"
      "  - {repository: 7, tags: []}\n"
      "  - null\n"
      "  - {repository: after-null}\n"
      "bad_item: [{repository: a}, plain]\n"
      "bad_value: [{repository: {nested: 1}}]\n";
  cr_assert_eq(policy_engine_load_data_buffer(engine, "d.yaml", data, strlen(data)), POLICY_OK,
               "%s", policy_engine_errmsg(engine));
  cr_assert_eq(load("column.lua",
    "return { id = 'column', title = 't', severity = 'low', applies_to = 'image',\n"
    " description = 'd', remediation = 'r', check = function(image)\n"
    "   local repos, n = model_column(data.images, 'repository')\n"
    "   local tags = model_column(data.images, 'tags')\n"
    "   tags[1][3] = 'mine'\n"
    "   local words, k = model_column(image.instructions, 'keyword')\n"
    "   local own, m = model_column({ { x = 1 }, { x = 2 }, {} }, 'x')\n"
    "   local e1 = select(2, pcall(model_column, data.bad_item, 'repository'))\n"
    "   local e2 = select(2, pcall(model_column, data.bad_value, 'repository'))\n"
    "   assert(not pcall(model_column, image.instructions, 'keywrod'), 'a typo raises')\n"
    "   report(image, table.concat({ n, repos[1], repos[2], math.type(repos[3]), #tags[1],\n"
    "     tags[1][1], tags[1][2], tags[1][3], tostring(tags[2]), #tags[3], k, words[1], words[2],\n"
    "     m, own[1], own[2], tostring(own[3]), tostring(data.images[1].tags[3]) }, ' '))\n"
    "   report(image, e1 .. ' | ' .. e2)\n"
    " end }"), POLICY_OK);
  check_text("Dockerfile", "FROM a\nRUN true\n");
  cr_assert_eq(count(POLICY_LIST_ERRORS), 0, "%s", get(POLICY_LIST_ERRORS, 0, POLICY_FIELD_MESSAGE));
  cr_assert_eq(count(POLICY_LIST_FINDINGS), 2);
  cr_assert_str_eq(get(POLICY_LIST_FINDINGS, 0, POLICY_FIELD_MESSAGE),
                   "3 alpine node integer 3 3.18 3.19 mine nil 0 2 FROM RUN 3 1 2 nil nil");
  finding_says(1, "model_column: item 2 of the list is not a mapping | ");
  finding_says(1, "model_column: item 1's repository is a mapping, not a value or a list");
}

/* model_find: the first item from an index whose field is truthy or is
** a key of a set (a frozen table of the rule's, a set with a non-string
** key, a plain list); nil when none. */
Test(engine, model_find_finds_the_first_matching_item) {
  cr_assert_eq(load("find.lua",
    "local WANTED = { chmod = true, install = true }\n"
    "local MIXED = { [1] = true, chmod = true }\n"
    "return { id = 'find', title = 't', severity = 'low', applies_to = 'image',\n"
    " description = 'd', remediation = 'r', check = function(image)\n"
    "   local c = image.commands\n"
    "   local a = model_find(c, 'name', WANTED)\n"
    "   local b = model_find(c, 'name', WANTED, a + 1)\n"
    "   local d = model_find(c, 'name', WANTED, b + 1)\n"
    "   local e = model_find(c, 'package')\n"
    "   local f = model_find(c, 'name', MIXED)\n"
    "   local g = model_find({ { x = false }, { x = 'y' } }, 'x')\n"
    "   local h = model_find({ { x = 'a' }, { x = 'b' } }, 'x', { b = true })\n"
    "   local k = model_find(c, 'name', WANTED, 99)\n"
    "   local _, typo = pcall(model_find, c, 'nmae', WANTED)\n"
    "   report(image, table.concat({ a, b, tostring(d), e, f, g, h, tostring(k),\n"
    "     c[a].name, c[b].name }, ' '))\n"
    "   report(image, typo)\n"
    " end }"), POLICY_OK);
  check_text("Dockerfile", "FROM a\nRUN echo hi && chmod +x /x && apt-get install -y curl\n"
                           "RUN install -m 755 a /b && true\n");
  cr_assert_eq(count(POLICY_LIST_ERRORS), 0, "%s", get(POLICY_LIST_ERRORS, 0, POLICY_FIELD_MESSAGE));
  cr_assert_eq(count(POLICY_LIST_FINDINGS), 2);
  cr_assert_str_eq(get(POLICY_LIST_FINDINGS, 0, POLICY_FIELD_MESSAGE),
                   "2 4 nil 3 2 2 2 nil chmod install");
  finding_says(1, "command has no field 'nmae'; did you mean 'name'?");
}

Test(engine, nothing_carries_over_between_documents) {
  cr_assert_eq(load("sticky.lua",
    "local seen = 0\n"
    "return { id = 'sticky', title = 't', severity = 'low', applies_to = 'image',\n"
    " description = 'd', remediation = 'r', check = function(image)\n"
    "   seen = seen + 1\n"
    "   counter = (counter or 0) + 1\n"
    "   report(image, ('seen=%d counter=%d'):format(seen, counter))\n"
    " end }"), POLICY_OK);
  check_text("a.Dockerfile", "FROM a\n");
  check_text("b.Dockerfile", "FROM b\n");
  cr_assert_eq(count(POLICY_LIST_FINDINGS), 2);
  cr_assert_str_eq(get(POLICY_LIST_FINDINGS, 0, POLICY_FIELD_MESSAGE), "seen=1 counter=1");
  cr_assert_str_eq(get(POLICY_LIST_FINDINGS, 1, POLICY_FIELD_MESSAGE), "seen=1 counter=1");
}

/* Cells that start nil, among others, are all put back after a run (the
** snapshot list keeps a nil as a sentinel, not as a hole). */
Test(engine, nil_cells_are_restored_too) {
  cr_assert_eq(load("cells.lua",
    "local a\nlocal b = 0\nlocal c\nlocal d = 'x'\nlocal e\n"
    "return { id = 'cells', title = 't', severity = 'low', applies_to = 'image',\n"
    " description = 'd', remediation = 'r', check = function(image)\n"
    "   report(image, ('%s %s %s %s %s'):format(tostring(a), b, tostring(c), d, tostring(e)))\n"
    "   a, b, c, d, e = 1, b + 1, 2, d .. 'y', 3\n"
    " end }"), POLICY_OK);
  check_text("a.Dockerfile", "FROM a\n");
  check_text("b.Dockerfile", "FROM b\n");
  check_text("c.Dockerfile", "FROM c\n");
  cr_assert_eq(count(POLICY_LIST_FINDINGS), 3);
  for (size_t i = 0; i < 3; i++)
    cr_assert_str_eq(get(POLICY_LIST_FINDINGS, i, POLICY_FIELD_MESSAGE), "nil 0 nil x nil");
}

/* Rules that set no globals share one read-only globals table: neither
** can write it, and what one tries is not seen by the other. */
Test(engine, rules_without_globals_cannot_write_the_shared_ones) {
  cr_assert_eq(load("w1.lua",
    "return { id = 'w1', title = 't', severity = 'low', applies_to = 'image',\n"
    " description = 'd', remediation = 'r', check = function(image)\n"
    "   local ok = pcall(function() _G.string = nil end)\n"
    "   local ok2 = pcall(rawset, _G, 'shared', 1)\n"
    "   report(image, ('%s %s %s'):format(tostring(ok), tostring(ok2), type(string.format)))\n"
    " end }"), POLICY_OK);
  cr_assert_eq(load("w2.lua",
    "return { id = 'w2', title = 't', severity = 'low', applies_to = 'image',\n"
    " description = 'd', remediation = 'r', check = function(image)\n"
    "   report(image, ('%s %s'):format(tostring(rawget(_G, 'shared')), type(string.format)))\n"
    " end }"), POLICY_OK);
  check_text("a.Dockerfile", "FROM a\n");
  cr_assert_eq(count(POLICY_LIST_FINDINGS), 2);
  cr_assert_eq(count_of(POLICY_LIST_ERRORS, "w1"), 0);
  cr_assert_str_eq(get(POLICY_LIST_FINDINGS, (size_t)nth_of(POLICY_LIST_FINDINGS, "w1", 0),
                       POLICY_FIELD_MESSAGE), "false false function");
  cr_assert_str_eq(get(POLICY_LIST_FINDINGS, (size_t)nth_of(POLICY_LIST_FINDINGS, "w2", 0),
                       POLICY_FIELD_MESSAGE), "nil function");
}

Test(engine, findings_are_capped_per_rule) {
  cr_assert_eq(policy_engine_set_limit(engine, POLICY_LIMIT_FINDINGS_PER_RULE, 3), POLICY_OK);
  cr_assert_eq(load("many.lua",
    "return { id = 'many', title = 't', severity = 'low', applies_to = 'image',\n"
    " description = 'd', remediation = 'r', check = function(image)\n"
    "   for i = 1, 100 do report(image, 'finding ' .. i) end end }"), POLICY_OK);
  check_text("Dockerfile", "FROM a\n");
  cr_assert_eq(count(POLICY_LIST_FINDINGS), 3);
  cr_assert_eq(count(POLICY_LIST_ERRORS), 1);
  cr_assert_str_eq(get(POLICY_LIST_ERRORS, 0, POLICY_FIELD_LIMIT), "findings");
}

Test(engine, print_goes_to_the_log_not_stdout) {
  cr_assert_eq(load("chatty.lua",
    "return { id = 'chatty', title = 't', severity = 'low', applies_to = 'document',\n"
    " description = 'd', remediation = 'r', check = function(doc) print('hello', doc.kind) end }"), POLICY_OK);
  check_text("Dockerfile", "FROM a\n");
  cr_assert_eq(count(POLICY_LIST_LOGS), 1);
  cr_assert(strstr(get(POLICY_LIST_LOGS, 0, POLICY_FIELD_MESSAGE), "hello\tdockerfile"));
}

/* The helper libraries (policies/lib) are globals every rule can call. */
Test(engine, rules_call_the_helper_libraries) {
  cr_assert_eq(load("libs.lua",
    "return { id = 'libs', title = 't', severity = 'info', applies_to = 'image',\n"
    " description = 'd', remediation = 'r', check = function(image, document)\n"
    "   for _, c in ipairs(image.commands) do\n"
    "     local p = packages.parse(c)\n"
    "     report(c, ('%s %s [%s] %s shipped=%s words=%s secret=%s'):format(p.manager, p.subcommand,\n"
    "       table.concat(packages.installs(p), ','), packages.option(p, '-t').value,\n"
    "       tostring(model.shipped(image, document)), table.concat(shell.words(c.argv), ','),\n"
    "       tostring(secrets.name_is_secret('dbPassword'))))\n"
    "   end\n"
    " end }"), POLICY_OK, "%s", policy_engine_errmsg(engine));
  check_text("Dockerfile", "FROM alpine:3.20\nRUN sudo -E /sbin/apk add -t .deps gcc=13.2 make\n");
  cr_assert_eq(count(POLICY_LIST_ERRORS), 0, "%s", get(POLICY_LIST_ERRORS, 0, POLICY_FIELD_MESSAGE));
  cr_assert_eq(count(POLICY_LIST_FINDINGS), 1);
  cr_assert_str_eq(get(POLICY_LIST_FINDINGS, 0, POLICY_FIELD_MESSAGE),
                   "apk add [gcc,make] .deps shipped=true words=apk,add,-t,.deps,gcc=13.2,make secret=true");
}

/* The program behind wrappers whose options take a value (sudo -u root). */
Test(engine, command_program_skips_wrapper_option_values) {
  cr_assert_eq(load("prog.lua",
    "return { id = 'prog', title = 't', severity = 'info', applies_to = 'image',\n"
    " description = 'd', remediation = 'r', check = function(image)\n"
    "   local out = {}\n"
    "   for _, c in ipairs(image.commands) do out[#out + 1] = c.program .. (c.package and '+' or '') end\n"
    "   report(image, table.concat(out, ' '))\n"
    " end }"), POLICY_OK, "%s", policy_engine_errmsg(engine));
  check_text("Dockerfile", "FROM debian:12\nRUN sudo -u root /usr/bin/apt-get install -y curl"
             " && nice -n 5 make && env -u HOME -i A=1 make && sudo -E apt-get update\n");
  cr_assert_eq(count(POLICY_LIST_FINDINGS), 1);
  cr_assert_str_eq(get(POLICY_LIST_FINDINGS, 0, POLICY_FIELD_MESSAGE), "apt-get+ make make apt-get+");
}

Test(engine, helper_libraries_are_read_only) {
  cr_assert_eq(load("poke.lua",
    "return { id = 'poke', title = 't', severity = 'info', applies_to = 'image',\n"
    " description = 'd', remediation = 'r', check = function(image)\n"
    "   local replaced, e1 = pcall(function() shell.words = function() return {} end end)\n"
    "   local added = pcall(function() paths.extra = 1 end)\n"
    "   local raw = pcall(rawset, secrets, 'extra', 1)\n"
    "   report(image, ('%s %s %s %s %s'):format(tostring(replaced), tostring(added), tostring(raw),\n"
    "     tostring(getmetatable(model)), e1))\n"
    " end }"), POLICY_OK, "%s", policy_engine_errmsg(engine));
  cr_assert_eq(load("write.lua",
    "return { id = 'write', title = 't', severity = 'info', applies_to = 'image',\n"
    " description = 'd', remediation = 'r', check = function(image) packages.parse = nil end }"),
    POLICY_OK);
  cr_assert_eq(load("witness.lua", WITNESS), POLICY_OK);
  check_text("Dockerfile", "FROM alpine:3.20\n");
  cr_assert_eq(count(POLICY_LIST_FINDINGS), 2);
  long poke = nth_of(POLICY_LIST_FINDINGS, "poke", 0);
  cr_assert_geq(poke, 0);
  const char *msg = get(POLICY_LIST_FINDINGS, poke, POLICY_FIELD_MESSAGE);
  cr_assert(strncmp(msg, "false false false false ", 24) == 0, "%s", msg);
  cr_assert(strstr(msg, "attempt to modify a read-only table"), "%s", msg);
  /* Unprotected, the write is an error of that rule; the others still report. */
  cr_assert_eq(count(POLICY_LIST_ERRORS), 1);
  cr_assert_str_eq(get(POLICY_LIST_ERRORS, 0, POLICY_FIELD_RULE), "write");
  cr_assert(strstr(get(POLICY_LIST_ERRORS, 0, POLICY_FIELD_MESSAGE), "read-only"), "%s",
            get(POLICY_LIST_ERRORS, 0, POLICY_FIELD_MESSAGE));
  cr_assert_str_eq(get(POLICY_LIST_FINDINGS, nth_of(POLICY_LIST_FINDINGS, "witness", 0),
                       POLICY_FIELD_MESSAGE), "witness leaked=nil upper=X");
}

/* The libraries are shared by every rule of a sandbox: nothing one rule
** does to them, or to what they return, reaches the next rule or file. */
Test(engine, helper_libraries_carry_no_state_between_rules) {
  cr_assert_eq(load("writer.lua",
    "return { id = 'writer', title = 't', severity = 'info', applies_to = 'image',\n"
    " description = 'd', remediation = 'r', check = function(image)\n"
    "   pcall(function() shell.stash = 'leak' end)\n"
    "   local w = shell.words({ 'sudo', 'a' })\n"
    "   w[1], w[2] = 'changed', 'added'\n"
    "   local p = packages.parse(image.commands[1])\n"
    "   pcall(function() p.manager, p.options[1], p.args[1] = 'mutated', nil, 'x' end)\n"
    "   -- A global of its own named like a library: the libraries still use theirs.\n"
    "   paths = { base = function() return 'hijacked' end }\n"
    "   report(image, ('writer %s %s'):format(paths.base('/a/b'), shell.words({ '/bin/c' })[1]))\n"
    " end }"), POLICY_OK, "%s", policy_engine_errmsg(engine));
  cr_assert_eq(load("reader.lua",
    "return { id = 'reader', title = 't', severity = 'info', applies_to = 'image',\n"
    " description = 'd', remediation = 'r', check = function(image)\n"
    "   local p = packages.parse(image.commands[1])\n"
    "   local kinds = ''\n"
    "   for _, lib in ipairs({ model, packages, paths, ports, secrets, shell }) do\n"
    "     for _, v in pairs(lib) do\n"
    "       if type(v) ~= 'function' then kinds = kinds .. ' ' .. type(v) end\n"
    "     end\n"
    "   end\n"
    "   report(image, ('reader stash=%s words=%s base=%s parsed=%s,%s,%s,%d non-functions:%s'):format(\n"
    "     tostring(shell.stash), table.concat(shell.words({ 'sudo', 'a' }), ','), paths.base('/a/b'),\n"
    "     p.manager, p.options[1].name, p.args[1], #p.args, kinds))\n"
    " end }"), POLICY_OK, "%s", policy_engine_errmsg(engine));
  const char *want = "reader stash=nil words=a base=b parsed=apk,--no-cache,curl,1 non-functions:";
  for (int file = 0; file < 2; file++) {
    policy_report_free(report);
    cr_assert_eq(policy_report_new(&report), POLICY_OK);
    check_text(file ? "b.Dockerfile" : "a.Dockerfile", "FROM alpine:3.20\nRUN apk add --no-cache curl\n");
    cr_assert_eq(count(POLICY_LIST_ERRORS), 0, "%s", get(POLICY_LIST_ERRORS, 0, POLICY_FIELD_MESSAGE));
    cr_assert_str_eq(get(POLICY_LIST_FINDINGS, nth_of(POLICY_LIST_FINDINGS, "writer", 0),
                         POLICY_FIELD_MESSAGE), "writer hijacked c");
    cr_assert_str_eq(get(POLICY_LIST_FINDINGS, nth_of(POLICY_LIST_FINDINGS, "reader", 0),
                         POLICY_FIELD_MESSAGE), want);
  }
}

/* Every rule file in tests/escapes: its first line says what must happen. */
Test(engine, escape_classes_are_contained, .timeout = 240) {
  const char *src = getenv("POLICY_SOURCE_DIR");
  char dir[4096];
  snprintf(dir, sizeof dir, "%s/tests/escapes", src ? src : ".");
  DIR *d = opendir(dir);
  cr_assert_not_null(d, "%s", dir);
  struct dirent *de;
  size_t n = 0;
  while ((de = readdir(d))) {
    if (!strstr(de->d_name, ".lua")) continue;
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
    FILE *f = fopen(path, "r");
    char expect[256] = "";
    cr_assert(fgets(expect, sizeof expect, f));
    fclose(f);
    expect[strcspn(expect, "\n")] = '\0';
    const char *want = strstr(expect, "expect: ") + 8;

    policy_engine_free(engine);
    policy_report_free(report);
    setup();
    cr_assert_eq(policy_engine_set_limit(engine, POLICY_LIMIT_INSTRUCTIONS, 2000000), POLICY_OK);
    cr_assert_eq(policy_engine_set_limit(engine, POLICY_LIMIT_LUA_MEMORY_BYTES, 32u << 20), POLICY_OK);
    cr_assert_eq(policy_engine_load_rules(engine, path), POLICY_OK, "%s: %s", de->d_name, policy_engine_errmsg(engine));
    cr_assert_eq(load("witness.lua", WITNESS), POLICY_OK);
    check_text("Dockerfile", "FROM alpine:3.20\n");
    check_text("Dockerfile.2", "FROM alpine:3.21\n");

    /* Contained: the escape gave a rule error on each file... */
    cr_assert_eq(count(POLICY_LIST_ERRORS), 2, "%s: %zu errors", de->d_name, count(POLICY_LIST_ERRORS));
    const char *msg = get(POLICY_LIST_ERRORS, 0, POLICY_FIELD_MESSAGE);
    const char *limit = policy_report_get_string(report, POLICY_LIST_ERRORS, 0, POLICY_FIELD_LIMIT);
    if (!strncmp(want, "limit=", 6))
      cr_assert(limit && !strcmp(limit, want + 6), "%s: limit %s, message %s", de->d_name,
                limit ? limit : "none", msg);
    else if (!strncmp(want, "message=", 8))
      cr_assert(strstr(msg, want + 8) != NULL, "%s: message %s", de->d_name, msg);
    /* ...and the well-behaved rule still reported, unaffected, on both. */
    cr_assert_eq(count(POLICY_LIST_FINDINGS), 2, "%s: witness findings %zu", de->d_name,
                 count(POLICY_LIST_FINDINGS));
    cr_assert_str_eq(get(POLICY_LIST_FINDINGS, 1, POLICY_FIELD_MESSAGE), "witness leaked=nil upper=X",
                     "%s", de->d_name);
    n++;
  }
  closedir(d);
  cr_assert_geq(n, 18);
}

/* Reports of separate checks merged read exactly as one report that got
** every check (what `policy check --jobs N` relies on). */
Test(engine, merged_reports_equal_one_report) {
  static const char *files[] = {
      "FROM ubuntu:latest\nRUN apt-get update && apt-get install -y curl\n",
      "FROM alpine\nUSER root\nADD https://example.com/x.tgz /x\n",
      "FROM debian:12 AS build\nRUN echo hi | tee /x\nFROM scratch\n"};
  policy_engine *e;
  cr_assert_eq(policy_engine_new(&e), POLICY_OK);
  cr_assert_eq(policy_engine_load_builtin(e), POLICY_OK);
  policy_report *one, *merged, *part[3];
  cr_assert_eq(policy_report_new(&one), POLICY_OK);
  cr_assert_eq(policy_report_new(&merged), POLICY_OK);
  for (int i = 0; i < 3; i++) {
    char name[32];
    snprintf(name, sizeof name, "f%d/Dockerfile", i);
    policy_document *doc;
    cr_assert_eq(policy_parse_buffer(&doc, e, name, files[i], strlen(files[i]),
                                     POLICY_KIND_DOCKERFILE), POLICY_OK);
    cr_assert_eq(policy_report_new(&part[i]), POLICY_OK);
    cr_assert_eq(policy_check(one, e, doc), POLICY_OK);
    cr_assert_eq(policy_check(part[i], e, doc), POLICY_OK);
    policy_document_free(doc);
  }
  policy_engine_free(e); /* the reports keep the rules' metadata alive */
  for (int i = 2; i >= 0; i--) cr_assert_eq(policy_report_merge(merged, part[i]), POLICY_OK);
  cr_assert_eq(policy_report_merge(merged, merged), POLICY_ERR_INVALID);
  char *a, *b;
  cr_assert_eq(policy_report_to_json(&a, NULL, one, 0), POLICY_OK);
  cr_assert_eq(policy_report_to_json(&b, NULL, merged, 0), POLICY_OK);
  cr_assert_str_eq(a, b);
  cr_assert_gt(policy_report_count(merged, POLICY_LIST_FINDINGS), 3);
  policy_free(a);
  policy_free(b);
  for (int i = 0; i < 3; i++) policy_report_free(part[i]);
  policy_report_free(one);
  policy_report_free(merged);
}
