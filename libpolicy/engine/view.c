/*
** view.c: the model as scripts see it (see sandbox.h): read-only views,
** built lazily, shared by every rule that reads the same document.
**
** A guarded view of an array, object or map node is three objects:
**   P  a userdata holding the node and its generation: what scripts hold;
**   M  P's own metatable: __index = B, writes refused, __len and __pairs
**      in C, __metatable = false;
**   B  the backing table: the node and its generation (under private
**      light-userdata keys), the node's scalar children (filled when the
**      view is made), and its container children once read, as views; its
**      shared metatable's __index makes a child's view the first time it
**      is asked for and stores it in B.
** So a read that hits B never leaves the VM (an __index table is followed
** by the interpreter itself), and each child is converted once per
** generation, whichever rule asks first. Scripts can reach neither M
** (__metatable hides it; there is no debug library) nor B (it is only
** M.__index), so nothing a script does changes what another sees.
**
** An open view, for trusted code only (eng_sb_set_trusted), is B alone,
** under one shared metatable with the same metamethods: a read that hits
** it costs the VM one table lookup instead of three, and making it costs
** one table instead of two and a userdata. New keys are still refused
** (__newindex), but existing ones could be overwritten: open views are
** never given to code from outside the library. Guarded and open views
** of a document are separate trees (a guarded view's children are
** guarded, an open one's open), and permanent views are always guarded:
** every rule shares them.
**
** The model is a tree, so a node has one view per generation and kind:
** the one its parent's B holds (the root's is kept in the registry), and
** == works. eng_sb_next_generation makes every non-permanent view made
** before invalid: reading a child not yet in B then raises instead of
** touching a node that may have been freed. Permanent views (data
** documents, generation 0) live as long as the state.
**
** Nulls read as nil. Arrays keep their positions (a null element is a nil
** at its index: # counts it, ipairs stops at it); objects and maps skip
** null members in pairs and #, as a Lua table would not hold them.
*/
#include "sandbox_int.h"

#include <assert.h>
#include <lauxlib.h>

#include "../model/schema.h"

static char node_key;       /* in B: the node, as light userdata */
static char gen_key;        /* in B: the generation (integer) */
static char backing_mt_key; /* registry: the metatable of every guarded B */
static char open_mt_key;    /* registry: the metatable of every open view */
static char root_key;       /* registry: {node, generation, view} of the
                            ** last guarded view the host pushed (the
                            ** document), then the same for open views */
static char empty_mt_key;   /* registry: the metatable of empty lists and maps */

static bool is_null(const pm_value *v) {
  return v == NULL || v->type == PM_NULL;
}

static bool is_container(const pm_value *v) {
  return v && (v->type == PM_ARR || v->type == PM_OBJ || v->type == PM_MAP);
}

/* Reads the node and generation stored in the table at idx (a B). */
static const pm_value *stored_node(lua_State *L, int idx, uint64_t *gen) {
  idx = lua_absindex(L, idx);
  lua_rawgetp(L, idx, &node_key);
  const pm_value *v = lua_touserdata(L, -1);
  lua_rawgetp(L, idx, &gen_key);
  *gen = (uint64_t)lua_tointeger(L, -1);
  lua_pop(L, 2);
  return v;
}

/* What a view's userdata holds. Views are the only userdata of this size
** in a sandbox (the read-only libraries are empty ones, and scripts
** cannot make any), which is how a view is told from other values. */
typedef struct view {
  const pm_value *node;
  uint64_t gen;
} view;

/* The payload of the view at idx, or NULL when idx is not a view. */
static const view *view_at(lua_State *L, int idx) {
  if (lua_type(L, idx) != LUA_TUSERDATA || lua_rawlen(L, idx) != sizeof(view)) return NULL;
  return lua_touserdata(L, idx);
}

