/*
** run_apply.c: what each flag of a docker run line sets in the container
** (the model of docs/model.md, as the create body the CLI would send
** reads), and what is put together once every flag is read: the
** healthcheck, the CPU limit, -P, the default network and restart policy
** the CLI always sends, and the image. Values are checked as the CLI
** checks them; a value it would refuse is an error of the document at its
** argument, and sets nothing.
*/
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "../model/container_fill.h"
#include "../model/ref.h"
#include "run_int.h"

/* `invalid argument "V" for "-m, --memory" flag: WHY` (pflag's words). */
static void bad_value(run_ctx *c, const run_flag *f, const run_arg *a, const char *why) {
  char title[64];
  run_error(c, a->index, "invalid argument \"%.*s\" for \"%s\" flag: %s",
            (int)(a->n > 100 ? 100 : a->n), a->s, run_flag_title(f, title, sizeof title), why);
}

static bool is_true(const run_arg *a) { return a->n == 4 && !memcmp(a->s, "true", 4); }

static pm_value *field_obj(run_ctx *c, const char *name) { return pm_get(c->ctr, name); }

static void set_in(run_ctx *c, pm_value *obj, const char *key, pm_value *v) {
  pm_b_set(&c->pm, obj, key, v);
}

/* The container's logging, made when a flag first sets part of it. */
static pm_value *logging(run_ctx *c, const run_arg *a) {
  pm_value *l = field_obj(c, "logging");
  if (l && l->type == PM_OBJ) return l;
  l = pm_b_new(&c->pm, PM_SCHEMA_LOGGING, run_pos(a->index));
  set_in(c, c->ctr, "logging", l);
  return l;
}

/* NAME=VALUE of s; false when there is no '=' or no name. */
static bool split_pair(const run_arg *a, size_t *name_len, const char **value, size_t *vl) {
  const char *eq = memchr(a->s, '=', a->n);
  if (eq == NULL || eq == a->s) return false;
  *name_len = (size_t)(eq - a->s);
  *value = eq + 1;
  *vl = a->n - *name_len - 1;
  return true;
}

static void capability(run_ctx *c, const char *list, const run_arg *a) {
  pm_value *caps = field_obj(c, list);
  pm_value *cap = pm_b_capability(&c->pm, a->s, a->n, run_pos(a->index));
  if (cap == NULL) return;
  for (size_t i = 0; i < caps->u.arr.len; i++) /* the CLI sends each once */
    if (!strcmp(caps->u.arr.items[i]->u.str.s, cap->u.str.s)) return;
  pm_b_push(&c->pm, caps, cap);
}

/* --security-opt as the CLI's parseSecurityOpts and the daemon read it:
** KEY=VALUE, or the legacy KEY:VALUE; only no-new-privileges stands
** alone. `seccomp=FILE` is a profile the CLI reads and inlines: its path
** is kept. */
static void security_opt(run_ctx *c, const run_flag *f, const run_arg *a) {
  pm_value *sec = field_obj(c, "security");
  pm_pos pos = run_pos(a->index);
  pm_b_push(&c->pm, pm_get(sec, "raw"), run_str(c, a));
  size_t kl = strcspn(a->s, "=");
  if (kl == a->n && strncmp(a->s, "no-new-privileges", a->n) != 0) kl = strcspn(a->s, ":");
  const char *v = kl < a->n ? a->s + kl + 1 : NULL;
  size_t vl = v ? a->n - kl - 1 : 0;
  bool nnp = kl == 17 && !strncmp(a->s, "no-new-privileges", 17);
  if (!nnp && vl == 0) {
    bad_value(c, f, a, "Invalid --security-opt");
    return;
  }
  if (nnp) {
    int b = v ? pm_parse_go_bool(v, vl) : 1;
    if (b < 0) bad_value(c, f, a, "invalid no-new-privileges value (true or false)");
    else set_in(c, sec, "no_new_privileges", pm_b_bool(&c->pm, b == 1, pos));
  } else if (kl == 7 && !strncmp(a->s, "seccomp", 7)) {
    set_in(c, sec, "seccomp", pm_b_strn(&c->pm, v, vl, pos));
  } else if (kl == 8 && !strncmp(a->s, "apparmor", 8)) {
    set_in(c, sec, "apparmor", pm_b_strn(&c->pm, v, vl, pos));
  } else if (kl == 5 && !strncmp(a->s, "label", 5)) {
    pm_b_push(&c->pm, pm_get(sec, "selinux"), pm_b_strn(&c->pm, v, vl, pos));
  } else if (kl == 11 && !strncmp(a->s, "systempaths", 11)) {
    if (vl != 10 || strncmp(v, "unconfined", 10))
      bad_value(c, f, a, "systempaths takes only \"unconfined\"");
  } else if (!(kl == 16 && !strncmp(a->s, "writable-cgroups", 16))) {
    run_error(c, a->index, "invalid --security-opt: \"%.*s\" (the Engine knows label, "
              "apparmor, seccomp, no-new-privileges, systempaths, writable-cgroups)",
              (int)(a->n > 100 ? 100 : a->n), a->s);
  }
}

