/*
** cmd_rules.c: `policy rules` (list the loaded rules) and `policy explain
** ID` (one rule's description, remediation and references).
*/
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

static const char *const tools[] = {"cis", "hadolint", "trivy", "kics", "checkov"};

void help_rules(FILE *f) {
  fputs("Usage: policy rules [--format text|json|markdown] [--policy PATH]...\n"
        "                    [--no-builtin] [--ignore ID]...\n"
        "\n"
        "Lists the rules that `policy check` would load with the same options:\n"
        "id, severity, what it applies to, and its title. json and markdown\n"
        "add the description, remediation and the equivalent ids of CIS,\n"
        "hadolint, trivy, kics and checkov.\n", f);
}

void help_explain(FILE *f) {
  fputs("Usage: policy explain [--policy PATH]... [--no-builtin] ID\n"
        "\n"
        "Prints what a rule checks, why it matters, how to fix what it finds,\n"
        "and the same check's id in CIS, hadolint, trivy, kics and checkov.\n"
        "ID may be the rule's id or any of those references (e.g. DL3002).\n", f);
}

static void print_refs(policy_engine *e, size_t i, const char *prefix,
                       const char *sep) {
  for (size_t t = 0; t < sizeof tools / sizeof tools[0]; t++) {
    const char *ref = policy_engine_rule_ref(e, i, tools[t]);
    if (ref) printf("%s%s %s%s", prefix, tools[t], ref, sep);
  }
}

static const char *field(policy_engine *e, size_t i, int f) {
  const char *s = policy_engine_rule_string(e, i, f);
  return s ? s : "";
}

static void rules_text(policy_engine *e) {
  size_t n = policy_engine_rule_count(e);
  for (size_t i = 0; i < n; i++)
    printf("%-28s %-8s %-18s %s\n", field(e, i, POLICY_RULE_ID),
           field(e, i, POLICY_RULE_SEVERITY), field(e, i, POLICY_RULE_APPLIES_TO),
           field(e, i, POLICY_RULE_TITLE));
  printf("%zu rule%s\n", n, n == 1 ? "" : "s");
}

static void rules_markdown(policy_engine *e) {
  size_t n = policy_engine_rule_count(e);
  puts("| id | severity | applies to | title |\n|---|---|---|---|");
  for (size_t i = 0; i < n; i++)
    printf("| [%s](#%s) | %s | %s | %s |\n", field(e, i, POLICY_RULE_ID),
           field(e, i, POLICY_RULE_ID), field(e, i, POLICY_RULE_SEVERITY),
           field(e, i, POLICY_RULE_APPLIES_TO), field(e, i, POLICY_RULE_TITLE));
  for (size_t i = 0; i < n; i++) {
    printf("\n## %s\n\n**%s** (%s; applies to %s)\n\n%s\n\n**Fix:** %s\n\n",
           field(e, i, POLICY_RULE_ID), field(e, i, POLICY_RULE_TITLE),
           field(e, i, POLICY_RULE_SEVERITY), field(e, i, POLICY_RULE_APPLIES_TO),
           field(e, i, POLICY_RULE_DESCRIPTION), field(e, i, POLICY_RULE_REMEDIATION));
    print_refs(e, i, "- ", "\n");
  }
}

static int with_engine(int argc, char **argv, bool explain) {
  policy_opts po = {0};
  const char *format = "text", *id = NULL;
  int status = EXIT_CLEAN;
  for (int i = 1; i < argc && status == EXIT_CLEAN; i++) {
    int r = policy_option(&po, argc, argv, &i);
    if (r < 0) status = EXIT_USAGE;
    if (r != 0) continue;
    const char *a = argv[i];
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      explain ? help_explain(stdout) : help_rules(stdout);
      policy_opts_free(&po);
      return EXIT_CLEAN;
    }
    if (!explain && (!strcmp(a, "--format") || !strncmp(a, "--format=", 9))) {
      format = a[8] == '=' ? a + 9 : (i + 1 < argc ? argv[++i] : "");
      if (strcmp(format, "text") && strcmp(format, "json") && strcmp(format, "markdown")) {
        fprintf(stderr, "policy rules: --format is text, json or markdown; not '%s'\n", format);
        status = EXIT_USAGE;
      }
    } else if (explain && a[0] != '-' && id == NULL) {
      id = a;
    } else {
      fprintf(stderr, "policy %s: unexpected argument '%s'\n", explain ? "explain" : "rules", a);
      status = EXIT_USAGE;
    }
  }
  if (status == EXIT_CLEAN && explain && id == NULL) {
    fputs("policy explain: which rule? (policy explain ID; see policy rules)\n", stderr);
    status = EXIT_USAGE;
  }
  policy_engine *e = NULL;
  if (status == EXIT_CLEAN && policy_engine_new(&e) != POLICY_OK) status = EXIT_USAGE;
  if (status == EXIT_CLEAN) status = policy_apply(&po, e);
  if (status == EXIT_CLEAN && !explain) {
    if (!strcmp(format, "json")) {
      char *json;
      if (policy_engine_rules_to_json(&json, NULL, e, POLICY_JSON_PRETTY) == POLICY_OK) {
        fputs(json, stdout);
        policy_free(json);
      } else status = EXIT_USAGE;
    } else if (!strcmp(format, "markdown")) rules_markdown(e);
    else rules_text(e);
  } else if (status == EXIT_CLEAN) {
    size_t n = policy_engine_rule_count(e), found = 0;
    for (size_t i = 0; i < n; i++) {
      bool match = !strcmp(field(e, i, POLICY_RULE_ID), id);
      for (size_t t = 0; !match && t < sizeof tools / sizeof tools[0]; t++) {
        const char *ref = policy_engine_rule_ref(e, i, tools[t]);
        for (const char *p = ref; p && !match; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL) {
          size_t len = strcspn(p, ",");
          match = strlen(id) == len && strncasecmp(p, id, len) == 0;
        }
      }
      if (!match) continue;
      if (found++) putchar('\n');
      printf("%s: %s\nseverity: %s; applies to: %s; from: %s\n\n%s\n\nHow to fix:\n%s\n\nEquivalent checks:\n",
             field(e, i, POLICY_RULE_ID), field(e, i, POLICY_RULE_TITLE),
             field(e, i, POLICY_RULE_SEVERITY), field(e, i, POLICY_RULE_APPLIES_TO),
             field(e, i, POLICY_RULE_ORIGIN), field(e, i, POLICY_RULE_DESCRIPTION),
             field(e, i, POLICY_RULE_REMEDIATION));
      print_refs(e, i, "  ", "\n");
    }
    if (found == 0) {
      fprintf(stderr, "policy explain: no rule is called or refers to '%s' (see policy rules)\n", id);
      status = EXIT_USAGE;
    }
  }
  policy_engine_free(e);
  policy_opts_free(&po);
  return status;
}

int cmd_rules(int argc, char **argv) { return with_engine(argc, argv, false); }
int cmd_explain(int argc, char **argv) { return with_engine(argc, argv, true); }
