/*
** container.c: one container of the model from container inspect or a
** create request: Config (the process), HostConfig (privileges,
** namespaces, resources, lifecycle) and the network settings. Mounts,
** ports and security options have their own files.
**
** Every field of docs/model.md "container" is set; what the source does
** not state is null (lists and maps empty). Values the Engine stores as
** "unset" (0, "", an empty RestartPolicy name) are normalised as the
** model says, at the position of the key that held them.
*/
#include <string.h>

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
  if (img == NULL || img->u.str.len == 0) return insp_null(c, img ? img->pos : pos);
  const char *s = img->u.str.s;
  size_t n = img->u.str.len;
  bool id = is_hex64(s, n) ||
            (n == 71 && !memcmp(s, "sha256:", 7) && is_hex64(s + 7, 64));
  if (!id) {
    pm_value *r = pm_ref_to_model(c->a, s, n, img->pos);
    if (r == NULL) c->oom = true;
    return r;
  }
  pm_value *r = insp_obj(c, img->pos);
  if (r == NULL) return NULL;
  insp_set(c, r, "raw", (pm_value *)img);
  char buf[72];
  memcpy(buf, "sha256:", 7);
  memcpy(buf + 7, s + n - 64, 64);
  insp_set(c, r, "id", insp_strn(c, buf, 71, img->pos));
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
  return v ? v : insp_null(c, pos);
}

pm_value *insp_resources(insp_ctx *c, const insp_view *host,
                         const insp_view *cfg) {
  pm_pos pos = host->pos;
  pm_value *r = insp_obj(c, pos);
  if (r == NULL) return NULL;
  pm_value *mem = positive(c, host, "Memory", false);
  if (mem == NULL) mem = positive(c, cfg, "Memory", false); /* API < 1.19 */
  insp_set(c, r, "memory", or_null(c, mem, pos));
  /* MemorySwap: -1 is unlimited and kept; 0 is unset. */
  const pm_value *swap = insp_field(c, host, "MemorySwap", PM_INT, false);
  insp_set(c, r, "memory_swap",
           swap && swap->u.i != 0 ? (pm_value *)swap : insp_null(c, pos));
  insp_set(c, r, "memory_reservation",
           or_null(c, positive(c, host, "MemoryReservation", false), pos));
  /* cpus: NanoCpus, else a CFS quota over its period (default 100ms). */
  const pm_value *nano = insp_field(c, host, "NanoCpus", PM_INT, false);
  const pm_value *quota = insp_field(c, host, "CpuQuota", PM_INT, false);
  const pm_value *period = insp_field(c, host, "CpuPeriod", PM_INT, false);
  pm_value *cpus = NULL;
  if (nano && nano->u.i > 0) {
    cpus = insp_num(c, (double)nano->u.i / 1e9, nano->pos);
  } else if (quota && quota->u.i > 0) {
    double p = period && period->u.i > 0 ? (double)period->u.i : 100000.0;
    cpus = insp_num(c, (double)quota->u.i / p, quota->pos);
  }
  insp_set(c, r, "cpus", or_null(c, cpus, pos));
  pm_value *shares = positive(c, host, "CpuShares", false);
  if (shares == NULL) shares = positive(c, cfg, "CpuShares", false);
  insp_set(c, r, "cpu_shares", or_null(c, shares, pos));
  /* PidsLimit: null, 0 and -1 all mean unlimited. */
  insp_set(c, r, "pids_limit", or_null(c, positive(c, host, "PidsLimit", true), pos));
  return r;
}

pm_value *insp_restart(insp_ctx *c, const insp_view *v) {
  insp_view rv;
  if (!insp_sub(c, v, "RestartPolicy", false, &rv)) return insp_null(c, v->pos);
  pm_value *r = insp_obj(c, rv.pos);
  if (r == NULL) return NULL;
  const pm_value *name = insp_field(c, &rv, "Name", PM_STR, false);
  insp_set(c, r, "policy", name && name->u.str.len
                               ? (pm_value *)name
                               : insp_str(c, "no", name ? name->pos : rv.pos));
  insp_set(c, r, "max_retries",
           or_null(c, positive(c, &rv, "MaximumRetryCount", false), rv.pos));
  return r;
}

static pm_value *logging(insp_ctx *c, const insp_view *host) {
  insp_view lv, ov;
  if (!insp_sub(c, host, "LogConfig", false, &lv)) return insp_null(c, host->pos);
  pm_value *l = insp_obj(c, lv.pos);
  if (l == NULL) return NULL;
  insp_set(c, l, "driver",
           insp_str_or_null(c, insp_field(c, &lv, "Type", PM_STR, false), lv.pos));
  insp_sub(c, &lv, "Config", true, &ov);
  insp_set(c, l, "options", insp_string_map(c, &ov, lv.pos));
  return l;
}

