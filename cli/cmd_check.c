/*
** cli_cmd_check.c: `policy check PATH...`: run the policies over files and
** directories and report what they find (check_run.c does the running),
** and `policy baseline write FILE PATH...`, which records what they find.
*/
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

void cli_help_check(FILE *f) {
  fputs(
      "Usage: policy check [options] PATH...\n"
      "       policy check [options] -- docker run|create [flags] IMAGE [ARG...]\n"
      "\n"
      "Checks each PATH with the built-in security pack and any policies you\n"
      "add. A directory is walked for Dockerfile, *.Dockerfile, Dockerfile.*,\n"
      "Containerfile, compose.yaml and docker-compose*.yml, skipping .git,\n"
      "node_modules and similar folders, and policy packs (folders with\n"
      "pack.yaml: their fixtures are wrong on purpose). A Compose file is read as docker\n"
      "compose reads it: its .env, a compose.override.yaml next to it,\n"
      "extends and include; the Dockerfiles its services build are checked\n"
      "with it, and only with it (their findings point at the Dockerfile).\n"
      "Values that need a variable that is not set are unknown, never\n"
      "guessed. JSON (docker inspect output, create bodies, AuthZ requests,\n"
      "vulnerability scan reports of Trivy, Grype and Docker Scout) is checked\n"
      "when named, not found by walking. A scan report is linked to the Compose\n"
      "services, containers and images among the other inputs that ship its\n"
      "image, and its findings name them. '-' reads standard input (give\n"
      "--kind when its content does not say what it is). After --, a docker run\n"
      "or docker create command line is checked as the container it starts,\n"
      "its findings at command-line:1:N, N the index of the argument (docker\n"
      "is 0; run-flags.md maps every flag to the model).\n"
      "\n"
      "Output:\n"
      "  --format FORMAT[=FILE] text (default), json, sarif, junit, github,\n"
      "                         gitlab or checkstyle; repeatable, one format\n"
      "                         per file and at most one on standard output:\n"
      "                         --format sarif=policy.sarif --format text\n"
      "  --fail-on SEVERITY     exit 1 only for findings at or above it: info,\n"
      "                         low, medium, high (default), critical; none:\n"
      "                         findings never fail\n"
      "  --baseline FILE        report only findings that FILE (written by\n"
      "                         `policy baseline write`) does not hold; list\n"
      "                         its entries that are gone as fixed\n"
      "  --strict               rule ids or refs that name no rule (--ignore,\n"
      "                         .policy.yaml, ignore comments) are errors\n"
      "  --color, --no-color    colour the text output (default: on a terminal,\n"
      "                         unless NO_COLOR is set)\n"
      "  --no-progress          no files-done count on a terminal's stderr\n"
      "  --verbose              also print what rules printed (their log)\n"
      "  --trace RULE           print, per file, what RULE (an id or ref) did:\n"
      "                         the subjects it ran on, what it printed, the\n"
      "                         nodes it reported and its errors (on stderr;\n"
      "                         checks on one thread)\n"
      "\n"
      "Files:\n"
      "  --exclude GLOB         leave out matching paths (repeatable; also\n"
      "                         `exclude:` in .policy.yaml): a GLOB without /\n"
      "                         matches any one name (vendor, *.tmpl), one with\n"
      "                         / the path from the top (third_party/*)\n"
      "  --shard I/N            check only the I-th of N slices of the files\n"
      "                         (1/4 ... 4/4 together check every file once)\n"
      "  --jobs N               check on N threads (default: the CPUs); the\n"
      "                         output is the same for any N\n"
      "\n"
      "Policies:\n"
      "  --policy PATH          add rules: a .lua file, a folder of them (with\n"
      "                         its data/), or a pack: a folder with pack.yaml\n"
      "                         or a .tar.gz of one (repeatable; packs.md)\n"
      "  --pack-sha256 HEX      the SHA-256 the pack archive must have; the i-th\n"
      "                         --pack-sha256 checks the i-th --policy archive\n"
      "  --pack NAME            load a built-in pack (builtin, hadolint) instead of\n"
      "                         the default built-in pack; repeat to combine\n"
      "  --no-builtin           do not load the built-in pack\n"
      "  --data FILE            a YAML or JSON document rules see as `data`\n"
      "                         (repeatable; later keys win)\n"
      "  --ignore ID[,ID...]    skip rules, by id or by any ref (DL3002, 4.1, ...)\n"
      "  --profile NAME         which rules run: default (what a team keeps on),\n"
      "                         strict (adds hardening: digest pins, health\n"
      "                         checks, the services' hardening baseline) or\n"
      "                         all; also `profile:` in .policy.yaml\n",
      f);
  cli_limit_help(f, CLI_LIMITS_RULES);
  fputs(
      "  --config FILE          settings (default: .policy.yaml in this folder\n"
      "                         or the nearest one above; see configuration.md)\n"
      "  --no-config            ignore any .policy.yaml\n"
      "\n"
      "Input:\n"
      "  --kind KIND            auto (default), dockerfile, compose, inspect,\n"
      "                         request (inspect and request both read JSON and\n"
      "                         the content decides which of the two it is)\n"
      "  --env-file FILE        variables for Compose files instead of the .env\n"
      "                         next to them (the environment still wins)\n"
      "  --build-arg NAME=VALUE, --target STAGE   as for policy parse\n",
      f);
  cli_limit_help(f, CLI_LIMITS_INPUT);
  fputs(
      "\n"
      "Inline suppressions, on the line(s) just above an instruction:\n"
      "  # policy ignore=image-runs-as-root -- runs as root by design\n"
      "  # policy global ignore=base-image-latest      (the whole file)\n"
      "hadolint's pragmas, as hadolint reads them (hadolint.md):\n"
      "  # hadolint ignore=DL3002 # why                (the next line only)\n"
      "  # hadolint stage ignore=DL3003                (the rest of the stage)\n"
      "  # hadolint global ignore=DL3008               (the whole file)\n"
      "With --pack hadolint, .hadolint.yaml (also the user's, where hadolint\n"
      "looks) and the HADOLINT_* variables apply; --format takes hadolint's\n"
      "names tty, gnu and gitlab_codeclimate too.\n"
      "\n"
      "Exit status: 0 no finding at or above --fail-on; 1 findings; 2 usage,\n"
      "input or rule errors (findings for the other files are still printed),\n"
      "or, with --strict, ids that name no rule.\n"
      "\n"
      "CI recipes (GitHub code scanning, GitLab Code Quality and JUnit,\n"
      "pre-commit): ci.md in the documentation (see policy --help).\n",
      f);
}

