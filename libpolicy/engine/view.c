/*
** view.c: read-only userdata views over the model (see sandbox.h).
**
** A view is a userdata holding a node and the generation it was made in
** (0: permanent). Every metamethod checks the generation first, so a view
** that outlived its document raises instead of reading freed memory.
** Views are cached per node in a weak-valued registry table: the same
** node gives the same userdata (so == works) while a generation lasts; a
** cached view of an older generation is replaced, never revived.
**
** The metamethods are reachable only through the view metatable, which
** scripts cannot read (__metatable is false, there is no debug library),
** so their first argument is always a view; the pairs iterator keeps its
** view in an upvalue rather than trusting its arguments.
**
** Nulls read as nil. Arrays keep their positions (a null element is a
** nil at its index: # counts it, ipairs stops at it); objects and maps
** skip null members in pairs and #, as a Lua table would not hold them.
*/
#include "sandbox_int.h"

#include <lauxlib.h>

typedef struct view {
  const pm_value *node; /* PM_ARR, PM_OBJ or PM_MAP */
  uint64_t gen;
} view;

static char view_mt_key;    /* registry: the view metatable */
static char view_cache_key; /* registry: node (light userdata) -> view */

static bool is_null(const pm_value *v) {
  return v == NULL || v->type == PM_NULL;
}

/* The node of the view at idx; raises when its generation is over. */
static const pm_value *live_node(lua_State *L, int idx) {
  const view *w = lua_touserdata(L, idx);
  if (w->gen != 0 && w->gen != sb_of(L)->gen)
    luaL_error(L, "this model view is no longer valid");
  return w->node;
}

static bool is_permanent(lua_State *L, int idx) {
  return ((const view *)lua_touserdata(L, idx))->gen == 0;
}

static void push_view(lua_State *L, sandbox *sb, const pm_value *v,
                      bool permanent) {
  uint64_t gen = permanent ? 0 : sb->gen;
  luaL_checkstack(L, 3, NULL);
  lua_rawgetp(L, LUA_REGISTRYINDEX, &view_cache_key);
  if (lua_rawgetp(L, -1, v) == LUA_TUSERDATA &&
      ((const view *)lua_touserdata(L, -1))->gen == gen) {
    lua_remove(L, -2);
    return;
  }
  lua_pop(L, 1);
  view *w = lua_newuserdatauv(L, sizeof *w, 0);
  w->node = v;
  w->gen = gen;
  lua_rawgetp(L, LUA_REGISTRYINDEX, &view_mt_key);
  lua_setmetatable(L, -2);
  lua_pushvalue(L, -1);
  lua_rawsetp(L, -3, v);
  lua_remove(L, -2);
}

void sb_push_node(lua_State *L, sandbox *sb, const pm_value *v,
                  bool permanent) {
  switch (v ? v->type : PM_NULL) {
  case PM_NULL: lua_pushnil(L); break;
  case PM_BOOL: lua_pushboolean(L, v->u.b); break;
  case PM_INT: lua_pushinteger(L, (lua_Integer)v->u.i); break;
  case PM_NUM: lua_pushnumber(L, (lua_Number)v->u.n); break;
  case PM_STR: lua_pushlstring(L, v->u.str.s, v->u.str.len); break;
  case PM_ARR:
  case PM_OBJ:
  case PM_MAP: push_view(L, sb, v, permanent); break;
  }
}

/* The child of v under the key at idx, or NULL. */
static const pm_value *child(lua_State *L, const pm_value *v, int idx) {
  if (v->type == PM_ARR) {
    if (lua_type(L, idx) != LUA_TNUMBER) return NULL;
    int exact;
    lua_Integer i = lua_tointegerx(L, idx, &exact);
    if (!exact || i < 1 || (lua_Unsigned)i > v->u.arr.len) return NULL;
    return v->u.arr.items[i - 1];
  }
  if (lua_type(L, idx) != LUA_TSTRING) return NULL;
  size_t n;
  const char *k = lua_tolstring(L, idx, &n);
  return pm_getn(v, k, n);
}

