/*
** test_embed.c: what a program embedding the library needs (issue 15):
** data and configuration from buffers, parsing without touching the
** host's files or environment (policy_engine_set_host_access), and
** cancelling a check from another thread (policy_engine_set_cancel),
** in-process and in worker processes.
*/
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "policy/policy.h"

static policy_engine *engine;
static char dir[] = "/tmp/policy-embed-XXXXXX";

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

TestSuite(embed, .init = setup, .fini = teardown);

static const char *path_of(const char *name) {
  static char path[256];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  return path;
}

static void write_file(const char *name, const char *text) {
  FILE *f = fopen(path_of(name), "w");
  cr_assert_not_null(f);
  fputs(text, f);
  fclose(f);
}

static char *model_json(const policy_document *doc) {
  char *json;
  cr_assert_eq(policy_document_to_json(&json, NULL, doc, POLICY_JSON_NO_POSITIONS), POLICY_OK);
  return json;
}

/* Whether some warning of the document contains `text`. */
static bool has_warning(const policy_document *doc, const char *text) {
  for (size_t i = 0; i < policy_document_warning_count(doc); i++) {
    const char *m;
    cr_assert_eq(policy_document_warning(&m, NULL, NULL, doc, i), POLICY_OK);
    if (strstr(m, text)) return true;
  }
  return false;
}

/* ---- host access -------------------------------------------------------- */

static const char project[] =
    "services:\n"
    "  web:\n"
    "    image: nginx:${TAG}\n"
    "    environment:\n"
    "      FROM_SHELL: ${EMBED_TEST_VARIABLE:-unset}\n"
    "    extends:\n"
    "      file: base.yaml\n"
    "      service: base\n"
    "    build: .\n";

static void write_project(void) {
  write_file(".env", "TAG=1.27\n");
  write_file("base.yaml", "services:\n  base:\n    privileged: true\n");
  write_file("Dockerfile", "FROM alpine:3.20\nUSER nobody\n");
  write_file("compose.override.yaml", "services:\n  web:\n    read_only: true\n");
}

Test(embed, host_access_defaults_to_everything) {
  cr_assert_eq(policy_engine_host_access(engine), POLICY_HOST_ALL);
  cr_assert_eq(policy_engine_host_access(NULL), 0);
  cr_assert_eq(policy_engine_set_host_access(engine, 0x10), POLICY_ERR_INVALID);
  cr_assert(strstr(policy_engine_errmsg(engine), "0x10"));
  cr_assert_eq(policy_engine_set_host_access(NULL, 0), POLICY_ERR_INVALID);
  cr_assert_eq(policy_engine_host_access(engine), POLICY_HOST_ALL);
}

Test(embed, compose_reads_the_host_by_default) {
  write_project();
  setenv("EMBED_TEST_VARIABLE", "from-the-shell", 1);
  policy_document *doc;
  cr_assert_eq(policy_parse_buffer(&doc, engine, path_of("compose.yaml"), project,
                                   sizeof project - 1, POLICY_KIND_COMPOSE),
               POLICY_OK);
  char *json = model_json(doc);
  cr_assert(strstr(json, "nginx:1.27"), "%s", json);
  cr_assert(strstr(json, "from-the-shell"), "%s", json);
  cr_assert(strstr(json, "\"privileged\":true"), "%s", json);
  cr_assert(strstr(json, "\"read_only\":true"), "%s", json);
  cr_assert(strstr(json, "nobody"), "%s", json);
  policy_free(json);
  policy_document_free(doc);
  unsetenv("EMBED_TEST_VARIABLE");
}

