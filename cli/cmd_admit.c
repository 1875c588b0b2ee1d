/*
** cmd_admit.c: `policy admit [options] FILE|-` and `policy admit
** [options] -- docker run ...`: an admission decision about one input (a
** create body, an AuthZ request, a Compose file, inspect output or a
** command line), printed as text or JSON (policy_decision_to_json), with
** the exit status a gate in a script can use: 0 allow, 1 deny, 2 usage
** or input error (then the decision, when printed, is a deny too).
*/
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void cli_help_admit(FILE *f) {
  fputs(
      "Usage: policy admit [options] FILE|-\n"
      "       policy admit [options] -- docker run|create [flags] IMAGE [ARG...]\n"
      "\n"
      "Decides whether what the input would create may be admitted: an Engine\n"
      "API create body, a Docker AuthZ plugin request, a Compose file, docker\n"
      "inspect output, or a docker run command line after --. Every finding of\n"
      "the policies gets its rule's action: enforce (it denies), warn (allowed,\n"
      "reported) or audit (allowed, shown with --verbose only). A finding at or\n"
      "above --deny-on is enforced, one below it warns, unless .policy.yaml sets\n"
      "the rule's own action (admission: rules:). An input that cannot be read\n"
      "or has errors, a rule that fails, and having no rule at all deny, in\n"
      "every mode: nothing is allowed without being judged.\n"
      "\n"
      "Options:\n"
      "  --format text|json     text (default): one line per entry, then the\n"
      "                         decision; json: {\"allow\": bool, \"reason\",\n"
      "                         \"deny\": [...], \"warn\": [...], \"audit\": [...]}\n"
      "  --deny-on SEVERITY     enforce findings at or above it: info, low,\n"
      "                         medium, high (default), critical\n"
      "  --mode MODE            enforce (default); warn: nothing is denied for\n"
      "                         findings; audit: findings are only audited\n"
      "  --verbose              also print the audited findings\n"
      "  --policy, --no-builtin, --data, --ignore, --config, --no-config,\n"
      "  --isolation, --max-*   as for policy check\n"
      "  --kind, --env-file, --build-arg, --target   as for policy parse\n"
      "\n"
      "Exit status: 0 allowed, 1 denied by findings, 2 usage or input error, or\n"
      "denied because something could not be judged.\n"
      "\n"
      "Examples:\n"
      "  policy admit -- docker run --privileged -v /:/host alpine\n"
      "  policy admit --format json create-body.json\n"
      "  curl -s --unix-socket /var/run/docker.sock ... | policy admit -\n",
      f);
}

typedef struct admit_opts {
  bool json, verbose;
  int deny_on;   /* 0: the configuration's, else high */
  int mode;      /* 0: the configuration's, else enforce */
} admit_opts;

static int admit_option(admit_opts *o, int argc, char **argv, int *i) {
  const char *a = argv[*i];
  const char *names[] = {"--format", "--deny-on", "--mode"};
  if (!strcmp(a, "--verbose") || !strcmp(a, "-v")) {
    o->verbose = true;
    return 1;
  }
  for (int k = 0; k < 3; k++) {
    size_t n = strlen(names[k]);
    if (strncmp(a, names[k], n) != 0 || (a[n] != '\0' && a[n] != '=')) continue;
    const char *v = a[n] == '=' ? a + n + 1 : *i + 1 < argc ? argv[++*i] : NULL;
    if (v == NULL) {
      fprintf(stderr, "policy admit: %s needs a value\n", names[k]);
      return -1;
    }
    if (k == 0 && (!strcmp(v, "json") || !strcmp(v, "text"))) o->json = v[0] == 'j';
    else if (k == 1 && (o->deny_on = policy_severity_from_name(v)) != 0) {}
    else if (k == 2 && (o->mode = policy_action_from_name(v)) != 0) {}
    else {
      static const char *const expected[] = {"text or json", "info, low, medium, high or critical",
                                             "enforce, warn or audit"};
      fprintf(stderr, "policy admit: %s is %s, not '%s'\n", names[k], expected[k], cli_safe(v));
      return -1;
    }
    return 1;
  }
  return 0;
}

