/*
** posjson.c: JSON with a position for every value (see posjson.h).
**
** Two passes over the text, both linear:
**  1. scan: records one span per value in document (pre-)order: where it
**     starts and ends and, for object members, where the key starts. It
**     checks the depth and node limits before jansson allocates anything,
**     and stops quietly at text that is not JSON (jansson reports it).
**  2. jansson parses the text; its tree is walked in the same pre-order,
**     taking the next span for each value. jansson (>= 2.8) iterates object
**     keys in insertion order and rejects duplicate keys, so for text it
**     accepts the walk and the scan visit the same values in the same
**     order; the kind of every span is checked against the value anyway.
*/
#include "posjson.h"

#include <jansson.h>
#include <stdint.h>
#include <string.h>

#include "../core/alloc.h"

#define NO_PARENT UINT32_MAX

typedef struct jspan {
  uint32_t line, col, end_line, end_col;
  uint32_t key_line, key_col; /* 0: not an object member */
  uint32_t parent;            /* enclosing array or object, or NO_PARENT */
  char kind;                  /* '{', '[', '"', or 'l' for other literals */
} jspan;

typedef struct jscan {
  const char *s;
  size_t len, i;
  uint32_t line, col; /* of s[i] */
  jspan *spans;
  size_t n, cap;
  const insp_json_limits *lim;
} jscan;

enum { SCAN_DONE, SCAN_LIMIT, SCAN_DEEP, SCAN_NOMEM };

/* Columns count code points: UTF-8 continuation bytes do not advance. */
static void advance(jscan *sc) {
  unsigned char b = (unsigned char)sc->s[sc->i++];
  if (b == '\n') {
    sc->line++;
    sc->col = 1;
  } else if ((b & 0xC0) != 0x80) {
    sc->col++;
  }
}

/* Span indexes are 32-bit: no more values than that, whatever the limit. */
static jspan *new_span(jscan *sc, char kind, uint32_t parent, uint32_t kl,
                       uint32_t kc, int *status) {
  if (sc->n >= sc->lim->max_nodes || sc->n >= NO_PARENT) {
    *status = SCAN_LIMIT;
    return NULL;
  }
  if (sc->n == sc->cap) {
    size_t cap = sc->cap ? sc->cap * 2 : 256, bytes;
    if (cap > sc->lim->max_nodes) cap = sc->lim->max_nodes;
    void *p = pol_mul_ok(cap, sizeof(jspan), &bytes)
                  ? pol_realloc(sc->spans, bytes) : NULL;
    if (p == NULL) {
      *status = SCAN_NOMEM;
      return NULL;
    }
    sc->spans = p;
    sc->cap = cap;
  }
  jspan *sp = &sc->spans[sc->n++];
  sp->line = sp->end_line = sc->line;
  sp->col = sp->end_col = sc->col;
  sp->key_line = kl;
  sp->key_col = kc;
  sp->parent = parent;
  sp->kind = kind;
  return sp;
}

static void close_span(jscan *sc, jspan *sp) {
  sp->end_line = sc->line;
  sp->end_col = sc->col;
}

static void skip_string(jscan *sc) {
  advance(sc);
  while (sc->i < sc->len) {
    char c = sc->s[sc->i];
    advance(sc);
    if (c == '"') return;
    if (c == '\\' && sc->i < sc->len) advance(sc);
  }
}

static bool is_literal_byte(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
         (c >= 'A' && c <= 'Z') || c == '-' || c == '+' || c == '.';
}

/* Pass 1. On SCAN_DEEP, (sc->line, sc->col) is where the deep value starts. */
static int scan(jscan *sc) {
  uint32_t cur = NO_PARENT, depth = 0, kl = 0, kc = 0;
  bool expect_key = false;
  int status = SCAN_DONE;
  while (sc->i < sc->len) {
    char c = sc->s[sc->i];
    jspan *sp;
    switch (c) {
    case ' ': case '\t': case '\n': case '\r': case ':':
      advance(sc);
      break;
    case ',':
      advance(sc);
      expect_key = cur != NO_PARENT && sc->spans[cur].kind == '{';
      break;
    case '{': case '[':
      if (depth >= sc->lim->max_depth) return SCAN_DEEP;
      if ((sp = new_span(sc, c, cur, kl, kc, &status)) == NULL) return status;
      cur = (uint32_t)(sp - sc->spans);
      depth++;
      kl = kc = 0;
      expect_key = c == '{';
      advance(sc);
      break;
    case '}': case ']':
      if (cur == NO_PARENT) return SCAN_DONE;
      advance(sc);
      close_span(sc, &sc->spans[cur]);
      cur = sc->spans[cur].parent;
      depth--;
      expect_key = false;
      break;
    case '"':
      if (expect_key) {
        kl = sc->line;
        kc = sc->col;
        expect_key = false;
        skip_string(sc);
        break;
      }
      if ((sp = new_span(sc, '"', cur, kl, kc, &status)) == NULL) return status;
      kl = kc = 0;
      skip_string(sc);
      close_span(sc, sp);
      break;
    default:
      if (!is_literal_byte(c)) return SCAN_DONE;
      if ((sp = new_span(sc, 'l', cur, kl, kc, &status)) == NULL) return status;
      kl = kc = 0;
      while (sc->i < sc->len && is_literal_byte(sc->s[sc->i])) advance(sc);
      close_span(sc, sp);
      break;
    }
  }
  return SCAN_DONE;
}

typedef struct jconv {
  pol_arena *a;
  const char *file;
  const jspan *spans;
  size_t n, next;
  bool mismatch;
} jconv;

