/*
** test_admission.c: admission (issue 14): docker run command lines into
** the container model (runline/), what requests grant, and decisions
** (policy_decide) over a matrix of create bodies and run lines, with rule
** actions, the deny-on severity, modes, the configuration's admission:
** key, and failing closed. Allocation failure is swept over parsing a run
** line and deciding.
*/
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/internal.h"
#include "core/alloc.h"
#include "policy/policy.h"

/* ---- helpers ------------------------------------------------------------------ */

static policy_engine *engine(bool builtin) {
  policy_engine *e;
  cr_assert_eq(policy_engine_new(&e), POLICY_OK);
  policy_engine_set_isolation(e, POLICY_ISOLATE_NONE);
  if (builtin) cr_assert_eq(policy_engine_load_builtin(e), POLICY_OK);
  return e;
}

/* Parses a NULL-terminated list of arguments. */
static policy_document *line(policy_engine *e, ...) {
  const char *argv[64];
  size_t n = 0;
  va_list ap;
  va_start(ap, e);
  for (const char *a; (a = va_arg(ap, const char *)) != NULL;) argv[n++] = a;
  va_end(ap);
  policy_document *doc;
  cr_assert_eq(policy_parse_argv(&doc, e, NULL, n, argv), POLICY_OK, "%s", policy_engine_errmsg(e));
  cr_assert_eq(policy_document_kind(doc), POLICY_KIND_RUN);
  return doc;
}

#define RUN(e, ...) line(e, "docker", "run", __VA_ARGS__, (const char *)NULL)

static const pm_value *container(const policy_document *doc) {
  const pm_value *list = pm_get(doc->root, "containers");
  cr_assert_not_null(list);
  cr_assert_eq(list->u.arr.len, 1);
  return list->u.arr.items[0];
}

/* A field by a dotted path ("resources.memory", "mounts.0.source"). */
static const pm_value *at(const pm_value *v, const char *path) {
  char buf[128];
  snprintf(buf, sizeof buf, "%s", path);
  for (char *part = strtok(buf, "."); part && v; part = strtok(NULL, ".")) {
    if (v->type == PM_ARR) {
      size_t i = (size_t)atoi(part);
      v = i < v->u.arr.len ? v->u.arr.items[i] : NULL;
    } else {
      v = pm_get(v, part);
    }
  }
  return v;
}

static void is_str(const pm_value *c, const char *path, const char *want) {
  const pm_value *v = at(c, path);
  cr_assert(v && v->type == PM_STR, "%s is not a string", path);
  cr_assert_str_eq(v->u.str.s, want, "%s", path);
}

static void is_int(const pm_value *c, const char *path, int64_t want) {
  const pm_value *v = at(c, path);
  cr_assert(v && v->type == PM_INT, "%s is not an integer", path);
  cr_assert_eq(v->u.i, want, "%s: %lld", path, (long long)v->u.i);
}

static void is_num(const pm_value *c, const char *path, double want) {
  const pm_value *v = at(c, path);
  cr_assert(v && v->type == PM_NUM, "%s is not a number", path);
  cr_assert_float_eq(v->u.n, want, 1e-9, "%s", path);
}

static void is_bool(const pm_value *c, const char *path, bool want) {
  const pm_value *v = at(c, path);
  cr_assert(v && v->type == PM_BOOL && v->u.b == want, "%s is not %d", path, want);
}

static void is_null(const pm_value *c, const char *path) {
  const pm_value *v = at(c, path);
  cr_assert(v && v->type == PM_NULL, "%s is not null", path);
}

static void len_is(const pm_value *c, const char *path, size_t want) {
  const pm_value *v = at(c, path);
  cr_assert(v && (v->type == PM_ARR || v->type == PM_MAP), "%s is not a list", path);
  size_t n = v->type == PM_ARR ? v->u.arr.len : v->u.obj.len;
  cr_assert_eq(n, want, "%s has %zu entries", path, n);
}

static void col_is(const pm_value *c, const char *path, uint32_t col) {
  const pm_value *v = at(c, path);
  cr_assert_not_null(v, "%s", path);
  cr_assert_eq(v->pos.line, 1, "%s: line %u", path, v->pos.line);
  cr_assert_eq(v->pos.col, col, "%s: column %u, not %u", path, v->pos.col, col);
}

/* The document's errors joined, for assertions. */
static const char *errors_of(const policy_document *doc) {
  static char buf[2048];
  buf[0] = '\0';
  for (size_t i = 0; i < policy_document_error_count(doc); i++) {
    const char *m;
    uint32_t l, c;
    policy_document_error(&m, &l, &c, doc, i);
    size_t n = strlen(buf);
    snprintf(buf + n, sizeof buf - n, "%u:%u %s\n", l, c, m);
  }
  return buf;
}

static void has_error(const policy_document *doc, uint32_t col, const char *text) {
  for (size_t i = 0; i < policy_document_error_count(doc); i++) {
    const char *m;
    uint32_t l, c;
    policy_document_error(&m, &l, &c, doc, i);
    if (c == col && strstr(m, text)) return;
  }
  cr_assert_fail("no error at column %u with \"%s\"; errors:\n%s", col, text, errors_of(doc));
}

/* ---- run lines: the model ------------------------------------------------------- */

TestSuite(runline);

Test(runline, privileges_and_namespaces) {
  policy_engine *e = engine(false);
  policy_document *doc = RUN(e, "--privileged", "-u", "root", "--cap-add", "sys_admin", "--cap-add",
                             "CAP_SYS_ADMIN", "--cap-drop=ALL", "--read-only", "--network", "host",
                             "--pid=host", "--ipc", "host", "--uts", "host", "--userns", "host",
                             "--cgroupns", "host", "--group-add", "docker", "--init", "alpine:3.20");
  cr_assert_eq(policy_document_error_count(doc), 0, "%s", errors_of(doc));
  const pm_value *c = container(doc);
  is_str(c, "origin", "run");
  is_bool(c, "privileged", true);
  col_is(c, "privileged", 2);
  is_str(c, "user", "root");
  is_str(c, "effective_user", "root");
  col_is(c, "user", 4);
  len_is(c, "cap_add", 1); /* the CLI sends each capability once */
  is_str(c, "cap_add.0", "SYS_ADMIN");
  is_str(c, "cap_drop.0", "ALL");
  is_bool(c, "read_only", true);
  is_str(c, "namespaces.network", "host");
  len_is(c, "networks", 0);
  is_str(c, "namespaces.pid", "host");
  col_is(c, "namespaces.pid", 13);
  is_str(c, "namespaces.ipc", "host");
  is_str(c, "namespaces.uts", "host");
  is_str(c, "namespaces.userns", "host");
  is_str(c, "namespaces.cgroupns", "host");
  is_str(c, "group_add.0", "docker");
  is_bool(c, "init", true);
  is_str(c, "image.repository", "library/alpine");
  is_str(c, "image.tag", "3.20");
  cr_assert_eq(c->pos.col, 25); /* the image's argument */
  policy_document_free(doc);
  policy_engine_free(e);
}

