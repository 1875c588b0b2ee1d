/*
** loader.c: the entry point of the Compose loader (see compose.h): the
** project's files in `docker compose` order (the file given, its override
** file or the files COMPOSE_FILE names; each file read, interpolated
** and its includes resolved; files merged; extends resolved; !reset
** applied), the top-level shape checked, every service normalised, the
** consistency rules applied, and the merged source kept as `raw`.
*/
#include <ctype.h>
#include <string.h>

#include "../core/alloc.h"
#include "../model/doc.h"
#include "norm.h"

static const char *const top_keys[] = {"version", "name", "include", "services",
                                       "networks", "volumes", "secrets", "configs",
                                       "models", NULL};
static const char *const default_names[] = {"compose.yaml", "compose.yml",
                                            "docker-compose.yml", "docker-compose.yaml"};
static const char *const override_names[] = {"compose.override.yml", "compose.override.yaml",
                                             "docker-compose.override.yml",
                                             "docker-compose.override.yaml"};

static const char *base_name(const char *p) {
  const char *s = strrchr(p, '/');
  return s ? s + 1 : p;
}

/* The first override file next to `first` (when `first` has a default
** name): its name and text, or NULL. */
static char *find_override(cmp_ctx *c, const char *first, const char *dir, char **text,
                           size_t *len) {
  bool standard = false;
  for (size_t i = 0; i < 4; i++) standard |= !strcmp(base_name(first), default_names[i]);
  if (!standard) return NULL;
  for (size_t i = 0; i < 4; i++) {
    char *path = cmp_path_join(c->pm.a, dir, override_names[i]);
    if (path == NULL) { c->pm.oom = true; return NULL; }
    pol_buf why = POL_BUF_INIT;
    int rc = c->io->read(c->io->ud, path, text, len, &why);
    if (rc == CMP_IO_NOMEM || why.oom) c->pm.oom = true;
    else if (rc == CMP_IO_FAIL)
      cmp_warning(c, pm_nopos, "%s is not read: %s", path, why.data ? why.data : "");
    else if (rc == CMP_IO_DENIED) /* denied for one name, denied for all: one warning */
      cmp_warning(c, pm_nopos, "the override files next to %s (%s, %s, %s, %s) are not read: %s",
                  first, override_names[0], override_names[1], override_names[2],
                  override_names[3], why.data ? why.data : "");
    pol_buf_free(&why);
    if (rc == CMP_IO_OK) return path;
    if (c->pm.oom || rc == CMP_IO_DENIED) return NULL;
  }
  return NULL;
}

/* COMPOSE_PROJECT_NAME, for interpolation, when the environment does not
** set it: the file's top-level `name:` or the project folder's name,
** lower-cased, keeping [a-z0-9_-]. */
static void project_name(cmp_ctx *c, cmp_env *env, const char *text, size_t len,
                         const char *dir) {
  cmp_lookup l = cmp_env_lookup(env);
  size_t vl;
  if (l.get(l.ud, "COMPOSE_PROJECT_NAME", 20, &vl)) return;
  const char *name = NULL;
  size_t n = 0;
  for (size_t i = 0; text && i + 5 <= len; i++) {
    if ((i == 0 || text[i - 1] == '\n') && !memcmp(text + i, "name:", 5)) {
      const char *p = text + i + 5, *e = memchr(p, '\n', len - (size_t)(p - text));
      if (e == NULL) e = text + len;
      while (p < e && (*p == ' ' || *p == '\t' || *p == '"' || *p == '\'')) p++;
      while (e > p && (e[-1] == ' ' || e[-1] == '\r' || e[-1] == '"' || e[-1] == '\'')) e--;
      if (memchr(p, '$', (size_t)(e - p)) == NULL && memchr(p, '#', (size_t)(e - p)) == NULL) {
        name = p;
        n = (size_t)(e - p);
      }
      break;
    }
  }
  if (name == NULL) {
    const char *d = strcmp(dir, ".") ? dir : c->io->getenv ? c->io->getenv(c->io->ud, "PWD") : NULL;
    if (d == NULL) return;
    name = base_name(d);
    n = strlen(name);
  }
  char *norm = pol_arena_alloc(c->pm.a, n + 1);
  if (norm == NULL) { c->pm.oom = true; return; }
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    char ch = (char)tolower((unsigned char)name[i]);
    if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-')
      norm[k++] = ch;
  }
  if (k == 0) return;
  if (!pm_set(c->pm.a, env->vars, "COMPOSE_PROJECT_NAME", pm_strn(c->pm.a, norm, k, pm_nopos)))
    c->pm.oom = true;
}

