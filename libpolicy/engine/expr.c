/*
** expr.c: a Lua expression over a document, as JSON (see expr.h).
**
** Invariant: the expression, the globals it gets and the conversion of
** its results all run inside eng_sb_call, metered; the conversion charges
** a unit per element it visits and writes compact JSON into host memory
** (at most MAX_OUT bytes), which the pretty printer then indents outside
** the state.
*/
#include "expr.h"

#include <lauxlib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/to_json.h"
#include "sandbox_int.h"

#define MAX_DEPTH 64
#define MAX_OUT (64u << 20)

typedef struct json_ctx {
  eng_sandbox *sb;
  pol_buf *out;
  unsigned flags;
  int path;        /* stack index: the tables being written (cycle check) */
  bool nomem;      /* the host's memory ran out (not the expression's) */
} json_ctx;

static void write_value(lua_State *L, json_ctx *c, int idx, int depth);

typedef struct key_entry {
  const char *s;
  size_t n;
  lua_Integer slot;  /* where the value waits in the values table */
} key_entry;

static int by_key(const void *pa, const void *pb) {
  const key_entry *a = pa, *b = pb;
  int r = memcmp(a->s, b->s, a->n < b->n ? a->n : b->n);
  return r ? r : (a->n > b->n) - (a->n < b->n);
}

/* An object's members, keys sorted; keys that are not strings are
** written as Lua would print them (numbers) or by their type. */
static void write_object(lua_State *L, json_ctx *c, int src, lua_Integer n, int depth) {
  lua_createtable(L, (int)n, 0);       /* keys, anchored as strings */
  int keys = lua_gettop(L);
  lua_createtable(L, (int)n, 0);       /* values */
  int vals = keys + 1;
  key_entry *e = lua_newuserdatauv(L, (size_t)n * sizeof *e, 0);
  lua_Integer i = 0;
  lua_pushnil(L);
  while (lua_next(L, src) && i < n) {
    lua_rawseti(L, vals, ++i);
    lua_pushvalue(L, -1);
    if (lua_type(L, -1) == LUA_TNUMBER) lua_tolstring(L, -1, NULL);
    else if (lua_type(L, -1) != LUA_TSTRING) {
      lua_pop(L, 1);
      lua_pushstring(L, luaL_typename(L, -1));
    }
    lua_pushvalue(L, -1);
    lua_rawseti(L, keys, i);
    e[i - 1].s = lua_tolstring(L, -1, &e[i - 1].n);
    e[i - 1].slot = i;
    lua_pop(L, 1);
  }
  qsort(e, (size_t)i, sizeof *e, by_key);
  pol_buf_putc(c->out, '{');
  for (lua_Integer k = 0; k < i; k++) {
    if (k) pol_buf_putc(c->out, ',');
    pol_buf_put_json_string(c->out, e[k].s, e[k].n);
    pol_buf_putc(c->out, ':');
    lua_rawgeti(L, vals, e[k].slot);
    write_value(L, c, lua_gettop(L), depth + 1);
    lua_pop(L, 1);
  }
  pol_buf_putc(c->out, '}');
  lua_settop(L, keys - 1);
}

static void write_table(lua_State *L, json_ctx *c, int t, int depth) {
  luaL_checkstack(L, 12, NULL);
  lua_pushvalue(L, t);
  bool again = lua_rawget(L, c->path) != LUA_TNIL;
  lua_pop(L, 1);
  if (again || depth >= MAX_DEPTH) {
    pol_buf_puts(c->out, again ? "\"(cycle)\"" : "\"(too deep)\"");
    return;
  }
  lua_pushvalue(L, t);
  lua_pushboolean(L, 1);
  lua_rawset(L, c->path);
  int base = lua_gettop(L);
  int src = eng_sb_frozen_shadow(L, t) ? lua_gettop(L) : t;
  lua_Integer n = 0, max = 0;
  bool array = true;
  lua_pushnil(L);
  while (lua_next(L, src)) {
    n++;
    if (!lua_isinteger(L, -2) || lua_tointeger(L, -2) < 1) array = false;
    else if (lua_tointeger(L, -2) > max) max = lua_tointeger(L, -2);
    lua_pop(L, 1);
  }
  eng_sb_charge(L, n);
  if (array && max == n) {
    pol_buf_putc(c->out, '[');
    for (lua_Integer i = 1; i <= n; i++) {
      if (i > 1) pol_buf_putc(c->out, ',');
      lua_rawgeti(L, src, i);
      write_value(L, c, lua_gettop(L), depth + 1);
      lua_pop(L, 1);
    }
    pol_buf_putc(c->out, ']');
  } else {
    write_object(L, c, src, n, depth);
  }
  lua_settop(L, base);
  lua_pushvalue(L, t);
  lua_pushnil(L);
  lua_rawset(L, c->path);
}

