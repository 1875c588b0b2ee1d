/*
** bench_parse.c: parses every file named on the command line (or listed,
** one per line, in the file given as @LIST) in one process, through the
** public API, and prints files/s, MB/s and peak RSS as one JSON line.
** A benchmark, not a test: it never fails on input errors.
**
**   bench_parse [--rounds N] [--min-seconds S] FILE... | @LIST
**
** All files are read into memory first; only the parsing is timed. It runs
** N whole rounds over the files (5 by default) and, with --min-seconds,
** goes on with more whole rounds until S seconds of parsing have passed.
** "files_with_errors" counts files whose first round failed or recorded at
** least one error; "loaded_rss_kb" is the peak RSS once the files are read,
** before any parsing, and "peak_rss_kb" the peak at the end; "cpu_seconds"
** is the user plus system CPU time of the parsing.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <policy/policy.h>

#include "common.h"

static void usage(void) {
  fputs("usage: bench_parse [--rounds N] [--min-seconds S] FILE... | @LIST\n", stderr);
}

int main(int argc, char **argv) {
  long rounds = 5;
  double min_seconds = 0;
  int first = 1;
  while (first + 1 < argc) {
    if (strcmp(argv[first], "--rounds") == 0) {
      rounds = strtol(argv[first + 1], NULL, 10);
    } else if (strcmp(argv[first], "--min-seconds") == 0) {
      min_seconds = strtod(argv[first + 1], NULL);
    } else {
      break;
    }
    first += 2;
  }
  if (rounds < 1 || min_seconds < 0 || first >= argc) { usage(); return 2; }

  bench_paths in = {0};
  for (int a = first; a < argc; a++) {
    int rc = argv[a][0] == '@' ? bench_paths_read_list(&in, argv[a] + 1)
                               : bench_paths_add(&in, argv[a], strlen(argv[a]));
    if (rc != 0) { fprintf(stderr, "bench_parse: cannot read %s\n", argv[a]); return 2; }
  }

  size_t nfiles = in.n;
  char **data = calloc(nfiles + 1, sizeof *data);
  size_t *lens = calloc(nfiles + 1, sizeof *lens);
  if (data == NULL || lens == NULL) return 2;
  size_t bytes = 0, readable = 0;
  for (size_t i = 0; i < nfiles; i++) {
    data[i] = bench_slurp(in.v[i], &lens[i]);
    if (data[i] == NULL) {
      fprintf(stderr, "bench_parse: cannot read %s (skipped)\n", in.v[i]);
      continue;
    }
    readable++;
    bytes += lens[i];
  }
  long loaded_rss = bench_peak_rss_kb();

  policy_engine *e;
  if (policy_engine_new(&e) != POLICY_OK) return 2;
  size_t errors = 0, parsed = 0;
  long done = 0;
  double c0 = bench_cpu_seconds();
  double t0 = bench_now(), dt = 0;
  while (done < rounds || dt < min_seconds) {
    for (size_t i = 0; i < nfiles; i++) {
      if (data[i] == NULL) continue;
      policy_document *doc;
      if (policy_parse_buffer(&doc, e, in.v[i], data[i], lens[i],
                              POLICY_KIND_DOCKERFILE) != POLICY_OK) {
        if (done == 0) errors++;
        continue;
      }
      parsed++;
      if (done == 0 && policy_document_error_count(doc) > 0) errors++;
      policy_document_free(doc);
    }
    done++;
    dt = bench_now() - t0;
  }
  double cpu = bench_cpu_seconds() - c0;

  printf("{\"files\": %zu, \"rounds\": %ld, \"parsed\": %zu, \"files_with_errors\": %zu, "
         "\"bytes\": %zu, \"seconds\": %.4f, \"cpu_seconds\": %.4f, \"files_per_second\": %.0f, "
         "\"mb_per_second\": %.2f, \"loaded_rss_kb\": %ld, \"peak_rss_kb\": %ld}\n",
         readable, done, parsed, errors, bytes, dt, cpu, (double)parsed / dt,
         (double)bytes * (double)done / dt / 1e6, loaded_rss, bench_peak_rss_kb());
  policy_engine_free(e);
  for (size_t i = 0; i < nfiles; i++) { free(data[i]); free(in.v[i]); }
  free(in.v);
  free(data);
  free(lens);
  return 0;
}
