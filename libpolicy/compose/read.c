/*
** read.c: typed readers for service fields, with compose-go's casts (see
** norm.h).
*/
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "norm.h"

static void svc_diag(cmp_svc *s, bool error, const pm_value *at, const char *field,
                     const char *fmt, va_list ap) {
  pol_buf b = POL_BUF_INIT;
  pol_buf_printf(&b, "services.%.*s%s%s", (int)s->name_len, s->name, field ? "." : "",
              field ? field : "");
  if (*fmt != ' ') pol_buf_puts(&b, ": ");
  pol_buf_vprintf(&b, fmt, ap);
  if (b.oom) { s->c->pm.oom = true; return; }
  if (error) cmp_error(s->c, at ? at->pos : s->src->pos, "%s", b.data);
  else cmp_warning(s->c, at ? at->pos : s->src->pos, "%s", b.data);
  pol_buf_free(&b);
}

/* A format starting with ' ' continues the path ("services.x.y must be
** ..."); any other follows a colon ("services.x.y: invalid ..."). */
void cmp_svc_error(cmp_svc *s, const pm_value *at, const char *field,
                   const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  svc_diag(s, true, at, field, fmt, ap);
  va_end(ap);
}

void cmp_svc_warning(cmp_svc *s, const pm_value *at, const char *field,
                     const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  svc_diag(s, false, at, field, fmt, ap);
  va_end(ap);
}

bool cmp_unknown(cmp_svc *s, const pm_value *v) {
  if (v == NULL || v->type != PM_STR) return false;
  const cmp_mark *mk = cmp_mark_of(&s->c->marks, v);
  if (mk == NULL || mk->missing == NULL) return false;
  for (size_t i = 0; i < mk->missing->u.arr.len; i++) {
    pm_value *name = mk->missing->u.arr.items[i];
    if (pm_getn(s->unresolved_seen, name->u.str.s, name->u.str.len)) continue;
    if (!pm_setn(s->c->pm.a, s->unresolved_seen, name->u.str.s, name->u.str.len, name))
      s->c->pm.oom = true;
    pm_b_push(s->pm, s->unresolved, name);
  }
  return true;
}

bool cmp_part_unknown(cmp_svc *s, const pm_value *v, const char *p, size_t n) {
  const cmp_mark *mk = v && v->type == PM_STR ? cmp_mark_of(&s->c->marks, v) : NULL;
  if (mk == NULL || mk->missing == NULL) return false;
  pol_buf names = POL_BUF_INIT;
  for (size_t i = 0; i < mk->missing->u.arr.len; i++) {
    const pm_value *name = mk->missing->u.arr.items[i];
    pol_buf_append(&names, name->u.str.s, name->u.str.len);
    pol_buf_putc(&names, '\0');
  }
  if (names.oom) s->c->pm.oom = true;
  bool used = names.len == 0 || cmp_subst_uses(p, n, names.data, names.len);
  pol_buf_free(&names);
  return used;
}

static pm_value *null_at(cmp_svc *s, const pm_value *v) {
  pm_value *n = pm_b_null(s->pm, v ? v->pos : pm_nopos);
  if (n == NULL) s->c->pm.oom = true;
  return n;
}

static const char *type_name(const pm_value *v) {
  switch (v->type) {
  case PM_NULL: return "null";
  case PM_BOOL: return "a boolean";
  case PM_INT: return "an integer";
  case PM_NUM: return "a number";
  case PM_STR: return "a string";
  case PM_ARR: return "a list";
  default: return "a mapping";
  }
}

bool cmp_scalar_text(cmp_svc *s, const pm_value *v) {
  pol_buf_clear(&s->tmp);
  switch (v->type) {
  case PM_STR: pol_buf_append(&s->tmp, v->u.str.s, v->u.str.len); break;
  case PM_INT: pol_buf_printf(&s->tmp, "%lld", (long long)v->u.i); break;
  case PM_NUM:
    if (v->u.n == floor(v->u.n) && fabs(v->u.n) < 1e15) pol_buf_printf(&s->tmp, "%.0f", v->u.n);
    else pol_buf_printf(&s->tmp, "%.17g", v->u.n);
    break;
  case PM_BOOL: pol_buf_puts(&s->tmp, v->u.b ? "true" : "false"); break;
  default: return false;
  }
  pol_buf_putc(&s->tmp, '\0');
  s->tmp.len--;
  if (s->tmp.oom) s->c->pm.oom = true;
  return !s->tmp.oom;
}

