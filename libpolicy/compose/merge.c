/*
** merge.c: merging Compose trees as `docker compose -f a -f b` merges
** files and `extends` merges services (compose-spec "Merge and override").
**
** Mappings merge key by key (the later one wins), sequences are appended,
** scalars replaced; per service attribute:
**   - command, entrypoint, healthcheck.test: replaced;
**   - environment, labels, annotations, sysctls, extra_hosts, build.args,
**     build.labels, build.additional_contexts: list and mapping forms are
**     turned into mappings first, then merged;
**   - dns, dns_opt, dns_search, tmpfs, env_file, label_file: a single
**     string becomes a list; then appended;
**   - volumes and devices (by container path), secrets and configs (by
**     target), ports (by IP, host port, container port, protocol), and
**     cap_add, cap_drop, security_opt, expose, profiles, links, ... (by
**     value) keep one entry per key: a later entry replaces an earlier one
**     in place;
**   - networks and depends_on: the list form becomes a mapping;
**   - build: a string is {context: string};
**   - logging: options merge only when the driver is the same.
** `!reset` removes the inherited value, `!override` replaces it whole.
** Inputs are never changed; results share the nodes they keep.
*/
#include <string.h>

#include "ctx.h"
#include "spec.h"

typedef enum mrule {
  M_GENERIC, M_REPLACE, M_MAPPING, M_STRLIST, M_UNIQUE, M_ENV_FILE,
  M_VOLUMES, M_DEVICES, M_SECRETS, M_CONFIGS, M_PORTS, M_NETWORKS,
  M_DEPENDS, M_BUILD, M_HEALTH, M_LOGGING, M_HOSTS,
  M_SERVICE /* a service of `services:` */
} mrule;

static const struct { const char *name; mrule rule; } service_rules[] = {
    {"command", M_REPLACE}, {"entrypoint", M_REPLACE},
    {"environment", M_MAPPING}, {"labels", M_MAPPING},
    {"annotations", M_MAPPING}, {"sysctls", M_MAPPING},
    {"extra_hosts", M_HOSTS}, {"dns", M_STRLIST}, {"dns_opt", M_STRLIST},
    {"dns_search", M_STRLIST}, {"tmpfs", M_STRLIST},
    {"env_file", M_ENV_FILE}, {"label_file", M_STRLIST},
    {"volumes", M_VOLUMES}, {"devices", M_DEVICES}, {"secrets", M_SECRETS},
    {"configs", M_CONFIGS}, {"ports", M_PORTS}, {"networks", M_NETWORKS},
    {"depends_on", M_DEPENDS}, {"build", M_BUILD}, {"healthcheck", M_HEALTH},
    {"logging", M_LOGGING}, {"cap_add", M_UNIQUE}, {"cap_drop", M_UNIQUE},
    {"security_opt", M_UNIQUE}, {"expose", M_UNIQUE}, {"profiles", M_UNIQUE},
    {"links", M_UNIQUE}, {"external_links", M_UNIQUE},
    {"device_cgroup_rules", M_UNIQUE}, {"group_add", M_UNIQUE},
    {"volumes_from", M_UNIQUE}, {"extends", M_REPLACE},
};

static mrule service_rule(const char *key) {
  for (size_t i = 0; i < sizeof service_rules / sizeof service_rules[0]; i++)
    if (!strcmp(service_rules[i].name, key)) return service_rules[i].rule;
  return M_GENERIC;
}

static mrule build_rule(const char *key) {
  return !strcmp(key, "args") || !strcmp(key, "labels") ||
                 !strcmp(key, "additional_contexts")
             ? M_MAPPING
             : M_GENERIC;
}

static mrule health_rule(const char *key) {
  return !strcmp(key, "test") ? M_REPLACE : M_GENERIC;
}

static mrule generic_rule(const char *key) {
  (void)key;
  return M_GENERIC;
}

static pm_value *merge(cmp_ctx *c, pm_value *base, pm_value *over, mrule rule);

static bool is_reset(cmp_ctx *c, const pm_value *v) {
  return cmp_tags(&c->marks, v) & CMP_TAG_RESET;
}