/* --network: a mode (host, none, bridge, container:X) or a network name;
** the advanced form name=NET,alias=... names it with `name`. The first
** one is the container's NetworkMode. */
static void network(run_ctx *c, const run_arg *a) {
  run_arg name = *a;
  if (memchr(a->s, '=', a->n)) {
    for (size_t i = 0; i < a->n;) {
      size_t e = i;
      while (e < a->n && a->s[e] != ',') e++;
      if (e - i > 5 && !memcmp(a->s + i, "name=", 5)) {
        name.s = a->s + i + 5;
        name.n = e - i - 5;
      }
      i = e + 1;
    }
  }
  pm_value *ns = field_obj(c, "namespaces");
  if (!c->p.network_given) set_in(c, ns, "network", run_str(c, &name));
  c->p.network_given = true;
  bool mode = (name.n == 4 && !memcmp(name.s, "host", 4)) ||
              (name.n == 4 && !memcmp(name.s, "none", 4)) ||
              (name.n >= 10 && !memcmp(name.s, "container:", 10));
  if (!mode) pm_b_push(&c->pm, field_obj(c, "networks"), run_str(c, &name));
}

static void publish(run_ctx *c, const run_flag *f, const run_arg *a) {
  run_port_spec ps;
  const char *why = run_parse_port_spec(a->s, a->n, &ps);
  if (why) {
    bad_value(c, f, a, why);
    return;
  }
  pm_pos pos = run_pos(a->index);
  pm_value *p = pm_b_obj(&c->pm, PM_SCHEMA_PORT, pos);
  if (p == NULL) return;
  set_in(c, p, "host_ip", ps.ip_len ? pm_b_strn(&c->pm, ps.ip, ps.ip_len, pos) : pm_b_null(&c->pm, pos));
  set_in(c, p, "host_port", ps.host_lo >= 0 ? pm_b_int(&c->pm, ps.host_lo, pos) : pm_b_null(&c->pm, pos));
  set_in(c, p, "host_port_end", ps.host_lo >= 0 ? pm_b_int(&c->pm, ps.host_hi, pos) : pm_b_null(&c->pm, pos));
  set_in(c, p, "container_port", pm_b_int(&c->pm, ps.lo, pos));
  set_in(c, p, "container_port_end", pm_b_int(&c->pm, ps.hi, pos));
  set_in(c, p, "protocol", pm_b_str(&c->pm, ps.proto, pos));
  set_in(c, p, "raw", run_str(c, a));
  pm_b_push(&c->pm, field_obj(c, "ports"), p);
}

