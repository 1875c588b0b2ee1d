/*
** service.c: one Compose service into a `container` node (every field of
** the schema, model/container_fill.h): identity, privileges, security
** options, namespaces, networks, secrets, build; mounts, ports,
** resources, environment and lifecycle are filled by the files named in
** norm.h.
*/
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "../model/container_fill.h"
#include "../model/ref.h"
#include "norm.h"

static const char *const service_keys[] = {
    "annotations", "attach", "blkio_config", "build", "cap_add", "cap_drop",
    "cgroup", "cgroup_parent", "command", "configs", "container_name",
    "cpu_count", "cpu_percent", "cpu_period", "cpu_quota", "cpu_rt_period",
    "cpu_rt_runtime", "cpu_shares", "cpus", "cpuset", "credential_spec",
    "depends_on", "deploy", "develop", "device_cgroup_rules", "devices", "dns",
    "dns_opt", "dns_search", "domainname", "entrypoint", "env_file",
    "environment", "expose", "extends", "external_links", "extra_hosts",
    "gpus", "group_add", "healthcheck", "hostname", "image", "init", "ipc",
    "isolation", "label_file", "labels", "links", "logging", "mac_address",
    "mem_limit", "mem_reservation", "mem_swappiness", "memswap_limit",
    "models", "network_mode", "networks", "oom_kill_disable", "oom_score_adj",
    "pid", "pids_limit", "platform", "ports", "post_start", "pre_start", "pre_stop",
    "privileged", "profiles", "provider", "pull_policy", "pull_refresh_after",
    "read_only", "restart", "runtime", "scale", "secrets", "security_opt",
    "shm_size", "stdin_open", "stop_grace_period", "stop_signal",
    "storage_opt", "sysctls", "tmpfs", "tty", "ulimits", "use_api_socket",
    "user", "userns_mode", "uts", "volumes", "volumes_from", "working_dir",
    NULL};

static const char *const build_keys[] = {
    "context", "dockerfile", "dockerfile_inline", "entitlements", "args",
    "ssh", "labels", "cache_from", "cache_to", "no_cache",
    "additional_contexts", "network", "provenance", "sbom", "pull", "target",
    "shm_size", "extra_hosts", "isolation", "privileged", "secrets", "tags",
    "ulimits", "platforms", NULL};

static const char *const network_keys[] = {
    "aliases", "interface_name", "ipv4_address", "ipv6_address",
    "link_local_ips", "mac_address", "driver_opts", "priority", "gw_priority",
    NULL};

static const char *const secret_keys[] = {"source", "target", "uid", "gid", "mode", NULL};

/* The container with every field present: null, [] or {} until set. */
static pm_value *skeleton(cmp_svc *s) {
  pm_pos pos = s->src->pos;
  pm_value *c = pm_container_new(s->pm, "compose", pos);
  if (c == NULL) return NULL;
  s->ctr = c;
  pm_b_set(s->pm, c, "name", pm_b_strn(s->pm, s->name, s->name_len, pos));
  s->unresolved = pm_get(c, "unresolved");
  s->unresolved_seen = pm_b_map(s->pm, pm_nopos);
  return s->pm->oom ? NULL : c;
}

static const pm_value *field(cmp_svc *s, const char *key) { return pm_get(s->src, key); }

/* ---- identity and privileges --------------------------------------------- */

