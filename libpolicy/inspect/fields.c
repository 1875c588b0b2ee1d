/*
** fields.c: struct fields read the way the Engine's Go decoder reads
** them (see "views" in insp.h).
**
** Cost: a field lookup scans every member of every part once, and each
** builder looks up a fixed set of fields per struct, so reading a struct
** is linear in its members.
*/
#include <stdio.h>
#include <string.h>

#include "insp.h"

const char *insp_type_name(pm_type t) {
  switch (t) {
  case PM_NULL: return "null";
  case PM_BOOL: return "a boolean";
  case PM_INT: return "an integer";
  case PM_NUM: return "a number";
  case PM_STR: return "a string";
  case PM_ARR: return "an array";
  default: return "an object";
  }
}

const char *insp_path(insp_ctx *c, const char *base, const char *name,
                      long index) {
  char buf[512];
  if (index >= 0)
    snprintf(buf, sizeof buf, "%s%s%s[%ld]", base, *base && *name ? "." : "",
             name, index);
  else
    snprintf(buf, sizeof buf, "%s%s%s", base, *base && *name ? "." : "", name);
  char *s = pol_arena_strdup(c->pm.a, buf);
  if (s == NULL) c->pm.oom = true;
  return s ? s : "";
}

/* Go matches struct fields ignoring case; besides ASCII, U+0131 (dotless
** i), U+017F (long s) and U+212A (Kelvin sign) fold to ASCII letters in
** one Go release or another, so they match too. */
static bool fold_match(const char *key, size_t klen, const char *name) {
  size_t i = 0;
  for (const char *p = name; *p; p++) {
    if (i >= klen) return false;
    unsigned char b = (unsigned char)key[i];
    char got;
    if (b < 0x80) {
      got = (char)b;
      i++;
    } else if (b == 0xC4 && i + 1 < klen && (unsigned char)key[i + 1] == 0xB1) {
      got = 'i';
      i += 2;
    } else if (b == 0xC5 && i + 1 < klen && (unsigned char)key[i + 1] == 0xBF) {
      got = 's';
      i += 2;
    } else if (b == 0xE2 && i + 2 < klen && (unsigned char)key[i + 1] == 0x84 &&
               (unsigned char)key[i + 2] == 0xAA) {
      got = 'k';
      i += 3;
    } else {
      return false;
    }
    char want = *p;
    if (got >= 'A' && got <= 'Z') got = (char)(got - 'A' + 'a');
    if (want >= 'A' && want <= 'Z') want = (char)(want - 'A' + 'a');
    if (got != want) return false;
  }
  return i == klen;
}

bool insp_has(const pm_value *obj, const char *name) {
  for (size_t i = 0; obj && obj->type == PM_MAP && i < obj->u.obj.len; i++)
    if (fold_match(obj->u.obj.items[i].key, obj->u.obj.items[i].key_len, name))
      return true;
  return false;
}

/* Calls back for every member of v that sets field `name`, in order. */
typedef void (*member_fn)(insp_ctx *c, const pm_member *m, void *arg);

static void each_match(insp_ctx *c, const insp_view *v, const char *name,
                       member_fn fn, void *arg) {
  size_t nl = strlen(name);
  for (size_t p = 0; p < v->n; p++) {
    const pm_value *obj = v->parts[p];
    for (size_t i = 0; i < obj->u.obj.len; i++) {
      const pm_member *m = &obj->u.obj.items[i];
      if (!fold_match(m->key, m->key_len, name)) continue;
      if (m->key_len != nl || memcmp(m->key, name, nl) != 0)
        insp_warning(c, m->val->pos,
                     "key \"%.*s\" sets %s%s%s: the Engine matches field names "
                     "ignoring case",
                     (int)(m->key_len > 64 ? 64 : m->key_len), m->key, v->path,
                     *v->path ? "." : "", name);
      fn(c, m, arg);
    }
  }
}