Test(runline, defaults_the_cli_sends) {
  policy_engine *e = engine(false);
  policy_document *doc = RUN(e, "alpine");
  const pm_value *c = container(doc);
  is_bool(c, "privileged", false);
  is_bool(c, "read_only", false);
  is_null(c, "init");
  is_null(c, "user");
  is_null(c, "effective_user"); /* the image's user is not on the line */
  is_str(c, "name", "alpine"); /* no --name: named by its image */
  is_str(c, "namespaces.network", "default");
  is_str(c, "networks.0", "bridge");
  is_str(c, "restart.policy", "no");
  is_null(c, "healthcheck");
  is_null(c, "resources.memory");
  cr_assert_eq(policy_document_error_count(doc), 0);
  policy_document_free(doc);
  policy_engine_free(e);
}

Test(runline, security_options) {
  policy_engine *e = engine(false);
  policy_document *doc = RUN(e, "--security-opt", "no-new-privileges", "--security-opt",
                             "seccomp=unconfined", "--security-opt", "apparmor:unconfined",
                             "--security-opt", "label=disable", "busybox");
  const pm_value *c = container(doc);
  cr_assert_eq(policy_document_error_count(doc), 0, "%s", errors_of(doc));
  is_bool(c, "security.no_new_privileges", true);
  is_str(c, "security.seccomp", "unconfined");
  col_is(c, "security.seccomp", 5);
  is_str(c, "security.apparmor", "unconfined");
  is_str(c, "security.selinux.0", "disable");
  len_is(c, "security.raw", 4);
  policy_document_free(doc);
  doc = RUN(e, "--security-opt", "no-new-privileges=false", "--security-opt", "bogus=1",
            "--security-opt", "seccomp", "busybox");
  c = container(doc);
  is_bool(c, "security.no_new_privileges", false);
  has_error(doc, 5, "invalid --security-opt");
  has_error(doc, 7, "Invalid --security-opt");
  policy_document_free(doc);
  policy_engine_free(e);
}

Test(runline, ports) {
  policy_engine *e = engine(false);
  policy_document *doc = RUN(e, "-p", "80:80", "-p8443:443/tcp", "--publish=127.0.0.1:5432:5432",
                             "-p", "[::1]:9000:9000/udp", "-p", "127.0.0.1::53/udp", "-p", "7000",
                             "-p", "8000-8001:9000-9001", "--expose", "3000", "nginx");
  cr_assert_eq(policy_document_error_count(doc), 0, "%s", errors_of(doc));
  const pm_value *c = container(doc);
  len_is(c, "ports", 7);
  is_null(c, "ports.0.host_ip");
  is_int(c, "ports.0.host_port", 80);
  is_int(c, "ports.0.container_port", 80);
  is_str(c, "ports.0.protocol", "tcp");
  is_str(c, "ports.0.raw", "80:80");
  col_is(c, "ports.0", 3);
  col_is(c, "ports.1", 4); /* -p8443:443/tcp: one argument */
  is_int(c, "ports.1.host_port", 8443);
  is_str(c, "ports.2.host_ip", "127.0.0.1");
  is_str(c, "ports.3.host_ip", "::1");
  is_str(c, "ports.3.protocol", "udp");
  is_null(c, "ports.4.host_port");
  is_int(c, "ports.4.container_port", 53);
  is_null(c, "ports.5.host_port");
  is_int(c, "ports.6.host_port_end", 8001);
  is_int(c, "ports.6.container_port_end", 9001);
  len_is(c, "expose", 1);
  is_int(c, "expose.0.port", 3000);
  policy_document_free(doc);
  /* -P publishes the --expose ports on random host ports (and warns that
  ** the image's own are not known) */
  doc = RUN(e, "-P", "--expose", "8080", "nginx");
  c = container(doc);
  len_is(c, "ports", 1);
  len_is(c, "expose", 0);
  is_null(c, "ports.0.host_port");
  is_int(c, "ports.0.container_port", 8080);
  cr_assert_eq(policy_document_warning_count(doc), 1);
  policy_document_free(doc);
  doc = RUN(e, "-p", "1.2.3:80:80", "-p", "80:99999", "-p", "80/xyz", "-p", "8000-8002:80-81", "nginx");
  has_error(doc, 3, "invalid IP address");
  has_error(doc, 5, "invalid containerPort");
  has_error(doc, 7, "invalid proto");
  has_error(doc, 9, "invalid ranges");
  len_is(container(doc), "ports", 0);
  policy_document_free(doc);
  policy_engine_free(e);
}

