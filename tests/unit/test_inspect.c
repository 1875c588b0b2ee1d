/*
** test_inspect.c: docker inspect output, create bodies and AuthZ requests
** into the model: JSON positions, every field of a container and an image,
** Go's way of matching keys, requests and their routes, malformed input,
** the shared samples, and allocation failure at every allocation.
**
** The samples include two YAML files: examples cut out of the Engine API
** specification. `docker inspect` prints JSON, and the command line reads
** only JSON for these kinds, but the examples are the Engine's own
** description of the shapes: they are read with the YAML loader and fed to
** the same builder (insp_build_tree) rather than copied into JSON.
*/
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_path.h"
#include "core/alloc.h"
#include "inspect/dispatch.h"
#include "inspect/insp.h"
#include "inspect/posjson.h"
#include "model/load.h"
#include "policy/policy.h"

static pol_arena arena;
static char *text;     /* the last fixture read */
static size_t text_len;

static void teardown(void) {
  pol_arena_free(&arena);
  free(text);
  text = NULL;
}

TestSuite(inspect, .fini = teardown);

static char *read_path(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  cr_assert_not_null(f, "cannot open %s", path);
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)n + 1);
  cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
  buf[n] = '\0';
  fclose(f);
  *len = (size_t)n;
  return buf;
}

static const char *fixture_path(const char *name) {
  static char path[512];
  const char *src = getenv("POLICY_SOURCE_DIR");
  snprintf(path, sizeof path, "%s/tests/fixtures/inspect/%s", src ? src : ".", name);
  return path;
}

static pm_value *build_text(const char *path, const char *t, size_t n,
                            bool *request) {
  pm_value *doc = NULL;
  bool req;
  cr_assert_eq(insp_build(&arena, path, t, n, 1000000, &doc, &req), INSP_OK);
  cr_assert_not_null(doc);
  if (request) *request = req;
  return doc;
}

static pm_value *build_str(const char *t) {
  return build_text("t.json", t, strlen(t), NULL);
}

static pm_value *fixture(const char *name, bool *request) {
  free(text);
  text = read_path(fixture_path(name), &text_len);
  return build_text(name, text, text_len, request);
}


/* Line and column (code points) of the k-th occurrence of needle in the
** current fixture text. */
static void where(const char *needle, int k, uint32_t *line, uint32_t *col) {
  const char *p = text;
  for (int j = 0; j <= k; j++) {
    p = strstr(j ? p + 1 : p, needle);
    cr_assert_not_null(p, "'%s' not in fixture", needle);
  }
  *line = 1;
  *col = 1;
  for (const char *q = text; q < p; q++) {
    if (*q == '\n') { (*line)++; *col = 1; }
    else if ((*q & 0xC0) != 0x80) (*col)++;
  }
}

static void at(pm_value *v, const char *path, const char *needle, int k) {
  pm_value *x = get(v, path);
  cr_assert_not_null(x, "%s missing", path);
  uint32_t line, col;
  where(needle, k, &line, &col);
  cr_assert(x->pos.line == line && x->pos.col == col,
            "%s is at %u:%u, expected %u:%u ('%s')", path, x->pos.line,
            x->pos.col, line, col, needle);
}

/* The index of the first error (or warning) whose message contains s. */
static long diag(pm_value *doc, const char *list, const char *sub) {
  pm_value *l = pm_get(doc, list);
  for (size_t k = 0; l && k < l->u.arr.len; k++)
    if (strstr(s(l->u.arr.items[k], "message"), sub)) return (long)k;
  return -1;
}

static void has_error(pm_value *doc, const char *sub, uint32_t line, uint32_t col) {
  long k = diag(doc, "errors", sub);
  cr_assert(k >= 0, "no error containing '%s'", sub);
  pm_value *e = get(doc, "errors")->u.arr.items[k];
  if (line)
    cr_assert(e->pos.line == line && e->pos.col == col,
              "error '%s' at %u:%u, expected %u:%u", sub, e->pos.line, e->pos.col,
              line, col);
}

/* ---- JSON with positions --------------------------------------------------- */

static pm_value *json(const char *t, int *rc, pm_pos *err_at, pol_buf *err) {
  pm_value *v = NULL;
  insp_json_limits lim = {64, 1000};
  pm_pos p;
  pol_buf e = POL_BUF_INIT;
  *rc = insp_json_parse(&arena, t, strlen(t), NULL, &lim, &v, err ? err : &e,
                        err_at ? err_at : &p);
  pol_buf_free(&e);
  return v;
}

Test(inspect, json_member_positions_start_at_the_key) {
  int rc;
  pm_value *v = json("{\"a\": {\"bb\": [1, \"x\"]},\n \"\xC3\xA9t\xC3\xA9\": true}", &rc, NULL, NULL);
  cr_assert_eq(rc, INSP_JSON_OK);
  cr_assert_eq(v->type, PM_MAP);
  cr_assert_eq(v->pos.line, 1);
  cr_assert_eq(v->pos.col, 1);
  pm_value *a = pm_get(v, "a"), *bb = pm_get(a, "bb");
  cr_assert(a->pos.line == 1 && a->pos.col == 2 && a->pos.end_col == 23);
  cr_assert(bb->pos.col == 8 && bb->pos.end_col == 22);
  cr_assert_eq(bb->u.arr.items[0]->pos.col, 15);
  cr_assert_eq(bb->u.arr.items[1]->pos.col, 18);
  cr_assert_eq(bb->u.arr.items[1]->pos.end_col, 21);
  pm_value *t = pm_get(v, "\xC3\xA9t\xC3\xA9");
  cr_assert(t->pos.line == 2 && t->pos.col == 2, "%u:%u", t->pos.line, t->pos.col);
  cr_assert_eq(t->pos.end_col, 13); /* columns count code points */
}