/* Members of base, each merged with over's (by `rule_of` its key), then
** over's own; members over resets are left out. */
static pm_value *merge_maps(cmp_ctx *c, pm_value *base, pm_value *over,
                            mrule (*rule_of)(const char *)) {
  pm_value *out = pm_map(c->pm.a, base->pos);
  if (out == NULL) { c->pm.oom = true; return NULL; }
  for (size_t i = 0; i < base->u.obj.len && !c->pm.oom; i++) {
    const pm_member *m = &base->u.obj.items[i];
    pm_value *o = pm_getn(over, m->key, m->key_len);
    pm_value *v = m->val;
    if (o && is_reset(c, o)) continue;
    if (o) v = merge(c, m->val, o, rule_of(m->key));
    if (v == NULL || !pm_setn(c->pm.a, out, m->key, m->key_len, v)) c->pm.oom = true;
  }
  for (size_t i = 0; i < over->u.obj.len && !c->pm.oom; i++) {
    const pm_member *m = &over->u.obj.items[i];
    if (pm_getn(base, m->key, m->key_len) || is_reset(c, m->val)) continue;
    if (!pm_setn(c->pm.a, out, m->key, m->key_len, m->val)) c->pm.oom = true;
  }
  return c->pm.oom ? NULL : out;
}

static pm_value *concat(cmp_ctx *c, const pm_value *a, const pm_value *b) {
  pm_value *out = pm_arr(c->pm.a, a->pos);
  if (out == NULL) { c->pm.oom = true; return NULL; }
  for (size_t i = 0; i < a->u.arr.len; i++)
    if (!pm_push(c->pm.a, out, a->u.arr.items[i])) { c->pm.oom = true; return NULL; }
  for (size_t i = 0; i < b->u.arr.len; i++)
    if (!pm_push(c->pm.a, out, b->u.arr.items[i])) { c->pm.oom = true; return NULL; }
  return out;
}

/* A string as a one-item list; other values as they are. */
static pm_value *as_list(cmp_ctx *c, pm_value *v) {
  if (v->type != PM_STR) return v;
  pm_value *l = pm_arr(c->pm.a, v->pos);
  if (l == NULL || !pm_push(c->pm.a, l, v)) { c->pm.oom = true; return NULL; }
  return l;
}

/* The text of a scalar (numbers as written by YAML would be). */
static bool scalar_text(const pm_value *v, pol_buf *b) {
  switch (v->type) {
  case PM_STR: pol_buf_append(b, v->u.str.s, v->u.str.len); return true;
  case PM_INT: pol_buf_printf(b, "%lld", (long long)v->u.i); return true;
  case PM_NUM: pol_buf_printf(b, "%g", v->u.n); return true;
  case PM_BOOL: pol_buf_puts(b, v->u.b ? "true" : "false"); return true;
  default: return false;
  }
}

/* "KEY=VALUE" lists as mappings (KEY alone: null); `colon` also splits
** on the first ':' when there is no '=' (extra_hosts' legacy form). */
static pm_value *as_map(cmp_ctx *c, pm_value *v, bool colon) {
  if (v->type != PM_ARR) return v;
  pm_value *m = pm_map(c->pm.a, v->pos);
  if (m == NULL) { c->pm.oom = true; return NULL; }
  pol_buf b = POL_BUF_INIT;
  for (size_t i = 0; i < v->u.arr.len && !c->pm.oom; i++) {
    pm_value *it = v->u.arr.items[i];
    pol_buf_clear(&b);
    if (!scalar_text(it, &b)) continue;
    const char *s = b.data ? b.data : "";
    const char *sep = memchr(s, '=', b.len);
    if (sep == NULL && colon) sep = memchr(s, ':', b.len);
    pm_value *val = sep ? pm_strn(c->pm.a, sep + 1, b.len - (size_t)(sep + 1 - s), it->pos)
                        : pm_null(c->pm.a, it->pos);
    size_t kl = sep ? (size_t)(sep - s) : b.len;
    if (val == NULL || !pm_setn(c->pm.a, m, s, kl, val)) c->pm.oom = true;
  }
  if (b.oom) c->pm.oom = true;
  pol_buf_free(&b);
  return c->pm.oom ? NULL : m;
}