Test(runline, volumes_mounts_tmpfs_devices) {
  policy_engine *e = engine(false);
  policy_document *doc =
      RUN(e, "-v", "/var/run/docker.sock:/var/run/docker.sock", "-v", "/:/host:ro,rshared", "-v",
          "data:/data", "-v", "/cache", "-v", "./src:/src:z", "--mount",
          "type=bind,source=/etc,target=/host-etc,readonly", "--mount",
          "type=volume,src=logs,dst=/logs", "--mount", "type=tmpfs,target=/scratch,tmpfs-size=1m",
          "--mount", "\"type=bind\",\"src=/srv,x\",target=/srv", "--tmpfs", "/run:rw,size=64m",
          "--device", "/dev/fuse", "--device", "/dev/sda:/dev/xvda:r", "--device", "/dev/kvm:rw",
          "alpine");
  cr_assert_eq(policy_document_error_count(doc), 0, "%s", errors_of(doc));
  const pm_value *c = container(doc);
  len_is(c, "mounts", 9);
  is_str(c, "mounts.0.type", "bind");
  is_bool(c, "mounts.0.docker_socket", true);
  col_is(c, "mounts.0", 3);
  is_bool(c, "mounts.1.read_only", true);
  is_str(c, "mounts.1.propagation", "rshared");
  is_bool(c, "mounts.1.sensitive", true);
  is_str(c, "mounts.2.type", "volume");
  is_str(c, "mounts.2.source", "data");
  is_bool(c, "mounts.2.sensitive", false);
  is_null(c, "mounts.3.source"); /* anonymous */
  is_str(c, "mounts.3.target", "/cache");
  is_str(c, "mounts.4.type", "bind"); /* relative: a bind, as the CLI makes it */
  is_str(c, "mounts.5.source", "/etc");
  is_bool(c, "mounts.5.read_only", true);
  is_bool(c, "mounts.5.sensitive", true);
  is_str(c, "mounts.6.source", "logs");
  is_str(c, "mounts.7.type", "tmpfs");
  is_str(c, "mounts.8.source", "/srv,x"); /* CSV quoting */
  is_str(c, "tmpfs.0", "/run:rw,size=64m");
  len_is(c, "devices", 3);
  is_str(c, "devices.0.container", "/dev/fuse");
  is_str(c, "devices.0.permissions", "rwm");
  is_str(c, "devices.1.container", "/dev/xvda");
  is_str(c, "devices.1.permissions", "r");
  is_str(c, "devices.2.container", "/dev/kvm");
  is_str(c, "devices.2.permissions", "rw");
  policy_document_free(doc);
  doc = RUN(e, "-v", "/foo:rw", "-v", "a:b", "-v", "/a:/b:bogus", "--mount", "type=bind,target=/x",
            "--mount", "type=bind,src=/a,target=/b,what=1", "--mount", "type=tmpfs,src=/a,target=/b",
            "--tmpfs", "run", "--device", "/dev/a:/b:xyz", "alpine");
  has_error(doc, 3, "invalid volume specification");
  has_error(doc, 5, "must be absolute");
  has_error(doc, 7, "invalid mode");
  has_error(doc, 9, "source is required");
  has_error(doc, 11, "unexpected key 'what'");
  has_error(doc, 13, "not supported for tmpfs");
  has_error(doc, 15, "absolute path");
  has_error(doc, 17, "invalid device specification");
  policy_document_free(doc);
  policy_engine_free(e);
}

Test(runline, resources_restart_env_health) {
  policy_engine *e = engine(false);
  policy_document *doc =
      RUN(e, "-m", "512m", "--memory-swap", "-1", "--memory-reservation=1.5g", "--cpus", "1.5",
          "-c", "512", "--pids-limit", "100", "--restart", "on-failure:5", "-e", "A=1", "-eB=two",
          "--env", "HOME_TOKEN", "--env-file", "prod.env", "--health-cmd", "curl -f localhost",
          "--health-interval", "1m30s", "--health-timeout=250ms", "--health-retries", "3",
          "--sysctl", "net.core.somaxconn=1024", "--ulimit", "nofile=1024:2048", "--ulimit",
          "nproc=512", "--name", "web", "--log-driver", "syslog", "--log-opt", "tag=web",
          "--cgroup-parent", "/batch", "--oom-kill-disable", "nginx");
  cr_assert_eq(policy_document_error_count(doc), 0, "%s", errors_of(doc));
  const pm_value *c = container(doc);
  is_int(c, "resources.memory", 512 << 20);
  col_is(c, "resources.memory", 3);
  is_int(c, "resources.memory_swap", -1);
  is_int(c, "resources.memory_reservation", 1610612736);
  is_num(c, "resources.cpus", 1.5);
  is_int(c, "resources.cpu_shares", 512);
  is_int(c, "resources.pids_limit", 100);
  is_str(c, "restart.policy", "on-failure");
  is_int(c, "restart.max_retries", 5);
  is_str(c, "env.A", "1");
  is_str(c, "env.B", "two");
  is_null(c, "env.HOME_TOKEN"); /* from the CLI's environment: unknown */
  is_str(c, "env_files.0", "prod.env");
  is_str(c, "healthcheck.test.0", "CMD-SHELL");
  is_str(c, "healthcheck.test.1", "curl -f localhost");
  is_num(c, "healthcheck.interval", 90);
  is_num(c, "healthcheck.timeout", 0.25);
  is_int(c, "healthcheck.retries", 3);
  const pm_value *sysctl = pm_get(pm_get(c, "sysctls"), "net.core.somaxconn");
  cr_assert(sysctl && sysctl->type == PM_STR && !strcmp(sysctl->u.str.s, "1024"));
  is_int(c, "ulimits.nofile.soft", 1024);
  is_int(c, "ulimits.nofile.hard", 2048);
  is_int(c, "ulimits.nproc.hard", 512);
  is_str(c, "name", "web");
  is_str(c, "logging.driver", "syslog");
  is_str(c, "logging.options.tag", "web");
  is_str(c, "cgroup_parent", "/batch");
  is_bool(c, "oom_kill_disable", true);
  policy_document_free(doc);
  doc = RUN(e, "--cpu-quota", "50000", "--cpu-period", "100000", "--pids-limit", "-1",
            "--no-healthcheck", "alpine");
  c = container(doc);
  is_num(c, "resources.cpus", 0.5);
  is_null(c, "resources.pids_limit");
  is_bool(c, "healthcheck.disabled", true);
  is_str(c, "healthcheck.test.0", "NONE");
  policy_document_free(doc);
  doc = RUN(e, "-m", "lots", "--cpus", "x", "--pids-limit", "1e3", "--restart", "always:3",
            "--restart", "sometimes", "-e", "=x", "--ulimit", "nofile=2:1", "--sysctl", "x",
            "--health-interval", "5 s", "--health-cmd", "true", "alpine");
  has_error(doc, 3, "invalid size");
  has_error(doc, 5, "rational number");
  has_error(doc, 7, "invalid syntax");
  has_error(doc, 9, "only be used with 'on-failure'");
  has_error(doc, 11, "invalid restart policy");
  has_error(doc, 13, "invalid environment variable");
  has_error(doc, 15, "invalid ulimit");
  has_error(doc, 17, "is not allowed");
  has_error(doc, 19, "invalid duration");
  policy_document_free(doc);
  doc = RUN(e, "--no-healthcheck", "--health-cmd", "true", "--cpus", "1", "--cpu-quota", "1000", "alpine");
  has_error(doc, 2, "conflicts");
  has_error(doc, 6, "conflicting options");
  policy_document_free(doc);
  policy_engine_free(e);
}

