/*
** service_volumes.c: `volumes` (short and long syntax), `use_api_socket`, `tmpfs`
** and `devices` of a service into the container's mounts, tmpfs and
** devices.
**
** A mount's `docker_socket` and `sensitive` are judged as for every source
** (model/container_fill.h), on the bind's source as Compose resolves it
** (`~`, paths relative to the file's folder): null when the host path is
** unknown (an unresolved variable), false for volumes and tmpfs.
*/
#include <assert.h>
#include <string.h>

#include "../model/container_fill.h"
#include "norm.h"
#include "spec.h"

static const char *const volume_keys[] = {"type", "source", "target", "read_only",
                                          "consistency", "bind", "volume", "tmpfs",
                                          "image", NULL};
static const char *const bind_keys[] = {"propagation", "create_host_path", "recursive",
                                        "selinux", NULL};
static const char *const vol_keys[] = {"labels", "nocopy", "subpath", NULL};
static const char *const tmpfs_keys[] = {"size", "mode", NULL};
static const char *const image_keys[] = {"subpath", NULL};
static const char *const device_keys[] = {"source", "target", "permissions", NULL};

typedef struct mount {
  const char *type;          /* NULL: unknown */
  const pm_value *src_node;  /* the value the source came from */
  const char *src;           /* NULL: none (anonymous volume, tmpfs) */
  size_t src_len;
  bool src_unknown;
  const char *dst;
  size_t dst_len;
  bool dst_unknown;
  int read_only;             /* -1: unknown */
  const pm_value *propagation;
  const pm_value *raw;
  pm_pos pos;
} mount;

/* Whether `~/...` (rel) names a folder of the user's own data, which is no
** more sensitive than a project's folder whatever HOME is: it stays inside
** the home and is neither the home itself nor one of the folders where
** tools keep credentials (~/.ssh, ~/.docker, ...). Judged on the text, so
** `~/data` reads the same for root (HOME=/root) as for any user. */
static bool home_data_folder(pol_arena *a, const char *rel, bool *oom) {
  static const char *const credentials[] = {".ssh", ".gnupg", ".docker", ".aws", ".azure",
                                            ".kube", ".config", ".local", ".netrc", ".bashrc",
                                            ".profile", ".git-credentials", ".npmrc", ".pypirc"};
  assert(rel[0] == '~');
  if (rel[1] == '\0') return false;
  char *inside = pol_path_clean(a, rel + 2, strlen(rel + 2));
  if (inside == NULL) {
    *oom = true;
    return false;
  }
  if (!strcmp(inside, ".") || !strcmp(inside, "..") || !strncmp(inside, "../", 3) ||
      inside[0] == '/')
    return false;
  size_t first = strcspn(inside, "/");
  for (size_t i = 0; i < sizeof credentials / sizeof credentials[0]; i++)
    if (strlen(credentials[i]) == first && !strncmp(inside, credentials[i], first)) return false;
  return true;
}

/* A relative or `~` bind source as Compose resolves it: `~` from HOME;
** any other from the folder of the file that declares it, made absolute
** from the working directory. NULL when the source is absolute (or a
** Windows path), or what it is relative to is not known. *within: the
** source stays inside the folder it is relative to (for `~`, a folder of
** the user's own data: home_data_folder). */
static const char *resolve_source(cmp_svc *s, const mount *m, bool *within) {
  *within = false;
  const char *src = m->src;
  size_t n = m->src_len;
  if (n == 0 || src[0] == '/' || src[0] == '\\' || (n > 1 && src[1] == ':')) return NULL;
  pol_arena *a = s->pm->a;
  char *rel = pol_arena_strndup(a, src, n);
  if (rel == NULL) { s->pm->oom = true; return NULL; }
  if (rel[0] == '~' && (rel[1] == '\0' || rel[1] == '/')) {
    const char *home = s->c->io->getenv ? s->c->io->getenv(s->c->io->ud, "HOME") : NULL;
    if (home == NULL || home[0] != '/') return NULL;
    *within = home_data_folder(a, rel, &s->pm->oom);
    if (s->pm->oom) return NULL;
    char *p = cmp_path_join(a, home, rel[1] ? rel + 2 : ".");
    if (p == NULL) s->pm->oom = true;
    return p;
  }
  char *inside = pol_path_clean(a, rel, n);
  if (inside == NULL) { s->pm->oom = true; return NULL; }
  *within = strcmp(inside, "..") != 0 && strncmp(inside, "../", 3) != 0;
  const cmp_file *f = cmp_file_of(s->c, m->pos);
  const char *base = f ? f->base : s->c->nfiles ? s->c->files[0]->base : ".";
  if (base[0] != '/') {
    if (s->c->cwd == NULL) return NULL;
    base = cmp_path_join(a, s->c->cwd, base);
    if (base == NULL) { s->pm->oom = true; return NULL; }
  }
  char *p = cmp_path_join(a, base, rel);
  if (p == NULL) s->pm->oom = true;
  return p;
}