static void expose(run_ctx *c, const run_flag *f, const run_arg *a) {
  run_port_spec ps;
  const char *why = run_parse_port_range(a->s, a->n, &ps);
  if (why) {
    bad_value(c, f, a, why);
    return;
  }
  pm_pos pos = run_pos(a->index);
  pm_value *e = pm_b_obj(&c->pm, PM_SCHEMA_EXPOSE, pos);
  if (e == NULL) return;
  set_in(c, e, "port", pm_b_int(&c->pm, ps.lo, pos));
  set_in(c, e, "end_port", pm_b_int(&c->pm, ps.hi, pos));
  set_in(c, e, "protocol", pm_b_str(&c->pm, ps.proto, pos));
  pm_b_push(&c->pm, c->p.expose, e);
}

/* A resource in bytes (memory, reservation, swap): 0 is "no limit" (null),
** swap also takes -1 (unlimited, kept). */
static void bytes(run_ctx *c, const run_flag *f, const run_arg *a, const char *field) {
  int64_t v;
  bool swap = !strcmp(field, "memory_swap");
  if (swap && a->n == 2 && !memcmp(a->s, "-1", 2)) v = -1;
  else if (!run_parse_ram(a->s, a->n, &v)) {
    char why[160];
    snprintf(why, sizeof why, "invalid size: '%.100s'", a->s);
    bad_value(c, f, a, why);
    return;
  }
  pm_pos pos = run_pos(a->index);
  set_in(c, field_obj(c, "resources"), field, v != 0 ? pm_b_int(&c->pm, v, pos) : pm_b_null(&c->pm, pos));
}

/* An integer value; false (reported) when malformed. */
static bool int_value(run_ctx *c, const run_flag *f, const run_arg *a, int64_t *v) {
  if (run_parse_int(a->s, a->n, v)) return true;
  char why[160];
  snprintf(why, sizeof why, "strconv.ParseInt: parsing \"%.100s\": invalid syntax", a->s);
  bad_value(c, f, a, why);
  return false;
}

static void restart(run_ctx *c, const run_flag *f, const run_arg *a) {
  static const char *const names[] = {"no", "always", "unless-stopped", "on-failure"};
  const char *colon = memchr(a->s, ':', a->n);
  size_t nl = colon ? (size_t)(colon - a->s) : a->n;
  bool known = false;
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    known |= strlen(names[i]) == nl && !memcmp(a->s, names[i], nl);
  int64_t count = 0;
  if (!known) {
    bad_value(c, f, a, "invalid restart policy (no, always, unless-stopped, on-failure[:max-retries])");
    return;
  }
  if (colon && (nl != 10 || !run_parse_int(colon + 1, a->n - nl - 1, &count) || count < 0)) {
    bad_value(c, f, a, nl != 10 ? "maximum retry count can only be used with 'on-failure'"
                                : "maximum retry count must be a non-negative integer");
    return;
  }
  pm_pos pos = run_pos(a->index);
  pm_value *r = pm_b_obj(&c->pm, PM_SCHEMA_RESTART, pos);
  set_in(c, r, "policy", pm_b_strn(&c->pm, a->s, nl, pos));
  set_in(c, r, "max_retries", count > 0 ? pm_b_int(&c->pm, count, pos) : pm_b_null(&c->pm, pos));
  set_in(c, c->ctr, "restart", r);
  c->p.restart_given = true;
}

/* -e NAME=VALUE, or -e NAME (the value of the CLI's environment: unknown
** here, so null, as for a Compose variable taken from the host). */
static void env(run_ctx *c, const run_flag *f, const run_arg *a) {
  size_t nl = strcspn(a->s, "=");
  if (nl == 0) {
    bad_value(c, f, a, "invalid environment variable");
    return;
  }
  pm_pos pos = run_pos(a->index);
  pm_value *v = nl < a->n ? pm_b_strn(&c->pm, a->s + nl + 1, a->n - nl - 1, pos)
                          : pm_b_null(&c->pm, pos);
  pm_b_setn(&c->pm, field_obj(c, "env"), a->s, nl, v);
}

