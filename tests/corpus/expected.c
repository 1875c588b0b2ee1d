/*
** expected.c: reviewed rejection lists of the corpus tests (expected.h).
*/
#include "expected.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t expected_load(const char *path, expected **out) {
  FILE *f = fopen(path, "r");
  size_t n = 0, cap = 16;
  expected *list = malloc(cap * sizeof *list);
  char line[4096];
  while (f && list && fgets(line, sizeof line, f)) {
    if (line[0] == '#' || line[0] == '\n') continue;
    line[strcspn(line, "\n")] = '\0';
    char *tab = strchr(line, '\t');
    if (tab == NULL) continue;
    *tab = '\0';
    if (n == cap) list = realloc(list, (cap *= 2) * sizeof *list);
    list[n].name = strdup(line);
    list[n].message = strdup(tab + 1);
    list[n].seen = 0;
    n++;
  }
  if (f) fclose(f);
  *out = list;
  return n;
}

expected *expected_find(expected *list, size_t n, const char *name) {
  for (size_t k = 0; k < n; k++)
    if (strcmp(list[k].name, name) == 0) {
      list[k].seen = 1;
      return &list[k];
    }
  return NULL;
}

void expected_free(expected *list, size_t n) {
  for (size_t k = 0; k < n; k++) {
    free(list[k].name);
    free(list[k].message);
  }
  free(list);
}

int expected_by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}
