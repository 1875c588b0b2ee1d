/*
** blob.c: the binary form of a value tree (see blob.h).
*/
#include "blob.h"

#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "load.h"

#define BLOB_MAX_DEPTH 256
static const char magic[4] = {'P', 'M', 'B', '1'};

static void put_varint(pol_buf *out, uint64_t x) {
  unsigned char b[10];
  size_t n = 0;
  do {
    b[n++] = (unsigned char)((x & 0x7Fu) | (x >= 0x80u ? 0x80u : 0));
    x >>= 7;
  } while (x);
  pol_buf_append(out, (const char *)b, n);
}

static bool write_value(const pm_value *v, pol_buf *out, int depth) {
  if (depth > BLOB_MAX_DEPTH || v->pos.file != NULL || v->type == PM_OBJ) return false;
  char t = (char)v->type;
  pol_buf_append(out, &t, 1);
  put_varint(out, v->pos.line);
  put_varint(out, v->pos.col);
  put_varint(out, v->pos.end_line);
  put_varint(out, v->pos.end_col);
  switch (v->type) {
  case PM_NULL: break;
  case PM_BOOL: {
    char b = v->u.b ? 1 : 0;
    pol_buf_append(out, &b, 1);
    break;
  }
  case PM_INT: pol_buf_append(out, (const char *)&v->u.i, 8); break;
  case PM_NUM: pol_buf_append(out, (const char *)&v->u.n, 8); break;
  case PM_STR:
    put_varint(out, v->u.str.len);
    pol_buf_append(out, v->u.str.s, v->u.str.len);
    break;
  case PM_ARR:
    put_varint(out, v->u.arr.len);
    for (size_t i = 0; i < v->u.arr.len; i++)
      if (!write_value(v->u.arr.items[i], out, depth + 1)) return false;
    break;
  case PM_MAP:
    put_varint(out, v->u.obj.len);
    for (size_t i = 0; i < v->u.obj.len; i++) {
      const pm_member *m = &v->u.obj.items[i];
      put_varint(out, m->key_len);
      pol_buf_append(out, m->key, m->key_len);
      if (!write_value(m->val, out, depth + 1)) return false;
    }
    break;
  case PM_OBJ: return false;
  }
  return !out->oom;
}

bool pm_blob_write(const pm_value *v, pol_buf *out) {
  pol_buf_append(out, magic, sizeof magic);
  return write_value(v, out, 0);
}

typedef struct reader {
  pol_arena *a;
  const unsigned char *p, *end;
  int status; /* PM_LOAD_* */
} reader;

static uint64_t get_varint(reader *r) {
  uint64_t x = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (r->p >= r->end) break;
    unsigned char b = *r->p++;
    x |= (uint64_t)(b & 0x7Fu) << shift;
    if (!(b & 0x80u)) return x;
  }
  r->status = PM_LOAD_SYNTAX;
  return 0;
}

/* The next n bytes, or NULL (and a syntax error) past the end. */
static const unsigned char *take(reader *r, uint64_t n) {
  if ((uint64_t)(r->end - r->p) < n) {
    r->status = PM_LOAD_SYNTAX;
    return NULL;
  }
  const unsigned char *s = r->p;
  r->p += n;
  return s;
}

static uint32_t get_u32(reader *r) {
  uint64_t x = get_varint(r);
  if (x > UINT32_MAX) r->status = PM_LOAD_SYNTAX;
  return (uint32_t)x;
}

static pm_value *read_value(reader *r, int depth) {
  const unsigned char *t = take(r, 1);
  if (t == NULL || depth > BLOB_MAX_DEPTH) {
    r->status = PM_LOAD_SYNTAX;
    return NULL;
  }
  uint32_t line = get_u32(r), col = get_u32(r), end_line = get_u32(r), end_col = get_u32(r);
  if (r->status != PM_LOAD_OK) return NULL;
  pm_pos pos = pm_pos_make(line, col, end_line, end_col);
  pm_value *v = NULL;
  const unsigned char *s;
  uint64_t n;
  switch (*t) {
  case PM_NULL: v = pm_null(r->a, pos); break;
  case PM_BOOL:
    if ((s = take(r, 1)) == NULL) return NULL;
    v = pm_bool(r->a, *s != 0, pos);
    break;
  case PM_INT: {
    int64_t i;
    if ((s = take(r, 8)) == NULL) return NULL;
    memcpy(&i, s, 8);
    v = pm_int(r->a, i, pos);
    break;
  }
  case PM_NUM: {
    double d;
    if ((s = take(r, 8)) == NULL) return NULL;
    memcpy(&d, s, 8);
    v = pm_num(r->a, d, pos);
    break;
  }
  case PM_STR:
    n = get_varint(r);
    if ((s = take(r, n)) == NULL) return NULL;
    v = pm_strn(r->a, (const char *)s, (size_t)n, pos);
    break;
  case PM_ARR:
    n = get_varint(r);
    if (r->status != PM_LOAD_OK || (v = pm_arr(r->a, pos)) == NULL) break;
    for (uint64_t i = 0; i < n && r->status == PM_LOAD_OK; i++) {
      pm_value *item = read_value(r, depth + 1);
      if (item && !pm_push(r->a, v, item)) r->status = PM_LOAD_NOMEM;
    }
    break;
  case PM_MAP:
    n = get_varint(r);
    if (r->status != PM_LOAD_OK || (v = pm_map(r->a, pos)) == NULL) break;
    for (uint64_t i = 0; i < n && r->status == PM_LOAD_OK; i++) {
      uint64_t kl = get_varint(r);
      const unsigned char *k = take(r, kl);
      pm_value *val = k ? read_value(r, depth + 1) : NULL;
      if (val && !pm_setn(r->a, v, (const char *)k, (size_t)kl, val)) r->status = PM_LOAD_NOMEM;
    }
    break;
  default: r->status = PM_LOAD_SYNTAX; return NULL;
  }
  if (v == NULL && r->status == PM_LOAD_OK) r->status = PM_LOAD_NOMEM;
  return r->status == PM_LOAD_OK ? v : NULL;
}

int pm_blob_read(pol_arena *a, const void *bytes, size_t len, pm_value **out) {
  reader r = {a, bytes, (const unsigned char *)bytes + len, PM_LOAD_OK};
  *out = NULL;
  const unsigned char *m = take(&r, sizeof magic);
  if (m == NULL || memcmp(m, magic, sizeof magic) != 0) return PM_LOAD_SYNTAX;
  pm_value *v = read_value(&r, 0);
  if (r.status == PM_LOAD_OK && r.p != r.end) r.status = PM_LOAD_SYNTAX;
  if (r.status == PM_LOAD_OK) *out = v;
  return r.status;
}
