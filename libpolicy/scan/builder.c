/*
** builder.c: the context, diagnostics and model-building helpers the
** readers of scan reports share (see scan_int.h).
*/
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../model/doc.h"
#include "scan_int.h"

static pm_value *track(scan_ctx *c, pm_value *v) {
  if (v == NULL) c->oom = true;
  return v;
}

bool scan_ctx_init(scan_ctx *c, pol_arena *a, const char *path, const scan_opts *o) {
  static const char *const words[W_COUNT] = {
      "critical", "high", "medium", "low", "info", "unknown",
      "fixed", "not_fixed", "wont_fix"};
  memset(c, 0, sizeof *c);
  c->a = a;
  c->o = o;
  c->scratch.limit = o->max_model_bytes;
  c->lim.max_depth = 256;
  c->lim.max_nodes = o->max_nodes;
  c->base_layers = SCAN_UNKNOWN_COUNT;
  c->doc = pm_doc_new(a, "scan", path);
  c->null_node = pm_null(a, pm_nopos);
  c->true_node = pm_bool(a, true, pm_nopos);
  c->false_node = pm_bool(a, false, pm_nopos);
  c->vulns = pm_arr(a, pm_nopos);
  bool ok = c->doc && c->null_node && c->true_node && c->false_node && c->vulns;
  for (size_t i = 0; ok && i < W_COUNT; i++)
    ok = (c->words[i] = pm_str(a, words[i], pm_nopos)) != NULL;
  c->scanner = c->words[W_UNKNOWN];
  c->packages = scan_table(c);
  c->layers = scan_table(c);
  c->layer_index = scan_table(c);
  c->warned = scan_table(c);
  if (!ok) c->oom = true;
  return !c->oom;
}

void scan_ctx_free(scan_ctx *c) { pol_arena_free(&c->scratch); }

static void diag(scan_ctx *c, bool error, pm_pos pos, const char *fmt, va_list ap) {
  char msg[512];
  vsnprintf(msg, sizeof msg, fmt, ap);
  if (c->oom) return;
  bool ok = error ? pm_doc_error(c->a, c->doc, msg, pos) : pm_doc_warning(c->a, c->doc, msg, pos);
  if (!ok) c->oom = true;
}

void scan_error(scan_ctx *c, pm_pos pos, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  diag(c, true, pos, fmt, ap);
  va_end(ap);
}

void scan_warning(scan_ctx *c, pm_pos pos, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  diag(c, false, pos, fmt, ap);
  va_end(ap);
}

void scan_warning_once(scan_ctx *c, pm_pos pos, const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (c->oom || pm_get(c->warned, msg)) return;
  scan_table_set(c, c->warned, msg, strlen(msg), c->null_node);
  scan_warning(c, pos, "%s", msg);
}

const pm_value *scan_parse_json(scan_ctx *c, const char *text, size_t len, const pm_pos *at) {
  pm_value *root = NULL;
  pol_buf err = POL_BUF_INIT;
  pm_pos where;
  int rc = insp_json_parse(&c->scratch, text, len, NULL, &c->lim, &root, &err, &where);
  if (rc == INSP_JSON_SYNTAX && !err.oom) {
    const char *msg = err.data ? err.data : "invalid JSON";
    if (at) scan_error(c, *at, "%u:%u: %s", (unsigned)where.line, (unsigned)where.col, msg);
    else scan_error(c, where, "%s", msg);
  }
  if (rc == INSP_JSON_LIMIT) c->over_limit = true;
  if (rc == INSP_JSON_NOMEM || err.oom) c->oom = true;
  pol_buf_free(&err);
  return rc == INSP_JSON_OK ? root : NULL;
}

const char *scan_type_name(pm_type t) {
  switch (t) {
  case PM_NULL: return "null";
  case PM_BOOL: return "a boolean";
  case PM_INT: case PM_NUM: return "a number";
  case PM_STR: return "a string";
  case PM_ARR: return "an array";
  default: return "an object";
  }
}

const pm_value *scan_get(scan_ctx *c, const pm_value *map, const char *key, pm_type want) {
  if (map == NULL || map->type != PM_MAP) return NULL;
  const pm_value *v = pm_get(map, key);
  if (v == NULL || v->type == PM_NULL) return NULL;
  bool ok = v->type == want || (want == PM_NUM && v->type == PM_INT);
  if (!ok) {
    scan_error(c, v->pos, "%s must be %s, not %s", key, scan_type_name(want),
               scan_type_name(v->type));
    return NULL;
  }
  return v;
}

