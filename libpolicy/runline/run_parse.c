/*
** run_parse.c: the arguments of `docker [global options] [container]
** run|create [flags] IMAGE [COMMAND] [ARG...]` read as the docker CLI
** (spf13/pflag, interspersed arguments off) reads them, each flag handed
** to run_apply with the argument that holds its value. See runline.h.
**
** The table lists every flag of `docker run` and `docker create` (docker
** CLI 27/28), so a flag the CLI knows is never an "unknown flag" here;
** those the model has no field for are accepted and checked only for the
** syntax of their value where a mistake would make the CLI refuse the
** line (RUN_F_INT, RUN_F_SIZE, RUN_F_DURATION) or not at all.
*/
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../model/container_fill.h"
#include "../model/doc.h"
#include "run_int.h"
#include "runline.h"

#define B true  /* boolean */
#define V false /* takes a value */

static const run_flag flags[] = {
    /* name, shorthand, boolean, run only, what it sets */
    {"add-host", 0, V, false, RUN_F_IGNORED},
    {"annotation", 0, V, false, RUN_F_IGNORED},
    {"attach", 'a', V, false, RUN_F_IGNORED},
    {"blkio-weight", 0, V, false, RUN_F_INT},
    {"blkio-weight-device", 0, V, false, RUN_F_IGNORED},
    {"cap-add", 0, V, false, RUN_F_CAP_ADD},
    {"cap-drop", 0, V, false, RUN_F_CAP_DROP},
    {"cgroup-parent", 0, V, false, RUN_F_CGROUP_PARENT},
    {"cgroupns", 0, V, false, RUN_F_CGROUPNS},
    {"cidfile", 0, V, false, RUN_F_IGNORED},
    {"cpu-count", 0, V, false, RUN_F_INT},
    {"cpu-percent", 0, V, false, RUN_F_INT},
    {"cpu-period", 0, V, false, RUN_F_CPU_PERIOD},
    {"cpu-quota", 0, V, false, RUN_F_CPU_QUOTA},
    {"cpu-rt-period", 0, V, false, RUN_F_INT},
    {"cpu-rt-runtime", 0, V, false, RUN_F_INT},
    {"cpu-shares", 'c', V, false, RUN_F_CPU_SHARES},
    {"cpus", 0, V, false, RUN_F_CPUS},
    {"cpuset-cpus", 0, V, false, RUN_F_IGNORED},
    {"cpuset-mems", 0, V, false, RUN_F_IGNORED},
    {"detach", 'd', B, true, RUN_F_IGNORED},
    {"detach-keys", 0, V, true, RUN_F_IGNORED},
    {"device", 0, V, false, RUN_F_DEVICE},
    {"device-cgroup-rule", 0, V, false, RUN_F_IGNORED},
    {"device-read-bps", 0, V, false, RUN_F_IGNORED},
    {"device-read-iops", 0, V, false, RUN_F_IGNORED},
    {"device-write-bps", 0, V, false, RUN_F_IGNORED},
    {"device-write-iops", 0, V, false, RUN_F_IGNORED},
    {"disable-content-trust", 0, B, false, RUN_F_IGNORED},
    {"dns", 0, V, false, RUN_F_IGNORED},
    {"dns-opt", 0, V, false, RUN_F_IGNORED},
    {"dns-option", 0, V, false, RUN_F_IGNORED},
    {"dns-search", 0, V, false, RUN_F_IGNORED},
    {"domainname", 0, V, false, RUN_F_IGNORED},
    {"entrypoint", 0, V, false, RUN_F_IGNORED},
    {"env", 'e', V, false, RUN_F_ENV},
    {"env-file", 0, V, false, RUN_F_ENV_FILE},
    {"expose", 0, V, false, RUN_F_EXPOSE},
    {"gpus", 0, V, false, RUN_F_IGNORED},
    {"group-add", 0, V, false, RUN_F_GROUP_ADD},
    {"health-cmd", 0, V, false, RUN_F_HEALTH_CMD},
    {"health-interval", 0, V, false, RUN_F_HEALTH_INTERVAL},
    {"health-retries", 0, V, false, RUN_F_HEALTH_RETRIES},
    {"health-start-interval", 0, V, false, RUN_F_HEALTH_START_INTERVAL},
    {"health-start-period", 0, V, false, RUN_F_HEALTH_START_PERIOD},
    {"health-timeout", 0, V, false, RUN_F_HEALTH_TIMEOUT},
    {"help", 0, B, false, RUN_F_IGNORED},
    {"hostname", 'h', V, false, RUN_F_IGNORED},
    {"init", 0, B, false, RUN_F_INIT},
    {"interactive", 'i', B, false, RUN_F_IGNORED},
    {"io-maxbandwidth", 0, V, false, RUN_F_SIZE},
    {"io-maxiops", 0, V, false, RUN_F_INT},
    {"ip", 0, V, false, RUN_F_IGNORED},
    {"ip6", 0, V, false, RUN_F_IGNORED},
    {"ipc", 0, V, false, RUN_F_IPC},
    {"isolation", 0, V, false, RUN_F_IGNORED},
    {"kernel-memory", 0, V, false, RUN_F_SIZE},
    {"label", 'l', V, false, RUN_F_IGNORED},
    {"label-file", 0, V, false, RUN_F_IGNORED},
    {"link", 0, V, false, RUN_F_IGNORED},
    {"link-local-ip", 0, V, false, RUN_F_IGNORED},
    {"log-driver", 0, V, false, RUN_F_LOG_DRIVER},
    {"log-opt", 0, V, false, RUN_F_LOG_OPT},
    {"mac-address", 0, V, false, RUN_F_IGNORED},
    {"memory", 'm', V, false, RUN_F_MEMORY},
    {"memory-reservation", 0, V, false, RUN_F_MEMORY_RESERVATION},
    {"memory-swap", 0, V, false, RUN_F_MEMORY_SWAP},
    {"memory-swappiness", 0, V, false, RUN_F_INT},
    {"mount", 0, V, false, RUN_F_MOUNT},
    {"name", 0, V, false, RUN_F_NAME},
    {"net", 0, V, false, RUN_F_NETWORK},
    {"net-alias", 0, V, false, RUN_F_IGNORED},
    {"network", 0, V, false, RUN_F_NETWORK},
    {"network-alias", 0, V, false, RUN_F_IGNORED},
    {"no-healthcheck", 0, B, false, RUN_F_NO_HEALTHCHECK},
    {"oom-kill-disable", 0, B, false, RUN_F_OOM_KILL_DISABLE},
    {"oom-score-adj", 0, V, false, RUN_F_INT},
    {"pid", 0, V, false, RUN_F_PID},
    {"pids-limit", 0, V, false, RUN_F_PIDS_LIMIT},
    {"platform", 0, V, false, RUN_F_IGNORED},
    {"privileged", 0, B, false, RUN_F_PRIVILEGED},
    {"publish", 'p', V, false, RUN_F_PUBLISH},
    {"publish-all", 'P', B, false, RUN_F_PUBLISH_ALL},
    {"pull", 0, V, false, RUN_F_IGNORED},
    {"quiet", 'q', B, false, RUN_F_IGNORED},
    {"read-only", 0, B, false, RUN_F_READ_ONLY},
    {"restart", 0, V, false, RUN_F_RESTART},
    {"rm", 0, B, false, RUN_F_IGNORED},
    {"runtime", 0, V, false, RUN_F_IGNORED},
    {"security-opt", 0, V, false, RUN_F_SECURITY_OPT},
    {"shm-size", 0, V, false, RUN_F_SIZE},
    {"sig-proxy", 0, B, true, RUN_F_IGNORED},
    {"stop-signal", 0, V, false, RUN_F_IGNORED},
    {"stop-timeout", 0, V, false, RUN_F_INT},
    {"storage-opt", 0, V, false, RUN_F_IGNORED},
    {"sysctl", 0, V, false, RUN_F_SYSCTL},
    {"tmpfs", 0, V, false, RUN_F_TMPFS},
    {"tty", 't', B, false, RUN_F_IGNORED},
    {"ulimit", 0, V, false, RUN_F_ULIMIT},
    {"use-api-socket", 0, B, false, RUN_F_IGNORED},
    {"user", 'u', V, false, RUN_F_USER},
    {"userns", 0, V, false, RUN_F_USERNS},
    {"uts", 0, V, false, RUN_F_UTS},
    {"volume", 'v', V, false, RUN_F_VOLUME},
    {"volume-driver", 0, V, false, RUN_F_IGNORED},
    {"volumes-from", 0, V, false, RUN_F_IGNORED},
    {"workdir", 'w', V, false, RUN_F_IGNORED},
};

