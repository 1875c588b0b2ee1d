/*
** mounts.c: a container's filesystem mounts: HostConfig.Binds ("-v"
** strings), HostConfig.Mounts ("--mount" objects), the top-level Mounts of
** container inspect (the effective set: binds, --mount entries and the
** image's anonymous volumes) and HostConfig.Tmpfs.
**
** Binds are read the way the Engine's Linux parser reads them:
** "dst", "src:dst" or "src:dst:mode"; an absolute src is a bind, any other
** a named volume; mode is a comma list of ro/rw, z/Z, nocopy, a
** propagation and a consistency. `docker_socket` and `sensitive` are
** decided on the lexically cleaned source path as for every source
** (model/container_fill.h; symbolic links on the host cannot be seen from
** here).
*/
#include <string.h>

#include "../model/container_fill.h"
#include "insp.h"

/* Appends {type, source, target, read_only, propagation, docker_socket,
** sensitive, raw} (model/container_fill.h). source/target/propagation/raw:
** nodes or NULL (null). */
static void add_mount(insp_ctx *c, pm_value *list, const char *type,
                      pm_value *source, pm_value *target, pm_value *read_only,
                      pm_value *propagation, pm_value *raw, pm_pos pos) {
  pm_mount_in m = {.type = type, .source = source, .target = target, .read_only = read_only,
                   .propagation = propagation, .raw = raw, .pos = pos};
  pm_container_add_mount(&c->pm, list, &m);
}

static bool word_is(const char *s, size_t n, const char *w) {
  return strlen(w) == n && memcmp(s, w, n) == 0;
}

static void bind_string(insp_ctx *c, pm_value *list, const pm_value *b,
                        const char *path) {
  const char *s = b->u.str.s;
  size_t n = b->u.str.len, colon[3], ncolon = 0;
  for (size_t i = 0; i < n && ncolon < 3; i++)
    if (s[i] == ':') colon[ncolon++] = i;
  pm_pos pos = b->pos;
  const char *src = NULL, *dst = s, *mode = "";
  size_t srcl = 0, dstl = n, model = 0;
  if (ncolon == 1 || ncolon == 2) {
    src = s;
    srcl = colon[0];
    dst = s + colon[0] + 1;
    dstl = (ncolon == 2 ? colon[1] : n) - colon[0] - 1;
    if (ncolon == 2) {
      mode = s + colon[1] + 1;
      model = n - colon[1] - 1;
    }
  }
  bool ro = false, bad = ncolon > 2 || dstl == 0;
  const char *prop = NULL;
  size_t propl = 0;
  if (!bad && ncolon == 1) {
    bool dummy_ro;
    const char *dummy;
    size_t dl;
    /* "dst:mode" is not a bind: volumes cannot carry a mode alone. */
    bad = pm_parse_bind_mode(dst, dstl, &dummy_ro, &dummy, &dl);
  }
  if (!bad && ncolon == 2 && (model == 0 || !pm_parse_bind_mode(mode, model, &ro, &prop, &propl))) {
    insp_error(c, pos, "%s: invalid mode \"%.*s\" in bind \"%.*s\"", path,
               (int)(model > 64 ? 64 : model), mode, (int)(n > 200 ? 200 : n), s);
    return;
  }
  if (bad) {
    insp_error(c, pos, "%s: invalid volume specification \"%.*s\"", path,
               (int)(n > 200 ? 200 : n), s);
    return;
  }
  bool bind = src && srcl > 0 && src[0] == '/';
  add_mount(c, list, bind ? "bind" : "volume",
            src ? pm_b_strn(&c->pm, src, srcl, pos) : NULL, pm_b_strn(&c->pm, dst, dstl, pos),
            pm_b_bool(&c->pm, ro, pos), prop ? pm_b_strn(&c->pm, prop, propl, pos) : NULL,
            (pm_value *)b, pos);
}

static const char *const mount_types[] = {"bind", "volume", "tmpfs", "npipe",
                                          "cluster", "image", NULL};

/* The mount type of object o (the model's spelling), or NULL after
** reporting a missing or unknown one. */
static const char *mount_type(const pm_value *t, const pm_value *o,
                              const char *path, insp_ctx *c) {
  for (size_t i = 0; t && mount_types[i]; i++)
    if (word_is(t->u.str.s, t->u.str.len, mount_types[i])) return mount_types[i];
  if (t == NULL)
    insp_error(c, o->pos, "%s.Type is missing", path);
  else
    insp_error(c, t->pos, "%s.Type: unknown mount type \"%.*s\"", path,
               (int)(t->u.str.len > 32 ? 32 : t->u.str.len), t->u.str.s);
  return NULL;
}

