/*
** bench_rules.c: what each rule of the built-in pack costs, per document.
**
**   bench_rules [--min-seconds S] [--rule ID] FILE... | @LIST
**
** Parses every file once (not timed), then for each rule of the pack: a
** fresh engine with the pack loaded and every other rule ignored, and
** whole rounds of policy_check over the parsed documents until S seconds
** (0.3 by default) have passed. Prints one JSON object per line: the
** engine with no rule at all first ("rule": null: the fixed cost of a
** check), then one per rule with "cpu_us_per_document" (CPU time over
** documents checked, the no-rule cost included), most expensive first
** is left to the reader (sort -t: -k3).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "policy/policy.h"

static policy_document **docs;
static size_t ndocs;

static int marginal; /* --marginal: the pack without one rule at a time */

/* An engine with the pack, every rule but `keep` ignored (keep < 0: all);
** with --marginal, only `keep` ignored. */
static policy_engine *engine_for(long keep) {
  policy_engine *e;
  /* Every rule of the pack, whatever its profile. */
  if (policy_engine_new(&e) != POLICY_OK || policy_engine_set_profile(e, "all") != POLICY_OK ||
      policy_engine_load_builtin(e) != POLICY_OK) {
    fprintf(stderr, "bench_rules: cannot load the pack\n");
    exit(2);
  }
  size_t n = policy_engine_rule_count(e);
  char **ids = calloc(n, sizeof *ids);
  for (size_t i = 0; i < n; i++)
    ids[i] = strdup(policy_engine_rule_string(e, i, POLICY_RULE_ID));
  for (size_t i = 0; i < n; i++)
    if (((long)i != keep) != (marginal && keep >= 0)) policy_engine_ignore(e, ids[i]);
  for (size_t i = 0; i < n; i++) free(ids[i]);
  free(ids);
  return e;
}

static double cost(policy_engine *e, double min_seconds, size_t *findings) {
  double c0 = bench_cpu_seconds(), t0 = bench_now();
  size_t checked = 0;
  *findings = 0;
  do {
    for (size_t i = 0; i < ndocs; i++) {
      policy_report *r;
      policy_report_new(&r);
      policy_check(r, e, docs[i]);
      *findings += policy_report_count(r, POLICY_LIST_FINDINGS);
      policy_report_free(r);
      checked++;
    }
  } while (bench_now() - t0 < min_seconds);
  return (bench_cpu_seconds() - c0) * 1e6 / (double)checked;
}

int main(int argc, char **argv) {
  double min_seconds = 0.3;
  const char *only = NULL;
  int a = 1;
  for (; a + 1 < argc && argv[a][0] == '-'; a += 2) {
    if (strcmp(argv[a], "--min-seconds") == 0) min_seconds = strtod(argv[a + 1], NULL);
    else if (strcmp(argv[a], "--rule") == 0) only = argv[a + 1];
    else if (strcmp(argv[a], "--marginal") == 0) { marginal = 1; a--; }
    else break;
  }
  bench_paths in = {0};
  for (; a < argc; a++) {
    int rc = argv[a][0] == '@' ? bench_paths_read_list(&in, argv[a] + 1)
                               : bench_paths_add(&in, argv[a], strlen(argv[a]));
    if (rc != 0) { fprintf(stderr, "bench_rules: cannot read %s\n", argv[a]); return 2; }
  }
  if (in.n == 0) {
    fputs("usage: bench_rules [--min-seconds S] [--rule ID] FILE... | @LIST\n", stderr);
    return 2;
  }
  policy_engine *parser = engine_for(-1);
  docs = calloc(in.n, sizeof *docs);
  for (size_t i = 0; i < in.n; i++) {
    size_t len;
    char *text = bench_slurp(in.v[i], &len);
    if (text && policy_parse_buffer(&docs[ndocs], parser, in.v[i], text, len,
                                    POLICY_KIND_DOCKERFILE) == POLICY_OK)
      ndocs++;
    free(text);
  }
  size_t findings;
  printf("{\"rule\": null, \"documents\": %zu, \"cpu_us_per_document\": %.2f}\n", ndocs,
         cost(parser, min_seconds < 0.3 ? min_seconds : 0.3, &findings));
  policy_engine *all;
  if (policy_engine_new(&all) != POLICY_OK || policy_engine_load_builtin(all) != POLICY_OK) return 2;
  double us = cost(all, min_seconds, &findings);
  printf("{\"rule\": \"(the whole pack)\", \"cpu_us_per_document\": %.2f, \"findings_per_round\": %zu}\n",
         us, findings);
  policy_engine_free(all);
  size_t n = policy_engine_rule_count(parser);
  for (size_t i = 0; i < n; i++) {
    if (only && strcmp(only, policy_engine_rule_string(parser, i, POLICY_RULE_ID)) != 0) continue;
    policy_engine *e = engine_for((long)i);
    us = cost(e, min_seconds, &findings);
    printf("{\"rule\": \"%s\", \"cpu_us_per_document\": %.2f, \"findings_per_round\": %zu}\n",
           policy_engine_rule_string(e, i, POLICY_RULE_ID), us, findings);
    fflush(stdout);
    policy_engine_free(e);
  }
  for (size_t i = 0; i < ndocs; i++) policy_document_free(docs[i]);
  free(docs);
  policy_engine_free(parser);
  bench_paths_free(&in);
  return 0;
}