/* jansson walks object keys in insertion order: thousands of keys whose
** hash order differs from their order in the text keep their positions. */
Test(inspect, json_positions_follow_jansson_key_order) {
  pol_buf t = POL_BUF_INIT;
  pol_buf_puts(&t, "{");
  for (int k = 0; k < 3000; k++)
    pol_buf_printf(&t, "%s\n\"k%d\": %d", k ? "," : "", (k * 7919) % 3001, k);
  pol_buf_puts(&t, "}");
  int rc;
  pm_value *v = json(t.data, &rc, NULL, NULL);
  pol_buf_free(&t);
  cr_assert_eq(rc, INSP_JSON_LIMIT); /* over the 1000 values of json() */
  insp_json_limits lim = {8, 10000};
  pol_buf e = POL_BUF_INIT, u = POL_BUF_INIT;
  pol_buf_puts(&u, "{");
  for (int k = 0; k < 3000; k++)
    pol_buf_printf(&u, "%s\n\"k%d\": %d", k ? "," : "", (k * 7919) % 3001, k);
  pol_buf_puts(&u, "}");
  pm_pos p;
  cr_assert_eq(insp_json_parse(&arena, u.data, u.len, NULL, &lim, &v, &e, &p), INSP_JSON_OK);
  cr_assert_eq(v->u.obj.len, 3000);
  for (size_t k = 0; k < 3000; k++) {
    pm_value *x = v->u.obj.items[k].val;
    cr_assert_eq(x->u.i, (int64_t)k);
    cr_assert_eq(x->pos.line, k + 2);
  }
  pol_buf_free(&u);
  pol_buf_free(&e);
}

static void json_error(const char *t, uint32_t line, uint32_t col, const char *sub) {
  int rc;
  pm_pos p;
  pol_buf e = POL_BUF_INIT;
  cr_assert_null(json(t, &rc, &p, &e));
  cr_assert_eq(rc, INSP_JSON_SYNTAX, "%s", t);
  cr_assert(p.line == line && p.col == col, "'%s': error at %u:%u, expected %u:%u (%s)",
            t, p.line, p.col, line, col, e.data);
  cr_assert(strstr(e.data, sub), "'%s': %s", t, e.data);
  pol_buf_free(&e);
}

Test(inspect, json_errors_have_positions) {
  json_error("[{\"a\": 1},\n {\"b\": tru}]", 2, 8, "invalid token");
  json_error("{\"a\": 1,\n  \"a\": 2}", 2, 3, "duplicate");
  json_error("[1, 2", 1, 6, "expected");
  json_error("{\"n\": 99999999999999999999}", 1, 7, "too big integer");
  json_error("{\"n\": 1e999}", 1, 7, "overflow");
  json_error("[\"\\u0000\"]", 1, 2, "\\u0000");
  json_error("[\"\xff\"]", 1, 2, "decode byte");
  json_error("", 1, 1, "");
  json_error("[1] x", 1, 5, "end of file expected");
  /* deeper than the limit: an error at the first value too deep */
  char deep[200];
  memset(deep, '[', 100);
  deep[100] = '\0';
  json_error(deep, 1, 65, "deeper than 64");
  int rc;
  pm_value *v = json("\xEF\xBB\xBF{\"a\": 1}", &rc, NULL, NULL);
  cr_assert_eq(rc, INSP_JSON_OK);
  cr_assert_eq(pm_get(v, "a")->pos.col, 2); /* the byte order mark is skipped */
}

/* ---- containers from inspect ------------------------------------------------ */

