/*
** test_api.c: the public API: engines, limits, reading files safely,
** documents, JSON, and allocation failure at every allocation.
*/
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"
#include "policy/policy.h"

static policy_engine *engine;
static char dir[] = "/tmp/policy-api-XXXXXX";

static void setup(void) {
  cr_assert_eq(policy_engine_new(&engine), POLICY_OK);
  cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void) {
  policy_engine_free(engine);
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  cr_assert_eq(system(cmd), 0);
}

TestSuite(api, .init = setup, .fini = teardown);

static const char *write_file(const char *name, const char *text) {
  static char path[256];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "w");
  cr_assert_not_null(f);
  fputs(text, f);
  fclose(f);
  return path;
}

Test(api, versions_agree) {
  cr_assert_eq(policy_version_number(), POLICY_VERSION_NUMBER);
  cr_assert_str_eq(policy_version_string(), POLICY_VERSION_STRING);
  cr_assert_eq(policy_abi_version(), 1);
}

Test(api, strerror_covers_every_code) {
  for (int c = -10; c <= 0; c++) cr_assert_not_null(policy_strerror(c));
  cr_assert_str_eq(policy_strerror(POLICY_ERR_NOMEM), "out of memory");
}

Test(api, limits_roundtrip_and_reject_bad_values) {
  uint64_t v;
  cr_assert_eq(policy_engine_get_limit(&v, engine, POLICY_LIMIT_INPUT_BYTES), POLICY_OK);
  cr_assert_eq(v, 128u << 20);
  cr_assert_eq(policy_engine_set_limit(engine, POLICY_LIMIT_INPUT_BYTES, 10), POLICY_OK);
  cr_assert_eq(policy_engine_get_limit(&v, engine, POLICY_LIMIT_INPUT_BYTES), POLICY_OK);
  cr_assert_eq(v, 10);
  cr_assert_eq(policy_engine_set_limit(engine, 999, 1), POLICY_ERR_INVALID);
  cr_assert(strstr(policy_engine_errmsg(engine), "unknown limit") != NULL);
  cr_assert_eq(policy_engine_set_limit(engine, POLICY_LIMIT_LINE_BYTES, 0), POLICY_ERR_INVALID);
}

Test(api, parse_buffer_and_read_back) {
  policy_document *doc;
  const char *text = "FROM alpine:3.20\nUSER app\nFOO\n";
  cr_assert_eq(policy_parse_buffer(&doc, engine, "x/Dockerfile", text, strlen(text),
                                   POLICY_KIND_AUTO), POLICY_OK);
  cr_assert_eq(policy_document_kind(doc), POLICY_KIND_DOCKERFILE);
  cr_assert_str_eq(policy_document_path(doc), "x/Dockerfile");
  cr_assert_eq(policy_document_error_count(doc), 1);
  const char *msg;
  uint32_t line, col;
  cr_assert_eq(policy_document_error(&msg, &line, &col, doc, 0), POLICY_OK);
  cr_assert_eq(line, 3);
  cr_assert_eq(col, 1);
  cr_assert(strstr(msg, "unknown instruction: FOO") == msg);
  cr_assert_eq(policy_document_error(&msg, NULL, NULL, doc, 1), POLICY_ERR_INVALID);
  char *json;
  size_t len;
  cr_assert_eq(policy_document_to_json(&json, &len, doc, 0), POLICY_OK);
  cr_assert_eq(strlen(json), len);
  cr_assert(strstr(json, "\"user\":\"app\"") != NULL);
  policy_free(json);
  cr_assert_eq(policy_document_to_json(&json, NULL, doc, POLICY_JSON_NO_POSITIONS), POLICY_OK);
  cr_assert_null(strstr(json, "\"pos\""));
  policy_free(json);
  policy_document_free(doc);
}

