/*
** cli.h: the pieces of the `policy` command. The CLI uses policy.h only.
*/
#ifndef POLICY_CLI_H
#define POLICY_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <pthread.h>
#include <stdio.h>

#include <policy/policy.h>

/* Exit codes shared by every command. */
enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_USAGE = 2 };
/* Not an exit status: the engine is usable, but rule files were refused
** (printed); the run goes on and ends with EXIT_USAGE. */
enum { CLI_RULES_REFUSED = -1 };

int cli_cmd_parse(int argc, char **argv);
int cli_cmd_check(int argc, char **argv);
int cli_cmd_rules(int argc, char **argv);
int cli_cmd_explain(int argc, char **argv);
int cli_cmd_test(int argc, char **argv);
int cli_cmd_baseline(int argc, char **argv);
int cli_cmd_eval(int argc, char **argv);
int cli_cmd_pack(int argc, char **argv);
int cli_cmd_admit(int argc, char **argv);
int cli_cmd_authz(int argc, char **argv);

/* ---- Text for a terminal (terminal.c) ----------------------------------- */

/* `s` escaped for a terminal (policy_escape_text: control characters,
** invalid UTF-8 and bidi controls become visible escapes), with the CLI
** option named after every POLICY_LIMIT_* the library mentions. The
** result lives in one of a few rotating buffers: valid until CLI_SAFE_SLOTS
** more calls, so several may be printf arguments at once. Never NULL. */
#define CLI_SAFE_SLOTS 16
const char *cli_safe(const char *s);
/* The same, newlines kept (descriptions, remediations). */
const char *cli_safe_lines(const char *s);

/* Prints `file:line:col: <severity>: message` to stderr, escaped. */
void cli_diag_print(const char *file, uint32_t line, uint32_t col,
                const char *severity, const char *message);
/* Prints every error and warning of a document; returns the error count. */
size_t cli_diag_document(const policy_document *doc);

/* ---- Limits (limits.c): the one table of POLICY_LIMIT_* and options ---- */

enum { CLI_LIMIT_SLOTS = 16 }; /* indexed by policy_limit */
typedef struct cli_limits {
  uint64_t value[CLI_LIMIT_SLOTS]; /* 0 = the library's default */
} cli_limits;

/* Consumes argv[*i] (and its value) if it is a --max-* option of the
** group (input: parsing limits; rules: sandbox limits); 1 consumed, 0
** not one, -1 bad value (message printed). */
enum { CLI_LIMITS_INPUT = 1, CLI_LIMITS_RULES = 2 };
int cli_limit_option(cli_limits *l, int group, int argc, char **argv, int *i);
/* Sets the limits given; returns a policy status (errmsg set). */
int cli_limit_apply(const cli_limits *l, policy_engine *e);
/* A malloc'd copy of msg where each line that mentions POLICY_LIMIT_*
** names ends with "; option --max-..." for each; NULL on out-of-memory. */
char *cli_limit_annotate(const char *msg);
/* The help lines of the --max-* options of a group. */
void cli_limit_help(FILE *f, int group);

/* ---- Options ------------------------------------------------------------ */

/* Options shared by commands that parse input. */
typedef struct cli_input_opts {
  int kind;                /* policy_kind */
  const char **build_args; /* NAME=value */
  size_t nbuild_args;
  const char *target;
  const char *env_file;    /* variables for Compose interpolation */
  cli_limits limits;       /* the input group */
} cli_input_opts;

/* Consumes argv[*i] (and its value) if it is an input option; returns 1
** when consumed, 0 when not an input option, -1 on a bad value (message
** printed). */
int cli_input_option(cli_input_opts *o, int argc, char **argv, int *i);
/* Applies the options to an engine; returns EXIT_USAGE on error, which it
** prints unless `quiet`. */
int cli_input_apply(const cli_input_opts *o, policy_engine *e, bool quiet);

/* Reads `path` ("-" = standard input) into a document; prints problems. */
int cli_input_parse(policy_document **out, policy_engine *e, const char *path,
                int kind);