static void image(cmp_svc *s) {
  const pm_value *v = field(s, "image");
  if (v == NULL || v->type == PM_NULL) return;
  if (v->type != PM_STR) {
    cmp_svc_error(s, v, "image", " must be a string");
    return;
  }
  const cmp_mark *mk = cmp_mark_of(&s->c->marks, v);
  pm_value *r;
  if (cmp_unknown(s, v)) {
    r = pm_b_obj(s->pm, PM_SCHEMA_REF, v->pos);
    if (r == NULL) { s->c->pm.oom = true; return; }
    pm_b_set(s->pm, r, "raw", pm_b_strn(s->pm, mk->written, mk->written_len, v->pos));
    pm_b_set(s->pm, r, "expanded", (pm_value *)v);
    pm_b_set(s->pm, r, "unresolved", pm_b_bool(s->pm, true, v->pos));
  } else {
    r = pm_ref_to_model(s->c->pm.a, v->u.str.s, v->u.str.len, v->pos);
    if (r == NULL) { s->c->pm.oom = true; return; }
    if (mk && mk->written) {
      pm_b_set(s->pm, r, "raw", pm_b_strn(s->pm, mk->written, mk->written_len, v->pos));
      pm_b_set(s->pm, r, "expanded", (pm_value *)v);
    }
    const pm_value *err = pm_get(r, "error");
    if (err) cmp_svc_warning(s, v, "image", "invalid reference format: %s", err->u.str.s);
  }
  pm_b_set(s->pm, s->ctr, "image", r);
}

/* labels: a mapping or a list of NAME=value; a label written without a
** value is an empty one, as docker compose makes it (never unset, unlike
** an environment variable). */
static pm_value *labels(cmp_svc *s, const pm_value *v) {
  pm_value *map = cmp_read_dict(s, v, "labels");
  for (size_t i = 0; map && map->type == PM_MAP && i < map->u.obj.len; i++) {
    pm_member *m = &map->u.obj.items[i];
    if (m->val->type == PM_NULL) m->val = pm_b_str(s->pm, "", m->val->pos);
  }
  return map;
}

static void flags(cmp_svc *s) {
  static const char *const names[] = {"privileged", "read_only", "init", "oom_kill_disable"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    const pm_value *v = field(s, names[i]);
    if (v) pm_b_set(s->pm, s->ctr, names[i], cmp_read_bool(s, v, names[i]));
  }
  const pm_value *u = field(s, "user");
  if (u && u->type != PM_NULL) {
    pm_value *user = cmp_read_string(s, u, "user");
    pm_b_set(s->pm, s->ctr, "user", user);
    pm_b_set(s->pm, s->ctr, "effective_user", user);
  }
  const pm_value *ga = field(s, "group_add");
  if (ga) pm_b_set(s->pm, s->ctr, "group_add", cmp_read_strings(s, ga, "group_add", false));
  const pm_value *cp = field(s, "cgroup_parent");
  if (cp) pm_b_set(s->pm, s->ctr, "cgroup_parent", cmp_read_string(s, cp, "cgroup_parent"));
  const pm_value *lb = field(s, "labels");
  if (lb) pm_b_set(s->pm, s->ctr, "labels", labels(s, lb));
  const pm_value *pr = field(s, "profiles");
  if (pr) pm_b_set(s->pm, s->ctr, "profiles", cmp_read_strings(s, pr, "profiles", false));
}

/* cap_add / cap_drop: upper case, without "CAP_", ALL kept, each once. */
static void capabilities(cmp_svc *s, const char *key) {
  const pm_value *v = field(s, key);
  if (v == NULL) return;
  pm_value *in = cmp_read_strings(s, v, key, false);
  pm_value *out = pm_b_arr(s->pm, v->pos), *seen = pm_b_map(s->pm, pm_nopos);
  if (in == NULL || out == NULL || seen == NULL) { s->pm->oom = true; return; }
  for (size_t i = 0; i < in->u.arr.len && !s->pm->oom; i++) {
    const pm_value *it = in->u.arr.items[i];
    if (it->type != PM_STR) continue;
    pm_value *cap = pm_b_capability(s->pm, it->u.str.s, it->u.str.len, it->pos);
    if (cap == NULL || pm_getn(seen, cap->u.str.s, cap->u.str.len)) continue;
    pm_b_setn(s->pm, seen, cap->u.str.s, cap->u.str.len, cap);
    pm_b_push(s->pm, out, cap);
  }
  pm_b_set(s->pm, s->ctr, key, out);
}