/* The files COMPOSE_FILE names (in the environment, else the project's
** .env), relative to `dir`, split at COMPOSE_PATH_SEPARATOR (":" by
** default), when one of them is `first`: docker compose run in that
** folder without -f reads exactly those, in that order. NULL otherwise;
** *n is their number. */
static const char **compose_file_list(cmp_ctx *c, const cmp_env *env, const char *first,
                                      const char *dir, size_t *n) {
  cmp_lookup l = cmp_env_lookup(env);
  size_t len, sl;
  const char *list = l.get(l.ud, "COMPOSE_FILE", 12, &len);
  const char *sep = l.get(l.ud, "COMPOSE_PATH_SEPARATOR", 22, &sl);
  char sepc = sep && sl == 1 ? sep[0] : ':';
  *n = 0;
  if (list == NULL || len == 0) return NULL;
  char *own = pol_path_clean(c->pm.a, first, strlen(first));
  size_t cap = 0;
  const char **names = NULL;
  bool found = false;
  for (size_t i = 0; i <= len && own;) {
    size_t e = i;
    while (e < len && list[e] != sepc) e++;
    char *name = e > i ? pol_arena_strndup(c->pm.a, list + i, e - i) : NULL;
    char *path = name ? cmp_path_join(c->pm.a, dir, name) : NULL;
    if (e > i && (path == NULL ||
                  !pol_arena_grow(c->pm.a, (void **)&names, &cap, *n + 1, sizeof *names))) {
      c->pm.oom = true;
      return NULL;
    }
    if (path) {
      found |= !strcmp(path, own);
      names[(*n)++] = path;
    }
    i = e + 1;
  }
  if (own == NULL) c->pm.oom = true;
  return found ? names : NULL;
}

/* The project's files merged: each file with its includes, in order. */
static pm_value *load_files(cmp_ctx *c, const cmp_opts *o, const cmp_env *env,
                            const char *dir) {
  pm_value *root = NULL;
  size_t n = o->nfiles;
  char *over_text = NULL, *over_name = NULL;
  size_t over_len = 0;
  if (o->find_override && n == 1 && strcmp(o->files[0], "-")) {
    size_t listed;
    const char **names = compose_file_list(c, env, o->files[0], dir, &listed);
    if (names) {
      /* The document's own file is read first (positions in it carry no
      ** file name), then COMPOSE_FILE's files are merged in its order. */
      cmp_load(c, o->files[0], dir, env, o->text, o->text_len, pm_nopos);
      for (size_t i = 0; i < listed && !c->pm.oom; i++) {
        cmp_file *f = cmp_load(c, names[i], dir, env, NULL, 0, pm_nopos);
        if (f == NULL || f->root == NULL) continue;
        pm_value *r = cmp_include(c, f, f->root, 0);
        if (r) root = root ? cmp_merge_files(c, root, r) : r;
      }
      return root;
    }
    if (c->pm.oom) return NULL;
    over_name = find_override(c, o->files[0], dir, &over_text, &over_len);
  }
  for (size_t i = 0; i < n + (over_name != NULL) && !c->pm.oom; i++) {
    const char *name = i < n ? o->files[i] : over_name;
    const char *text = i == 0 ? o->text : i == n ? over_text : NULL;
    size_t len = i == 0 ? o->text_len : i == n ? over_len : 0;
    cmp_file *f = cmp_load(c, name, dir, env, text, len, pm_nopos);
    if (f == NULL || f->root == NULL) continue;
    pm_value *r = cmp_include(c, f, f->root, 0);
    if (r) root = root ? cmp_merge_files(c, root, r) : r;
  }
  pol_free(over_text);
  return root;
}

static void check_top(cmp_ctx *c, const pm_value *root) {
  for (size_t i = 0; i < root->u.obj.len; i++) {
    const pm_member *m = &root->u.obj.items[i];
    bool ok = !strncmp(m->key, "x-", 2);
    for (size_t k = 0; top_keys[k] && !ok; k++) ok = !strcmp(m->key, top_keys[k]);
    if (!ok) {
      cmp_error(c, m->val->pos, "additional properties '%s' not allowed", m->key);
      continue;
    }
    if (!strcmp(m->key, "version"))
      cmp_warning(c, m->val->pos, "the attribute `version` is obsolete, it will be ignored, "
                  "please remove it to avoid potential confusion");
    bool map = !strcmp(m->key, "services") || !strcmp(m->key, "networks") ||
               !strcmp(m->key, "volumes") || !strcmp(m->key, "secrets") ||
               !strcmp(m->key, "configs") || !strcmp(m->key, "models");
    if (map && m->val->type != PM_MAP && m->val->type != PM_NULL)
      cmp_error(c, m->val->pos, "%s must be a mapping", m->key);
    if (!strcmp(m->key, "name") && m->val->type != PM_STR)
      cmp_error(c, m->val->pos, "name must be a string");
  }
}

