/*
** container.c: one container of the model from container inspect or a
** create request: Config (the process), HostConfig (privileges,
** namespaces, resources, lifecycle) and the network settings. Mounts,
** ports and security options have their own files.
**
** The container starts with every field of the schema at its empty value
** (pm_container_new); what the source does not state stays null (lists
** and maps empty): build, env_files, secrets, configs, profiles,
** unresolved. Values the Engine stores as
** "unset" (0, "", an empty RestartPolicy name) are normalised as the
** model says, at the position of the key that held them.
*/
#include <assert.h>
#include <string.h>

#include "../model/container_fill.h"
#include "../model/ref.h"
#include "insp.h"

static bool is_hex64(const char *s, size_t n) {
  if (n != 64) return false;
  for (size_t i = 0; i < n; i++)
    if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
      return false;
  return true;
}

/* Config.Image: a reference as typed, or an image ID ("sha256:<64 hex>",
** or the 64 hex digits alone, which the Engine reads as an ID too). */
static pm_value *image_ref(insp_ctx *c, const pm_value *img, pm_pos pos) {
  if (img == NULL || img->u.str.len == 0) return pm_b_null(&c->pm, img ? img->pos : pos);
  const char *s = img->u.str.s;
  size_t n = img->u.str.len;
  bool id = is_hex64(s, n) ||
            (n == 71 && !memcmp(s, "sha256:", 7) && is_hex64(s + 7, 64));
  if (!id) {
    pm_value *r = pm_ref_to_model(c->pm.a, s, n, img->pos);
    if (r == NULL) c->pm.oom = true;
    return r;
  }
  pm_value *r = pm_b_obj(&c->pm, PM_SCHEMA_REF, img->pos);
  if (r == NULL) return NULL;
  pm_b_set(&c->pm, r, "raw", (pm_value *)img);
  char buf[72];
  memcpy(buf, "sha256:", 7);
  memcpy(buf + 7, s + n - 64, 64);
  pm_b_set(&c->pm, r, "id", pm_b_strn(&c->pm, buf, 71, img->pos));
  return r;
}

/* A field holding a positive integer, or NULL (0 and negatives: unset).
** `ptr`: a Go pointer field, which a later null resets. */
static pm_value *positive(insp_ctx *c, const insp_view *v, const char *name,
                          bool ptr) {
  if (v == NULL) return NULL;
  const pm_value *x = insp_field(c, v, name, PM_INT, ptr);
  return x && x->u.i > 0 ? (pm_value *)x : NULL;
}

static pm_value *or_null(insp_ctx *c, pm_value *v, pm_pos pos) {
  return v ? v : pm_b_null(&c->pm, pos);
}

pm_value *insp_resources(insp_ctx *c, const insp_view *host,
                         const insp_view *cfg) {
  pm_pos pos = host->pos;
  pm_value *r = pm_b_obj(&c->pm, PM_SCHEMA_RESOURCES, pos);
  if (r == NULL) return NULL;
  pm_value *mem = positive(c, host, "Memory", false);
  if (mem == NULL) mem = positive(c, cfg, "Memory", false); /* API < 1.19 */
  pm_b_set(&c->pm, r, "memory", or_null(c, mem, pos));
  /* MemorySwap: -1 is unlimited and kept; 0 is unset. */
  const pm_value *swap = insp_field(c, host, "MemorySwap", PM_INT, false);
  pm_b_set(&c->pm, r, "memory_swap",
           swap && swap->u.i != 0 ? (pm_value *)swap : pm_b_null(&c->pm, pos));
  pm_b_set(&c->pm, r, "memory_reservation",
           or_null(c, positive(c, host, "MemoryReservation", false), pos));
  /* cpus: NanoCpus, else a CFS quota over its period (default 100ms). */
  const pm_value *nano = insp_field(c, host, "NanoCpus", PM_INT, false);
  const pm_value *quota = insp_field(c, host, "CpuQuota", PM_INT, false);
  const pm_value *period = insp_field(c, host, "CpuPeriod", PM_INT, false);
  pm_value *cpus = NULL;
  if (nano && nano->u.i > 0) {
    cpus = pm_b_num(&c->pm, (double)nano->u.i / 1e9, nano->pos);
  } else if (quota && quota->u.i > 0) {
    double p = period && period->u.i > 0 ? (double)period->u.i : 100000.0;
    cpus = pm_b_num(&c->pm, (double)quota->u.i / p, quota->pos);
  }
  pm_b_set(&c->pm, r, "cpus", or_null(c, cpus, pos));
  pm_value *shares = positive(c, host, "CpuShares", false);
  if (shares == NULL) shares = positive(c, cfg, "CpuShares", false);
  pm_b_set(&c->pm, r, "cpu_shares", or_null(c, shares, pos));
  /* PidsLimit: null, 0 and -1 all mean unlimited. */
  pm_b_set(&c->pm, r, "pids_limit", or_null(c, positive(c, host, "PidsLimit", true), pos));
  return r;
}

