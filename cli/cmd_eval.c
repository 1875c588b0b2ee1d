/*
** cmd_eval.c: `policy eval`: a Lua expression over one input, in the
** rules' sandbox, printed as JSON: for exploring what rules see, once
** (--expr) or at a prompt (-i). Uses policy.h only.
*/
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

void cli_help_eval(FILE *f) {
  fputs(
      "Usage: policy eval [options] (--expr LUA | -i) FILE\n"
      "\n"
      "Parses FILE ('-' for standard input) and evaluates a Lua expression\n"
      "over it in the sandbox rules run in, printing the result as JSON.\n"
      "The expression sees what rules see (data, text, model_type, the\n"
      "helper libraries) and `document`, `image`, `container`, `request`\n"
      "and `vulnerability` (the document's first of each, or nil). With\n"
      "--policy PACK, the pack's data is loaded and `require` reaches its\n"
      "lib/ modules (the last pack given). Statements work too when they end\n"
      "in `return`.\n"
      "\n"
      "Options:\n"
      "  --expr LUA, -e LUA     the expression\n"
      "  -i, --interactive      read expressions from standard input, one a\n"
      "                         line, each answered as it comes (a prompt on\n"
      "                         a terminal); FILE cannot be '-' then\n"
      "  --compact              one line of JSON instead of indented output\n"
      "  --positions            keep the model's \"pos\" members\n"
      "  --policy PATH, --data FILE, --no-builtin, --config FILE, --no-config\n"
      "                         as for policy check\n"
      "  --kind KIND, --build-arg NAME=VALUE, --target STAGE, --env-file FILE\n"
      "                         as for policy parse\n",
      f);
  cli_limit_help(f, CLI_LIMITS_RULES);
  fputs(
      "\n"
      "Exit status: 0 the expression gave a result (with -i: always, at the\n"
      "end of the input); 2 usage, input or expression errors.\n"
      "\n"
      "Examples:\n"
      "  policy eval -e 'image.user' Dockerfile\n"
      "  policy eval -e '#document.containers' compose.yaml\n"
      "  policy eval -e 'container.resources' compose.yaml\n",
      f);
}

/* Evaluates one expression and prints its JSON or its error. */
static bool eval_one(policy_engine *e, const policy_document *doc, const char *pack,
                     const char *expr, uint32_t flags) {
  char *json;
  if (policy_engine_eval(&json, NULL, e, doc, pack, expr, flags) != POLICY_OK) {
    fprintf(stderr, "policy eval: %s\n", cli_safe(policy_engine_errmsg(e)));
    return false;
  }
  fputs(json, stdout);
  fflush(stdout);
  policy_free(json);
  return true;
}

/* One expression a line until the end of standard input. */
static void interactive(policy_engine *e, const policy_document *doc, const char *pack,
                        uint32_t flags) {
  bool prompt = isatty(STDIN_FILENO);
  char line[65536];
  for (;;) {
    if (prompt) {
      fputs("policy> ", stderr);
      fflush(stderr);
    }
    if (fgets(line, sizeof line, stdin) == NULL) break;
    line[strcspn(line, "\r\n")] = '\0';
    const char *p = line;
    while (*p == ' ' || *p == '\t') p++;
    if (*p) eval_one(e, doc, pack, p, flags);
  }
  if (prompt) fputc('\n', stderr);
}

int cli_cmd_eval(int argc, char **argv) {
  cli_input_opts in = {0};
  cli_policy_opts po = {0};
  po.isolation = -1;
  const char *expr = NULL, *file = NULL;
  bool interact = false, pretty = true, positions = false;
  int status = EXIT_CLEAN;
  for (int i = 1; i < argc && status == EXIT_CLEAN; i++) {
    const char *a = argv[i];
    int r;
    if ((r = cli_input_option(&in, argc, argv, &i)) != 0 ||
        (r = cli_policy_option(&po, argc, argv, &i)) != 0) {
      if (r < 0) status = EXIT_USAGE;
      continue;
    }
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      cli_help_eval(stdout);
      goto done;
    }
    if (!strcmp(a, "-i") || !strcmp(a, "--interactive")) interact = true;
    else if (!strcmp(a, "--compact")) pretty = false;
    else if (!strcmp(a, "--positions")) positions = true;
    else if (!strcmp(a, "-e") || !strcmp(a, "--expr") || !strncmp(a, "--expr=", 7)) {
      expr = a[6] == '=' ? a + 7 : i + 1 < argc ? argv[++i] : NULL;
      if (expr == NULL) {
        fputs("policy eval: --expr needs a Lua expression\n", stderr);
        status = EXIT_USAGE;
      }
    } else if (a[0] == '-' && a[1] != '\0') {
      fprintf(stderr, "policy eval: unknown option '%s' (try 'policy help eval')\n", cli_safe(a));
      status = EXIT_USAGE;
    } else if (file == NULL) {
      file = a;
    } else {
      fprintf(stderr, "policy eval: one input at a time; '%s' is one too many\n", cli_safe(a));
      status = EXIT_USAGE;
    }
  }
  if (status == EXIT_CLEAN && (file == NULL || (expr == NULL) == !interact)) {
    fputs("policy eval: give --expr LUA or -i, and one FILE (see policy help eval)\n", stderr);
    status = EXIT_USAGE;
  }
  if (status == EXIT_CLEAN && interact && !strcmp(file, "-")) {
    fputs("policy eval: -i reads expressions from standard input: name the input FILE\n", stderr);
    status = EXIT_USAGE;
  }
  policy_engine *e = NULL;
  policy_document *doc = NULL;
  if (status == EXIT_CLEAN) {
    status = cli_engine_setup(&e, &in, &po, false);
    if (status == CLI_RULES_REFUSED) status = EXIT_USAGE;
  }
  if (status == EXIT_CLEAN) {
    cli_policy_warnings(&po, e);
    if (cli_input_parse(&doc, e, file, in.kind) != POLICY_OK) status = EXIT_USAGE;
    else cli_diag_document(doc);
  }
  if (status == EXIT_CLEAN) {
    size_t npacks = policy_engine_pack_count(e);
    const char *pack = npacks ? policy_engine_pack_string(e, npacks - 1, POLICY_PACK_NAME) : NULL;
    uint32_t flags = (pretty ? POLICY_JSON_PRETTY : 0) | (positions ? 0 : POLICY_JSON_NO_POSITIONS);
    if (interact) interactive(e, doc, pack, flags);
    else if (!eval_one(e, doc, pack, expr, flags)) status = EXIT_USAGE;
  }
  policy_document_free(doc);
  policy_engine_free(e);
done:
  free(in.build_args);
  cli_policy_opts_free(&po);
  return status;
}