static void sysctl(run_ctx *c, const run_flag *f, const run_arg *a) {
  size_t nl, vl;
  const char *v;
  if (!split_pair(a, &nl, &v, &vl)) {
    char why[160];
    snprintf(why, sizeof why, "sysctl '%.100s' is not allowed", a->s);
    bad_value(c, f, a, why);
    return;
  }
  pm_b_setn(&c->pm, field_obj(c, "sysctls"), a->s, nl,
            pm_b_strn(&c->pm, v, vl, run_pos(a->index)));
}

/* --ulimit NAME=SOFT[:HARD] */
static void ulimit(run_ctx *c, const run_flag *f, const run_arg *a) {
  size_t nl, vl;
  const char *v;
  int64_t soft, hard;
  const char *colon = NULL;
  bool ok = split_pair(a, &nl, &v, &vl);
  if (ok) {
    colon = memchr(v, ':', vl);
    size_t sl = colon ? (size_t)(colon - v) : vl;
    ok = run_parse_int(v, sl, &soft);
    hard = soft;
    if (ok && colon) ok = run_parse_int(colon + 1, vl - sl - 1, &hard);
    ok = ok && (hard < 0 || soft < 0 || soft <= hard);
  }
  if (!ok) {
    bad_value(c, f, a, "invalid ulimit argument (NAME=SOFT[:HARD], soft at most hard)");
    return;
  }
  pm_pos pos = run_pos(a->index);
  pm_value *u = pm_b_obj(&c->pm, PM_SCHEMA_ULIMIT, pos);
  set_in(c, u, "soft", pm_b_int(&c->pm, soft, pos));
  set_in(c, u, "hard", pm_b_int(&c->pm, hard, pos));
  pm_b_setn(&c->pm, field_obj(c, "ulimits"), a->s, nl, u);
}

static void log_opt(run_ctx *c, const run_flag *f, const run_arg *a) {
  size_t nl, vl;
  const char *v;
  if (!split_pair(a, &nl, &v, &vl)) {
    bad_value(c, f, a, "invalid log option (KEY=VALUE)");
    return;
  }
  pm_b_setn(&c->pm, pm_get(logging(c, a), "options"), a->s, nl,
            pm_b_strn(&c->pm, v, vl, run_pos(a->index)));
}

static void health(run_ctx *c, run_arg *slot, const run_arg *a) {
  *slot = *a;
  c->p.health_given = true;
}