Test(inspect, container_inspect_every_field) {
  bool req;
  pm_value *d = fixture("container_hardened.json", &req);
  cr_assert_not(req);
  cr_assert_str_eq(s(d, "kind"), "inspect");
  cr_assert_eq(len(d, "errors"), 0);
  cr_assert_eq(len(d, "warnings"), 0);
  cr_assert_eq(len(d, "containers"), 1);
  cr_assert_eq(len(d, "images"), 0);
  pm_value *c = get(d, "containers.0");
  cr_assert_eq(c->type, PM_OBJ);
  at(d, "containers.0", "{\n    \"Id\"", 0);
  cr_assert_str_eq(s(c, "name"), "api");
  cr_assert_str_eq(s(c, "origin"), "inspect");
  cr_assert_str_eq(s(c, "image.registry"), "registry.example.com");
  cr_assert_str_eq(s(c, "image.repository"), "team/api");
  cr_assert_str_eq(s(c, "image.tag"), "2.4.1");
  cr_assert(strncmp(s(c, "image.digest"), "sha256:aaaa", 11) == 0);
  at(c, "image", "\"Image\": \"registry", 0);
  must_be_null(c, "build");
  cr_assert_str_eq(s(c, "user"), "10001:10001");
  cr_assert_str_eq(s(c, "effective_user"), "10001:10001");
  cr_assert_not(b(c, "privileged"));
  at(c, "privileged", "\"Privileged\"", 0);
  cr_assert(b(c, "read_only"));
  at(c, "read_only", "\"ReadonlyRootfs\"", 0);
  cr_assert(b(c, "init"));
  cr_assert_not(b(c, "oom_kill_disable"));
  cr_assert_str_eq(s(c, "cap_add.0"), "NET_BIND_SERVICE");
  cr_assert_str_eq(s(c, "cap_add.1"), "CHOWN");
  cr_assert_str_eq(s(c, "cap_drop.0"), "ALL");
  at(c, "cap_add.1", "\"CAP_CHOWN\"", 0);
  cr_assert(b(c, "security.no_new_privileges"));
  at(c, "security.no_new_privileges", "\"no-new-privileges:true\"", 0);
  cr_assert_str_eq(s(c, "security.seccomp"), "/etc/docker/seccomp.json");
  cr_assert_str_eq(s(c, "security.apparmor"), "docker-default");
  cr_assert_str_eq(s(c, "security.selinux.0"), "level:s0:c100,c200");
  cr_assert_eq(len(c, "security.raw"), 3);
  cr_assert_str_eq(s(c, "namespaces.network"), "backend");
  cr_assert_str_eq(s(c, "namespaces.ipc"), "private");
  cr_assert_str_eq(s(c, "namespaces.cgroupns"), "private");
  must_be_null(c, "namespaces.pid");
  must_be_null(c, "namespaces.uts");
  must_be_null(c, "namespaces.userns");
  cr_assert_eq(len(c, "networks"), 2);
  cr_assert_str_eq(s(c, "networks.1"), "monitoring");
  /* top-level Mounts is the effective set */
  cr_assert_eq(len(c, "mounts"), 3);
  cr_assert_str_eq(s(c, "mounts.0.type"), "volume");
  cr_assert_str_eq(s(c, "mounts.0.source"), "api-data");
  cr_assert_not(b(c, "mounts.0.sensitive"));
  cr_assert_not(b(c, "mounts.0.read_only"));
  cr_assert_str_eq(s(c, "mounts.1.type"), "bind");
  cr_assert(b(c, "mounts.1.read_only"));
  cr_assert_str_eq(s(c, "mounts.1.propagation"), "rprivate");
  cr_assert_not(b(c, "mounts.1.docker_socket"));
  cr_assert_str_eq(s(c, "mounts.2.type"), "tmpfs");
  must_be_null(c, "mounts.2.source");
  cr_assert_str_eq(s(c, "mounts.2.target"), "/scratch");
  cr_assert_eq(len(c, "tmpfs"), 2);
  cr_assert_str_eq(s(c, "tmpfs.0"), "/run:rw,noexec,nosuid,size=65536k");
  cr_assert_str_eq(s(c, "tmpfs.1"), "/tmp");
  /* ports: bindings, with HostIp "" as all interfaces and [] as random */
  cr_assert_eq(len(c, "ports"), 3);
  cr_assert_str_eq(s(c, "ports.0.host_ip"), "127.0.0.1");
  cr_assert_eq(i(c, "ports.0.host_port"), 443);
  cr_assert_eq(i(c, "ports.0.container_port"), 8443);
  cr_assert_str_eq(s(c, "ports.0.protocol"), "tcp");
  cr_assert_str_eq(s(c, "ports.0.raw"), "127.0.0.1:443:8443/tcp");
  at(c, "ports.0", "{\"HostIp\": \"127.0.0.1\"", 0);
  must_be_null(c, "ports.1.host_ip");
  cr_assert_eq(i(c, "ports.1.host_port"), 9000);
  cr_assert_eq(i(c, "ports.1.host_port_end"), 9002);
  cr_assert_str_eq(s(c, "ports.1.protocol"), "udp");
  cr_assert_str_eq(s(c, "ports.1.raw"), "9000-9002:9000/udp");
  must_be_null(c, "ports.2.host_port");
  cr_assert_eq(i(c, "ports.2.container_port"), 7000);
  cr_assert_eq(len(c, "expose"), 1);
  cr_assert_eq(i(c, "expose.0.port"), 9100);
  cr_assert_eq(i(c, "resources.memory"), 536870912);
  cr_assert_eq(i(c, "resources.memory_swap"), 536870912);
  cr_assert_eq(i(c, "resources.memory_reservation"), 268435456);
  cr_assert_float_eq(num(c, "resources.cpus"), 1.5, 1e-9);
  at(c, "resources.cpus", "\"NanoCpus\"", 0);
  cr_assert_eq(i(c, "resources.cpu_shares"), 512);
  cr_assert_eq(i(c, "resources.pids_limit"), 200);
  cr_assert_str_eq(s(c, "devices.0.host"), "/dev/fuse");
  cr_assert_str_eq(s(c, "devices.0.permissions"), "rwm");
  cr_assert_str_eq(s(c, "devices.0.raw"), "/dev/fuse:/dev/fuse:rwm");
  cr_assert_str_eq(pm_get(get(c, "sysctls"), "net.ipv4.ip_unprivileged_port_start")->u.str.s, "0");
  cr_assert_str_eq(pm_get(get(c, "labels"), "org.opencontainers.image.version")->u.str.s, "2.4.1");
  cr_assert_eq(i(c, "ulimits.nofile.soft"), 1024);
  cr_assert_eq(i(c, "ulimits.nofile.hard"), 2048);
  cr_assert_eq(i(c, "ulimits.nproc.hard"), 512);
  cr_assert_str_eq(s(c, "env.MODE"), "strict"); /* the later value wins */
  cr_assert_str_eq(s(c, "env.EMPTY"), "");
  cr_assert_eq(len(c, "env"), 3);
  cr_assert_eq(len(c, "env_files"), 0);
  cr_assert_eq(len(c, "secrets"), 0);
  cr_assert_str_eq(s(c, "healthcheck.test.0"), "CMD");
  cr_assert_not(b(c, "healthcheck.disabled"));
  cr_assert_float_eq(num(c, "healthcheck.interval"), 30.0, 1e-9);
  cr_assert_float_eq(num(c, "healthcheck.timeout"), 5.0, 1e-9);
  must_be_null(c, "healthcheck.start_period");
  cr_assert_eq(i(c, "healthcheck.retries"), 3);
  cr_assert_str_eq(s(c, "restart.policy"), "on-failure");
  cr_assert_eq(i(c, "restart.max_retries"), 5);
  cr_assert_str_eq(s(c, "logging.driver"), "json-file");
  cr_assert_str_eq(s(c, "logging.options.max-size"), "10m");
  cr_assert_str_eq(s(c, "cgroup_parent"), "/docker-limited");
  cr_assert_eq(len(c, "profiles"), 0);
  cr_assert_eq(len(c, "unresolved"), 0);
  /* raw keeps the whole input */
  cr_assert_eq(must(d, "raw", PM_ARR)->u.arr.len, 1);
  cr_assert_str_eq(s(d, "raw.0.HostConfig.IpcMode"), "private");
}