static char kind_of(const json_t *v) {
  switch (json_typeof(v)) {
  case JSON_OBJECT: return '{';
  case JSON_ARRAY: return '[';
  case JSON_STRING: return '"';
  default: return 'l';
  }
}

/* Pass 2: the value at spans[next], and everything inside it. */
static pm_value *convert(jconv *j, json_t *v) {
  if (j->next >= j->n || j->spans[j->next].kind != kind_of(v)) {
    j->mismatch = true;
    return NULL;
  }
  const jspan *sp = &j->spans[j->next++];
  pm_pos pos = sp->key_line
                   ? pm_pos_make(sp->key_line, sp->key_col, sp->end_line, sp->end_col)
                   : pm_pos_make(sp->line, sp->col, sp->end_line, sp->end_col);
  pos.file = j->file;
  pol_arena *a = j->a;
  switch (json_typeof(v)) {
  case JSON_NULL: return pm_null(a, pos);
  case JSON_TRUE: return pm_bool(a, true, pos);
  case JSON_FALSE: return pm_bool(a, false, pos);
  case JSON_INTEGER: return pm_int(a, (int64_t)json_integer_value(v), pos);
  case JSON_REAL: return pm_num(a, json_real_value(v), pos);
  case JSON_STRING:
    return pm_strn(a, json_string_value(v), json_string_length(v), pos);
  case JSON_ARRAY: {
    pm_value *arr = pm_arr(a, pos);
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item) {
      if (!pm_push(a, arr, convert(j, item))) return NULL;
    }
    return arr;
  }
  case JSON_OBJECT: {
    pm_value *map = pm_map(a, pos);
    if (map == NULL) return NULL;
    const char *key;
    size_t klen;
    json_t *item;
    void *tmp;
    json_object_keylen_foreach_safe(v, tmp, key, klen, item) {
      if (!pm_setn(a, map, key, klen, convert(j, item))) return NULL;
    }
    return map;
  }
  }
  return NULL;
}

/* Line and column of byte offset `off` of text. */
static pm_pos offset_pos(const char *text, size_t len, size_t off) {
  jscan sc = {text, off < len ? off : len, 0, 1, 1, NULL, 0, 0, NULL};
  while (sc.i < sc.len) advance(&sc);
  return pm_pos_make(sc.line, sc.col, sc.line, sc.col);
}

/* Where the token ending at byte `off` starts: a string (back to its
** unescaped opening quote) or a number. */
static size_t token_start(const char *text, size_t off) {
  if (off == 0) return 0;
  size_t i = off - 1;
  if (text[i] == '"') {
    while (i > 0) {
      i--;
      if (text[i] != '"') continue;
      size_t bs = 0;
      while (bs < i && text[i - 1 - bs] == '\\') bs++;
      if (bs % 2 == 0) return i;
    }
    return 0;
  }
  while (i > 0 && is_literal_byte(text[i - 1])) i--;
  return i;
}

/* jansson's position is just past the token it names ("... near 'tok'";
** the token is left out of the message when it is over 20 bytes). The
** error is placed at the token's first byte. */
static size_t error_offset(const char *text, const json_error_t *je) {
  size_t off = je->position > 0 ? (size_t)je->position : 0;
  const char *near = strstr(je->text, " near '");
  size_t tl = strlen(je->text);
  if (near && tl >= 2 && je->text[tl - 1] == '\'') {
    const char *tok = near + 7;
    size_t n = (size_t)(je->text + tl - 1 - tok);
    if (n > 0 && n <= off && memcmp(text + off - n, tok, n) == 0) off -= n;
    return off;
  }
  static const char *const about_token[] = {
      "too big integer", "too big negative integer", "real number overflow",
      "duplicate object key"};
  for (size_t k = 0; k < sizeof about_token / sizeof about_token[0]; k++)
    if (strncmp(je->text, about_token[k], strlen(about_token[k])) == 0)
      return token_start(text, off);
  return off;
}

int insp_json_parse(pol_arena *a, const char *text, size_t len,
                    const char *file, const insp_json_limits *lim,
                    pm_value **out, pol_buf *err, pm_pos *err_pos) {
  *out = NULL;
  *err_pos = pm_pos_make(1, 1, 1, 1);
  if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
    text += 3;
    len -= 3;
  }
  jscan sc = {text, len, 0, 1, 1, NULL, 0, 0, lim};
  int st = scan(&sc);
  if (st != SCAN_DONE) {
    pol_free(sc.spans);
    if (st == SCAN_NOMEM) return INSP_JSON_NOMEM;
    if (st == SCAN_LIMIT) return INSP_JSON_LIMIT;
    *err_pos = pm_pos_make(sc.line, sc.col, sc.line, sc.col + 1);
    pol_buf_printf(err, "arrays and objects nest deeper than %zu levels",
                lim->max_depth);
    return INSP_JSON_SYNTAX;
  }
  json_error_t je;
  json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY,
                            &je);
  if (root == NULL) {
    pol_free(sc.spans);
    *err_pos = offset_pos(text, len, error_offset(text, &je));
    pol_buf_puts(err, je.text);
    return INSP_JSON_SYNTAX;
  }
  jconv j = {a, file, sc.spans, sc.n, 0, false};
  pm_value *v = convert(&j, root);
  json_decref(root);
  pol_free(sc.spans);
  if (j.mismatch || (v && j.next != j.n)) {
    pol_buf_puts(err, "internal error: value positions out of step with the parser");
    return INSP_JSON_SYNTAX;
  }
  if (v == NULL) return INSP_JSON_NOMEM;
  *out = v;
  return INSP_JSON_OK;
}
