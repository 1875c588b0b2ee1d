/*
** example.c: a program built against the INSTALLED libpolicy (header and
** pkg-config file), as an embedder would: parse a Dockerfile, run the
** built-in pack, print the findings. tests/install/test_install.sh builds
** and runs it; it exits 0 when it found what the Dockerfile holds.
*/
#include <stdio.h>
#include <string.h>

#include <policy/policy.h>

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s DOCKERFILE\n", argv[0]);
    return 2;
  }
  if (policy_version_number() != POLICY_VERSION_NUMBER) {
    fprintf(stderr, "header %s, library %s\n", POLICY_VERSION_STRING, policy_version_string());
    return 2;
  }
  policy_engine *engine;
  policy_document *doc;
  policy_report *report;
  if (policy_engine_new(&engine) != POLICY_OK) return 2;
  if (policy_engine_load_builtin(engine) != POLICY_OK ||
      policy_parse_file(&doc, engine, argv[1], POLICY_KIND_AUTO) != POLICY_OK) {
    fprintf(stderr, "%s\n", policy_engine_errmsg(engine));
    policy_engine_free(engine);
    return 2;
  }
  if (policy_report_new(&report) != POLICY_OK || policy_check(report, engine, doc) != POLICY_OK) {
    fprintf(stderr, "%s\n", policy_engine_errmsg(engine));
    return 2;
  }
  size_t n = policy_report_count(report, POLICY_LIST_FINDINGS);
  for (size_t i = 0; i < n; i++)
    printf("%s:%lld: %s [%s] %s\n",
           policy_report_get_string(report, POLICY_LIST_FINDINGS, i, POLICY_FIELD_FILE),
           (long long)policy_report_get_number(report, POLICY_LIST_FINDINGS, i, POLICY_FIELD_LINE),
           policy_report_get_string(report, POLICY_LIST_FINDINGS, i, POLICY_FIELD_SEVERITY),
           policy_report_get_string(report, POLICY_LIST_FINDINGS, i, POLICY_FIELD_RULE),
           policy_report_get_string(report, POLICY_LIST_FINDINGS, i, POLICY_FIELD_MESSAGE));
  int found_root = 0;
  for (size_t i = 0; i < n; i++)
    if (!strcmp(policy_report_get_string(report, POLICY_LIST_FINDINGS, i, POLICY_FIELD_RULE),
                "image-runs-as-root"))
      found_root = 1;
  policy_report_free(report);
  policy_document_free(doc);
  policy_engine_free(engine);
  return found_root ? 0 : 1;
}