Test(runline, flag_syntax) {
  policy_engine *e = engine(false);
  /* grouped shorthands, values attached, = forms, booleans with values */
  policy_document *doc = RUN(e, "-itdp", "80:80", "-uapp", "-e=X=1", "--privileged=false",
                             "--read-only=true", "--init=0", "--rm", "alpine", "sh", "-c", "id");
  cr_assert_eq(policy_document_error_count(doc), 0, "%s", errors_of(doc));
  const pm_value *c = container(doc);
  is_int(c, "ports.0.host_port", 80);
  col_is(c, "ports.0", 3);
  is_str(c, "user", "app");
  is_str(c, "env.X", "1");
  is_bool(c, "privileged", false);
  is_bool(c, "read_only", true);
  is_bool(c, "init", false);
  is_str(c, "image.raw", "alpine");
  policy_document_free(doc);
  /* global options, `container create`, `--` before the image */
  doc = line(e, "/usr/bin/docker", "-H", "unix:///run/docker.sock", "--context", "prod", "--debug",
             "container", "create", "--name", "x", "--", "busybox", "--privileged", (const char *)NULL);
  cr_assert_eq(policy_document_error_count(doc), 0, "%s", errors_of(doc));
  c = container(doc);
  is_str(c, "name", "x");
  is_bool(c, "privileged", false); /* after the image: the command's argument */
  is_str(c, "image.raw", "busybox");
  policy_document_free(doc);
  policy_engine_free(e);
}

Test(runline, what_the_cli_refuses) {
  policy_engine *e = engine(false);
  policy_document *doc = RUN(e, "--bogus", "-Z", "--privileged=maybe", "alpine");
  has_error(doc, 2, "unknown flag: --bogus");
  has_error(doc, 3, "unknown shorthand flag: 'Z'");
  has_error(doc, 4, "ParseBool");
  policy_document_free(doc);
  doc = RUN(e, "--memory");
  has_error(doc, 2, "flag needs an argument: --memory");
  has_error(doc, 2, "requires at least 1 argument");
  policy_document_free(doc);
  doc = line(e, "docker", "create", "-d", "alpine", (const char *)NULL); /* run only */
  has_error(doc, 2, "unknown shorthand flag: 'd'");
  policy_document_free(doc);
  doc = line(e, "docker", "ps", "-a", (const char *)NULL);
  has_error(doc, 1, "not a docker run or docker create");
  cr_assert_eq(policy_document_count(doc, "containers"), 0);
  policy_document_free(doc);
  doc = line(e, "podman", "run", "alpine", (const char *)NULL);
  has_error(doc, 0, "must start with docker");
  policy_document_free(doc);
  doc = RUN(e, "UPPER/Case:bad tag");
  has_error(doc, 2, "invalid reference format");
  policy_document_free(doc);
  policy_document *none;
  cr_assert_eq(policy_parse_argv(&none, e, NULL, 0, NULL), POLICY_OK);
  has_error(none, 0, "must start with docker");
  policy_document_free(none);
  const char *bad[] = {"docker", NULL};
  cr_assert_eq(policy_parse_argv(&none, e, NULL, 2, bad), POLICY_ERR_INVALID);
  cr_assert_eq(policy_parse_argv(NULL, e, NULL, 1, bad), POLICY_ERR_INVALID);
  /* bytes are not a command line */
  cr_assert_eq(policy_parse_buffer(&none, e, "x", "docker run a", 12, POLICY_KIND_RUN),
               POLICY_ERR_UNSUPPORTED);
  cr_assert_eq(policy_engine_set_limit(e, POLICY_LIMIT_INPUT_BYTES, 10), POLICY_OK);
  const char *big[] = {"docker", "run", "alpine:3.20"};
  cr_assert_eq(policy_parse_argv(&none, e, NULL, 3, big), POLICY_ERR_LIMIT);
  cr_assert(strstr(policy_engine_errmsg(e), "POLICY_LIMIT_INPUT_BYTES"));
  policy_engine_free(e);
}

/* ---- requests: what they grant -------------------------------------------------- */

TestSuite(grants);

static policy_document *authz_doc(policy_engine *e, const char *json) {
  policy_document *doc;
  cr_assert_eq(policy_parse_buffer(&doc, e, "req.json", json, strlen(json), POLICY_KIND_REQUEST),
               POLICY_OK);
  return doc;
}

Test(grants, pull_plugin_update) {
  policy_engine *e = engine(false);
  /* {"PidsLimit":0,"memoryswap":-1,"CpuQuota":-1,"DeviceCgroupRules":["a *:* rwm"]} */
  policy_document *doc = authz_doc(e,
      "[{\"RequestMethod\":\"POST\",\"RequestUri\":\"/v1.45/images/create?fromImage=ghcr.io%2Fx%2Fy&tag=1.0\"},"
      "{\"RequestMethod\":\"POST\",\"RequestUri\":\"/plugins/pull?remote=vieux%2Fsshfs&name=s\","
      "\"RequestBody\":\"W3siTmFtZSI6Im5ldHdvcmsiLCJWYWx1ZSI6WyJob3N0Il19XQ==\"},"
      "{\"RequestMethod\":\"POST\",\"RequestUri\":\"/containers/c1/update\","
      "\"RequestBody\":\"eyJQaWRzTGltaXQiOjAsIm1lbW9yeXN3YXAiOi0xLCJDcHVRdW90YSI6LTEsIkRldmljZUNncm91cFJ1bGVzIjpbImEgKjoqIHJ3bSJdfQ==\"}]");
  cr_assert_eq(policy_document_error_count(doc), 0, "%s", errors_of(doc));
  cr_assert_eq(policy_document_count(doc, "requests"), 3);
  const pm_value *reqs = pm_get(doc->root, "requests");
  const pm_value *pull = reqs->u.arr.items[0], *plugin = reqs->u.arr.items[1],
                 *update = reqs->u.arr.items[2];
  is_str(pull, "pull.registry", "ghcr.io");
  is_str(pull, "pull.tag", "1.0");
  is_null(pull, "plugin");
  is_str(plugin, "plugin.name", "s");
  is_str(plugin, "plugin.remote.repository", "vieux/sshfs");
  is_str(plugin, "plugin.privileges.0.name", "network");
  is_str(plugin, "plugin.privileges.0.value.0", "host");
  len_is(update, "update.unlimited", 3);
  is_str(update, "update.unlimited.0", "pids_limit");
  is_str(update, "update.unlimited.1", "memory_swap");
  is_str(update, "update.unlimited.2", "cpus");
  is_str(update, "update.device_cgroup_rules.0", "a *:* rwm");
  is_int(update, "update.device_requests", 0);
  cr_assert_str_eq(policy_document_request_string(doc, 2, "method"), "POST");
  cr_assert_str_eq(policy_document_request_string(doc, 2, "route"), "/containers/{id}/update");
  cr_assert_null(policy_document_request_string(doc, 2, "update"));
  cr_assert_null(policy_document_request_string(doc, 3, "method"));
  cr_assert_null(policy_document_request_string(doc, 0, "user"));
  cr_assert_eq(policy_document_count(doc, "images"), 0);
  cr_assert_eq(policy_document_count(doc, "bogus"), 0);
  cr_assert_eq(policy_document_count(NULL, "requests"), 0);
  policy_document_free(doc);
  /* a plugin body that is not a list of privileges */
  doc = authz_doc(e, "{\"RequestMethod\":\"POST\",\"RequestUri\":\"/plugins/pull?remote=x\","
                     "\"RequestBody\":\"eyJhIjoxfQ==\"}");
  cr_assert_eq(policy_document_error_count(doc), 1, "%s", errors_of(doc));
  policy_document_free(doc);
  policy_engine_free(e);
}

