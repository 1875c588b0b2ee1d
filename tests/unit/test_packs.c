/*
** test_packs.c: policy packs through the public API (policy.h): the
** manifest, lib/ modules and require (and every way out of it that must
** stay shut), data, severities, folders and archives loaded alike, the
** archive's SHA-256, hostile archives, building; typo field errors in a
** pack's rules; line coverage against a case counted by hand; eval;
** subjects; container labels.
*/
#include <archive.h>
#include <archive_entry.h>
#include <criterion/criterion.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "policy/policy.h"

static char dir[] = "/tmp/policy-packs-XXXXXX";
static policy_engine *engine;

static void setup(void) {
  strcpy(dir, "/tmp/policy-packs-XXXXXX");
  cr_assert_not_null(mkdtemp(dir));
  cr_assert_eq(policy_engine_new(&engine), POLICY_OK);
  /* In-process: faster, and what coverage needs; one test keeps workers. */
  cr_assert_eq(policy_engine_set_isolation(engine, POLICY_ISOLATE_NONE), POLICY_OK);
}

static void teardown(void) {
  policy_engine_free(engine);
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  cr_assert_eq(system(cmd), 0);
}

TestSuite(packs, .init = setup, .fini = teardown, .timeout = 120);

/* dir/rel, in one of a few rotating buffers. */
static const char *at(const char *rel) {
  static char buf[8][512];
  static int next;
  char *p = buf[next++ % 8];
  snprintf(p, sizeof buf[0], "%s/%s", dir, rel);
  return p;
}

/* Writes dir/rel, making its folders. */
static void put(const char *rel, const char *text) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", dir, rel);
  for (char *s = strchr(path + strlen(dir) + 1, '/'); s; s = strchr(s + 1, '/')) {
    *s = '\0';
    mkdir(path, 0755);
    *s = '/';
  }
  FILE *f = fopen(path, "w");
  cr_assert_not_null(f, "cannot write %s", path);
  fputs(text, f);
  fclose(f);
}

#define RULE_HEAD(id, applies)                                                             \
  "return { id = \"" id "\", title = \"t\", severity = \"medium\", applies_to = \"" applies \
  "\", description = \"d\", remediation = \"r\",\n"

/* The pack of most tests: a manifest, two modules (one requiring the
** other), data, a severity override, one rule using all of it. */
static void demo_pack(const char *root) {
  char rel[256];
#define AT(x) (snprintf(rel, sizeof rel, "%s/%s", root, x), rel)
  put(AT("pack.yaml"), "name: demo\nversion: 1.2.0\ndescription: a demo pack\n"
                       "requires: libpolicy >= 0.1\nseverity:\n  demo-registry: high\n"
                       "profile: strict\n");
  put(AT("lib/strs.lua"), "return { starts = function(s, p) return s:sub(1, #p) == p end }\n");
  put(AT("lib/util.lua"),
      "local strs = require 'strs'\nlocal M = {}\n"
      "function M.approved(ref)\n"
      "  for _, r in ipairs(data.demo.registries) do\n"
      "    if strs.starts(ref, r) then return true end\n  end\n  return false\nend\n"
      "return M\n");
  put(AT("data/demo.yaml"), "demo:\n  registries: [registry.example.com/]\n");
  put(AT("rules/registry.lua"),
      RULE_HEAD("demo-registry", "image")
      "check = function(image)\n"
      "  local ref = image.from\n"
      "  if ref and not require('util').approved(ref.raw) then\n"
      "    report(image, 'from', 'not approved: ' .. ref.raw)\n  end\nend }\n");
#undef AT
}

static policy_report *check_text(policy_engine *e, const char *name, const char *text) {
  policy_document *doc;
  cr_assert_eq(policy_parse_buffer(&doc, e, name, text, strlen(text), POLICY_KIND_AUTO), POLICY_OK);
  policy_report *rep;
  cr_assert_eq(policy_report_new(&rep), POLICY_OK);
  cr_assert_eq(policy_check(rep, e, doc), POLICY_OK, "%s", policy_engine_errmsg(e));
  policy_document_free(doc);
  return rep;
}

/* The report as text lines (owned by the caller). */
static char *text_of(const policy_report *rep) {
  char *out;
  cr_assert_eq(policy_report_write(&out, NULL, rep, NULL, POLICY_FORMAT_TEXT,
                                   POLICY_TEXT_NO_SUMMARY), POLICY_OK);
  char *copy = strdup(out);
  policy_free(out);
  return copy;
}

static const char *const dockerfile = "FROM evil.io/x:1\nFROM registry.example.com/ok:1\n";

/* ---- loading a pack ---------------------------------------------------- */

Test(packs, a_pack_loads_its_manifest_modules_data_and_severities) {
  demo_pack("demo");
  cr_assert_eq(policy_engine_load_pack_path(engine, at("demo"), NULL), POLICY_OK, "%s",
               policy_engine_errmsg(engine));
  cr_assert_eq(policy_engine_pack_count(engine), 1);
  cr_assert_str_eq(policy_engine_pack_string(engine, 0, POLICY_PACK_NAME), "demo");
  cr_assert_str_eq(policy_engine_pack_string(engine, 0, POLICY_PACK_VERSION), "1.2.0");
  cr_assert_str_eq(policy_engine_pack_string(engine, 0, POLICY_PACK_DESCRIPTION), "a demo pack");
  cr_assert_str_eq(policy_engine_pack_string(engine, 0, POLICY_PACK_PROFILE), "strict");
  cr_assert_str_eq(policy_engine_pack_string(engine, 0, POLICY_PACK_ORIGIN), at("demo"));
  cr_assert_null(policy_engine_pack_string(engine, 0, POLICY_PACK_SHA256));
  cr_assert_null(policy_engine_pack_string(engine, 1, POLICY_PACK_NAME));
  cr_assert_eq(policy_engine_rule_count(engine), 1);
  cr_assert_str_eq(policy_engine_rule_pack(engine, 0), "demo");
  /* The manifest's severity replaces the rule's medium. */
  cr_assert_str_eq(policy_engine_rule_string(engine, 0, POLICY_RULE_SEVERITY), "high");
  policy_report *rep = check_text(engine, "Dockerfile", dockerfile);
  char *text = text_of(rep);
  cr_assert_str_eq(text, "Dockerfile:1:6: high [demo-registry] not approved: evil.io/x:1\n");
  free(text);
  policy_report_free(rep);
}