/* networks and depends_on lists as mappings. */
static pm_value *names_as_map(cmp_ctx *c, pm_value *v, bool depends) {
  if (v->type != PM_ARR) return v;
  pm_value *m = pm_map(c->pm.a, v->pos);
  if (m == NULL) { c->pm.oom = true; return NULL; }
  for (size_t i = 0; i < v->u.arr.len && !c->pm.oom; i++) {
    pm_value *it = v->u.arr.items[i];
    if (it->type != PM_STR) continue;
    pm_value *val = pm_null(c->pm.a, it->pos);
    if (depends) {
      val = pm_map(c->pm.a, it->pos);
      if (val && !pm_set(c->pm.a, val, "condition", pm_str(c->pm.a, "service_started", it->pos)))
        val = NULL;
    }
    if (val == NULL || !pm_setn(c->pm.a, m, it->u.str.s, it->u.str.len, val)) c->pm.oom = true;
  }
  return c->pm.oom ? NULL : m;
}

/* ---- the key that makes a list entry unique ------------------------------ */

static void clean_into(pol_buf *b, cmp_ctx *c, const char *s, size_t n) {
  char *p = pol_path_clean(c->pm.a, s, n);
  if (p == NULL) { c->pm.oom = true; return; }
  pol_buf_puts(b, p);
}

static bool str_field(const pm_value *m, const char *key, const char **s, size_t *n) {
  const pm_value *v = pm_get(m, key);
  if (v == NULL || v->type != PM_STR) return false;
  *s = v->u.str.s;
  *n = v->u.str.len;
  return true;
}

static void volume_key(cmp_ctx *c, const pm_value *it, pol_buf *b, bool device) {
  const char *s;
  size_t n;
  if (it->type == PM_STR && !device) {
    cmp_volume v;
    if (cmp_volume_parse(it->u.str.s, it->u.str.len, &v)) clean_into(b, c, v.dst, v.dst_len);
  } else if (it->type == PM_STR) {
    cmp_device d;
    if (cmp_device_parse(it->u.str.s, it->u.str.len, &d)) {
      if (d.container) clean_into(b, c, d.container, d.container_len);
      else clean_into(b, c, d.host, d.host_len);
    }
  } else if (it->type == PM_MAP) {
    if (str_field(it, "target", &s, &n) || (device && str_field(it, "source", &s, &n)))
      clean_into(b, c, s, n);
  }
}

static void mount_key(const pm_value *it, pol_buf *b, const char *dir) {
  const char *s;
  size_t n;
  if (it->type == PM_STR) {
    pol_buf_printf(b, "%s%.*s", dir, (int)it->u.str.len, it->u.str.s);
  } else if (it->type == PM_MAP) {
    if (str_field(it, "target", &s, &n))
      pol_buf_printf(b, "%s%.*s", s[0] == '/' ? "" : dir, (int)n, s);
    else if (str_field(it, "source", &s, &n))
      pol_buf_printf(b, "%s%.*s", dir, (int)n, s);
  }
}

static void port_key(cmp_ctx *c, const pm_value *it, pol_buf *b) {
  if (it->type == PM_STR || it->type == PM_INT) {
    pol_buf t = POL_BUF_INIT;
    scalar_text(it, &t);
    cmp_port p;
    if (t.oom) c->pm.oom = true;
    else if (cmp_port_parse(t.data ? t.data : "", t.len, &p))
      pol_buf_printf(b, "%.*s|%ld-%ld|%ld-%ld|%s", (int)p.ip_len, p.ip ? p.ip : "",
                  p.host, p.host_end, p.target, p.target_end, p.proto);
    pol_buf_free(&t);
  } else if (it->type == PM_MAP) {
    const pm_value *f[4] = {pm_get(it, "host_ip"), pm_get(it, "published"),
                            pm_get(it, "target"), pm_get(it, "protocol")};
    for (int i = 0; i < 4; i++) {
      if (f[i]) scalar_text(f[i], b);
      else if (i == 3) pol_buf_puts(b, "tcp");
      pol_buf_putc(b, '|');
    }
  }
}

