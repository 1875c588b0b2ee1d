/*
** main.c: the `policy` command: dispatch to subcommands, help, version.
*/
#include <stdio.h>
#include <string.h>

#include "cli.h"

#ifndef POLICY_DOCDIR
#define POLICY_DOCDIR "/usr/local/share/doc/libpolicy"
#endif

static void cli_help_main(FILE *f) {
  fputs(
      "policy: container security policies for Dockerfiles, Compose files,\n"
      "docker inspect output and Engine API requests\n"
      "\n"
      "Usage: policy <command> [options] [FILE...]\n"
      "\n"
      "Commands:\n"
      "  check     run the security policies over files and directories\n"
      "  rules     list the rules (built-in pack and your own)\n"
      "  explain   what a rule checks and how to fix it: policy explain DL3002\n"
      "  test      run the fixtures of a pack or a folder of rules (with\n"
      "            --coverage: the lines they run)\n"
      "  eval      a Lua expression over an input, as rules see it:\n"
      "            policy eval -e 'image.user' Dockerfile (or -i: a prompt)\n"
      "  pack      build a pack archive to ship: policy pack build DIR -o FILE\n"
      "  baseline  record today's findings, so checks report only new ones:\n"
      "            policy baseline write FILE PATH...\n"
      "  admit     allow or deny one input (a create body, an AuthZ request, a\n"
      "            Compose file, inspect output, -- docker run ...)\n"
      "  authz     a Docker AuthZ plugin: policy authz serve\n"
      "  parse     print the model of each input as JSON (what policies see)\n"
      "  version   print the version of policy and libpolicy\n"
      "  help      explain a command: policy help parse\n"
      "\n"
      "Inputs: Dockerfiles (Dockerfile, *.Dockerfile, Dockerfile.*,\n"
      "Containerfile, or any file whose first word is an instruction);\n"
      "Compose files (compose.yaml, docker-compose*.yml, or YAML with a\n"
      "top-level services: key), with their .env, override, extends and\n"
      "include files and the Dockerfiles their services build;\n"
      "docker container/image inspect output, Engine API create bodies and\n"
      "Docker AuthZ plugin requests (JSON: an object or an array of them);\n"
      "'-' reads standard input.\n"
      "\n"
      "Exit status: 0 success, 1 findings (policy checks) or denied (admit),\n"
      "2 usage or input error.\n"
      "\n"
      "Documentation: man policy, and in " POLICY_DOCDIR "/:\n"
      "  ci.md             GitHub Actions, GitLab CI and pre-commit recipes\n"
      "  admission.md      policy admit, decisions   authz.md  the AuthZ plugin\n"
      "  run-flags.md      docker run flags -> create body -> model\n"
      "  configuration.md  .policy.yaml    report.md   the output formats\n"
      "  rules.md          every rule      model.md    what rules see\n"
      "  writing-rules.md  your own rules  limits.md   the sandbox's limits\n"
      "  packs.md          write, test, version and ship a pack of rules\n",
      f);
}

static int cmd_version(void) {
  printf("policy %s (libpolicy %s, ABI %d)\n", POLICY_VERSION_STRING,
         policy_version_string(), policy_abi_version());
  if (policy_version_number() != POLICY_VERSION_NUMBER)
    fprintf(stderr, "policy: warning: built against libpolicy %s but running with %s\n",
            POLICY_VERSION_STRING, policy_version_string());
  return EXIT_CLEAN;
}

static int cmd_help(int argc, char **argv) {
  if (argc < 2) { cli_help_main(stdout); return EXIT_CLEAN; }
  if (!strcmp(argv[1], "parse")) { cli_help_parse(stdout); return EXIT_CLEAN; }
  if (!strcmp(argv[1], "check")) { cli_help_check(stdout); return EXIT_CLEAN; }
  if (!strcmp(argv[1], "rules")) { cli_help_rules(stdout); return EXIT_CLEAN; }
  if (!strcmp(argv[1], "explain")) { cli_help_explain(stdout); return EXIT_CLEAN; }
  if (!strcmp(argv[1], "test")) { cli_help_test(stdout); return EXIT_CLEAN; }
  if (!strcmp(argv[1], "baseline")) { cli_help_baseline(stdout); return EXIT_CLEAN; }
  if (!strcmp(argv[1], "eval")) { cli_help_eval(stdout); return EXIT_CLEAN; }
  if (!strcmp(argv[1], "pack")) { cli_help_pack(stdout); return EXIT_CLEAN; }
  if (!strcmp(argv[1], "admit")) { cli_help_admit(stdout); return EXIT_CLEAN; }
  if (!strcmp(argv[1], "authz")) { cli_help_authz(stdout); return EXIT_CLEAN; }
  if (!strcmp(argv[1], "version")) {
    puts("Usage: policy version\n\nPrints the version of the command and of the library it runs with.");
    return EXIT_CLEAN;
  }
  if (!strcmp(argv[1], "help")) { cli_help_main(stdout); return EXIT_CLEAN; }
  fprintf(stderr, "policy: no help for '%s'; commands are check, rules, explain, test, eval, pack, baseline, admit, authz, parse, version, help\n", cli_safe(argv[1]));
  return EXIT_USAGE;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    cli_help_main(stderr);
    return EXIT_USAGE;
  }
  const char *cmd = argv[1];
  if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help")) return cmd_help(1, argv);
  if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) return cmd_version();
  if (!strcmp(cmd, "help")) return cmd_help(argc - 1, argv + 1);
  if (!strcmp(cmd, "parse")) return cli_cmd_parse(argc - 1, argv + 1);
  if (!strcmp(cmd, "check")) return cli_cmd_check(argc - 1, argv + 1);
  if (!strcmp(cmd, "rules")) return cli_cmd_rules(argc - 1, argv + 1);
  if (!strcmp(cmd, "explain")) return cli_cmd_explain(argc - 1, argv + 1);
  if (!strcmp(cmd, "test")) return cli_cmd_test(argc - 1, argv + 1);
  if (!strcmp(cmd, "baseline")) return cli_cmd_baseline(argc - 1, argv + 1);
  if (!strcmp(cmd, "eval")) return cli_cmd_eval(argc - 1, argv + 1);
  if (!strcmp(cmd, "pack")) return cli_cmd_pack(argc - 1, argv + 1);
  if (!strcmp(cmd, "admit")) return cli_cmd_admit(argc - 1, argv + 1);
  if (!strcmp(cmd, "authz")) return cli_cmd_authz(argc - 1, argv + 1);
  fprintf(stderr, "policy: unknown command '%s' (try 'policy --help')\n", cli_safe(cmd));
  return EXIT_USAGE;
}
