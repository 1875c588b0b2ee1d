/*
** test_compose.c: Compose files into the model: the YAML reading (types,
** merge keys, tags, limits), interpolation, every short and long syntax
** normalised into container fields, merging of files, extends and
** include, suppression comments, the consistency rules, errors with
** positions, allocation failure at every allocation, and (through the
** public API, on tests/fixtures/compose) the Dockerfiles services build.
**
** Most tests run cmp_build on an in-memory project: `vfs` holds the files
** and `env` the process environment, so nothing depends on the machine.
*/
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_path.h"
#include "compose/compose.h"
#include "compose/interp.h"
#include "core/alloc.h"
#include "model/to_json.h"
#include "model/load.h"
#include "policy/policy.h"

static pol_arena arena;
static const char *vfs[16][2];   /* path, text */
static const char *env[16][2];   /* name, value */
static const char *cwd;          /* the working directory cmp_build is given */

static void setup(void) {
  memset(vfs, 0, sizeof vfs);
  memset(env, 0, sizeof env);
  cwd = NULL;
}

static void teardown(void) { pol_arena_free(&arena); }
TestSuite(compose, .init = setup, .fini = teardown);

static void file(const char *path, const char *text) {
  for (size_t i = 0; i < 16; i++)
    if (vfs[i][0] == NULL) {
      vfs[i][0] = path;
      vfs[i][1] = text;
      return;
    }
  cr_assert_fail("too many files");
}

static void setenv_(const char *name, const char *value) {
  for (size_t i = 0; i < 16; i++)
    if (env[i][0] == NULL) {
      env[i][0] = name;
      env[i][1] = value;
      return;
    }
}

static int vread(void *ud, const char *path, char **data, size_t *len, pol_buf *why) {
  (void)ud;
  (void)why;
  for (size_t i = 0; i < 16 && vfs[i][0]; i++)
    if (!strcmp(vfs[i][0], path)) {
      *len = strlen(vfs[i][1]);
      *data = pol_strndup(vfs[i][1], *len);
      return *data ? CMP_IO_OK : CMP_IO_NOMEM;
    }
  return CMP_IO_MISSING;
}

static const char *vgetenv(void *ud, const char *name) {
  (void)ud;
  for (size_t i = 0; i < 16 && env[i][0]; i++)
    if (!strcmp(env[i][0], name)) return env[i][1];
  return NULL;
}

static cmp_io io = {vread, vgetenv, NULL};
static cmp_build_req *reqs;
static size_t nreqs;

/* Builds the project of `files` (the first one's text from the vfs). */
static pm_value *build_files(const char *const *files, size_t n, bool override) {
  pm_value *doc = NULL;
  cmp_opts o = {files, n, NULL, 0, override, NULL, {64, 100000}, cwd};
  cr_assert_eq(cmp_build(&arena, &o, &io, &doc, &reqs, &nreqs), CMP_OK);
  cr_assert_not_null(doc);
  return doc;
}

static pm_value *build(const char *text) {
  file("compose.yaml", text);
  const char *files[] = {"compose.yaml"};
  return build_files(files, 1, true);
}


/* The first error or warning containing `text`, or NULL. */
static pm_value *diag(pm_value *doc, const char *list, const char *text) {
  pm_value *l = pm_get(doc, list);
  for (size_t k = 0; l && k < l->u.arr.len; k++) {
    pm_value *m = pm_get(l->u.arr.items[k], "message");
    if (strstr(m->u.str.s, text)) return l->u.arr.items[k];
  }
  return NULL;
}

static void no_errors(pm_value *doc) {
  pm_value *e = pm_get(doc, "errors");
  cr_assert_eq(e->u.arr.len, 0, "unexpected error: %s",
               e->u.arr.len ? s(doc, "errors.0.message") : "");
}

static void error_at(pm_value *doc, const char *text, uint32_t line, uint32_t col) {
  pm_value *e = diag(doc, "errors", text);
  cr_assert_not_null(e, "no error with \"%s\"", text);
  cr_assert_eq(e->pos.line, line, "\"%s\" at line %u, not %u", text, e->pos.line, line);
  if (col) cr_assert_eq(e->pos.col, col, "\"%s\" at column %u, not %u", text, e->pos.col, col);
}

/* ---- YAML ------------------------------------------------------------------ */

Test(compose, yaml_values_are_typed_as_compose_reads_them) {
  pm_value *d = build("services:\n"
                      "  web:\n"
                      "    image: nginx\n"
                      "    ports:\n"
                      "      - 22:22\n"
                      "    restart: no\n"
                      "    privileged: \"yes\"\n"
                      "    read_only: True\n"
                      "    init: off\n"
                      "    secrets:\n"
                      "      - source: s\n"
                      "        mode: 0440\n"
                      "secrets:\n  s:\n    file: ./s\n");
  no_errors(d);
  cr_assert_str_eq(s(d, "raw.services.web.ports.0"), "22:22");
  cr_assert_eq(i(d, "containers.0.ports.0.host_port"), 22);
  cr_assert_str_eq(s(d, "containers.0.restart.policy"), "no");
  cr_assert(b(d, "containers.0.privileged"));
  cr_assert(diag(d, "warnings", "\"yes\" for boolean is not supported by YAML 1.2"));
  cr_assert(b(d, "containers.0.read_only"));
  cr_assert(!b(d, "containers.0.init"));
  cr_assert_eq(i(d, "raw.services.web.secrets.0.mode"), 288); /* octal */
}

Test(compose, merge_keys_local_keys_and_earlier_anchors_win) {
  pm_value *d = build("x-a: &a\n  image: alpine\n  user: a\n  privileged: true\n"
                      "x-b: &b\n  user: b\n  read_only: true\n  init: true\n"
                      "services:\n"
                      "  one:\n    <<: *a\n    privileged: false\n"
                      "  two:\n    <<: [*a, *b]\n    init: false\n");
  no_errors(d);
  cr_assert_str_eq(s(d, "containers.0.image.raw"), "alpine");
  cr_assert(!b(d, "containers.0.privileged"));
  cr_assert_str_eq(s(d, "containers.1.user"), "a");
  cr_assert(b(d, "containers.1.read_only"));
  cr_assert(!b(d, "containers.1.init"));
}

Test(compose, merge_key_of_a_non_mapping_is_an_error) {
  pm_value *d = build("services:\n  web:\n    <<: [1]\n    image: x\n");
  error_at(d, "map merge requires map or sequence of maps", 3, 10);
}

Test(compose, duplicate_keys_are_errors_with_positions) {
  pm_value *d = build("services:\n  web:\n    image: a\n    image: b\n");
  error_at(d, "mapping key \"image\" already defined at line 3", 4, 5);
  cr_assert_eq(len(d, "containers"), 0);
}

Test(compose, alias_bombs_hit_the_value_limit) {
  pm_value *d = build("a: &a [x, x, x, x, x, x, x, x, x, x]\n"
                      "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                      "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                      "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                      "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
                      "f: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n");
  error_at(d, "too many values", 5, 0);
}

Test(compose, nesting_deeper_than_the_limit_is_an_error) {
  char text[400] = "services: ";
  for (int k = 0; k < 70; k++) strcat(text, "[");
  pm_value *d = build(text);
  cr_assert(diag(d, "errors", "nesting is deeper than the limit of 64 levels"));
}

Test(compose, syntax_errors_and_unknown_anchors) {
  pm_value *d = build("services:\n  web: [\n");
  cr_assert_not_null(pm_get(d, "errors")->u.arr.items[0]);
  setup();
  pol_arena_free(&arena);
  d = build("services:\n  web: *nope\n");
  error_at(d, "unknown anchor 'nope' referenced", 2, 8);
}

Test(compose, top_level_shape) {
  pm_value *d = build("- a\n- b\n");
  error_at(d, "Top-level object must be a mapping", 1, 1);
  setup();
  pol_arena_free(&arena);
  d = build("version: '3.8'\nservice:\n  web:\n    image: x\n");
  error_at(d, "additional properties 'service' not allowed", 2, 1);
  cr_assert(diag(d, "warnings", "the attribute `version` is obsolete"));
  setup();
  pol_arena_free(&arena);
  d = build("services:\n  web:\n    image: x\n    privilegd: true\n    x-mine: 1\n");
  error_at(d, "services.web additional properties 'privilegd' not allowed", 4, 5);
  cr_assert_eq(pm_get(d, "errors")->u.arr.len, 1);
  setup();
  pol_arena_free(&arena);
  d = build("");
  cr_assert(diag(d, "errors", "empty compose file"));
}

