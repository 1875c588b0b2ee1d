/*
** validate.c: the consistency rules compose-go applies to a loaded project
** (a service needs an image or a build; names it refers to must be
** defined; `network_mode` excludes `networks`; no dependency cycle).
** Each broken rule is an error of the document, at the value concerned.
*/
#include <string.h>

#include "ctx.h"

typedef struct chk {
  cmp_ctx *c;
  const pm_value *root, *services;
} chk;

static bool unknown(const chk *k, const pm_value *v) {
  const cmp_mark *mk = cmp_mark_of(&k->c->marks, v);
  return mk && mk->missing;
}

static bool defined(const chk *k, const char *section, const char *name, size_t n) {
  const pm_value *sec = pm_get(k->root, section);
  return sec && sec->type == PM_MAP && pm_getn(sec, name, n) != NULL;
}

/* The names a list of names or a mapping (keys) holds. */
static size_t names_of(const pm_value *v, size_t i, const char **name, size_t *len,
                       const pm_value **at) {
  if (v->type == PM_ARR) {
    const pm_value *it = v->u.arr.items[i];
    if (it->type != PM_STR) return 0;
    *name = it->u.str.s;
    *len = it->u.str.len;
    *at = it;
    return 1;
  }
  *name = v->u.obj.items[i].key;
  *len = v->u.obj.items[i].key_len;
  *at = v->u.obj.items[i].val;
  return 1;
}

static size_t count(const pm_value *v) {
  return v == NULL ? 0 : v->type == PM_ARR ? v->u.arr.len : v->type == PM_MAP ? v->u.obj.len : 0;
}

static void references(chk *k, const char *svc, const pm_value *s) {
  cmp_ctx *c = k->c;
  const pm_value *nm = pm_get(s, "network_mode"), *nets = pm_get(s, "networks");
  if (nm && nm->type == PM_STR && count(nets) > 0)
    cmp_error(c, nm->pos, "service %s declares mutually exclusive `network_mode` and `networks`", svc);
  for (size_t i = 0; i < count(nets); i++) {
    const char *n;
    size_t l;
    const pm_value *at;
    if (!names_of(nets, i, &n, &l, &at) || unknown(k, at)) continue;
    if (!(l == 7 && !memcmp(n, "default", 7)) && !defined(k, "networks", n, l))
      cmp_error(c, at->pos, "service \"%s\" refers to undefined network %.*s", svc, (int)l, n);
  }
  if (nm && nm->type == PM_STR && !unknown(k, nm) && !strncmp(nm->u.str.s, "service:", 8) &&
      !pm_get(k->services, nm->u.str.s + 8))
    cmp_error(c, nm->pos, "service \"%s\" not found for network_mode 'service:%s'",
              nm->u.str.s + 8, nm->u.str.s + 8);
  const pm_value *deps = pm_get(s, "depends_on");
  for (size_t i = 0; i < count(deps); i++) {
    const char *n;
    size_t l;
    const pm_value *at;
    if (!names_of(deps, i, &n, &l, &at) || unknown(k, at)) continue;
    const pm_value *req = at->type == PM_MAP ? pm_get(at, "required") : NULL;
    if (req && req->type == PM_BOOL && !req->u.b) continue;
    if (!pm_getn(k->services, n, l))
      cmp_error(c, at->pos, "service \"%s\" depends on undefined service \"%.*s\"", svc, (int)l, n);
  }
  static const struct { const char *attr, *section, *what; } grants[] = {
      {"secrets", "secrets", "secret"}, {"configs", "configs", "config"}};
  for (size_t g = 0; g < 2; g++) {
    const pm_value *list = pm_get(s, grants[g].attr);
    for (size_t i = 0; list && list->type == PM_ARR && i < list->u.arr.len; i++) {
      const pm_value *it = list->u.arr.items[i];
      const pm_value *src = it->type == PM_MAP ? pm_get(it, "source") : it;
      if (src == NULL || src->type != PM_STR || unknown(k, src)) continue;
      if (!defined(k, grants[g].section, src->u.str.s, src->u.str.len))
        cmp_error(c, src->pos, "service \"%s\" refers to undefined %s %s", svc,
                  grants[g].what, src->u.str.s);
    }
  }
}

/* Named volumes used by the service must be declared at the top level. */
static void volumes(chk *k, const char *svc, const pm_value *ctr) {
  const pm_value *mounts = pm_get(ctr, "mounts");
  for (size_t i = 0; mounts && i < mounts->u.arr.len; i++) {
    const pm_value *m = mounts->u.arr.items[i];
    const pm_value *type = pm_get(m, "type"), *src = pm_get(m, "source");
    if (type == NULL || type->type != PM_STR || strcmp(type->u.str.s, "volume") ||
        src == NULL || src->type != PM_STR)
      continue;
    /* A volume name has no '$': one here is a reference left unresolved. */
    if (memchr(src->u.str.s, '$', src->u.str.len)) continue;
    if (!defined(k, "volumes", src->u.str.s, src->u.str.len))
      cmp_error(k->c, m->pos, "service \"%s\" refers to undefined volume %s", svc, src->u.str.s);
  }
}

