/*
** bench_load.c: what loading the built-in pack costs. Makes an engine and
** loads the pack (policy_engine_new + policy_engine_load_builtin, what
** `policy check` does before its first file, and what every extra engine
** of `--jobs N` does on its thread), frees it, and does that again, round
** after round; prints one JSON line. A benchmark, not a test.
**
**   bench_load [--rounds N] [--pack NAME]
**
** "first_ms" is the first round (pages of the library and of Lua touched
** for the first time in the process); "min_ms", "median_ms" and "mean_ms"
** are over the other rounds; "free_ms" is the median time of
** policy_engine_free. "rules" is the number of rules the pack loaded.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <policy/policy.h>

#include "common.h"

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Loads the pack into a new engine; its time in *load_ms and the time of
** freeing the engine in *free_ms. Returns the rule count, or -1. */
static long one_round(const char *pack, double *load_ms, double *free_ms) {
  double t0 = bench_now();
  policy_engine *e = NULL;
  int rc = policy_engine_new(&e);
  if (rc == POLICY_OK)
    rc = pack ? policy_engine_load_builtin_pack(e, pack) : policy_engine_load_builtin(e);
  double t1 = bench_now();
  if (rc != POLICY_OK) {
    fprintf(stderr, "bench_load: %s\n", e ? policy_engine_errmsg(e) : "out of memory");
    policy_engine_free(e);
    return -1;
  }
  long rules = (long)policy_engine_rule_count(e);
  policy_engine_free(e);
  *load_ms = (t1 - t0) * 1000.0;
  *free_ms = (bench_now() - t1) * 1000.0;
  return rules;
}

int main(int argc, char **argv) {
  long rounds = 200;
  const char *pack = NULL;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc) {
      rounds = strtol(argv[++i], NULL, 10);
    } else if (strcmp(argv[i], "--pack") == 0 && i + 1 < argc) {
      pack = argv[++i];
    } else {
      fprintf(stderr, "usage: bench_load [--rounds N] [--pack NAME]\n");
      return 2;
    }
  }
  if (rounds < 2) rounds = 2;
  double *load = malloc((size_t)rounds * sizeof *load);
  double *freed = malloc((size_t)rounds * sizeof *freed);
  if (load == NULL || freed == NULL) return 2;
  long rules = 0;
  for (long r = 0; r < rounds; r++)
    if ((rules = one_round(pack, &load[r], &freed[r])) < 0) return 1;
  double first = load[0], sum = 0;
  for (long r = 1; r < rounds; r++) sum += load[r];
  qsort(load + 1, (size_t)rounds - 1, sizeof *load, cmp_double);
  qsort(freed + 1, (size_t)rounds - 1, sizeof *freed, cmp_double);
  printf("{\"bench\": \"pack load\", \"pack\": \"%s\", \"rules\": %ld, \"rounds\": %ld, "
         "\"first_ms\": %.3f, \"min_ms\": %.3f, \"median_ms\": %.3f, \"mean_ms\": %.3f, "
         "\"free_ms\": %.3f, \"peak_rss_kb\": %ld}\n",
         pack ? pack : "builtin", rules, rounds, first, load[1], load[1 + (rounds - 1) / 2],
         sum / (double)(rounds - 1), freed[1 + (rounds - 1) / 2], bench_peak_rss_kb());
  free(load);
  free(freed);
  return 0;
}