void run_apply(run_ctx *c, const run_flag *f, const run_arg *a) {
  pm_pos pos = run_pos(a->index);
  pm_value *ns = field_obj(c, "namespaces");
  int64_t iv;
  double dv;
  switch (f->id) {
  case RUN_F_PRIVILEGED: set_in(c, c->ctr, "privileged", pm_b_bool(&c->pm, is_true(a), pos)); break;
  case RUN_F_READ_ONLY: set_in(c, c->ctr, "read_only", pm_b_bool(&c->pm, is_true(a), pos)); break;
  case RUN_F_INIT: set_in(c, c->ctr, "init", pm_b_bool(&c->pm, is_true(a), pos)); break;
  case RUN_F_OOM_KILL_DISABLE:
    set_in(c, c->ctr, "oom_kill_disable", pm_b_bool(&c->pm, is_true(a), pos));
    break;
  case RUN_F_USER:
    set_in(c, c->ctr, "user", run_str(c, a));
    set_in(c, c->ctr, "effective_user", pm_get(c->ctr, "user"));
    break;
  case RUN_F_CAP_ADD: capability(c, "cap_add", a); break;
  case RUN_F_CAP_DROP: capability(c, "cap_drop", a); break;
  case RUN_F_SECURITY_OPT: security_opt(c, f, a); break;
  case RUN_F_NETWORK: network(c, a); break;
  case RUN_F_PID: set_in(c, ns, "pid", run_str(c, a)); break;
  case RUN_F_IPC: set_in(c, ns, "ipc", run_str(c, a)); break;
  case RUN_F_UTS: set_in(c, ns, "uts", run_str(c, a)); break;
  case RUN_F_USERNS: set_in(c, ns, "userns", run_str(c, a)); break;
  case RUN_F_CGROUPNS: set_in(c, ns, "cgroupns", run_str(c, a)); break;
  case RUN_F_PUBLISH: publish(c, f, a); break;
  case RUN_F_PUBLISH_ALL:
    c->p.publish_all = is_true(a);
    c->p.publish_all_at = a->index;
    break;
  case RUN_F_EXPOSE: expose(c, f, a); break;
  case RUN_F_VOLUME: run_volume(c, a); break;
  case RUN_F_MOUNT: run_mount(c, a); break;
  case RUN_F_DEVICE: run_device(c, a); break;
  case RUN_F_TMPFS:
    if (a->n == 0 || a->s[0] != '/') bad_value(c, f, a, "the tmpfs target must be an absolute path");
    else pm_b_push(&c->pm, field_obj(c, "tmpfs"), run_str(c, a));
    break;
  case RUN_F_MEMORY: bytes(c, f, a, "memory"); break;
  case RUN_F_MEMORY_SWAP: bytes(c, f, a, "memory_swap"); break;
  case RUN_F_MEMORY_RESERVATION: bytes(c, f, a, "memory_reservation"); break;
  case RUN_F_CPUS:
    if (run_parse_decimal(a->s, a->n, &dv)) c->p.cpus = *a;
    else bad_value(c, f, a, "failed to parse as a rational number");
    break;
  case RUN_F_CPU_QUOTA:
    if (int_value(c, f, a, &iv)) c->p.cpu_quota = *a;
    break;
  case RUN_F_CPU_PERIOD:
    if (int_value(c, f, a, &iv)) c->p.cpu_period = *a;
    break;
  case RUN_F_CPU_SHARES:
    if (int_value(c, f, a, &iv))
      set_in(c, field_obj(c, "resources"), "cpu_shares",
             iv > 0 ? pm_b_int(&c->pm, iv, pos) : pm_b_null(&c->pm, pos));
    break;
  case RUN_F_PIDS_LIMIT: /* 0 and -1: unlimited */
    if (int_value(c, f, a, &iv))
      set_in(c, field_obj(c, "resources"), "pids_limit",
             iv > 0 ? pm_b_int(&c->pm, iv, pos) : pm_b_null(&c->pm, pos));
    break;
  case RUN_F_RESTART: restart(c, f, a); break;
  case RUN_F_ENV: env(c, f, a); break;
  case RUN_F_ENV_FILE: pm_b_push(&c->pm, field_obj(c, "env_files"), run_str(c, a)); break;
  case RUN_F_HEALTH_CMD: health(c, &c->p.health_cmd, a); break;
  case RUN_F_HEALTH_INTERVAL: health(c, &c->p.health_interval, a); break;
  case RUN_F_HEALTH_TIMEOUT: health(c, &c->p.health_timeout, a); break;
  case RUN_F_HEALTH_START_PERIOD: health(c, &c->p.health_start_period, a); break;
  case RUN_F_HEALTH_START_INTERVAL: health(c, &c->p.health_start_interval, a); break;
  case RUN_F_HEALTH_RETRIES: health(c, &c->p.health_retries, a); break;
  case RUN_F_NO_HEALTHCHECK:
    c->p.no_healthcheck = is_true(a);
    c->p.no_healthcheck_at = a->index;
    break;
  case RUN_F_SYSCTL: sysctl(c, f, a); break;
  case RUN_F_ULIMIT: ulimit(c, f, a); break;
  case RUN_F_GROUP_ADD: pm_b_push(&c->pm, field_obj(c, "group_add"), run_str(c, a)); break;
  case RUN_F_NAME: set_in(c, c->ctr, "name", run_str(c, a)); break;
  case RUN_F_CGROUP_PARENT: set_in(c, c->ctr, "cgroup_parent", run_str(c, a)); break;
  case RUN_F_LOG_DRIVER: set_in(c, logging(c, a), "driver", run_str(c, a)); break;
  case RUN_F_LOG_OPT: log_opt(c, f, a); break;
  case RUN_F_INT: int_value(c, f, a, &iv); break;
  case RUN_F_SIZE:
    if (!run_parse_ram(a->s, a->n, &iv)) bad_value(c, f, a, "invalid size");
    break;
  case RUN_F_IGNORED: break;
  }
}