static int view_index(lua_State *L) {
  const pm_value *v = live_node(L, 1);
  sb_push_node(L, sb_of(L), child(L, v, 2), is_permanent(L, 1));
  return 1;
}

static int view_newindex(lua_State *L) {
  return luaL_error(L, "model is read-only");
}

static int view_len(lua_State *L) {
  const pm_value *v = live_node(L, 1);
  size_t n = 0;
  if (v->type == PM_ARR) {
    n = v->u.arr.len;
  } else {
    for (size_t i = 0; i < v->u.obj.len; i++)
      if (!is_null(v->u.obj.items[i].val)) n++;
  }
  lua_pushinteger(L, (lua_Integer)n);
  return 1;
}

/* Upvalues: the view, the 0-based position of the next entry. */
static int view_next(lua_State *L) {
  int self = lua_upvalueindex(1);
  const pm_value *v = live_node(L, self);
  size_t pos = (size_t)lua_tointeger(L, lua_upvalueindex(2));
  bool arr = v->type == PM_ARR;
  size_t len = arr ? v->u.arr.len : v->u.obj.len;
  while (!arr && pos < len && is_null(v->u.obj.items[pos].val)) pos++;
  if (pos >= len) {
    lua_pushnil(L);
    return 1;
  }
  lua_pushinteger(L, (lua_Integer)pos + 1);
  lua_replace(L, lua_upvalueindex(2));
  if (arr) {
    lua_pushinteger(L, (lua_Integer)pos + 1);
    sb_push_node(L, sb_of(L), v->u.arr.items[pos], is_permanent(L, self));
  } else {
    const pm_member *m = &v->u.obj.items[pos];
    lua_pushlstring(L, m->key, m->key_len);
    sb_push_node(L, sb_of(L), m->val, is_permanent(L, self));
  }
  return 2;
}

static int view_pairs(lua_State *L) {
  live_node(L, 1);
  lua_pushvalue(L, 1);
  lua_pushinteger(L, 0);
  lua_pushcclosure(L, view_next, 2);
  lua_pushnil(L);
  lua_pushnil(L);
  return 3;
}

static int view_tostring(lua_State *L) {
  const pm_value *v = live_node(L, 1);
  lua_pushstring(L, v->type == PM_ARR   ? "view(array)"
                    : v->type == PM_OBJ ? "view(object)"
                                        : "view(map)");
  return 1;
}

void sb_open_views(lua_State *L) {
  static const luaL_Reg metamethods[] = {
      {"__index", view_index},   {"__newindex", view_newindex},
      {"__len", view_len},       {"__pairs", view_pairs},
      {"__tostring", view_tostring}, {NULL, NULL}};
  lua_createtable(L, 0, 7);
  luaL_setfuncs(L, metamethods, 0);
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_pushliteral(L, "model view");
  lua_setfield(L, -2, "__name");
  lua_rawsetp(L, LUA_REGISTRYINDEX, &view_mt_key);
  lua_newtable(L);
  lua_createtable(L, 0, 1);
  lua_pushliteral(L, "v");
  lua_setfield(L, -2, "__mode");
  lua_setmetatable(L, -2);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &view_cache_key);
}

const pm_value *sb_view_node(lua_State *L, sandbox *sb, int idx) {
  idx = lua_absindex(L, idx);
  const view *w = lua_touserdata(L, idx);
  if (w == NULL || !lua_getmetatable(L, idx)) return NULL;
  lua_rawgetp(L, LUA_REGISTRYINDEX, &view_mt_key);
  bool is_view = lua_rawequal(L, -1, -2);
  lua_pop(L, 2);
  if (!is_view || (w->gen != 0 && w->gen != sb->gen)) return NULL;
  return w->node;
}
