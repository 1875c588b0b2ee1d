/*
** service_env.c: a service's environment as the container gets it:
** the variables of its `env_file`s (read through the caller's cmp_io,
** relative to the folder of the file that names them; later files win),
** then `environment`, whose names given alone take their value from the
** project's variables (the process environment, then `.env`), as
** compose-go fills them. `env_source` says where each value came from
** (docs/model.md), so rules can tell a value written in the Compose file
** from one it only refers to.
*/
#include <assert.h>
#include <string.h>

#include "../core/alloc.h"
#include "dotenv.h"
#include "norm.h"

/* Sets env[name] = value and env_source[name] = source. */
static void put(cmp_svc *s, const char *name, size_t len, pm_value *value, const char *source) {
  pm_value *env = pm_get(s->ctr, "env"), *sources = pm_get(s->ctr, "env_source");
  assert(env && env->type == PM_MAP && sources && sources->type == PM_MAP);
  pm_value *src = value ? pm_b_str(s->pm, source, value->pos) : NULL;
  if (value == NULL || src == NULL || !pm_setn(s->c->pm.a, env, name, len, value) ||
      !pm_setn(s->c->pm.a, sources, name, len, src))
    s->c->pm.oom = true;
}

/* The variables of one env file into the container. A missing file is a
** warning (docker compose refuses to start; its variables are unknown
** here); `required: false` makes it silent. */
static void read_env_file(cmp_svc *s, const pm_value *path, bool required) {
  if (path == NULL || path->type != PM_STR || cmp_unknown(s, path)) return;
  const cmp_file *f = cmp_file_of(s->c, path->pos);
  const char *base = f ? f->base : s->c->files[0]->base;
  char *full = cmp_path_join(s->c->pm.a, base, path->u.str.s);
  if (full == NULL) { s->c->pm.oom = true; return; }
  char *data = NULL;
  size_t len = 0;
  pol_buf why = POL_BUF_INIT;
  int rc = s->c->io->read(s->c->io->ud, full, &data, &len, &why);
  if (rc == CMP_IO_NOMEM || why.oom) s->c->pm.oom = true;
  else if (rc == CMP_IO_MISSING && required)
    cmp_svc_warning(s, path, "env_file", "env file %s not found: its variables are unknown", full);
  else if (rc == CMP_IO_FAIL)
    cmp_svc_warning(s, path, "env_file", "env file %s cannot be read: %s", full,
                    why.data ? why.data : "");
  pol_buf_free(&why);
  if (rc != CMP_IO_OK) return;
  pm_value *vars = pm_map(s->c->pm.a, pm_nopos);
  pol_buf err = POL_BUF_INIT;
  uint32_t line = 0;
  const cmp_file *first = s->c->files[0];
  cmp_lookup outer = cmp_env_lookup(f ? f->env : first->env);
  int drc = vars ? cmp_dotenv(s->c->pm.a, data, len, full, &outer, vars, &err, &line)
                 : CMP_DOTENV_NOMEM;
  pol_free(data);
  if (drc == CMP_DOTENV_NOMEM || err.oom) {
    s->c->pm.oom = true;
  } else if (drc == CMP_DOTENV_SYNTAX) {
    pm_pos pos = pm_pos_make(line, 1, line, 1);
    pos.file = full;
    cmp_error(s->c, pos, "%s", err.data ? err.data : "invalid env file");
  } else {
    for (size_t i = 0; i < vars->u.obj.len && !s->c->pm.oom; i++) {
      const pm_member *m = &vars->u.obj.items[i];
      put(s, m->key, m->key_len, m->val, "env_file");
    }
  }
  pol_buf_free(&err);
}

/* The `env_file` list: its paths, and each file's variables. */
static void env_files(cmp_svc *s) {
  const pm_value *f = pm_get(s->src, "env_file");
  if (f == NULL || f->type == PM_NULL) return;
  pm_value *out = pm_get(s->ctr, "env_files");
  if (f->type == PM_STR) {
    pm_value *p = cmp_read_string(s, f, "env_file");
    pm_b_push(s->pm, out, p);
    read_env_file(s, p, true);
    return;
  }
  if (f->type != PM_ARR) {
    cmp_svc_error(s, f, "env_file", " must be a string or a list");
    return;
  }
  static const char *const keys[] = {"path", "required", "format", NULL};
  for (size_t i = 0; i < f->u.arr.len && !s->c->pm.oom; i++) {
    const pm_value *it = f->u.arr.items[i];
    if (it->type == PM_MAP) {
      cmp_check_keys(s, it, "env_file", keys);
      const pm_value *p = pm_get(it, "path");
      if (p == NULL) {
        cmp_svc_error(s, it, "env_file", "missing property 'path'");
        continue;
      }
      pm_value *path = cmp_read_string(s, p, "env_file.path");
      pm_b_push(s->pm, out, path);
      const pm_value *req = pm_get(it, "required");
      pm_value *r = req ? cmp_read_bool(s, req, "env_file.required") : NULL;
      read_env_file(s, path, !(r && r->type == PM_BOOL && !r->u.b));
    } else {
      pm_value *path = cmp_read_string(s, it, "env_file");
      pm_b_push(s->pm, out, path);
      read_env_file(s, path, true);
    }
  }
}

/* The node a name of `environment` was written in (the mapping's value,
** or the list's item), for telling a written value from an interpolated
** one; NULL when not found. */
static const pm_value *written_at(const pm_value *v, const char *name, size_t len) {
  if (v->type == PM_MAP) return pm_getn(v, name, len);
  for (size_t i = 0; v->type == PM_ARR && i < v->u.arr.len; i++) {
    const pm_value *it = v->u.arr.items[i];
    if (it->type == PM_STR && !strncmp(it->u.str.s, name, len) &&
        (it->u.str.s[len] == '=' || it->u.str.s[len] == '\0'))
      return it;
  }
  return NULL;
}

void cmp_svc_environment(cmp_svc *s) {
  env_files(s);
  const pm_value *v = pm_get(s->src, "environment");
  if (v == NULL) return;
  pm_value *dict = cmp_read_dict(s, v, "environment");
  if (dict == NULL) return;
  const cmp_file *f = cmp_file_of(s->c, v->pos);
  cmp_lookup project = cmp_env_lookup(f ? f->env : s->c->files[0]->env);
  for (size_t i = 0; i < dict->u.obj.len && !s->c->pm.oom; i++) {
    const pm_member *m = &dict->u.obj.items[i];
    if (m->val->type == PM_NULL) {
      /* A name alone: its value from the project's variables, if set. */
      size_t vl;
      const char *val = project.get(project.ud, m->key, m->key_len, &vl);
      if (val) put(s, m->key, m->key_len, pm_b_strn(s->pm, val, vl, m->val->pos), "host");
      else put(s, m->key, m->key_len, m->val, "host");
      continue;
    }
    const pm_value *at = written_at(v, m->key, m->key_len);
    const cmp_mark *mk = at ? cmp_mark_of(&s->c->marks, at) : NULL;
    put(s, m->key, m->key_len, m->val, mk && mk->written ? "interpolated" : "file");
  }
}