Test(compose, keys_are_their_text) {
  pm_value *d = build("x-k: &k 5\nservices:\n  1:\n    image: a\n  true:\n    image: b\n"
                      "  *k :\n    image: c\n    environment:\n      \"<<\": v\n");
  no_errors(d);
  cr_assert_str_eq(s(d, "containers.0.name"), "1");
  cr_assert_str_eq(s(d, "containers.1.name"), "true");
  cr_assert_str_eq(s(d, "containers.2.name"), "5");
  cr_assert_str_eq(pm_get(get(d, "containers.2.env"), "<<")->u.str.s, "v",
                   "a quoted << is a plain key");
}

Test(compose, nested_objects_are_checked) {
  pm_value *d = build("services:\n  web:\n    build:\n      context: .\n      dockerfle: x\n"
                      "    healthcheck:\n      test: x\n      intervall: 5s\n"
                      "    ports:\n      - target: 80\n        publish: 80\n"
                      "    deploy:\n      resources:\n        limits:\n          memroy: 1g\n");
  error_at(d, "services.web.build additional properties 'dockerfle' not allowed", 5, 7);
  error_at(d, "services.web.healthcheck additional properties 'intervall' not allowed", 8, 7);
  error_at(d, "services.web.ports additional properties 'publish' not allowed", 11, 9);
  error_at(d, "services.web.deploy.resources.limits additional properties 'memroy' not allowed",
           15, 11);
}

Test(compose, multiple_documents_are_merged) {
  pm_value *d = build("services:\n  web:\n    image: a\n---\nservices:\n  web:\n    user: app\n");
  no_errors(d);
  cr_assert_str_eq(s(d, "containers.0.image.raw"), "a");
  cr_assert_str_eq(s(d, "containers.0.user"), "app");
}

/* ---- interpolation --------------------------------------------------------- */

static const char *vars_get(void *ud, const char *name, size_t n, size_t *vlen) {
  (void)ud;
  static const char *const table[][2] = {{"SET", "v"}, {"EMPTY", ""}, {"Foo_1", "f"}};
  for (size_t k = 0; k < 3; k++)
    if (strlen(table[k][0]) == n && !memcmp(table[k][0], name, n)) {
      *vlen = strlen(table[k][1]);
      return table[k][1];
    }
  return NULL;
}

static int subst(const char *in, const char *want, const char *missing) {
  cmp_lookup l = {vars_get, NULL};
  pol_buf out = POL_BUF_INIT, miss = POL_BUF_INIT, err = POL_BUF_INIT;
  int rc = cmp_subst(&l, in, strlen(in), &out, &miss, &err);
  if (rc == CMP_SUBST_ERROR)
    cr_assert_str_eq(err.data, want, "%s", in);
  else
    cr_assert_str_eq(out.data ? out.data : "", want, "%s", in);
  if (missing) cr_assert_str_eq(miss.data ? miss.data : "", missing, "%s", in);
  pol_buf_free(&out);
  pol_buf_free(&miss);
  pol_buf_free(&err);
  return rc;
}

Test(compose, interpolation_operators) {
  cr_assert_eq(subst("a $SET ${SET} $Foo_1", "a v v f", ""), CMP_SUBST_OK);
  cr_assert_eq(subst("$$SET $${SET} $1 $- $", "$SET ${SET} $1 $- $", ""), CMP_SUBST_OK);
  subst("${UNSET:-d} ${EMPTY:-d} ${SET:-d}", "d d v", "");
  subst("${UNSET-d}|${EMPTY-d}|${SET-d}", "d||v", "");
  subst("${UNSET:+a}|${EMPTY:+a}|${SET:+a}", "||a", "");
  subst("${UNSET+a}|${EMPTY+a}|${SET+a}", "|a|a", "");
  subst("${UNSET:-${SET:-x}} ${UNSET:-a-b} ${UNSET-a:-b}", "v a-b a:-b", "");
  cr_assert_eq(subst("${SET:?boom} ${EMPTY?ok}", "v ", ""), CMP_SUBST_OK);
  cr_assert_eq(subst("x ${EMPTY:?need $SET}", "required variable EMPTY is missing a value: need v", NULL),
               CMP_SUBST_ERROR);
  cr_assert_eq(subst("${UNSET?}", "required variable UNSET is missing a value", NULL),
               CMP_SUBST_ERROR);
  cr_assert_eq(subst("${}", "Invalid template: \"${}\"", NULL), CMP_SUBST_ERROR);
  cr_assert_eq(subst("${1abc}", "Invalid template: \"${1abc}\"", NULL), CMP_SUBST_ERROR);
  cr_assert_eq(subst("${SET", "Invalid template: \"${SET\"", NULL), CMP_SUBST_ERROR);
}

Test(compose, unresolved_variables_are_kept_and_reported) {
  cr_assert_eq(subst("a ${NOPE} $NADA ${UNSET:-${ALSO}}", "a ${NOPE} $NADA ${ALSO}",
                     "NOPE\0NADA\0ALSO"),
               CMP_SUBST_MISSING);
  pm_value *d = build("services:\n  web:\n    image: ${REG}/app:1\n    privileged: ${PRIV}\n"
                      "    user: ${UID}:0\n    ports:\n      - \"${PORT}:80\"\n"
                      "    volumes:\n      - ${DATA}:/data:ro\n");
  no_errors(d);
  cr_assert(b(d, "containers.0.image.unresolved"));
  cr_assert_str_eq(s(d, "containers.0.image.raw"), "${REG}/app:1");
  cr_assert(is_null(d, "containers.0.privileged"), "never guessed");
  cr_assert_str_eq(s(d, "containers.0.user"), "${UID}:0");
  cr_assert(is_null(d, "containers.0.ports.0.host_port"));
  cr_assert_eq(i(d, "containers.0.ports.0.container_port"), 80);
  cr_assert_str_eq(s(d, "containers.0.mounts.0.source"), "${DATA}");
  cr_assert_str_eq(s(d, "containers.0.mounts.0.target"), "/data");
  cr_assert(b(d, "containers.0.mounts.0.read_only"));
  cr_assert(is_null(d, "containers.0.mounts.0.docker_socket"));
  cr_assert_eq(len(d, "containers.0.unresolved"), 5);
  cr_assert_str_eq(s(d, "containers.0.unresolved.0"), "REG");
  cr_assert(diag(d, "warnings", "The \"PRIV\" variable is not set"));
}

Test(compose, required_variables_are_errors_with_position) {
  pm_value *d = build("services:\n  web:\n    image: \"${TAG:?set TAG}\"\n");
  error_at(d, "required variable TAG is missing a value: set TAG", 3, 5);
}

Test(compose, variables_from_the_environment_and_dotenv) {
  file(".env", "# comment\nTAG=1.0\nexport REG=ghcr.io\nQUOTED=\"a ${TAG}\\tb\"\n"
               "LIT='${TAG}'\nPRIV=true # a comment\nBOTH=file\n");
  setenv_("BOTH", "process");
  setenv_("PWD", "/home/me/My_Proj.1");
  pm_value *d = build("services:\n  web:\n    image: ${REG}/app:${TAG}\n    privileged: ${PRIV}\n"
                      "    environment:\n      - Q=${QUOTED}\n      - L=${LIT}\n      - B=${BOTH}\n"
                      "      - P=${COMPOSE_PROJECT_NAME}\n");
  no_errors(d);
  cr_assert_str_eq(s(d, "containers.0.image.registry"), "ghcr.io");
  cr_assert_str_eq(s(d, "containers.0.image.raw"), "${REG}/app:${TAG}");
  cr_assert_str_eq(s(d, "containers.0.image.expanded"), "ghcr.io/app:1.0");
  cr_assert(b(d, "containers.0.privileged"));
  cr_assert_str_eq(s(d, "containers.0.env.Q"), "a 1.0\tb");
  cr_assert_str_eq(s(d, "containers.0.env.L"), "${TAG}");
  cr_assert_str_eq(s(d, "containers.0.env.B"), "process");
  cr_assert_str_eq(s(d, "containers.0.env.P"), "my_proj1");
  cr_assert_eq(len(d, "containers.0.unresolved"), 0);
}

Test(compose, env_file_option_replaces_dotenv) {
  file(".env", "TAG=dotenv\n");
  file("other.env", "TAG=other\n");
  file("compose.yaml", "services:\n  web:\n    image: app:${TAG}\n");
  const char *files[] = {"compose.yaml"};
  pm_value *doc = NULL;
  cmp_opts o = {files, 1, NULL, 0, true, "other.env", {64, 100000}, NULL};
  cr_assert_eq(cmp_build(&arena, &o, &io, &doc, &reqs, &nreqs), CMP_OK);
  cr_assert_str_eq(s(doc, "containers.0.image.tag"), "other");
  o.env_file = "missing.env";
  cr_assert_eq(cmp_build(&arena, &o, &io, &doc, &reqs, &nreqs), CMP_OK);
  cr_assert(diag(doc, "errors", "couldn't find env file: missing.env"));
}