/* One HostConfig.Mounts object. */
static void mount_object(insp_ctx *c, pm_value *list, const pm_value *o,
                         const char *path) {
  insp_view v = insp_view_one(c, o, path);
  const pm_value *t = insp_field(c, &v, "Type", PM_STR, false);
  const pm_value *src = insp_field(c, &v, "Source", PM_STR, false);
  const pm_value *dst = insp_field(c, &v, "Target", PM_STR, false);
  const pm_value *ro = insp_field(c, &v, "ReadOnly", PM_BOOL, false);
  insp_view bo;
  insp_sub(c, &v, "BindOptions", true, &bo);
  const pm_value *prop = insp_field(c, &bo, "Propagation", PM_STR, false);
  const char *type = mount_type(t, o, path, c);
  if (type == NULL) return;
  pm_pos pos = o->pos;
  add_mount(c, list, type, src && src->u.str.len ? (pm_value *)src : NULL,
            dst && dst->u.str.len ? (pm_value *)dst : NULL,
            ro ? (pm_value *)ro : pm_b_bool(&c->pm, false, pos),
            prop && prop->u.str.len ? (pm_value *)prop : NULL, NULL, pos);
}

/* One MountPoint of the top-level Mounts of container inspect. */
static void mount_point(insp_ctx *c, pm_value *list, const pm_value *o,
                        const char *path) {
  insp_view v = insp_view_one(c, o, path);
  const pm_value *t = insp_field(c, &v, "Type", PM_STR, false);
  const pm_value *name = insp_field(c, &v, "Name", PM_STR, false);
  const pm_value *src = insp_field(c, &v, "Source", PM_STR, false);
  const pm_value *dst = insp_field(c, &v, "Destination", PM_STR, false);
  const pm_value *rw = insp_field(c, &v, "RW", PM_BOOL, false);
  const pm_value *prop = insp_field(c, &v, "Propagation", PM_STR, false);
  const pm_value *driver = insp_field(c, &v, "Driver", PM_STR, false);
  bool named = name && name->u.str.len > 0;
  /* Engines before API 1.25 list no Type: a named mount with a volume
  ** driver is a volume, anything else a bind. */
  const char *type = t ? mount_type(t, o, path, c)
                       : named && driver && driver->u.str.len ? "volume" : "bind";
  if (type == NULL) return;
  /* a volume's source is its name, as in Binds and Compose */
  const pm_value *source = !strcmp(type, "volume") && named ? name : src;
  if (!strcmp(type, "tmpfs") || (source && source->u.str.len == 0)) source = NULL;
  add_mount(c, list, type, (pm_value *)source,
            dst && dst->u.str.len ? (pm_value *)dst : NULL,
            rw ? pm_b_bool(&c->pm, !rw->u.b, rw->pos) : NULL,
            prop && prop->u.str.len ? (pm_value *)prop : NULL, NULL, o->pos);
}

static void tmpfs_list(insp_ctx *c, const insp_view *host, pm_value *ctr) {
  insp_view tv;
  insp_sub(c, host, "Tmpfs", true, &tv);
  const pm_value *src = insp_merged(c, &tv);
  pm_value *list = pm_b_arr(&c->pm, src ? src->pos : host->pos);
  pm_b_set(&c->pm, ctr, "tmpfs", list);
  for (size_t i = 0; list && src && i < src->u.obj.len && !c->pm.oom; i++) {
    const pm_member *m = &src->u.obj.items[i];
    const pm_value *opt = m->val;
    if (opt->type != PM_STR) {
      insp_error(c, opt->pos, "%s.%s must be a string, not %s", tv.path, m->key,
                 insp_type_name(opt->type));
      continue;
    }
    size_t n = m->key_len + (opt->u.str.len ? opt->u.str.len + 1 : 0);
    char *s = pol_arena_alloc(c->pm.a, n + 1);
    if (s == NULL) {
      c->pm.oom = true;
      return;
    }
    memcpy(s, m->key, m->key_len);
    if (opt->u.str.len) {
      s[m->key_len] = ':';
      memcpy(s + m->key_len + 1, opt->u.str.s, opt->u.str.len);
    }
    s[n] = '\0';
    pm_b_push(&c->pm, list, pm_b_strn(&c->pm, s, n, opt->pos));
  }
}

void insp_container_mounts(insp_ctx *c, const insp_view *host,
                           const pm_value *effective, const char *eff_path,
                           pm_value *ctr) {
  const pm_value *binds = insp_field(c, host, "Binds", PM_ARR, true);
  const pm_value *objs = insp_field(c, host, "Mounts", PM_ARR, true);
  pm_value *list = pm_b_arr(&c->pm, effective ? effective->pos
                                         : binds ? binds->pos
                                         : objs ? objs->pos : host->pos);
  pm_b_set(&c->pm, ctr, "mounts", list);
  if (list == NULL) return;
  if (effective) {
    insp_each(c, list, effective, eff_path, PM_MAP, mount_point);
  } else {
    insp_each(c, list, binds, insp_path(c, host->path, "Binds", -1), PM_STR,
              bind_string);
    insp_each(c, list, objs, insp_path(c, host->path, "Mounts", -1), PM_MAP,
              mount_object);
  }
  tmpfs_list(c, host, ctr);
}