Test(packs, a_folder_and_its_archive_load_alike_in_worker_processes_too) {
  demo_pack("demo");
  char *sha = NULL, *again = NULL;
  policy_engine *builder, *workers;
  cr_assert_eq(policy_engine_new(&builder), POLICY_OK);
  cr_assert_eq(policy_pack_build(&sha, builder, at("demo"), at("demo.tar.gz")), POLICY_OK, "%s",
               policy_engine_errmsg(builder));
  cr_assert_eq(strlen(sha), 64);
  /* Reproducible: the same files give the same bytes. */
  cr_assert_eq(policy_pack_build(&again, engine, at("demo"), at("again.tar.gz")), POLICY_OK);
  cr_assert_str_eq(sha, again);
  policy_engine_free(builder);
  /* Workers (the default isolation) load the archive's modules too. */
  cr_assert_eq(policy_engine_new(&workers), POLICY_OK);
  cr_assert_eq(policy_engine_load_pack_path(workers, at("demo.tar.gz"), sha), POLICY_OK, "%s",
               policy_engine_errmsg(workers));
  cr_assert_str_eq(policy_engine_pack_string(workers, 0, POLICY_PACK_SHA256), sha);
  policy_report *a = check_text(workers, "Dockerfile", dockerfile);
  policy_engine *folder;
  cr_assert_eq(policy_engine_new(&folder), POLICY_OK);
  cr_assert_eq(policy_engine_load_pack_path(folder, at("demo"), NULL), POLICY_OK);
  policy_report *b = check_text(folder, "Dockerfile", dockerfile);
  char *ta = text_of(a), *tb = text_of(b);
  cr_assert_str_eq(ta, tb);
  cr_assert(strstr(ta, "high [demo-registry] not approved: evil.io/x:1"));
  free(ta);
  free(tb);
  policy_report_free(a);
  policy_report_free(b);
  policy_engine_free(folder);
  policy_engine_free(workers);
  policy_free(sha);
  policy_free(again);
}

Test(packs, an_archive_with_another_sha256_is_refused) {
  demo_pack("demo");
  char *sha = NULL;
  cr_assert_eq(policy_pack_build(&sha, engine, at("demo"), at("demo.tar.gz")), POLICY_OK);
  policy_engine *e;
  cr_assert_eq(policy_engine_new(&e), POLICY_OK);
  char wrong[65];
  memcpy(wrong, sha, 65);
  wrong[0] = wrong[0] == '0' ? '1' : '0';
  cr_assert_eq(policy_engine_load_pack_path(e, at("demo.tar.gz"), wrong), POLICY_ERR_PARSE);
  cr_assert(strstr(policy_engine_errmsg(e), "its SHA-256 is"), "%s", policy_engine_errmsg(e));
  cr_assert(strstr(policy_engine_errmsg(e), "refused"));
  cr_assert_eq(policy_engine_rule_count(e), 0);
  cr_assert_eq(policy_engine_pack_count(e), 0);
  /* Not 64 hex digits; a SHA-256 for a folder. */
  cr_assert_eq(policy_engine_load_pack_path(e, at("demo.tar.gz"), "abc"), POLICY_ERR_INVALID);
  cr_assert_eq(policy_engine_load_pack_path(e, at("demo"), sha), POLICY_ERR_INVALID);
  /* Upper case is the same hash. */
  for (char *p = sha; *p; p++) *p = (char)toupper((unsigned char)*p);
  cr_assert_eq(policy_engine_load_pack_path(e, at("demo.tar.gz"), sha), POLICY_OK, "%s",
               policy_engine_errmsg(e));
  policy_engine_free(e);
  policy_free(sha);
}

Test(packs, a_plain_folder_keeps_working_and_gets_its_data) {
  /* The bug of issue 16: check did not load a folder's data/. */
  put("plain/needs-data.lua", RULE_HEAD("needs-data", "document")
      "check = function(doc) report(doc, 'limit is ' .. data.limit) end }\n");
  put("plain/data/limits.yaml", "limit: 3\n");
  cr_assert_eq(policy_engine_load_pack_path(engine, at("plain"), NULL), POLICY_OK, "%s",
               policy_engine_errmsg(engine));
  cr_assert_eq(policy_engine_pack_count(engine), 0);
  cr_assert_null(policy_engine_rule_pack(engine, 0));
  policy_report *rep = check_text(engine, "Dockerfile", "FROM alpine\n");
  cr_assert_str_eq(policy_report_get_string(rep, POLICY_LIST_FINDINGS, 0, POLICY_FIELD_MESSAGE),
                   "limit is 3");
  policy_report_free(rep);
  /* A single file too. */
  put("one.lua", RULE_HEAD("one-file", "image") "check = function() end }\n");
  cr_assert_eq(policy_engine_load_pack_path(engine, at("one.lua"), NULL), POLICY_OK);
  cr_assert_eq(policy_engine_rule_count(engine), 2);
}

Test(packs, data_is_a_mapping_when_nothing_was_loaded) {
  /* A rule reading an optional setting gets nil, not "attempt to index a
  ** nil value (global 'data')", in workers and in process alike. */
  put("bare/opt.lua", RULE_HEAD("opt-setting", "document")
      "check = function(doc) report(doc, 'limit ' .. tostring(data.limit)) end }\n");
  for (int isolate = 0; isolate < 2; isolate++) {
    policy_engine *e;
    cr_assert_eq(policy_engine_new(&e), POLICY_OK);
    if (isolate == 0)
      cr_assert_eq(policy_engine_set_isolation(e, POLICY_ISOLATE_NONE), POLICY_OK);
    cr_assert_eq(policy_engine_load_pack_path(e, at("bare"), NULL), POLICY_OK, "%s",
                 policy_engine_errmsg(e));
    policy_report *rep = check_text(e, "Dockerfile", "FROM alpine\n");
    cr_assert_eq(policy_report_count(rep, POLICY_LIST_ERRORS), 0);
    cr_assert_str_eq(policy_report_get_string(rep, POLICY_LIST_FINDINGS, 0, POLICY_FIELD_MESSAGE),
                     "limit nil");
    policy_report_free(rep);
    policy_engine_free(e);
  }
}

