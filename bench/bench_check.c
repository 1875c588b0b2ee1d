/*
** bench_check.c: the engine benchmark. Runs the rules of one engine over
** every file named on the command line (or listed, one per line, in the
** file given as @LIST) in one process, through the public API, and prints
** what a rule costs per document as one JSON line. A benchmark, not a
** test: it never fails on findings, input errors or rule errors.
**
**   bench_check [--rounds N] [--min-seconds S] [--rules-dir DIR]
**               [--copies N | --rules N] [--one-report] [--verbose]
**               FILE... | @LIST
**
** The engine holds the built-in pack (policy_engine_load_builtin) plus
** copies of every *.lua of DIR (default: the repository's policies/),
** each copy with its id renamed (`id = "x"` becomes `id = "x-copy-K"`), so
** that the rule count grows while the work of each rule stays the same:
** --copies N loads each file N times; --rules N loads copies, file after
** file, until the engine holds N rules (never fewer than the built-in
** pack).
**
** All files are read into memory first; nothing of that is timed. Two
** phases follow, each of N whole rounds over the files (1 by default)
** and, with --min-seconds, more whole rounds until S seconds have passed:
**   1. parse+check: policy_parse_buffer, policy_check, free, per file;
**   2. check only: every file parsed once beforehand (not timed), then
**      policy_check alone over the parsed documents.
** The top-level figures are those of phase 2 (the rules' own cost); the
** "parse_check_" ones are those of phase 1. Each policy_check gets a
** fresh report (freed after reading its counts) unless --one-report, which
** keeps one report per round, as `policy check` keeps one for its run.
**
** "seconds" are wall-clock (monotonic) seconds, "cpu_seconds" the user
** plus system CPU time of the same phase; the "_cpu_" figures use the
** latter, which a busy machine disturbs less.
** "findings" and "errors" are counted over one pass (the first round of
** phase 2): "errors" counts every error entry, "rule_errors" those a rule
** caused (a runtime error or a budget), "input_errors" the documents' own.
** --verbose prints each rule error of that pass to stderr.
** "loaded_rss_kb" is the peak RSS once the files are read, "rules_rss_kb"
** once the rules are loaded, "parse_check_peak_rss_kb" at the end of
** phase 1 and "peak_rss_kb" at the end, with every document's model held
** in memory for phase 2.
*/
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <policy/policy.h>

#include "common.h"

#ifndef BENCH_POLICIES_DIR
#define BENCH_POLICIES_DIR "policies"
#endif

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.lua files of dir, as dir/name, sorted by name. */
static int lua_files(bench_paths *p, const char *dir) {
  DIR *d = opendir(dir);
  if (d == NULL) return -1;
  struct dirent *ent;
  while ((ent = readdir(d)) != NULL) {
    size_t n = strlen(ent->d_name);
    if (n <= 4 || strcmp(ent->d_name + n - 4, ".lua") != 0) continue;
    size_t dl = strlen(dir);
    char *full = malloc(dl + n + 2);
    if (full == NULL) { closedir(d); return -1; }
    memcpy(full, dir, dl);
    full[dl] = '/';
    memcpy(full + dl + 1, ent->d_name, n + 1);
    int rc = bench_paths_add(p, full, dl + n + 1);
    free(full);
    if (rc != 0) { closedir(d); return -1; }
  }
  closedir(d);
  if (p->n > 1) qsort(p->v, p->n, sizeof *p->v, cmp_str);
  return 0;
}

/* The offset just before the closing quote of the first line of the form
** `id = "..."` (blanks allowed around the =), or 0 when there is none. */
static size_t id_end(const char *s, size_t len) {
  size_t i = 0;
  while (i < len) {
    size_t j = i;
    while (j < len && (s[j] == ' ' || s[j] == '\t')) j++;
    if (j + 2 <= len && s[j] == 'i' && s[j + 1] == 'd') {
      j += 2;
      while (j < len && (s[j] == ' ' || s[j] == '\t')) j++;
      if (j < len && s[j] == '=') {
        j++;
        while (j < len && (s[j] == ' ' || s[j] == '\t')) j++;
        if (j < len && s[j] == '"') {
          j++;
          while (j < len && s[j] != '"' && s[j] != '\n') j++;
          if (j < len && s[j] == '"') return j;
        }
      }
    }
    while (i < len && s[i] != '\n') i++;
    i++;
  }
  return 0;
}