static void needs_image(chk *k, const char *svc, const pm_value *s) {
  const pm_value *img = pm_get(s, "image"), *b = pm_get(s, "build");
  bool has_build = b && b->type != PM_NULL;
  bool failed_extends = pm_get(s, "extends") != NULL; /* already reported */
  /* A `provider` service (a cloud resource, a model runner) runs no image. */
  const pm_value *provider = pm_get(s, "provider");
  bool has_provider = provider && provider->type != PM_NULL;
  if ((img == NULL || img->type == PM_NULL) && !has_build && !failed_extends && !has_provider)
    cmp_error(k->c, s->pos, "service \"%s\" has neither an image nor a build context specified", svc);
  if (b && b->type == PM_MAP && pm_get(b, "dockerfile") && pm_get(b, "dockerfile_inline"))
    cmp_error(k->c, b->pos, "service \"%s\" declares mutually exclusive dockerfile and "
              "dockerfile_inline", svc);
}

/* depends_on cycles: an iterative depth-first search (state 1: on the
** current path, 2: done), so a long chain cannot exhaust the C stack. */
typedef struct visit { const pm_value *deps; size_t next; const char *name; size_t len; } visit;

static void cycles(chk *k) {
  cmp_ctx *c = k->c;
  pm_value *state = pm_map(c->pm.a, pm_nopos);
  visit *stack = NULL;
  size_t depth = 0, cap = 0;
  if (state == NULL) { c->pm.oom = true; return; }
  for (size_t r = 0; r < k->services->u.obj.len && !c->pm.oom; r++) {
    const pm_member *root = &k->services->u.obj.items[r];
    if (pm_getn(state, root->key, root->key_len)) continue;
    const char *name = root->key;
    size_t len = root->key_len;
    for (;;) {
      const pm_value *st = pm_getn(state, name, len);
      const pm_value *svc = pm_getn(k->services, name, len);
      if (st && st->u.i == 1) {
        cmp_error(c, svc->pos, "dependency cycle detected: service \"%.*s\"", (int)len, name);
        return;
      }
      if (!st && svc && svc->type == PM_MAP) {
        if (!pol_arena_grow(c->pm.a, (void **)&stack, &cap, depth + 1, sizeof *stack) ||
            !pm_setn(c->pm.a, state, name, len, pm_int(c->pm.a, 1, pm_nopos))) {
          c->pm.oom = true;
          return;
        }
        const pm_value *deps = pm_get(svc, "depends_on");
        stack[depth++] = (visit){deps, 0, name, len};
      }
      /* The next dependency of the innermost service, or pop it. */
      bool found = false;
      while (depth > 0 && !found) {
        visit *top = &stack[depth - 1];
        const pm_value *at;
        if (top->next < count(top->deps)) {
          found = names_of(top->deps, top->next++, &name, &len, &at) != 0;
        } else {
          if (!pm_setn(c->pm.a, state, top->name, top->len, pm_int(c->pm.a, 2, pm_nopos))) {
            c->pm.oom = true;
            return;
          }
          depth--;
        }
      }
      if (!found) break;
    }
  }
}

void cmp_check(cmp_ctx *c, const pm_value *root, const pm_value *containers) {
  chk k = {c, root, pm_get(root, "services")};
  if (k.services == NULL || k.services->type != PM_MAP) return;
  for (size_t i = 0; i < k.services->u.obj.len && !c->pm.oom; i++) {
    const pm_member *m = &k.services->u.obj.items[i];
    if (m->val->type == PM_NULL) {
      cmp_error(c, m->val->pos, "service \"%s\" has neither an image nor a build context "
                "specified", m->key);
      continue;
    }
    if (m->val->type != PM_MAP) continue;
    needs_image(&k, m->key, m->val);
    references(&k, m->key, m->val);
    const pm_value *ctr = pm_get(containers, m->key);
    if (ctr) volumes(&k, m->key, ctr);
  }
  cycles(&k);
  const pm_value *secrets = pm_get(root, "secrets");
  for (size_t i = 0; secrets && secrets->type == PM_MAP && i < secrets->u.obj.len; i++) {
    const pm_value *sv = secrets->u.obj.items[i].val;
    if (sv->type != PM_MAP) continue;
    const pm_value *ext = pm_get(sv, "external");
    if (ext && !(ext->type == PM_BOOL && !ext->u.b)) continue;
    if (!pm_get(sv, "file") && !pm_get(sv, "environment"))
      cmp_error(c, sv->pos, "secret \"%s\" must declare either `file` or `environment`",
                secrets->u.obj.items[i].key);
  }
}