#undef B
#undef V

pm_pos run_pos(size_t index) {
  uint32_t col = index > UINT32_MAX - 1 ? UINT32_MAX - 1 : (uint32_t)index;
  return pm_pos_make(1, col, 1, col + 1);
}

static void diag(run_ctx *c, bool error, size_t index, const char *fmt, va_list ap) {
  char msg[512];
  vsnprintf(msg, sizeof msg, fmt, ap);
  bool ok = error ? pm_doc_error(c->pm.a, c->doc, msg, run_pos(index))
                  : pm_doc_warning(c->pm.a, c->doc, msg, run_pos(index));
  if (!ok) c->pm.oom = true;
}

void run_error(run_ctx *c, size_t index, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  diag(c, true, index, fmt, ap);
  va_end(ap);
}

void run_warning(run_ctx *c, size_t index, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  diag(c, false, index, fmt, ap);
  va_end(ap);
}

pm_value *run_str(run_ctx *c, const run_arg *a) {
  return pm_b_strn(&c->pm, a->s, a->n, run_pos(a->index));
}

const char *run_flag_title(const run_flag *f, char *buf, size_t size) {
  if (f->shorthand) snprintf(buf, size, "-%c, --%s", f->shorthand, f->name);
  else snprintf(buf, size, "--%s", f->name);
  return buf;
}

