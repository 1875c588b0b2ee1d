/*
** extends.c: `extends: name` and `extends: {service, file}`. The base
** service (its own `extends` resolved first, in the file that defines it)
** is merged under the service as override files merge (merge.c); the
** result has no `extends`. Chains are bounded; a cycle is an error.
*/
#include <string.h>

#include "ctx.h"

#define MAX_EXTENDS_DEPTH 64

static pm_value *resolve(cmp_ctx *c, cmp_file *f, pm_value *services,
                         const char *name, size_t nl, pm_pos from, int depth);

/* svc without its `extends` member. */
static pm_value *without_extends(cmp_ctx *c, const pm_value *svc) {
  pm_value *out = pm_map(c->pm.a, svc->pos);
  if (out == NULL) { c->pm.oom = true; return NULL; }
  for (size_t i = 0; i < svc->u.obj.len; i++) {
    const pm_member *m = &svc->u.obj.items[i];
    if (!strcmp(m->key, "extends")) continue;
    if (!pm_setn(c->pm.a, out, m->key, m->key_len, m->val)) { c->pm.oom = true; return NULL; }
  }
  return out;
}

/* The base service that `ext` names, resolved. */
static pm_value *base_of(cmp_ctx *c, cmp_file *f, pm_value *services,
                         const pm_value *ext, int depth) {
  const pm_value *service = ext, *file = NULL;
  if (ext->type == PM_MAP) {
    service = pm_get(ext, "service");
    file = pm_get(ext, "file");
    for (size_t i = 0; i < ext->u.obj.len; i++) {
      const char *k = ext->u.obj.items[i].key;
      if (strcmp(k, "service") && strcmp(k, "file")) {
        cmp_error(c, ext->u.obj.items[i].val->pos,
                  "extends: additional properties '%s' not allowed", k);
        return NULL;
      }
    }
    if (service == NULL) {
      cmp_error(c, ext->pos, "extends: missing property 'service'");
      return NULL;
    }
  }
  if (service->type != PM_STR || (file && file->type != PM_STR)) {
    cmp_error(c, ext->pos, "extends must be a string or a mapping of strings {service, file}");
    return NULL;
  }
  if (file == NULL)
    return resolve(c, f, services, service->u.str.s, service->u.str.len, ext->pos, depth + 1);
  cmp_file *where = cmp_file_of(c, file->pos);
  char *path = cmp_path_join(c->pm.a, where ? where->dir : f->dir, file->u.str.s);
  if (path == NULL) { c->pm.oom = true; return NULL; }
  cmp_file *other = cmp_load(c, path, NULL, f->env, NULL, 0, file->pos);
  if (other == NULL || other->root == NULL) return NULL;
  pm_value *theirs = pm_get(other->root, "services");
  if (theirs == NULL || theirs->type != PM_MAP) {
    cmp_error(c, file->pos, "cannot extend service \"%s\" in %s: no services",
              service->u.str.s, path);
    return NULL;
  }
  return resolve(c, other, theirs, service->u.str.s, service->u.str.len, service->pos,
                 depth + 1);
}

static pm_value *resolve(cmp_ctx *c, cmp_file *f, pm_value *services,
                         const char *name, size_t nl, pm_pos from, int depth) {
  pm_value *done = pm_getn(f->resolved, name, nl);
  if (done) return done->type == PM_NULL ? NULL : done; /* null: failed */
  pm_value *svc = pm_getn(services, name, nl);
  if (svc == NULL) {
    cmp_error(c, from, "cannot extend service \"%.*s\" in %s: service not found",
              (int)nl, name, f->name);
    return NULL;
  }
  const pm_value *ext = svc->type == PM_MAP ? pm_get(svc, "extends") : NULL;
  if (ext == NULL) return svc;
  if (depth > MAX_EXTENDS_DEPTH) {
    cmp_error(c, ext->pos, "extends chain longer than %d services", MAX_EXTENDS_DEPTH);
    return NULL;
  }
  const pm_value *busy = pm_getn(f->resolving, name, nl);
  if (busy && busy->u.b) {
    cmp_error(c, ext->pos, "circular reference with extends: service \"%.*s\"", (int)nl, name);
    return NULL;
  }
  pm_value *on = pm_bool(c->pm.a, true, pm_nopos), *off = pm_bool(c->pm.a, false, pm_nopos);
  if (on == NULL || off == NULL || !pm_setn(c->pm.a, f->resolving, name, nl, on)) {
    c->pm.oom = true;
    return NULL;
  }
  pm_value *base = base_of(c, f, services, ext, depth);
  pm_value *local = base ? without_extends(c, svc) : NULL;
  pm_value *out = local ? cmp_merge_service(c, base, local) : NULL;
  if (out) out->pos = svc->pos;
  pm_value *failed = pm_null(c->pm.a, pm_nopos);
  if (failed == NULL || !pm_setn(c->pm.a, f->resolving, name, nl, off) ||
      !pm_setn(c->pm.a, f->resolved, name, nl, out ? out : failed))
    c->pm.oom = true;
  return c->pm.oom ? NULL : out;
}

pm_value *cmp_extends(cmp_ctx *c, cmp_file *f, pm_value *root) {
  pm_value *services = pm_get(root, "services");
  if (services == NULL || services->type != PM_MAP) return root;
  bool any = false;
  for (size_t i = 0; i < services->u.obj.len && !any; i++)
    any = services->u.obj.items[i].val->type == PM_MAP &&
          pm_get(services->u.obj.items[i].val, "extends") != NULL;
  if (!any) return root;
  pm_value *out = pm_map(c->pm.a, services->pos);
  if (out == NULL) { c->pm.oom = true; return NULL; }
  for (size_t i = 0; i < services->u.obj.len && !c->pm.oom; i++) {
    const pm_member *m = &services->u.obj.items[i];
    pm_value *r = resolve(c, f, services, m->key, m->key_len, m->val->pos, 0);
    if (r == NULL && !c->pm.oom) r = m->val; /* reported; keeps its `extends` */
    if (r == NULL || !pm_setn(c->pm.a, out, m->key, m->key_len, r)) c->pm.oom = true;
  }
  pm_value *copy = pm_map(c->pm.a, root->pos);
  if (copy == NULL) { c->pm.oom = true; return NULL; }
  for (size_t i = 0; i < root->u.obj.len && !c->pm.oom; i++) {
    const pm_member *m = &root->u.obj.items[i];
    pm_value *v = strcmp(m->key, "services") ? m->val : out;
    if (!pm_setn(c->pm.a, copy, m->key, m->key_len, v)) c->pm.oom = true;
  }
  return c->pm.oom ? NULL : copy;
}