/* ---- decisions ------------------------------------------------------------------- */

TestSuite(decide);

static policy_decision *decide(policy_engine *e, policy_document *doc) {
  policy_decision *d;
  cr_assert_eq(policy_decide(&d, e, doc), POLICY_OK, "%s", policy_engine_errmsg(e));
  policy_document_free(doc);
  return d;
}

static policy_document *body(policy_engine *e, const char *json) {
  policy_document *doc;
  cr_assert_eq(policy_parse_buffer(&doc, e, "body.json", json, strlen(json), POLICY_KIND_AUTO),
               POLICY_OK);
  return doc;
}

static bool listed(const policy_decision *d, int list, const char *rule) {
  for (size_t i = 0; i < policy_decision_count(d, list); i++) {
    const char *r = policy_decision_get_string(d, list, i, POLICY_FIELD_RULE);
    if (r && !strcmp(r, rule)) return true;
  }
  return false;
}

/* The matrix: each case as a create body and as a run line, with the
** rule that must deny it (NULL: allowed). */
static const struct {
  const char *what, *body, *argv[24], *denied_by;
  uint32_t column; /* of the run line's finding: the argument it is about */
} matrix[] = {
    {"privileged", "{\"Image\":\"alpine:3.20\",\"HostConfig\":{\"Privileged\":true}}",
     {"--privileged", "alpine:3.20"}, "container-privileged", 2},
    {"host network", "{\"Image\":\"alpine:3.20\",\"HostConfig\":{\"NetworkMode\":\"host\"}}",
     {"--network", "host", "alpine:3.20"}, "container-host-network", 3},
    {"docker.sock", "{\"Image\":\"alpine:3.20\",\"HostConfig\":{\"Binds\":[\"/var/run/docker.sock:/var/run/docker.sock\"]}}",
     {"-v", "/var/run/docker.sock:/var/run/docker.sock", "alpine:3.20"}, "docker-socket-mounted", 3},
    {"root user", "{\"Image\":\"alpine:3.20\",\"User\":\"root\"}", {"--user", "root", "alpine:3.20"},
     "image-runs-as-root", 3},
    {"hardened",
     "{\"Image\":\"registry.example.com/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\","
     "\"User\":\"1000:1000\",\"Healthcheck\":{\"Test\":[\"CMD\",\"/healthz\"]},"
     "\"HostConfig\":{\"ReadonlyRootfs\":true,\"CapDrop\":[\"ALL\"],\"SecurityOpt\":[\"no-new-privileges\"],"
     "\"Memory\":268435456,\"NanoCpus\":500000000,\"PidsLimit\":128,\"NetworkMode\":\"backend\","
     "\"PortBindings\":{\"8080/tcp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"8080\"}]}}}",
     {"--read-only", "--cap-drop", "ALL", "--security-opt", "no-new-privileges", "-u", "1000:1000",
      "-m", "256m", "--cpus", "0.5", "--pids-limit", "128", "--network", "backend", "-p",
      "127.0.0.1:8080:8080"},
     NULL, 0},
};

static void check_matrix_decision(policy_decision *d, size_t i, const char *source) {
  if (matrix[i].denied_by) {
    cr_assert_eq(policy_decision_allowed(d), 0, "%s (%s) is allowed", matrix[i].what, source);
    cr_assert(listed(d, POLICY_ACTION_ENFORCE, matrix[i].denied_by), "%s (%s) is not denied by %s: %s",
              matrix[i].what, source, matrix[i].denied_by, policy_decision_reason(d));
    cr_assert(strstr(policy_decision_reason(d), matrix[i].denied_by));
    cr_assert_null(strstr(policy_decision_reason(d), "input error"));
  } else {
    cr_assert_eq(policy_decision_allowed(d), 1, "%s (%s) is denied: %s", matrix[i].what, source,
                 policy_decision_reason(d));
    cr_assert_str_eq(policy_decision_reason(d), "");
  }
}