Test(packs, pack_data_are_defaults_under_the_callers) {
  demo_pack("demo");
  put("mine.yaml", "demo:\n  registries: [evil.io/]\n");
  /* Before or after the pack, the caller's key wins. */
  cr_assert_eq(policy_engine_load_data(engine, at("mine.yaml")), POLICY_OK);
  cr_assert_eq(policy_engine_load_pack_path(engine, at("demo"), NULL), POLICY_OK);
  policy_report *rep = check_text(engine, "Dockerfile", dockerfile);
  char *text = text_of(rep);
  cr_assert_str_eq(text, "Dockerfile:2:6: high [demo-registry] not approved: registry.example.com/ok:1\n");
  free(text);
  policy_report_free(rep);
}

/* ---- the manifest ------------------------------------------------------ */

static void manifest_fails(const char *yaml, int status, const char *needle) {
  char rel[64];
  static int n;
  snprintf(rel, sizeof rel, "bad%d/pack.yaml", ++n);
  put(rel, yaml);
  rel[strlen(rel) - strlen("/pack.yaml")] = '\0';
  cr_assert_eq(policy_engine_load_pack_path(engine, at(rel), NULL), status, "%s: %s", yaml,
               policy_engine_errmsg(engine));
  cr_assert(strstr(policy_engine_errmsg(engine), needle), "%s: '%s' lacks '%s'", yaml,
            policy_engine_errmsg(engine), needle);
}

Test(packs, manifest_mistakes_are_errors_with_their_place) {
  manifest_fails("name: x\nversion: 1.0.0\ndescription: d\nrequire: libpolicy >= 0.1\n",
                 POLICY_ERR_PARSE, "pack.yaml:4:10: unknown key 'require'");
  manifest_fails("name: x\nversion: 1.0\ndescription: d\n", POLICY_ERR_PARSE,
                 "pack.yaml:2:10: version must be MAJOR.MINOR.PATCH");
  manifest_fails("name: Org_Pack\nversion: 1.0.0\ndescription: d\n", POLICY_ERR_PARSE,
                 "name must be kebab-case");
  manifest_fails("version: 1.0.0\ndescription: d\n", POLICY_ERR_PARSE, "needs a `name`");
  manifest_fails("name: x\nversion: 1.0.0\ndescription: d\nrequires: libpolicy >= 99.0\n",
                 POLICY_ERR_PARSE, "the pack needs libpolicy >= 99.0.0; this is libpolicy");
  manifest_fails("name: x\nversion: 1.0.0\ndescription: d\nrequires: libpolicy 0.1\n",
                 POLICY_ERR_PARSE, "requires must read `libpolicy >= MAJOR.MINOR`");
  manifest_fails("name: x\nversion: 1.0.0\ndescription: d\nseverity: {a: severe}\n",
                 POLICY_ERR_PARSE, "severity of a must be critical");
  manifest_fails("name: x\nversion: 1.0.0\ndescription: d\nprofile: paranoid\n",
                 POLICY_ERR_PARSE, "profile must be default, strict or all");
  manifest_fails("- a list\n", POLICY_ERR_PARSE, "pack.yaml must be a mapping");
  cr_assert_eq(policy_engine_pack_count(engine), 0);
}

Test(packs, a_pack_name_loads_once_and_unknown_severities_are_noted) {
  demo_pack("demo");
  demo_pack("copy");
  put("demo/pack.yaml", "name: demo\nversion: 1.2.0\ndescription: d\nseverity: {no-such-rule: low}\n");
  cr_assert_eq(policy_engine_load_pack_path(engine, at("demo"), NULL), POLICY_OK);
  cr_assert(strstr(policy_engine_warnings(engine),
                   "pack.yaml:4:26: severity names 'no-such-rule', which is not a rule of the pack demo"),
            "%s", policy_engine_warnings(engine));
  cr_assert_eq(policy_engine_load_pack_path(engine, at("copy"), NULL), POLICY_ERR_PARSE);
  cr_assert(strstr(policy_engine_errmsg(engine), "a pack named demo is loaded already"));
  cr_assert_eq(policy_engine_rule_count(engine), 1);
}

/* ---- modules and require ------------------------------------------------ */

/* A rule that tries each way out of require and reports what it got. */
Test(packs, require_reaches_the_packs_own_modules_only) {
  put("other/pack.yaml", "name: other\nversion: 1.0.0\ndescription: d\n");
  put("other/lib/secret.lua", "return { value = 42 }\n");
  put("other/rules/noop.lua", RULE_HEAD("other-noop", "document") "check = function() end }\n");
  put("p/pack.yaml", "name: p\nversion: 1.0.0\ndescription: d\n");
  put("p/lib/mine.lua", "return { value = 7 }\n");
  put("p/rules/escape.lua",
      RULE_HEAD("escape", "document")
      "check = function(doc)\n"
      "  report(doc, 'mine ' .. require('mine').value)\n"
      "  for _, name in ipairs({'../other/lib/secret', '/etc/passwd', 'lib.mine', 'lib/mine',\n"
      "                         'secret', 'os', 'io', 'string', 'debug', 'package', '', 'mine.lua'}) do\n"
      "    local ok, err = pcall(require, name)\n"
      "    report(doc, name .. ': ' .. tostring(ok) .. ' ' .. tostring(err))\n"
      "  end\n"
      "  report(doc, 'globals ' .. type(_G.package) .. type(_G.io) .. type(_G.os) .. type(_G.loadfile))\n"
      "end }\n");
  cr_assert_eq(policy_engine_load_pack_path(engine, at("other"), NULL), POLICY_OK);
  cr_assert_eq(policy_engine_load_pack_path(engine, at("p"), NULL), POLICY_OK, "%s",
               policy_engine_errmsg(engine));
  policy_report *rep = check_text(engine, "Dockerfile", "FROM alpine\n");
  char *text = text_of(rep);
  cr_assert(strstr(text, "mine 7"), "%s", text);
  cr_assert_null(strstr(text, ": true"), "%s", text);
  cr_assert(strstr(text, "secret: false require 'secret': the pack has no lib/secret.lua"), "%s", text);
  cr_assert(strstr(text, "os: false require 'os': the pack has no lib/os.lua"), "%s", text);
  cr_assert(strstr(text, "../other/lib/secret: false require: a pack's rules require the modules "
                         "of its lib/ folder by name"), "%s", text);
  cr_assert(strstr(text, "globals nilnilnilnil"), "%s", text);
  free(text);
  cr_assert_eq(policy_report_count(rep, POLICY_LIST_ERRORS), 0);
  policy_report_free(rep);
}