Test(embed, compose_without_host_access_reads_nothing_and_says_what) {
  write_project();
  setenv("EMBED_TEST_VARIABLE", "from-the-shell", 1);
  cr_assert_eq(policy_engine_set_host_access(engine, 0), POLICY_OK);
  policy_document *doc;
  cr_assert_eq(policy_parse_buffer(&doc, engine, path_of("compose.yaml"), project,
                                   sizeof project - 1, POLICY_KIND_COMPOSE),
               POLICY_OK);
  char *json = model_json(doc);
  cr_assert_null(strstr(json, "1.27"), "the .env was read: %s", json);
  cr_assert_null(strstr(json, "from-the-shell"), "the environment was read: %s", json);
  cr_assert(strstr(json, "\"FROM_SHELL\":\"unset\""), "%s", json);
  cr_assert_null(strstr(json, "\"privileged\":true"), "base.yaml was read: %s", json);
  cr_assert_null(strstr(json, "\"read_only\":true"), "the override was read: %s", json);
  cr_assert_null(strstr(json, "nobody"), "the Dockerfile was read: %s", json);
  policy_free(json);
  cr_assert_eq(policy_document_error_count(doc), 0, "not reading is no error of the input");
  cr_assert(has_warning(doc, "/.env is not read: the engine does not allow reading files "
                             "(POLICY_HOST_FILES)"));
  cr_assert(has_warning(doc, "base.yaml is not read"));
  cr_assert(has_warning(doc, "compose.override.yml, compose.override.yaml, "
                             "docker-compose.override.yml, docker-compose.override.yaml) are "
                             "not read: the engine does not allow reading files"));
  cr_assert(has_warning(doc, "/Dockerfile is not read"));
  cr_assert(has_warning(doc, "\"TAG\" variable is not set (the process environment is not read)"));
  policy_document_free(doc);
  unsetenv("EMBED_TEST_VARIABLE");
}

Test(embed, files_and_environment_are_separate_flags) {
  write_project();
  setenv("EMBED_TEST_VARIABLE", "from-the-shell", 1);
  cr_assert_eq(policy_engine_set_host_access(engine, POLICY_HOST_FILES), POLICY_OK);
  policy_document *doc;
  cr_assert_eq(policy_parse_buffer(&doc, engine, path_of("compose.yaml"), project,
                                   sizeof project - 1, POLICY_KIND_COMPOSE),
               POLICY_OK);
  char *json = model_json(doc);
  cr_assert(strstr(json, "nginx:1.27"), "%s", json);
  cr_assert_null(strstr(json, "from-the-shell"), "%s", json);
  policy_free(json);
  policy_document_free(doc);
  cr_assert_eq(policy_engine_set_host_access(engine, POLICY_HOST_ENV), POLICY_OK);
  cr_assert_eq(policy_parse_buffer(&doc, engine, path_of("compose.yaml"), project,
                                   sizeof project - 1, POLICY_KIND_COMPOSE),
               POLICY_OK);
  json = model_json(doc);
  cr_assert_null(strstr(json, "1.27"), "%s", json);
  cr_assert(strstr(json, "from-the-shell"), "%s", json);
  policy_free(json);
  policy_document_free(doc);
  unsetenv("EMBED_TEST_VARIABLE");
}

Test(embed, files_a_call_names_are_read_whatever_the_setting) {
  write_project();
  write_file("second.yaml", "services:\n  web:\n    cap_add: [SYS_ADMIN]\n");
  cr_assert_eq(policy_engine_set_host_access(engine, 0), POLICY_OK);
  policy_document *doc;
  cr_assert_eq(policy_parse_file(&doc, engine, path_of("Dockerfile"), POLICY_KIND_AUTO),
               POLICY_OK);
  policy_document_free(doc);
  char first[256], second[256];
  snprintf(first, sizeof first, "%s", path_of("base.yaml"));
  snprintf(second, sizeof second, "%s", path_of("second.yaml"));
  const char *paths[] = {first, second};
  cr_assert_eq(policy_parse_compose(&doc, engine, paths, 2), POLICY_OK);
  char *json = model_json(doc);
  cr_assert(strstr(json, "SYS_ADMIN"), "%s", json);
  policy_free(json);
  policy_document_free(doc);
}

/* ---- data and configuration from buffers ------------------------------ */

static const char data_rule[] =
    "return {\n"
    "  id = 'embed-data', title = 'data', severity = 'low', applies_to = 'document',\n"
    "  description = 'd', remediation = 'r',\n"
    "  check = function(doc)\n"
    "    if data.registry then report(doc, 'registry ' .. data.registry) end\n"
    "  end,\n"
    "}\n";

static const char *check_message(void) {
  static char text[256];
  policy_document *doc;
  policy_report *rep;
  cr_assert_eq(policy_parse_buffer(&doc, engine, "Dockerfile", "FROM alpine\n", 12,
                                   POLICY_KIND_DOCKERFILE),
               POLICY_OK);
  cr_assert_eq(policy_report_new(&rep), POLICY_OK);
  cr_assert_eq(policy_check(rep, engine, doc), POLICY_OK, "%s", policy_engine_errmsg(engine));
  const char *m = policy_report_count(rep, POLICY_LIST_FINDINGS)
                      ? policy_report_get_string(rep, POLICY_LIST_FINDINGS, 0, POLICY_FIELD_MESSAGE)
                      : "";
  snprintf(text, sizeof text, "%s", m);
  policy_report_free(rep);
  policy_document_free(doc);
  return text;
}