/* ---- service fields ------------------------------------------------------- */

Test(compose, ports_every_syntax) {
  pm_value *d = build("services:\n  web:\n    image: x\n    ports:\n"
                      "      - 3000\n"                            /* 0 */
                      "      - \"3001-3005\"\n"                   /* 1 */
                      "      - \"8000:8000\"\n"                   /* 2 */
                      "      - \"9090-9091:8080-8081\"\n"         /* 3 */
                      "      - \"127.0.0.1:8001:8001\"\n"         /* 4 */
                      "      - \"127.0.0.1::80\"\n"               /* 5 */
                      "      - \"[::1]:6001:6001/UDP\"\n"         /* 6 */
                      "      - \"::1:6000:6000\"\n"               /* 7 */
                      "      - \"8000-9000:80/sctp\"\n"           /* 8 */
                      "      - target: 80\n        published: \"8080-8081\"\n"
                      "        host_ip: 0.0.0.0\n        protocol: UDP\n        mode: host\n"
                      "      - target: \"443\"\n");
  no_errors(d);
  cr_assert(is_null(d, "containers.0.ports.0.host_port"));
  cr_assert_eq(i(d, "containers.0.ports.0.container_port"), 3000);
  cr_assert_str_eq(s(d, "containers.0.ports.0.protocol"), "tcp");
  cr_assert_eq(i(d, "containers.0.ports.1.container_port_end"), 3005);
  cr_assert(is_null(d, "containers.0.ports.1.host_ip"));
  cr_assert_eq(i(d, "containers.0.ports.3.host_port_end"), 9091);
  cr_assert_str_eq(s(d, "containers.0.ports.4.host_ip"), "127.0.0.1");
  cr_assert(is_null(d, "containers.0.ports.5.host_port"));
  cr_assert_str_eq(s(d, "containers.0.ports.6.host_ip"), "::1");
  cr_assert_str_eq(s(d, "containers.0.ports.6.protocol"), "udp");
  cr_assert_str_eq(s(d, "containers.0.ports.7.host_ip"), "::1");
  cr_assert_eq(i(d, "containers.0.ports.7.host_port"), 6000);
  cr_assert_eq(i(d, "containers.0.ports.8.host_port"), 8000);
  cr_assert_eq(i(d, "containers.0.ports.8.host_port_end"), 9000);
  cr_assert_eq(i(d, "containers.0.ports.8.container_port"), 80);
  cr_assert_str_eq(s(d, "containers.0.ports.8.protocol"), "sctp");
  cr_assert_str_eq(s(d, "containers.0.ports.8.raw"), "8000-9000:80/sctp");
  cr_assert_eq(i(d, "containers.0.ports.9.host_port_end"), 8081);
  cr_assert_str_eq(s(d, "containers.0.ports.9.host_ip"), "0.0.0.0");
  cr_assert_str_eq(s(d, "containers.0.ports.9.protocol"), "udp");
  cr_assert(is_null(d, "containers.0.ports.9.raw"));
  cr_assert_eq(i(d, "containers.0.ports.10.container_port"), 443);
}

Test(compose, invalid_ports_are_errors) {
  pm_value *d = build("services:\n  web:\n    image: x\n    ports:\n"
                      "      - \"8080-8081:80-82\"\n      - \"80/http\"\n      - \"a:80\"\n"
                      "      - \"300.1.1.1:80:80\"\n      - [80]\n");
  error_at(d, "invalid ranges specified for container and host Ports", 5, 9);
  error_at(d, "invalid proto", 6, 9);
  error_at(d, "invalid hostPort", 7, 9);
  error_at(d, "invalid IP address", 8, 9);
  error_at(d, "items must be numbers, strings or mappings", 9, 9);
  cr_assert_eq(len(d, "containers.0.ports"), 0);
}

Test(compose, expose) {
  pm_value *d = build("services:\n  web:\n    image: x\n    expose: [\"3000\", 8000, \"9000-9001/udp\"]\n");
  no_errors(d);
  cr_assert_eq(i(d, "containers.0.expose.1.port"), 8000);
  cr_assert_eq(i(d, "containers.0.expose.2.end_port"), 9001);
  cr_assert_str_eq(s(d, "containers.0.expose.2.protocol"), "udp");
}

Test(compose, volumes_short_and_long) {
  pm_value *d = build("services:\n  web:\n    image: x\n    volumes:\n"
                      "      - /var/lib/anon\n"                                /* 0 */
                      "      - /var/run/docker.sock:/var/run/docker.sock:ro\n" /* 1 */
                      "      - ./data:/data/:rw,rshared\n"                     /* 2 */
                      "      - data:/srv\n"                                    /* 3 */
                      "      - ~/cfg:/etc/cfg:ro,z\n"                          /* 4 */
                      "      - /etc/ssl:/ssl\n"                                /* 5 */
                      "      - C:\\data:/win\n"                                /* 6 */
                      "      - //var/run/docker.sock:/s\n"                     /* 7 */
                      "      - type: bind\n        source: /\n        target: /host\n"
                      "        read_only: \"true\"\n        bind:\n          propagation: rslave\n"
                      "      - type: tmpfs\n        target: /cache\n        tmpfs:\n          size: 10m\n"
                      "      - type: volume\n        source: data\n        target: /v\n"
                      "        volume:\n          nocopy: true\n"
                      "volumes:\n  data:\n");
  no_errors(d);
  cr_assert_str_eq(s(d, "containers.0.mounts.0.type"), "volume");
  cr_assert(is_null(d, "containers.0.mounts.0.source"));
  cr_assert(b(d, "containers.0.mounts.1.docker_socket"));
  cr_assert(b(d, "containers.0.mounts.1.read_only"), ":ro does not make a socket safe, but it is read-only");
  cr_assert_str_eq(s(d, "containers.0.mounts.2.type"), "bind");
  cr_assert_str_eq(s(d, "containers.0.mounts.2.target"), "/data");
  cr_assert_str_eq(s(d, "containers.0.mounts.2.propagation"), "rshared");
  cr_assert(!b(d, "containers.0.mounts.2.read_only"));
  cr_assert(!b(d, "containers.0.mounts.2.sensitive"));
  cr_assert_str_eq(s(d, "containers.0.mounts.3.type"), "volume");
  cr_assert(!b(d, "containers.0.mounts.3.docker_socket"));
  cr_assert_str_eq(s(d, "containers.0.mounts.4.type"), "bind");
  cr_assert(b(d, "containers.0.mounts.4.read_only"));
  cr_assert(b(d, "containers.0.mounts.5.sensitive"));
  cr_assert_str_eq(s(d, "containers.0.mounts.6.source"), "C:\\data");
  cr_assert_str_eq(s(d, "containers.0.mounts.6.type"), "bind");
  cr_assert(b(d, "containers.0.mounts.7.docker_socket"));
  cr_assert(b(d, "containers.0.mounts.8.sensitive"));
  cr_assert(b(d, "containers.0.mounts.8.docker_socket"), "/ holds the socket");
  cr_assert(b(d, "containers.0.mounts.8.read_only"));
  cr_assert_str_eq(s(d, "containers.0.mounts.8.propagation"), "rslave");
  cr_assert_str_eq(s(d, "containers.0.mounts.9.type"), "tmpfs");
  cr_assert(!b(d, "containers.0.mounts.9.sensitive"));
  cr_assert_str_eq(s(d, "containers.0.mounts.10.source"), "data");
}

Test(compose, volume_errors) {
  pm_value *d = build("services:\n  web:\n    image: x\n    volumes:\n"
                      "      - /a:/b:/c:/d\n      - source: /x\n        target: /y\n"
                      "      - type: weird\n        target: /z\n      - named:/n\n");
  error_at(d, "too many colons", 5, 9);
  error_at(d, "missing property 'type'", 6, 9);
  error_at(d, "volumes.type must be one of", 8, 9);
  error_at(d, "refers to undefined volume named", 10, 9);
}

