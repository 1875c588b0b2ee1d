/*
** service_ports.c: `ports` (a number, a short spec, or the long syntax) and
** `expose` of a service. A port range stays one entry (`*_end` is the
** last port; equal to the first for a single port). Parts of a spec that
** need an unresolved variable are null, except the host IP, which keeps
** its text as written.
*/
#include <ctype.h>
#include <string.h>

#include "norm.h"
#include "spec.h"

static const char *const port_keys[] = {"name", "mode", "host_ip", "target", "published",
                                        "protocol", "app_protocol", NULL};

typedef struct port {
  pm_value *ip;               /* NULL: all interfaces */
  long host, host_end;        /* -1: none */
  long target, target_end;    /* -1: unknown */
  const char *proto;
  pm_value *raw;
  pm_pos pos;
} port;

static pm_value *num(cmp_svc *s, long v, pm_pos pos) {
  pm_value *r = v < 0 ? pm_b_null(s->pm, pos) : pm_b_int(s->pm, v, pos);
  if (r == NULL) s->c->pm.oom = true;
  return r;
}

static void add_port(cmp_svc *s, const port *p) {
  pm_value *e = pm_b_obj(s->pm, PM_SCHEMA_PORT, p->pos);
  if (e == NULL) { s->c->pm.oom = true; return; }
  pm_b_set(s->pm, e, "host_ip", p->ip ? p->ip : pm_b_null(s->pm, p->pos));
  pm_b_set(s->pm, e, "host_port", num(s, p->host, p->pos));
  pm_b_set(s->pm, e, "host_port_end", num(s, p->host < 0 ? -1 : p->host_end, p->pos));
  pm_b_set(s->pm, e, "container_port", num(s, p->target, p->pos));
  pm_b_set(s->pm, e, "container_port_end", num(s, p->target < 0 ? -1 : p->target_end, p->pos));
  pm_b_set(s->pm, e, "protocol", p->proto ? pm_b_str(s->pm, p->proto, p->pos) : pm_b_null(s->pm, p->pos));
  pm_b_set(s->pm, e, "raw", p->raw ? p->raw : pm_b_null(s->pm, p->pos));
  pm_b_push(s->pm, pm_get(s->ctr, "ports"), e);
}

/* The ':'-separated parts of t outside ${...}. */
static size_t split_parts(const char *t, size_t n, const char **part, size_t *len,
                          size_t max) {
  size_t np = 0, start = 0, depth = 0;
  for (size_t i = 0; i <= n && np < max; i++) {
    if (i < n && t[i] == '$' && i + 1 < n && t[i + 1] == '{') { depth++; i++; continue; }
    if (i < n && t[i] == '}' && depth) { depth--; continue; }
    if (i < n && (t[i] != ':' || depth)) continue;
    part[np] = t + start;
    len[np++] = i - start;
    start = i + 1;
  }
  return np;
}

/* A spec with unresolved variables: what is known of it. */
static void unknown_spec(cmp_svc *s, const pm_value *it, port *p) {
  const char *part[64];
  size_t len[64];
  size_t np = split_parts(it->u.str.s, it->u.str.len, part, len, 64);
  const char *c = part[np - 1];
  size_t cl = len[np - 1];
  const char *slash = memchr(c, '/', cl);
  if (slash && !cmp_part_unknown(s, it, slash, cl - (size_t)(slash - c))) {
    size_t pl = cl - (size_t)(slash - c) - 1;
    if (pl > 0 && pl < 8) {
      char *lp = pol_arena_strndup(s->c->pm.a, slash + 1, pl);
      if (lp == NULL) { s->c->pm.oom = true; return; }
      for (size_t i = 0; i < pl; i++) lp[i] = (char)tolower((unsigned char)lp[i]);
      p->proto = lp;
    }
    cl = (size_t)(slash - c);
  } else if (slash) {
    p->proto = NULL;
    cl = (size_t)(slash - c);
  }
  if (!cmp_part_unknown(s, it, c, cl) &&
      !cmp_port_range(c, cl, &p->target, &p->target_end))
    p->target = -1;
  if (np >= 2 && len[np - 2] > 0 && !cmp_part_unknown(s, it, part[np - 2], len[np - 2]) &&
      !cmp_port_range(part[np - 2], len[np - 2], &p->host, &p->host_end))
    p->host = -1;
  if (np >= 3) {
    size_t il = (size_t)(part[np - 2] - 1 - part[0]);
    if (il > 0) {
      p->ip = pm_b_strn(s->pm, part[0], il, it->pos);
      if (p->ip == NULL) s->c->pm.oom = true;
    }
  }
}

static void short_port(cmp_svc *s, const pm_value *it) {
  port p = {NULL, -1, -1, -1, -1, "tcp", NULL, it->pos};
  if (!cmp_scalar_text(s, it)) return;
  p.raw = pm_b_strn(s->pm, s->tmp.data, s->tmp.len, it->pos);
  if (p.raw == NULL) { s->c->pm.oom = true; return; }
  if (cmp_unknown(s, it)) {
    unknown_spec(s, it, &p);
    add_port(s, &p);
    return;
  }
  cmp_port q;
  if (!cmp_port_parse(s->tmp.data, s->tmp.len, &q)) {
    cmp_svc_error(s, it, "ports", "%s: %.200s", q.error, s->tmp.data);
    return;
  }
  if (q.ip) {
    p.ip = pm_b_strn(s->pm, q.ip, q.ip_len, it->pos);
    if (p.ip == NULL) { s->c->pm.oom = true; return; }
  }
  p.host = q.host;
  p.host_end = q.host_end;
  p.target = q.target;
  p.target_end = q.target_end;
  p.proto = pol_arena_strdup(s->c->pm.a, q.proto);
  add_port(s, &p);
}