Test(inspect, privileged_container_from_a_single_object) {
  pm_value *d = fixture("container_privileged.json", NULL);
  cr_assert_eq(len(d, "errors"), 0);
  pm_value *c = get(d, "containers.0");
  cr_assert_str_eq(s(c, "name"), "debug-shell");
  cr_assert_str_eq(s(c, "image.id"),
                   "sha256:1111111111111111111111111111111111111111111111111111111111111111");
  cr_assert_null(get(c, "image.repository"));
  must_be_null(c, "user");
  cr_assert_str_eq(s(c, "effective_user"), "root"); /* merged: the image sets none */
  cr_assert(b(c, "privileged"));
  at(c, "privileged", "\"Privileged\": true", 0);
  must_be_null(c, "read_only");
  cr_assert_str_eq(s(c, "cap_add.0"), "ALL");
  cr_assert_str_eq(s(c, "security.seccomp"), "unconfined");
  cr_assert_str_eq(s(c, "security.apparmor"), "unconfined");
  cr_assert_not(b(c, "security.no_new_privileges"));
  cr_assert_str_eq(s(c, "security.selinux.0"), "disable");
  static const char *const ns[] = {"network", "pid", "ipc", "uts", "userns", "cgroupns"};
  for (size_t k = 0; k < 6; k++) {
    char path[64];
    snprintf(path, sizeof path, "namespaces.%s", ns[k]);
    cr_assert_str_eq(s(c, path), "host");
  }
  cr_assert_eq(len(c, "networks"), 0);
  /* Mounts: null, so Binds then HostConfig.Mounts */
  cr_assert_eq(len(c, "mounts"), 8);
  cr_assert_str_eq(s(c, "mounts.0.type"), "bind");
  cr_assert_str_eq(s(c, "mounts.0.source"), "/");
  cr_assert(b(c, "mounts.0.sensitive"));
  cr_assert(b(c, "mounts.0.docker_socket")); /* / holds /var/run/docker.sock */
  cr_assert_not(b(c, "mounts.0.read_only"));
  at(c, "mounts.0", "\"/:/host\"", 0);
  cr_assert_str_eq(s(c, "mounts.0.raw"), "/:/host");
  must_be_null(c, "mounts.5.raw");
  cr_assert_str_eq(s(c, "mounts.1.type"), "volume");
  cr_assert_str_eq(s(c, "mounts.1.source"), "data");
  cr_assert(b(c, "mounts.1.read_only"));
  cr_assert_not(b(c, "mounts.1.sensitive"));
  cr_assert_str_eq(s(c, "mounts.2.propagation"), "rshared");
  cr_assert(b(c, "mounts.2.sensitive"));
  must_be_null(c, "mounts.3.source");
  cr_assert_str_eq(s(c, "mounts.3.target"), "/cache");
  cr_assert(b(c, "mounts.4.docker_socket"));
  cr_assert(b(c, "mounts.5.docker_socket")); /* /var/run//docker.sock, cleaned */
  cr_assert(b(c, "mounts.5.read_only"));
  cr_assert_str_eq(s(c, "mounts.5.propagation"), "rslave");
  cr_assert_str_eq(s(c, "mounts.6.type"), "volume");
  must_be_null(c, "mounts.6.source");
  cr_assert_str_eq(s(c, "mounts.7.type"), "tmpfs");
  /* PublishAllPorts: exposed ports not bound go out on random ports */
  cr_assert_eq(len(c, "ports"), 2);
  cr_assert_str_eq(s(c, "ports.0.raw"), "[::]:8080:8080/tcp");
  cr_assert_eq(i(c, "ports.1.container_port"), 22);
  must_be_null(c, "ports.1.host_port");
  must_be_null(c, "ports.1.host_ip");
  at(c, "ports.1", "\"PublishAllPorts\"", 0);
  cr_assert_eq(len(c, "expose"), 0);
  cr_assert_float_eq(num(c, "resources.cpus"), 0.5, 1e-9); /* quota over the default period */
  must_be_null(c, "resources.pids_limit");
  cr_assert_eq(i(c, "resources.memory_swap"), -1);
  must_be_null(c, "resources.memory");
  must_be_null(c, "env.HOST_TOKEN");
  cr_assert(b(c, "healthcheck.disabled"));
  cr_assert_str_eq(s(c, "restart.policy"), "no");
  must_be_null(c, "restart.max_retries");
}

Test(inspect, mixed_array_of_images_containers_and_others) {
  pm_value *d = fixture("mixed.json", NULL);
  cr_assert_str_eq(s(d, "kind"), "inspect");
  cr_assert_eq(len(d, "images"), 2);
  cr_assert_eq(len(d, "containers"), 1);
  cr_assert(diag(d, "warnings", "skipped") >= 0);
  uint32_t line, col;
  where("\"bogus/xyz\"", 0, &line, &col);
  has_error(d, "invalid port \"bogus/xyz\"", line, col);
  pm_value *im = get(d, "images.0");
  cr_assert_str_eq(s(im, "origin"), "inspect");
  cr_assert_eq(i(im, "index"), 0);
  cr_assert(b(im, "final"));
  cr_assert_str_eq(s(im, "name"), "example/web:1.2");
  cr_assert_str_eq(s(im, "id"), "sha256:2222222222222222222222222222222222222222222222222222222222222222");
  cr_assert_str_eq(s(im, "repo_tags.1.tag"), "latest");
  cr_assert_str_eq(s(im, "repo_digests.0.repository"), "example/web");
  must_be_null(im, "from");
  must_be_null(im, "parent");
  cr_assert_str_eq(s(im, "platform"), "linux/arm64/v8");
  must_be_null(im, "user"); /* "" : no USER, root */
  must_be_null(im, "workdir");
  must_be_null(im, "shell");
  cr_assert_str_eq(s(im, "entrypoint.form"), "exec");
  cr_assert_str_eq(s(im, "cmd.form"), "shell");
  cr_assert_str_eq(s(im, "cmd.argv.2"), "nginx -g 'daemon off;'");
  cr_assert_str_eq(s(im, "healthcheck.test.0"), "CMD-SHELL");
  cr_assert_float_eq(num(im, "healthcheck.interval"), 15.0, 1e-9);
  cr_assert_float_eq(num(im, "healthcheck.start_interval"), 1.0, 1e-9);
  cr_assert_str_eq(s(im, "env.NGINX_VERSION"), "1.25.4");
  cr_assert_eq(len(im, "args"), 0);
  cr_assert_str_eq(s(im, "labels.maintainer"), "web@example.com");
  cr_assert_eq(len(im, "expose"), 2);
  cr_assert_eq(i(im, "expose.0.port"), 80);
  cr_assert_str_eq(s(im, "expose.1.error"), "invalid port specification");
  cr_assert_str_eq(s(im, "volumes.0"), "/var/cache/nginx");
  cr_assert_str_eq(s(im, "stopsignal"), "SIGQUIT");
  cr_assert_str_eq(s(im, "maintainer"), "Web Team <web@example.com>");
  cr_assert_str_eq(s(im, "onbuild.0"), "RUN echo child");
  cr_assert_eq(len(im, "instructions"), 0);
  cr_assert_eq(len(im, "commands"), 0);
  cr_assert_str_eq(s(im, "rootfs.type"), "layers");
  cr_assert_eq(len(im, "rootfs.layers"), 1);
  cr_assert_eq(len(im, "history"), 0);
  /* the container */
  pm_value *c = get(d, "containers.0");
  cr_assert_str_eq(s(c, "name"), "web");
  cr_assert_str_eq(s(c, "effective_user"), "nginx");
  cr_assert_str_eq(s(c, "networks.0"), "bridge"); /* NetworkMode default */
  must_be_null(c, "privileged");
  /* the image config blob */
  pm_value *bl = get(d, "images.1");
  cr_assert_eq(i(bl, "index"), 1);
  must_be_null(bl, "name");
  cr_assert_str_eq(s(bl, "user"), "app");
  cr_assert_str_eq(s(bl, "platform"), "linux/amd64");
  cr_assert_str_eq(s(bl, "shell.2"), "pipefail");
  cr_assert_str_eq(s(bl, "entrypoint.form"), "shell"); /* runs under its SHELL */
  cr_assert_str_eq(s(bl, "cmd.form"), "exec");
  cr_assert_eq(len(bl, "rootfs.layers"), 1);
  cr_assert_eq(len(bl, "history"), 2);
  cr_assert_str_eq(s(bl, "history.0.created_by"),
                   "RUN /bin/sh -c apk add --no-cache curl # buildkit");
  cr_assert_not(b(bl, "history.0.empty_layer"));
  cr_assert(b(bl, "history.1.empty_layer"));
  must_be_null(bl, "history.1.comment");
}