static void add_mount(cmp_svc *s, const mount *m) {
  pm_mount_in in = {0};
  in.type = m->type;
  in.source = pm_b_str_or_null(s->pm, m->src, m->src_len, m->pos);
  in.source_unknown = m->src_unknown;
  if (m->type && !strcmp(m->type, "bind") && m->src && !m->src_unknown)
    in.resolved = resolve_source(s, m, &in.within_project);
  if (m->dst && !m->dst_unknown) {
    char *dst = pol_path_clean(s->pm->a, m->dst, m->dst_len);
    if (dst == NULL) { s->pm->oom = true; return; }
    in.target = pm_b_str(s->pm, dst, m->pos);
  } else {
    in.target = pm_b_str_or_null(s->pm, m->dst, m->dst_len, m->pos);
  }
  in.read_only = m->read_only < 0 ? NULL : pm_b_bool(s->pm, m->read_only, m->pos);
  in.propagation = (pm_value *)m->propagation;
  in.raw = (pm_value *)m->raw;
  in.pos = m->pos;
  pm_container_add_mount(s->pm, pm_get(s->ctr, "mounts"), &in);
}

/* [SOURCE:]TARGET[:OPTIONS] */
static void short_volume(cmp_svc *s, const pm_value *it) {
  cmp_volume v;
  if (!cmp_volume_parse(it->u.str.s, it->u.str.len, &v)) {
    cmp_svc_error(s, it, "volumes", "invalid spec: %.200s: %s", it->u.str.s, v.error);
    return;
  }
  cmp_unknown(s, it);
  mount m = {0};
  m.pos = it->pos;
  m.raw = it;
  m.read_only = 0;
  m.src = v.src;
  m.src_len = v.src_len;
  m.src_unknown = v.src && cmp_part_unknown(s, it, v.src, v.src_len);
  m.type = v.src == NULL ? "volume" : v.bind ? "bind" : "volume";
  if (m.src_unknown && v.src[0] == '$') m.type = NULL;
  m.dst = v.dst;
  m.dst_len = v.dst_len;
  m.dst_unknown = cmp_part_unknown(s, it, v.dst, v.dst_len);
  if (v.opts && cmp_part_unknown(s, it, v.opts, v.opts_len)) m.read_only = -1;
  for (size_t i = 0; v.opts && i < v.opts_len && m.read_only >= 0;) {
    size_t e = i;
    while (e < v.opts_len && v.opts[e] != ',') e++;
    const char *o = v.opts + i;
    size_t n = e - i;
    if (n == 2 && !strncmp(o, "ro", 2)) m.read_only = 1;
    else if (n == 2 && !strncmp(o, "rw", 2)) m.read_only = 0;
    else {
      static const char *const prop[] = {"shared", "rshared", "slave", "rslave", "private",
                                         "rprivate"};
      for (size_t k = 0; k < sizeof prop / sizeof prop[0]; k++)
        if (strlen(prop[k]) == n && !strncmp(o, prop[k], n))
          m.propagation = pm_b_strn(s->pm, o, n, it->pos);
    }
    i = e + 1;
  }
  add_mount(s, &m);
}