/* Loads the rule file `src` again, its id suffixed with -copy-K. */
static int load_copy(policy_engine *e, const char *path, const char *src,
                     size_t len, long k) {
  size_t at = id_end(src, len);
  if (at == 0) {
    fprintf(stderr, "bench_check: %s: no line `id = \"...\"` to rename\n", path);
    return -1;
  }
  char suffix[32], name[4096];
  int sl = snprintf(suffix, sizeof suffix, "-copy-%ld", k);
  snprintf(name, sizeof name, "%s (copy %ld)", path, k);
  char *copy = malloc(len + (size_t)sl);
  if (copy == NULL) return -1;
  memcpy(copy, src, at);
  memcpy(copy + at, suffix, (size_t)sl);
  memcpy(copy + at + sl, src + at, len - at);
  int rc = policy_engine_load_rule_buffer(e, name, copy, len + (size_t)sl);
  free(copy);
  if (rc != POLICY_OK) {
    fprintf(stderr, "bench_check: %s: %s\n", name, policy_engine_errmsg(e));
    return -1;
  }
  return 0;
}

/* Loads the copies: each file `copies` times, or, when want_rules > 0,
** file after file until the engine holds want_rules rules. */
static int load_copies(policy_engine *e, const char *dir, long copies,
                       long want_rules) {
  bench_paths files = {0};
  if (lua_files(&files, dir) != 0) {
    fprintf(stderr, "bench_check: cannot list %s\n", dir);
    bench_paths_free(&files);
    return -1;
  }
  if (files.n == 0 && (copies > 0 || want_rules > (long)policy_engine_rule_count(e))) {
    fprintf(stderr, "bench_check: %s holds no *.lua file\n", dir);
    bench_paths_free(&files);
    return -1;
  }
  char **src = calloc(files.n + 1, sizeof *src);
  size_t *lens = calloc(files.n + 1, sizeof *lens);
  int rc = src && lens ? 0 : -1;
  for (size_t i = 0; rc == 0 && i < files.n; i++)
    if ((src[i] = bench_slurp(files.v[i], &lens[i])) == NULL) {
      fprintf(stderr, "bench_check: cannot read %s\n", files.v[i]);
      rc = -1;
    }
  for (long k = 1; rc == 0; k++) {
    if (want_rules <= 0 && k > copies) break;
    for (size_t i = 0; rc == 0 && i < files.n; i++) {
      if (want_rules > 0 && (long)policy_engine_rule_count(e) >= want_rules) break;
      rc = load_copy(e, files.v[i], src[i], lens[i], k);
    }
    if (want_rules > 0 && (long)policy_engine_rule_count(e) >= want_rules) break;
  }
  for (size_t i = 0; src && i < files.n; i++) free(src[i]);
  free(src);
  free(lens);
  bench_paths_free(&files);
  return rc;
}

/* What one pass over the documents found. */
typedef struct {
  size_t findings, errors, rule_errors, input_errors, failed;
} counts;

static void count_report(counts *c, const policy_report *rep, int verbose) {
  c->findings += policy_report_count(rep, POLICY_LIST_FINDINGS);
  size_t n = policy_report_count(rep, POLICY_LIST_ERRORS);
  c->errors += n;
  for (size_t i = 0; i < n; i++) {
    const char *rule = policy_report_get_string(rep, POLICY_LIST_ERRORS, i,
                                                POLICY_FIELD_RULE);
    if (rule == NULL) {
      c->input_errors++;
      continue;
    }
    c->rule_errors++;
    if (verbose)
      fprintf(stderr, "bench_check: rule error: [%s] %s: %s\n", rule,
              policy_report_get_string(rep, POLICY_LIST_ERRORS, i, POLICY_FIELD_FILE),
              policy_report_get_string(rep, POLICY_LIST_ERRORS, i, POLICY_FIELD_MESSAGE));
  }
}

