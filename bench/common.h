/*
** common.h: what the benchmark programs share.
*/
#ifndef POLICY_BENCH_COMMON_H
#define POLICY_BENCH_COMMON_H

#include <stddef.h>

double bench_now(void);            /* monotonic seconds */
double bench_cpu_seconds(void);    /* user + system CPU of the process */
long bench_peak_rss_kb(void);      /* peak resident memory, kB */
/* A whole file, malloc'd; NULL when it cannot be read. */
char *bench_slurp(const char *path, size_t *len);

/* The list of input paths, from argv or from an @LIST file. */
typedef struct bench_paths {
  char **v;
  size_t n, cap;
} bench_paths;

int bench_paths_add(bench_paths *p, const char *s, size_t len);
/* One path a line; blank lines are skipped, a trailing CR is dropped. */
int bench_paths_read_list(bench_paths *p, const char *list);
void bench_paths_free(bench_paths *p);

#endif