static void long_volume(cmp_svc *s, const pm_value *it) {
  cmp_check_keys(s, it, "volumes", volume_keys);
  const pm_value *type = pm_get(it, "type"), *src = pm_get(it, "source"),
                 *dst = pm_get(it, "target"), *ro = pm_get(it, "read_only"),
                 *bind = pm_get(it, "bind");
  if (type == NULL) {
    cmp_svc_error(s, it, "volumes", "missing property 'type'");
    return;
  }
  static const char *const types[] = {"bind", "volume", "tmpfs", "cluster", "npipe", "image"};
  pm_value *t = cmp_read_string(s, type, "volumes.type");
  const char *tname = NULL;
  for (size_t i = 0; t && t->type == PM_STR && i < sizeof types / sizeof types[0]; i++)
    if (!strcmp(t->u.str.s, types[i])) tname = types[i];
  if (t && t->type == PM_STR && tname == NULL && !cmp_unknown(s, t)) {
    cmp_svc_error(s, type, "volumes.type", " must be one of bind, volume, tmpfs, cluster, "
                  "npipe, image");
    return;
  }
  static const struct { const char *key; const char *const *keys; } subs[] = {
      {"bind", bind_keys}, {"volume", vol_keys}, {"tmpfs", tmpfs_keys}, {"image", image_keys}};
  for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++) {
    const pm_value *sub = pm_get(it, subs[i].key);
    if (sub && sub->type == PM_MAP) cmp_check_keys(s, sub, subs[i].key, subs[i].keys);
    else if (sub && sub->type != PM_NULL)
      cmp_svc_error(s, sub, "volumes", "%s must be a mapping", subs[i].key);
  }
  mount m = {0};
  m.pos = it->pos;
  m.type = tname;
  pm_value *sv = src ? cmp_read_string(s, src, "volumes.source") : NULL;
  pm_value *dv = dst ? cmp_read_string(s, dst, "volumes.target") : NULL;
  if (sv && sv->type == PM_STR) {
    m.src = sv->u.str.s;
    m.src_len = sv->u.str.len;
    m.src_unknown = cmp_unknown(s, sv);
  }
  if (dv && dv->type == PM_STR) {
    m.dst = dv->u.str.s;
    m.dst_len = dv->u.str.len;
    m.dst_unknown = cmp_unknown(s, dv);
  } else if (tname && strcmp(tname, "tmpfs") && strcmp(tname, "npipe")) {
    cmp_svc_error(s, it, "volumes", "missing property 'target'");
  }
  pm_value *rov = ro ? cmp_read_bool(s, ro, "volumes.read_only") : NULL;
  m.read_only = rov == NULL ? 0 : rov->type == PM_BOOL ? rov->u.b : -1;
  if (bind && bind->type == PM_MAP) {
    const pm_value *p = pm_get(bind, "propagation");
    if (p) m.propagation = cmp_read_string(s, p, "volumes.bind.propagation");
    if (pm_get(bind, "create_host_path"))
      cmp_read_bool(s, pm_get(bind, "create_host_path"), "volumes.bind.create_host_path");
  }
  const pm_value *vol = pm_get(it, "volume");
  if (vol && vol->type == PM_MAP && pm_get(vol, "nocopy"))
    cmp_read_bool(s, pm_get(vol, "nocopy"), "volumes.volume.nocopy");
  const pm_value *tmp = pm_get(it, "tmpfs");
  if (tmp && tmp->type == PM_MAP && pm_get(tmp, "size"))
    cmp_read_bytes(s, pm_get(tmp, "size"), "volumes.tmpfs.size");
  add_mount(s, &m);
}

static void volumes(cmp_svc *s) {
  const pm_value *v = pm_get(s->src, "volumes");
  if (v == NULL || v->type == PM_NULL) return;
  if (v->type != PM_ARR) {
    cmp_svc_error(s, v, "volumes", " must be a list");
    return;
  }
  for (size_t i = 0; i < v->u.arr.len && !s->c->pm.oom; i++) {
    const pm_value *it = v->u.arr.items[i];
    if (it->type == PM_STR) short_volume(s, it);
    else if (it->type == PM_MAP) long_volume(s, it);
    else cmp_svc_error(s, it, "volumes", " items must be strings or mappings");
  }
}

