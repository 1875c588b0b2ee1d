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
  uint64_t max_input, max_line; /* 0 = default */
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

#endif