Test(compose, docker_api_socket_and_tmpfs_and_devices) {
  pm_value *d = build("services:\n  web:\n    image: x\n    use_api_socket: true\n"
                      "    tmpfs: /run:size=64m\n    devices:\n      - /dev/fuse\n"
                      "      - /dev/sda:/dev/xvda:r\n      - nvidia.com/gpu=all\n"
                      "      - source: /dev/kvm\n        permissions: rw\n"
                      "      - a:b:c:d\n");
  cr_assert(b(d, "containers.0.mounts.0.docker_socket"));
  cr_assert_str_eq(s(d, "containers.0.tmpfs.0"), "/run:size=64m");
  cr_assert_str_eq(s(d, "containers.0.devices.0.container"), "/dev/fuse");
  cr_assert_str_eq(s(d, "containers.0.devices.0.permissions"), "rwm");
  cr_assert_str_eq(s(d, "containers.0.devices.1.container"), "/dev/xvda");
  cr_assert_str_eq(s(d, "containers.0.devices.1.permissions"), "r");
  cr_assert_str_eq(s(d, "containers.0.devices.2.host"), "nvidia.com/gpu=all");
  cr_assert_str_eq(s(d, "containers.0.devices.3.container"), "/dev/kvm");
  cr_assert(is_null(d, "containers.0.devices.3.raw"));
  error_at(d, "invalid device specification", 12, 9);
}

Test(compose, environment_forms) {
  pm_value *d = build("services:\n"
                      "  a:\n    image: x\n    environment:\n      - A=1\n      - B=\n"
                      "      - C\n      - D=x=y\n    env_file: .env.a\n"
                      "  b:\n    image: x\n    environment:\n      A: 1\n      B: \"\"\n"
                      "      C:\n      D: true\n      E: 1.5\n"
                      "    env_file:\n      - a.env\n      - path: b.env\n        required: false\n");
  no_errors(d);
  cr_assert_str_eq(s(d, "containers.0.env.A"), "1");
  cr_assert_str_eq(s(d, "containers.0.env.B"), "");
  cr_assert(is_null(d, "containers.0.env.C"));
  cr_assert_str_eq(s(d, "containers.0.env.D"), "x=y");
  cr_assert_str_eq(s(d, "containers.0.env_files.0"), ".env.a");
  cr_assert_str_eq(s(d, "containers.1.env.A"), "1");
  cr_assert_str_eq(s(d, "containers.1.env.B"), "");
  cr_assert(is_null(d, "containers.1.env.C"));
  cr_assert_str_eq(s(d, "containers.1.env.D"), "true");
  cr_assert_str_eq(s(d, "containers.1.env.E"), "1.5");
  cr_assert_str_eq(s(d, "containers.1.env_files.1"), "b.env");
}

Test(compose, env_files_and_names_alone_fill_the_environment) {
  file(".env", "SECRET=s3cret\nFROM_DOTENV=dotenv\n");
  file("app.env", "# the service's own file\nA=1\nLITERAL=from-file\nB=\"${SECRET}-x\"\n");
  setenv_("FROM_HOST", "host");
  pm_value *d = build("services:\n"
                      "  a:\n    image: x\n"
                      "    env_file:\n      - app.env\n      - path: optional.env\n        required: false\n"
                      "      - gone.env\n"
                      "    environment:\n      - FROM_HOST\n      - FROM_DOTENV\n      - NOWHERE\n"
                      "      - LITERAL=written\n      - REF=${SECRET}\n");
  no_errors(d);
  cr_assert_str_eq(s(d, "containers.0.env.A"), "1");
  cr_assert_str_eq(s(d, "containers.0.env_source.A"), "env_file");
  cr_assert_str_eq(s(d, "containers.0.env.B"), "s3cret-x");
  cr_assert_eq(get(d, "containers.0.env.A")->pos.line, 2);
  cr_assert_str_eq(get(d, "containers.0.env.A")->pos.file, "app.env");
  cr_assert_str_eq(s(d, "containers.0.env.FROM_HOST"), "host");
  cr_assert_str_eq(s(d, "containers.0.env_source.FROM_HOST"), "host");
  cr_assert_str_eq(s(d, "containers.0.env.FROM_DOTENV"), "dotenv");
  cr_assert(is_null(d, "containers.0.env.NOWHERE"));
  cr_assert_str_eq(s(d, "containers.0.env.LITERAL"), "written"); /* environment wins */
  cr_assert_str_eq(s(d, "containers.0.env_source.LITERAL"), "file");
  cr_assert_str_eq(s(d, "containers.0.env.REF"), "s3cret");
  cr_assert_str_eq(s(d, "containers.0.env_source.REF"), "interpolated");
  cr_assert_not_null(diag(d, "warnings", "env file gone.env not found"));
  cr_assert_null(diag(d, "warnings", "optional.env"));
  cr_assert_str_eq(s(d, "containers.0.env_files.2"), "gone.env");
}

Test(compose, compose_file_names_the_files_of_the_project) {
  file(".env", "COMPOSE_FILE=compose.yaml:deploy/prod.yaml\n");
  file("deploy/prod.yaml", "services:\n  web:\n    privileged: true\n");
  file("compose.override.yaml", "services:\n  web:\n    user: root\n");
  pm_value *d = build("services:\n  web:\n    image: nginx:1.29\n");
  no_errors(d);
  cr_assert(must(d, "containers.0.privileged", PM_BOOL)->u.b);
  cr_assert(is_null(d, "containers.0.user")); /* no override file with COMPOSE_FILE */
  cr_assert_str_eq(get(d, "containers.0.privileged")->pos.file, "deploy/prod.yaml");
  /* COMPOSE_FILE that does not name the file: the file and its override. */
  setup();
  setenv_("COMPOSE_FILE", "other.yaml");
  file("compose.override.yaml", "services:\n  web:\n    user: root\n");
  d = build("services:\n  web:\n    image: nginx:1.29\n");
  cr_assert_str_eq(s(d, "containers.0.user"), "root");
}

Test(compose, bind_sources_resolve_as_compose_resolves_them) {
  cwd = "/home/dev/proj";
  setenv_("HOME", "/root");
  pm_value *d = build("services:\n  a:\n    image: x\n    volumes:\n"
                      "      - ../../../../../../etc:/host-etc:ro\n"
                      "      - ./data:/data\n"
                      "      - ~/.ssh:/home/app/.ssh:ro\n"
                      "      - ../../../../var/run/docker.sock:/var/run/docker.sock\n"
                      "      - /srv/www:/www\n      - cache:/cache\nvolumes:\n  cache: {}\n");
  no_errors(d);
  cr_assert_str_eq(s(d, "containers.0.mounts.0.host_path"), "/etc");
  cr_assert(must(d, "containers.0.mounts.0.sensitive", PM_BOOL)->u.b);
  cr_assert_str_eq(s(d, "containers.0.mounts.0.source"), "../../../../../../etc"); /* as written */
  cr_assert_str_eq(s(d, "containers.0.mounts.1.host_path"), "/home/dev/proj/data");
  cr_assert(!must(d, "containers.0.mounts.1.sensitive", PM_BOOL)->u.b);
  cr_assert_str_eq(s(d, "containers.0.mounts.2.host_path"), "/root/.ssh");
  cr_assert(must(d, "containers.0.mounts.2.sensitive", PM_BOOL)->u.b);
  cr_assert(must(d, "containers.0.mounts.3.docker_socket", PM_BOOL)->u.b);
  cr_assert_str_eq(s(d, "containers.0.mounts.3.host_path"), "/var/run/docker.sock");
  cr_assert_str_eq(s(d, "containers.0.mounts.4.host_path"), "/srv/www");
  cr_assert(is_null(d, "containers.0.mounts.5.host_path"));
  /* A project under /root: its own folders are not the host's /root. */
  setup();
  cwd = "/root/app";
  d = build("services:\n  a:\n    image: x\n    volumes:\n      - ./data:/data\n");
  cr_assert_str_eq(s(d, "containers.0.mounts.0.host_path"), "/root/app/data");
  cr_assert(!must(d, "containers.0.mounts.0.sensitive", PM_BOOL)->u.b);
  /* `~`: a data folder in the home is the user's own, whatever HOME is;
  ** the home itself, its credential folders and a climb out of it are not. */
  setup();
  setenv_("HOME", "/root");
  d = build("services:\n  a:\n    image: x\n    volumes:\n"
            "      - ~/minecraft_data:/data\n      - ~/.influxdb3/core:/var/lib/influxdb3\n"
            "      - ~:/host-home\n      - ~/.docker/config.json:/root/.docker/config.json:ro\n"
            "      - ~/../etc:/host-etc:ro\n");
  no_errors(d);
  cr_assert_str_eq(s(d, "containers.0.mounts.0.host_path"), "/root/minecraft_data");
  cr_assert(!must(d, "containers.0.mounts.0.sensitive", PM_BOOL)->u.b);
  cr_assert(!must(d, "containers.0.mounts.1.sensitive", PM_BOOL)->u.b);
  cr_assert(must(d, "containers.0.mounts.2.sensitive", PM_BOOL)->u.b);
  cr_assert(must(d, "containers.0.mounts.3.sensitive", PM_BOOL)->u.b);
  cr_assert_str_eq(s(d, "containers.0.mounts.4.host_path"), "/etc");
  cr_assert(must(d, "containers.0.mounts.4.sensitive", PM_BOOL)->u.b);
}