Test(packs, a_global_defined_nowhere_refuses_the_file_naming_line_and_name) {
  put("g/pack.yaml", "name: g\nversion: 1.0.0\ndescription: d\n");
  /* Defined by another function, by the top level, in the base, or read
  ** through _G (a probe): all fine. */
  put("g/rules/ok.lua", "local limit = 3\nSEEN = false\nlocal function mark() LAST = true end\n"
      RULE_HEAD("g-ok", "document")
      "check = function(doc) mark(); if LAST and not SEEN and _G.nothing == nil then\n"
      "  report(doc, string.format('%d %s', limit, tostring(data ~= nil))) end end }\n");
  put("g/rules/typo.lua", RULE_HEAD("g-typo", "document")
      "check = function(doc)\n  local setting = 1\n  if settng then report(doc, 'x') end\nend }\n");
  cr_assert_eq(policy_engine_load_pack_path(engine, at("g"), NULL), POLICY_ERR_PARSE);
  cr_assert(strstr(policy_engine_errmsg(engine), "g/rules/typo.lua:4: the global 'settng' is "
                   "defined nowhere (it would read nil); did you mean 'setting'?"),
            "%s", policy_engine_errmsg(engine));
  cr_assert_eq(policy_engine_rule_count(engine), 1, "the other rule loads");
  policy_report *rep = check_text(engine, "Dockerfile", "FROM alpine\n");
  cr_assert_str_eq(policy_report_get_string(rep, POLICY_LIST_FINDINGS, 0, POLICY_FIELD_MESSAGE),
                   "3 true");
  policy_report_free(rep);
  /* A module: the pack is refused. */
  put("h/pack.yaml", "name: h\nversion: 1.0.0\ndescription: d\n");
  put("h/lib/m.lua", "local M = {}\nfunction M.up(s)\n  return strng.upper(s)\nend\nreturn M\n");
  put("h/rules/r.lua", RULE_HEAD("h-r", "document") "check = function() end }\n");
  cr_assert_eq(policy_engine_load_pack_path(engine, at("h"), NULL), POLICY_ERR_PARSE);
  cr_assert(strstr(policy_engine_errmsg(engine), "h/lib/m.lua:3: the global 'strng' is defined "
                   "nowhere (it would read nil); did you mean 'string'?"),
            "%s", policy_engine_errmsg(engine));
}

Test(packs, rules_outside_a_pack_have_no_require) {
  put("plain/r.lua", RULE_HEAD("plain-rule", "document")
      "check = function(doc) report(doc, type(require)) end }\n");
  cr_assert_eq(policy_engine_load_pack_path(engine, at("plain"), NULL), POLICY_OK);
  policy_report *rep = check_text(engine, "Dockerfile", "FROM alpine\n");
  cr_assert_str_eq(policy_report_get_string(rep, POLICY_LIST_FINDINGS, 0, POLICY_FIELD_MESSAGE), "nil");
  policy_report_free(rep);
}

Test(packs, modules_are_read_only_and_keep_nothing_between_runs) {
  put("p/pack.yaml", "name: p\nversion: 1.0.0\ndescription: d\n");
  put("p/lib/counter.lua",
      "local n = 0\nlocal seen = {}\n"
      "return { bump = function() n = n + 1; return n end,\n"
      "         remember = function(k) seen[k] = true end,\n"
      "         fresh = function() return {} end }\n");
  put("p/rules/count.lua",
      RULE_HEAD("count", "document")
      "check = function(doc)\n"
      "  local c = require 'counter'\n"
      "  c.bump()\n"
      "  report(doc, 'count ' .. c.bump())\n"
      "  report(doc, 'remember ' .. tostring(pcall(c.remember, 'x')))\n"
      "  report(doc, 'replace ' .. tostring(pcall(function() c.bump = nil end)))\n"
      "  local t = c.fresh(); t.x = 1\n"
      "  report(doc, 'fresh ' .. t.x)\n"
      "end }\n");
  put("p/rules/other.lua", RULE_HEAD("other", "document")
      "check = function(doc) report(doc, 'other ' .. require('counter').bump()) end }\n");
  cr_assert_eq(policy_engine_load_pack_path(engine, at("p"), NULL), POLICY_OK, "%s",
               policy_engine_errmsg(engine));
  for (int round = 0; round < 2; round++) {
    policy_report *rep = check_text(engine, round ? "b/Dockerfile" : "a/Dockerfile", "FROM alpine\n");
    char *text = text_of(rep);
    /* Every run starts from the module as it loaded: 2, never 4. */
    cr_assert(strstr(text, "count 2\n"), "%s", text);
    cr_assert(strstr(text, "other 1\n"), "%s", text);
    cr_assert(strstr(text, "remember false"), "%s", text);
    cr_assert(strstr(text, "replace false"), "%s", text);
    cr_assert(strstr(text, "fresh 1"), "%s", text);
    free(text);
    policy_report_free(rep);
  }
}

