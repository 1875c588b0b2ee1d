/*
** load_yaml.c: YAML text to a model tree, through libyaml's event API.
**
** Invariants: `stack` holds the open collections (depth <= max_depth);
** an alias points at the anchored subtree (shared, not copied) and adds
** that subtree's node count to the total, so alias bombs hit max_nodes
** after a bounded amount of work.
*/
#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "load.h"

typedef struct anchor {
  char *name;
  pm_value *value;
  size_t size;     /* nodes in the subtree */
} anchor;

typedef struct frame {
  pm_value *coll;
  size_t start_nodes;
  char *anchor;          /* owned by the event copy below; may be NULL */
  pm_value *key;         /* mapping: the key waiting for its value */
} frame;

typedef struct yload {
  pol_arena *a;
  const pm_load_limits *lim;
  pol_buf *err;
  frame *stack;
  size_t depth, cap;
  anchor *anchors;
  size_t nanchors, acap;
  size_t nodes;
  pm_value *root;
  int status;
} yload;

static pm_pos mark_pos(yaml_mark_t start, yaml_mark_t end) {
  return pm_pos_make((uint32_t)start.line + 1, (uint32_t)start.column + 1,
                     (uint32_t)end.line + 1, (uint32_t)end.column + 1);
}

static void fail(yload *y, yaml_mark_t m, const char *msg, const char *arg) {
  if (y->status != PM_LOAD_OK) return;
  pol_buf_printf(y->err, "%zu:%zu: %s%s", m.line + 1, m.column + 1, msg, arg ? arg : "");
  y->status = PM_LOAD_SYNTAX;
}

static bool is_null(const char *s, size_t n) {
  return n == 0 || (n == 1 && s[0] == '~') ||
         (n == 4 && (!memcmp(s, "null", 4) || !memcmp(s, "Null", 4) || !memcmp(s, "NULL", 4)));
}

static int bool_value(const char *s, size_t n) {
  if (n == 4 && (!memcmp(s, "true", 4) || !memcmp(s, "True", 4) || !memcmp(s, "TRUE", 4))) return 1;
  if (n == 5 && (!memcmp(s, "false", 5) || !memcmp(s, "False", 5) || !memcmp(s, "FALSE", 5))) return 0;
  return -1;
}

/* Integers of the core schema: [-+]?[0-9]+, 0x[0-9a-fA-F]+, 0o[0-7]+. */
static bool core_int(const char *s, size_t n, int64_t *out) {
  size_t i = 0;
  int base = 10;
  bool neg = false;
  if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'o')) {
    base = s[1] == 'x' ? 16 : 8;
    i = 2;
  } else if (n > 0 && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    i = 1;
  }
  if (i == n) return false;
  uint64_t v = 0;
  for (; i < n; i++) {
    int d;
    char c = s[i];
    if (c >= '0' && c <= '9') d = c - '0';
    else if (base == 16 && c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else if (base == 16 && c >= 'A' && c <= 'F') d = c - 'A' + 10;
    else return false;
    if (d >= base || v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base) return false;
    v = v * (uint64_t)base + (uint64_t)d;
  }
  if (v > (uint64_t)INT64_MAX + neg) return false;
  *out = neg ? (int64_t)(0 - v) : (int64_t)v;
  return true;
}

/* Floats of the core schema, including .inf and .nan. */
static bool core_float(const char *s, size_t n, double *out) {
  static const struct { const char *text; double value; } special[] = {
      {".inf", INFINITY}, {"+.inf", INFINITY}, {".Inf", INFINITY},
      {".INF", INFINITY}, {"-.inf", -INFINITY}, {"-.Inf", -INFINITY},
      {"-.INF", -INFINITY}, {".nan", NAN}, {".NaN", NAN}, {".NAN", NAN}};
  for (size_t i = 0; i < sizeof special / sizeof special[0]; i++)
    if (strlen(special[i].text) == n && memcmp(special[i].text, s, n) == 0) {
      *out = special[i].value;
      return true;
    }
  char buf[64];
  if (n == 0 || n >= sizeof buf || strspn(s, "0123456789+-.eE") < n) return false;
  memcpy(buf, s, n);
  buf[n] = '\0';
  if (strpbrk(buf, "0123456789") == NULL) return false;
  char *end;
  errno = 0;
  *out = strtod(buf, &end);
  return *end == '\0' && errno == 0;
}

