/*
** freeze.c: what a rule file (or a helper library) built while it loaded
** becomes read-only, so code that runs once per engine keeps no state
** from one run to the next (see sandbox.h: eng_sb_freeze, eng_sb_restore).
**
** A frozen table keeps its identity (closures that captured it still see
** it, type() is still "table") but is emptied: its entries move to a
** hidden shadow table, and its new metatable reads through to the shadow
** (__index), refuses writes (__newindex), and answers # and pairs from
** the shadow; __metatable hides all of it. Other metamethods the table
** had (__call, __eq, __concat, ...) are kept; its old __index becomes the
** shadow's. The library functions that bypass metamethods (rawget,
** rawset, rawlen, next, the table library) look up the shadow with
** eng_sb_frozen_shadow, and refuse writes.
**
** Upvalue cells cannot be made read-only. Every cell of every closure
** reachable from the frozen value is recorded with its value (once per
** cell: lua_upvalueid) in a snapshot list, so eng_sb_restore can put back any
** value a run replaced. The snapshot list is a Lua sequence of triples
** (closure, upvalue index, value), a nil value stored as a sentinel.
**
** Invariants: freezing runs inside a protected call (it allocates); a
** value reached twice is frozen once (a table by the frozen metatable it
** gets before its entries are visited, a function and a cell by the
** `seen` table); userdata (model
** views, read-only libraries) and C functions are left as they are: they
** are read-only already.
*/
#include "sandbox_int.h"

#include <assert.h>
#include <lauxlib.h>

static char frozen_key; /* in a frozen table's metatable: its shadow */
static char nil_cell;   /* in a snapshot list: the cell held nil */

static int frozen_newindex(lua_State *L) {
  return luaL_error(L, "attempt to modify a read-only table");
}

/* The metamethods below are plain C functions, shared by every frozen
** table: each finds the shadow of the table it is called on in that
** table's metatable (a frozen table's metatable is hidden, so only they
** and eng_sb_frozen_shadow read it). */
static void push_shadow(lua_State *L, int t) {
  if (!eng_sb_frozen_shadow(L, t)) luaL_error(L, "not a read-only table");
}

static int frozen_len(lua_State *L) {
  push_shadow(L, 1);
  lua_pushinteger(L, (lua_Integer)lua_rawlen(L, -1));
  return 1;
}

/* next over the shadow of the table, which is never handed out. */
static int frozen_next(lua_State *L) {
  lua_settop(L, 2);
  push_shadow(L, 1);
  lua_insert(L, 2);
  if (lua_next(L, 2)) return 2;
  lua_pushnil(L);
  return 1;
}

static int frozen_pairs(lua_State *L) {
  lua_pushcfunction(L, frozen_next);
  lua_pushvalue(L, 1);
  lua_pushnil(L);
  return 3;
}

bool eng_sb_frozen_shadow(lua_State *L, int idx) {
  if (lua_type(L, idx) != LUA_TTABLE || !lua_getmetatable(L, idx)) return false;
  if (lua_rawgetp(L, -1, &frozen_key) == LUA_TTABLE) {
    lua_remove(L, -2);
    return true;
  }
  lua_pop(L, 2);
  return false;
}

static void freeze_value(lua_State *L, int idx, int seen, int snaps);

/* The metamethods a frozen table keeps from its old metatable. */
static const char *const kept_events[] = {
    "__call", "__eq", "__lt", "__le", "__concat", "__unm", "__add", "__sub",
    "__mul", "__div", "__mod", "__pow", "__idiv", "__band", "__bor", "__bxor",
    "__shl", "__shr", "__bnot", "__tostring", "__name", "__close", NULL};