Test(embed, data_from_a_buffer_is_yaml_or_json_by_name) {
  cr_assert_eq(policy_engine_set_isolation(engine, POLICY_ISOLATE_NONE), POLICY_OK);
  cr_assert_eq(policy_engine_load_rule_buffer(engine, "embed.lua", data_rule, sizeof data_rule - 1),
               POLICY_OK);
  cr_assert_eq(policy_engine_load_data_buffer(engine, "allowed.yaml", "registry: ghcr.io\n", 18),
               POLICY_OK);
  cr_assert_str_eq(check_message(), "registry ghcr.io");
  const char json[] = "{\"registry\": \"quay.io\"}";
  cr_assert_eq(policy_engine_load_data_buffer(engine, "allowed.json", json, sizeof json - 1),
               POLICY_OK);
  cr_assert_str_eq(check_message(), "registry quay.io");
}

Test(embed, data_buffer_errors_name_the_buffer) {
  cr_assert_eq(policy_engine_load_data_buffer(engine, "bad.yaml", "a: [1\n", 6), POLICY_ERR_PARSE);
  cr_assert(strstr(policy_engine_errmsg(engine), "bad.yaml:"), "%s", policy_engine_errmsg(engine));
  cr_assert_eq(policy_engine_load_data_buffer(engine, "list.yaml", "- 1\n", 4), POLICY_ERR_PARSE);
  cr_assert_eq(policy_engine_load_data_buffer(engine, NULL, "a: 1\n", 5), POLICY_ERR_INVALID);
  cr_assert_eq(policy_engine_load_data_buffer(engine, "x.yaml", NULL, 5), POLICY_ERR_INVALID);
  cr_assert_eq(policy_engine_load_data_buffer(NULL, "x.yaml", "a: 1\n", 5), POLICY_ERR_INVALID);
  cr_assert_eq(policy_engine_load_data_buffer(engine, "empty.yaml", NULL, 0), POLICY_ERR_PARSE,
               "an empty document is no mapping, as for files");
  cr_assert_eq(policy_engine_set_limit(engine, POLICY_LIMIT_INPUT_BYTES, 4), POLICY_OK);
  cr_assert_eq(policy_engine_load_data_buffer(engine, "big.yaml", "a: 12\n", 6), POLICY_ERR_LIMIT);
  cr_assert(strstr(policy_engine_errmsg(engine), "POLICY_LIMIT_INPUT_BYTES"));
}

Test(embed, configuration_from_a_buffer) {
  write_file("rule.lua", data_rule);
  write_file("data.yaml", "registry: docker.io\n");
  char name[256];
  snprintf(name, sizeof name, "%s", path_of(".policy.yaml"));
  const char config[] = "builtin: false\nfail_on: medium\npolicies: [rule.lua]\ndata: data.yaml\n"
                        "limits: {instructions: 5000000}\n";
  cr_assert_eq(policy_engine_set_isolation(engine, POLICY_ISOLATE_NONE), POLICY_OK);
  cr_assert_eq(policy_engine_load_config_buffer(engine, name, config, sizeof config - 1),
               POLICY_OK, "%s", policy_engine_errmsg(engine));
  cr_assert_eq(policy_engine_config_builtin(engine), 0);
  cr_assert_eq(policy_engine_config_fail_on(engine), POLICY_SEVERITY_MEDIUM);
  uint64_t v;
  cr_assert_eq(policy_engine_get_limit(&v, engine, POLICY_LIMIT_INSTRUCTIONS), POLICY_OK);
  cr_assert_eq(v, 5000000);
  cr_assert_str_eq(check_message(), "registry docker.io");
}