/* security_opt: KEY, KEY=VALUE or the legacy KEY:VALUE (the first of '='
** and ':' separates; the value may hold more of both). */
static void security(cmp_svc *s) {
  const pm_value *v = field(s, "security_opt");
  if (v == NULL) return;
  pm_value *sec = pm_get(s->ctr, "security");
  pm_value *raw = cmp_read_strings(s, v, "security_opt", false);
  if (raw == NULL) return;
  pm_b_set(s->pm, sec, "raw", raw);
  pm_value *selinux = pm_get(sec, "selinux");
  for (size_t i = 0; i < raw->u.arr.len && !s->c->pm.oom; i++) {
    pm_value *it = raw->u.arr.items[i];
    if (it->type != PM_STR || cmp_unknown(s, it)) continue;
    const char *t = it->u.str.s;
    size_t kl = strcspn(t, "=:");
    const char *val = t[kl] ? t + kl + 1 : NULL;
    size_t vl = val ? it->u.str.len - kl - 1 : 0;
    if (kl == 17 && !strncmp(t, "no-new-privileges", 17)) {
      int b = val ? pm_parse_go_bool(val, vl) : 1;
      if (b < 0) {
        cmp_svc_error(s, it, "security_opt", "invalid --security-opt: \"%.100s\"", t);
        pm_b_set(s->pm, sec, "no_new_privileges", pm_b_null(s->pm, it->pos));
      } else {
        pm_b_set(s->pm, sec, "no_new_privileges", pm_b_bool(s->pm, b, it->pos));
      }
    } else if (val && kl == 7 && !strncmp(t, "seccomp", 7)) {
      pm_b_set(s->pm, sec, "seccomp", pm_b_strn(s->pm, val, vl, it->pos));
    } else if (val && kl == 8 && !strncmp(t, "apparmor", 8)) {
      pm_b_set(s->pm, sec, "apparmor", pm_b_strn(s->pm, val, vl, it->pos));
    } else if (val && kl == 5 && !strncmp(t, "label", 5)) {
      pm_b_push(s->pm, selinux, pm_b_strn(s->pm, val, vl, it->pos));
    }
  }
}

static void namespaces(cmp_svc *s) {
  static const struct { const char *key, *model; } map[] = {
      {"network_mode", "network"}, {"pid", "pid"}, {"ipc", "ipc"}, {"uts", "uts"},
      {"userns_mode", "userns"}, {"cgroup", "cgroupns"}};
  pm_value *ns = pm_get(s->ctr, "namespaces");
  for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
    const pm_value *v = field(s, map[i].key);
    if (v == NULL) continue;
    pm_value *m = cmp_read_string(s, v, map[i].key);
    if (m && m->type == PM_STR && !strcmp(map[i].key, "cgroup") &&
        !cmp_unknown(s, m) && strcmp(m->u.str.s, "host") && strcmp(m->u.str.s, "private"))
      cmp_svc_error(s, v, "cgroup", " must be one of \"host\", \"private\"");
    pm_b_set(s->pm, ns, map[i].model, m);
  }
}

static void networks(cmp_svc *s) {
  const pm_value *v = field(s, "networks");
  if (v == NULL || v->type == PM_NULL) return;
  pm_value *out = pm_get(s->ctr, "networks");
  if (v->type == PM_ARR) {
    pm_value *names = cmp_read_strings(s, v, "networks", false);
    if (names) pm_b_set(s->pm, s->ctr, "networks", names);
    return;
  }
  if (v->type != PM_MAP) {
    cmp_svc_error(s, v, "networks", " must be a list or a mapping");
    return;
  }
  for (size_t i = 0; i < v->u.obj.len; i++) {
    const pm_member *m = &v->u.obj.items[i];
    if (m->val->type == PM_MAP) cmp_check_keys(s, m->val, "networks", network_keys);
    else if (m->val->type != PM_NULL)
      cmp_svc_error(s, m->val, "networks", " values must be mappings or null");
    pm_b_push(s->pm, out, pm_b_strn(s->pm, m->key, m->key_len, m->val->pos));
  }
}

/* ---- secrets and configs -------------------------------------------------- */