pm_value *cmp_read_bool(cmp_svc *s, const pm_value *v, const char *field) {
  if (v == NULL || v->type == PM_NULL || cmp_unknown(s, v)) return null_at(s, v);
  if (v->type == PM_BOOL) return (pm_value *)v;
  if (v->type != PM_STR) {
    cmp_svc_error(s, v, field, " must be a boolean, not %s", type_name(v));
    return null_at(s, v);
  }
  static const struct { const char *word; bool value, deprecated; } words[] = {
      {"true", true, false}, {"false", false, false}, {"y", true, true},
      {"yes", true, true},   {"on", true, true},      {"n", false, true},
      {"no", false, true},   {"off", false, true}};
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
    if (v->u.str.len == strlen(words[i].word) &&
        !strncasecmp(v->u.str.s, words[i].word, v->u.str.len)) {
      if (words[i].deprecated)
        cmp_svc_warning(s, v, field, "\"%s\" for boolean is not supported by YAML 1.2, "
                        "please use `%s`", v->u.str.s, words[i].value ? "true" : "false");
      pm_value *b = pm_b_bool(s->pm, words[i].value, v->pos);
      if (b == NULL) s->c->pm.oom = true;
      return b;
    }
  cmp_svc_error(s, v, field, "invalid boolean: %.100s", v->u.str.s);
  return null_at(s, v);
}

/* Go's strconv.Atoi / ParseFloat on the whole text. */
static bool parse_int(const char *t, int64_t *out) {
  if (*t == '\0' || isspace((unsigned char)*t)) return false;
  char *end;
  errno = 0;
  long long v = strtoll(t, &end, 10);
  if (*end != '\0' || errno) return false;
  *out = v;
  return true;
}

static bool parse_float(const char *t, double *out) {
  if (*t == '\0' || isspace((unsigned char)*t)) return false;
  char *end;
  errno = 0;
  double v = strtod(t, &end);
  if (*end != '\0' || errno || isnan(v) || isinf(v)) return false;
  *out = v;
  return true;
}

pm_value *cmp_read_int(cmp_svc *s, const pm_value *v, const char *field) {
  if (v == NULL || v->type == PM_NULL || cmp_unknown(s, v)) return null_at(s, v);
  if (v->type == PM_INT) return (pm_value *)v;
  int64_t i;
  if (v->type == PM_NUM && v->u.n == floor(v->u.n) && fabs(v->u.n) < 9e18) {
    pm_value *r = pm_b_int(s->pm, (int64_t)v->u.n, v->pos);
    if (r == NULL) s->c->pm.oom = true;
    return r;
  }
  if (v->type != PM_STR) {
    cmp_svc_error(s, v, field, " must be an integer, not %s", type_name(v));
    return null_at(s, v);
  }
  if (!parse_int(v->u.str.s, &i)) {
    cmp_svc_error(s, v, field, "invalid integer: %.100s", v->u.str.s);
    return null_at(s, v);
  }
  pm_value *r = pm_b_int(s->pm, i, v->pos);
  if (r == NULL) s->c->pm.oom = true;
  return r;
}

pm_value *cmp_read_number(cmp_svc *s, const pm_value *v, const char *field) {
  if (v == NULL || v->type == PM_NULL || cmp_unknown(s, v)) return null_at(s, v);
  double d;
  if (v->type == PM_INT) d = (double)v->u.i;
  else if (v->type == PM_NUM) d = v->u.n;
  else if (v->type != PM_STR) {
    cmp_svc_error(s, v, field, " must be a number, not %s", type_name(v));
    return null_at(s, v);
  } else if (!parse_float(v->u.str.s, &d)) {
    cmp_svc_error(s, v, field, "invalid number: %.100s", v->u.str.s);
    return null_at(s, v);
  }
  pm_value *r = pm_b_num(s->pm, d, v->pos);
  if (r == NULL) s->c->pm.oom = true;
  return r;
}

pm_value *cmp_read_string(cmp_svc *s, const pm_value *v, const char *field) {
  if (v == NULL || v->type == PM_NULL) return null_at(s, v);
  if (v->type == PM_STR) {
    cmp_unknown(s, v);
    return (pm_value *)v;
  }
  if (v->type == PM_ARR || v->type == PM_MAP) {
    cmp_svc_error(s, v, field, " must be a string, not %s", type_name(v));
    return null_at(s, v);
  }
  if (!cmp_scalar_text(s, v)) return null_at(s, v);
  pm_value *r = pm_b_strn(s->pm, s->tmp.data, s->tmp.len, v->pos);
  if (r == NULL) s->c->pm.oom = true;
  return r;
}

