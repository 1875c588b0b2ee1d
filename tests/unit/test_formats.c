/*
** test_formats.c: what the CI work added to the public API: escaped
** text, fingerprints, the report's warnings and checked files through a
** merge, the files a Compose document reads, rule lookup and the
** configuration's excludes and ignores.
*/
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "policy/policy.h"

static char dir[] = "/tmp/policy-formats-XXXXXX";

static void setup(void) { cr_assert_not_null(mkdtemp(dir)); }

static void teardown(void) {
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  cr_assert_eq(system(cmd), 0);
}

TestSuite(formats, .init = setup, .fini = teardown);

static const char *path_of(const char *name) {
  static char path[4][256];
  static int next;
  char *p = path[next++ % 4];
  snprintf(p, sizeof path[0], "%s/%s", dir, name);
  return p;
}

static void write_file(const char *name, const char *text) {
  FILE *f = fopen(path_of(name), "w");
  cr_assert_not_null(f);
  fputs(text, f);
  fclose(f);
}

static char *escaped(const char *s, uint32_t flags) {
  char *out;
  cr_assert_eq(policy_escape_text(&out, NULL, s, flags), POLICY_OK);
  return out;
}

Test(formats, escape_text_classes) {
  struct { const char *in, *out; } cases[] = {
      {"plain é ü 中", "plain é ü 中"},
      {"a\nb\tc\rd", "a\\x0Ab\\x09c\\x0Dd"},
      {"\033[2J", "\\x1B[2J"},
      {"del\177", "del\\x7F"},
      {"c1 \xc2\x85 \xc2\x9b", "c1 \\u0085 \\u009B"},
      {"bidi \xe2\x80\xae \xe2\x81\xa6 \xe2\x80\x8f \xd8\x9c", "bidi \\u202E \\u2066 \\u200F \\u061C"},
      {"sep \xe2\x80\xa8", "sep \\u2028"},
      {"bad \xff \xc3", "bad \\xFF \\xC3"},
      {"", ""},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char *out = escaped(cases[i].in, 0);
    cr_assert_str_eq(out, cases[i].out, "case %zu", i);
    policy_free(out);
  }
  char *kept = escaped("one\ntwo\x1b", POLICY_ESCAPE_KEEP_NEWLINES);
  cr_assert_str_eq(kept, "one\ntwo\\x1B");
  policy_free(kept);
  cr_assert_eq(policy_escape_text(NULL, NULL, "x", 0), POLICY_ERR_INVALID);
}

static const char *first_fingerprint(policy_engine *e, const char *path, const char *text) {
  static char fp[4][17];
  static int next;
  policy_document *doc;
  policy_report *r;
  cr_assert_eq(policy_parse_buffer(&doc, e, path, text, strlen(text), POLICY_KIND_DOCKERFILE), POLICY_OK);
  cr_assert_eq(policy_report_new(&r), POLICY_OK);
  cr_assert_eq(policy_check(r, e, doc), POLICY_OK);
  size_t n = policy_report_count(r, POLICY_LIST_FINDINGS);
  cr_assert_gt(n, 0);
  const char *f = NULL;
  for (size_t i = 0; i < n; i++)
    if (!strcmp(policy_report_get_string(r, POLICY_LIST_FINDINGS, i, POLICY_FIELD_RULE), "base-image-latest"))
      f = policy_report_get_string(r, POLICY_LIST_FINDINGS, i, POLICY_FIELD_FINGERPRINT);
  cr_assert_not_null(f);
  cr_assert_eq(strlen(f), 16);
  char *slot = fp[next++ % 4];
  memcpy(slot, f, 17);
  policy_report_free(r);
  policy_document_free(doc);
  return slot;
}

Test(formats, fingerprints_ignore_spelling_and_lines) {
  policy_engine *e;
  cr_assert_eq(policy_engine_new(&e), POLICY_OK);
  cr_assert_eq(policy_engine_load_builtin(e), POLICY_OK);
  const char *text = "FROM ubuntu:latest\nRUN echo hi\n";
  char a[17];
  memcpy(a, first_fingerprint(e, "web/Dockerfile", text), sizeof a);
  cr_assert_str_eq(first_fingerprint(e, "./web//Dockerfile", text), a);
  cr_assert_str_eq(first_fingerprint(e, "web/./Dockerfile", text), a);
  cr_assert_str_eq(first_fingerprint(e, "web/Dockerfile", "# moved\n\nFROM ubuntu:latest\nRUN echo hi\n"), a);
  cr_assert_str_neq(first_fingerprint(e, "api/Dockerfile", text), a);
  cr_assert_str_neq(first_fingerprint(e, "web/Dockerfile", "FROM debian:latest\n"), a);
  policy_engine_free(e);
}