static bool valid_service_name(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!(isalnum((unsigned char)s[i]) || s[i] == '.' || s[i] == '_' || s[i] == '-')) return false;
  return n > 0;
}

/* Every service into a container; services that build are also returned
** as requests. */
static void containers(cmp_ctx *c, const pm_value *root, cmp_build_req **reqs,
                       size_t *nreqs) {
  const pm_value *services = pm_get(root, "services");
  pm_value *list = pm_get(c->doc, "containers"), *by_name = pm_map(c->pm.a, pm_nopos);
  if (by_name == NULL) { c->pm.oom = true; return; }
  size_t n = services && services->type == PM_MAP ? services->u.obj.len : 0;
  *reqs = n ? pol_arena_calloc(c->pm.a, n, sizeof **reqs) : NULL;
  if (n && *reqs == NULL) { c->pm.oom = true; return; }
  for (size_t i = 0; i < n && !c->pm.oom; i++) {
    const pm_member *m = &services->u.obj.items[i];
    if (!valid_service_name(m->key, m->key_len)) {
      cmp_error(c, m->val->pos, "services: invalid service name \"%s\"", m->key);
      continue;
    }
    bool builds;
    pm_value *ctr = cmp_service(c, m->key, m->key_len, m->val, &(*reqs)[*nreqs], &builds);
    if (ctr == NULL) continue;
    if (!pm_push(c->pm.a, list, ctr) || !pm_setn(c->pm.a, by_name, m->key, m->key_len, ctr))
      c->pm.oom = true;
    if (builds) (*nreqs)++;
  }
  if (!c->pm.oom) cmp_check(c, root, by_name);
}

int cmp_build(pol_arena *a, const cmp_opts *o, const cmp_io *io, pm_value **doc,
              cmp_build_req **reqs, size_t *nreqs) {
  cmp_ctx c = {0};
  c.pm.a = a;
  c.io = io;
  c.lim = o->limits;
  c.cwd = o->cwd && o->cwd[0] == '/' ? o->cwd : NULL;
  *doc = NULL;
  *reqs = NULL;
  *nreqs = 0;
  c.doc = pm_doc_new(a, "compose", o->files[0]);
  c.warned = pm_map(a, pm_nopos);
  if (c.doc == NULL || c.warned == NULL) return CMP_ERR_NOMEM;
  const char *first = o->files[0];
  char *dir = strcmp(first, "-") ? cmp_path_dir(a, first) : pol_arena_strdup(a, ".");
  if (dir == NULL) return CMP_ERR_NOMEM;
  const cmp_env *env = cmp_env_new(&c, NULL, o->env_file ? &o->env_file : NULL,
                                   o->env_file ? 1 : 0, dir, pm_nopos);
  cmp_env *own = (cmp_env *)env;
  if (env == NULL && !c.pm.oom) {       /* reported; go on without its variables */
    own = pol_arena_calloc(a, 1, sizeof *own);
    if (own && (own->vars = pm_map(a, pm_nopos)) != NULL) own->io = io;
    else c.pm.oom = true;
  }
  if (!c.pm.oom) project_name(&c, own, o->text, o->text_len, dir);
  pm_value *root = c.pm.oom ? NULL : load_files(&c, o, own, dir);
  if (root && c.nfiles) root = cmp_extends(&c, c.files[0], root);
  if (root) root = cmp_drop_resets(&c, root);
  if (root && root->u.obj.len == 0 && c.nfiles && c.files[0]->root &&
      c.files[0]->root->u.obj.len == 0)
    cmp_error(&c, c.files[0]->root->pos, "empty compose file");
  if (root) {
    check_top(&c, root);
    containers(&c, root, reqs, nreqs);
    if (!pm_set(a, c.doc, "raw", root)) c.pm.oom = true;
  } else if (!c.pm.oom && !pm_set(a, c.doc, "raw", pm_map(a, pm_nopos))) {
    c.pm.oom = true;
  }
  if (c.pm.oom) return CMP_ERR_NOMEM;
  *doc = c.doc;
  return CMP_OK;
}
