/*
** replay.c: runs a fuzz target over files, without libFuzzer.
**
** Usage: replay_<target> PATH...  (files, or folders whose files are read,
** non-recursively, in name order). Each file is one input. Prints
** "fuzz-<target>: N passed, 0 failed" (the form tests/summary.py counts)
** and exits 0; a failing input aborts (its name is printed first, so the
** log says which one). A missing folder is not an error: a target may
** have no regressions yet.
*/
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static size_t replayed;

static void run_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    perror(path);
    exit(1);
  }
  size_t cap = 4096, len = 0;
  uint8_t *buf = malloc(cap);
  size_t n;
  while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
    len += n;
    if (len == cap) {
      uint8_t *grown = realloc(buf, cap * 2);
      if (grown == NULL) { free(buf); buf = NULL; break; }
      buf = grown;
      cap *= 2;
    }
  }
  fclose(f);
  if (buf == NULL) {
    fprintf(stderr, "%s: out of memory\n", path);
    exit(1);
  }
  fprintf(stderr, "replay %s\n", path);
  /* A copy of exactly len bytes, so ASan sees reads past the end. */
  uint8_t *exact = malloc(len ? len : 1);
  if (exact == NULL) exit(1);
  memcpy(exact, buf, len);
  free(buf);
  LLVMFuzzerTestOneInput(exact, len);
  free(exact);
  replayed++;
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void run_dir(const char *dir) {
  DIR *d = opendir(dir);
  if (d == NULL) return;
  char **names = NULL;
  size_t n = 0;
  struct dirent *de;
  while ((de = readdir(d))) {
    if (de->d_name[0] == '.') continue;
    char **grown = realloc(names, (n + 1) * sizeof *names);
    if (grown == NULL) exit(1);
    names = grown;
    names[n] = malloc(strlen(dir) + strlen(de->d_name) + 2);
    if (names[n] == NULL) exit(1);
    sprintf(names[n], "%s/%s", dir, de->d_name);
    n++;
  }
  closedir(d);
  if (n) qsort(names, n, sizeof *names, by_name);
  for (size_t i = 0; i < n; i++) {
    struct stat st;
    if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode)) run_file(names[i]);
    free(names[i]);
  }
  free(names);
}

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    struct stat st;
    if (stat(argv[i], &st) != 0) continue;
    if (S_ISDIR(st.st_mode)) run_dir(argv[i]);
    else run_file(argv[i]);
  }
  const char *name = strrchr(argv[0], '/');
  name = name ? name + 1 : argv[0];
  if (strncmp(name, "replay_", 7) == 0) name += 7;
  printf("fuzz-");
  for (const char *c = name; *c; c++) putchar(*c == '_' ? '-' : *c);
  printf(": %zu passed, 0 failed\n", replayed);
  return 0;
}
