/*
** test_codes.c: findings reported under a code of their rule's family
** (rule.codes, report's options; api/codes.c, engine/eval.c): shown as
** the code, ignored and suppressed by it, placed inside the node; and no
** rule may report under a code outside its family or claim a family that
** holds another rule's id. In-process and in worker processes alike.
*/
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "policy/policy.h"

static const char *family_rule =
    "return { id = 'lint-shell', codes = 'SC', title = 't', severity = 'low',\n"
    "  applies_to = 'image', description = 'd', remediation = 'r',\n"
    "  check = function(image)\n"
    "    for _, i in ipairs(image.instructions) do\n"
    "      if i.keyword == 'RUN' then\n"
    "        local line = position(i)\n"
    "        report(i, 'quote it', {code = 'SC2086', severity = 'medium', line = line, column = 10,\n"
    "                               end_column = 12})\n"
    "        report(i, 'plain')\n"
    "      end\n"
    "    end\n"
    "  end }\n";

static policy_engine *engine_with(const char *rule, int isolation) {
  policy_engine *e;
  cr_assert_eq(policy_engine_new(&e), POLICY_OK);
  cr_assert_eq(policy_engine_set_isolation(e, isolation), POLICY_OK);
  cr_assert_eq(policy_engine_load_rule_buffer(e, "fam.lua", rule, strlen(rule)), POLICY_OK, "%s",
               policy_engine_errmsg(e));
  return e;
}

static policy_report *check(policy_engine *e, const char *dockerfile) {
  policy_document *doc;
  cr_assert_eq(policy_parse_buffer(&doc, e, "Dockerfile", dockerfile, strlen(dockerfile),
                                   POLICY_KIND_DOCKERFILE), POLICY_OK);
  policy_report *rep;
  cr_assert_eq(policy_report_new(&rep), POLICY_OK);
  cr_assert_eq(policy_check(rep, e, doc), POLICY_OK, "%s", policy_engine_errmsg(e));
  policy_document_free(doc);
  return rep;
}

static void shows_code(int isolation) {
  policy_engine *e = engine_with(family_rule, isolation);
  policy_report *rep = check(e, "FROM x\nRUN echo $x\n");
  cr_assert_eq(policy_report_count(rep, POLICY_LIST_ERRORS), 0);
  cr_assert_eq(policy_report_count(rep, POLICY_LIST_FINDINGS), 2);
  /* sorted by file, line, column: the plain one at 2:1, the coded at 2:10 */
  cr_assert_str_eq(policy_report_get_string(rep, POLICY_LIST_FINDINGS, 0, POLICY_FIELD_RULE),
                   "lint-shell");
  cr_assert_str_eq(policy_report_get_string(rep, POLICY_LIST_FINDINGS, 1, POLICY_FIELD_RULE),
                   "SC2086");
  cr_assert_eq(policy_report_get_number(rep, POLICY_LIST_FINDINGS, 1, POLICY_FIELD_COLUMN), 10);
  cr_assert_eq(policy_report_get_number(rep, POLICY_LIST_FINDINGS, 1, POLICY_FIELD_SEVERITY),
               POLICY_SEVERITY_MEDIUM);
  policy_report_free(rep);
  /* a comment naming the code suppresses that finding only */
  rep = check(e, "FROM x\n# policy ignore=SC2086\nRUN echo $x\n");
  cr_assert_eq(policy_report_count(rep, POLICY_LIST_FINDINGS), 1);
  cr_assert_eq(policy_report_count(rep, POLICY_LIST_SUPPRESSED), 1);
  cr_assert_eq(policy_report_count(rep, POLICY_LIST_WARNINGS), 0); /* no unknown id */
  policy_report_free(rep);
  /* an ignore naming the code drops it; the rule still runs */
  cr_assert_eq(policy_engine_ignore(e, "SC2086"), POLICY_OK);
  rep = check(e, "FROM x\nRUN echo $x\n");
  cr_assert_eq(policy_report_count(rep, POLICY_LIST_FINDINGS), 1);
  cr_assert_str_eq(policy_report_get_string(rep, POLICY_LIST_FINDINGS, 0, POLICY_FIELD_RULE),
                   "lint-shell");
  policy_report_free(rep);
  size_t index;
  cr_assert_eq(policy_engine_rule_find(&index, e, "SC1234"), POLICY_OK);
  cr_assert_str_eq(policy_engine_rule_string(e, index, POLICY_RULE_ID), "lint-shell");
  policy_engine_free(e);
}