void cli_help_baseline(FILE *f) {
  fputs("Usage: policy baseline write FILE [check options] PATH...\n"
        "\n"
        "Checks PATH... as policy check would and writes every finding to FILE\n"
        "(JSON: fingerprint, rule, file, line, message). Later,\n"
        "`policy check --baseline FILE` reports only findings FILE does not\n"
        "hold, and lists as fixed the entries no finding matches any more.\n"
        "A finding keeps its fingerprint when lines move: it is made of the\n"
        "rule, the file and the content the finding points at, not the line.\n"
        "Exit status: 0 written, 2 usage or input errors.\n",
        f);
}

typedef struct check_opts {
  bool verbose, progress;
  int color;            /* -1 auto */
  int fail_on;          /* 0: the configuration's, else high */
  cli_outputs outputs;
  const char *baseline; /* --baseline FILE */
  const char *trace;    /* --trace RULE */
  const char *baseline_out; /* policy baseline write FILE */
  const char **excludes;
  size_t nexcludes;
  unsigned shard, nshards, jobs;
} check_opts;

/* The value of --name VALUE or --name=VALUE at argv[*i], or NULL. */
static const char *value_of(const char *name, int argc, char **argv, int *i, bool *bad) {
  const char *a = argv[*i];
  size_t n = strlen(name);
  if (strncmp(a, name, n) != 0 || (a[n] != '\0' && a[n] != '=')) return NULL;
  if (a[n] == '=') return a + n + 1;
  if (*i + 1 < argc) return argv[++*i];
  fprintf(stderr, "policy check: %s needs a value\n", name);
  *bad = true;
  return NULL;
}