Test(embed, configuration_buffer_errors_name_the_buffer) {
  const char bad[] = "limits:\n  instructionz: 5\n";
  cr_assert_eq(policy_engine_load_config_buffer(engine, "service.yaml", bad, sizeof bad - 1),
               POLICY_ERR_PARSE);
  cr_assert(strstr(policy_engine_errmsg(engine), "service.yaml:2:"), "%s",
            policy_engine_errmsg(engine));
  cr_assert_eq(policy_engine_load_config_buffer(engine, NULL, bad, 3), POLICY_ERR_INVALID);
  cr_assert_eq(policy_engine_load_config_buffer(engine, "x", NULL, 3), POLICY_ERR_INVALID);
  cr_assert_eq(policy_engine_load_config_buffer(engine, "empty.yaml", "", 0), POLICY_OK);
  size_t big = (1u << 20) + 1;
  char *text = calloc(1, big);
  cr_assert_not_null(text);
  memset(text, '#', big);
  cr_assert_eq(policy_engine_load_config_buffer(engine, "big.yaml", text, big), POLICY_ERR_LIMIT);
  free(text);
}

Test(embed, configuration_naming_files_is_refused_without_file_access) {
  write_file("rule.lua", data_rule);
  cr_assert_eq(policy_engine_set_host_access(engine, 0), POLICY_OK);
  const char config[] = "fail_on: low\npolicies: [rule.lua]\n";
  cr_assert_eq(policy_engine_load_config_buffer(engine, path_of("c.yaml"), config,
                                                sizeof config - 1),
               POLICY_ERR_INVALID);
  cr_assert(strstr(policy_engine_errmsg(engine), "c.yaml:2:11: policies names files"), "%s",
            policy_engine_errmsg(engine));
  cr_assert(strstr(policy_engine_errmsg(engine), "POLICY_HOST_FILES"));
  cr_assert_eq(policy_engine_rule_count(engine), 0);
  cr_assert_eq(policy_engine_config_fail_on(engine), 0, "nothing of it applies");
  const char ok[] = "fail_on: low\nignore: [{id: x, reason: not ours}]\n";
  cr_assert_eq(policy_engine_load_config_buffer(engine, "c.yaml", ok, sizeof ok - 1), POLICY_OK,
               "%s", policy_engine_errmsg(engine));
  cr_assert_eq(policy_engine_config_fail_on(engine), POLICY_SEVERITY_LOW);
}

/* ---- cancellation ------------------------------------------------------- */

static const char loop_rule[] =
    "return {\n"
    "  id = 'embed-loop', title = 'loops', severity = 'low', applies_to = 'document',\n"
    "  description = 'd', remediation = 'r',\n"
    "  check = function(doc) while true do end end,\n"
    "}\n";

static const char quick_rule[] =
    "return {\n"
    "  id = 'embed-quick', title = 'quick', severity = 'low', applies_to = 'document',\n"
    "  description = 'd', remediation = 'r',\n"
    "  check = function(doc) report(doc, 'seen') end,\n"
    "}\n";

static int flag; /* written with __atomic_store_n, as policy.h asks */

static void *cancel_later(void *arg) {
  (void)arg;
  struct timespec ts = {0, 100 * 1000 * 1000};
  nanosleep(&ts, NULL);
  __atomic_store_n(&flag, 1, __ATOMIC_RELAXED);
  return NULL;
}