pm_value *insp_restart(insp_ctx *c, const insp_view *v) {
  insp_view rv;
  if (!insp_sub(c, v, "RestartPolicy", false, &rv)) return pm_b_null(&c->pm, v->pos);
  pm_value *r = pm_b_obj(&c->pm, PM_SCHEMA_RESTART, rv.pos);
  if (r == NULL) return NULL;
  const pm_value *name = insp_field(c, &rv, "Name", PM_STR, false);
  pm_b_set(&c->pm, r, "policy", name && name->u.str.len
                               ? (pm_value *)name
                               : pm_b_str(&c->pm, "no", name ? name->pos : rv.pos));
  pm_b_set(&c->pm, r, "max_retries",
           or_null(c, positive(c, &rv, "MaximumRetryCount", false), rv.pos));
  return r;
}

static pm_value *logging(insp_ctx *c, const insp_view *host) {
  insp_view lv, ov;
  if (!insp_sub(c, host, "LogConfig", false, &lv)) return pm_b_null(&c->pm, host->pos);
  pm_value *l = pm_b_obj(&c->pm, PM_SCHEMA_LOGGING, lv.pos);
  if (l == NULL) return NULL;
  pm_b_set(&c->pm, l, "driver",
           insp_str_or_null(c, insp_field(c, &lv, "Type", PM_STR, false), lv.pos));
  insp_sub(c, &lv, "Config", true, &ov);
  pm_b_set(&c->pm, l, "options", insp_string_map(c, &ov, lv.pos));
  return l;
}

/* One of HostConfig.Devices; raw in `--device` syntax,
** host[:container[:permissions]]. */
static void device(insp_ctx *c, pm_value *out, const pm_value *it, const char *ip) {
  insp_view dv = insp_view_one(c, it, ip);
  const pm_value *h = insp_field(c, &dv, "PathOnHost", PM_STR, false);
  const pm_value *t = insp_field(c, &dv, "PathInContainer", PM_STR, false);
  const pm_value *p = insp_field(c, &dv, "CgroupPermissions", PM_STR, false);
  pm_value *d = pm_b_obj(&c->pm, PM_SCHEMA_DEVICE, it->pos);
  if (d == NULL) return;
  pm_b_set(&c->pm, d, "host", insp_str_or_null(c, h, it->pos));
  pm_b_set(&c->pm, d, "container", insp_str_or_null(c, t, it->pos));
  pm_b_set(&c->pm, d, "permissions", insp_str_or_null(c, p, it->pos));
  size_t hl = h ? h->u.str.len : 0, tl = t ? t->u.str.len : 0,
         pl = p ? p->u.str.len : 0;
  char *raw = pol_arena_alloc(c->pm.a, hl + tl + pl + 3);
  if (raw == NULL) {
    c->pm.oom = true;
    return;
  }
  size_t n = 0;
  if (hl) { memcpy(raw, h->u.str.s, hl); n = hl; }
  if (tl || pl) { raw[n++] = ':'; if (tl) memcpy(raw + n, t->u.str.s, tl); n += tl; }
  if (pl) { raw[n++] = ':'; memcpy(raw + n, p->u.str.s, pl); n += pl; }
  assert(n <= hl + tl + pl + 2);
  pm_b_set(&c->pm, d, "raw", pm_b_strn(&c->pm, raw, n, it->pos));
  pm_b_push(&c->pm, out, d);
}

pm_value *insp_devices(insp_ctx *c, const insp_view *host) {
  const pm_value *src = insp_field(c, host, "Devices", PM_ARR, true);
  pm_value *out = pm_b_arr(&c->pm, src ? src->pos : host->pos);
  insp_each(c, out, src, insp_path(c, host->path, "Devices", -1), PM_MAP, device);
  return out;
}

