/*
** cli.h: the pieces of the `policy` command. The CLI uses policy.h only.
*/
#ifndef POLICY_CLI_H
#define POLICY_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <policy/policy.h>

/* Exit codes shared by every command. */
enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_USAGE = 2 };

int cmd_parse(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_test(int argc, char **argv);

/* Prints `file:line:col: <severity>: message` to stderr. */
void diag_print(const char *file, uint32_t line, uint32_t col,
                const char *severity, const char *message);
/* Prints every error and warning of a document; returns the error count. */
size_t diag_document(const policy_document *doc);

/* Options shared by commands that parse input. */
typedef struct input_opts {
  int kind;                /* policy_kind */
  const char **build_args; /* NAME=value */
  size_t nbuild_args;
  const char *target;
  const char *env_file;    /* variables for Compose interpolation */
  uint64_t max_input, max_line, max_model; /* 0 = default */
} input_opts;

/* Consumes argv[*i] (and its value) if it is an input option; returns 1
** when consumed, 0 when not an input option, -1 on a bad value (message
** printed). */
int input_option(input_opts *o, int argc, char **argv, int *i);
/* Applies the options to an engine; prints and returns EXIT_USAGE on error. */
int input_apply(const input_opts *o, policy_engine *e);

/* Reads `path` ("-" = standard input) into a document; prints problems. */
int input_parse(policy_document **out, policy_engine *e, const char *path,
                int kind);

void help_parse(FILE *f);
void help_check(FILE *f);
void help_rules(FILE *f);
void help_explain(FILE *f);
void help_test(FILE *f);

/* The inputs of `policy check`: files named on the command line (kind as
** given, sniffed when AUTO) and files found in directories (by name). */
typedef struct walk_item {
  char *path;
  int kind;
  bool named;   /* named on the command line, not found by walking */
} walk_item;

typedef struct walk_list {
  walk_item *items;
  size_t len, cap;
  size_t errors;  /* directories that could not be read */
} walk_list;

bool walk_paths(walk_list *w, char **paths, size_t n, int kind);
void walk_free(walk_list *w);
int walk_kind_by_name(const char *name);

/* `policy check`'s steps for one input: parse it (problems become report
** errors; NULL then), and check it (the document is freed). */
policy_document *check_parse(policy_report *rep, policy_engine *e, const walk_item *it);
void check_document(policy_report *rep, policy_engine *e, const char *path,
                    policy_document *doc);

/* Scan reports among the inputs of `policy check` (scan_reports.c): the
** named inputs whose names do not say what they are are parsed first and
** held, so that a report is linked to the Compose services, containers
** and images of every other input, whatever the order of the paths. */
typedef struct scan_reports {
  policy_document **docs; /* held: scan reports and other named JSON */
  const char **paths;
  size_t len;
  bool *taken;            /* per walk item: parsed (or failed) here */
} scan_reports;

bool scan_reports_parse(scan_reports *s, policy_report *rep, policy_engine *e,
                        const walk_list *w);
/* Links every held report to doc (an input checked in the main loop). */
void scan_reports_link(const scan_reports *s, const policy_document *doc);
/* Links the held documents with each other, then checks and frees them. */
void scan_reports_check(scan_reports *s, policy_report *rep, policy_engine *e);
void scan_reports_free(scan_reports *s);

/* Options that load policies into an engine (shared by check, rules,
** explain): --policy, --no-builtin, --data, --ignore. */
typedef struct cli_policy_opts {
  const char **policies;
  size_t npolicies;
  const char **data;
  size_t ndata;
  const char **ignores;
  size_t nignores;
  bool no_builtin;
  const char *config;    /* --config FILE */
  bool no_config;        /* --no-config */
  uint64_t max_instructions, max_lua_memory, max_findings, max_rule_time;
} cli_policy_opts;

int cli_policy_option(cli_policy_opts *o, int argc, char **argv, int *i);
/* Loads what the options name; prints and returns EXIT_USAGE on error. */
int cli_policy_apply(const cli_policy_opts *o, policy_engine *e);
/* The configuration file: --config, else .policy.yaml in the working
** directory or the nearest folder above it; NULL when none (or
** --no-config). The result is malloc'd. */
char *cli_config_path(const cli_policy_opts *o);
void cli_policy_opts_free(cli_policy_opts *o);

#endif