Test(formats, merge_keeps_warnings_and_files) {
  write_file("web.Dockerfile", "FROM alpine:3.20\n");
  write_file("compose.yaml", "services:\n  web:\n    image: app:${UNSET_X}\n"
                             "    build: {context: ., dockerfile: web.Dockerfile}\n");
  policy_engine *e;
  policy_document *doc;
  policy_report *r, *all;
  cr_assert_eq(policy_engine_new(&e), POLICY_OK);
  cr_assert_eq(policy_parse_file(&doc, e, path_of("compose.yaml"), POLICY_KIND_AUTO), POLICY_OK);
  cr_assert_eq(policy_document_file_count(doc), 1);
  cr_assert_str_eq(policy_document_file(doc, 0), path_of("web.Dockerfile"));
  cr_assert_null(policy_document_file(doc, 1));
  cr_assert_eq(policy_report_new(&r), POLICY_OK);
  cr_assert_eq(policy_report_new(&all), POLICY_OK);
  cr_assert_eq(policy_check(r, e, doc), POLICY_OK);
  cr_assert_eq(policy_report_count(r, POLICY_LIST_WARNINGS), 1);
  cr_assert_str_eq(policy_report_get_string(r, POLICY_LIST_WARNINGS, 0, POLICY_FIELD_KIND), "input");
  cr_assert_eq(policy_report_merge(all, r), POLICY_OK);
  cr_assert_eq(policy_report_merge(all, r), POLICY_OK); /* duplicates drop */
  cr_assert_eq(policy_report_count(all, POLICY_LIST_WARNINGS), 1);
  char *junit;
  cr_assert_eq(policy_report_write(&junit, NULL, all, NULL, POLICY_FORMAT_JUNIT, 0), POLICY_OK);
  cr_assert_not_null(strstr(junit, "web.Dockerfile\" tests=")); /* a suite for the built file */
  policy_free(junit);
  char *out = (char *)1;
  cr_assert_eq(policy_report_write(&out, NULL, all, NULL, 99, 0), POLICY_ERR_INVALID);
  cr_assert_eq(out, (char *)1);
  cr_assert_eq(policy_format_from_name("sarif"), POLICY_FORMAT_SARIF);
  cr_assert_eq(policy_format_from_name("xml"), 0);
  policy_report_free(r);
  policy_report_free(all);
  policy_document_free(doc);
  policy_engine_free(e);
}

Test(formats, rule_lookup_and_configuration_names) {
  write_file("cfg.yaml", "exclude: [vendor, \"deploy/*\"]\n"
                         "ignore:\n  - id: DL3002\n    reason: r\n  - id: no-such-rule\n    reason: r\n");
  policy_engine *e;
  cr_assert_eq(policy_engine_new(&e), POLICY_OK);
  cr_assert_eq(policy_engine_load_config(e, path_of("cfg.yaml")), POLICY_OK);
  cr_assert_str_eq(policy_engine_config_exclude(e, 0), "vendor");
  cr_assert_str_eq(policy_engine_config_exclude(e, 1), "deploy/*");
  cr_assert_null(policy_engine_config_exclude(e, 2));
  cr_assert_null(policy_engine_config_pack(e, 0));
  cr_assert_eq(policy_engine_load_config_buffer(e, "p.yaml", "packs: [hadolint, builtin, hadolint]\n", 37),
               POLICY_OK);
  cr_assert_str_eq(policy_engine_config_pack(e, 0), "hadolint");
  cr_assert_str_eq(policy_engine_config_pack(e, 1), "builtin");
  cr_assert_null(policy_engine_config_pack(e, 2), "a name written twice is kept once");
  cr_assert_eq(policy_engine_load_config_buffer(e, "q.yaml", "packs: [hadolnt]\n", 17), POLICY_ERR_PARSE);
  cr_assert_not_null(strstr(policy_engine_errmsg(e), "q.yaml:1:9: packs: 'hadolnt' is not a built-in pack"));
  cr_assert_eq(policy_engine_load_builtin(e), POLICY_OK);
  size_t i;
  cr_assert_eq(policy_engine_rule_find(&i, e, "dl3002"), POLICY_OK);
  cr_assert_str_eq(policy_engine_rule_string(e, i, POLICY_RULE_ID), "image-runs-as-root");
  cr_assert_eq(policy_engine_rule_find(&i, e, "nope"), POLICY_ERR_INVALID);
  cr_assert_eq(policy_engine_check_config(e), 1);
  cr_assert_not_null(strstr(policy_engine_warnings(e), "cfg.yaml:5:9: the ignore of 'no-such-rule'"));
  policy_engine_free(e);
}