/* `-- docker run ...` (run_line.c): whether the arguments after `--` are a
** docker command line (the first is `docker` or a path ending in
** /docker), and its document, read with policy_parse_argv under the name
** "command-line" (problems printed as cli_input_parse prints them). */
bool cli_run_line(char **args, size_t n);
int cli_run_line_parse(policy_document **out, policy_engine *e, char **args, size_t n);

void cli_help_parse(FILE *f);
void cli_help_check(FILE *f);
void cli_help_rules(FILE *f);
void cli_help_explain(FILE *f);
void cli_help_test(FILE *f);
void cli_help_baseline(FILE *f);
void cli_help_eval(FILE *f);
void cli_help_pack(FILE *f);
void cli_help_admit(FILE *f);
void cli_help_authz(FILE *f);


/* Options that load policies into an engine (shared by check, rules,
** explain, baseline): --policy, --no-builtin, --data, --ignore, --config,
** --no-config, --strict and the sandbox limits. */
typedef struct cli_policy_opts {
  const char **policies;
  size_t npolicies;
  const char **pack_sha256; /* --pack-sha256: the i-th checks the i-th
                            ** --policy that is a .tar.gz */
  size_t npack_sha256;
  const char **data;
  size_t ndata;
  char **ignores;        /* one id or ref each (--ignore a,b split), owned */
  size_t nignores;
  bool no_builtin;
  const char **packs;    /* --pack NAME: built-in packs instead of the default */
  size_t npacks;
  const char *config;    /* --config FILE */
  bool no_config;        /* --no-config */
  bool strict;           /* unknown ids are errors, not warnings */
  int isolation;         /* --isolation: a policy_isolation, or -1 */
  const char *profile;   /* --profile NAME, or NULL (the configuration's) */
  cli_limits limits;     /* the rules group */
} cli_policy_opts;

int cli_policy_option(cli_policy_opts *o, int argc, char **argv, int *i);
/* Loads what the options name, silently (the caller prints
** cli_policy_warnings once); returns EXIT_USAGE on error, printed unless
** quiet. Rule files that are refused (invalid, over a limit, an id used
** twice) are printed (unless quiet) and leave the engine usable with the
** other rules: CLI_RULES_REFUSED. */
int cli_policy_apply(const cli_policy_opts *o, policy_engine *e, bool quiet);
/* Prints the engine's warnings (expired ignores, ignores naming no rule:
** those of the configuration and of --ignore) on stderr, as errors with
** --strict. Returns the number of unknown ids. */
size_t cli_policy_warnings(const cli_policy_opts *o, policy_engine *e);
/* The configuration file: --config, else .policy.yaml in the working
** directory or the nearest folder above it, else hadolint's
** configuration as hadolint finds it (./.hadolint.yaml or .yml; with
** --pack hadolint also the user's: $XDG_CONFIG_HOME/hadolint.yaml,
** ~/.hadolint/hadolint.yaml, ~/.hadolint/config.yaml, ~/.hadolint.yaml,
** each also .yml); NULL when none (or --no-config). The result is
** malloc'd. */
char *cli_config_path(const cli_policy_opts *o);
void cli_policy_opts_free(cli_policy_opts *o);
/* Whether --pack hadolint is among the options (hadolint's variables and
** user configuration apply only then). */
bool cli_hadolint_pack(const cli_policy_opts *o);

/* The policy_format a --format name stands for: ours, or hadolint's where
** one of ours is its equivalent (tty, gnu: text; gitlab_codeclimate:
** gitlab); 0 for another name (the baseline included: it is not an output
** format of policy check). */
int cli_format_named(const char *name);
/* Prints why `name` (given by `what`: "--format", "HADOLINT_FORMAT") is
** not a format, listing ours. */
void cli_format_unknown(const char *what, const char *name);
/* Whether a --policy path names a pack archive (.tar.gz, .tgz). */
bool cli_is_pack_archive(const char *path);

