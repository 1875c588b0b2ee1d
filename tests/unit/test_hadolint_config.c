/*
** test_hadolint_config.c: a hadolint configuration applied to an engine
** (api/hadolint_config.c, api/severity.c) and .policy.yaml's severity and
** fail_on none: overrides reach findings and the rules' metadata, the
** most severe override list wins over several configurations, an
** override runs a rule of a larger profile, no-fail and
** failure-threshold, disable-ignore-pragma for documents parsed after.
*/
#include <criterion/criterion.h>
#include <string.h>

#include <policy/policy.h>

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

TestSuite(hadolint_config, .init = setup, .fini = teardown);

static void config(const char *name, const char *text) {
  cr_assert_eq(policy_engine_load_config_buffer(engine, name, text, strlen(text)), POLICY_OK,
               "%s", policy_engine_errmsg(engine));
}

static void check(const char *text) {
  policy_document *doc;
  cr_assert_eq(policy_parse_buffer(&doc, engine, "Dockerfile", text, strlen(text),
                                   POLICY_KIND_DOCKERFILE), POLICY_OK);
  policy_report_free(report);
  cr_assert_eq(policy_report_new(&report), POLICY_OK);
  cr_assert_eq(policy_check(report, engine, doc), POLICY_OK, "%s", policy_engine_errmsg(engine));
  policy_document_free(doc);
}

/* The severity of rule's finding in `list`, or NULL when it has none. */
static const char *severity_of(int list, const char *rule) {
  for (size_t i = 0; i < policy_report_count(report, list); i++)
    if (!strcmp(policy_report_get_string(report, list, i, POLICY_FIELD_RULE), rule))
      return policy_report_get_string(report, list, i, POLICY_FIELD_SEVERITY);
  return NULL;
}

static const char *rule_severity(const char *id) {
  size_t index;
  cr_assert_eq(policy_engine_rule_find(&index, engine, id), POLICY_OK);
  return policy_engine_rule_string(engine, index, POLICY_RULE_SEVERITY);
}

static const char *const apt = "FROM debian:12\nRUN apt-get update && apt-get install -y curl\n";

Test(hadolint_config, overrides_merge_and_the_most_severe_wins) {
  config("HADOLINT_OVERRIDE_ERROR/.hadolint.yaml", "override:\n  error: [DL3015]\n");
  cr_assert_eq(policy_engine_load_builtin_pack(engine, "hadolint"), POLICY_OK);
  config(".hadolint.yaml", "override:\n  warning: [DL3015, DL3009]\n  style: [DL3008]\n"
                           "  loud: [DL3008]\n");
  check(apt);
  cr_assert_str_eq(severity_of(POLICY_LIST_FINDINGS, "DL3015"), "high");
  cr_assert_str_eq(severity_of(POLICY_LIST_FINDINGS, "DL3009"), "medium");
  cr_assert_str_eq(severity_of(POLICY_LIST_FINDINGS, "DL3008"), "info");
  cr_assert_str_eq(rule_severity("DL3015"), "high"); /* SARIF's rule descriptors read this */
  cr_assert(strstr(policy_engine_warnings(engine), ".hadolint.yaml:4:9: loud: not a level"));
}

Test(hadolint_config, an_override_runs_a_rule_that_is_off) {
  cr_assert_eq(policy_engine_load_builtin_pack(engine, "hadolint"), POLICY_OK);
  check("FROM debian:12\n# hadolint ignore=DL3008\nRUN apt-get install -y curl\n");
  cr_assert_null(severity_of(POLICY_LIST_FINDINGS, "DL1001"));
  config(".hadolint.yaml", "override:\n  error: [DL1001]\n");
  check("FROM debian:12\n# hadolint ignore=DL3008\nRUN apt-get install -y curl\n");
  cr_assert_str_eq(severity_of(POLICY_LIST_FINDINGS, "DL1001"), "high");
  cr_assert_str_eq(severity_of(POLICY_LIST_SUPPRESSED, "DL3008"), "medium");
  config("x/.hadolint.yaml", "ignored: [DL1001]\n"); /* an ignore still wins */
  check("FROM debian:12\n# hadolint ignore=DL3008\nRUN apt-get install -y curl\n");
  cr_assert_null(severity_of(POLICY_LIST_FINDINGS, "DL1001"));
}

Test(hadolint_config, fail_on) {
  config(".hadolint.yaml", "failure-threshold: warning\n");
  cr_assert_eq(policy_engine_config_fail_on(engine), POLICY_SEVERITY_MEDIUM);
  config(".hadolint.yaml", "failure-threshold: ignore\n");
  cr_assert_eq(policy_engine_config_fail_on(engine), POLICY_SEVERITY_INFO);
  config(".hadolint.yaml", "no-fail: true\n");
  cr_assert_eq(policy_engine_config_fail_on(engine), POLICY_FAIL_ON_NONE);
  config(".hadolint.yaml", "failure-threshold: error\n"); /* no-fail still set */
  cr_assert_eq(policy_engine_config_fail_on(engine), POLICY_FAIL_ON_NONE);
  config(".hadolint.yaml", "no-fail: false\n");
  cr_assert_eq(policy_engine_config_fail_on(engine), POLICY_SEVERITY_HIGH);
  config(".hadolint.yaml", "failure-threshold: none\n");
  cr_assert_eq(policy_engine_config_fail_on(engine), POLICY_FAIL_ON_NONE);
  const char *bad = "failure-threshold: loud\n";
  cr_assert_eq(policy_engine_load_config_buffer(engine, ".hadolint.yaml", bad, strlen(bad)),
               POLICY_ERR_PARSE);
  cr_assert(strstr(policy_engine_errmsg(engine), ".hadolint.yaml:1:20: failure-threshold must be"));
}

Test(hadolint_config, disable_ignore_pragma_for_documents_parsed_after) {
  cr_assert_eq(policy_engine_load_builtin_pack(engine, "hadolint"), POLICY_OK);
  const char *df = "FROM debian:12\n# policy ignore=DL3015 -- recommends wanted\n"
                   "# hadolint ignore=DL3008\n"
                   "RUN apt-get install -y curl\n";
  config(".hadolint.yaml", "disable-ignore-pragma: true\n");
  check(df);
  cr_assert_str_eq(severity_of(POLICY_LIST_FINDINGS, "DL3008"), "medium");
  cr_assert_str_eq(severity_of(POLICY_LIST_SUPPRESSED, "DL3015"), "low"); /* libpolicy's own */
  config(".hadolint.yaml", "disable-ignore-pragma: false\n");
  check(df);
  cr_assert_str_eq(severity_of(POLICY_LIST_SUPPRESSED, "DL3008"), "medium");
}

Test(hadolint_config, policy_yaml_severity_and_fail_on_none) {
  cr_assert_eq(policy_engine_load_builtin_pack(engine, "hadolint"), POLICY_OK);
  config(".policy.yaml", "severity:\n  DL3008: critical\n  DL3057: low\nfail_on: none\n");
  cr_assert_eq(policy_engine_config_fail_on(engine), POLICY_FAIL_ON_NONE);
  check(apt);
  cr_assert_str_eq(severity_of(POLICY_LIST_FINDINGS, "DL3008"), "critical");
  const char *bad = "severity:\n  DL3008: loud\n";
  cr_assert_eq(policy_engine_load_config_buffer(engine, ".policy.yaml", bad, strlen(bad)),
               POLICY_ERR_PARSE);
  cr_assert(strstr(policy_engine_errmsg(engine), ".policy.yaml:2:11: the severity of 'DL3008'"));
}