/* One of HostConfig.Ulimits, under its Name (a later one replaces it). */
static void ulimit(insp_ctx *c, pm_value *out, const pm_value *it, const char *ip) {
  insp_view uv = insp_view_one(c, it, ip);
  const pm_value *name = insp_field(c, &uv, "Name", PM_STR, false);
  const pm_value *soft = insp_field(c, &uv, "Soft", PM_INT, false);
  const pm_value *hard = insp_field(c, &uv, "Hard", PM_INT, false);
  if (name == NULL || name->u.str.len == 0) {
    insp_warning(c, it->pos, "%s has no Name: left out", ip);
    return;
  }
  pm_value *u = pm_b_obj(&c->pm, PM_SCHEMA_ULIMIT, it->pos);
  pm_b_set(&c->pm, u, "soft", insp_or_null(c, soft, it->pos));
  pm_b_set(&c->pm, u, "hard", insp_or_null(c, hard, it->pos));
  pm_b_setn(&c->pm, out, name->u.str.s, name->u.str.len, u);
}

static pm_value *ulimits(insp_ctx *c, const insp_view *host) {
  const pm_value *src = insp_field(c, host, "Ulimits", PM_ARR, true);
  pm_value *out = pm_b_map(&c->pm, src ? src->pos : host->pos);
  insp_each(c, out, src, insp_path(c, host->path, "Ulimits", -1), PM_MAP, ulimit);
  return out;
}

static pm_value *namespaces(insp_ctx *c, const insp_view *host,
                            const pm_value *netmode) {
  static const char *const fields[][2] = {
      {"pid", "PidMode"}, {"ipc", "IpcMode"}, {"uts", "UTSMode"},
      {"userns", "UsernsMode"}, {"cgroupns", "CgroupnsMode"}};
  pm_value *ns = pm_b_obj(&c->pm, PM_SCHEMA_NAMESPACES, host->pos);
  if (ns == NULL) return NULL;
  pm_b_set(&c->pm, ns, "network", insp_str_or_null(c, netmode, host->pos));
  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
    pm_b_set(&c->pm, ns, fields[i][0],
             insp_str_or_null(c, insp_field(c, host, fields[i][1], PM_STR, false),
                              host->pos));
  return ns;
}

/* Networks joined: NetworkSettings.Networks (inspect) or
** NetworkingConfig.EndpointsConfig (request); failing both, the network
** NetworkMode names ("default" is the bridge). */
static pm_value *networks(insp_ctx *c, const insp_container_src *src,
                          const pm_value *netmode) {
  insp_view nv = {NULL, 0, src->node->pos, ""};
  if (src->netset.n) insp_sub(c, &src->netset, "Networks", true, &nv);
  else if (src->netcfg.n) insp_sub(c, &src->netcfg, "EndpointsConfig", true, &nv);
  const pm_value *m = insp_merged(c, &nv);
  pm_value *out = pm_b_arr(&c->pm, m ? m->pos : src->node->pos);
  for (size_t i = 0; out && m && i < m->u.obj.len; i++)
    pm_b_push(&c->pm, out, pm_b_strn(&c->pm, m->u.obj.items[i].key,
                                m->u.obj.items[i].key_len, m->u.obj.items[i].val->pos));
  if (out == NULL || out->u.arr.len > 0 || netmode == NULL) return out;
  const char *s = netmode->u.str.s;
  if (!strcmp(s, "default")) s = "bridge";
  if (*s && strcmp(s, "host") && strcmp(s, "none") && strncmp(s, "container:", 10))
    pm_b_push(&c->pm, out, pm_b_str(&c->pm, s, netmode->pos));
  return out;
}

static pm_value *name_of(insp_ctx *c, const pm_value *name, pm_pos pos) {
  if (name == NULL || name->u.str.len == 0) return pm_b_null(&c->pm, pos);
  size_t skip = name->u.str.s[0] == '/' ? 1 : 0;
  return pm_b_strn(&c->pm, name->u.str.s + skip, name->u.str.len - skip, name->pos);
}

/* user as configured; effective_user. Container inspect shows Config.User
** after the Engine merged the image's USER into it, so an empty one there
** means the image sets none: root. A request does not know the image. */
static void users(insp_ctx *c, const insp_container_src *src, pm_value *ctr) {
  const pm_value *u = insp_field(c, &src->cfg, "User", PM_STR, false);
  pm_value *user = insp_str_or_null(c, u, src->cfg.pos);
  pm_b_set(&c->pm, ctr, "user", user);
  bool inspected = !strcmp(src->origin, "inspect") && src->cfg.n > 0;
  if (user && user->type == PM_STR)
    pm_b_set(&c->pm, ctr, "effective_user", user);
  else if (inspected)
    pm_b_set(&c->pm, ctr, "effective_user", pm_b_str(&c->pm, "root", u ? u->pos : src->cfg.pos));
  else
    pm_b_set(&c->pm, ctr, "effective_user", pm_b_null(&c->pm, src->cfg.pos));
}

