/*
** cmd_pack.c: `policy pack build DIR`: a pack folder as a .tar.gz to ship,
** with the SHA-256 that `policy check --pack-sha256` checks. Uses
** policy.h only.
*/
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void cli_help_pack(FILE *f) {
  fputs(
      "Usage: policy pack build DIR [-o FILE]\n"
      "\n"
      "Loads the pack in DIR (a folder with pack.yaml, rules/, lib/, data/,\n"
      "tests/) as policy check would, and when it loads without an error,\n"
      "writes it as a .tar.gz: its pack.yaml, rules/, lib/, data/, tests/\n"
      "and README/LICENSE files under a folder named after the pack, the\n"
      "same bytes for the same files. Prints the archive's SHA-256 as\n"
      "sha256sum does (`HASH  FILE`): give it to policy check with\n"
      "--pack-sha256 so a changed archive is refused.\n"
      "\n"
      "Options:\n"
      "  -o FILE, --output FILE the archive (default: NAME-VERSION.tar.gz,\n"
      "                         from pack.yaml, in the current folder)\n"
      "\n"
      "Exit status: 0 built, 2 the pack does not load or FILE cannot be\n"
      "written.\n"
      "\n"
      "Example:\n"
      "  policy pack build org-pack/ -o org-pack.tar.gz\n"
      "  policy check --policy org-pack.tar.gz --pack-sha256 HASH .\n",
      f);
}

/* NAME-VERSION.tar.gz from the pack's manifest; malloc'd, or NULL
** (printed). */
static char *default_output(const char *dir) {
  policy_engine *e;
  if (policy_engine_new(&e) != POLICY_OK) return NULL;
  char *out = NULL;
  if (policy_engine_load_pack_path(e, dir, NULL) == POLICY_OK && policy_engine_pack_count(e) == 1) {
    const char *name = policy_engine_pack_string(e, 0, POLICY_PACK_NAME);
    const char *version = policy_engine_pack_string(e, 0, POLICY_PACK_VERSION);
    size_t n = strlen(name) + strlen(version) + 9;
    if ((out = malloc(n)) != NULL) snprintf(out, n, "%s-%s.tar.gz", name, version);
  } else {
    fprintf(stderr, "policy pack: %s\n", policy_engine_pack_count(e) == 0 && !*policy_engine_errmsg(e)
                                             ? "not a pack folder (no pack.yaml)"
                                             : cli_safe(policy_engine_errmsg(e)));
  }
  policy_engine_free(e);
  return out;
}

int cli_cmd_pack(int argc, char **argv) {
  if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
    cli_help_pack(stdout);
    return EXIT_CLEAN;
  }
  if (argc < 2 || strcmp(argv[1], "build") != 0) {
    fputs("policy pack: usage: policy pack build DIR [-o FILE] (see policy help pack)\n", stderr);
    return EXIT_USAGE;
  }
  const char *dir = NULL, *out = NULL;
  for (int i = 2; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      cli_help_pack(stdout);
      return EXIT_CLEAN;
    }
    if (!strcmp(a, "-o") || !strcmp(a, "--output") || !strncmp(a, "--output=", 9)) {
      out = a[8] == '=' ? a + 9 : i + 1 < argc ? argv[++i] : NULL;
      if (out == NULL || *out == '\0') {
        fputs("policy pack build: -o needs a file name\n", stderr);
        return EXIT_USAGE;
      }
    } else if (a[0] == '-' && a[1] != '\0') {
      fprintf(stderr, "policy pack build: unknown option '%s' (try 'policy help pack')\n",
              cli_safe(a));
      return EXIT_USAGE;
    } else if (dir == NULL) {
      dir = a;
    } else {
      fprintf(stderr, "policy pack build: one pack at a time; '%s' is one too many\n", cli_safe(a));
      return EXIT_USAGE;
    }
  }
  if (dir == NULL) {
    fputs("policy pack build: which pack folder? (policy pack build DIR -o FILE)\n", stderr);
    return EXIT_USAGE;
  }
  char *named = out ? NULL : default_output(dir);
  if (out == NULL && named == NULL) return EXIT_USAGE;
  policy_engine *e;
  int status = EXIT_USAGE;
  if (policy_engine_new(&e) != POLICY_OK) {
    fputs("policy: out of memory\n", stderr);
  } else {
    char *sha = NULL;
    if (policy_pack_build(&sha, e, dir, out ? out : named) == POLICY_OK) {
      printf("%s  %s\n", sha, cli_safe(out ? out : named));
      policy_free(sha);
      status = EXIT_CLEAN;
    } else {
      /* One line per problem (every refused rule file has its own). */
      for (const char *p = policy_engine_errmsg(e); *p;) {
        size_t len = strcspn(p, "\n");
        char *line = strndup(p, len);
        if (line) fprintf(stderr, "policy pack build: %s\n", cli_safe(line));
        free(line);
        p += len + (p[len] == '\n');
      }
    }
    policy_engine_free(e);
  }
  free(named);
  return status;
}