/* A plain scalar typed by the YAML 1.2 core schema. */
static pm_value *plain_scalar(pol_arena *a, const char *s, size_t n, pm_pos pos) {
  if (is_null(s, n)) return pm_null(a, pos);
  int b = bool_value(s, n);
  if (b >= 0) return pm_bool(a, b, pos);
  int64_t i;
  if (core_int(s, n, &i)) return pm_int(a, i, pos);
  double d;
  if (core_float(s, n, &d)) return pm_num(a, d, pos);
  return pm_strn(a, s, n, pos);
}

static bool count_nodes(yload *y, size_t n, yaml_mark_t m) {
  if (n > y->lim->max_nodes - y->nodes) {
    fail(y, m, "too many values (aliases count their expanded size); the limit is ", NULL);
    pol_buf_printf(y->err, "%zu (a fixed limit)", y->lim->max_nodes);
    return false;
  }
  y->nodes += n;
  return true;
}

static bool remember_anchor(yload *y, const char *name, pm_value *v, size_t size) {
  if (name == NULL) return true;
  if (!pol_arena_grow(y->a, (void **)&y->anchors, &y->acap, y->nanchors + 1, sizeof *y->anchors))
    return false;
  anchor *an = &y->anchors[y->nanchors++];
  an->name = pol_arena_strdup(y->a, name);
  an->value = v;
  an->size = size;
  return an->name != NULL;
}

/* Adds a finished node to the collection on top of the stack (or makes it
** the root). */
static void attach(yload *y, pm_value *v, yaml_mark_t m) {
  if (v == NULL) { y->status = PM_LOAD_NOMEM; return; }
  if (y->depth == 0) { y->root = v; return; }
  frame *f = &y->stack[y->depth - 1];
  if (f->coll->type == PM_ARR) {
    if (!pm_push(y->a, f->coll, v)) y->status = PM_LOAD_NOMEM;
    return;
  }
  if (f->key == NULL) {
    if (v->type != PM_STR && v->type != PM_INT && v->type != PM_BOOL &&
        v->type != PM_NUM && v->type != PM_NULL) {
      fail(y, m, "a mapping key must be a scalar", NULL);
      return;
    }
    f->key = v;
    return;
  }
  pm_value *k = f->key;
  f->key = NULL;
  char kbuf[64];
  const char *ks;
  size_t kl;
  if (k->type == PM_STR) { ks = k->u.str.s; kl = k->u.str.len; }
  else if (k->type == PM_INT) { kl = (size_t)snprintf(kbuf, sizeof kbuf, "%lld", (long long)k->u.i); ks = kbuf; }
  else if (k->type == PM_BOOL) { ks = k->u.b ? "true" : "false"; kl = strlen(ks); }
  else if (k->type == PM_NULL) { ks = "null"; kl = 4; }
  else { kl = (size_t)snprintf(kbuf, sizeof kbuf, "%g", k->u.n); ks = kbuf; }
  if (pm_getn(f->coll, ks, kl)) {
    yaml_mark_t km = {0, k->pos.line - 1, k->pos.col - 1};
    char *name = pol_arena_strndup(y->a, ks, kl);
    fail(y, km, "duplicate key: ", name ? name : "");
    return;
  }
  if (!pm_setn(y->a, f->coll, ks, kl, v)) y->status = PM_LOAD_NOMEM;
}

static void open_collection(yload *y, pm_value *coll, const yaml_char_t *anchor_name,
                            yaml_mark_t m) {
  if (coll == NULL) { y->status = PM_LOAD_NOMEM; return; }
  if (y->depth >= y->lim->max_depth) {
    fail(y, m, "nesting is deeper than the limit of ", NULL);
    pol_buf_printf(y->err, "%zu levels (a fixed limit)", y->lim->max_depth);
    return;
  }
  if (!pol_arena_grow(y->a, (void **)&y->stack, &y->cap, y->depth + 1, sizeof *y->stack)) {
    y->status = PM_LOAD_NOMEM;
    return;
  }
  assert(y->depth < y->lim->max_depth); /* checked above */
  frame *f = &y->stack[y->depth++];
  f->coll = coll;
  f->start_nodes = y->nodes;
  f->key = NULL;
  f->anchor = anchor_name ? pol_arena_strdup(y->a, (const char *)anchor_name) : NULL;
}

