/*
** ports.c: ExposedPorts and PortBindings into the model's port lists.
**
** Keys are "port[-end][/proto]" (the Engine's nat.Port). A container's
** published ports come from HostConfig.PortBindings (what was asked for;
** NetworkSettings.Ports only exists while the container runs) plus, with
** PublishAllPorts, every exposed port not bound explicitly; `expose`
** keeps the exposed ports that are not published.
*/
#include <stdio.h>
#include <string.h>

#include "insp.h"

/* Decimal 0..65535 of s[0..n); -1 when malformed. */
static long port_number(const char *s, size_t n) {
  long v = 0;
  if (n == 0 || n > 5) return -1;
  for (size_t i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v <= 65535 ? v : -1;
}

/* "8000" or "8000-8010" into lo..hi; false when malformed. */
static bool port_range(const char *s, size_t n, long *lo, long *hi) {
  const char *dash = memchr(s, '-', n);
  *lo = port_number(s, dash ? (size_t)(dash - s) : n);
  *hi = dash ? port_number(dash + 1, n - (size_t)(dash - s) - 1) : *lo;
  return *lo >= 0 && *hi >= *lo;
}

bool insp_parse_port(const char *s, size_t n, insp_port *out) {
  const char *slash = memchr(s, '/', n);
  size_t pn = slash ? (size_t)(slash - s) : n;
  const char *proto = slash ? slash + 1 : "tcp";
  size_t prl = slash ? n - pn - 1 : 3;
  if (prl == 0) { proto = "tcp"; prl = 3; }
  if (prl >= sizeof out->proto || memchr(proto, '/', prl)) return false;
  for (size_t i = 0; i < prl; i++) {
    char ch = proto[i];
    out->proto[i] = (ch >= 'A' && ch <= 'Z') ? (char)(ch - 'A' + 'a') : ch;
  }
  out->proto[prl] = '\0';
  if (strcmp(out->proto, "tcp") && strcmp(out->proto, "udp") &&
      strcmp(out->proto, "sctp"))
    return false;
  return port_range(s, pn, &out->port, &out->end_port) && out->port >= 1;
}

pm_value *insp_image_expose(insp_ctx *c, const insp_view *cfg, pm_pos pos) {
  insp_view ev;
  insp_sub(c, cfg, "ExposedPorts", true, &ev);
  const pm_value *keys = insp_merged(c, &ev);
  pm_value *list = pm_b_arr(&c->pm, keys ? keys->pos : pos);
  for (size_t i = 0; list && keys && i < keys->u.obj.len && !c->pm.oom; i++) {
    const pm_member *m = &keys->u.obj.items[i];
    pm_pos p = m->val->pos;
    pm_value *e = pm_b_obj(&c->pm, PM_SCHEMA_EXPOSE, p);
    if (e == NULL) break;
    pm_b_set(&c->pm, e, "raw", pm_b_strn(&c->pm, m->key, m->key_len, p));
    insp_port pt;
    if (insp_parse_port(m->key, m->key_len, &pt)) {
      pm_b_set(&c->pm, e, "port", pm_b_int(&c->pm, pt.port, p));
      pm_b_set(&c->pm, e, "end_port", pm_b_int(&c->pm, pt.end_port, p));
      pm_b_set(&c->pm, e, "protocol", pm_b_str(&c->pm, pt.proto, p));
    } else {
      pm_b_set(&c->pm, e, "error", pm_b_str(&c->pm, "invalid port specification", p));
      insp_error(c, p, "%s: invalid port \"%.*s\"", ev.path,
                 (int)(m->key_len > 64 ? 64 : m->key_len), m->key);
    }
    pm_b_push(&c->pm, list, e);
  }
  return list;
}

/* One published port. ip/hp are the binding's HostIp and HostPort (NULL
** or "" when unset). */
static void publish(insp_ctx *c, pm_value *ports, const insp_port *cp,
                    const pm_value *ip, const pm_value *hp, pm_pos pos,
                    const char *path) {
  pm_value *p = pm_b_obj(&c->pm, PM_SCHEMA_PORT, pos);
  if (p == NULL) return;
  long hlo = -1, hhi = -1;
  if (hp && hp->u.str.len > 0 &&
      !port_range(hp->u.str.s, hp->u.str.len, &hlo, &hhi)) {
    insp_error(c, hp->pos, "%s.HostPort: invalid host port \"%.*s\"", path,
               (int)(hp->u.str.len > 64 ? 64 : hp->u.str.len), hp->u.str.s);
    hlo = hhi = -1;
  }
  bool has_ip = ip && ip->u.str.len > 0;
  pm_b_set(&c->pm, p, "host_ip", insp_str_or_null(c, ip, pos));
  pm_pos hpos = hlo >= 0 ? hp->pos : pos;
  pm_b_set(&c->pm, p, "host_port", hlo >= 0 ? pm_b_int(&c->pm, hlo, hpos) : pm_b_null(&c->pm, pos));
  pm_b_set(&c->pm, p, "host_port_end", hlo >= 0 ? pm_b_int(&c->pm, hhi, hpos) : pm_b_null(&c->pm, pos));
  pm_b_set(&c->pm, p, "container_port", pm_b_int(&c->pm, cp->port, pos));
  pm_b_set(&c->pm, p, "container_port_end", pm_b_int(&c->pm, cp->end_port, pos));
  pm_b_set(&c->pm, p, "protocol", pm_b_str(&c->pm, cp->proto, pos));
  /* raw: the binding in `docker run -p` syntax. */
  char raw[200], cport[32];
  if (cp->end_port != cp->port)
    snprintf(cport, sizeof cport, "%ld-%ld/%s", cp->port, cp->end_port, cp->proto);
  else
    snprintf(cport, sizeof cport, "%ld/%s", cp->port, cp->proto);
  bool v6 = has_ip && memchr(ip->u.str.s, ':', ip->u.str.len) != NULL;
  int ipn = has_ip ? (int)(ip->u.str.len > 64 ? 64 : ip->u.str.len) : 0;
  int hpn = hlo >= 0 ? (int)hp->u.str.len : 0;
  if (has_ip)
    snprintf(raw, sizeof raw, "%s%.*s%s:%.*s:%s", v6 ? "[" : "", ipn,
             ip->u.str.s, v6 ? "]" : "", hpn, hlo >= 0 ? hp->u.str.s : "", cport);
  else if (hlo >= 0)
    snprintf(raw, sizeof raw, "%.*s:%s", hpn, hp->u.str.s, cport);
  else
    snprintf(raw, sizeof raw, "%s", cport);
  pm_b_set(&c->pm, p, "raw", pm_b_str(&c->pm, raw, pos));
  pm_b_push(&c->pm, ports, p);
}

/* The bindings of one PortBindings entry. An empty or null list is still
** published (on a random host port), as the Engine has long done. */
static void bindings(insp_ctx *c, pm_value *ports, const insp_port *cp,
                     const pm_member *m, const char *path) {
  const pm_value *list = m->val;
  if (list->type != PM_ARR && list->type != PM_NULL) {
    insp_error(c, list->pos, "%s must be an array, not %s", path,
               insp_type_name(list->type));
    return;
  }
  if (list->type == PM_NULL || list->u.arr.len == 0) {
    publish(c, ports, cp, NULL, NULL, list->pos, path);
    return;
  }
  for (size_t i = 0; i < list->u.arr.len && !c->pm.oom; i++) {
    const pm_value *b = list->u.arr.items[i];
    const char *bpath = insp_path(c, path, "", (long)i);
    if (b->type == PM_NULL) {
      publish(c, ports, cp, NULL, NULL, b->pos, bpath);
      continue;
    }
    if (b->type != PM_MAP) {
      insp_error(c, b->pos, "%s must be an object, not %s", bpath,
                 insp_type_name(b->type));
      continue;
    }
    insp_view bv = insp_view_one(c, b, bpath);
    const pm_value *ip = insp_field(c, &bv, "HostIp", PM_STR, false);
    const pm_value *hp = insp_field(c, &bv, "HostPort", PM_STR, false);
    publish(c, ports, cp, ip, hp, b->pos, bpath);
  }
}

/* "8000-8010/udp": the key under which a port is looked up. */
static size_t port_key(const insp_port *p, char *buf, size_t size) {
  int n = snprintf(buf, size, "%ld-%ld/%s", p->port, p->end_port, p->proto);
  return n > 0 && (size_t)n < size ? (size_t)n : 0;
}

static void expose_entry(insp_ctx *c, pm_value *expose, const insp_port *p,
                         pm_pos pos) {
  pm_value *e = pm_b_obj(&c->pm, PM_SCHEMA_EXPOSE, pos);
  if (e == NULL) return;
  pm_b_set(&c->pm, e, "port", pm_b_int(&c->pm, p->port, pos));
  pm_b_set(&c->pm, e, "end_port", pm_b_int(&c->pm, p->end_port, pos));
  pm_b_set(&c->pm, e, "protocol", pm_b_str(&c->pm, p->proto, pos));
  pm_b_push(&c->pm, expose, e);
}

void insp_container_ports(insp_ctx *c, const insp_view *cfg,
                          const insp_view *host, pm_value *ctr) {
  insp_view bv, ev;
  insp_sub(c, host, "PortBindings", true, &bv);
  const pm_value *bound = insp_merged(c, &bv);
  const pm_value *all = insp_field(c, host, "PublishAllPorts", PM_BOOL, false);
  insp_sub(c, cfg, "ExposedPorts", true, &ev);
  const pm_value *exposed = insp_merged(c, &ev);
  pm_value *ports = pm_b_arr(&c->pm, bound ? bound->pos : host->pos);
  pm_value *expose = pm_b_arr(&c->pm, exposed ? exposed->pos : cfg->pos);
  pm_b_set(&c->pm, ctr, "ports", ports);
  pm_b_set(&c->pm, ctr, "expose", expose);
  pm_value *seen = pm_b_map(&c->pm, host->pos); /* the bound ports, by port_key */
  if (seen == NULL) return;
  char key[64];
  for (size_t i = 0; bound && i < bound->u.obj.len && !c->pm.oom; i++) {
    const pm_member *m = &bound->u.obj.items[i];
    insp_port cp;
    if (!insp_parse_port(m->key, m->key_len, &cp)) {
      insp_error(c, m->val->pos, "%s: invalid port \"%.*s\"", bv.path,
                 (int)(m->key_len > 64 ? 64 : m->key_len), m->key);
      continue;
    }
    size_t kl = port_key(&cp, key, sizeof key);
    pm_b_setn(&c->pm, seen, key, kl, m->val);
    bindings(c, ports, &cp, m, insp_path(c, bv.path, m->key, -1));
  }
  /* Exposed ports: published on random host ports by PublishAllPorts
  ** unless bound explicitly; otherwise listed in expose when not bound. */
  bool publish_all = all && all->u.b;
  for (size_t i = 0; exposed && i < exposed->u.obj.len && !c->pm.oom; i++) {
    const pm_member *m = &exposed->u.obj.items[i];
    insp_port p;
    if (!insp_parse_port(m->key, m->key_len, &p)) {
      insp_error(c, m->val->pos, "%s: invalid port \"%.*s\"", ev.path,
                 (int)(m->key_len > 64 ? 64 : m->key_len), m->key);
      continue;
    }
    if (pm_getn(seen, key, port_key(&p, key, sizeof key))) continue;
    if (publish_all)
      publish(c, ports, &p, NULL, NULL, all->pos, "PublishAllPorts");
    else
      expose_entry(c, expose, &p, m->val->pos);
  }
}
