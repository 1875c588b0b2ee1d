/*
** cmd_check.c: `policy check PATH...`: run the policies over files and
** directories and report what they find.
*/
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

void help_check(FILE *f) {
  fputs(
      "Usage: policy check [options] PATH...\n"
      "\n"
      "Checks each PATH with the built-in security pack and any policies you\n"
      "add. A directory is walked for Dockerfile, *.Dockerfile, Dockerfile.*,\n"
      "Containerfile, compose.yaml and docker-compose*.yml, skipping .git,\n"
      "node_modules and similar folders. A Compose file is read as docker\n"
      "compose reads it: its .env, a compose.override.yaml next to it,\n"
      "extends and include; the Dockerfiles its services build are checked\n"
      "with it (their findings point at the Dockerfile). Values that need a\n"
      "variable that is not set are unknown, never guessed. JSON (docker inspect\n"
      "output, create bodies, AuthZ requests, vulnerability scan reports of\n"
      "Trivy, Grype and Docker Scout) is checked when named, not found by\n"
      "walking. A scan report is linked to the Compose services, containers\n"
      "and images among the other inputs that ship its image, and its findings\n"
      "name them. '-' reads standard input (give --kind when its content does\n"
      "not say what it is).\n"
      "\n"
      "Output:\n"
      "  --format text|json     text (default): file:line:col: severity [rule] message;\n"
      "                         json: {findings, suppressed, errors, summary}\n"
      "  --fail-on SEVERITY     exit 1 only for findings at or above it:\n"
      "                         info (default), low, medium, high, critical\n"
      "  --color, --no-color    colour the text output (default: on a terminal,\n"
      "                         unless NO_COLOR is set)\n"
      "  --verbose              also print what rules printed (their log)\n"
      "\n"
      "Policies:\n"
      "  --policy PATH          add rules from a .lua file or a folder of them\n"
      "                         (repeatable)\n"
      "  --no-builtin           do not load the built-in pack\n"
      "  --data FILE            a YAML or JSON document rules see as `data`\n"
      "                         (repeatable; later keys win)\n"
      "  --ignore ID            skip a rule, by id or by any ref (DL3002, 4.1, ...)\n"
      "  --max-instructions N   Lua instructions per rule per file (default 10M)\n"
      "  --max-lua-memory N     memory for all rules (default 64M)\n"
      "  --max-findings N       findings per rule per file (default 1000)\n"
      "  --max-rule-time MS     wall-clock milliseconds per rule per file\n"
      "                         (default 10000)\n"
      "  --config FILE          settings (default: .policy.yaml in this folder\n"
      "                         or the nearest one above; see docs/configuration.md)\n"
      "  --no-config            ignore any .policy.yaml\n"
      "\n"
      "Input:\n"
      "  --kind KIND            auto (default), dockerfile, compose, inspect,\n"
      "                         request, scan (the three read JSON and the\n"
      "                         content decides which of them it is)\n"
      "  --env-file FILE        variables for Compose files instead of the .env\n"
      "                         next to them (the environment still wins)\n"
      "  --build-arg NAME=VALUE, --target STAGE, --max-input-bytes N,\n"
      "  --max-line-bytes N, --max-model-bytes N   as for policy parse\n"
      "\n"
      "Inline suppressions, on the line(s) just above an instruction:\n"
      "  # policy ignore=image-runs-as-root -- runs as root by design\n"
      "  # policy global ignore=base-image-latest      (the whole file)\n"
      "  # hadolint ignore=DL3002                      (hadolint's, honoured)\n"
      "\n"
      "Exit status: 0 no finding at or above --fail-on; 1 findings; 2 usage,\n"
      "input or rule errors (findings for the other files are still printed).\n",
      f);
}

typedef struct check_opts {
  bool json, verbose;
  int color;   /* -1 auto */
  int fail_on;
} check_opts;

static int check_option(check_opts *o, int argc, char **argv, int *i) {
  const char *a = argv[*i];
  if (!strcmp(a, "--verbose") || !strcmp(a, "-v")) { o->verbose = true; return 1; }
  if (!strcmp(a, "--color")) { o->color = 1; return 1; }
  if (!strcmp(a, "--no-color")) { o->color = 0; return 1; }
  bool format = !strncmp(a, "--format", 8) && (a[8] == '\0' || a[8] == '=');
  bool fail = !strncmp(a, "--fail-on", 9) && (a[9] == '\0' || a[9] == '=');
  if (!format && !fail) return 0;
  const char *v = strchr(a, '=') ? strchr(a, '=') + 1 : (*i + 1 < argc ? argv[++*i] : NULL);
  if (v == NULL) {
    fprintf(stderr, "policy check: %s needs a value\n", format ? "--format" : "--fail-on");
    return -1;
  }
  if (format) {
    if (!strcmp(v, "json")) o->json = true;
    else if (!strcmp(v, "text")) o->json = false;
    else {
      fprintf(stderr, "policy check: --format is text or json, not '%s'\n", v);
      return -1;
    }
    return 1;
  }
  if ((o->fail_on = policy_severity_from_name(v)) == 0) {
    fprintf(stderr, "policy check: --fail-on is info, low, medium, high or critical; not '%s'\n", v);
    return -1;
  }
  return 1;
}