const pm_value *scan_get_text(scan_ctx *c, const pm_value *map, const char *key) {
  const pm_value *v = scan_get(c, map, key, PM_STR);
  return v && v->u.str.len > 0 ? v : NULL;
}

bool scan_get_number(scan_ctx *c, const pm_value *map, const char *key, double *out) {
  const pm_value *v = scan_get(c, map, key, PM_NUM);
  if (v == NULL) return false;
  *out = v->type == PM_INT ? (double)v->u.i : v->u.n;
  return true;
}

const pm_value *scan_item_map(scan_ctx *c, const pm_value *arr, size_t i, const char *what) {
  assert(arr->type == PM_ARR && i < arr->u.arr.len);
  const pm_value *it = arr->u.arr.items[i];
  if (it->type == PM_MAP) return it;
  if (it->type != PM_NULL)
    scan_error(c, it->pos, "each entry of %s must be an object, not %s", what,
               scan_type_name(it->type));
  return NULL;
}

pm_value *scan_obj(scan_ctx *c, pm_schema_id type, pm_pos pos, size_t n) {
  if (c->oom) return NULL;
  assert(n <= pm_schemas[type].nfields);
  pm_value *o = track(c, pm_obj_typed(c->a, type, pos));
  pm_member *items = o ? pol_arena_alloc(c->a, n * sizeof *items) : NULL;
  if (items == NULL) {
    c->oom = true;
    return NULL;
  }
  o->u.obj.items = items;
  o->u.obj.cap = n;
  return o;
}

/* Members are appended without a key copy or a hash index: the keys are
** static strings and an object has a dozen at most (lookups scan). */
void scan_put(scan_ctx *c, pm_value *obj, const char *key, pm_value *v) {
  if (c->oom || obj == NULL) return;
  assert(obj->type == PM_OBJ && obj->u.obj.len < obj->u.obj.cap);
  assert(pm_schema_has(pm_value_schema(obj), key, strlen(key)));
  assert(pm_get(obj, key) == NULL);
  pm_member *m = &obj->u.obj.items[obj->u.obj.len++];
  m->key = key;
  m->key_len = strlen(key);
  m->val = v ? v : c->null_node;
}

pm_value *scan_arr(scan_ctx *c, pm_pos pos) {
  return c->oom ? NULL : track(c, pm_arr(c->a, pos));
}

void scan_push(scan_ctx *c, pm_value *arr, pm_value *v) {
  if (!c->oom && !pm_push(c->a, arr, v)) c->oom = true;
}

pm_value *scan_strn(scan_ctx *c, const char *s, size_t n, pm_pos pos) {
  return c->oom ? NULL : track(c, pm_strn(c->a, s, n, pos));
}

pm_value *scan_copy(scan_ctx *c, const pm_value *src) {
  if (src == NULL || c->oom) return NULL;
  switch (src->type) {
  case PM_STR: return scan_strn(c, src->u.str.s, src->u.str.len, src->pos);
  case PM_INT: return scan_int(c, src->u.i, src->pos);
  case PM_NUM: return scan_num(c, src->u.n, src->pos);
  case PM_BOOL: return scan_bool(c, src->u.b);
  default: return c->null_node;
  }
}

pm_value *scan_int(scan_ctx *c, int64_t i, pm_pos pos) {
  return c->oom ? NULL : track(c, pm_int(c->a, i, pos));
}

pm_value *scan_num(scan_ctx *c, double n, pm_pos pos) {
  return c->oom ? NULL : track(c, pm_num(c->a, n, pos));
}

pm_value *scan_bool(scan_ctx *c, bool b) { return b ? c->true_node : c->false_node; }

pm_value *scan_string_list(scan_ctx *c, const pm_value *arr, pm_pos pos) {
  pm_value *out = scan_arr(c, arr ? arr->pos : pos);
  for (size_t i = 0; arr && i < arr->u.arr.len && !c->oom; i++) {
    const pm_value *it = arr->u.arr.items[i];
    if (it->type == PM_STR) scan_push(c, out, scan_copy(c, it));
    else scan_error(c, it->pos, "a list of strings holds %s", scan_type_name(it->type));
  }
  return out;
}

pm_value *scan_table(scan_ctx *c) {
  return c->oom ? NULL : track(c, pm_map(&c->scratch, pm_nopos));
}

void scan_table_set(scan_ctx *c, pm_value *table, const char *key, size_t n, pm_value *v) {
  if (!c->oom && !pm_setn(&c->scratch, table, key, n, v)) c->oom = true;
}
