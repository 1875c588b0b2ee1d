/*
** cli_cmd_parse.c: `policy parse`: print each input's model as JSON.
**
** Output is one JSON object, {"documents": [...]}, one element per input
** that could be read. Problems in the inputs go to stderr as
** file:line:col: error: message; every input is still attempted.
*/
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void cli_help_parse(FILE *f) {
  fputs(
      "Usage: policy parse [options] FILE...\n"
      "       policy parse [options] -- docker run|create [flags] IMAGE [ARG...]\n"
      "\n"
      "Parses each FILE ('-' for standard input) and prints its model, the\n"
      "data policies see, as one JSON object: {\"documents\": [...]}.\n"
      "Problems go to standard error as file:line:col: error: message; the\n"
      "other files are still parsed. After --, a docker run or docker create\n"
      "command line is one input, named command-line (column: the index of\n"
      "the argument, docker being 0; see run-flags.md).\n"
      "\n"
      "Options:\n"
      "  --format json          output format (json is the only one)\n"
      "  --compact              one line of JSON instead of indented output\n"
      "  --no-positions         leave out the \"pos\" members\n"
      "  --kind KIND            auto (default), dockerfile, compose, inspect,\n"
      "                         request, scan (a vulnerability scan report)\n"
      "  --build-arg NAME=VALUE a build argument, as docker build takes it\n"
      "                         (repeatable; NAME alone reads the environment)\n"
      "  --target STAGE         the stage that counts as final\n"
      "  --env-file FILE        variables for Compose files instead of the .env\n"
      "                         next to them (the environment still wins)\n"
      , f);
  cli_limit_help(f, CLI_LIMITS_INPUT);
  fputs(
      "\n"
      "Exit status: 0 when every input parsed cleanly, 2 when any input had\n"
      "an error or could not be read.\n"
      "\n"
      "Example:\n"
      "  policy parse Dockerfile | jq '.documents[0].images[] | {name, user}'\n",
      f);
}

int cli_cmd_parse(int argc, char **argv) {
  cli_input_opts in = {0};
  bool pretty = true, positions = true;
  int status = EXIT_CLEAN;
  const char **files = calloc((size_t)argc, sizeof *files);
  size_t nfiles = 0;
  char **run_line = NULL; /* -- docker run ... */
  size_t nrun = 0;
  if (files == NULL) { fputs("policy: out of memory\n", stderr); return EXIT_USAGE; }
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    int r = cli_input_option(&in, argc, argv, &i);
    if (r < 0) { status = EXIT_USAGE; goto done; }
    if (r > 0) continue;
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) { cli_help_parse(stdout); goto done; }
    else if (!strcmp(a, "--compact")) pretty = false;
    else if (!strcmp(a, "--no-positions")) positions = false;
    else if (!strcmp(a, "--format") || !strncmp(a, "--format=", 9)) {
      const char *v = a[8] == '=' ? a + 9 : (i + 1 < argc ? argv[++i] : "");
      if (strcmp(v, "json") != 0) {
        fprintf(stderr, "policy parse: --format json is the only format, not '%s'\n", cli_safe(v));
        status = EXIT_USAGE;
        goto done;
      }
    } else if (a[0] == '-' && a[1] != '\0' && strcmp(a, "--") != 0) {
      fprintf(stderr, "policy parse: unknown option '%s' (try 'policy help parse')\n", cli_safe(a));
      status = EXIT_USAGE;
      goto done;
    } else if (strcmp(a, "--") == 0) {
      if (cli_run_line(argv + i + 1, (size_t)(argc - i - 1))) {
        run_line = argv + i + 1;
        nrun = (size_t)(argc - i - 1);
        break;
      }
      while (++i < argc) files[nfiles++] = argv[i];
    } else {
      files[nfiles++] = a;
    }
  }
  if (nfiles == 0 && run_line == NULL) {
    fputs("policy parse: no input files (give FILE... or - for standard input)\n", stderr);
    status = EXIT_USAGE;
    goto done;
  }
  policy_engine *e;
  if (policy_engine_new(&e) != POLICY_OK) { fputs("policy: out of memory\n", stderr); status = EXIT_USAGE; goto done; }
  if ((status = cli_input_apply(&in, e, false)) != EXIT_CLEAN) { policy_engine_free(e); goto done; }
  uint32_t flags = (pretty ? POLICY_JSON_PRETTY : 0) | (positions ? 0 : POLICY_JSON_NO_POSITIONS);
  fputs(pretty ? "{\n\"documents\": [" : "{\"documents\":[", stdout);
  size_t printed = 0;
  for (size_t k = 0; k < nfiles + (run_line != NULL); k++) {
    policy_document *doc;
    int rc = k < nfiles ? cli_input_parse(&doc, e, files[k], in.kind)
                        : cli_run_line_parse(&doc, e, run_line, nrun);
    if (rc != POLICY_OK) { status = EXIT_USAGE; continue; }
    if (cli_diag_document(doc) > 0) status = EXIT_USAGE;
    char *json;
    if (policy_document_to_json(&json, NULL, doc, flags) != POLICY_OK) {
      cli_diag_print(policy_document_path(doc), 0, 0, "error", "out of memory");
      status = EXIT_USAGE;
    } else {
      fputs(printed++ ? (pretty ? ",\n" : ",") : (pretty ? "\n" : ""), stdout);
      fputs(json, stdout);
      policy_free(json);
    }
    policy_document_free(doc);
  }
  fputs(pretty ? "\n]\n}\n" : "]}\n", stdout);
  policy_engine_free(e);
done:
  free(in.build_args);
  free(files);
  return status;
}