/* The node of the view at idx (argument of a metamethod: a guarded
** view's userdata or an open view's table); raises when its generation is
** over. */
static const pm_value *live_node(lua_State *L, int idx, uint64_t *gen) {
  const pm_value *v = NULL;
  const view *w = view_at(L, idx);
  if (w) {
    v = w->node;
    *gen = w->gen;
  } else if (eng_sb_is_open_view(L, idx)) {
    v = stored_node(L, idx, gen);
  }
  if (v == NULL) luaL_error(L, "not a model view");
  if (*gen != 0 && *gen != eng_sb_of(L)->gen)
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
  lua_gettable(L, self); /* from B when read before, else converted now */
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

static bool is_scalar(const pm_value *v) {
  return v && v->type != PM_NULL && !is_container(v);
}

/* Fills B (at b) with the node's scalar children at once: one pass over
** the node instead of one miss per field later. Containers stay for
** backing_index to convert when asked for. */
static void fill_scalars(lua_State *L, eng_sandbox *sb, const pm_value *v, int b) {
  if (v->type == PM_ARR) {
    for (size_t i = 0; i < v->u.arr.len; i++) {
      if (!is_scalar(v->u.arr.items[i])) continue;
      eng_sb_push_node(L, sb, v->u.arr.items[i], false);
      lua_rawseti(L, b, (lua_Integer)i + 1);
    }
    return;
  }
  for (size_t i = 0; i < v->u.obj.len; i++) {
    const pm_member *m = &v->u.obj.items[i];
    if (!is_scalar(m->val)) continue;
    lua_pushlstring(L, m->key, m->key_len);
    eng_sb_push_node(L, sb, m->val, false);
    lua_rawset(L, b);
  }
}

/* The metamethods every view has, set in M at m. */
static void set_metamethods(lua_State *L, int m) {
  lua_pushcfunction(L, view_newindex);
  lua_setfield(L, m, "__newindex");
  lua_pushcfunction(L, view_len);
  lua_setfield(L, m, "__len");
  lua_pushcfunction(L, view_pairs);
  lua_setfield(L, m, "__pairs");
  lua_pushboolean(L, 0);
  lua_setfield(L, m, "__metatable");
  lua_pushliteral(L, "model view");
  lua_setfield(L, m, "__name");
}

/* Makes B for v, filled with its scalars, under the metatable the
** registry holds at mt_key; leaves it on the stack. */
static void new_backing(lua_State *L, const pm_value *v, uint64_t gen, const void *mt_key) {
  size_t n = v->type == PM_ARR ? v->u.arr.len : v->u.obj.len;
  int size = n < 1024 ? (int)n : 1024;
  lua_createtable(L, v->type == PM_ARR ? size : 0, (v->type == PM_ARR ? 0 : size) + 2);
  int b = lua_gettop(L);
  lua_pushlightuserdata(L, (void *)v);
  lua_rawsetp(L, b, &node_key);
  lua_pushinteger(L, (lua_Integer)gen);
  lua_rawsetp(L, b, &gen_key);
  fill_scalars(L, eng_sb_of(L), v, b);
  lua_rawgetp(L, LUA_REGISTRYINDEX, mt_key);
  lua_setmetatable(L, b);
}

/* Makes the view of v (a container), open or guarded; leaves it on the
** stack. A guarded empty array or map (every command's env, most lists)
** shares one metatable whose __index is an empty table: only its
** userdata is made. */
static void new_view(lua_State *L, const pm_value *v, uint64_t gen, bool open) {
  luaL_checkstack(L, 6, NULL);
  assert(!(open && gen == 0)); /* permanent views are guarded */
  if (open) {
    new_backing(L, v, gen, &open_mt_key);
    return;
  }
  size_t n = v->type == PM_ARR ? v->u.arr.len : v->u.obj.len;
  view *w = lua_newuserdatauv(L, sizeof *w, 0);
  w->node = v;
  w->gen = gen;
  int p = lua_gettop(L);
  if (n == 0 && v->type != PM_OBJ) {
    lua_rawgetp(L, LUA_REGISTRYINDEX, &empty_mt_key);
    lua_setmetatable(L, p);
    return;
  }
  new_backing(L, v, gen, &backing_mt_key);
  int b = lua_gettop(L);
  /* M */
  lua_createtable(L, 0, 6);
  int m = lua_gettop(L);
  lua_pushvalue(L, b);
  lua_setfield(L, m, "__index");
  set_metamethods(L, m);
  lua_setmetatable(L, p);
  lua_settop(L, p);
}

/* Strict access: reading a field the object's type does not define is an
** error that names it (and the field meant, when one is close), not a nil
** that makes a rule silently check nothing. Fields that exist but are
** unset read as nil. Untyped objects read as before. */
static void no_such_field(lua_State *L, const pm_value *v, int key) {
  const pm_schema *s = pm_value_schema(v);
  if (s == NULL) return;
  if (lua_type(L, key) != LUA_TSTRING) {
    luaL_error(L, "%s has no field %s (fields are named by strings)", pm_schema_name(s),
               luaL_typename(L, key));
    return;
  }
  size_t n;
  const char *k = lua_tolstring(L, key, &n);
  if (pm_schema_has(s, k, n)) return;
  const char *near = pm_schema_suggest(s, k, n);
  luaL_where(L, 1); /* the rule's line: level 0 is this C function */
  if (near)
    lua_pushfstring(L, "%s has no field '%s'; did you mean '%s'?", pm_schema_name(s), k, near);
  else
    lua_pushfstring(L, "%s has no field '%s' (docs/model.md lists its fields)",
                    pm_schema_name(s), k);
  lua_concat(L, 2);
  lua_error(L);
}

/* model_type(v): the object type of a model view ("image", "container",
** "command", ...), nil for anything else (an array, a map, an untyped
** object, a non-view). */
static int l_model_type(lua_State *L) {
  const pm_value *v = eng_sb_view_node(L, eng_sb_of(L), 1);
  const pm_schema *s = v ? pm_value_schema(v) : NULL;
  if (s) lua_pushstring(L, pm_schema_name(s));
  else lua_pushnil(L);
  return 1;
}

void eng_sb_open_model_type(lua_State *L) { lua_pushcfunction(L, l_model_type); }

/* B's __index: (B, key) -> the child, converted and stored in B. Its
** upvalue says whether B is an open view (whose children are open). */
static int backing_index(lua_State *L) {
  uint64_t gen;
  const pm_value *v = stored_node(L, 1, &gen);
  eng_sandbox *sb = eng_sb_of(L);
  assert(v != NULL);
  if (gen != 0 && gen != sb->gen) return luaL_error(L, "this model view is no longer valid");
  const pm_value *c = child(L, v, 2);
  if (c == NULL && v->type == PM_OBJ) no_such_field(L, v, 2);
  if (is_null(c)) {
    lua_pushnil(L);
    return 1;
  }
  if (is_container(c)) new_view(L, c, gen, lua_toboolean(L, lua_upvalueindex(1)));
  else eng_sb_push_node(L, sb, c, gen == 0);
  lua_pushvalue(L, 2);
  lua_pushvalue(L, -2);
  lua_rawset(L, 1);
  return 1;
}

/* A view the host pushes (the document's root, a data document): the
** same one while the generation lasts, so every rule of a document
** shares its views. Trusted code gets the open tree, unless the view is
** permanent. */
static void push_root(lua_State *L, eng_sandbox *sb, const pm_value *v, bool permanent) {
  uint64_t gen = permanent ? 0 : sb->gen;
  bool open = sb->trusted && !permanent;
  int slot = open ? 4 : 1; /* {node, generation, view} of each kind */
  luaL_checkstack(L, 4, NULL);
  lua_rawgetp(L, LUA_REGISTRYINDEX, &root_key);
  int cache = lua_gettop(L);
  lua_rawgeti(L, cache, slot);
  lua_rawgeti(L, cache, slot + 1);
  bool hit = lua_touserdata(L, -2) == (void *)v && (uint64_t)lua_tointeger(L, -1) == gen &&
             lua_rawgeti(L, cache, slot + 2) != LUA_TNIL;
  if (hit) {
    lua_replace(L, cache);
    lua_settop(L, cache);
    return;
  }
  lua_settop(L, cache);
  new_view(L, v, gen, open);
  lua_pushlightuserdata(L, (void *)v);
  lua_rawseti(L, cache, slot);
  lua_pushinteger(L, (lua_Integer)gen);
  lua_rawseti(L, cache, slot + 1);
  lua_pushvalue(L, -1);
  lua_rawseti(L, cache, slot + 2);
  lua_replace(L, cache);
}

void eng_sb_push_node(lua_State *L, eng_sandbox *sb, const pm_value *v,
                  bool permanent) {
  switch (v ? v->type : PM_NULL) {
  case PM_NULL: lua_pushnil(L); break;
  case PM_BOOL: lua_pushboolean(L, v->u.b); break;
  case PM_INT: lua_pushinteger(L, (lua_Integer)v->u.i); break;
  case PM_NUM: lua_pushnumber(L, (lua_Number)v->u.n); break;
  case PM_STR: lua_pushlstring(L, v->u.str.s, v->u.str.len); break;
  case PM_ARR:
  case PM_OBJ:
  case PM_MAP: push_root(L, sb, v, permanent); break;
  }
}

void eng_sb_open_views(lua_State *L) {
  lua_createtable(L, 0, 1);
  lua_pushboolean(L, 0);
  lua_pushcclosure(L, backing_index, 1);
  lua_setfield(L, -2, "__index");
  lua_rawsetp(L, LUA_REGISTRYINDEX, &backing_mt_key);
  lua_createtable(L, 0, 6);
  lua_pushboolean(L, 1);
  lua_pushcclosure(L, backing_index, 1);
  lua_setfield(L, -2, "__index");
  set_metamethods(L, lua_gettop(L));
  lua_rawsetp(L, LUA_REGISTRYINDEX, &open_mt_key);
  lua_createtable(L, 6, 0);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &root_key);
  lua_createtable(L, 0, 6);
  lua_newtable(L);
  lua_setfield(L, -2, "__index");
  set_metamethods(L, lua_gettop(L));
  lua_rawsetp(L, LUA_REGISTRYINDEX, &empty_mt_key);
}

bool eng_sb_is_open_view(lua_State *L, int idx) {
  if (lua_type(L, idx) != LUA_TTABLE || !lua_getmetatable(L, idx)) return false;
  lua_rawgetp(L, LUA_REGISTRYINDEX, &open_mt_key);
  bool open = lua_rawequal(L, -1, -2);
  lua_pop(L, 2);
  return open;
}

const pm_value *eng_sb_view_node(lua_State *L, eng_sandbox *sb, int idx) {
  const pm_value *v = NULL;
  uint64_t gen = 0;
  const view *w = view_at(L, idx);
  if (w) {
    v = w->node;
    gen = w->gen;
  } else if (eng_sb_is_open_view(L, idx)) {
    lua_rawgetp(L, idx, &node_key);
    v = lua_touserdata(L, -1);
    lua_rawgetp(L, idx < 0 ? idx - 1 : idx, &gen_key);
    gen = (uint64_t)lua_tointeger(L, -1);
    lua_pop(L, 2);
  }
  if (v == NULL || (gen != 0 && gen != sb->gen)) return NULL;
  assert(is_container(v));
  return v;
}