/* ---- Go's way of reading keys ------------------------------------------------ */

Test(inspect, create_body_keys_match_as_the_engine_matches_them) {
  bool req;
  pm_value *d = fixture("create_body.json", &req);
  cr_assert(req);
  cr_assert_str_eq(s(d, "kind"), "request");
  cr_assert_eq(len(d, "errors"), 0);
  pm_value *c = get(d, "containers.0");
  cr_assert_str_eq(s(c, "origin"), "request");
  cr_assert_str_eq(s(c, "name"), "alpine"); /* no ?name=: named by its image */
  cr_assert_str_eq(s(c, "image.repository"), "library/alpine");
  must_be_null(c, "effective_user"); /* the image is not known */
  /* "PRIVILEGED": true comes after "Privileged": false and wins */
  cr_assert(b(c, "privileged"));
  at(c, "privileged", "\"PRIVILEGED\"", 0);
  cr_assert(diag(d, "warnings", "\"PRIVILEGED\" sets HostConfig.Privileged") >= 0);
  /* "binds": null resets the list; "ReadonlyRootfs " is another key */
  cr_assert_eq(len(c, "mounts"), 0);
  cr_assert(b(c, "read_only"));
  /* U+017F LONG S folds to s */
  cr_assert(b(c, "security.no_new_privileges"));
  /* the two HostConfig objects merge */
  cr_assert_eq(i(c, "resources.memory"), 268435456);
  /* a null pointer field resets; a null struct is left alone */
  must_be_null(c, "resources.pids_limit");
  must_be_null(c, "restart");
  cr_assert_eq(i(c, "ports.0.container_port"), 80);
  cr_assert_str_eq(s(c, "ports.0.protocol"), "tcp");
  cr_assert_eq(len(c, "expose"), 0);
  cr_assert_str_eq(s(c, "networks.0"), "frontend");
  cr_assert_eq(len(d, "requests"), 0);
}

Test(inspect, wrong_types_are_errors_at_their_keys) {
  const char *t = "[{\"Id\": \"x\", \"State\": {},\n"
                  "  \"Config\": {\"Image\": 7, \"Env\": [\"A=1\", 2]},\n"
                  "  \"HostConfig\": {\"Privileged\": \"yes\", \"Memory\": 1.5,\n"
                  "    \"CapAdd\": \"NET_ADMIN\", \"Binds\": [\"a:b:c:d\", \"/x:/y:rw,ro\"]}}, 3, {\"x\": 1}]";
  free(text);
  text = strdup(t);
  pm_value *d = build_str(t);
  struct { const char *msg, *needle; } want[] = {
      {"Config.Image must be a string, not an integer", "\"Image\""},
      {"Config.Env[1] must be a string", "2]"},
      {"HostConfig.Privileged must be a boolean, not a string", "\"Privileged\""},
      {"HostConfig.Memory must be an integer, not a number", "\"Memory\""},
      {"HostConfig.CapAdd must be an array", "\"CapAdd\""},
      {"invalid volume specification \"a:b:c:d\"", "\"a:b:c:d\""},
      {"invalid mode", "\"/x:/y:rw,ro\""},
      {"expected a JSON object", "3, {"},
      {"not docker inspect output", "{\"x\""},
  };
  for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
    uint32_t line, col;
    where(want[k].needle, 0, &line, &col);
    has_error(d, want[k].msg, line, col);
  }
  pm_value *c = get(d, "containers.0");
  must_be_null(c, "privileged"); /* never a guess */
  must_be_null(c, "image");
  cr_assert_eq(len(c, "cap_add"), 0);
  cr_assert_eq(len(c, "env"), 1);
  cr_assert_eq(len(c, "mounts"), 0);
}

Test(inspect, malformed_json_is_one_positioned_error) {
  const char *t = "[{\"Id\": \"x\", \"State\": {},\n  \"Config\": {\"Image\": \"ng";
  pm_value *d = build_str(t);
  cr_assert_eq(len(d, "errors"), 1);
  has_error(d, "premature end of input", 2, 23);
  cr_assert_eq(len(d, "containers"), 0);
  must_be_null(d, "raw");
  d = build_str("{\"HostConfig\": {\"Memory\": 123456789012345678901234}}");
  has_error(d, "too big integer", 1, 27);
  d = build_str("{\"a_rather_long_key_name_here\": 1,\n \"a_rather_long_key_name_here\": 2}");
  has_error(d, "duplicate object key", 2, 2);
  d = build_str("\"just a string\"");
  has_error(d, "expected a JSON object", 1, 1);
  d = build_str("[]");
  cr_assert_eq(len(d, "errors"), 0);
  cr_assert_str_eq(s(d, "kind"), "inspect");
}

/* ---- AuthZ requests ------------------------------------------------------------ */

