/*
** to_json.c: model tree to JSON text (see to_json.h).
**
** Recursion depth equals model depth, which the builders bound (a
** Dockerfile model is at most ~8 levels; Compose and inspect builders
** enforce their nesting limit before building).
*/
#include "to_json.h"

#include <math.h>
#include <stdio.h>
#include <string.h>


static void json_newline(pol_buf *out, unsigned flags, int depth) {
  if (!(flags & PM_JSON_PRETTY)) return;
  pol_buf_putc(out, '\n');
  for (int i = 0; i < depth; i++) pol_buf_append(out, "  ", 2);
}


static void json_pos(pol_buf *out, const pm_pos *p, unsigned flags, int depth) {
  pol_buf_append(out, "\"pos\":", 6);
  if (flags & PM_JSON_PRETTY) pol_buf_putc(out, ' ');
  pol_buf_putc(out, '{');
  if (p->file) {
    pol_buf_append(out, "\"file\":", 7);
    pol_buf_put_json_string(out, p->file, strlen(p->file));
    pol_buf_putc(out, ',');
  }
  pol_buf_printf(out, "\"line\":%u,\"column\":%u,\"end_line\":%u,\"end_column\":%u}",
              (unsigned)p->line, (unsigned)p->col, (unsigned)p->end_line,
              (unsigned)p->end_col);
  (void)depth;
}

static void json_value(pol_buf *out, const pm_value *v, unsigned flags,
                       int depth) {
  if (v == NULL) { pol_buf_append(out, "null", 4); return; }
  switch (v->type) {
  case PM_NULL: pol_buf_append(out, "null", 4); break;
  case PM_BOOL: pol_buf_puts(out, v->u.b ? "true" : "false"); break;
  case PM_INT: pol_buf_printf(out, "%lld", (long long)v->u.i); break;
  case PM_NUM:
    if (isfinite(v->u.n)) pol_buf_printf(out, "%.17g", v->u.n);
    else pol_buf_append(out, "null", 4);
    break;
  case PM_STR: pol_buf_put_json_string(out, v->u.str.s, v->u.str.len); break;
  case PM_ARR:
    if (v->u.arr.len == 0) { pol_buf_append(out, "[]", 2); break; }
    pol_buf_putc(out, '[');
    for (size_t i = 0; i < v->u.arr.len; i++) {
      if (i) pol_buf_putc(out, ',');
      json_newline(out, flags, depth + 1);
      json_value(out, v->u.arr.items[i], flags, depth + 1);
    }
    json_newline(out, flags, depth);
    pol_buf_putc(out, ']');
    break;
  case PM_OBJ:
  case PM_MAP: {
    bool pos = v->type == PM_OBJ && v->pos.line && !(flags & PM_JSON_NO_POS);
    if (v->u.obj.len == 0 && !pos) { pol_buf_append(out, "{}", 2); break; }
    pol_buf_putc(out, '{');
    if (pos) {
      json_newline(out, flags, depth + 1);
      json_pos(out, &v->pos, flags, depth + 1);
    }
    for (size_t i = 0; i < v->u.obj.len; i++) {
      const pm_member *m = &v->u.obj.items[i];
      if (i || pos) pol_buf_putc(out, ',');
      json_newline(out, flags, depth + 1);
      pol_buf_put_json_string(out, m->key, m->key_len);
      pol_buf_putc(out, ':');
      if (flags & PM_JSON_PRETTY) pol_buf_putc(out, ' ');
      json_value(out, m->val, flags, depth + 1);
    }
    json_newline(out, flags, depth);
    pol_buf_putc(out, '}');
    break;
  }
  }
}

void pm_json_write(pol_buf *out, const pm_value *v, unsigned flags) {
  json_value(out, v, flags, 0);
}
