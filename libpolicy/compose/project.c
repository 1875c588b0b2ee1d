/*
** project.c: the files of a Compose project: reading one (through the
** caller's cmp_io), its documents merged and interpolated, and the
** variables interpolation looks up.
*/
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../core/alloc.h"
#include "../model/doc.h"
#include "ctx.h"
#include "dotenv.h"

static void diag(cmp_ctx *c, bool error, pm_pos pos, const char *fmt, va_list ap) {
  pol_buf b = POL_BUF_INIT;
  pol_buf_vprintf(&b, fmt, ap);
  if (b.oom) { c->pm.oom = true; return; }
  bool ok = error ? pm_doc_error(c->pm.a, c->doc, b.data ? b.data : "", pos)
                  : pm_doc_warning(c->pm.a, c->doc, b.data ? b.data : "", pos);
  if (!ok) c->pm.oom = true;
  pol_buf_free(&b);
}

void cmp_error(cmp_ctx *c, pm_pos pos, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  diag(c, true, pos, fmt, ap);
  va_end(ap);
}

void cmp_warning(cmp_ctx *c, pm_pos pos, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  diag(c, false, pos, fmt, ap);
  va_end(ap);
}

/* ---- variables ------------------------------------------------------------ */

#define MAX_ENV_CHAIN 64

static const char *env_get(void *ud, const char *name, size_t len, size_t *vlen) {
  const cmp_env *env = ud;
  char buf[256];
  if (len < sizeof buf && env->io->getenv) {
    memcpy(buf, name, len);
    buf[len] = '\0';
    const char *v = env->io->getenv(env->io->ud, buf);
    if (v) {
      *vlen = strlen(v);
      return v;
    }
  }
  const cmp_env *chain[MAX_ENV_CHAIN];
  size_t n = 0;
  for (const cmp_env *e = env; e && n < MAX_ENV_CHAIN; e = e->parent) chain[n++] = e;
  while (n-- > 0) {
    const pm_value *v = chain[n]->vars ? pm_getn(chain[n]->vars, name, len) : NULL;
    if (v && v->type == PM_STR) {
      *vlen = v->u.str.len;
      return v->u.str.s;
    }
  }
  return NULL;
}

cmp_lookup cmp_env_lookup(const cmp_env *env) {
  cmp_lookup l = {env_get, (void *)env};
  return l;
}

static bool truthy(const char *v) {
  return v && (!strcmp(v, "1") || !strcasecmp(v, "true") || !strcasecmp(v, "t") ||
               !strcasecmp(v, "yes") || !strcasecmp(v, "y"));
}

/* Reads one env file into env->vars; `required`: a missing file is an
** error. */
static bool read_env_file(cmp_ctx *c, cmp_env *env, const char *path,
                          bool required, pm_pos from) {
  char *data = NULL;
  size_t len = 0;
  pol_buf why = POL_BUF_INIT;
  int rc = c->io->read(c->io->ud, path, &data, &len, &why);
  bool ok = true;
  if (rc == CMP_IO_NOMEM || why.oom) { c->pm.oom = true; ok = false; }
  else if (rc == CMP_IO_MISSING && required) {
    cmp_error(c, from, "couldn't find env file: %s", path);
    ok = false;
  } else if (rc == CMP_IO_FAIL) {
    cmp_error(c, from, "open %s: %s", path, why.data ? why.data : "cannot be read");
    ok = false;
  } else if (rc == CMP_IO_DENIED) {
    cmp_warning(c, from, "%s is not read: %s", path, why.data ? why.data : "");
  }
  pol_buf_free(&why);
  if (rc != CMP_IO_OK) return ok;
  char *name = pol_arena_strdup(c->pm.a, path);
  pol_buf err = POL_BUF_INIT;
  uint32_t line = 0;
  cmp_lookup outer = cmp_env_lookup(env);
  int drc = name ? cmp_dotenv(c->pm.a, data, len, name, &outer, env->vars, &err, &line)
                 : CMP_DOTENV_NOMEM;
  if (drc == CMP_DOTENV_NOMEM) c->pm.oom = true;
  else if (drc == CMP_DOTENV_SYNTAX) {
    pm_pos pos = pm_pos_make(line, 1, line, 1);
    pos.file = name;
    cmp_error(c, pos, "%s", err.data ? err.data : "invalid env file");
  }
  pol_buf_free(&err);
  pol_free(data);
  return drc == CMP_DOTENV_OK;
}

const cmp_env *cmp_env_new(cmp_ctx *c, const cmp_env *parent,
                           const char *const *files, size_t n, const char *dir,
                           pm_pos from) {
  cmp_env *env = pol_arena_calloc(c->pm.a, 1, sizeof *env);
  if (env == NULL || (env->vars = pm_map(c->pm.a, pm_nopos)) == NULL) {
    c->pm.oom = true;
    return NULL;
  }
  env->io = c->io;
  env->parent = parent;
  for (size_t i = 0; i < n; i++)
    if (!read_env_file(c, env, files[i], true, from)) return NULL;
  if (n == 0 && !(c->io->getenv && truthy(c->io->getenv(c->io->ud, "COMPOSE_DISABLE_ENV_FILE")))) {
    char *path = cmp_path_join(c->pm.a, dir, ".env");
    if (path == NULL) { c->pm.oom = true; return NULL; }
    if (!read_env_file(c, env, path, false, from)) return NULL;
  }
  return env;
}