Test(compose, provider_services_hooks_and_build_privileges) {
  pm_value *d = build("services:\n"
                      "  db:\n    provider:\n      type: awesomecloud\n      options:\n        type: mysql\n"
                      "  app:\n    image: x\n    pre_start:\n      - command: ./migrate.sh\n"
                      "    post_start:\n      - command: ./register.sh\n        user: root\n"
                      "    pre_stop:\n      - command: ./flush.sh\n"
                      "  builder:\n    build:\n      context: .\n      privileged: true\n"
                      "      entitlements: [network.host, security.insecure]\n");
  no_errors(d);
  cr_assert(must(d, "containers.2.build.privileged", PM_BOOL)->u.b);
  cr_assert_str_eq(s(d, "containers.2.build.entitlements.1"), "security.insecure");
  cr_assert(is_null(d, "containers.1.build"));
}

Test(compose, security_options_and_capabilities) {
  pm_value *d = build("services:\n  web:\n    image: x\n"
                      "    cap_add: [net_admin, CAP_SYS_ADMIN, ALL, NET_ADMIN]\n"
                      "    cap_drop: [all]\n"
                      "    security_opt:\n      - no-new-privileges:true\n"
                      "      - seccomp=unconfined\n      - apparmor:docker-default\n"
                      "      - label=level:s0:c100,c200\n      - label:disable\n"
                      "      - systempaths=unconfined\n"
                      "  b:\n    image: x\n    security_opt: [no-new-privileges]\n"
                      "  c:\n    image: x\n    security_opt: [\"no-new-privileges=false\"]\n"
                      "  d:\n    image: x\n    security_opt: [\"no-new-privileges=maybe\"]\n");
  cr_assert_eq(len(d, "containers.0.cap_add"), 3);
  cr_assert_str_eq(s(d, "containers.0.cap_add.0"), "NET_ADMIN");
  cr_assert_str_eq(s(d, "containers.0.cap_add.1"), "SYS_ADMIN");
  cr_assert_str_eq(s(d, "containers.0.cap_add.2"), "ALL");
  cr_assert_str_eq(s(d, "containers.0.cap_drop.0"), "ALL");
  cr_assert(b(d, "containers.0.security.no_new_privileges"));
  cr_assert_str_eq(s(d, "containers.0.security.seccomp"), "unconfined");
  cr_assert_str_eq(s(d, "containers.0.security.apparmor"), "docker-default");
  cr_assert_str_eq(s(d, "containers.0.security.selinux.0"), "level:s0:c100,c200");
  cr_assert_str_eq(s(d, "containers.0.security.selinux.1"), "disable");
  cr_assert_eq(len(d, "containers.0.security.raw"), 6);
  cr_assert(b(d, "containers.1.security.no_new_privileges"));
  cr_assert(!b(d, "containers.2.security.no_new_privileges"));
  cr_assert(is_null(d, "containers.3.security.no_new_privileges"));
  error_at(d, "invalid --security-opt", 21, 0);
}

Test(compose, namespaces_networks_and_identity) {
  pm_value *d = build("services:\n"
                      "  a:\n    image: x\n    user: 1000\n    network_mode: host\n"
                      "    pid: host\n    ipc: \"service:b\"\n    uts: host\n"
                      "    userns_mode: host\n    cgroup: private\n    cgroup_parent: m\n"
                      "    init: true\n    oom_kill_disable: \"false\"\n    profiles: [debug]\n"
                      "  b:\n    image: x\n    networks: [front, back]\n"
                      "  c:\n    image: x\n    networks:\n      front:\n        aliases: [c]\n"
                      "      default:\n"
                      "networks:\n  front:\n  back:\n");
  no_errors(d);
  cr_assert_str_eq(s(d, "containers.0.user"), "1000");
  cr_assert_str_eq(s(d, "containers.0.effective_user"), "1000");
  cr_assert_str_eq(s(d, "containers.0.namespaces.network"), "host");
  cr_assert_str_eq(s(d, "containers.0.namespaces.ipc"), "service:b");
  cr_assert_str_eq(s(d, "containers.0.namespaces.userns"), "host");
  cr_assert_str_eq(s(d, "containers.0.namespaces.cgroupns"), "private");
  cr_assert_str_eq(s(d, "containers.0.cgroup_parent"), "m");
  cr_assert(b(d, "containers.0.init"));
  cr_assert(!b(d, "containers.0.oom_kill_disable"));
  cr_assert_str_eq(s(d, "containers.0.profiles.0"), "debug");
  cr_assert_str_eq(s(d, "containers.1.networks.1"), "back");
  cr_assert_str_eq(s(d, "containers.2.networks.1"), "default");
  cr_assert(is_null(d, "containers.1.user"));
  cr_assert(is_null(d, "containers.1.effective_user"), "unknown, not root");
}

Test(compose, resources_units_and_deploy) {
  pm_value *d = build("services:\n"
                      "  a:\n    image: x\n    mem_limit: 512m\n    memswap_limit: -1\n"
                      "    mem_reservation: 1gb\n    cpus: \"0.5\"\n    cpu_shares: 512\n"
                      "    pids_limit: \"100\"\n"
                      "  b:\n    image: x\n    mem_limit: 1g\n    deploy:\n      resources:\n"
                      "        limits:\n          memory: 1G\n          cpus: 2\n          pids: 50\n"
                      "        reservations:\n          memory: 2048k\n"
                      "  c:\n    image: x\n    mem_limit: 1g\n    deploy:\n      resources:\n"
                      "        limits:\n          memory: 2g\n"
                      "  d:\n    image: x\n    mem_limit: 12x\n    cpus: lots\n");
  cr_assert_eq(i(d, "containers.0.resources.memory"), 512 << 20);
  cr_assert_eq(i(d, "containers.0.resources.memory_swap"), -1);
  cr_assert_eq(i(d, "containers.0.resources.memory_reservation"), 1 << 30);
  cr_assert_eq(num(d, "containers.0.resources.cpus"), 0.5);
  cr_assert_eq(i(d, "containers.0.resources.cpu_shares"), 512);
  cr_assert_eq(i(d, "containers.0.resources.pids_limit"), 100);
  cr_assert_eq(i(d, "containers.1.resources.memory"), 1 << 30);
  cr_assert_eq(num(d, "containers.1.resources.cpus"), 2);
  cr_assert_eq(i(d, "containers.1.resources.pids_limit"), 50);
  cr_assert_eq(i(d, "containers.1.resources.memory_reservation"), 2048 << 10);
  cr_assert_eq(i(d, "containers.2.resources.memory"), 2LL << 30, "deploy wins");
  cr_assert(diag(d, "errors", "services.c: can't set distinct values on 'mem_limit' and "
                              "'deploy.resources.limits.memory'"));
  cr_assert(diag(d, "errors", "services.d.mem_limit: invalid size: '12x'"));
  cr_assert(diag(d, "errors", "services.d.cpus: invalid number: lots"));
  cr_assert(is_null(d, "containers.3.resources.memory"));
}

Test(compose, sysctls_ulimits_secrets_configs_logging) {
  pm_value *d = build("services:\n"
                      "  a:\n    image: x\n    sysctls:\n      - net.core.somaxconn=1024\n"
                      "    ulimits:\n      nproc: 65535\n      nofile:\n        soft: 20000\n"
                      "        hard: \"40000\"\n"
                      "    secrets: [s, {source: s, target: /etc/s}, {source: s, target: t}]\n"
                      "    configs: [c, {source: c, target: /etc/c.conf}]\n"
                      "    logging:\n      driver: syslog\n      options:\n        max-size: 10m\n"
                      "        tag: 1\n"
                      "    labels:\n      com.example.tier: web\n      traefik.port: 8080\n"
                      "  b:\n    image: x\n    sysctls:\n      net.ipv4.ip_forward: 1\n"
                      "    labels: [\"x=1\", \"alone\"]\n"
                      "    ulimits:\n      NOFILE: 1\n      core:\n        soft: 1\n"
                      "secrets:\n  s:\n    environment: S\nconfigs:\n  c:\n    content: x\n");
  pm_value *sys0 = get(d, "containers.0.sysctls"), *sys1 = get(d, "containers.1.sysctls");
  cr_assert_str_eq(pm_get(sys0, "net.core.somaxconn")->u.str.s, "1024");
  cr_assert_str_eq(pm_get(sys1, "net.ipv4.ip_forward")->u.str.s, "1");
  pm_value *lab0 = get(d, "containers.0.labels"), *lab1 = get(d, "containers.1.labels");
  cr_assert_str_eq(pm_get(lab0, "com.example.tier")->u.str.s, "web");
  cr_assert_str_eq(pm_get(lab0, "traefik.port")->u.str.s, "8080");
  cr_assert_str_eq(pm_get(lab1, "x")->u.str.s, "1");
  cr_assert_str_eq(pm_get(lab1, "alone")->u.str.s, ""); /* an empty label, as Compose makes it */
  cr_assert_eq(i(d, "containers.0.ulimits.nproc.soft"), 65535);
  cr_assert_eq(i(d, "containers.0.ulimits.nofile.hard"), 40000);
  cr_assert_str_eq(s(d, "containers.0.secrets.0.target"), "/run/secrets/s");
  cr_assert_str_eq(s(d, "containers.0.secrets.1.target"), "/etc/s");
  cr_assert_str_eq(s(d, "containers.0.secrets.2.target"), "/run/secrets/t");
  cr_assert_str_eq(s(d, "containers.0.configs.0.target"), "/c");
  cr_assert_str_eq(s(d, "containers.0.logging.driver"), "syslog");
  cr_assert_str_eq(s(d, "containers.0.logging.options.tag"), "1");
  cr_assert(diag(d, "errors", "services.b.ulimits additional properties 'NOFILE' not allowed"));
  cr_assert(diag(d, "errors", "core: missing property 'hard'"));
}