static void module_fails(const char *module, int status, const char *needle) {
  static int n;
  char root[32], rel[64];
  snprintf(root, sizeof root, "m%d", ++n);
  snprintf(rel, sizeof rel, "%s/pack.yaml", root);
  put(rel, "name: modules\nversion: 1.0.0\ndescription: d\n");
  snprintf(rel, sizeof rel, "%s/lib/a.lua", root);
  put(rel, module);
  snprintf(rel, sizeof rel, "%s/lib/b.lua", root);
  put(rel, "return require 'a'\n");
  snprintf(rel, sizeof rel, "%s/rules/r.lua", root);
  put(rel, RULE_HEAD("uses-a", "image") "check = function() end }\n");
  size_t rules = policy_engine_rule_count(engine);
  cr_assert_eq(policy_engine_load_pack_path(engine, at(root), NULL), status, "%s",
               policy_engine_errmsg(engine));
  cr_assert(strstr(policy_engine_errmsg(engine), needle), "'%s' lacks '%s'",
            policy_engine_errmsg(engine), needle);
  /* A refused module keeps the whole pack out. */
  cr_assert_eq(policy_engine_rule_count(engine), rules);
  cr_assert_eq(policy_engine_pack_count(engine), 0);
}

Test(packs, a_bad_module_refuses_the_pack_naming_it) {
  module_fails("return {\n  x = = 1 }\n", POLICY_ERR_PARSE, "/lib/a.lua:2:");
  module_fails("return require 'b'\n", POLICY_ERR_PARSE, "require 'a': a require cycle");
  module_fails("local x = 1\n", POLICY_ERR_PARSE, "/lib/a.lua: a module must return its value");
  module_fails("error('boom')\n", POLICY_ERR_PARSE, "/lib/a.lua:1: boom");
  module_fails("while true do end\n", POLICY_ERR_LIMIT, "went over a limit");
  put("badname/pack.yaml", "name: badname\nversion: 1.0.0\ndescription: d\n");
  put("badname/lib/a-b.lua", "return {}\n");
  cr_assert_eq(policy_engine_load_pack_path(engine, at("badname"), NULL), POLICY_ERR_PARSE);
  cr_assert(strstr(policy_engine_errmsg(engine), "a module's file name must be NAME.lua"));
}

Test(packs, a_refused_rule_file_keeps_the_others) {
  demo_pack("demo");
  put("demo/rules/broken.lua", "return {\n");
  cr_assert_eq(policy_engine_load_pack_path(engine, at("demo"), NULL), POLICY_ERR_PARSE);
  cr_assert(strstr(policy_engine_errmsg(engine), "rules/broken.lua"), "%s", policy_engine_errmsg(engine));
  cr_assert_eq(policy_engine_rule_count(engine), 1);
  cr_assert_eq(policy_engine_pack_count(engine), 1);
}

/* ---- strict model access, in a pack ----------------------------------- */

Test(packs, a_misspelt_field_is_a_rule_error_with_a_suggestion) {
  put("typo/pack.yaml", "name: typo\nversion: 1.0.0\ndescription: d\n");
  put("typo/rules/typo.lua", RULE_HEAD("typo", "image")
      "check = function(image)\n"
      "  if image.usr == 'root' then report(image, 'root') end\n"
      "end }\n");
  put("typo/rules/unset.lua", RULE_HEAD("unset", "image")
      "check = function(image)\n"
      "  if image.user == nil then report(image, 'user is nil') end\n"
      "end }\n");
  cr_assert_eq(policy_engine_load_pack_path(engine, at("typo"), NULL), POLICY_OK);
  policy_report *rep = check_text(engine, "Dockerfile", "FROM alpine\n");
  cr_assert_eq(policy_report_count(rep, POLICY_LIST_ERRORS), 1);
  const char *msg = policy_report_get_string(rep, POLICY_LIST_ERRORS, 0, POLICY_FIELD_MESSAGE);
  cr_assert(strstr(msg, "typo/rules/typo.lua:3: image has no field 'usr'; did you mean 'user'?"),
            "%s", msg);
  cr_assert_str_eq(policy_report_get_string(rep, POLICY_LIST_ERRORS, 0, POLICY_FIELD_RULE), "typo");
  /* A field that exists but is unset is nil, not an error. */
  cr_assert_eq(policy_report_count(rep, POLICY_LIST_FINDINGS), 1);
  cr_assert_str_eq(policy_report_get_string(rep, POLICY_LIST_FINDINGS, 0, POLICY_FIELD_MESSAGE),
                   "user is nil");
  policy_report_free(rep);
}

/* ---- coverage ------------------------------------------------------------ */

/* Counted by hand: the lines of check that hold code are 5, 6, 7, 8, 10
** and 11 (13, the function's end, runs only when it falls off its end;
** 9 and 12 hold no instruction; 1-4 and 14 are the file's top level). */
static const char coverage_rule[] =
    /*  1 */ "return {\n"
    /*  2 */ "  id = 'cov', title = 't', severity = 'low', applies_to = 'image',\n"
    /*  3 */ "  description = 'd', remediation = 'r',\n"
    /*  4 */ "  check = function(image)\n"
    /*  5 */ "    local user = image.user\n"
    /*  6 */ "    if user == 'root' then\n"
    /*  7 */ "      report(image, 'user', 'runs as root')\n"
    /*  8 */ "      return\n"
    /*  9 */ "    end\n"
    /* 10 */ "    if user == nil then\n"
    /* 11 */ "      report(image, 'no user')\n"
    /* 12 */ "    end\n"
    /* 13 */ "  end,\n"
    /* 14 */ "}\n";

static void expect_coverage(size_t want_run, const char *want_missed) {
  size_t run, total;
  const char *missed;
  cr_assert_eq(policy_engine_rule_coverage(&run, &total, &missed, engine, 0), POLICY_OK, "%s",
               policy_engine_errmsg(engine));
  cr_assert_eq(total, 6);
  cr_assert_eq(run, want_run, "%zu lines ran, not %zu (missed %s)", run, want_run, missed);
  cr_assert_str_eq(missed, want_missed);
}

