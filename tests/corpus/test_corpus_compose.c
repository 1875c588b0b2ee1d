/*
** test_corpus_compose.c: parses every Compose file of ../shared/samples/
** compose and ../shared/corpus/compose through the public API. No file may
** crash or hang the loader; each file that gives an error is printed with
** its first error, and must be listed in compose-errors.txt with that
** message: the list records the files Compose itself rejects, each
** reviewed by hand (the reason is in the comment above each entry). A file
** we reject that is not listed (or a listed file we accept) fails.
**
** Each file is read from its own folder (the test changes into it), so
** messages name other files relative to it, wherever ../shared is. A
** sample `NAME.env` next to `NAME.yaml` is used as that file's env file
** (the samples keep a project's .env under the project file's name).
**
** Prints "corpus-compose: N passed, M failed"; exit 77 (skip) without
** ../shared.
*/
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <policy/policy.h>

#include "expected.h"


static int is_compose(const char *name) {
  size_t n = strlen(name);
  return (n > 5 && !strcmp(name + n - 5, ".yaml")) || (n > 4 && !strcmp(name + n - 4, ".yml"));
}

/* The Compose files of a folder, as "dir/name", sorted. */
static size_t list_dir(const char *dir, char ***names, size_t n, size_t *cap) {
  DIR *d = opendir(dir);
  if (d == NULL) return n;
  struct dirent *de;
  while ((de = readdir(d))) {
    if (de->d_name[0] == '.' || !is_compose(de->d_name)) continue;
    if (n == *cap) *names = realloc(*names, (*cap *= 2) * sizeof **names);
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
    (*names)[n++] = strdup(path);
  }
  closedir(d);
  return n;
}

int main(void) {
  const char *shared = getenv("POLICY_SHARED_DIR");
  const char *src = getenv("POLICY_SOURCE_DIR");
  char samples[4096], corpus[4096], listpath[4096];
  snprintf(samples, sizeof samples, "%s/samples/compose", shared ? shared : "../shared");
  snprintf(corpus, sizeof corpus, "%s/corpus/compose", shared ? shared : "../shared");
  snprintf(listpath, sizeof listpath, "%s/tests/corpus/compose-errors.txt", src ? src : ".");
  if (access(samples, R_OK) != 0 && access(corpus, R_OK) != 0) {
    printf("corpus-compose: SKIP (../shared not found)\n");
    return 77;
  }
  size_t cap = 256, nnames = 0;
  char **names = malloc(cap * sizeof *names);
  nnames = list_dir(samples, &names, nnames, &cap);
  nnames = list_dir(corpus, &names, nnames, &cap);
  qsort(names, nnames, sizeof *names, expected_by_name);

  expected *exp;
  size_t nexp = expected_load(listpath, &exp);
  size_t passed = 0, failed = 0, with_errors = 0;
  char cwd[4096];
  if (getcwd(cwd, sizeof cwd) == NULL) return 2;
  for (size_t i = 0; i < nnames; i++) {
    char *slash = strrchr(names[i], '/');
    const char *base = slash + 1;
    *slash = '\0';
    int moved = chdir(names[i]);
    *slash = '/';
    if (moved != 0) return 2;
    policy_engine *e;
    if (policy_engine_new(&e) != POLICY_OK) return 2;
    char envfile[8192];
    snprintf(envfile, sizeof envfile, "%s", base);
    char *dot = strrchr(envfile, '.');
    strcpy(dot, ".env");
    if (access(envfile, R_OK) == 0) policy_engine_set_env_file(e, envfile);
    policy_document *doc;
    int rc = policy_parse_file(&doc, e, base, POLICY_KIND_COMPOSE);
    if (chdir(cwd) != 0) return 2;
    if (rc != POLICY_OK) {
      printf("FAIL %s: could not parse: %s\n", base, policy_engine_errmsg(e));
      failed++;
      policy_engine_free(e);
      continue;
    }
    const char *msg = NULL;
    uint32_t line = 0, col = 0;
    if (policy_document_error_count(doc) > 0) policy_document_error(&msg, &line, &col, doc, 0);
    expected *x = expected_find(exp, nexp, base);
    if (msg == NULL && x == NULL) {
      passed++;
    } else if (msg && x && strcmp(msg, x->message) == 0) {
      printf("rejected (as Compose does) %s:%u:%u: %s\n", base, line, col, msg);
      with_errors++;
      passed++;
    } else if (msg) {
      printf("FAIL %s:%u:%u: unexpected error: %s%s%s\n", base, line, col, msg,
             x ? " (listed as: " : "", x ? x->message : "");
      if (x) printf(")\n");
      failed++;
    } else {
      printf("FAIL %s: listed as rejected (%s) but parsed cleanly\n", base, x->message);
      failed++;
    }
    policy_document_free(doc);
    policy_engine_free(e);
  }
  for (size_t k = 0; k < nexp; k++)
    if (!exp[k].seen) {
      printf("FAIL %s: listed in compose-errors.txt but not found\n", exp[k].name);
      failed++;
    }
  printf("corpus-compose: %zu files, %zu rejected as Compose rejects them\n", nnames,
         with_errors);
  printf("corpus-compose: %zu passed, %zu failed\n", passed, failed);
  for (size_t i = 0; i < nnames; i++) free(names[i]);
  free(names);
  expected_free(exp, nexp);
  return failed ? 1 : 0;
}