Test(compose, healthcheck_and_restart) {
  pm_value *d = build("services:\n"
                      "  a:\n    image: x\n    healthcheck:\n      test: curl -f http://x\n"
                      "      interval: 1m30s\n      timeout: 500ms\n      retries: \"3\"\n"
                      "    restart: on-failure:5\n"
                      "  b:\n    image: x\n    healthcheck:\n      test: [\"NONE\"]\n"
                      "    restart: unless-stopped\n"
                      "  c:\n    image: x\n    healthcheck:\n      disable: true\n"
                      "    restart: always\n    deploy:\n      restart_policy:\n"
                      "        condition: none\n        max_attempts: 2\n"
                      "  d:\n    image: x\n    healthcheck:\n      test: [CMD, true]\n"
                      "      start_period: 10s\n    restart: sometimes\n"
                      "  e:\n    image: x\n    healthcheck:\n      test: [\"sh\", \"-c\", \"x\"]\n"
                      "      interval: soon\n");
  cr_assert_str_eq(s(d, "containers.0.healthcheck.test.0"), "CMD-SHELL");
  cr_assert_str_eq(s(d, "containers.0.healthcheck.test.1"), "curl -f http://x");
  cr_assert_eq(num(d, "containers.0.healthcheck.interval"), 90);
  cr_assert_eq(num(d, "containers.0.healthcheck.timeout"), 0.5);
  cr_assert_eq(i(d, "containers.0.healthcheck.retries"), 3);
  cr_assert(!b(d, "containers.0.healthcheck.disabled"));
  cr_assert_str_eq(s(d, "containers.0.restart.policy"), "on-failure");
  cr_assert_eq(i(d, "containers.0.restart.max_retries"), 5);
  cr_assert(b(d, "containers.1.healthcheck.disabled"));
  cr_assert_str_eq(s(d, "containers.1.restart.policy"), "unless-stopped");
  cr_assert(b(d, "containers.2.healthcheck.disabled"));
  cr_assert_str_eq(s(d, "containers.2.healthcheck.test.0"), "NONE");
  cr_assert_str_eq(s(d, "containers.2.restart.policy"), "no", "deploy wins");
  cr_assert_eq(i(d, "containers.2.restart.max_retries"), 2);
  cr_assert_eq(num(d, "containers.3.healthcheck.start_period"), 10);
  cr_assert(diag(d, "errors", "services.d.restart: invalid restart policy: sometimes"));
  cr_assert(diag(d, "errors", "healthcheck.test must start either by \"CMD\", \"CMD-SHELL\" or \"NONE\""));
  cr_assert(diag(d, "errors", "services.e.healthcheck.interval: time: invalid duration \"soon\""));
}

Test(compose, wrong_types_are_errors_never_false) {
  pm_value *d = build("services:\n  web:\n    image: x\n    privileged: 1\n"
                      "    read_only: maybe\n    cap_add: NET_ADMIN\n    user: [root]\n"
                      "    pids_limit: lots\n");
  error_at(d, "services.web.privileged must be a boolean, not an integer", 4, 5);
  error_at(d, "services.web.read_only: invalid boolean: maybe", 5, 5);
  error_at(d, "services.web.cap_add must be a list", 6, 5);
  error_at(d, "services.web.user must be a string", 7, 5);
  error_at(d, "services.web.pids_limit: invalid integer: lots", 8, 5);
  cr_assert(is_null(d, "containers.0.privileged"));
  cr_assert(is_null(d, "containers.0.read_only"));
  cr_assert(is_null(d, "containers.0.user"));
}

Test(compose, positions_point_at_keys) {
  pm_value *d = build("services:\n  web:\n    image: x\n    privileged: true\n");
  pm_value *c = get(d, "containers.0");
  cr_assert_eq(c->pos.line, 2);
  cr_assert_eq(c->pos.col, 3);
  cr_assert_eq(c->pos.end_line, 4);
  pm_value *p = get(d, "containers.0.privileged");
  cr_assert_eq(p->pos.line, 4);
  cr_assert_eq(p->pos.col, 5);
  cr_assert_eq(p->pos.end_col, 21);
  cr_assert_null(p->pos.file);
}

/* ---- merging, extends, include --------------------------------------------- */

Test(compose, override_files_merge_as_docker_compose_does) {
  file("compose.yaml",
       "services:\n  web:\n    image: app:1\n    command: [a, b]\n"
       "    ports: [\"80:80\"]\n    volumes: [\"./x:/data\", \"./y:/y\"]\n"
       "    environment: [A=1, B=2]\n    cap_add: [NET_ADMIN]\n    build: .\n"
       "    healthcheck:\n      test: [CMD, a]\n      interval: 5s\n"
       "    logging:\n      driver: json-file\n      options:\n        max-size: 1m\n");
  file("compose.override.yaml",
       "services:\n  web:\n    image: app:2\n    command: [c]\n"
       "    ports: [\"443:443\", \"80:80\"]\n    volumes: [\"./x:/data:ro\"]\n"
       "    environment:\n      B: 3\n      C: 4\n    cap_add: [NET_ADMIN, SYS_TIME]\n"
       "    build:\n      target: prod\n"
       "    healthcheck:\n      test: [CMD, b]\n"
       "    logging:\n      driver: syslog\n"
       "  extra:\n    image: e\n");
  const char *files[] = {"compose.yaml"};
  pm_value *d = build_files(files, 1, true);
  no_errors(d);
  cr_assert_str_eq(s(d, "containers.0.image.tag"), "2");
  cr_assert_eq(len(d, "raw.services.web.command"), 1);
  cr_assert_eq(len(d, "containers.0.ports"), 2);
  cr_assert_eq(len(d, "containers.0.mounts"), 2);
  cr_assert(b(d, "containers.0.mounts.0.read_only"), "the override's entry replaces it in place");
  cr_assert_str_eq(s(d, "containers.0.env.A"), "1");
  cr_assert_str_eq(s(d, "containers.0.env.B"), "3");
  cr_assert_str_eq(s(d, "containers.0.env.C"), "4");
  cr_assert_eq(len(d, "containers.0.cap_add"), 2);
  cr_assert_str_eq(s(d, "containers.0.build.context"), ".");
  cr_assert_str_eq(s(d, "containers.0.build.target"), "prod");
  cr_assert_str_eq(s(d, "containers.0.healthcheck.test.1"), "b");
  cr_assert_eq(num(d, "containers.0.healthcheck.interval"), 5);
  cr_assert_eq(len(d, "containers.0.logging.options"), 0, "other driver: options dropped");
  cr_assert_str_eq(s(d, "containers.1.name"), "extra");
  pm_value *img = get(d, "containers.0.image");
  cr_assert_str_eq(img->pos.file, "compose.override.yaml");
}

Test(compose, explicit_files_and_reset_and_override_tags) {
  file("a.yaml", "services:\n  web:\n    image: a\n    ports: [\"80:80\"]\n"
                 "    environment: {A: 1, B: 2}\n    user: app\n    privileged: true\n");
  file("b.yaml", "services:\n  web:\n    ports: !reset []\n    environment: !override\n"
                 "      C: 3\n    user: !reset null\n");
  file("compose.override.yaml", "services:\n  web:\n    image: never\n");
  const char *files[] = {"a.yaml", "b.yaml"};
  pm_value *d = build_files(files, 2, false);
  no_errors(d);
  cr_assert_str_eq(s(d, "containers.0.image.raw"), "a");
  cr_assert_eq(len(d, "containers.0.ports"), 0);
  cr_assert_eq(len(d, "containers.0.env"), 1);
  cr_assert_str_eq(s(d, "containers.0.env.C"), "3");
  cr_assert(is_null(d, "containers.0.user"));
  cr_assert(b(d, "containers.0.privileged"));
}