/* ---- Probing the named paths (probe.c) ---------------------------------- */

/* What cli_probe_wait says of a path: a directory; a regular file whose
** name says nothing of what it holds (kind POLICY_KIND_AUTO) and whose
** first byte that is not blank opens JSON. */
enum { CLI_PROBE_DIR = 1, CLI_PROBE_JSON = 2 };
typedef struct cli_probe cli_probe;
/* Starts looking at the n paths (kept by reference: they must outlive
** the probe) on a thread of its own when there are many; NULL on
** out-of-memory. kind: the --kind given (AUTO when none). */
cli_probe *cli_probe_start(char **paths, size_t n, int kind);
/* Per path, CLI_PROBE_* bits (owned by the probe); waits for the thread,
** or looks at the paths now. */
const unsigned char *cli_probe_wait(cli_probe *p);
/* Frees, after the thread if one runs (paths not looked at yet are not
** looked at). NULL is a no-op. */
void cli_probe_free(cli_probe *p);

/* ---- Walking (walk.c) --------------------------------------------------- */

/* The inputs of `policy check`: files named on the command line (kind as
** given, sniffed when AUTO) and files found in directories (by name).
** Paths are normalised: relative to the working directory when under it,
** no "./" and no doubled slashes, so each file has one name. */
typedef struct cli_walk_item {
  char *path;
  int kind;
  bool named;   /* named on the command line, not found by walking */
  bool json;    /* named, its name says nothing and it starts like JSON */
} cli_walk_item;

typedef struct cli_walk_list {
  cli_walk_item *items;
  size_t len, cap;
  size_t errors;  /* directories that could not be read */
  const char *const *excludes; /* globs (see cli_walk_excluded) */
  size_t nexcludes;
} cli_walk_list;

/* Lists the inputs PATHS name; probed: what cli_probe_wait says of them. */
bool cli_walk_paths(cli_walk_list *w, char **paths, size_t n, int kind,
                    const unsigned char *probed);
void cli_walk_free(cli_walk_list *w);
int cli_walk_kind_by_name(const char *name);
/* The path normalised as above; malloc'd, NULL on out-of-memory. */
char *cli_walk_normalise(const char *path);
/* Whether a glob excludes a (normalised) path: a glob without '/'
** matches any one component (`vendor`, `*.tmpl`), a glob with '/' the
** path from its start or any leading folders of it (`third_party/x`). */
bool cli_walk_excluded(const cli_walk_list *w, const char *path);
/* Drops the items that a Compose item of the list also reads (the
** Dockerfiles its services build): each file is checked once, through
** the Compose file. Parses the Compose items with `e`. */
bool cli_walk_drop_linked(cli_walk_list *w, policy_engine *e);
/* Keeps the shard-th of nshards slices (1-based): every nshards-th item. */
void cli_walk_shard(cli_walk_list *w, unsigned shard, unsigned nshards);

/* ---- Output formats (outputs.c) ----------------------------------------- */

typedef struct cli_output {
  int format;          /* policy_format */
  const char *path;    /* NULL: standard output */
} cli_output;

typedef struct cli_outputs {
  cli_output items[16];
  size_t len;
} cli_outputs;

/* Parses FORMAT or FORMAT=FILE for --format; prints and returns false on
** error (an unknown format, two formats on standard output). */
bool cli_output_add(cli_outputs *o, const char *spec);
/* Writes every output but the streamed text; false when one failed. */
bool cli_outputs_write(const cli_outputs *o, const policy_report *rep,
                       const policy_engine *e, uint32_t text_flags);

/* ---- Progress (progress.c) ---------------------------------------------- */

typedef struct cli_progress {
  bool enabled;        /* stderr is a terminal */
  bool shown;          /* a progress line is on screen */
  double start, last;  /* seconds */
} cli_progress;

