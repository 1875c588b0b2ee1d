/*
** ctx.c: diagnostics and model-building helpers of the inspect builder
** (see insp.h).
*/
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../core/alloc.h"
#include "../model/doc.h"
#include "insp.h"
#include "posjson.h"

/* A position inside a decoded RequestBody is not a place in the file:
** the diagnostic goes to the RequestBody member and says where. */
static void diag(insp_ctx *c, bool error, pm_pos pos, const char *fmt,
                 va_list ap) {
  char msg[512];
  int n = 0;
  if (pos.file != NULL) {
    n = snprintf(msg, sizeof msg, "RequestBody (decoded) %u:%u: ",
                 (unsigned)pos.line, (unsigned)pos.col);
    pos = c->body_at;
  }
  vsnprintf(msg + n, sizeof msg - (size_t)n, fmt, ap);
  bool ok = error ? pm_doc_error(c->a, c->doc, msg, pos)
                  : pm_doc_warning(c->a, c->doc, msg, pos);
  if (!ok) c->oom = true;
}

void insp_error(insp_ctx *c, pm_pos pos, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  diag(c, true, pos, fmt, ap);
  va_end(ap);
}

void insp_warning(insp_ctx *c, pm_pos pos, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  diag(c, false, pos, fmt, ap);
  va_end(ap);
}

static pm_value *track(insp_ctx *c, pm_value *v) {
  if (v == NULL) c->oom = true;
  return v;
}

pm_value *insp_obj(insp_ctx *c, pm_pos pos) { return track(c, pm_obj(c->a, pos)); }
pm_value *insp_arr(insp_ctx *c, pm_pos pos) { return track(c, pm_arr(c->a, pos)); }
pm_value *insp_map(insp_ctx *c, pm_pos pos) { return track(c, pm_map(c->a, pos)); }
pm_value *insp_null(insp_ctx *c, pm_pos pos) { return track(c, pm_null(c->a, pos)); }

pm_value *insp_bool(insp_ctx *c, bool b, pm_pos pos) {
  return track(c, pm_bool(c->a, b, pos));
}

pm_value *insp_int(insp_ctx *c, int64_t i, pm_pos pos) {
  return track(c, pm_int(c->a, i, pos));
}

pm_value *insp_num(insp_ctx *c, double n, pm_pos pos) {
  return track(c, pm_num(c->a, n, pos));
}

pm_value *insp_strn(insp_ctx *c, const char *s, size_t n, pm_pos pos) {
  return track(c, pm_strn(c->a, s, n, pos));
}

pm_value *insp_str(insp_ctx *c, const char *s, pm_pos pos) {
  return insp_strn(c, s, strlen(s), pos);
}

void insp_set(insp_ctx *c, pm_value *obj, const char *key, pm_value *v) {
  if (!c->oom && !pm_set(c->a, obj, key, v)) c->oom = true;
}

void insp_push(insp_ctx *c, pm_value *arr, pm_value *v) {
  if (!c->oom && !pm_push(c->a, arr, v)) c->oom = true;
}

pm_value *insp_str_or_null(insp_ctx *c, const pm_value *src, pm_pos pos) {
  if (src && src->type == PM_STR && src->u.str.len > 0) return (pm_value *)src;
  return insp_null(c, src ? src->pos : pos);
}

pm_value *insp_or_null(insp_ctx *c, const pm_value *src, pm_pos pos) {
  return src ? (pm_value *)src : insp_null(c, pos);
}

/* ---- map builder ---------------------------------------------------------- */

static uint64_t hash_key(const char *s, size_t n) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
  return h;
}

pm_value *insp_mapb_init(insp_ctx *c, insp_mapb *b, size_t expected,
                         pm_pos pos) {
  memset(b, 0, sizeof *b);
  b->map = insp_map(c, pos);
  size_t n = 16;
  while (n < expected * 2 && n < ((size_t)1 << 30)) n *= 2;
  b->slots = pol_calloc(n, sizeof *b->slots);
  if (b->slots == NULL) {
    c->oom = true;
    return NULL;
  }
  b->mask = n - 1;
  return b->map;
}

/* The slot holding key, or the empty slot where it would go. */
static size_t find_slot(const insp_mapb *b, const char *key, size_t key_len) {
  size_t i = (size_t)hash_key(key, key_len) & b->mask;
  for (;; i = (i + 1) & b->mask) {
    uint32_t s = b->slots[i];
    if (s == 0) return i;
    const pm_member *mem = &b->map->u.obj.items[s - 1];
    if (mem->key_len == key_len && memcmp(mem->key, key, key_len) == 0) return i;
  }
}

pm_value *insp_mapb_get(const insp_mapb *b, const char *key, size_t key_len) {
  if (b->map == NULL || b->slots == NULL) return NULL;
  uint32_t s = b->slots[find_slot(b, key, key_len)];
  return s ? b->map->u.obj.items[s - 1].val : NULL;
}

void insp_mapb_set(insp_ctx *c, insp_mapb *b, const char *key, size_t key_len,
                   pm_value *v) {
  if (c->oom || b->map == NULL || v == NULL) {
    c->oom = c->oom || v == NULL;
    return;
  }
  pm_value *m = b->map;
  size_t i = find_slot(b, key, key_len);
  if (b->slots[i] != 0) {
    m->u.obj.items[b->slots[i] - 1].val = v;
    return;
  }
  /* Full table: the caller's `expected` was too small; never more keys
  ** than slots / 2 are accepted. */
  if (m->u.obj.len + 1 > (b->mask + 1) / 2 ||
      !insp_map_append(c->a, m, key, key_len, v)) {
    c->oom = true;
    return;
  }
  b->slots[i] = (uint32_t)m->u.obj.len;
}

void insp_mapb_free(insp_mapb *b) {
  pol_free(b->slots);
  b->slots = NULL;
}