/* Appends over to base keeping one entry per key: a later entry takes the
** place of the earlier one. Entries without a key are compared whole. */
static pm_value *unique(cmp_ctx *c, pm_value *base, pm_value *over, mrule rule) {
  pm_value *all = concat(c, base, over);
  pm_value *out = pm_arr(c->pm.a, base->pos), *seen = pm_map(c->pm.a, pm_nopos);
  if (all == NULL || out == NULL || seen == NULL) { c->pm.oom = true; return NULL; }
  pol_buf b = POL_BUF_INIT;
  for (size_t i = 0; i < all->u.arr.len && !c->pm.oom; i++) {
    pm_value *it = all->u.arr.items[i];
    pol_buf_clear(&b);
    switch (rule) {
    case M_VOLUMES: volume_key(c, it, &b, false); break;
    case M_DEVICES: volume_key(c, it, &b, true); break;
    case M_SECRETS: mount_key(it, &b, "/run/secrets/"); break;
    case M_CONFIGS: mount_key(it, &b, "/"); break;
    case M_PORTS: port_key(c, it, &b); break;
    case M_ENV_FILE:
      if (it->type == PM_MAP) {
        const pm_value *p = pm_get(it, "path");
        if (p) scalar_text(p, &b);
      }
      break;
    default: break;
    }
    if (b.len == 0) {
      pol_buf_putc(&b, '=');
      if (!scalar_text(it, &b)) pol_buf_printf(&b, "#%zu", i); /* never equal */
    }
    if (b.oom) { c->pm.oom = true; break; }
    pm_value *at = pm_getn(seen, b.data, b.len);
    if (at) {
      out->u.arr.items[at->u.i] = it;
      continue;
    }
    if (!pm_setn(c->pm.a, seen, b.data, b.len, pm_int(c->pm.a, (int64_t)out->u.arr.len, pm_nopos)) ||
        !pm_push(c->pm.a, out, it))
      c->pm.oom = true;
  }
  pol_buf_free(&b);
  return c->pm.oom ? NULL : out;
}

static bool same_text(const pm_value *a, const pm_value *b) {
  return a && b && a->type == PM_STR && b->type == PM_STR &&
         a->u.str.len == b->u.str.len && !memcmp(a->u.str.s, b->u.str.s, a->u.str.len);
}

static pm_value *merge(cmp_ctx *c, pm_value *base, pm_value *over, mrule rule) {
  if (c->pm.oom) return NULL;
  if (cmp_tags(&c->marks, over) & CMP_TAG_OVERRIDE) return over;
  switch (rule) {
  case M_REPLACE:
    return over;
  case M_SERVICE:
    return cmp_merge_service(c, base, over);
  case M_MAPPING:
  case M_HOSTS:
    base = as_map(c, base, rule == M_HOSTS);
    over = base ? as_map(c, over, rule == M_HOSTS) : NULL;
    if (over == NULL) return NULL;
    break;
  case M_STRLIST:
  case M_ENV_FILE:
    base = as_list(c, base);
    over = base ? as_list(c, over) : NULL;
    if (over == NULL) return NULL;
    break;
  case M_NETWORKS:
  case M_DEPENDS:
    base = names_as_map(c, base, rule == M_DEPENDS);
    over = base ? names_as_map(c, over, rule == M_DEPENDS) : NULL;
    if (over == NULL) return NULL;
    break;
  case M_BUILD:
    if (base->type == PM_STR || over->type == PM_STR) {
      pm_value *b = base, *o = over;
      for (int i = 0; i < 2; i++) {
        pm_value *v = i ? o : b;
        if (v->type != PM_STR) continue;
        pm_value *m = pm_map(c->pm.a, v->pos);
        if (m == NULL || !pm_set(c->pm.a, m, "context", v)) { c->pm.oom = true; return NULL; }
        if (i) o = m; else b = m;
      }
      base = b;
      over = o;
    }
    if (base->type == PM_MAP && over->type == PM_MAP)
      return merge_maps(c, base, over, build_rule);
    return over;
  case M_HEALTH:
    if (base->type == PM_MAP && over->type == PM_MAP)
      return merge_maps(c, base, over, health_rule);
    return over;
  case M_LOGGING:
    if (base->type == PM_MAP && over->type == PM_MAP) {
      const pm_value *bd = pm_get(base, "driver"), *od = pm_get(over, "driver");
      if (bd && od && !same_text(bd, od)) return over;
    }
    break;
  default:
    break;
  }
  if (base->type == PM_ARR && over->type == PM_ARR)
    return rule == M_GENERIC || rule == M_STRLIST ? concat(c, base, over)
                                                  : unique(c, base, over, rule);
  if (base->type == PM_MAP && over->type == PM_MAP)
    return merge_maps(c, base, over, generic_rule);
  return over;
}