static void flags(insp_ctx *c, const insp_view *host, pm_value *ctr) {
  static const char *const fields[][3] = {
      /* model name, HostConfig field, "p" when a Go pointer (*bool) */
      {"privileged", "Privileged", ""}, {"read_only", "ReadonlyRootfs", ""},
      {"init", "Init", "p"}, {"oom_kill_disable", "OomKillDisable", "p"}};
  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
    pm_b_set(&c->pm, ctr, fields[i][0],
             insp_or_null(c, insp_field(c, host, fields[i][1], PM_BOOL,
                                        fields[i][2][0] == 'p'),
                          host->pos));
}

pm_value *insp_container(insp_ctx *c, const insp_container_src *src) {
  pm_pos pos = src->node->pos;
  pm_value *ctr = pm_container_new(&c->pm, src->origin, pos);
  if (ctr == NULL) return NULL;
  const insp_view *cfg = &src->cfg, *host = &src->host;
  pm_b_set(&c->pm, ctr, "name", name_of(c, src->name, pos));
  const pm_value *img = insp_field(c, cfg, "Image", PM_STR, false);
  if ((img == NULL || img->u.str.len == 0) && src->image_id) img = src->image_id;
  pm_b_set(&c->pm, ctr, "image", image_ref(c, img, cfg->pos));
  /* A create request without ?name= is named by its image, so a finding
  ** can say which container it means (the model's name: docs/model.md). */
  const pm_value *named = pm_get(ctr, "name");
  if (!strcmp(src->origin, "request") && named && named->type == PM_NULL &&
      img && img->type == PM_STR && img->u.str.len > 0)
    pm_b_set(&c->pm, ctr, "name", pm_b_strn(&c->pm, img->u.str.s, img->u.str.len, img->pos));
  users(c, src, ctr);
  pm_b_set(&c->pm, ctr, "group_add",
           insp_string_list(c, insp_field(c, host, "GroupAdd", PM_ARR, true),
                            insp_path(c, host->path, "GroupAdd", -1), host->pos));
  flags(c, host, ctr);
  insp_container_security(c, host, src->apparmor, ctr);
  const pm_value *netmode = insp_field(c, host, "NetworkMode", PM_STR, false);
  pm_b_set(&c->pm, ctr, "namespaces", namespaces(c, host, netmode));
  pm_b_set(&c->pm, ctr, "networks", networks(c, src, netmode));
  insp_container_mounts(c, host, src->mounts, "Mounts", ctr);
  insp_container_ports(c, cfg, host, ctr);
  pm_b_set(&c->pm, ctr, "resources", insp_resources(c, host, cfg));
  pm_b_set(&c->pm, ctr, "devices", insp_devices(c, host));
  insp_view sv;
  insp_sub(c, host, "Sysctls", true, &sv);
  pm_b_set(&c->pm, ctr, "sysctls", insp_string_map(c, &sv, host->pos));
  insp_view lv;
  insp_sub(c, cfg, "Labels", true, &lv);
  pm_b_set(&c->pm, ctr, "labels", insp_string_map(c, &lv, cfg->pos));
  pm_b_set(&c->pm, ctr, "ulimits", ulimits(c, host));
  pm_b_set(&c->pm, ctr, "env",
           insp_env(c, insp_field(c, cfg, "Env", PM_ARR, true),
                    insp_path(c, cfg->path, "Env", -1), cfg->pos));
  pm_b_set(&c->pm, ctr, "healthcheck", insp_healthcheck(c, cfg));
  pm_b_set(&c->pm, ctr, "restart", insp_restart(c, host));
  pm_b_set(&c->pm, ctr, "logging", logging(c, host));
  pm_b_set(&c->pm, ctr, "cgroup_parent",
           insp_str_or_null(c, insp_field(c, host, "CgroupParent", PM_STR, false),
                            host->pos));
  pm_b_push(&c->pm, pm_get(c->doc, "containers"), ctr);
  return c->pm.oom ? NULL : ctr;
}