Test(packs, coverage_counts_the_lines_a_hand_count_gives) {
  cr_assert_eq(policy_engine_load_rule_buffer(engine, "cov.lua", coverage_rule,
                                              sizeof coverage_rule - 1), POLICY_OK);
  size_t run, total;
  cr_assert_eq(policy_engine_rule_coverage(&run, &total, NULL, engine, 0), POLICY_ERR_INVALID);
  cr_assert_eq(policy_engine_set_coverage(engine, 1), POLICY_OK);
  expect_coverage(0, "5-8, 10-11");
  policy_report_free(check_text(engine, "Dockerfile", "FROM alpine\nUSER 1000\n"));
  expect_coverage(3, "7-8, 11");            /* 5, 6, 10 */
  policy_report_free(check_text(engine, "Dockerfile", "FROM alpine\n"));
  expect_coverage(4, "7-8");                /* and 11 */
  policy_report_free(check_text(engine, "Dockerfile", "FROM alpine\nUSER root\n"));
  expect_coverage(6, "");                   /* and 7, 8 */
  /* Off forgets; on again starts from nothing. */
  cr_assert_eq(policy_engine_set_coverage(engine, 0), POLICY_OK);
  cr_assert_eq(policy_engine_rule_coverage(&run, &total, NULL, engine, 0), POLICY_ERR_INVALID);
  cr_assert_eq(policy_engine_set_coverage(engine, 1), POLICY_OK);
  expect_coverage(0, "5-8, 10-11");
}

Test(packs, coverage_needs_the_rules_in_process) {
  policy_engine *e;
  cr_assert_eq(policy_engine_new(&e), POLICY_OK);
  if (policy_engine_isolation(e) != POLICY_ISOLATE_NONE) {
    cr_assert_eq(policy_engine_set_coverage(e, 1), POLICY_ERR_UNSUPPORTED);
    cr_assert(strstr(policy_engine_errmsg(e), "POLICY_ISOLATE_NONE"));
  }
  policy_engine_free(e);
}

Test(packs, coverage_follows_the_rule_into_a_new_sandbox) {
  cr_assert_eq(policy_engine_load_rule_buffer(engine, "cov.lua", coverage_rule,
                                              sizeof coverage_rule - 1), POLICY_OK);
  const char spin[] = RULE_HEAD("spin", "image") "check = function() while true do end end }\n";
  cr_assert_eq(policy_engine_load_rule_buffer(engine, "spin.lua", spin, sizeof spin - 1), POLICY_OK);
  cr_assert_eq(policy_engine_set_limit(engine, POLICY_LIMIT_INSTRUCTIONS, 100000), POLICY_OK);
  cr_assert_eq(policy_engine_set_coverage(engine, 1), POLICY_OK);
  policy_report_free(check_text(engine, "Dockerfile", "FROM alpine\nUSER 1000\n"));
  policy_report_free(check_text(engine, "Dockerfile", "FROM alpine\n"));
  expect_coverage(4, "7-8");
}

/* ---- eval ---------------------------------------------------------------- */

static char *eval(const char *text, const char *expr, uint32_t flags, int want) {
  policy_document *doc;
  cr_assert_eq(policy_parse_buffer(&doc, engine, "Dockerfile", text, strlen(text),
                                   POLICY_KIND_AUTO), POLICY_OK);
  char *out = NULL;
  int rc = policy_engine_eval(&out, NULL, engine, doc, NULL, expr, flags);
  cr_assert_eq(rc, want, "%s: %s", expr, policy_engine_errmsg(engine));
  policy_document_free(doc);
  char *copy = out ? strdup(out) : NULL;
  policy_free(out);
  return copy;
}

#define EVAL_IS(text, expr, want)                                                 \
  do {                                                                            \
    char *got_ = eval(text, expr, POLICY_JSON_NO_POSITIONS, POLICY_OK);           \
    cr_assert_str_eq(got_, want, "%s", expr);                                     \
    free(got_);                                                                   \
  } while (0)

Test(packs, eval_prints_what_rules_see_as_json) {
  const char *df = "FROM alpine:3.20 AS base\nUSER 1000\nLABEL b=2 a=1\n";
  EVAL_IS(df, "image.user", "\"1000\"\n");
  EVAL_IS(df, "image.labels", "{\"b\":\"2\",\"a\":\"1\"}\n");
  EVAL_IS(df, "#document.images, container", "[1,null]\n");
  EVAL_IS(df, "{z = 1, a = {true, 2.5}, m = image.from.tag}", "{\"a\":[true,2.5],\"m\":\"3.20\",\"z\":1}\n");
  EVAL_IS(df, "local t = {} t.self = t return t", "{\"self\":\"(cycle)\"}\n");
  EVAL_IS(df, "print, text", "[\"function\",\"userdata\"]\n");
  EVAL_IS(df, "model_type(image), 0/0", "[\"image\",null]\n");
  char *pretty = eval(df, "{1, {a = 1}}", POLICY_JSON_PRETTY, POLICY_OK);
  cr_assert_str_eq(pretty, "[\n  1,\n  {\n    \"a\": 1\n  }\n]\n");
  free(pretty);
  free(eval(df, "image.usr", 0, POLICY_ERR_PARSE));
  cr_assert(strstr(policy_engine_errmsg(engine), "image has no field 'usr'; did you mean 'user'?"));
  free(eval(df, "1 +", 0, POLICY_ERR_PARSE));
  cr_assert(strstr(policy_engine_errmsg(engine), "expression:1:"));
  free(eval(df, "(function() while true do end end)()", 0, POLICY_ERR_LIMIT));
  cr_assert(strstr(policy_engine_errmsg(engine), "POLICY_LIMIT_INSTRUCTIONS"));
  free(eval(df, "image.user = 'root'", 0, POLICY_ERR_PARSE));
  /* The engine is still usable. */
  EVAL_IS(df, "image.user", "\"1000\"\n");
}