/* go-units RAMInBytes: a number, an optional space, then k, m, g, t or p
** (any case), an optional "i" and an optional "b"; binary multiples. A
** plain integer (negative too) is bytes. */
static bool parse_bytes(const char *t, int64_t *out) {
  int64_t i;
  if (parse_int(t, &i)) { *out = i; return true; }
  const char *p = t;
  double num = 0, frac = 0.1;
  size_t digits = 0;
  while (isdigit((unsigned char)*p)) { num = num * 10 + (*p++ - '0'); digits++; }
  if (digits == 0) return false;
  while (*p == '.') {
    p++;
    size_t fd = 0;
    while (isdigit((unsigned char)*p)) { num += frac * (*p++ - '0'); frac /= 10; fd++; }
    if (fd == 0) return false;
  }
  if (*p == ' ') p++;
  double mult = 1;
  const char *units = "kmgtp";
  const char *u = *p ? strchr(units, tolower((unsigned char)*p)) : NULL;
  if (u) {
    for (const char *q = units; q <= u; q++) mult *= 1024;
    p++;
  }
  if (*p == 'i' || *p == 'I') p++;
  if (*p == 'b' || *p == 'B') p++;
  if (*p != '\0' || num * mult > 9.2e18) return false;
  *out = (int64_t)(num * mult);
  return true;
}

pm_value *cmp_read_bytes(cmp_svc *s, const pm_value *v, const char *field) {
  if (v == NULL || v->type == PM_NULL || cmp_unknown(s, v)) return null_at(s, v);
  if (v->type == PM_INT) return (pm_value *)v;
  int64_t b;
  if (v->type == PM_NUM && v->u.n == floor(v->u.n) && fabs(v->u.n) < 9e18) b = (int64_t)v->u.n;
  else if (v->type != PM_STR) {
    cmp_svc_error(s, v, field, " must be a byte size, not %s", type_name(v));
    return null_at(s, v);
  } else if (!parse_bytes(v->u.str.s, &b)) {
    cmp_svc_error(s, v, field, "invalid size: '%.100s'", v->u.str.s);
    return null_at(s, v);
  }
  pm_value *r = pm_b_int(s->pm, b, v->pos);
  if (r == NULL) s->c->pm.oom = true;
  return r;
}

/* Go's time.ParseDuration, in seconds. */
static bool parse_duration(const char *t, double *out) {
  static const struct { const char *u; double scale; } units[] = {
      {"ns", 1e-9}, {"us", 1e-6}, {"\xC2\xB5s", 1e-6}, {"\xCE\xBCs", 1e-6},
      {"ms", 1e-3}, {"s", 1}, {"m", 60}, {"h", 3600}};
  const char *p = t;
  double sign = 1, total = 0;
  if (*p == '+' || *p == '-') sign = *p++ == '-' ? -1 : 1;
  if (*p == '\0') return false;
  if (!strcmp(p, "0")) { *out = 0; return true; }
  while (*p) {
    double v = 0, frac = 0.1;
    size_t digits = 0;
    while (isdigit((unsigned char)*p)) { v = v * 10 + (*p++ - '0'); digits++; }
    if (*p == '.') {
      p++;
      while (isdigit((unsigned char)*p)) { v += frac * (*p++ - '0'); frac /= 10; digits++; }
    }
    if (digits == 0) return false;
    const char *us = p;
    while (*p && !isdigit((unsigned char)*p) && *p != '.') p++;
    size_t ul = (size_t)(p - us);
    bool found = false;
    for (size_t k = 0; k < sizeof units / sizeof units[0] && !found; k++)
      if (strlen(units[k].u) == ul && !memcmp(units[k].u, us, ul)) {
        total += v * units[k].scale;
        found = true;
      }
    if (!found) return false;
  }
  *out = sign * total;
  return true;
}

