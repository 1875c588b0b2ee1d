/*
** test_corpus.c: parses every file of ../shared/corpus/dockerfiles through
** the public API. No file may crash or hang the parser; each file that
** gives an error is printed with its reason, and must be listed in
** dockerfile-errors.txt with the same first message: that list records
** the files BuildKit itself rejects, each reviewed by hand against
** BuildKit's rules. A file we reject that is not listed (or a listed file
** we accept) fails the test.
**
** Prints "corpus-dockerfiles: N passed, M failed"; exit 77 (skip) without
** ../shared.
*/
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <policy/policy.h>

#include "expected.h"


int main(void) {
  const char *shared = getenv("POLICY_SHARED_DIR");
  const char *src = getenv("POLICY_SOURCE_DIR");
  char dirpath[4096], listpath[4096];
  snprintf(dirpath, sizeof dirpath, "%s/corpus/dockerfiles", shared ? shared : "../shared");
  snprintf(listpath, sizeof listpath, "%s/tests/corpus/dockerfile-errors.txt", src ? src : ".");
  DIR *d = opendir(dirpath);
  if (d == NULL) {
    printf("corpus-dockerfiles: SKIP (../shared/corpus not found)\n");
    return 77;
  }
  size_t nnames = 0, cap = 512;
  char **names = malloc(cap * sizeof *names);
  struct dirent *de;
  while ((de = readdir(d))) {
    if (de->d_name[0] == '.') continue;
    if (nnames == cap) names = realloc(names, (cap *= 2) * sizeof *names);
    names[nnames++] = strdup(de->d_name);
  }
  closedir(d);
  qsort(names, nnames, sizeof *names, expected_by_name);

  expected *exp;
  size_t nexp = expected_load(listpath, &exp);
  policy_engine *e;
  if (policy_engine_new(&e) != POLICY_OK) return 2;
  size_t passed = 0, failed = 0, with_errors = 0;
  for (size_t i = 0; i < nnames; i++) {
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", dirpath, names[i]);
    policy_document *doc;
    int rc = policy_parse_file(&doc, e, path, POLICY_KIND_DOCKERFILE);
    if (rc != POLICY_OK) {
      printf("FAIL %s: could not parse: %s\n", names[i], policy_engine_errmsg(e));
      failed++;
      continue;
    }
    const char *msg = NULL;
    uint32_t line = 0, col = 0;
    if (policy_document_error_count(doc) > 0)
      policy_document_error(&msg, &line, &col, doc, 0);
    expected *x = expected_find(exp, nexp, names[i]);
    if (msg == NULL && x == NULL) {
      passed++;
    } else if (msg && x && strcmp(msg, x->message) == 0) {
      printf("rejected (as BuildKit does) %s:%u:%u: %s\n", names[i], line, col, msg);
      with_errors++;
      passed++;
    } else if (msg) {
      printf("FAIL %s:%u:%u: unexpected error: %s%s%s\n", names[i], line, col, msg,
             x ? " (listed as: " : "", x ? x->message : "");
      if (x) printf(")\n");
      failed++;
    } else {
      printf("FAIL %s: listed as rejected (%s) but parsed cleanly\n", names[i], x->message);
      failed++;
    }
    policy_document_free(doc);
  }
  for (size_t k = 0; k < nexp; k++)
    if (!exp[k].seen) {
      printf("FAIL %s: listed in dockerfile-errors.txt but not in the corpus\n", exp[k].name);
      failed++;
    }
  policy_engine_free(e);
  printf("corpus-dockerfiles: %zu files, %zu rejected as BuildKit rejects them\n",
         nnames, with_errors);
  printf("corpus-dockerfiles: %zu passed, %zu failed\n", passed, failed);
  for (size_t i = 0; i < nnames; i++) free(names[i]);
  free(names);
  expected_free(exp, nexp);
  return failed ? 1 : 0;
}
