/*
** yaml.c: Compose YAML through libyaml's event API (see yaml.h).
**
** Invariants: `stack` holds the open collections (depth <= max_depth);
** an alias attaches the anchored node itself (shared, never copied) and
** adds that node's size to the count, so the work done is bounded by
** max_nodes however the aliases nest; `last` is the end of the last
** content written, which ends block collections and spans.
*/
#include "yaml.h"

#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define TAG_PREFIX "tag:yaml.org,2002:"

typedef struct anchor {
  pm_value *value;
  size_t size;     /* values in the subtree, aliases expanded */
} anchor;

typedef struct frame {
  pm_value *coll;
  size_t start_nodes;
  char *anchor;
  unsigned tags;
  pm_value *key;          /* mapping: the key waiting for its value */
  bool merge_key;         /* ... and it is `<<` */
  uint32_t entry_line;    /* where the pending key or entry started */
  pm_value **merges;      /* mapping: `<<` sources, in order */
  size_t nmerges, mcap;
} frame;

typedef struct yload {
  pol_arena *a;
  const pm_load_limits *lim;
  const char *file;
  cmp_marks *marks;
  cmp_yaml *out;
  pol_buf *err;
  pm_pos *err_pos;
  frame *stack;
  size_t depth, cap;
  anchor *anchors;
  size_t nanchors, acap;
  pm_value *anchor_index;  /* name -> position in anchors (the latest) */
  size_t nodes;
  pm_value *root;
  size_t docs_cap;
  pm_pos last;            /* end of the last content */
  int status;
} yload;

static pm_pos mark_pos(const yload *y, yaml_mark_t start, yaml_mark_t end) {
  pm_pos p = pm_pos_make((uint32_t)start.line + 1, (uint32_t)start.column + 1,
                         (uint32_t)end.line + 1, (uint32_t)end.column + 1);
  p.file = y->file;
  return p;
}

static void fail(yload *y, pm_pos pos, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void fail(yload *y, pm_pos pos, const char *fmt, ...) {
  if (y->status != CMP_YAML_OK) return;
  va_list ap;
  va_start(ap, fmt);
  pol_buf_vprintf(y->err, fmt, ap);
  va_end(ap);
  *y->err_pos = pos;
  y->status = y->err->oom ? CMP_YAML_NOMEM : CMP_YAML_SYNTAX;
}

static void nomem(yload *y) {
  if (y->status == CMP_YAML_OK) y->status = CMP_YAML_NOMEM;
}

/* ---- scalars, typed as yaml.v3 types them ------------------------------ */

static bool is_null(const char *s, size_t n) {
  return n == 0 || (n == 1 && s[0] == '~') ||
         (n == 4 && (!memcmp(s, "null", 4) || !memcmp(s, "Null", 4) ||
                     !memcmp(s, "NULL", 4)));
}

static int bool_value(const char *s, size_t n) {
  if (n == 4 && (!memcmp(s, "true", 4) || !memcmp(s, "True", 4) || !memcmp(s, "TRUE", 4)))
    return 1;
  if (n == 5 && (!memcmp(s, "false", 5) || !memcmp(s, "False", 5) || !memcmp(s, "FALSE", 5)))
    return 0;
  return -1;
}

/* Go's strconv.ParseInt(s, 0, 64) after removing '_': sign, then 0x, 0o,
** 0b or a leading 0 (octal) prefix, else decimal. */
static bool go_int(const char *s, size_t n, int64_t *out) {
  char buf[80];
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '_') continue;
    if (m + 1 >= sizeof buf) return false;
    buf[m++] = s[i];
  }
  size_t i = 0;
  bool neg = false;
  if (m > 0 && (buf[0] == '-' || buf[0] == '+')) neg = buf[i++] == '-';
  int base = 10;
  if (m - i > 1 && buf[i] == '0') {
    char p = buf[i + 1];
    if (p == 'x' || p == 'X') { base = 16; i += 2; }
    else if (p == 'o' || p == 'O') { base = 8; i += 2; }
    else if (p == 'b' || p == 'B') { base = 2; i += 2; }
    else { base = 8; i += 1; }
  }
  if (i >= m) return false;
  uint64_t v = 0;
  for (; i < m; i++) {
    int d;
    char c = buf[i];
    if (c >= '0' && c <= '9') d = c - '0';
    else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
    else return false;
    if (d >= base || v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base) return false;
    v = v * (uint64_t)base + (uint64_t)d;
  }
  if (v > (uint64_t)INT64_MAX + (neg ? 1u : 0u)) return false;
  *out = neg ? (int64_t)(0 - v) : (int64_t)v;
  return true;
}