Test(inspect, authz_create_decodes_the_base64_body) {
  bool req;
  pm_value *d = fixture("authz_create.json", &req);
  cr_assert(req);
  cr_assert_str_eq(s(d, "kind"), "request");
  pm_value *r = get(d, "requests.0");
  cr_assert_str_eq(s(r, "phase"), "request");
  cr_assert_str_eq(s(r, "method"), "POST");
  cr_assert_str_eq(s(r, "path"), "/containers/create");
  cr_assert_str_eq(s(r, "api_version"), "1.45");
  cr_assert_str_eq(s(r, "route"), "/containers/create");
  cr_assert_str_eq(s(r, "query.name"), "probe");
  cr_assert_str_eq(s(r, "query.platform"), "linux/amd64");
  cr_assert(b(r, "state_changing"));
  cr_assert(b(r, "needs_body"));
  cr_assert(b(r, "body_present"));
  cr_assert_not(b(r, "body_missing"));
  cr_assert_str_eq(s(r, "content_type"), "application/json");
  cr_assert_str_eq(s(r, "user"), "alice");
  cr_assert_str_eq(s(r, "auth_method"), "TLS");
  cr_assert_str_eq(s(r, "headers.User-Agent"), "Docker-Client/26.1.0 (linux)");
  cr_assert_str_eq(s(r, "body.Image"), "busybox:1.36");
  cr_assert_eq(i(r, "container"), 0);
  must_be_null(r, "exec");
  pm_value *c = get(d, "containers.0");
  cr_assert_str_eq(s(c, "name"), "probe");
  cr_assert_str_eq(s(c, "origin"), "request");
  cr_assert_str_eq(s(c, "user"), "0");
  cr_assert_str_eq(s(c, "effective_user"), "0");
  cr_assert(b(c, "privileged"));
  cr_assert_str_eq(s(c, "cap_add.0"), "SYS_ADMIN");
  cr_assert_str_eq(s(c, "namespaces.network"), "host");
  cr_assert(b(c, "mounts.0.docker_socket"));
  cr_assert(b(c, "mounts.0.read_only"));
  must_be_null(c, "resources.memory");
  /* body values are placed in the decoded body */
  pm_value *p = get(c, "privileged");
  cr_assert_str_eq(p->pos.file, "authz_create.json#RequestBody");
  cr_assert_eq(p->pos.line, 1);
  /* ... and errors about them at the RequestBody key, with the place */
  uint32_t line, col;
  where("\"RequestBody\"", 0, &line, &col);
  has_error(d, "RequestBody (decoded) 1:", line, col);
  has_error(d, "HostConfig.Memory must be an integer, not a string", line, col);
}

Test(inspect, authz_exec_update_list_and_response) {
  pm_value *d = fixture("authz_exec.json", NULL);
  cr_assert_eq(len(d, "errors"), 0);
  pm_value *r = get(d, "requests.0");
  cr_assert_str_eq(s(r, "route"), "/containers/{id}/exec");
  must_be_null(r, "api_version");
  cr_assert_str_eq(s(r, "content_type"), "application/json; charset=utf-8");
  cr_assert_str_eq(s(r, "exec.user"), "root");
  cr_assert(b(r, "exec.privileged"));
  cr_assert_str_eq(s(r, "exec.cmd.2"), "id");
  cr_assert_str_eq(s(r, "exec.env.X"), "1");
  cr_assert_eq(len(d, "containers"), 0);

  d = fixture("authz_list.json", NULL);
  cr_assert_eq(len(d, "errors"), 0);
  cr_assert_str_eq(s(d, "kind"), "request");
  cr_assert_eq(len(d, "requests"), 3);
  cr_assert_not(b(d, "requests.0.state_changing"));
  cr_assert_not(b(d, "requests.0.needs_body"));
  cr_assert_str_eq(s(d, "requests.0.query.all"), "1");
  cr_assert_str_eq(s(d, "requests.1.route"), "/containers/{id}/update");
  cr_assert_str_eq(s(d, "requests.1.update.restart.policy"), "always");
  must_be_null(d, "requests.1.update.resources.pids_limit");
  cr_assert_str_eq(s(d, "requests.2.phase"), "response");
  cr_assert_eq(i(d, "requests.2.response_status"), 204);
  cr_assert_not(b(d, "requests.2.needs_body"));
}

Test(inspect, authz_without_body_never_passes_silently) {
  pm_value *d = fixture("authz_nobody.json", NULL);
  pm_value *r = get(d, "requests.0");
  cr_assert_str_eq(s(r, "path"), "/containers/create"); /* %63 decoded */
  cr_assert_str_eq(s(r, "api_version"), "1.24");
  cr_assert(b(r, "needs_body"));
  cr_assert_not(b(r, "body_present"));
  cr_assert(b(r, "body_missing"));
  must_be_null(r, "body");
  cr_assert_eq(len(d, "containers"), 0);
  uint32_t line, col;
  where("\"RequestMethod\"", 0, &line, &col); /* RequestBody is null */
  has_error(d, "arrived without a body", line, col);

  /* through the public API: the error reaches the report */
  policy_engine *e;
  policy_document *doc;
  policy_report *rep;
  cr_assert_eq(policy_engine_new(&e), POLICY_OK);
  cr_assert_eq(policy_parse_buffer(&doc, e, "authz.json", text, text_len, 0), POLICY_OK);
  cr_assert_eq(policy_document_kind(doc), POLICY_KIND_REQUEST);
  cr_assert_eq(policy_report_new(&rep), POLICY_OK);
  cr_assert_eq(policy_check(rep, e, doc), POLICY_OK);
  cr_assert_eq(policy_report_count(rep, POLICY_LIST_ERRORS), 1);
  cr_assert(strstr(policy_report_get_string(rep, POLICY_LIST_ERRORS, 0, POLICY_FIELD_MESSAGE),
                   "must be denied"));
  policy_report_free(rep);
  policy_document_free(doc);
  policy_engine_free(e);
}

Test(inspect, authz_bad_bodies) {
  pm_value *d = fixture("authz_bad.json", NULL);
  cr_assert(diag(d, "errors", "RequestBody (decoded) 2:17: HostConfig.Privileged must be a boolean") >= 0);
  cr_assert(diag(d, "errors", "RequestBody (decoded) 1:31:") >= 0);
  cr_assert(diag(d, "errors", "not valid base64") >= 0);
  cr_assert_eq(len(d, "containers"), 1); /* the first body is JSON */
  must_be_null(d, "containers.0.privileged");
  cr_assert(b(d, "requests.2.body_present"));
}