insp_view insp_view_one(insp_ctx *c, const pm_value *obj, const char *path) {
  insp_view v = {NULL, 0, obj ? obj->pos : pm_nopos, path};
  if (obj == NULL || obj->type != PM_MAP) return v;
  v.parts = pol_arena_alloc(c->pm.a, sizeof *v.parts);
  if (v.parts == NULL) {
    c->pm.oom = true;
    return v;
  }
  v.parts[0] = obj;
  v.n = 1;
  return v;
}

typedef struct sub_arg {
  insp_view *out;
  size_t cap;
  bool nullable;
  const char *path;
} sub_arg;

static void sub_member(insp_ctx *c, const pm_member *m, void *arg) {
  sub_arg *s = arg;
  const pm_value *val = m->val;
  if (val->type == PM_NULL) {
    if (s->nullable) s->out->n = 0;
    return;
  }
  if (val->type != PM_MAP) {
    insp_error(c, val->pos, "%s must be an object, not %s", s->path,
               insp_type_name(val->type));
    return;
  }
  if (!pol_arena_grow(c->pm.a, (void **)&s->out->parts, &s->cap, s->out->n + 1,
                   sizeof *s->out->parts)) {
    c->pm.oom = true;
    return;
  }
  s->out->parts[s->out->n++] = val;
  s->out->pos = val->pos;
}

bool insp_sub(insp_ctx *c, const insp_view *v, const char *name, bool nullable,
              insp_view *out) {
  const char *path = insp_path(c, v->path, name, -1);
  insp_view r = {NULL, 0, v->pos, path};
  *out = r;
  sub_arg s = {out, 0, nullable, path};
  each_match(c, v, name, sub_member, &s);
  return out->n > 0;
}

typedef struct field_arg {
  const pm_value *val;
  pm_type want;
  bool nullable;
  const char *path;
} field_arg;

static void field_member(insp_ctx *c, const pm_member *m, void *arg) {
  field_arg *f = arg;
  const pm_value *val = m->val;
  if (val->type == PM_NULL) {
    if (f->nullable) f->val = NULL;
    return;
  }
  if (f->want != PM_NULL && val->type != f->want) {
    insp_error(c, val->pos, "%s must be %s, not %s", f->path,
               insp_type_name(f->want), insp_type_name(val->type));
    return;
  }
  f->val = val;
}

const pm_value *insp_field(insp_ctx *c, const insp_view *v, const char *name,
                           pm_type want, bool nullable) {
  if (v->n == 0) return NULL;
  field_arg f = {NULL, want, nullable, insp_path(c, v->path, name, -1)};
  each_match(c, v, name, field_member, &f);
  return f.val;
}

const pm_value *insp_merged(insp_ctx *c, const insp_view *m) {
  if (m->n == 0) return NULL;
  if (m->n == 1) return m->parts[0];
  size_t total = 0;
  for (size_t p = 0; p < m->n; p++) total += m->parts[p]->u.obj.len;
  pm_value *map = pm_b_map(&c->pm, m->pos);
  for (size_t p = 0; map && p < m->n; p++) {
    const pm_value *obj = m->parts[p];
    for (size_t i = 0; i < obj->u.obj.len; i++)
      pm_b_setn(&c->pm, map, obj->u.obj.items[i].key, obj->u.obj.items[i].key_len,
                    obj->u.obj.items[i].val);
  }
  return c->pm.oom ? NULL : map;
}

void insp_each(insp_ctx *c, pm_value *out, const pm_value *arr,
               const char *path, pm_type want, insp_item_fn fn) {
  for (size_t i = 0; out && arr && i < arr->u.arr.len && !c->pm.oom; i++) {
    const pm_value *it = arr->u.arr.items[i];
    const char *ip = insp_path(c, path, "", (long)i);
    if (it->type != want) {
      insp_error(c, it->pos, "%s must be %s, not %s", ip, insp_type_name(want),
                 insp_type_name(it->type));
      continue;
    }
    fn(c, out, it, ip);
  }
}

bool insp_str_item(insp_ctx *c, const pm_value *item, const char *path,
                   size_t index) {
  if (item->type == PM_STR) return true;
  insp_error(c, item->pos, "%s[%zu] must be a string, not %s", path, index,
             insp_type_name(item->type));
  return false;
}