/* Builds the frozen metatable for the table at t with its shadow at s. */
static void frozen_metatable(lua_State *L, int t, int s) {
  lua_createtable(L, 0, 6);
  int m = lua_gettop(L);
  if (lua_getmetatable(L, t)) {
    int old = lua_gettop(L);
    for (const char *const *e = kept_events; *e; e++) {
      if (lua_getfield(L, old, *e) != LUA_TNIL) lua_setfield(L, m, *e);
      else lua_pop(L, 1);
    }
    /* Inherited reads go on from the shadow. */
    if (lua_getfield(L, old, "__index") != LUA_TNIL) {
      lua_createtable(L, 0, 1);
      lua_insert(L, -2);
      lua_setfield(L, -2, "__index");
      lua_setmetatable(L, s);
    } else {
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  lua_pushvalue(L, s);
  lua_setfield(L, m, "__index");
  lua_pushcfunction(L, frozen_newindex);
  lua_setfield(L, m, "__newindex");
  lua_pushcfunction(L, frozen_len);
  lua_setfield(L, m, "__len");
  lua_pushcfunction(L, frozen_pairs);
  lua_setfield(L, m, "__pairs");
  lua_pushboolean(L, 0);
  lua_setfield(L, m, "__metatable");
  lua_pushvalue(L, s);
  lua_rawsetp(L, m, &frozen_key);
}

/* Entries of the table at t (a lua_next walk). */
static int count_entries(lua_State *L, int t) {
  int n = 0;
  lua_pushnil(L);
  while (lua_next(L, t)) {
    lua_pop(L, 1);
    n++;
  }
  return n;
}

/* Sets every entry of the table at from in the table at to (raw). */
static void copy_entries(lua_State *L, int from, int to) {
  lua_pushnil(L);
  while (lua_next(L, from)) {
    lua_pushvalue(L, -2);
    lua_insert(L, -2);
    lua_rawset(L, to);
  }
}

static void freeze_table(lua_State *L, int t, int seen, int snaps) {
  luaL_checkstack(L, 8, NULL);
  /* The shadow takes every entry, sized for them at once; the table is
  ** emptied. */
  int count = count_entries(L, t);
  int narr = (int)lua_rawlen(L, t);
  if (narr > count) narr = count; /* a border past the entries: never */
  lua_createtable(L, narr, count - narr);
  int s = lua_gettop(L);
  copy_entries(L, t, s);
  lua_pushnil(L);
  while (lua_next(L, s)) {
    lua_pop(L, 1);
    lua_pushvalue(L, -1);
    lua_pushnil(L);
    lua_rawset(L, t); /* clearing existing fields keeps lua_next valid */
  }
  frozen_metatable(L, t, s);
  lua_setmetatable(L, t);
  /* Then everything the table holds, keys included. */
  lua_pushnil(L);
  while (lua_next(L, s)) {
    freeze_value(L, lua_gettop(L), seen, snaps);
    freeze_value(L, lua_gettop(L) - 1, seen, snaps);
    lua_pop(L, 1);
  }
  lua_settop(L, s - 1);
}

/* Appends (closure, n, value-on-top) to the snapshot list; pops nothing. */
static void snapshot(lua_State *L, int fn, int n, int snaps) {
  lua_Integer k = (lua_Integer)lua_rawlen(L, snaps);
  assert(k % 3 == 0);
  lua_pushvalue(L, fn);
  lua_rawseti(L, snaps, k + 1);
  lua_pushinteger(L, n);
  lua_rawseti(L, snaps, k + 2);
  /* A nil cell is kept as the sentinel: a hole would end the sequence. */
  if (lua_isnil(L, -1)) lua_pushlightuserdata(L, &nil_cell);
  else lua_pushvalue(L, -1);
  lua_rawseti(L, snaps, k + 3);
}

static void freeze_function(lua_State *L, int fn, int seen, int snaps) {
  if (lua_iscfunction(L, fn)) return;
  for (int n = 1; lua_getupvalue(L, fn, n) != NULL; n++) {
    void *cell = lua_upvalueid(L, fn, n);
    if (lua_rawgetp(L, seen, cell) == LUA_TNIL) {
      lua_pop(L, 1);
      lua_pushboolean(L, 1);
      lua_rawsetp(L, seen, cell);
      snapshot(L, fn, n, snaps);
      freeze_value(L, lua_gettop(L), seen, snaps);
    } else {
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
}

static void freeze_value(lua_State *L, int idx, int seen, int snaps) {
  int type = lua_type(L, idx);
  if (type != LUA_TTABLE && type != LUA_TFUNCTION) return;
  luaL_checkstack(L, 4, NULL);
  if (type == LUA_TTABLE) {
    /* A frozen table is recognised by its metatable, which it gets before
    ** its entries are visited: cycles end there, with no `seen` entry. */
    if (eng_sb_frozen_shadow(L, idx)) {
      lua_pop(L, 1);
      return;
    }
    freeze_table(L, idx, seen, snaps);
    return;
  }
  lua_pushvalue(L, idx);
  if (lua_rawget(L, seen) != LUA_TNIL) {
    lua_pop(L, 1);
    return;
  }
  lua_pop(L, 1);
  lua_pushvalue(L, idx);
  lua_pushboolean(L, 1);
  lua_rawset(L, seen);
  freeze_function(L, idx, seen, snaps);
}

void eng_sb_freeze(lua_State *L, int idx, int seen, int snaps) {
  idx = lua_absindex(L, idx);
  seen = lua_absindex(L, seen);
  snaps = lua_absindex(L, snaps);
  freeze_value(L, idx, seen, snaps);
}

void eng_sb_frozen_merge(lua_State *L, int t, int src) {
  t = lua_absindex(L, t);
  src = lua_absindex(L, src);
  luaL_checkstack(L, 6, NULL);
  bool frozen = eng_sb_frozen_shadow(L, t);
  assert(frozen); /* sandbox.h: t is frozen */
  (void)frozen;
  int s = lua_gettop(L);
  /* The new shadow, sized once for both. */
  lua_createtable(L, 0, count_entries(L, s) + count_entries(L, src));
  int merged = lua_gettop(L);
  copy_entries(L, s, merged);
  lua_pushnil(L);
  while (lua_next(L, src)) {
    lua_pushvalue(L, -2);
    if (lua_rawget(L, s) == LUA_TNIL) {
      lua_pop(L, 1);
      lua_pushvalue(L, -2);
      lua_insert(L, -2);
      lua_rawset(L, merged);
    } else {
      lua_pop(L, 2);
    }
  }
  if (lua_getmetatable(L, s)) lua_setmetatable(L, merged); /* inherited reads */
  /* The table's metatable points at the new shadow. */
  lua_getmetatable(L, t);
  lua_pushvalue(L, merged);
  lua_setfield(L, -2, "__index");
  lua_pushvalue(L, merged);
  lua_rawsetp(L, -2, &frozen_key);
  lua_settop(L, s - 1);
}

void eng_sb_restore(lua_State *L, int snaps) {
  snaps = lua_absindex(L, snaps);
  lua_Integer n = (lua_Integer)lua_rawlen(L, snaps);
  assert(n % 3 == 0);
  for (lua_Integer k = 1; k + 2 <= n; k += 3) {
    lua_rawgeti(L, snaps, k);
    int fn = lua_gettop(L);
    int up = (int)(lua_rawgeti(L, snaps, k + 1), lua_tointeger(L, -1));
    lua_pop(L, 1);
    lua_rawgeti(L, snaps, k + 2);
    if (lua_touserdata(L, -1) == &nil_cell) {
      lua_pop(L, 1);
      lua_pushnil(L);
    }
    lua_getupvalue(L, fn, up);
    if (lua_rawequal(L, -1, -2)) {
      lua_pop(L, 3);
    } else {
      lua_pop(L, 1);
      lua_setupvalue(L, fn, up);
      lua_pop(L, 1);
    }
  }
}