Test(inspect, routes_as_the_engine_routes_them) {
  insp_ctx c;
  memset(&c, 0, sizeof c);
  c.pm.a = &arena;
  static const struct { const char *method, *uri, *path, *version, *route; bool body; } cases[] = {
      {"POST", "/v1.41/containers/create?name=x", "/containers/create", "1.41", "/containers/create", true},
      {"post", "//containers/./x/../create", "/containers/create", "", "/containers/create", true},
      {"POST", "/containers%2Fcreate", "/containers/create", "", "/containers/create", true},
      {"GET", "/containers/create", "/containers/create", "", "/containers/create", false},
      {"POST", "/v1.45/containers/abc/exec", "/containers/abc/exec", "1.45", "/containers/{id}/exec", true},
      {"DELETE", "/containers/abc", "/containers/abc", "", "/containers/{id}", false},
      {"GET", "/images/library/nginx:1.25/json", "/images/library/nginx:1.25/json", "", "/images/{name}/json", false},
      {"POST", "/plugins/vieux/sshfs:latest/set", "/plugins/vieux/sshfs:latest/set", "", "/plugins/{name}/set", true},
      {"POST", "/plugins/pull?remote=x", "/plugins/pull", "", "/plugins/pull", true},
      {"GET", "/v1.41", "/", "1.41", NULL, false},
      {"GET", "/v1.41/_ping", "/_ping", "1.41", "/_ping", false},
      {"POST", "/vx/containers/create", "/vx/containers/create", "", NULL, false},
      {"POST", "/containers/%00create", "/containers/%00create", "", "/containers/{id}", false},
      {"POST", "/services/abc/update", "/services/abc/update", "", "/services/{id}/update", true},
  };
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    char version[16];
    char *p = insp_route_path(&c, cases[k].uri, strlen(cases[k].uri), version);
    cr_assert_str_eq(p, cases[k].path, "%s", cases[k].uri);
    cr_assert_str_eq(version, cases[k].version, "%s", cases[k].uri);
    insp_route r = insp_route_match(cases[k].method, p);
    if (cases[k].route) cr_assert_str_eq(r.route, cases[k].route, "%s", cases[k].uri);
    else cr_assert_null(r.route, "%s", cases[k].uri);
    cr_assert_eq(r.needs_body, cases[k].body, "%s", cases[k].uri);
  }
}

/* ---- the public API ------------------------------------------------------------ */

Test(inspect, api_detects_and_reports_the_kind) {
  policy_engine *e;
  policy_document *doc;
  cr_assert_eq(policy_engine_new(&e), POLICY_OK);
  free(text);
  text = read_path(fixture_path("container_hardened.json"), &text_len);
  cr_assert_eq(policy_parse_buffer(&doc, e, "x.json", text, text_len, 0), POLICY_OK);
  cr_assert_eq(policy_document_kind(doc), POLICY_KIND_INSPECT);
  policy_document_free(doc);
  /* the content decides between inspect and request */
  cr_assert_eq(policy_parse_buffer(&doc, e, "x.json", text, text_len, POLICY_KIND_REQUEST), POLICY_OK);
  cr_assert_eq(policy_document_kind(doc), POLICY_KIND_INSPECT);
  policy_document_free(doc);
  const char *body = "{\"Image\": \"alpine\", \"HostConfig\": {\"Privileged\": true}}";
  cr_assert_eq(policy_parse_buffer(&doc, e, "-", body, strlen(body), 0), POLICY_OK);
  cr_assert_eq(policy_document_kind(doc), POLICY_KIND_REQUEST);
  char *js;
  cr_assert_eq(policy_document_to_json(&js, NULL, doc, POLICY_JSON_NO_POSITIONS), POLICY_OK);
  cr_assert(strstr(js, "\"kind\":\"request\""), "%s", js);
  cr_assert(strstr(js, "\"privileged\":true"), "%s", js);
  policy_free(js);
  policy_document_free(doc);
  const char *authz = "{\"RequestMethod\": \"GET\", \"RequestUri\": \"/info\"}";
  cr_assert_eq(policy_parse_buffer(&doc, e, "-", authz, strlen(authz), 0), POLICY_OK);
  cr_assert_eq(policy_document_kind(doc), POLICY_KIND_REQUEST);
  cr_assert_eq(policy_document_error_count(doc), 0);
  policy_document_free(doc);
  /* the value count is bounded by the model limit, before allocating */
  cr_assert_eq(policy_engine_set_limit(e, POLICY_LIMIT_MODEL_BYTES, 1 << 20), POLICY_OK);
  pol_buf big = POL_BUF_INIT;
  pol_buf_puts(&big, "[0");
  for (int k = 0; k < 20000; k++) pol_buf_puts(&big, ",0");
  pol_buf_puts(&big, "]");
  cr_assert_eq(policy_parse_buffer(&doc, e, "-", big.data, big.len, POLICY_KIND_INSPECT),
               POLICY_ERR_LIMIT);
  cr_assert(strstr(policy_engine_errmsg(e), "POLICY_LIMIT_MODEL_BYTES"));
  pol_buf_free(&big);
  policy_engine_free(e);
}

Test(inspect, every_allocation_failure_is_out_of_memory, .timeout = 120) {
  policy_engine *e;
  cr_assert_eq(policy_engine_new(&e), POLICY_OK);
  static const char *const files[] = {"container_hardened.json", "authz_create.json",
                                      "mixed.json", "create_body.json"};
  for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
    free(text);
    text = read_path(fixture_path(files[f]), &text_len);
    for (unsigned long k = 1;; k++) {
      policy_document *doc = NULL;
      pol_alloc_inject_failure(k, 1);
      int rc = policy_parse_buffer(&doc, e, files[f], text, text_len, 0);
      pol_alloc_inject_failure(0, 0);
      cr_assert(rc == POLICY_OK || rc == POLICY_ERR_NOMEM, "%s: failure %lu gave %d", files[f], k, rc);
      policy_document_free(doc);
      if (rc == POLICY_OK) break;
      cr_assert_null(doc);
    }
  }
  policy_engine_free(e);
}

/* ---- hostile input ---------------------------------------------------------------- */