pm_value *cmp_merge_service(cmp_ctx *c, pm_value *base, pm_value *over) {
  if (base->type == PM_NULL) return over;
  if (over->type == PM_NULL) return base;
  if (base->type != PM_MAP || over->type != PM_MAP) return over;
  return merge_maps(c, base, over, service_rule);
}

static mrule services_rule(const char *key) {
  (void)key;
  return M_SERVICE;
}

/* `services:` of two files: each service as extends and overrides merge it. */
static pm_value *merge_services(cmp_ctx *c, pm_value *base, pm_value *over) {
  if (base->type != PM_MAP || over->type != PM_MAP) return over;
  return merge_maps(c, base, over, services_rule);
}

static mrule file_rule(const char *key) {
  return !strcmp(key, "services") ? M_REPLACE : M_GENERIC;
}

pm_value *cmp_merge_files(cmp_ctx *c, pm_value *base, pm_value *over) {
  pm_value *out = merge_maps(c, base, over, file_rule);
  if (out == NULL) return NULL;
  pm_value *bs = pm_get(base, "services"), *os = pm_get(over, "services");
  if (bs && os && !is_reset(c, os) && !(cmp_tags(&c->marks, os) & CMP_TAG_OVERRIDE)) {
    pm_value *s = merge_services(c, bs, os);
    if (s == NULL || !pm_set(c->pm.a, out, "services", s)) c->pm.oom = true;
  }
  return c->pm.oom ? NULL : out;
}

/* ---- !reset ---------------------------------------------------------------- */

static pm_value *drop(cmp_ctx *c, cmp_memo *memo, pm_value *v) {
  if (c->pm.oom) return NULL;
  if (v->type != PM_ARR && v->type != PM_MAP) return v;
  pm_value *done = cmp_memo_get(memo, v);
  if (done) return done;
  pm_value *out = v->type == PM_ARR ? pm_arr(c->pm.a, v->pos) : pm_map(c->pm.a, v->pos);
  if (out == NULL) { c->pm.oom = true; return NULL; }
  size_t n = v->type == PM_ARR ? v->u.arr.len : v->u.obj.len;
  for (size_t i = 0; i < n && !c->pm.oom; i++) {
    pm_value *it = v->type == PM_ARR ? v->u.arr.items[i] : v->u.obj.items[i].val;
    if (v->type == PM_MAP && is_reset(c, it)) continue;
    pm_value *d = drop(c, memo, it);
    bool ok = d && (v->type == PM_ARR ? pm_push(c->pm.a, out, d)
                                      : pm_setn(c->pm.a, out, v->u.obj.items[i].key,
                                                v->u.obj.items[i].key_len, d));
    if (!ok) c->pm.oom = true;
  }
  if (!c->pm.oom && !cmp_memo_put(c->pm.a, memo, v, out)) c->pm.oom = true;
  return c->pm.oom ? NULL : out;
}

pm_value *cmp_drop_resets(cmp_ctx *c, pm_value *v) {
  bool any = false;
  for (size_t i = 0; i < c->marks.len && !any; i++)
    any = c->marks.items[i].tags & CMP_TAG_RESET;
  if (!any) return v;
  cmp_memo memo = {0};
  return drop(c, &memo, v);
}
