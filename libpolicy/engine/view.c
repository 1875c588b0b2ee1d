/*
** view.c: the model as scripts see it (see sandbox.h): read-only views,
** built lazily, shared by every rule that reads the same document.
**
** A view of an array, object or map node is three objects:
**   P  a userdata with no payload: what scripts hold;
**   M  P's own metatable: __index = B, writes refused, __len and __pairs
**      in C, __metatable = false; it also holds the node and generation;
**   B  the backing table: the node's children already read, as Lua values
**      (scalars) or views; its shared metatable's __index reads a child
**      the first time it is asked for and stores it in B.
** So a read that hits B never leaves the VM (an __index table is followed
** by the interpreter itself), and each child is converted once per
** generation, whichever rule asks first. Scripts can reach neither M
** (__metatable hides it; there is no debug library) nor B (it is only
** M.__index), so nothing a script does changes what another sees.
**
** Views are cached per node in the generation's identity map: the same
** node gives the same view (so == works) until sb_next_generation; the
** next view made then starts a new map (the old one, and every view only
** it held, become garbage), and every non-permanent view made before is
** invalid:
** reading a child not yet in B then raises instead of touching a node
** that may have been freed. Permanent views (data documents, generation
** 0) live as long as the state.
**
** Nulls read as nil. Arrays keep their positions (a null element is a nil
** at its index: # counts it, ipairs stops at it); objects and maps skip
** null members in pairs and #, as a Lua table would not hold them.
*/
#include "sandbox_int.h"

#include <assert.h>
#include <lauxlib.h>

static char node_key;       /* in M and B: the node, as light userdata */
static char gen_key;        /* in M and B: the generation (integer) */
static char backing_mt_key; /* registry: the metatable of every B */
static char idmap_key;      /* registry: node -> view, this generation */
static char perm_idmap_key; /* registry: node -> view, permanent ones */

static bool is_null(const pm_value *v) {
  return v == NULL || v->type == PM_NULL;
}

static bool is_container(const pm_value *v) {
  return v && (v->type == PM_ARR || v->type == PM_OBJ || v->type == PM_MAP);
}

/* Reads the node and generation stored in the table at idx (M or B). */
static const pm_value *stored_node(lua_State *L, int idx, uint64_t *gen) {
  idx = lua_absindex(L, idx);
  lua_rawgetp(L, idx, &node_key);
  const pm_value *v = lua_touserdata(L, -1);
  lua_rawgetp(L, idx, &gen_key);
  *gen = (uint64_t)lua_tointeger(L, -1);
  lua_pop(L, 2);
  return v;
}

