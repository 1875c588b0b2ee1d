/*
** run_line.c: `-- docker run ...` after the options of policy parse,
** check and admit: the rest of the command line is a docker run or
** docker create command line, read with policy_parse_argv.
*/
#include <string.h>

#include "cli.h"

/* The name problems and findings of a run line are reported under. */
#define RUN_LINE_NAME "command-line"

bool cli_run_line(char **args, size_t n) {
  if (n == 0) return false;
  const char *slash = strrchr(args[0], '/');
  return strcmp(slash ? slash + 1 : args[0], "docker") == 0;
}

int cli_run_line_parse(policy_document **out, policy_engine *e, char **args, size_t n) {
  int rc = policy_parse_argv(out, e, RUN_LINE_NAME, n, (const char *const *)args);
  if (rc != POLICY_OK) {
    const char *msg = policy_engine_errmsg(e);
    cli_diag_print(RUN_LINE_NAME, 0, 0, "error", *msg ? msg : policy_strerror(rc));
  }
  return rc;
}
