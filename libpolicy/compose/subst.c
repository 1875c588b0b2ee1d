/*
** subst.c: interpolation of a whole Compose tree (see ctx.h).
**
** Only values are interpolated, never keys. A node shared through aliases
** is interpolated once (memo), so the result keeps the sharing and the
** work stays linear in the size of the source. Nodes that do not change
** are returned as they are.
*/
#include <string.h>

#include "ctx.h"

typedef struct ipass {
  cmp_ctx *c;
  cmp_lookup env;
  cmp_memo memo;
  pol_buf out, missing, err;
} ipass;

static pm_value *walk(ipass *p, pm_value *v);

/* Marks `to` with the text as written, the missing names and the tags of
** `from`. */
static bool mark(ipass *p, const pm_value *from, pm_value *to, bool unknown) {
  cmp_ctx *c = p->c;
  unsigned tags = cmp_tags(&c->marks, from);
  pm_value *names = NULL;
  if (unknown) {
    names = pm_arr(c->pm.a, to->pos);
    if (names == NULL) return false;
    for (size_t i = 0; i < p->missing.len;) {
      const char *n = p->missing.data + i;
      size_t len = strlen(n);
      if (!pm_push(c->pm.a, names, pm_strn(c->pm.a, n, len, to->pos))) return false;
      i += len + 1;
    }
  }
  cmp_mark *mk = cmp_mark_add(c->pm.a, &c->marks, to);
  if (mk == NULL) return false;
  mk->tags = tags;
  mk->written = from->u.str.s;
  mk->written_len = from->u.str.len;
  mk->missing = names;
  return true;
}

/* Each variable without a value is reported once per document. */
static void warn_missing(ipass *p, pm_pos pos) {
  cmp_ctx *c = p->c;
  for (size_t i = 0; i < p->missing.len && !c->pm.oom;) {
    const char *n = p->missing.data + i;
    size_t len = strlen(n);
    i += len + 1;
    if (pm_getn(c->warned, n, len)) continue;
    if (!pm_setn(c->pm.a, c->warned, n, len, pm_null(c->pm.a, pm_nopos))) { c->pm.oom = true; return; }
    if (c->io->getenv)
      cmp_warning(c, pos, "The \"%s\" variable is not set; values that use it are unknown", n);
    else
      cmp_warning(c, pos, "The \"%s\" variable is not set (the process environment is not "
                  "read); values that use it are unknown", n);
  }
}

static pm_value *string(ipass *p, pm_value *v) {
  cmp_ctx *c = p->c;
  pol_buf_clear(&p->out);
  pol_buf_clear(&p->missing);
  pol_buf_clear(&p->err);
  int rc = cmp_subst(&p->env, v->u.str.s, v->u.str.len, &p->out, &p->missing, &p->err);
  if (rc == CMP_SUBST_NOMEM) { c->pm.oom = true; return NULL; }
  if (rc == CMP_SUBST_ERROR)
    cmp_error(c, v->pos, "%s", p->err.data ? p->err.data : "invalid interpolation");
  if (rc == CMP_SUBST_MISSING) warn_missing(p, v->pos);
  if (rc == CMP_SUBST_OK && p->out.len == v->u.str.len &&
      (p->out.len == 0 || memcmp(p->out.data, v->u.str.s, p->out.len) == 0))
    return v;
  const char *text = rc == CMP_SUBST_ERROR ? v->u.str.s : p->out.data;
  size_t len = rc == CMP_SUBST_ERROR ? v->u.str.len : p->out.len;
  pm_value *n = pm_strn(c->pm.a, text ? text : "", len, v->pos);
  if (n == NULL || !mark(p, v, n, rc != CMP_SUBST_OK)) { c->pm.oom = true; return NULL; }
  return n;
}

/* A copy of a collection whose items changed, keeping its tags. */
static pm_value *copy_tags(ipass *p, const pm_value *from, pm_value *to) {
  unsigned tags = cmp_tags(&p->c->marks, from);
  if (tags) {
    cmp_mark *mk = cmp_mark_add(p->c->pm.a, &p->c->marks, to);
    if (mk == NULL) { p->c->pm.oom = true; return NULL; }
    mk->tags = tags;
  }
  return to;
}

static pm_value *collection(ipass *p, pm_value *v) {
  cmp_ctx *c = p->c;
  size_t n = v->type == PM_ARR ? v->u.arr.len : v->u.obj.len;
  pm_value **items = n ? pol_arena_alloc(c->pm.a, n * sizeof *items) : NULL;
  if (n && items == NULL) { c->pm.oom = true; return NULL; }
  bool changed = false;
  for (size_t i = 0; i < n; i++) {
    pm_value *old = v->type == PM_ARR ? v->u.arr.items[i] : v->u.obj.items[i].val;
    items[i] = walk(p, old);
    if (items[i] == NULL) return NULL;
    changed |= items[i] != old;
  }
  if (!changed) return v;
  pm_value *out = v->type == PM_ARR ? pm_arr(c->pm.a, v->pos) : pm_map(c->pm.a, v->pos);
  if (out == NULL) { c->pm.oom = true; return NULL; }
  for (size_t i = 0; i < n; i++) {
    bool ok = v->type == PM_ARR
                  ? pm_push(c->pm.a, out, items[i])
                  : pm_setn(c->pm.a, out, v->u.obj.items[i].key, v->u.obj.items[i].key_len, items[i]);
    if (!ok) { c->pm.oom = true; return NULL; }
  }
  return copy_tags(p, v, out);
}

static pm_value *walk(ipass *p, pm_value *v) {
  if (p->c->pm.oom) return NULL;
  if (v->type != PM_STR && v->type != PM_ARR && v->type != PM_MAP) return v;
  pm_value *done = cmp_memo_get(&p->memo, v);
  if (done) return done;
  pm_value *r = v->type == PM_STR ? string(p, v) : collection(p, v);
  if (r && !cmp_memo_put(p->c->pm.a, &p->memo, v, r)) { p->c->pm.oom = true; return NULL; }
  return r;
}

pm_value *cmp_interpolate(cmp_ctx *c, const cmp_env *env, pm_value *root) {
  ipass p = {c, cmp_env_lookup(env), {0}, POL_BUF_INIT, POL_BUF_INIT, POL_BUF_INIT};
  pm_value *r = walk(&p, root);
  pol_buf_free(&p.out);
  pol_buf_free(&p.missing);
  pol_buf_free(&p.err);
  return c->pm.oom ? NULL : r;
}