Test(decide, matrix_of_create_bodies_and_run_lines) {
  policy_engine *e = engine(true);
  for (size_t i = 0; i < sizeof matrix / sizeof matrix[0]; i++) {
    policy_decision *d = decide(e, body(e, matrix[i].body));
    check_matrix_decision(d, i, "create body");
    policy_decision_free(d);
    const char *argv[28] = {"docker", "run"};
    size_t n = 2;
    for (size_t k = 0; matrix[i].argv[k]; k++) argv[n++] = matrix[i].argv[k];
    if (matrix[i].denied_by == NULL)
      argv[n++] = "registry.example.com/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    policy_document *doc;
    cr_assert_eq(policy_parse_argv(&doc, e, NULL, n, argv), POLICY_OK);
    d = decide(e, doc);
    check_matrix_decision(d, i, "run line");
    /* a finding about the line points at its argument */
    if (matrix[i].denied_by) {
      size_t k = 0;
      while (strcmp(policy_decision_get_string(d, POLICY_ACTION_ENFORCE, k, POLICY_FIELD_RULE),
                    matrix[i].denied_by))
        k++;
      cr_assert_str_eq(policy_decision_get_string(d, POLICY_ACTION_ENFORCE, k, POLICY_FIELD_FILE),
                       "command-line");
      cr_assert_eq(policy_decision_get_number(d, POLICY_ACTION_ENFORCE, k, POLICY_FIELD_LINE), 1);
      cr_assert_eq(policy_decision_get_number(d, POLICY_ACTION_ENFORCE, k, POLICY_FIELD_COLUMN),
                   matrix[i].column);
    }
    policy_decision_free(d);
  }
  policy_engine_free(e);
}

Test(decide, actions_threshold_and_modes) {
  policy_engine *e = engine(true);
  const char *root = "{\"Image\":\"alpine:3.20\",\"User\":\"root\"}";
  cr_assert_eq(policy_engine_deny_on(e), POLICY_SEVERITY_HIGH);
  cr_assert_eq(policy_engine_admission_mode(e), POLICY_ACTION_ENFORCE);
  /* high is below critical: it only warns */
  cr_assert_eq(policy_engine_set_deny_on(e, POLICY_SEVERITY_CRITICAL), POLICY_OK);
  policy_decision *d = decide(e, body(e, root));
  cr_assert_eq(policy_decision_allowed(d), 1);
  cr_assert(listed(d, POLICY_ACTION_WARN, "image-runs-as-root"));
  policy_decision_free(d);
  /* a rule's own action wins over the threshold; by id or by ref */
  cr_assert_eq(policy_engine_set_rule_action(e, "DL3002", POLICY_ACTION_ENFORCE), POLICY_OK);
  d = decide(e, body(e, root));
  cr_assert_eq(policy_decision_allowed(d), 0);
  policy_decision_free(d);
  cr_assert_eq(policy_engine_set_rule_action(e, "image-runs-as-root", POLICY_ACTION_AUDIT), POLICY_OK);
  cr_assert_eq(policy_engine_set_rule_action(e, "container-image-latest", POLICY_ACTION_AUDIT), POLICY_OK);
  d = decide(e, body(e, root));
  cr_assert_eq(policy_decision_allowed(d), 1);
  cr_assert(listed(d, POLICY_ACTION_AUDIT, "image-runs-as-root"));
  cr_assert(!listed(d, POLICY_ACTION_WARN, "image-runs-as-root"));
  policy_decision_free(d);
  /* warn mode: nothing is denied for a finding */
  cr_assert_eq(policy_engine_set_deny_on(e, POLICY_SEVERITY_HIGH), POLICY_OK);
  cr_assert_eq(policy_engine_set_admission_mode(e, POLICY_ACTION_WARN), POLICY_OK);
  d = decide(e, body(e, "{\"Image\":\"alpine:3.20\",\"HostConfig\":{\"Privileged\":true}}"));
  cr_assert_eq(policy_decision_allowed(d), 1);
  cr_assert(listed(d, POLICY_ACTION_WARN, "container-privileged"));
  cr_assert_eq(policy_decision_count(d, POLICY_ACTION_ENFORCE), 0);
  policy_decision_free(d);
  /* ... but what cannot be judged still denies */
  d = decide(e, body(e, "{\"RequestMethod\":\"POST\",\"RequestUri\":\"/v1.44/containers/create\"}"));
  cr_assert_eq(policy_decision_allowed(d), 0);
  cr_assert_str_eq(policy_decision_get_string(d, POLICY_ACTION_ENFORCE, 0, POLICY_FIELD_KIND), "input");
  cr_assert(strstr(policy_decision_reason(d), "input error:"));
  cr_assert(strstr(policy_decision_reason(d), "without a body"));
  policy_decision_free(d);
  /* audit mode: every finding is only audited */
  cr_assert_eq(policy_engine_set_admission_mode(e, POLICY_ACTION_AUDIT), POLICY_OK);
  d = decide(e, body(e, "{\"Image\":\"alpine\",\"HostConfig\":{\"Privileged\":true}}"));
  cr_assert_eq(policy_decision_allowed(d), 1);
  cr_assert_eq(policy_decision_count(d, POLICY_ACTION_WARN), 0);
  cr_assert(listed(d, POLICY_ACTION_AUDIT, "container-privileged"));
  policy_decision_free(d);
  /* bad arguments */
  cr_assert_eq(policy_engine_set_deny_on(e, 9), POLICY_ERR_INVALID);
  cr_assert_eq(policy_engine_set_admission_mode(e, 0), POLICY_ERR_INVALID);
  cr_assert_eq(policy_engine_set_rule_action(e, "x", 7), POLICY_ERR_INVALID);
  cr_assert_eq(policy_engine_set_rule_action(e, "", POLICY_ACTION_WARN), POLICY_ERR_INVALID);
  cr_assert_eq(policy_decide(NULL, e, NULL), POLICY_ERR_INVALID);
  cr_assert_str_eq(policy_action_name(POLICY_ACTION_AUDIT), "audit");
  cr_assert_null(policy_action_name(4));
  cr_assert_eq(policy_action_from_name("warn"), POLICY_ACTION_WARN);
  cr_assert_eq(policy_action_from_name("WARN"), 0);
  cr_assert_eq(policy_engine_deny_on(NULL), 0);
  policy_engine_free(e);
}