/* secrets and configs: a name, or {source, target, uid, gid, mode};
** targets default to /run/secrets/<name> (secrets) or /<name>. */
static void grants(cmp_svc *s, const char *key, const char *dir) {
  const pm_value *v = field(s, key);
  if (v == NULL || v->type == PM_NULL) return;
  if (v->type != PM_ARR) {
    cmp_svc_error(s, v, key, " must be a list");
    return;
  }
  pm_value *out = pm_get(s->ctr, key);
  for (size_t i = 0; i < v->u.arr.len && !s->c->pm.oom; i++) {
    const pm_value *it = v->u.arr.items[i], *src = it, *dst = NULL;
    if (it->type == PM_MAP) {
      cmp_check_keys(s, it, key, secret_keys);
      src = pm_get(it, "source");
      dst = pm_get(it, "target");
      if (src == NULL) {
        cmp_svc_error(s, it, key, "missing property 'source'");
        continue;
      }
      if (pm_get(it, "mode")) cmp_read_int(s, pm_get(it, "mode"), key);
    }
    pm_value *source = cmp_read_string(s, src, key);
    pm_value *target = dst ? cmp_read_string(s, dst, key) : NULL;
    if (source == NULL || source->type != PM_STR) continue;
    pm_value *e = pm_b_obj(s->pm, PM_SCHEMA_GRANT, it->pos);
    if (e == NULL) { s->c->pm.oom = true; return; }
    pm_b_set(s->pm, e, "source", source);
    const pm_value *name = target && target->type == PM_STR ? target : source;
    if (name->u.str.s[0] == '/' && target && target->type == PM_STR) {
      pm_b_set(s->pm, e, "target", target);
    } else {
      pol_buf_clear(&s->tmp);
      pol_buf_printf(&s->tmp, "%s%s", dir, name->u.str.s);
      if (s->tmp.oom) { s->c->pm.oom = true; return; }
      pm_b_set(s->pm, e, "target", pm_b_strn(s->pm, s->tmp.data, s->tmp.len, name->pos));
    }
    pm_b_push(s->pm, out, e);
  }
}

/* ---- build ---------------------------------------------------------------- */

static const char *text_of(const pm_value *v) {
  return v && v->type == PM_STR ? v->u.str.s : NULL;
}