/* [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? and .inf/.nan. */
static bool yaml_float(const char *s, size_t n, double *out) {
  static const struct { const char *text; int kind; } special[] = {
      {".inf", 1}, {".Inf", 1}, {".INF", 1}, {"+.inf", 1}, {"+.Inf", 1},
      {"+.INF", 1}, {"-.inf", -1}, {"-.Inf", -1}, {"-.INF", -1},
      {".nan", 0}, {".NaN", 0}, {".NAN", 0}};
  for (size_t k = 0; k < sizeof special / sizeof special[0]; k++)
    if (strlen(special[k].text) == n && memcmp(special[k].text, s, n) == 0) {
      *out = special[k].kind == 0 ? NAN : special[k].kind * INFINITY;
      return true;
    }
  char buf[80];
  size_t m = 0;
  for (size_t k = 0; k < n; k++) {
    if (s[k] == '_') continue;
    if (m + 1 >= sizeof buf) return false;
    buf[m++] = s[k];
  }
  buf[m] = '\0';
  size_t i = 0, digits = 0;
  if (i < m && (buf[i] == '-' || buf[i] == '+')) i++;
  while (i < m && buf[i] >= '0' && buf[i] <= '9') { i++; digits++; }
  if (i < m && buf[i] == '.') {
    i++;
    while (i < m && buf[i] >= '0' && buf[i] <= '9') { i++; digits++; }
  }
  if (digits == 0) return false;
  if (i < m && (buf[i] == 'e' || buf[i] == 'E')) {
    i++;
    if (i < m && (buf[i] == '-' || buf[i] == '+')) i++;
    size_t e = i;
    while (i < m && buf[i] >= '0' && buf[i] <= '9') i++;
    if (i == e) return false;
  }
  if (i != m) return false;
  errno = 0;
  *out = strtod(buf, NULL);
  return true;
}

static pm_value *plain_scalar(pol_arena *a, const char *s, size_t n, pm_pos pos) {
  if (is_null(s, n)) return pm_null(a, pos);
  int b = bool_value(s, n);
  if (b >= 0) return pm_bool(a, b, pos);
  int64_t i;
  if (go_int(s, n, &i)) return pm_int(a, i, pos);
  double d;
  if (yaml_float(s, n, &d)) return pm_num(a, d, pos);
  return pm_strn(a, s, n, pos);
}

/* A scalar with a standard tag (!!str, !!int, ...). */
static pm_value *tagged_scalar(yload *y, const char *tag, const char *s,
                               size_t n, pm_pos pos) {
  const char *t = tag + strlen(TAG_PREFIX);
  if (!strcmp(t, "str") || !strcmp(t, "binary") || !strcmp(t, "timestamp"))
    return pm_strn(y->a, s, n, pos);
  pm_value *v = plain_scalar(y->a, s, n, pos);
  if (v == NULL) return NULL;
  bool ok = (!strcmp(t, "null") && v->type == PM_NULL) ||
            (!strcmp(t, "bool") && v->type == PM_BOOL) ||
            (!strcmp(t, "int") && v->type == PM_INT) ||
            (!strcmp(t, "float") && (v->type == PM_NUM || v->type == PM_INT));
  if (!strcmp(t, "float") && v->type == PM_INT) v = pm_num(y->a, (double)v->u.i, pos);
  if (!ok) fail(y, pos, "cannot decode the value as !!%s", t);
  return v;
}

/* ---- tree building ------------------------------------------------------ */

static bool count_nodes(yload *y, size_t n, pm_pos pos) {
  if (n > y->lim->max_nodes - y->nodes) {
    fail(y, pos, "too many values (aliases count their expanded size); the limit is %zu",
         y->lim->max_nodes);
    return false;
  }
  y->nodes += n;
  return true;
}

static void remember_anchor(yload *y, const char *name, pm_value *v, size_t size) {
  if (name == NULL) return;
  if (!pol_arena_grow(y->a, (void **)&y->anchors, &y->acap, y->nanchors + 1,
                   sizeof *y->anchors) ||
      !pm_set(y->a, y->anchor_index, name, pm_int(y->a, (int64_t)y->nanchors, pm_nopos))) {
    nomem(y);
    return;
  }
  anchor *an = &y->anchors[y->nanchors++];
  an->value = v;
  an->size = size;
}