/* use_api_socket: the engine's socket is mounted (with the credentials). */
static void api_socket(cmp_svc *s) {
  const pm_value *v = pm_get(s->src, "use_api_socket");
  if (v == NULL) return;
  pm_value *b = cmp_read_bool(s, v, "use_api_socket");
  if (b == NULL || b->type != PM_BOOL || !b->u.b) return;
  static const char sock[] = "/var/run/docker.sock";
  mount m = {0};
  m.pos = v->pos;
  m.type = "bind";
  m.src = m.dst = sock;
  m.src_len = m.dst_len = sizeof sock - 1;
  m.raw = pm_b_str(s->pm, "use_api_socket", v->pos);
  add_mount(s, &m);
}

static void tmpfs(cmp_svc *s) {
  const pm_value *v = pm_get(s->src, "tmpfs");
  if (v) pm_b_set(s->pm, s->ctr, "tmpfs", cmp_read_strings(s, v, "tmpfs", true));
}

static void add_device(cmp_svc *s, const pm_value *at, pm_value *host, pm_value *cont,
                       pm_value *perms, const pm_value *raw) {
  pm_value *e = pm_b_obj(s->pm, PM_SCHEMA_DEVICE, at->pos);
  if (e == NULL) { s->c->pm.oom = true; return; }
  pm_b_set(s->pm, e, "host", host);
  pm_b_set(s->pm, e, "container", cont ? cont : host);
  pm_b_set(s->pm, e, "permissions", perms ? perms : pm_b_str(s->pm, "rwm", at->pos));
  pm_b_set(s->pm, e, "raw", raw ? (pm_value *)raw : pm_b_null(s->pm, at->pos));
  pm_b_push(s->pm, pm_get(s->ctr, "devices"), e);
}

static void devices(cmp_svc *s) {
  const pm_value *v = pm_get(s->src, "devices");
  if (v == NULL || v->type == PM_NULL) return;
  if (v->type != PM_ARR) {
    cmp_svc_error(s, v, "devices", " must be a list");
    return;
  }
  for (size_t i = 0; i < v->u.arr.len && !s->c->pm.oom; i++) {
    const pm_value *it = v->u.arr.items[i];
    if (it->type == PM_MAP) {
      cmp_check_keys(s, it, "devices", device_keys);
      const pm_value *src = pm_get(it, "source"), *dst = pm_get(it, "target"),
                     *perm = pm_get(it, "permissions");
      if (src == NULL) {
        cmp_svc_error(s, it, "devices", "missing property 'source'");
        continue;
      }
      add_device(s, it, cmp_read_string(s, src, "devices.source"),
                 dst ? cmp_read_string(s, dst, "devices.target") : NULL,
                 perm ? cmp_read_string(s, perm, "devices.permissions") : NULL, NULL);
      continue;
    }
    if (it->type != PM_STR) {
      cmp_svc_error(s, it, "devices", " items must be strings or mappings");
      continue;
    }
    cmp_device d;
    if (!cmp_device_parse(it->u.str.s, it->u.str.len, &d)) {
      cmp_svc_error(s, it, "devices", "%s: %.200s", d.error, it->u.str.s);
      continue;
    }
    cmp_unknown(s, it);
    add_device(s, it, pm_b_str_or_null(s->pm, d.host, d.host_len, it->pos),
               d.container ? pm_b_str_or_null(s->pm, d.container, d.container_len, it->pos) : NULL,
               d.perms ? pm_b_str_or_null(s->pm, d.perms, d.perms_len, it->pos) : NULL, it);
  }
}

void cmp_svc_mounts(cmp_svc *s) {
  volumes(s);
  api_socket(s);
  tmpfs(s);
  devices(s);
}