Test(decide, fails_closed) {
  /* no rule at all */
  policy_engine *e = engine(false);
  policy_decision *d = decide(e, body(e, "{\"Image\":\"alpine\"}"));
  cr_assert_eq(policy_decision_allowed(d), 0);
  cr_assert_str_eq(policy_decision_get_string(d, POLICY_ACTION_ENFORCE, 0, POLICY_FIELD_KIND), "no-policy");
  cr_assert(strstr(policy_decision_get_string(d, POLICY_ACTION_ENFORCE, 0, POLICY_FIELD_MESSAGE),
                   "no policy is loaded"));
  cr_assert_null(policy_decision_get_string(d, POLICY_ACTION_ENFORCE, 0, POLICY_FIELD_RULE));
  cr_assert_eq(policy_decision_get_number(d, POLICY_ACTION_ENFORCE, 0, POLICY_FIELD_LINE), 0);
  policy_decision_free(d);
  /* a rule that fails */
  const char *bad = "return { id = 'boom', title = 'Boom', severity = 'low', applies_to = 'container',"
                    " description = 'd', remediation = 'r', check = function(c) error('kaput') end }";
  cr_assert_eq(policy_engine_load_rule_buffer(e, "boom.lua", bad, strlen(bad)), POLICY_OK);
  d = decide(e, body(e, "{\"Image\":\"alpine\"}"));
  cr_assert_eq(policy_decision_allowed(d), 0);
  cr_assert_str_eq(policy_decision_get_string(d, POLICY_ACTION_ENFORCE, 0, POLICY_FIELD_KIND), "rule");
  cr_assert_str_eq(policy_decision_get_string(d, POLICY_ACTION_ENFORCE, 0, POLICY_FIELD_RULE), "boom");
  cr_assert(strstr(policy_decision_reason(d), "[boom] failed:"));
  policy_decision_free(d);
  /* every rule ignored */
  cr_assert_eq(policy_engine_ignore(e, "boom"), POLICY_OK);
  d = decide(e, body(e, "{\"Image\":\"alpine\"}"));
  cr_assert_str_eq(policy_decision_get_string(d, POLICY_ACTION_ENFORCE, 0, POLICY_FIELD_KIND), "no-policy");
  policy_decision_free(d);
  policy_engine_free(e);
  /* malformed input */
  e = engine(true);
  d = decide(e, body(e, "{\"Image\": \"alpine\", \"HostConfig\": {\"Privileged\": \"yes\"}}"));
  cr_assert_eq(policy_decision_allowed(d), 0);
  cr_assert_str_eq(policy_decision_get_string(d, POLICY_ACTION_ENFORCE, 0, POLICY_FIELD_KIND), "input");
  policy_decision_free(d);
  policy_document *doc = RUN(e, "--bogus", "alpine");
  d = decide(e, doc);
  cr_assert_eq(policy_decision_allowed(d), 0);
  cr_assert(strstr(policy_decision_reason(d), "unknown flag: --bogus"));
  policy_decision_free(d);
  /* accessors out of range */
  d = decide(e, body(e, "{\"Image\":\"alpine\"}"));
  cr_assert_eq(policy_decision_count(d, 0), 0);
  cr_assert_null(policy_decision_get_string(d, POLICY_ACTION_ENFORCE, 99, POLICY_FIELD_RULE));
  cr_assert_eq(policy_decision_get_number(d, 9, 0, POLICY_FIELD_LINE), -1);
  cr_assert_eq(policy_decision_allowed(NULL), 0);
  cr_assert_null(policy_decision_reason(NULL));
  cr_assert_not_null(policy_decision_report(d));
  cr_assert_gt(policy_report_count(policy_decision_report(d), POLICY_LIST_FINDINGS), 0);
  policy_decision_free(d);
  policy_decision_free(NULL);
  policy_engine_free(e);
}

Test(decide, reason_is_escaped_and_bounded) {
  policy_engine *e = engine(true);
  const char *many = "return { id = 'many', title = 'Many', severity = 'high', applies_to = 'container',"
                     " description = 'd', remediation = 'r', check = function(c)"
                     " for i = 1, 60 do report(c, 'finding number ' .. i .. ' about ' .. c.name) end end }";
  cr_assert_eq(policy_engine_load_rule_buffer(e, "many.lua", many, strlen(many)), POLICY_OK);
  /* a container named with a terminal escape, and many findings */
  const char *req = "{\"RequestMethod\":\"POST\",\"RequestUri\":\"/containers/create?name=x%1b%5b31m\","
                    "\"RequestBody\":\"eyJJbWFnZSI6ImFscGluZSIsIkhvc3RDb25maWciOnsiUHJpdmlsZWdlZCI6dHJ1ZSwiTmV0d29ya01vZGUiOiJob3N0IiwiUGlkTW9kZSI6Imhvc3QiLCJJcGNNb2RlIjoiaG9zdCJ9fQ==\"}";
  cr_assert_eq(policy_engine_set_deny_on(e, POLICY_SEVERITY_INFO), POLICY_OK);
  policy_decision *d = decide(e, body(e, req));
  const char *reason = policy_decision_reason(d);
  cr_assert_eq(policy_decision_allowed(d), 0);
  cr_assert_null(strchr(reason, '\x1b'), "%s", reason);
  cr_assert(strstr(reason, "\\x1B"), "%s", reason);
  cr_assert_lt(strlen(reason), 1400);
  cr_assert(strstr(reason, "more)"), "%s", reason);
  policy_decision_free(d);
  policy_engine_free(e);
}

Test(decide, json) {
  policy_engine *e = engine(true);
  policy_decision *d = decide(e, RUN(e, "--privileged", "alpine"));
  char *text;
  size_t len;
  cr_assert_eq(policy_decision_to_json(&text, &len, d, POLICY_JSON_PRETTY), POLICY_OK);
  cr_assert_eq(strlen(text), len);
  json_error_t err;
  json_t *j = json_loads(text, 0, &err);
  cr_assert_not_null(j, "%s: %s", err.text, text);
  cr_assert(json_is_false(json_object_get(j, "allow")));
  cr_assert(json_is_string(json_object_get(j, "reason")));
  json_t *deny = json_object_get(j, "deny");
  cr_assert(json_is_array(deny));
  cr_assert_eq(json_array_size(deny), policy_decision_count(d, POLICY_ACTION_ENFORCE));
  cr_assert(json_is_array(json_object_get(j, "warn")));
  cr_assert(json_is_array(json_object_get(j, "audit")));
  json_t *first = json_array_get(deny, 0);
  cr_assert_str_eq(json_string_value(json_object_get(first, "rule")), "container-privileged");
  cr_assert_str_eq(json_string_value(json_object_get(first, "kind")), "finding");
  cr_assert_str_eq(json_string_value(json_object_get(first, "severity")), "critical");
  cr_assert_eq(json_integer_value(json_object_get(first, "column")), 2);
  cr_assert_str_eq(json_string_value(json_object_get(first, "subject")), "container alpine");
  json_decref(j);
  policy_free(text);
  char *compact;
  cr_assert_eq(policy_decision_to_json(&compact, NULL, d, 0), POLICY_OK);
  cr_assert_null(strstr(compact, "\n  "));
  policy_free(compact);
  cr_assert_eq(policy_decision_to_json(NULL, NULL, d, 0), POLICY_ERR_INVALID);
  policy_decision_free(d);
  policy_engine_free(e);
}