static const run_flag *by_name(const char *s, size_t n, bool create) {
  for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++)
    if (strlen(flags[i].name) == n && !memcmp(flags[i].name, s, n))
      return create && flags[i].run_only ? NULL : &flags[i];
  return NULL;
}

static const run_flag *by_shorthand(char ch, bool create) {
  for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++)
    if (flags[i].shorthand == ch) return create && flags[i].run_only ? NULL : &flags[i];
  return NULL;
}

/* A boolean flag's value: "true" when absent, else Go's ParseBool. */
static void boolean(run_ctx *c, const run_flag *f, const char *v, size_t vn, size_t index) {
  char title[64];
  int b = v ? pm_parse_go_bool(v, vn) : 1;
  if (b < 0) {
    run_error(c, index, "invalid argument \"%.*s\" for \"%s\" flag: strconv.ParseBool: "
              "parsing \"%.*s\": invalid syntax", (int)(vn > 64 ? 64 : vn), v,
              run_flag_title(f, title, sizeof title), (int)(vn > 64 ? 64 : vn), v);
    return;
  }
  run_arg a = {b ? "true" : "false", b ? 4 : 5, index};
  run_apply(c, f, &a);
}

/* A flag that needs a value: from `inline` (after '=' or the shorthand),
** else the next argument. Returns the index of the last argument used. */
static size_t valued(run_ctx *c, const run_flag *f, const char *inl, size_t il, size_t i,
                     const char *written) {
  if (inl == NULL) {
    if (i + 1 >= c->argc) {
      run_error(c, i, "flag needs an argument: %s", written);
      return i;
    }
    i++;
    inl = c->argv[i];
    il = strlen(inl);
  }
  run_arg a = {inl, il, i};
  run_apply(c, f, &a);
  return i;
}

/* `--name[=value]` at argv[i]; returns the last index used. */
static size_t long_flag(run_ctx *c, size_t i, bool create) {
  const char *a = c->argv[i] + 2;
  const char *eq = strchr(a, '=');
  size_t n = eq ? (size_t)(eq - a) : strlen(a);
  const run_flag *f = by_name(a, n, create);
  if (f == NULL) {
    run_error(c, i, "unknown flag: --%.*s", (int)(n > 64 ? 64 : n), a);
    return i;
  }
  if (f->boolean) {
    boolean(c, f, eq ? eq + 1 : NULL, eq ? strlen(eq + 1) : 0, i);
    return i;
  }
  char written[80];
  snprintf(written, sizeof written, "--%s", f->name);
  return valued(c, f, eq ? eq + 1 : NULL, eq ? strlen(eq + 1) : 0, i, written);
}