static bool parse_unsigned(const char *s, unsigned *out) {
  char *end;
  unsigned long v = strtoul(s, &end, 10);
  if (end == s || v == 0 || v > 100000 || (*end != '\0' && *end != '/')) return false;
  *out = (unsigned)v;
  return true;
}

static int check_option(check_opts *o, int argc, char **argv, int *i) {
  const char *a = argv[*i], *v;
  bool bad = false;
  if (!strcmp(a, "--verbose") || !strcmp(a, "-v")) { o->verbose = true; return 1; }
  if (!strcmp(a, "--color")) { o->color = 1; return 1; }
  if (!strcmp(a, "--no-color")) { o->color = 0; return 1; }
  if (!strcmp(a, "--no-progress")) { o->progress = false; return 1; }
  if ((v = value_of("--format", argc, argv, i, &bad)))
    return cli_output_add(&o->outputs, v) ? 1 : -1;
  if ((v = value_of("--fail-on", argc, argv, i, &bad))) {
    o->fail_on = !strcmp(v, "none") ? POLICY_FAIL_ON_NONE : policy_severity_from_name(v);
    if (o->fail_on != 0) return 1;
    fprintf(stderr, "policy check: --fail-on is info, low, medium, high, critical or none; not '%s'\n",
            cli_safe(v));
    return -1;
  }
  if ((v = value_of("--baseline", argc, argv, i, &bad))) { o->baseline = v; return 1; }
  if ((v = value_of("--trace", argc, argv, i, &bad))) { o->trace = v; return 1; }
  if ((v = value_of("--exclude", argc, argv, i, &bad))) {
    const char **grown = realloc(o->excludes, (o->nexcludes + 1) * sizeof *grown);
    if (grown == NULL) { fputs("policy: out of memory\n", stderr); return -1; }
    o->excludes = grown;
    o->excludes[o->nexcludes++] = v;
    return 1;
  }
  if ((v = value_of("--shard", argc, argv, i, &bad))) {
    const char *slash = strchr(v, '/');
    if (slash && parse_unsigned(v, &o->shard) && parse_unsigned(slash + 1, &o->nshards) &&
        o->shard <= o->nshards)
      return 1;
    fprintf(stderr, "policy check: --shard takes I/N with 1 <= I <= N (e.g. 2/4), not '%s'\n",
            cli_safe(v));
    return -1;
  }
  if ((v = value_of("--jobs", argc, argv, i, &bad)) || (v = value_of("-j", argc, argv, i, &bad))) {
    if (parse_unsigned(v, &o->jobs) && !strchr(v, '/') && o->jobs <= 256) return 1;
    fprintf(stderr, "policy check: --jobs takes a number of threads from 1 to 256, not '%s'\n",
            cli_safe(v));
    return -1;
  }
  return bad ? -1 : 0;
}

static unsigned cpu_count(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : n > 64 ? 64 : (unsigned)n;
}

/* Whether the inputs may be more than one file: more than one path, or a
** folder (walked). Only then are other threads' engines made early. */
static bool many_inputs(char **paths, size_t npaths, char **run_line) {
  if (run_line || npaths == 0) return false;
  if (npaths > 1) return true;
  struct stat st;
  return stat(paths[0], &st) == 0 && S_ISDIR(st.st_mode);
}