/* "file:line:col: " or "file: " */
static void print_place(const policy_decision *d, int list, size_t i) {
  const char *file = policy_decision_get_string(d, list, i, POLICY_FIELD_FILE);
  int64_t line = policy_decision_get_number(d, list, i, POLICY_FIELD_LINE);
  int64_t col = policy_decision_get_number(d, list, i, POLICY_FIELD_COLUMN);
  if (file && line > 0) printf("%s:%lld:%lld: ", cli_safe(file), (long long)line, (long long)(col > 0 ? col : 1));
  else if (file) printf("%s: ", cli_safe(file));
}

static void print_list(const policy_decision *d, int list) {
  size_t n = policy_decision_count(d, list);
  for (size_t i = 0; i < n; i++) {
    const char *kind = policy_decision_get_string(d, list, i, POLICY_FIELD_KIND);
    const char *rule = policy_decision_get_string(d, list, i, POLICY_FIELD_RULE);
    const char *sev = policy_decision_get_string(d, list, i, POLICY_FIELD_SEVERITY);
    print_place(d, list, i);
    const char *what = !strcmp(kind, "finding") ? sev : !strcmp(kind, "rule") ? "rule error" : "error";
    printf("%s %s", list == POLICY_ACTION_ENFORCE ? "deny" : policy_action_name(list), what);
    if (rule) printf(" [%s]", cli_safe(rule));
    printf(" %s\n", cli_safe(policy_decision_get_string(d, list, i, POLICY_FIELD_MESSAGE)));
  }
}

static bool judged(const policy_decision *d) {
  size_t n = policy_decision_count(d, POLICY_ACTION_ENFORCE);
  for (size_t i = 0; i < n; i++)
    if (strcmp(policy_decision_get_string(d, POLICY_ACTION_ENFORCE, i, POLICY_FIELD_KIND), "finding"))
      return false;
  return true;
}

static void print_text(const policy_decision *d, const char *name, bool verbose) {
  print_list(d, POLICY_ACTION_ENFORCE);
  print_list(d, POLICY_ACTION_WARN);
  if (verbose) print_list(d, POLICY_ACTION_AUDIT);
  size_t deny = policy_decision_count(d, POLICY_ACTION_ENFORCE),
         warn = policy_decision_count(d, POLICY_ACTION_WARN),
         audit = policy_decision_count(d, POLICY_ACTION_AUDIT);
  printf("%s: %s", cli_safe(name), policy_decision_allowed(d) ? "allowed" : "denied");
  printf(" (%zu deny, %zu warn, %zu audit)\n", deny, warn, audit);
}

/* The decision when there is no document to decide about (the input
** could not be read at all): a deny with the reason. */
static void print_unread(const admit_opts *o, const char *name, const char *why) {
  if (!o->json) {
    printf("%s: deny error %s\n%s: denied (1 deny, 0 warn, 0 audit)\n", cli_safe(name), cli_safe(why),
           cli_safe(name));
    return;
  }
  char *esc = NULL;
  /* A JSON string of the reason: the library's escaping keeps it one line;
  ** quotes and backslashes are escaped here. */
  if (policy_escape_text(&esc, NULL, why, 0) != POLICY_OK) esc = NULL;
  fputs("{\"allow\":false,\"reason\":\"", stdout);
  for (const char *p = esc ? esc : "out of memory"; *p; p++) {
    if (*p == '"' || *p == '\\') putchar('\\');
    putchar(*p);
  }
  fputs("\",\"deny\":[{\"rule\":null,\"kind\":\"input\",\"message\":\"", stdout);
  for (const char *p = esc ? esc : "out of memory"; *p; p++) {
    if (*p == '"' || *p == '\\') putchar('\\');
    putchar(*p);
  }
  fputs("\"}],\"warn\":[],\"audit\":[]}\n", stdout);
  policy_free(esc);
}

