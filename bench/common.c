/*
** common.c: what the benchmark programs share: clocks, peak memory,
** reading files and the @LIST form of the input list.
*/
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

double bench_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

long bench_peak_rss_kb(void) {
  struct rusage ru;
  if (getrusage(RUSAGE_SELF, &ru) != 0) return -1;
  return ru.ru_maxrss; /* kilobytes on Linux */
}

/* User plus system CPU seconds of the process so far. */
double bench_cpu_seconds(void) {
  struct rusage ru;
  if (getrusage(RUSAGE_SELF, &ru) != 0) return 0;
  return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
         (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

char *bench_slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return NULL;
  size_t cap = 1 << 16, n = 0;
  char *buf = malloc(cap);
  size_t r;
  while (buf && (r = fread(buf + n, 1, cap - n, f)) > 0) {
    n += r;
    if (n == cap) {
      char *nb = realloc(buf, cap *= 2);
      if (nb == NULL) { free(buf); buf = NULL; }
      else buf = nb;
    }
  }
  if (buf && ferror(f)) { free(buf); buf = NULL; }
  fclose(f);
  *len = n;
  return buf;
}

int bench_paths_add(bench_paths *p, const char *s, size_t len) {
  if (p->n == p->cap) {
    size_t cap = p->cap ? p->cap * 2 : 512;
    char **nv = realloc(p->v, cap * sizeof *nv);
    if (nv == NULL) return -1;
    p->v = nv;
    p->cap = cap;
  }
  char *copy = malloc(len + 1);
  if (copy == NULL) return -1;
  memcpy(copy, s, len);
  copy[len] = '\0';
  p->v[p->n++] = copy;
  return 0;
}

/* One path a line; blank lines are skipped, a trailing CR is dropped. */
int bench_paths_read_list(bench_paths *p, const char *list) {
  size_t len;
  char *text = bench_slurp(list, &len);
  if (text == NULL) return -1;
  size_t i = 0;
  while (i < len) {
    size_t j = i;
    while (j < len && text[j] != '\n') j++;
    size_t end = j;
    if (end > i && text[end - 1] == '\r') end--;
    if (end > i && bench_paths_add(p, text + i, end - i) != 0) { free(text); return -1; }
    i = j + 1;
  }
  free(text);
  return 0;
}

void bench_paths_free(bench_paths *p) {
  for (size_t i = 0; i < p->n; i++) free(p->v[i]);
  free(p->v);
  p->v = NULL;
  p->n = p->cap = 0;
}