static void build(cmp_svc *s, cmp_build_req *req, bool *builds) {
  const pm_value *v = field(s, "build");
  if (v == NULL || v->type == PM_NULL) return;
  pm_value *b = pm_b_obj(s->pm, PM_SCHEMA_BUILD, v->pos);
  if (b == NULL) { s->c->pm.oom = true; return; }
  const pm_value *context = v, *dockerfile = NULL, *inline_text = NULL, *target = NULL,
                 *args = NULL;
  pm_value *privileged = NULL, *entitlements = NULL;
  if (v->type == PM_MAP) {
    cmp_check_keys(s, v, "build", build_keys);
    context = pm_get(v, "context");
    dockerfile = pm_get(v, "dockerfile");
    inline_text = pm_get(v, "dockerfile_inline");
    target = pm_get(v, "target");
    args = pm_get(v, "args");
    if (pm_get(v, "privileged")) privileged = cmp_read_bool(s, pm_get(v, "privileged"), "build.privileged");
    if (pm_get(v, "entitlements"))
      entitlements = cmp_read_strings(s, pm_get(v, "entitlements"), "build.entitlements", false);
  } else if (v->type != PM_STR) {
    cmp_svc_error(s, v, "build", " must be a string or a mapping");
    return;
  }
  /* `context:` left empty (null) is not given: ".", as when it is absent. */
  pm_value *ctx = context && context->type != PM_NULL
                      ? cmp_read_string(s, context, "build.context")
                      : pm_b_strn(s->pm, ".", 1, pm_nopos);
  pm_value *df = cmp_read_string(s, dockerfile, "build.dockerfile");
  pm_value *in = cmp_read_string(s, inline_text, "build.dockerfile_inline");
  pm_value *tg = cmp_read_string(s, target, "build.target");
  pm_value *ar = cmp_read_dict(s, args, "build.args");
  if (ctx == NULL || df == NULL || in == NULL || tg == NULL || ar == NULL) return;
  /* A bare NAME takes its value from the environment. */
  const cmp_file *f = cmp_file_of(s->c, v->pos);
  cmp_lookup env = cmp_env_lookup(f ? f->env : s->c->files[0]->env);
  for (size_t i = 0; i < ar->u.obj.len; i++) {
    pm_member *m = &ar->u.obj.items[i];
    size_t vl;
    const char *val = m->val->type == PM_NULL ? env.get(env.ud, m->key, m->key_len, &vl) : NULL;
    if (val) m->val = pm_b_strn(s->pm, val, vl, m->val->pos);
  }
  pm_b_set(s->pm, b, "context", ctx);
  pm_b_set(s->pm, b, "dockerfile", df);
  pm_b_set(s->pm, b, "dockerfile_inline", in);
  pm_b_set(s->pm, b, "target", tg);
  pm_b_set(s->pm, b, "args", ar);
  pm_b_set(s->pm, b, "privileged", privileged ? privileged : pm_b_null(s->pm, v->pos));
  pm_b_set(s->pm, b, "entitlements", entitlements ? entitlements : pm_b_arr(s->pm, v->pos));
  pm_b_set(s->pm, b, "image", pm_b_null(s->pm, pm_nopos));
  pm_b_set(s->pm, s->ctr, "build", b);
  /* A context that is not a string (reported) builds nothing we can read. */
  if (s->c->pm.oom || ctx->type != PM_STR || cmp_unknown(s, ctx) || cmp_unknown(s, df) ||
      cmp_unknown(s, tg))
    return;
  const char **list = ar->u.obj.len ? pol_arena_alloc(s->c->pm.a, ar->u.obj.len * sizeof *list) : NULL;
  size_t n = 0;
  for (size_t i = 0; i < ar->u.obj.len; i++) {
    const pm_member *m = &ar->u.obj.items[i];
    if (m->val->type != PM_STR || cmp_unknown(s, m->val)) continue;
    pol_buf_clear(&s->tmp);
    pol_buf_printf(&s->tmp, "%s=%s", m->key, m->val->u.str.s);
    if (s->tmp.oom || list == NULL || (list[n++] = pol_arena_strdup(s->c->pm.a, s->tmp.data)) == NULL) {
      s->c->pm.oom = true;
      return;
    }
  }
  f = cmp_file_of(s->c, context ? context->pos : v->pos);
  req->container = s->ctr;
  req->dir = f ? f->base : s->c->files[0]->base;
  req->context = ctx->u.str.s;
  req->dockerfile = text_of(df);
  req->inline_text = in->type == PM_STR ? in : NULL;
  req->target = text_of(tg);
  req->args = list;
  req->nargs = n;
  *builds = true;
}

pm_value *cmp_service(cmp_ctx *c, const char *name, size_t name_len,
                      pm_value *svc, cmp_build_req *req, bool *builds) {
  cmp_svc s = {c, &c->pm, name, name_len, svc, NULL, NULL, NULL, POL_BUF_INIT};
  *builds = false;
  if (svc->type != PM_MAP && svc->type != PM_NULL) {
    cmp_svc_error(&s, svc, NULL, " must be a mapping");
    return NULL;
  }
  if (skeleton(&s) == NULL) return NULL;
  if (svc->type == PM_MAP) {
    cmp_check_keys(&s, svc, NULL, service_keys);
    image(&s);
    build(&s, req, builds);
    flags(&s);
    capabilities(&s, "cap_add");
    capabilities(&s, "cap_drop");
    security(&s);
    namespaces(&s);
    networks(&s);
    cmp_svc_mounts(&s);
    cmp_svc_ports(&s);
    cmp_svc_resources(&s);
    cmp_svc_environment(&s);
    grants(&s, "secrets", "/run/secrets/");
    grants(&s, "configs", "/");
    cmp_svc_lifecycle(&s);
  }
  if (s.tmp.oom) c->pm.oom = true;
  pol_buf_free(&s.tmp);
  return c->pm.oom ? NULL : s.ctr;
}