static pm_value *devices(insp_ctx *c, const insp_view *host) {
  const pm_value *src = insp_field(c, host, "Devices", PM_ARR, true);
  const char *path = insp_path(c, host->path, "Devices", -1);
  pm_value *out = insp_arr(c, src ? src->pos : host->pos);
  for (size_t i = 0; out && src && i < src->u.arr.len && !c->oom; i++) {
    const pm_value *it = src->u.arr.items[i];
    const char *ip = insp_path(c, path, "", (long)i);
    if (it->type != PM_MAP) {
      insp_error(c, it->pos, "%s must be an object, not %s", ip,
                 insp_type_name(it->type));
      continue;
    }
    insp_view dv = insp_view_one(c, it, ip);
    const pm_value *h = insp_field(c, &dv, "PathOnHost", PM_STR, false);
    const pm_value *t = insp_field(c, &dv, "PathInContainer", PM_STR, false);
    const pm_value *p = insp_field(c, &dv, "CgroupPermissions", PM_STR, false);
    pm_value *d = insp_obj(c, it->pos);
    if (d == NULL) break;
    insp_set(c, d, "host", insp_str_or_null(c, h, it->pos));
    insp_set(c, d, "container", insp_str_or_null(c, t, it->pos));
    insp_set(c, d, "permissions", insp_str_or_null(c, p, it->pos));
    /* raw: `--device` syntax, host[:container[:permissions]]. */
    size_t hl = h ? h->u.str.len : 0, tl = t ? t->u.str.len : 0,
           pl = p ? p->u.str.len : 0;
    char *raw = pol_arena_alloc(c->a, hl + tl + pl + 3);
    if (raw == NULL) {
      c->oom = true;
      break;
    }
    size_t n = 0;
    if (hl) { memcpy(raw, h->u.str.s, hl); n = hl; }
    if (tl || pl) { raw[n++] = ':'; if (tl) memcpy(raw + n, t->u.str.s, tl); n += tl; }
    if (pl) { raw[n++] = ':'; memcpy(raw + n, p->u.str.s, pl); n += pl; }
    insp_set(c, d, "raw", insp_strn(c, raw, n, it->pos));
    insp_push(c, out, d);
  }
  return out;
}

static pm_value *ulimits(insp_ctx *c, const insp_view *host) {
  const pm_value *src = insp_field(c, host, "Ulimits", PM_ARR, true);
  const char *path = insp_path(c, host->path, "Ulimits", -1);
  insp_mapb b;
  pm_value *out = insp_mapb_init(c, &b, src ? src->u.arr.len : 0,
                                 src ? src->pos : host->pos);
  for (size_t i = 0; out && src && i < src->u.arr.len && !c->oom; i++) {
    const pm_value *it = src->u.arr.items[i];
    const char *ip = insp_path(c, path, "", (long)i);
    if (it->type != PM_MAP) {
      insp_error(c, it->pos, "%s must be an object, not %s", ip,
                 insp_type_name(it->type));
      continue;
    }
    insp_view uv = insp_view_one(c, it, ip);
    const pm_value *name = insp_field(c, &uv, "Name", PM_STR, false);
    const pm_value *soft = insp_field(c, &uv, "Soft", PM_INT, false);
    const pm_value *hard = insp_field(c, &uv, "Hard", PM_INT, false);
    if (name == NULL || name->u.str.len == 0) {
      insp_warning(c, it->pos, "%s has no Name: left out", ip);
      continue;
    }
    pm_value *u = insp_obj(c, it->pos);
    insp_set(c, u, "soft", insp_or_null(c, soft, it->pos));
    insp_set(c, u, "hard", insp_or_null(c, hard, it->pos));
    insp_mapb_set(c, &b, name->u.str.s, name->u.str.len, u);
  }
  insp_mapb_free(&b);
  return out;
}