static void write_value(lua_State *L, json_ctx *c, int idx, int depth) {
  luaL_checkstack(L, 4, NULL);
  switch (lua_type(L, idx)) {
  case LUA_TNIL: pol_buf_puts(c->out, "null"); break;
  case LUA_TBOOLEAN: pol_buf_puts(c->out, lua_toboolean(L, idx) ? "true" : "false"); break;
  case LUA_TNUMBER:
    if (lua_isinteger(L, idx)) {
      pol_buf_printf(c->out, "%lld", (long long)lua_tointeger(L, idx));
    } else {
      double d = (double)lua_tonumber(L, idx);
      if (isfinite(d)) pol_buf_printf(c->out, "%.17g", d);
      else pol_buf_puts(c->out, "null");
    }
    break;
  case LUA_TSTRING: {
    size_t n;
    const char *s = lua_tolstring(L, idx, &n);
    eng_sb_charge(L, (int64_t)(n / 16));
    pol_buf_put_json_string(c->out, s, n);
    break;
  }
  case LUA_TTABLE: write_table(L, c, idx, depth); break;
  case LUA_TUSERDATA: {
    const pm_value *node = eng_sb_to_value(c->sb, idx);
    if (node) {
      pm_json_write(c->out, node, (c->flags & ENG_EXPR_POSITIONS) ? 0 : PM_JSON_NO_POS);
      break;
    }
    pol_buf_puts(c->out, "\"userdata\""); /* a read-only library */
    break;
  }
  default:
    pol_buf_putc(c->out, '"');
    pol_buf_puts(c->out, luaL_typename(L, idx));
    pol_buf_putc(c->out, '"');
  }
  if (c->out->len > MAX_OUT)
    luaL_error(L, "the result is larger than %d MiB of JSON", (int)(MAX_OUT >> 20));
  if (c->out->oom) {
    c->nomem = true;
    luaL_error(L, "out of memory");
  }
}

/* (ctx, results...): the results as JSON into ctx->out. */
static int to_json_protected(lua_State *L) {
  json_ctx *c = lua_touserdata(L, 1);
  int n = lua_gettop(L) - 1;
  lua_newtable(L);
  c->path = lua_gettop(L);
  if (n > 1) pol_buf_putc(c->out, '[');
  for (int i = 0; i < n; i++) {
    if (i) pol_buf_putc(c->out, ',');
    write_value(L, c, 2 + i, 0);
  }
  if (n == 0) pol_buf_puts(c->out, "null");
  if (n > 1) pol_buf_putc(c->out, ']');
  return 0;
}

/* (env, doc): the document and its first subjects as globals. */
static int bind_protected(lua_State *L) {
  static const char *const firsts[][2] = {{"images", "image"}, {"containers", "container"},
                                          {"requests", "request"},
                                          {"vulnerabilities", "vulnerability"}};
  eng_sb_push_node(L, eng_sb_of(L), lua_touserdata(L, 2), false);
  int doc = lua_gettop(L);
  lua_pushvalue(L, doc);
  lua_setfield(L, 1, "document");
  for (size_t i = 0; i < sizeof firsts / sizeof firsts[0]; i++) {
    if (lua_getfield(L, doc, firsts[i][0]) != LUA_TNIL) {
      lua_geti(L, -1, 1);
      lua_setfield(L, 1, firsts[i][1]);
    }
    lua_pop(L, 1);
  }
  return 0;
}