/* The excludes of the command line and of the configuration. */
static bool gather_excludes(cli_walk_list *w, const check_opts *co, const policy_engine *e,
                            const char ***owned) {
  size_t n = co->nexcludes;
  while (policy_engine_config_exclude(e, n - co->nexcludes)) n++;
  const char **all = malloc((n ? n : 1) * sizeof *all);
  if (all == NULL) return false;
  for (size_t i = 0; i < co->nexcludes; i++) all[i] = co->excludes[i];
  for (size_t i = co->nexcludes; i < n; i++) all[i] = policy_engine_config_exclude(e, i - co->nexcludes);
  w->excludes = all;
  w->nexcludes = n;
  *owned = all;
  return true;
}

/* Rules of the user's (not built in, not ignored) that ran on no subject
** in any input: most often an applies_to naming the wrong kind, which
** would otherwise pass silently. */
static void warn_not_applied(policy_engine *e, const uint64_t *subjects, size_t n) {
  for (size_t i = 0; i < n; i++) {
    const char *origin = policy_engine_rule_string(e, i, POLICY_RULE_ORIGIN);
    if (subjects[i] || policy_engine_rule_ignored(e, i) != 0 || origin == NULL ||
        strncmp(origin, "builtin:", 8) == 0)
      continue;
    const char *pack = policy_engine_rule_pack(e, i);
    fprintf(stderr, "policy: warning: rule %s (%s%s) applied to nothing: no input had a "
            "subject it applies to (%s); is its applies_to right?\n",
            cli_safe(policy_engine_rule_string(e, i, POLICY_RULE_ID)), pack ? "pack " : "",
            cli_safe(pack ? pack : origin),
            cli_safe(policy_engine_rule_string(e, i, POLICY_RULE_APPLIES_TO)));
  }
}

static void print_summary(const cli_counts *k, int fail_on, bool baseline) {
  printf("%zu file%s checked: %zu finding%s", k->files, k->files == 1 ? "" : "s",
         k->findings, k->findings == 1 ? "" : "s");
  if (k->below)
    printf(" (%zu below --fail-on %s)", k->below,
           fail_on == POLICY_FAIL_ON_NONE ? "none" : policy_severity_name(fail_on));
  printf(", %zu suppressed, %zu error%s", k->suppressed, k->errors, k->errors == 1 ? "" : "s");
  if (k->warnings) printf(", %zu warning%s", k->warnings, k->warnings == 1 ? "" : "s");
  if (baseline) printf(", %zu fixed since the baseline", k->fixed);
  putchar('\n');
}

/* Writes the baseline of `policy baseline write`. */
static bool write_baseline(const char *path, const policy_report *rep) {
  cli_outputs one = {{{POLICY_FORMAT_BASELINE, path}}, 1};
  return cli_outputs_write(&one, rep, NULL, 0);
}

