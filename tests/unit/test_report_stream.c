/*
** test_report_stream.c: policy_report_write_cb hands over the same bytes
** as policy_report_write, in bounded chunks, and stops at the first
** failed write.
*/
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/policy.h"

/* What a callback received: all the bytes, the calls and the biggest one. */
typedef struct sink {
  char *data;
  size_t len, calls, biggest;
  size_t fail_at; /* the call that fails (1-based); 0: none */
} sink;

static int take(void *ctx, const char *data, size_t len) {
  sink *s = ctx;
  s->calls++;
  if (s->fail_at && s->calls == s->fail_at) return -1;
  cr_assert_gt(len, 0);
  s->data = realloc(s->data, s->len + len + 1);
  cr_assert_not_null(s->data);
  memcpy(s->data + s->len, data, len);
  s->len += len;
  s->data[s->len] = '\0';
  if (len > s->biggest) s->biggest = len;
  return 0;
}

/* A report of n input errors over n files (about 90 bytes each in JSON)
** and, with an engine, the findings of a Dockerfile checked under `checked`
** names. */
static policy_report *report_of(size_t n, policy_engine *e, size_t checked) {
  policy_report *r;
  cr_assert_eq(policy_report_new(&r), POLICY_OK);
  char file[64], message[96];
  for (size_t i = 0; i < n; i++) {
    snprintf(file, sizeof file, "services/app-%05zu/Dockerfile", i);
    snprintf(message, sizeof message, "the file could not be read (case %zu of %zu)", i, n);
    cr_assert_eq(policy_report_add_error(r, file, (uint32_t)(i % 50 + 1), 1, message), POLICY_OK);
  }
  static const char dockerfile[] =
      "FROM ubuntu:latest\n"
      "RUN apt-get update && apt-get install -y curl sudo\n"
      "RUN curl -fsSL https://example.com/install.sh | sh\n"
      "ENV API_TOKEN=ghp_0123456789abcdefghijklmnopqrstuvwxyzAB\n"
      "EXPOSE 22\n";
  for (size_t i = 0; i < checked; i++) {
    policy_document *doc;
    snprintf(file, sizeof file, "web-%04zu/Dockerfile", i);
    cr_assert_eq(policy_parse_buffer(&doc, e, file, dockerfile, sizeof dockerfile - 1,
                                     POLICY_KIND_DOCKERFILE), POLICY_OK);
    cr_assert_eq(policy_check(r, e, doc), POLICY_OK);
    policy_document_free(doc);
  }
  return r;
}

static const policy_format formats[] = {
    POLICY_FORMAT_TEXT,   POLICY_FORMAT_JSON,   POLICY_FORMAT_SARIF,      POLICY_FORMAT_JUNIT,
    POLICY_FORMAT_GITHUB, POLICY_FORMAT_GITLAB, POLICY_FORMAT_CHECKSTYLE, POLICY_FORMAT_BASELINE};

Test(report_stream, same_bytes_in_bounded_chunks) {
  policy_engine *e;
  cr_assert_eq(policy_engine_new(&e), POLICY_OK);
  cr_assert_eq(policy_engine_load_builtin(e), POLICY_OK);
  policy_report *small = report_of(3, e, 1), *big = report_of(2000, e, 300);
  cr_assert_geq(policy_report_count(big, POLICY_LIST_FINDINGS), 1500);
  policy_report *reports[] = {small, big};
  for (size_t k = 0; k < 2; k++)
    for (size_t f = 0; f < sizeof formats / sizeof formats[0]; f++)
      for (uint32_t flags = 0; flags <= POLICY_JSON_PRETTY; flags += POLICY_JSON_PRETTY) {
        char *whole;
        size_t len;
        cr_assert_eq(policy_report_write(&whole, &len, reports[k], e, formats[f], flags), POLICY_OK);
        sink s = {0};
        cr_assert_eq(policy_report_write_cb(reports[k], e, formats[f], flags, take, &s), POLICY_OK);
        cr_assert_eq(s.len, len, "format %d: %zu bytes streamed, %zu written", formats[f], s.len, len);
        cr_assert(memcmp(s.data, whole, len) == 0, "format %d: the bytes differ", formats[f]);
        if (k == 1) {
          /* Thousands of entries: several chunks, none over 64 KiB. */
          cr_assert_gt(len, 3 * 64 * 1024, "format %d: %zu bytes", formats[f], len);
          cr_assert_gt(s.calls, 2, "format %d: %zu calls", formats[f], s.calls);
          cr_assert_leq(s.biggest, 64 * 1024, "format %d: a chunk of %zu", formats[f], s.biggest);
        }
        free(s.data);
        policy_free(whole);
      }
  policy_report_free(small);
  policy_report_free(big);
  policy_engine_free(e);
}

Test(report_stream, a_failed_write_stops_it) {
  policy_report *r = report_of(5000, NULL, 0);
  char *whole;
  size_t len;
  cr_assert_eq(policy_report_write(&whole, &len, r, NULL, POLICY_FORMAT_JSON, 0), POLICY_OK);
  sink s = {.fail_at = 2};
  cr_assert_eq(policy_report_write_cb(r, NULL, POLICY_FORMAT_JSON, 0, take, &s), POLICY_ERR_IO);
  cr_assert_eq(s.calls, 2, "called again after failing");
  cr_assert_gt(s.len, 0);
  cr_assert(memcmp(s.data, whole, s.len) == 0, "what was written is not a prefix");
  free(s.data);
  policy_free(whole);
  policy_report_free(r);
}

Test(report_stream, bad_arguments) {
  policy_report *r = report_of(1, NULL, 0);
  sink s = {0};
  cr_assert_eq(policy_report_write_cb(NULL, NULL, POLICY_FORMAT_JSON, 0, take, &s), POLICY_ERR_INVALID);
  cr_assert_eq(policy_report_write_cb(r, NULL, POLICY_FORMAT_JSON, 0, NULL, &s), POLICY_ERR_INVALID);
  cr_assert_eq(policy_report_write_cb(r, NULL, 0, 0, take, &s), POLICY_ERR_INVALID);
  cr_assert_eq(policy_report_write_cb(r, NULL, 99, 0, take, &s), POLICY_ERR_INVALID);
  cr_assert_eq(s.calls, 0);
  policy_report_free(r);
}