Test(packs, eval_reaches_a_packs_modules_by_its_name) {
  demo_pack("demo");
  cr_assert_eq(policy_engine_load_pack_path(engine, at("demo"), NULL), POLICY_OK);
  policy_document *doc;
  cr_assert_eq(policy_parse_buffer(&doc, engine, "Dockerfile", dockerfile, strlen(dockerfile),
                                   POLICY_KIND_AUTO), POLICY_OK);
  char *out;
  cr_assert_eq(policy_engine_eval(&out, NULL, engine, doc, "demo",
                                  "require('util').approved(image.from.raw), data.demo.registries", 0),
               POLICY_OK, "%s", policy_engine_errmsg(engine));
  cr_assert_str_eq(out, "[false,[\"registry.example.com/\"]]\n");
  policy_free(out);
  cr_assert_eq(policy_engine_eval(&out, NULL, engine, doc, NULL, "require", 0), POLICY_OK);
  cr_assert_str_eq(out, "null\n");
  policy_free(out);
  cr_assert_eq(policy_engine_eval(&out, NULL, engine, doc, "nope", "1", 0), POLICY_ERR_INVALID);
  policy_document_free(doc);
}

/* ---- subjects ------------------------------------------------------------ */

Test(packs, subjects_count_what_each_rule_ran_on) {
  const char r1[] = RULE_HEAD("per-container", "container") "check = function() end }\n";
  const char r2[] = RULE_HEAD("per-image", "image") "check = function() end }\n";
  cr_assert_eq(policy_engine_load_rule_buffer(engine, "a.lua", r1, sizeof r1 - 1), POLICY_OK);
  cr_assert_eq(policy_engine_load_rule_buffer(engine, "b.lua", r2, sizeof r2 - 1), POLICY_OK);
  uint64_t n;
  cr_assert_eq(policy_engine_rule_subjects(&n, engine, 0), POLICY_OK);
  cr_assert_eq(n, 0);
  policy_report_free(check_text(engine, "Dockerfile", "FROM a\nFROM b\n"));
  cr_assert_eq(policy_engine_rule_subjects(&n, engine, 0), POLICY_OK);
  cr_assert_eq(n, 0, "a container rule ran on a Dockerfile");
  cr_assert_eq(policy_engine_rule_subjects(&n, engine, 1), POLICY_OK);
  cr_assert_eq(n, 2);
  cr_assert_eq(policy_engine_rule_subjects(&n, engine, 2), POLICY_ERR_INVALID);
  cr_assert_eq(policy_engine_rule_ignored(engine, 0), 0);
  cr_assert_eq(policy_engine_ignore(engine, "per-image"), POLICY_OK);
  cr_assert_eq(policy_engine_rule_ignored(engine, 1), 1);
  cr_assert_eq(policy_engine_rule_ignored(engine, 2), -1);
  policy_report_free(check_text(engine, "Dockerfile", "FROM a\n"));
  cr_assert_eq(policy_engine_rule_subjects(&n, engine, 1), POLICY_OK);
  cr_assert_eq(n, 2, "an ignored rule counted a subject");
}

/* ---- hostile archives ---------------------------------------------------- */

typedef struct entry {
  const char *path;
  int type;          /* AE_IFREG, AE_IFDIR, AE_IFLNK, AE_IFCHR, or 0: a hard link */
  const char *data;  /* or the link target */
} entry;

/* Writes dir/name as a .tar.gz of the entries, as a hostile tool would. */
static const char *archive_of(const char *name, const entry *entries, size_t n) {
  const char *path = at(name);
  struct archive *a = archive_write_new();
  archive_write_add_filter_gzip(a);
  archive_write_set_format_pax_restricted(a);
  cr_assert_eq(archive_write_open_filename(a, path), ARCHIVE_OK);
  for (size_t i = 0; i < n; i++) {
    struct archive_entry *ent = archive_entry_new();
    archive_entry_set_pathname(ent, entries[i].path);
    archive_entry_set_perm(ent, 0644);
    if (entries[i].type == 0) {
      archive_entry_set_filetype(ent, AE_IFREG);
      archive_entry_set_hardlink(ent, entries[i].data);
    } else {
      archive_entry_set_filetype(ent, (unsigned)entries[i].type);
    }
    if (entries[i].type == AE_IFLNK) archive_entry_set_symlink(ent, entries[i].data);
    size_t len = entries[i].type == AE_IFREG && entries[i].data ? strlen(entries[i].data) : 0;
    archive_entry_set_size(ent, (la_int64_t)len);
    cr_assert_eq(archive_write_header(a, ent), ARCHIVE_OK, "%s", archive_error_string(a));
    if (len) archive_write_data(a, entries[i].data, len);
    archive_entry_free(ent);
  }
  archive_write_close(a);
  archive_write_free(a);
  return path;
}

#define MANIFEST {"p/pack.yaml", AE_IFREG, "name: hostile\nversion: 1.0.0\ndescription: d\n"}
#define A_RULE {"p/rules/r.lua", AE_IFREG, RULE_HEAD("hostile-rule", "image") "check = function() end }\n"}

static void refused(const char *name, const entry *entries, size_t n, int status, const char *needle) {
  const char *path = archive_of(name, entries, n);
  cr_assert_eq(policy_engine_load_pack_path(engine, path, NULL), status, "%s: %s", name,
               policy_engine_errmsg(engine));
  cr_assert(strstr(policy_engine_errmsg(engine), needle), "%s: '%s' lacks '%s'", name,
            policy_engine_errmsg(engine), needle);
  cr_assert_eq(policy_engine_rule_count(engine), 0, "%s: a rule got in", name);
}

#define REFUSED(name, status, needle, ...)                                                 \
  do {                                                                                     \
    const entry e_[] = {__VA_ARGS__};                                                      \
    refused(name, e_, sizeof e_ / sizeof e_[0], status, needle);                           \
  } while (0)