/* ---- files ---------------------------------------------------------------- */

cmp_file *cmp_file_of(const cmp_ctx *c, pm_pos pos) {
  for (size_t i = 0; i < c->nfiles; i++)
    if (c->files[i]->path == pos.file) return c->files[i];
  return NULL;
}

static cmp_file *find_file(cmp_ctx *c, const char *name) {
  char *clean = pol_path_clean(c->pm.a, name, strlen(name));
  if (clean == NULL) { c->pm.oom = true; return NULL; }
  for (size_t i = 0; i < c->nfiles; i++)
    if (!strcmp(c->files[i]->name, clean)) return c->files[i];
  return NULL;
}

static cmp_file *new_file(cmp_ctx *c, const char *name, const char *base,
                          const cmp_env *env) {
  cmp_file *f = pol_arena_calloc(c->pm.a, 1, sizeof *f);
  if (f == NULL ||
      !pol_arena_grow(c->pm.a, (void **)&c->files, &c->fcap, c->nfiles + 1, sizeof *c->files)) {
    c->pm.oom = true;
    return NULL;
  }
  f->name = strcmp(name, "-") ? pol_path_clean(c->pm.a, name, strlen(name))
                              : pol_arena_strdup(c->pm.a, name);
  f->path = c->nfiles == 0 ? NULL : f->name;
  f->dir = f->name ? cmp_path_dir(c->pm.a, f->name) : NULL;
  f->base = base ? pol_arena_strdup(c->pm.a, base) : f->dir;
  f->env = env;
  f->resolved = pm_map(c->pm.a, pm_nopos);
  f->resolving = pm_map(c->pm.a, pm_nopos);
  if (f->name == NULL || f->dir == NULL || f->base == NULL || f->resolved == NULL ||
      f->resolving == NULL) {
    c->pm.oom = true;
    return NULL;
  }
  c->files[c->nfiles++] = f;
  return f;
}

/* The documents of a file, each interpolated, merged in order. */
static void load_documents(cmp_ctx *c, cmp_file *f, const char *text, size_t len) {
  cmp_yaml y;
  pol_buf err = POL_BUF_INIT;
  pm_pos where = pm_nopos;
  int rc = cmp_yaml_load(c->pm.a, text, len, f->path, &c->lim, &c->marks, &y, &err, &where);
  if (rc == CMP_YAML_NOMEM) { c->pm.oom = true; pol_buf_free(&err); return; }
  if (rc == CMP_YAML_SYNTAX) {
    cmp_error(c, where, "%s", err.data ? err.data : "invalid YAML");
    pol_buf_free(&err);
    return;
  }
  pol_buf_free(&err);
  cmp_comments(c, text, len, &y, f->path);
  for (size_t i = 0; i < y.ndocs && !c->pm.oom; i++) {
    pm_value *d = y.docs[i];
    if (d->type == PM_NULL) continue;
    if (d->type != PM_MAP) {
      cmp_error(c, d->pos, "Top-level object must be a mapping");
      continue;
    }
    d = cmp_interpolate(c, f->env, d);
    if (d == NULL) return;
    f->root = f->root ? cmp_merge_files(c, f->root, d) : d;
  }
  if (f->root == NULL && !c->pm.oom) {
    pm_pos pos = pm_pos_make(1, 1, 1, 1);
    pos.file = f->path;
    f->root = pm_map(c->pm.a, pos);
    if (f->root == NULL) c->pm.oom = true;
  }
}

cmp_file *cmp_load(cmp_ctx *c, const char *name, const char *base,
                   const cmp_env *env, const char *text, size_t len,
                   pm_pos from) {
  cmp_file *f = find_file(c, name);
  if (f || c->pm.oom) return f;
  f = new_file(c, name, base, env);
  if (f == NULL) return NULL;
  char *data = NULL;
  if (text == NULL) {
    pol_buf why = POL_BUF_INIT;
    int rc = c->io->read(c->io->ud, name, &data, &len, &why);
    if (rc == CMP_IO_NOMEM || why.oom) c->pm.oom = true;
    else if (rc == CMP_IO_MISSING)
      cmp_error(c, from, "open %s: no such file or directory", name);
    else if (rc == CMP_IO_DENIED)
      cmp_warning(c, from, "%s is not read: %s", name, why.data ? why.data : "");
    else if (rc != CMP_IO_OK)
      cmp_error(c, from, "open %s: %s", name, why.data ? why.data : "cannot be read");
    pol_buf_free(&why);
    if (rc != CMP_IO_OK) return NULL;
    text = data;
  }
  load_documents(c, f, text, len);
  pol_free(data);
  return c->pm.oom ? NULL : f;
}
