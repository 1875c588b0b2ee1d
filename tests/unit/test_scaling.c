/*
** test_scaling.c: no rule of the built-in pack is worse than linear in
** the size of what it checks. Each rule runs metered (its instruction
** units are what the budget counts: deterministic, no clock) over a
** Dockerfile made of 1, 10, 100 and 1000 copies of a block of real-world
** shape (multi-stage, package installs, pipes, COPY --from, labels,
** exposes, a healthcheck), and the units of the 1000x file must stay
** within 12 times those of the 100x one (linear would be 10). No rule
** may fail on the 1000x file with the default limits either.
*/
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/internal.h"
#include "engine/eval.h"

static const char block[] =
    "FROM debian:12-slim AS build%1$d\n"
    "ARG VERSION%1$d=1.2.%1$d\n"
    "ENV APP_HOME=/srv/app%1$d PATH=/srv/app%1$d/bin:$PATH\n"
    "LABEL org.opencontainers.image.version=\"${VERSION%1$d}\" stage=\"%1$d\"\n"
    "WORKDIR /srv/app%1$d\n"
    "RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates "
    "&& curl -fsSL https://example.com/tool%1$d.tgz | tar -xz -C /usr/local "
    "&& echo \"$VERSION%1$d\" | tee /etc/app-version && rm -rf /var/lib/apt/lists/*\n"
    "RUN pip install --no-cache-dir flask==2.%1$d && useradd -r app%1$d\n"
    "COPY --from=%2$s /srv/app/bin /usr/local/bin/\n"
    "COPY requirements.txt ./\n"
    "EXPOSE 80%1$02d/tcp\n"
    "USER app%1$d\n"
    "HEALTHCHECK --interval=30s CMD curl -fs http://localhost:80%1$02d/health || exit 1\n"
    "CMD [\"app\", \"--port\", \"80%1$02d\"]\n";

/* A Dockerfile of n blocks, malloc'd. */
static char *blocks(int n, size_t *len) {
  size_t cap = (size_t)n * (sizeof block + 64) + 64, used = 0;
  char *s = malloc(cap);
  cr_assert_not_null(s);
  for (int i = 0; i < n; i++) {
    char from[32];
    snprintf(from, sizeof from, i ? "build%d" : "alpine:3.20", i - 1);
    used += (size_t)snprintf(s + used, cap - used, block, i, from);
  }
  *len = used;
  return s;
}

static bool no_finding(void *ud, const eng_eval_finding *f) { (void)ud; (void)f; return true; }
static bool on_error(void *ud, const eng_eval_error *e) {
  char *first = ud;
  if (!*first) snprintf(first, 512, "%s: %s", e->rule->id, e->message);
  return true;
}
static bool no_log(void *ud, const eng_rule *r, const char *f, const char *t, size_t n) {
  (void)ud; (void)r; (void)f; (void)t; (void)n;
  return true;
}

Test(scaling, every_rule_is_linear_in_the_dockerfile, .timeout = 600) {
  static const int sizes[] = {1, 10, 100, 1000};
  policy_engine *e;
  cr_assert_eq(policy_engine_new(&e), POLICY_OK);
  /* Counting, not limiting: the built-in pack runs unmetered in use. */
  cr_assert_eq(policy_engine_set_limit(e, POLICY_LIMIT_INSTRUCTIONS, UINT64_C(1) << 40), POLICY_OK);
  cr_assert_eq(policy_engine_load_builtin(e), POLICY_OK);
  int st;
  eng_sandbox *sb = api_sandbox(e, &st);
  cr_assert_not_null(sb);
  size_t n = e->nrules;
  uint64_t *units = calloc(n * 4, sizeof *units);
  char error[512] = "";
  eng_eval_sink sink = {no_finding, on_error, no_log, error, NULL};
  eng_eval_limits lim = {e->instructions, e->lua_memory, e->findings, e->time_ms, 0};
  for (int s = 0; s < 4; s++) {
    size_t len;
    char *text = blocks(sizes[s], &len);
    policy_document *doc;
    cr_assert_eq(policy_parse_buffer(&doc, e, "Dockerfile", text, len, POLICY_KIND_DOCKERFILE),
                 POLICY_OK);
    eng_eval_begin(sb);
    for (size_t i = 0; i < n; i++) {
      eng_rule *r = e->rules[i];
      r->trusted = false; /* metered, so its units are counted */
      cr_assert(eng_eval_rule(sb, r, doc->root, doc->path, &lim, &sink));
      units[i * 4 + (size_t)s] = eng_sb_units_used(sb);
      r->trusted = true;
      cr_assert(!eng_sb_needs_recycle(sb), "%s went over a limit on %dx: %s", r->id, sizes[s], error);
    }
    eng_eval_end(sb);
    cr_assert_str_eq(error, "", "a rule failed on the %dx file: %s", sizes[s], error);
    policy_document_free(doc);
    free(text);
  }
  int bad = 0;
  for (size_t i = 0; i < n; i++) {
    uint64_t *u = &units[i * 4];
    /* The hook counts in steps of 1000 instructions: below ten steps at
    ** 100x the ratio says more about rounding than about the rule. */
    if (u[2] < 10000) continue;
    double ratio = (double)u[3] / (double)(u[2] ? u[2] : 1);
    if (ratio > 12.0) {
      fprintf(stderr, "scaling: %s: %llu units at 100x, %llu at 1000x (%.1fx)\n",
              e->rules[i]->id, (unsigned long long)u[2], (unsigned long long)u[3], ratio);
      bad++;
    }
  }
  cr_assert_eq(bad, 0, "%d rules grow faster than their input", bad);
  free(units);
  policy_engine_free(e);
}

/* With the default limits, the 1000x file gets a verdict from every rule. */
Test(scaling, a_big_dockerfile_gets_every_rule_s_verdict, .timeout = 600) {
  policy_engine *e;
  cr_assert_eq(policy_engine_new(&e), POLICY_OK);
  cr_assert_eq(policy_engine_load_builtin(e), POLICY_OK);
  size_t len;
  char *text = blocks(1000, &len);
  policy_document *doc;
  cr_assert_eq(policy_parse_buffer(&doc, e, "Dockerfile", text, len, POLICY_KIND_DOCKERFILE),
               POLICY_OK);
  policy_report *r;
  cr_assert_eq(policy_report_new(&r), POLICY_OK);
  cr_assert_eq(policy_check(r, e, doc), POLICY_OK);
  cr_assert_eq(policy_report_count(r, POLICY_LIST_ERRORS), 0, "%s",
               policy_report_get_string(r, POLICY_LIST_ERRORS, 0, POLICY_FIELD_MESSAGE));
  cr_assert_gt(policy_report_count(r, POLICY_LIST_FINDINGS), 1000);
  policy_report_free(r);
  policy_document_free(doc);
  free(text);
  policy_engine_free(e);
}