void cli_progress_init(cli_progress *p, bool wanted);
/* Shows "done/total files" once the run has taken a second, at most ten
** times a second. */
void cli_progress_update(cli_progress *p, size_t done, size_t total);
/* Clears the line (before other output, and at the end). */
void cli_progress_clear(cli_progress *p);

/* ---- Checking (check_run.c) --------------------------------------------- */

typedef struct cli_scan_reports cli_scan_reports;

typedef struct cli_check {
  const cli_input_opts *in;
  const cli_policy_opts *po;
  const cli_walk_list *files;
  const policy_baseline *baseline;  /* or NULL */
  unsigned jobs;
  int fail_on;
  bool stream_text;    /* text on standard output, file by file */
  bool keep_report;    /* other outputs need the merged report */
  bool verbose;        /* rules' logs on stderr */
  bool warnings_on_stderr;
  uint32_t text_flags; /* POLICY_TEXT_COLOR */
  bool progress;
  cli_scan_reports *held;  /* inputs held back (scan reports), or NULL */
  /* --trace: the rule whose steps are printed per file (jobs is 1), or
  ** SIZE_MAX */
  size_t trace;
  /* per loaded rule, the subjects it ran on, summed over every engine of
  ** the run (nrules entries, zeroed by the caller), or NULL */
  uint64_t *subjects;
  size_t nrules;
  char **run_line;     /* `-- docker run ...`: the files list holds one item
                       ** of kind POLICY_KIND_RUN for it; else NULL */
  size_t nrun;
} cli_check;

typedef struct cli_counts {
  size_t files, findings, below, suppressed, errors, warnings, unknown_ids, fixed;
} cli_counts;

/* Configures an engine as every engine of a run is (input options,
** policies, config); EXIT_CLEAN, CLI_RULES_REFUSED or EXIT_USAGE, with
** the reasons printed unless `quiet` (which prints nothing at all). */
int cli_engine_setup(policy_engine **out, const cli_input_opts *in,
                     const cli_policy_opts *po, bool quiet);
/* The engines of threads 1..n of a check, each made on a thread of its
** own (cli_engine_setup, quiet) while the caller makes the first: their
** making then costs the run no wall time. NULL when none could be
** started (the threads then make their own). cli_spares_free waits for
** the ones still being made and frees those no thread took. */
typedef struct cli_spares cli_spares;
cli_spares *cli_spares_start(unsigned n, const cli_input_opts *in, const cli_policy_opts *po);
void cli_spares_free(cli_spares *s);
/* Checks every file on c->jobs threads, one engine each; streams text
** and merges into *merged (when keep_report). `first` is an engine
** already set up (used by the first thread); the others take theirs from
** `spares` (may be NULL) or make them. Returns false on out-of-memory
** (printed). */
bool cli_check_run(const cli_check *c, policy_engine *first, cli_spares *spares,
                   policy_report **merged, cli_counts *counts);

/* Scan reports among the inputs of `policy check` (scan_reports.c): the
** named inputs whose names do not say what they are (scan reports, other
** JSON) are parsed first and held, so that a report is linked to the
** Compose services, containers and images of every other input, whatever
** the order of the paths; they are checked last. */
struct cli_scan_reports {
  policy_document **docs; /* held: scan reports and other named JSON */
  const char **paths;
  size_t len;
  bool *taken;            /* per walk item: parsed (or failed) here */
  policy_report *rep;     /* what parsing them gave (input errors) */
  pthread_mutex_t mu;     /* threads link their documents one at a time */
};

bool cli_scan_reports_parse(cli_scan_reports *s, policy_engine *e, const cli_walk_list *w);
/* Links every held report to doc (an input checked on any thread). */
void cli_scan_reports_link(cli_scan_reports *s, const policy_document *doc);
/* Links the held documents with each other, then checks them into the
** parse report, which it hands over (NULL on out-of-memory); frees the
** documents. */
policy_report *cli_scan_reports_check(cli_scan_reports *s, policy_engine *e,
                                      const policy_baseline *baseline);
void cli_scan_reports_free(cli_scan_reports *s);

#endif