Test(api, build_args_and_target_apply) {
  cr_assert_eq(policy_engine_set_build_arg(engine, "TAG", "3.20"), POLICY_OK);
  cr_assert_eq(policy_engine_set_build_arg(engine, "TAG", "3.21"), POLICY_OK);
  cr_assert_eq(policy_engine_set_build_arg(engine, "BAD=NAME", "x"), POLICY_ERR_INVALID);
  cr_assert_eq(policy_engine_set_target(engine, "one"), POLICY_OK);
  policy_document *doc;
  const char *text = "ARG TAG\nFROM alpine:$TAG AS one\nFROM two\n";
  cr_assert_eq(policy_parse_buffer(&doc, engine, "Dockerfile", text, strlen(text), 0), POLICY_OK);
  char *json;
  cr_assert_eq(policy_document_to_json(&json, NULL, doc, POLICY_JSON_NO_POSITIONS), POLICY_OK);
  cr_assert(strstr(json, "\"tag\":\"3.21\"") != NULL, "%s", json);
  cr_assert(strstr(json, "\"index\":0,\"final\":true") != NULL, "%s", json);
  policy_free(json);
  policy_document_free(doc);
}

Test(api, unknown_kind_and_unsupported_kinds) {
  policy_document *doc = NULL;
  cr_assert_eq(policy_parse_buffer(&doc, engine, "notes.txt", "hello", 5, 0),
               POLICY_ERR_UNSUPPORTED);
  cr_assert_null(doc);
  cr_assert(strstr(policy_engine_errmsg(engine), "POLICY_KIND_AUTO") != NULL);
  cr_assert_eq(policy_parse_buffer(&doc, engine, "compose.yaml", "services: {}\n", 13, 0),
               POLICY_OK);
  cr_assert_eq(policy_document_kind(doc), POLICY_KIND_COMPOSE);
  policy_document_free(doc);
  cr_assert_eq(policy_parse_buffer(&doc, engine, "notes.txt", "from x\n", 7, 0), POLICY_OK);
  policy_document_free(doc);
}

/* The kind a text gets under a name that says nothing (POLICY_KIND_AUTO),
** or -1 when it gets none. */
static int kind_of(const char *text) {
  policy_document *doc = NULL;
  if (policy_parse_buffer(&doc, engine, "input", text, strlen(text), POLICY_KIND_AUTO) != POLICY_OK)
    return -1;
  int k = policy_document_kind(doc);
  policy_document_free(doc);
  return k;
}

Test(api, content_detection_knows_every_instruction_keyword) {
  static const char *const dockerfiles[] = {
      "RUN apt-get install python\n", "copy a b\n", "Add x /y\n", "ENV A=1\n",
      "LABEL a=b\n", "EXPOSE 80\n", "CMD [\"x\"]\n", "ENTRYPOINT\t[\"x\"]\n",
      "USER app\n", "WORKDIR /a\n", "VOLUME /v\n", "SHELL [\"sh\"]\n",
      "HEALTHCHECK NONE\n", "ONBUILD RUN x\n", "STOPSIGNAL 9\n", "MAINTAINER me\n",
      "ARG A\n", "from x\n",
      "# syntax=docker/dockerfile:1\n# escape=`\n\n# a comment\n  RUN x\n",
      "\xef\xbb\xbfRUN x\n",
      /* a Dockerfile whose heredoc holds a Compose file is still one */
      "RUN cat > compose.yaml <<EOF\nservices:\n  web: {}\nEOF\n"};
  for (size_t k = 0; k < sizeof dockerfiles / sizeof dockerfiles[0]; k++)
    cr_assert_eq(kind_of(dockerfiles[k]), POLICY_KIND_DOCKERFILE, "%s", dockerfiles[k]);
  /* A keyword must be followed by a blank; YAML keys are not instructions. */
  static const char *const others[] = {"RUNNER x\n", "user: app\n", "env\n", "FROMx y\n",
                                       "# RUN x\n", "hello world\n"};
  for (size_t k = 0; k < sizeof others / sizeof others[0]; k++)
    cr_assert_eq(kind_of(others[k]), -1, "%s", others[k]);
  cr_assert_eq(kind_of("# c\nversion: '3'\nservices:\n  web:\n    image: x\n"), POLICY_KIND_COMPOSE);
  cr_assert_eq(kind_of("[{\"Id\": \"x\", \"Config\": {\"User\": \"RUN x\"}}]"), POLICY_KIND_INSPECT);
}