Test(compose, extends_same_file_other_file_and_cycles) {
  file("base/common.yaml", "services:\n  base:\n    image: base:1\n    user: app\n"
                           "    cap_drop: [ALL]\n    environment: [X=1]\n"
                           "  chained:\n    extends: base\n    read_only: true\n");
  file("compose.yaml", "services:\n"
                       "  local:\n    image: l\n    privileged: true\n"
                       "  a:\n    extends: local\n    user: a\n"
                       "  b:\n    extends:\n      file: base/common.yaml\n      service: chained\n"
                       "    environment:\n      Y: 2\n"
                       "  c:\n    extends: { service: d }\n  d:\n    extends: c\n"
                       "  e:\n    extends: nowhere\n");
  const char *files[] = {"compose.yaml"};
  pm_value *d = build_files(files, 1, true);
  cr_assert(b(d, "containers.1.privileged"));
  cr_assert_str_eq(s(d, "containers.1.user"), "a");
  cr_assert_str_eq(s(d, "containers.1.image.raw"), "l");
  cr_assert_eq(get(d, "containers.1")->pos.line, 5, "the extending service's position");
  cr_assert_str_eq(s(d, "containers.2.image.raw"), "base:1");
  cr_assert_str_eq(s(d, "containers.2.user"), "app");
  cr_assert(b(d, "containers.2.read_only"));
  cr_assert_str_eq(s(d, "containers.2.env.X"), "1");
  cr_assert_str_eq(s(d, "containers.2.env.Y"), "2");
  cr_assert_str_eq(get(d, "containers.2.image")->pos.file, "base/common.yaml");
  cr_assert(diag(d, "errors", "circular reference with extends"));
  cr_assert(diag(d, "errors", "cannot extend service \"nowhere\""));
}

Test(compose, include_imports_projects_with_their_own_env) {
  file("compose.yaml", "include:\n  - sub/compose.yaml\n  - path: other.yaml\n"
                       "    env_file: other.env\n"
                       "services:\n  web:\n    image: web:${TAG:-none}\n");
  file("sub/compose.yaml", "services:\n  db:\n    image: db:${TAG}\n");
  file("sub/.env", "TAG=sub\n");
  file("other.yaml", "services:\n  cache:\n    image: cache:${TAG}\n");
  file("other.env", "TAG=other\n");
  const char *files[] = {"compose.yaml"};
  pm_value *d = build_files(files, 1, true);
  no_errors(d);
  cr_assert_eq(len(d, "containers"), 3);
  cr_assert_str_eq(s(d, "containers.0.image.tag"), "none");
  cr_assert_str_eq(s(d, "containers.1.image.tag"), "sub");
  cr_assert_str_eq(s(d, "containers.2.image.tag"), "other");
  cr_assert_null(pm_get(get(d, "raw"), "include"));
}

Test(compose, include_conflicts_and_cycles_are_errors) {
  file("compose.yaml", "include: [a.yaml]\nservices:\n  web:\n    image: x\n");
  file("a.yaml", "include: [compose.yaml]\nservices:\n  web:\n    image: y\n");
  const char *files[] = {"compose.yaml"};
  pm_value *d = build_files(files, 1, true);
  cr_assert(diag(d, "errors", "include cycle detected"));
  cr_assert(diag(d, "errors", "imported compose file a.yaml defines conflicting service web"));
}

/* ---- suppressions, consistency --------------------------------------------- */

Test(compose, suppression_comments_cover_the_next_key) {
  file("compose.yaml", "services:\n"
                       "  # policy ignore=privileged -- needed\n"
                       "  web:\n    image: x\n    # hadolint ignore=DL3002\n"
                       "    privileged: true\n    command: |\n      # not a comment\n"
                       "      run\n"
                       "# policy global ignore=x\n");
  file("compose.override.yaml", "services:\n  web:\n    # policy ignore=y\n    user: root\n");
  const char *files[] = {"compose.yaml"};
  pm_value *d = build_files(files, 1, true);
  no_errors(d);
  cr_assert_eq(len(d, "suppressions"), 4);
  cr_assert_eq(i(d, "suppressions.0.line"), 3);
  cr_assert_eq(i(d, "suppressions.0.end_line"), 9);
  cr_assert_str_eq(s(d, "suppressions.0.reason"), "needed");
  cr_assert_eq(i(d, "suppressions.1.line"), 6);
  cr_assert_eq(i(d, "suppressions.1.end_line"), 6);
  cr_assert(b(d, "suppressions.2.global"));
  cr_assert_str_eq(s(d, "suppressions.3.file"), "compose.override.yaml");
  cr_assert_eq(i(d, "suppressions.3.line"), 4);
  cr_assert_null(pm_get(get(d, "suppressions.0"), "file"));
}

Test(compose, consistency_rules) {
  pm_value *d = build("services:\n"
                      "  a:\n    network_mode: host\n    networks: [n]\n    image: x\n"
                      "  b:\n    image: x\n    networks: [missing]\n    depends_on: [c]\n"
                      "  c:\n    image: x\n    depends_on:\n      b:\n        condition: service_started\n"
                      "  d:\n    build: .\n    secrets: [nope]\n    network_mode: \"service:zz\"\n"
                      "  e:\n    user: x\n"
                      "networks:\n  n:\nsecrets:\n  s:\n    labels: {}\n");
  error_at(d, "service a declares mutually exclusive `network_mode` and `networks`", 3, 5);
  error_at(d, "service \"b\" refers to undefined network missing", 8, 16);
  error_at(d, "dependency cycle detected: service \"b\"", 6, 3);
  error_at(d, "service \"d\" refers to undefined secret nope", 17, 15);
  error_at(d, "service \"zz\" not found for network_mode 'service:zz'", 18, 5);
  error_at(d, "service \"e\" has neither an image nor a build context specified", 19, 3);
  error_at(d, "secret \"s\" must declare either `file` or `environment`", 24, 3);
}

Test(compose, builds_are_requested_for_linking) {
  pm_value *d = build("services:\n"
                      "  a:\n    build: ./app\n"
                      "  b:\n    build:\n      context: ctx\n      dockerfile: Other.Dockerfile\n"
                      "      target: prod\n      args:\n        - V=1\n        - FROM_ENV\n"
                      "  c:\n    build:\n      dockerfile_inline: |\n        FROM alpine\n");
  setenv_("FROM_ENV", "e");
  no_errors(d);
  cr_assert_eq(nreqs, 3);
  cr_assert_str_eq(reqs[0].context, "./app");
  cr_assert_null(reqs[0].dockerfile);
  cr_assert_str_eq(reqs[1].dockerfile, "Other.Dockerfile");
  cr_assert_str_eq(reqs[1].target, "prod");
  cr_assert_eq(reqs[1].nargs, 1, "FROM_ENV was not set while building");
  cr_assert_str_eq(reqs[1].args[0], "V=1");
  cr_assert_not_null(reqs[2].inline_text);
  cr_assert_str_eq(s(d, "containers.1.build.context"), "ctx");
  cr_assert(is_null(d, "containers.1.build.args.FROM_ENV"));
  cr_assert(is_null(d, "containers.1.build.image"));
}

/* ---- allocation failure ---------------------------------------------------- */

static const char project[] =
    "x-common: &common\n  image: app:${TAG:-1}\n  restart: always\n"
    "include: [inc.yaml]\n"
    "services:\n"
    "  # policy ignore=x\n"
    "  web:\n    <<: *common\n    build:\n      context: .\n      args: [A=1]\n"
    "    ports: [\"127.0.0.1:80:80\", {target: 443, published: 443}]\n"
    "    volumes: [\"./d:/d:ro\", {type: tmpfs, target: /t}]\n"
    "    environment: [A=$NOPE]\n    security_opt: [no-new-privileges]\n"
    "    cap_add: [net_admin]\n    healthcheck: {test: x, interval: 1s}\n"
    "    deploy: {resources: {limits: {memory: 1g}}, restart_policy: {condition: any}}\n"
    "    ulimits: {nofile: {soft: 1, hard: 2}}\n    devices: [/dev/fuse]\n"
    "    logging: {driver: x, options: {a: b}}\n    secrets: [s]\n"
    "  base:\n    extends: web\n    user: root\n"
    "secrets:\n  s:\n    file: ./s\n";