static int run(const check_opts *co, const cli_input_opts *in, const cli_policy_opts *po,
               char **paths, size_t npaths, char **run_line, size_t nrun) {
  policy_engine *e;
  unsigned jobs = co->trace ? 1 : co->jobs ? co->jobs : cpu_count();
  /* The other threads' engines are made while this one is. */
  cli_spares *spares = jobs > 1 && many_inputs(paths, npaths, run_line)
                           ? cli_spares_start(jobs - 1, in, po) : NULL;
  /* So are the named paths looked at (NULL on out-of-memory). */
  cli_probe *probe = run_line ? NULL : cli_probe_start(paths, npaths, in->kind);
  int status = cli_engine_setup(&e, in, po, false);
  bool refused = status == CLI_RULES_REFUSED; /* printed; the others run */
  if (refused) status = EXIT_CLEAN;
  if (status != EXIT_CLEAN) {
    cli_spares_free(spares);
    cli_probe_free(probe);
    return status;
  }
  size_t unknown_ids = cli_policy_warnings(po, e);
  int fail_on = co->fail_on ? co->fail_on : policy_engine_config_fail_on(e);
  if (fail_on == 0) fail_on = POLICY_SEVERITY_HIGH;
  cli_walk_list w = {0};
  const char **excludes = NULL;
  policy_baseline *baseline = NULL;
  if (co->baseline && policy_baseline_load(&baseline, e, co->baseline) != POLICY_OK) {
    fprintf(stderr, "policy: %s\n", cli_safe(policy_engine_errmsg(e)));
    status = EXIT_USAGE;
  }
  cli_walk_item line_item = {"command-line", POLICY_KIND_RUN, true, false};
  if (run_line) { /* `-- docker run ...`: the one input */
    w.items = &line_item;
    w.len = 1;
  } else if (status == EXIT_CLEAN &&
      (probe == NULL || !gather_excludes(&w, co, e, &excludes) ||
       !cli_walk_paths(&w, paths, npaths, in->kind, cli_probe_wait(probe)) ||
       !cli_walk_drop_linked(&w, e))) {
    fputs("policy: out of memory\n", stderr);
    status = EXIT_USAGE;
  }
  cli_probe_free(probe);
  if (status == EXIT_CLEAN && co->nshards) cli_walk_shard(&w, co->shard, co->nshards);
  bool stdout_taken = co->baseline_out != NULL;
  bool text_to_stdout = true;
  for (size_t i = 0; i < co->outputs.len; i++)
    if (co->outputs.items[i].path == NULL) {
      stdout_taken = true;
      text_to_stdout = co->outputs.items[i].format == POLICY_FORMAT_TEXT;
    }
  bool stream = !co->baseline_out && (text_to_stdout || !stdout_taken);
  bool others = co->baseline_out != NULL;
  for (size_t i = 0; i < co->outputs.len; i++)
    others |= !(co->outputs.items[i].format == POLICY_FORMAT_TEXT && co->outputs.items[i].path == NULL);
  bool color = co->color < 0 ? isatty(STDOUT_FILENO) && getenv("NO_COLOR") == NULL : co->color;
  cli_scan_reports held = {0};
  bool have_held = false;
  if (status == EXIT_CLEAN && !run_line) {
    have_held = cli_scan_reports_parse(&held, e, &w);
    if (!have_held) {
      fputs("policy: out of memory\n", stderr);
      status = EXIT_USAGE;
    }
  }
  size_t trace = SIZE_MAX, nrules = policy_engine_rule_count(e);
  if (status == EXIT_CLEAN && co->trace && policy_engine_rule_find(&trace, e, co->trace) != POLICY_OK) {
    fprintf(stderr, "policy check: --trace %s: no loaded rule has this id or ref (see policy "
            "rules)\n", cli_safe(co->trace));
    status = EXIT_USAGE;
  }
  uint64_t *subjects = calloc(nrules ? nrules : 1, sizeof *subjects);
  if (subjects == NULL && status == EXIT_CLEAN) {
    fputs("policy: out of memory\n", stderr);
    status = EXIT_USAGE;
  }
  cli_check c = {in, po, &w, baseline, jobs, fail_on,
                 stream, others, co->verbose, stream || co->baseline_out,
                 color ? POLICY_TEXT_COLOR : 0, co->progress, have_held ? &held : NULL,
                 trace, subjects, nrules, run_line, nrun};
  policy_report *merged = NULL;
  cli_counts k = {0};
  if (status == EXIT_CLEAN && !cli_check_run(&c, e, spares, &merged, &k)) status = EXIT_USAGE;
  cli_spares_free(spares);
  if (status == EXIT_CLEAN) {
    if (k.files) warn_not_applied(e, subjects, nrules);
    if (stream) print_summary(&k, fail_on, baseline != NULL);
    bool written = co->baseline_out ? write_baseline(co->baseline_out, merged)
                                    : cli_outputs_write(&co->outputs, merged, e, c.text_flags);
    fflush(stdout);
    if (!written || k.errors > 0 || w.errors || refused) status = EXIT_USAGE;
    else if (po->strict && (unknown_ids > 0 || k.unknown_ids > 0)) status = EXIT_USAGE;
    else if (!co->baseline_out && k.findings - k.below > 0) status = EXIT_FINDINGS;
  }
  policy_report_free(merged);
  free(subjects);
  if (have_held) cli_scan_reports_free(&held);
  policy_baseline_free(baseline);
  if (!run_line) cli_walk_free(&w);
  free(excludes);
  policy_engine_free(e);
  return status;
}