/* ---- after every flag ----------------------------------------------------- */

/* A duration flag into seconds (null when not given). */
static pm_value *duration(run_ctx *c, const run_arg *a, const char *flag, pm_pos pos) {
  double s;
  if (a->s == NULL) return pm_b_null(&c->pm, pos);
  if (!run_parse_duration(a->s, a->n, &s)) {
    run_error(c, a->index, "invalid argument \"%.*s\" for \"--%s\" flag: time: invalid "
              "duration", (int)(a->n > 100 ? 100 : a->n), a->s, flag);
    return pm_b_null(&c->pm, run_pos(a->index));
  }
  if (s < 0) {
    run_error(c, a->index, "--%s cannot be negative", flag);
    return pm_b_null(&c->pm, run_pos(a->index));
  }
  return s > 0 ? pm_b_num(&c->pm, s, run_pos(a->index)) : pm_b_null(&c->pm, run_pos(a->index));
}

static void healthcheck(run_ctx *c) {
  run_pending *p = &c->p;
  if (!p->health_given && !p->no_healthcheck) return;
  if (p->health_given && p->no_healthcheck) {
    run_error(c, p->no_healthcheck_at, "--no-healthcheck conflicts with --health-* options");
    return;
  }
  pm_pos pos = run_pos(p->no_healthcheck ? p->no_healthcheck_at
                       : p->health_cmd.s ? p->health_cmd.index : c->ctr->pos.col);
  pm_value *hc = pm_b_new(&c->pm, PM_SCHEMA_HEALTHCHECK, pos);
  pm_value *test = pm_b_arr(&c->pm, pos);
  if (p->no_healthcheck) {
    pm_b_push(&c->pm, test, pm_b_str(&c->pm, "NONE", pos));
  } else if (p->health_cmd.s) { /* without --health-cmd the image's test stays */
    pm_b_push(&c->pm, test, pm_b_str(&c->pm, "CMD-SHELL", pos));
    pm_b_push(&c->pm, test, run_str(c, &p->health_cmd));
  }
  set_in(c, hc, "test", test);
  set_in(c, hc, "disabled", pm_b_bool(&c->pm, p->no_healthcheck, pos));
  set_in(c, hc, "interval", duration(c, &p->health_interval, "health-interval", pos));
  set_in(c, hc, "timeout", duration(c, &p->health_timeout, "health-timeout", pos));
  set_in(c, hc, "start_period", duration(c, &p->health_start_period, "health-start-period", pos));
  set_in(c, hc, "start_interval",
         duration(c, &p->health_start_interval, "health-start-interval", pos));
  int64_t retries = 0;
  const run_arg *r = &p->health_retries;
  if (r->s && (!run_parse_int(r->s, r->n, &retries) || retries < 0)) {
    run_error(c, r->index, "--health-retries must be a non-negative integer");
    retries = 0;
  }
  set_in(c, hc, "retries", retries > 0 ? pm_b_int(&c->pm, retries, run_pos(r->index))
                                       : pm_b_null(&c->pm, pos));
  set_in(c, c->ctr, "healthcheck", hc);
}

/* --cpus, else --cpu-quota over --cpu-period (100ms by default). */
static void cpus(run_ctx *c) {
  run_pending *p = &c->p;
  double v = 0;
  int64_t quota = 0, period = 0;
  if (p->cpu_quota.s) run_parse_int(p->cpu_quota.s, p->cpu_quota.n, &quota);
  if (p->cpu_period.s) run_parse_int(p->cpu_period.s, p->cpu_period.n, &period);
  if (p->cpus.s && (p->cpu_quota.s || p->cpu_period.s)) {
    run_error(c, p->cpus.index, "conflicting options: --cpus cannot be used with "
              "--cpu-quota or --cpu-period");
    return;
  }
  pm_value *res = field_obj(c, "resources");
  if (p->cpus.s && run_parse_decimal(p->cpus.s, p->cpus.n, &v) && v > 0)
    set_in(c, res, "cpus", pm_b_num(&c->pm, v, run_pos(p->cpus.index)));
  else if (quota > 0)
    set_in(c, res, "cpus", pm_b_num(&c->pm, (double)quota / (period > 0 ? (double)period : 100000.0),
                                    run_pos(p->cpu_quota.index)));
}