Test(inspect, big_inputs_take_linear_time, .timeout = 20) {
  pol_buf t = POL_BUF_INIT;
  pol_buf_puts(&t, "{\"Id\": \"x\", \"State\": {}, \"Config\": {\"Env\": [");
  for (int k = 0; k < 200000; k++) pol_buf_printf(&t, "%s\"V%d=%d\"", k ? "," : "", k, k);
  pol_buf_puts(&t, "], \"Labels\": {");
  for (int k = 0; k < 200000; k++) pol_buf_printf(&t, "%s\"l%d\": \"x\"", k ? "," : "", k);
  pol_buf_puts(&t, "}, \"ExposedPorts\": {");
  for (int k = 1; k < 60000; k++) pol_buf_printf(&t, "%s\"%d/tcp\": {}", k > 1 ? "," : "", k);
  pol_buf_puts(&t, "}}, \"HostConfig\": {\"PortBindings\": {");
  for (int k = 1; k < 60000; k++) pol_buf_printf(&t, "%s\"%d/tcp\": []", k > 1 ? "," : "", k);
  pol_buf_puts(&t, "}}");
  /* a thousand keys, each a different spelling of HostConfig */
  for (int k = 1; k < 1000; k++) {
    if (k == 17) continue; /* "HostConfig" itself */
    char key[11];
    for (int j = 0; j < 10; j++) {
      char ch = "hostconfig"[j];
      key[j] = (k >> j) & 1 ? (char)(ch - 'a' + 'A') : ch;
    }
    key[10] = '\0';
    pol_buf_printf(&t, ", \"%s\": {\"Privileged\": %s}", key, k == 999 ? "true" : "false");
  }
  pol_buf_puts(&t, "}");
  pm_value *d = NULL;
  bool req;
  cr_assert_eq(insp_build(&arena, "big.json", t.data, t.len, 10000000, &d, &req), INSP_OK);
  pol_buf_free(&t);
  cr_assert_eq(len(d, "containers.0.env"), 200000);
  cr_assert_eq(len(d, "containers.0.ports"), 59999);
  cr_assert_eq(len(d, "containers.0.expose"), 0);
  cr_assert(b(d, "containers.0.privileged")); /* the last spelling wins */
}

/* ---- the shared samples ------------------------------------------------------------- */

/* The example of an Engine API YAML fragment: the value under its first
** key ("example", or "examples" then "application/json"). */
static pm_value *yaml_example(pm_value *v) {
  pm_value *x = pm_get(v, "example");
  if (x) return x;
  x = pm_get(v, "examples");
  return x ? pm_get(x, "application/json") : NULL;
}

Test(inspect, shared_samples_parse, .timeout = 60) {
  const char *shared = getenv("POLICY_SHARED_DIR");
  char dirpath[512];
  snprintf(dirpath, sizeof dirpath, "%s/samples/inspect", shared ? shared : "");
  DIR *dir = shared ? opendir(dirpath) : NULL;
  if (dir == NULL) cr_skip_test("no samples/inspect under POLICY_SHARED_DIR");
  size_t seen = 0;
  struct dirent *de;
  while ((de = readdir(dir)) != NULL) {
    const char *name = de->d_name;
    size_t nl = strlen(name);
    bool is_json = nl > 5 && !strcmp(name + nl - 5, ".json");
    bool is_yaml = nl > 5 && !strcmp(name + nl - 5, ".yaml");
    if (!is_json && !is_yaml) continue;
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dirpath, name);
    size_t tn;
    char *t = read_path(path, &tn);
    pm_value *d = NULL;
    bool req = false;
    if (is_json) {
      cr_assert_eq(insp_build(&arena, name, t, tn, 1000000, &d, &req), INSP_OK, "%s", name);
    } else {
      /* Engine API specification examples are YAML: the YAML loader gives
      ** the same kind of tree (PM_MAP objects, positioned values) as the
      ** JSON reader, so the builder models them unchanged. */
      pm_value *y = NULL;
      pol_buf err = POL_BUF_INIT;
      pm_load_limits lim = {256, 1000000};
      cr_assert_eq(pm_load_yaml(&arena, t, tn, &lim, &y, &err), PM_LOAD_OK, "%s: %s", name, err.data);
      pol_buf_free(&err);
      pm_value *ex = yaml_example(y);
      cr_assert_not_null(ex, "%s: no example", name);
      cr_assert_eq(insp_build_tree(&arena, name, ex, 1000000, &d, &req), INSP_OK, "%s", name);
    }
    free(t);
    cr_assert_eq(len(d, "errors"), 0, "%s: %s", name,
                 len(d, "errors") ? s(d, "errors.0.message") : "");
    cr_assert_eq(len(d, "images") + len(d, "containers"), 1, "%s", name);
    if (strstr(name, "create-body")) {
      cr_assert(req);
      pm_value *c = get(d, "containers.0");
      cr_assert_str_eq(s(c, "origin"), "request");
      cr_assert_str_eq(s(c, "cap_add.0"), "NET_ADMIN");
      cr_assert_str_eq(s(c, "cap_drop.0"), "MKNOD");
      cr_assert_eq(i(c, "ports.0.host_port"), 11022);
      cr_assert_eq(i(c, "ports.0.container_port"), 22);
      must_be_null(c, "ports.0.host_ip");
      cr_assert_float_eq(num(c, "resources.cpus"), 0.0005, 1e-12);
      cr_assert_str_eq(s(c, "mounts.0.source"), "/tmp");
      cr_assert(b(c, "mounts.0.sensitive") == false);
    } else if (strstr(name, "container-inspect")) {
      pm_value *c = get(d, "containers.0");
      cr_assert_str_eq(s(c, "restart.policy"), "on-failure");
      cr_assert_eq(i(c, "restart.max_retries"), 2);
      cr_assert_str_eq(s(c, "image.repository"), "library/ubuntu");
      cr_assert(b(c, "mounts.0.read_only"));
      cr_assert_str_eq(s(c, "healthcheck.test.0"), "CMD-SHELL");
    } else if (strstr(name, "container_running")) {
      pm_value *c = get(d, "containers.0");
      cr_assert(b(c, "mounts.1.docker_socket"));
      cr_assert_str_eq(s(c, "mounts.0.source"), "portainer_data");
      cr_assert_str_eq(s(c, "restart.policy"), "always");
    } else if (strstr(name, "net_supplier")) {
      cr_assert_str_eq(s(d, "containers.0.cap_add.0"), "NET_ADMIN");
      cr_assert_float_eq(num(d, "containers.0.healthcheck.interval"), 5.0, 1e-9);
    } else if (strstr(name, "net_consumer")) {
      cr_assert(strncmp(s(d, "containers.0.namespaces.network"), "container:", 10) == 0);
      cr_assert_eq(len(d, "containers.0.networks"), 0);
    } else if (strstr(name, "dockle")) {
      cr_assert(len(d, "images.0.history") > 0);
    } else if (strstr(name, "image_")) {
      cr_assert_str_eq(s(d, "images.0.origin"), "inspect");
    }
    seen++;
  }
  closedir(dir);
  cr_assert_geq(seen, 8);
}