Test(packs, hostile_archives_are_refused_whole) {
  REFUSED("traversal.tar.gz", POLICY_ERR_PARSE, "'..' part", MANIFEST, A_RULE,
          {"p/../../escape.lua", AE_IFREG, "x"});
  REFUSED("absolute.tar.gz", POLICY_ERR_PARSE, "absolute", MANIFEST, A_RULE,
          {"/etc/cron.d/x", AE_IFREG, "x"});
  REFUSED("symlink.tar.gz", POLICY_ERR_PARSE, "is a symbolic link", MANIFEST,
          {"p/rules/r.lua", AE_IFLNK, "/etc/passwd"});
  REFUSED("hardlink.tar.gz", POLICY_ERR_PARSE, "is a hard link", MANIFEST, A_RULE,
          {"p/rules/again.lua", 0, "p/rules/r.lua"});
  REFUSED("device.tar.gz", POLICY_ERR_PARSE, "is a device", MANIFEST, {"p/dev", AE_IFCHR, NULL});
  REFUSED("dot.tar.gz", POLICY_ERR_PARSE, "'.' or '..' part", MANIFEST,
          {"p/rules/./r.lua", AE_IFREG, "x"});
  REFUSED("twice.tar.gz", POLICY_ERR_PARSE, "is in the pack twice", MANIFEST, A_RULE, A_RULE);
  REFUSED("nomanifest.tar.gz", POLICY_ERR_PARSE, "no pack.yaml", A_RULE);
  REFUSED("deep.tar.gz", POLICY_ERR_LIMIT, "deeper than", MANIFEST,
          {"p/a/b/c/d/e/f/g/h/i/j/k.lua", AE_IFREG, "x"});
  /* A file over the bound: refused while reading, whatever its header. */
  char *big = malloc((16u << 20) + 2);
  memset(big, 'a', (16u << 20) + 1);
  big[(16u << 20) + 1] = '\0';
  REFUSED("big.tar.gz", POLICY_ERR_LIMIT, "larger than", MANIFEST, {"p/data/big.yaml", AE_IFREG, big});
  free(big);
  /* A bomb: five files under the per-file bound, 75 MiB from ~75 KiB. */
  big = malloc((15u << 20) + 1);
  memset(big, 'a', 15u << 20);
  big[15u << 20] = '\0';
  REFUSED("bomb.tar.gz", POLICY_ERR_LIMIT, "larger than 67108864 bytes", MANIFEST,
          {"p/data/1.yaml", AE_IFREG, big}, {"p/data/2.yaml", AE_IFREG, big},
          {"p/data/3.yaml", AE_IFREG, big}, {"p/data/4.yaml", AE_IFREG, big},
          {"p/data/5.yaml", AE_IFREG, big});
  struct stat st;
  cr_assert_eq(stat(at("bomb.tar.gz"), &st), 0);
  cr_assert_lt(st.st_size, 1 << 20, "not a bomb: %lld bytes", (long long)st.st_size);
  free(big);
  /* Not an archive at all. */
  put("text.tar.gz", "name: not a tar\n");
  cr_assert_eq(policy_engine_load_pack_path(engine, at("text.tar.gz"), NULL), POLICY_ERR_PARSE);
  cr_assert(strstr(policy_engine_errmsg(engine), "text.tar.gz"));
  /* A well-formed one with a top folder and ./ names loads. */
  const entry good[] = {{"./p/", AE_IFDIR, NULL}, MANIFEST, A_RULE};
  cr_assert_eq(policy_engine_load_pack_path(engine, archive_of("good.tar.gz", good, 3), NULL),
               POLICY_OK, "%s", policy_engine_errmsg(engine));
  cr_assert_eq(policy_engine_rule_count(engine), 1);
  cr_assert_str_eq(policy_engine_rule_string(engine, 0, POLICY_RULE_ORIGIN),
                   at("good.tar.gz:rules/r.lua"));
}

Test(packs, too_many_entries_are_refused) {
  size_t n = 4100;
  entry *many = calloc(n, sizeof *many);
  char (*names)[32] = calloc(n, sizeof *names);
  many[0] = (entry)MANIFEST;
  for (size_t i = 1; i < n; i++) {
    snprintf(names[i], sizeof names[i], "p/tests/f%zu", i);
    many[i] = (entry){names[i], AE_IFREG, "x"};
  }
  refused("many.tar.gz", many, n, POLICY_ERR_LIMIT, "more than 4096");
  free(many);
  free(names);
}

/* ---- container labels ---------------------------------------------------- */

static char *labels_of(const char *name, const char *text, int kind, const char *expr) {
  policy_document *doc;
  cr_assert_eq(policy_parse_buffer(&doc, engine, name, text, strlen(text), kind), POLICY_OK);
  char *out;
  cr_assert_eq(policy_engine_eval(&out, NULL, engine, doc, NULL, expr, 0), POLICY_OK, "%s",
               policy_engine_errmsg(engine));
  policy_document_free(doc);
  char *copy = strdup(out);
  policy_free(out);
  return copy;
}

Test(packs, containers_have_labels_from_every_source) {
  char *got = labels_of("compose.yaml",
                        "services:\n  a:\n    image: x\n    labels:\n      owner: team\n      n: 1\n"
                        "  b:\n    image: x\n    labels: [\"owner=b\", bare]\n  c:\n    image: x\n",
                        POLICY_KIND_COMPOSE,
                        "document.containers[1].labels, document.containers[2].labels, "
                        "document.containers[3].labels");
  cr_assert_str_eq(got, "[{\"owner\":\"team\",\"n\":\"1\"},{\"owner\":\"b\",\"bare\":\"\"},{}]\n");
  free(got);
  got = labels_of("inspect.json",
                  "[{\"Id\":\"abc\",\"Name\":\"/x\",\"Config\":{\"Image\":\"x\",\"Labels\":"
                  "{\"com.example.owner\":\"me\"}},\"HostConfig\":{}}]",
                  POLICY_KIND_INSPECT, "container.labels");
  cr_assert_str_eq(got, "{\"com.example.owner\":\"me\"}\n");
  free(got);
  got = labels_of("create.json", "{\"Image\":\"x\",\"Labels\":{\"owner\":\"api\"},\"HostConfig\":{}}",
                  POLICY_KIND_REQUEST, "container.labels");
  cr_assert_str_eq(got, "{\"owner\":\"api\"}\n");
  free(got);
}