static int decide(const admit_opts *o, policy_engine *e, const cli_input_opts *in,
                  const char *file, char **run_line, size_t nrun) {
  if (o->deny_on) policy_engine_set_deny_on(e, o->deny_on);
  if (o->mode) policy_engine_set_admission_mode(e, o->mode);
  policy_document *doc;
  int rc = run_line ? cli_run_line_parse(&doc, e, run_line, nrun)
                    : cli_input_parse(&doc, e, file, in->kind);
  const char *name = run_line ? "command-line" : file;
  if (rc != POLICY_OK) {
    const char *msg = policy_engine_errmsg(e);
    print_unread(o, name, *msg ? msg : policy_strerror(rc));
    return EXIT_USAGE;
  }
  policy_decision *d;
  rc = policy_decide(&d, e, doc);
  policy_document_free(doc);
  if (rc != POLICY_OK) {
    print_unread(o, name, policy_engine_errmsg(e));
    return EXIT_USAGE;
  }
  if (o->json) {
    char *json;
    if (policy_decision_to_json(&json, NULL, d, POLICY_JSON_PRETTY) != POLICY_OK) {
      policy_decision_free(d);
      print_unread(o, name, "out of memory");
      return EXIT_USAGE;
    }
    fputs(json, stdout);
    policy_free(json);
  } else {
    print_text(d, name, o->verbose);
  }
  int status = policy_decision_allowed(d) ? EXIT_CLEAN : judged(d) ? EXIT_FINDINGS : EXIT_USAGE;
  policy_decision_free(d);
  return status;
}

int cli_cmd_admit(int argc, char **argv) {
  admit_opts o = {0};
  cli_input_opts in = {0};
  cli_policy_opts po = {0};
  po.isolation = -1;
  const char *file = NULL;
  char **run_line = NULL;
  size_t nrun = 0;
  int status = EXIT_CLEAN;
  for (int i = 1; i < argc && status == EXIT_CLEAN; i++) {
    const char *a = argv[i];
    int r;
    if ((r = cli_input_option(&in, argc, argv, &i)) != 0 ||
        (r = cli_policy_option(&po, argc, argv, &i)) != 0 || (r = admit_option(&o, argc, argv, &i)) != 0) {
      if (r < 0) status = EXIT_USAGE;
      continue;
    }
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      cli_help_admit(stdout);
      goto done;
    }
    if (!strcmp(a, "--")) {
      if (cli_run_line(argv + i + 1, (size_t)(argc - i - 1))) {
        run_line = argv + i + 1;
        nrun = (size_t)(argc - i - 1);
      } else if (i + 2 == argc && file == NULL) {
        file = argv[i + 1];
      } else {
        fputs("policy admit: after -- comes one FILE or a docker run command line\n", stderr);
        status = EXIT_USAGE;
      }
      break;
    }
    if (a[0] == '-' && a[1] != '\0') {
      fprintf(stderr, "policy admit: unknown option '%s' (try 'policy help admit')\n", cli_safe(a));
      status = EXIT_USAGE;
    } else if (file) {
      fputs("policy admit: one input at a time (a FILE, - or -- docker run ...)\n", stderr);
      status = EXIT_USAGE;
    } else {
      file = a;
    }
  }
  if (status == EXIT_CLEAN && file == NULL && run_line == NULL) {
    fputs("policy admit: nothing to decide about (give a FILE, - for standard input, or "
          "-- docker run ...)\n", stderr);
    status = EXIT_USAGE;
  }
  if (status == EXIT_CLEAN) {
    policy_engine *e;
    status = cli_engine_setup(&e, &in, &po, false);
    if (status == CLI_RULES_REFUSED) { /* printed; deciding without them would fail open */
      print_unread(&o, run_line ? "command-line" : file,
                   "a rule file could not be loaded: a decision without its rules is not made");
      policy_engine_free(e);
      status = EXIT_USAGE;
    }
    if (status == EXIT_CLEAN) {
      cli_policy_warnings(&po, e);
      status = decide(&o, e, &in, file, run_line, nrun);
      policy_engine_free(e);
    }
  }
done:
  free(in.build_args);
  cli_policy_opts_free(&po);
  return status;
}