static void close_collection(yload *y, yaml_mark_t m) {
  assert(y->depth > 0); /* libyaml ends only what it started */
  frame f = y->stack[--y->depth];
  if (!remember_anchor(y, f.anchor, f.coll, y->nodes - f.start_nodes)) {
    y->status = PM_LOAD_NOMEM;
    return;
  }
  attach(y, f.coll, m);
}

static void on_event(yload *y, yaml_event_t *e) {
  pm_pos pos = mark_pos(e->start_mark, e->end_mark);
  switch (e->type) {
  case YAML_SCALAR_EVENT: {
    if (!count_nodes(y, 1, e->start_mark)) return;
    const char *s = (const char *)e->data.scalar.value;
    size_t n = e->data.scalar.length;
    pm_value *v = e->data.scalar.plain_implicit && e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE
                      ? plain_scalar(y->a, s, n, pos)
                      : pm_strn(y->a, s, n, pos);
    if (v && e->data.scalar.anchor &&
        !remember_anchor(y, (const char *)e->data.scalar.anchor, v, 1)) v = NULL;
    attach(y, v, e->start_mark);
    break;
  }
  case YAML_SEQUENCE_START_EVENT:
    if (!count_nodes(y, 1, e->start_mark)) return;
    open_collection(y, pm_arr(y->a, pos), e->data.sequence_start.anchor, e->start_mark);
    break;
  case YAML_MAPPING_START_EVENT:
    if (!count_nodes(y, 1, e->start_mark)) return;
    open_collection(y, pm_map(y->a, pos), e->data.mapping_start.anchor, e->start_mark);
    break;
  case YAML_SEQUENCE_END_EVENT:
  case YAML_MAPPING_END_EVENT:
    close_collection(y, e->start_mark);
    break;
  case YAML_ALIAS_EVENT: {
    const char *name = (const char *)e->data.alias.anchor;
    anchor *found = NULL;
    for (size_t i = y->nanchors; i-- > 0;)
      if (strcmp(y->anchors[i].name, name) == 0) { found = &y->anchors[i]; break; }
    if (found == NULL) { fail(y, e->start_mark, "undefined alias: *", name); return; }
    if (!count_nodes(y, found->size, e->start_mark)) return;
    attach(y, found->value, e->start_mark);
    break;
  }
  default:
    break;
  }
}

int pm_load_yaml(pol_arena *a, const char *text, size_t len,
                 const pm_load_limits *limits, pm_value **out, pol_buf *err) {
  yaml_parser_t parser;
  *out = NULL;
  if (!yaml_parser_initialize(&parser)) return PM_LOAD_NOMEM;
  yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
  yload y = {0};
  y.a = a;
  y.lim = limits;
  y.err = err;
  bool done = false;
  while (!done && y.status == PM_LOAD_OK) {
    yaml_event_t e;
    if (!yaml_parser_parse(&parser, &e)) {
      if (parser.error == YAML_MEMORY_ERROR) { y.status = PM_LOAD_NOMEM; break; }
      pol_buf_printf(err, "%zu:%zu: %s", parser.problem_mark.line + 1,
                  parser.problem_mark.column + 1,
                  parser.problem ? parser.problem : "invalid YAML");
      if (parser.context) pol_buf_printf(err, " %s", parser.context);
      y.status = PM_LOAD_SYNTAX;
      break;
    }
    done = e.type == YAML_DOCUMENT_END_EVENT || e.type == YAML_STREAM_END_EVENT;
    on_event(&y, &e);
    yaml_event_delete(&e);
  }
  yaml_parser_delete(&parser);
  if (y.status != PM_LOAD_OK) return y.status;
  *out = y.root ? y.root : pm_null(a, pm_pos_make(1, 1, 1, 1));
  return *out ? PM_LOAD_OK : PM_LOAD_NOMEM;
}