/* Indents compact JSON: two spaces a level, one member a line. */
static void pretty(const char *s, size_t n, pol_buf *out) {
  int level = 0;
  for (size_t i = 0; i < n; i++) {
    char ch = s[i];
    if (ch == '"') {
      size_t j = i + 1;
      while (j < n && s[j] != '"') j += s[j] == '\\' ? 2 : 1;
      pol_buf_append(out, s + i, (j < n ? j + 1 : n) - i);
      i = j;
    } else if (ch == '{' || ch == '[') {
      char close = ch == '{' ? '}' : ']';
      if (i + 1 < n && s[i + 1] == close) {
        pol_buf_putc(out, ch);
        pol_buf_putc(out, close);
        i++;
        continue;
      }
      pol_buf_putc(out, ch);
      pol_buf_printf(out, "\n%*s", 2 * ++level, "");
    } else if (ch == '}' || ch == ']') {
      pol_buf_printf(out, "\n%*s%c", 2 * --level, "", ch);
    } else if (ch == ',') {
      pol_buf_printf(out, ",\n%*s", 2 * level, "");
    } else if (ch == ':') {
      pol_buf_puts(out, ": ");
    } else {
      pol_buf_putc(out, ch);
    }
  }
}

int eng_expr_eval(eng_sandbox *sb, const char *expr, size_t len, const pm_value *doc,
                  const eng_mod_set *modules, unsigned flags, pol_buf *out, pol_buf *err) {
  lua_State *L = eng_sb_state(sb);
  int top = lua_gettop(L);
  pol_buf text = POL_BUF_INIT, ignored = POL_BUF_INIT;
  pol_buf_puts(&text, "return ");
  pol_buf_append(&text, expr, len);
  int st = text.oom ? ENG_SB_ERR_NOMEM : eng_sb_load(sb, "=expression", text.data, text.len, &ignored);
  pol_buf_free(&ignored);
  pol_buf_free(&text);
  /* Not an expression: statements, which may end in return. */
  if (st == ENG_SB_ERR_SYNTAX) st = eng_sb_load(sb, "=expression", expr, len, err);
  if (st != ENG_SB_OK) return st;
  if (!lua_checkstack(L, 6)) {
    lua_settop(L, top);
    pol_buf_puts(err, "out of memory");
    return ENG_SB_ERR_NOMEM;
  }
  int fn = top + 1;
  eng_sb_next_generation(sb);
  eng_sb_push_env(sb);
  if (modules && (st = eng_mod_bind(sb, modules, -1, err)) != ENG_SB_OK) {
    lua_settop(L, top);
    return st;
  }
  lua_pushcfunction(L, bind_protected);
  lua_pushvalue(L, fn + 1);
  lua_pushlightuserdata(L, (void *)doc);
  eng_sb_set_trusted(sb, false);
  if ((st = eng_sb_call(sb, 2, 0, err)) != ENG_SB_OK) {
    lua_settop(L, top);
    return st;
  }
  eng_sb_set_env(sb, fn);              /* pops the env */
  st = eng_sb_call(sb, 0, LUA_MULTRET, err);
  if (st != ENG_SB_OK) {
    lua_settop(L, top);
    eng_sb_next_generation(sb);
    return st;
  }
  int nres = lua_gettop(L) - top;
  pol_buf compact = POL_BUF_INIT;
  json_ctx c = {sb, &compact, flags, 0, false};
  lua_pushcfunction(L, to_json_protected);
  lua_insert(L, top + 1);
  lua_pushlightuserdata(L, &c);
  lua_insert(L, top + 2);
  st = eng_sb_call(sb, nres + 1, 0, err);
  lua_settop(L, top);
  eng_sb_next_generation(sb);
  if ((st == ENG_SB_OK && compact.oom) || (st == ENG_SB_ERR_RUNTIME && c.nomem)) {
    pol_buf_puts(err, "out of memory");
    st = ENG_SB_ERR_NOMEM;
  }
  if (st == ENG_SB_OK) {
    if (flags & ENG_EXPR_PRETTY) pretty(compact.data, compact.len, out);
    else pol_buf_append(out, compact.data, compact.len);
  }
  pol_buf_free(&compact);
  return st;
}