Test(compose, allocation_failure_at_every_allocation) {
  file("compose.yaml", project);
  file("compose.override.yaml", "services:\n  web:\n    ports: [\"8080:80\"]\n");
  file("inc.yaml", "services:\n  inc:\n    image: i\n");
  file(".env", "TAG=2\n");
  const char *files[] = {"compose.yaml"};
  cmp_opts o = {files, 1, NULL, 0, true, NULL, {64, 100000}, NULL};
  unsigned long n = 0;
  for (int sticky = 0; sticky < 2; sticky++)
  for (n = 1;; n++) {
    pol_arena a = POL_ARENA_INIT;
    pm_value *doc = NULL;
    pol_alloc_inject_failure(n, sticky);
    int rc = cmp_build(&a, &o, &io, &doc, &reqs, &nreqs);
    unsigned long used = pol_alloc_inject_failure(0, 0);
    bool failed = used >= n;
    cr_assert(rc == CMP_OK || rc == CMP_ERR_NOMEM, "allocation %lu: status %d", n, rc);
    cr_assert(!failed || rc == CMP_ERR_NOMEM, "allocation %lu failed but the status is %d", n, rc);
    if (rc == CMP_OK) cr_assert_eq(pm_get(doc, "errors")->u.arr.len, 0);
    pol_arena_free(&a);
    if (!failed) break;
  }
  cr_assert_gt(n, 20);
}

/* ---- the public API: links to Dockerfiles ----------------------------------- */

static policy_engine *engine;

Test(compose, standard_input_is_a_project_in_the_current_folder) {
  cr_assert_eq(policy_engine_new(&engine), POLICY_OK);
  static const char text[] = "services:\n  web:\n    image: a\n    user: root\n";
  policy_document *doc = NULL;
  cr_assert_eq(policy_parse_buffer(&doc, engine, "-", text, strlen(text), POLICY_KIND_AUTO),
               POLICY_OK, "%s", policy_engine_errmsg(engine));
  cr_assert_eq(policy_document_kind(doc), POLICY_KIND_COMPOSE);
  cr_assert_str_eq(policy_document_path(doc), "-");
  cr_assert_eq(policy_document_error_count(doc), 0);
  policy_document_free(doc);
  policy_engine_free(engine);
}

static policy_document *parse_fixture(const char *name, pm_value **root) {
  const char *src = getenv("POLICY_SOURCE_DIR");
  char path[1024];
  snprintf(path, sizeof path, "%s/tests/fixtures/compose/%s", src ? src : ".", name);
  cr_assert_eq(policy_engine_new(&engine), POLICY_OK);
  policy_document *doc = NULL;
  cr_assert_eq(policy_parse_file(&doc, engine, path, POLICY_KIND_AUTO), POLICY_OK, "%s",
               policy_engine_errmsg(engine));
  cr_assert_eq(policy_document_kind(doc), POLICY_KIND_COMPOSE);
  char *json;
  cr_assert_eq(policy_document_to_json(&json, NULL, doc, 0), POLICY_OK);
  pol_buf err = POL_BUF_INIT;
  cr_assert_eq(pm_load_json(&arena, json, strlen(json), &(pm_load_limits){256, 1000000}, root,
                            &err),
               PM_LOAD_OK);
  pol_buf_free(&err);
  policy_free(json);
  return doc;
}

static void api_done(policy_document *doc) {
  policy_document_free(doc);
  policy_engine_free(engine);
}

Test(compose, linked_dockerfiles_give_the_effective_user) {
  pm_value *d;
  policy_document *doc = parse_fixture("link/compose.yaml", &d);
  no_errors(d);
  /* web: no user; the Dockerfile's final stage sets USER app. */
  cr_assert(is_null(d, "containers.0.user"));
  cr_assert_str_eq(s(d, "containers.0.effective_user"), "app");
  cr_assert_str_eq(s(d, "containers.0.build.image.name"), "final");
  /* worker: same Dockerfile, target builder (runs as root), user: nobody. */
  cr_assert_str_eq(s(d, "containers.1.effective_user"), "nobody");
  cr_assert_str_eq(s(d, "containers.1.build.image.name"), "builder");
  /* tool: target builder, no user of its own: the builder stage's user. */
  cr_assert_str_eq(s(d, "containers.2.effective_user"), "root");
  /* The Dockerfile's stages are in images once, positioned in it. */
  cr_assert_eq(len(d, "images"), 2);
  cr_assert(strstr(s(d, "images.0.pos.file"), "link/app/Dockerfile"));
  cr_assert_eq(i(d, "images.1.pos.line"), 5);
  /* Its build argument was applied. */
  cr_assert_str_eq(s(d, "containers.0.build.image.from.tag"), "3.20");
  /* A Dockerfile that does not exist is a warning at the service's build. */
  pm_value *w = diag(d, "warnings", "missing/Dockerfile could not be read");
  cr_assert_not_null(w);
  cr_assert_eq(i(w, "pos.line"), 17);
  cr_assert(is_null(d, "containers.3.build.image"));
  cr_assert(is_null(d, "containers.3.effective_user"));
  /* Its suppression comment covers its own lines, in its own file. */
  pm_value *sup = get(d, "suppressions.0");
  cr_assert_not_null(sup);
  cr_assert(strstr(s(sup, "file"), "link/app/Dockerfile"));
  api_done(doc);
}

Test(compose, inline_dockerfiles_are_positioned_in_the_compose_file) {
  pm_value *d;
  policy_document *doc = parse_fixture("inline/docker-compose.yml", &d);
  no_errors(d);
  cr_assert_str_eq(s(d, "containers.0.effective_user"), "1000");
  cr_assert_eq(i(d, "images.0.pos.line"), 5);
  cr_assert_eq(i(d, "images.0.instructions.1.line"), 6);
  api_done(doc);
}

Test(compose, findings_and_suppressions_follow_the_files) {
  pm_value *d;
  policy_document *doc = parse_fixture("link/compose.yaml", &d);
  static const char rule[] =
      "return { id = 'no-root', title = 't', severity = 'high', applies_to = 'image',\n"
      "  description = 'd', remediation = 'r',\n"
      "  check = function(img) if img.user == 'root' then report(img, 'user', 'root') end end }\n";
  cr_assert_eq(policy_engine_load_rule_buffer(engine, "r.lua", rule, strlen(rule)), POLICY_OK,
               "%s", policy_engine_errmsg(engine));
  policy_report *r;
  cr_assert_eq(policy_report_new(&r), POLICY_OK);
  cr_assert_eq(policy_check(r, engine, doc), POLICY_OK);
  cr_assert_eq(policy_report_count(r, POLICY_LIST_FINDINGS), 0);
  cr_assert_eq(policy_report_count(r, POLICY_LIST_SUPPRESSED), 1, "the Dockerfile's comment");
  cr_assert(strstr(policy_report_get_string(r, POLICY_LIST_SUPPRESSED, 0, POLICY_FIELD_FILE),
                   "link/app/Dockerfile"));
  cr_assert_eq(policy_report_get_number(r, POLICY_LIST_SUPPRESSED, 0, POLICY_FIELD_LINE), 4);
  policy_report_free(r);
  api_done(doc);
}

Test(compose, several_files_through_the_api) {
  const char *src = getenv("POLICY_SOURCE_DIR");
  char a[1024], bpath[1024];
  snprintf(a, sizeof a, "%s/tests/fixtures/compose/merge/base.yaml", src ? src : ".");
  snprintf(bpath, sizeof bpath, "%s/tests/fixtures/compose/merge/prod.yaml", src ? src : ".");
  const char *paths[] = {a, bpath};
  cr_assert_eq(policy_engine_new(&engine), POLICY_OK);
  cr_assert_eq(policy_engine_set_env_file(engine, NULL), POLICY_OK);
  policy_document *doc = NULL;
  cr_assert_eq(policy_parse_compose(&doc, engine, paths, 2), POLICY_OK, "%s",
               policy_engine_errmsg(engine));
  cr_assert_eq(policy_document_error_count(doc), 0);
  char *json;
  cr_assert_eq(policy_document_to_json(&json, NULL, doc, POLICY_JSON_NO_POSITIONS), POLICY_OK);
  cr_assert(strstr(json, "\"read_only\":true"), "%s", json);
  cr_assert(strstr(json, "\"tag\":\"prod\""), "%s", json);
  policy_free(json);
  policy_document_free(doc);
  const char *missing[] = {"/nonexistent/compose.yaml"};
  cr_assert_eq(policy_parse_compose(&doc, engine, missing, 1), POLICY_ERR_IO);
  cr_assert_eq(policy_parse_compose(&doc, engine, missing, 0), POLICY_ERR_INVALID);
  policy_engine_free(engine);
}