/* `-abc`, `-pVALUE`, `-p=VALUE` at argv[i]; returns the last index used. */
static size_t short_flags(run_ctx *c, size_t i, bool create) {
  const char *a = c->argv[i] + 1;
  size_t n = strlen(a);
  for (size_t k = 0; k < n; k++) {
    const run_flag *f = by_shorthand(a[k], create);
    if (f == NULL) {
      run_error(c, i, "unknown shorthand flag: '%c' in -%.*s", a[k], (int)(n > 64 ? 64 : n), a);
      return i;
    }
    const char *rest = a + k + 1;
    size_t rl = n - k - 1;
    if (rl > 0 && rest[0] == '=') { /* -x=value */
      rest++;
      rl--;
      if (f->boolean) boolean(c, f, rest, rl, i);
      else valued(c, f, rest, rl, i, "");
      return i;
    }
    if (f->boolean) {
      boolean(c, f, NULL, 0, i);
      continue;
    }
    char written[48];
    snprintf(written, sizeof written, "'%c' in -%.20s", a[k], a);
    return valued(c, f, rl ? rest : NULL, rl, i, written);
  }
  return i;
}

/* docker's own options before the subcommand: those that take a value. */
static bool global_takes_value(const char *a) {
  static const char *const names[] = {"-H", "--host", "-c", "--context", "--config",
                                      "-l", "--log-level", "--tlscacert", "--tlscert",
                                      "--tlskey"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (!strcmp(a, names[i])) return true;
  return false;
}

static const char *base_name(const char *p) {
  const char *slash = strrchr(p, '/');
  return slash ? slash + 1 : p;
}

/* The index of run/create's first flag, or 0 when argv is not a docker
** run or create line (reported). *create tells which. */
static size_t subcommand(run_ctx *c, bool *create) {
  if (c->argc == 0 || strcmp(base_name(c->argv[0]), "docker") != 0) {
    run_error(c, 0, "not a docker command line: it must start with docker "
              "(docker run ... or docker create ...)");
    return 0;
  }
  size_t i = 1;
  while (i < c->argc && c->argv[i][0] == '-' && c->argv[i][1] != '\0')
    i += global_takes_value(c->argv[i]) ? 2 : 1;
  if (i < c->argc && !strcmp(c->argv[i], "container")) i++;
  if (i < c->argc && (!strcmp(c->argv[i], "run") || !strcmp(c->argv[i], "create"))) {
    *create = c->argv[i][0] == 'c';
    return i + 1;
  }
  size_t at = i < c->argc ? i : c->argc - 1;
  run_error(c, at, "not a docker run or docker create command line (docker %.64s)",
            i < c->argc ? c->argv[i] : "");
  return 0;
}

static pm_value *raw_arguments(run_ctx *c) {
  pm_value *raw = pm_b_arr(&c->pm, pm_nopos);
  for (size_t i = 0; i < c->argc && !c->pm.oom; i++)
    pm_b_push(&c->pm, raw, pm_b_str(&c->pm, c->argv[i], run_pos(i)));
  return raw;
}

int run_build(pol_arena *a, const char *path, size_t argc, const char *const *argv,
              pm_value **doc) {
  run_ctx c;
  memset(&c, 0, sizeof c);
  c.pm.a = a;
  c.argv = argv;
  c.argc = argc;
  c.doc = pm_doc_new(a, "run", path);
  if (c.doc == NULL) return RUN_ERR_NOMEM;
  pm_b_set(&c.pm, c.doc, "raw", raw_arguments(&c));
  bool create = false;
  size_t i = subcommand(&c, &create);
  if (i > 0 && !c.pm.oom) {
    c.ctr = pm_container_new(&c.pm, "run", run_pos(i));
    c.p.expose = pm_b_arr(&c.pm, run_pos(i));
    for (; i < argc && !c.pm.oom; i++) {
      const char *arg = argv[i];
      if (!strcmp(arg, "--")) { i++; break; }
      if (arg[0] != '-' || arg[1] == '\0') break; /* the image */
      i = arg[1] == '-' ? long_flag(&c, i, create) : short_flags(&c, i, create);
    }
    if (i >= argc)
      run_error(&c, argc - 1, "\"docker %s\" requires at least 1 argument: the image",
                create ? "create" : "run");
    if (c.ctr) {
      run_finish(&c, i < argc ? i : 0);
      pm_b_push(&c.pm, pm_get(c.doc, "containers"), c.ctr);
    }
  }
  if (c.pm.oom) return RUN_ERR_NOMEM;
  *doc = c.doc;
  return RUN_OK;
}