static void long_port(cmp_svc *s, const pm_value *it) {
  cmp_check_keys(s, it, "ports", port_keys);
  port p = {NULL, -1, -1, -1, -1, "tcp", NULL, it->pos};
  pm_value *target = cmp_read_int(s, pm_get(it, "target"), "ports.target");
  if (pm_get(it, "target") == NULL) cmp_svc_error(s, it, "ports", "missing property 'target'");
  if (target && target->type == PM_INT) {
    if (target->u.i < 0 || target->u.i > 65535)
      cmp_svc_error(s, target, "ports.target", "invalid port %lld", (long long)target->u.i);
    else p.target = p.target_end = (long)target->u.i;
  }
  const pm_value *pub = pm_get(it, "published");
  pm_value *pv = pub ? cmp_read_string(s, pub, "ports.published") : NULL;
  if (pv && pv->type == PM_STR && !cmp_unknown(s, pv) && pv->u.str.len > 0 &&
      !cmp_port_range(pv->u.str.s, pv->u.str.len, &p.host, &p.host_end)) {
    cmp_svc_error(s, pub, "ports.published", "invalid hostPort: %.100s", pv->u.str.s);
    p.host = -1;
  }
  const pm_value *ip = pm_get(it, "host_ip");
  if (ip) {
    pm_value *iv = cmp_read_string(s, ip, "ports.host_ip");
    if (iv && iv->type == PM_STR && iv->u.str.len) p.ip = iv;
  }
  const pm_value *proto = pm_get(it, "protocol");
  if (proto) {
    pm_value *pr = cmp_read_string(s, proto, "ports.protocol");
    if (pr && pr->type == PM_STR && !cmp_unknown(s, pr)) {
      char *lp = pol_arena_strndup(s->c->pm.a, pr->u.str.s, pr->u.str.len);
      if (lp == NULL) { s->c->pm.oom = true; return; }
      for (char *c = lp; *c; c++) *c = (char)tolower((unsigned char)*c);
      p.proto = lp;
    } else {
      p.proto = NULL;
    }
  }
  add_port(s, &p);
}

static void expose(cmp_svc *s) {
  const pm_value *v = pm_get(s->src, "expose");
  if (v == NULL || v->type == PM_NULL) return;
  if (v->type != PM_ARR) {
    cmp_svc_error(s, v, "expose", " must be a list");
    return;
  }
  pm_value *out = pm_get(s->ctr, "expose");
  for (size_t i = 0; i < v->u.arr.len && !s->c->pm.oom; i++) {
    const pm_value *it = v->u.arr.items[i];
    if ((it->type != PM_STR && it->type != PM_INT) || !cmp_scalar_text(s, it)) {
      cmp_svc_error(s, it, "expose", " items must be strings or numbers");
      continue;
    }
    pm_value *e = pm_b_obj(s->pm, PM_SCHEMA_EXPOSE, it->pos);
    if (e == NULL) { s->c->pm.oom = true; return; }
    const char *t = s->tmp.data;
    size_t n = s->tmp.len;
    const char *slash = memchr(t, '/', n);
    size_t pn = slash ? (size_t)(slash - t) : n;
    long lo = -1, hi = -1;
    char proto[8] = "tcp";
    if (slash) {
      size_t pl = n - pn - 1;
      if (pl == 0 || pl >= sizeof proto) pn = 0;
      for (size_t k = 0; pn && k < pl; k++) proto[k] = (char)tolower((unsigned char)slash[1 + k]);
      if (pn) proto[pl] = '\0';
    }
    bool unknown = cmp_unknown(s, it);
    if (!unknown && (pn == 0 || !cmp_port_range(t, pn, &lo, &hi))) {
      cmp_svc_error(s, it, "expose", "invalid port: %.100s", t);
      continue;
    }
    pm_b_set(s->pm, e, "port", num(s, lo, it->pos));
    pm_b_set(s->pm, e, "end_port", num(s, hi, it->pos));
    pm_b_set(s->pm, e, "protocol", pm_b_str(s->pm, proto, it->pos));
    pm_b_push(s->pm, out, e);
  }
}

void cmp_svc_ports(cmp_svc *s) {
  const pm_value *v = pm_get(s->src, "ports");
  if (v && v->type != PM_NULL && v->type != PM_ARR)
    cmp_svc_error(s, v, "ports", " must be a list");
  for (size_t i = 0; v && v->type == PM_ARR && i < v->u.arr.len && !s->c->pm.oom; i++) {
    const pm_value *it = v->u.arr.items[i];
    if (it->type == PM_MAP) long_port(s, it);
    else if (it->type == PM_STR || it->type == PM_INT) short_port(s, it);
    else cmp_svc_error(s, it, "ports", " items must be numbers, strings or mappings");
  }
  expose(s);
}
