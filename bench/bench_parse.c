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
#include <sys/resource.h>
#include <time.h>

#include <policy/policy.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long peak_rss_kb(void) {
  struct rusage ru;
  if (getrusage(RUSAGE_SELF, &ru) != 0) return -1;
  return ru.ru_maxrss; /* kilobytes on Linux */
}

/* User plus system CPU seconds of the process so far. */
static double cpu_seconds(void) {
  struct rusage ru;
  if (getrusage(RUSAGE_SELF, &ru) != 0) return 0;
  return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
         (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static char *slurp(const char *path, size_t *len) {
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

/* The list of input paths, from argv or from an @LIST file. */
typedef struct {
  char **v;
  size_t n, cap;
} paths;

static int paths_add(paths *p, const char *s, size_t len) {
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
static int paths_read_list(paths *p, const char *list) {
  size_t len;
  char *text = slurp(list, &len);
  if (text == NULL) return -1;
  size_t i = 0;
  while (i < len) {
    size_t j = i;
    while (j < len && text[j] != '\n') j++;
    size_t end = j;
    if (end > i && text[end - 1] == '\r') end--;
    if (end > i && paths_add(p, text + i, end - i) != 0) { free(text); return -1; }
    i = j + 1;
  }
  free(text);
  return 0;
}

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

  paths in = {0};
  for (int a = first; a < argc; a++) {
    int rc = argv[a][0] == '@' ? paths_read_list(&in, argv[a] + 1)
                               : paths_add(&in, argv[a], strlen(argv[a]));
    if (rc != 0) { fprintf(stderr, "bench_parse: cannot read %s\n", argv[a]); return 2; }
  }

  size_t nfiles = in.n;
  char **data = calloc(nfiles + 1, sizeof *data);
  size_t *lens = calloc(nfiles + 1, sizeof *lens);
  if (data == NULL || lens == NULL) return 2;
  size_t bytes = 0, readable = 0;
  for (size_t i = 0; i < nfiles; i++) {
    data[i] = slurp(in.v[i], &lens[i]);
    if (data[i] == NULL) {
      fprintf(stderr, "bench_parse: cannot read %s (skipped)\n", in.v[i]);
      continue;
    }
    readable++;
    bytes += lens[i];
  }
  long loaded_rss = peak_rss_kb();

  policy_engine *e;
  if (policy_engine_new(&e) != POLICY_OK) return 2;
  size_t errors = 0, parsed = 0;
  long done = 0;
  double c0 = cpu_seconds();
  double t0 = now(), dt = 0;
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
    dt = now() - t0;
  }
  double cpu = cpu_seconds() - c0;

  printf("{\"files\": %zu, \"rounds\": %ld, \"parsed\": %zu, \"files_with_errors\": %zu, "
         "\"bytes\": %zu, \"seconds\": %.4f, \"cpu_seconds\": %.4f, \"files_per_second\": %.0f, "
         "\"mb_per_second\": %.2f, \"loaded_rss_kb\": %ld, \"peak_rss_kb\": %ld}\n",
         readable, done, parsed, errors, bytes, dt, cpu, (double)parsed / dt,
         (double)bytes * (double)done / dt / 1e6, loaded_rss, peak_rss_kb());
  policy_engine_free(e);
  for (size_t i = 0; i < nfiles; i++) { free(data[i]); free(in.v[i]); }
  free(in.v);
  free(data);
  free(lens);
  return 0;
}