static void set_tags(yload *y, const pm_value *v, const char *tag) {
  unsigned t = 0;
  if (tag && !strcmp(tag, "!reset")) t = CMP_TAG_RESET;
  else if (tag && !strcmp(tag, "!override")) t = CMP_TAG_OVERRIDE;
  if (t == 0) return;
  cmp_mark *mk = cmp_mark_add(y->a, y->marks, v);
  if (mk == NULL) nomem(y);
  else mk->tags |= t;
}

static void note_span(yload *y, uint32_t start, uint32_t end) {
  if (start == 0 || start > y->out->nlines) return;
  if (end > y->out->nlines) end = y->out->nlines;
  if (end > y->out->span_end[start]) y->out->span_end[start] = end;
}

/* A key as a string: an alias may repeat a typed scalar as a key. */
static pm_value *key_string(yload *y, pm_value *k) {
  char buf[64];
  int n;
  switch (k->type) {
  case PM_STR: return k;
  case PM_INT: n = snprintf(buf, sizeof buf, "%lld", (long long)k->u.i); break;
  case PM_NUM: n = snprintf(buf, sizeof buf, "%g", k->u.n); break;
  case PM_BOOL: n = snprintf(buf, sizeof buf, "%s", k->u.b ? "true" : "false"); break;
  default: n = snprintf(buf, sizeof buf, "null"); break;
  }
  pm_value *v = pm_strn(y->a, buf, (size_t)n, k->pos);
  if (v == NULL) nomem(y);
  return v;
}

/* Adds a finished node to the collection on top of the stack (or makes it
** the root). `fresh`: the node was made here (not an alias), so its
** position may be widened to start at its key. */
static void attach(yload *y, pm_value *v, bool fresh, uint32_t start_line) {
  if (v == NULL) { nomem(y); return; }
  if (y->status != CMP_YAML_OK) return;
  if (y->depth == 0) { y->root = v; return; }
  frame *f = &y->stack[y->depth - 1];
  if (f->coll->type == PM_ARR) {
    note_span(y, start_line, y->last.line);
    if (!pm_push(y->a, f->coll, v)) nomem(y);
    return;
  }
  if (f->key == NULL) {
    if (v->type == PM_ARR || v->type == PM_MAP) {
      fail(y, v->pos, "a mapping key must be a scalar");
      return;
    }
    f->key = key_string(y, v);
    f->entry_line = start_line;
    return;
  }
  pm_value *k = f->key;
  f->key = NULL;
  note_span(y, f->entry_line, y->last.line);
  if (fresh) {
    v->pos.line = k->pos.line;
    v->pos.col = k->pos.col;
  }
  if (f->merge_key) {
    f->merge_key = false;
    if (!pol_arena_grow(y->a, (void **)&f->merges, &f->mcap, f->nmerges + 1,
                     sizeof *f->merges)) {
      nomem(y);
      return;
    }
    f->merges[f->nmerges++] = v;
    return;
  }
  const char *ks = k->u.str.s;
  size_t kl = k->u.str.len;
  const pm_value *first = pm_getn(f->coll, ks, kl);
  if (first) {
    pol_buf_printf(y->err, "mapping key \"%.*s\" already defined at line %u",
                (int)(kl > 200 ? 200 : kl), ks, (unsigned)first->pos.line);
    *y->err_pos = k->pos;
    y->status = y->err->oom ? CMP_YAML_NOMEM : CMP_YAML_SYNTAX;
    return;
  }
  if (!pm_setn(y->a, f->coll, ks, kl, v)) nomem(y);
}

/* Applies the mapping's `<<` sources: each member not set yet is added,
** so keys written in the mapping win, then earlier sources. */
static void apply_merges(yload *y, frame *f) {
  for (size_t i = 0; i < f->nmerges && y->status == CMP_YAML_OK; i++) {
    pm_value *src = f->merges[i];
    size_t nsrc = src->type == PM_ARR ? src->u.arr.len : 1;
    for (size_t j = 0; j < nsrc && y->status == CMP_YAML_OK; j++) {
      pm_value *m = src->type == PM_ARR ? src->u.arr.items[j] : src;
      if (m->type != PM_MAP) {
        fail(y, m->pos, "map merge requires map or sequence of maps as the value");
        return;
      }
      for (size_t k = 0; k < m->u.obj.len; k++) {
        const pm_member *mb = &m->u.obj.items[k];
        if (pm_getn(f->coll, mb->key, mb->key_len)) continue;
        if (!pm_setn(y->a, f->coll, mb->key, mb->key_len, mb->val)) {
          nomem(y);
          return;
        }
      }
    }
  }
}