policy_document *check_parse(policy_report *rep, policy_engine *e, const walk_item *it) {
  policy_document *doc;
  int rc = strcmp(it->path, "-") == 0
               ? policy_parse_fd(&doc, e, "-", STDIN_FILENO, it->kind)
               : policy_parse_file(&doc, e, it->path, it->kind);
  if (rc == POLICY_ERR_UNSUPPORTED && !it->named) {
    fprintf(stderr, "policy: %s: skipped: %s\n", it->path, policy_engine_errmsg(e));
    return NULL;
  }
  if (rc != POLICY_OK) {
    const char *msg = policy_engine_errmsg(e);
    policy_report_add_error(rep, it->path, 0, 0, *msg ? msg : policy_strerror(rc));
    return NULL;
  }
  return doc;
}

void check_document(policy_report *rep, policy_engine *e, const char *path, policy_document *doc) {
  if (policy_check(rep, e, doc) != POLICY_OK)
    policy_report_add_error(rep, path, 0, 0, policy_engine_errmsg(e));
  policy_document_free(doc);
}

/* Parses and checks one input, linked to the scan reports held ahead. */
static void check_one(policy_report *rep, policy_engine *e, const walk_item *it,
                      const scan_reports *held) {
  policy_document *doc = check_parse(rep, e, it);
  if (doc == NULL) return;
  scan_reports_link(held, doc);
  check_document(rep, e, it->path, doc);
}

static void print_logs(const policy_report *rep) {
  size_t n = policy_report_count(rep, POLICY_LIST_LOGS);
  for (size_t i = 0; i < n; i++)
    fprintf(stderr, "policy: [%s] on %s printed:\n%s",
            policy_report_get_string(rep, POLICY_LIST_LOGS, i, POLICY_FIELD_RULE),
            policy_report_get_string(rep, POLICY_LIST_LOGS, i, POLICY_FIELD_FILE),
            policy_report_get_string(rep, POLICY_LIST_LOGS, i, POLICY_FIELD_MESSAGE));
}

static int run(const check_opts *co, const input_opts *in, const cli_policy_opts *po,
               char **paths, size_t npaths) {
  policy_engine *e;
  if (policy_engine_new(&e) != POLICY_OK) { fputs("policy: out of memory\n", stderr); return EXIT_USAGE; }
  int status = input_apply(in, e);
  if (status == EXIT_CLEAN) status = cli_policy_apply(po, e);
  int fail_on = co->fail_on ? co->fail_on : policy_engine_config_fail_on(e);
  if (fail_on == 0) fail_on = POLICY_SEVERITY_INFO;
  walk_list w = {0};
  policy_report *rep = NULL;
  if (status == EXIT_CLEAN && (!walk_paths(&w, paths, npaths, in->kind) ||
                               policy_report_new(&rep) != POLICY_OK)) {
    fputs("policy: out of memory\n", stderr);
    status = EXIT_USAGE;
  }
  scan_reports held = {0};
  if (status == EXIT_CLEAN && !scan_reports_parse(&held, rep, e, &w)) {
    fputs("policy: out of memory\n", stderr);
    status = EXIT_USAGE;
  }
  if (status == EXIT_CLEAN) {
    for (size_t i = 0; i < w.len; i++)
      if (!held.taken[i]) check_one(rep, e, &w.items[i], &held);
    scan_reports_check(&held, rep, e);
    bool color = co->color < 0 ? isatty(STDOUT_FILENO) && getenv("NO_COLOR") == NULL : co->color;
    char *out;
    int rc = co->json ? policy_report_to_json(&out, NULL, rep, POLICY_JSON_PRETTY)
                      : policy_report_to_text(&out, NULL, rep, color ? POLICY_TEXT_COLOR : 0);
    if (rc != POLICY_OK) {
      fputs("policy: out of memory\n", stderr);
      status = EXIT_USAGE;
    } else {
      fputs(out, stdout);
      policy_free(out);
      if (co->verbose) print_logs(rep);
      if (policy_report_count(rep, POLICY_LIST_ERRORS) > 0 || w.errors) status = EXIT_USAGE;
      else if (policy_report_count_at_least(rep, fail_on) > 0) status = EXIT_FINDINGS;
    }
  }
  scan_reports_free(&held);
  policy_report_free(rep);
  walk_free(&w);
  policy_engine_free(e);
  return status;
}

int cmd_check(int argc, char **argv) {
  check_opts co = {false, false, -1, 0};
  input_opts in = {0};
  cli_policy_opts po = {0};
  char **paths = calloc((size_t)argc, sizeof *paths);
  size_t npaths = 0;
  int status = EXIT_CLEAN;
  if (paths == NULL) { fputs("policy: out of memory\n", stderr); return EXIT_USAGE; }
  for (int i = 1; i < argc && status == EXIT_CLEAN; i++) {
    const char *a = argv[i];
    int r;
    if ((r = input_option(&in, argc, argv, &i)) == 0 &&
        (r = cli_policy_option(&po, argc, argv, &i)) == 0 &&
        (r = check_option(&co, argc, argv, &i)) == 0) {
      if (!strcmp(a, "-h") || !strcmp(a, "--help")) { help_check(stdout); goto done; }
      if (!strcmp(a, "--")) { while (++i < argc) paths[npaths++] = argv[i]; break; }
      if (a[0] == '-' && a[1] != '\0') {
        fprintf(stderr, "policy check: unknown option '%s' (try 'policy help check')\n", a);
        status = EXIT_USAGE;
        break;
      }
      paths[npaths++] = argv[i];
    }
    if (r < 0) status = EXIT_USAGE;
  }
  if (status == EXIT_CLEAN && npaths == 0) {
    fputs("policy check: nothing to check (give files, directories, or - for standard input)\n", stderr);
    status = EXIT_USAGE;
  }
  if (status == EXIT_CLEAN) status = run(&co, &in, &po, paths, npaths);
done:
  free(paths);
  free(in.build_args);
  cli_policy_opts_free(&po);
  return status;
}
