/*
** fuzz_rules.c: rule loading and evaluation through the public API. The
** input is the Lua source of one rule; it is loaded into a fresh engine
** with small budgets and, when it loads, run over a fixed Dockerfile with
** a data document, and the report is written as JSON and as text.
**
** Contract: loading succeeds or fails with PARSE/LIMIT (a bad rule, or a
** budget the rule exhausted while loading); checking returns POLICY_OK
** (a rule that misbehaves is an error entry in the report); the host never
** crashes, leaks, or runs past the budgets (libFuzzer's -timeout and
** -rss_limit_mb catch those).
*/
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "policy/policy.h"

static const char dockerfile[] =
    "# syntax=docker/dockerfile:1\n"
    "ARG BASE=alpine:3.20\n"
    "FROM $BASE AS build\n"
    "# policy ignore=fuzz-rule -- testing suppressions\n"
    "RUN apt-get update && apt-get install -y curl | tee /log; sh -c 'echo $(id -u)'\n"
    "ENV A=1 B=\"two words\"\n"
    "LABEL org.opencontainers.image.source=https://example.com\n"
    "COPY --from=build --chown=1:1 src/ /app/\n"
    "RUN <<EOF\nset -e\necho hi > /x\nEOF\n"
    "FROM ubuntu\n"
    "USER root\n"
    "EXPOSE 22 80/tcp\n"
    "HEALTHCHECK --interval=5s CMD curl -f http://localhost/\n"
    "ONBUILD RUN make\n"
    "ENTRYPOINT [\"/bin/sh\", \"-c\"]\n"
    "CMD [\"echo\", \"ok\"]\n"
    "FOO bar\n";

static const char data_yaml[] =
    "allowed:\n  - alpine\n  - ubuntu\nnested: {a: [1, 2.5, true, null, \"s\"]}\n";

static policy_document *doc;
static char data_path[64];

static void setup(void) {
  policy_engine *e;
  if (policy_engine_new(&e) != POLICY_OK) abort();
  if (policy_parse_buffer(&doc, e, "Dockerfile", dockerfile, sizeof dockerfile - 1,
                          POLICY_KIND_DOCKERFILE) != POLICY_OK)
    abort();
  policy_engine_free(e);
  snprintf(data_path, sizeof data_path, "/tmp/policy-fuzz-data-%ld.yaml", (long)getpid());
  FILE *f = fopen(data_path, "w");
  if (f == NULL) abort();
  fputs(data_yaml, f);
  fclose(f);
}

static void cleanup(void) {
  unlink(data_path);
  policy_document_free(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > FUZZ_MAX_INPUT) return 0;
  if (doc == NULL) {
    setup();
    atexit(cleanup);
  }
  policy_engine *e;
  fuzz_assert(policy_engine_new(&e) == POLICY_OK);
  fuzz_assert(policy_engine_set_limit(e, POLICY_LIMIT_INSTRUCTIONS, 200000) == POLICY_OK);
  fuzz_assert(policy_engine_set_limit(e, POLICY_LIMIT_LUA_MEMORY_BYTES, 8u << 20) == POLICY_OK);
  fuzz_assert(policy_engine_set_limit(e, POLICY_LIMIT_FINDINGS_PER_RULE, 20) == POLICY_OK);
  fuzz_assert(policy_engine_set_limit(e, POLICY_LIMIT_LOG_BYTES, 1024) == POLICY_OK);
  /* Slow single instructions (comparing long strings) end here. */
  fuzz_assert(policy_engine_set_limit(e, POLICY_LIMIT_TIME_MS, 1000) == POLICY_OK);
  fuzz_assert(policy_engine_load_data(e, data_path) == POLICY_OK);
  int rc = policy_engine_load_rule_buffer(e, "fuzz.lua", (const char *)data, size);
  fuzz_assert(rc == POLICY_OK || rc == POLICY_ERR_PARSE || rc == POLICY_ERR_LIMIT);
  fuzz_assert(*policy_engine_errmsg(e) != '\0' || rc == POLICY_OK);
  if (rc == POLICY_OK) {
    policy_report *r;
    fuzz_assert(policy_report_new(&r) == POLICY_OK);
    /* Twice: the second run sees a recycled sandbox when the first
    ** tripped a limit. */
    fuzz_assert(policy_check(r, e, doc) == POLICY_OK);
    fuzz_assert(policy_check(r, e, doc) == POLICY_OK);
    char *out;
    fuzz_assert(policy_report_to_json(&out, NULL, r, POLICY_JSON_PRETTY) == POLICY_OK);
    policy_free(out);
    fuzz_assert(policy_report_to_text(&out, NULL, r, POLICY_TEXT_COLOR) == POLICY_OK);
    policy_free(out);
    fuzz_assert(policy_engine_rules_to_json(&out, NULL, e, 0) == POLICY_OK);
    policy_free(out);
    policy_report_free(r);
  }
  policy_engine_free(e);
  return 0;
}