static void open_collection(yload *y, pm_value *coll, const yaml_char_t *anchor_name,
                            const yaml_char_t *tag, pm_pos pos) {
  if (coll == NULL) { nomem(y); return; }
  if (y->depth >= y->lim->max_depth) {
    fail(y, pos, "nesting is deeper than the limit of %zu levels", y->lim->max_depth);
    return;
  }
  if (!pol_arena_grow(y->a, (void **)&y->stack, &y->cap, y->depth + 1, sizeof *y->stack)) {
    nomem(y);
    return;
  }
  assert(y->depth < y->lim->max_depth); /* checked above */
  frame *f = &y->stack[y->depth++];
  memset(f, 0, sizeof *f);
  f->coll = coll;
  f->start_nodes = y->nodes;
  f->entry_line = pos.line;
  if (anchor_name) {
    f->anchor = pol_arena_strdup(y->a, (const char *)anchor_name);
    if (f->anchor == NULL) nomem(y);
  }
  set_tags(y, coll, (const char *)tag);
}

static void close_collection(yload *y, bool flow, pm_pos end) {
  assert(y->depth > 0); /* libyaml ends only what it started */
  frame f = y->stack[--y->depth];
  if (f.coll->type == PM_MAP && f.key != NULL) {
    fail(y, f.key->pos, "a mapping key has no value");
    return;
  }
  apply_merges(y, &f);
  if (flow) {
    y->last.line = end.end_line;
    y->last.col = end.end_col;
  }
  f.coll->pos.end_line = y->last.line;
  f.coll->pos.end_col = y->last.col;
  remember_anchor(y, f.anchor, f.coll, y->nodes - f.start_nodes);
  attach(y, f.coll, true, f.coll->pos.line);
}

/* Lines strictly inside a quoted or block scalar are text. */
static void note_scalar_lines(yload *y, const yaml_event_t *e, pm_pos *pos) {
  yaml_scalar_style_t st = e->data.scalar.style;
  uint32_t first = pos->line, last = pos->end_line;
  if ((st == YAML_LITERAL_SCALAR_STYLE || st == YAML_FOLDED_SCALAR_STYLE) &&
      pos->end_col == 1 && last > first) {
    last--;                      /* the scalar ends at the next line's start */
    pos->end_line = last;
    pos->end_col = 1;
  }
  if (st == YAML_PLAIN_SCALAR_STYLE) return;
  for (uint32_t l = first + 1; l <= last && l <= y->out->nlines; l++)
    y->out->in_scalar[l] = 1;
}

static void on_scalar(yload *y, const yaml_event_t *e, pm_pos pos) {
  if (!count_nodes(y, 1, pos)) return;
  note_scalar_lines(y, e, &pos);
  const char *s = (const char *)e->data.scalar.value;
  size_t n = e->data.scalar.length;
  const char *tag = (const char *)e->data.scalar.tag;
  bool plain = e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
  frame *f = y->depth ? &y->stack[y->depth - 1] : NULL;
  bool is_key = f && f->coll->type == PM_MAP && f->key == NULL;
  bool merge = is_key && plain && tag == NULL && n == 2 && s[0] == '<' && s[1] == '<';
  pm_value *v;
  if (is_key)                       /* keys are their text: `1:` is "1" */
    v = pm_strn(y->a, s, n, pos);
  else if (tag && !strncmp(tag, TAG_PREFIX, strlen(TAG_PREFIX)))
    v = tagged_scalar(y, tag, s, n, pos);
  else if (plain)
    v = plain_scalar(y->a, s, n, pos);
  else
    v = pm_strn(y->a, s, n, pos);
  if (v == NULL) { nomem(y); return; }
  if (y->status != CMP_YAML_OK) return;
  set_tags(y, v, tag);
  y->last.line = pos.end_line;
  y->last.col = pos.end_col;
  if (e->data.scalar.anchor)
    remember_anchor(y, (const char *)e->data.scalar.anchor, v, 1);
  if (merge) {
    if (f->nmerges > 0) {
      fail(y, pos, "mapping key \"<<\" already defined");
      return;
    }
    f->merge_key = true;
  }
  attach(y, v, true, pos.line);
}