static double seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Checks a Dockerfile with quick_rule, then loop_rule, while another
** thread sets the flag after 100 ms; the time limit is 60 s, so only the
** flag can end the loop quickly. */
static void cancel_while_running(int isolation) {
  __atomic_store_n(&flag, 0, __ATOMIC_RELAXED);
  cr_assert_eq(policy_engine_set_isolation(engine, isolation), POLICY_OK);
  cr_assert_eq(policy_engine_set_limit(engine, POLICY_LIMIT_TIME_MS, 60000), POLICY_OK);
  cr_assert_eq(policy_engine_set_limit(engine, POLICY_LIMIT_INSTRUCTIONS, UINT64_C(1) << 50),
               POLICY_OK);
  cr_assert_eq(policy_engine_load_rule_buffer(engine, "quick.lua", quick_rule, sizeof quick_rule - 1),
               POLICY_OK);
  cr_assert_eq(policy_engine_load_rule_buffer(engine, "loop.lua", loop_rule, sizeof loop_rule - 1),
               POLICY_OK, "%s", policy_engine_errmsg(engine));
  cr_assert_eq(policy_engine_set_cancel(engine, &flag), POLICY_OK);
  policy_document *doc;
  policy_report *rep;
  cr_assert_eq(policy_parse_buffer(&doc, engine, "Dockerfile", "FROM alpine\n", 12,
                                   POLICY_KIND_DOCKERFILE),
               POLICY_OK);
  cr_assert_eq(policy_report_new(&rep), POLICY_OK);
  pthread_t t;
  cr_assert_eq(pthread_create(&t, NULL, cancel_later, NULL), 0);
  double start = seconds();
  cr_assert_eq(policy_check(rep, engine, doc), POLICY_ERR_CANCELLED);
  double took = seconds() - start;
  pthread_join(t, NULL);
  cr_assert_lt(took, 10.0, "the check went on for %.1f s after the flag", took);
  cr_assert(strstr(policy_engine_errmsg(engine), "cancelled"));
  cr_assert_eq(policy_report_count(rep, POLICY_LIST_FINDINGS), 1, "the quick rule's finding stays");
  cr_assert_eq(policy_report_count(rep, POLICY_LIST_ERRORS), 1);
  cr_assert(strstr(policy_report_get_string(rep, POLICY_LIST_ERRORS, 0, POLICY_FIELD_MESSAGE),
                   "the check was cancelled"));
  cr_assert_null(policy_report_get_string(rep, POLICY_LIST_ERRORS, 0, POLICY_FIELD_RULE),
                 "no rule failed");
  policy_report_free(rep);

  /* Cleared, the flag stops nothing: the loop rule goes, the quick one runs. */
  __atomic_store_n(&flag, 0, __ATOMIC_RELAXED);
  cr_assert_eq(policy_engine_ignore(engine, "embed-loop"), POLICY_OK);
  cr_assert_eq(policy_report_new(&rep), POLICY_OK);
  cr_assert_eq(policy_check(rep, engine, doc), POLICY_OK, "%s", policy_engine_errmsg(engine));
  cr_assert_eq(policy_report_count(rep, POLICY_LIST_FINDINGS), 1);
  cr_assert_eq(policy_report_count(rep, POLICY_LIST_ERRORS), 0);
  policy_report_free(rep);
  policy_document_free(doc);
}

Test(embed, cancel_stops_a_rule_in_process, .timeout = 60) {
  cancel_while_running(POLICY_ISOLATE_NONE);
}

Test(embed, cancel_stops_a_rule_in_a_worker_process, .timeout = 60) {
  if (policy_engine_set_isolation(engine, POLICY_ISOLATE_ALL) == POLICY_ERR_UNSUPPORTED)
    cr_skip_test("no worker processes in this build");
  cancel_while_running(POLICY_ISOLATE_ALL);
}

Test(embed, a_flag_set_before_the_check_runs_no_rule) {
  cr_assert_eq(policy_engine_load_builtin(engine), POLICY_OK);
  int set = 1;
  cr_assert_eq(policy_engine_set_cancel(engine, &set), POLICY_OK);
  cr_assert_eq(policy_engine_set_cancel(NULL, &set), POLICY_ERR_INVALID);
  policy_document *doc;
  policy_report *rep;
  const char text[] = "FROM alpine\nUSER root\n";
  cr_assert_eq(policy_parse_buffer(&doc, engine, "Dockerfile", text, sizeof text - 1,
                                   POLICY_KIND_DOCKERFILE),
               POLICY_OK);
  cr_assert_eq(policy_report_new(&rep), POLICY_OK);
  cr_assert_eq(policy_check(rep, engine, doc), POLICY_ERR_CANCELLED);
  cr_assert_eq(policy_report_count(rep, POLICY_LIST_FINDINGS), 0);
  cr_assert_eq(policy_report_count(rep, POLICY_LIST_ERRORS), 1);
  cr_assert_eq(policy_report_file_count(rep), 1);
  policy_report_free(rep);
  /* Removed, it stops nothing. */
  cr_assert_eq(policy_engine_set_cancel(engine, NULL), POLICY_OK);
  cr_assert_eq(policy_report_new(&rep), POLICY_OK);
  cr_assert_eq(policy_check(rep, engine, doc), POLICY_OK);
  cr_assert_gt(policy_report_count(rep, POLICY_LIST_FINDINGS), 0);
  cr_assert_eq(policy_report_count(rep, POLICY_LIST_ERRORS), 0);
  policy_report_free(rep);
  policy_document_free(doc);
  cr_assert_str_eq(policy_strerror(POLICY_ERR_CANCELLED), "the check was cancelled");
}