Test(api, parse_file_refuses_what_is_not_a_regular_file, .timeout = 10) {
  policy_document *doc = NULL;
  char fifo[256];
  snprintf(fifo, sizeof fifo, "%s/fifo", dir);
  cr_assert_eq(mkfifo(fifo, 0600), 0);
  cr_assert_eq(policy_parse_file(&doc, engine, fifo, 0), POLICY_ERR_IO);
  cr_assert(strstr(policy_engine_errmsg(engine), "FIFO") != NULL);
  cr_assert_eq(policy_parse_file(&doc, engine, "/dev/zero", 0), POLICY_ERR_IO);
  cr_assert(strstr(policy_engine_errmsg(engine), "device") != NULL);
  cr_assert_eq(policy_parse_file(&doc, engine, dir, 0), POLICY_ERR_IO);
  cr_assert(strstr(policy_engine_errmsg(engine), "directory") != NULL);
  char link[256];
  snprintf(link, sizeof link, "%s/zero", dir);
  cr_assert_eq(symlink("/dev/zero", link), 0);
  cr_assert_eq(policy_parse_file(&doc, engine, link, 0), POLICY_ERR_IO);
  snprintf(link, sizeof link, "%s/dangling", dir);
  cr_assert_eq(symlink("/nonexistent/x", link), 0);
  cr_assert_eq(policy_parse_file(&doc, engine, link, 0), POLICY_ERR_IO);
  cr_assert(strstr(policy_engine_errmsg(engine), "No such file") != NULL);
  cr_assert_null(doc);
}

Test(api, input_limit_is_enforced_for_files_and_pipes) {
  const char *path = write_file("Dockerfile", "FROM alpine\nRUN echo 0123456789\n");
  cr_assert_eq(policy_engine_set_limit(engine, POLICY_LIMIT_INPUT_BYTES, 16), POLICY_OK);
  policy_document *doc = NULL;
  cr_assert_eq(policy_parse_file(&doc, engine, path, 0), POLICY_ERR_LIMIT);
  cr_assert(strstr(policy_engine_errmsg(engine), "POLICY_LIMIT_INPUT_BYTES") != NULL);
  int fd = open(path, O_RDONLY);
  cr_assert_eq(policy_parse_fd(&doc, engine, "-", fd, POLICY_KIND_DOCKERFILE), POLICY_ERR_LIMIT);
  close(fd);
  cr_assert_null(doc);
}

Test(api, every_allocation_failure_is_reported_cleanly) {
  const char *text =
      "# syntax=docker/dockerfile:1\nARG V=1\nFROM alpine:3.$V AS a\n"
      "ENV X=1 Y=\"two words\"\nRUN apt-get update && apt-get install -y x | tee l\n"
      "COPY --from=a --chown=1:1 s d/\nEXPOSE 80/tcp 90-91\n"
      "HEALTHCHECK --interval=5s CMD true\nRUN <<EOF\necho $X\nEOF\nUSER 1000\n";
  unsigned long n;
  for (n = 1;; n++) {
    policy_document *doc = NULL;
    pol_alloc_inject_failure(n, 0);
    int rc = policy_parse_buffer(&doc, engine, "Dockerfile", text, strlen(text), 0);
    char *json = NULL;
    int jrc = rc == POLICY_OK ? policy_document_to_json(&json, NULL, doc, 0) : POLICY_OK;
    unsigned long used = pol_alloc_inject_failure(0, 0);
    cr_assert(rc == POLICY_OK || rc == POLICY_ERR_NOMEM, "n=%lu rc=%d", n, rc);
    cr_assert(jrc == POLICY_OK || jrc == POLICY_ERR_NOMEM, "n=%lu jrc=%d", n, jrc);
    policy_free(json);
    policy_document_free(doc);
    if (used < n) break; /* the n-th allocation never happened: all passed */
  }
  cr_assert_gt(n, 10);
}