static pm_value *namespaces(insp_ctx *c, const insp_view *host,
                            const pm_value *netmode) {
  static const char *const fields[][2] = {
      {"pid", "PidMode"}, {"ipc", "IpcMode"}, {"uts", "UTSMode"},
      {"userns", "UsernsMode"}, {"cgroupns", "CgroupnsMode"}};
  pm_value *ns = insp_obj(c, host->pos);
  if (ns == NULL) return NULL;
  insp_set(c, ns, "network", insp_str_or_null(c, netmode, host->pos));
  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
    insp_set(c, ns, fields[i][0],
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
  pm_value *out = insp_arr(c, m ? m->pos : src->node->pos);
  for (size_t i = 0; out && m && i < m->u.obj.len; i++)
    insp_push(c, out, insp_strn(c, m->u.obj.items[i].key,
                                m->u.obj.items[i].key_len, m->u.obj.items[i].val->pos));
  if (out == NULL || out->u.arr.len > 0 || netmode == NULL) return out;
  const char *s = netmode->u.str.s;
  if (!strcmp(s, "default")) s = "bridge";
  if (*s && strcmp(s, "host") && strcmp(s, "none") && strncmp(s, "container:", 10))
    insp_push(c, out, insp_str(c, s, netmode->pos));
  return out;
}

static pm_value *name_of(insp_ctx *c, const pm_value *name, pm_pos pos) {
  if (name == NULL || name->u.str.len == 0) return insp_null(c, pos);
  size_t skip = name->u.str.s[0] == '/' ? 1 : 0;
  return insp_strn(c, name->u.str.s + skip, name->u.str.len - skip, name->pos);
}

/* user as configured; effective_user. Container inspect shows Config.User
** after the Engine merged the image's USER into it, so an empty one there
** means the image sets none: root. A request does not know the image. */
static void users(insp_ctx *c, const insp_container_src *src, pm_value *ctr) {
  const pm_value *u = insp_field(c, &src->cfg, "User", PM_STR, false);
  pm_value *user = insp_str_or_null(c, u, src->cfg.pos);
  insp_set(c, ctr, "user", user);
  bool inspected = !strcmp(src->origin, "inspect") && src->cfg.n > 0;
  if (user && user->type == PM_STR)
    insp_set(c, ctr, "effective_user", user);
  else if (inspected)
    insp_set(c, ctr, "effective_user", insp_str(c, "root", u ? u->pos : src->cfg.pos));
  else
    insp_set(c, ctr, "effective_user", insp_null(c, src->cfg.pos));
}

static void flags(insp_ctx *c, const insp_view *host, pm_value *ctr) {
  static const char *const fields[][3] = {
      /* model name, HostConfig field, "p" when a Go pointer (*bool) */
      {"privileged", "Privileged", ""}, {"read_only", "ReadonlyRootfs", ""},
      {"init", "Init", "p"}, {"oom_kill_disable", "OomKillDisable", "p"}};
  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
    insp_set(c, ctr, fields[i][0],
             insp_or_null(c, insp_field(c, host, fields[i][1], PM_BOOL,
                                        fields[i][2][0] == 'p'),
                          host->pos));
}

pm_value *insp_container(insp_ctx *c, const insp_container_src *src) {
  pm_pos pos = src->node->pos;
  pm_value *ctr = insp_obj(c, pos);
  if (ctr == NULL) return NULL;
  const insp_view *cfg = &src->cfg, *host = &src->host;
  insp_set(c, ctr, "name", name_of(c, src->name, pos));
  insp_set(c, ctr, "origin", insp_str(c, src->origin, pm_nopos));
  const pm_value *img = insp_field(c, cfg, "Image", PM_STR, false);
  if ((img == NULL || img->u.str.len == 0) && src->image_id) img = src->image_id;
  insp_set(c, ctr, "image", image_ref(c, img, cfg->pos));
  insp_set(c, ctr, "build", insp_null(c, pos));
  users(c, src, ctr);
  flags(c, host, ctr);
  insp_container_security(c, host, src->apparmor, ctr);
  const pm_value *netmode = insp_field(c, host, "NetworkMode", PM_STR, false);
  insp_set(c, ctr, "namespaces", namespaces(c, host, netmode));
  insp_set(c, ctr, "networks", networks(c, src, netmode));
  insp_container_mounts(c, host, src->mounts, "Mounts", ctr);
  insp_container_ports(c, cfg, host, ctr);
  insp_set(c, ctr, "resources", insp_resources(c, host, cfg));
  insp_set(c, ctr, "devices", devices(c, host));
  insp_view sv;
  insp_sub(c, host, "Sysctls", true, &sv);
  insp_set(c, ctr, "sysctls", insp_string_map(c, &sv, host->pos));
  insp_set(c, ctr, "ulimits", ulimits(c, host));
  insp_set(c, ctr, "env",
           insp_env(c, insp_field(c, cfg, "Env", PM_ARR, true),
                    insp_path(c, cfg->path, "Env", -1), cfg->pos));
  insp_set(c, ctr, "env_files", insp_arr(c, pos));
  insp_set(c, ctr, "secrets", insp_arr(c, pos));
  insp_set(c, ctr, "configs", insp_arr(c, pos));
  insp_set(c, ctr, "healthcheck", insp_healthcheck(c, cfg));
  insp_set(c, ctr, "restart", insp_restart(c, host));
  insp_set(c, ctr, "logging", logging(c, host));
  insp_set(c, ctr, "cgroup_parent",
           insp_str_or_null(c, insp_field(c, host, "CgroupParent", PM_STR, false),
                            host->pos));
  insp_set(c, ctr, "profiles", insp_arr(c, pos));
  insp_set(c, ctr, "unresolved", insp_arr(c, pos));
  insp_push(c, pm_get(c->doc, "containers"), ctr);
  return c->oom ? NULL : ctr;
}