/* One policy_check into rep, or into a fresh report when rep is NULL;
** counts what it added when c is not NULL. Returns 0, or -1 when out of
** memory. */
static int check_one(policy_report *rep, policy_engine *e,
                     const policy_document *doc, counts *c, int verbose) {
  policy_report *own = NULL;
  if (rep == NULL) {
    if (policy_report_new(&own) != POLICY_OK) return -1;
    rep = own;
  }
  if (policy_check(rep, e, doc) != POLICY_OK && c) c->failed++;
  if (c && own) count_report(c, own, verbose);
  policy_report_free(own);
  return 0;
}

static void usage(void) {
  fputs("usage: bench_check [--rounds N] [--min-seconds S] [--rules-dir DIR]\n"
        "                   [--copies N | --rules N] [--one-report] [--verbose]\n"
        "                   FILE... | @LIST\n", stderr);
}

int main(int argc, char **argv) {
  long rounds = 1, copies = 0, want_rules = 0;
  double min_seconds = 0;
  const char *dir = BENCH_POLICIES_DIR;
  int one_report = 0, verbose = 0;
  int first = 1;
  while (first < argc) {
    const char *o = argv[first];
    if (strcmp(o, "--one-report") == 0) { one_report = 1; first++; continue; }
    if (strcmp(o, "--verbose") == 0) { verbose = 1; first++; continue; }
    if (first + 1 >= argc) break;
    if (strcmp(o, "--rounds") == 0) rounds = strtol(argv[first + 1], NULL, 10);
    else if (strcmp(o, "--min-seconds") == 0) min_seconds = strtod(argv[first + 1], NULL);
    else if (strcmp(o, "--rules-dir") == 0) dir = argv[first + 1];
    else if (strcmp(o, "--copies") == 0) copies = strtol(argv[first + 1], NULL, 10);
    else if (strcmp(o, "--rules") == 0) want_rules = strtol(argv[first + 1], NULL, 10);
    else break;
    first += 2;
  }
  if (rounds < 1 || min_seconds < 0 || copies < 0 || want_rules < 0 ||
      (copies > 0 && want_rules > 0) || first >= argc) {
    usage();
    return 2;
  }

  bench_paths in = {0};
  for (int a = first; a < argc; a++) {
    int rc = argv[a][0] == '@' ? bench_paths_read_list(&in, argv[a] + 1)
                               : bench_paths_add(&in, argv[a], strlen(argv[a]));
    if (rc != 0) { fprintf(stderr, "bench_check: cannot read %s\n", argv[a]); return 2; }
  }

  size_t nfiles = in.n;
  char **data = calloc(nfiles + 1, sizeof *data);
  size_t *lens = calloc(nfiles + 1, sizeof *lens);
  policy_document **docs = calloc(nfiles + 1, sizeof *docs);
  if (data == NULL || lens == NULL || docs == NULL) return 2;
  size_t bytes = 0, readable = 0;
  for (size_t i = 0; i < nfiles; i++) {
    data[i] = bench_slurp(in.v[i], &lens[i]);
    if (data[i] == NULL) {
      fprintf(stderr, "bench_check: cannot read %s (skipped)\n", in.v[i]);
      continue;
    }
    readable++;
    bytes += lens[i];
  }
  long loaded_rss = bench_peak_rss_kb();

  policy_engine *e;
  if (policy_engine_new(&e) != POLICY_OK) return 2;
  if (policy_engine_load_builtin(e) != POLICY_OK) {
    fprintf(stderr, "bench_check: built-in pack: %s\n", policy_engine_errmsg(e));
    return 2;
  }
  size_t builtin = policy_engine_rule_count(e);
  if ((copies > 0 || want_rules > (long)builtin) &&
      load_copies(e, dir, copies, want_rules) != 0)
    return 2;
  size_t nrules = policy_engine_rule_count(e);
  long rules_rss = bench_peak_rss_kb();

  /* Phase 1: parse+check, file after file, each document freed at once. */
  size_t pc_checked = 0;
  long pc_done = 0;
  double pc_c0 = bench_cpu_seconds(), pc_t0 = bench_now(), pc_dt = 0;
  while (pc_done < rounds || pc_dt < min_seconds) {
    policy_report *rep = NULL;
    if (one_report && policy_report_new(&rep) != POLICY_OK) return 2;
    for (size_t i = 0; i < nfiles; i++) {
      if (data[i] == NULL) continue;
      policy_document *doc;
      if (policy_parse_buffer(&doc, e, in.v[i], data[i], lens[i],
                              POLICY_KIND_DOCKERFILE) != POLICY_OK)
        continue;
      if (check_one(rep, e, doc, NULL, 0) != 0) return 2;
      pc_checked++;
      policy_document_free(doc);
    }
    policy_report_free(rep);
    pc_done++;
    pc_dt = bench_now() - pc_t0;
  }
  double pc_cpu = bench_cpu_seconds() - pc_c0;
  long pc_rss = bench_peak_rss_kb();

  /* Phase 2: every document parsed once, untimed, then checked alone. */
  size_t parse_failures = 0;
  for (size_t i = 0; i < nfiles; i++) {
    if (data[i] == NULL) continue;
    if (policy_parse_buffer(&docs[i], e, in.v[i], data[i], lens[i],
                            POLICY_KIND_DOCKERFILE) != POLICY_OK) {
      docs[i] = NULL;
      parse_failures++;
    }
  }
  counts c = {0};
  size_t checked = 0;
  long done = 0;
  double c0 = bench_cpu_seconds(), t0 = bench_now(), dt = 0;
  while (done < rounds || dt < min_seconds) {
    policy_report *rep = NULL;
    if (one_report && policy_report_new(&rep) != POLICY_OK) return 2;
    for (size_t i = 0; i < nfiles; i++) {
      if (docs[i] == NULL) continue;
      if (check_one(rep, e, docs[i], done == 0 ? &c : NULL, verbose) != 0) return 2;
      checked++;
    }
    if (rep && done == 0) count_report(&c, rep, verbose);
    policy_report_free(rep);
    done++;
    dt = bench_now() - t0;
  }
  double cpu = bench_cpu_seconds() - c0;

  double evals = (double)nrules * (double)checked;
  printf("{\"files\": %zu, \"rules\": %zu, \"builtin_rules\": %zu, \"rounds\": %ld, "
         "\"checked\": %zu, \"parse_failures\": %zu, \"findings\": %zu, \"errors\": %zu, "
         "\"rule_errors\": %zu, \"input_errors\": %zu, \"check_failures\": %zu, "
         "\"seconds\": %.4f, \"cpu_seconds\": %.4f, \"files_per_second\": %.1f, "
         "\"rule_evaluations_per_second\": %.0f, \"microseconds_per_rule_per_document\": %.3f, "
         "\"files_per_cpu_second\": %.1f, \"cpu_microseconds_per_rule_per_document\": %.3f, "
         "\"parse_check_rounds\": %ld, \"parse_check_seconds\": %.4f, "
         "\"parse_check_cpu_seconds\": %.4f, \"parse_check_files_per_second\": %.1f, "
         "\"parse_check_files_per_cpu_second\": %.1f, "
         "\"one_report\": %s, \"loaded_rss_kb\": %ld, \"rules_rss_kb\": %ld, "
         "\"parse_check_peak_rss_kb\": %ld, \"peak_rss_kb\": %ld}\n",
         readable, nrules, builtin, done, checked, parse_failures, c.findings, c.errors,
         c.rule_errors, c.input_errors, c.failed, dt, cpu, (double)checked / dt,
         evals / dt, evals > 0 ? dt * 1e6 / evals : 0.0,
         cpu > 0 ? (double)checked / cpu : 0.0, evals > 0 ? cpu * 1e6 / evals : 0.0,
         pc_done, pc_dt, pc_cpu, (double)pc_checked / pc_dt,
         pc_cpu > 0 ? (double)pc_checked / pc_cpu : 0.0, one_report ? "true" : "false", loaded_rss,
         rules_rss, pc_rss, bench_peak_rss_kb());

  for (size_t i = 0; i < nfiles; i++) {
    policy_document_free(docs[i]);
    free(data[i]);
  }
  policy_engine_free(e);
  bench_paths_free(&in);
  free(docs);
  free(data);
  free(lens);
  return 0;
}