static void on_alias(yload *y, const yaml_event_t *e, pm_pos pos) {
  const char *name = (const char *)e->data.alias.anchor;
  const pm_value *at = pm_get(y->anchor_index, name);
  anchor *found = at ? &y->anchors[at->u.i] : NULL;
  if (found == NULL) { fail(y, pos, "unknown anchor '%s' referenced", name); return; }
  for (size_t i = 0; i < y->depth; i++)
    if (y->stack[i].coll == found->value) {
      fail(y, pos, "anchor '%s' value contains itself", name);
      return;
    }
  if (!count_nodes(y, found->size, pos)) return;
  y->last.line = pos.end_line;
  y->last.col = pos.end_col;
  attach(y, found->value, false, pos.line);
}

static void on_event(yload *y, yaml_event_t *e) {
  pm_pos pos = mark_pos(y, e->start_mark, e->end_mark);
  switch (e->type) {
  case YAML_DOCUMENT_START_EVENT:    /* anchors are per document */
    y->nanchors = 0;
    y->anchor_index = pm_map(y->a, pm_nopos);
    if (y->anchor_index == NULL) nomem(y);
    y->root = NULL;
    break;
  case YAML_DOCUMENT_END_EVENT: {
    cmp_yaml *o = y->out;
    pm_value *root = y->root ? y->root : pm_null(y->a, pos);
    if (root == NULL || !pol_arena_grow(y->a, (void **)&o->docs, &y->docs_cap,
                                     o->ndocs + 1, sizeof *o->docs)) {
      nomem(y);
      break;
    }
    o->docs[o->ndocs++] = root;
    break;
  }
  case YAML_SCALAR_EVENT:
    on_scalar(y, e, pos);
    break;
  case YAML_SEQUENCE_START_EVENT:
    if (!count_nodes(y, 1, pos)) return;
    open_collection(y, pm_arr(y->a, pos), e->data.sequence_start.anchor,
                    e->data.sequence_start.tag, pos);
    break;
  case YAML_MAPPING_START_EVENT:
    if (!count_nodes(y, 1, pos)) return;
    open_collection(y, pm_map(y->a, pos), e->data.mapping_start.anchor,
                    e->data.mapping_start.tag, pos);
    break;
  case YAML_SEQUENCE_END_EVENT:
  case YAML_MAPPING_END_EVENT:
    close_collection(y, pos.end_col > pos.col || pos.end_line > pos.line, pos);
    break;
  case YAML_ALIAS_EVENT:
    on_alias(y, e, pos);
    break;
  default:
    break;
  }
}

/* Per-line tables, sized by the number of lines of the text. */
static bool line_tables(pol_arena *a, const char *text, size_t len, cmp_yaml *out) {
  size_t lines = 1;
  for (size_t i = 0; i < len; i++)
    if (text[i] == '\n') lines++;
  if (lines >= UINT32_MAX) return false;
  out->nlines = (uint32_t)lines;
  out->span_end = pol_arena_calloc(a, lines + 1, sizeof *out->span_end);
  out->in_scalar = pol_arena_calloc(a, lines + 1, 1);
  return out->span_end && out->in_scalar;
}

int cmp_yaml_load(pol_arena *a, const char *text, size_t len, const char *file,
                  const pm_load_limits *lim, cmp_marks *marks, cmp_yaml *out,
                  pol_buf *err, pm_pos *err_pos) {
  memset(out, 0, sizeof *out);
  if (!line_tables(a, text, len, out)) return CMP_YAML_NOMEM;
  yaml_parser_t parser;
  if (!yaml_parser_initialize(&parser)) return CMP_YAML_NOMEM;
  yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
  yload y = {0};
  y.a = a;
  y.lim = lim;
  y.file = file;
  y.marks = marks;
  y.out = out;
  y.err = err;
  y.err_pos = err_pos;
  bool done = false;
  while (!done && y.status == CMP_YAML_OK) {
    yaml_event_t e;
    if (!yaml_parser_parse(&parser, &e)) {
      if (parser.error == YAML_MEMORY_ERROR) { y.status = CMP_YAML_NOMEM; break; }
      *err_pos = pm_pos_make((uint32_t)parser.problem_mark.line + 1,
                             (uint32_t)parser.problem_mark.column + 1,
                             (uint32_t)parser.problem_mark.line + 1,
                             (uint32_t)parser.problem_mark.column + 1);
      err_pos->file = file;
      pol_buf_printf(err, "%s", parser.problem ? parser.problem : "invalid YAML");
      if (parser.context) pol_buf_printf(err, " %s", parser.context);
      y.status = err->oom ? CMP_YAML_NOMEM : CMP_YAML_SYNTAX;
      break;
    }
    done = e.type == YAML_STREAM_END_EVENT;
    on_event(&y, &e);
    yaml_event_delete(&e);
  }
  yaml_parser_delete(&parser);
  return y.status;
}