/* -P publishes every exposed port on a random host port: those of
** --expose here; the image's own EXPOSE ports are not on the line. */
static void exposed_ports(run_ctx *c) {
  pm_value *list = c->p.expose;
  if (!c->p.publish_all) {
    set_in(c, c->ctr, "expose", list);
    return;
  }
  run_warning(c, c->p.publish_all_at, "-P also publishes the ports the image exposes, "
              "which the command line does not show");
  for (size_t i = 0; list && i < list->u.arr.len && !c->pm.oom; i++) {
    const pm_value *e = list->u.arr.items[i];
    pm_pos pos = run_pos(c->p.publish_all_at);
    pm_value *p = pm_b_obj(&c->pm, PM_SCHEMA_PORT, pos);
    set_in(c, p, "host_ip", pm_b_null(&c->pm, pos));
    set_in(c, p, "host_port", pm_b_null(&c->pm, pos));
    set_in(c, p, "host_port_end", pm_b_null(&c->pm, pos));
    set_in(c, p, "container_port", pm_get(e, "port"));
    set_in(c, p, "container_port_end", pm_get(e, "end_port"));
    set_in(c, p, "protocol", pm_get(e, "protocol"));
    set_in(c, p, "raw", pm_b_null(&c->pm, pos));
    pm_b_push(&c->pm, field_obj(c, "ports"), p);
  }
}

void run_finish(run_ctx *c, size_t image_index) {
  pm_pos at = run_pos(image_index);
  if (image_index > 0) {
    c->ctr->pos = at;
    const char *img = c->argv[image_index];
    pm_value *ref = pm_ref_to_model(c->pm.a, img, strlen(img), at);
    if (ref == NULL) c->pm.oom = true;
    const pm_value *err = pm_get(ref, "error");
    if (err) run_error(c, image_index, "invalid reference format: %s", err->u.str.s);
    set_in(c, c->ctr, "image", ref);
    /* An unnamed container is named by its image, so a finding can say
    ** which container it means (the model's name: docs/model.md). */
    const pm_value *name = pm_get(c->ctr, "name");
    if (name == NULL || name->type == PM_NULL)
      set_in(c, c->ctr, "name", pm_b_str(&c->pm, img, at));
  }
  /* What the CLI sends when no flag says otherwise: these are stated by
  ** the create body it makes, at the container's position. */
  static const char *const stated_false[] = {"privileged", "read_only", "oom_kill_disable"};
  for (size_t i = 0; i < sizeof stated_false / sizeof stated_false[0]; i++)
    if (pm_get(c->ctr, stated_false[i]) && pm_get(c->ctr, stated_false[i])->type == PM_NULL)
      set_in(c, c->ctr, stated_false[i], pm_b_bool(&c->pm, false, at));
  if (!c->p.network_given) {
    set_in(c, field_obj(c, "namespaces"), "network", pm_b_str(&c->pm, "default", at));
    pm_b_push(&c->pm, field_obj(c, "networks"), pm_b_str(&c->pm, "bridge", at));
  }
  if (!c->p.restart_given) {
    pm_value *r = pm_b_obj(&c->pm, PM_SCHEMA_RESTART, at);
    set_in(c, r, "policy", pm_b_str(&c->pm, "no", at));
    set_in(c, r, "max_retries", pm_b_null(&c->pm, at));
    set_in(c, c->ctr, "restart", r);
  }
  healthcheck(c);
  cpus(c);
  exposed_ports(c);
  assert(c->pm.oom || pm_get(c->ctr, "origin") != NULL);
}
