/*
** include.c: `include:`. Each entry (a path, or {path, project_directory,
** env_file}) is loaded as a project of its own: its files merged, its own
** includes and extends resolved, its variables from its own env files
** (or the .env of its project directory) under the including project's.
** Its services, networks, volumes, secrets, configs and models are then
** added to the including file; a name defined on both sides is an error.
** Nesting is bounded; a file that includes itself, directly or not, is an
** error.
*/
#include <string.h>

#include "ctx.h"

#define MAX_INCLUDE_DEPTH 16

static const char *const imported[] = {"services", "networks", "volumes",
                                       "secrets",  "configs",  "models"};

/* The strings of a string-or-list value, into `out` (arena array). */
static size_t strings(cmp_ctx *c, const pm_value *v, const char *what,
                      const char ***out) {
  *out = NULL;
  if (v == NULL) return 0;
  size_t n = v->type == PM_ARR ? v->u.arr.len : 1;
  const char **list = pol_arena_alloc(c->pm.a, (n ? n : 1) * sizeof *list);
  if (list == NULL) { c->pm.oom = true; return 0; }
  for (size_t i = 0; i < n; i++) {
    const pm_value *s = v->type == PM_ARR ? v->u.arr.items[i] : v;
    if (s->type != PM_STR) {
      cmp_error(c, s->pos, "include.%s must be a string or a list of strings", what);
      return 0;
    }
    list[i] = s->u.str.s;
  }
  *out = list;
  return n;
}

static bool same_origin(const pm_value *a, const pm_value *b) {
  return a == b || (a->pos.file == b->pos.file && a->pos.line == b->pos.line &&
                    a->pos.col == b->pos.col && a->pos.line != 0);
}

/* Adds the resources of `sub` to `into` (a copy of the including root). */
static void import(cmp_ctx *c, pm_value *into, const pm_value *sub,
                   const char *from, pm_pos at) {
  for (size_t k = 0; k < sizeof imported / sizeof imported[0] && !c->pm.oom; k++) {
    const pm_value *theirs = pm_get(sub, imported[k]);
    if (theirs == NULL || theirs->type != PM_MAP) continue;
    pm_value *ours = pm_get(into, imported[k]);
    pm_value *merged = pm_map(c->pm.a, ours ? ours->pos : theirs->pos);
    if (merged == NULL) { c->pm.oom = true; return; }
    for (size_t i = 0; ours && ours->type == PM_MAP && i < ours->u.obj.len; i++)
      if (!pm_setn(c->pm.a, merged, ours->u.obj.items[i].key, ours->u.obj.items[i].key_len,
                   ours->u.obj.items[i].val))
        c->pm.oom = true;
    for (size_t i = 0; i < theirs->u.obj.len && !c->pm.oom; i++) {
      const pm_member *m = &theirs->u.obj.items[i];
      const pm_value *have = pm_getn(merged, m->key, m->key_len);
      if (have && !same_origin(have, m->val)) {
        cmp_error(c, at, "imported compose file %s defines conflicting %.*s %s", from,
                  (int)strlen(imported[k]) - 1, imported[k], m->key);
        continue;
      }
      if (!pm_setn(c->pm.a, merged, m->key, m->key_len, m->val)) c->pm.oom = true;
    }
    if (!c->pm.oom && !pm_set(c->pm.a, into, imported[k], merged)) c->pm.oom = true;
  }
}

/* One include entry: loads the project it names and imports it. */
static void include_one(cmp_ctx *c, cmp_file *f, pm_value *into, const pm_value *entry,
                        int depth) {
  const pm_value *path = entry, *dir = NULL, *envf = NULL;
  if (entry->type == PM_MAP) {
    path = pm_get(entry, "path");
    dir = pm_get(entry, "project_directory");
    envf = pm_get(entry, "env_file");
    for (size_t i = 0; i < entry->u.obj.len; i++) {
      const char *k = entry->u.obj.items[i].key;
      if (strcmp(k, "path") && strcmp(k, "project_directory") && strcmp(k, "env_file")) {
        cmp_error(c, entry->u.obj.items[i].val->pos,
                  "include: additional properties '%s' not allowed", k);
        return;
      }
    }
    if (path == NULL) { cmp_error(c, entry->pos, "include: missing property 'path'"); return; }
  }
  const char **paths, **envs;
  size_t np = strings(c, path, "path", &paths);
  size_t ne = strings(c, envf, "env_file", &envs);
  if (np == 0 || c->pm.oom) return;
  if (dir && dir->type != PM_STR) {
    cmp_error(c, dir->pos, "include.project_directory must be a string");
    return;
  }
  char *first = cmp_path_join(c->pm.a, f->base, paths[0]);
  char *project = dir ? cmp_path_join(c->pm.a, f->base, dir->u.str.s)
                      : (first ? cmp_path_dir(c->pm.a, first) : NULL);
  if (first == NULL || project == NULL) { c->pm.oom = true; return; }
  for (size_t i = 0; i < ne; i++)
    if ((envs[i] = cmp_path_join(c->pm.a, f->base, envs[i])) == NULL) { c->pm.oom = true; return; }
  const cmp_env *env = cmp_env_new(c, f->env, envs, ne, project, entry->pos);
  if (env == NULL) return;
  pm_value *root = NULL;
  cmp_file *head = NULL;
  for (size_t i = 0; i < np && !c->pm.oom; i++) {
    char *p = i ? cmp_path_join(c->pm.a, f->base, paths[i]) : first;
    if (p == NULL) { c->pm.oom = true; return; }
    cmp_file *sub = cmp_load(c, p, project, env, NULL, 0, entry->pos);
    if (sub == NULL || sub->root == NULL) return;
    if (sub->including) {
      cmp_error(c, entry->pos, "include cycle detected: %s includes itself", p);
      return;
    }
    if (head == NULL) head = sub;
    root = root ? cmp_merge_files(c, root, sub->root) : sub->root;
  }
  if (root == NULL) return;
  head->including = true;
  root = cmp_include(c, head, root, depth + 1);
  if (root) root = cmp_extends(c, head, root);
  head->including = false;
  if (root) import(c, into, root, head->name, entry->pos);
}

pm_value *cmp_include(cmp_ctx *c, cmp_file *f, pm_value *root, int depth) {
  const pm_value *list = pm_get(root, "include");
  if (list == NULL) return root;
  pm_value *out = pm_map(c->pm.a, root->pos);
  if (out == NULL) { c->pm.oom = true; return NULL; }
  for (size_t i = 0; i < root->u.obj.len; i++) {
    const pm_member *m = &root->u.obj.items[i];
    if (!strcmp(m->key, "include")) continue;
    if (!pm_setn(c->pm.a, out, m->key, m->key_len, m->val)) { c->pm.oom = true; return NULL; }
  }
  if (list->type != PM_ARR) {
    if (list->type != PM_NULL) cmp_error(c, list->pos, "include must be a list");
    return out;
  }
  if (depth >= MAX_INCLUDE_DEPTH) {
    cmp_error(c, list->pos, "includes are nested more than %d deep", MAX_INCLUDE_DEPTH);
    return out;
  }
  f->including = true;
  for (size_t i = 0; i < list->u.arr.len && !c->pm.oom; i++)
    include_one(c, f, out, list->u.arr.items[i], depth);
  f->including = false;
  return c->pm.oom ? NULL : out;
}