/* The node of the view at idx (argument of a metamethod); raises when its
** generation is over. */
static const pm_value *live_node(lua_State *L, int idx, uint64_t *gen) {
  if (!lua_getmetatable(L, idx)) luaL_error(L, "not a model view");
  const pm_value *v = stored_node(L, -1, gen);
  lua_pop(L, 1);
  if (v == NULL) luaL_error(L, "not a model view");
  if (*gen != 0 && *gen != sb_of(L)->gen)
    luaL_error(L, "this model view is no longer valid");
  return v;
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

static int view_newindex(lua_State *L) {
  return luaL_error(L, "model is read-only");
}

static int view_len(lua_State *L) {
  uint64_t gen;
  const pm_value *v = live_node(L, 1, &gen);
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

/* Pushes view[key] for the key on top (replacing it): from B when it was
** read before, else converted now. */
static void get_through(lua_State *L, int view) {
  lua_gettable(L, view);
}

/* Upvalues: the view, the 0-based position of the next entry. */
static int view_next(lua_State *L) {
  int self = lua_upvalueindex(1);
  uint64_t gen;
  const pm_value *v = live_node(L, self, &gen);
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
  } else {
    const pm_member *m = &v->u.obj.items[pos];
    lua_pushlstring(L, m->key, m->key_len);
  }
  lua_pushvalue(L, -1);
  get_through(L, self);
  return 2;
}

static int view_pairs(lua_State *L) {
  uint64_t gen;
  live_node(L, 1, &gen);
  lua_pushvalue(L, 1);
  lua_pushinteger(L, 0);
  lua_pushcclosure(L, view_next, 2);
  lua_pushnil(L);
  lua_pushnil(L);
  return 3;
}

static int view_tostring(lua_State *L) {
  uint64_t gen;
  const pm_value *v = live_node(L, 1, &gen);
  lua_pushstring(L, v->type == PM_ARR   ? "view(array)"
                    : v->type == PM_OBJ ? "view(object)"
                                        : "view(map)");
  return 1;
}

/* B's __index: (B, key) -> the child, converted and stored in B. */
static int backing_index(lua_State *L) {
  uint64_t gen;
  const pm_value *v = stored_node(L, 1, &gen);
  sandbox *sb = sb_of(L);
  assert(v != NULL);
  if (gen != 0 && gen != sb->gen) return luaL_error(L, "this model view is no longer valid");
  const pm_value *c = child(L, v, 2);
  if (is_null(c)) {
    lua_pushnil(L);
    return 1;
  }
  sb_push_node(L, sb, c, gen == 0);
  lua_pushvalue(L, 2);
  lua_pushvalue(L, -2);
  lua_rawset(L, 1);
  return 1;
}

/* Makes the view of v (a container) and records it in the identity map
** at idx; leaves it on the stack. */
static void new_view(lua_State *L, const pm_value *v, uint64_t gen, int idmap) {
  luaL_checkstack(L, 6, NULL);
  /* B */
  lua_createtable(L, v->type == PM_ARR ? (int)(v->u.arr.len < 64 ? v->u.arr.len : 64) : 0, 2);
  int b = lua_gettop(L);
  lua_pushlightuserdata(L, (void *)v);
  lua_rawsetp(L, b, &node_key);
  lua_pushinteger(L, (lua_Integer)gen);
  lua_rawsetp(L, b, &gen_key);
  lua_rawgetp(L, LUA_REGISTRYINDEX, &backing_mt_key);
  lua_setmetatable(L, b);
  /* M */
  lua_createtable(L, 0, 9);
  int m = lua_gettop(L);
  lua_pushvalue(L, b);
  lua_setfield(L, m, "__index");
  lua_pushcfunction(L, view_newindex);
  lua_setfield(L, m, "__newindex");
  lua_pushcfunction(L, view_len);
  lua_setfield(L, m, "__len");
  lua_pushcfunction(L, view_pairs);
  lua_setfield(L, m, "__pairs");
  lua_pushcfunction(L, view_tostring);
  lua_setfield(L, m, "__tostring");
  lua_pushboolean(L, 0);
  lua_setfield(L, m, "__metatable");
  lua_pushliteral(L, "model view");
  lua_setfield(L, m, "__name");
  lua_pushlightuserdata(L, (void *)v);
  lua_rawsetp(L, m, &node_key);
  lua_pushinteger(L, (lua_Integer)gen);
  lua_rawsetp(L, m, &gen_key);
  /* P */
  lua_newuserdatauv(L, 0, 0);
  lua_pushvalue(L, m);
  lua_setmetatable(L, -2);
  lua_pushvalue(L, -1);
  lua_rawsetp(L, idmap, v);
  lua_replace(L, b);
  lua_settop(L, b);
}

/* Pushes the identity map of the current generation, making it when the
** one in the registry belongs to an older generation. */
static void push_idmap(lua_State *L, sandbox *sb, bool permanent) {
  if (permanent) {
    lua_rawgetp(L, LUA_REGISTRYINDEX, &perm_idmap_key);
    return;
  }
  lua_rawgetp(L, LUA_REGISTRYINDEX, &idmap_key);
  lua_rawgetp(L, -1, &gen_key);
  bool current = (uint64_t)lua_tointeger(L, -1) == sb->gen;
  lua_pop(L, 1);
  if (current) return;
  lua_pop(L, 1);
  lua_createtable(L, 0, 64);
  lua_pushinteger(L, (lua_Integer)sb->gen);
  lua_rawsetp(L, -2, &gen_key);
  lua_pushvalue(L, -1);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &idmap_key);
}

static void push_view(lua_State *L, sandbox *sb, const pm_value *v,
                      bool permanent) {
  luaL_checkstack(L, 3, NULL);
  push_idmap(L, sb, permanent);
  int idmap = lua_gettop(L);
  if (lua_rawgetp(L, idmap, v) == LUA_TUSERDATA) {
    lua_remove(L, idmap);
    return;
  }
  lua_pop(L, 1);
  new_view(L, v, permanent ? 0 : sb->gen, idmap);
  lua_remove(L, idmap);
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

void sb_open_views(lua_State *L) {
  lua_createtable(L, 0, 1);
  lua_pushcfunction(L, backing_index);
  lua_setfield(L, -2, "__index");
  lua_rawsetp(L, LUA_REGISTRYINDEX, &backing_mt_key);
  lua_newtable(L); /* generation 0: made current by the first push */
  lua_rawsetp(L, LUA_REGISTRYINDEX, &idmap_key);
  lua_newtable(L);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &perm_idmap_key);
}

const pm_value *sb_view_node(lua_State *L, sandbox *sb, int idx) {
  idx = lua_absindex(L, idx);
  if (lua_type(L, idx) != LUA_TUSERDATA || !lua_getmetatable(L, idx)) return NULL;
  uint64_t gen;
  const pm_value *v = stored_node(L, -1, &gen);
  lua_pop(L, 1);
  if (v == NULL || (gen != 0 && gen != sb->gen)) return NULL;
  assert(is_container(v));
  return v;
}