/* `policy check ARGS` and `policy baseline write FILE ARGS`. */
static int check_main(int argc, char **argv, const char *baseline_out) {
  check_opts co = {.progress = true, .color = -1, .baseline_out = baseline_out};
  cli_input_opts in = {0};
  cli_policy_opts po = {0};
  po.isolation = -1;
  char **paths = calloc((size_t)argc, sizeof *paths);
  size_t npaths = 0;
  char **run_line = NULL; /* -- docker run ... */
  size_t nrun = 0;
  int status = EXIT_CLEAN;
  if (paths == NULL) { fputs("policy: out of memory\n", stderr); return EXIT_USAGE; }
  for (int i = 1; i < argc && status == EXIT_CLEAN; i++) {
    const char *a = argv[i];
    int r;
    if ((r = cli_input_option(&in, argc, argv, &i)) == 0 &&
        (r = cli_policy_option(&po, argc, argv, &i)) == 0 &&
        (r = check_option(&co, argc, argv, &i)) == 0) {
      if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
        baseline_out ? cli_help_baseline(stdout) : cli_help_check(stdout);
        goto done;
      }
      if (!strcmp(a, "--") && cli_run_line(argv + i + 1, (size_t)(argc - i - 1))) {
        run_line = argv + i + 1;
        nrun = (size_t)(argc - i - 1);
        break;
      }
      if (!strcmp(a, "--")) { while (++i < argc) paths[npaths++] = argv[i]; break; }
      if (a[0] == '-' && a[1] != '\0') {
        fprintf(stderr, "policy %s: unknown option '%s' (try 'policy help %s')\n",
                baseline_out ? "baseline" : "check", cli_safe(a), baseline_out ? "baseline" : "check");
        status = EXIT_USAGE;
        break;
      }
      paths[npaths++] = argv[i];
    }
    if (r < 0) status = EXIT_USAGE;
  }
  if (status == EXIT_CLEAN && npaths == 0 && run_line == NULL) {
    fputs("policy check: nothing to check (give files, directories, or - for standard input)\n", stderr);
    status = EXIT_USAGE;
  }
  /* hadolint's HADOLINT_FORMAT, below the command line (docs/hadolint.md) */
  const char *hformat = getenv("HADOLINT_FORMAT");
  if (status == EXIT_CLEAN && hformat && *hformat && co.outputs.len == 0 && !baseline_out &&
      cli_hadolint_pack(&po)) {
    int format = cli_format_named(hformat);
    if (format == 0) {
      cli_format_unknown("HADOLINT_FORMAT", hformat);
      status = EXIT_USAGE;
    } else {
      co.outputs.items[co.outputs.len++] = (cli_output){format, NULL};
    }
  }
  if (status == EXIT_CLEAN && baseline_out && (co.outputs.len || co.baseline)) {
    fputs("policy baseline write: --format and --baseline belong to policy check\n", stderr);
    status = EXIT_USAGE;
  }
  if (status == EXIT_CLEAN) status = run(&co, &in, &po, paths, npaths, run_line, nrun);
done:
  free(paths);
  free(co.excludes);
  free(in.build_args);
  cli_policy_opts_free(&po);
  return status;
}

int cli_cmd_check(int argc, char **argv) { return check_main(argc, argv, NULL); }

int cli_cmd_baseline(int argc, char **argv) {
  if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
    cli_help_baseline(stdout);
    return EXIT_CLEAN;
  }
  if (argc < 3 || strcmp(argv[1], "write") != 0) {
    fputs("policy baseline: usage: policy baseline write FILE [options] PATH... "
          "(see policy help baseline)\n", stderr);
    return EXIT_USAGE;
  }
  return check_main(argc - 2, argv + 2, argv[2]);
}