pm_value *cmp_read_duration(cmp_svc *s, const pm_value *v, const char *field) {
  if (v == NULL || v->type == PM_NULL || cmp_unknown(s, v)) return null_at(s, v);
  double d;
  if (v->type == PM_INT) d = (double)v->u.i / 1e9; /* a number is nanoseconds */
  else if (v->type != PM_STR) {
    cmp_svc_error(s, v, field, " must be a duration, not %s", type_name(v));
    return null_at(s, v);
  } else if (!parse_duration(v->u.str.s, &d)) {
    cmp_svc_error(s, v, field, "time: invalid duration \"%.100s\"", v->u.str.s);
    return null_at(s, v);
  }
  pm_value *r = pm_b_num(s->pm, d, v->pos);
  if (r == NULL) s->c->pm.oom = true;
  return r;
}

pm_value *cmp_read_strings(cmp_svc *s, const pm_value *v, const char *field,
                           bool single) {
  pm_value *out = pm_b_arr(s->pm, v ? v->pos : pm_nopos);
  if (out == NULL) { s->c->pm.oom = true; return NULL; }
  if (v == NULL || v->type == PM_NULL) return out;
  if (v->type == PM_STR && single) {
    pm_b_push(s->pm, out, cmp_read_string(s, v, field));
    return out;
  }
  if (v->type != PM_ARR) {
    cmp_svc_error(s, v, field, " must be a list%s, not %s", single ? " or a string" : "",
                  type_name(v));
    return out;
  }
  for (size_t i = 0; i < v->u.arr.len && !s->c->pm.oom; i++) {
    const pm_value *it = v->u.arr.items[i];
    if (it->type == PM_ARR || it->type == PM_MAP || it->type == PM_NULL) {
      cmp_svc_error(s, it, field, " items must be strings, not %s", type_name(it));
      continue;
    }
    pm_b_push(s->pm, out, cmp_read_string(s, it, field));
  }
  return out;
}

pm_value *cmp_read_dict(cmp_svc *s, const pm_value *v, const char *field) {
  pm_value *out = pm_b_map(s->pm, v ? v->pos : pm_nopos);
  if (out == NULL) { s->c->pm.oom = true; return NULL; }
  if (v == NULL || v->type == PM_NULL) return out;
  if (v->type == PM_MAP) {
    for (size_t i = 0; i < v->u.obj.len && !s->c->pm.oom; i++) {
      const pm_member *m = &v->u.obj.items[i];
      pm_value *val;
      if (m->val->type == PM_ARR || m->val->type == PM_MAP) {
        cmp_svc_error(s, m->val, field, " values must be strings, numbers, booleans or "
                      "null, not %s", type_name(m->val));
        continue;
      }
      val = m->val->type == PM_NULL ? null_at(s, m->val) : cmp_read_string(s, m->val, field);
      if (val == NULL || !pm_setn(s->c->pm.a, out, m->key, m->key_len, val)) s->c->pm.oom = true;
    }
    return out;
  }
  if (v->type != PM_ARR) {
    cmp_svc_error(s, v, field, " must be a mapping or a list, not %s", type_name(v));
    return out;
  }
  for (size_t i = 0; i < v->u.arr.len && !s->c->pm.oom; i++) {
    const pm_value *it = v->u.arr.items[i];
    if (!cmp_scalar_text(s, it) || it->type == PM_NULL) {
      cmp_svc_error(s, it, field, " items must be strings, not %s", type_name(it));
      continue;
    }
    cmp_unknown(s, it);
    const char *t = s->tmp.data;
    const char *eq = memchr(t, '=', s->tmp.len);
    size_t kl = eq ? (size_t)(eq - t) : s->tmp.len;
    pm_value *val = eq ? pm_b_strn(s->pm, eq + 1, s->tmp.len - kl - 1, it->pos)
                       : pm_b_null(s->pm, it->pos);
    if (val == NULL || !pm_setn(s->c->pm.a, out, t, kl, val)) s->c->pm.oom = true;
  }
  return out;
}

void cmp_check_keys(cmp_svc *s, const pm_value *m, const char *field,
                    const char *const *allowed) {
  for (size_t i = 0; i < m->u.obj.len; i++) {
    const char *k = m->u.obj.items[i].key;
    if (!strncmp(k, "x-", 2)) continue;
    bool ok = false;
    for (size_t a = 0; allowed[a] && !ok; a++) ok = !strcmp(allowed[a], k);
    if (!ok)
      cmp_svc_error(s, m->u.obj.items[i].val, field, " additional properties '%.100s' not allowed", k);
  }
}