/* ---- the configuration's admission: key ---------------------------------------- */

static char cfgdir[] = "/tmp/policy-admission-XXXXXX";

static const char *config_file(const char *text) {
  static char path[300];
  if (cfgdir[strlen(cfgdir) - 1] == 'X') cr_assert_not_null(mkdtemp(cfgdir));
  snprintf(path, sizeof path, "%s/policy.yaml", cfgdir);
  FILE *f = fopen(path, "w");
  cr_assert_not_null(f);
  fputs(text, f);
  fclose(f);
  return path;
}

Test(decide, configuration) {
  policy_engine *e = engine(true);
  cr_assert_eq(policy_engine_load_config(e, config_file(
                   "admission:\n  deny_on: critical\n  mode: warn\n  rules:\n"
                   "    container-privileged: audit\n    '5.5': warn\n    DL3002: enforce\n")),
               POLICY_OK, "%s", policy_engine_errmsg(e));
  cr_assert_eq(policy_engine_deny_on(e), POLICY_SEVERITY_CRITICAL);
  cr_assert_eq(policy_engine_admission_mode(e), POLICY_ACTION_WARN);
  cr_assert_eq(policy_engine_set_admission_mode(e, POLICY_ACTION_ENFORCE), POLICY_OK);
  /* the later entry (5.5, container-privileged's CIS ref) wins */
  policy_decision *d = decide(e, RUN(e, "--privileged", "-u", "root", "alpine"));
  cr_assert(listed(d, POLICY_ACTION_WARN, "container-privileged"));
  cr_assert(listed(d, POLICY_ACTION_ENFORCE, "image-runs-as-root"));
  policy_decision_free(d);
  policy_engine_free(e);
  static const struct { const char *text, *error; } bad[] = {
      {"admission: yes\n", "1:12: admission must be a mapping"},
      {"admission:\n  deny_on: severe\n", "2:12: admission.deny_on must be"},
      {"admission:\n  mode: block\n", "2:9: admission.mode must be enforce, warn or audit"},
      {"admission:\n  rules: [a]\n", "2:10: admission.rules must be a mapping"},
      {"admission:\n  rules:\n    x: deny\n", "3:8: admission.rules.x must be enforce, warn or audit"},
      {"admission:\n  deny-on: high\n", "unknown key 'deny-on' in admission"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    e = engine(false);
    cr_assert_eq(policy_engine_load_config(e, config_file(bad[i].text)), POLICY_ERR_PARSE, "%s", bad[i].text);
    cr_assert(strstr(policy_engine_errmsg(e), bad[i].error), "%s", policy_engine_errmsg(e));
    policy_engine_free(e);
  }
  char cmd[400];
  snprintf(cmd, sizeof cmd, "rm -rf %s", cfgdir);
  cr_assert_eq(system(cmd), 0);
}

/* ---- allocation failure ------------------------------------------------------------ */

/* An engine with one rule, a run line parsed and decided, the decision as
** JSON, everything freed: a status. */
static int parse_and_decide(void) {
  const char *rule = "return { id = 'p', title = 'P', severity = 'high', applies_to = 'container',"
                     " description = 'd', remediation = 'r', check = function(c)"
                     " if c.privileged then report(c, 'privileged', 'privileged') end end }";
  const char *argv[] = {"docker", "run", "--privileged", "-p", "80:80", "-v", "/:/host:ro",
                        "--mount", "type=bind,src=/var/run/docker.sock,dst=/s", "--health-cmd", "x",
                        "--health-interval", "5s", "-e", "A=1", "--ulimit", "nofile=1:2",
                        "--log-opt", "a=b", "--device", "/dev/fuse", "--cpus", "2", "alpine"};
  policy_engine *e;
  int rc = policy_engine_new(&e);
  if (rc != POLICY_OK) return rc;
  policy_engine_set_isolation(e, POLICY_ISOLATE_NONE);
  rc = policy_engine_load_rule_buffer(e, "p.lua", rule, strlen(rule));
  policy_document *doc = NULL;
  if (rc == POLICY_OK) rc = policy_parse_argv(&doc, e, NULL, sizeof argv / sizeof argv[0], argv);
  policy_decision *d = NULL;
  if (rc == POLICY_OK) rc = policy_decide(&d, e, doc);
  /* a rule that met the failure inside Lua is a rule error: a deny */
  if (rc == POLICY_OK && policy_decision_allowed(d)) rc = POLICY_ERR_INVALID;
  char *json;
  if (rc == POLICY_OK && (rc = policy_decision_to_json(&json, NULL, d, POLICY_JSON_PRETTY)) == POLICY_OK)
    policy_free(json);
  policy_decision_free(d);
  policy_document_free(doc);
  policy_engine_free(e);
  return rc;
}

Test(decide, out_of_memory, .timeout = 300) {
  /* Every allocation point of a fresh engine loading a rule, parsing a
  ** run line and deciding: each run ends in success or POLICY_ERR_NOMEM,
  ** never a crash, a leak or an allow. */
  long live = pol_alloc_live();
  pol_alloc_inject_failure(0, 0);
  cr_assert_eq(parse_and_decide(), POLICY_OK);
  unsigned long total = pol_alloc_inject_failure(0, 0), tried = 0;
  cr_assert_eq(pol_alloc_live(), live);
  for (unsigned long n = 1; n <= total; n++, tried++) {
    pol_alloc_inject_failure(n, 0);
    int rc = parse_and_decide();
    pol_alloc_inject_failure(0, 0);
    cr_assert(rc == POLICY_OK || rc == POLICY_ERR_NOMEM, "allocation %lu: status %d", n, rc);
    cr_assert_eq(pol_alloc_live(), live, "allocation %lu failing leaks %ld blocks", n,
                 pol_alloc_live() - live);
  }
  cr_assert_gt(tried, 10);
  fprintf(stderr, "oom: run line and decision: %lu allocation points\n", total);
}