Test(codes, shown_suppressed_ignored_in_process) { shows_code(POLICY_ISOLATE_NONE); }
Test(codes, shown_suppressed_ignored_in_workers) { shows_code(POLICY_ISOLATE_ALL); }

/* A rule error for each misuse; `body` runs in check(image). */
static void refused(const char *body, const char *says) {
  char rule[1024];
  snprintf(rule, sizeof rule,
           "return { id = 'lint-shell', codes = 'SC', title = 't', severity = 'low',\n"
           "  applies_to = 'image', description = 'd', remediation = 'r',\n"
           "  check = function(image) local i = image.instructions[2]; %s end }\n", body);
  policy_engine *e = engine_with(rule, POLICY_ISOLATE_NONE);
  policy_report *rep = check(e, "FROM x\nRUN echo\n");
  cr_assert_eq(policy_report_count(rep, POLICY_LIST_FINDINGS), 0);
  cr_assert_eq(policy_report_count(rep, POLICY_LIST_ERRORS), 1);
  const char *msg = policy_report_get_string(rep, POLICY_LIST_ERRORS, 0, POLICY_FIELD_MESSAGE);
  cr_assert(strstr(msg, says), "%s", msg);
  policy_report_free(rep);
  policy_engine_free(e);
}

Test(codes, misuse_is_a_rule_error) {
  refused("report(i, 'x', {code = 'DL3002'})", "the rule's family");
  refused("report(i, 'x', {code = 'SC12345'})", "the rule's family");
  refused("report(i, 'x', {code = 2086})", "the rule's family");
  refused("report(i, 'x', {line = 1})", "outside the node");
  refused("report(i, 'x', {line = 3})", "outside the node");
  refused("report(i, 'x', {line = 2, column = 0})", "outside the node");
  refused("report(i, 'x', {severity = 'fatal'})", "severity");
  refused("shellcheck(i, 'echo', 'sh')", "built-in packs only");
}

Test(codes, families_do_not_collide) {
  policy_engine *e = engine_with(family_rule, POLICY_ISOLATE_NONE);
  static const char *const clash[] = {
      /* an id in the loaded family */
      "return { id = 'SC2086', title = 't', severity = 'low', applies_to = 'image',"
      " description = 'd', remediation = 'r', check = function() end }",
      /* the same family again */
      "return { id = 'other', codes = 'SC', title = 't', severity = 'low', applies_to = 'image',"
      " description = 'd', remediation = 'r', check = function() end }",
  };
  for (size_t i = 0; i < 2; i++)
    cr_assert_eq(policy_engine_load_rule_buffer(e, "clash.lua", clash[i], strlen(clash[i])),
                 POLICY_ERR_PARSE, "%zu loaded", i);
  policy_engine_free(e);
  /* a family holding a loaded rule's id */
  policy_engine *f;
  cr_assert_eq(policy_engine_new(&f), POLICY_OK);
  const char *dl = "return { id = 'DL3002', title = 't', severity = 'low', applies_to = 'image',"
                   " description = 'd', remediation = 'r', check = function() end }";
  const char *fam = "return { id = 'forger', codes = 'DL', title = 't', severity = 'low',"
                    " applies_to = 'image', description = 'd', remediation = 'r',"
                    " check = function() end }";
  cr_assert_eq(policy_engine_load_rule_buffer(f, "dl.lua", dl, strlen(dl)), POLICY_OK);
  cr_assert_eq(policy_engine_load_rule_buffer(f, "forger.lua", fam, strlen(fam)), POLICY_ERR_PARSE);
  cr_assert(strstr(policy_engine_errmsg(f), "DL3002"), "%s", policy_engine_errmsg(f));
  const char *bad = "return { id = 'x', codes = 'sc', title = 't', severity = 'low',"
                    " applies_to = 'image', description = 'd', remediation = 'r',"
                    " check = function() end }";
  cr_assert_eq(policy_engine_load_rule_buffer(f, "bad.lua", bad, strlen(bad)), POLICY_ERR_PARSE);
  policy_engine_free(f);
}
